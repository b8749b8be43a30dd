//! The mistakes a user can make with Zola's blog features, each
//! snapshotted whole (message, file, line and column, help): an alias
//! where a page, a variant, the 404 page or another alias already is; a
//! taxonomy site.toml does not declare; a declared taxonomy with no
//! template to render it; a `redirect_to` that leads nowhere or to itself;
//! bad values of the keys. Each fails the build with nothing written.

use crate::common::TestSite;

#[track_caller]
fn blog_errors(files: &[(&str, &str)]) -> String {
    TestSite::fixture_errors("blog", files)
}

#[test]
fn an_alias_where_something_else_is() {
    insta::assert_snapshot!(blog_errors(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\naliases = [\"/blog/first/\", \"/404.html\", \"/blog/page/1/\", \"/2026/second/\", \"/launch/b/\"]\n+++\n",
        ),
        (
            "content/launch.md",
            "+++\ntitle = \"Launch\"\n[[variants]]\nid = \"b\"\n+++\n",
        ),
    ]));
}

#[test]
fn a_taxonomy_site_toml_does_not_declare() {
    insta::assert_snapshot!(blog_errors(&[(
        "content/blog/first.md",
        "+++\ntitle = \"First\"\n[taxonomies]\nserie = [\"Getting started\"]\n+++\n",
    )]));
}

#[test]
fn redirect_to_nowhere_or_to_itself() {
    insta::assert_snapshot!(blog_errors(&[
        (
            "content/old-blog/_index.md",
            "+++\ntitle = \"Old\"\nredirect_to = \"@/blgo/_index.md\"\n+++\n",
        ),
        (
            "content/edges/_index.md",
            "+++\ntitle = \"Edges\"\nredirect_to = \"/edges/\"\n+++\n",
        ),
    ]));
}

#[test]
fn bad_values_of_the_blog_keys() {
    insta::assert_snapshot!(blog_errors(&[
        (
            "content/blog/_index.md",
            "+++\ntitle = \"Blog\"\npaginate_by = -1\npaginate_path = \"a/b\"\naliases = [\"/../up/\"]\n[taxonomies]\ntags = [\"x\"]\n+++\n",
        ),
        (
            "content/blog/first.md",
            "+++\ntitle = \"First\"\npaginate_by = 2\ntags = [\"ok\", \"???\"]\n[extra]\nprice = 10\n+++\n",
        ),
    ]));
}

#[test]
fn taxonomy_and_feed_settings_in_site_toml() {
    let site = TestSite::fixture("blog");
    site.edit(
        "site.toml",
        "{ name = \"series\" },",
        "{ name = \"series\" },\n  { name = \"Series\" },\n  { name = \"??\", paginate_by = -2 },",
    );
    site.edit(
        "site.toml",
        "feed_limit = 3",
        "feed_limit = 0\nfeed_utm = { source = \"\", medium = \"rss\" }",
    );
    site.edit("site.toml", "\"rss.xml\"]", "\"feed.xml\"]");
    insta::assert_snapshot!(site.build_errors());
}

/// A theme of its own that lacks the taxonomy templates: the `tags` every
/// site has then makes no pages (and the chips link nowhere), but a
/// taxonomy declared in site.toml is an error naming what to add.
#[test]
fn a_declared_taxonomy_needs_its_templates() {
    let site = TestSite::fixture("custom-theme");
    site.edit("content/offer.md", "+++\n", "+++\ntags = [\"launch\"]\n");
    site.build();
    assert!(
        !site.exists("public/tags/index.html"),
        "no template, no pages"
    );
    site.edit(
        "site.toml",
        "title = ",
        "taxonomies = [{ name = \"tags\" }]\ntitle = ",
    );
    insta::assert_snapshot!(site.build_errors());
}
