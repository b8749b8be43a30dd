//! The report read from files: the leads exports, counted row by row, and
//! with `--deals` the CRM's deals joined to them by contact email.

use std::path::{Path, PathBuf};

use super::{Model, Report, Submission, Tally, columns, is_attribution, revenue};
use crate::attribution::deals::{self, Stages};
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

/// Reads every leads export and counts its rows for the report; then,
/// when `deal_files` are given, credits their deals to the leads.
pub(crate) fn report_files(
    site: &Site,
    files: &[PathBuf],
    model: Model,
    deal_files: &[PathBuf],
) -> FromFiles {
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
        warnings.extend(read.warnings);
        errors.extend(read.errors);
        report.skipped.extend(read.skipped);
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
    FromFiles {
        report,
        warnings,
        errors,
    }
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
