//! The front-matter keys of Zola's blog features, with Zola's meaning:
//! `aliases` (old URLs that redirect here), `[taxonomies]` (the terms a
//! page is filed under; `tags = […]` is the `tags` taxonomy), and a
//! section's `paginate_by`, `paginate_path`, `paginate_reversed`,
//! `generate_feeds` and `redirect_to`. Also the one `[extra]` convention
//! utmost itself reads: `price` with `currency` (a product's offer, in the
//! page's structured data).
//!
//! What can be judged from one file is judged here, each problem at its
//! place: a key of the other kind of file, a path that is no URL path, a
//! term with nothing to make a URL of, a price without a currency. What
//! needs the whole site (a taxonomy site.toml does not declare, an alias
//! that is another page's URL, where `redirect_to` leads) is `site/`'s.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::FileKind;
use crate::util::slug::slugify;
use crate::util::url_safety::{is_absolute_http, is_safe_segment, is_script_url};

/// The taxonomy front matter's top-level `tags` belongs to.
const TAGS: &str = "tags";

/// The blog keys of one file, validated.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlogKeys {
    /// Old URL paths of this page or section, each to redirect here, as
    /// written and checked to be paths (`/old/`, `/old.html`).
    pub aliases: Vec<Spanned<String>>,
    /// The terms it is filed under, by taxonomy, in the order written
    /// (`tags` first when given at the top level). A section has only its
    /// `tags`, for templates: only pages are filed under terms.
    pub taxonomies: Vec<Terms>,
    /// Sections: how they list their pages, their feeds, their redirect.
    pub listing: Listing,
}

/// The terms a page gives one taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    /// The taxonomy's name as written (`tags`).
    pub taxonomy: String,
    /// Where the terms are written in the file (for an unknown taxonomy).
    pub span: Range<usize>,
    /// Each term once, trimmed, as written (`Café`).
    pub terms: Vec<String>,
}

/// What a section's front matter says of its listing (nothing, for pages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Listing {
    /// Its pages, this many on each page of the listing.
    pub paginate_by: Option<usize>,
    /// The folder of the second and later pages: `page` (`/blog/page/2/`);
    /// `None` for the default.
    pub paginate_path: Option<String>,
    /// The last page first, before pagination.
    pub paginate_reversed: bool,
    /// A feed of its own newest pages, beside it (`/blog/atom.xml`).
    pub generate_feeds: bool,
    /// The section is no page but a redirect: an `@/` link, a path or an
    /// http(s) URL.
    pub redirect_to: Option<Spanned<String>>,
}

/// The blog keys as written.
pub(super) struct RawBlogKeys {
    pub(super) tags: Option<Spanned<Vec<String>>>,
    pub(super) aliases: Vec<Spanned<String>>,
    pub(super) taxonomies: BTreeMap<String, Spanned<Vec<String>>>,
    pub(super) redirect_to: Option<Spanned<String>>,
    pub(super) paginate_by: Option<Spanned<i64>>,
    pub(super) paginate_path: Option<Spanned<String>>,
    pub(super) paginate_reversed: Option<Spanned<bool>>,
    pub(super) generate_feeds: Option<Spanned<bool>>,
}

/// Where the blog keys' problems go: the checker of the file's front
/// matter, whose spans are relative to its TOML text.
pub(super) trait Report {
    /// An error at a span of the TOML text.
    fn error(&mut self, span: Range<usize>, message: String);
    /// Help for the last error.
    fn help(&mut self, help: &str);
    /// A span of the TOML text as a span of the file.
    fn shift(&self, span: Range<usize>) -> Range<usize>;
    /// A value with its span made relative to the file.
    fn respan(&self, value: Spanned<String>) -> Spanned<String>;
    /// Where (in the TOML text) the first line setting `key` is, for keys
    /// of free-form tables, whose values have no span.
    fn key_line(&self, key: &str) -> Range<usize>;
}

/// Validates the blog keys of a file of kind `file`.
pub(super) fn check(report: &mut impl Report, file: FileKind, raw: RawBlogKeys) -> BlogKeys {
    Checker(report).blog_keys(file, raw)
}

