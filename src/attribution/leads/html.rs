//! The leads report as one self-contained HTML page (`--format html`):
//! leads and won revenue by campaign and by channel, each campaign's
//! funnel, conversion by variant with its verdict, and revenue by rep.
//! Charts are inline SVG (`charts.rs`) with the numbers beside them and in
//! a table under each; the styles are inline and there is no script, so
//! the page requests nothing, opens from disk and prints as it shows.

use std::collections::BTreeMap;

use super::charts::{Bar, Size, bars};
use super::output_visits::percent;
use super::{CampaignLeads, Report};
use crate::attribution::deals::amount;
use crate::util::html::escape;

const STYLE: &str = include_str!("report.css");

/// The one column of text after the first: each variant's verdict.
const VERDICT: &str = "Against a";

/// The whole page, for the site titled `site`.
pub(crate) fn render(report: &Report, site: &str) -> String {
    let mut body = String::new();
    summary(&mut body, report);
    campaigns(&mut body, report);
    channels(&mut body, report);
    funnel(&mut body, report);
    variants(&mut body, report);
    reps(&mut body, report);
    left_out(&mut body, report);
    let model = super::output::model_name(report.model);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Leads and revenue: {site}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Leads and revenue</h1>\n<p>{site}, {model}-touch model</p>\n</header>\n<main>\n{body}</main>\n<footer><p>Made by utmost {}.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        site = escape(site),
    )
}

/// Whole numbers with a thousands separator.
fn int(n: u64) -> String {
    amount::show(n as i64 * 100)
        .trim_end_matches(".00")
        .to_string()
}

/// A wide chart in a figure with a visible caption.
fn figure(caption: &str, tone: &str, chart: &[Bar]) -> String {
    format!(
        "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>\n",
        escape(caption),
        bars(caption, tone, Size::Wide, chart)
    )
}

/// A section with a heading of its own id.
fn section(out: &mut String, id: &str, heading: &str, inner: &str) {
    out.push_str(&format!(
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n{inner}</section>\n"
    ));
}

/// A table: its caption, header cells and rows (already escaped); the
/// first cell of each row heads it, and numeric columns align right.
fn table(caption: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = format!(
        "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{caption}\"><table>\n<caption>{caption}</caption>\n<thead><tr>"
    );
    for (i, h) in header.iter().enumerate() {
        let class = if i > 0 && *h != VERDICT {
            " class=\"num\""
        } else {
            ""
        };
        t.push_str(&format!("<th scope=\"col\"{class}>{h}</th>"));
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        t.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                t.push_str(&format!("<th scope=\"row\">{cell}</th>"));
            } else if cell.starts_with("<span class=\"verdict\">") {
                t.push_str(&format!("<td>{cell}</td>"));
            } else {
                t.push_str(&format!("<td class=\"num\">{cell}</td>"));
            }
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</tbody>\n</table></div>\n");
    t
}

fn summary(out: &mut String, r: &Report) {
    let mut items = vec![
        ("Leads", int(r.total)),
        ("Attributed to a campaign", int(r.total - r.unattributed)),
    ];
    if let Some(d) = &r.deals {
        let open: i64 = r
            .campaigns
            .iter()
            .filter_map(|c| c.deals.as_ref())
            .map(|d| d.open.amount)
            .sum();
        items.push(("Won revenue", amount::show(d.won.amount)));
        items.push(("Won deals", int(d.won.deals)));
        items.push(("Open pipeline (credited)", amount::show(open)));
    }
    let mut dl = String::from("<dl class=\"kpis\">\n");
    for (name, value) in items {
        dl.push_str(&format!("<div><dt>{name}</dt><dd>{value}</dd></div>\n"));
    }
    dl.push_str("</dl>\n");
    if r.deals.is_none() {
        dl.push_str("<p class=\"note\">Revenue shows with <code>--deals</code> and the CRM's deals export.</p>\n");
    }
    section(out, "summary", "At a glance", &dl);
}

fn won(c: &CampaignLeads) -> (u64, i64) {
    c.deals
        .as_ref()
        .map_or((0, 0), |d| (d.won.deals, d.won.amount))
}

