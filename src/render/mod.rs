//! Rendering: every output's Markdown body, then every output's template,
//! both in parallel, into HTML held in memory (path → text).
//!
//! Bodies come first because section listings show their pages' summaries.
//! A render under way is `staged.rs`'s: bodies first, then each page when
//! asked for. Each page is rendered by `page.rs` and gets utmost's guarantees
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
pub(crate) mod staged;
mod taxonomy_fns;
pub(crate) mod template_errors;
pub(crate) mod templates;
mod unknown;
pub(crate) mod uses;
pub(crate) mod views;
mod zola_filters;

use crate::util::names::NameSet;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::markdown::Body;
use crate::site::Site;
use cache::Cached;
pub(crate) use cache::{Global, RenderCache};
pub(crate) use facts::PageFacts;
pub(crate) use taxonomy_fns::{
    Calls as TaxonomyCalls, calls as taxonomy_calls, shared_key as taxonomy_key,
};

/// One rendered page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Its file, relative to the output directory: `blog/post/index.html`.
    pub file: Arc<str>,
    /// `None` when the build wrote it as soon as it was rendered
    /// ([`staged::Sink`]) and kept nothing of it.
    pub html: Option<Arc<str>>,
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
    pub uses: NameSet<String>,
}

/// The pages rendered, in order, and what failed.
struct Collected {
    pages: Vec<Page>,
    /// What the pages' templates named (their bodies' are their own).
    uses: NameSet<String>,
    facts: Vec<Arc<PageFacts>>,
    /// Each template error once, naming the pages it broke.
    failed: Vec<Diagnostic>,
    /// A page was left out for an error reported elsewhere.
    left_out: bool,
}

/// The pages in order, kept in `cache` for the next render.
fn collect(
    site: &Site,
    pages: Vec<Result<Arc<Cached>, Option<Diagnostic>>>,
    cache: &mut RenderCache,
) -> Collected {
    let mut out = Vec::with_capacity(pages.len() + 1);
    let mut facts = Vec::with_capacity(site.outputs.len());
    // A template error breaks every page that uses the template: said once.
    let mut failed: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut left_out = false;
    let mut uses = NameSet::default();
    for (page, output) in pages.into_iter().zip(site.outputs.iter()) {
        match page {
            Ok(c) => {
                add_uses(&mut uses, &c.uses);
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

/// Adds `names` to `uses`, copying only those not there yet: pages name
/// the same images and assets over and over, and a rebuild in `serve`
/// collects them all again.
fn add_uses(uses: &mut NameSet<String>, names: &[String]) {
    for name in names {
        if !uses.contains(name) {
            uses.insert(name.clone());
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
