//! What a render keeps so that the next one re-renders only what changed:
//! each output's body and page with the keys (hashes of their inputs) they
//! were made from, and each page's view in section listings.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tera::Value;

use super::PageFacts;
use super::qr::QrCodes;
use super::views;
use crate::markdown::Body;
use crate::site::{Output, PageKind, Site};
use crate::util::fnv::{FnvBuild, hash_of};

/// What every output shares, as two keys: what bodies depend on
/// (configuration, options, URLs, the templates shortcodes and heading
/// anchors use), and what pages depend on (that and every template). A
/// template edit that no shortcode reaches keeps every body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Global {
    pub(crate) bodies: u64,
    pub(crate) pages: u64,
}

/// What one output rendered to, kept so that a rebuild can reuse it.
#[derive(Clone)]
pub(super) struct Cached {
    /// The output path (`/blog/post/`) and file (`blog/post/index.html`).
    pub(super) path: Arc<str>,
    pub(super) file: Arc<str>,
    pub(super) body_key: u64,
    pub(super) page_key: u64,
    pub(super) body: Arc<Body>,
    /// `None` once handed to a build's sink (written as it was rendered):
    /// such a page is never reused.
    pub(super) html: Option<Arc<str>>,
    pub(super) facts: Arc<PageFacts>,
    /// The files the build makes that its template named (its body's
    /// are the body's).
    pub(super) uses: Arc<[String]>,
}

/// The previous render, its pages valid while `global.pages` is unchanged
/// and its bodies (and listing views) while `global.bodies` is: each output
/// in the order of that render's `site.outputs`, found by its position when
/// the site's outputs are the same (an edit in place) and by path otherwise.
#[derive(Clone, Default)]
pub(crate) struct RenderCache {
    global: Global,
    /// The outputs rendered, and what each rendered to, in that order.
    rendered: Arc<Vec<Output>>,
    /// Shared with the renders that reuse them: reusing one is one count.
    outputs: Vec<Arc<Cached>>,
    by_path: OnceLock<HashMap<Arc<str>, usize, FnvBuild>>,
    /// By entry: its view in section listings, with the key it was made for.
    listed: Vec<Option<KeptView>>,
    /// The QR codes this render drew.
    qr_codes: Arc<QrCodes>,
}

impl RenderCache {
    /// An empty cache for what is rendered now, `global` the keys of what
    /// all pages share, `qr_codes` the codes its pages drew.
    pub(super) fn new(
        global: Global,
        rendered: Arc<Vec<Output>>,
        listed: Vec<Option<KeptView>>,
        qr_codes: Arc<QrCodes>,
    ) -> RenderCache {
        RenderCache {
            global,
            outputs: Vec::with_capacity(rendered.len()),
            rendered,
            by_path: OnceLock::new(),
            listed,
            qr_codes,
        }
    }

    /// The QR codes this render drew, for the next one.
    pub(super) fn qr_codes(&self) -> Arc<QrCodes> {
        self.qr_codes.clone()
    }

    /// Keeps what one more output rendered to, in order.
    pub(super) fn push(&mut self, cached: Arc<Cached>) {
        self.outputs.push(cached);
    }

    /// The keys of what all pages shared when this was rendered.
    pub(crate) fn global(&self) -> Global {
        self.global
    }

