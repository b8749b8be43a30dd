//! The Content-Security-Policy of a site: what its pages load and run,
//! read from their HTML ([`Sources::scan`]), and the policy that allows
//! exactly that ([`policy`]).
//!
//! A page's inline `<script>` and `<style>` elements are allowed by their
//! SHA-256 hashes (`'sha256-…'`, of the element's text exactly as written),
//! its `style` attributes by theirs with `'unsafe-hashes'` (the form
//! honeypot is hidden by one), and what it loads from other sites (scripts,
//! stylesheets, images, frames, media, form actions) by those sites'
//! origins; everything else from the site itself. Data blocks such as
//! JSON-LD (`type="application/ld+json"`) are never run, so CSP does not
//! apply to them and they need no hash. Inline event handlers (`onclick`)
//! are not allowed: a theme attaches handlers from a script.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::model::analytics::Analytics;
use crate::util::tags::{self, Attributes, Visitor};
use crate::util::url_safety::{ScriptUrl, check_url_attribute, decode_references};

/// What pages run and load, each a CSP source expression.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Sources {
    /// Hashes of inline scripts.
    pub scripts: BTreeSet<String>,
    /// Hashes of inline `<style>` elements.
    pub styles: BTreeSet<String>,
    /// Hashes of `style` attributes.
    pub style_attributes: BTreeSet<String>,
    /// Origins of scripts, stylesheets, images, frames, media and forms.
    pub script_origins: BTreeSet<String>,
    pub style_origins: BTreeSet<String>,
    pub image_origins: BTreeSet<String>,
    pub frame_origins: BTreeSet<String>,
    pub media_origins: BTreeSet<String>,
    pub form_origins: BTreeSet<String>,
    /// Where scripts send data: the `[analytics]` tool's endpoints.
    pub connect_origins: BTreeSet<String>,
}

impl Sources {
    /// What one page's HTML runs and loads.
    pub(crate) fn scan(html: &str) -> Sources {
        let mut scan = Scan {
            sources: Sources::default(),
            check: false,
            script_runs: false,
        };
        let _ = tags::visit(html, &mut scan);
        scan.sources.add_style_attributes(html);
        scan.sources
    }

    /// What a finished page runs and loads, in the same pass as the check
    /// that none of its URL attributes would run script
    /// ([`find_script_url`](crate::util::url_safety::find_script_url)'s,
    /// which reads the same tags): the first such attribute instead.
    pub(crate) fn scan_checked(html: &str) -> Result<Sources, ScriptUrl> {
        let mut scan = Scan {
            sources: Sources::default(),
            check: true,
            script_runs: false,
        };
        if let ControlFlow::Break(found) = tags::visit(html, &mut scan) {
            return Err(found);
        }
        scan.sources.add_style_attributes(html);
        Ok(scan.sources)
    }

    /// The hashes of `style="…"` attributes wherever `html` holds one,
    /// also in a script's text, which may write it into the page (the
    /// tags' own, however quoted, are read with the tags).
    fn add_style_attributes(&mut self, html: &str) {
        let mut rest = html;
        let style = memchr::memmem::Finder::new(" style=\"");
        while let Some(i) = style.find(rest.as_bytes()) {
            let value = &rest[i + 8..];
            let end = value.find('"').unwrap_or(value.len());
            (self.style_attributes).insert(hash(&decode_references(&value[..end])));
            rest = &value[end..];
        }
    }

    /// Adds what the `[analytics]` tool loads and where it sends, which
    /// its script decides and a page's HTML does not show.
    pub(crate) fn add_analytics(&mut self, analytics: Option<&Analytics>) {
        let Some(a) = analytics else { return };
        let tool = a.sources();
        let others = |list: Vec<String>| list.into_iter().filter(|s| s != "'self'");
        self.script_origins.extend(others(tool.script_src));
        self.connect_origins.extend(others(tool.connect_src));
        self.image_origins.extend(others(tool.img_src));
    }

