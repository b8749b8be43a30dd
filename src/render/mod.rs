//! Rendering: every output's Markdown body, then every output's template,
//! both in parallel, into HTML held in memory (path → text).
//!
//! Bodies come first because section listings show their pages' summaries.
//! Each page is rendered by `page.rs` and gets utmost's guarantees
//! (`finish.rs`); what a rebuild may reuse is `cache.rs`'s. Nothing is
//! written here: `output/` writes, the preview serves from memory.

pub(crate) mod body;
mod cache;
pub(crate) mod engine;
pub(crate) mod facts;
pub(crate) mod fingerprint;
pub(crate) mod finish;
mod image_functions;
mod json_ld;
mod listing;
pub(crate) mod media;
mod page;
pub(crate) mod qr;
pub(crate) mod site_functions;
mod taxonomy_fns;
pub(crate) mod template_errors;
mod unknown;
pub(crate) mod uses;
pub(crate) mod views;
mod zola_filters;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::markdown::Body;
use crate::model::page_scripts::PageScripts;
use crate::render::engine::{Engine, RenderOptions};
use crate::site::{Output, Site};
use crate::util::progress::Progress;
pub(crate) use cache::RenderCache;
use cache::{Bodies, Cached, Keys, Listed};
pub(crate) use facts::PageFacts;
pub(crate) use taxonomy_fns::{
    Calls as TaxonomyCalls, calls as taxonomy_calls, shared_key as taxonomy_key,
};

/// One rendered page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Its file, relative to the output directory: `blog/post/index.html`.
    pub file: Arc<str>,
    pub html: Arc<str>,
}

/// The rendered pages, and the forms found on each.
pub(crate) struct Rendered {
    pub pages: Vec<Page>,
    /// How many outputs were rendered anew (the rest were reused).
    pub fresh: usize,
    /// By output, in the order of `site.outputs`.
    pub facts: Vec<Arc<PageFacts>>,
    pub cache: RenderCache,
    /// By entry: its own output's body (what feeds hold).
    pub bodies: Vec<Option<Arc<Body>>>,
    /// The problems that do not stop a build (an image without alt text),
    /// found in what was rendered anew.
    pub warnings: Vec<Diagnostic>,
    /// The files the build makes that the pages name (processed images),
    /// by output path.
    pub uses: HashSet<String>,
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
    options: &RenderOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    let run = Run {
        site,
        engine,
        progress,
        previous: previous.filter(|p| p.global() == global && !engine.reads_site()),
        keys: Keys::new(site),
        scripts: PageScripts::new(
            site.config.window_days,
            site.config
                .analytics
                .as_ref()
                .filter(|_| !options.without_analytics),
        ),
    };
    progress.stage("rendering", site.outputs.len() * 2 + site.unwritten.len());
    let (bodies, mut diagnostics, warnings) = run.bodies();
    engine.set_bodies(&bodies, &run.keys.main_output);
    // By entry: its own output's body (what feeds hold), written or not.
    let mut by_entry: Vec<Option<Arc<Body>>> = vec![None; site.entries.len()];
    let outputs = site.outputs.iter().chain(site.unwritten.iter());
    for (o, body) in outputs.zip(&bodies) {
        if o.is_main() {
            by_entry[o.entry] = Some(body.clone());
        }
    }
    let listed = Listed::new(site, run.previous, rebuilds);
    let bodies = Bodies {
        all: &bodies,
        main_output: &run.keys.main_output,
        keys: &run.keys.body,
        listed: &listed,
    };
    let fresh = AtomicUsize::new(0);
    let pages = run.pages(&bodies, &fresh);
    let mut cache = RenderCache::new(global, site.outputs.clone(), listed.keep(&bodies));
    let collected = collect(site, pages, &mut cache);
    diagnostics.extend(collected.failed);
    let mut pages = collected.pages;
    let mut uses: HashSet<String> = (bodies.all.iter())
        .flat_map(|b| b.uses.iter().cloned())
        .chain(collected.uses)
        .collect();
    if engine.has("404.html") && !engine.is_broken("404.html") {
        let (rendered, used) = uses::collect(|| page::render_404(site, engine, &run.scripts));
        uses.extend(used);
        match rendered {
            Ok(html) => {
                pages.push(Page {
                    file: "404.html".into(),
                    html: html.into(),
                });
                // Never reused from a previous build: count it as rendered.
                fresh.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => diagnostics.push(e.diagnostic),
        }
    }
    // A page left out has its errors reported by an earlier stage.
    if !diagnostics.is_empty() || collected.left_out {
        return Err(diagnostics);
    }
    Ok(Rendered {
        pages,
        fresh: fresh.into_inner(),
        facts: collected.facts,
        cache,
        bodies: by_entry,
        warnings,
        uses,
    })
}

/// What one render shares across outputs.
struct Run<'a> {
    site: &'a Arc<Site>,
    engine: &'a Engine,
    progress: &'a Progress,
    /// The previous render, when what all pages share is unchanged.
    previous: Option<&'a RenderCache>,
    keys: Keys,
    /// The scripts every page carries.
    scripts: PageScripts,
}

