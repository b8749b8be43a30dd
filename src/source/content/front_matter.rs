//! Front matter: as written (serde types, and the keys each table takes,
//! for reporting unknown ones), and validated into [`FrontMatter`], with
//! every problem of one file's front matter collected.
//!
//! What every file takes is common to all; what only a page takes (`slug`,
//! `path`) or only a section (`sort_by`, `page_template`) is held by the
//! kind of file it is ([`KindKeys`]), so a section's page-only key has
//! nowhere to go but an error; the keys collateral reads (`personalize`,
//! `landing`) are grouped as [`CollateralKeys`].

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::FileKind;
use super::blog_keys::{self, RawBlogKeys};
use super::front_matter_keys::{
    CollateralKeys, FrontMatter, KindKeys, STAGES, SortBy, Variant, ZolaKeys,
};
use crate::diagnostic::{Diagnostic, Kind, Name};
use crate::markdown::headings::InsertAnchor;
use crate::model::variant::VariantId;
use crate::source::toml_util::{self, Step, TomlDate};

#[derive(Deserialize, Default)]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    date: Option<TomlDate>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    campaign: Option<Spanned<String>>,
    form: Option<Spanned<String>>,
    stage: Option<Spanned<String>>,
    persona: Option<String>,
    weight: Option<i64>,
    tags: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    personalize: bool,
    landing: Option<Spanned<String>>,
    short: Option<Spanned<String>>,
    #[serde(default)]
    variants: Vec<RawVariant>,
    #[serde(default)]
    extra: toml::Table,
    sort_by: Option<Spanned<SortBy>>,
    page_template: Option<Spanned<String>>,
    // Zola's blog keys (`blog_keys.rs`).
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    taxonomies: std::collections::BTreeMap<String, Spanned<Vec<String>>>,
    redirect_to: Option<Spanned<String>>,
    paginate_by: Option<Spanned<i64>>,
    paginate_path: Option<Spanned<String>>,
    paginate_reversed: Option<Spanned<bool>>,
    generate_feeds: Option<Spanned<bool>>,
    // Zola's keys: of pages and sections, of pages, of sections.
    render: Option<bool>,
    in_search_index: Option<bool>,
    authors: Option<Spanned<Vec<String>>>,
    updated: Option<Spanned<TomlDate>>,
    insert_anchor_links: Option<Spanned<InsertAnchor>>,
    transparent: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
struct RawVariant {
    id: Spanned<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    extra: toml::Table,
}

/// The keys each table of front matter takes, by the table's path; `None`
/// for free-form tables (`[extra]`).
fn front_matter_keys(path: &[Step]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(toml_util::fields::<RawFrontMatter>()),
        [Step::Key(k), Step::Index(_)] if k == "variants" => {
            Some(toml_util::fields::<RawVariant>())
        }
        _ => None,
    }
}

/// The error for a section's key in a page.
const SECTION_KEY: &str = "only a section's `_index.md` takes this key";
/// The error for a page's URL key in a section.
const PATH_KEY: &str = "a section takes its path from its folder; this key is for pages";
/// The error for another page's key in a section.
const PAGE_KEY: &str = "this key is for pages, not a section's `_index.md`";

