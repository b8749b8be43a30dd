//! Every error a user can meet in `build` and `check`: each names the file,
//! line and column, shows the offending line, gives a hint where one helps,
//! exits 1, and leaves the previous output untouched.

mod common;

use common::TestSite;

/// Writes `files` over the custom-theme fixture, builds, and checks that the
/// build fails with every `expected` fragment in stderr.
#[track_caller]
fn fails_with(files: &[(&str, &str)], expected: &[&str]) {
    let site = TestSite::fixture("custom-theme");
    for (path, text) in files {
        site.write(path, text);
    }
    let run = site.run(&["build"]);
    run.failure();
    for e in expected {
        run.stderr_has(e);
    }
    assert!(!site.exists("public"), "nothing written on failure");
    let check = site.run(&["check"]);
    check.failure();
    assert_eq!(
        check.stderr.replace("check failed", "X"),
        run.stderr
            .replace("build failed; the previous output was left as it was", "X")
    );
}

const PAGE: &str = "content/offer.md";

#[test]
fn front_matter_toml_syntax_error() {
    fails_with(
        &[(PAGE, "+++\ntitle = \"Offer\ncampaign = \"launch\"\n+++\n")],
        &["error: ", "--> content/offer.md:2:", "2 | title = \"Offer"],
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_nearest() {
    fails_with(
        &[(PAGE, "+++\ntitle = \"Offer\"\ncampain = \"launch\"\n+++\n")],
        &[
            "unknown key `campain`",
            "--> content/offer.md:3:1",
            "3 | campain = \"launch\"",
            "help: did you mean `campaign`?",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    fails_with(
        &[(PAGE, "+++\ntitle = \"Offer\"\n\nBody\n")],
        &[
            "front matter is not closed",
            "--> content/offer.md:1:1",
            "1 | +++",
        ],
    );
}

#[test]
fn invalid_utf8_in_content() {
    let site = TestSite::fixture("custom-theme");
    site.write_bytes(PAGE, b"+++\ntitle = \"x\"\n+++\nbad \xff byte\n");
    site.run(&["build"])
        .failure()
        .stderr_has("file is not valid UTF-8")
        .stderr_has("--> content/offer.md:4:5")
        .stderr_has("help: save the file as UTF-8");
}

#[test]
fn unknown_funnel_stage() {
    fails_with(
        &[(PAGE, "+++\ntitle = \"Offer\"\nstage = \"awarenes\"\n+++\n")],
        &[
            "unknown funnel stage `awarenes`",
            "--> content/offer.md:3:9",
            "did you mean `awareness`?",
        ],
    );
}

#[test]
fn unknown_campaign_and_form_suggest_ids() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\ncampaign = \"lanch\"\nform = \"contcat\"\n+++\n",
        )],
        &[
            "unknown campaign `lanch`",
            "--> content/offer.md:3:12",
            "did you mean `launch`?",
            "unknown form `contcat`",
            "--> content/offer.md:4:8",
            "did you mean `contact`?",
            "2 errors",
        ],
    );
}

#[test]
fn broken_internal_link() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\nSee [the price](@/pricing.md).\n",
        )],
        &[
            "broken internal link: no content file `pricing.md`",
            "--> content/offer.md:5:5",
            "^^^^^^^^^^^^^^^^^^^^^^^^^",
        ],
    );
}

#[test]
fn two_pages_at_one_url() {
    fails_with(
        &[(
            "content/other.md",
            "+++\ntitle = \"Other\"\nslug = \"offer\"\n+++\n",
        )],
        &[
            "two pages at one URL `/offer/`",
            "content/other.md:3:8",
            "give one of them another `slug`",
        ],
    );
}

#[test]
fn slug_or_path_leaving_the_output_directory() {
    fails_with(
        &[
            (PAGE, "+++\ntitle = \"Offer\"\nslug = \"../../etc\"\n+++\n"),
            ("content/b.md", "+++\npath = \"/../../outside/\"\n+++\n"),
        ],
        &[
            "`slug` `../../etc` is not a safe URL segment",
            "--> content/offer.md:3:8",
            "`path` `/../../outside/` is not a safe URL path",
            "--> content/b.md:2:8",
        ],
    );
}

#[test]
fn unknown_shortcode_and_malformed_arguments() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\n{{ ctaa(form=\"contact\") }}\n\n{{ cta(form=contact) }}\n",
        )],
        &[
            "unknown shortcode `ctaa`",
            "--> content/offer.md:5:1",
            "did you mean `cta`?",
            "argument value `contact` is not a string",
            "--> content/offer.md:7:1",
        ],
    );
}

#[test]
fn unknown_template() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\ntemplate = \"pgae.html\"\n+++\n",
        )],
        &[
            "unknown template `pgae.html`",
            "--> content/offer.md:3:12",
            "did you mean `page.html`?",
        ],
    );
}

