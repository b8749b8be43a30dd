//! Sales collateral: one-pagers, each rep's personal copy, QR codes that
//! decode to the tagged landing URL, the /collateral/ library, and PDFs.

use crate::common::qr::{decode_in_page, modules_in_page};
use crate::common::{self, Run, TestSite};

/// Where the QR code of a built page leads: the short link it encodes,
/// followed through its redirect page (read from the output, as a host
/// serves it) to the full tagged URL.
fn decode_qr(site: &TestSite, html: &str) -> String {
    let short = decode_in_page(html);
    let path = short
        .strip_prefix(&site_base(site))
        .unwrap_or_else(|| panic!("a short link of the site: {short}"));
    assert!(path.starts_with("/go/"), "{short}");
    follow(&site.read(&format!("public{path}index.html")))
}

/// The index of a campaign's print link for the copy at `page`.
fn print_index(campaign: &serde_json::Value, page: &str) -> usize {
    (campaign["links"].as_array().unwrap().iter())
        .position(|l| l["page"] == page && l["medium"] == "print")
        .unwrap()
}

/// The base URL of a test site's site.toml.
fn site_base(site: &TestSite) -> String {
    let toml = site.read("site.toml");
    let line = toml.lines().find(|l| l.starts_with("base_url")).unwrap();
    line.split('"')
        .nth(1)
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

/// Where a redirect page leads: its refresh, canonical link and plain link
/// agree, and carry the tags.
fn follow(page: &str) -> String {
    let attr = |marker: &str| {
        let rest = &page[page
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {page}"))
            + marker.len()..];
        rest.split('"').next().unwrap().replace("&amp;", "&")
    };
    let canonical = attr("<link rel=\"canonical\" href=\"");
    assert_eq!(attr("content=\"0; url="), canonical);
    assert_eq!(attr("<a href=\""), canonical);
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    canonical
}

#[test]
fn each_rep_gets_a_copy_with_their_contact_and_tags() {
    let site = TestSite::built("collateral");
    for (rep, name, email) in [
        ("jane", "Jane Doe", "jane@collateral.example"),
        ("ana", "Ana Lima", "ana@collateral.example"),
    ] {
        let html = site.read(&format!("public/collateral/brief/{rep}/index.html"));
        assert!(
            html.contains(name) && html.contains(email),
            "{rep}'s copy names them"
        );
        assert_eq!(
            decode_qr(&site, &html),
            format!(
                "https://collateral.example/spring/?utm_source=one-pager&utm_medium=print&utm_campaign=spring_2026&utm_content={rep}"
            )
        );
    }
    let main = site.read("public/collateral/brief/index.html");
    assert!(!main.contains("Jane Doe"));
    assert_eq!(
        decode_qr(&site, &main),
        "https://collateral.example/spring/?utm_source=one-pager&utm_medium=print&utm_campaign=spring_2026&utm_content=brief",
        "the page slug when not personalised"
    );
    assert!(
        !site.exists("public/collateral/overview/jane/index.html"),
        "only personalised pages get copies"
    );
}

#[test]
fn qr_leads_to_the_landing_front_matter_else_the_home_page() {
    let site = TestSite::built("collateral");
    let overview = site.read("public/collateral/overview/index.html");
    assert_eq!(
        decode_qr(&site, &overview),
        "https://collateral.example/?utm_source=one-pager&utm_medium=print&utm_campaign=evergreen&utm_content=overview"
    );
}

#[test]
fn collateral_library_lists_pages_copies_and_pdfs() {
    let site = TestSite::built("collateral");
    let library = site.read("public/collateral/index.html");
    assert!(
        library.contains("<title>Sales collateral</title>"),
        "a generated page when there is no collateral/_index.md"
    );
    assert!(library.contains(
        "data-campaign=\"spring\" data-stage=\"consideration\" data-persona=\"ops-lead\""
    ));
    assert!(library.contains("href=\"/collateral/brief/jane/\">Jane Doe"));
    assert!(
        !library.contains(".pdf"),
        "no links to PDFs a plain build does not make"
    );
    site.write(
        "content/collateral/_index.md",
        "+++\ntitle = \"Sales kit\"\ncampaign = \"spring\"\n+++\nEverything a rep needs.\n",
    );
    site.build();
    let library = site.read("public/collateral/index.html");
    assert!(
        library.contains("<title>Sales kit</title>") && library.contains("Everything a rep needs.")
    );
    assert!(library.contains("<meta name=\"campaign\" content=\"spring\">"));
}

#[test]
fn manifest_and_campaign_links_carry_the_rep() {
    let site = TestSite::built("collateral");
    let m = site.manifest();
    let jane = m["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "/collateral/brief/jane/")
        .unwrap();
    assert_eq!(jane["rep"], "jane");
    assert_eq!(jane["campaign"], "spring");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains("/brief/jane/"),
        "personal copies stay out of the sitemap"
    );
}

#[test]
fn collateral_errors() {
    let site = TestSite::fixture("collateral");
    site.write(
        "content/spring.md",
        "+++\ntitle = \"Spring\"\ntemplate = \"landing.html\"\npersonalize = true\n+++\n",
    );
    site.run(&["build"])
        .failure()
        .stderr_has("`personalize = true` is for one-pagers")
        .stderr_has("--> content/spring.md");
    let site = TestSite::fixture("collateral");
    let config = site.read("site.toml");
    site.write("site.toml", &config[..config.find("[reps.jane]").unwrap()]);
    site.run(&["build"])
        .failure()
        .stderr_has("`personalize = true` but site.toml declares no reps");
    let site = TestSite::fixture("collateral");
    site.edit("site.toml", "default_campaign = \"evergreen\"\n", "");
    site.run(&["build"])
        .failure()
        .stderr_has("collateral needs a campaign for its QR code")
        .stderr_has("--> content/collateral/overview.md");
    // A landing page whose URL no QR code could hold: the code holds its
    // short link, so it stays small.
    let site = TestSite::fixture("collateral");
    let far = "a".repeat(200);
    site.write(
        "content/far.md",
        &format!("+++\ntitle = \"Far\"\npath = \"/{far}/\"\n+++\n"),
    );
    site.edit(
        "content/collateral/overview.md",
        "landing = \"@/_index.md\"",
        "landing = \"@/far.md\"",
    );
    site.build();
    let overview = site.read("public/collateral/overview/index.html");
    assert!(decode_qr(&site, &overview).contains(&far));
    assert!(modules_in_page(&overview) <= 33);
    // A base URL no QR code can hold.
    let long = "a".repeat(3000);
    site.edit(
        "site.toml",
        "base_url = \"https://collateral.example\"",
        &format!("base_url = \"https://collateral.example/{long}\""),
    );
    site.run(&["build"])
        .failure()
        .stderr_has("the QR code's URL is too long to encode")
        .stderr_has("--> content/collateral/")
        .stderr_has("shorten `base_url`");
}

/// A one-pager under a section whose front matter is broken may inherit
/// its campaign from it: only the section's own error is reported.
#[test]
fn collateral_under_a_broken_section_is_not_told_it_lacks_a_campaign() {
    let site = TestSite::fixture("collateral");
    site.edit("site.toml", "default_campaign = \"evergreen\"\n", "");
    site.write(
        "content/collateral/_index.md",
        "+++\ntitle = \"Library\"\ncampaign = \"spring-launch\"\nsort_by = 7\n+++\n",
    );
    let run = site.run(&["build"]);
    run.failure().stderr_has("--> content/collateral/_index.md");
    assert!(
        !run.stderr.contains("collateral needs a campaign"),
        "{}",
        run.stderr
    );
}

#[test]
fn pdf_without_chromium_says_what_to_install_and_keeps_the_html() {
    let site = TestSite::fixture("collateral");
    Run::of(
        common::binary()
            .env("PATH", "/nonexistent")
            .arg("--root")
            .arg(site.path())
            .args(["build", "--pdf"]),
    )
    .fails_with(&["--pdf needs Chromium", "apt-get install chromium"]);
    assert!(
        site.exists("public/collateral/brief/jane/index.html"),
        "the HTML build is complete"
    );
    site.run(&["build", "--pdf", "--chromium", "/nonexistent/chrome"])
        .failure()
        .stderr_has("--chromium: no such file");
}

#[test]
fn pdf_prints_one_page_per_copy() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = TestSite::fixture("collateral");
    let run = site.run(&["build", "--pdf", "--chromium", chromium.to_str().unwrap()]);
    run.success();
    assert!(
        run.stdout.contains("Printed 4 one-pager PDFs"),
        "{}",
        run.stdout
    );
    for pdf in [
        "collateral/brief/brief.pdf",
        "collateral/brief/jane/brief-jane.pdf",
        "collateral/brief/ana/brief-ana.pdf",
        "collateral/overview/overview.pdf",
    ] {
        let bytes = std::fs::read(site.path().join("public").join(pdf))
            .unwrap_or_else(|e| panic!("{pdf}: {e}"));
        assert!(bytes.starts_with(b"%PDF"), "{pdf}");
        let info = std::process::Command::new("pdfinfo")
            .arg(site.path().join("public").join(pdf))
            .output();
        if let Some(info) = info.ok().filter(|o| o.status.success()) {
            let text = String::from_utf8_lossy(&info.stdout);
            assert!(text.contains("Pages:           1"), "{pdf}: {text}");
            assert!(text.contains("(A4)"), "{pdf}: paper from site.toml: {text}");
        }
    }
}

