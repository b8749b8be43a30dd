//! Front matter as written (serde types, and the keys each table takes,
//! for reporting unknown ones) and its validation into [`FrontMatter`]:
//! every problem of one file's front matter, collected.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{FrontMatter, STAGES, SortBy, Variant};
use crate::diagnostic::{Diagnostic, Kind, Name};
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
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    personalize: bool,
    landing: Option<Spanned<String>>,
    #[serde(default)]
    variants: Vec<RawVariant>,
    #[serde(default)]
    extra: toml::Table,
    sort_by: Option<Spanned<SortBy>>,
    page_template: Option<Spanned<String>>,
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

pub(super) fn parse(
    source: &Path,
    text: &str,
    range: std::ops::Range<usize>,
    is_section: bool,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let toml_text = &text[range.clone()];
    let shift = |mut span: std::ops::Range<usize>| {
        span.start += range.start;
        span.end += range.start;
        span
    };
    let (raw, mut errors) =
        toml_util::parse::<RawFrontMatter>(source, text, range.clone(), &front_matter_keys)
            .map_err(|e| {
                e.into_iter()
                    .map(|d| d.kind(Kind::FrontMatter))
                    .collect::<Vec<_>>()
            })?;
    let at =
        |span: std::ops::Range<usize>, msg: String| Diagnostic::at(source, text, shift(span), msg);
    let stage = raw.stage.map(|s| {
        if !STAGES.contains(&s.get_ref().as_str()) {
            errors.push(Diagnostic::unknown(
                source,
                text,
                shift(s.span()),
                Name::Stage,
                s.get_ref(),
                STAGES,
            ));
        }
        s.into_inner()
    });
    let section_only = "only a section's `_index.md` takes this key";
    let page_only = "a section takes its path from its folder; this key is for pages";
    let misplaced = [
        (
            !is_section,
            raw.sort_by.as_ref().map(Spanned::span),
            section_only,
        ),
        (
            !is_section,
            raw.page_template.as_ref().map(Spanned::span),
            section_only,
        ),
        (is_section, raw.slug.as_ref().map(Spanned::span), page_only),
        (is_section, raw.path.as_ref().map(Spanned::span), page_only),
    ];
    for (wrong, span, message) in misplaced {
        if let (true, Some(span)) = (wrong, span) {
            errors.push(at(span, message.to_string()));
        }
    }
    let variant_extras = raw
        .variants
        .iter()
        .map(|v| ("variants.extra", v.extra.clone()));
    for (name, table) in std::iter::once(("extra", raw.extra.clone())).chain(variant_extras) {
        if let Some((key, url)) = toml_util::find_script_url(&toml::Value::Table(table), name) {
            let start = toml_text
                .find(&url)
                .map_or(range.start, |i| range.start + i);
            errors.push(Diagnostic::at(
                source,
                text,
                start..start + url.len(),
                format!("`{key}` is a script URL; links from front matter may not run script"),
            ));
        }
    }
    let mut seen = Vec::new();
    for v in &raw.variants {
        let id = v.id.get_ref();
        if !crate::util::slug::is_slug(id) || id == "a" {
            errors.push(at(
                v.id.span(),
                format!(
                    "variant id `{id}` must be a lowercase slug other than `a` (the page itself)"
                ),
            ));
        } else if seen.contains(&id) {
            errors.push(at(v.id.span(), format!("variant `{id}` is declared twice")));
        }
        seen.push(id);
    }
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|d| d.kind(Kind::FrontMatter))
            .collect());
    }
    let respan = |s: Spanned<String>| {
        let span = shift(s.span());
        Spanned::new(span, s.into_inner())
    };
    Ok(FrontMatter {
        title: raw.title,
        description: raw.description,
        date: raw.date.map(|d| d.0),
        draft: raw.draft,
        slug: raw.slug.map(respan),
        path: raw.path.map(respan),
        template: raw.template.map(respan),
        campaign: raw.campaign.map(respan),
        form: raw.form.map(respan),
        stage,
        persona: raw.persona,
        weight: raw.weight,
        tags: raw.tags,
        personalize: raw.personalize,
        landing: raw.landing.map(respan),
        variants: raw
            .variants
            .into_iter()
            .map(|v| Variant {
                id: respan(v.id),
                title: v.title,
                description: v.description,
                extra: toml_util::to_json(&toml::Value::Table(v.extra)),
            })
            .collect(),
        extra: toml_util::to_json(&toml::Value::Table(raw.extra)),
        sort_by: raw.sort_by.map(Spanned::into_inner).unwrap_or_default(),
        page_template: raw.page_template.map(respan),
    })
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
}
