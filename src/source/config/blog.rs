//! site.toml's blog keys, under Zola's names: the taxonomies
//! (`taxonomies = [{ name = "tags", feed = true, paginate_by = 10 }]`;
//! `tags` is one whether declared or not) and the feeds (`feed`,
//! `feed_filenames`, `feed_limit`, and `feed_utm`, the tags a feed's links
//! carry). Which pages a taxonomy or feed holds is the site's to find
//! (`site/taxonomies.rs`, `site/feeds.rs`); this file only owns what the
//! user may write and what it means.

use serde::Serialize;
use toml::Spanned;

use super::Validator;
use super::raw::{RawFeedUtm, RawTaxonomy};
use crate::diagnostic::{Diagnostic, Name};
use crate::model::campaign::normalize_utm;
use crate::util::layout::CONFIG_FILE;
use crate::util::slug::slugify;
use crate::util::url_safety::is_safe_segment;

/// The taxonomy every site has, declared or not: front matter's `tags`.
pub(crate) const TAGS: &str = "tags";
/// Where the second and later pages of a listing go, below it, unless
/// `paginate_path` says otherwise: `/blog/page/2/`.
pub(crate) const DEFAULT_PAGINATE_PATH: &str = "page";
/// How many of the newest pages a feed holds, unless `feed_limit` says.
const DEFAULT_FEED_LIMIT: usize = 20;
/// What a feed's links are tagged with, unless `feed_utm` says.
const DEFAULT_FEED_SOURCE: &str = "feed";
const DEFAULT_FEED_MEDIUM: &str = "rss";

/// A taxonomy: a way of grouping pages by the terms their front matter
/// gives (`tags = ["pricing"]`), with a page listing its terms and a page
/// per term. Serialized as templates see it (`taxonomy`), as Zola has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaxonomyConfig {
    /// As written: what front matter names (`[taxonomies] tags = […]`).
    pub name: String,
    /// Its URL segment: `/tags/`.
    pub slug: String,
    /// Term pages list this many pages each, on as many pages as it takes.
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    /// Each term gets a feed of its newest pages.
    pub feed: bool,
    /// Its list and term pages are built.
    pub render: bool,
    /// Declared in site.toml, rather than the `tags` every site has: a theme
    /// without the taxonomy templates is then an error, not a site without
    /// tag pages.
    #[serde(skip)]
    pub declared: bool,
}

impl TaxonomyConfig {
    /// The taxonomy a site has without declaring it.
    fn implicit_tags() -> TaxonomyConfig {
        TaxonomyConfig {
            name: TAGS.into(),
            slug: TAGS.into(),
            paginate_by: None,
            paginate_path: DEFAULT_PAGINATE_PATH.into(),
            feed: false,
            render: true,
            declared: false,
        }
    }
}

/// A feed format, by the file name that asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedFormat {
    /// Atom (RFC 4287), `atom.xml`.
    Atom,
    /// RSS 2.0, `rss.xml`.
    Rss,
}

impl FeedFormat {
    const ALL: [FeedFormat; 2] = [FeedFormat::Atom, FeedFormat::Rss];

    /// The file it is written to, in the folder of what it lists.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
        }
    }

    /// Its media type, for `<link rel="alternate" type="…">`.
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
        }
    }
}

/// The feeds a site writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedConfig {
    /// `feed`: on, off, or (unset) on when the site has a dated page.
    pub enabled: Option<bool>,
    /// The formats written for each feed, in the order given.
    pub formats: Vec<FeedFormat>,
    /// How many of the newest dated pages a feed holds.
    pub limit: usize,
    /// The `utm_source` and `utm_medium` of a feed's links, normalised.
    pub source: String,
    pub medium: String,
}

/// What site.toml says of feeds, as written.
pub(super) struct RawFeeds {
    pub(super) feed: Option<bool>,
    pub(super) feed_filenames: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) feed_limit: Option<Spanned<i64>>,
    pub(super) feed_utm: Option<RawFeedUtm>,
}