#[test]
fn template_syntax_errors_are_all_reported() {
    fails_with(
        &[
            (
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block body %}\n{{ page.title \n{% endblock body %}\n",
            ),
            ("themes/plain/templates/section.html", "{% if %}\n"),
        ],
        &[
            "--> templates/page.html:",
            "--> themes/plain/templates/section.html:1:",
            "2 errors",
        ],
    );
}

#[test]
fn template_rendering_error_names_template_and_page() {
    fails_with(
        &[(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block body %}\n{{ page.nope.deeper }}\n{% endblock body %}\n",
        )],
        &[
            "--> templates/page.html:3:",
            "3 | {{ page.nope.deeper }}",
            "while rendering content/",
        ],
    );
}

#[test]
fn template_extending_a_missing_parent() {
    fails_with(
        &[("templates/page.html", "{% extends \"nope.html\" %}\n")],
        &["templates/page.html", "nope.html"],
    );
}

#[test]
fn shortcode_template_failure_points_at_the_call() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\n{{ cta(form=\"newsletter\") }}\n",
        )],
        &[
            "shortcode `cta` failed",
            "unknown form `newsletter`",
            "--> content/offer.md:5:1",
        ],
    );
}

#[test]
fn site_toml_unknown_key_and_syntax_error() {
    let site = TestSite::fixture("custom-theme");
    let config = site.read("site.toml");
    site.write("site.toml", &config.replace("theme = ", "thme = "));
    site.run(&["build"])
        .failure()
        .stderr_has("unknown key `thme`")
        .stderr_has("--> site.toml:3:1")
        .stderr_has("did you mean `theme`?");
    site.write("site.toml", "title = \"x\nbase_url = 1\n");
    site.run(&["build"])
        .failure()
        .stderr_has("--> site.toml:1:");
}

#[test]
fn site_toml_semantic_errors() {
    let site = TestSite::fixture("custom-theme");
    site.write(
        "site.toml",
        "title = \"x\"\nbase_url = \"plain.example\"\ndefault_campaign = \"lanch\"\ntheme = \"plain\"\n\
         [campaigns.launch]\n[campaigns.Bad_Id]\n\
         [forms.contact]\naction = \"javascript:alert(1)\"\nfields = [ { name = \"gclid\" } ]\n",
    );
    site.run(&["build"])
        .failure()
        .stderr_has("`base_url` must be an absolute http(s) URL")
        .stderr_has("--> site.toml:2:12")
        .stderr_has("unknown campaign `lanch`")
        .stderr_has("`Bad_Id` is not a valid campaigns id")
        .stderr_has("`action` must be an http(s) URL")
        .stderr_has("field name `gclid` is reserved for attribution");
}

#[test]
fn missing_site_toml() {
    let site = TestSite::empty();
    site.run(&["build"])
        .failure()
        .stderr_has("no site.toml in")
        .stderr_has("utmost init");
}

#[test]
fn bad_base_url_flag() {
    let site = TestSite::fixture("custom-theme");
    site.run(&["build", "--base-url", "staging"])
        .failure()
        .stderr_has("`staging` is not an absolute http(s) URL");
}

#[test]
fn landing_that_does_not_resolve() {
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\nlanding = \"@/nowhere.md\"\n+++\n",
        )],
        &[
            "`landing` `@/nowhere.md` does not name a content file",
            "--> content/offer.md:3:11",
        ],
    );
}

#[test]
fn section_keys_on_a_page() {
    fails_with(
        &[(PAGE, "+++\ntitle = \"Offer\"\nsort_by = \"date\"\n+++\n")],
        &[
            "only a section's `_index.md` takes this key",
            "--> content/offer.md:3:11",
        ],
    );
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let site = TestSite::fixture("custom-theme");
    site.build();
    let before = site.read("public/offer/index.html");
    site.write(PAGE, "+++\ntitle = \"Offer\"\ncampaign = \"nope\"\n+++\n");
    site.write(
        "content/news/item-01.md",
        "+++\ntitle = \"x\"\nstage = \"nope\"\n+++\n",
    );
    let run = site.run(&["build"]);
    run.failure()
        .stderr_has("unknown campaign `nope`")
        .stderr_has("unknown funnel stage `nope`")
        .stderr_has("2 errors");
    assert_eq!(site.read("public/offer/index.html"), before);
    assert!(site.exists("public/news/item-02/index.html"));
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::fixture("custom-theme");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}

#[test]
fn script_urls_from_config_front_matter_or_markdown() {
    let site = TestSite::fixture("custom-theme");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!(
            "{config}\n[extra]\nmenu = [ {{ name = \"x\", url = \" JavaScript:alert(1)\" }} ]\n"
        ),
    );
    site.run(&["build"])
        .failure()
        .stderr_has("`extra.menu.0.url` is a script URL; links from site.toml may not run script")
        .stderr_has("--> site.toml:");
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\n[extra]\ncta_url = \"javascript:steal()\"\n+++\n\n[click](javascript:alert(document.cookie))\n",
        )],
        &[
            "`extra.cta_url` is a script URL; links from front matter may not run script",
            "--> content/offer.md:4:12",
        ],
    );
    fails_with(
        &[(
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\n[click](javascript:alert(document.cookie))\n",
        )],
        &["links may not run script", "--> content/offer.md:5:1"],
    );
}
