//! Stage 2, the site: documents placed at URLs, with sections, campaigns,
//! forms, templates and variants resolved and checked.
//!
//! `assemble` turns the loaded [`Content`] into a [`Site`] in which every
//! entry knows its path, parent, children, campaign, template and role
//! ([`PageKind`]), so that rendering never has to look anything up that
//! could fail. All problems of the whole site are collected. No Markdown or
//! template is rendered here. The section tree is `tree.rs`, names resolved
//! `references.rs`, URLs `urls.rs` and `url_path.rs`, the outputs (variants,
//! rep copies, QR landings, assets) `outputs.rs`, `@/` links `links.rs`,
//! forms' success pages `form_pages.rs`; the blog's taxonomies
//! `taxonomies.rs`, paginated listings `pagination.rs`, redirects
//! `redirects.rs` and feeds `feeds.rs`; short links `short_links.rs`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Kind};
use crate::markdown::headings::InsertAnchor;
use crate::model::variant::VariantId;
use crate::source::config::SiteConfig;
use crate::source::content::{Content, Document, FrontMatter, HOME_FILE};
use crate::source::theme::Theme;

/// The folder of content/ where the collateral library lives.
const COLLATERAL_FOLDER: &str = "collateral";

mod feeds;
mod form_pages;
mod kind;
mod links;
mod outputs;
mod pagination;
mod redirects;
mod references;
mod short_links;
mod taxonomies;
mod tree;
mod url_path;
mod urls;

pub(crate) use feeds::{Feed, FeedScope};
pub(crate) use kind::PageKind;
use outputs::{check_collateral, check_landing_links, list_outputs, place_assets};
pub(crate) use pagination::Paging;
pub(crate) use redirects::{Redirect, RedirectTarget};
pub(crate) use short_links::{SALES_MEDIUM, SALES_SOURCE, ShortFor, ShortLink, ShortLinks};
pub(crate) use taxonomies::{Taxonomy, Term};
pub(crate) use url_path::UrlPath;
pub(crate) use urls::folder_url;
use urls::{place, slug_of};

/// A page or section placed in the site.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub doc: Arc<Document>,
    /// Root-relative URL path with slashes at both ends: `/blog/post/`.
    pub path: UrlPath,
    pub slug: String,
    pub parent: Option<usize>,
    /// Sections: their pages, sorted by the section's `sort_by`.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub campaign: Option<String>,
    /// The page's form (front matter `form`), when site.toml declares it.
    pub form: Option<String>,
    /// What the page is called, in its HTML and in the manifest alike: its
    /// `title`, else the site's title for the home page, else its slug.
    pub title: String,
    pub template: String,
    /// What the page is for, by its template.
    pub kind: PageKind,
    /// Made by utmost (a missing home or collateral section), not a file.
    pub generated: bool,
    /// Collateral: the path its QR code leads to.
    pub qr_landing: Option<UrlPath>,
    /// Where its headings get anchor links: a section's own
    /// `insert_anchor_links`, a page's section's.
    pub anchors: InsertAnchor,
    /// What the entry renders from besides what all pages share: its file
    /// (by version) and what the site made of it. See [`Entry::rekey`].
    pub key: u64,
}

impl Entry {
    pub(crate) fn front(&self) -> &FrontMatter {
        &self.doc.front
    }

    pub(crate) fn title(&self) -> &str {
        &self.title
    }

    /// Printed collateral (a one-pager).
    pub(crate) fn is_collateral(&self) -> bool {
        self.kind == PageKind::OnePager
    }

    /// Sets `key` from the entry's fields; called whenever they change.
    pub(crate) fn rekey(&mut self) {
        self.key = crate::util::fnv::hash_of([(
            self.doc.version,
            &self.path,
            &self.slug,
            &self.campaign,
            &self.form,
            &self.title,
            &self.template,
            self.generated,
            &self.qr_landing,
            self.anchors,
        )]);
    }
}

