//! What the static host reads: `_headers` in the format Netlify and
//! Cloudflare Pages document, a Content-Security-Policy the site works
//! under (checked in Chromium with the headers applied), and the policy as
//! a `<meta>` for hosts without header files (`--host`, `[deploy] host`).

use crate::common::TestSite;
use crate::common::browser;
use crate::common::static_host::{StaticHost, parse_headers};

/// The `/*` rule's headers of a built site.
fn site_headers(site: &TestSite) -> Vec<(String, String)> {
    let rules = parse_headers(&site.read("public/_headers"));
    let all = rules
        .iter()
        .find(|(p, _)| p == "/*")
        .expect("a rule for every path");
    all.1.clone()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    let found = headers.iter().find(|(n, _)| n == name);
    &found.unwrap_or_else(|| panic!("{name} in {headers:?}")).1
}

#[test]
fn headers_file_holds_the_policy_and_security_headers() {
    let site = TestSite::built("every-template");
    let headers = site_headers(&site);
    assert_eq!(header(&headers, "X-Content-Type-Options"), "nosniff");
    assert_eq!(
        header(&headers, "Referrer-Policy"),
        "strict-origin-when-cross-origin"
    );
    let csp = header(&headers, "Content-Security-Policy");
    assert!(
        csp.starts_with("default-src 'self'; script-src 'self' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        csp.contains("form-action 'self' https://forms.every.example https://forms.hubspot.com https://formspree.io https://webto.salesforce.com;"),
        "the forms' backends: {csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    // Every inline script of every page is allowed by its hash.
    let script = site.read("public/launch/index.html");
    let start = script
        .rfind("<script data-utmost=\"attribution\">")
        .unwrap();
    let body = &script[start + "<script data-utmost=\"attribution\">".len()..];
    let body = &body[..body.find("</script>").unwrap()];
    let digest = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()))
    };
    assert!(csp.contains(&format!("'sha256-{digest}'")), "{csp}");
    // Fingerprinted files are cached for a year; others are not.
    let rules = parse_headers(&site.read("public/_headers"));
    let cached: Vec<&str> = (rules.iter())
        .filter(|(_, h)| {
            h.contains(&(
                "Cache-Control".into(),
                "public, max-age=31536000, immutable".into(),
            ))
        })
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(
        cached.iter().any(|p| p.starts_with("/style.")
            && p.ends_with(".css")
            && p.len() > "/style.css".len()),
        "{cached:?}"
    );
    assert!(
        !cached.contains(&"/style.css") && !cached.contains(&"/*"),
        "{cached:?}"
    );
    // Cloudflare reads at most 2,000 characters a line.
    assert!(
        site.read("public/_headers")
            .lines()
            .all(|l| l.len() <= 2000)
    );
}

#[test]
fn hosts_without_header_files_get_the_policy_in_each_page() {
    let site = TestSite::fixture("every-template");
    site.run(&["build", "--host", "github"]).success();
    assert!(!site.exists("public/_headers"));
    let page = site.read("public/launch/index.html");
    let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;self&#39;";
    let at = page.find(meta).expect("the policy in the page");
    assert!(at < page.find("<script").unwrap(), "before what it governs");
    assert!(
        !page[at..]
            .split('>')
            .next()
            .unwrap()
            .contains("frame-ancestors")
    );
    let text = site.read("site.toml");
    site.write("site.toml", &format!("{text}\n[deploy]\nhost = \"s3\"\n"));
    site.build();
    assert!(!site.exists("public/_headers"));
    assert!(site.read("public/launch/index.html").contains(meta));
    site.run(&["build", "--host", "netlify"]).success();
    assert!(
        site.exists("public/_headers"),
        "--host wins over [deploy] host"
    );
    assert!(!site.read("public/launch/index.html").contains(meta));
}

#[test]
fn the_site_works_under_its_own_policy() {
    let site = TestSite::built("every-template");
    let host = StaticHost::start(&site.path().join("public"));
    let base = format!("http://127.0.0.1:{}", host.port);
    let args = [
        base.as_str(),
        "/launch/",
        "/collateral/brief/",
        "https://forms.every.example",
    ];
    let Some(r) = browser::run_script("csp.mjs", &args, &["playwright-core"]) else {
        return;
    };
    assert!(
        r["csp"]
            .as_str()
            .unwrap()
            .contains("frame-ancestors 'none'"),
        "served with the policy: {r}"
    );
    for (path, violations) in r["violations"].as_object().unwrap() {
        assert_eq!(violations, &serde_json::json!([]), "{path}: {r}");
    }
    let csp_messages: Vec<&serde_json::Value> = (r["console"].as_array().unwrap().iter())
        .filter(|m| m.as_str().unwrap().contains("Content Security Policy"))
        .collect();
    assert!(csp_messages.is_empty(), "{csp_messages:?}");
    let hidden = &r["hidden"];
    assert_eq!(hidden["utm_source"], "newsletter", "{hidden}");
    assert_eq!(hidden["ft_utm_campaign"], "launch_2026");
    assert_eq!(hidden["ft_landing_page"], "/launch/");
    assert_eq!(hidden["campaign_id"], "launch");
    assert!(r["after_submit"].as_str().unwrap().ends_with("/thanks/"));
    let posted = r["posted"].as_str().unwrap();
    assert!(posted.contains("utm_source=newsletter"), "{posted}");
    assert!(posted.contains("email=lead%40client.example"), "{posted}");
    assert_eq!(
        r["print_button"], true,
        "the one-pager's print button works"
    );
}

