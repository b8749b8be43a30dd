//! Byte-for-byte snapshots of a folder, to show that a refused or failed
//! command touched nothing: every file's bytes, every folder, and every
//! symbolic link's target, by path relative to the folder.

use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Folder,
    File(Vec<u8>),
    Link(std::path::PathBuf),
}

pub type Tree = BTreeMap<String, Node>;

/// Everything under `dir` (without following links); empty when it is absent.
pub fn snapshot(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return tree;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let node = if entry.path_is_symlink() {
            Node::Link(std::fs::read_link(entry.path()).expect("link"))
        } else if entry.file_type().is_dir() {
            Node::Folder
        } else {
            Node::File(std::fs::read(entry.path()).expect("file"))
        };
        tree.insert(rel, node);
    }
    tree
}

/// Asserts that `dir` holds exactly what `before` recorded.
#[track_caller]
pub fn assert_intact(dir: &Path, before: &Tree, what: &str) {
    let after = snapshot(dir);
    if &after == before {
        return;
    }
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    panic!(
        "{what}: {} changed; first differences: {:?}",
        dir.display(),
        &changed[..changed.len().min(8)]
    );
}
