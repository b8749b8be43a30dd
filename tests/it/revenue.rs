//! `leads report --deals`: a HubSpot deal export and a Salesforce
//! opportunity report joined to the revenue fixture's leads by contact
//! email, with the revenue per campaign, rep and variant computed by hand
//! (tests/fixtures/exports/revenue/).
//!
//! The leads: Ana (spring, a, rep ana), Bo (spring, b, ben), Cy (spring, b,
//! ana), Di (webinar, a, ben), Ed twice (webinar on 04-02 with rep ana; on
//! 03-20, later in the file, spring b with ben), Fay (evergreen). The
//! deals: 9001 won 12,000 (Ana), 9002 lost 3,000 (Bo), 9003 won 4,500.50
//! (Cy, then again: a duplicate), 9004 open 8,000 (Di), 9005 won 999 (no
//! such lead), 9006 open, unpriced (Fay), 9007 `lots` (Bo: not an amount);
//! Salesforce: won 1.200,50 (Ed), open 5,000 (Ed), won 2,000 (Di).

use serde_json::{Value, json};

use crate::common::{TestSite, export, exports_placeholder};

const LEADS: &str = "revenue/leads.csv";
const HUBSPOT: &str = "revenue/hubspot-deals.csv";
const SALESFORCE: &str = "revenue/salesforce-opportunities.csv";

fn run(site: &TestSite, extra: &[&str]) -> crate::common::Run {
    let (leads, hubspot, salesforce) = (export(LEADS), export(HUBSPOT), export(SALESFORCE));
    let mut args = vec![
        "leads",
        "report",
        &leads,
        "--deals",
        &hubspot,
        "--deals",
        &salesforce,
    ];
    args.extend_from_slice(extra);
    site.run(&args)
}

fn json_report(site: &TestSite, model: &str) -> Value {
    let out = run(site, &["--format", "json", "--model", model]);
    out.success();
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn campaign<'a>(r: &'a Value, id: &str) -> &'a Value {
    let all = r["campaigns"].as_array().expect("campaigns");
    all.iter().find(|c| c["id"] == id).expect("the campaign")
}

#[test]
fn last_touch_credits_each_deal_to_its_latest_lead() {
    let site = TestSite::fixture("revenue");
    let r = json_report(&site, "last");
    let spring = campaign(&r, "spring");
    assert_eq!(spring["won"], json!({"deals": 2, "amount": 16500.5}));
    assert_eq!(spring["open"], json!({"deals": 0, "amount": 0.0}));
    assert_eq!(spring["lost"], json!({"deals": 1, "amount": 3000.0}));
    assert_eq!(spring["won_by_rep"], json!({"ana": 16500.5}));
    assert_eq!(spring["won_by_variant"], json!({"a": 12000.0, "b": 4500.5}));
    let webinar = campaign(&r, "webinar");
    // Ed's latest lead (by time, not file order) is the webinar's.
    assert_eq!(webinar["won"], json!({"deals": 2, "amount": 3200.5}));
    assert_eq!(webinar["open"], json!({"deals": 2, "amount": 13000.0}));
    assert_eq!(webinar["won_by_rep"], json!({"ana": 1200.5, "ben": 2000.0}));
    assert_eq!(webinar["won_by_variant"], json!({"a": 3200.5}));
    assert_eq!(
        campaign(&r, "evergreen")["open"],
        json!({"deals": 1, "amount": 0.0})
    );
    assert_eq!(r["unmatched_deals"], 1);
    assert_eq!(r["deals"], 9);
    assert_eq!(r["won"], json!({"deals": 5, "amount": 20700.0}));
    assert_eq!(
        r["open_stages"],
        json!({"Appointment Scheduled": 1, "Contract Sent": 1, "Negotiation/Review": 1})
    );
    let skipped: Vec<&Value> = r["skipped"].as_array().expect("skipped").iter().collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0]["line"], 6);
    assert_eq!(
        skipped[0]["reason"],
        "the same deal as line 4; counted once"
    );
    assert_eq!(skipped[1]["reason"], "`lots` is not an amount");
}

#[test]
fn first_touch_credits_each_deal_to_its_earliest_lead() {
    let site = TestSite::fixture("revenue");
    let r = json_report(&site, "first");
    let spring = campaign(&r, "spring");
    // Ed's earliest lead came by spring's page b, with no rep.
    assert_eq!(spring["won"], json!({"deals": 3, "amount": 17701.0}));
    assert_eq!(spring["open"], json!({"deals": 1, "amount": 5000.0}));
    assert_eq!(
        spring["won_by_rep"],
        json!({"ana": 12000.0, "(none)": 5701.0})
    );
    assert_eq!(spring["won_by_variant"], json!({"a": 12000.0, "b": 5701.0}));
    let webinar = campaign(&r, "webinar");
    assert_eq!(webinar["won"], json!({"deals": 1, "amount": 2000.0}));
    assert_eq!(webinar["open"], json!({"deals": 1, "amount": 8000.0}));
}

