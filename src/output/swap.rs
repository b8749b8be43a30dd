//! Swapping a written build in place of the output folder, so that at every
//! moment, even when the process is killed, nothing of the user's is lost.
//!
//! Beside the output folder `public` live, only while a build runs:
//! `.public.utmost-new` (the build being written), `.public.utmost-old` (the
//! previous output during the swap) and `.public.utmost-carry` (the journal
//! of the dotfiles being carried over). The steps:
//! 1. the build is written into `.public.utmost-new`, with the marker;
//! 2. the journal lists the dotfiles at the top of `public` that the build
//!    does not provide (`.git`, `.well-known`…); each is moved into the new
//!    folder by a rename (same file system: no copy, nothing half-moved);
//! 3. `public` is renamed to `.public.utmost-old`, the new folder to `public`;
//! 4. the old folder and the journal are removed.
//!
//! [`Swap::recover`] runs before every build and undoes whatever an
//! interrupted one left: it puts the previous output back if the swap was cut
//! in the middle, returns carried dotfiles listed in the journal to it, and
//! removes the rest. No leftover is ever served or mistaken for the user's.

use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};

use crate::output::guard::{MARKER, MARKER_TEXT, is_leftover};

/// The output folder and the folders beside it.
pub(crate) struct Swap {
    out: PathBuf,
    pub staging: PathBuf,
    previous: PathBuf,
    journal: PathBuf,
}

impl Swap {
    pub(crate) fn beside(out: &Path) -> Swap {
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = out.parent().unwrap_or(Path::new("."));
        let sibling = |suffix: &str| parent.join(format!(".{name}.utmost-{suffix}"));
        Swap {
            out: out.to_path_buf(),
            staging: sibling("new"),
            previous: sibling("old"),
            journal: sibling("carry"),
        }
    }

    /// Undoes what an interrupted build left behind.
    pub(crate) fn recover(&self) -> io::Result<()> {
        let carried = self.read_journal()?;
        if exists(&self.previous) && !exists(&self.out) {
            // Cut between the two renames: the previous output goes back.
            std::fs::rename(&self.previous, &self.out)?;
        }
        if exists(&self.staging) {
            self.put_back(&carried)?;
            std::fs::remove_dir_all(&self.staging)?;
        }
        if exists(&self.previous) {
            // Cut after the swap: the new output is in place and complete.
            std::fs::remove_dir_all(&self.previous)?;
        }
        remove_if_there(&self.journal)
    }

    /// Marks the written build as utmost's, carries the output's dotfiles
    /// into it and swaps it in. `provided` names what the build writes at
    /// its top level. On an error, [`Swap::recover`] puts everything back.
    pub(crate) fn install(&self, provided: &dyn Fn(&str) -> bool) -> io::Result<()> {
        std::fs::write(self.staging.join(MARKER), MARKER_TEXT)?;
        let carried = self.dotfiles(provided)?;
        if !carried.is_empty() {
            self.write_journal(&carried)?;
            for name in &carried {
                std::fs::rename(self.out.join(name), self.staging.join(name))?;
            }
        }
        let had_output = exists(&self.out);
        if had_output {
            std::fs::rename(&self.out, &self.previous)?;
        }
        std::fs::rename(&self.staging, &self.out)?;
        // The new output is in place; what remains is only clean-up.
        if had_output {
            let _ = std::fs::remove_dir_all(&self.previous);
        }
        let _ = remove_if_there(&self.journal);
        Ok(())
    }

    /// The entries at the top of the output folder that survive the build:
    /// dotfiles and dot-folders it does not provide, other than utmost's own.
    fn dotfiles(&self, provided: &dyn Fn(&str) -> bool) -> io::Result<Vec<OsString>> {
        let entries = match std::fs::read_dir(&self.out) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut names = Vec::new();
        for entry in entries {
            let name = entry?.file_name();
            let text = name.to_string_lossy();
            let ours = text == MARKER || is_leftover(&text) || provided(&text);
            if text.starts_with('.') && !ours {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Moves carried entries from the staging folder back to the output.
    fn put_back(&self, names: &[OsString]) -> io::Result<()> {
        for name in names {
            let (from, to) = (self.staging.join(name), self.out.join(name));
            if !exists(&from) {
                continue;
            }
            if exists(&to) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "an interrupted build left {} and {} is there too; move one aside and build again",
                        from.display(),
                        to.display()
                    ),
                ));
            }
            std::fs::create_dir_all(&self.out)?;
            std::fs::rename(from, to)?;
        }
        Ok(())
    }

    fn write_journal(&self, names: &[OsString]) -> io::Result<()> {
        let mut bytes = Vec::new();
        for name in names {
            bytes.extend_from_slice(name.as_encoded_bytes());
            bytes.push(0);
        }
        std::fs::write(&self.journal, bytes)
    }

    fn read_journal(&self) -> io::Result<Vec<OsString>> {
        let bytes = match std::fs::read(&self.journal) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(bytes
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(name_from_bytes)
            .collect())
    }
}

