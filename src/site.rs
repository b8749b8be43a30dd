//! The site: documents placed at URLs, with sections, campaigns, forms,
//! templates and variants resolved and checked.
//!
//! `assemble` turns the loaded [`Content`] into a [`Site`] in which every
//! entry knows its path, parent, children, campaign and template, so that
//! rendering never has to look anything up that could fail. All problems of
//! the whole site are collected. No Markdown or template is rendered here.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{CONTENT_DIR, Content, Document, FrontMatter, SortBy};
use crate::diagnostic::Diagnostic;

pub const ONE_PAGER: &str = "one-pager.html";
pub const COLLATERAL_TEMPLATE: &str = "collateral.html";
const COLLATERAL_FOLDER: &str = "collateral";

/// A page or section placed in the site.
#[derive(Debug, Clone)]
pub struct Entry {
    pub doc: Arc<Document>,
    /// Root-relative URL path with slashes at both ends: `/blog/post/`.
    pub path: String,
    pub slug: String,
    pub parent: Option<usize>,
    /// Sections: their pages, sorted by the section's `sort_by`.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub campaign: Option<String>,
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
    pub fn front(&self) -> &FrontMatter {
        &self.doc.front
    }

    pub fn title(&self) -> &str {
        self.doc.front.title.as_deref().unwrap_or(&self.slug)
    }

    pub fn is_collateral(&self) -> bool {
        self.template == ONE_PAGER
    }

    /// Sets `key` from the entry's fields; called whenever they change.
    pub fn rekey(&mut self) {
        self.key = crate::fnv::hash_of([(
            self.doc.version,
            &self.path,
            &self.slug,
            &self.campaign,
            &self.template,
            self.generated,
            &self.qr_landing,
        )]);
    }
}

/// One HTML output: an entry, one of its variants, or a rep's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub entry: usize,
    /// Index into the entry's `variants`; `None` is variant `a`.
    pub variant: Option<usize>,
    /// The rep whose personal copy of collateral this is.
    pub rep: Option<String>,
    pub path: String,
}

impl Output {
    /// The entry itself: variant `a`, no rep.
    pub fn is_main(&self) -> bool {
        self.variant.is_none() && self.rep.is_none()
    }
}

/// A file of content/ copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Relative to the output directory, with `/`.
    pub output: String,
}

#[derive(Debug, Clone)]
/// Cheap to clone: a rebuild after an edit that leaves the front matter as
/// it was clones the site and swaps in the edited entries.
pub struct Site {
    pub config: SiteConfig,
    pub entries: Vec<Arc<Entry>>,
    pub outputs: Arc<Vec<Output>>,
    pub assets: Arc<Vec<Asset>>,
    by_rel: Arc<HashMap<String, usize>>,
}

impl Site {
    /// The URL path of a content file named relative to content/.
    pub fn link(&self, rel: &str) -> Option<&str> {
        self.by_rel.get(rel).map(|&i| self.entries[i].path.as_str())
    }

    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// The path part of `base_url` (`/docs` for `https://x.example/docs`),
    /// or empty: what root-relative links are prefixed with.
    pub fn base_path(&self) -> &str {
        let url = &self.config.base_url;
        let host_start = url.find("://").map_or(0, |i| i + 3);
        url[host_start..]
            .find('/')
            .map_or("", |i| &url[host_start + i..])
    }

    /// A root-relative link to an output path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path)
    }

    /// The entry of a content file named relative to content/.
    pub fn index_of(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).copied()
    }

    /// The home section (always present).
    pub fn home(&self) -> usize {
        self.by_rel.get("_index.md").copied().unwrap_or(0)
    }
}

/// What `assemble` needs to know of the theme.
pub trait Templates {
    fn has(&self, name: &str) -> bool;
    fn names(&self) -> Vec<&str>;
}

