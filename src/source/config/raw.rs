//! site.toml as written: serde types that mirror the file, with the
//! defaults of keys that may be left out, and [`keys`], the keys each table
//! takes (for reporting unknown ones). The parent module validates them
//! into [`super::SiteConfig`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::Paper;
use super::analytics::RawAnalytics;
use super::deploy::RawDeploy;
use crate::model::forms::FieldKind;
use crate::source::toml_util::{Step, TomlDate, fields};

#[derive(Deserialize)]
pub(super) struct RawConfig {
    pub(super) title: String,
    pub(super) base_url: Spanned<String>,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default = "default_language")]
    pub(super) language: String,
    #[serde(default = "default_theme")]
    pub(super) theme: String,
    #[serde(default = "default_output")]
    pub(super) output_dir: Spanned<String>,
    #[serde(default = "default_manifest")]
    pub(super) manifest: Spanned<String>,
    pub(super) default_campaign: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) campaigns: BTreeMap<String, RawCampaign>,
    #[serde(default)]
    pub(super) forms: BTreeMap<String, RawForm>,
    #[serde(default)]
    pub(super) attribution: RawAttribution,
    pub(super) analytics: Option<RawAnalytics>,
    #[serde(default)]
    pub(super) collateral: RawCollateral,
    #[serde(default)]
    pub(super) reps: BTreeMap<String, RawRep>,
    #[serde(default)]
    pub(super) deploy: RawDeploy,
    #[serde(default)]
    pub(super) extra: toml::Table,
    // Zola's blog keys: taxonomies and feeds (`config/blog.rs`).
    #[serde(default)]
    pub(super) taxonomies: Vec<RawTaxonomy>,
    pub(super) feed: Option<bool>,
    pub(super) feed_filenames: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) feed_limit: Option<Spanned<i64>>,
    pub(super) feed_utm: Option<RawFeedUtm>,
    /// Warnings (an image without alt text, a missing image) are errors.
    #[serde(default)]
    pub(super) strict: bool,
    #[serde(default)]
    pub(super) images: RawImages,
    #[serde(default)]
    pub(super) brand: RawBrand,
}

/// The keys each table of site.toml takes, by the table's path; `None`
/// for free-form tables (`[extra]`).
pub(super) fn keys(path: &[Step]) -> Option<&'static [&'static str]> {
    let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
    Some(match path {
        [] => fields::<RawConfig>(),
        [t, _] if key(t, "campaigns") => fields::<RawCampaign>(),
        [t, _, c, _] if key(t, "campaigns") && key(c, "channels") => fields::<RawChannel>(),
        [t, _] if key(t, "forms") => fields::<RawForm>(),
        [t, _, f, _] if key(t, "forms") && key(f, "fields") => fields::<RawField>(),
        [t] if key(t, "attribution") => fields::<RawAttribution>(),
        [t] if key(t, "analytics") => fields::<RawAnalytics>(),
        [t] if key(t, "collateral") => fields::<RawCollateral>(),
        [t, _] if key(t, "reps") => fields::<RawRep>(),
        [t] if key(t, "deploy") => fields::<RawDeploy>(),
        [t, _] if key(t, "taxonomies") => fields::<RawTaxonomy>(),
        [t] if key(t, "feed_utm") => fields::<RawFeedUtm>(),
        [t] if key(t, "images") => fields::<RawImages>(),
        [t] if key(t, "brand") => fields::<RawBrand>(),
        _ => return None,
    })
}

pub(super) fn default_language() -> String {
    "en".into()
}
pub(super) fn default_theme() -> String {
    "default".into()
}
pub(super) fn default_output() -> Spanned<String> {
    Spanned::new(0..0, "public".into())
}
pub(super) fn default_manifest() -> Spanned<String> {
    Spanned::new(0..0, "utmost-manifest.json".into())
}

#[derive(Deserialize)]
pub(super) struct RawCampaign {
    pub(super) name: Option<String>,
    pub(super) utm_campaign: Option<Spanned<String>>,
    pub(super) start: Option<TomlDate>,
    pub(super) end: Option<TomlDate>,
    pub(super) owner: Option<String>,
    pub(super) short: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) channels: Vec<RawChannel>,
}

