//! What the static host reads besides the site's files: for Netlify and
//! Cloudflare Pages (and when no `[deploy] host` is set), `_headers` and
//! `_redirects` (every short link, alias and redirect) at the output root,
//! in the formats both document
//! (<https://docs.netlify.com/routing/headers/>,
//! <https://developers.cloudflare.com/pages/configuration/headers/>): a
//! path pattern, then indented `Name: value` lines.
//!
//! Every path gets the Content-Security-Policy that allows exactly what the
//! site's pages run and load (`model/csp.rs`: the hashes of their inline
//! scripts and styles, the origins of what they load and post to),
//! `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: strict-origin-when-cross-origin` (which still sends
//! the origin a first touch's referrer needs); each fingerprinted file (a
//! content hash in its name) a year-long immutable cache. Hosts without
//! header files get the policy in each page instead (`render/finish.rs`);
//! S3 gets its website configuration and object redirects (`s3.rs`).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::{File, s3};
use crate::diagnostic::Diagnostic;
use crate::model::csp::{Sources, policy};
use crate::render::PageFacts;
use crate::site::{RedirectTarget, Site};
use crate::source::config::Host;
use crate::util::fnv::FnvSet;

/// The name of the headers file.
pub(crate) const HEADERS_FILE: &str = "_headers";
/// The name of the redirects file.
pub(crate) const REDIRECTS_FILE: &str = "_redirects";
/// Cloudflare Pages reads at most 100 rules; `/*` is one.
const MAX_CACHE_RULES: usize = 99;

/// The host's files for the build's `files` (pages' `facts`, and the
/// sources of the other HTML files the build made, `made`), but none where
/// the site has a file of its own (a static file of the site, under
/// `root`): the site's `_redirects` is the one the host gets, with a
/// warning that utmost's is not written.
pub(crate) fn files(
    site: &Site,
    facts: &[Arc<PageFacts>],
    made: &[Sources],
    files: &[File],
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<File> {
    let mut host_files = match site.config.host {
        Some(Host::S3) => s3::files(site, files),
        Some(host) if !host.reads_header_files() => Vec::new(),
        _ => header_files(site, facts, made, files),
    };
    host_files.retain(|made| {
        let Some(own) = files.iter().find(|f| f.name() == made.name()) else {
            return true;
        };
        // The walk's paths are resolved; the root may be `.`.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let place = own.source().map_or(Path::new(own.output()), |source| {
            source.strip_prefix(&root).unwrap_or(source)
        });
        let message = format!(
            "the site has its own `{}`, so the one utmost writes for the host is left out",
            made.output()
        );
        warnings.push(Diagnostic::file(place, message).with_help(
            "utmost's redirect pages still work; remove your file to get utmost's, or add its rules to yours (the manifest lists every redirect and short link)",
        ));
        false
    });
    host_files
}

/// `_headers` and `_redirects`.
fn header_files(
    site: &Site,
    facts: &[Arc<PageFacts>],
    made: &[Sources],
    files: &[File],
) -> Vec<File> {
    let mut sources = Sources::default();
    sources.add_analytics(site.config.analytics.as_ref());
    // Most pages run and load the same things: each different set once
    // (a rebuild in `serve` does this for every page after every edit;
    // neighbours mostly share theirs).
    let mut seen = FnvSet::default();
    let mut last = None;
    for f in facts {
        if last != Some(f.sources_key) && seen.insert(f.sources_key) {
            sources.extend(&f.sources);
        }
        last = Some(f.sources_key);
    }
    for s in made {
        sources.extend(s);
    }
    // The 404 page is rendered apart from the site's pages.
    if let Some(page) = files.iter().find(|f| &**f.name() == "404.html")
        && let Ok(bytes) = page.bytes()
    {
        sources.extend(&Sources::scan(&String::from_utf8_lossy(&bytes)));
    }
    let fingerprinted = files
        .iter()
        .map(|f| &**f.name())
        .filter(|n| is_fingerprinted(n));
    vec![
        File::text(HEADERS_FILE, headers(&sources, fingerprinted)),
        File::text(REDIRECTS_FILE, redirects(site)),
    ]
}

