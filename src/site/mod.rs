//! The site: documents placed at URLs, with sections, campaigns, forms,
//! templates and variants resolved and checked.
//!
//! `assemble` turns the loaded [`Content`] into a [`Site`] in which every
//! entry knows its path, parent, children, campaign and template, so that
//! rendering never has to look anything up that could fail. All problems of
//! the whole site are collected. No Markdown or template is rendered here.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Kind, Name};
use crate::source::config::SiteConfig;
use crate::source::content::{Content, Document, FrontMatter, SortBy};
use crate::source::theme::Theme;
use crate::util::layout::CONTENT_DIR;

pub(crate) const ONE_PAGER: &str = "one-pager.html";
pub(crate) const COLLATERAL_TEMPLATE: &str = "collateral.html";
const COLLATERAL_FOLDER: &str = "collateral";

mod form_pages;
mod links;
mod outputs;
mod urls;

use outputs::{check_collateral, check_landing_links, list_outputs, place_assets};
pub(crate) use urls::folder_url;
use urls::{parent_folder, place, slug_of};

/// A page or section placed in the site.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub doc: Arc<Document>,
    /// Root-relative URL path with slashes at both ends: `/blog/post/`.
    pub path: String,
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
    /// Made by utmost (a missing home or collateral section), not a file.
    pub generated: bool,
    /// Collateral: the path its QR code leads to.
    pub qr_landing: Option<String>,
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

    pub(crate) fn is_collateral(&self) -> bool {
        self.template == ONE_PAGER
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
    pub path: String,
}

impl Output {
    /// The entry itself: variant `a`, no rep.
    pub(crate) fn is_main(&self) -> bool {
        self.variant.is_none() && self.rep.is_none()
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
    pub assets: Arc<Vec<Asset>>,
    by_rel: Arc<HashMap<String, usize>>,
    /// Content files that exist but could not be used (their front matter
    /// is broken): links to them are not broken links.
    failed: Arc<HashSet<String>>,
}

impl Site {
    /// The URL path of a content file named relative to content/.
    pub(crate) fn link(&self, rel: &str) -> Option<&str> {
        self.by_rel.get(rel).map(|&i| self.entries[i].path.as_str())
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

    /// The variant id of an output: `a` for the page itself.
    pub(crate) fn variant_id(&self, output: &Output) -> &str {
        let entry = &self.entries[output.entry];
        output
            .variant
            .map_or("a", |v| entry.front().variants[v].id.get_ref().as_str())
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
        self.by_rel.get(rel).copied()
    }

    /// The home section (always present).
    pub(crate) fn home(&self) -> usize {
        self.by_rel.get("_index.md").copied().unwrap_or(0)
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
    let generated = add_generated_sections(&mut documents, templates);
    let mut entries: Vec<Entry> = documents
        .into_iter()
        .map(|doc| {
            let slug = slug_of(&doc);
            let doc_rel = doc.rel.clone();
            Entry {
                title: title_of(&doc, &slug, &config.title),
                doc,
                path: String::new(),
                slug,
                parent: None,
                pages: Vec::new(),
                subsections: Vec::new(),
                campaign: None,
                form: None,
                template: String::new(),
                generated: generated.contains(&doc_rel),
                qr_landing: None,
                key: 0,
            }
        })
        .collect();
    let by_rel: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.doc.rel.clone(), i))
        .collect();
    link_parents(&mut entries, &by_rel);
    for entry in &mut entries {
        entry.path = place(entry, &mut diagnostics);
    }
    resolve_references(&config, &mut entries, templates, &mut diagnostics);
    sort_children(&mut entries);
    let mut site = Site {
        config,
        entries: entries.into_iter().map(Arc::new).collect(),
        outputs: Arc::default(),
        assets: Arc::default(),
        by_rel: Arc::new(by_rel),
        failed: Arc::new(failed.into_iter().collect()),
    };
    check_landing_links(&site, &mut diagnostics);
    check_collateral(&mut site, &mut diagnostics);
    for entry in &mut site.entries {
        Arc::make_mut(entry).rekey();
    }
    site.outputs = Arc::new(list_outputs(&site, &mut diagnostics));
    form_pages::resolve_redirects(&mut site, &mut diagnostics);
    site.assets = Arc::new(place_assets(&site, assets));
    // What assembly finds wrong in a content file is in its front matter.
    for d in &mut diagnostics {
        if d.kind == Kind::Content {
            d.kind = Kind::FrontMatter;
        }
    }
    (site, diagnostics)
}

/// The title rule, once: the front matter's `title` unless empty, else the
/// site's title for the home page, else the slug.
fn title_of(doc: &Document, slug: &str, site_title: &str) -> String {
    match doc.front.title.as_deref().filter(|t| !t.is_empty()) {
        Some(title) => title.to_string(),
        None if doc.rel == "_index.md" => site_title.to_string(),
        None => slug.to_string(),
    }
}

/// Adds the home section when content/_index.md is missing, and the
/// collateral section when there is collateral but no collateral/_index.md.
fn add_generated_sections(
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
            is_section: true,
            is_bundle: false,
            front: FrontMatter {
                title: Some(title.to_string()),
                ..FrontMatter::default()
            },
            version: 0,
        })
    };
    if !has(documents, "_index.md") {
        documents.insert(0, generated("_index.md", ""));
        added.push("_index.md".to_string());
    }
    let rel = format!("{COLLATERAL_FOLDER}/_index.md");
    let any_collateral = documents.iter().any(|d| {
        d.front
            .template
            .as_ref()
            .is_some_and(|t| t.get_ref() == ONE_PAGER)
    });
    if any_collateral && !has(documents, &rel) && templates.has(COLLATERAL_TEMPLATE) {
        documents.push(generated(&rel, "Sales collateral"));
        added.push(rel);
    }
    added
}

