//! Browser-level behaviour in headless Chromium, driven by the small
//! Playwright scripts in tests/browser/ (npm `playwright-core`, Debian's
//! `chromium`; .ci/run installs both). Without them these tests say so and
//! pass, unless UTMOST_REQUIRE_BROWSER=1, as in CI, where they must run.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;
use common::preview::Preview;

/// Runs a script; `None` when the browser tooling is not installed.
fn run_script(script: &str, args: &[&str]) -> Option<serde_json::Value> {
    let chromium = common::browser::chromium()?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        assert!(
            std::env::var("UTMOST_REQUIRE_BROWSER").is_err(),
            "run `npm ci` in tests/browser"
        );
        eprintln!("note: tests/browser/node_modules missing (npm ci); skipping");
        return None;
    }
    let out = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .env("CHROMIUM", chromium)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the script prints JSON"))
}

#[test]
fn attribution_script_keeps_first_and_last_touch_as_text() {
    let site = TestSite::fixture("custom-theme");
    let preview = Preview::start(&site);
    let base = format!("http://127.0.0.1:{}", preview.port);
    let Some(r) = run_script("attribution.mjs", &[&base, "/offer/", "/news/"]) else {
        return;
    };

    let first = &r["first_visit"];
    assert_eq!(first["utm_source"], "linkedin");
    assert_eq!(first["gclid"], "G-111");
    assert_eq!(first["ft_utm_source"], "linkedin");
    assert_eq!(first["ft_landing_page"], "/offer/");
    assert_eq!(first["campaign_id"], "launch");

    let back = &r["return_visit"];
    assert_eq!(
        back["utm_source"], "newsletter",
        "last touch is the latest visit with parameters"
    );
    assert_eq!(back["utm_medium"], "email");
    assert_eq!(
        back["gclid"], "",
        "the last touch carries only its own parameters"
    );
    assert_eq!(back["ft_utm_source"], "linkedin", "first touch is kept");
    assert_eq!(back["ft_gclid"], "G-111");
    assert_eq!(
        back["utm_content"], "<img src=x onerror=alert(1)>",
        "markup arrives as text"
    );
    assert_eq!(
        r["injected_images"], 0,
        "and never enters the DOM as markup"
    );
    assert_eq!(r["dialogs"], serde_json::json!([]), "and never runs");
    assert_eq!(r["cookies"], 0, "no cookies");
    assert!(r["after_submit"].as_str().unwrap().ends_with("/offer/"));

    let leads = site.read(".utmost/preview-leads.jsonl");
    let lead: serde_json::Value = serde_json::from_str(leads.lines().last().unwrap()).unwrap();
    assert_eq!(lead["email"], "lead@client.example");
    assert_eq!(lead["utm_source"], "newsletter");
    assert_eq!(lead["ft_utm_source"], "linkedin");
    assert_eq!(lead["ft_gclid"], "G-111");
    assert_eq!(lead["page"], "/offer/");
    assert_eq!(lead["utm_content"], "<img src=x onerror=alert(1)>");
    assert!(
        lead["ft_at"].as_str().unwrap().ends_with('Z'),
        "an ISO time"
    );

    let expired = &r["after_expiry"];
    assert_eq!(
        expired["ft_utm_source"], "google",
        "an expired first touch is replaced"
    );
    assert_eq!(expired["utm_source"], "google");
}

#[test]
fn open_page_reloads_itself_and_shows_errors_as_an_overlay() {
    let site = TestSite::fixture("custom-theme");
    let preview = Preview::start(&site);
    let url = format!("http://127.0.0.1:{}/offer/", preview.port);
    let file = site.path().join("content/offer.md");
    let Some(r) = run_script("livereload.mjs", &[&url, file.to_str().unwrap()]) else {
        return;
    };
    assert_eq!(r["reloaded"], true);
    let overlay = r["overlay"].as_str().unwrap();
    assert!(overlay.contains("unknown funnel stage `nope`"), "{overlay}");
    assert!(overlay.contains("content/offer.md:3:9"), "{overlay}");
    assert_eq!(r["still_shows_last_good"], true);
    assert_eq!(r["overlay_after_fix"], false);
}
