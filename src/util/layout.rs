//! The names of a site's own files and folders, in one place: the stages
//! that read them, the preview that watches them, the output guard that
//! keeps builds off them, and the diagnostics that count problems by the
//! file they are in all take the names from here.

/// The site's configuration, at its root.
pub(crate) const CONFIG_FILE: &str = "site.toml";
/// The site's Markdown and the assets beside it.
pub(crate) const CONTENT_DIR: &str = "content";
/// The site's own templates, which win over its theme's.
pub(crate) const TEMPLATES_DIR: &str = "templates";
/// The site's own static files, which win over its theme's.
pub(crate) const STATIC_DIR: &str = "static";
/// The themes, one folder each.
pub(crate) const THEMES_DIR: &str = "themes";
/// utmost's own state (the preview's leads).
pub(crate) const STATE_DIR: &str = ".utmost";
/// How a file of the default theme built into the binary is named when it
/// is not on disk.
pub(crate) const EMBEDDED_THEME: &str = "<embedded default theme>";
/// Data files for templates' `load_data` (Zola's convention; any file of
/// the site may be loaded, but this folder is also watched by `serve`).
pub(crate) const DATA_DIR: &str = "data";
/// The folders of sources besides site.toml.
pub(crate) const SOURCE_DIRS: [&str; 5] =
    [CONTENT_DIR, TEMPLATES_DIR, THEMES_DIR, STATIC_DIR, DATA_DIR];
