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

/// Version-control files and folders: never published from static/, never
/// watched.
pub(crate) const VCS_FILES: [&str; 6] = [
    ".git",
    ".svn",
    ".hg",
    ".gitkeep",
    ".gitignore",
    ".gitattributes",
];

/// Whether `rel` (relative to the site's root) is a template: under
/// `templates/` or a theme's `themes/NAME/templates/`.
pub(crate) fn is_template(rel: &std::path::Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str());
    match parts.next().and_then(|c| c.to_str()) {
        Some(TEMPLATES_DIR) => true,
        Some(THEMES_DIR) => parts.nth(1).is_some_and(|c| c == TEMPLATES_DIR),
        _ => false,
    }
}

/// Files editors and systems leave beside the ones a user edits: backups
/// (`a.md~`), Vim's swap files (`.a.md.swp`, `.swx`, `.swo`) and its write
/// test (`4913`), Emacs' autosaves and locks (`#a.md#`, `.#a.md`), other
/// editors' `.tmp` files, and folder junk (`.DS_Store`, `Thumbs.db`). They
/// are never content, templates or static files, and saving them never
/// rebuilds: one rule for every place that reads or watches the site.
pub(crate) fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name.starts_with(".#")
        || matches!(name, "4913" | ".DS_Store" | "Thumbs.db")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_known_by_name() {
        for name in [
            "a.md~",
            ".a.md.swp",
            ".a.md.swx",
            "a.tmp",
            "#a.md#",
            ".#a.md",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_editor_leftover(name), "{name}");
        }
        for name in ["a.md", "_index.md", ".well-known", "style.css", "4914"] {
            assert!(!is_editor_leftover(name), "{name}");
        }
    }
}
