//! Closing the attribution loop from the command line: `utmost campaigns`
//! prints tagged links per channel, page and variant; `utmost leads report`
//! attributes exported submissions under both models.

use crate::common::{Run, TestSite, export};

fn exports() -> [String; 2] {
    ["leads.csv", "leads.jsonl"].map(export)
}

fn report(site: &TestSite, extra: &[&str]) -> Run {
    let [csv, jsonl] = exports();
    let mut args = vec!["leads", "report", csv.as_str(), jsonl.as_str()];
    args.extend_from_slice(extra);
    site.run(&args)
}

#[test]
fn campaigns_json_lists_tagged_links_for_pages_and_variants() {
    let site = TestSite::fixture("custom-theme");
    let run = site.run(&["campaigns", "--format", "json"]);
    run.success();
    let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let launch = &list[0];
    assert_eq!(launch["id"], "launch");
    assert_eq!(launch["name"], "Launch");
    assert_eq!(launch["utm_campaign"], "launch_2026");
    assert_eq!(launch["pages"], serde_json::json!(["/offer/", "/offer/b/"]));
    assert_eq!(
        launch["links"][0],
        serde_json::json!({
            "page": "/offer/",
            "source": "linkedin",
            "medium": "paid-social",
            "url": "https://plain.example/offer/?utm_source=linkedin&utm_medium=paid-social&utm_campaign=launch_2026"
        })
    );
    assert_eq!(
        launch["links"][1]["url"],
        "https://plain.example/offer/b/?utm_source=linkedin&utm_medium=paid-social&utm_campaign=launch_2026&utm_content=b"
    );
    let old = &list[1];
    assert_eq!(
        old["flags"],
        serde_json::json!(["ended 2020-12-31", "no pages"])
    );
    run.stderr_has("campaign `old`: ended 2020-12-31");
}

#[test]
fn campaigns_table_and_csv() {
    let site = TestSite::fixture("custom-theme");
    let table = site.run(&["campaigns"]);
    table.success();
    assert!(
        table.stdout.starts_with("campaign  utm_campaign  page"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("(ended 2020-12-31, no pages)"));
    let csv = site.run(&["campaigns", "--format", "csv"]);
    assert!(
        csv.stdout
            .starts_with("campaign,utm_campaign,page,source,medium,url,short\n")
    );
    assert!(csv.stdout.contains("launch,launch_2026,/offer/b/,linkedin,paid-social,https://plain.example/offer/b/?utm_source=linkedin"));
}

#[test]
fn leads_report_last_touch_json() {
    let site = TestSite::fixture("custom-theme");
    let run = report(&site, &["--format", "json"]);
    run.success();
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["model"], "last");
    assert_eq!(r["total"], 6);
    assert_eq!(r["unattributed"], 2);
    assert_eq!(
        r["unattributed_values"],
        serde_json::json!({"(none)": 1, "black_friday": 1})
    );
    let launch = &r["campaigns"][0];
    assert_eq!(launch["id"], "launch");
    assert_eq!(
        launch["leads"], 4,
        "Launch-2026, launch_2026, LAUNCH 2026 and launch_2026 all match"
    );
    assert_eq!(launch["by_source"]["linkedin"], 2);
    assert_eq!(launch["by_page"]["/offer/b/"], 1);
    assert_eq!(launch["by_variant"], serde_json::json!({"a": 2, "b": 2}));
    assert_eq!(launch["by_rep"]["alex"], 1);
    assert_eq!(r["campaigns"][1]["leads"], 0);
    let skipped = r["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 3);
    assert!(skipped[0]["file"].as_str().unwrap().ends_with("leads.csv"));
    assert_eq!(skipped[0]["line"], 7, "the CRLF file's line 7, not 6");
    assert_eq!(skipped[1]["line"], 2);
    assert_eq!(skipped[2]["reason"], "not a JSON object");
}

#[test]
fn leads_report_first_touch() {
    let site = TestSite::fixture("custom-theme");
    let run = report(&site, &["--format", "json", "--model", "first"]);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["model"], "first");
    // Landing pages (path or full URL) and campaign_id fill in where ft_utm_campaign is empty.
    assert_eq!(r["campaigns"][0]["leads"], 5);
    assert_eq!(r["unattributed"], 1);
    assert_eq!(r["campaigns"][0]["by_source"]["google"], 1);
    assert_eq!(r["campaigns"][0]["by_rep"]["alex"], 1);
}

#[test]
fn leads_report_csv_never_emits_a_formula() {
    let site = TestSite::fixture("custom-theme");
    let run = report(&site, &["--format", "csv"]);
    run.success();
    assert!(
        run.stdout
            .starts_with("model,campaign,dimension,value,leads\n")
    );
    assert!(
        run.stdout
            .contains("last,launch,source,'=cmd|' /C calc'!A0,1"),
        "{}",
        run.stdout
    );
    for line in run.stdout.lines() {
        for cell in line.split(',') {
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "formula reached the CSV: {line}"
            );
        }
    }
    run.stderr_has("leads.csv:7: 2 fields where the header has 14");
}

#[test]
fn strict_fails_on_unreadable_rows_but_still_prints() {
    let site = TestSite::fixture("custom-theme");
    let run = report(&site, &["--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("launch: 4 leads"));
    assert!(run.stdout.contains("skipped 3 unreadable rows"));
    run.stderr_has("--strict: 3 unreadable row(s)");
}

#[test]
fn a_file_that_cannot_be_opened_is_an_error_strict_or_not() {
    let site = TestSite::fixture("custom-theme");
    let [csv, _] = exports();
    for strict in [false, true] {
        let mut args = vec!["leads", "report", "/nonexistent/leads.csv", csv.as_str()];
        if strict {
            args.push("--strict");
        }
        let run = site.run(&args);
        run.failure();
        run.stderr_has("error: cannot open the file");
        run.stderr_has("--> /nonexistent/leads.csv");
        run.stderr_has("1 file could not be read");
        assert!(
            run.stdout.contains("launch: 2 leads"),
            "the others are still read: {}",
            run.stdout
        );
    }
    assert_eq!(site.run(&["leads", "report"]).code, 2, "a file is required");
}