    /// Adds what `other` runs and loads.
    pub(crate) fn extend(&mut self, other: &Sources) {
        let pairs = [
            (&mut self.scripts, &other.scripts),
            (&mut self.styles, &other.styles),
            (&mut self.style_attributes, &other.style_attributes),
            (&mut self.script_origins, &other.script_origins),
            (&mut self.style_origins, &other.style_origins),
            (&mut self.image_origins, &other.image_origins),
            (&mut self.frame_origins, &other.frame_origins),
            (&mut self.media_origins, &other.media_origins),
            (&mut self.form_origins, &other.form_origins),
            (&mut self.connect_origins, &other.connect_origins),
        ];
        for (mine, theirs) in pairs {
            // Cloned only when new: most are there already.
            for source in theirs {
                if !mine.contains(source) {
                    mine.insert(source.clone());
                }
            }
        }
    }
}

/// `'sha256-…'` of `text`.
///
/// Remembered per thread: every page carries the same attribution script
/// and form styles, and hashing them again on each page was a tenth of a
/// build's instructions. Texts are compared whole, so a hit is exact.
pub(crate) fn hash(text: &str) -> String {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<Box<str>, String>> =
            Default::default();
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(known) = seen.get(text) {
            return known.clone();
        }
        let digest = Sha256::digest(text.as_bytes());
        let hashed = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        // A page's own inline code (rare) must not grow the memory of a
        // large build: the common texts come back after a clear.
        if seen.len() >= 256 {
            seen.clear();
        }
        seen.insert(text.into(), hashed.clone());
        hashed
    })
}

/// Reads a page's tags into its sources, and (when `check`) stops at
/// the first URL attribute that would run script.
struct Scan {
    sources: Sources,
    check: bool,
    /// The `<script>` just opened runs its text (no `src`, a type that
    /// runs).
    script_runs: bool,
}

impl<'a> Visitor<'a> for Scan {
    type Stop = ScriptUrl;

    fn tag(&mut self, name: &'a str, attributes: &mut Attributes<'a>) -> ControlFlow<ScriptUrl> {
        // Tag names are short: a stack copy, lowercased, to match on.
        let mut lower = [0u8; 6];
        let folded = match lower.get_mut(..name.len()) {
            Some(folded) => {
                folded.copy_from_slice(name.as_bytes());
                folded.make_ascii_lowercase();
                &*folded
            }
            None => &[],
        };
        let loads = loads(folded);
        // The first of each name counts, as in a browser.
        let mut found: [Option<&str>; 2] = [None, None];
        let (mut kind, mut rel) = (None, None);
        for (attribute, value) in attributes {
            if self.check {
                check_url_attribute(attribute, value)?;
            }
            if let Some(i) = loads
                .iter()
                .position(|(l, _)| l.eq_ignore_ascii_case(attribute))
            {
                found[i].get_or_insert(value);
            } else if attribute.eq_ignore_ascii_case("type") {
                kind.get_or_insert(value);
            } else if attribute.eq_ignore_ascii_case("rel") {
                rel.get_or_insert(value);
            } else if attribute.eq_ignore_ascii_case("style") {
                // However quoted (`add_style_attributes` also searches the
                // whole text, for those a script writes into the page).
                let hashed = hash(&decode_references(value));
                self.sources.style_attributes.insert(hashed);
            }
        }
        // A link loads what its `rel` says; a script runs its text unless
        // it has a `src` or a type that does not run (a data block).
        let link = match folded {
            b"link" => match link_loads(&rel.map(decode_references).unwrap_or_default()) {
                Some(directive) => Some(directive),
                None => return ControlFlow::Continue(()),
            },
            _ => None,
        };
        if folded == b"script" {
            let kind = kind.map(decode_references).unwrap_or_default();
            let kind = kind.trim().to_ascii_lowercase();
            let runs = matches!(
                kind.as_str(),
                "" | "module" | "text/javascript" | "application/javascript"
            );
            self.script_runs = runs && found[0].is_none();
        }
        for (value, (_, directive)) in found.iter().zip(loads) {
            let Some(value) = value.map(decode_references) else {
                continue;
            };
            let set = self.sources.origins(link.unwrap_or(*directive));
            // A srcset lists URLs, each followed by its size.
            for url in value.split(',').filter_map(|c| c.split_whitespace().next()) {
                add_origin(set, url);
            }
        }
        ControlFlow::Continue(())
    }

