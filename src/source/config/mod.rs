//! site.toml: its validation into [`SiteConfig`].
//!
//! Raw types (`config/raw.rs`) mirror the file; every key they do not take
//! is reported. The validator turns them into the types the rest of the
//! pipeline uses (ids checked, URLs checked, UTM values normalised),
//! collecting every problem as a [`Diagnostic`]; forms are checked in
//! `config/forms.rs` and `config/form_names.rs`. The campaign and form
//! *logic* lives in `model/campaign.rs` and `model/forms.rs`; this folder
//! only owns what the user may write and what it means.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Name};
use crate::model::analytics::Analytics;
use crate::model::campaign::{Campaign, Channel, check_utm_spelling, normalize_utm};
use crate::model::forms::Form;
use crate::model::short_code::check_chosen;
use crate::source::toml_util;
use crate::util::slug::is_slug;
use crate::util::url_safety::{self, is_absolute_http};

use crate::util::layout::CONFIG_FILE;

mod analytics;
mod blog;
mod deploy;
mod form_names;
mod forms;
mod media;
mod raw;

pub(crate) use blog::{DEFAULT_PAGINATE_PATH, FeedConfig, FeedFormat, TAGS, TaxonomyConfig};
pub use deploy::Host;
pub(crate) use media::{Brand, ImagesConfig, missing_brand_files};

use raw::{RawCampaign, RawConfig, RawRep};

/// A sales rep who gets personalised collateral.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Rep {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Paper {
    Letter,
    A4,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub(crate) struct SiteConfig {
    pub title: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub manifest: PathBuf,
    pub default_campaign: Option<String>,
    pub campaigns: BTreeMap<String, Campaign>,
    pub forms: BTreeMap<String, Form>,
    pub window_days: u32,
    /// `[attribution] won_stages`: the deal stages that are won, when
    /// site.toml replaces the defaults.
    pub won_stages: Option<Vec<String>>,
    /// `[attribution] lost_stages`, likewise.
    pub lost_stages: Option<Vec<String>>,
    /// `[analytics]`: the tool pages load, if any.
    pub analytics: Option<Analytics>,
    pub paper: Paper,
    pub reps: BTreeMap<String, Rep>,
    pub extra: serde_json::Value,
    /// Set by `build --pdf`, not site.toml: pages link to collateral PDFs.
    pub pdf_links: bool,
    /// Where the site is published (`[deploy] host`, else `build --host`).
    pub host: Option<Host>,
    /// Warnings are errors (`strict = true`, or `--strict`).
    pub strict: bool,
    /// How images are processed (`[images]`).
    pub images: ImagesConfig,
    /// The brand the default theme wears (`[brand]`).
    pub brand: Brand,
    /// The text of site.toml, for problems found once the site is known
    /// (a form's `redirect` to a page that is not built).
    pub text: std::sync::Arc<str>,
    /// The taxonomies (`tags` always among them) and the feeds.
    pub taxonomies: Vec<TaxonomyConfig>,
    pub feeds: FeedConfig,
}

/// The text of `root/site.toml`.
pub(crate) fn read(root: &Path) -> Result<String, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let source = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                return Err(vec![Diagnostic::at(
                    CONFIG_FILE,
                    &text,
                    valid..valid + 1,
                    "site.toml is not valid UTF-8",
                )]);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![
                Diagnostic::file(CONFIG_FILE, format!("no site.toml in {}", root.display()))
                    .with_help("run `utmost init` to create a site, or pass `--root DIR`"),
            ]);
        }
        Err(e) => {
            return Err(vec![Diagnostic::file(
                CONFIG_FILE,
                format!("cannot read: {e}"),
            )]);
        }
    };
    Ok(source)
}

/// Parses and validates the text of a site.toml.
pub(crate) fn parse(source: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
    match check(source) {
        (Some(config), errors) if errors.is_empty() => Ok(config),
        (_, errors) => Err(errors),
    }
}

/// Every problem of a site.toml, and the configuration as far as it can be
/// read: an id or value that is wrong is reported but kept, so that the
/// rest of the site can still be checked against it. `None` only when the
/// file is not TOML or a key holds the wrong type of value.
pub(crate) fn check(source: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let path = Path::new(CONFIG_FILE);
    let (raw, unknown) =
        match toml_util::parse::<RawConfig>(path, source, 0..source.len(), &raw::keys) {
            Ok(parsed) => parsed,
            Err(errors) => return (None, errors),
        };
    let mut v = Validator {
        source,
        diagnostics: unknown,
    };
    let config = v.config(raw);
    (Some(config), v.diagnostics)
}