/// Places every document, checks every reference, lists every output.
pub fn assemble(
    config: SiteConfig,
    content: Content,
    templates: &dyn Templates,
) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Content {
        mut documents,
        assets,
    } = content;
    let generated = add_generated_sections(&mut documents, templates);
    let mut entries: Vec<Entry> = documents
        .into_iter()
        .map(|doc| {
            let slug = slug_of(&doc);
            let doc_rel = doc.rel.clone();
            Entry {
                doc,
                path: String::new(),
                slug,
                parent: None,
                pages: Vec::new(),
                subsections: Vec::new(),
                campaign: None,
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
    };
    check_landing_links(&site, &mut diagnostics);
    check_collateral(&mut site, &mut diagnostics);
    for entry in &mut site.entries {
        Arc::make_mut(entry).rekey();
    }
    site.outputs = Arc::new(list_outputs(&site, &mut diagnostics));
    site.assets = Arc::new(place_assets(&site, assets));
    (site, diagnostics)
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

fn slug_of(doc: &Document) -> String {
    if let Some(slug) = &doc.front.slug {
        return slug.get_ref().clone();
    }
    let name = if doc.is_section || doc.is_bundle {
        doc.folder().rsplit('/').next().unwrap_or("")
    } else {
        let file = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
        file.strip_suffix(".md").unwrap_or(file)
    };
    slugify(name)
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

fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The URL path of one entry.
fn place(entry: &Entry, diagnostics: &mut Vec<Diagnostic>) -> String {
    let doc = &entry.doc;
    if let Some(path) = &doc.front.path {
        return match clean_path(path.get_ref()) {
            Some(p) => p,
            None => {
                diagnostics.push(
                    doc.error(
                        path.span(),
                        format!("`path` `{}` is not a safe URL path", path.get_ref()),
                    )
                    .with_help(
                        "use segments of letters, digits, `-` and `_`, like `/offers/spring/`",
                    ),
                );
                folder_url(doc.folder())
            }
        };
    }
    if let Some(slug) = &doc.front.slug
        && !is_safe_segment(slug.get_ref())
    {
        diagnostics.push(
            doc.error(
                slug.span(),
                format!("`slug` `{}` is not a safe URL segment", slug.get_ref()),
            )
            .with_help("a slug is one path segment, like `spring-offer`; no `/`, `.` or `..`"),
        );
    }
    if doc.is_section {
        return folder_url(doc.folder());
    }
    let folder = if doc.is_bundle {
        parent_folder(doc.folder())
    } else {
        doc.folder()
    };
    format!("{}{}/", folder_url(folder), entry.slug)
}

/// `blog/Case Studies` → `/blog/case-studies/`.
pub fn folder_url(folder: &str) -> String {
    let mut url = String::from("/");
    for segment in folder.split('/').filter(|s| !s.is_empty()) {
        url.push_str(&slugify(segment));
        url.push('/');
    }
    url
}

fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| {
            c == '/' || c == '\\' || c.is_control() || c.is_whitespace() || "?#%\"<>".contains(c)
        })
}

/// A front-matter `path` as `/a/b/`, or `None` if any segment is unsafe.
fn clean_path(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().all(|s| is_safe_segment(s)) {
        Some(
            segments
                .iter()
                .fold(String::from("/"), |acc, s| acc + s + "/"),
        )
    } else {
        None
    }
}

/// Lowercase letters and digits; every other run becomes one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
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
                diagnostics.push(
                    doc.error(c.span(), format!("unknown campaign `{}`", c.get_ref()))
                        .suggest(c.get_ref(), config.campaigns.keys().map(String::as_str))
                        .or_help("campaigns are declared in site.toml as `[campaigns.<id>]`"),
                );
                None
            }
            None => None,
        };
        if let Some(f) = &front.form
            && !config.forms.contains_key(f.get_ref())
        {
            diagnostics.push(
                doc.error(f.span(), format!("unknown form `{}`", f.get_ref()))
                    .suggest(f.get_ref(), config.forms.keys().map(String::as_str))
                    .or_help("forms are declared in site.toml as `[forms.<id>]`"),
            );
        }
        let template = choose_template(entries, i, templates);
        if let Some(t) = &entries[i].doc.front.template
            && !templates.has(t.get_ref())
        {
            let doc = &entries[i].doc;
            diagnostics.push(
                doc.error(t.span(), format!("unknown template `{}`", t.get_ref()))
                    .suggest(t.get_ref(), templates.names())
                    .or_help("templates live in templates/ or themes/<theme>/templates/"),
            );
        }
        entries[i].template = template;
        entries[i].campaign = campaign;
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

fn check_landing_links(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for entry in &site.entries {
        let Some(landing) = &entry.doc.front.landing else {
            continue;
        };
        let target = landing.get_ref().strip_prefix("@/");
        if target.is_none_or(|t| site.link(t).is_none()) {
            diagnostics.push(
                entry
                    .doc
                    .error(
                        landing.span(),
                        format!(
                            "`landing` `{}` does not name a content file",
                            landing.get_ref()
                        ),
                    )
                    .with_help("write it as an `@/` link, like `landing = \"@/spring.md\"`"),
            );
        }
    }
}

/// Every HTML output, checking that no two claim one URL.
fn list_outputs(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let mut outputs = Vec::new();
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    for (i, entry) in site.entries.iter().enumerate() {
        let mut add = |path: String, variant: Option<usize>, rep: Option<&String>| {
            if let Some(&other) = claimed.get(&path) {
                let first = &site.entries[other].doc.source;
                let span = entry
                    .doc
                    .front
                    .slug
                    .as_ref()
                    .or(entry.doc.front.path.as_ref())
                    .map(|s| s.span());
                let message = format!(
                    "two pages at one URL `{path}`: this one and {}",
                    first.display()
                );
                let d = match span {
                    Some(span) => entry.doc.error(span, message),
                    None => Diagnostic::file(&entry.doc.source, message),
                };
                diagnostics.push(d.with_help("give one of them another `slug` or file name"));
                return;
            }
            claimed.insert(path.clone(), i);
            outputs.push(Output {
                entry: i,
                variant,
                rep: rep.cloned(),
                path,
            });
        };
        add(entry.path.clone(), None, None);
        for (v, variant) in entry.doc.front.variants.iter().enumerate() {
            add(
                format!("{}{}/", entry.path, variant.id.get_ref()),
                Some(v),
                None,
            );
        }
        if entry.front().personalize && entry.is_collateral() {
            for rep in site.config.reps.keys() {
                add(format!("{}{rep}/", entry.path), None, Some(rep));
            }
        }
    }
    outputs
}

