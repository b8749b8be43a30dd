//! The image cache across builds: one folder outside the output (the site's
//! `.utmost/cache/images/`), one file per processed image under its
//! content-hashed name. A name fixes the bytes (see `naming.rs`), so an
//! entry is valid for as long as it exists and never needs checking.
//!
//! Writes are atomic (a temporary file in the folder, then a rename), so a
//! build stopped half way leaves no half-written entry. Eviction
//! ([`Cache::sweep`]), after a full build: an entry that build did not use
//! is deleted once no build has used it for the grace period (30 days by
//! default), so switching branches back and forth does not re-encode.
//! Only files named like entries (or our temporary files) are ever
//! deleted; anything else in the folder is left alone. Deleting the whole
//! folder is always safe.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

/// The default grace period before an unused entry is deleted.
pub(crate) const DEFAULT_GRACE: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Temporary files start with this; older than an hour they are debris.
const TEMP_PREFIX: &str = ".tmp-";

#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
    /// What this process knows is in the folder (see [`Known`]): a rebuild
    /// in `serve` asks about every entry again, and a `stat` each was an
    /// eighth of a content edit's time at 10,000 pages.
    /// [`Cache::forget_known`] makes it look again (a file deleted behind
    /// our back).
    known: Arc<Mutex<Known>>,
}

/// The entries the folder held when it was listed, and those written since.
/// One listing answers for every entry a build asks about: a clean build
/// of 10,000 pages asked about 3,744, and a `stat` each was 16 ms on one
/// core. An entry another process writes after the listing reads as
/// missing and is made again, with the same bytes under the same name.
#[derive(Debug, Default)]
struct Known {
    listed: bool,
    names: HashSet<String>,
}

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sweep {
    pub removed: usize,
    pub kept: usize,
}

impl Cache {
    pub(crate) fn new(dir: impl Into<PathBuf>) -> Self {
        Cache {
            dir: dir.into(),
            known: Arc::default(),
        }
    }

    #[cfg(test)]
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the entry `name` lives (whether or not it exists).
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether entry `name` is in the folder, as far as this process knows
    /// (the folder is listed the first time it is asked about).
    pub(crate) fn contains(&self, name: &str) -> bool {
        let mut known = self.known();
        if !known.listed {
            known.names.extend(self.list());
            known.listed = true;
        }
        known.names.contains(name)
    }

    /// The names of the files in the folder (none when it cannot be read:
    /// what is asked for is then made again).
    fn list(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        (entries.flatten())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    }

    /// Looks at the folder again on the next [`Cache::contains`].
    pub(crate) fn forget_known(&self) {
        *self.known() = Known::default();
    }

    fn known(&self) -> MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores `bytes` as entry `name`, atomically.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)?;
        temp.write_all(bytes)?;
        temp.persist(self.path(name)).map_err(|e| e.error)?;
        self.known().names.insert(name.to_string());
        Ok(())
    }

    /// Deletes entries not in `used` whose last use is older than `grace`,
    /// and marks the `used` ones as used now. A use is recorded to within a
    /// thirtieth of `grace` (a day, by default): marking every entry every
    /// build was three system calls an entry, 11,000 at 10,000 pages.
    pub(crate) fn sweep(&self, used: &HashSet<String>, grace: Duration) -> io::Result<Sweep> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Sweep::default()),
            Err(e) => return Err(e),
        };
        self.forget_known();
        let now = SystemTime::now();
        let mut sweep = Sweep::default();
        for entry in entries {
            let entry = entry?;
            let meta = entry.metadata()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !meta.is_file() {
                continue;
            }
            let age = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .unwrap_or_default();
            if used.contains(&name) {
                if age > grace / 30 {
                    mark_used(&entry.path(), now)?;
                }
                sweep.kept += 1;
            } else if is_stale_temp(&name, age) || (is_entry_name(&name) && age > grace) {
                fs::remove_file(entry.path())?;
                sweep.removed += 1;
            } else if is_entry_name(&name) {
                sweep.kept += 1;
            }
        }
        Ok(sweep)
    }
}

/// Sets the modification time: the "last used" the grace period counts from.
fn mark_used(path: &Path, now: SystemTime) -> io::Result<()> {
    fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(now)
}

fn is_stale_temp(name: &str, age: Duration) -> bool {
    name.starts_with(TEMP_PREFIX) && age > Duration::from_secs(3600)
}