/// An error about a top-level key of site.toml `text`: at its value, or
/// at site.toml as a whole when the key is not written (its default).
/// For the checks made outside this folder, once the site's files are seen.
pub(crate) fn at_key(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let table: Option<BTreeMap<String, Spanned<toml::Value>>> = toml::from_str(text).ok();
    match table.as_ref().and_then(|t| t.get(key)) {
        Some(value) => Diagnostic::at(CONFIG_FILE, text, value.span(), message),
        None => Diagnostic::file(CONFIG_FILE, message),
    }
}

struct Validator<'a> {
    source: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(
        &mut self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::at(CONFIG_FILE, self.source, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// The span of a table header such as `[campaigns.spring]`, for errors
    /// about a map key (serde does not give spans of keys).
    fn key_span(&self, table: &str, key: &str) -> std::ops::Range<usize> {
        let header = format!("[{table}.{key}]");
        let inline = format!("{key} =");
        let start = self
            .source
            .find(&header)
            .or_else(|| self.source.find(&inline))
            .unwrap_or(0);
        start..start + header.len().min(self.source.len() - start)
    }

    fn config(&mut self, raw: RawConfig) -> SiteConfig {
        let RawConfig {
            title,
            base_url,
            description,
            language,
            theme,
            output_dir,
            manifest,
            default_campaign,
            campaigns,
            forms,
            attribution,
            analytics,
            collateral,
            reps,
            deploy,
            extra,
            taxonomies,
            feed,
            feed_filenames,
            feed_limit,
            feed_utm,
            strict,
            images,
            brand,
        } = raw;
        let base_url = self.base_url(&base_url);
        let (output_dir, manifest) = self.output_paths(&output_dir, &manifest);
        let campaigns = self.campaigns(campaigns);
        self.default_campaign(default_campaign.as_ref(), &campaigns);
        let window_days = self.window_days(&attribution.window_days);
        let extra = self.extra(extra);
        let forms = self.forms(forms, &base_url);
        let taxonomies = self.taxonomies(taxonomies);
        let feeds = self.feeds(blog::RawFeeds {
            feed,
            feed_filenames,
            feed_limit,
            feed_utm,
        });
        let analytics = self.analytics(analytics, &base_url, &forms);
        SiteConfig {
            title,
            base_url,
            description,
            language,
            theme,
            output_dir,
            manifest,
            default_campaign: default_campaign.map(Spanned::into_inner),
            campaigns,
            forms,
            window_days,
            won_stages: attribution.won_stages,
            lost_stages: attribution.lost_stages,
            analytics,
            paper: collateral.paper.unwrap_or(Paper::Letter),
            reps: self.reps(reps),
            extra,
            pdf_links: false,
            host: deploy.host,
            strict,
            images: self.images(images),
            brand: self.brand(brand),
            text: self.source.into(),
            taxonomies,
            feeds,
        }
    }

    /// `base_url` without its trailing slash; it must be an absolute
    /// http(s) URL without blanks or control characters.
    fn base_url(&mut self, base_url: &Spanned<String>) -> String {
        let text = base_url.get_ref().trim_end_matches('/').to_string();
        if let Some((at, c)) = url_safety::blank_or_control(base_url.get_ref()) {
            let (span, url) = (base_url.span(), base_url.get_ref());
            let literal = self.source.get(span.clone()).unwrap_or_default();
            self.error(
                url_safety::span_in_literal(literal, span.start, url, at),
                url_safety::base_url_message("`base_url`", url, at, c),
            )
            .help = Some("remove it (a space inside a URL is written %20)".into());
        } else if !is_absolute_http(&text) {
            self.error(
                base_url.span(),
                "`base_url` must be an absolute http(s) URL",
            )
            .help = Some("for example `base_url = \"https://www.example.com\"`".into());
        }
        text
    }

    /// `output_dir` and `manifest`: inside the site, the manifest not
    /// inside the output.
    fn output_paths(
        &mut self,
        output_dir: &Spanned<String>,
        manifest: &Spanned<String>,
    ) -> (PathBuf, PathBuf) {
        let output_dir = self.relative_dir(output_dir, "output_dir");
        let manifest_span = manifest.span();
        let manifest = self.relative_dir(manifest, "manifest");
        if !output_dir.as_os_str().is_empty() && manifest.starts_with(&output_dir) {
            self.error(manifest_span, "`manifest` must not be inside `output_dir`");
        }
        (output_dir, manifest)
    }

    /// `default_campaign` must name a campaign of the registry.
    fn default_campaign(
        &mut self,
        id: Option<&Spanned<String>>,
        campaigns: &BTreeMap<String, Campaign>,
    ) {
        let Some(id) = id.filter(|id| !campaigns.contains_key(id.get_ref())) else {
            return;
        };
        let known = campaigns.keys().map(String::as_str);
        let d = Diagnostic::unknown(
            CONFIG_FILE,
            self.source,
            id.span(),
            Name::Campaign,
            id.get_ref(),
            known,
        );
        self.diagnostics.push(d);
    }

    /// `[attribution] window_days`, from 1 to 730.
    fn window_days(&mut self, window: &Spanned<i64>) -> u32 {
        let days = *window.get_ref();
        if !(1..=730).contains(&days) {
            self.error(window.span(), "`window_days` must be between 1 and 730");
        }
        days.clamp(1, 730) as u32
    }

    /// `[extra]` for templates, where no link may run script.
    fn extra(&mut self, extra: toml::Table) -> serde_json::Value {
        let extra = toml::Value::Table(extra);
        if let Some((key, url)) = toml_util::find_script_url(&extra, "extra") {
            let start = self.source.find(&url).unwrap_or(0);
            self.error(
                start..start + url.len(),
                format!("`{key}` is a script URL; links from site.toml may not run script"),
            );
        }
        toml_util::to_json(&extra)
    }

    fn relative_dir(&mut self, value: &Spanned<String>, key: &str) -> PathBuf {
        let path = PathBuf::from(value.get_ref());
        let escapes = path.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
        if escapes || value.get_ref().trim().is_empty() {
            self.error(
                value.span(),
                format!("`{key}` must be a relative path inside the site"),
            );
        }
        path
    }

    /// Reports an id that is not a slug. The entry is kept all the same, so
    /// that pages naming it are not reported as well.
    fn check_id(&mut self, table: &str, id: &str) {
        if is_slug(id) {
            return;
        }
        let span = self.key_span(table, id);
        self.error(span, format!("`{id}` is not a valid {table} id"))
            .help = Some("ids are lowercase letters, digits and `-`, like `spring-launch`".into());
    }

    fn campaigns(&mut self, raw: BTreeMap<String, RawCampaign>) -> BTreeMap<String, Campaign> {
        let mut out = BTreeMap::new();
        for (id, c) in raw {
            self.check_id("campaigns", &id);
            let utm_campaign = normalize_utm(c.utm_campaign.as_ref().map_or(&id, |u| u.get_ref()));
            if let Some(written) = &c.utm_campaign
                && let Err(spelling) = check_utm_spelling(written.get_ref())
                && !spelling.is_empty()
            {
                self.error(
                    written.span(),
                    format!(
                        "campaign `{id}`: `utm_campaign` `{}` mixes case, spaces or separators",
                        written.get_ref()
                    ),
                )
                .help = Some(format!(
                    "links carry one spelling, so write that one: `utm_campaign = \"{spelling}\"`"
                ));
            }
            if utm_campaign.is_empty() {
                let span = self.key_span("campaigns", &id);
                self.error(span, format!("campaign `{id}` has an empty `utm_campaign`"));
            }
            let (start, end) = (c.start.map(|d| d.0), c.end.map(|d| d.0));
            if let (Some(s), Some(e)) = (&start, &end)
                && s > e
            {
                let span = self.key_span("campaigns", &id);
                self.error(
                    span,
                    format!("campaign `{id}` ends ({e}) before it starts ({s})"),
                );
            }
            if let Some(short) = &c.short
                && let Err(why) = check_chosen(short.get_ref())
            {
                self.error(
                    short.span(),
                    format!("campaign `{id}`: `short` `{}` {why}", short.get_ref()),
                )
                .help = Some("a short code is like `spring` or `spring-2026`".into());
            }
            let channels = c
                .channels
                .into_iter()
                .map(|ch| Channel {
                    source: normalize_utm(&ch.source),
                    medium: normalize_utm(&ch.medium),
                })
                .collect();
            out.insert(
                id.clone(),
                Campaign {
                    name: c.name.unwrap_or_else(|| id.clone()),
                    id,
                    utm_campaign,
                    start,
                    end,
                    owner: c.owner,
                    short: c.short.map(Spanned::into_inner),
                    channels,
                },
            );
        }
        out
    }

    fn reps(&mut self, raw: BTreeMap<String, RawRep>) -> BTreeMap<String, Rep> {
        let mut out = BTreeMap::new();
        for (id, r) in raw {
            self.check_id("reps", &id);
            out.insert(
                id.clone(),
                Rep {
                    id,
                    name: r.name,
                    email: r.email,
                    phone: r.phone,
                    title: r.title,
                },
            );
        }
        out
    }
}

/// `team_size` → `Team size`.
fn humanize(name: &str) -> String {
    let text = name.replace(['_', '-'], " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://x.example/\"\n";

    /// Every error of site.toml `src`, rendered without colour; none when
    /// it parses. The config modules' tests read their errors through it.
    pub(in crate::source::config) fn errors(src: &str) -> Vec<String> {
        match parse(src) {
            Ok(_) => vec![],
            Err(d) => d.iter().map(|d| d.render(false)).collect(),
        }
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://x.example");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.window_days, 90);
        assert_eq!(c.paper, Paper::Letter);
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let e = errors(&format!("{MINIMAL}descripton = \"x\"\n"));
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("unknown key `descripton`"), "{}", e[0]);
        assert!(e[0].contains("did you mean `description`?"), "{}", e[0]);
        assert!(e[0].contains("site.toml:3:1"), "{}", e[0]);
    }

    #[test]
    fn utm_campaign_is_written_as_links_carry_it_and_ids_are_checked() {
        let src = format!(
            "{MINIMAL}[campaigns.spring]\nutm_campaign = \"Spring Launch\"\n[campaigns.mixed]\nutm_campaign = \"spring-launch_2026\"\n[campaigns.Bad_Id]\n"
        );
        let e = errors(&src);
        assert_eq!(e.len(), 3, "{e:?}");
        let e = e.join("\n");
        assert!(
            e.contains("`utm_campaign` `Spring Launch` mixes case, spaces or separators"),
            "{e}"
        );
        assert!(e.contains("site.toml:4:16"), "{e}");
        assert!(
            e.contains("write that one: `utm_campaign = \"spring_launch\"`"),
            "{e}"
        );
        assert!(e.contains("`utm_campaign = \"spring_launch_2026\"`"), "{e}");
        assert!(e.contains("`Bad_Id` is not a valid campaigns id"));
        let ok = parse(&format!(
            "{MINIMAL}[campaigns.spring]\nutm_campaign = \"spring_launch\"\n[campaigns.summer-sale]\n"
        ))
        .unwrap();
        assert_eq!(ok.campaigns["spring"].utm_campaign, "spring_launch");
        assert_eq!(ok.campaigns["summer-sale"].utm_campaign, "summer-sale");
    }

    #[test]
    fn rejects_relative_base_url_and_unknown_default_campaign() {
        let src = "title = \"T\"\nbase_url = \"/x\"\ndefault_campaign = \"evergren\"\n[campaigns.evergreen]\n";
        let e = errors(src).join("\n");
        assert!(
            e.contains("`base_url` must be an absolute http(s) URL"),
            "{e}"
        );
        assert!(e.contains("unknown campaign `evergren`"), "{e}");
        assert!(e.contains("did you mean `evergreen`?"), "{e}");
    }

    #[test]
    fn validates_form_fields() {
        let src = format!(
            "{MINIMAL}[forms.demo]\naction = \"javascript:alert(1)\"\nfields = [ {{ name = \"utm_source\" }}, {{ name = \"size\", type = \"select\" }} ]\n"
        );
        let e = errors(&src).join("\n");
        assert!(e.contains("`action` must be an http(s) URL"), "{e}");
        assert!(e.contains("reserved for attribution"), "{e}");
        assert!(e.contains("needs `options`"), "{e}");
    }

    #[test]
    fn output_dir_may_not_escape() {
        let e = errors(&format!("{MINIMAL}output_dir = \"../elsewhere\"\n")).join("\n");
        assert!(
            e.contains("`output_dir` must be a relative path inside the site"),
            "{e}"
        );
    }
}