/// `[extra] price` needs `currency`, and both must be what structured data
/// takes: a price like `49` or `"49.90"`, an ISO 4217 code. `variant` names
/// the variant whose merged `extra` this is.
pub(super) fn check_offer(report: &mut impl Report, extra: &toml::Table, variant: Option<&str>) {
    Checker(report).offer(extra, variant);
}

struct Checker<'a, R>(&'a mut R);

impl<R: Report> Checker<'_, R> {
    fn error(&mut self, span: Range<usize>, message: String) {
        self.0.error(span, message);
    }
    fn help(&mut self, help: &str) {
        self.0.help(help);
    }
    fn shift(&self, span: Range<usize>) -> Range<usize> {
        self.0.shift(span)
    }
    fn respan(&self, value: Spanned<String>) -> Spanned<String> {
        self.0.respan(value)
    }

    fn blog_keys(&mut self, file: FileKind, raw: RawBlogKeys) -> BlogKeys {
        let aliases = (raw.aliases.into_iter())
            .filter_map(|a| self.alias(a))
            .collect();
        let section_keys = [
            raw.redirect_to.as_ref().map(Spanned::span),
            raw.paginate_by.as_ref().map(Spanned::span),
            raw.paginate_path.as_ref().map(Spanned::span),
            raw.paginate_reversed.as_ref().map(Spanned::span),
            raw.generate_feeds.as_ref().map(Spanned::span),
        ];
        if file != FileKind::Section {
            for span in section_keys.into_iter().flatten() {
                self.error(span, "only a section's `_index.md` takes this key".into());
            }
            return BlogKeys {
                aliases,
                taxonomies: self.taxonomies(raw.tags, raw.taxonomies),
                listing: Listing::default(),
            };
        }
        for terms in raw.taxonomies.values() {
            let message = "a section is not filed under taxonomies; `[taxonomies]` is for pages";
            self.error(terms.span(), message.into());
        }
        BlogKeys {
            aliases,
            // A section's `tags` are for its templates: it is not filed.
            taxonomies: self.taxonomies(raw.tags, BTreeMap::new()),
            listing: Listing {
                paginate_by: raw.paginate_by.and_then(|n| self.paginate_by(n)),
                paginate_path: raw.paginate_path.map(|p| self.paginate_path(p)),
                paginate_reversed: raw.paginate_reversed.is_some_and(Spanned::into_inner),
                generate_feeds: raw.generate_feeds.is_some_and(Spanned::into_inner),
                redirect_to: raw.redirect_to.and_then(|r| self.redirect_to(r)),
            },
        }
    }

    /// An alias, when it is a path of safe segments.
    fn alias(&mut self, alias: Spanned<String>) -> Option<Spanned<String>> {
        let segments: Vec<&str> = alias
            .get_ref()
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        if segments.is_empty() || !segments.iter().all(|s| is_safe_segment(s)) {
            let message = format!("alias `{}` is not a URL path", alias.get_ref());
            self.error(alias.span(), message);
            let help = "an old URL path of this page, like `/blog/old-name/` or `/old.html`";
            self.help(help);
            return None;
        }
        Some(self.respan(alias))
    }

    /// The taxonomies of a page: top-level `tags` first, merged with
    /// `[taxonomies] tags`.
    fn taxonomies(
        &mut self,
        tags: Option<Spanned<Vec<String>>>,
        written: BTreeMap<String, Spanned<Vec<String>>>,
    ) -> Vec<Terms> {
        let mut out: Vec<Terms> = Vec::new();
        let given = tags.map(|t| (TAGS.to_string(), t)).into_iter();
        for (taxonomy, terms) in given.chain(written) {
            let span = self.shift(terms.span());
            let mut kept = Vec::new();
            for term in terms.get_ref() {
                let term = term.trim();
                if slugify(term).is_empty() {
                    let message = format!(
                        "{taxonomy} term `{term}` has no letter or digit to make its page's URL of"
                    );
                    self.error(terms.span(), message);
                } else if !kept.iter().any(|k: &String| k == term) {
                    kept.push(term.to_string());
                }
            }
            match out.iter_mut().find(|t| t.taxonomy == taxonomy) {
                Some(t) => {
                    for k in kept {
                        if !t.terms.contains(&k) {
                            t.terms.push(k);
                        }
                    }
                }
                None => out.push(Terms {
                    taxonomy,
                    span,
                    terms: kept,
                }),
            }
        }
        out
    }

    fn paginate_by(&mut self, n: Spanned<i64>) -> Option<usize> {
        match usize::try_from(*n.get_ref()) {
            Ok(0) => None,
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    n.span(),
                    "`paginate_by` must be 0 (no pages) or more".into(),
                );
                None
            }
        }
    }

    fn paginate_path(&mut self, path: Spanned<String>) -> String {
        let p = path.get_ref().trim_matches('/');
        if !p.is_empty() && !is_safe_segment(p) {
            let message = format!(
                "`paginate_path` `{}` is not one URL segment",
                path.get_ref()
            );
            self.error(path.span(), message);
            self.help("like `page` (the default): `/blog/page/2/`");
        }
        p.to_string()
    }

    /// `redirect_to`: an `@/` link, an http(s) URL, or a path of the site
    /// (`/blog/`, or as Zola also takes it, `blog/`: both from the root).
    fn redirect_to(&mut self, to: Spanned<String>) -> Option<Spanned<String>> {
        let target = to.get_ref().trim();
        let path = target.split(['#', '?']).next().unwrap_or("");
        let is_path = !target.starts_with("//")
            && !path.contains(':')
            && path
                .split('/')
                .filter(|s| !s.is_empty())
                .all(is_safe_segment);
        let fine = target.starts_with("@/") || is_absolute_http(target) || is_path;
        if is_script_url(target) || !fine {
            let message = format!("`redirect_to` `{}` is no page or web address", to.get_ref());
            self.error(to.span(), message);
            self.help("an `@/` link (`@/blog/_index.md`), a path (`/blog/`) or an https:// URL");
            return None;
        }
        Some(self.respan(to))
    }

    fn offer(&mut self, extra: &toml::Table, variant: Option<&str>) {
        let Some(price) = extra.get("price") else {
            return;
        };
        let what = variant.map_or(String::new(), |v| format!("variant `{v}`: "));
        let problem = match (price, extra.get("currency")) {
            (_, None) => {
                format!("{what}`price` needs a `currency` (an ISO 4217 code like \"USD\")")
            }
            (toml::Value::Integer(n), _) if *n < 0 => format!("{what}`price` is negative"),
            (toml::Value::Float(f), _) if !f.is_finite() || *f < 0.0 => {
                format!("{what}`price` must be an amount like 49.90")
            }
            (toml::Value::String(s), _) if !is_amount(s) => {
                format!("{what}`price` `{s}` must be an amount like \"49.90\"")
            }
            (toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::String(_), Some(c)) => {
                match c.as_str() {
                    Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {
                        return;
                    }
                    _ => format!("{what}`currency` must be an ISO 4217 code like \"USD\""),
                }
            }
            _ => format!("{what}`price` must be an amount like 49.90"),
        };
        let at = self.0.key_line("price");
        self.error(at, problem);
    }
}

