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

mod charts;
pub(crate) mod contacts;
pub(crate) mod files;
pub(crate) mod html;
pub(crate) mod output;
mod output_visits;
pub(crate) mod revenue;

pub(crate) use files::{Inputs, report_files};

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::attribution::visits::page_path;
use crate::model::forms::{Form, hidden_field_names};
use crate::site::Site;
use crate::util::exports::Columns;
pub(crate) use crate::util::exports::Skipped;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Model {
    First,
    Last,
}

/// The columns a report reads: every hidden attribution field, also under
/// the name each form's `rename` sends it as; then the lead's email and
/// when it was submitted (for `--deals`), under the backends' names
/// (Netlify's `created_at`, Formspree's `_date`, HubSpot's `Create Date`,
/// Salesforce's `CreatedDate`).
pub(crate) fn columns(forms: &BTreeMap<String, Form>) -> Columns {
    let mut columns = Columns::new(hidden_field_names().chain([EMAIL.into(), SUBMITTED.into()]));
    for form in forms.values() {
        for (field, name) in &form.rename {
            columns.alias(name, field);
        }
    }
    for alias in ["Email Address", "E-mail", "Work email"] {
        columns.alias(alias, EMAIL);
    }
    for alias in [
        "created_at",
        "_date",
        "Create Date",
        "CreatedDate",
        "Submitted At",
        "Submission Date",
        "Conversion Date",
        "Timestamp",
    ] {
        columns.alias(alias, SUBMITTED);
    }
    columns
}

/// The columns of [`columns`] that are not attribution fields.
const EMAIL: &str = "email";
const SUBMITTED: &str = "submitted_at";

/// Whether a header is one of the attribution fields (not the email or
/// time columns every export has).
pub(crate) fn is_attribution(columns: &Columns, header: &str) -> bool {
    columns
        .index(header)
        .is_some_and(|i| i < columns.names().len() - 2)
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

/// A lead's channel as the report shows it: `linkedin / paid-social`.
pub(crate) fn channel(source: Option<&str>, medium: Option<&str>) -> String {
    format!("{} / {}", source.unwrap_or(NONE), medium.unwrap_or(NONE))
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
    /// By channel, `source / medium` (for the HTML report).
    #[serde(skip)]
    pub by_channel: BTreeMap<String, u64>,
    /// With `--deals`: the deals credited to the campaign.
    #[serde(flatten)]
    pub deals: Option<revenue::CampaignDeals>,
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
    /// With `--deals`: what joining them to the leads found.
    #[serde(flatten)]
    pub deals: Option<revenue::DealsSummary>,
    /// With `--visits`: conversion by page and variant.
    #[serde(flatten)]
    pub visits: Option<files::VisitsSummary>,
    /// Leads by the page the row names, for `--visits`.
    #[serde(skip)]
    pub page_leads: BTreeMap<String, u64>,
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
    /// With `--deals`: the lead of each email.
    contacts: Option<contacts::Contacts>,
    page_leads: BTreeMap<String, u64>,
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
            contacts: None,
            page_leads: BTreeMap::new(),
        }
    }

    /// Keeps the lead of each email, for deals to be credited to.
    pub(crate) fn keep_contacts(&mut self) {
        self.contacts = Some(contacts::Contacts::new(self.model));
    }

    pub(crate) fn add(&mut self, row: &Submission<'_>) {
        self.total += 1;
        let a = attribute(row, self.model, self.registry);
        if let Some(contacts) = self.contacts.as_mut() {
            contacts.add(row.get(EMAIL), row.get(SUBMITTED), &a);
        }
        if a.page.is_some() {
            count(&mut self.page_leads, a.page);
        }
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
        count(&mut c.by_channel, Some(&channel(a.source, a.medium)));
    }

    pub(crate) fn skip(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }

    /// The report, and the lead of each email when they were kept.
    pub(crate) fn finish(self) -> (Report, Option<contacts::Contacts>) {
        let mut campaigns: Vec<CampaignLeads> = self.campaigns.into_values().collect();
        campaigns.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.id.cmp(&b.id)));
        let report = Report {
            model: self.model,
            total: self.total,
            unattributed: self.unattributed,
            unattributed_values: self.unattributed_values,
            campaigns,
            skipped: self.skipped,
            deals: None,
            visits: None,
            page_leads: self.page_leads,
        };
        (report, self.contacts)
    }
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
        let (report, _) = tally.finish();
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
