//! Browser-level behaviour in headless Chromium, driven by the small
//! Playwright scripts in tests/browser/ (npm `playwright-core`, Debian's
//! `chromium`; .ci/run installs both). Without them these tests say so and
//! pass, unless UTMOST_REQUIRE_BROWSER=1, as in CI, where they must run.

use crate::common::TestSite;
use crate::common::browser;
use crate::common::preview::Preview;

/// Runs a playwright-core script; `None` when the tooling is missing.
fn run_script(script: &str, args: &[&str]) -> Option<serde_json::Value> {
    browser::run_script(script, args, &["playwright-core"])
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

#[test]
fn a_template_edit_renders_the_open_tabs_page_first() {
    let site = TestSite::fixture("custom-theme");
    let preview = Preview::start(&site);
    let url = format!("http://127.0.0.1:{}/offer/", preview.port);
    let file = site.path().join("themes/plain/templates/base.html");
    let Some(r) = run_script("template_reload.mjs", &[&url, file.to_str().unwrap()]) else {
        return;
    };
    assert_eq!(r["reloaded"], true);
    let printed = preview.printed_until("open page");
    assert!(
        printed.contains("base.html: rendered 1 open page in"),
        "the tab's page was rendered first:\n{printed}"
    );
}

/// The hidden fields `landing.mjs` or `poisoned.mjs` read from one form.
fn form<'a>(forms: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let form = &forms[id];
    assert!(form.is_object(), "no form `{id}` in {forms}");
    form
}

#[test]
fn a_page_without_a_form_keeps_the_touch_for_every_form_after_it() {
    let site = TestSite::fixture("every-template");
    let preview = Preview::start(&site);
    let base = format!("http://127.0.0.1:{}", preview.port);
    let Some(r) = run_script("landing.mjs", &[&base, "/offer/", "/guides/first/"]) else {
        return;
    };
    assert_eq!(r["errors"], serde_json::json!([]));
    assert_eq!(r["landing_forms"], 0, "the landing page has no form");
    assert_eq!(r["landing_scripts"], 1, "but it has the script");
    let touch = [
        ("utm_source", "linkedin"),
        ("utm_medium", "paid-social"),
        ("utm_campaign", "launch_2026"),
        ("utm_term", "route planning"),
        ("utm_content", "carousel-2"),
        ("utm_id", "cmp-42"),
        ("gclid", "G-1"),
        ("fbclid", "F-1"),
        ("msclkid", "M-1"),
        ("li_fat_id", "L-1"),
    ];
    let forms = &r["forms"];
    for id in ["demo", "newsletter", "callback", "hubspot-demo"] {
        let f = form(forms, id);
        for (name, value) in touch {
            assert_eq!(f[name], value, "{id}: last touch {name}");
            assert_eq!(f[format!("ft_{name}")], value, "{id}: first touch {name}");
        }
        assert_eq!(f["ft_landing_page"], "/offer/", "{id}");
        assert_eq!(f["ft_referrer"], "https://www.linkedin.com/", "{id}");
        assert!(f["ft_at"].as_str().unwrap().ends_with('Z'), "{id}");
        assert_eq!(f["form_id"], id);
        assert_eq!(f["page"], "/guides/first/");
        assert_eq!(f["variant"], "a");
        assert_eq!(f["campaign_id"], "evergreen");
    }
    // Salesforce gets the campaign under its custom fields' ids.
    let sf = form(forms, "salesforce-demo");
    assert_eq!(sf["00N5e00000AbCdE"], "launch_2026");
    assert_eq!(sf["00N5e00000AbCdF"], "launch_2026");
    assert_eq!(sf["oid"], "00D5e000000AbCd");
    assert_eq!(sf["retURL"], format!("{base}/thanks/"));
    assert_eq!(sf["utm_source"], "linkedin");
    // HubSpot's hs_context, as its v2 form endpoint documents it.
    let hs = form(forms, "hubspot-demo");
    let context: serde_json::Value =
        serde_json::from_str(hs["hs_context"].as_str().unwrap()).unwrap();
    assert_eq!(context["hutk"], "5f3a1b2c4d5e6f708192a3b4c5d6e7f8");
    assert_eq!(context["pageUrl"], format!("{base}/guides/first/"));
    assert_eq!(context["pageName"], r["title"]);
    assert_eq!(context["redirectUrl"], format!("{base}/thanks/"));
    assert!(
        hs.as_object().unwrap().keys().all(|k| !k.starts_with('_')),
        "{hs}"
    );
}