/// The `(from, to, status)` lines of a built site's `_redirects`, each
/// checked against the format Netlify and Cloudflare Pages document.
fn redirect_lines(site: &TestSite) -> Vec<(String, String, String)> {
    let text = site.read("public/_redirects");
    let lines: Vec<(String, String, String)> = (text.lines())
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            // Cloudflare: at most 1,000 characters a redirect.
            assert!(l.len() <= 1000, "{l}");
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "FROM TO STATUS: {l}");
            assert!(
                parts[0].starts_with('/') && parts[1].starts_with('/'),
                "{l}"
            );
            (parts[0].into(), parts[1].into(), parts[2].into())
        })
        .collect();
    // Cloudflare: at most 2,000 static redirects.
    assert!(lines.len() <= 2000);
    lines
}

#[test]
fn redirects_file_sends_each_short_link_on_with_its_tags() {
    let site = TestSite::built("every-template");
    let lines = redirect_lines(&site);
    let links = site.manifest()["short_links"].as_array().unwrap().clone();
    let short = lines.iter().filter(|l| l.2 == "302").count();
    assert_eq!(short, 2 * links.len(), "with and without the slash");
    for link in &links {
        let code = link["code"].as_str().unwrap();
        let to = link["to"]
            .as_str()
            .unwrap()
            .replace("https://every.example", "");
        for from in [format!("/go/{code}"), format!("/go/{code}/")] {
            assert!(
                lines.contains(&(from.clone(), to.clone(), "302".into())),
                "{from} {to} in {lines:?}"
            );
        }
    }
    // Netlify serves a file before a rule unless the rule is forced.
    site.run(&["build", "--host", "netlify"]).success();
    assert!(
        (redirect_lines(&site).iter()).all(|l| l.2 == "302!" || l.2 == "301!"),
        "every rule forced"
    );
    site.run(&["build", "--host", "github"]).success();
    assert!(!site.exists("public/_redirects"), "GitHub Pages reads none");
}

#[test]
fn the_policy_allows_the_analytics_tool_and_nothing_else() {
    let site = TestSite::fixture("every-template");
    let text = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{text}\n[analytics]\nprovider = \"plausible\"\n"),
    );
    site.build();
    let headers = site_headers(&site);
    let csp = header(&headers, "Content-Security-Policy");
    assert!(csp.contains(" https://plausible.io;"), "script-src: {csp}");
    assert!(
        csp.contains("connect-src 'self' https://plausible.io;"),
        "where its events go: {csp}"
    );
    // Without the tool, none of it.
    site.write("site.toml", &text);
    site.build();
    let headers = site_headers(&site);
    assert!(!header(&headers, "Content-Security-Policy").contains("plausible"));
}

#[test]
fn redirects_file_moves_aliases_and_redirecting_sections_for_good() {
    // An alias, a listing's `page/1/` and a `redirect_to` section are
    // permanent moves: `301` lines beside the short links' `302` ones
    // (Netlify's and Cloudflare's `_redirects` format).
    let site = TestSite::built("blog");
    let text = site.read("public/_redirects");
    let manifest = site.manifest();
    let redirects = manifest["redirects"].as_array().unwrap();
    assert!(!redirects.is_empty());
    for r in redirects {
        let from = r["from"].as_str().unwrap();
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(from))
            .unwrap_or_else(|| panic!("no line for {from} in\n{text}"));
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert_eq!(parts[2], "301", "{line}");
        if let Some(bare) = from.strip_suffix('/').filter(|b| !b.is_empty()) {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{bare} "))),
                "{bare}"
            );
        }
    }
}

#[test]
fn a_hosts_file_of_the_sites_own_is_never_replaced() {
    // A `_redirects` of the site's own is the one the host gets; utmost's
    // is left out, with a warning at the site's file.
    let site = TestSite::fixture("every-template");
    site.write("static/_redirects", "/from /to 301\n");
    let run = site.run(&["build"]);
    run.success()
        .stderr_has("the site has its own `_redirects`")
        .stderr_has("--> static/_redirects");
    assert_eq!(site.read("public/_redirects"), "/from /to 301\n");
    assert!(
        site.read("public/_headers")
            .contains("Content-Security-Policy")
    );
}
