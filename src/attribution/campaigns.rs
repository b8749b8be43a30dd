//! `utmost campaigns`: every campaign with its pages and a ready-to-paste
//! tagged URL per channel and page (variants carry `utm_content`), each
//! beside its short link when it has one, as a table, CSV or JSON.
//! Campaigns that ended or have no page are flagged. `--rep ID` lists
//! one rep's own links instead (`rep.rs`).

use serde::Serialize;

use crate::output::manifest::{self, CampaignRecord};
use crate::pipeline::Built;
use crate::util::tabular::{self, Format};

#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    record: CampaignRecord<'a>,
    flags: Vec<String>,
}

/// Warnings about a campaign on `today` (`YYYY-MM-DD`).
fn flags(record: &CampaignRecord<'_>, today: &str) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(end) = record.campaign.end.as_deref().filter(|end| *end < today) {
        flags.push(format!("ended {end}"));
    }
    if let Some(start) = (record.campaign.start.as_deref()).filter(|start| *start > today) {
        flags.push(format!("starts {start}"));
    }
    if record.pages.is_empty() {
        flags.push("no pages".into());
    }
    if record.links.is_empty() && !record.pages.is_empty() {
        flags.push("no channels".into());
    }
    flags
}

/// The listing in `format`, and whether any campaign was flagged.
pub(crate) fn render(built: &Built, format: Format, today: &str) -> (String, Vec<String>) {
    let manifest = manifest::build(&built.site, &built.facts);
    let listed: Vec<Listed<'_>> = manifest
        .campaigns
        .into_iter()
        .map(|record| {
            let flags = flags(&record, today);
            Listed { record, flags }
        })
        .collect();
    let warnings = listed
        .iter()
        .flat_map(|l| {
            l.flags
                .iter()
                .map(move |f| format!("campaign `{}`: {f}", l.record.campaign.id))
        })
        .collect();
    let header = [
        "campaign",
        "utm_campaign",
        "page",
        "source",
        "medium",
        "url",
        "short",
    ];
    let rows: Vec<Vec<String>> = listed
        .iter()
        .flat_map(|l| {
            let r = &l.record.campaign;
            let record = &l.record;
            let base = move |page: &str, source: &str, medium: &str, url: &str, short: &str| {
                vec![
                    r.id.to_string(),
                    r.utm_campaign.to_string(),
                    page.into(),
                    source.into(),
                    medium.into(),
                    url.into(),
                    short.into(),
                ]
            };
            let links: Vec<Vec<String>> = record
                .links
                .iter()
                .map(|k| {
                    let short = k.short.as_deref().unwrap_or("");
                    base(&k.page, &k.source, &k.medium, &k.url, short)
                })
                .collect();
            if links.is_empty() {
                let note = if l.flags.is_empty() {
                    String::new()
                } else {
                    format!("({})", l.flags.join(", "))
                };
                vec![base("", "", "", &note, "")]
            } else {
                links
            }
        })
        .collect();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&listed).unwrap_or_default() + "\n",
        Format::Csv => tabular::csv(&header, &rows),
        Format::Table => tabular::table(&header, &rows),
    };
    (text, warnings)
}

/// Today's date in UTC, the day the listing is for.
pub(crate) use crate::util::clock::today;