/// The text of `_redirects`: `FROM TO STATUS` a line, as Netlify
/// (<https://docs.netlify.com/routing/redirects/>) and Cloudflare Pages
/// (<https://developers.cloudflare.com/pages/configuration/redirects/>)
/// read it. A short link is a `302` (where it leads may change; its code
/// does not), written with and without its trailing slash, since people
/// type it without. Netlify serves a file that exists rather than follow
/// a rule for its path unless the status ends in `!`; its redirect page
/// would do, but the rule answers at once, so for Netlify it is forced.
/// Cloudflare follows its rules in any case and reads no `!`.
fn redirects(site: &Site) -> String {
    let force = match site.config.host {
        Some(Host::Netlify) => "!",
        _ => "",
    };
    let mut out = String::from("# Written by utmost: the site's redirects.\n");
    for link in &site.short_links.links {
        let (from, to) = (site.url(&link.path()), site.url(&link.to));
        push_rule(&mut out, &from, &to, "302", force);
    }
    // Aliases, first pages of listings and `redirect_to` sections: moved
    // for good, so `301`, which passes the old URL's standing on.
    for redirect in site.redirects.iter() {
        let to = match &redirect.to {
            RedirectTarget::Path(path) => site.url(path),
            RedirectTarget::Url(url) => url.clone(),
        };
        push_rule(&mut out, &site.url(&redirect.from), &to, "301", force);
    }
    out
}

/// One redirect's lines: a folder's path with and without its trailing
/// slash, since people type it without.
fn push_rule(out: &mut String, from: &str, to: &str, status: &str, force: &str) {
    let bare = from.trim_end_matches('/');
    if !bare.is_empty() && bare != from {
        let _ = writeln!(out, "{bare} {to} {status}{force}");
    }
    let _ = writeln!(out, "{from} {to} {status}{force}");
}

/// The text of `_headers`.
fn headers<'a>(sources: &Sources, fingerprinted: impl Iterator<Item = &'a str>) -> String {
    let mut out =
        String::from("# Written by utmost: the headers Netlify and Cloudflare Pages send.\n/*\n");
    out.push_str(&format!(
        "  Content-Security-Policy: {}\n",
        policy(sources, true)
    ));
    out.push_str("  X-Content-Type-Options: nosniff\n");
    out.push_str("  Referrer-Policy: strict-origin-when-cross-origin\n");
    let mut paths: Vec<&str> = fingerprinted.collect();
    paths.sort_unstable();
    for path in paths.into_iter().take(MAX_CACHE_RULES) {
        out.push_str(&format!(
            "\n/{path}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    out
}

/// Whether a file's name holds a content hash: a `.`-separated part of 8
/// or more hexadecimal digits, a digit among them (`style.5cce95f4da.css`,
/// `hero.3f9a1c2b4d5e6f70.800.webp`), so its bytes never change under
/// that name.
/// Every file of the output is asked (a rebuild in `serve` asks again), so
/// nothing is allocated: the parts between the stem and the extension are
/// looked at in place.
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
    let Some((stem_and_middle, _extension)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((_stem, middle)) = stem_and_middle.split_once('.') else {
        return false;
    };
    middle.split('.').any(|p| {
        p.len() >= 8
            && p.bytes().all(|b| b.is_ascii_hexdigit())
            && p.bytes().any(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_hex_parts_of_a_name() {
        assert!(is_fingerprinted("blog/hero.3f9a1c2b4d5e6f70.800.webp"));
        assert!(is_fingerprinted("style.0123456789abcdef.css"));
        assert!(is_fingerprinted("style.5cce95f4da.css"));
        assert!(!is_fingerprinted("style.css"));
        assert!(!is_fingerprinted("logo.deadbeef.svg"), "a word, no digit");
        assert!(
            !is_fingerprinted("0123456789abcdef0123.css"),
            "a stem, not a hash part"
        );
        assert!(!is_fingerprinted("a.b.0123456789abcdef"), "an extension");
        assert!(!is_fingerprinted("0123456789abcdef"), "no extension");
        assert!(is_fingerprinted("a.0123456789.b.css"), "one part of many");
        assert!(!is_fingerprinted("x.0123456789/a.css"), "a folder's name");
        assert!(!is_fingerprinted("blog/post/index.html"));
    }

    #[test]
    fn headers_in_the_hosts_format() {
        let sources = Sources::scan("<script>go()</script>");
        let text = headers(&sources, ["img/a.0123456789abcdef.webp"].into_iter());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "/*");
        assert!(lines[2].starts_with(
            "  Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-"
        ));
        assert!(lines[2].ends_with("frame-ancestors 'none'"));
        assert_eq!(lines[3], "  X-Content-Type-Options: nosniff");
        assert_eq!(
            lines[4],
            "  Referrer-Policy: strict-origin-when-cross-origin"
        );
        assert_eq!(lines[5], "");
        assert_eq!(lines[6], "/img/a.0123456789abcdef.webp");
        assert_eq!(
            lines[7],
            "  Cache-Control: public, max-age=31536000, immutable"
        );
        // Cloudflare: a line is at most 2,000 characters.
        assert!(lines.iter().all(|l| l.len() <= 2000));
    }
}
