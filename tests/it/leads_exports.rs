//! `leads report` on exports shaped exactly like each backend's own, each
//! with the attribution it must produce, on the backends fixture (one form
//! per provider, tests/fixtures/backends).

use crate::common::xlsx::{Cell, workbook};
use crate::common::{TestSite, export};
use serde_json::{Value, json};

/// The JSON report of `files` under `model`, which must succeed.
fn report(site: &TestSite, files: &[&str], model: &str) -> (Value, String) {
    let mut args = vec!["leads", "report", "--format", "json", "--model", model];
    args.extend_from_slice(files);
    let run = site.run(&args);
    run.success();
    (serde_json::from_str(&run.stdout).unwrap(), run.stderr)
}

/// Leads per campaign id, campaigns without leads left out.
fn leads(r: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for c in r["campaigns"].as_array().unwrap() {
        if c["leads"] != 0 {
            out.insert(c["id"].as_str().unwrap().into(), c["leads"].clone());
        }
    }
    Value::Object(out)
}

fn campaign<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn hubspot_contact_export_with_property_labels() {
    // HubSpot's contact export (knowledge.hubspot.com, "Export your
    // records"): a header row of property *labels* ("Record ID", "First
    // Name", and the custom properties created for utmost, labelled
    // "UTM Campaign", "First Touch Landing Page"…), every value quoted.
    let site = TestSite::fixture("backends");
    let file = export("hubspot-contacts.csv");
    let (last, stderr) = report(&site, &[&file], "last");
    assert_eq!(stderr, "", "no warning");
    assert_eq!(last["total"], 3);
    assert_eq!(leads(&last), json!({"spring": 2, "webinar": 1}));
    assert_eq!(
        campaign(&last, "spring")["by_source"],
        json!({"linkedin": 1, "(none)": 1})
    );
    assert_eq!(campaign(&last, "webinar")["by_rep"], json!({"ana": 1}));
    let (first, _) = report(&site, &[&file], "first");
    // Ben's first touch has no campaign but a landing page on /webinar/.
    assert_eq!(leads(&first), json!({"spring": 2, "webinar": 1}));
    assert_eq!(
        campaign(&first, "webinar")["by_source"],
        json!({"google": 1})
    );
}

#[test]
fn hubspot_export_as_xlsx_reads_the_same() {
    // HubSpot also exports XLSX: the same rows, text in shared strings and
    // the record id as a number.
    let site = TestSite::fixture("backends");
    let csv = std::fs::read_to_string(export("hubspot-contacts.csv")).unwrap();
    let text: Vec<Vec<String>> = csv
        .lines()
        .map(|l| {
            l.split("\",\"")
                .map(|c| c.trim_matches('"').to_string())
                .collect()
        })
        .collect();
    let rows: Vec<Vec<Cell<'_>>> = text
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, v)| match (r, c, v.parse::<f64>()) {
                    (1.., 0, Ok(n)) => Cell::Number(n),
                    _ => Cell::Text(v),
                })
                .collect()
        })
        .collect();
    site.write_bytes("hubspot-contacts.xlsx", &workbook("Contacts", &rows));
    let file = site.path().join("hubspot-contacts.xlsx");
    let (from_xlsx, stderr) = report(&site, &[file.to_str().unwrap()], "last");
    assert_eq!(stderr, "");
    let (from_csv, _) = report(&site, &[&export("hubspot-contacts.csv")], "last");
    assert_eq!(from_xlsx["campaigns"], from_csv["campaigns"]);
    assert_eq!(leads(&from_xlsx), json!({"spring": 2, "webinar": 1}));
}

#[test]
fn salesforce_export_with_custom_field_api_names() {
    // A Salesforce lead export (Data Loader or the Data Export service):
    // fields by API name, custom fields with the `__c` suffix
    // (`UTM_Campaign__c`), every value quoted. The form sent them as
    // `00N…` ids through `rename`; Salesforce stores them under these names.
    let site = TestSite::fixture("backends");
    let file = export("salesforce-leads.csv");
    let (last, stderr) = report(&site, &[&file], "last");
    assert_eq!(stderr, "");
    assert_eq!(leads(&last), json!({"spring": 1, "webinar": 1}));
    assert_eq!(last["unattributed_values"], json!({"black_friday": 1}));
    let (first, _) = report(&site, &[&file], "first");
    assert_eq!(leads(&first), json!({"spring": 2, "webinar": 1}));
}

#[test]
fn formspree_api_json() {
    // Formspree's Form Submissions API (help.formspree.io, "Form
    // Submissions API"): {"fields": [...], "submissions": [{"_date": ...}]}.
    let site = TestSite::fixture("backends");
    let file = export("formspree.json");
    let (last, _) = report(&site, &[&file], "last");
    assert_eq!(leads(&last), json!({"webinar": 2}));
    assert_eq!(
        campaign(&last, "webinar")["by_medium"],
        json!({"email": 1, "(none)": 1})
    );
    let (first, _) = report(&site, &[&file], "first");
    assert_eq!(leads(&first), json!({"spring": 1, "webinar": 1}));
}

