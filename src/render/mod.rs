//! Rendering: every output's Markdown body, then every output's template,
//! both in parallel, into HTML held in memory (path → text).
//!
//! Bodies come first because section listings show their pages' summaries.
//! Each page then gets utmost's guarantees (`html::finish_page`). Nothing is
//! written here: `output.rs` writes, `serve` may serve from memory.

pub(crate) mod body;
pub(crate) mod engine;
pub(crate) mod facts;
pub(crate) mod finish;
pub(crate) mod qr;
pub(crate) mod template_errors;
pub(crate) mod views;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::markdown::Body;
use crate::render::engine::{Engine, RenderError};
use crate::site::{Output, PageKind, Site, UrlPath};
use crate::util::fnv::{FnvBuild, hash_of};
use crate::util::progress::Progress;
pub(crate) use facts::PageFacts;
use views::{SectionView, SiteView};

/// One rendered page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Its file, relative to the output directory: `blog/post/index.html`.
    pub file: Arc<str>,
    pub html: Arc<str>,
}

/// What one output rendered to, kept so that a rebuild can reuse it.
#[derive(Clone)]
struct Cached {
    /// The output path (`/blog/post/`) and file (`blog/post/index.html`).
    path: Arc<str>,
    file: Arc<str>,
    body_key: u64,
    page_key: u64,
    body: Arc<Body>,
    html: Arc<str>,
    facts: Arc<PageFacts>,
}

/// The previous render, valid while `global` is unchanged: each output in
/// the order of that render's `site.outputs`, found by its position when the
/// site's outputs are the same (an edit in place) and by path otherwise.
#[derive(Clone, Default)]
pub(crate) struct RenderCache {
    global: u64,
    /// The outputs rendered, and what each rendered to, in that order.
    rendered: Arc<Vec<Output>>,
    outputs: Vec<Cached>,
    by_path: OnceLock<HashMap<Arc<str>, usize, FnvBuild>>,
    /// By entry: its view in section listings, with the key it was made for.
    listed: Vec<Option<(u64, Value)>>,
}

impl RenderCache {
    /// The key of what all pages shared when this was rendered.
    pub(crate) fn global(&self) -> u64 {
        self.global
    }

    /// What output `path`, now at position `i` of `outputs`, rendered to
    /// last time.
    fn get(&self, outputs: &Arc<Vec<Output>>, i: usize, path: &str) -> Option<&Cached> {
        // An edit in place keeps the very list of outputs: no need to look.
        if Arc::ptr_eq(outputs, &self.rendered) {
            return self.outputs.get(i);
        }
        if let Some(c) = self.outputs.get(i).filter(|c| &*c.path == path) {
            return Some(c);
        }
        let by_path = self.by_path.get_or_init(|| {
            self.outputs
                .iter()
                .enumerate()
                .map(|(i, c)| (c.path.clone(), i))
                .collect()
        });
        by_path.get(path).map(|&i| &self.outputs[i])
    }
}

/// The rendered pages, and the forms found on each.
pub(crate) struct Rendered {
    pub pages: Vec<Page>,
    /// How many outputs were rendered anew (the rest were reused).
    pub fresh: usize,
    /// By output, in the order of `site.outputs`.
    pub facts: Vec<Arc<PageFacts>>,
    pub cache: RenderCache,
}