    /// What output `path`, now at position `i` of `outputs`, rendered to
    /// last time.
    pub(super) fn get(
        &self,
        outputs: &Arc<Vec<Output>>,
        i: usize,
        path: &str,
    ) -> Option<&Arc<Cached>> {
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

/// What each output's body and page depend on, as hashes. An output is
/// re-rendered when its key changed since the last render.
pub(super) struct Keys {
    pub(super) body: Vec<u64>,
    pub(super) page: Vec<u64>,
    /// Each entry's own (variant `a`) output: its index among the outputs,
    /// else among the entries not written, after the outputs.
    pub(super) main_output: Vec<usize>,
}

impl Keys {
    pub(super) fn new(site: &Site) -> Keys {
        let entry: Vec<u64> = site.entries.iter().map(|e| e.key).collect();
        let collateral = hash_of(
            site.entries
                .iter()
                .zip(&entry)
                .filter(|(e, _)| e.is_collateral())
                .map(|(_, k)| k),
        );
        // A taxonomy's list shows every term with its pages.
        let taxonomies: Vec<u64> = (site.taxonomies.iter())
            .map(|t| {
                hash_of(t.terms.iter().map(|term| {
                    let own = term.entry.map_or(0, |e| entry[e]);
                    hash_of([own, hash_of(term.pages.iter().map(|&p| entry[p]))])
                }))
            })
            .collect();
        let places = places(site);
        let mut main_output = vec![0; site.entries.len()];
        let (mut body, mut page) = (Vec::new(), Vec::new());
        // Outputs have pages; the entries not written only bodies.
        let written = site.outputs.len();
        for (i, o) in site.outputs.iter().chain(site.unwritten.iter()).enumerate() {
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
            let listing = match e.kind {
                PageKind::CollateralLibrary => collateral,
                PageKind::TaxonomyList(t) => taxonomies[t],
                _ => 0,
            };
            body.push(b);
            if i < written {
                let place = places[o.entry];
                page.push(hash_of([b, children, listing, place, o.pager as u64]));
            }
        }
        Keys {
            body,
            page,
            main_output,
        }
    }
}

/// By entry: where it stands, the titles and paths of its sections up to
/// the home page (what its breadcrumbs show). Most entries are pages of a
/// few sections: each section's place is hashed once, not once for each of
/// its pages (at 10,000 pages that was 1.5 ms of every rebuild).
fn places(site: &Site) -> Vec<u64> {
    let mut under: Vec<Option<u64>> = vec![None; site.entries.len()];
    (0..site.entries.len())
        .map(|i| {
            site.entries[i]
                .parent
                .map_or(0, |p| place_under(site, p, &mut under))
        })
        .collect()
}

/// The place of the entries whose parent is `p`: its title and path, and
/// its own place (`under` holds those already known; a chain longer than
/// the entries is a loop, cut short).
fn place_under(site: &Site, p: usize, under: &mut [Option<u64>]) -> u64 {
    let mut chain = Vec::new();
    let mut at = Some(p);
    while let Some(q) = at.filter(|_| chain.len() <= site.entries.len()) {
        if under[q].is_some() {
            break;
        }
        chain.push(q);
        at = site.entries[q].parent;
    }
    let mut place = at.and_then(|q| under[q]).unwrap_or(0);
    for &q in chain.iter().rev() {
        let e = &site.entries[q];
        place = hash_of([hash_of([e.title.as_str(), e.path.as_str()]), place]);
        under[q] = Some(place);
    }
    place
}

/// The rendered bodies by output, and each entry's own (variant `a`) output.
pub(super) struct Bodies<'a> {
    pub(super) all: &'a [Arc<Body>],
    pub(super) main_output: &'a [usize],
    /// By output: what its body depends on.
    pub(super) keys: &'a [u64],
    pub(super) listed: &'a Listed,
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
pub(super) struct Listed {
    /// By entry; empty when views are not kept.
    fresh: Vec<OnceLock<Value>>,
    /// The previous render, when its bodies are valid.
    previous: Option<Arc<RenderCache>>,
}

/// A listing view kept for the next build, with the key it was made for.
#[derive(Clone)]
pub(super) struct KeptView {
    key: u64,
    value: Value,
}

impl Listed {
    /// Views made once per build; kept for the next only when `rebuilds`.
    pub(super) fn new(site: &Site, previous: Option<Arc<RenderCache>>, rebuilds: bool) -> Self {
        // Kept listing views serve later rebuilds; a single build would only
        // hold them in memory (28 MB at 10,000 pages) until it ends, unless
        // pages are listed more than once: by their section and by each of
        // their terms, twice (the term's page and the taxonomy's list). At
        // 10,000 pages with two of 30 tags each, making each view once took
        // a release build from 1.86 s to 1.62 s of CPU (and 60 MB more).
        let listed_again = site.taxonomies.iter().any(|t| t.entry.is_some());
        Listed {
            fresh: match rebuilds || listed_again {
                true => site.entries.iter().map(|_| OnceLock::new()).collect(),
                false => Vec::new(),
            },
            previous,
        }
    }

    /// Entry `i`'s view in listings.
    pub(super) fn get(&self, site: &Site, bodies: &Bodies<'_>, i: usize) -> Value {
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
        match self.previous.as_ref()?.listed.get(i)? {
            Some(kept) if kept.key == key => Some(&kept.value),
            _ => None,
        }
    }

    /// What the next build may reuse: every view made now or kept valid.
    pub(super) fn keep(&self, bodies: &Bodies<'_>) -> Vec<Option<KeptView>> {
        if self.fresh.is_empty() {
            return Vec::new();
        }
        (0..self.fresh.len())
            .map(|i| {
                let key = bodies.main(i).1;
                let value = self.fresh[i].get().or_else(|| self.kept(i, key))?;
                Some(KeptView {
                    key,
                    value: value.clone(),
                })
            })
            .collect()
    }
}
