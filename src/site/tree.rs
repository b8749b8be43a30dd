//! The section tree: each entry's parent section and children, in the
//! order listings show them; the home page, and the collateral library,
//! when the site has none of its own; and each entry's title.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::kind::{COLLATERAL_TEMPLATE, PageKind};
use super::links::Named;
use super::urls::parent_folder;
use super::{COLLATERAL_FOLDER, Entry, Templates};
use crate::source::content::{Document, FileKind, FrontMatter, HOME_FILE, SortBy, section_file};
use crate::util::layout::CONTENT_DIR;

/// The title rule, once: the front matter's `title` unless empty, else the
/// site's title for the home page, else the slug.
pub(super) fn title_of(doc: &Document, slug: &str, site_title: &str) -> String {
    match doc.front.title.as_deref().filter(|t| !t.is_empty()) {
        Some(title) => title.to_string(),
        None if doc.is_home() => site_title.to_string(),
        None => slug.to_string(),
    }
}

/// Adds the home section when content/_index.md is missing, and the
/// collateral section when there is collateral but no collateral/_index.md.
pub(super) fn add_generated_sections(
    documents: &mut Vec<Arc<Document>>,
    templates: &dyn Templates,
) -> Vec<String> {
    let mut added = Vec::new();
    let has = |docs: &[Arc<Document>], rel: &str| docs.iter().any(|d| d.rel == rel);
    let generated = |rel: &str, title: &str| {
        Arc::new(Document {
            source: PathBuf::from(CONTENT_DIR).join(rel),
            rel: rel.to_string(),
            text: String::new(),
            body_start: 0,
            kind: FileKind::Section,
            front: FrontMatter {
                title: Some(title.to_string()),
                ..FrontMatter::empty(FileKind::Section)
            },
            version: 0,
        })
    };
    if !has(documents, HOME_FILE) {
        documents.insert(0, generated(HOME_FILE, ""));
        added.push(HOME_FILE.to_string());
    }
    let rel = section_file(COLLATERAL_FOLDER);
    let any_collateral = documents.iter().any(|d| {
        (d.front.template.as_ref())
            .is_some_and(|t| PageKind::of_template(t.get_ref()) == PageKind::OnePager)
    });
    if any_collateral && !has(documents, &rel) && templates.has(COLLATERAL_TEMPLATE) {
        documents.push(generated(&rel, "Sales collateral"));
        added.push(rel);
    }
    added
}

/// Sets each entry's parent: the section of the nearest ancestor folder.
pub(super) fn link_parents(entries: &mut [Entry], by_rel: &HashMap<String, Named>) {
    // Each entry's parent is found on every core (the folders walked up
    // and looked up are its own), then linked in order.
    let parents: Vec<Option<usize>> = (entries.par_iter().enumerate())
        .map(|(i, entry)| {
            let doc = &entry.doc;
            let mut folder = doc.folder();
            if doc.is_folder() && !doc.is_home() {
                folder = parent_folder(folder);
            }
            loop {
                if let Some(p) = by_rel.get(&section_file(folder)).map(|n| n.index)
                    && p != i
                {
                    return Some(p);
                }
                if folder.is_empty() {
                    return None;
                }
                folder = parent_folder(folder);
            }
        })
        .collect();
    for (i, parent) in parents.into_iter().enumerate() {
        entries[i].parent = parent;
        if let Some(p) = parent {
            if entries[i].doc.is_section() {
                entries[p].subsections.push(i);
            } else {
                entries[p].pages.push(i);
            }
        }
    }
}

/// Where each entry's headings get anchor links: a section's own
/// `insert_anchor_links`, a page's section's (Zola's rule).
pub(super) fn set_anchors(entries: &mut [Entry]) {
    for i in 0..entries.len() {
        let section = match entries[i].doc.is_section() {
            true => Some(i),
            false => entries[i].parent,
        };
        entries[i].anchors = section.map_or_else(Default::default, |s| {
            entries[s].front().insert_anchor_links()
        });
    }
}

/// Lists the pages of each transparent section in its parent section
/// too (and on up while that one is transparent), as Zola does.
pub(super) fn list_transparent_pages(entries: &mut [Entry]) {
    for i in 0..entries.len() {
        if entries[i].doc.is_section() {
            continue;
        }
        let mut section = entries[i].parent;
        while let Some(s) = section.filter(|&s| entries[s].front().transparent()) {
            section = entries[s].parent;
            if let Some(up) = section {
                entries[up].pages.push(i);
            }
        }
    }
}

/// Orders each section's pages by its `sort_by` (then title, then path)
/// and its subsections by weight, then title.
///
/// Each section's children are sorted apart from the others, on every
/// core (the entries are only read), then put back: sorting a large
/// site's sections one after the other was 20-25 ms at 50,000 pages, on
/// the one core that assembles the site.
pub(super) fn sort_children(entries: &mut [Entry]) {
    // Lowercased titles once per entry, not once per comparison.
    let titles: Vec<String> = (entries.par_iter())
        .map(|e| e.title().to_lowercase())
        .collect();
    let entries_read = &*entries;
    let sorted: Vec<Option<(Vec<usize>, Vec<usize>)>> = (entries_read.par_iter())
        .map(|entry| {
            if entry.pages.len() < 2 && entry.subsections.len() < 2 {
                return None;
            }
            let sort_by = entry.doc.front.sort_by();
            let mut pages = entry.pages.clone();
            pages.sort_by(|&a, &b| {
                let (ea, eb) = (&entries_read[a], &entries_read[b]);
                order(sort_by, ea, eb)
                    .then_with(|| titles[a].cmp(&titles[b]))
                    .then_with(|| ea.path.cmp(&eb.path))
            });
            let weight = |i: usize| entries_read[i].front().weight.unwrap_or(i64::MAX);
            let mut subs = entry.subsections.clone();
            subs.sort_by(|&a, &b| (weight(a), &titles[a]).cmp(&(weight(b), &titles[b])));
            Some((pages, subs))
        })
        .collect();
    for (entry, sorted) in entries.iter_mut().zip(sorted) {
        if let Some((pages, subsections)) = sorted {
            entry.pages = pages;
            entry.subsections = subsections;
        }
    }
}

/// How `sort_by` orders two pages, before their titles and paths.
fn order(sort_by: SortBy, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    use std::cmp::Reverse;
    let (fa, fb) = (a.front(), b.front());
    // The later of `date` and `updated`, as Zola's `update_date` takes it.
    fn changed(f: &FrontMatter) -> Option<&str> {
        f.date.as_deref().max(f.updated())
    }
    match sort_by {
        // Newest first, undated last.
        SortBy::Date => Reverse(&fa.date).cmp(&Reverse(&fb.date)),
        SortBy::UpdateDate => Reverse(changed(fa)).cmp(&Reverse(changed(fb))),
        // Weighted pages first, lightest first.
        SortBy::Weight => (fa.weight.is_none(), fa.weight).cmp(&(fb.weight.is_none(), fb.weight)),
        SortBy::Title => std::cmp::Ordering::Equal,
        SortBy::TitleBytes => a.title.cmp(&b.title),
        SortBy::Slug => a.slug.cmp(&b.slug),
        SortBy::Permalink => a.path.cmp(&b.path),
        SortBy::None => a.doc.rel.cmp(&b.doc.rel),
    }
}
