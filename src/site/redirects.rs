//! Every redirect the site makes, in one list ([`Site::redirects`]): each
//! `aliases` path of a page or section (its old URLs, which printed QR
//! codes and old links still lead to), the first page of a paginated
//! listing under its pager path (`/blog/page/1/` → `/blog/`), and a
//! section with `redirect_to`. `output/redirects.rs` writes a page for
//! each; a host's own redirect rules can be written from the same list.
//!
//! A redirect may not stand where the site builds a page, nor where
//! another redirect stands: an alias that does is an error at the alias.
//!
//! Adding a kind of redirect (short links, `/go/<code>/`): a
//! [`RedirectKind`] variant, and in [`collect`] a loop that builds each
//! [`Redirect`] and adds it through `Claims::take`, which says what
//! already stands at its file for the error. Everything downstream reads
//! the list whole: the redirect pages (`output/redirects.rs`), the
//! manifest's `redirects`, and whatever writes a host's rules from it
//! (`from` through `Site::url`, `to` through [`Site::redirect_url`]).

use std::collections::HashMap;

use super::{Site, UrlPath};
use crate::diagnostic::Diagnostic;
use crate::model::at_link::AtLink;
use crate::site::links::Target;
use crate::util::url_safety::is_absolute_http;

/// Why the site redirects from a URL. Each of these is permanent (an
/// HTTP 301, where a host's rules say it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirectKind {
    /// An old URL of a page, from its front matter's `aliases`.
    Alias,
    /// The first page of a paginated listing, under the pagers' folder.
    FirstPage,
    /// A section whose front matter says `redirect_to`.
    Section,
}

impl RedirectKind {
    /// Its name in the manifest.
    pub(crate) fn name(self) -> &'static str {
        match self {
            RedirectKind::Alias => "alias",
            RedirectKind::FirstPage => "first-page",
            RedirectKind::Section => "section",
        }
    }
}

/// Where a redirect leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RedirectTarget {
    /// A root-relative path of this site (without `base_url`'s path),
    /// maybe with a `#fragment`.
    Path(String),
    /// An http(s) URL of another site.
    Url(String),
}

/// One redirect of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirect {
    /// The root-relative path it answers (without `base_url`'s path): a
    /// folder (`/old/`, served by `old/index.html`) or a `.html` file.
    pub from: String,
    pub to: RedirectTarget,
    pub kind: RedirectKind,
    /// The entry that asks for it.
    pub entry: usize,
}

impl Redirect {
    /// The file that serves it, relative to the output folder.
    pub(crate) fn file(&self) -> String {
        file_of(&self.from)
    }
}

impl Site {
    /// The absolute URL a redirect leads to.
    pub(crate) fn redirect_url(&self, redirect: &Redirect) -> String {
        match &redirect.to {
            RedirectTarget::Path(path) => self.permalink(path),
            RedirectTarget::Url(url) => url.clone(),
        }
    }
}

/// `/old/` → `old/index.html`; `/old.html` → `old.html`.
fn file_of(from: &str) -> String {
    match from.ends_with('/') {
        true => format!("{}index.html", &from[1..]),
        false => from[1..].to_string(),
    }
}

/// An alias as the path it answers: `old` and `/old` are `/old/`; a last
/// segment ending in `.html` is that file. Its segments are checked when
/// the front matter is read.
fn alias_path(alias: &str) -> String {
    let segments: Vec<&str> = alias.split('/').filter(|s| !s.is_empty()).collect();
    let joined = segments.join("/");
    match joined.ends_with(".html") {
        true => format!("/{joined}"),
        false => UrlPath::folder(segments).to_string(),
    }
}

/// What stands at a file of the output already.
#[derive(Clone, Copy)]
enum Claim {
    /// The output of this index of `site.outputs`.
    Output(usize),
    /// A redirect asked for by this entry.
    Redirect(usize, RedirectKind),
    /// A page the build writes whatever the content: the 404 page.
    NotFound,
    /// The redirect page of a short link (`/go/<code>/`).
    ShortLink,
}

