//! Page quality judged by outside checkers, on the demo site (the repo's
//! site.toml and content/, with the embedded default theme), on
//! tests/fixtures/every-template (every template, partial and shortcode of
//! the default theme) and on tests/fixtures/awkward-markdown (shortcodes
//! mid-paragraph and beside text, nested lists with code, wide tables, raw
//! HTML blocks, footnotes, headings with markup):
//! - the W3C Nu HTML Checker (npm `vnu-jar`, run with Java) finds no error
//!   in any page, stylesheet or SVG;
//! - axe-core in headless Chromium (tests/browser/axe.mjs) finds no
//!   violation on any page, at a desktop and at a phone viewport;
//! - and no page requests anything from a host other than 127.0.0.1.
//!
//! They need Java, Chromium and `npm ci` in tests/browser (.ci/run installs
//! all three). Without them they say so and pass, unless
//! UTMOST_REQUIRE_BROWSER=1, as in CI, where they must run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::TestSite;
use crate::common::browser::{self, skip};
use crate::common::preview::Preview;

const VIEWPORTS: &str = "desktop=1280x800,phone=390x844";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The demo site: the repo's site.toml and content/ in a temporary folder.
/// Its `theme = "default"` is the copy embedded in the binary.
fn demo_site() -> TestSite {
    let site = TestSite::empty();
    site.write_bytes(
        "site.toml",
        &std::fs::read(repo().join("site.toml")).unwrap(),
    );
    let content = repo().join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("content/ readable");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&content).unwrap();
            let rel = format!("content/{}", rel.to_string_lossy().replace('\\', "/"));
            site.write_bytes(&rel, &std::fs::read(entry.path()).unwrap());
        }
    }
    site
}

/// Every site judged, built.
fn sites() -> [(&'static str, TestSite); 3] {
    let demo = demo_site();
    demo.build();
    let every = TestSite::fixture("every-template");
    every.build();
    let awkward = TestSite::fixture("awkward-markdown");
    awkward.build();
    [
        ("demo", demo),
        ("every-template", every),
        ("awkward-markdown", awkward),
    ]
}

/// Files under public/ whose names end with one of `exts`, relative to
/// public/, sorted.
fn outputs(site: &TestSite, exts: &[&str]) -> Vec<String> {
    site.written()
        .into_iter()
        .filter(|rel| exts.iter().any(|ext| rel.ends_with(ext)))
        .collect()
}

/// The URL path a page is served at: `blog/index.html` → `/blog/`.
fn url_path(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

#[test]
fn the_fixture_renders_every_template_of_the_default_theme() {
    let site = TestSite::fixture("every-template");
    site.build();
    let all: String = outputs(&site, &[".html"])
        .iter()
        .map(|rel| site.read(&format!("public/{rel}")))
        .collect();
    for needle in [
        "class=\"tpl-home\"",
        "class=\"tpl-landing\"",
        "class=\"tpl-page\"",
        "class=\"tpl-section\"",
        "class=\"tpl-thanks\"",
        "class=\"tpl-collateral\"",
        "class=\"tpl-404\"",
        "class=\"tpl-taxonomy\"",
        "class=\"tpl-term\"",
        "<nav class=\"pagination\"",
        "<a class=\"tag\"",
        "<script type=\"application/ld+json\">",
        "class=\"one-pager paper-a4\"",
        "<aside class=\"cta-box\">",
        "<a class=\"button button-secondary\"",
        "<figure class=\"quote\">",
        "<section class=\"logos\"",
        "<section class=\"section benefits\"",
        "<section class=\"section proof\"",
        "<div class=\"wrap showcase\">",
        "<nav class=\"subsections\"",
        "class=\"utmost-qr\"",
        "data-provider=\"formspree\"",
        "data-provider=\"netlify\" method=\"post\"",
        "data-netlify-honeypot=\"bot-field\"",
        "type=\"tel\"",
        "<textarea",
        "<select",
    ] {
        assert!(all.contains(needle), "no page renders {needle}");
    }
    assert!(site.exists("public/launch/b/index.html"), "a variant");
    assert!(site.exists("public/news/page/2/index.html"), "a later page");
    assert!(
        site.exists("public/blog/index.html"),
        "an alias's redirect page"
    );
    assert!(
        site.exists("public/collateral/brief/jane/index.html"),
        "a rep copy"
    );
    let launch = site.read("public/launch/index.html");
    assert_eq!(
        launch.matches("data-utmost-form=\"demo\"").count(),
        2,
        "one form twice on a page"
    );
}

#[test]
fn awkward_markdown_keeps_blocks_out_of_paragraphs_and_regions_reachable() {
    let site = TestSite::fixture("awkward-markdown");
    site.build();
    let shortcodes = site.read("public/notes/shortcodes/index.html");
    for inside in [
        "<p><figure",
        "<p><aside",
        "<em><figure",
        "Mid-paragraph, <figure",
    ] {
        assert!(!shortcodes.contains(inside), "{inside} in:\n{shortcodes}");
    }
    assert_eq!(shortcodes.matches("<figure class=\"quote\">").count(), 6);
    assert!(shortcodes.contains("id=\"utmost-form-contact-2\""));
    let lists = site.read("public/notes/lists/index.html");
    assert_eq!(lists.matches("<pre tabindex=\"0\">").count(), 2);
    assert!(lists.contains("id=\"fn-2\""), "numbered footnote ids");
    assert!(lists.contains("private-use character \u{e000} (U+E000)"));
    let tables = site.read("public/notes/tables/index.html");
    assert_eq!(
        tables
            .matches("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\"")
            .count(),
        3
    );
    assert!(tables.contains("aria-label=\"Plan, Price (2)\""));
}

#[test]
fn nu_html_checker_finds_no_errors() {
    let jar = browser::scripts().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        return skip("vnu.jar is missing (npm ci in tests/browser)");
    }
    if Command::new("java").arg("-version").output().is_err() {
        return skip("no Java (apt-get install default-jre-headless)");
    }
    let sites = sites();
    let mut files: Vec<PathBuf> = Vec::new();
    for (_, site) in &sites {
        for rel in outputs(site, &[".html", ".css", ".svg"]) {
            files.push(site.path().join("public").join(rel));
        }
    }
    assert!(files.len() > 25, "{} files", files.len());
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args([
            "--errors-only",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
            "--stdout",
        ])
        .args(&files)
        .output()
        .expect("java runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("messages");
    let shown: Vec<String> = messages
        .iter()
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("");
            let at = sites
                .iter()
                .find_map(|(name, site)| {
                    let public = site.path().join("public");
                    let prefix = format!("file:{}/", public.display());
                    url.strip_prefix(&prefix)
                        .map(|rel| format!("{name}: {rel}"))
                })
                .unwrap_or_else(|| url.to_string());
            format!(
                "{at}:{}:{}: {}: {}\n    {}",
                m["lastLine"],
                m["firstColumn"],
                m["type"].as_str().unwrap_or(""),
                m["message"].as_str().unwrap_or(""),
                m["extract"].as_str().unwrap_or("").replace('\n', "⏎")
            )
        })
        .collect();
    assert!(
        shown.is_empty(),
        "the Nu HTML Checker found {} errors:\n{}",
        shown.len(),
        shown.join("\n")
    );
    assert!(
        out.status.success(),
        "vnu failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs tests/browser/axe.mjs; `None` when the browser tooling is missing.
fn run_axe(urls: &[String]) -> Option<serde_json::Value> {
    let args: Vec<&str> = std::iter::once(VIEWPORTS)
        .chain(urls.iter().map(String::as_str))
        .collect();
    browser::run_script("axe.mjs", &args, &["playwright-core", "axe-core"])
}

/// `http://127.0.0.1:8080/x` → `127.0.0.1`; `None` for a URL without a host.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.split(':').next()?,
    })
}