/// One file's front matter, the TOML at `range` of `text`. (How the blog
/// keys report through it is `front_matter_report.rs`.)
pub(super) struct Checker<'a> {
    source: &'a Path,
    pub(super) text: &'a str,
    pub(super) range: Range<usize>,
    pub(super) errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// A span of the TOML text as a span of the file.
    pub(super) fn shift(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.range.start..span.end + self.range.start
    }

    /// An error at a span of the TOML text.
    pub(super) fn error(&mut self, span: Range<usize>, message: String) {
        let span = self.shift(span);
        (self.errors).push(Diagnostic::at(self.source, self.text, span, message));
    }

    /// A key's value with its span made relative to the file.
    pub(super) fn respan(&self, s: Spanned<String>) -> Spanned<String> {
        let span = self.shift(s.span());
        Spanned::new(span, s.into_inner())
    }

    fn stage(&mut self, stage: Option<Spanned<String>>) -> Option<String> {
        let s = stage?;
        if !STAGES.contains(&s.get_ref().as_str()) {
            let span = self.shift(s.span());
            let d = Diagnostic::unknown(
                self.source,
                self.text,
                span,
                Name::Stage,
                s.get_ref(),
                STAGES,
            );
            self.errors.push(d);
        }
        Some(s.into_inner())
    }

    /// The keys of the other kind of file, each an error, and this kind's.
    fn kind_keys(&mut self, file: FileKind, raw: &mut RawFrontMatter) -> KindKeys {
        let (slug, path) = (raw.slug.take(), raw.path.take());
        let (authors, updated) = (raw.authors.take(), raw.updated.take());
        let (sort_by, page_template) = (raw.sort_by.take(), raw.page_template.take());
        let (anchors, transparent) = (raw.insert_anchor_links.take(), raw.transparent.take());
        if file == FileKind::Section {
            let path_keys = [slug.map(|s| s.span()), path.map(|s| s.span())];
            let page_keys = [authors.map(|s| s.span()), updated.map(|s| s.span())];
            self.misplaced(path_keys, PATH_KEY);
            self.misplaced(page_keys, PAGE_KEY);
            return KindKeys::Section {
                sort_by: sort_by.map(Spanned::into_inner).unwrap_or_default(),
                page_template: page_template.map(|t| self.respan(t)),
                insert_anchor_links: anchors.map(Spanned::into_inner).unwrap_or_default(),
                transparent: transparent.is_some_and(Spanned::into_inner),
            };
        }
        let section_keys = [
            sort_by.map(|s| s.span()),
            page_template.map(|s| s.span()),
            anchors.map(|s| s.span()),
            transparent.map(|s| s.span()),
        ];
        self.misplaced(section_keys, SECTION_KEY);
        KindKeys::Page {
            slug: slug.map(|s| self.respan(s)),
            path: path.map(|s| self.respan(s)),
            authors: authors.map(Spanned::into_inner).unwrap_or_default(),
            updated: updated.map(|d| d.into_inner().0),
        }
    }

    /// An error at each of `spans` that is there: a key this kind of file
    /// does not take.
    fn misplaced<const N: usize>(&mut self, spans: [Option<Range<usize>>; N], why: &str) {
        for span in spans.into_iter().flatten() {
            self.error(span, why.into());
        }
    }

    /// Script URLs in `[extra]` and each variant's `extra`.
    fn script_urls(&mut self, raw: &RawFrontMatter) {
        let variant_extras = (raw.variants.iter()).map(|v| ("variants.extra", &v.extra));
        for (name, table) in std::iter::once(("extra", &raw.extra)).chain(variant_extras) {
            let value = toml::Value::Table(table.clone());
            if let Some((key, url)) = toml_util::find_script_url(&value, name) {
                let toml_text = &self.text[self.range.clone()];
                let start = toml_text.find(&url).unwrap_or(0);
                let message =
                    format!("`{key}` is a script URL; links from front matter may not run script");
                self.error(start..start + url.len(), message);
            }
        }
    }

    /// Variant ids: declarable, and each once.
    fn variant_ids(&mut self, variants: &[RawVariant]) {
        let mut seen = Vec::new();
        for v in variants {
            let id = v.id.get_ref();
            if !VariantId::is_declarable(id) {
                let message = format!(
                    "variant id `{id}` must be a lowercase slug other than `a` (the page itself)"
                );
                self.error(v.id.span(), message);
            } else if seen.contains(&id) {
                self.error(v.id.span(), format!("variant `{id}` is declared twice"));
            }
            seen.push(id);
        }
    }

    /// A short link's code someone chose.
    fn short(&mut self, short: Option<&Spanned<String>>) {
        if let Some(s) = short
            && let Err(why) = crate::model::short_code::check_chosen(s.get_ref())
        {
            self.error(s.span(), format!("`short` `{}` {why}", s.get_ref()));
        }
    }

    /// A product's offer in `[extra]`, the page's and each variant's.
    fn offers(&mut self, raw: &RawFrontMatter) {
        blog_keys::check_offer(self, &raw.extra, None);
        for v in &raw.variants {
            let mut merged = raw.extra.clone();
            merged.extend(v.extra.clone());
            if v.extra.contains_key("price") || v.extra.contains_key("currency") {
                blog_keys::check_offer(self, &merged, Some(v.id.get_ref()));
            }
        }
    }

    fn variants(&self, raw: Vec<RawVariant>) -> Vec<Variant> {
        (raw.into_iter())
            .map(|v| Variant {
                id: self.respan(v.id),
                title: v.title,
                description: v.description,
                extra: toml_util::to_json(&toml::Value::Table(v.extra)),
            })
            .collect()
    }
}

