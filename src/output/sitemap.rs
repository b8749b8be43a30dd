//! sitemap.xml and robots.txt: every page a search engine may index, and
//! where the sitemap is.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::render::PageFacts;
use crate::site::{Output, Site};

pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink("/sitemap.xml")
    )
}

/// Every page and section that may be indexed, the later pages of a
/// paginated listing too (not variants or rep copies, which point at their
/// page, nor pages that say `noindex`; redirects are no pages).
pub(crate) fn sitemap(site: &Site, facts: &[Arc<PageFacts>]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let indexed = |(i, o): &(usize, &Output)| {
        o.variant.is_none() && o.rep.is_none() && !facts.get(*i).is_some_and(|f| f.noindex)
    };
    for (_, output) in site.outputs.iter().enumerate().filter(indexed) {
        let entry = &site.entries[output.entry];
        xml.push_str("  <url>\n    <loc>");
        crate::util::html::escape_into(&mut xml, &site.permalink(&output.path));
        xml.push_str("</loc>\n");
        let front = entry.front();
        if let Some(date) = front.updated().or(front.date.as_deref()) {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