/// The files of the output that are taken, by what: every page's first,
/// then each redirect as it is added. A redirect is added only where
/// nothing stands; whoever adds one reports the clash in its own words.
struct Claims(HashMap<String, Claim>);

impl Claims {
    fn of_pages(site: &Site) -> Claims {
        let mut claims: HashMap<String, Claim> = (site.outputs.iter().enumerate())
            .map(|(i, o)| (o.path.index_file(), Claim::Output(i)))
            .collect();
        claims.insert("404.html".into(), Claim::NotFound);
        for link in &site.short_links.links {
            claims.insert(link.path().index_file(), Claim::ShortLink);
        }
        Claims(claims)
    }

    /// Takes the file of `redirect` for it, or says what stands there.
    fn take(&mut self, redirect: &Redirect) -> Result<(), Claim> {
        let file = redirect.file();
        match self.0.get(&file) {
            Some(&claim) => Err(claim),
            None => {
                let claim = Claim::Redirect(redirect.entry, redirect.kind);
                self.0.insert(file, claim);
                Ok(())
            }
        }
    }
}

/// Every redirect of the site, each checked not to stand where a page or
/// another redirect does: listings' first pages and redirecting sections
/// first, then aliases (an alias is the one to move). Another kind of
/// redirect is added the same way, after these.
pub(super) fn collect(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<Redirect> {
    let mut claims = Claims::of_pages(site);
    let mut redirects = Vec::new();
    for redirect in listing_redirects(site, diagnostics) {
        match claims.take(&redirect) {
            Ok(()) => redirects.push(redirect),
            Err(claim) => {
                let what = describe(site, redirect.entry, claim);
                let message = match redirect.kind {
                    RedirectKind::FirstPage => format!(
                        "the first page of this listing redirects from `{}`, which is {what}",
                        redirect.from
                    ),
                    _ => format!(
                        "this section redirects from `{}`, which is {what}",
                        redirect.from
                    ),
                };
                let source = &site.entries[redirect.entry].doc.source;
                diagnostics.push(Diagnostic::file(source, message));
            }
        }
    }
    // A page that is not written (`render = false`) is nowhere to lead.
    let written = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.front().zola.render);
    for (i, entry) in written {
        for alias in &entry.front().blog.aliases {
            let redirect = Redirect {
                from: alias_path(alias.get_ref()),
                to: RedirectTarget::Path(entry.path.to_string()),
                kind: RedirectKind::Alias,
                entry: i,
            };
            match claims.take(&redirect) {
                Ok(()) => redirects.push(redirect),
                Err(claim) => {
                    let message = taken(site, alias.get_ref(), i, claim);
                    let d = entry.doc.error(alias.span(), message);
                    diagnostics.push(d.with_help(
                        "an alias is an old URL no page uses any more: remove it, or move what is there",
                    ));
                }
            }
        }
    }
    redirects
}

