//! Keeping every read inside the site. A symbolic link is followed only
//! when it leads to somewhere under the site's root: a link in content/,
//! templates/, static/ or themes/ to `/etc/passwd` or to a folder of the
//! user's own is refused with an error naming the link, at build and in
//! `serve`, where files are read again when they are served.
//!
//! The walks of content/ and the theme call [`SiteRoot::check_link`] for
//! each link they meet and [`SiteRoot::check_folder`] for the folders they
//! start from; writing a build and serving a file open sources through
//! [`SiteRoot::open`], which catches a link swapped in after the walk.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// What a link that leaves the site is told.
pub(crate) const LINK_OUTSIDE: &str =
    "symbolic link points outside the site (or nowhere); it is not followed";

/// The site's root, with symbolic links resolved.
#[derive(Debug, Clone)]
pub(crate) struct SiteRoot {
    real: PathBuf,
}

impl SiteRoot {
    pub(crate) fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            real: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// The root itself, resolved.
    pub(crate) fn real(&self) -> &Path {
        &self.real
    }

    /// Where `path` leads, when that is inside the site; `None` when it
    /// leads outside it or nowhere.
    pub(crate) fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let real = std::fs::canonicalize(path).ok()?;
        real.starts_with(&self.real).then_some(real)
    }

    /// An error for the link `shown` (relative to the root) when it leads
    /// outside the site.
    pub(crate) fn check_link(&self, path: &Path, shown: &Path) -> Option<Diagnostic> {
        match self.resolve(path) {
            Some(_) => None,
            None => Some(
                Diagnostic::file(shown, LINK_OUTSIDE)
                    .with_help("copy the file into the site, or link to a place inside it"),
            ),
        }
    }

    /// An error when the input folder `rel` (content, static, templates,
    /// themes/NAME…) exists but is, or sits under, a link leading outside
    /// the site. A folder that does not exist is no one's business here.
    /// The error names the link itself (`themes/plain` for
    /// `themes/plain/templates`).
    pub(crate) fn check_folder(&self, rel: &Path) -> Option<Diagnostic> {
        let path = self.real.join(rel);
        if std::fs::symlink_metadata(&path).is_err() || self.resolve(&path).is_some() {
            return None;
        }
        let mut link = PathBuf::new();
        for part in rel.components() {
            link.push(part);
            let here = self.real.join(&link);
            let is_link = std::fs::symlink_metadata(&here).is_ok_and(|m| m.is_symlink());
            if is_link && self.resolve(&here).is_none() {
                break;
            }
        }
        Some(
            Diagnostic::file(
                link,
                "this folder is a symbolic link to a place outside the site; it is not read",
            )
            .with_help("copy the folder into the site (a git submodule works too)"),
        )
    }

    /// Opens a source file for reading, refusing one that leads outside the
    /// site by now (a link swapped in since the walk).
    pub(crate) fn open(&self, path: &Path) -> io::Result<std::fs::File> {
        let real = std::fs::canonicalize(path)?;
        if !real.starts_with(&self.real) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{}: {LINK_OUTSIDE}", path.display()),
            ));
        }
        std::fs::File::open(real)
    }

    /// The bytes of a source file, through [`SiteRoot::open`].
    pub(crate) fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut self.open(path)?, &mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_followed_only_inside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("static/sub")).unwrap();
        std::fs::write(root.join("static/a.css"), "a").unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        symlink(root.join("static/a.css"), root.join("static/b.css")).unwrap();
        symlink(outside.path().join("secret"), root.join("static/leak")).unwrap();
        symlink(outside.path(), root.join("static/sub/away")).unwrap();
        symlink("/nonexistent", root.join("static/dangling")).unwrap();
        let site_root = SiteRoot::new(root);
        assert_eq!(site_root.read(&root.join("static/b.css")).unwrap(), b"a");
        let leak = site_root.open(&root.join("static/leak")).unwrap_err();
        assert_eq!(leak.kind(), io::ErrorKind::PermissionDenied);
        assert!(leak.to_string().contains("static/leak: symbolic link"));
        assert!(
            site_root
                .open(&root.join("static/sub/away/secret"))
                .is_err()
        );
        assert!(site_root.open(&root.join("static/dangling")).is_err());
        let shown = Path::new("static/leak");
        let d = site_root.check_link(&root.join(shown), shown).unwrap();
        assert_eq!(d.message, LINK_OUTSIDE);
        assert!(
            site_root
                .check_link(&root.join("static/b.css"), shown)
                .is_none()
        );
        assert!(site_root.check_folder(Path::new("static")).is_none());
        let away = site_root.check_folder(Path::new("static/sub/away/deeper"));
        assert!(away.is_none(), "a folder that does not exist is not read");
        std::fs::create_dir(outside.path().join("deeper")).unwrap();
        let away = site_root.check_folder(Path::new("static/sub/away/deeper"));
        assert_eq!(
            away.unwrap().path,
            Path::new("static/sub/away"),
            "names the link"
        );
        assert!(site_root.check_folder(Path::new("templates")).is_none());
    }
}
