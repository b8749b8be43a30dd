//! Building a site with the embedded default theme: pages, sections,
//! campaign inheritance, forms and their attribution fields, Markdown
//! extensions, assets, drafts, sitemap, robots.txt, 404 and the manifest.

use crate::common::{self, Run, TestSite};

#[test]
fn writes_pretty_urls_and_site_files() {
    let site = TestSite::built("basic");
    for path in [
        "public/index.html",
        "public/spring/index.html",
        "public/pricing/index.html",
        "public/thanks/index.html",
        "public/blog/index.html",
        "public/blog/first/index.html",
        "public/blog/second/index.html",
        "public/blog/bundle/index.html",
        "public/blog/bundle/chart.svg",
        "public/blog/notes.txt",
        "public/files/brochure.txt",
        "public/style.css",
        "public/favicon.svg",
        "public/404.html",
        "public/sitemap.xml",
        "public/robots.txt",
    ] {
        assert!(site.exists(path), "{path} missing");
    }
    assert!(
        !site.exists("public/blog/draft/index.html"),
        "drafts are left out"
    );
    assert!(
        !site.exists("public/utmost-manifest.json"),
        "the manifest is never in the output"
    );
    assert!(site.exists("utmost-manifest.json"));
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://fixture.example/sitemap.xml"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://fixture.example/blog/first/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-03-01</lastmod>"));
    assert!(!sitemap.contains("draft"));
}

#[test]
fn drafts_flag_includes_drafts() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("public/blog/draft/index.html"));
}

