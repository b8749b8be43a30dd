//! `utmost campaigns --rep ID`: one rep's own links, so that a lead from
//! Ana's email or Ana's printout is Ana's. For each campaign: a link to
//! each landing page tagged `utm_source=sales`, `utm_medium=email`,
//! `utm_content=<rep>` (to paste into emails and messages), and the QR
//! link of each copy of collateral personalised for the rep; each beside
//! its short link. As a table, CSV or JSON.

use serde::Serialize;

use crate::output::manifest;
use crate::pipeline::Built;
use crate::util::tabular::{self, Format};

/// One of a rep's links.
#[derive(Serialize)]
struct RepLink<'a> {
    campaign: &'a str,
    /// `rep` (an outreach link) or `print` (a personal copy's QR code).
    kind: &'static str,
    page: &'a str,
    source: &'a str,
    medium: &'a str,
    url: &'a str,
    short: &'a str,
}

/// The rep's links in `format`; `Err` names the reps there are when
/// site.toml declares no rep `rep`.
pub(crate) fn render(built: &Built, rep: &str, format: Format) -> Result<String, String> {
    let site = &built.site;
    if !site.config.reps.contains_key(rep) {
        let known: Vec<&str> = site.config.reps.keys().map(String::as_str).collect();
        return Err(match known.is_empty() {
            true => format!("no rep `{rep}`: site.toml declares no `[reps.<id>]`"),
            false => format!(
                "no rep `{rep}` in site.toml; its reps: {}",
                known.join(", ")
            ),
        });
    }
    let m = manifest::build(site, &built.facts);
    let links: Vec<RepLink<'_>> = (m.short_links.iter())
        .filter(|l| l.rep == Some(rep))
        .map(|l| RepLink {
            campaign: l.campaign,
            kind: l.kind,
            page: &l.page,
            source: l.source,
            medium: l.medium,
            url: &l.to,
            short: &l.url,
        })
        .collect();
    let header = [
        "campaign", "kind", "page", "source", "medium", "url", "short",
    ];
    let rows: Vec<Vec<String>> = (links.iter())
        .map(|l| {
            [
                l.campaign, l.kind, l.page, l.source, l.medium, l.url, l.short,
            ]
            .map(str::to_string)
            .to_vec()
        })
        .collect();
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&links).unwrap_or_default() + "\n",
        Format::Csv => tabular::csv(&header, &rows),
        Format::Table => tabular::table(&header, &rows),
    })
}
