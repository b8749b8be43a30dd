//! Themes: finding the templates and static files a site renders with.
//!
//! Lookup order, file by file: the site's `templates/` and `static/`, then
//! `themes/<theme>/`. The default theme is embedded in the binary and used
//! when `themes/default/` is not on disk. This module only gathers sources;
//! the template engine is set up in `render/engine.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Name, Unknown};
use crate::source::config::{self, SiteConfig};
use crate::source::confine::SiteRoot;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// How errors name the embedded default theme's files:
/// `<embedded default theme>/templates/page.html`.
use crate::util::layout::{EMBEDDED_THEME, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};

/// The embedded default theme: (path relative to the theme folder, bytes).
pub(crate) fn embedded_default() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    /// Shown in errors: `templates/page.html`, `themes/default/templates/…`.
    pub path: PathBuf,
    pub text: String,
}

/// A static file to copy.
#[derive(Debug, Clone)]
pub(crate) enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    /// By template name (`page.html`, `shortcodes/cta.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// By output path relative to the output directory.
    pub statics: BTreeMap<String, StaticSource>,
}

/// Gathers the theme's and the site's templates and static files, with
/// the problems met (a file that cannot be read is left out). `None` when
/// there is no theme: neither `themes/<theme>/` nor a `templates/` folder.
/// `config_text` is site.toml as read, to place an unknown theme's error.
pub(crate) fn load(
    root: &Path,
    config: &SiteConfig,
    config_text: &str,
) -> (Option<Theme>, Vec<Diagnostic>) {
    let mut theme = Theme::default();
    let mut diagnostics = Vec::new();
    let site = SiteRoot::new(root);
    let theme_dir = root.join(THEMES_DIR).join(&config.theme);
    if theme_dir.is_dir() {
        let base = PathBuf::from(THEMES_DIR).join(&config.theme);
        read_dir_into(
            &site,
            &base.join(TEMPLATES_DIR),
            &mut theme,
            Kind::Template,
            &mut diagnostics,
        );
        read_dir_into(
            &site,
            &base.join(STATIC_DIR),
            &mut theme,
            Kind::Static,
            &mut diagnostics,
        );
    } else if config.theme == "default" {
        for (rel, bytes) in embedded_default() {
            add_embedded(&mut theme, rel, bytes, &mut diagnostics);
        }
    } else {
        let installed = installed_themes(root);
        let known = installed.iter().map(String::as_str).chain(["default"]);
        let unknown = Unknown::new(Name::Theme, &config.theme, known);
        diagnostics
            .push(config::at_key(config_text, "theme", unknown.message).with_help(unknown.help));
        return (None, diagnostics);
    }
    read_dir_into(
        &site,
        Path::new(TEMPLATES_DIR),
        &mut theme,
        Kind::Template,
        &mut diagnostics,
    );
    read_dir_into(
        &site,
        Path::new(STATIC_DIR),
        &mut theme,
        Kind::Static,
        &mut diagnostics,
    );
    (Some(theme), diagnostics)
}

fn installed_themes(root: &Path) -> Vec<String> {
    std::fs::read_dir(root.join(THEMES_DIR))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn add_embedded(
    theme: &mut Theme,
    rel: &str,
    bytes: &'static [u8],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let display = PathBuf::from(EMBEDDED_THEME).join(rel);
    if let Some(name) = rel.strip_prefix("templates/") {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                theme.templates.insert(
                    name.to_string(),
                    TemplateSource {
                        path: display,
                        text: text.to_string(),
                    },
                );
            }
            Err(_) => diagnostics.push(Diagnostic::file(display, "template is not valid UTF-8")),
        }
    } else if let Some(out) = rel.strip_prefix("static/") {
        theme
            .statics
            .insert(out.to_string(), StaticSource::Embedded(bytes));
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Template,
    Static,
}

/// Adds every file under `root/dir`, replacing earlier ones of the same
/// name. Symbolic links are followed only inside the site.
fn read_dir_into(
    site: &SiteRoot,
    dir: &Path,
    theme: &mut Theme,
    kind: Kind,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let abs = site.real().join(dir);
    if let Some(d) = site.check_folder(dir) {
        diagnostics.push(d);
        return;
    }
    if !abs.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(&abs).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if crate::source::content::vanished(&e) => continue,
            Err(e) => {
                diagnostics.push(Diagnostic::file(dir, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&abs) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|s| is_skipped(s, kind)) {
            continue;
        }
        let shown = dir.join(rel);
        if entry.path_is_symlink()
            && let Some(d) = site.check_link(entry.path(), &shown)
        {
            diagnostics.push(d);
            continue;
        }
        let is_file =
            entry.file_type().is_file() || (entry.path_is_symlink() && entry.path().is_file());
        if !is_file {
            continue;
        }
        match kind {
            Kind::Template => match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    theme
                        .templates
                        .insert(name, TemplateSource { path: shown, text });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => diagnostics.push(Diagnostic::file(
                    shown,
                    format!("cannot read template: {e}"),
                )),
            },
            Kind::Static => {
                theme
                    .statics
                    .insert(name, StaticSource::Disk(entry.path().to_path_buf()));
            }
        }
    }
}

/// Names never read: editor backups, version-control and desktop files,
/// and any dotfile among templates. Static dotfiles and dot-folders (such
/// as `.well-known/`) are published.
fn is_skipped(name: &str, kind: Kind) -> bool {
    name.starts_with('.')
        && (kind == Kind::Template || crate::util::layout::VCS_FILES.contains(&name))
        || crate::util::layout::is_editor_leftover(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_the_documented_templates() {
        let names: Vec<&str> = embedded_default().iter().map(|(n, _)| *n).collect();
        for t in [
            "templates/base.html",
            "templates/landing.html",
            "templates/page.html",
            "templates/section.html",
            "templates/one-pager.html",
            "templates/thanks.html",
            "templates/404.html",
            "templates/shortcodes/cta.html",
            "templates/shortcodes/button.html",
            "templates/shortcodes/quote.html",
            "theme.toml",
        ] {
            assert!(names.contains(&t), "{t} missing from {names:?}");
        }
    }
}
