//! Front matter as the rest of the build reads it: the typed keys of one
//! file, each kind of file ([`KindKeys`]) holding only the keys it takes.
//! Reading and checking them is `front_matter.rs`.

use serde::Deserialize;
use toml::Spanned;

use super::FileKind;
use super::blog_keys::BlogKeys;
use crate::markdown::headings::InsertAnchor;

/// The funnel stages a page may declare.
pub(crate) const STAGES: [&str; 6] = [
    "awareness",
    "interest",
    "consideration",
    "intent",
    "evaluation",
    "purchase",
];

/// How a section orders its pages (Zola's names).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SortBy {
    /// Newest first (the default).
    #[default]
    Date,
    /// Most recently updated (else dated) first.
    UpdateDate,
    /// Lightest first, pages without a weight last.
    Weight,
    /// By title, ignoring case.
    Title,
    /// By title, byte by byte.
    TitleBytes,
    /// By slug.
    Slug,
    /// By URL path.
    Permalink,
    /// In the order of their files' paths.
    None,
}

/// Front matter, validated; spans are relative to the whole file.
#[derive(Debug, Clone)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub template: Option<Spanned<String>>,
    pub campaign: Option<Spanned<String>>,
    pub form: Option<Spanned<String>>,
    pub stage: Option<String>,
    pub persona: Option<String>,
    pub weight: Option<i64>,
    /// Every `tags` term, from `tags` and `[taxonomies] tags`.
    pub tags: Vec<String>,
    pub variants: Vec<Variant>,
    pub extra: serde_json::Value,
    /// What a one-pager reads: whether reps get copies, where its QR code leads.
    pub collateral: CollateralKeys,
    /// The code of the page's short link (a one-pager's), or what the
    /// codes of its short links start with (a landing page's).
    pub short: Option<Spanned<String>>,
    /// What only a page, or only a section, takes.
    pub kind: KindKeys,
    /// Zola's blog keys: aliases, taxonomies, a section's listing.
    pub blog: BlogKeys,
    /// Zola's keys that pages and sections share.
    pub zola: ZolaKeys,
}

/// Zola's front-matter keys that pages and sections share.
#[derive(Debug, Clone)]
pub(crate) struct ZolaKeys {
    /// `false`: not written, but seen by templates (listings, `get_page`).
    pub render: bool,
    /// Zola's search index; utmost builds none and only keeps the key.
    pub in_search_index: bool,
}

impl Default for ZolaKeys {
    fn default() -> Self {
        ZolaKeys {
            render: true,
            in_search_index: true,
        }
    }
}

/// The keys only one kind of file takes.
#[derive(Debug, Clone)]
pub(crate) enum KindKeys {
    /// A page (a file of its own, or a bundle's `index.md`).
    Page {
        /// The last segment of its URL, instead of its file name's.
        slug: Option<Spanned<String>>,
        /// Its whole URL path, instead of its folder's and slug.
        path: Option<Spanned<String>>,
        /// Who wrote it.
        authors: Vec<String>,
        /// When it was last changed (`YYYY-MM-DD`).
        updated: Option<String>,
    },
    /// A section (`_index.md`).
    Section {
        /// How its pages are listed.
        sort_by: SortBy,
        /// The template its pages (and those of the sections below it)
        /// render with when they name none.
        page_template: Option<Spanned<String>>,
        /// Anchor links on its own and its pages' headings.
        insert_anchor_links: InsertAnchor,
        /// Its pages are listed in its parent section too.
        transparent: bool,
    },
}

/// The keys printed collateral reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct CollateralKeys {
    /// A copy per rep.
    pub personalize: bool,
    /// An `@/` link to the page its QR code leads to.
    pub landing: Option<Spanned<String>>,
}

/// An A/B variant of a page: its id and what it overrides.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub extra: serde_json::Value,
}

impl FrontMatter {
    /// The front matter of a file that has none (or of a section utmost
    /// makes up): every key at its default.
    pub(crate) fn empty(file: FileKind) -> FrontMatter {
        FrontMatter {
            title: None,
            description: None,
            date: None,
            draft: false,
            template: None,
            campaign: None,
            form: None,
            stage: None,
            persona: None,
            weight: None,
            tags: Vec::new(),
            variants: Vec::new(),
            extra: serde_json::Value::Null,
            collateral: CollateralKeys::default(),
            short: None,
            blog: BlogKeys::default(),
            kind: match file {
                FileKind::Section => KindKeys::Section {
                    sort_by: SortBy::default(),
                    page_template: None,
                    insert_anchor_links: InsertAnchor::None,
                    transparent: false,
                },
                FileKind::Page | FileKind::Bundle => KindKeys::Page {
                    slug: None,
                    path: None,
                    authors: Vec::new(),
                    updated: None,
                },
            },
            zola: ZolaKeys::default(),
        }
    }

    /// A page's `slug`; `None` for a section.
    pub(crate) fn slug(&self) -> Option<&Spanned<String>> {
        match &self.kind {
            KindKeys::Page { slug, .. } => slug.as_ref(),
            KindKeys::Section { .. } => None,
        }
    }

    /// A page's `path`; `None` for a section.
    pub(crate) fn path(&self) -> Option<&Spanned<String>> {
        match &self.kind {
            KindKeys::Page { path, .. } => path.as_ref(),
            KindKeys::Section { .. } => None,
        }
    }

    /// How a section lists its pages (pages list none).
    pub(crate) fn sort_by(&self) -> SortBy {
        match &self.kind {
            KindKeys::Section { sort_by, .. } => *sort_by,
            KindKeys::Page { .. } => SortBy::default(),
        }
    }

    /// A section's template for its pages; `None` for a page.
    pub(crate) fn page_template(&self) -> Option<&Spanned<String>> {
        match &self.kind {
            KindKeys::Section { page_template, .. } => page_template.as_ref(),
            KindKeys::Page { .. } => None,
        }
    }

    /// A page's authors; none for a section.
    pub(crate) fn authors(&self) -> &[String] {
        match &self.kind {
            KindKeys::Page { authors, .. } => authors,
            KindKeys::Section { .. } => &[],
        }
    }

    /// When a page was last changed; `None` for a section.
    pub(crate) fn updated(&self) -> Option<&str> {
        match &self.kind {
            KindKeys::Page { updated, .. } => updated.as_deref(),
            KindKeys::Section { .. } => None,
        }
    }

    /// A section's anchor links (a page's are its section's).
    pub(crate) fn insert_anchor_links(&self) -> InsertAnchor {
        match &self.kind {
            KindKeys::Section {
                insert_anchor_links,
                ..
            } => *insert_anchor_links,
            KindKeys::Page { .. } => InsertAnchor::None,
        }
    }

    /// Whether a section's pages are listed in its parent section too.
    pub(crate) fn transparent(&self) -> bool {
        matches!(
            self.kind,
            KindKeys::Section {
                transparent: true,
                ..
            }
        )
    }
}
