//! A render under way: every body rendered, and each page rendered when it
//! is first asked for. `utmost build` asks for them all at once
//! ([`Staged::finish`]); the preview asks first for the pages open tabs
//! show, then for any page a request names, while the rest render in the
//! background. Whichever asks first, a page is rendered once, by the same
//! function, from the same inputs.
//!
//! A render is shared between threads (`Arc<Staged>`): the engine, the site
//! and the previous render it reuses are all held by `Arc`, and each page's
//! result is a `OnceLock`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::cache::{Bodies, Cached, Global, Keys, Listed, RenderCache};
use super::engine::{Engine, RenderOptions};
use super::facts::SourceSets;
use super::qr::QrCodes;
use super::{PageFacts, Rendered, collect, page, uses};
use crate::diagnostic::Diagnostic;
use crate::markdown::Body;
use crate::model::csp::Sources;
use crate::model::page_scripts::PageScripts;
use crate::site::{Output, Site};
use crate::util::progress::Progress;

/// A page's render: its HTML with what it used, or why it failed
/// (`Err(None)`: left out for an error reported elsewhere). Shared with
/// the render that made it: a page reused, and each copy of its result, is
/// one count rather than one for each of its parts (10,000 pages are
/// reused after a one-page edit).
pub(super) type PageResult = Result<Arc<Cached>, Option<Diagnostic>>;

/// Takes each page of a render that streams (`utmost build`) as soon as it
/// is rendered: its output file and HTML. The render keeps nothing of the
/// HTML, so the pages of a site are never all in memory at once; a sink
/// that cannot write keeps the error for its owner to report.
pub(crate) type Sink<'a> = &'a (dyn Fn(&str, &str) + Sync);

/// How many bodies a thread renders before their pages (see
/// [`Staged::render_bodies`]).
const EARLY_CHUNK: usize = 32;

/// What a render is for.
pub(crate) enum Mode<'a> {
    /// More renders follow (`serve`): what they may reuse is kept.
    Rebuilds,
    /// One build. With a sink, a page that shows no other page's body (a
    /// page that lists nothing, when no template reads other pages) is
    /// rendered and written there as soon as its body is, and only what
    /// listings and the file list need of the body is kept (its HTML too
    /// when a feed shows it): the bodies of a site are never all in memory
    /// at once.
    Once(Option<Sink<'a>>),
}

/// The bodies of a render, and its pages as they are asked for.
pub(crate) struct Staged {
    site: Arc<Site>,
    engine: Arc<Engine>,
    global: Global,
    /// The previous render, when what all pages share is unchanged.
    previous: Option<Arc<RenderCache>>,
    /// The previous render, when what all bodies share is unchanged.
    previous_bodies: Option<Arc<RenderCache>>,
    keys: Keys,
    /// The scripts every page carries.
    scripts: PageScripts,
    /// Every output's body, then those of the entries not written.
    bodies: Vec<Arc<Body>>,
    listed: Listed,
    /// The errors and warnings found in the bodies.
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// By output: its page, once asked for.
    pages: Vec<OnceLock<PageResult>>,
    /// How many pages were rendered anew (the rest were reused).
    fresh: AtomicUsize,
    /// The QR codes drawn, kept for the next render whatever it changes
    /// (none kept by a one-off build).
    qr_codes: Arc<QrCodes>,
    /// The different sets of sources its pages run and load.
    source_sets: SourceSets,
}

