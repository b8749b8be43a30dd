//! `utmost init`: a new site that builds at once: site.toml, a landing page,
//! a one-pager and a thanks page, and the default theme copied out of the
//! binary so it can be edited.

use std::io;
use std::path::Path;

const FILES: [(&str, &str); 4] = [
    ("site.toml", include_str!("scaffold/site.toml")),
    ("content/_index.md", include_str!("scaffold/_index.md")),
    (
        "content/one-pager.md",
        include_str!("scaffold/one-pager.md"),
    ),
    ("content/thanks.md", include_str!("scaffold/thanks.md")),
];

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} is not empty (use --force to write into it anyway)")]
    NotEmpty(String),
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Writes a new site into `dir`, which must be empty unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<String>, InitError> {
    let io_err = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io_err(dir))?;
        if entries.next().is_some() && !force {
            return Err(InitError::NotEmpty(dir.display().to_string()));
        }
    }
    let theme = crate::theme::embedded_default()
        .iter()
        .map(|(rel, bytes)| (format!("themes/default/{rel}"), *bytes));
    let files = FILES
        .iter()
        .map(|(p, text)| (p.to_string(), text.as_bytes()))
        .chain(theme);
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io_err(&path))?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_empty_dir_without_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        assert!(matches!(
            init(dir.path(), false),
            Err(InitError::NotEmpty(_))
        ));
        let written = init(dir.path(), true).unwrap();
        assert!(written.contains(&"site.toml".to_string()));
        assert!(
            dir.path()
                .join("themes/default/templates/base.html")
                .exists()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
            "x"
        );
    }

    #[test]
    fn scaffold_config_is_valid() {
        crate::config::parse(FILES[0].1).unwrap();
    }
}
