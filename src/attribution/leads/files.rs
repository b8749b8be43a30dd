//! The report read from files: the leads exports, counted row by row;
//! with `--deals` the CRM's deals joined to them by contact email; with
//! `--visits` the analytics tool's visits, for conversion by variant.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Model, Report, Submission, Tally, columns, is_attribution, revenue};
use crate::attribution::conversion::{self, PageConversion, VariantTest};
use crate::attribution::deals::{self, Stages};
use crate::attribution::visits::{self, PageMap};
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::util::exports;

/// A report read from export files, with what reading them found.
pub(crate) struct FromFiles {
    pub report: Report,
    /// Files that read but lack columns the report needs, and notes such
    /// as the stages counted as open.
    pub warnings: Vec<Diagnostic>,
    /// Files that could not be opened.
    pub errors: Vec<Diagnostic>,
}

/// Conversion by page and variant (flattened into the JSON report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct VisitsSummary {
    pub pages: Vec<PageConversion>,
    pub tests: Vec<VariantTest>,
    /// Visited URLs that are no page of the site, with their visits.
    pub unknown_pages: BTreeMap<String, u64>,
}

/// What the report reads.
pub(crate) struct Inputs<'a> {
    pub leads: &'a [PathBuf],
    pub model: Model,
    pub deals: &'a [PathBuf],
    pub visits: &'a [PathBuf],
}

/// Reads every leads export and counts its rows for the report; then
/// credits the deals to the leads, and sets the visits beside them.
pub(crate) fn report_files(site: &Site, inputs: &Inputs<'_>) -> FromFiles {
    let (files, model, deal_files) = (inputs.leads, inputs.model, inputs.deals);
    let columns = columns(&site.config.forms);
    let registry = super::Registry::new(site);
    let ids: Vec<String> = site.config.campaigns.keys().cloned().collect();
    let mut tally = Tally::new(model, &registry, &ids);
    if !deal_files.is_empty() {
        tally.keep_contacts();
    }
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    for file in files {
        let shown = file.display().to_string();
        let read = exports::read(file, &shown, &columns, &mut |item| match item {
            Ok(row) => tally.add(&Submission::new(&columns, &row.cells)),
            Err(skipped) => tally.skip(skipped),
        });
        match read {
            Ok(summary) if !summary.headers.iter().any(|h| is_attribution(&columns, h)) => {
                warnings.push(no_columns(file, &summary));
            }
            Ok(_) => {}
            Err(message) => errors.push(Diagnostic::file(file, message)),
        }
    }
    let (mut report, contacts) = tally.finish();
    if let Some(contacts) = contacts {
        let config = &site.config;
        let stages = Stages::new(config.won_stages.as_deref(), config.lost_stages.as_deref());
        let read = deals::read(deal_files, &stages);
        warnings.extend(read.found.warnings);
        errors.extend(read.found.errors);
        report.skipped.extend(read.found.skipped);
        if !read.open_stages.is_empty() {
            warnings.push(open_stages(deal_files, &read.open_stages));
        }
        let summary = revenue::credit(
            &mut report.campaigns,
            &contacts,
            &read.deals,
            read.open_stages,
        );
        if summary.unmatched_deals > 0 {
            warnings.push(unmatched(deal_files, summary.unmatched_deals));
        }
        report.deals = Some(summary);
    }
    if !inputs.visits.is_empty() {
        let read = visits_summary(site, &mut report, inputs.visits);
        warnings.extend(read.0);
        errors.extend(read.1);
    }
    FromFiles {
        report,
        warnings,
        errors,
    }
}

/// Reads the visits and sets conversion by page and variant in `report`;
/// returns the warnings and errors.
fn visits_summary(
    site: &Site,
    report: &mut Report,
    files: &[PathBuf],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let pages = PageMap::new(site);
    let mut read = visits::read(files, &pages);
    let mut leads = BTreeMap::new();
    for (page, n) in &report.page_leads {
        if let Some(pv) = pages.find(page) {
            *leads.entry(pv.clone()).or_default() += n;
        }
    }
    let pages = conversion::pages(&read.by_page, &leads);
    let tests = conversion::tests(&pages);
    if !read.unknown.is_empty() {
        let listed: Vec<String> = read
            .unknown
            .iter()
            .take(20)
            .map(|(url, n)| format!("`{url}` ({n})"))
            .collect();
        let more = read.unknown.len().saturating_sub(listed.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let file = files.first().map_or(Path::new(""), PathBuf::as_path);
        read.found.warnings.push(
            Diagnostic::file(file, format!("visits to URLs that are no page of the site (not counted): {}{more}", listed.join(", ")))
                .with_help("pages the site no longer has, or another site's; the report lists them as `unknown_pages`"),
        );
    }
    report.skipped.append(&mut read.found.skipped);
    report.visits = Some(VisitsSummary {
        pages,
        tests,
        unknown_pages: read.unknown,
    });
    (read.found.warnings, read.found.errors)
}

/// The note listing the stages counted as open pipeline.
fn open_stages(files: &[PathBuf], stages: &std::collections::BTreeMap<String, u64>) -> Diagnostic {
    let listed: Vec<String> = stages
        .iter()
        .map(|(name, n)| {
            let name = if name.is_empty() { "(no stage)" } else { name };
            format!("`{name}` ({n})")
        })
        .collect();
    Diagnostic::file(
        files.first().map_or(Path::new(""), PathBuf::as_path),
        format!("deals in these stages count as open pipeline: {}", listed.join(", ")),
    )
    .with_help("a stage that closes a deal goes in `[attribution] won_stages` or `lost_stages` in site.toml")
}

/// The warning for deals whose contact is in none of the leads exports.
fn unmatched(files: &[PathBuf], n: u64) -> Diagnostic {
    let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    Diagnostic::file(
        files.first().map_or(Path::new(""), PathBuf::as_path),
        format!(
            "{n} deal{} in {} matched no lead by contact email, so {} credited to no campaign",
            if n == 1 { "" } else { "s" },
            shown.join(", "),
            if n == 1 { "it is" } else { "they are" }
        ),
    )
    .with_help("give every leads export that holds those contacts, or check that the deals export has the contact's email")
}

/// The warning for a file none of whose headers is an attribution field.
fn no_columns(file: &std::path::Path, summary: &exports::Summary) -> Diagnostic {
    let message = if summary.headers.is_empty() {
        "this export has no header row, so no lead in it can be attributed".to_string()
    } else {
        format!(
            "this export has none of the attribution columns (`utm_campaign`, `ft_utm_campaign`, `campaign_id`, …), so none of its {} row{} can be attributed; its headers are {}",
            summary.rows,
            if summary.rows == 1 { "" } else { "s" },
            summary.shown_headers()
        )
    };
    Diagnostic::file(file, message).with_help(
        "export the form's hidden fields too, or name the backend's columns in the form's `rename` in site.toml",
    )
}