#[test]
fn poisoned_storage_is_dropped_and_never_stops_a_form() {
    let site = TestSite::fixture("every-template");
    let preview = Preview::start(&site);
    let base = format!("http://127.0.0.1:{}", preview.port);
    let Some(r) = run_script("poisoned.mjs", &[&base, "/guides/first/"]) else {
        return;
    };
    let iso_now = |case: &str, f: &serde_json::Value| {
        let at = f["ft_at"].as_str().unwrap_or_default();
        assert!(at.starts_with("20") && at.ends_with('Z'), "{case}: {at}");
    };
    for case in ["future", "beyond_any_date", "not_json", "array"] {
        let c = &r[case];
        assert_eq!(c["errors"], serde_json::json!([]), "{case}");
        for (id, f) in c["forms"].as_object().unwrap() {
            assert_eq!(
                f["ft_landing_page"], "/guides/first/",
                "{case}/{id}: a new first touch"
            );
            assert_eq!(f["ft_utm_source"], "", "{case}/{id}");
            assert_eq!(
                f["utm_source"], "",
                "{case}/{id}: the bad last touch is dropped"
            );
            iso_now(case, f);
        }
        assert!(c["stored"]["ft"]["at"].as_f64().unwrap() <= c["now"].as_f64().unwrap());
    }
    let c = &r["wrong_types_and_huge"];
    assert_eq!(c["errors"], serde_json::json!([]));
    let f = form(&c["forms"], "demo");
    assert_eq!(f["ft_utm_source"], "", "an object is not a value");
    assert_eq!(f["ft_utm_medium"], "", "nor a number");
    assert_eq!(f["ft_utm_campaign"].as_str().unwrap().len(), 500, "capped");
    assert_eq!(f["ft_gclid"], "G-ok", "good values of a touch are kept");
    assert_eq!(f["ft_landing_page"], "", "a number is not a page");
    assert_eq!(f["ft_referrer"].as_str().unwrap().len(), 500);
    assert!(
        c["stored"]["ft"]["v"].get("evil").is_none(),
        "unknown names are not kept"
    );
    iso_now("wrong_types_and_huge", f);

    let c = &r["one_form_breaks"];
    assert_eq!(c["errors"], serde_json::json!([]));
    assert_eq!(
        form(&c["forms"], "newsletter")["utm_source"],
        "",
        "the broken one"
    );
    for id in ["demo", "callback", "hubspot-demo", "salesforce-demo"] {
        let f = form(&c["forms"], id);
        assert_eq!(f["utm_source"], "newsletter", "{id} is still filled");
        assert_eq!(f["ft_utm_source"], "linkedin", "{id}");
        assert_eq!(f["ft_landing_page"], "/offer/", "{id}");
    }
}

#[test]
fn chromium_picks_and_decodes_the_avif_of_a_picture() {
    let site = crate::images::avif_site();
    let preview = Preview::start(&site);
    let base = format!("http://127.0.0.1:{}", preview.port);
    let Some(r) = run_script("pictures.mjs", &[&base, "/blog/trip/"]) else {
        return;
    };
    let pictures = r["pictures"].as_array().expect("a list");
    let hero = &pictures[0];
    let src = hero["src"].as_str().unwrap();
    assert!(
        src.contains("/processed_images/hero.") && src.ends_with(".avif"),
        "{r}"
    );
    assert!(hero["naturalWidth"].as_u64().unwrap() > 0, "decoded: {r}");
    for picture in pictures {
        assert!(picture["naturalWidth"].as_u64().unwrap() > 0, "{r}");
    }
}
