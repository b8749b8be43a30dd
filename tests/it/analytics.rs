//! `[analytics]`: the tool's snippet in every built page (and in no page
//! without the table, nor in the preview), and the lead event a form
//! submission fires, checked in Chromium against stand-ins for GA4,
//! Plausible and Matomo served on loopback (tests/browser/analytics.mjs).
//! The fixture's form sends `campaign_id` as `cid`, so the event must read
//! the page fields under their sent names.

use serde_json::{Value, json};

use crate::common::TestSite;
use crate::common::browser;
use crate::common::preview::Preview;

/// The revenue fixture with `table` as its `[analytics]`, built.
/// The built HTML pages, less short links' redirect pages (`go/`): those
/// send the browser on at once and are no visit, so they run nothing.
fn pages(site: &TestSite) -> Vec<String> {
    (site.written().into_iter())
        .filter(|r| r.ends_with(".html") && !r.starts_with("go/"))
        .collect()
}

fn site_with(table: &str) -> TestSite {
    let site = TestSite::fixture("revenue");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}\n[analytics]\n{table}"));
    site.build();
    site
}

#[test]
fn no_page_loads_anything_without_the_table() {
    let site = TestSite::built("revenue");
    for rel in pages(&site) {
        let html = site.read(&format!("public/{rel}"));
        assert!(!html.contains("data-utmost=\"analytics"), "{rel}");
        let data = html
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(
            html.matches("<script").count() - data,
            1,
            "{rel}: the attribution script only (besides structured data)"
        );
    }
}

#[test]
fn every_page_carries_the_snippet_in_its_head_but_not_in_the_preview() {
    let site = site_with("provider = \"ga4\"\nid = \"G-TEST123\"\n");
    for rel in pages(&site) {
        let html = site.read(&format!("public/{rel}"));
        let head = &html[..html.find("</head>").expect("a head")];
        assert!(head.contains("gtag(\"config\",\"G-TEST123\")"), "{rel}");
        assert!(
            head.contains("src=\"https://www.googletagmanager.com/gtag/js?id=G-TEST123\""),
            "{rel}"
        );
        assert!(html.contains("\"generate_lead\""), "{rel}: the lead event");
    }
    let preview = Preview::start(&site);
    let page = preview.get("/spring/").body;
    assert!(
        !page.contains("googletagmanager"),
        "the preview loads no tool"
    );
    assert!(!page.contains("generate_lead"));
}

/// What the stand-in tool received when a visitor submitted the form on
/// /spring/b/ (the page's variant `b`); `None` without the browser tooling.
fn lead_event(table: &str, tool: &str) -> Option<(Value, Value)> {
    let site = site_with(table);
    let public = site.path().join("public");
    let args = [public.to_str().unwrap(), "/spring/b/"];
    let r = browser::run_script("analytics.mjs", &args, &["playwright-core"])?;
    assert_eq!(r["elsewhere"], json!([]), "nothing else left the machine");
    let submitted = &r["submitted"];
    assert_eq!(submitted["url"], "https://forms.revenue.example/leads");
    let body = submitted["body"].as_str().unwrap();
    assert!(
        body.contains("cid=spring"),
        "the form was still sent: {body}"
    );
    let calls: Vec<&Value> = r["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["tool"] == tool)
        .collect();
    let lead = calls
        .iter()
        .find(|c| {
            c["call"].to_string().contains("generate_lead")
                || c["call"].to_string().contains("\"Lead\"")
        })
        .expect("the lead event");
    Some((
        lead["call"].clone(),
        json!(calls.iter().map(|c| &c["call"]).collect::<Vec<_>>()),
    ))
}

#[test]
fn ga4_receives_generate_lead_with_campaign_form_page_and_variant() {
    let table = "provider = \"ga4\"\nid = \"G-TEST123\"\nscript = \"/stub/gtag.js\"\n";
    let Some((lead, all)) = lead_event(table, "ga4") else {
        return;
    };
    assert_eq!(
        lead,
        json!(["event", "generate_lead", {
            "lead_campaign": "spring",
            "lead_form": "demo",
            "lead_page": "/spring/b/",
            "lead_variant": "b"
        }])
    );
    assert_eq!(
        all[1],
        json!(["config", "G-TEST123"]),
        "configured first: {all}"
    );
}

#[test]
fn plausible_receives_a_lead_custom_event_before_the_form_leaves() {
    let table = "provider = \"plausible\"\nscript = \"/stub/plausible.js\"\n";
    let Some((lead, _)) = lead_event(table, "plausible") else {
        return;
    };
    assert_eq!(
        lead,
        json!(["Lead", {"campaign": "spring", "form": "demo", "page": "/spring/b/", "variant": "b"}])
    );
}

#[test]
fn matomo_receives_a_lead_event_after_its_tracker_is_set() {
    let table = "provider = \"matomo\"\nid = \"7\"\nurl = \"/stub/matomo/\"\n";
    let Some((lead, all)) = lead_event(table, "matomo") else {
        return;
    };
    assert_eq!(
        lead,
        json!([
            "trackEvent",
            "Lead",
            "spring",
            "page=/spring/b/ variant=b form=demo"
        ])
    );
    let all = all.to_string();
    assert!(
        all.contains(r#"["setTrackerUrl","/stub/matomo/matomo.php"]"#),
        "{all}"
    );
    assert!(all.contains(r#"["setSiteId","7"]"#), "{all}");
}
