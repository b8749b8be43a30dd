//! What a rendered page says about itself, read once from its HTML: the
//! forms it holds (shortcodes included, which the site alone cannot tell)
//! and whether it asks not to be indexed, and what it runs and loads (its
//! Content-Security-Policy sources). The sitemap, the manifest, the
//! campaign links and the host's header file read these.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::model::csp::Sources;

/// What a rendered page says about itself, read once from its HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageFacts {
    /// The forms on the page, by id.
    pub forms: Vec<String>,
    /// The page asks search engines not to index it (`<meta name="robots"
    /// content="noindex">`): left out of the sitemap and of campaign links.
    pub noindex: bool,
    /// What the page runs and loads, for the Content-Security-Policy;
    /// shared by the pages of a render that run and load the same.
    pub sources: Arc<Sources>,
    /// A 128-bit hash of `sources`, so that the site's policy takes each
    /// different set once, without comparing every page's again on every
    /// rebuild in `serve` (two different sets with one key: about one
    /// chance in 10^26 even if each of a million pages had its own set).
    pub sources_key: u128,
}

/// The different sets of sources a render's pages have, by key: most
/// pages of a site run and load the same, and each holding its own copy
/// was 6 MB at 10,000 pages.
#[derive(Debug, Default)]
pub(crate) struct SourceSets(Mutex<HashMap<u128, Arc<Sources>>>);

impl PageFacts {
    /// The facts of `html`, which runs and loads `sources` (read when it
    /// was rendered), shared through `sets`.
    pub(crate) fn sharing(html: &str, sources: Sources, sets: &SourceSets) -> PageFacts {
        let sources_key = {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            std::hash::Hash::hash(&sources, &mut h);
            h.digest128()
        };
        let mut known = sets.0.lock().unwrap_or_else(PoisonError::into_inner);
        let sources = known
            .entry(sources_key)
            .or_insert_with(|| Arc::new(sources))
            .clone();
        drop(known);
        PageFacts {
            forms: forms_in(html),
            noindex: super::finish::is_noindex(html),
            sources_key,
            sources,
        }
    }
}

/// Form ids found in one rendered page.
pub(crate) fn forms_in(html: &str) -> Vec<String> {
    const ATTRIBUTE: &str = "data-utmost-form=\"";
    let mut ids: Vec<String> = memchr::memmem::find_iter(html.as_bytes(), ATTRIBUTE)
        .filter_map(|at| html[at + ATTRIBUTE.len()..].split('"').next())
        .map(str::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_that_run_the_same_share_one_set_of_sources() {
        let sets = SourceSets::default();
        let page = |script: &str| format!("<html><head><script>{script}</script></head></html>");
        let shared = |html: &str| PageFacts::sharing(html, Sources::scan(html), &sets);
        let (a, b, c) = (
            shared(&page("a()")),
            shared(&page("a()")),
            shared(&page("c()")),
        );
        assert!(Arc::ptr_eq(&a.sources, &b.sources));
        assert!(!Arc::ptr_eq(&a.sources, &c.sources));
        assert_ne!(a.sources_key, c.sources_key);
        let alone = PageFacts::sharing(
            &page("a()"),
            Sources::scan(&page("a()")),
            &SourceSets::default(),
        );
        assert_eq!(a, alone, "the same facts as unshared");
    }

    #[test]
    fn finds_form_ids_in_html() {
        let html = r#"<form data-utmost-form="b"></form><form data-utmost-form="a"><form data-utmost-form="b">"#;
        assert_eq!(forms_in(html), vec!["a", "b"]);
        assert!(forms_in("<p>none</p>").is_empty());
    }
}
