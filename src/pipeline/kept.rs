//! The output's files a build makes from the site rather than through its
//! templates (the sitemap, a page per redirect and per short link, the
//! feeds), kept by a builder that rebuilds (`serve`) for the next build.
//!
//! An edit in place (bodies only, every front matter as it was) keeps every
//! URL, title, date and campaign: it changes the sitemap only when a page's
//! `noindex` changed, a feed only when it lists an edited page, and no
//! redirect or short-link page. At 10,000 pages making them again (and
//! reading what the redirect pages run, for the CSP) was 3 ms of every
//! one-page edit. The list of processed images is kept while the images
//! promise the same files (1.4 ms for 3,744 of them), and the host's files
//! while what they are made from is the same (2.6 ms: every output file's
//! name looked at for a fingerprint, every redirect's rule written).

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::images::Images;
use crate::markdown::Body;
use crate::model::csp::Sources;
use crate::output::{self, File};
use crate::render::PageFacts;
use crate::site::Site;

/// What the last build made from the site.
#[derive(Default)]
pub(super) struct Kept {
    sitemap: Option<KeptSitemap>,
    pages: Option<MadePages>,
    feeds: Option<KeptFeeds>,
    /// The processed images' files, and the version of the images' promises
    /// they list.
    images: Option<(u64, Vec<File>)>,
    /// The host's files and the warnings making them gave, with the key of
    /// what they were made from ([`host_key`]).
    host: Option<(u64, Vec<File>, Vec<Diagnostic>)>,
}

/// A sitemap, and the pages' `noindex` it was made from.
struct KeptSitemap {
    noindex: Vec<bool>,
    xml: Arc<str>,
}

/// The redirect and short-link pages, and what they run and load.
struct MadePages {
    redirects: Vec<File>,
    short_links: Vec<File>,
    sources: Sources,
}

/// The feeds' files, and the bodies (by entry) they were made from.
struct KeptFeeds {
    bodies: Vec<Option<Arc<Body>>>,
    files: Vec<File>,
}

/// The files made from the site, in the order the output lists them.
pub(super) struct Made {
    pub(super) sitemap: Arc<str>,
    /// The redirect pages, the feeds and the short-link pages.
    pub(super) files: Vec<File>,
    /// What the redirect and short-link pages run and load.
    pub(super) sources: Sources,
}

impl Kept {
    /// The host's files and the warnings making them gave: the last
    /// build's when `key` (what they are made from; `None` when that
    /// cannot be told) is the same, else `make`'s; kept when `keep`.
    pub(super) fn host(
        &mut self,
        key: Option<u64>,
        keep: bool,
        make: impl FnOnce(&mut Vec<Diagnostic>) -> Vec<File>,
    ) -> (Vec<File>, Vec<Diagnostic>) {
        let (files, warnings) = match (self.host.take(), key) {
            (Some((was, files, warnings)), Some(key)) if was == key => (files, warnings),
            _ => {
                let mut warnings = Vec::new();
                (make(&mut warnings), warnings)
            }
        };
        if let Some(key) = key.filter(|_| keep) {
            self.host = Some((key, files.clone(), warnings.clone()));
        }
        (files, warnings)
    }

    /// The output's processed images; kept for the next build when `keep`.
    pub(super) fn images(&mut self, images: &Images, keep: bool) -> Vec<File> {
        let version = images.version();
        let files = match self.images.take() {
            Some((v, files)) if v == version => files,
            _ => output::images::files(images),
        };
        if keep {
            self.images = Some((version, files.clone()));
        }
        files
    }

    /// The files made from `site` (its pages' `facts`, `bodies` by entry),
    /// reusing the last build's where `edited_in_place` leaves them as they
    /// were; kept for the next build when `keep`.
    pub(super) fn made(
        &mut self,
        site: &Site,
        facts: &[Arc<PageFacts>],
        bodies: &[Option<Arc<Body>>],
        edited_in_place: bool,
        keep: bool,
    ) -> Made {
        let kept_sitemap = self.sitemap.take().filter(|_| edited_in_place);
        let kept_pages = self.pages.take().filter(|_| edited_in_place);
        let kept_feeds = self.feeds.take().filter(|_| edited_in_place);
        // Three things made of the site and its render alone, side by side
        // (listing the output at 50,000 pages went from 77 to 58 ms).
        let sitemap = || {
            let noindex: Vec<bool> = facts.iter().map(|f| f.noindex).collect();
            match kept_sitemap {
                Some(kept) if kept.noindex == noindex => kept,
                _ => KeptSitemap {
                    xml: output::sitemap::sitemap(site, facts).into(),
                    noindex,
                },
            }
        };
        let pages = || kept_pages.unwrap_or_else(|| MadePages::new(site));
        let feeds = || match kept_feeds {
            Some(kept) if same_feeds(site, &kept.bodies, bodies) => kept,
            _ => KeptFeeds {
                bodies: bodies.to_vec(),
                files: output::feeds::files(site, bodies),
            },
        };
        let (sitemap, (pages, feeds)) = rayon::join(sitemap, || rayon::join(pages, feeds));
        let mut files =
            Vec::with_capacity(pages.redirects.len() + feeds.files.len() + pages.short_links.len());
        files.extend_from_slice(&pages.redirects);
        files.extend_from_slice(&feeds.files);
        files.extend_from_slice(&pages.short_links);
        let made = Made {
            sitemap: sitemap.xml.clone(),
            files,
            sources: pages.sources.clone(),
        };
        if keep {
            self.sitemap = Some(sitemap);
            self.pages = Some(pages);
            self.feeds = Some(feeds);
        }
        made
    }
}

impl MadePages {
    fn new(site: &Site) -> MadePages {
        let redirects = output::redirects::files(site);
        let short_links = output::short_links::files(site);
        let mut sources = Sources::default();
        for text in (redirects.iter().chain(&short_links)).filter_map(File::html_text) {
            sources.extend(&Sources::scan(text));
        }
        MadePages {
            redirects,
            short_links,
            sources,
        }
    }
}

/// Whether every feed lists the same bodies as `before` (an edit in place
/// keeps the pages and their order: a body reused is the same allocation).
fn same_feeds(site: &Site, before: &[Option<Arc<Body>>], now: &[Option<Arc<Body>>]) -> bool {
    let same = |i: usize| match (before.get(i), now.get(i)) {
        (Some(Some(a)), Some(Some(b))) => Arc::ptr_eq(a, b),
        (Some(None), Some(None)) => true,
        _ => false,
    };
    site.feeds
        .iter()
        .all(|feed| feed.pages.iter().all(|&i| same(i)))
}

/// What the host's files are made from that an edit in place can change
/// (it keeps the site's URLs, redirects, static files and configuration):
/// the processed images (their `version`), the fingerprinted `assets`,
/// what each page runs and loads, and the 404 page.
pub(super) fn host_key(
    images: u64,
    assets: &[File],
    facts: &[Arc<PageFacts>],
    page_404: Option<&str>,
) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    images.hash(&mut h);
    assets.iter().for_each(|f| f.name().hash(&mut h));
    facts.iter().for_each(|f| f.sources_key.hash(&mut h));
    page_404.hash(&mut h);
    h.finish()
}