#[test]
fn the_table_csv_and_warnings() {
    let site = TestSite::fixture("revenue");
    let out = run(&site, &[]);
    out.success();
    insta::assert_snapshot!("revenue_table", exports_placeholder(&out.stdout));
    out.stderr_has("deals in these stages count as open pipeline: `Appointment Scheduled` (1)")
        .stderr_has("1 deal in ")
        .stderr_has("matched no lead by contact email");
    let csv = run(&site, &["--format", "csv"]);
    csv.success();
    assert!(
        csv.stdout
            .starts_with("model,campaign,dimension,value,leads,deals,amount\n")
    );
    for line in [
        "last,spring,won,,,2,16500.50",
        "last,spring,won_by_variant,b,,,4500.50",
        "last,webinar,won_by_rep,ben,,,2000.00",
        "last,unmatched,deals,,,1,",
    ] {
        assert!(
            csv.stdout.lines().any(|l| l == line),
            "{line} in\n{}",
            csv.stdout
        );
    }
    run(&site, &["--strict"])
        .failure()
        .stderr_has("--strict: 2 unreadable row(s)");
}

#[test]
fn stages_named_in_site_toml_replace_the_defaults() {
    let site = TestSite::fixture("revenue");
    let config = site.read("site.toml");
    let config = config.replace(
        "default_campaign = \"evergreen\"\n",
        "default_campaign = \"evergreen\"\n\n[attribution]\nwon_stages = [\"Closed Won\", \"Contract sent\"]\n",
    );
    site.write("site.toml", &config);
    let r = json_report(&site, "last");
    assert_eq!(
        campaign(&r, "evergreen")["won"],
        json!({"deals": 1, "amount": 0.0})
    );
    assert_eq!(
        campaign(&r, "spring")["won"]["deals"],
        2,
        "closedwon is still won"
    );
}

#[test]
fn a_deals_file_without_an_email_column_is_named() {
    let site = TestSite::fixture("revenue");
    site.write(
        "deals.csv",
        "Deal Name,Deal Stage,Amount\nAcme,Closed Won,5\n",
    );
    let (leads, deals) = (export(LEADS), site.path().join("deals.csv"));
    let deals = deals.display().to_string();
    let out = site.run(&[
        "leads", "report", &leads, "--deals", &deals, "--format", "json",
    ]);
    out.success()
        .stderr_has("deals.csv")
        .stderr_has("has no contact email column");
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        r["skipped"][0]["reason"],
        "this deal has no contact email, so it cannot be joined to a lead"
    );
    site.run(&["leads", "report", &leads, "--deals", "missing.csv"])
        .failure()
        .stderr_has("missing.csv");
}

/// Visits from GA4 (two rows per page: with and without a query string),
/// Plausible's entry pages and Matomo's UTF-16 TSV, summed per page.
const VISITS: [&str; 3] = [
    "revenue/ga4-landing-pages.csv",
    "revenue/plausible-entry_pages.csv",
    "revenue/matomo-entry-pages.tsv",
];

#[test]
fn visits_from_each_tool_give_conversion_by_variant() {
    let site = TestSite::fixture("revenue");
    let leads = export(LEADS);
    let visits: Vec<String> = VISITS.iter().map(|v| export(v)).collect();
    let mut args = vec!["leads", "report", &leads, "--format", "json"];
    for v in &visits {
        args.extend(["--visits", v]);
    }
    let out = site.run(&args);
    out.success()
        .stderr_has("visits to URLs that are no page of the site (not counted): `(not set)` (3), `/old-launch/` (7)");
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let page = |path: &str, variant: &str| {
        let all = r["pages"].as_array().expect("pages");
        all.iter()
            .find(|p| p["page"] == path && p["variant"] == variant)
            .cloned()
            .expect("the page")
    };
    assert_eq!(
        page("/spring/", "b"),
        json!({"page": "/spring/", "variant": "b", "visits": 110, "leads": 3, "conversion": 3.0 / 110.0})
    );
    assert_eq!(page("/spring/", "a")["visits"], 120);
    // GA4 50 + Plausible 11 + Matomo 14.
    assert_eq!(page("/webinar/", "a")["visits"], 75);
    assert_eq!(page("/", "a")["visits"], 30);
    assert_eq!(
        r["tests"],
        json!([{"page": "/spring/", "variant": "b", "baseline": "a", "p_value": null, "verdict": "not enough data yet"}])
    );
    assert_eq!(
        r["unknown_pages"],
        json!({"(not set)": 3, "/old-launch/": 7})
    );
}

