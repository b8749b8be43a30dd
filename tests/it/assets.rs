//! Static assets in a production build: the stylesheets, scripts, images
//! and fonts a page names through `get_url` get content-hashed names (the
//! plain name is written too, for links written by hand), and CSS is
//! minified; `serve` keeps plain names and the CSS as written.

use crate::common::TestSite;
use crate::common::preview::Preview;

/// The `href` of the page's stylesheet.
fn stylesheet(html: &str) -> String {
    let at = html
        .find("<link rel=\"stylesheet\" href=\"")
        .expect("a stylesheet")
        + 29;
    html[at..].split('"').next().unwrap().to_string()
}

#[test]
fn a_build_fingerprints_assets_and_minifies_css() {
    let site = TestSite::fixture("every-template");
    site.run(&["build"]).success();
    let home = site.read("public/index.html");
    let href = stylesheet(&home);
    assert!(
        href.starts_with("/style.") && href.len() == "/style.".len() + 10 + 4,
        "{href}"
    );
    assert!(
        home.contains("<link rel=\"icon\" href=\"/favicon."),
        "{home}"
    );
    let fingerprinted = site.read(&format!("public{href}"));
    let plain = site.read("public/style.css");
    assert_eq!(
        fingerprinted, plain,
        "the same minified file under both names"
    );
    let theme = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/style.css"
    );
    let source = std::fs::read_to_string(theme).unwrap();
    assert!(
        plain.len() * 10 < source.len() * 9,
        "minified: {} of {}",
        plain.len(),
        source.len()
    );
    assert!(!plain.contains("/*") && !plain.contains("\n  "), "{plain}");
    // Only the files pages name get a second name.
    let written = site.written();
    let hashed: Vec<&String> = written
        .iter()
        .filter(|f| !f.starts_with("processed_images/"))
        .filter(|f| crate::common::without_hashes(f).contains("HASH"))
        .collect();
    assert_eq!(
        hashed.len(),
        4,
        "style, one-pager, favicon and a logo of partials/logos.html: {hashed:?}"
    );
    // A changed stylesheet gets a new name.
    site.write("static/style.css", "body { color: #111 }\n");
    site.run(&["build"]).success();
    let changed = stylesheet(&site.read("public/index.html"));
    assert_ne!(changed, href);
    assert_eq!(site.read(&format!("public{changed}")), "body{color:#111}");
}

#[test]
fn serve_keeps_plain_names_and_readable_css() {
    let site = TestSite::fixture("every-template");
    let preview = Preview::start(&site);
    let home = preview.get("/");
    assert_eq!(stylesheet(&home.body), "/style.css");
    let css = preview.get("/style.css");
    assert!(css.body.contains("/* utmost default theme."), "as written");
}
