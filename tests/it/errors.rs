//! Every error a user can meet in content/ (front matter, Markdown, links
//! and what pages name), each snapshotted whole: the message, the file,
//! line and column, the offending line with carets under the offending
//! text, the help, and the count by kind. Every failed build exits 1,
//! leaves the previous output untouched, and `check` reports the same.
//! Errors in site.toml are in errors_config.rs, in templates and shortcodes
//! in errors_templates.rs, many at once in errors_all_at_once.rs.

use crate::common::{TestSite, body_errors, errors};

const PAGE: &str = "content/offer.md";

#[test]
fn front_matter_toml_syntax_errors_all_of_them() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\ncampaign = \"launch\"\nweight = \n+++\n"
    )]));
}

#[test]
fn unknown_front_matter_keys_each_at_its_place() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\ncampain = \"launch\"\ntempalte = \"page.html\"\n\n[[variants]]\nid = \"b\"\ntitel = \"B\"\n[variants.extra]\nanything = \"goes\"\n+++\n"
    )]));
}

#[test]
fn values_of_the_wrong_type_all_of_them() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\nweight = \"heavy\"\ndate = \"March 1\"\ntags = \"one\"\n+++\n"
    )]));
}

#[test]
fn unclosed_front_matter() {
    insta::assert_snapshot!(errors(&[(PAGE, "+++\ntitle = \"Offer\"\n\nBody\n")]));
}

#[test]
fn invalid_utf8_in_content() {
    let site = TestSite::fixture("custom-theme");
    site.write_bytes(PAGE, b"+++\ntitle = \"x\"\n+++\nbad \xff byte\n");
    insta::assert_snapshot!(site.build_errors());
}

#[test]
fn unknown_funnel_stage() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\nstage = \"awarenes\"\n+++\n"
    )]));
}

#[test]
fn unknown_funnel_stage_far_from_any() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\nstage = \"later\"\n+++\n"
    )]));
}

#[test]
fn unknown_campaign_form_and_template() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\ncampaign = \"lanch\"\nform = \"contcat\"\ntemplate = \"pgae.html\"\n+++\n",
    )]));
}

#[test]
fn section_keys_on_a_page_and_page_keys_on_a_section() {
    insta::assert_snapshot!(errors(&[
        (PAGE, "+++\ntitle = \"Offer\"\nsort_by = \"date\"\n+++\n"),
        (
            "content/news/_index.md",
            "+++\ntitle = \"News\"\nslug = \"press\"\n+++\n"
        ),
    ]));
}

#[test]
fn variant_ids() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\n[[variants]]\nid = \"a\"\n[[variants]]\nid = \"B c\"\n[[variants]]\nid = \"d\"\n[[variants]]\nid = \"d\"\n+++\n",
    )]));
}

#[test]
fn two_pages_at_one_url() {
    insta::assert_snapshot!(errors(&[(
        "content/other.md",
        "+++\ntitle = \"Other\"\nslug = \"offer\"\n+++\n",
    )]));
}

#[test]
fn slug_or_path_leaving_the_output_directory() {
    insta::assert_snapshot!(errors(&[
        (PAGE, "+++\ntitle = \"Offer\"\nslug = \"../../etc\"\n+++\n"),
        ("content/b.md", "+++\npath = \"/../../outside/\"\n+++\n"),
    ]));
}

#[test]
fn broken_internal_links_suggest_the_nearest_page() {
    insta::assert_snapshot!(body_errors(
        "See [the news](@/news/item-2.md), [the first](@/item-01.md) and [this](@/nowhere/at-all.md).\n"
    ));
}

#[test]
fn a_link_to_a_page_with_broken_front_matter_is_not_broken() {
    insta::assert_snapshot!(errors(&[
        (
            "content/news/item-01.md",
            "+++\ntitle = \"Item\"\ndate = 2026-13-40\n+++\n"
        ),
        (
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\nSee [the item](@/news/item-01.md).\n"
        ),
    ]));
}

