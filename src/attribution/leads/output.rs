//! The leads report as text, CSV or JSON (DESIGN.md's shape). The text
//! form is for a terminal: values from leads have their control characters
//! escaped (`util/terminal_text.rs`); CSV and JSON carry them as data.

use std::collections::BTreeMap;

use crate::attribution::leads::{Model, Report};
use crate::util::tabular::{self, Format};
use crate::util::terminal_text::visible;

pub(crate) fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
        Format::Csv => csv(report),
        Format::Table => text(report),
    }
}

fn dimensions(
    c: &crate::attribution::leads::CampaignLeads,
) -> [(&'static str, &BTreeMap<String, u64>); 5] {
    [
        ("source", &c.by_source),
        ("medium", &c.by_medium),
        ("page", &c.by_page),
        ("variant", &c.by_variant),
        ("rep", &c.by_rep),
    ]
}

fn model_name(model: Model) -> &'static str {
    match model {
        Model::First => "first",
        Model::Last => "last",
    }
}

fn csv(report: &Report) -> String {
    let model = model_name(report.model);
    let mut rows = Vec::new();
    for c in &report.campaigns {
        rows.push(vec![
            model.into(),
            c.id.clone(),
            "total".into(),
            String::new(),
            c.leads.to_string(),
        ]);
        for (name, counts) in dimensions(c) {
            for (value, n) in counts {
                rows.push(vec![
                    model.into(),
                    c.id.clone(),
                    name.into(),
                    value.clone(),
                    n.to_string(),
                ]);
            }
        }
    }
    for (value, n) in &report.unattributed_values {
        rows.push(vec![
            model.into(),
            "unattributed".into(),
            "raw".into(),
            value.clone(),
            n.to_string(),
        ]);
    }
    tabular::csv(&["model", "campaign", "dimension", "value", "leads"], &rows)
}

fn list(counts: &BTreeMap<String, u64>) -> String {
    let mut pairs: Vec<(&String, &u64)> = counts.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    pairs
        .iter()
        .map(|(k, n)| format!("{} {n}", visible(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(report: &Report) -> String {
    let mut out = format!(
        "{} leads, {}-touch model; {} unattributed\n\n",
        report.total,
        model_name(report.model),
        report.unattributed
    );
    for c in &report.campaigns {
        out.push_str(&format!(
            "{}: {} lead{}\n",
            c.id,
            c.leads,
            if c.leads == 1 { "" } else { "s" }
        ));
        if c.leads > 0 {
            for (name, counts) in dimensions(c) {
                out.push_str(&format!("  {:<8} {}\n", format!("{name}:"), list(counts)));
            }
        }
    }
    if report.unattributed > 0 {
        out.push_str(&format!(
            "\nunattributed: {} ({})\n",
            report.unattributed,
            list(&report.unattributed_values)
        ));
    }
    if !report.skipped.is_empty() {
        out.push_str(&format!(
            "\nskipped {} unreadable row{}:\n",
            report.skipped.len(),
            if report.skipped.len() == 1 { "" } else { "s" }
        ));
        for s in &report.skipped {
            let (file, reason) = (visible(&s.file), visible(&s.reason));
            out.push_str(&format!("  {file}:{}: {reason}\n", s.line));
        }
    }
    out
}
