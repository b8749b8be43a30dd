//! Conversion by page and variant (`--visits`) in the text and CSV forms
//! of the leads report.

use crate::attribution::leads::files::VisitsSummary;
use crate::util::tabular;
use crate::util::terminal_text::visible;

/// `4.0%`, or `-` without visits.
pub(crate) fn percent(conversion: Option<f64>) -> String {
    conversion.map_or("-".into(), |c| format!("{:.1}%", c * 100.0))
}

/// The verdict of a page's variant against `a`, if it was tested.
fn verdict<'a>(v: &'a VisitsSummary, page: &str, variant: &str) -> &'a str {
    v.tests
        .iter()
        .find(|t| t.page == page && t.variant == variant)
        .map_or("", |t| t.verdict.as_str())
}

/// The text section: a table of versions, then the unknown URLs.
pub(crate) fn text(out: &mut String, v: &VisitsSummary) {
    out.push_str("\nconversion by page and variant:\n");
    let rows: Vec<Vec<String>> = v
        .pages
        .iter()
        .map(|p| {
            vec![
                p.page.clone(),
                p.variant.clone(),
                p.visits.to_string(),
                p.leads.to_string(),
                percent(p.conversion),
                verdict(v, &p.page, &p.variant).to_string(),
            ]
        })
        .collect();
    let header = [
        "page",
        "variant",
        "visits",
        "leads",
        "conversion",
        "against a",
    ];
    for line in tabular::table(&header, &rows).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    if !v.unknown_pages.is_empty() {
        let listed: Vec<String> = v
            .unknown_pages
            .iter()
            .map(|(url, n)| format!("{} {n}", visible(url)))
            .collect();
        out.push_str(&format!(
            "  visits to no page of the site: {}\n",
            listed.join(", ")
        ));
    }
}

/// The CSV columns the conversion rows add.
pub(crate) const CSV_COLUMNS: [&str; 6] = [
    "page",
    "variant",
    "visits",
    "conversion",
    "p_value",
    "verdict",
];

/// One `conversion` row per version, in the report's CSV columns
/// (`width` of them before [`CSV_COLUMNS`]).
pub(crate) fn csv_rows(rows: &mut Vec<Vec<String>>, model: &str, width: usize, v: &VisitsSummary) {
    for p in &v.pages {
        let test = v
            .tests
            .iter()
            .find(|t| t.page == p.page && t.variant == p.variant);
        let mut row = vec![String::new(); width];
        row[0] = model.into();
        row[2] = "conversion".into();
        row[4] = p.leads.to_string();
        row.extend([
            p.page.clone(),
            p.variant.clone(),
            p.visits.to_string(),
            p.conversion.map_or(String::new(), |c| format!("{c:.4}")),
            test.and_then(|t| t.p_value)
                .map_or(String::new(), |p| format!("{p:.4}")),
            test.map_or(String::new(), |t| t.verdict.clone()),
        ]);
        rows.push(row);
    }
}