#[test]
fn axe_finds_no_violations_and_pages_request_nothing_from_elsewhere() {
    if browser::chromium().is_none() {
        return;
    }
    let sites = sites();
    let previews: Vec<Preview> = sites.iter().map(|(_, site)| Preview::start(site)).collect();
    let mut urls = Vec::new();
    for ((_, site), preview) in sites.iter().zip(&previews) {
        // Redirect pages move on at once: the Nu checker judges them, and
        // axe the page they lead to.
        let redirects = site.manifest()["redirects"].clone();
        let redirects: Vec<&str> = (redirects.as_array().into_iter().flatten())
            .filter_map(|r| r["from"].as_str())
            .collect();
        for rel in outputs(site, &[".html"]) {
            if redirects.contains(&url_path(&rel).as_str()) || rel.starts_with("go/") {
                continue;
            }
            urls.push(format!(
                "http://127.0.0.1:{}{}",
                preview.port,
                url_path(&rel)
            ));
        }
    }
    let Some(r) = run_axe(&urls) else {
        return;
    };

    let results = r["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        urls.len() * VIEWPORTS.split(',').count(),
        "every page at every viewport"
    );
    let mut found = Vec::new();
    for result in results {
        for v in result["violations"].as_array().expect("violations") {
            let mut line = format!(
                "{} at {}: {} ({}): {}",
                result["url"].as_str().unwrap_or(""),
                result["viewport"].as_str().unwrap_or(""),
                v["id"].as_str().unwrap_or(""),
                v["impact"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or("")
            );
            for node in v["nodes"].as_array().into_iter().flatten() {
                line.push_str(&format!(
                    "\n    {}  {}",
                    node["target"],
                    node["html"].as_str().unwrap_or("")
                ));
            }
            found.push(line);
        }
    }
    assert!(
        found.is_empty(),
        "axe found {} violations:\n{}",
        found.len(),
        found.join("\n")
    );

    let requests: Vec<&str> = r["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter_map(|u| u.as_str())
        .collect();
    assert!(requests.len() >= urls.len(), "the requests were recorded");
    let elsewhere: Vec<&&str> = requests
        .iter()
        .filter(|u| !u.starts_with("data:") && host(u) != Some("127.0.0.1"))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests to other hosts: {elsewhere:#?}"
    );
}

#[test]
fn host_is_read_from_a_url() {
    assert_eq!(host("http://127.0.0.1:8080/a?b"), Some("127.0.0.1"));
    assert_eq!(host("https://fonts.example/x.css"), Some("fonts.example"));
    assert_eq!(host("https://u:p@cdn.example:443"), Some("cdn.example"));
    assert_eq!(host("http://[::1]:80/"), Some("::1"));
    assert_eq!(host("data:image/png;base64,AA"), None);
}
