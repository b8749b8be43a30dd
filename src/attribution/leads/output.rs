//! The leads report as text, CSV or JSON (DESIGN.md's shape). The text
//! form is for a terminal: values from leads have their control characters
//! escaped (`util/terminal_text.rs`); CSV and JSON carry them as data.

use std::collections::BTreeMap;

use crate::attribution::deals::amount;
use crate::attribution::leads::revenue::{CampaignDeals, Money};
use crate::attribution::leads::{Model, Report, output_visits};
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

pub(super) fn model_name(model: Model) -> &'static str {
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
        if let Some(d) = &c.deals {
            deal_rows(&mut rows, model, &c.id, d);
        }
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
    let mut header = vec!["model", "campaign", "dimension", "value", "leads"];
    if let Some(d) = &report.deals {
        header.extend(["deals", "amount"]);
        for (what, n) in [
            ("unmatched", d.unmatched_deals),
            ("unattributed", d.unattributed_deals),
        ] {
            let row = [model, what, "deals", "", "", &n.to_string(), ""];
            rows.push(row.map(String::from).to_vec());
        }
    }
    if let Some(v) = &report.visits {
        for row in &mut rows {
            row.resize(header.len(), String::new());
        }
        output_visits::csv_rows(&mut rows, model, header.len(), v);
        header.extend(output_visits::CSV_COLUMNS);
    }
    for row in &mut rows {
        row.resize(header.len(), String::new());
    }
    tabular::csv(&header, &rows)
}

/// A campaign's deals as CSV rows: won, open and lost, then won by
/// dimension (`won_by_rep`, …), with the deals and amount columns.
fn deal_rows(rows: &mut Vec<Vec<String>>, model: &str, id: &str, d: &CampaignDeals) {
    let mut push = |dimension: String, value: &str, deals: String, cents: i64| {
        let amount = format!("{:.2}", amount::units(cents));
        let row = [model, id, &dimension, value, "", &deals, &amount];
        rows.push(row.map(String::from).to_vec());
    };
    for (stage, m) in [("won", d.won), ("open", d.open), ("lost", d.lost)] {
        push(stage.into(), "", m.deals.to_string(), m.amount);
    }
    for (name, sums) in d.won_by() {
        for (value, cents) in sums {
            push(format!("won_by_{name}"), value, String::new(), *cents);
        }
    }
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

/// `3 deals 1,200.00`.
fn money(m: Money) -> String {
    let s = if m.deals == 1 { "" } else { "s" };
    format!("{} deal{s} {}", m.deals, amount::show(m.amount))
}

/// A campaign's deals in the text report.
fn deal_lines(out: &mut String, d: &CampaignDeals) {
    out.push_str(&format!(
        "  deals:   won {}; open {}; lost {}\n",
        money(d.won),
        money(d.open),
        money(d.lost)
    ));
    for (name, sums) in d.won_by() {
        if sums.is_empty() {
            continue;
        }
        let mut pairs: Vec<(&String, &i64)> = sums.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let listed: Vec<String> = pairs
            .iter()
            .map(|(k, c)| format!("{} {}", visible(k), amount::show(**c)))
            .collect();
        out.push_str(&format!(
            "  {:<16} {}\n",
            format!("won by {name}:"),
            listed.join(", ")
        ));
    }
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
        if let Some(d) = c
            .deals
            .as_ref()
            .filter(|d| d.won.deals + d.open.deals + d.lost.deals > 0)
        {
            deal_lines(&mut out, d);
        }
    }
    if let Some(d) = &report.deals {
        out.push_str(&format!(
            "\ndeals: {} read, {} won for {}; {} matched no lead, {} of unattributed leads\n",
            d.deals,
            d.won.deals,
            amount::show(d.won.amount),
            d.unmatched_deals,
            d.unattributed_deals
        ));
    }
    if let Some(v) = &report.visits {
        output_visits::text(&mut out, v);
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