    fn text(&mut self, name: &'a str, text: &'a str) {
        if name.eq_ignore_ascii_case("style") {
            self.sources.styles.insert(hash(text));
        } else if name.eq_ignore_ascii_case("script") && std::mem::take(&mut self.script_runs) {
            self.sources.scripts.insert(hash(text));
        }
    }
}

/// Which directive's origins a URL is loaded under.
#[derive(Clone, Copy)]
enum Directive {
    Script,
    Style,
    Image,
    Frame,
    Media,
    Form,
}

impl Sources {
    fn origins(&mut self, directive: Directive) -> &mut BTreeSet<String> {
        match directive {
            Directive::Script => &mut self.script_origins,
            Directive::Style => &mut self.style_origins,
            Directive::Image => &mut self.image_origins,
            Directive::Frame => &mut self.frame_origins,
            Directive::Media => &mut self.media_origins,
            Directive::Form => &mut self.form_origins,
        }
    }
}

/// The attributes by which a tag (its name in lower case) loads a URL,
/// and under which directive (a `<link>`'s is its `rel`'s).
fn loads(tag: &[u8]) -> &'static [(&'static str, Directive)] {
    use Directive::*;
    match tag {
        b"img" => &[("src", Image), ("srcset", Image)],
        // `<picture><source srcset>`, `<video><source src>`.
        b"source" => &[("src", Media), ("srcset", Image)],
        b"video" => &[("src", Media), ("poster", Image)],
        b"audio" | b"track" => &[("src", Media)],
        b"iframe" => &[("src", Frame)],
        b"script" => &[("src", Script)],
        b"form" => &[("action", Form)],
        b"button" => &[("formaction", Form)],
        b"input" => &[("formaction", Form), ("src", Image)],
        b"link" => &[("href", Style)],
        _ => &[],
    }
}

/// What a `<link>` with `rel` loads its `href` as, if anything a policy
/// governs: a stylesheet, an icon or a module script.
fn link_loads(rel: &str) -> Option<Directive> {
    let rel = rel.to_ascii_lowercase();
    let has = |token: &str| rel.split_ascii_whitespace().any(|r| r == token);
    match () {
        _ if has("stylesheet") => Some(Directive::Style),
        _ if has("icon") => Some(Directive::Image),
        _ if has("modulepreload") => Some(Directive::Script),
        _ => None,
    }
}

/// Adds the origin of `url` when it is another site's (`data:` for data
/// URLs); a URL of the site itself needs none.
fn add_origin(set: &mut BTreeSet<String>, url: &str) {
    let url = url.trim();
    // (A URL may begin with any character: `get`, never a slice that could
    // end inside one.)
    if url.len() > 5
        && url
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    {
        set.insert("data:".into());
        return;
    }
    let Some((scheme, rest)) = url.split_once("//") else {
        return;
    };
    // Schemes are case-insensitive: `HTTPS://` loads as `https://` does.
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "https:" | "" => "https",
        "http:" => "http",
        _ => return,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !host.is_empty() {
        set.insert(format!("{scheme}://{}", host.to_ascii_lowercase()));
    }
}

