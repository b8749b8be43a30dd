//! `[brand]` through the default theme: the logo, mark (also the
//! favicon), colour shades, font and link-preview image reach every page
//! of every template, one-pagers included; a colour too light for text is
//! an error naming its contrast ratio and a shade that passes, and a brand
//! file that does not exist is an error at its key in site.toml.

use crate::common::TestSite;
use crate::common::images;

const BRAND: &str = "
[brand]
logo = \"static/brand/logo.svg\"
mark = \"static/brand/mark.svg\"
image = \"static/brand/social.jpg\"
color = \"#0f766e\"
font = \"static/brand/font.woff2\"
";

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="120" height="32" fill="#0f766e"/></svg>"##;

/// The every-template fixture wearing [`BRAND`].
fn branded() -> TestSite {
    let site = TestSite::fixture("every-template");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}{BRAND}"));
    site.write("static/brand/logo.svg", LOGO);
    site.write("static/brand/mark.svg", LOGO);
    site.write_bytes("static/brand/social.jpg", &images::jpeg(1600, 1000));
    site.write_bytes(
        "static/brand/font.woff2",
        b"wOF2 stand-in: browsers read it, utmost only publishes it",
    );
    site
}

#[test]
fn the_brand_reaches_every_page_of_every_template() {
    let site = branded();
    site.run(&["build"]).success();
    let written = site.written();
    // Redirect pages are no template's: they move on at once.
    let manifest = site.manifest();
    let redirects: Vec<String> = (manifest["redirects"].as_array().into_iter().flatten())
        .filter_map(|r| r["from"].as_str())
        .map(|from| match from.trim_start_matches('/') {
            folder if folder.is_empty() || folder.ends_with('/') => format!("{folder}index.html"),
            file => file.to_string(),
        })
        .collect();
    let pages: Vec<&String> = (written.iter())
        .filter(|f| f.ends_with(".html") && !redirects.contains(f) && !f.starts_with("go/"))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let html = crate::common::without_hashes(&site.read(&format!("public/{page}")));
        for needle in [
            "<img class=\"brand-logo\" src=\"/brand/logo.HASH.svg\" alt=\"Every Template Co\" width=\"120\" height=\"32\">",
            "<link rel=\"icon\" href=\"/brand/mark.HASH.svg\">",
            "--brand: #0f766e;",
            "src: url(\"/brand/font.HASH.woff2\") format(\"woff2\")",
            "--font: \"Brand\"",
        ] {
            assert!(html.contains(needle), "{page} lacks {needle}");
        }
        assert!(
            !html.contains("brand-mark"),
            "{page}: the logo replaces the mark"
        );
    }
    for file in ["brand/logo.svg", "brand/mark.svg", "brand/font.woff2"] {
        assert!(written.contains(&file.to_string()), "{file} is published");
    }
    // A page without an image of its own is previewed with the brand's,
    // made 1200x630.
    let guides = site.read("public/guides/index.html");
    assert!(
        guides.contains(
            "<meta property=\"og:image\" content=\"https://every.example/processed_images/social."
        ),
        "{guides}"
    );
    assert!(guides.contains("<meta property=\"og:image:width\" content=\"1200\">\n<meta property=\"og:image:height\" content=\"630\">"), "{guides}");
}

#[test]
fn without_a_logo_the_brand_mark_stands_beside_the_title() {
    let site = branded();
    site.edit("site.toml", "logo = \"static/brand/logo.svg\"\n", "");
    site.run(&["build"]).success();
    let home = crate::common::without_hashes(&site.read("public/index.html"));
    assert!(home.contains("<img class=\"brand-mark\" src=\"/brand/mark.HASH.svg\" alt=\"\" width=\"28\" height=\"28\">\n<span class=\"brand-name\">Every Template Co</span>"), "{home}");
    let one_pager = site.read("public/collateral/brief/index.html");
    assert!(
        one_pager.contains("<img class=\"op-mark\" src=\"/brand/mark."),
        "{one_pager}"
    );
}

#[test]
fn a_colour_too_light_for_text_and_a_missing_file_are_errors_in_site_toml() {
    let site = branded();
    site.edit("site.toml", "#0f766e", "#facc15");
    site.remove("static/brand/mark.svg");
    let errors = site.build_errors();
    for needle in [
        "the brand colour #facc15 has a contrast ratio of 1.53:1 with white; links and button labels need at least 4.5:1 (WCAG AA)",
        "a darker shade of it passes: `color = \"#",
        "brand mark `static/brand/mark.svg` does not exist",
        "site.toml:",
    ] {
        assert!(errors.contains(needle), "{needle} in {errors}");
    }
}
