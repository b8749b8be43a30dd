//! One run reports every error it can find, across all stages: site.toml,
//! front matter, site assembly (campaigns, forms, templates, links, URLs),
//! shortcodes and templates, in file order, with a count per kind; and no
//! error that only follows from another (a link to a page whose front
//! matter is broken, a page naming a campaign whose id is invalid, a page
//! whose template is broken or unknown).

use crate::common::TestSite;

#[test]
fn one_run_reports_every_stage() {
    let site = TestSite::fixture("many-errors");
    let errors = site.build_errors();
    for expected in [
        // site.toml
        "unknown key `ownr`",
        "`Summer` is not a valid campaigns id",
        "unknown key `requird`",
        // front matter
        "invalid basic string",
        "unknown key `campain`",
        "unknown funnel stage `awarness`",
        // site assembly
        "unknown campaign `sprng`",
        "unknown form `demo-request`",
        "unknown template `landng.html`",
        "two pages at one URL `/sheet/`",
        "unknown page `@/nope.md`",
        "unknown page `@/blog/pricing-per-trucks.md`",
        // shortcodes
        "unknown shortcode `ctaa`",
        "unknown form `dmo`",
        "shortcode `button` takes no body",
        "shortcode `quote` needs a body",
        "argument value `demo` is not a string",
        // templates
        "unknown filter `shout`",
        "templates/shortcodes/broken.html:1:7",
        "field `missing` is not defined",
    ] {
        assert!(errors.contains(expected), "no {expected:?} in:\n{errors}");
    }
    for not_reported in [
        "broken.md)",
        "nothing_here_is_checked",
        "`Summer`\n",
        "custom.html\n",
    ] {
        assert!(
            !errors.contains(not_reported),
            "{not_reported:?} follows from another error:\n{errors}"
        );
    }
    assert!(errors.contains(
        "build failed: 3 site.toml errors, 7 front-matter errors, 2 broken links, 5 shortcode errors, 3 template errors\n"
    ));
    insta::assert_snapshot!(errors);
}

#[test]
fn fixing_every_error_builds_the_site() {
    let site = TestSite::fixture("many-errors");
    for (file, from, to) in [
        ("site.toml", "ownr", "owner"),
        ("site.toml", "campaigns.Summer", "campaigns.summer"),
        ("site.toml", "requird", "required"),
        ("content/_index.md", "\"Summer\"", "\"summer\""),
        (
            "content/_index.md",
            "pricing-per-trucks",
            "pricing-per-truck",
        ),
        ("content/blog/broken.md", "\"Broken\n", "\"Broken\"\n"),
        (
            "content/blog/broken.md",
            "{{ nothing_here_is_checked() }}",
            "",
        ),
        ("content/blog/pricing-per-truck.md", "campain", "campaign"),
        ("content/blog/pricing-per-truck.md", "awarness", "awareness"),
        ("content/landing.md", "sprng", "spring"),
        ("content/landing.md", "demo-request", "demo"),
        ("content/landing.md", "landng", "landing"),
        ("content/sheet.md", "@/nope.md", "@/landing.md"),
        ("content/offer.md", "slug = \"sheet\"", "slug = \"offer\""),
        ("content/offer.md", "ctaa", "cta"),
        ("content/offer.md", "dmo", "demo"),
        (
            "content/offer.md",
            "{% button(url=\"/\") %}Go{% end %}",
            "{{ button(url=\"/\", text=\"Go\") }}",
        ),
        (
            "content/offer.md",
            "{{ quote(author=\"Bo\") }}",
            "{% quote(author=\"Bo\") %}Hi{% end %}",
        ),
        ("content/offer.md", "form=demo)", "form=\"demo\")"),
        ("templates/custom.html", " | shout", " | upper"),
        (
            "templates/strict.html",
            "page.extra.missing.deeper",
            "page.title",
        ),
        (
            "templates/shortcodes/broken.html",
            "{% if %}",
            "{% if true %}{% endif %}",
        ),
    ] {
        site.edit(file, from, to);
    }
    site.build();
}