/// Collateral must be personalisable and have somewhere for its QR code
/// to lead: checks `personalize`, and finds each one-pager's landing page.
fn check_collateral(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let home = site.home();
    // Each campaign's first landing page (by path), looked up once.
    let mut campaign_landing: HashMap<&str, &str> = HashMap::new();
    for e in site.entries.iter().filter(|e| e.template == "landing.html") {
        if let Some(c) = e.campaign.as_deref() {
            let best = campaign_landing.entry(c).or_insert(e.path.as_str());
            if e.path.as_str() < *best {
                *best = e.path.as_str();
            }
        }
    }
    let landings: Vec<Option<String>> = site
        .entries
        .iter()
        .map(|entry| {
            if !entry.is_collateral() {
                return None;
            }
            if let Some(target) = entry
                .front()
                .landing
                .as_ref()
                .and_then(|l| l.get_ref().strip_prefix("@/"))
            {
                return site.link(target).map(str::to_string);
            }
            let landing = entry
                .campaign
                .as_deref()
                .and_then(|c| campaign_landing.get(c));
            Some(landing.map_or_else(|| site.entries[home].path.clone(), |p| p.to_string()))
        })
        .collect();
    for (entry, landing) in site.entries.iter_mut().zip(landings) {
        let entry = Arc::make_mut(entry);
        entry.qr_landing = landing;
        if entry.is_collateral() && entry.campaign.is_none() {
            diagnostics.push(
                Diagnostic::file(
                    &entry.doc.source,
                    "collateral needs a campaign for its QR code",
                )
                .with_help(
                    "set `campaign` in its front matter, or `default_campaign` in site.toml",
                ),
            );
        }
        let front = &entry.doc.front;
        if !front.personalize {
            continue;
        }
        let doc = &entry.doc;
        if !entry.is_collateral() {
            diagnostics.push(Diagnostic::file(
                &doc.source,
                "`personalize = true` is for one-pagers (template = \"one-pager.html\")",
            ));
        } else if site.config.reps.is_empty() {
            diagnostics.push(
                Diagnostic::file(
                    &doc.source,
                    "`personalize = true` but site.toml declares no reps",
                )
                .with_help("add reps as `[reps.<id>]` with `name`, `email` and `phone`"),
            );
        }
    }
}

/// Where each content asset goes: beside its section's or bundle's output.
fn place_assets(site: &Site, assets: Vec<(PathBuf, String)>) -> Vec<Asset> {
    let bundle_paths: HashMap<&str, &str> = site
        .entries
        .iter()
        .filter(|e| e.doc.is_bundle || e.doc.is_section)
        .map(|e| (e.doc.folder(), e.path.as_str()))
        .collect();
    assets
        .into_iter()
        .map(|(source, rel)| {
            let (folder, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
            let dir = bundle_paths
                .get(folder)
                .map_or_else(|| folder_url(folder), |p| p.to_string());
            Asset {
                source,
                output: format!("{}{name}", &dir[1..]),
            }
        })
        .collect()
}

trait OrHelp {
    fn or_help(self, help: &str) -> Self;
}

impl OrHelp for Diagnostic {
    fn or_help(self, help: &str) -> Self {
        if self.help.is_some() {
            self
        } else {
            self.with_help(help)
        }
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
        Arc::new(crate::content::parse_document(&source, rel.into(), text).unwrap())
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
            crate::config::parse("title = \"T\"\nbase_url = \"https://t.example\"\n").unwrap();
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
        };
        let (site, errors) = assemble(config, content, &AllTemplates);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(titles_in(&site, "w/_index.md"), ["Light", "Heavy", "None"]);
        assert_eq!(titles_in(&site, "d/_index.md"), ["New", "Old", "Undated"]);
        assert_eq!(titles_in(&site, "t/_index.md"), ["Alpha", "beta"]);
    }

    #[test]
    fn slugifies() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Q2 — Webinar "), "q2-webinar");
        assert_eq!(slugify("snake_case"), "snake_case");
        assert_eq!(slugify("Été"), "été");
    }

    #[test]
    fn folder_urls_and_paths() {
        assert_eq!(folder_url(""), "/");
        assert_eq!(folder_url("blog/Case Studies"), "/blog/case-studies/");
        assert_eq!(clean_path("offers/spring"), Some("/offers/spring/".into()));
        assert_eq!(clean_path("/../etc"), None);
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(is_safe_segment("spring-2026"));
    }
}