impl Run<'_> {
    /// What output `i` rendered to last time, when it may be reused.
    fn reuse(&self, i: usize) -> Option<&Cached> {
        let path = &self.site.outputs.get(i)?.path;
        self.previous?.get(&self.site.outputs, i, path)
    }

    /// Every output's body, in order, then the body of each entry that is
    /// not written (never kept: they are few), and the errors and warnings
    /// found in them.
    fn bodies(&self) -> (Vec<Arc<Body>>, Vec<Diagnostic>, Vec<Diagnostic>) {
        let site = self.site;
        let all: Vec<&Output> = site.outputs.iter().chain(site.unwritten.iter()).collect();
        let results: Vec<(Arc<Body>, Vec<Diagnostic>, Vec<Diagnostic>)> =
            (all.par_iter().enumerate())
                .map(|(i, o)| {
                    let r = match self.reuse(i).filter(|c| c.body_key == self.keys.body[i]) {
                        Some(c) => (c.body.clone(), Vec::new(), Vec::new()),
                        None => {
                            let r = body::render(site, self.engine, o);
                            (Arc::new(r.body), r.errors, r.warnings)
                        }
                    };
                    self.progress.tick();
                    r
                })
                .collect();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let bodies = (results.into_iter())
            .map(|(b, e, w)| {
                errors.extend(e);
                warnings.extend(w);
                b
            })
            .collect();
        (bodies, errors, warnings)
    }

    /// Every output's page, in order (see [`page::render_page`] for its
    /// error); `fresh` counts those rendered anew.
    fn pages(
        &self,
        bodies: &Bodies<'_>,
        fresh: &AtomicUsize,
    ) -> Vec<Result<Cached, Option<Diagnostic>>> {
        let (site, keys) = (self.site, &self.keys);
        (site.outputs.par_iter().enumerate())
            .map(|(i, o)| {
                let reused = (self.reuse(i))
                    .filter(|c| c.page_key == keys.page[i] && c.body_key == keys.body[i]);
                let r = match reused {
                    Some(c) => Ok(c.clone()),
                    None => {
                        let (html, used) = uses::collect(|| {
                            page::render_page(site, self.engine, bodies, i, &self.scripts)
                        });
                        html.map(|html| {
                            fresh.fetch_add(1, Ordering::Relaxed);
                            Cached {
                                path: o.path.as_str().into(),
                                file: o.path.index_file().into(),
                                body_key: keys.body[i],
                                page_key: keys.page[i],
                                body: bodies.all[i].clone(),
                                facts: Arc::new(PageFacts::of(&html)),
                                html: html.into(),
                                uses: used.into(),
                            }
                        })
                    }
                };
                self.progress.tick();
                r
            })
            .collect()
    }
}

/// The pages rendered, in order, and what failed.
struct Collected {
    pages: Vec<Page>,
    /// What the pages' templates named (their bodies' are their own).
    uses: Vec<String>,
    facts: Vec<Arc<PageFacts>>,
    /// Each template error once, naming the pages it broke.
    failed: Vec<Diagnostic>,
    /// A page was left out for an error reported elsewhere.
    left_out: bool,
}

/// The pages in order, kept in `cache` for the next render.
fn collect(
    site: &Site,
    pages: Vec<Result<Cached, Option<Diagnostic>>>,
    cache: &mut RenderCache,
) -> Collected {
    let mut out = Vec::with_capacity(pages.len() + 1);
    let mut facts = Vec::with_capacity(site.outputs.len());
    // A template error breaks every page that uses the template: said once.
    let mut failed: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut left_out = false;
    let mut uses = Vec::new();
    for (page, output) in pages.into_iter().zip(site.outputs.iter()) {
        match page {
            Ok(c) => {
                uses.extend(c.uses.iter().cloned());
                out.push(Page {
                    file: c.file.clone(),
                    html: c.html.clone(),
                });
                facts.push(c.facts.clone());
                cache.push(c);
            }
            Err(None) => left_out = true,
            Err(Some(d)) => {
                let doc = &site.entries[output.entry].doc;
                let source = doc.source.to_str().unwrap_or("?");
                match failed.iter_mut().find(|(f, _)| *f == d) {
                    Some((_, sources)) => sources.push(source),
                    None => failed.push((d, vec![source])),
                }
            }
        }
    }
    Collected {
        pages: out,
        uses,
        facts,
        failed: (failed.into_iter())
            .map(|(d, sources)| with_pages(d, &sources))
            .collect(),
        left_out,
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
