//! Every error a user can meet in templates and shortcodes, each
//! snapshotted whole (see errors.rs for what every failed build also
//! guarantees). Template errors name the template as the user wrote it
//! (`templates/…`, `themes/<theme>/templates/…`) and are said once, never
//! as "error: error: …"; shortcode errors point at the call in Markdown.

use crate::common::{TestSite, body_errors, errors};

const PAGE: &str = "content/offer.md";

#[test]
fn template_syntax_errors_all_of_them() {
    insta::assert_snapshot!(errors(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block body %}\n{{ page.title \n{% endblock body %}\n",
        ),
        ("themes/plain/templates/section.html", "{% if %}\n"),
    ]));
}

#[test]
fn unknown_filters_and_includes_each_in_its_template() {
    insta::assert_snapshot!(errors(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block body %}{{ page.title | upper | nope }}{% endblock body %}\n",
        ),
        (
            "themes/plain/templates/section.html",
            "{% extends \"base.html\" %}\n{% block body %}{% include \"partials/nav.html\" %}{{ section.title | nada }}{% endblock body %}\n",
        ),
    ]));
}

#[test]
fn rendering_error_names_template_and_pages() {
    insta::assert_snapshot!(errors(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block body %}\n{{ page.nope.deeper }}\n{% endblock body %}\n",
    )]));
}

#[test]
fn extending_a_missing_parent() {
    insta::assert_snapshot!(errors(&[(
        "templates/page.html",
        "{% extends \"bsae.html\" %}\n"
    )]));
}

#[test]
fn a_default_template_the_theme_lacks() {
    let site = TestSite::fixture("custom-theme");
    site.remove("templates/page.html");
    site.remove("themes/plain/templates/page.html");
    insta::assert_snapshot!(site.build_errors());
}

#[test]
fn unknown_names_in_template_functions() {
    insta::assert_snapshot!(errors(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block body %}\n{{ form(id=\"contcat\") }}\n{{ campaign_url(path=\"/\", source=\"x\", medium=\"y\", campaign=\"lanch\") }}\n{{ get_url(path=\"@/ofer.md\") }}\n{% endblock body %}\n",
    )]));
}

#[test]
fn unknown_shortcode() {
    insta::assert_snapshot!(body_errors("{{ ctaa(form=\"contact\") }}\n\n{{ zzz() }}\n"));
}

#[test]
fn malformed_shortcode_calls() {
    insta::assert_snapshot!(body_errors(
        "{{ cta(form=contact) }}\n\n{{ cta(form=\"x\" n=1) }}\n\n{{ cta(=\"x\") }}\n\n{{ cta(form \"x\") }}\n\n{{ cta(form=\"x) }}\n\n{% end %}\n\n{% note() %}never closed\n"
    ));
}

#[test]
fn a_body_the_shortcode_does_not_take() {
    insta::assert_snapshot!(body_errors(
        "{% cta(form=\"contact\") %}Book a demo{% end %}\n"
    ));
}

#[test]
fn a_shortcode_that_needs_a_body_called_inline() {
    insta::assert_snapshot!(body_errors("{{ note(kind=\"tip\") }}\n"));
}

#[test]
fn unknown_form_in_a_shortcode_points_at_the_argument() {
    insta::assert_snapshot!(body_errors("Book now: {{ cta(form=\"contcat\") }}\n"));
}

#[test]
fn a_broken_link_in_a_shortcode_is_a_broken_link_at_the_argument() {
    // The same mistake as in a Markdown link: a broken link, at the
    // argument, with the nearest page suggested.
    let page = "+++\ntitle = \"Offer\"\n+++\n\nSee {{ go(to=\"@/news/item-1.md#top\") }}\n";
    insta::assert_snapshot!(errors(&[
        ("content/offer.md", page),
        (
            "templates/shortcodes/go.html",
            "<a href=\"{{ get_url(path=to) }}\">Go</a>"
        ),
    ]));
}

#[test]
fn shortcode_template_failure_points_at_the_call() {
    insta::assert_snapshot!(errors(&[
        ("templates/shortcodes/price.html", "{{ amount | round }}"),
        (
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\nOnly {{ price(amount=\"ten\") }} a month.\n",
        ),
    ]));
}

#[test]
fn a_broken_shortcode_template_is_reported_once() {
    insta::assert_snapshot!(errors(&[
        ("templates/shortcodes/price.html", "{{ amount | nope }}"),
        (
            PAGE,
            "+++\ntitle = \"Offer\"\n+++\n\nOnly {{ price(amount=10) }} a month.\n",
        ),
    ]));
}
