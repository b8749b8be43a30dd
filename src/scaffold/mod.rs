//! `utmost init`: a new site that builds at once: site.toml, a landing page,
//! a one-pager and a thanks page. The site uses the default theme built
//! into the binary by reference (`theme = "default"`), so a new utmost
//! brings its fixes; `--eject-theme` copies it into `themes/default/` to be
//! edited (into an existing site, the theme alone). It never overwrites a
//! file: with `--force` it writes into a folder that is not empty, keeping
//! what is there.

use std::io;
use std::path::Path;

const FILES: [(&str, &str); 4] = [
    ("site.toml", include_str!("site.toml")),
    ("content/_index.md", include_str!("_index.md")),
    ("content/one-pager.md", include_str!("one-pager.md")),
    ("content/thanks.md", include_str!("thanks.md")),
];

#[derive(Debug, thiserror::Error)]
pub(crate) enum InitError {
    #[error(
        "{0} is not empty (use --force to add the new site's files to it; files already there are kept as they are)"
    )]
    NotEmpty(String),
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: io::Error },
}

/// What `init` did: the files it wrote and the ones already there, which
/// it kept as they were (relative to the site folder).
#[derive(Debug, Default)]
pub(crate) struct Created {
    pub written: Vec<String>,
    pub kept: Vec<String>,
}

/// What `init` writes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct InitOptions {
    /// Write into a folder that is not empty (keeping every file there).
    pub force: bool,
    /// Copy the default theme into `themes/default/`.
    pub eject_theme: bool,
}

/// Writes a new site into `dir`, which must be empty unless `force`. Even
/// then, a file that exists is never overwritten: it is kept and listed.
/// With `eject_theme`, a folder that already holds a site.toml gets the
/// theme alone.
pub(crate) fn init(dir: &Path, options: InitOptions) -> Result<Created, InitError> {
    let existing_site = dir.join("site.toml").is_file();
    let theme_only = options.eject_theme && existing_site;
    if dir.exists() && !theme_only {
        let mut entries = std::fs::read_dir(dir).map_err(io_err(dir))?;
        if entries.next().is_some() && !options.force {
            return Err(InitError::NotEmpty(dir.display().to_string()));
        }
    }
    let theme = crate::source::theme::embedded_default()
        .iter()
        .filter(|_| options.eject_theme)
        .map(|(rel, bytes)| (format!("themes/default/{rel}"), *bytes));
    let files = FILES
        .iter()
        .filter(|_| !theme_only)
        .map(|(p, text)| (p.to_string(), text.as_bytes()))
        .chain(theme);
    write_new(dir, files)
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> InitError {
    let path = path.display().to_string();
    move |source| InitError::Io { path, source }
}

/// Writes each file that does not exist yet.
fn write_new<'a>(
    dir: &Path,
    files: impl Iterator<Item = (String, &'a [u8])>,
) -> Result<Created, InitError> {
    let mut created = Created::default();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        // create_new: a file (or link) already there is never written over.
        let new = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match new {
            Ok(mut file) => {
                io::Write::write_all(&mut file, bytes).map_err(io_err(&path))?;
                created.written.push(rel);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => created.kept.push(rel),
            Err(e) => return Err(io_err(&path)(e)),
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_empty_dir_without_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        assert!(matches!(
            init(dir.path(), InitOptions::default()),
            Err(InitError::NotEmpty(_))
        ));
        let created = init(dir.path(), FORCE).unwrap();
        assert!(created.written.contains(&"site.toml".to_string()));
        assert!(created.kept.is_empty());
        assert!(!dir.path().join("themes").exists(), "used by reference");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
            "x"
        );
    }

    #[test]
    fn force_never_overwrites_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "mine").unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/_index.md"), "my home").unwrap();
        let created = init(dir.path(), FORCE).unwrap();
        assert_eq!(created.kept, ["site.toml", "content/_index.md"]);
        assert!(created.written.contains(&"content/thanks.md".to_string()));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
            "mine"
        );
        let again = init(dir.path(), FORCE).unwrap();
        assert!(again.written.is_empty(), "{:?}", again.written);
    }

    const FORCE: InitOptions = InitOptions {
        force: true,
        eject_theme: false,
    };

    #[test]
    fn eject_theme_copies_the_theme_alone_into_an_existing_site() {
        let dir = tempfile::tempdir().unwrap();
        let eject = InitOptions {
            eject_theme: true,
            ..InitOptions::default()
        };
        let created = init(dir.path(), eject).unwrap();
        assert!(created.written.contains(&"site.toml".to_string()));
        assert!(
            created
                .written
                .contains(&"themes/default/templates/base.html".to_string())
        );
        std::fs::remove_dir_all(dir.path().join("themes")).unwrap();
        std::fs::write(dir.path().join("content/_index.md"), "edited").unwrap();
        std::fs::remove_file(dir.path().join("content/thanks.md")).unwrap();
        let again = init(dir.path(), eject).unwrap();
        assert!(
            again
                .written
                .iter()
                .all(|f| f.starts_with("themes/default/")),
            "{:?}",
            again.written
        );
        assert!(again.kept.is_empty());
        assert!(!dir.path().join("content/thanks.md").exists());
    }

    #[test]
    fn scaffold_config_is_valid() {
        crate::source::config::parse(FILES[0].1).unwrap();
    }
}
