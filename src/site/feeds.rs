//! Which feeds the site writes and which pages each holds: the site's own
//! (`/atom.xml`: the newest dated pages of the whole site), a section's
//! with `generate_feeds = true` (`/blog/atom.xml`: its own pages) and each
//! term's of a taxonomy with `feed = true` (`/tags/pricing/atom.xml`).
//! Each holds the newest `feed_limit` dated pages, newest first; a feed
//! that would hold none is not written. `feed = false` in site.toml turns
//! every feed off; left unset, the site's feed is on when a page has a
//! date. How a feed is written is `output/feeds.rs`'s.

use std::cmp::Reverse;

use super::{PageKind, Site, UrlPath};

/// What a feed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedScope {
    /// The whole site.
    Site,
    /// The pages of the section of this entry.
    Section(usize),
    /// The pages of a term: the taxonomy's index, the term's.
    Term(usize, usize),
}

/// One feed, in every format of `feed_filenames`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Feed {
    pub scope: FeedScope,
    /// The folder its files are in: `/`, `/blog/`, `/tags/pricing/`.
    pub folder: UrlPath,
    /// `Acme`, `Acme - Blog`, `Acme - pricing`.
    pub title: String,
    /// The entries it holds, newest first.
    pub pages: Vec<usize>,
}

/// Every feed the site writes.
pub(super) fn collect(site: &Site) -> Vec<Feed> {
    let config = &site.config;
    if config.feeds.enabled == Some(false) {
        return Vec::new();
    }
    let mut feeds = Vec::new();
    let all = 0..site.entries.len();
    let mut add =
        |scope, folder: &UrlPath, title: String, pages: &mut dyn Iterator<Item = usize>| {
            let pages = newest(site, pages);
            if !pages.is_empty() {
                feeds.push(Feed {
                    scope,
                    folder: folder.clone(),
                    title,
                    pages,
                });
            }
        };
    let home = &site.entries[site.home()].path;
    add(
        FeedScope::Site,
        home,
        config.title.clone(),
        &mut all.clone(),
    );
    for (i, entry) in site.entries.iter().enumerate() {
        if entry.doc.is_section() && entry.front().blog.listing.generate_feeds {
            let title = format!("{} - {}", config.title, entry.title);
            add(
                FeedScope::Section(i),
                &entry.path,
                title,
                &mut entry.pages.iter().copied(),
            );
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        if !taxonomy.config.feed || taxonomy.entry.is_none() {
            continue;
        }
        for (k, term) in taxonomy.terms.iter().enumerate() {
            let title = format!("{} - {}", config.title, term.name);
            add(
                FeedScope::Term(t, k),
                &term.path,
                title,
                &mut term.pages.iter().copied(),
            );
        }
    }
    feeds
}

/// Of `pages`, the dated pages a feed may hold, newest first (then by
/// path), at most `feed_limit`. Sections, pages utmost makes, printed
/// collateral and pages that are not written are not posts.
fn newest(site: &Site, pages: &mut dyn Iterator<Item = usize>) -> Vec<usize> {
    let mut dated: Vec<usize> = pages
        .filter(|&i| {
            let e = &site.entries[i];
            e.front().date.is_some()
                && e.front().zola.render
                && !e.doc.is_section()
                && !e.generated
                && !matches!(e.kind, PageKind::OnePager | PageKind::CollateralLibrary)
        })
        .collect();
    let newest_first = |&a: &usize, &b: &usize| {
        let (ea, eb) = (&site.entries[a], &site.entries[b]);
        Reverse(&ea.front().date)
            .cmp(&Reverse(&eb.front().date))
            .then_with(|| ea.path.cmp(&eb.path))
    };
    // Only the newest `limit` are kept: found in linear time, then sorted.
    // (Sorting every page of the site's feed was one of the longest steps
    // of a large site's assembly, which runs on one core.) Paths differ,
    // so the order is total and the pages kept are the same.
    let limit = site.config.feeds.limit;
    if dated.len() > limit {
        dated.select_nth_unstable_by(limit, newest_first);
        dated.truncate(limit);
    }
    dated.sort_by(newest_first);
    dated
}
