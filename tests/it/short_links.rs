//! Short links, `/go/<code>/`: stable codes (the same on every build and
//! every machine), readable codes from `short` overrides, collisions
//! settled or reported, one-pagers' QR codes small enough to scan, and a
//! rep's own links from `utmost campaigns --rep`.

use crate::common::TestSite;
use crate::common::qr::{decode_in_page, modules_in_page};

/// `code → (kind, page, target)` of a built site's manifest.
fn short_links(site: &TestSite) -> Vec<(String, String, String, String)> {
    let m = site.manifest();
    (m["short_links"]
        .as_array()
        .expect("short_links listed")
        .iter())
    .map(|l| {
        let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
        (s("code"), s("kind"), s("page"), s("to"))
    })
    .collect()
}

/// The collateral fixture with channels and a landing page's short links.
fn with_channels() -> TestSite {
    let site = TestSite::fixture("collateral");
    site.edit(
        "site.toml",
        "utm_campaign = \"spring_2026\"\n",
        "utm_campaign = \"spring_2026\"\nchannels = [ { source = \"linkedin\", medium = \"paid-social\" }, { source = \"trade_show\", medium = \"banner\" } ]\n",
    );
    site
}

/// Gives the brief one-pager `short = code`.
fn brief_short(site: &TestSite, code: &str) {
    let line = format!("personalize = true\nshort = \"{code}\"\n");
    site.edit("content/collateral/brief.md", "personalize = true\n", &line);
}