impl Validator<'_> {
    /// The taxonomies, `tags` added when not declared.
    pub(super) fn taxonomies(&mut self, raw: Vec<RawTaxonomy>) -> Vec<TaxonomyConfig> {
        let mut out: Vec<TaxonomyConfig> = Vec::with_capacity(raw.len() + 1);
        for t in raw {
            let name = t.name.get_ref().trim().to_string();
            let slug = slugify(&name);
            if slug.is_empty() {
                self.error(t.name.span(), "a taxonomy's `name` needs a letter or digit")
                    .help = Some("its pages are at `/<name>/`: name it like `tags`".into());
                continue;
            }
            if let Some(other) = out.iter().find(|o| o.slug == slug) {
                let message = match other.name == name {
                    true => format!("taxonomy `{name}` is declared twice"),
                    false => format!(
                        "taxonomies `{}` and `{name}` would both be at `/{slug}/`",
                        other.name
                    ),
                };
                self.error(t.name.span(), message);
                continue;
            }
            let paginate_by = t.paginate_by.and_then(|n| self.paginate_by(&n));
            let paginate_path = match t.paginate_path {
                Some(p) => self.paginate_path(&p),
                None => DEFAULT_PAGINATE_PATH.into(),
            };
            out.push(TaxonomyConfig {
                name,
                slug,
                paginate_by,
                paginate_path,
                feed: t.feed,
                render: t.render,
                declared: true,
            });
        }
        if !out.iter().any(|t| t.name == TAGS) {
            out.push(TaxonomyConfig::implicit_tags());
        }
        out
    }

    /// `paginate_by`: 0 turns pagination off, as in Zola.
    fn paginate_by(&mut self, n: &Spanned<i64>) -> Option<usize> {
        match usize::try_from(*n.get_ref()) {
            Ok(0) => None,
            Ok(n) => Some(n),
            Err(_) => {
                self.error(n.span(), "`paginate_by` must be 0 (no pages) or more");
                None
            }
        }
    }

    /// `paginate_path`: one URL segment, or empty (`/tags/rust/2/`).
    fn paginate_path(&mut self, path: &Spanned<String>) -> String {
        let p = path.get_ref().trim_matches('/');
        if !p.is_empty() && !is_safe_segment(p) {
            self.error(
                path.span(),
                format!(
                    "`paginate_path` `{}` is not one URL segment",
                    path.get_ref()
                ),
            )
            .help = Some("like `page` (the default): `/tags/rust/page/2/`".into());
            return DEFAULT_PAGINATE_PATH.into();
        }
        p.to_string()
    }

    /// `feed`, `feed_filenames`, `feed_limit` and `feed_utm`.
    pub(super) fn feeds(&mut self, raw: RawFeeds) -> FeedConfig {
        let formats = match &raw.feed_filenames {
            Some(names) => self.feed_formats(names),
            None => vec![FeedFormat::Atom],
        };
        let limit = match &raw.feed_limit {
            Some(n) => match usize::try_from(*n.get_ref()) {
                Ok(n) if n > 0 => n,
                _ => {
                    self.error(n.span(), "`feed_limit` must be 1 or more").help =
                        Some("turn feeds off with `feed = false`".into());
                    DEFAULT_FEED_LIMIT
                }
            },
            None => DEFAULT_FEED_LIMIT,
        };
        let (source, medium) = match &raw.feed_utm {
            Some(utm) => (
                self.utm_value(&utm.source, "source"),
                self.utm_value(&utm.medium, "medium"),
            ),
            None => (DEFAULT_FEED_SOURCE.into(), DEFAULT_FEED_MEDIUM.into()),
        };
        FeedConfig {
            enabled: raw.feed,
            formats,
            limit,
            source,
            medium,
        }
    }

    fn feed_formats(&mut self, names: &Spanned<Vec<Spanned<String>>>) -> Vec<FeedFormat> {
        let mut formats = Vec::new();
        if names.get_ref().is_empty() {
            self.error(names.span(), "`feed_filenames` is empty").help =
                Some("turn feeds off with `feed = false`".into());
        }
        for name in names.get_ref() {
            let known = FeedFormat::ALL.iter().map(|f| f.file_name());
            match FeedFormat::ALL
                .into_iter()
                .find(|f| f.file_name() == name.get_ref())
            {
                Some(f) if formats.contains(&f) => {
                    self.error(name.span(), format!("`{}` is named twice", name.get_ref()));
                }
                Some(f) => formats.push(f),
                None => {
                    let d = Diagnostic::unknown(
                        CONFIG_FILE,
                        self.source,
                        name.span(),
                        Name::FeedFile,
                        name.get_ref(),
                        known,
                    );
                    self.diagnostics.push(d);
                }
            }
        }
        formats
    }

    /// A `feed_utm` value, normalised as channels' are; empty is an error.
    fn utm_value(&mut self, value: &Spanned<String>, key: &str) -> String {
        let normal = normalize_utm(value.get_ref());
        if normal.is_empty() {
            self.error(value.span(), format!("`feed_utm.{key}` is empty"));
        }
        normal
    }
}