#[test]
fn a_variant_that_converts_better_with_its_p_value() {
    // 40 leads from 1,000 visits on /spring/ against 70 from 1,000 on
    // /spring/b/: pooled rate 0.055, standard error sqrt(0.055 * 0.945 *
    // (2 / 1000)) = 0.010196, z = 0.03 / 0.010196 = 2.942, two-sided
    // p = 0.00326.
    let site = TestSite::fixture("revenue");
    let mut leads = String::from("email,cid,page,variant\n");
    for i in 0..110 {
        let (page, variant) = if i < 40 {
            ("/spring/", "a")
        } else {
            ("/spring/b/", "b")
        };
        leads.push_str(&format!("l{i}@x.example,spring,{page},{variant}\n"));
    }
    site.write("leads.csv", &leads);
    site.write(
        "visits.csv",
        "# GA4\nLanding page,Sessions\n/spring/,1000\n/spring/b/,1000\n",
    );
    let path = |f: &str| site.path().join(f).display().to_string();
    let (leads, visits) = (path("leads.csv"), path("visits.csv"));
    let out = site.run(&[
        "leads", "report", &leads, "--visits", &visits, "--format", "json",
    ]);
    out.success();
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let test = &r["tests"][0];
    let p = test["p_value"].as_f64().expect("a p-value");
    assert_eq!(format!("{p:.3}"), "0.003");
    assert!((p - 0.00326).abs() < 0.00001, "{p}");
    assert_eq!(test["verdict"], "b converts better, p = 0.003");
    let table = site.run(&["leads", "report", &leads, "--visits", &visits]);
    table.success();
    insta::assert_snapshot!("revenue_conversion_table", table.stdout);
}

#[test]
fn deals_as_xlsx_and_json_count_as_the_csv_does() {
    // The Salesforce report saved as XLSX (amounts as number cells), and
    // the HubSpot deals as a JSON array of objects under the same labels.
    use crate::common::xlsx::{Cell, workbook};
    let site = TestSite::fixture("revenue");
    let text = |s| Cell::Text(s);
    let header = [
        "Opportunity Name",
        "Opportunity ID",
        "Stage",
        "Amount",
        "Close Date",
        "Contact: Email",
    ];
    let rows = vec![
        header.iter().map(|h| text(h)).collect(),
        vec![
            text("Eps renewal"),
            text("0065e00000XyZ1A"),
            text("Closed Won"),
            Cell::Number(1200.5),
            text("2026-04-30"),
            text("ed@eps.example"),
        ],
        vec![
            text("Eps expansion"),
            text("0065e00000XyZ1B"),
            text("Negotiation/Review"),
            Cell::Number(5000.0),
            text("2026-05-15"),
            text("ED@EPS.EXAMPLE "),
        ],
        vec![
            text("Delta won"),
            text("0065e00000XyZ1C"),
            text("Closed Won"),
            Cell::Number(2000.0),
            text("2026-05-20"),
            text("di@delta.example"),
        ],
    ];
    site.write_bytes("opportunities.xlsx", &workbook("Opportunities", &rows));
    let csv = crate::common::fixture_text("exports", HUBSPOT);
    let mut lines = csv.lines();
    let keys: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(|h| h.trim_matches('"').to_string())
        .collect();
    let deals: Vec<Value> = lines
        .map(|line| {
            let cells: Vec<&str> = line.split("\",\"").map(|c| c.trim_matches('"')).collect();
            Value::Object(
                keys.iter()
                    .cloned()
                    .zip(cells.iter().map(|c| json!(c)))
                    .collect(),
            )
        })
        .collect();
    site.write(
        "deals.json",
        &serde_json::to_string_pretty(&deals).expect("JSON"),
    );
    let path = |f: &str| site.path().join(f).display().to_string();
    let (leads, xlsx, json_deals) = (
        export(LEADS),
        path("opportunities.xlsx"),
        path("deals.json"),
    );
    let args = [
        "leads",
        "report",
        &leads,
        "--deals",
        &json_deals,
        "--deals",
        &xlsx,
        "--format",
        "json",
    ];
    let out = site.run(&args);
    out.success();
    let from_other: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let from_csv = json_report(&site, "last");
    assert_eq!(from_other["campaigns"], from_csv["campaigns"]);
    assert_eq!(from_other["won"], json!({"deals": 5, "amount": 20700.0}));
}