#[test]
fn every_page_carries_its_campaign() {
    let site = TestSite::built("basic");
    let meta = |path: &str| {
        let html = site.read(path);
        let start = html
            .find("<meta name=\"campaign\" content=\"")
            .unwrap_or_else(|| panic!("no campaign meta in {path}"));
        let rest = &html[start + 31..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    assert_eq!(meta("public/spring/index.html"), "spring-launch");
    assert_eq!(meta("public/blog/index.html"), "content-q2");
    assert_eq!(
        meta("public/blog/first/index.html"),
        "content-q2",
        "inherited from the section"
    );
    assert_eq!(
        meta("public/blog/bundle/index.html"),
        "content-q2",
        "bundles inherit too"
    );
    assert_eq!(
        meta("public/pricing/index.html"),
        "evergreen",
        "default_campaign"
    );
    assert_eq!(meta("public/404.html"), "evergreen");
}

#[test]
fn landing_page_form_has_every_attribution_field() {
    let site = TestSite::built("basic");
    let html = site.read("public/spring/index.html");
    let hidden = [
        "form_id",
        "campaign_id",
        "page",
        "variant",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
        "gclid",
        "fbclid",
        "msclkid",
        "li_fat_id",
        "ft_utm_source",
        "ft_utm_medium",
        "ft_utm_campaign",
        "ft_utm_term",
        "ft_utm_content",
        "ft_utm_id",
        "ft_gclid",
        "ft_fbclid",
        "ft_msclkid",
        "ft_li_fat_id",
        "ft_landing_page",
        "ft_referrer",
        "ft_at",
    ];
    // The landing template's form and the body's cta: each has every field.
    for name in hidden {
        let n = html
            .matches(&format!("type=\"hidden\" name=\"{name}\""))
            .count();
        assert_eq!(n, 2, "{name} appears {n} times");
    }
    assert!(html.contains("action=\"https://forms.fixture.example/leads\""));
    assert!(html.contains("name=\"campaign_id\" value=\"spring-launch\""));
    assert!(html.contains("name=\"page\" value=\"/spring/\""));
    assert!(html.contains("name=\"_redirect\" value=\"https://fixture.example/thanks/\""));
    assert!(html.contains("name=\"_hp\""), "generic honeypot");
    assert!(html.contains("<label for=\"demo-request-email\">Work email"));
    assert!(html.contains("type=\"email\" required"));
    assert!(html.contains("<option>11-50</option>"));
    assert!(html.contains("name=\"consent\" type=\"checkbox\" value=\"yes\" required"));
    assert!(
        html.contains(">Get my demo</button>"),
        "the landing page's cta_label"
    );
    assert_eq!(
        html.matches("data-utmost=\"attribution\"").count(),
        1,
        "one script per page"
    );
    assert!(html.contains("var W = 90 * 864e5"));
    // Unique element ids even with the same form twice.
    assert_eq!(html.matches("id=\"demo-request-email\"").count(), 1);
    assert_eq!(html.matches("id=\"demo-request-email-2\"").count(), 1);
}

#[test]
fn formspree_form_uses_its_conventions() {
    let site = TestSite::built("basic");
    let html = site.read("public/pricing/index.html");
    assert!(html.contains("data-provider=\"formspree\""));
    assert!(html.contains("name=\"_gotcha\""));
    assert!(html.contains("name=\"campaign_id\" value=\"evergreen\""));
}

#[test]
fn markdown_extensions_links_and_shortcodes() {
    let site = TestSite::built("basic");
    let pricing = site.read("public/pricing/index.html");
    assert!(pricing.contains("<table>"));
    assert!(pricing.contains("<del>Old price</del>"));
    assert!(pricing.contains("type=\"checkbox\""));
    assert!(pricing.contains("footnote-definition"));
    assert!(pricing.contains("<h2 id=\"plans\">Plans</h2>"));
    assert!(pricing.contains("href=\"/spring/\""), "button shortcode");
    assert!(
        pricing.contains("<em>works</em>"),
        "quote body rendered as Markdown"
    );
    assert!(pricing.contains("Ana"));
    let spring = site.read("public/spring/index.html");
    assert!(spring.contains("href=\"/pricing/#plans\""));
    assert!(spring.contains("href=\"/blog/\""));
    let bundle = site.read("public/blog/bundle/index.html");
    // A bundle's image is published under a content-hashed name.
    assert!(
        bundle.contains("src=\"/processed_images/chart."),
        "{bundle}"
    );
}

#[test]
fn blog_lists_posts_newest_first() {
    let site = TestSite::built("basic");
    let blog = site.read("public/blog/index.html");
    let second = blog.find("Second post").expect("second listed");
    let first = blog.find("First post").expect("first listed");
    let bundle = blog.find("Bundled post").expect("bundle listed");
    assert!(second < first && first < bundle, "newest first");
    assert!(!blog.contains("Draft post"));
}

#[test]
fn pages_have_head_essentials() {
    let site = TestSite::built("basic");
    for path in [
        "public/index.html",
        "public/spring/index.html",
        "public/blog/first/index.html",
        "public/404.html",
    ] {
        let html = site.read(path);
        assert!(html.contains("<meta name=\"description\""), "{path}");
        assert!(html.contains("rel=\"icon\""), "{path}");
        assert!(html.contains("<meta name=\"viewport\""), "{path}");
        assert!(html.contains("og:title"), "{path}");
        assert!(
            !html.contains("https://fonts.") && !html.contains("cdn."),
            "{path} makes no external requests"
        );
    }
    let spring = site.read("public/spring/index.html");
    assert!(spring.contains("<link rel=\"canonical\" href=\"https://fixture.example/spring/\">"));
}

#[test]
fn manifest_lists_pages_campaigns_and_forms() {
    let site = TestSite::built("basic");
    let m = site.manifest();
    let pages = m["pages"].as_array().unwrap();
    let spring = pages.iter().find(|p| p["path"] == "/spring/").unwrap();
    assert_eq!(spring["url"], "https://fixture.example/spring/");
    assert_eq!(spring["source"], "content/spring.md");
    assert_eq!(spring["campaign"], "spring-launch");
    assert_eq!(spring["form"], "demo-request");
    assert_eq!(spring["stage"], "awareness");
    assert_eq!(spring["persona"], "ops-lead");
    assert_eq!(spring["variant"], "a");
    assert_eq!(spring["template"], "landing.html");
    let campaigns = m["campaigns"].as_array().unwrap();
    let c = campaigns
        .iter()
        .find(|c| c["id"] == "spring-launch")
        .unwrap();
    assert_eq!(c["utm_campaign"], "spring_launch_2026");
    assert_eq!(c["pages"], serde_json::json!(["/spring/"]));
    let links = c["links"].as_array().unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[0]["url"],
        "https://fixture.example/spring/?utm_source=linkedin&utm_medium=paid-social&utm_campaign=spring_launch_2026"
    );
    let forms = m["forms"].as_array().unwrap();
    let demo = forms.iter().find(|f| f["id"] == "demo-request").unwrap();
    assert_eq!(demo["pages"], serde_json::json!(["/spring/"]));
    let news = forms.iter().find(|f| f["id"] == "newsletter").unwrap();
    assert_eq!(
        news["pages"],
        serde_json::json!(["/pricing/"]),
        "found through the cta shortcode"
    );
}

#[test]
fn out_and_base_url_flags() {
    let site = TestSite::fixture("basic");
    let out = site.path().join("elsewhere");
    site.run(&[
        "build",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://staging.example/",
    ])
    .success();
    let html = site.read("elsewhere/spring/index.html");
    assert!(html.contains("https://staging.example/spring/"));
    assert!(!site.exists("public"));
}

#[test]
fn only_a_production_build_writes_the_manifest() {
    let site = TestSite::fixture("basic");
    site.build();
    let production = site.read("utmost-manifest.json");
    let out = site.path().join("staging");
    let out = out.to_str().unwrap();
    let no_manifest = "(no manifest: a build with --out or --base-url is not the production site)";
    for args in [
        vec!["build", "--out", out],
        vec!["build", "--base-url", "https://staging.example/"],
        vec![
            "build",
            "--out",
            out,
            "--base-url",
            "https://staging.example/",
        ],
    ] {
        let run = site.run(&args);
        run.success();
        assert!(run.stdout.contains(no_manifest), "{args:?}: {}", run.stdout);
        assert_eq!(site.read("utmost-manifest.json"), production, "{args:?}");
    }
    assert!(
        !site.exists("staging/utmost-manifest.json"),
        "nor beside the other output"
    );
    let run = site.run(&["build"]);
    assert!(run.stdout.contains("(manifest: "), "{}", run.stdout);
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::fixture("basic");
    site.run(&["check"]).success();
    assert!(!site.exists("public"));
    assert!(!site.exists("utmost-manifest.json"));
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let site = TestSite::empty();
    let dir = site.path().join("new-site");
    let init = || Run::of(common::binary().arg("init").arg(&dir));
    init().success();
    Run::of(common::binary().arg("--root").arg(&dir).arg("build")).success();
    for path in [
        "public/index.html",
        "public/one-pager/index.html",
        "public/thanks/index.html",
    ] {
        assert!(dir.join(path).exists(), "{path}");
    }
    assert!(
        !dir.join("themes").exists(),
        "the theme is used by reference"
    );
    init().fails_with(&["is not empty (use --force"]);
    // Ejecting into the site copies the theme alone, which the build uses.
    let eject = Run::of(common::binary().arg("init").arg("--eject-theme").arg(&dir));
    eject.success();
    let base = dir.join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, text.replace("<body", "<!-- ejected --><body")).unwrap();
    Run::of(common::binary().arg("--root").arg(&dir).arg("build")).success();
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains("<!-- ejected -->"),
        "the copy is the theme used"
    );
}