/// One HTML output: an entry, one of its variants, or a rep's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    pub entry: usize,
    /// Index into the entry's `variants`; `None` is variant `a`.
    pub variant: Option<usize>,
    /// The rep whose personal copy of collateral this is.
    pub rep: Option<String>,
    /// Which page of a paginated listing this is: 1 for the entry itself
    /// (paginated or not), 2 and on for the pages after.
    pub pager: usize,
    pub path: UrlPath,
}

impl Output {
    /// The entry itself: variant `a`, no rep, the first page of a listing.
    pub(crate) fn is_main(&self) -> bool {
        self.variant.is_none() && self.rep.is_none() && self.pager <= 1
    }

    /// The entry's own output, at its path.
    pub(crate) fn main(entry: usize, path: UrlPath) -> Output {
        Output {
            entry,
            variant: None,
            rep: None,
            pager: 1,
            path,
        }
    }
}

/// A file of content/ copied to the output.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    pub source: PathBuf,
    /// Relative to the output directory, with `/`.
    pub output: String,
}

/// Cheap to clone: a rebuild after an edit that leaves the front matter as
/// it was clones the site and swaps in the edited entries.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub config: SiteConfig,
    pub entries: Vec<Arc<Entry>>,
    pub outputs: Arc<Vec<Output>>,
    /// The entries that are not written (`render = false`), each as the
    /// output it would be: their bodies are rendered for templates.
    pub unwritten: Arc<Vec<Output>>,
    pub assets: Arc<Vec<Asset>>,
    /// The short links, `/go/<code>/`.
    pub short_links: Arc<ShortLinks>,
    /// The taxonomies, `tags` always among them, with their terms.
    pub taxonomies: Arc<Vec<Taxonomy>>,
    /// Every redirect the site makes: aliases, listings' first pages,
    /// sections that redirect.
    pub redirects: Arc<Vec<Redirect>>,
    /// Every feed the site writes.
    pub feeds: Arc<Vec<Feed>>,
    by_rel: Arc<HashMap<String, links::Named>>,
    /// Content files that exist but could not be used (their front matter
    /// is broken): links to them are not broken links.
    failed: Arc<HashSet<String>>,
}

impl Site {
    /// The URL path of a content file named relative to content/.
    pub(crate) fn link(&self, rel: &str) -> Option<&UrlPath> {
        self.by_rel.get(rel).map(|n| &self.entries[n.index].path)
    }

    /// The title of an output: its variant's `title`, else its entry's.
    pub(crate) fn title(&self, output: &Output) -> &str {
        let entry = &self.entries[output.entry];
        output
            .variant
            .and_then(|v| entry.front().variants[v].title.as_deref())
            .filter(|t| !t.is_empty())
            .unwrap_or(&entry.title)
    }

    /// Which version of its page an output is.
    pub(crate) fn variant_id(&self, output: &Output) -> VariantId<'_> {
        let entry = &self.entries[output.entry];
        match output.variant {
            Some(v) => VariantId::Declared(entry.front().variants[v].id.get_ref()),
            None => VariantId::Page,
        }
    }

    pub(crate) fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// The path part of `base_url` (`/docs` for `https://x.example/docs`),
    /// or empty: what root-relative links are prefixed with.
    pub(crate) fn base_path(&self) -> &str {
        let url = &self.config.base_url;
        let host_start = url.find("://").map_or(0, |i| i + 3);
        url[host_start..]
            .find('/')
            .map_or("", |i| &url[host_start + i..])
    }

    /// A root-relative link to an output path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path)
    }

    /// The entry of a content file named relative to content/.
    pub(crate) fn index_of(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).map(|n| n.index)
    }

    /// The home section (always present).
    pub(crate) fn home(&self) -> usize {
        self.index_of(HOME_FILE).unwrap_or(0)
    }
}

/// What `assemble` needs to know of the theme.
pub(crate) trait Templates {
    fn has(&self, name: &str) -> bool;
    fn names(&self) -> Vec<&str>;
}