/// `stem.<16 hex>.ext` or `stem.<16 hex>.<width>.ext`, as `naming.rs` writes.
fn is_entry_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    let hex = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let ext = |s: &str| matches!(s, "jpg" | "png" | "webp" | "gif" | "svg" | "avif");
    match parts[..] {
        [stem, hash, e] => !stem.is_empty() && hex(hash) && ext(e),
        [stem, hash, width, e] => {
            !stem.is_empty() && hex(hash) && width.parse::<u32>().is_ok() && ext(e)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "hero.0123456789abcdef.800.webp";
    const B: &str = "logo.fedcba9876543210.png";

    fn age(path: &Path, by: Duration) {
        let when = SystemTime::now() - by;
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    #[test]
    fn writes_are_read_back_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("images"));
        assert!(!cache.contains(A));
        cache.write(A, b"webp bytes").unwrap();
        assert!(cache.contains(A));
        assert_eq!(fs::read(cache.path(A)).unwrap(), b"webp bytes");
        let names: Vec<_> = fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [A]);
    }

    #[test]
    fn an_entry_seen_is_not_looked_for_again_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let other = Cache::new(dir.path());
        other.write(A, b"x").unwrap();
        assert!(cache.contains(A), "written by another process: looked for");
        fs::remove_file(cache.path(A)).unwrap();
        assert!(cache.contains(A), "known: not looked for");
        other.write(B, b"x").unwrap();
        assert!(!cache.contains(B), "written since the listing: made again");
        cache.forget_known();
        assert!(!cache.contains(A), "forgotten: looked for, and gone");
        assert!(cache.contains(B), "forgotten: listed again");
        cache.clone().write(A, b"y").unwrap();
        fs::remove_file(cache.path(A)).unwrap();
        assert!(cache.contains(A), "clones share what they know");
    }

    #[test]
    fn sweep_keeps_used_and_recent_entries_and_deletes_old_unused_ones() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        for name in [A, B, "recent.0000000000000000.jpg"] {
            cache.write(name, b"x").unwrap();
        }
        let old = Duration::from_secs(40 * 24 * 3600);
        age(&cache.path(A), old);
        age(&cache.path(B), old);
        let used = HashSet::from([A.to_string()]);
        let sweep = cache.sweep(&used, DEFAULT_GRACE).unwrap();
        assert_eq!(
            sweep,
            Sweep {
                removed: 1,
                kept: 2
            }
        );
        assert!(cache.contains(A) && !cache.contains(B));
        assert!(cache.contains("recent.0000000000000000.jpg"));
        // A was marked used now, so a sweep that does not use it keeps it.
        assert_eq!(
            cache.sweep(&HashSet::new(), DEFAULT_GRACE).unwrap().removed,
            0
        );
        // A use within a thirtieth of the grace period is not marked again.
        let hours = |n: u64| Duration::from_secs(n * 3600);
        age(&cache.path(A), hours(20));
        cache.sweep(&used, DEFAULT_GRACE).unwrap();
        assert_eq!(cache.sweep(&HashSet::new(), hours(21)).unwrap().removed, 0);
        assert_eq!(cache.sweep(&HashSet::new(), hours(19)).unwrap().removed, 1);
        cache.write(A, b"x").unwrap();
        // A grace of zero deletes every unused entry, as Zola's pruning does.
        assert_eq!(
            cache
                .sweep(&HashSet::new(), Duration::ZERO)
                .unwrap()
                .removed,
            2
        );
    }

    #[test]
    fn sweep_never_deletes_what_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        for name in [
            "notes.txt",
            "hero.jpg",
            "a.b.c.d.e",
            "hero.0123456789abcdeg.webp",
        ] {
            fs::write(dir.path().join(name), b"mine").unwrap();
            age(&dir.path().join(name), Duration::from_secs(400 * 24 * 3600));
        }
        fs::create_dir(dir.path().join("sub.0123456789abcdef.png")).unwrap();
        let sweep = cache.sweep(&HashSet::new(), Duration::ZERO).unwrap();
        assert_eq!(sweep.removed, 0);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 5);
    }

    #[test]
    fn sweep_removes_old_temporary_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        fs::write(dir.path().join(".tmp-old"), b"").unwrap();
        fs::write(dir.path().join(".tmp-new"), b"").unwrap();
        age(&dir.path().join(".tmp-old"), Duration::from_secs(7200));
        let sweep = cache.sweep(&HashSet::new(), DEFAULT_GRACE).unwrap();
        assert_eq!(sweep.removed, 1);
        assert!(dir.path().join(".tmp-new").exists());
    }

    #[test]
    fn sweeping_a_missing_folder_is_nothing_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("never-made"));
        assert_eq!(
            cache.sweep(&HashSet::new(), Duration::ZERO).unwrap(),
            Sweep::default()
        );
    }
}