#[derive(Deserialize)]
pub(super) struct RawChannel {
    pub(super) source: String,
    pub(super) medium: String,
}

#[derive(Deserialize)]
pub(super) struct RawForm {
    pub(super) action: Option<Spanned<String>>,
    /// A name, checked by the validator (so a typo gets a suggestion).
    pub(super) provider: Option<Spanned<String>>,
    #[serde(default = "default_submit")]
    pub(super) submit: String,
    pub(super) redirect: Option<Spanned<String>>,
    pub(super) fields: Vec<RawField>,
    /// Keys as plain strings: serde_ignored, which finds unknown keys,
    /// reads map keys only as strings. The validator finds their spans.
    #[serde(default)]
    pub(super) hidden: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) rename: BTreeMap<String, Spanned<String>>,
}

pub(super) fn default_submit() -> String {
    "Send".into()
}

#[derive(Deserialize)]
pub(super) struct RawField {
    pub(super) name: Spanned<String>,
    #[serde(rename = "type", default)]
    pub(super) kind: FieldKind,
    pub(super) label: Option<String>,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) options: Vec<String>,
    pub(super) placeholder: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawAttribution {
    #[serde(default = "default_window")]
    pub(super) window_days: Spanned<i64>,
    pub(super) won_stages: Option<Vec<String>>,
    pub(super) lost_stages: Option<Vec<String>>,
}

impl Default for RawAttribution {
    fn default() -> Self {
        RawAttribution {
            window_days: default_window(),
            won_stages: None,
            lost_stages: None,
        }
    }
}

pub(super) fn default_window() -> Spanned<i64> {
    Spanned::new(0..0, 90)
}

#[derive(Deserialize, Default)]
pub(super) struct RawCollateral {
    pub(super) paper: Option<Paper>,
}

#[derive(Deserialize)]
pub(super) struct RawRep {
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) title: Option<String>,
}

/// One of `taxonomies = [{ name = "tags", feed = true, paginate_by = 10 }]`.
#[derive(Deserialize)]
pub(super) struct RawTaxonomy {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) feed: bool,
    pub(super) paginate_by: Option<Spanned<i64>>,
    pub(super) paginate_path: Option<Spanned<String>>,
    #[serde(default = "yes")]
    pub(super) render: bool,
}

fn yes() -> bool {
    true
}

/// `feed_utm = { source = "feed", medium = "rss" }`.
#[derive(Deserialize)]
pub(super) struct RawFeedUtm {
    pub(super) source: Spanned<String>,
    pub(super) medium: Spanned<String>,
}

/// `[images]`: how images are processed.
#[derive(Deserialize, Default)]
pub(super) struct RawImages {
    pub(super) widths: Option<Spanned<Vec<i64>>>,
    pub(super) quality: Option<Spanned<i64>>,
    pub(super) formats: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) display_width: Option<Spanned<i64>>,
}

/// `[brand]`: the company's look, used by the default theme.
#[derive(Deserialize, Default)]
pub(super) struct RawBrand {
    pub(super) logo: Option<Spanned<String>>,
    pub(super) mark: Option<Spanned<String>>,
    pub(super) image: Option<Spanned<String>>,
    pub(super) color: Option<Spanned<String>>,
    pub(super) font: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use crate::util::serde_keys::{REFERENCE, accepted, check_reference, first_example};

    /// Read from the types, so a key added here without a row in the
    /// reference (or a row left behind for a key removed) fails.
    #[test]
    fn every_key_is_in_the_reference() {
        let problems = check_reference(&accepted::<super::RawConfig>(), REFERENCE, "site.toml");
        assert!(
            problems.is_empty(),
            "docs/reference.md:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn the_reference_example_is_a_valid_site_toml() {
        let example = first_example(REFERENCE, "site.toml", "toml");
        if let Err(d) = crate::source::config::parse(example) {
            panic!("{}", d[0].render(false));
        }
    }
}