#[cfg(test)]
mod tests {
    use crate::source::config::parse;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://x.example/\"\n";

    fn errors(extra: &str) -> String {
        super::super::tests::errors(&format!("{MINIMAL}{extra}")).join("\n")
    }

    #[test]
    fn tags_exist_without_being_declared() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.taxonomies.len(), 1);
        assert_eq!(c.taxonomies[0].name, "tags");
        assert!(!c.taxonomies[0].declared);
        let c = parse(&format!(
            "{MINIMAL}taxonomies = [{{ name = \"Categories\", paginate_by = 5, feed = true }}, {{ name = \"tags\", paginate_by = 0 }}]\n"
        ))
        .unwrap();
        let names: Vec<_> = c.taxonomies.iter().map(|t| (&*t.name, &*t.slug)).collect();
        assert_eq!(names, [("Categories", "categories"), ("tags", "tags")]);
        assert_eq!(c.taxonomies[0].paginate_by, Some(5));
        assert_eq!(c.taxonomies[1].paginate_by, None, "0 is no pagination");
        assert!(c.taxonomies[1].declared);
    }

    #[test]
    fn taxonomy_mistakes_are_placed() {
        let e = errors(
            "taxonomies = [{ name = \"tags\" }, { name = \"Tags\" }, { name = \"!!\" }, { name = \"x\", paginate_by = -1, paginate_path = \"a/b\" }]\n",
        );
        assert!(
            e.contains("taxonomies `tags` and `Tags` would both be at `/tags/`"),
            "{e}"
        );
        assert!(
            e.contains("a taxonomy's `name` needs a letter or digit"),
            "{e}"
        );
        assert!(
            e.contains("`paginate_by` must be 0 (no pages) or more"),
            "{e}"
        );
        assert!(
            e.contains("`paginate_path` `a/b` is not one URL segment"),
            "{e}"
        );
        assert!(e.contains("site.toml:3:"), "{e}");
    }

    #[test]
    fn feeds_have_defaults_and_known_file_names() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.feeds.enabled, None);
        assert_eq!(c.feeds.formats, [super::FeedFormat::Atom]);
        assert_eq!((&*c.feeds.source, &*c.feeds.medium), ("feed", "rss"));
        let c = parse(&format!(
            "{MINIMAL}feed = false\nfeed_filenames = [\"rss.xml\", \"atom.xml\"]\nfeed_limit = 5\nfeed_utm = {{ source = \"Newsletter\", medium = \"email\" }}\n"
        ))
        .unwrap();
        assert_eq!(c.feeds.enabled, Some(false));
        assert_eq!(
            c.feeds.formats,
            [super::FeedFormat::Rss, super::FeedFormat::Atom]
        );
        assert_eq!(c.feeds.limit, 5);
        assert_eq!(c.feeds.source, "newsletter");
        let e =
            errors("feed_filenames = [\"atom.xml\", \"atom.xml\", \"feed.xml\"]\nfeed_limit = 0\n");
        assert!(e.contains("`atom.xml` is named twice"), "{e}");
        assert!(e.contains("unknown feed file `feed.xml`"), "{e}");
        assert!(e.contains("`feed_limit` must be 1 or more"), "{e}");
    }
}
