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

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::model::analytics::Analytics;
use crate::util::html::find_ci;
use crate::util::url_safety::decode_references;

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
        let mut s = Sources::default();
        let mut at = 0;
        // memchr's searches: a page has hundreds of tags, and the standard
        // library's per-call setup cost more than the scan itself.
        while let Some(off) = memchr::memchr(b'<', &html.as_bytes()[at..]) {
            let start = at + off + 1;
            let rest = &html[start..];
            if rest.starts_with("!--") {
                at = memchr::memmem::find(rest.as_bytes(), b"-->")
                    .map_or(html.len(), |e| start + e + 3);
                continue;
            }
            let name_len = (rest.bytes())
                .position(|c| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let Some(close) = memchr::memchr(b'>', rest.as_bytes()) else {
                break;
            };
            let attrs = &rest[name_len..close];
            at = start + close + 1;
            // Compared in place: most tags are none of these, and a
            // lowercased copy of every tag name cost more than the scan.
            let name = &rest[..name_len];
            let text = ["script", "style"]
                .into_iter()
                .find(|t| t.eq_ignore_ascii_case(name));
            match text {
                Some(element) => {
                    let end_tag = if element == "script" {
                        "</script"
                    } else {
                        "</style"
                    };
                    let body_end = find_ci(&html[at..], end_tag).unwrap_or(0);
                    let body = &html[at..at + body_end];
                    at += body_end;
                    s.element(element, attrs, body);
                }
                None => s.tag(name, attrs),
            }
        }
        let mut rest = html;
        let style = memchr::memmem::Finder::new(" style=\"");
        while let Some(i) = style.find(rest.as_bytes()) {
            let value = &rest[i + 8..];
            let end = value.find('"').unwrap_or(value.len());
            s.style_attributes
                .insert(hash(&decode_references(&value[..end])));
            rest = &value[end..];
        }
        s
    }

    /// A `<script>` or `<style>` element and its text.
    fn element(&mut self, name: &str, attrs: &str, body: &str) {
        if name == "style" {
            self.styles.insert(hash(body));
            return;
        }
        if let Some(src) = attribute(attrs, "src") {
            add_origin(&mut self.script_origins, &src);
            return;
        }
        let kind = attribute(attrs, "type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let runs = matches!(
            kind.trim(),
            "" | "module" | "text/javascript" | "application/javascript"
        );
        if runs {
            self.scripts.insert(hash(body));
        }
    }

    /// Any other tag: what it loads from where.
    fn tag(&mut self, name: &str, attrs: &str) {
        // Tag names are short: a stack copy, lowercased, to match on.
        let mut lower = [0u8; 6];
        let Some(folded) = lower.get_mut(..name.len()) else {
            return;
        };
        folded.copy_from_slice(name.as_bytes());
        folded.make_ascii_lowercase();
        let (set, keys): (&mut BTreeSet<String>, &[&str]) = match &*folded {
            b"img" | b"source" => (&mut self.image_origins, &["src", "srcset"]),
            b"iframe" => (&mut self.frame_origins, &["src"]),
            b"video" | b"audio" | b"track" => (&mut self.media_origins, &["src"]),
            b"form" => (&mut self.form_origins, &["action"]),
            b"link" => {
                let rel = attribute(attrs, "rel")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                match rel.split_whitespace().any(|r| r == "stylesheet") {
                    true => (&mut self.style_origins, &["href"]),
                    false => return,
                }
            }
            _ => return,
        };
        for key in keys {
            if let Some(value) = attribute(attrs, key) {
                // A srcset lists URLs, each followed by its size.
                for url in value.split(',').filter_map(|c| c.split_whitespace().next()) {
                    add_origin(set, url);
                }
            }
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

/// The value of attribute `name` in a tag's attribute text, decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        let i = find_ci(rest, name)?;
        let before = rest[..i].chars().next_back();
        let after = &rest[i + name.len()..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or(""),
        };
        return Some(decode_references(raw).into_owned());
    }
}

/// Adds the origin of `url` when it is another site's (`data:` for data
/// URLs); a URL of the site itself needs none.
fn add_origin(set: &mut BTreeSet<String>, url: &str) {
    let url = url.trim();
    if url.len() > 5 && url[..5].eq_ignore_ascii_case("data:") {
        set.insert("data:".into());
        return;
    }
    let (scheme, rest) = match url.split_once("//") {
        Some(("https:" | "", rest)) => ("https", rest),
        Some(("http:", rest)) => ("http", rest),
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
        assert_eq!(
            s.image_origins,
            set(&["data:", "https://img.example", "https://img2.example"])
        );
        assert_eq!(s.frame_origins, set(&["https://video.example"]));
        assert_eq!(s.form_origins, set(&["https://forms.example"]));
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