/// `49`, `49.9` or `49.90`: digits, and at most one `.` between digits.
fn is_amount(s: &str) -> bool {
    let (whole, cents) = s.split_once('.').unwrap_or((s, "0"));
    !whole.is_empty()
        && !cents.is_empty()
        && (whole.bytes().chain(cents.bytes())).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{FrontMatter, parse_document};
    use super::*;

    fn front(file: FileKind, toml: &str) -> Result<FrontMatter, Vec<String>> {
        let text = format!("+++\n{toml}\n+++\n");
        let rel = match file {
            FileKind::Section => "_index.md",
            FileKind::Bundle => "x/index.md",
            FileKind::Page => "x.md",
        };
        parse_document(Path::new("content/x.md"), rel.into(), text, 1)
            .map(|d| d.front)
            .map_err(|e| e.iter().map(|d| d.render(false)).collect())
    }

    #[test]
    fn tags_are_the_tags_taxonomy_and_merge_with_taxonomies() {
        let f = front(
            FileKind::Page,
            "tags = [\"Rust\", \" Café \", \"Rust\"]\n[taxonomies]\ntags = [\"café\", \"Web\"]\ncategories = [\"News\"]",
        )
        .unwrap();
        let t: Vec<(&str, Vec<&str>)> = (f.blog.taxonomies.iter())
            .map(|t| (&*t.taxonomy, t.terms.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            t,
            [
                ("tags", vec!["Rust", "Café", "café", "Web"]),
                ("categories", vec!["News"])
            ]
        );
        assert_eq!(
            f.tags,
            ["Rust", "Café", "café", "Web"],
            "page.tags shows all"
        );
    }

    #[test]
    fn section_keys_on_a_page_and_taxonomies_on_a_section_are_placed() {
        let e = front(FileKind::Page, "paginate_by = 3\nredirect_to = \"/x/\"").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let e = e.join("\n");
        assert!(
            e.contains("only a section's `_index.md` takes this key"),
            "{e}"
        );
        assert!(e.contains("content/x.md:2:15"), "{e}");
        assert!(e.contains("content/x.md:3:15"), "{e}");
        let e = front(FileKind::Section, "[taxonomies]\ntags = [\"a\"]").unwrap_err();
        assert!(e[0].contains("`[taxonomies]` is for pages"), "{e:?}");
    }

    #[test]
    fn sections_list_paginate_and_redirect() {
        let f = front(
            FileKind::Section,
            "paginate_by = 5\npaginate_path = \"/seite/\"\ngenerate_feeds = true\nredirect_to = \"@/a.md\"\naliases = [\"/old-blog/\"]",
        )
        .unwrap();
        let l = &f.blog.listing;
        assert_eq!(l.paginate_by, Some(5));
        assert_eq!(l.paginate_path.as_deref(), Some("seite"));
        assert!(l.generate_feeds);
        let to = l.redirect_to.as_ref().unwrap();
        assert_eq!(to.get_ref(), "@/a.md");
        assert_eq!(f.blog.aliases[0].get_ref(), "/old-blog/");
        let none = front(FileKind::Section, "paginate_by = 0").unwrap();
        assert_eq!(none.blog.listing.paginate_by, None);
    }

    #[test]
    fn bad_values_are_placed() {
        let e = front(
            FileKind::Section,
            "aliases = [\"/a/../b/\", \"/\"]\nredirect_to = \"javascript:alert(1)\"\npaginate_path = \"a/b\"\npaginate_by = -2",
        )
        .unwrap_err()
        .join("\n");
        assert!(e.contains("alias `/a/../b/` is not a URL path"), "{e}");
        assert!(e.contains("alias `/` is not a URL path"), "{e}");
        assert!(
            e.contains("`redirect_to` `javascript:alert(1)` is no page"),
            "{e}"
        );
        assert!(
            e.contains("`paginate_path` `a/b` is not one URL segment"),
            "{e}"
        );
        assert!(
            e.contains("`paginate_by` must be 0 (no pages) or more"),
            "{e}"
        );
        let e = front(FileKind::Page, "tags = [\"ok\", \"!!!\"]").unwrap_err();
        assert!(
            e[0].contains("tags term `!!!` has no letter or digit"),
            "{e:?}"
        );
        assert!(e[0].contains("content/x.md:2:8"), "{e:?}");
    }

    #[test]
    fn a_price_needs_a_currency_and_an_amount() {
        front(FileKind::Page, "[extra]\nprice = 49\ncurrency = \"EUR\"").unwrap();
        front(
            FileKind::Page,
            "[extra]\nprice = \"49.90\"\ncurrency = \"USD\"",
        )
        .unwrap();
        let e = front(FileKind::Page, "[extra]\nprice = 49").unwrap_err();
        assert!(e[0].contains("`price` needs a `currency`"), "{e:?}");
        assert!(e[0].contains("content/x.md:3:1"), "{e:?}");
        let e = front(
            FileKind::Page,
            "[extra]\nprice = \"$49\"\ncurrency = \"usd\"",
        )
        .unwrap_err();
        assert!(e[0].contains("`price` `$49` must be an amount"), "{e:?}");
        let e = front(FileKind::Page, "[extra]\nprice = 4\ncurrency = \"usd\"").unwrap_err();
        assert!(
            e[0].contains("`currency` must be an ISO 4217 code"),
            "{e:?}"
        );
        let e = front(
            FileKind::Page,
            "[extra]\ncurrency = \"USD\"\n[[variants]]\nid = \"b\"\n[variants.extra]\nprice = \"x\"",
        )
        .unwrap_err();
        assert!(e[0].contains("variant `b`: `price` `x`"), "{e:?}");
        assert!(is_amount("0.5") && !is_amount(".5") && !is_amount("5.") && !is_amount("1,5"));
    }
}