#[cfg(unix)]
fn name_from_bytes(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes).to_os_string()
}

#[cfg(not(unix))]
fn name_from_bytes(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Whether anything is at `path` (a dangling link counts).
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Swap) {
        let dir = tempfile::tempdir().unwrap();
        let swap = Swap::beside(&dir.path().join("public"));
        (dir, swap)
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn dotfiles_are_carried_and_the_marker_written() {
        let (dir, swap) = setup();
        write(&dir.path().join("public/old.html"), "old");
        write(&dir.path().join("public/.git/HEAD"), "ref");
        write(&dir.path().join("public/.well-known/a"), "user's");
        write(&dir.path().join("public/.nojekyll"), "");
        write(&swap.staging.join("index.html"), "new");
        write(&swap.staging.join(".well-known/a"), "site's");
        swap.install(&|name| name == ".well-known" || name == "index.html")
            .unwrap();
        let out = dir.path().join("public");
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref"
        );
        assert!(out.join(".nojekyll").exists());
        assert_eq!(
            std::fs::read_to_string(out.join(".well-known/a")).unwrap(),
            "site's"
        );
        assert!(!out.join("old.html").exists());
        assert!(
            std::fs::read_to_string(out.join(MARKER))
                .unwrap()
                .starts_with("This folder")
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            names,
            vec![OsString::from("public")],
            "nothing left beside it"
        );
    }

    #[test]
    fn a_build_cut_while_carrying_gives_the_dotfiles_back() {
        let (dir, swap) = setup();
        let out = dir.path().join("public");
        write(&out.join("index.html"), "previous");
        write(&out.join(".nojekyll"), "");
        // Cut after `.git` moved into the new build, before the swap.
        write(&swap.staging.join("index.html"), "unfinished");
        write(&swap.staging.join(".git/HEAD"), "ref");
        swap.write_journal(&[".git".into(), ".nojekyll".into()])
            .unwrap();
        swap.recover().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(out.join(".nojekyll").exists());
        assert!(!swap.staging.exists() && !swap.journal.exists());
    }

    #[test]
    fn a_build_cut_between_the_renames_puts_the_previous_output_back() {
        let (dir, swap) = setup();
        let out = dir.path().join("public");
        write(&swap.previous.join("index.html"), "previous");
        write(&swap.staging.join("index.html"), "new");
        write(&swap.staging.join(".git/HEAD"), "ref");
        swap.write_journal(&[".git".into()]).unwrap();
        swap.recover().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref"
        );
        assert!(!swap.staging.exists() && !swap.previous.exists());
    }

    #[test]
    fn a_build_cut_after_the_swap_only_cleans_up() {
        let (dir, swap) = setup();
        let out = dir.path().join("public");
        write(&out.join("index.html"), "new");
        write(&out.join(".git/HEAD"), "ref");
        write(&swap.previous.join("index.html"), "previous");
        swap.write_journal(&[".git".into()]).unwrap();
        swap.recover().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(out.join(".git/HEAD").exists());
        assert!(!swap.previous.exists() && !swap.journal.exists());
    }

    #[test]
    fn a_dotfile_in_both_places_is_never_overwritten() {
        let (dir, swap) = setup();
        let out = dir.path().join("public");
        write(&out.join(".env"), "now");
        write(&swap.staging.join(".env"), "carried");
        swap.write_journal(&[".env".into()]).unwrap();
        let e = swap.recover().unwrap_err();
        assert!(e.to_string().contains("move one aside"), "{e}");
        assert_eq!(std::fs::read_to_string(out.join(".env")).unwrap(), "now");
        assert_eq!(
            std::fs::read_to_string(swap.staging.join(".env")).unwrap(),
            "carried"
        );
    }
}
