//! Walking content/: every Markdown file read and checked (in parallel,
//! reusing what a rebuild already read), every other file listed as an
//! asset. Dotfiles and editor leftovers are skipped, and no symbolic link
//! is followed out of the site.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{CONTENT_DIR, ContentAsset, Files, Loaded, parse_document};
use crate::diagnostic::Diagnostic;
use crate::source::confine::LINK_OUTSIDE;

/// Walks `root/content`, reusing `cached` Markdown files that are still there.
pub(crate) fn walk(root: &Path, cached: &Files) -> Files {
    let dir = root.join(CONTENT_DIR);
    let mut files = Files {
        versions: cached.versions.clone(),
        ..Files::default()
    };
    if !dir.is_dir() {
        files.walk_errors.push(
            Diagnostic::file(CONTENT_DIR, "no content/ folder")
                .with_help("create content/_index.md for the home page"),
        );
        return files;
    }
    let site = crate::source::confine::SiteRoot::new(root);
    if let Some(d) = site.check_folder(Path::new(CONTENT_DIR)) {
        files.walk_errors.push(d);
        return files;
    }
    let root_real = site.real();
    let mut to_read = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if vanished(&e) => continue,
            Err(e) => {
                let path =
                    (e.path().map(|p| relative(root, p))).unwrap_or_else(|| CONTENT_DIR.into());
                let d = Diagnostic::file(path, format!("cannot read: {e}"));
                files.walk_errors.push(d);
                continue;
            }
        };
        let Some(rel) = taken(&entry, root, &dir, root_real, &mut files.walk_errors) else {
            continue;
        };
        if !rel.ends_with(".md") {
            let source = entry.path().to_path_buf();
            files.assets.push(ContentAsset { source, rel });
        } else if let Some(done) = cached.markdown.get(&rel) {
            files.markdown.insert(rel, done.clone());
        } else {
            to_read.push((relative(root, entry.path()), rel));
        }
    }
    // Reading and parsing are independent per file: do them on all cores.
    let read: Vec<(String, Loaded)> = to_read
        .into_par_iter()
        .filter_map(|(source, rel)| {
            let loaded = read_document(root, &source, rel.clone(), files.next_version())?;
            Some((rel, loaded))
        })
        .collect();
    files.markdown.extend(read);
    files
}

/// The path relative to content/ of a file the walk takes: a file, or a
/// link to a file inside the site. A link that leads outside the site (or
/// nowhere) is an error, and not followed.
fn taken(
    entry: &walkdir::DirEntry,
    root: &Path,
    dir: &Path,
    root_real: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let file_type = entry.file_type();
    if file_type.is_symlink() {
        match std::fs::canonicalize(entry.path()) {
            Ok(target) if target.starts_with(root_real) && target.is_file() => {}
            Ok(target) if target.starts_with(root_real) => return None,
            _ => {
                errors.push(Diagnostic::file(relative(root, entry.path()), LINK_OUTSIDE));
                return None;
            }
        }
    } else if !file_type.is_file() {
        return None;
    }
    let rel = entry.path().strip_prefix(dir).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// A walk error for a file or folder deleted since it was listed: it is
/// simply gone, and the build goes on without it.
pub(crate) fn vanished(e: &walkdir::Error) -> bool {
    e.io_error().map(io::Error::kind) == Some(io::ErrorKind::NotFound)
}

/// Dotfiles and editors' leftovers are never content.
fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || crate::util::layout::is_editor_leftover(&name)
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `None` when the file was deleted since it was listed.
pub(super) fn read_document(
    root: &Path,
    source: &Path,
    rel: String,
    version: u64,
) -> Option<Loaded> {
    let bytes = match std::fs::read(root.join(source)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Err(vec![Diagnostic::file(
                source,
                format!("cannot read: {e}"),
            )]));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Some(Err(vec![
                Diagnostic::at(source, &lossy, at..at + 1, "file is not valid UTF-8")
                    .with_help("save the file as UTF-8"),
            ]));
        }
    };
    Some(parse_document(source, rel, text, version).map(Arc::new))
}
