//! What a rendered page says about itself, read once from its HTML: the
//! forms it holds (shortcodes included, which the site alone cannot tell)
//! and whether it asks not to be indexed, and what it runs and loads (its
//! Content-Security-Policy sources). The sitemap, the manifest, the
//! campaign links and the host's header file read these.

use crate::model::csp::Sources;

/// What a rendered page says about itself, read once from its HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageFacts {
    /// The forms on the page, by id.
    pub forms: Vec<String>,
    /// The page asks search engines not to index it (`<meta name="robots"
    /// content="noindex">`): left out of the sitemap and of campaign links.
    pub noindex: bool,
    /// What the page runs and loads, for the Content-Security-Policy.
    pub sources: Sources,
    /// A 128-bit hash of `sources`, so that the site's policy takes each
    /// different set once, without comparing every page's again on every
    /// rebuild in `serve` (two different sets with one key: about one
    /// chance in 10^26 even if each of a million pages had its own set).
    pub sources_key: u128,
}

impl PageFacts {
    pub(crate) fn of(html: &str) -> PageFacts {
        let sources = Sources::scan(html);
        PageFacts {
            forms: forms_in(html),
            noindex: super::finish::is_noindex(html),
            sources_key: {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                std::hash::Hash::hash(&sources, &mut h);
                h.digest128()
            },
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
    fn finds_form_ids_in_html() {
        let html = r#"<form data-utmost-form="b"></form><form data-utmost-form="a"><form data-utmost-form="b">"#;
        assert_eq!(forms_in(html), vec!["a", "b"]);
        assert!(forms_in("<p>none</p>").is_empty());
    }
}
