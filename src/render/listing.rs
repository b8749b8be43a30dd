//! What the templates of listings see, as Zola names it: `paginator` on a
//! paginated section or term (its pages, and links to the first, last,
//! previous and next page of the listing), `taxonomy` and `terms` on a
//! taxonomy's list page, `taxonomy` and `term` on a term's page; and
//! `feeds`, the feeds a page links to in its `<head>`.
//!
//! Listed pages are the views made once per build (`cache.rs`'s
//! `Listed`): a listing takes them by reference, whatever its length.

use serde::Serialize;
use tera::Value;

use crate::site::{FeedScope, Output, PageKind, Paging, Site, Taxonomy, Term};

/// Zola's `paginator`, but its `pages`.
#[derive(Serialize)]
struct PaginatorView {
    paginate_by: usize,
    /// The first page's permalink, then `paginate_path/`: add a number to
    /// it for that page's URL (`2/`).
    base_url: String,
    number_pagers: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    /// Which page this is, from 1.
    current_index: usize,
    /// How many pages the whole listing lists.
    total_pages: usize,
}

/// The `paginator` of `output`, page `output.pager` of a listing of
/// `pages` (entries, in listing order), each listed as `listed` makes it.
pub(super) fn paginator(
    site: &Site,
    output: &Output,
    paging: Paging<'_>,
    pages: &[usize],
    listed: &dyn Fn(usize) -> Value,
) -> Value {
    let base = &site.entries[output.entry].path;
    let count = paging.pagers(pages.len());
    let n = output.pager.clamp(1, count);
    let permalink = |n: usize| match n {
        1 => site.permalink(base),
        n => site.permalink(&paging.path(base, n)),
    };
    let view = PaginatorView {
        paginate_by: paging.by,
        base_url: match paging.folder {
            "" => site.permalink(base),
            folder => site.permalink(&base.child(folder)),
        },
        number_pagers: count,
        first: permalink(1),
        last: permalink(count),
        previous: (n > 1).then(|| permalink(n - 1)),
        next: (n < count).then(|| permalink(n + 1)),
        current_index: n,
        total_pages: pages.len(),
    };
    let start = (n - 1) * paging.by;
    let end = (start + paging.by).min(pages.len());
    let mine: Vec<Value> = match paging.reversed {
        false => pages
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .copied()
            .map(listed)
            .collect(),
        true => (pages
            .iter()
            .rev()
            .skip(start)
            .take(end.saturating_sub(start)))
        .copied()
        .map(listed)
        .collect(),
    };
    with_field(&view, "pages", Value::from(mine))
}

/// `value` serialized, with `key` added last.
fn with_field<T: Serialize>(value: &T, key: &'static str, extra: Value) -> Value {
    let Some(mut map) = Value::from_serializable(value).into_map() else {
        return Value::none();
    };
    map.insert(key.into(), extra);
    Value::from(map)
}

/// A term as templates see it (Zola's `TaxonomyTerm`), without its pages.
#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    path: String,
    permalink: String,
    page_count: usize,
}

/// A term with its pages, each as `listed` makes it (none: an empty list).
pub(super) fn term(site: &Site, term: &Term, listed: &dyn Fn(usize) -> Option<Value>) -> Value {
    let view = TermView {
        name: &term.name,
        slug: &term.slug,
        path: site.url(&term.path),
        permalink: site.permalink(&term.path),
        page_count: term.pages.len(),
    };
    let pages: Vec<Value> = term.pages.iter().map_while(|&p| listed(p)).collect();
    with_field(&view, "pages", Value::from(pages))
}

/// Zola's `get_taxonomy`: a taxonomy with each term and its pages.
pub(super) fn taxonomy(site: &Site, t: &Taxonomy, listed: &dyn Fn(usize) -> Value) -> Value {
    #[derive(Serialize)]
    struct TaxonomyView<'a> {
        kind: &'a crate::source::config::TaxonomyConfig,
        lang: &'a str,
        permalink: String,
    }
    let view = TaxonomyView {
        kind: &t.config,
        lang: &site.config.language,
        permalink: site.permalink(&t.path),
    };
    let items: Vec<Value> = (t.terms.iter())
        .map(|k| term(site, k, &|i| Some(listed(i))))
        .collect();
    with_field(&view, "items", Value::from(items))
}

/// A feed a page links to: `<link rel="alternate" type="{{ type }}"
/// title="{{ title }}" href="{{ url }}">`.
#[derive(Serialize)]
pub(super) struct FeedLink<'a> {
    pub url: String,
    #[serde(rename = "type")]
    pub media_type: &'static str,
    pub title: &'a str,
}

/// The feeds of the page of entry `i`: the site's, its own (a section's,
/// a term's) and, for a page, its section's; each in every format.
pub(super) fn feeds(site: &Site, i: Option<usize>) -> Vec<FeedLink<'_>> {
    let entry = i.map(|i| &site.entries[i]);
    let parent = entry.filter(|e| !e.doc.is_section()).and_then(|e| e.parent);
    let mine = |scope: FeedScope| match scope {
        FeedScope::Site => true,
        FeedScope::Section(s) => Some(s) == i || Some(s) == parent,
        FeedScope::Term(t, k) => entry.is_some_and(|e| e.kind == PageKind::Term(t, k)),
    };
    let formats = &site.config.feeds.formats;
    (site.feeds.iter())
        .filter(|f| mine(f.scope))
        .flat_map(|f| {
            formats.iter().map(move |format| FeedLink {
                url: site.permalink(&f.folder.file(format.file_name())),
                media_type: format.media_type(),
                title: &f.title,
            })
        })
        .collect()
}