/// Renders every page, reusing from `previous` every output whose inputs
/// are unchanged (`global` covers what all pages share: configuration,
/// templates and URLs). Collects every error. A page whose template has
/// errors of its own (reported when it was loaded, or in the page's front
/// matter) is left out; the result is then an error, perhaps with no
/// diagnostic of its own.
pub(crate) fn render_site(
    site: &Arc<Site>,
    engine: &Engine,
    progress: &Progress,
    global: u64,
    previous: Option<&RenderCache>,
    rebuilds: bool,
) -> Result<Rendered, Vec<Diagnostic>> {
    let previous = previous.filter(|p| p.global == global);
    let reuse = |i: usize, path: &str| previous.and_then(|p| p.get(&site.outputs, i, path));
    let keys = Keys::new(site);
    progress.stage("rendering", site.outputs.len() * 2);
    let results: Vec<(Arc<Body>, Vec<Diagnostic>)> = site
        .outputs
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            let r = match reuse(i, &o.path).filter(|c| c.body_key == keys.body[i]) {
                Some(c) => (c.body.clone(), Vec::new()),
                None => {
                    let (body, d) = crate::render::body::render(site, engine, o);
                    (Arc::new(body), d)
                }
            };
            progress.tick();
            r
        })
        .collect();
    let mut diagnostics = Vec::new();
    let bodies: Vec<Arc<Body>> = results
        .into_iter()
        .map(|(b, d)| {
            diagnostics.extend(d);
            b
        })
        .collect();
    let script = crate::model::attribution_script::script(site.config.window_days);
    // Kept listing views serve later rebuilds; a single build would only
    // hold them in memory (28 MB at 10,000 pages) until it ends.
    let listed = Listed {
        fresh: match rebuilds {
            true => site.entries.iter().map(|_| OnceLock::new()).collect(),
            false => Vec::new(),
        },
        previous: previous.map(|p| p.listed.as_slice()),
    };
    let bodies = Bodies {
        all: &bodies,
        main_output: &keys.main_output,
        keys: &keys.body,
        listed: &listed,
    };
    let fresh = std::sync::atomic::AtomicUsize::new(0);
    let pages: Vec<Result<Cached, Option<Diagnostic>>> = site
        .outputs
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            let r = match reuse(i, &o.path)
                .filter(|c| c.page_key == keys.page[i] && c.body_key == keys.body[i])
            {
                Some(c) => Ok(c.clone()),
                None => render_page(site, engine, &bodies, i, &script).map(|html| {
                    fresh.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Cached {
                        path: o.path.as_str().into(),
                        file: o.path.index_file().into(),
                        body_key: keys.body[i],
                        page_key: keys.page[i],
                        body: bodies.all[i].clone(),
                        facts: Arc::new(PageFacts::of(&html)),
                        html: html.into(),
                    }
                }),
            };
            progress.tick();
            r
        })
        .collect();
    let mut cache = RenderCache {
        global,
        rendered: site.outputs.clone(),
        outputs: Vec::with_capacity(pages.len()),
        by_path: OnceLock::new(),
        listed: listed.keep(&bodies),
    };
    let mut out = Vec::with_capacity(pages.len() + 1);
    let mut facts = Vec::with_capacity(site.outputs.len());
    let mut failed: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut left_out = false;
    for (page, output) in pages.into_iter().zip(site.outputs.iter()) {
        match page {
            Ok(c) => {
                out.push(Page {
                    file: c.file.clone(),
                    html: c.html.clone(),
                });
                facts.push(c.facts.clone());
                cache.outputs.push(c);
            }
            Err(None) => left_out = true,
            Err(Some(d)) => {
                let source = site.entries[output.entry]
                    .doc
                    .source
                    .to_str()
                    .unwrap_or("?");
                match failed.iter_mut().find(|(f, _)| *f == d) {
                    Some((_, sources)) => sources.push(source),
                    None => failed.push((d, vec![source])),
                }
            }
        }
    }
    diagnostics.extend(
        failed
            .into_iter()
            .map(|(d, sources)| with_pages(d, &sources)),
    );
    if engine.has("404.html") && !engine.is_broken("404.html") {
        match render_404(site, engine, &script) {
            Ok(html) => out.push(Page {
                file: "404.html".into(),
                html: html.into(),
            }),
            Err(e) => diagnostics.push(e.diagnostic),
        }
    }
    // A page left out has its errors reported by an earlier stage.
    if diagnostics.is_empty() && !left_out {
        Ok(Rendered {
            pages: out,
            fresh: fresh.into_inner(),
            facts,
            cache,
        })
    } else {
        Err(diagnostics)
    }
}