#[test]
fn codes_are_the_same_on_every_build_and_machine() {
    let one = with_channels();
    one.build();
    let two = with_channels();
    two.build();
    let links = short_links(&one);
    assert_eq!(links, short_links(&two), "two folders, the same codes");
    one.build();
    assert_eq!(links, short_links(&one), "a rebuild, the same codes");
    // 3 print copies + (2 channels + 2 reps) for the landing page.
    assert_eq!(links.len(), 3 + 1 + 4, "{links:?}");
    for (code, ..) in &links {
        assert_eq!(code.len(), 6, "{code}");
        assert!(
            code.bytes()
                .all(|b| b"23456789abcdefghjkmnpqrstuvwxyz".contains(&b)),
            "lowercase, no 0 o 1 l i: {code}"
        );
        let page = one.read(&format!("public/go/{code}/index.html"));
        assert!(page.contains("http-equiv=\"refresh\""));
    }
    let kinds: Vec<&str> = links.iter().map(|l| l.1.as_str()).collect();
    for kind in ["print", "channel", "rep"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    let banner = links
        .iter()
        .find(|l| l.3.contains("utm_medium=banner"))
        .unwrap();
    assert_eq!(
        banner.3,
        "https://collateral.example/spring/?utm_source=trade_show&utm_medium=banner&utm_campaign=spring_2026"
    );
}

#[test]
fn short_overrides_give_readable_codes() {
    let site = with_channels();
    site.edit(
        "site.toml",
        "name = \"Spring\"\n",
        "name = \"Spring\"\nshort = \"spring\"\n",
    );
    brief_short(&site, "brief");
    site.build();
    let links = short_links(&site);
    let code = |kind: &str, to: &str| {
        (links.iter())
            .find(|l| l.1 == kind && l.3.contains(to))
            .map(|l| l.0.clone())
            .unwrap_or_else(|| panic!("{kind} {to} in {links:?}"))
    };
    assert_eq!(code("channel", "utm_source=linkedin"), "spring-linkedin");
    assert_eq!(
        code("channel", "utm_source=trade_show"),
        "spring-trade-show"
    );
    assert_eq!(code("rep", "utm_content=jane"), "spring-jane");
    assert_eq!(code("print", "utm_content=brief"), "brief");
    assert_eq!(code("print", "utm_content=ana"), "brief-ana");
    let rep = site.read("public/go/spring-jane/index.html");
    assert!(rep.contains(
        "url=https://collateral.example/spring/?utm_source=sales&amp;utm_medium=email&amp;utm_campaign=spring_2026&amp;utm_content=jane\""
    ));
    // The overview, in a campaign without `short`, keeps a derived code.
    assert_eq!(code("print", "utm_content=overview").len(), 6);
}

#[test]
fn a_taken_readable_code_falls_back_and_a_chosen_one_twice_is_an_error() {
    let site = with_channels();
    // The landing page's readable `brief-jane` is the one-pager's copy's.
    site.edit(
        "content/spring.md",
        "campaign = \"spring\"\n",
        "campaign = \"spring\"\nshort = \"brief\"\n",
    );
    brief_short(&site, "brief");
    site.build();
    let links = short_links(&site);
    let jane: Vec<&String> = (links.iter())
        .filter(|l| l.3.contains("utm_content=jane"))
        .map(|l| &l.0)
        .collect();
    assert_eq!(jane.len(), 2, "{links:?}");
    assert!(jane.contains(&&"brief-jane".to_string()), "{jane:?}");
    let other = jane.iter().find(|c| **c != "brief-jane").unwrap();
    assert!(
        other.starts_with("brief-") && other.len() == "brief-".len() + 3,
        "{other}"
    );
    // Two one-pagers may not choose one code.
    site.edit(
        "content/collateral/overview.md",
        "landing = ",
        "short = \"brief\"\nlanding = ",
    );
    let errors = site.build_errors();
    assert!(
        errors.contains("short link `/go/brief/` is also the short link of content/collateral/"),
        "{errors}"
    );
    assert!(
        errors.contains("short = \"brief\""),
        "the line is shown: {errors}"
    );
}

#[test]
fn a_bad_short_code_is_an_error_at_its_place() {
    let site = TestSite::fixture("collateral");
    site.edit(
        "site.toml",
        "name = \"Spring\"\n",
        "name = \"Spring\"\nshort = \"Spring Sale\"\n",
    );
    brief_short(&site, "a/b");
    let errors = site.build_errors();
    assert!(
        errors.contains("campaign `spring`: `short` `Spring Sale` has capitals"),
        "{errors}"
    );
    assert!(errors.contains("site.toml:"), "{errors}");
    assert!(
        errors.contains("`short` `a/b` may hold only lowercase letters, digits and `-`"),
        "{errors}"
    );
    assert!(errors.contains("content/collateral/brief.md:"), "{errors}");
}

#[test]
fn a_one_pagers_qr_code_is_version_4_at_most_for_a_30_character_base_url() {
    let site = TestSite::fixture("collateral");
    let base = "https://abc.collateral.example";
    assert_eq!(base.len(), 30);
    site.edit(
        "site.toml",
        "base_url = \"https://collateral.example\"",
        &format!("base_url = \"{base}\""),
    );
    site.build();
    for copy in ["brief", "brief/jane", "brief/ana", "overview"] {
        let html = site.read(&format!("public/collateral/{copy}/index.html"));
        let short = decode_in_page(&html);
        assert!(short.starts_with(&format!("{base}/go/")), "{short}");
        let modules = modules_in_page(&html);
        assert!(
            modules <= 33,
            "{copy}: {modules} modules, more than version 4"
        );
        assert!(
            html.contains(&format!("<figcaption>{short}</figcaption>")),
            "{copy} prints the link its code opens"
        );
    }
}

#[test]
fn a_rep_gets_their_own_links() {
    let site = with_channels();
    site.build();
    let run = site.run(&["campaigns", "--rep", "jane", "--format", "json"]);
    run.success();
    let links: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    let outreach = links.iter().find(|l| l["kind"] == "rep").unwrap();
    assert_eq!(outreach["page"], "/spring/");
    assert_eq!(
        outreach["url"],
        "https://collateral.example/spring/?utm_source=sales&utm_medium=email&utm_campaign=spring_2026&utm_content=jane"
    );
    let print = links.iter().find(|l| l["kind"] == "print").unwrap();
    assert_eq!(print["page"], "/collateral/brief/jane/");
    let short = outreach["short"].as_str().unwrap();
    let code = short.trim_end_matches('/').rsplit('/').next().unwrap();
    assert!(site.exists(&format!("public/go/{code}/index.html")));
    let table = site.run(&["campaigns", "--rep", "jane"]);
    table.success();
    assert!(table.stdout.contains(short), "{}", table.stdout);
    site.run(&["campaigns", "--rep", "nobody"])
        .stderr_has("no rep `nobody` in site.toml; its reps: ana, jane");
    let unknown = site.run(&["campaigns", "--rep", "nobody"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn a_build_warns_of_a_short_link_it_no_longer_has() {
    let site = TestSite::fixture("collateral");
    brief_short(&site, "brief");
    site.build();
    site.edit(
        "content/collateral/brief.md",
        "short = \"brief\"\n",
        "short = \"route-brief\"\n",
    );
    let run = site.run(&["build"]);
    run.success();
    run.stderr_has("warning: short link /go/brief/ (to https://collateral.example/spring/?utm_source=one-pager&utm_medium=print&utm_campaign=spring_2026&utm_content=brief) is gone since the last build")
        .stderr_has("give the page that takes its place `short = \"brief\"`")
        .stderr_has("warning: short link /go/brief-jane/");
    let again = site.run(&["build"]);
    assert!(!again.stderr.contains("warning"), "{}", again.stderr);
}

#[test]
fn an_alias_where_a_short_link_stands_is_an_error_at_the_alias() {
    // One list of what answers each URL: a printed code must not be
    // silently replaced by an old page's redirect, nor the other way.
    let site = TestSite::fixture("collateral");
    site.build();
    let code = site.manifest()["short_links"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    site.edit(
        "content/_index.md",
        "title = \"Home\"\n",
        &format!("title = \"Home\"\naliases = [\"/go/{code}/\"]\n"),
    );
    site.run(&["build"])
        .failure()
        .stderr_has(&format!(
            "error: alias `/go/{code}/` is a short link of the site"
        ))
        .stderr_has(" --> content/_index.md:3:12");
}
