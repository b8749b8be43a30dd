//! Taxonomies, as Zola has them: the terms pages are filed under
//! (`tags = ["pricing"]`, `[taxonomies] categories = ["News"]`), each
//! term with its pages, newest first; and the pages utmost makes for them:
//! a list of the terms at `/<taxonomy>/` and a page per term at
//! `/<taxonomy>/<term>/`, entries of their own ([`PageKind::TaxonomyList`],
//! [`PageKind::Term`]) so that they are placed, rendered, listed in the
//! sitemap and re-rendered on a change like any page.
//!
//! Terms whose slugs are equal are one term (Zola's rule): `Rust` and
//! `rust` make one page, named as the first of them in the order of slugs,
//! then names. A taxonomy without terms makes no page. The `tags` every
//! site has makes pages only with a theme that has their templates; a
//! taxonomy declared in site.toml needs them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Entry, PageKind, Templates, UrlPath};
use crate::diagnostic::{Diagnostic, Kind, Name};
use crate::markdown::headings::InsertAnchor;
use crate::source::config::{SiteConfig, TaxonomyConfig};
use crate::source::content::{Document, FileKind, FrontMatter};
use crate::util::layout::TEMPLATES_DIR;
use crate::util::slug::slugify;

/// The generic templates of a taxonomy's pages, when it has no
/// `<name>/list.html` and `<name>/single.html` of its own.
const LIST_TEMPLATE: &str = "taxonomy_list.html";
const SINGLE_TEMPLATE: &str = "taxonomy_single.html";

/// A taxonomy of the site, with its terms.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    pub config: TaxonomyConfig,
    /// Its list page's path: `/tags/`.
    pub path: UrlPath,
    /// The entry of its list page, when it is built.
    pub entry: Option<usize>,
    /// Sorted by slug (unique: equal slugs are one term).
    pub terms: Vec<Term>,
}

/// One term of a taxonomy, with its pages.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// As first written (see the module's note on equal slugs).
    pub name: String,
    pub slug: String,
    /// `/tags/pricing/`.
    pub path: UrlPath,
    /// Entries of the pages filed under it: newest first, undated last,
    /// then by title and path.
    pub pages: Vec<usize>,
    /// The entry of its page, when it is built.
    pub entry: Option<usize>,
}

/// Gathers every taxonomy's terms from the pages, reporting a taxonomy
/// that site.toml does not declare where a page names it; then adds an
/// entry for each page they make (after every other entry, so that no
/// index of the others changes).
pub(super) fn build(
    config: &SiteConfig,
    entries: &mut Vec<Entry>,
    templates: &dyn Templates,
    home: Option<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut taxonomies: Vec<Taxonomy> = (config.taxonomies.iter())
        .map(|c| Taxonomy {
            path: UrlPath::folder([c.slug.as_str()]),
            config: c.clone(),
            entry: None,
            terms: Vec::new(),
        })
        .collect();
    gather_terms(&mut taxonomies, entries, diagnostics);
    for (t, taxonomy) in taxonomies.iter_mut().enumerate() {
        if taxonomy.terms.is_empty() || !taxonomy.config.render {
            continue;
        }
        let Some((list, single)) = templates_of(&taxonomy.config, templates, diagnostics) else {
            continue;
        };
        add_entries(config, taxonomy, t, (list, single), entries, home);
    }
    taxonomies
}

/// A term as gathered: the names it is written with, its pages.
type Found = (Vec<String>, Vec<usize>);

/// Files each page's terms under their taxonomy, merging equal slugs.
fn gather_terms(taxonomies: &mut [Taxonomy], entries: &[Entry], diagnostics: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = taxonomies.iter().map(|t| t.config.name.as_str()).collect();
    // By taxonomy: term slug → (names as written, pages).
    let mut found: Vec<BTreeMap<String, Found>> = vec![BTreeMap::new(); taxonomies.len()];
    // Sections keep their `tags` for templates; only pages are filed, and
    // only those written (`render = false` makes no page to list).
    let pages =
        (entries.iter().enumerate()).filter(|(_, e)| !e.doc.is_section() && e.front().zola.render);
    for (i, entry) in pages {
        for terms in &entry.front().blog.taxonomies {
            let Some(t) = names.iter().position(|n| *n == terms.taxonomy) else {
                let d = entry.doc.unknown(
                    terms.span.clone(),
                    Name::Taxonomy,
                    &terms.taxonomy,
                    names.iter().copied(),
                );
                diagnostics.push(d);
                continue;
            };
            for term in &terms.terms {
                let (written, pages) = found[t].entry(slugify(term)).or_default();
                if !written.contains(term) {
                    written.push(term.clone());
                }
                if pages.last() != Some(&i) {
                    pages.push(i);
                }
            }
        }
    }
    for (taxonomy, terms) in taxonomies.iter_mut().zip(found) {
        taxonomy.terms = (terms.into_iter())
            .map(|(slug, (mut written, mut pages))| {
                written.sort();
                sort_pages(&mut pages, entries);
                Term {
                    name: written.swap_remove(0),
                    path: taxonomy.path.child(&slug),
                    slug,
                    pages,
                    entry: None,
                }
            })
            .collect();
    }
}