impl Staged {
    /// Renders every body, reusing from `previous` those whose inputs are
    /// unchanged (`global` covers what they all share).
    pub(crate) fn new(
        site: &Arc<Site>,
        engine: Arc<Engine>,
        progress: &Progress,
        global: Global,
        previous: Option<&Arc<RenderCache>>,
        mode: Mode<'_>,
        options: &RenderOptions,
    ) -> Staged {
        let (rebuilds, early) = match mode {
            Mode::Rebuilds => (true, None),
            Mode::Once(sink) => (false, sink.filter(|_| !engine.reads_other_bodies())),
        };
        let usable = previous.filter(|_| !engine.reads_site());
        let previous_bodies = usable.filter(|p| p.global().bodies == global.bodies);
        let analytics = (site.config.analytics.as_ref()).filter(|_| !options.without_analytics);
        let mut staged = Staged {
            site: site.clone(),
            previous: previous_bodies.filter(|p| p.global() == global).cloned(),
            listed: Listed::new(site, previous_bodies.cloned(), rebuilds),
            previous_bodies: previous_bodies.cloned(),
            engine,
            global,
            keys: Keys::new(site),
            scripts: PageScripts::new(site.config.window_days, analytics),
            bodies: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            pages: site.outputs.iter().map(|_| OnceLock::new()).collect(),
            fresh: AtomicUsize::new(0),
            qr_codes: Arc::new(match rebuilds {
                true => QrCodes::after(previous.map(|p| p.qr_codes())),
                false => QrCodes::once(),
            }),
            source_sets: SourceSets::default(),
        };
        progress.stage("rendering", site.outputs.len() * 2 + site.unwritten.len());
        staged.render_bodies(progress, early);
        staged
            .engine
            .set_bodies(&staged.bodies, &staged.keys.main_output);
        staged
    }

    /// The site rendered.
    pub(crate) fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// Whether the render will fail whatever its pages say: its bodies
    /// hold errors, or warnings under `strict`.
    pub(crate) fn bodies_fail(&self, strict: bool) -> bool {
        !self.errors.is_empty() || strict && !self.warnings.is_empty()
    }

    /// Every output's body, in order, then the body of each entry that is
    /// not written (never kept: they are few), and the errors and warnings
    /// found in them. Bodies whose inputs are unchanged are taken from the
    /// previous render in one pass; only the others are rendered, in
    /// parallel (after a one-page edit at 10,000 pages, the parallel pass
    /// over every body took 2.4-5.6 ms of the edit; this takes about 1 ms).
    fn render_bodies(&mut self, progress: &Progress, early: Option<Sink<'_>>) {
        let site = &*self.site;
        let all: Vec<&Output> = site.outputs.iter().chain(site.unwritten.iter()).collect();
        let reuse = |i: usize| {
            let path = &site.outputs.get(i)?.path;
            let previous = self.previous_bodies.as_ref()?;
            previous
                .get(&site.outputs, i, path)
                .filter(|c| c.body_key == self.keys.body[i])
                .map(|c| c.body.clone())
        };
        let mut bodies: Vec<Option<Arc<Body>>> = (0..all.len()).map(reuse).collect();
        let missing: Vec<usize> = (bodies.iter().enumerate())
            .filter_map(|(i, b)| b.is_none().then_some(i))
            .collect();
        progress.advance(all.len() - missing.len());
        let in_feeds = early.map(|_| in_feeds(site)).unwrap_or_default();
        // In chunks: a chunk's bodies, then its pages, keep each stage's
        // code and data in the caches (one page after each body was 7 %
        // slower), and no more than a chunk's bodies per thread in memory.
        // One chunk per job: rayon otherwise stops halving the work after
        // a few splits and runs each piece whole, so one core rendered the
        // last piece (hundreds of pages, 30-40 ms of a 10,000-page build)
        // while the other had nothing left to steal.
        let (this, all, in_feeds) = (&*self, &all, &in_feeds);
        let rendered: Vec<_> = (missing.par_chunks(EARLY_CHUNK))
            .with_max_len(1)
            .flat_map_iter(|chunk| {
                let bodies: Vec<_> = (chunk.iter())
                    .map(|&i| (i, super::body::render(site, &this.engine, all[i])))
                    .collect();
                bodies.into_iter().map(move |(i, r)| {
                    let body = Arc::new(r.body);
                    let body = match early {
                        Some(sink) if page::shows_only_its_body(site, i) => {
                            let in_feed = all[i].is_main() && in_feeds[all[i].entry];
                            this.page_now(i, body, in_feed, sink)
                        }
                        _ => body,
                    };
                    progress.tick();
                    (i, body, r.errors, r.warnings)
                })
            })
            .collect();
        for (i, body, errors, warnings) in rendered {
            self.errors.extend(errors);
            self.warnings.extend(warnings);
            bodies[i] = Some(body);
        }
        self.bodies = bodies.into_iter().flatten().collect();
    }