/// The redirects of listings: each paginated listing's first page under
/// its pagers' folder, and each section with `redirect_to`.
fn listing_redirects(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<Redirect> {
    let mut redirects = Vec::new();
    for (i, entry) in site.entries.iter().enumerate() {
        if let Some(paging) = site.paging(i) {
            redirects.push(Redirect {
                from: paging.path(&entry.path, 1).to_string(),
                to: RedirectTarget::Path(entry.path.to_string()),
                kind: RedirectKind::FirstPage,
                entry: i,
            });
        }
        let Some(to) = &entry.front().blog.listing.redirect_to else {
            continue;
        };
        if let Some(target) = section_target(site, i, to, diagnostics) {
            redirects.push(Redirect {
                from: entry.path.to_string(),
                to: target,
                kind: RedirectKind::Section,
                entry: i,
            });
        }
    }
    redirects
}

/// Why `alias` of entry `i` cannot stand where `claim` does.
fn taken(site: &Site, alias: &str, i: usize, claim: Claim) -> String {
    format!("alias `{alias}` is {}", describe(site, i, claim))
}

/// What stands at a URL, as seen from entry `i`: `the URL of content/x.md`.
fn describe(site: &Site, i: usize, claim: Claim) -> String {
    let source = |e: usize| match e == i {
        true => "this page".to_string(),
        false => site.entries[e].doc.source.display().to_string(),
    };
    match claim {
        Claim::Output(o) => {
            let output = &site.outputs[o];
            let what = match (output.variant, &output.rep, output.pager) {
                (Some(_), _, _) => "a variant of ",
                (_, Some(_), _) => "a rep's copy of ",
                (_, _, n) if n > 1 => "a later page of the listing of ",
                _ => "",
            };
            format!("the URL of {what}{}", source(output.entry))
        }
        Claim::Redirect(e, RedirectKind::Alias) => format!("also an alias of {}", source(e)),
        Claim::Redirect(e, RedirectKind::FirstPage) => {
            format!("where the first page of {} redirects from", source(e))
        }
        Claim::Redirect(e, RedirectKind::Section) => {
            format!("the URL of {}, a redirect", source(e))
        }
        Claim::NotFound => "the site's 404 page".to_string(),
        Claim::ShortLink => "a short link of the site".to_string(),
    }
}

/// Where a section's `redirect_to` leads; `None` (reported) when nowhere.
fn section_target(
    site: &Site,
    i: usize,
    to: &toml::Spanned<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RedirectTarget> {
    let doc = &site.entries[i].doc;
    let written = to.get_ref().trim();
    if is_absolute_http(written) {
        return Some(RedirectTarget::Url(written.to_string()));
    }
    let path = match AtLink::parse(written) {
        Some(link) => match site.target(link.file()) {
            Target::Page(path) => link.with_fragment(path.to_string()),
            Target::Failed => return None,
            Target::Missing | Target::Unwritten => {
                diagnostics.extend(site.broken_link(doc, to.span(), link.file()));
                return None;
            }
        },
        None => site_path(written),
    };
    if path.split('#').next() == Some(site.entries[i].path.as_str()) {
        let message = format!("`redirect_to` `{written}` leads to the section itself");
        diagnostics.push(doc.error(to.span(), message));
        return None;
    }
    Some(RedirectTarget::Path(path))
}

/// A path of the site as `redirect_to` may write it, as Zola reads it:
/// from the root whether or not it starts with `/`, and a folder (ending
/// in `/`) unless its last segment names a file (`feed.xml`).
fn site_path(written: &str) -> String {
    let (path, rest) = written.split_at(written.find(['#', '?']).unwrap_or(written.len()));
    let path = path.trim_start_matches('/');
    let last = path.rsplit('/').next().unwrap_or("");
    let slash = match path.is_empty() || path.ends_with('/') || last.contains('.') {
        true => "",
        false => "/",
    };
    format!("/{path}{slash}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_folders_or_html_files() {
        assert_eq!(alias_path("old"), "/old/");
        assert_eq!(alias_path("/blog/old-name/"), "/blog/old-name/");
        assert_eq!(alias_path("/old.html"), "/old.html");
        assert_eq!(alias_path("a//b.html"), "/a/b.html");
        assert_eq!(file_of("/old/"), "old/index.html");
        assert_eq!(file_of("/a/b.html"), "a/b.html");
    }

    #[test]
    fn redirect_paths_are_from_the_root_as_zola_reads_them() {
        assert_eq!(
            site_path("documentation/getting-started/"),
            "/documentation/getting-started/"
        );
        assert_eq!(site_path("docs/overview"), "/docs/overview/");
        assert_eq!(site_path("/blog/#latest"), "/blog/#latest");
        assert_eq!(site_path("/atom.xml"), "/atom.xml");
        assert_eq!(site_path("/"), "/");
    }
}
