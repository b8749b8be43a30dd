//! Every error a user can meet in site.toml, each snapshotted whole (see
//! errors.rs for what every failed build also guarantees).

use crate::common::{self, TestSite, fixture_text, replaced};

/// `build`'s errors once site.toml reads `config`.
#[track_caller]
fn errors(config: &str) -> String {
    common::errors(&[("site.toml", config)])
}

/// `build`'s errors once the fixture's site.toml (what its pages and
/// templates need) is edited by `edit` and ends with `more`.
#[track_caller]
fn errors_with(edit: &[(&str, &str)], more: &str) -> String {
    let mut config = fixture_text("custom-theme", "site.toml");
    for (from, to) in edit {
        config = replaced(&config, from, to);
    }
    errors(&format!("{config}{more}"))
}

#[test]
fn every_unknown_key_of_every_table() {
    insta::assert_snapshot!(errors_with(
        &[
            (
                "theme = \"plain\"\n",
                "theme = \"plain\"\ndescripton = \"x\"\nlanguge = \"en\"\n"
            ),
            ("name = \"Launch\"", "nme = \"Launch\""),
            (
                "medium = \"paid-social\"",
                "medium = \"paid-social\", campain = \"x\""
            ),
            (
                "provider = \"netlify\"",
                "provider = \"netlify\"\nsubmt = \"Go\""
            ),
            ("required = true", "requird = true"),
            (
                "name = \"Alex Example\"",
                "name = \"Alex Example\"\nmail = \"alex@x.example\""
            ),
        ],
        "[attribution]\nwindow = 30\n[collateral]\npapr = \"a4\"\n[extra]\nfree = \"form\"\n[nonsense]\nx = 1\n",
    ));
}

#[test]
fn syntax_errors_all_of_them() {
    insta::assert_snapshot!(errors(
        "title = \"Plain\nbase_url = \"https://plain.example\"\ntheme = \n"
    ));
}

#[test]
fn values_of_the_wrong_type_all_of_them() {
    insta::assert_snapshot!(errors_with(
        &[
            (
                "theme = \"plain\"\n",
                "theme = \"plain\"\ndefault_campaign = 3\n"
            ),
            ("end = 2020-12-31", "end = \"soon\""),
            ("required = true", "required = \"yes\""),
        ],
        "[attribution]\nwindow_days = \"ninety\"\n",
    ));
}

#[test]
fn a_required_key_is_missing() {
    insta::assert_snapshot!(errors_with(&[("title = \"Plain\"\n", "")], ""));
}

#[test]
fn semantic_errors() {
    insta::assert_snapshot!(errors_with(
        &[
            (
                "base_url = \"https://plain.example\"\ntheme = \"plain\"\n",
                "base_url = \"plain.example\"\ntheme = \"plain\"\ndefault_campaign = \"lanch\"\noutput_dir = \"../elsewhere\"\n",
            ),
            ("end = 2020-12-31", "start = 2021-01-01\nend = 2020-12-31"),
        ],
        "[campaigns.Bad_Id]\n[campaigns.empty]\nutm_campaign = \"---\"\n[reps.Jo]\nname = \"Jo\"\n[attribution]\nwindow_days = 0\n",
    ));
}

#[test]
fn manifest_inside_the_output() {
    insta::assert_snapshot!(errors_with(
        &[(
            "theme = \"plain\"\n",
            "theme = \"plain\"\noutput_dir = \"public\"\nmanifest = \"public/m.json\"\n",
        )],
        "",
    ));
}

#[test]
fn form_errors() {
    insta::assert_snapshot!(errors_with(
        &[],
        "[forms.demo]\naction = \"javascript:alert(1)\"\nredirect = \"thanks\"\n\
         fields = [\n  { name = \"gclid\" },\n  { name = \"a b\" },\n  { name = \"size\", type = \"select\" },\n  \
         { name = \"size\" },\n  { name = \"note\", options = [\"x\"] },\n]\n\
         [forms.empty]\naction = \"/x\"\nfields = []\n",
    ));
}

#[test]
fn script_url_in_extra() {
    insta::assert_snapshot!(errors_with(
        &[],
        "[extra]\nmenu = [ { name = \"x\", url = \" JavaScript:alert(1)\" } ]\n",
    ));
}

#[test]
fn theme_not_found() {
    insta::assert_snapshot!(errors_with(
        &[("theme = \"plain\"", "theme = \"plian\"")],
        ""
    ));
}

#[test]
fn missing_site_toml() {
    let site = TestSite::empty();
    let run = site.run(&["build"]);
    run.failure();
    let root = site.path().display().to_string();
    insta::assert_snapshot!(run.stderr.replace(&root, "<site>"));
}

#[test]
fn site_toml_errors_do_not_hide_content_errors() {
    let site = TestSite::fixture("custom-theme");
    site.write("site.toml", "title = \"Plain\nbase_url = 1\n");
    site.write(
        "content/offer.md",
        "+++\ntitle = \"Offer\"\ncampain = \"launch\"\n+++\n",
    );
    insta::assert_snapshot!(site.build_errors());
}