    /// Output `i`'s page, rendered from `body` alone and handed to `sink`
    /// (see [`Mode::Once`]); what is kept of the body: all of it when a
    /// feed shows it (`in_feed`), else what listings and the file list read.
    fn page_now(&self, i: usize, body: Arc<Body>, in_feed: bool, sink: Sink<'_>) -> Arc<Body> {
        let none = Bodies {
            all: &[],
            ..self.view()
        };
        let (html, used) = uses::collect(|| {
            page::render_page(
                &self.site,
                &self.engine,
                &body,
                &none,
                i,
                &self.scripts,
                &self.qr_codes,
            )
        });
        let kept = match in_feed {
            true => body,
            false => Arc::new(body.digest()),
        };
        let page = html.map(|(html, sources)| {
            let cached = self.cached(i, kept.clone(), &html, sources, used, None);
            sink(&cached.file, &html);
            cached
        });
        let _ = self.pages[i].set(page);
        kept
    }

    fn view(&self) -> Bodies<'_> {
        Bodies {
            all: &self.bodies,
            main_output: &self.keys.main_output,
            keys: &self.keys.body,
            listed: &self.listed,
        }
    }

    /// Output `i`'s HTML, rendered now if nobody asked for it before;
    /// `None` when it failed (the finished render says why) or there is no
    /// such output.
    pub(crate) fn html(&self, i: usize) -> Option<Arc<str>> {
        self.page(i)?.as_ref().ok()?.html.clone()
    }

    /// Output `i`'s page: rendered now if nobody asked for it before
    /// (reused from the previous render when its inputs are unchanged).
    fn page(&self, i: usize) -> Option<&PageResult> {
        let slot = self.pages.get(i)?;
        Some(slot.get_or_init(|| self.render_page(i)))
    }

    fn render_page(&self, i: usize) -> PageResult {
        let (site, keys) = (&*self.site, &self.keys);
        let o = &site.outputs[i];
        let reused = (self.previous.as_ref())
            .and_then(|p| p.get(&site.outputs, i, &o.path))
            .filter(|c| c.page_key == keys.page[i] && c.body_key == keys.body[i])
            .filter(|c| c.html.is_some());
        if let Some(c) = reused {
            return Ok(c.clone());
        }
        let bodies = self.view();
        let (html, used) = uses::collect(|| {
            page::render_page(
                site,
                &self.engine,
                &self.bodies[i],
                &bodies,
                i,
                &self.scripts,
                &self.qr_codes,
            )
        });
        let (html, sources) = html?;
        let html: Arc<str> = html.into();
        let body = self.bodies[i].clone();
        Ok(self.cached(i, body, &html, sources, used, Some(html.clone())))
    }

    /// What output `i` rendered to (`html`, from `body`, running and
    /// loading `sources`, naming `used`), counted as rendered anew; its
    /// HTML is `html_kept`.
    fn cached(
        &self,
        i: usize,
        body: Arc<Body>,
        html: &str,
        sources: Sources,
        used: Vec<String>,
        html_kept: Option<Arc<str>>,
    ) -> Arc<Cached> {
        let path = &self.site.outputs[i].path;
        self.fresh.fetch_add(1, Ordering::Relaxed);
        Arc::new(Cached {
            path: path.as_str().into(),
            file: path.index_file().into(),
            body_key: self.keys.body[i],
            page_key: self.keys.page[i],
            body,
            facts: Arc::new(PageFacts::sharing(html, sources, &self.source_sets)),
            html: html_kept,
            uses: used.into(),
        })
    }

    /// Every page (those not asked for yet rendered now, in parallel) and
    /// the 404 page, with every error. `stop` set by another thread ends
    /// the render early, as an error: a newer one replaces it. With a
    /// `sink`, every page goes there as soon as it is rendered (or taken
    /// from its slot, if asked for before), and the result keeps none of
    /// their HTML (the 404 page, rendered last, is kept).
    pub(crate) fn finish(
        &self,
        progress: &Progress,
        stop: &AtomicBool,
        sink: Option<Sink<'_>>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let site = &self.site;
        let pages: Vec<PageResult> = (0..site.outputs.len())
            .into_par_iter()
            .map(|i| {
                if stop.load(Ordering::Relaxed) {
                    return Err(None);
                }
                let r = match sink {
                    Some(sink) => self.streamed(i, sink),
                    None => self.page(i).cloned().unwrap_or(Err(None)),
                };
                progress.tick();
                r
            })
            .collect();
        let kept = self.listed.keep(&self.view());
        self.qr_codes.settle();
        let mut cache = RenderCache::new(
            self.global,
            site.outputs.clone(),
            kept,
            self.qr_codes.clone(),
        );
        let collected = collect(site, pages, &mut cache);
        let mut diagnostics = self.errors.clone();
        diagnostics.extend(collected.failed);
        let mut pages = collected.pages;
        let mut used = collected.uses;
        for body in &self.bodies {
            super::add_uses(&mut used, &body.uses);
        }
        let mut fresh = self.fresh.load(Ordering::Relaxed);
        let engine = &self.engine;
        if engine.has("404.html") && !engine.is_broken("404.html") {
            let (rendered, made) = uses::collect(|| page::render_404(site, engine, &self.scripts));
            used.extend(made);
            match rendered {
                Ok(html) => {
                    pages.push(super::Page {
                        file: "404.html".into(),
                        html: Some(html.into()),
                    });
                    // Never reused from a previous build: count it as rendered.
                    fresh += 1;
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
            fresh,
            facts: collected.facts,
            cache,
            bodies: self.by_entry(),
            warnings: self.warnings.clone(),
            uses: used,
        })
    }

    /// Output `i`'s page handed to `sink`, without its HTML: rendered now
    /// unless it was asked for before (its slot stays as it was).
    fn streamed(&self, i: usize, sink: Sink<'_>) -> PageResult {
        let page = match self.pages[i].get() {
            Some(asked) => asked.clone()?,
            None => self.render_page(i)?,
        };
        let Some(html) = &page.html else {
            return Ok(page);
        };
        sink(&page.file, html);
        // Rendered just now, the page is this render's alone and is taken
        // as it is; one asked for before is copied, its slot left as it was.
        let mut page = Arc::unwrap_or_clone(page);
        page.html = None;
        Ok(Arc::new(page))
    }

    /// By entry: its own output's body (what feeds hold), written or not.
    fn by_entry(&self) -> Vec<Option<Arc<Body>>> {
        let site = &self.site;
        let mut by_entry: Vec<Option<Arc<Body>>> = vec![None; site.entries.len()];
        let outputs = site.outputs.iter().chain(site.unwritten.iter());
        for (o, body) in outputs.zip(&self.bodies) {
            if o.is_main() {
                by_entry[o.entry] = Some(body.clone());
            }
        }
        by_entry
    }
}

/// By entry: whether a feed shows it (with its body).
fn in_feeds(site: &Site) -> Vec<bool> {
    let mut shown = vec![false; site.entries.len()];
    for entry in site.feeds.iter().flat_map(|f| &f.pages) {
        shown[*entry] = true;
    }
    shown
}