#[test]
fn landing_must_name_a_page() {
    insta::assert_snapshot!(errors(&[
        (
            PAGE,
            "+++\ntitle = \"Offer\"\nlanding = \"@/nowhere.md\"\n+++\n"
        ),
        (
            "content/b.md",
            "+++\ntitle = \"B\"\nlanding = \"offer.md\"\n+++\n"
        ),
        (
            "content/c.md",
            "+++\ntitle = \"C\"\nlanding = \"@/ofer.md\"\n+++\n"
        ),
    ]));
}

#[test]
fn script_urls_in_front_matter_and_markdown() {
    insta::assert_snapshot!(errors(&[(
        PAGE,
        "+++\ntitle = \"Offer\"\n[extra]\ncta_url = \"javascript:steal()\"\n+++\n",
    )]));
    insta::assert_snapshot!(body_errors("[click](javascript:alert(document.cookie))\n"));
}

#[test]
fn collateral_needs_a_campaign_and_reps_to_personalize() {
    insta::assert_snapshot!(errors(&[
        (
            "content/sheet.md",
            "+++\ntitle = \"Sheet\"\ntemplate = \"one-pager.html\"\n+++\n",
        ),
        (
            "content/personal.md",
            "+++\ntitle = \"Personal\"\npersonalize = true\n+++\n",
        ),
        ("templates/one-pager.html", "{{ page.title }}"),
    ]));
}

#[test]
fn carets_line_up_under_wide_characters_and_tabs() {
    insta::assert_snapshot!(body_errors(
        "日本語のテキスト 🎉 [x](@/nope.md)\n\nA\ttab, then [y](@/gone.md)\n\ne\u{301}\u{301} combining marks [z](@/gone.md)\n"
    ));
}

#[test]
fn no_content_folder() {
    let site = TestSite::fixture("custom-theme");
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    insta::assert_snapshot!(site.build_errors());
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let site = TestSite::fixture("custom-theme");
    site.build();
    let before = site.read("public/offer/index.html");
    site.write(PAGE, "+++\ntitle = \"Offer\"\ncampaign = \"nope\"\n+++\n");
    let run = site.run(&["build"]);
    run.failure()
        .stderr_has("unknown campaign `nope`")
        .stderr_has("Nothing was written.");
    assert_eq!(site.read("public/offer/index.html"), before);
    assert!(site.exists("public/news/item-02/index.html"));
}

/// Pages go into the staging folder as they are rendered: a failure found
/// after that (a warning under `--strict`) must still leave the output, and
/// nothing beside it, as it was.
#[test]
fn a_build_failing_after_its_pages_were_written_keeps_the_previous_output() {
    let site = TestSite::fixture("custom-theme");
    site.build();
    let before = site.read("public/offer/index.html");
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let beside = listing();
    site.edit(PAGE, "{{ cta(form=\"contact\") }}", "![](/no-such.png)");
    let run = site.run(&["build", "--strict"]);
    run.failure()
        .stderr_has("no-such.png")
        .stderr_has("Nothing was written.");
    assert_eq!(site.read("public/offer/index.html"), before);
    assert_eq!(
        listing(),
        beside,
        "no staging folder is left beside the output"
    );
}

/// The output folder is checked before pages are streamed into the staging
/// folder; a refusal there must not hide the site's own errors, which come
/// first, as they did when the check came only after the render.
#[test]
fn the_sites_errors_come_before_a_refused_output_folder() {
    let site = TestSite::fixture("custom-theme");
    site.write("public/notes.txt", "mine");
    site.edit(PAGE, "{{ cta(form=\"contact\") }}", "![](/no-such.png)");
    let run = site.run(&["build", "--strict"]);
    run.failure().stderr_has("no-such.png");
    assert!(
        !run.stderr.contains("not written by utmost"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("public/notes.txt"), "mine");
    assert!(!site.exists(".public.utmost-new"));
    // With the page mended, the refusal is what is left to say.
    site.edit(PAGE, "![](/no-such.png)", "");
    let run = site.run(&["build", "--strict"]);
    run.failure().stderr_has("not written by utmost");
    assert_eq!(site.read("public/notes.txt"), "mine");
    assert!(!site.exists(".public.utmost-new"));
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::fixture("custom-theme");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}

#[test]
fn bad_base_url_flag() {
    let site = TestSite::fixture("custom-theme");
    let run = site.run(&["build", "--base-url", "staging"]);
    run.failure();
    insta::assert_snapshot!(run.stderr);
}
