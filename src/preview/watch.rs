//! Watching a site for edits: which files matter, and turning a burst of
//! file-system events into one batch of changed paths.
//!
//! Editors save in many ways (write in place, write a temporary file and
//! rename it over the original, delete and recreate), and `git checkout`
//! changes hundreds of files at once; all of these become one [`Batch`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::util::layout::{CONFIG_FILE, SOURCE_DIRS, STATIC_DIR, VCS_FILES, is_editor_leftover};

/// The folders of a site whose files feed the build.
pub(crate) const WATCHED_DIRS: [&str; 5] = SOURCE_DIRS;

/// How long the file system must stay quiet before a rebuild while a save
/// may still be under way: a file is open for writing, or was moved away
/// or deleted and has not come back (an editor's save by rename). A save
/// that is complete (every file written closed, nothing missing) is built
/// at once.
const QUIET: Duration = Duration::from_millis(12);
/// A burst longer than this is rebuilt anyway, then watched again.
const LONGEST_WAIT: Duration = Duration::from_millis(300);

/// Changed paths, relative to the site root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    pub paths: Vec<PathBuf>,
}

impl Batch {
    /// Whether every change is a stylesheet (swapped without a reload).
    pub(crate) fn only_css(&self) -> bool {
        !self.paths.is_empty()
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// Whether a path (relative to the root) can change the build.
pub(crate) fn is_relevant(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Dotfiles count only in static/, which publishes them (`.htaccess`,
    // `.well-known/`), as the build reads them.
    let in_static = first == STATIC_DIR || rel.components().any(|c| c.as_os_str() == STATIC_DIR);
    let dotfile = rel.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c.starts_with('.') && (!in_static || VCS_FILES.contains(&c.as_ref()))
    });
    if dotfile || is_editor_leftover(&name) {
        return false;
    }
    first == CONFIG_FILE || WATCHED_DIRS.contains(&first.as_ref())
}

/// What the events of a burst say about it so far.
#[derive(Debug, Default)]
struct Burst {
    /// Files created or written whose writer has not closed them yet.
    open_writes: Vec<PathBuf>,
    /// Paths moved away or deleted that have not come back: an editor's
    /// save by rename may be under way (or the file is gone for good).
    missing: Vec<PathBuf>,
    /// An event that says too little to know (a rename without its
    /// direction, as some platforms report them).
    unsure: bool,
}

impl Burst {
    /// Takes in one event for `rel`; whether it is a change to build.
    fn note(&mut self, kind: &EventKind, rel: &Path) -> bool {
        match kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                self.open_writes.retain(|p| p != rel);
                false
            }
            EventKind::Access(_) => false,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                self.missing.retain(|p| p != rel);
                if !self.open_writes.iter().any(|p| p == rel) {
                    self.open_writes.push(rel.to_path_buf());
                }
                true
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                self.missing.retain(|p| p != rel);
                true
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::From)) | EventKind::Remove(_) => {
                self.open_writes.retain(|p| p != rel);
                if !self.missing.iter().any(|p| p == rel) {
                    self.missing.push(rel.to_path_buf());
                }
                true
            }
            // Says again what the rename's `From` and `To` events said
            // (notify sends it just after `To`). Not a change: arriving
            // after the `To` began a build, it would build a second time.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => false,
            EventKind::Modify(ModifyKind::Metadata(_)) => true,
            _ => {
                self.unsure = true;
                true
            }
        }
    }

    /// How long to wait for more events before building.
    fn quiet(&self) -> Duration {
        if self.unsure || !self.open_writes.is_empty() || !self.missing.is_empty() {
            QUIET
        } else {
            Duration::ZERO
        }
    }
}

/// A running watcher and its stream of raw events.
pub(crate) struct SiteWatcher {
    /// The root as given and as resolved: events name paths under the
    /// first (a root reached through a symbolic link is watched through
    /// it), some systems under the second.
    roots: [PathBuf; 2],
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl SiteWatcher {
    /// Watches site.toml and the site's source folders under `root`.
    pub(crate) fn new(root: &Path) -> notify::Result<SiteWatcher> {
        let (tx, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        // The root itself, not recursively: site.toml, and folders created later.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(SiteWatcher {
            roots: [
                root.to_path_buf(),
                std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            ],
            _watcher: watcher,
            events,
        })
    }