fn campaigns(out: &mut String, r: &Report) {
    let leads: Vec<Bar> = r
        .campaigns
        .iter()
        .map(|c| Bar {
            label: c.id.clone(),
            value: c.leads as f64,
            shown: int(c.leads),
        })
        .collect();
    let mut inner = figure("Leads by campaign", "leads", &leads);
    let deals = r.deals.is_some();
    if deals {
        let mut by_won: Vec<&CampaignLeads> = r.campaigns.iter().collect();
        by_won.sort_by(|a, b| won(b).1.cmp(&won(a).1).then_with(|| a.id.cmp(&b.id)));
        let won_bars: Vec<Bar> = by_won
            .iter()
            .map(|c| Bar {
                label: c.id.clone(),
                value: won(c).1 as f64,
                shown: amount::show(won(c).1),
            })
            .collect();
        inner.push_str(&figure("Won revenue by campaign", "won", &won_bars));
    }
    let rows: Vec<Vec<String>> = r
        .campaigns
        .iter()
        .map(|c| {
            let mut row = vec![escape(&c.id), int(c.leads)];
            if deals {
                row.extend([int(won(c).0), amount::show(won(c).1)]);
            }
            row
        })
        .collect();
    let header: &[&str] = if deals {
        &["Campaign", "Leads", "Won deals", "Won revenue"]
    } else {
        &["Campaign", "Leads"]
    };
    inner.push_str(&table("Leads and won revenue by campaign", header, &rows));
    section(out, "campaigns", "By campaign", &inner);
}

/// Sums per key over every campaign.
fn total<T: Copy + std::ops::AddAssign + Default>(
    maps: impl Iterator<Item = BTreeMap<String, T>>,
) -> BTreeMap<String, T> {
    let mut sums = BTreeMap::new();
    for map in maps {
        for (k, v) in map {
            *sums.entry(k).or_default() += v;
        }
    }
    sums
}

fn channels(out: &mut String, r: &Report) {
    let leads = total(r.campaigns.iter().map(|c| c.by_channel.clone()));
    let won = total(
        r.campaigns
            .iter()
            .filter_map(|c| c.deals.as_ref())
            .map(|d| d.won_by_channel.clone()),
    );
    let mut names: Vec<&String> = leads.keys().chain(won.keys()).collect();
    names.sort_by(|a, b| {
        let key = |n: &String| {
            (
                won.get(n).copied().unwrap_or(0),
                leads.get(n).copied().unwrap_or(0),
            )
        };
        key(b).cmp(&key(a)).then_with(|| a.cmp(b))
    });
    names.dedup();
    if names.is_empty() {
        return;
    }
    let lead_of = |n: &String| leads.get(n).copied().unwrap_or(0);
    let won_of = |n: &String| won.get(n).copied().unwrap_or(0);
    let chart: Vec<Bar> = names
        .iter()
        .map(|n| Bar {
            label: (*n).clone(),
            value: lead_of(n) as f64,
            shown: int(lead_of(n)),
        })
        .collect();
    let mut inner = figure("Attributed leads by source / medium", "leads", &chart);
    if r.deals.is_some() {
        let chart: Vec<Bar> = names
            .iter()
            .map(|n| Bar {
                label: (*n).clone(),
                value: won_of(n) as f64,
                shown: amount::show(won_of(n)),
            })
            .collect();
        inner.push_str(&figure("Won revenue by source / medium", "won", &chart));
    }
    let rows: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            let mut row = vec![escape(n), int(lead_of(n))];
            if r.deals.is_some() {
                row.push(amount::show(won_of(n)));
            }
            row
        })
        .collect();
    let header: &[&str] = if r.deals.is_some() {
        &["Source / medium", "Leads", "Won revenue"]
    } else {
        &["Source / medium", "Leads"]
    };
    inner.push_str(&table("Leads and won revenue by channel", header, &rows));
    section(out, "channels", "By channel", &inner);
}

fn funnel(out: &mut String, r: &Report) {
    if r.deals.is_none() {
        return;
    }
    let mut inner = String::from("<div class=\"funnels\">\n");
    let mut rows = Vec::new();
    for c in r.campaigns.iter().filter(|c| c.leads > 0 || won(c).0 > 0) {
        let Some(d) = &c.deals else { continue };
        let deals = d.won.deals + d.open.deals + d.lost.deals;
        let steps = [("Leads", c.leads), ("Deals", deals), ("Won", d.won.deals)];
        let chart: Vec<Bar> = steps
            .iter()
            .map(|(name, n)| Bar {
                label: (*name).into(),
                value: *n as f64,
                shown: int(*n),
            })
            .collect();
        inner.push_str(&format!(
            "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>\n",
            escape(&c.id),
            bars(
                &format!("Funnel of {}", c.id),
                "funnel",
                Size::Narrow,
                &chart
            )
        ));
        rows.push(vec![
            escape(&c.id),
            int(c.leads),
            int(deals),
            int(d.open.deals),
            int(d.lost.deals),
            int(d.won.deals),
            amount::show(d.won.amount),
        ]);
    }
    inner.push_str("</div>\n");
    inner.push_str(&table(
        "Leads, deals and won revenue per campaign",
        &[
            "Campaign",
            "Leads",
            "Deals",
            "Open",
            "Lost",
            "Won",
            "Won revenue",
        ],
        &rows,
    ));
    section(out, "funnel", "Funnel per campaign", &inner);
}

