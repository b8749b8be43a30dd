//! `@/` links ([`AtLink`]), resolved in one place: where a content file
//! named in a link leads, the content files a link may name (for
//! suggestions), and the error for a link that leads nowhere. A file that exists but was left out for its own errors is
//! no broken link: its errors are reported where they are.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Kind, Name, Unknown};
use crate::model::at_link::AtLink;
use crate::source::content::{Document, section_file};

use super::urls::parent_folder;
use super::{Entry, Site, UrlPath};

/// What an `@/` link (without `@/`) leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target<'a> {
    /// The URL path of the page.
    Page(&'a UrlPath),
    /// A page its front matter keeps from being written (`render = false`).
    Unwritten,
    /// A file that exists but has errors of its own (already reported).
    Failed,
    /// No such content file.
    Missing,
}

/// A content file's entry, and where a link to it leads (`None`: its
/// front matter keeps it from being written). Kept beside the file's name,
/// so that resolving a link reads no entry: reaching into the entry's front
/// matter for each of a body's links was 3 % of a 10,000-page build, most
/// of it waiting on memory.
#[derive(Debug, Clone)]
pub(super) struct Named {
    pub(super) index: usize,
    path: Option<UrlPath>,
}

impl Named {
    /// Entry `index`, its path not known yet (see [`set_paths`]).
    pub(super) fn new(index: usize) -> Named {
        Named { index, path: None }
    }
}

/// Sets where links to each content file lead; call once `entries` are
/// placed. (The entries are read in order, and the table takes their paths
/// by index: looking each entry up from the table was 4 ms at 10,000 pages,
/// on the one core that assembles the site.)
pub(super) fn set_paths(by_rel: &mut HashMap<String, Named>, entries: &[Entry]) {
    let mut paths: Vec<Option<UrlPath>> = (entries.iter())
        .map(|e| e.front().zola.render.then(|| e.path.clone()))
        .collect();
    for named in by_rel.values_mut() {
        named.path = paths.get_mut(named.index).and_then(Option::take);
    }
}

impl Site {
    /// Where a content file named relative to content/ leads.
    pub(crate) fn target(&self, rel: &str) -> Target<'_> {
        let named = self.by_rel.get(rel);
        // The table keeps a copy of each path (see `Named`): nothing may
        // move an entry once the table is filled.
        debug_assert!(named.is_none_or(|n| {
            (n.path.as_ref()).is_none_or(|p| *p == self.entries[n.index].path)
        }));
        match named {
            Some(Named {
                path: Some(path), ..
            }) => Target::Page(path),
            Some(Named { path: None, .. }) => Target::Unwritten,
            None if self.failed.contains(rel) => Target::Failed,
            None => Target::Missing,
        }
    }

    /// Every content file an `@/` link may name (for suggestions), sorted.
    pub(crate) fn content_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = (self.entries.iter())
            .filter(|e| !e.generated)
            .map(|e| e.doc.rel.as_str())
            .chain(self.failed.iter().map(String::as_str))
            .collect();
        files.sort_unstable();
        files
    }

    /// Where an `@/` link leads: the root-relative URL of the page it
    /// names, its fragment kept. `Err(None)` for a file left out for its
    /// own errors (they are reported), `Err(Some(_))` for no such file.
    /// Markdown and templates resolve their links here.
    pub(crate) fn resolve(&self, link: AtLink<'_>) -> Result<String, Option<Unknown>> {
        let file = link.file();
        match self.target(file) {
            Target::Page(path) => Ok(link.with_fragment(self.url(path))),
            Target::Failed => Err(None),
            Target::Unwritten => Err(Some(unwritten(file))),
            Target::Missing => Err(Some(Unknown::new(Name::Page, file, self.content_files()))),
        }
    }

    /// The error for an `@/` link to `rel` at `span` of `doc`, unless it
    /// leads to a page (or to a file whose own errors are reported).
    pub(crate) fn broken_link(
        &self,
        doc: &Document,
        span: std::ops::Range<usize>,
        rel: &str,
    ) -> Option<Diagnostic> {
        match self.target(rel) {
            Target::Page(_) | Target::Failed => None,
            Target::Unwritten => {
                let Unknown { message, help, .. } = unwritten(rel);
                Some(doc.error(span, message).with_help(help).kind(Kind::Link))
            }
            Target::Missing => Some(
                doc.unknown(span, Name::Page, rel, self.content_files())
                    .kind(Kind::Link),
            ),
        }
    }

    /// Whether a section above `doc` was left out for its errors (so what
    /// `doc` would inherit from it is unknown).
    pub(crate) fn under_failed_section(&self, doc: &Document) -> bool {
        if self.failed.is_empty() {
            return false;
        }
        let mut folder = doc.folder();
        if doc.is_folder() {
            folder = parent_folder(folder);
        }
        loop {
            if self.failed.contains(&section_file(folder)) {
                return true;
            }
            if folder.is_empty() {
                return false;
            }
            folder = parent_folder(folder);
        }
    }
}

/// A link to a page that is not written: it would lead nowhere.
fn unwritten(rel: &str) -> Unknown {
    Unknown {
        name: rel.to_string(),
        what: Name::Page,
        message: format!("`@/{rel}` is not written: its front matter says `render = false`"),
        help: "link to a page that is written, or let this one be (remove `render = false`)".into(),
    }
}