    /// Blocks until something relevant changed, then waits for the burst to
    /// settle. `None` when the watcher has stopped.
    pub(crate) fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut burst = Burst::default();
        loop {
            let event = self.events.recv().ok()?;
            self.absorb(event, &mut batch, &mut burst);
            if !batch.paths.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        loop {
            match self.events.recv_timeout(burst.quiet()) {
                Ok(event) => self.absorb(event, &mut batch, &mut burst),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if started.elapsed() > LONGEST_WAIT {
                break;
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch)
    }

    fn absorb(
        &mut self,
        event: notify::Result<notify::Event>,
        batch: &mut Batch,
        burst: &mut Burst,
    ) {
        let Ok(event) = event else {
            return;
        };
        for path in event.paths {
            let rel = (self.roots.iter())
                .find_map(|root| path.strip_prefix(root).ok())
                .map_or_else(|| path.clone(), Path::to_path_buf);
            if !is_relevant(&rel) {
                continue;
            }
            if burst.note(&event.kind, &rel) {
                if rel.components().count() == 1 && path.is_dir() {
                    // A source folder was created: watch it from now on.
                    let _ = self._watcher.watch(&path, RecursiveMode::Recursive);
                }
                batch.paths.push(rel);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        assert!(is_relevant(Path::new("site.toml")));
        assert!(is_relevant(Path::new("content/blog/a.md")));
        assert!(is_relevant(Path::new("data/plans.toml")));
        assert!(is_relevant(Path::new("themes/default/static/style.css")));
        assert!(!is_relevant(Path::new("public/index.html")));
        assert!(!is_relevant(Path::new("target/debug/x")));
        assert!(!is_relevant(Path::new("content/.a.md.swp")));
        assert!(!is_relevant(Path::new("content/a.md~")));
        assert!(!is_relevant(Path::new("content/4913")));
        assert!(!is_relevant(Path::new("content/.#a.md")));
        assert!(!is_relevant(Path::new("content/.drafts/a.md")));
        assert!(!is_relevant(Path::new("templates/.base.html")));
        assert!(!is_relevant(Path::new("static/.git/HEAD")));
        // static/ publishes its dotfiles, so editing one rebuilds.
        assert!(is_relevant(Path::new("static/.htaccess")));
        assert!(is_relevant(Path::new("static/.well-known/security.txt")));
        assert!(is_relevant(Path::new("themes/default/static/.htaccess")));
        assert!(!is_relevant(Path::new("utmost-manifest.json")));
    }

    /// Feeds `events` for `page` to a fresh burst; how long it then waits.
    fn after(events: &[EventKind], page: &str) -> Duration {
        let mut burst = Burst::default();
        for e in events {
            burst.note(e, Path::new(page));
        }
        burst.quiet()
    }

    #[test]
    fn a_save_in_place_is_built_once_its_writer_closes_the_file() {
        use notify::event::{DataChange, MetadataKind};
        let page = Path::new("content/a.md");
        let mut burst = Burst::default();
        assert!(burst.note(&EventKind::Modify(ModifyKind::Data(DataChange::Any)), page));
        assert_eq!(burst.quiet(), QUIET, "still being written");
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(!burst.note(&closed, page), "closing changes nothing more");
        assert_eq!(burst.quiet(), Duration::ZERO, "the save is complete");
        assert!(burst.note(
            &EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
            page
        ));
        assert_eq!(burst.quiet(), Duration::ZERO);
    }

    #[test]
    fn a_save_by_rename_is_built_once_the_file_is_back() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        let page = "content/a.md";
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let name = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        // Vim: the page moved to a backup (ignored), written anew, closed.
        let moved_away = [name(RenameMode::From), name(RenameMode::Both)];
        assert_eq!(after(&moved_away, page), QUIET, "the page is missing");
        let created = EventKind::Create(CreateKind::File);
        let vim = [&moved_away[..], &[created, written]].concat();
        assert_eq!(after(&vim, page), QUIET, "still being written");
        assert_eq!(after(&[vim, vec![closed]].concat(), page), Duration::ZERO);
        // An editor that writes a temporary file and renames it over the
        // page: the page arrives whole, and the rename's `Both` that
        // follows is not another change.
        assert_eq!(after(&[name(RenameMode::To)], page), Duration::ZERO);
        assert!(!Burst::default().note(&name(RenameMode::Both), Path::new(page)));
        // A page deleted, or a rename some platform cannot tell apart:
        // wait for the rest of the burst.
        let removed = EventKind::Remove(RemoveKind::File);
        assert_eq!(after(&[removed], page), QUIET);
        assert_eq!(after(&[name(RenameMode::Any)], page), QUIET);
        assert_eq!(after(&[created, closed], page), Duration::ZERO);
    }

    #[test]
    fn css_only_batches() {
        let css = Batch {
            paths: vec![
                "static/a.css".into(),
                "themes/default/static/style.css".into(),
            ],
        };
        assert!(css.only_css());
        let mixed = Batch {
            paths: vec!["static/a.css".into(), "content/a.md".into()],
        };
        assert!(!mixed.only_css());
        assert!(!Batch::default().only_css());
    }
}
