//! `leads report --format html`: the report page on the revenue fixture
//! with deals and visits (tests/fixtures/exports/revenue/), snapshotted,
//! judged by the Nu HTML Checker and by axe-core in Chromium at a desktop
//! and a phone viewport, and checked to request nothing but itself; and
//! `--out` and `--open`.

use std::process::Command;

use crate::common::browser::{self, skip};
use crate::common::{TestSite, export, exports_placeholder};

const FILES: [(&str, &str); 5] = [
    ("--deals", "revenue/hubspot-deals.csv"),
    ("--deals", "revenue/salesforce-opportunities.csv"),
    ("--visits", "revenue/ga4-landing-pages.csv"),
    ("--visits", "revenue/plausible-entry_pages.csv"),
    ("--visits", "revenue/matomo-entry-pages.tsv"),
];

/// The report of the fixture with every file, with `extra` arguments.
fn report(site: &TestSite, extra: &[&str]) -> crate::common::Run {
    let leads = export("revenue/leads.csv");
    let files: Vec<(&str, String)> = FILES.iter().map(|(f, p)| (*f, export(p))).collect();
    let mut args = vec!["leads", "report", &leads];
    for (flag, path) in &files {
        args.extend([*flag, path.as_str()]);
    }
    args.extend_from_slice(extra);
    site.run(&args)
}

#[test]
fn the_page_holds_every_figure_and_requests_nothing() {
    let site = TestSite::fixture("revenue");
    let out = report(&site, &["--format", "html"]);
    out.success();
    let html = &out.stdout;
    insta::assert_snapshot!("revenue_report_html", exports_placeholder(html));
    for needle in [
        "<th scope=\"row\">spring</th><td class=\"num\">4</td><td class=\"num\">2</td><td class=\"num\">16,500.50</td>",
        "<th scope=\"row\">linkedin / paid-social</th><td class=\"num\">2</td><td class=\"num\">12,000.00</td>",
        "<th scope=\"row\">ana</th><td class=\"num\">17,701.00</td>",
        "not enough data yet",
        "<code>/old-launch/</code> (7)",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    for outside in [
        "http://", "https://", "<script", "<link", "<img", "@import", "url(",
    ] {
        assert!(!html.contains(outside), "the page has {outside}");
    }
}

#[test]
fn the_page_passes_the_nu_html_checker_and_axe() {
    let site = TestSite::fixture("revenue");
    let file = site.path().join("report.html");
    let path = file.display().to_string();
    report(&site, &["--format", "html", "--out", &path]).success();
    // And the page of the leads alone, without deals or visits.
    let bare = site.path().join("leads-only.html");
    let bare_path = bare.display().to_string();
    let leads = export("revenue/leads.csv");
    site.run(&[
        "leads", "report", &leads, "--format", "html", "--out", &bare_path,
    ])
    .success();
    let jar = browser::scripts().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        return skip("vnu.jar is missing (npm ci in tests/browser)");
    }
    let vnu = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-css", "--also-check-svg"])
        .arg(&file)
        .arg(&bare)
        .output();
    let Ok(vnu) = vnu else {
        return skip("no Java (apt-get install default-jre-headless)");
    };
    assert!(
        vnu.status.success(),
        "the Nu HTML Checker: {}",
        String::from_utf8_lossy(&vnu.stderr)
    );
    let urls = [format!("file://{path}"), format!("file://{bare_path}")];
    let viewports = "desktop=1280x800,phone=390x844";
    let args = [viewports, urls[0].as_str(), urls[1].as_str()];
    let Some(r) = browser::run_script("axe.mjs", &args, &["playwright-core", "axe-core"]) else {
        return;
    };
    let results = r["results"].as_array().expect("results");
    assert_eq!(results.len(), 4, "both pages at both viewports");
    for result in results {
        let at = format!("{} at {}", result["url"], result["viewport"]);
        assert_eq!(result["violations"], serde_json::json!([]), "{at}");
    }
    let requests = r["requests"].as_array().expect("requests");
    assert!(!requests.is_empty());
    for request in requests {
        let url = request.as_str().unwrap_or("");
        assert!(
            urls.iter().any(|u| u == url),
            "only the pages themselves: {url}"
        );
    }
}

#[test]
fn out_writes_the_file_and_open_hands_it_to_the_browser() {
    let site = TestSite::fixture("revenue");
    // A stand-in `xdg-open` that notes what it was asked to open.
    let bin = site.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let opener = bin.join("xdg-open");
    let noted = site.path().join("opened.txt");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", noted.display()),
    )
    .expect("opener");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = std::env::var("PATH").unwrap_or_default();
    let leads = export("revenue/leads.csv");
    let run = |args: &[&str]| {
        let mut cmd = crate::common::binary();
        cmd.env("PATH", format!("{}:{path}", bin.display()))
            .arg("--root")
            .arg(site.path())
            .args(["leads", "report", &leads])
            .args(args);
        crate::common::Run::of(&mut cmd)
    };
    let out = site.path().join("out/report.html");
    let shown = out.display().to_string();
    let r = run(&["--format", "html", "--out", &shown]);
    r.success();
    assert_eq!(r.stdout, "", "written to the file, not printed");
    assert!(
        std::fs::read_to_string(&out)
            .expect("written")
            .starts_with("<!DOCTYPE html>")
    );
    #[cfg(unix)]
    {
        // The mode of any new file the user makes (not a temporary
        // file's 0600), and a report written again keeps the mode the
        // user gave it.
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| {
            let meta = std::fs::metadata(p).expect("mode");
            meta.permissions().mode() & 0o777
        };
        let new_file = site.path().join("out/new.txt");
        std::fs::write(&new_file, "").expect("new file");
        assert_eq!(mode(&out), mode(&new_file));
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        run(&["--format", "html", "--out", &shown]).success();
        assert_eq!(mode(&out), 0o640);
    }
    run(&["--format", "html", "--open"]).success();
    // The opener runs detached: wait for its note (a missing note fails
    // after a generous bound; the test does not depend on timing to pass).
    let opened = (0..500).find_map(|_| {
        std::fs::read_to_string(&noted)
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| {
                std::thread::sleep(std::time::Duration::from_millis(20));
                None
            })
    });
    let expected = site.path().join(".utmost/leads-report.html");
    assert_eq!(opened, Some(expected.display().to_string()));
    assert!(expected.is_file());
    let refused = run(&["--open"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("--open opens the HTML report: add --format html")
    );
}