#[test]
fn netlify_submissions_api_json() {
    // Netlify's API, GET /api/v1/sites/{site_id}/submissions: an array of
    // submissions whose form fields are under `data` (with `ip`,
    // `user_agent`, `referrer`); the top-level `form_id` is Netlify's own.
    let site = TestSite::fixture("backends");
    let file = export("netlify-submissions.json");
    let (last, _) = report(&site, &[&file], "last");
    assert_eq!(leads(&last), json!({"spring": 1, "evergreen": 1}));
    assert_eq!(campaign(&last, "spring")["by_rep"], json!({"ana": 1}));
    assert_eq!(campaign(&last, "spring")["by_page"], json!({"/": 1}));
}

#[test]
fn european_excel_csv_with_semicolons_bom_and_crlf() {
    // Excel with a European locale saves "CSV UTF-8" with `;` between
    // cells (the comma is its decimal mark), a byte order mark and CRLF.
    let site = TestSite::fixture("backends");
    let file = export("excel-semicolon.csv");
    let (last, _) = report(&site, &[&file], "last");
    assert_eq!(leads(&last), json!({"spring": 1, "webinar": 1}));
    assert_eq!(campaign(&last, "spring")["by_variant"], json!({"b": 1}));
    assert_eq!(
        campaign(&last, "webinar")["by_source"],
        json!({"news; letter": 1})
    );
    assert_eq!(last["unattributed_values"], json!({"(none)": 1}));
    let skipped = last["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["line"], 4, "CRLF lines counted right");
    assert_eq!(skipped[0]["reason"], "3 fields where the header has 10");
}

#[test]
fn renamed_fields_read_back_under_their_own_names() {
    // What the Salesforce form posts, as the preview server logs it: the
    // renamed attribution fields under their 00N ids.
    let site = TestSite::fixture("backends");
    site.write(
        "posted.jsonl",
        "{\"form_id\":\"salesforce\",\"00N5e00000CmpId\":\"spring\",\"00N5e00000UtmCa\":\"webinar_q3\",\"00N5e00000UtmSo\":\"linkedin\",\"oid\":\"00D5e000000AbCd\"}\n",
    );
    let file = site.path().join("posted.jsonl");
    let (last, _) = report(&site, &[file.to_str().unwrap()], "last");
    assert_eq!(leads(&last), json!({"webinar": 1}));
    assert_eq!(
        campaign(&last, "webinar")["by_source"],
        json!({"linkedin": 1})
    );
}

#[test]
fn every_backend_at_once() {
    let site = TestSite::fixture("backends");
    let files = [
        "hubspot-contacts.csv",
        "salesforce-leads.csv",
        "formspree.json",
        "netlify-submissions.json",
        "excel-semicolon.csv",
    ]
    .map(export);
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let (last, _) = report(&site, &files, "last");
    assert_eq!(last["total"], 3 + 3 + 2 + 2 + 3);
    assert_eq!(
        leads(&last),
        json!({"spring": 2 + 1 + 1 + 1, "webinar": 1 + 1 + 2 + 1, "evergreen": 1})
    );
}

#[test]
fn an_export_without_attribution_columns_is_a_warning_naming_its_headers() {
    let site = TestSite::fixture("backends");
    site.write(
        "contacts.csv",
        "\"Record ID\",\"First Name\",\"Last Name\",\"Email\"\n\"1\",\"Ana\",\"Silva\",\"ana@x.example\"\n",
    );
    let run = site.run(&[
        "leads",
        "report",
        site.path().join("contacts.csv").to_str().unwrap(),
    ]);
    run.success();
    run.stderr_has("warning: this export has none of the attribution columns");
    run.stderr_has("none of its 1 row can be attributed");
    run.stderr_has("its headers are `Record ID`, `First Name`, `Last Name`, `Email`");
    run.stderr_has("contacts.csv");
    assert!(run.stdout.contains("1 leads"), "{}", run.stdout);
}

#[test]
fn a_damaged_spreadsheet_is_an_error_not_a_crash() {
    let site = TestSite::fixture("backends");
    let good = workbook(
        "Sheet1",
        &[
            vec![Cell::Text("utm_campaign")],
            vec![Cell::Text("spring_launch_2026")],
        ],
    );
    let file = site.path().join("damaged.xlsx");
    let file = file.to_str().unwrap();
    for cut in [4, good.len() / 3, good.len() / 2, good.len() - 10] {
        site.write_bytes("damaged.xlsx", &good[..cut]);
        let run = site.run(&["leads", "report", file]);
        run.failure();
        run.stderr_has("cannot read the file as a spreadsheet");
    }
    let mut flipped = good.clone();
    for i in [200, 400, 600] {
        flipped[i] ^= 0x5a;
    }
    site.write_bytes("damaged.xlsx", &flipped);
    let run = site.run(&["leads", "report", file]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn the_report_reads_the_site_without_rendering_it() {
    // A report needs the site's campaigns and pages, not its HTML: a
    // template being edited (here, broken) must not stop it, while `build`
    // still refuses the same site.
    let site = TestSite::fixture("backends");
    site.write("templates/page.html", "{% block broken");
    site.run(&["build"]).failure();
    let (last, _) = report(&site, &[&export("hubspot-contacts.csv")], "last");
    assert_eq!(last["total"], 3);
}
