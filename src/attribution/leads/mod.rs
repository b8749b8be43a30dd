//! `utmost leads report`: form submissions exported from a form backend
//! (read by `exports/`, whatever their format), attributed one by one to a
//! campaign of the registry under the first- or last-touch model, and
//! counted by source, medium, page, variant and rep. Rows are counted as
//! they are read and never kept, so memory stays flat however long the
//! export is.
//!
//! Attribution is a pure function of a [`Submission`] and the [`Registry`]
//! (which comes from the built site). Output formats live in
//! `leads/output.rs`.

pub(crate) mod output;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::forms::{Form, hidden_field_names};
use crate::site::Site;
pub(crate) use crate::util::exports::Skipped;
use crate::util::exports::{self, Columns};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Model {
    First,
    Last,
}

/// The columns a report reads: every hidden attribution field, also under
/// the name each form's `rename` sends it as.
pub(crate) fn columns(forms: &BTreeMap<String, Form>) -> Columns {
    let mut columns = Columns::new(hidden_field_names());
    for form in forms.values() {
        for (field, name) in &form.rename {
            columns.alias(name, field);
        }
    }
    columns
}

/// One exported submission: its cells, by the report's [`columns`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Submission<'a> {
    columns: &'a Columns,
    cells: &'a [String],
}

impl<'a> Submission<'a> {
    pub(crate) fn new(columns: &'a Columns, cells: &'a [String]) -> Self {
        Submission { columns, cells }
    }

    fn get(&self, name: &str) -> &'a str {
        self.columns
            .position(name)
            .and_then(|i| self.cells.get(i))
            .map_or("", |v| v.trim())
    }
}

/// Campaign matching ignores case and treats `-`, `_` and spaces alike.
pub(crate) fn match_key(value: &str) -> String {
    value
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// What attribution needs from the site: campaigns, pages and reps.
pub(crate) struct Registry {
    by_utm: HashMap<String, String>,
    by_id: HashMap<String, String>,
    page_campaign: HashMap<String, String>,
    reps: HashMap<String, String>,
}

impl Registry {
    pub(crate) fn new(site: &Site) -> Registry {
        let campaigns = site.config.campaigns.values();
        let page_campaign = site
            .outputs
            .iter()
            .filter_map(|o| {
                let campaign = site.entries[o.entry].campaign.clone()?;
                Some((site.url(&o.path), campaign))
            })
            .collect();
        Registry {
            by_utm: campaigns
                .clone()
                .map(|c| (match_key(&c.utm_campaign), c.id.clone()))
                .collect(),
            by_id: campaigns
                .map(|c| (match_key(&c.id), c.id.clone()))
                .collect(),
            page_campaign,
            reps: site
                .config
                .reps
                .keys()
                .map(|r| (match_key(r), r.clone()))
                .collect(),
        }
    }

    fn page(&self, landing: &str) -> Option<&String> {
        let path = page_path(landing);
        self.page_campaign.get(&path).or_else(|| {
            self.page_campaign
                .get(&format!("{}/", path.trim_end_matches('/')))
        })
    }
}

/// The path of a landing page given as a path or a full URL.
fn page_path(landing: &str) -> String {
    let without_origin = match landing.find("://") {
        Some(i) => landing[i + 3..]
            .find('/')
            .map_or("/", |j| &landing[i + 3 + j..]),
        None => landing,
    };
    without_origin
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string()
}

/// One submission's attribution: what the row says of each dimension,
/// `None` where it says nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribution<'a> {
    /// The campaign id; else the value that matched no campaign, `None`
    /// when the row names none at all.
    pub campaign: Result<String, Option<&'a str>>,
    pub source: Option<&'a str>,
    pub medium: Option<&'a str>,
    pub page: Option<&'a str>,
    pub variant: Option<&'a str>,
    /// The rep whose id its `utm_content` is.
    pub rep: Option<String>,
}