/// Validates the front matter at `range` of `text`, a file of kind `file`.
pub(super) fn parse(
    source: &Path,
    text: &str,
    range: Range<usize>,
    file: FileKind,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let front_matter = |errors: Vec<Diagnostic>| -> Vec<Diagnostic> {
        errors
            .into_iter()
            .map(|d| d.kind(Kind::FrontMatter))
            .collect()
    };
    let (mut raw, errors) =
        toml_util::parse::<RawFrontMatter>(source, text, range.clone(), &front_matter_keys)
            .map_err(front_matter)?;
    let mut check = Checker {
        source,
        text,
        range,
        errors,
    };
    let stage = check.stage(raw.stage.take());
    let kind = check.kind_keys(file, &mut raw);
    check.script_urls(&raw);
    check.variant_ids(&raw.variants);
    check.short(raw.short.as_ref());
    let blog = blog_keys::check(&mut check, file, take_blog_keys(&mut raw));
    check.offers(&raw);
    if !check.errors.is_empty() {
        return Err(front_matter(check.errors));
    }
    let respan = |s: Option<Spanned<String>>| s.map(|s| check.respan(s));
    Ok(FrontMatter {
        title: raw.title,
        description: raw.description,
        date: raw.date.map(|d| d.0),
        draft: raw.draft,
        template: respan(raw.template),
        campaign: respan(raw.campaign),
        form: respan(raw.form),
        stage,
        persona: raw.persona,
        weight: raw.weight,
        tags: (blog.taxonomies.iter())
            .find(|t| t.taxonomy == crate::source::config::TAGS)
            .map(|t| t.terms.clone())
            .unwrap_or_default(),
        variants: check.variants(raw.variants),
        extra: toml_util::to_json(&toml::Value::Table(raw.extra)),
        collateral: CollateralKeys {
            personalize: raw.personalize,
            landing: respan(raw.landing),
        },
        short: respan(raw.short),
        kind,
        blog,
        zola: ZolaKeys {
            render: raw.render.unwrap_or(true),
            in_search_index: raw.in_search_index.unwrap_or(true),
        },
    })
}

/// The blog keys, taken out of the raw front matter.
fn take_blog_keys(raw: &mut RawFrontMatter) -> RawBlogKeys {
    RawBlogKeys {
        tags: raw.tags.take(),
        aliases: std::mem::take(&mut raw.aliases),
        taxonomies: std::mem::take(&mut raw.taxonomies),
        redirect_to: raw.redirect_to.take(),
        paginate_by: raw.paginate_by.take(),
        paginate_path: raw.paginate_path.take(),
        paginate_reversed: raw.paginate_reversed.take(),
        generate_feeds: raw.generate_feeds.take(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read from the types, so a key added to `RawFrontMatter` without a
    /// row in the reference (or a row left behind) fails.
    #[test]
    fn every_key_is_in_the_reference() {
        use crate::util::serde_keys::{REFERENCE, accepted, check_reference, key_rows};
        let mut problems =
            check_reference(&accepted::<RawFrontMatter>(), REFERENCE, "Front matter");
        let rows = key_rows(REFERENCE, "Front matter");
        let stage = rows.get("stage").copied().unwrap_or_default();
        for s in STAGES.iter().filter(|s| !stage.contains(&format!("`{s}`"))) {
            problems.push(format!("the row of `stage` does not name the value `{s}`"));
        }
        assert!(
            problems.is_empty(),
            "docs/reference.md:\n{}",
            problems.join("\n")
        );
    }

    fn parse_as(file: FileKind, toml: &str) -> Result<FrontMatter, Vec<String>> {
        let text = format!("+++\n{toml}\n+++\n");
        let range = 4..4 + toml.len() + 1;
        parse(Path::new("content/x.md"), &text, range, file)
            .map_err(|e| e.iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn each_kind_of_file_keeps_its_own_keys_and_refuses_the_other_kinds() {
        let page = parse_as(FileKind::Page, "slug = \"s\"").unwrap();
        assert_eq!(page.slug().map(|s| s.get_ref().as_str()), Some("s"));
        let section = parse_as(FileKind::Section, "sort_by = \"weight\"").unwrap();
        assert_eq!(section.sort_by(), SortBy::Weight);
        let errors = parse_as(FileKind::Bundle, "sort_by = \"title\"").unwrap_err();
        assert_eq!(errors, ["only a section's `_index.md` takes this key"]);
        let errors = parse_as(FileKind::Section, "path = \"/x/\"\nslug = \"y\"").unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn zola_keys_are_read_where_zola_reads_them() {
        let page = parse_as(
            FileKind::Page,
            "render = false\nin_search_index = false\nauthors = [\"A\"]\nupdated = 2026-04-02",
        )
        .unwrap();
        assert!(!page.zola.render && !page.zola.in_search_index);
        assert_eq!(
            (page.authors(), page.updated()),
            (&["A".to_string()][..], Some("2026-04-02"))
        );
        let section = parse_as(
            FileKind::Section,
            "insert_anchor_links = \"heading\"\ntransparent = true\nsort_by = \"update_date\"",
        )
        .unwrap();
        assert_eq!(section.insert_anchor_links(), InsertAnchor::Heading);
        assert!(section.transparent() && section.zola.render);
        assert_eq!(section.sort_by(), SortBy::UpdateDate);
        let errors = parse_as(FileKind::Page, "transparent = true").unwrap_err();
        assert_eq!(errors, [SECTION_KEY]);
        let errors = parse_as(FileKind::Section, "authors = []\nupdated = 2026-01-01").unwrap_err();
        assert_eq!(errors, [PAGE_KEY, PAGE_KEY]);
        let errors = parse_as(FileKind::Section, "insert_anchor_links = \"top\"").unwrap_err();
        assert!(errors[0].contains("unknown variant `top`"), "{errors:?}");
    }
}
