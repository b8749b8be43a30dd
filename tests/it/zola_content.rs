//! Content written for Zola builds as it is: front matter where Zola's
//! themes put it, ASCII slugs, Zola's front-matter keys, shortcode escapes
//! and arguments, Markdown shortcodes, and the template functions Zola's
//! templates call.

use crate::common::TestSite;

#[test]
fn slugs_are_ascii_wherever_they_are_made() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/Café Über.md",
        "+++\ntitle = \"Café\"\n+++\n## Qué tal, señor_x?\n",
    );
    site.write("content/Ünïcode Folder/_index.md", "+++\n+++\n");
    site.write(
        "content/Ünïcode Folder/My_Post.md",
        "+++\nslug = \"Spring Offer!\"\n+++\n",
    );
    site.build();
    let cafe = site.read("public/cafe-uber/index.html");
    assert!(cafe.contains("<h2 id=\"que-tal-senor-x\">"), "{cafe}");
    assert!(site.exists("public/unicode-folder/spring-offer/index.html"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains('é') && !sitemap.contains('Ü'),
        "{sitemap}"
    );
}