/// How the report shows a dimension the row says nothing of.
const NONE: &str = "(none)";

/// A cell, `None` when it is empty.
fn given(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

/// Counts one more lead under `value` (under [`NONE`] when there is none).
fn count(counts: &mut BTreeMap<String, u64>, value: Option<&str>) {
    let key = value.unwrap_or(NONE);
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

/// Attributes one submission under `model` (DESIGN.md's rules).
pub(crate) fn attribute<'a>(
    row: &Submission<'a>,
    model: Model,
    registry: &Registry,
) -> Attribution<'a> {
    let prefix = match model {
        Model::First => "ft_",
        Model::Last => "",
    };
    let utm = row.get(&format!("{prefix}utm_campaign"));
    let campaign = if !utm.is_empty() {
        registry
            .by_utm
            .get(&match_key(utm))
            .or_else(|| registry.by_id.get(&match_key(utm)))
            .cloned()
            .ok_or(Some(utm))
    } else {
        let landing = row.get("ft_landing_page");
        let from_landing = (model == Model::First && !landing.is_empty())
            .then(|| registry.page(landing))
            .flatten();
        match from_landing {
            Some(c) => Ok(c.clone()),
            None => {
                let id = row.get("campaign_id");
                registry.by_id.get(&match_key(id)).cloned().ok_or(given(id))
            }
        }
    };
    let content = row.get(&format!("{prefix}utm_content"));
    Attribution {
        campaign,
        source: given(row.get(&format!("{prefix}utm_source"))),
        medium: given(row.get(&format!("{prefix}utm_medium"))),
        page: given(row.get("page")),
        variant: given(row.get("variant")),
        rep: registry.reps.get(&match_key(content)).cloned(),
    }
}

/// Leads of one campaign, by dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct CampaignLeads {
    pub id: String,
    pub leads: u64,
    pub by_source: BTreeMap<String, u64>,
    pub by_medium: BTreeMap<String, u64>,
    pub by_page: BTreeMap<String, u64>,
    pub by_variant: BTreeMap<String, u64>,
    pub by_rep: BTreeMap<String, u64>,
}

/// The whole report (its JSON form is DESIGN.md's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Report {
    pub model: Model,
    pub total: u64,
    pub unattributed: u64,
    /// The raw campaign values that matched nothing, with their counts.
    pub unattributed_values: BTreeMap<String, u64>,
    pub campaigns: Vec<CampaignLeads>,
    pub skipped: Vec<Skipped>,
}

/// The report as rows come: each row is counted and let go.
pub(crate) struct Tally<'a> {
    model: Model,
    registry: &'a Registry,
    campaigns: BTreeMap<String, CampaignLeads>,
    total: u64,
    unattributed: u64,
    unattributed_values: BTreeMap<String, u64>,
    skipped: Vec<Skipped>,
}

impl<'a> Tally<'a> {
    /// Every campaign of `campaign_ids` is listed, with zero leads where it
    /// has none.
    pub(crate) fn new(model: Model, registry: &'a Registry, campaign_ids: &[String]) -> Self {
        Tally {
            model,
            registry,
            campaigns: campaign_ids
                .iter()
                .map(|id| {
                    let leads = CampaignLeads {
                        id: id.clone(),
                        ..CampaignLeads::default()
                    };
                    (id.clone(), leads)
                })
                .collect(),
            total: 0,
            unattributed: 0,
            unattributed_values: BTreeMap::new(),
            skipped: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, row: &Submission<'_>) {
        self.total += 1;
        let a = attribute(row, self.model, self.registry);
        let id = match a.campaign {
            Ok(id) => id,
            Err(raw) => {
                self.unattributed += 1;
                count(&mut self.unattributed_values, raw);
                return;
            }
        };
        let Some(c) = self.campaigns.get_mut(&id) else {
            return;
        };
        c.leads += 1;
        for (counts, value) in [
            (&mut c.by_source, a.source),
            (&mut c.by_medium, a.medium),
            (&mut c.by_page, a.page),
            (&mut c.by_variant, a.variant),
            (&mut c.by_rep, a.rep.as_deref()),
        ] {
            count(counts, value);
        }
    }

    pub(crate) fn skip(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }

    pub(crate) fn finish(self) -> Report {
        let mut campaigns: Vec<CampaignLeads> = self.campaigns.into_values().collect();
        campaigns.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.id.cmp(&b.id)));
        Report {
            model: self.model,
            total: self.total,
            unattributed: self.unattributed,
            unattributed_values: self.unattributed_values,
            campaigns,
            skipped: self.skipped,
        }
    }
}

