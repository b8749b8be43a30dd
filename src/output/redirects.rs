//! A page for each redirect of [`Site::redirects`], for hosts that serve
//! files and nothing else: a small HTML page that sends the browser on at
//! once, keeping the visitor's query string and fragment, so that a
//! printed QR code's UTM tags reach the page it now leads to.
//!
//! The page's one script is the same on every redirect page ([`SCRIPT`]:
//! it reads the target from the canonical link), so a Content-Security-
//! Policy can allow it by one hash. Without script, a `<noscript>` meta
//! refresh goes to the target (without the query string, which a meta
//! refresh cannot carry over); a link is there for the rest. The page is
//! `noindex` with the target as its canonical URL, and never in the
//! sitemap. It carries the target's campaign, but not the attribution
//! script: the page it leads to records the visit, with the tags carried
//! over and as the landing page the leads report knows.

use super::File;
use crate::site::{Redirect, RedirectTarget, Site};
use crate::util::html::escape;

/// The script of every redirect page: the target, with the visitor's
/// query string added to its own and the visitor's fragment (else its own).
pub(crate) const SCRIPT: &str = r##"(function () {
var t = document.querySelector('link[rel="canonical"]').href, h = "", i = t.indexOf("#");
if (i >= 0) { h = t.slice(i); t = t.slice(0, i); }
if (location.search) t += (t.indexOf("?") < 0 ? "?" : "&") + location.search.slice(1);
location.replace(t + (location.hash || h));
})();"##;

/// A page for every redirect.
pub(crate) fn files(site: &Site) -> Vec<File> {
    (site.redirects.iter())
        .map(|r| File::text(r.file(), page(site, r)))
        .collect()
}

/// The page of one redirect.
fn page(site: &Site, redirect: &Redirect) -> String {
    let url = escape(&site.redirect_url(redirect));
    let campaign = match &redirect.to {
        RedirectTarget::Path(_) => site.entries[redirect.entry].campaign.as_deref(),
        RedirectTarget::Url(_) => None,
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved to {url}</title>\n<meta name=\"robots\" content=\"noindex\">\n<meta name=\"campaign\" content=\"{campaign}\">\n<link rel=\"canonical\" href=\"{url}\">\n<noscript><meta http-equiv=\"refresh\" content=\"0; url={url}\"></noscript>\n<script>{SCRIPT}</script>\n</head>\n<body>\n<p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n",
        lang = escape(&site.config.language),
        campaign = escape(campaign.unwrap_or("")),
    )
}