/// Newest first (undated last), then by title and path, as a section
/// sorted by date lists them.
fn sort_pages(pages: &mut [usize], entries: &[Entry]) {
    use std::cmp::Reverse;
    pages.sort_by_cached_key(|&i| {
        let e = &entries[i];
        (
            Reverse(e.front().date.clone()),
            e.title.to_lowercase(),
            e.path.clone(),
        )
    });
}

/// The templates of a taxonomy's list and term pages: its own, else the
/// generic ones. `None` when the theme lacks them: an error for a declared
/// taxonomy, and no pages for the `tags` every site has.
fn templates_of(
    config: &TaxonomyConfig,
    templates: &dyn Templates,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, String)> {
    let pick = |own: String, generic: &str| match templates.has(&own) {
        true => Some(own),
        false => templates.has(generic).then(|| generic.to_string()),
    };
    let list = pick(format!("{}/list.html", config.name), LIST_TEMPLATE);
    let single = pick(format!("{}/single.html", config.name), SINGLE_TEMPLATE);
    match (list, single) {
        (Some(list), Some(single)) => Some((list, single)),
        (list, _) => {
            if config.declared {
                let (missing, own) = match list {
                    None => (LIST_TEMPLATE, "list.html"),
                    Some(_) => (SINGLE_TEMPLATE, "single.html"),
                };
                let path = PathBuf::from(TEMPLATES_DIR).join(missing);
                let name = &config.name;
                let message = format!("no template `{missing}` for the pages of taxonomy `{name}`");
                let help = format!(
                    "add {} (or {TEMPLATES_DIR}/{name}/{own}), or set `render = false` on taxonomy `{name}` in site.toml",
                    path.display()
                );
                let d = Diagnostic::file(&path, message).with_help(help);
                diagnostics.push(d.kind(Kind::Template));
            }
            None
        }
    }
}

/// The entries of a taxonomy's list page and term pages.
fn add_entries(
    config: &SiteConfig,
    taxonomy: &mut Taxonomy,
    t: usize,
    (list, single): (String, String),
    entries: &mut Vec<Entry>,
    home: Option<usize>,
) {
    let list_entry = entries.len();
    let title = capitalized(&taxonomy.config.name);
    let mut list_page = generated(config, &taxonomy.path, &title, list, home);
    list_page.slug = taxonomy.config.slug.clone();
    list_page.kind = PageKind::TaxonomyList(t);
    entries.push(list_page);
    taxonomy.entry = Some(list_entry);
    for (k, term) in taxonomy.terms.iter_mut().enumerate() {
        let mut page = generated(
            config,
            &term.path,
            &term.name,
            single.clone(),
            Some(list_entry),
        );
        page.slug = term.slug.clone();
        page.kind = PageKind::Term(t, k);
        page.pages = term.pages.clone();
        term.entry = Some(entries.len());
        entries.push(page);
    }
}

/// An entry utmost makes for a taxonomy's page at `path`.
fn generated(
    config: &SiteConfig,
    path: &UrlPath,
    title: &str,
    template: String,
    parent: Option<usize>,
) -> Entry {
    let doc = Document {
        // No file: the page is named by its URL where a file would be.
        source: PathBuf::from(path.as_str()),
        rel: path.to_string(),
        text: String::new(),
        body_start: 0,
        kind: FileKind::Page,
        front: FrontMatter {
            title: Some(title.to_string()),
            ..FrontMatter::empty(FileKind::Page)
        },
        version: 0,
    };
    Entry {
        doc: Arc::new(doc),
        path: path.clone(),
        slug: String::new(),
        parent,
        pages: Vec::new(),
        subsections: Vec::new(),
        campaign: config.default_campaign.clone(),
        form: None,
        title: title.to_string(),
        template,
        kind: PageKind::Page,
        generated: true,
        qr_landing: None,
        anchors: InsertAnchor::None,
        key: 0,
    }
}

/// `tags` → `Tags`: a list page's title.
fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