/// The policy that allows exactly `sources`. `header` adds what only a
/// response header may say (`frame-ancestors`, which a `<meta>` ignores).
pub(crate) fn policy(sources: &Sources, header: bool) -> String {
    let list = |fixed: &[&str], sets: &[&BTreeSet<String>]| {
        let mut out: Vec<&str> = fixed.to_vec();
        for set in sets {
            out.extend(set.iter().map(String::as_str));
        }
        out.join(" ")
    };
    let s = sources;
    let mut styles: Vec<&BTreeSet<String>> = vec![&s.styles, &s.style_origins];
    let unsafe_hashes = match s.style_attributes.is_empty() {
        true => vec!["'self'"],
        false => {
            styles.push(&s.style_attributes);
            vec!["'self'", "'unsafe-hashes'"]
        }
    };
    let mut directives = vec![
        "default-src 'self'".to_string(),
        format!(
            "script-src {}",
            list(&["'self'"], &[&s.scripts, &s.script_origins])
        ),
        format!("style-src {}", list(&unsafe_hashes, &styles)),
        format!(
            "img-src {}",
            list(&["'self'", "data:"], &[&s.image_origins])
        ),
        "font-src 'self'".to_string(),
        format!("connect-src {}", list(&["'self'"], &[&s.connect_origins])),
        format!("form-action {}", list(&["'self'"], &[&s.form_origins])),
        "base-uri 'self'".to_string(),
        "object-src 'none'".to_string(),
    ];
    if !s.frame_origins.is_empty() {
        directives.push(format!(
            "frame-src {}",
            list(&["'self'"], &[&s.frame_origins])
        ));
    }
    if !s.media_origins.is_empty() {
        directives.push(format!(
            "media-src {}",
            list(&["'self'"], &[&s.media_origins])
        ));
    }
    if header {
        directives.push("frame-ancestors 'none'".to_string());
    }
    directives.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_browsers_do() {
        // The example of the CSP spec's hash-source: alert('Hello, world.');
        assert_eq!(
            hash("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
    }

    #[test]
    fn remembered_hashes_are_the_hashes_of_their_own_text() {
        let first = hash("a()");
        for i in 0..600 {
            assert_ne!(hash(&format!("f{i}()")), first);
        }
        assert_eq!(hash("a()"), first);
        assert_ne!(hash("a() "), first);
    }

    #[test]
    fn scans_inline_code_and_other_sites() {
        let html = r#"<!doctype html><html><head><style>p{}</style>
<script>run()</script><script type="application/ld+json">{"a":1}</script>
<script src="https://cdn.example/x.js"></script><script src="/own.js"></script>
<link rel="stylesheet" href="https://fonts.example/a.css"><link rel="icon" href="https://x.example/i.png">
<!-- <script>not()</script> -->
</head><body><img src="https://img.example/a.png" srcset="https://img2.example/a.png 2x, /b.png 3x">
<img src="data:image/png;base64,AA"><iframe src="//video.example/embed"></iframe>
<form action="https://forms.example/leads?x=1"><div style="color:red&amp;"></div></form>
<SCRIPT>upper()</SCRIPT></body></html>"#;
        let s = Sources::scan(html);
        assert_eq!(
            s.scripts,
            BTreeSet::from([hash("run()"), hash("upper()")]),
            "scripts that run, not data blocks, comments or external ones"
        );
        assert_eq!(s.styles, BTreeSet::from([hash("p{}")]));
        assert_eq!(s.style_attributes, BTreeSet::from([hash("color:red&")]));
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(s.script_origins, set(&["https://cdn.example"]));
        assert_eq!(s.style_origins, set(&["https://fonts.example"]));
        // (A browser fetches an icon under img-src.)
        let images = [
            "data:",
            "https://img.example",
            "https://img2.example",
            "https://x.example",
        ];
        assert_eq!(s.image_origins, set(&images));
        assert_eq!(s.frame_origins, set(&["https://video.example"]));
        assert_eq!(s.form_origins, set(&["https://forms.example"]));
    }

    #[test]
    fn reads_tags_as_a_browser_does() {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let s = Sources::scan(
            r#"<img alt="a src=https://not.example/x" src="/a.png"><img/src=https://slash.example/b.png>
<title><img src="https://title.example/t.png"></title><a title="1>0" href="/"><img src='https://q.example/c.png'>
<script-x>notrun()</script-x><script type=" Module ">m()</script><script src=/own.js>ignored()</script>
<link href="https://fonts.example/a.css" rel="preload stylesheet"><link rel=stylesheet href=/own.css rel=icon>"#,
        );
        assert_eq!(
            s.image_origins,
            set(&["https://q.example", "https://slash.example"]),
            "attributes are read whole, `/` separates them, a title's text is text"
        );
        assert_eq!(s.scripts, BTreeSet::from([hash("m()")]));
        assert_eq!(s.style_origins, set(&["https://fonts.example"]));
    }

    #[test]
    fn every_attribute_that_loads_counts_under_its_directive() {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let styles = Sources::scan("<p style='a:1'></p><p\tstyle=\"b:2\"><i style=c:3>");
        let hashes = ["a:1", "b:2", "c:3"].map(hash);
        assert_eq!(
            styles.style_attributes,
            BTreeSet::from(hashes),
            "however quoted"
        );
        let s = Sources::scan(
            r#"<video poster="https://p.example/a.jpg"><source src="https://m.example/v.mp4"></video>
<picture><source srcset="https://s.example/a.webp 2x"><img src=/a.png></picture>
<form action=/x><button formaction="https://f.example/x">b</button><input type=image src=https://b.example/b.png></form>
<link rel="shortcut icon" href="https://i.example/f.png"><link rel=modulepreload href=https://j.example/m.js>
<link rel=preload as=font href=https://z.example/f.woff2>"#,
        );
        assert_eq!(
            s.image_origins,
            set(&[
                "https://b.example",
                "https://i.example",
                "https://p.example",
                "https://s.example"
            ])
        );
        assert_eq!(s.media_origins, set(&["https://m.example"]));
        assert_eq!(s.form_origins, set(&["https://f.example"]));
        assert_eq!(s.script_origins, set(&["https://j.example"]));
        assert!(s.style_origins.is_empty() && s.frame_origins.is_empty());
    }

    #[test]
    fn origins_of_any_url_however_written() {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let s = Sources::scan(
            "<img src=\"aé€x\" alt=\"\"><img src=\"é\"><img src=\" HTTPS://A.Example/x.png\">\
             <img src=\"DATA:image/png;base64,AA\"><img src=\"Http://b.example\"><img src=\"data:\">",
        );
        assert_eq!(
            s.image_origins,
            set(&["data:", "http://b.example", "https://a.example"])
        );
    }

    #[test]
    fn the_checked_scan_reads_what_both_scans_read() {
        for page in [
            "<a href=\"javascript:x()\"><script>a()</script>",
            "<script>a()</script><a href=\"/\"><img src=\"https://i.example/a.png\">",
            "<form action=\"https://f.example/\"><button formaction=\"java&Tab;script:x\">",
            "<textarea><a href=\"javascript:x\"></textarea><style>p{}</style>",
            "<p style=\"color:red\">x</p><!-- <a href=\"javascript:x\"> -->",
        ] {
            match Sources::scan_checked(page) {
                Ok(sources) => {
                    assert_eq!(sources, Sources::scan(page), "{page}");
                    assert_eq!(crate::util::url_safety::find_script_url(page), None);
                }
                Err(found) => {
                    let alone = crate::util::url_safety::find_script_url(page);
                    assert_eq!(Some(found), alone, "{page}");
                }
            }
        }
        assert!(Sources::scan_checked("<a href=\"javascript:x\">").is_err());
        assert!(Sources::scan_checked("<a href=\"/\">").is_ok());
    }

    #[test]
    fn policy_allows_exactly_what_is_used() {
        let mut s = Sources::scan("<script>a()</script><form action=\"https://f.example/x\">");
        let p = policy(&s, true);
        assert_eq!(
            p,
            format!(
                "default-src 'self'; script-src 'self' {}; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self' https://f.example; base-uri 'self'; object-src 'none'; frame-ancestors 'none'",
                hash("a()")
            )
        );
        assert!(!policy(&s, false).contains("frame-ancestors"));
        s.extend(&Sources::scan("<p style=\"x\"></p>"));
        assert!(
            policy(&s, false).contains(&format!("style-src 'self' 'unsafe-hashes' {}", hash("x")))
        );
    }
}
