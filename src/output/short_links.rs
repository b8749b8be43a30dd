//! A page at `/go/<code>/` for each short link of the site: hosts that
//! serve files and nothing else follow it too. The page sends the browser
//! on at once with a meta refresh to the full tagged URL (so the tags
//! reach the landing page, where the attribution script keeps them), names
//! that URL as its canonical one, shows it as a plain link for anything
//! that does not follow a refresh, and is `noindex` and never in the
//! sitemap. It has no script, so a Content-Security-Policy has nothing of
//! it to allow.

use super::File;
use crate::site::{ShortLink, Site};
use crate::util::html::escape;

/// A page for every short link.
pub(crate) fn files(site: &Site) -> Vec<File> {
    (site.short_links.links.iter())
        .map(|l| File::text(l.path().index_file(), page(site, l)))
        .collect()
}

/// The page of one short link.
fn page(site: &Site, link: &ShortLink) -> String {
    let url = escape(&site.permalink(&link.to));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {url}</title>\n<meta name=\"robots\" content=\"noindex\">\n<meta name=\"campaign\" content=\"{campaign}\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{url}</a></p>\n</body>\n</html>\n",
        lang = escape(&site.config.language),
        campaign = escape(&link.campaign),
    )
}