/// A report read from export files, with what reading them found.
pub(crate) struct FromFiles {
    pub report: Report,
    /// Files that read but hold none of the attribution columns.
    pub warnings: Vec<Diagnostic>,
    /// Files that could not be opened.
    pub errors: Vec<Diagnostic>,
}

/// Reads every export and counts its rows for the report.
pub(crate) fn report_files(site: &Site, files: &[PathBuf], model: Model) -> FromFiles {
    let columns = columns(&site.config.forms);
    let registry = Registry::new(site);
    let ids: Vec<String> = site.config.campaigns.keys().cloned().collect();
    let mut tally = Tally::new(model, &registry, &ids);
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    for file in files {
        let shown = file.display().to_string();
        let read = exports::read(file, &shown, &columns, &mut |item| match item {
            Ok(row) => tally.add(&Submission::new(&columns, &row.cells)),
            Err(skipped) => tally.skip(skipped),
        });
        match read {
            Ok(summary) if !summary.matched => warnings.push(no_columns(file, &summary)),
            Ok(_) => {}
            Err(message) => errors.push(Diagnostic::file(file, message)),
        }
    }
    FromFiles {
        report: tally.finish(),
        warnings,
        errors,
    }
}

/// The warning for a file none of whose headers is an attribution field.
fn no_columns(file: &std::path::Path, summary: &exports::Summary) -> Diagnostic {
    let message = if summary.headers.is_empty() {
        "this export has no header row, so no lead in it can be attributed".to_string()
    } else {
        let shown: Vec<String> = summary
            .headers
            .iter()
            .take(40)
            .map(|h| format!("`{h}`"))
            .collect();
        let more = summary.headers.len().saturating_sub(shown.len());
        format!(
            "this export has none of the attribution columns (`utm_campaign`, `ft_utm_campaign`, `campaign_id`, …), so none of its {} row{} can be attributed; its headers are {}{}",
            summary.rows,
            if summary.rows == 1 { "" } else { "s" },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    Diagnostic::file(file, message).with_help(
        "export the form's hidden fields too, or name the backend's columns in the form's `rename` in site.toml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Registry {
            by_utm: map(&[
                ("spring_launch_2026", "spring-launch"),
                ("evergreen", "evergreen"),
            ]),
            by_id: map(&[
                ("spring_launch", "spring-launch"),
                ("evergreen", "evergreen"),
            ]),
            page_campaign: map(&[("/spring/", "spring-launch"), ("/", "evergreen")]),
            reps: map(&[("ana", "ana")]),
        }
    }

    /// `attribute` on a row holding `pairs`.
    /// `attribute` on a row holding `pairs`: its campaign, and its rep.
    fn attr(
        pairs: &[(&str, &str)],
        model: Model,
        registry: &Registry,
    ) -> (Result<String, Option<String>>, Option<String>) {
        let columns = Columns::new(hidden_field_names());
        let mut cells = vec![String::new(); columns.names().len()];
        for (name, value) in pairs {
            cells[columns.position(name).expect("an attribution field")] = value.to_string();
        }
        let a = attribute(&Submission::new(&columns, &cells), model, registry);
        (a.campaign.map_err(|raw| raw.map(str::to_string)), a.rep)
    }

    #[test]
    fn last_touch_matches_utm_campaign_loosely_then_campaign_id() {
        let r = registry();
        let a = attr(
            &[
                ("utm_campaign", "Spring-Launch 2026"),
                ("campaign_id", "evergreen"),
            ],
            Model::Last,
            &r,
        );
        assert_eq!(a.0, Ok("spring-launch".into()));
        let a = attr(
            &[("utm_campaign", ""), ("campaign_id", "spring-launch")],
            Model::Last,
            &r,
        );
        assert_eq!(a.0, Ok("spring-launch".into()));
        let a = attr(
            &[
                ("utm_campaign", "black_friday"),
                ("campaign_id", "evergreen"),
            ],
            Model::Last,
            &r,
        );
        assert_eq!(
            a.0,
            Err(Some("black_friday".into())),
            "a non-matching utm_campaign is unattributed, raw value kept"
        );
        let a = attr(&[], Model::Last, &r);
        assert_eq!(a.0, Err(None));
    }

    #[test]
    fn first_touch_uses_ft_fields_then_landing_page_then_campaign_id() {
        let r = registry();
        let a = attr(
            &[
                ("ft_utm_campaign", "SPRING_LAUNCH_2026"),
                ("utm_campaign", "evergreen"),
            ],
            Model::First,
            &r,
        );
        assert_eq!(a.0, Ok("spring-launch".into()));
        let a = attr(
            &[
                ("ft_landing_page", "https://acme.example/spring/?gclid=1"),
                ("campaign_id", "evergreen"),
            ],
            Model::First,
            &r,
        );
        assert_eq!(a.0, Ok("spring-launch".into()));
        let a = attr(
            &[
                ("ft_landing_page", "/nowhere/"),
                ("campaign_id", "evergreen"),
            ],
            Model::First,
            &r,
        );
        assert_eq!(a.0, Ok("evergreen".into()));
    }

    #[test]
    fn rep_comes_from_utm_content_of_the_model() {
        let r = registry();
        let last = [
            ("utm_campaign", "evergreen"),
            ("utm_content", "Ana"),
            ("ft_utm_content", "bob"),
        ];
        assert_eq!(attr(&last, Model::Last, &r).1.as_deref(), Some("ana"));
        assert_eq!(attr(&last, Model::First, &r).1, None);
    }

    #[test]
    fn counts_by_dimension() {
        let r = registry();
        let columns = Columns::new(hidden_field_names());
        let row = |pairs: &[(&str, &str)]| {
            let mut cells = vec![String::new(); columns.names().len()];
            for (name, value) in pairs {
                cells[columns.position(name).unwrap()] = value.to_string();
            }
            cells
        };
        let rows = [
            row(&[
                ("utm_campaign", "spring_launch_2026"),
                ("utm_source", "linkedin"),
                ("variant", "b"),
                ("page", "/spring/b/"),
            ]),
            row(&[
                ("utm_campaign", "spring_launch_2026"),
                ("utm_source", "newsletter"),
                ("variant", "a"),
                ("page", "/spring/"),
            ]),
            row(&[("utm_campaign", "nope")]),
        ];
        let ids = vec!["evergreen".to_string(), "spring-launch".to_string()];
        let mut tally = Tally::new(Model::Last, &r, &ids);
        for cells in &rows {
            tally.add(&Submission::new(&columns, cells));
        }
        let report = tally.finish();
        assert_eq!(report.total, 3);
        assert_eq!(report.unattributed, 1);
        assert_eq!(report.unattributed_values["nope"], 1);
        let spring = &report.campaigns[0];
        assert_eq!(spring.id, "spring-launch");
        assert_eq!(spring.leads, 2);
        assert_eq!(spring.by_source["linkedin"], 1);
        assert_eq!(spring.by_variant["b"], 1);
        assert_eq!(spring.by_medium["(none)"], 2);
        assert_eq!(report.campaigns[1].leads, 0, "every campaign is listed");
    }
}