/// Sets each entry's parent: the section of the nearest ancestor folder.
fn link_parents(entries: &mut [Entry], by_rel: &HashMap<String, usize>) {
    for i in 0..entries.len() {
        let doc = &entries[i].doc;
        let mut folder = doc.folder().to_string();
        if (doc.is_section || doc.is_bundle) && doc.rel != "_index.md" {
            folder = parent_folder(&folder).to_string();
        }
        let parent = loop {
            let rel = if folder.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{folder}/_index.md")
            };
            if let Some(&p) = by_rel.get(&rel)
                && p != i
            {
                break Some(p);
            }
            if folder.is_empty() {
                break None;
            }
            folder = parent_folder(&folder).to_string();
        };
        entries[i].parent = parent;
        if let Some(p) = parent {
            if entries[i].doc.is_section {
                entries[p].subsections.push(i);
            } else {
                entries[p].pages.push(i);
            }
        }
    }
}

fn resolve_references(
    config: &SiteConfig,
    entries: &mut [Entry],
    templates: &dyn Templates,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for i in 0..entries.len() {
        let doc = &entries[i].doc;
        let front = &doc.front;
        let campaign = match &front.campaign {
            Some(c) if config.campaigns.contains_key(c.get_ref()) => Some(c.get_ref().clone()),
            Some(c) => {
                let known = config.campaigns.keys().map(String::as_str);
                diagnostics.push(doc.unknown(c.span(), Name::Campaign, c.get_ref(), known));
                None
            }
            None => None,
        };
        let form = match &front.form {
            Some(f) if config.forms.contains_key(f.get_ref()) => Some(f.get_ref().clone()),
            Some(f) => {
                let known = config.forms.keys().map(String::as_str);
                diagnostics.push(doc.unknown(f.span(), Name::Form, f.get_ref(), known));
                None
            }
            None => None,
        };
        let template = choose_template(entries, i, templates);
        if let Some(t) = &entries[i].doc.front.template
            && !templates.has(t.get_ref())
        {
            let doc = &entries[i].doc;
            let known = templates.names();
            diagnostics.push(doc.unknown(t.span(), Name::Template, t.get_ref(), known));
        }
        entries[i].template = template;
        entries[i].campaign = campaign;
        entries[i].form = form;
    }
    // Inherit campaigns down the section chain, parents first.
    for i in 0..entries.len() {
        if entries[i].campaign.is_none() {
            let mut p = entries[i].parent;
            let mut hops = 0;
            while let Some(pi) = p {
                if let Some(c) = &entries[pi].doc.front.campaign
                    && config.campaigns.contains_key(c.get_ref())
                {
                    entries[i].campaign = Some(c.get_ref().clone());
                    break;
                }
                p = entries[pi].parent;
                hops += 1;
                if hops > entries.len() {
                    break;
                }
            }
            if entries[i].campaign.is_none() {
                entries[i].campaign = config.default_campaign.clone();
            }
        }
    }
}

