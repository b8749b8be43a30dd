//! Forms as each backend documents them, rendered from the every-template
//! fixture (one form per provider), and success pages that must exist.

use crate::common;
use crate::common::TestSite;

/// The `<form …>…</form>` of `id` in a built page.
fn form_html(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("data-utmost-form=\"{id}\""))
        .and_then(|i| page[..i].rfind("<form"))
        .unwrap_or_else(|| panic!("no form `{id}`"));
    let end = page[start..].find("</form>").expect("closed") + start;
    page[start..end].to_string()
}

fn guide() -> (TestSite, String) {
    let site = TestSite::built("every-template");
    let html = site.read("public/guides/first/index.html");
    (site, html)
}

#[test]
fn hubspot_form_posts_to_the_v2_url_with_hs_context() {
    // legacydocs.hubspot.com/docs/methods/forms/v2/submit_form: a urlencoded
    // POST to forms.hubspot.com/uploads/form/v2/:portal_id/:form_guid whose
    // fields are contact properties, plus `hs_context` (hutk, pageUrl,
    // pageName, redirectUrl).
    let (_site, page) = guide();
    let form = form_html(&page, "hubspot-demo");
    assert!(form.contains("method=\"post\" action=\"https://forms.hubspot.com/uploads/form/v2/62515/78c2891f-ebdd-44c0-bd94-15c012bbbfbf\""), "{form}");
    assert!(
        form.contains("name=\"hs_context\" value=\"{&quot;pageUrl&quot;:&quot;https://every.example/guides/first/&quot;,&quot;redirectUrl&quot;:&quot;https://every.example/thanks/&quot;}\""),
        "{form}"
    );
    assert!(
        !form.contains("name=\"_"),
        "no `_` helper HubSpot cannot store: {form}"
    );
    assert!(
        !form.contains("utmost-hp"),
        "HubSpot runs its own spam checks"
    );
    assert!(form.contains("name=\"utm_campaign\""));
}

#[test]
fn salesforce_form_carries_oid_ret_url_and_field_ids() {
    // Salesforce's generated Web-to-Lead form: POST to
    // webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8 with a
    // hidden `oid` (org id) and `retURL`; custom fields by their 00N ids.
    let (_site, page) = guide();
    let form = form_html(&page, "salesforce-demo");
    assert!(
        form.contains(
            "action=\"https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8\""
        ),
        "{form}"
    );
    assert!(form.contains("name=\"oid\" value=\"00D5e000000AbCd\""));
    assert!(form.contains("name=\"lead_source\" value=\"Web\""));
    assert!(form.contains("name=\"retURL\" value=\"https://every.example/thanks/\""));
    assert!(
        form.contains("name=\"00N5e00000AbCdE\" value=\"\" data-utmost-touch=\"utm_campaign\"")
    );
    assert!(
        form.contains("name=\"00N5e00000AbCdF\" value=\"\" data-utmost-touch=\"ft_utm_campaign\"")
    );
    assert!(
        !form.contains("name=\"utm_campaign\""),
        "sent under its field id only"
    );
    assert!(form.contains("name=\"last_name\""));
}

#[test]
fn netlify_form_posts_to_its_success_page() {
    // docs.netlify.com/forms/setup: `data-netlify="true"`, a `name`, the
    // hidden `form-name`; the success page is the form's `action` path.
    let (_site, page) = guide();
    let form = form_html(&page, "callback");
    assert!(
        form.contains("method=\"post\" action=\"/thanks/\""),
        "{form}"
    );
    assert!(
        form.contains(
            "name=\"callback\" data-netlify=\"true\" data-netlify-honeypot=\"bot-field\""
        )
    );
    assert!(form.contains("name=\"form-name\" value=\"callback\""));
    assert!(form.contains("name=\"bot-field\""));
}

#[test]
fn manifest_lists_each_forms_success_page_hidden_inputs_and_names() {
    let (site, _) = guide();
    let manifest = site.manifest();
    let forms = manifest["forms"].as_array().unwrap();
    let sf = forms.iter().find(|f| f["id"] == "salesforce-demo").unwrap();
    assert_eq!(sf["provider"], "salesforce");
    assert_eq!(sf["redirect"], "/thanks/");
    assert_eq!(sf["hidden"]["oid"], "00D5e000000AbCd");
    assert_eq!(sf["rename"]["utm_campaign"], "00N5e00000AbCdE");
    assert!(
        sf["hidden_fields"]
            .as_array()
            .unwrap()
            .contains(&"00N5e00000AbCdE".into())
    );
    let netlify = forms.iter().find(|f| f["id"] == "callback").unwrap();
    assert_eq!(netlify["action"], serde_json::Value::Null);
    assert_eq!(netlify["redirect"], "/thanks/");
}

/// `utmost check` on the basic fixture with `redirect` replaced.
fn check_with_redirect(redirect: &str) -> common::Run {
    let site = TestSite::fixture("basic");
    site.edit(
        "site.toml",
        "redirect = \"/thanks/\"",
        &format!("redirect = \"{redirect}\""),
    );
    site.run(&["check"])
}

#[test]
fn redirect_must_name_a_page_the_site_builds() {
    let run = check_with_redirect("/thanx/");
    run.failure();
    run.stderr_has("form `demo-request`: `redirect` `/thanx/` is not a page this site builds");
    run.stderr_has("--> site.toml:25:12");
    run.stderr_has("25 | redirect = \"/thanx/\"");
    run.stderr_has("help: did you mean `/thanks/`?");

    let far = check_with_redirect("/thank-you/");
    far.failure();
    far.stderr_has(
        "help: every lead would land on a missing page; the nearest pages are `/thanks/`,",
    );

    let link = check_with_redirect("@/thank.md");
    link.failure();
    link.stderr_has("`redirect` `@/thank.md` does not name a content file");
    link.stderr_has("did you mean `thanks.md`?");

    check_with_redirect("@/thanks.md").success();
    check_with_redirect("/thanks").success();
    check_with_redirect("https://fixture.example/thanks/").success();
    check_with_redirect("https://calendar.example/book").success();
}

#[test]
fn a_draft_success_page_is_not_built() {
    let site = TestSite::fixture("basic");
    site.edit("content/thanks.md", "+++\n", "+++\ndraft = true\n");
    let run = site.run(&["check"]);
    run.failure();
    run.stderr_has("`redirect` `/thanks/` is not a page this site builds");
    site.run(&["check", "--drafts"]).success();
}

#[test]
fn at_link_redirect_renders_as_the_pages_url() {
    let site = TestSite::fixture("basic");
    site.edit(
        "site.toml",
        "redirect = \"/thanks/\"",
        "redirect = \"@/thanks.md\"",
    );
    site.build();
    let html = site.read("public/spring/index.html");
    assert!(html.contains("name=\"_redirect\" value=\"https://fixture.example/thanks/\""));
}