#[test]
fn noindex_pages_stay_out_of_the_sitemap_and_campaign_links() {
    let site = TestSite::built("basic");
    let thanks = site.read("public/thanks/index.html");
    assert!(
        thanks.contains("<meta name=\"robots\" content=\"noindex\">"),
        "the theme marks thanks pages"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("/thanks/"), "{sitemap}");
    assert!(sitemap.contains("/pricing/"));
    let m = site.manifest();
    let thanks = m["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "/thanks/")
        .unwrap();
    assert_eq!(thanks["noindex"], true);
    let evergreen = m["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "evergreen")
        .unwrap();
    assert!(
        evergreen["pages"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("/thanks/"))
    );
}

#[test]
fn pages_win_over_static_files_and_static_files_over_generated_ones() {
    let site = TestSite::fixture("basic");
    site.write("static/pricing/index.html", "static pricing");
    site.write("static/404.html", "static 404");
    site.write("static/old/index.html", "an old static page");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert!(
        site.read("public/pricing/index.html")
            .contains("<!doctype html>")
    );
    assert!(site.read("public/404.html").contains("<!doctype html>"));
    assert_eq!(site.read("public/old/index.html"), "an old static page");
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn a_title_is_the_same_in_html_and_manifest() {
    let site = TestSite::fixture("custom-theme");
    site.write(
        "content/untitled.md",
        "+++\ntitle = \"\"\n[[variants]]\nid = \"b\"\ntitle = \"\"\n[[variants]]\nid = \"c\"\ntitle = \"Sea\"\n+++\n",
    );
    site.write("content/_index.md", "+++\ntitle = \"\"\n+++\n");
    site.build();
    let manifest = site.manifest();
    let title_of = |path: &str| {
        manifest["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == path)
            .map(|p| p["title"].as_str().unwrap().to_string())
            .unwrap()
    };
    for (path, file, title) in [
        ("/untitled/", "public/untitled/index.html", "untitled"),
        ("/untitled/b/", "public/untitled/b/index.html", "untitled"),
        ("/untitled/c/", "public/untitled/c/index.html", "Sea"),
        ("/", "public/index.html", "Plain"),
    ] {
        assert_eq!(title_of(path), title, "{path} in the manifest");
        let html = site.read(file);
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{path}: {html}"
        );
    }
}

#[test]
fn private_use_characters_in_user_text_survive() {
    let site = TestSite::fixture("custom-theme");
    site.write(
        "content/pua.md",
        "+++\ntitle = \"Mark \u{e000} here\"\n+++\n\nBody \u{e000} text {{ cta(form=\"contact\") }} and \u{e000}.\n",
    );
    site.build();
    let html = site.read("public/pua/index.html");
    assert!(html.contains("<title>Mark \u{e000} here</title>"), "{html}");
    assert!(html.contains("Body \u{e000} text"), "{html}");
    assert!(html.contains("and \u{e000}."), "{html}");
    assert!(html.contains("id=\"utmost-form-contact\""), "{html}");
}