fn choose_template(entries: &[Entry], i: usize, templates: &dyn Templates) -> String {
    let entry = &entries[i];
    if let Some(t) = &entry.doc.front.template {
        return t.get_ref().clone();
    }
    if entry.doc.is_section {
        if entry.doc.rel == "_index.md" && templates.has("index.html") {
            return "index.html".into();
        }
        if entry.doc.rel == format!("{COLLATERAL_FOLDER}/_index.md")
            && templates.has(COLLATERAL_TEMPLATE)
        {
            return COLLATERAL_TEMPLATE.into();
        }
        return "section.html".into();
    }
    entry
        .parent
        .and_then(|p| entries[p].doc.front.page_template.as_ref())
        .map_or_else(|| "page.html".into(), |t| t.get_ref().clone())
}

fn sort_children(entries: &mut [Entry]) {
    use std::cmp::Reverse;
    // Lowercased titles once per entry, not once per comparison.
    let titles: Vec<String> = entries.iter().map(|e| e.title().to_lowercase()).collect();
    for i in 0..entries.len() {
        let sort_by = entries[i].doc.front.sort_by;
        let mut pages = std::mem::take(&mut entries[i].pages);
        pages.sort_by(|&a, &b| {
            let (ea, eb) = (&entries[a], &entries[b]);
            let primary = match sort_by {
                SortBy::Date => Reverse(&ea.front().date).cmp(&Reverse(&eb.front().date)),
                // Weighted pages first, lightest first.
                SortBy::Weight => (ea.front().weight.is_none(), ea.front().weight)
                    .cmp(&(eb.front().weight.is_none(), eb.front().weight)),
                SortBy::Title => std::cmp::Ordering::Equal,
            };
            primary
                .then_with(|| titles[a].cmp(&titles[b]))
                .then_with(|| ea.path.cmp(&eb.path))
        });
        entries[i].pages = pages;
        let mut subs = std::mem::take(&mut entries[i].subsections);
        subs.sort_by(|&a, &b| {
            (entries[a].front().weight.unwrap_or(i64::MAX), &titles[a])
                .cmp(&(entries[b].front().weight.unwrap_or(i64::MAX), &titles[b]))
        });
        entries[i].subsections = subs;
    }
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
        Arc::new(crate::source::content::parse_document(&source, rel.into(), text).unwrap())
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
        let config =
            crate::source::config::parse("title = \"T\"\nbase_url = \"https://t.example\"\n")
                .unwrap();
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
        ];
        let content = Content {
            documents,
            assets: vec![],
            failed: vec![],
        };
        let (site, errors) = assemble(config, content, &AllTemplates);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles_in(&site, "w/_index.md"), ["Light", "Heavy", "None"]);
        assert_eq!(titles_in(&site, "d/_index.md"), ["New", "Old", "Undated"]);
        assert_eq!(titles_in(&site, "t/_index.md"), ["Alpha", "beta"]);
    }
}
