//! Zola's own documentation (tests/fixtures/zola-docs: every Markdown file
//! of Zola 0.22.1's docs/content, unchanged, with templates for the custom
//! names it uses) builds as it is.
//!
//! The build succeeds with the content as it is: every heading has the id
//! Zola's own build gives it (zola-heading-ids.tsv), no page shows its
//! front matter, and Zola's blog keys do what they do there: the
//! `theme-tags` taxonomy (declared in site.toml as Zola's docs/config.toml
//! declares it) has its pages, `aliases` write redirect pages, and the
//! sections with `redirect_to` (written as Zola takes them, without a
//! leading `/`) are redirects.

use crate::common::TestSite;

#[test]
fn zola_blog_keys_do_what_they_do_in_zola() {
    let site = TestSite::fixture("zola-docs");
    site.build();
    let redirect = site.read("public/documentation/templates/rss/index.html");
    let feeds = "https://www.getzola.org/documentation/templates/feeds/";
    assert!(redirect.contains(&format!("<link rel=\"canonical\" href=\"{feeds}\">")));
    let section = site.read("public/documentation/index.html");
    let start = "https://www.getzola.org/documentation/getting-started/";
    assert!(
        section.contains(&format!("content=\"0; url={start}\"")),
        "{section}"
    );
    let overview = site.read("public/documentation/content/index.html");
    let to = "https://www.getzola.org/documentation/content/overview/";
    assert!(overview.contains(&format!("href=\"{to}\"")), "{overview}");
    assert!(site.exists("public/documentation/content/overview/index.html"));
    let tags = site.read("public/theme-tags/index.html");
    assert!(tags.contains("<h1>Theme-tags</h1>"), "{tags}");
    let minimal = site.read("public/theme-tags/minimal/index.html");
    assert!(minimal.contains("class=\"post-list\""), "{minimal}");
}

#[test]
fn zola_documentation_builds_with_zola_heading_ids_and_no_front_matter_in_bodies() {
    let site = TestSite::fixture("zola-docs");
    site.build();
    // Every heading of every documentation page has the id Zola gives it
    // (the default theme's own headings aside).
    let expected = crate::common::fixture_text("zola-docs", "zola-heading-ids.tsv");
    let mut checked = 0;
    for line in expected.lines().filter(|l| !l.starts_with('#')) {
        let (path, ids) = line.split_once('\t').expect("path, tab, ids");
        let html = site.read(&format!("public{path}index.html"));
        let ours: Vec<&str> = html
            .split("<h")
            .skip(1)
            .filter(|h| h.starts_with(|c: char| c.is_ascii_digit()))
            .filter_map(|h| h.split_once(" id=\"").filter(|(tag, _)| tag.len() == 1))
            .filter_map(|(_, rest)| rest.split_once('"').map(|(id, _)| id))
            .filter(|id| *id != "subsections-title")
            .collect();
        assert_eq!(ours.join(" "), ids, "{path}");
        checked += 1;
    }
    assert_eq!(checked, 44);
    // No page shows its own front matter.
    let manifest = site.manifest();
    let pages = manifest["pages"].as_array().expect("pages");
    let (content, made): (Vec<_>, Vec<_>) = pages.iter().partition(|p| p["source"].is_string());
    assert_eq!(
        content.len(),
        168,
        "every content file is a page but the 404 page and the 6 sections that redirect"
    );
    let theme_tags = made.iter().filter(|p| {
        let path = p["path"].as_str().unwrap_or("");
        path.starts_with("/theme-tags/")
    });
    assert_eq!(
        theme_tags.count(),
        made.len(),
        "the other pages are the taxonomy's"
    );
    for page in pages {
        let (Some(source), Some(path)) = (page["source"].as_str(), page["path"].as_str()) else {
            continue;
        };
        if !site.exists(source) {
            continue; // the home page, which Zola's docs leave to the theme
        }
        let text = site.read(source);
        let front = text.split("+++").nth(1).expect("front matter").trim();
        let html = site.read(&format!("public{path}index.html"));
        let escaped = front.replace('"', "&quot;");
        assert!(
            !html.contains(front) && !html.contains(&escaped),
            "{source}"
        );
    }
}
