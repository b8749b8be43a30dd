//! A site with its own theme on disk (`themes/plain`) and a site-level
//! template overriding one of the theme's: lookup order, template functions
//! and filters, variants, and the guarantees utmost adds to any theme.

use crate::common::TestSite;

#[test]
fn site_templates_override_the_theme_and_campaign_meta_is_injected() {
    let site = TestSite::built("custom-theme");
    let offer = site.read("public/offer/index.html");
    assert!(
        offer.contains("<main data-variant=\"a\">"),
        "site's templates/page.html wins: {offer}"
    );
    assert!(!offer.contains("THEME PAGE"));
    assert!(
        offer.contains("<meta name=\"campaign\" content=\"launch\"></head>"),
        "{offer}"
    );
    let home = site.read("public/index.html");
    assert!(
        home.contains("<meta name=\"campaign\" content=\"\">"),
        "a page without campaign says so: {home}"
    );
    // A build minifies CSS.
    assert_eq!(site.read("public/plain.css"), "body{color:#111;}");
}

#[test]
fn template_functions_build_tagged_urls_and_forms() {
    let site = TestSite::built("custom-theme");
    let offer = site.read("public/offer/index.html");
    assert!(
        offer.contains("href=\"https://plain.example/news/?utm_source=twitter&amp;utm_medium=social&amp;utm_campaign=launch_2026\""),
        "{offer}"
    );
    // A stylesheet named through get_url gets its fingerprinted name.
    assert!(
        crate::common::without_hashes(&offer).contains("<a id=\"css\" href=\"/plain.HASH.css\">"),
        "{offer}"
    );
    // The shortcode's form and the template's form: one id each, one script.
    assert_eq!(offer.matches("data-utmost-form=\"contact\"").count(), 2);
    assert!(offer.contains("id=\"utmost-form-contact\""));
    assert!(offer.contains("id=\"utmost-form-contact-2\""));
    assert!(offer.contains("id=\"contact-email\""));
    assert!(offer.contains("id=\"contact-email-2\""));
    assert_eq!(offer.matches("data-utmost=\"attribution\"").count(), 1);
    assert!(offer.contains(">Send it</button>"));
    assert!(offer.contains("data-netlify=\"true\""));
    assert!(offer.contains("name=\"form-name\" value=\"contact\""));
}

#[test]
fn shortcode_bodies_render_markdown_with_links() {
    let site = TestSite::built("custom-theme");
    let offer = site.read("public/offer/index.html");
    assert!(
        offer.contains("<aside class=\"note\" data-kind=\"tip\"><p>Read <em>this</em>, see <a href=\"/\">home</a>.</p>"),
        "{offer}"
    );
}

/// A shortcode sees the site as page templates do (`site.title`), and the
/// page it is called from.
#[test]
fn shortcodes_see_the_site_and_their_page() {
    let site = TestSite::fixture("custom-theme");
    site.write(
        "themes/plain/templates/shortcodes/whose.html",
        "<b>{{ site.title }} / {{ page.title }}</b>",
    );
    site.write(
        "content/whose.md",
        "+++\ntitle = \"Whose\"\n+++\n{{ whose() }}\n",
    );
    let html = site.build().read("public/whose/index.html");
    assert!(html.contains("<b>Plain / Whose</b>"), "{html}");
}

#[test]
fn variants_are_built_beside_their_page() {
    let site = TestSite::built("custom-theme");
    let b = site.read("public/offer/b/index.html");
    assert!(b.contains("<title>Offer B</title>"));
    assert!(b.contains("<main data-variant=\"b\">"));
    assert!(b.contains("name=\"variant\" value=\"b\""));
    assert!(b.contains("name=\"page\" value=\"/offer/b/\""));
    let manifest = site.manifest();
    let pages = manifest["pages"].as_array().unwrap();
    let b = pages
        .iter()
        .find(|p| p["path"] == "/offer/b/")
        .expect("variant in manifest");
    assert_eq!(b["variant"], "b");
    assert_eq!(b["campaign"], "launch");
}

#[test]
fn sections_list_pages_newest_first_with_summaries() {
    let site = TestSite::built("custom-theme");
    let news = site.read("public/news/index.html");
    let two = news.find("Item 02").unwrap();
    let one = news.find("Item 01").unwrap();
    assert!(two < one, "newest first: {news}");
    assert!(news.contains("02 Jan 2026"));
    assert!(news.contains("<p>Summary 02.</p>"));
    assert!(!news.contains("Rest 02"));
}