/// What each output's body and page depend on, as hashes. An output is
/// re-rendered when its key changed since the last render.
struct Keys {
    body: Vec<u64>,
    page: Vec<u64>,
    /// Each entry's own (variant `a`) output.
    main_output: Vec<usize>,
}

impl Keys {
    fn new(site: &Site) -> Keys {
        let entry: Vec<u64> = site.entries.iter().map(|e| e.key).collect();
        let collateral = hash_of(
            site.entries
                .iter()
                .zip(&entry)
                .filter(|(e, _)| e.is_collateral())
                .map(|(_, k)| k),
        );
        let mut main_output = vec![0; site.entries.len()];
        let (mut body, mut page) = (Vec::new(), Vec::new());
        for (i, o) in site.outputs.iter().enumerate() {
            if o.is_main() {
                main_output[o.entry] = i;
            }
            let e = &site.entries[o.entry];
            let b = hash_of([
                entry[o.entry],
                o.variant.map_or(0, |v| v as u64 + 1),
                hash_of(&o.rep),
            ]);
            let children = hash_of(e.pages.iter().chain(&e.subsections).map(|&c| entry[c]));
            let listing = if e.kind == PageKind::CollateralLibrary {
                collateral
            } else {
                0
            };
            body.push(b);
            page.push(hash_of([b, children, listing]));
        }
        Keys {
            body,
            page,
            main_output,
        }
    }
}

/// A template error, saying which pages it broke.
fn with_pages(d: Diagnostic, sources: &[&str]) -> Diagnostic {
    let more = match sources.len() {
        0 | 1 => String::new(),
        n => format!(" and {} more page{}", n - 1, if n == 2 { "" } else { "s" }),
    };
    let note = format!("while rendering {}{more}", sources.first().unwrap_or(&"?"));
    let help = match &d.help {
        Some(h) => format!("{h} ({note})"),
        None => note,
    };
    Diagnostic {
        help: Some(help),
        ..d
    }
}

fn base_context<'a>(site: &'a Site, campaign: Option<&'a str>) -> Context {
    let mut context = Context::new();
    context.insert("site", &SiteView::new(site));
    let campaign = campaign.and_then(|c| site.config.campaigns.get(c));
    context.insert("campaign", &campaign);
    context
}

/// The rendered bodies by output, and each entry's own (variant `a`) output.
struct Bodies<'a> {
    all: &'a [Arc<Body>],
    main_output: &'a [usize],
    /// By output: what its body depends on.
    keys: &'a [u64],
    listed: &'a Listed<'a>,
}

impl Bodies<'_> {
    /// Entry `i`'s own body, and the key of what it was made from.
    fn main(&self, i: usize) -> (Option<&Body>, u64) {
        let o = self.main_output[i];
        (
            self.all.get(o).map(|b| &**b),
            self.keys.get(o).copied().unwrap_or(0),
        )
    }
}

/// Each page's view in section listings, made once and shared by reference:
/// a section listing 1,000 pages then takes 1,000 reference counts rather
/// than 1,000 fresh views, and a rebuild after an edit remakes one.
struct Listed<'a> {
    /// By entry; empty when views are not kept.
    fresh: Vec<OnceLock<Value>>,
    previous: Option<&'a [Option<(u64, Value)>]>,
}

impl Listed<'_> {
    fn get(&self, site: &Site, bodies: &Bodies<'_>, i: usize) -> Value {
        let (body, key) = bodies.main(i);
        let make = || match self.kept(i, key) {
            Some(v) => v.clone(),
            None => Value::from_serializable(&views::listed(site, i, body)),
        };
        match self.fresh.get(i) {
            Some(slot) => slot.get_or_init(make).clone(),
            None => make(),
        }
    }

    fn kept(&self, i: usize, key: u64) -> Option<&Value> {
        match self.previous?.get(i)? {
            Some((k, v)) if *k == key => Some(v),
            _ => None,
        }
    }

    /// What the next build may reuse: every view made now or kept valid.
    fn keep(&self, bodies: &Bodies<'_>) -> Vec<Option<(u64, Value)>> {
        if self.fresh.is_empty() {
            return Vec::new();
        }
        (0..self.fresh.len())
            .map(|i| {
                let key = bodies.main(i).1;
                let value = self.fresh[i].get().or_else(|| self.kept(i, key))?;
                Some((key, value.clone()))
            })
            .collect()
    }
}