fn variants(out: &mut String, r: &Report) {
    let Some(v) = &r.visits else {
        return;
    };
    let label = |p: &super::super::conversion::PageConversion| format!("{} {}", p.page, p.variant);
    let chart: Vec<Bar> = v
        .pages
        .iter()
        .map(|p| Bar {
            label: label(p),
            value: p.conversion.unwrap_or(0.0),
            shown: percent(p.conversion),
        })
        .collect();
    let mut inner = figure("Conversion by page and variant", "rate", &chart);
    let rows: Vec<Vec<String>> = v
        .pages
        .iter()
        .map(|p| {
            let verdict = v
                .tests
                .iter()
                .find(|t| t.page == p.page && t.variant == p.variant)
                .map_or("", |t| t.verdict.as_str());
            vec![
                escape(&label(p)),
                int(p.visits),
                int(p.leads),
                percent(p.conversion),
                format!("<span class=\"verdict\">{}</span>", escape(verdict)),
            ]
        })
        .collect();
    inner.push_str(&table(
        "Visits, leads and conversion by page and variant, each variant against a",
        &["Page and variant", "Visits", "Leads", "Conversion", VERDICT],
        &rows,
    ));
    section(out, "variants", "Conversion by variant", &inner);
}

fn reps(out: &mut String, r: &Report) {
    if r.deals.is_none() {
        return;
    }
    let won = total(
        r.campaigns
            .iter()
            .filter_map(|c| c.deals.as_ref())
            .map(|d| d.won_by_rep.clone()),
    );
    let mut pairs: Vec<(String, i64)> = won.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if pairs.is_empty() {
        return;
    }
    let chart: Vec<Bar> = pairs
        .iter()
        .map(|(rep, c)| Bar {
            label: rep.clone(),
            value: *c as f64,
            shown: amount::show(*c),
        })
        .collect();
    let mut inner = figure("Won revenue by rep", "won", &chart);
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(rep, c)| vec![escape(rep), amount::show(*c)])
        .collect();
    inner.push_str(&table("Won revenue by rep", &["Rep", "Won revenue"], &rows));
    section(out, "reps", "Revenue by rep", &inner);
}

/// What the figures above do not include, so that nothing is hidden.
fn left_out(out: &mut String, r: &Report) {
    let mut items = Vec::new();
    if r.unattributed > 0 {
        let values: Vec<String> = r
            .unattributed_values
            .iter()
            .map(|(v, n)| format!("<code>{}</code> ({n})", escape(v)))
            .collect();
        items.push(format!(
            "{} leads matched no campaign: {}",
            int(r.unattributed),
            values.join(", ")
        ));
    }
    if let Some(d) = &r.deals {
        if d.unmatched_deals > 0 {
            items.push(format!(
                "{} deals matched no lead by contact email",
                int(d.unmatched_deals)
            ));
        }
        if d.unattributed_deals > 0 {
            items.push(format!(
                "{} deals came from leads with no campaign",
                int(d.unattributed_deals)
            ));
        }
    }
    if let Some(v) = r.visits.as_ref().filter(|v| !v.unknown_pages.is_empty()) {
        let urls: Vec<String> = v
            .unknown_pages
            .iter()
            .map(|(u, n)| format!("<code>{}</code> ({n})", escape(u)))
            .collect();
        items.push(format!(
            "visits to no page of the site: {}",
            urls.join(", ")
        ));
    }
    if !r.skipped.is_empty() {
        let rows: Vec<String> = r
            .skipped
            .iter()
            .take(100)
            .map(|s| {
                format!(
                    "<li><code>{}:{}</code> {}</li>",
                    escape(&s.file),
                    s.line,
                    escape(&s.reason)
                )
            })
            .collect();
        let more = r.skipped.len().saturating_sub(rows.len());
        let more = if more > 0 {
            format!("<li>and {more} more</li>")
        } else {
            String::new()
        };
        items.push(format!(
            "{} rows could not be used:<ul>{}{more}</ul>",
            int(r.skipped.len() as u64),
            rows.concat()
        ));
    }
    if items.is_empty() {
        return;
    }
    let list: String = items.iter().map(|i| format!("<li>{i}</li>\n")).collect();
    section(
        out,
        "left-out",
        "Not counted above",
        &format!("<ul>\n{list}</ul>\n"),
    );
}