impl Templates for Theme {
    fn has(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    fn names(&self) -> Vec<&str> {
        self.templates
            .keys()
            .filter(|n| !n.starts_with("shortcodes/"))
            .map(String::as_str)
            .collect()
    }
}

/// Templates when the theme is missing: every name is taken as known, so
/// that pages are not reported for what the missing theme would have had.
pub(crate) struct AnyTemplate;

impl Templates for AnyTemplate {
    fn has(&self, _: &str) -> bool {
        true
    }
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// A document's entry before the site places it: its slug and title,
/// nothing else known yet.
fn unplaced(doc: Arc<Document>, generated: bool, site_title: &str) -> Entry {
    let slug = slug_of(&doc);
    Entry {
        title: tree::title_of(&doc, &slug, site_title),
        doc,
        path: UrlPath::default(),
        slug,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        campaign: None,
        form: None,
        template: String::new(),
        kind: PageKind::Page,
        generated,
        qr_landing: None,
        anchors: InsertAnchor::None,
        key: 0,
    }
}

/// Places every document, checks every reference, lists every output.
pub(crate) fn assemble(
    config: SiteConfig,
    content: Content,
    templates: &dyn Templates,
) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Content {
        mut documents,
        assets,
        failed,
    } = content;
    let generated = tree::add_generated_sections(&mut documents, templates);
    // Each entry's slug, title and place are its own: found on every core
    // (one after another, they ran on the one core that assembles).
    let mut entries: Vec<Entry> = (documents.into_par_iter())
        .map(|doc| {
            let generated = generated.contains(&doc.rel);
            unplaced(doc, generated, &config.title)
        })
        .collect();
    let mut by_rel: HashMap<String, links::Named> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.doc.rel.clone(), links::Named::new(i)))
        .collect();
    tree::link_parents(&mut entries, &by_rel);
    tree::set_anchors(&mut entries);
    let placed: Vec<(UrlPath, Vec<Diagnostic>)> = (entries.par_iter())
        .map(|entry| {
            let mut found = Vec::new();
            (place(entry, &mut found), found)
        })
        .collect();
    for (entry, (path, found)) in entries.iter_mut().zip(placed) {
        entry.path = path;
        diagnostics.extend(found);
    }
    references::resolve(&config, &mut entries, templates, &mut diagnostics);
    tree::list_transparent_pages(&mut entries);
    tree::sort_children(&mut entries);
    let home = by_rel.get(HOME_FILE).map(|n| n.index);
    let taxonomies = taxonomies::build(&config, &mut entries, templates, home, &mut diagnostics);
    links::set_paths(&mut by_rel, &entries);
    let mut site = Site {
        config,
        entries: entries.into_iter().map(Arc::new).collect(),
        outputs: Arc::default(),
        unwritten: Arc::default(),
        assets: Arc::default(),
        short_links: Arc::default(),
        taxonomies: Arc::new(taxonomies),
        redirects: Arc::default(),
        feeds: Arc::default(),
        by_rel: Arc::new(by_rel),
        failed: Arc::new(failed.into_iter().collect()),
    };
    check_landing_links(&site, &mut diagnostics);
    check_collateral(&mut site, &mut diagnostics);
    for entry in &mut site.entries {
        Arc::make_mut(entry).rekey();
    }
    let (outputs, unwritten) = list_outputs(&site, &mut diagnostics);
    site.outputs = Arc::new(outputs);
    site.unwritten = Arc::new(unwritten);
    form_pages::resolve_redirects(&mut site, &mut diagnostics);
    // Short links first: an alias where one stands is the alias's error.
    site.short_links = Arc::new(short_links::collect(&site, &mut diagnostics));
    site.redirects = Arc::new(redirects::collect(&site, &mut diagnostics));
    site.feeds = Arc::new(feeds::collect(&site));
    site.assets = Arc::new(place_assets(&site, assets));
    // What assembly finds wrong in a content file is in its front matter.
    for d in &mut diagnostics {
        if d.kind == Kind::Content {
            d.kind = Kind::FrontMatter;
        }
    }
    (site, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct AllTemplates;
    impl Templates for AllTemplates {
        fn has(&self, _: &str) -> bool {
            true
        }
        fn names(&self) -> Vec<&str> {
            vec![]
        }
    }

    fn doc(rel: &str, front: &str) -> Arc<Document> {
        let text = format!("+++\n{front}\n+++\n");
        let source = PathBuf::from("content").join(rel);
        Arc::new(crate::source::content::parse_document(&source, rel.into(), text, 1).unwrap())
    }

    /// The site of `documents` under a site.toml of `title`, `base_url`
    /// and `extra` keys, assembled without errors.
    fn assembled(extra: &str, documents: Vec<Arc<Document>>) -> Site {
        let toml = format!("title = \"T\"\nbase_url = \"https://t.example\"\n{extra}");
        let config = crate::source::config::parse(&toml).unwrap();
        let content = Content {
            documents,
            assets: vec![],
            failed: vec![],
        };
        let (site, errors) = assemble(config, content, &AllTemplates);
        assert!(errors.is_empty(), "{errors:?}");
        site
    }

    fn titles_in(site: &Site, section: &str) -> Vec<String> {
        let s = site.entries.iter().find(|e| e.doc.rel == section).unwrap();
        s.pages
            .iter()
            .map(|&i| site.entries[i].title().to_string())
            .collect()
    }

    #[test]
    fn sorts_sections_by_date_weight_and_title() {
        let documents = vec![
            doc("_index.md", "title = \"Home\""),
            doc("w/_index.md", "sort_by = \"weight\""),
            doc("w/a.md", "title = \"Heavy\"\nweight = 9"),
            doc("w/b.md", "title = \"None\""),
            doc("w/c.md", "title = \"Light\"\nweight = 1"),
            doc("d/_index.md", ""),
            doc("d/a.md", "title = \"Old\"\ndate = 2020-01-01"),
            doc("d/b.md", "title = \"Undated\""),
            doc("d/c.md", "title = \"New\"\ndate = 2026-01-01"),
            doc("t/_index.md", "sort_by = \"title\""),
            doc("t/a.md", "title = \"beta\""),
            doc("t/b.md", "title = \"Alpha\""),
            doc("u/_index.md", "sort_by = \"update_date\""),
            doc("u/a.md", "title = \"Dated\"\ndate = 2026-02-01"),
            doc(
                "u/b.md",
                "title = \"Updated\"\ndate = 2020-01-01\nupdated = 2026-03-01",
            ),
            doc("b/_index.md", "sort_by = \"title_bytes\""),
            doc("b/a.md", "title = \"beta\""),
            doc("b/b.md", "title = \"Alpha\""),
            doc("n/_index.md", "sort_by = \"none\""),
            doc("n/b.md", "title = \"A\""),
            doc("n/a.md", "title = \"B\""),
        ];
        let site = assembled("", documents);
        assert_eq!(titles_in(&site, "w/_index.md"), ["Light", "Heavy", "None"]);
        assert_eq!(titles_in(&site, "d/_index.md"), ["New", "Old", "Undated"]);
        assert_eq!(titles_in(&site, "t/_index.md"), ["Alpha", "beta"]);
        assert_eq!(titles_in(&site, "u/_index.md"), ["Updated", "Dated"]);
        assert_eq!(titles_in(&site, "b/_index.md"), ["Alpha", "beta"]);
        assert_eq!(titles_in(&site, "n/_index.md"), ["B", "A"]);
    }

    #[test]
    fn a_feed_holds_the_newest_pages_newest_first_then_by_path() {
        // Forty pages in no order, four to a date: the fifth newest ties
        // with pages left out, and the path decides.
        let mut documents = vec![doc("_index.md", "")];
        for j in (0..40).map(|i| i * 17 % 40) {
            let date = format!("2026-01-{:02}", 10 + j / 4);
            documents.push(doc(&format!("p{j:02}.md"), &format!("date = {date}")));
        }
        let site = assembled("feed_limit = 5\n", documents);
        let feed = site
            .feeds
            .iter()
            .find(|f| f.scope == FeedScope::Site)
            .unwrap();
        let rels: Vec<&str> = (feed.pages.iter())
            .map(|&i| site.entries[i].doc.rel.as_str())
            .collect();
        assert_eq!(rels, ["p36.md", "p37.md", "p38.md", "p39.md", "p32.md"]);
    }
}