#[test]
fn pdf_reports_a_one_pager_that_overflows() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = TestSite::fixture("collateral");
    let long: String = (0..120)
        .map(|i| format!("Paragraph {i} of a one-pager that says far too much.\n\n"))
        .collect();
    site.write(
        "content/collateral/overview.md",
        &format!("+++\ntitle = \"Overview\"\ntemplate = \"one-pager.html\"\n+++\n{long}"),
    );
    site.run(&["build", "--pdf", "--chromium", chromium.to_str().unwrap()])
        .failure()
        .stderr_has("--> content/collateral/overview.md")
        .stderr_has("prints on")
        .stderr_has("pages, not one");
}

#[test]
fn print_collateral_gets_its_qr_links_and_no_ad_links() {
    let site = TestSite::fixture("collateral");
    site.edit(
        "site.toml",
        "utm_campaign = \"spring_2026\"\n",
        "utm_campaign = \"spring_2026\"\nchannels = [ { source = \"linkedin\", medium = \"paid-social\" } ]\n",
    );
    let run = site.run(&["campaigns", "--format", "json"]);
    run.success();
    let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let spring = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "spring")
        .unwrap();
    let links: Vec<(&str, &str, &str)> = spring["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["page"].as_str().unwrap(),
                l["medium"].as_str().unwrap(),
                l["url"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        links
            .iter()
            .all(|(page, medium, _)| !page.starts_with("/collateral/brief/") || *medium == "print"),
        "no paid-social link for a printed page: {links:?}"
    );
    let print: Vec<&(&str, &str, &str)> = links.iter().filter(|l| l.1 == "print").collect();
    assert_eq!(
        print.iter().map(|l| l.0).collect::<Vec<_>>(),
        [
            "/collateral/brief/",
            "/collateral/brief/ana/",
            "/collateral/brief/jane/"
        ]
    );
    // Each copy's link is the one its QR code opens, with its rep, and the
    // page prints the short link its code encodes.
    let jane = site.run(&["build"]);
    jane.success();
    let html = site.read("public/collateral/brief/jane/index.html");
    let qr = print[2].2;
    assert!(
        qr.contains(
            "utm_source=one-pager&utm_medium=print&utm_campaign=spring_2026&utm_content=jane"
        ),
        "{qr}"
    );
    assert_eq!(decode_qr(&site, &html), qr);
    let short = spring["links"][print_index(spring, "/collateral/brief/jane/")]["short"]
        .as_str()
        .unwrap();
    assert_eq!(decode_in_page(&html), short);
    assert!(
        html.contains(&format!("<figcaption>{short}</figcaption>")),
        "the page shows the same short link"
    );
    assert!(
        links
            .iter()
            .any(|(page, medium, _)| *page == "/spring/" && *medium == "paid-social"),
        "landing pages still get their ad links: {links:?}"
    );
}