/// Renders one output; `Err(None)` when it is left out for an error
/// reported elsewhere (its template is broken or unknown).
fn render_page(
    site: &Site,
    engine: &Engine,
    bodies: &Bodies<'_>,
    index: usize,
    script: &str,
) -> Result<String, Option<Diagnostic>> {
    let output = &site.outputs[index];
    let entry = &site.entries[output.entry];
    let template = entry.template.as_str();
    if engine.is_broken(template) {
        return Err(None);
    }
    if !engine.has(template) {
        // A template the front matter names is checked when the site is
        // assembled; a default one (`page.html`) the theme must have.
        return match entry.front().template {
            Some(_) => Err(None),
            None => Err(Some(missing_template(template))),
        };
    }
    let body = &bodies.all[index];
    let mut page = views::page_view(site, output, Some(&**body));
    page.qr = views::qr_view(site, output).map_err(|e| {
        Diagnostic::file(&entry.doc.source, e)
            .with_help("a QR code holds at most 2,331 characters: shorten `base_url` or the landing page's path")
    })?;
    let mut context = base_context(site, entry.campaign.as_deref());
    if entry.doc.is_section() {
        let section = SectionView {
            page: views::page_view(site, output, Some(&**body)),
            subsections: entry
                .subsections
                .iter()
                .map(|&i| views::subsection_view(site, i))
                .collect(),
        };
        let pages = entry
            .pages
            .iter()
            .map(|&i| bodies.listed.get(site, bodies, i))
            .collect();
        context.insert_value("section", section.with_pages(pages));
    }
    if entry.kind == PageKind::CollateralLibrary {
        context.insert("collateral", &views::collateral(site));
    }
    context.insert("page", &page);
    let html = engine
        .render(&entry.template, &context)
        .map_err(|e| Some(e.diagnostic))?;
    let html = crate::render::finish::finish_page(html, entry.campaign.as_deref(), script);
    match crate::util::url_safety::find_script_url(&html) {
        Some(found) => Err(Some(finish::script_url_error(
            &found,
            &entry.doc.source,
            &entry.doc.text,
            &entry.template,
        ))),
        None => Ok(html),
    }
}

/// A template the theme does not have, though a page needs it.
fn missing_template(name: &str) -> Diagnostic {
    let path = std::path::Path::new("templates").join(name);
    Diagnostic::file(&path, format!("no template `{name}`"))
        .with_help(format!(
            "add {}, or name another with `template` in the page's front matter",
            path.display()
        ))
        .kind(crate::diagnostic::Kind::Template)
}

fn render_404(site: &Site, engine: &Engine, script: &str) -> Result<String, Box<RenderError>> {
    let home = site.home();
    let output = Output {
        entry: home,
        variant: None,
        rep: None,
        path: UrlPath::top_file("404.html"),
    };
    let mut page = views::page_view(site, &output, None);
    page.title = "Page not found";
    page.description = "This page does not exist.";
    page.permalink = site.permalink("/404.html");
    page.template = "404.html";
    page.form = None;
    page.campaign = site.config.default_campaign.as_deref();
    let campaign = site.config.default_campaign.as_deref();
    let mut context = base_context(site, campaign);
    context.insert("page", &page);
    let html = engine.render("404.html", &context)?;
    let html = crate::render::finish::finish_page(html, campaign, script);
    match crate::util::url_safety::find_script_url(&html) {
        Some(found) => {
            let source = std::path::Path::new("404.html");
            let diagnostic = finish::script_url_error(&found, source, "", "404.html");
            Err(Box::new(RenderError {
                diagnostic,
                unknown: None,
            }))
        }
        None => Ok(html),
    }
}
