//! `utmost serve` as a user meets it: the real binary on a free loopback
//! port, fixture files edited on disk, pages polled until they change.

use crate::common::preview::{Preview, serving};
use crate::common::{TestSite, replaced};

#[test]
fn serves_pages_static_files_and_404s() {
    let (_site, preview) = serving("custom-theme");
    let offer = preview.get("/offer/");
    assert_eq!(offer.status, 200);
    assert!(
        offer
            .headers
            .contains("Content-Type: text/html; charset=utf-8")
    );
    assert!(offer.body.contains("<h1>Offer</h1>"));
    assert!(
        offer.body.contains("data-utmost=\"livereload\""),
        "the reload client is injected"
    );
    assert!(
        offer
            .body
            .contains(&format!("http://127.0.0.1:{}/", preview.port)),
        "links point at the preview"
    );
    assert!(
        offer.body.contains("action=\"/__utmost/lead\""),
        "forms post to the preview server"
    );
    let css = preview.get("/plain.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("Content-Type: text/css"));
    assert_eq!(preview.get("/offer").status, 301);
    assert_eq!(preview.get("/nothing-here/").status, 404);
}

#[test]
fn never_serves_outside_the_site() {
    let (site, preview) = serving("custom-theme");
    site.write("../outside-secret.txt", "secret");
    for path in [
        "/../outside-secret.txt",
        "/%2e%2e/outside-secret.txt",
        "/%2E%2E%2Foutside-secret.txt",
        "/..%5Coutside-secret.txt",
        "/content/offer.md",
        "/site.toml",
    ] {
        let reply = preview.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("secret") || reply.body.contains("<html"),
            "{path}"
        );
    }
}

#[test]
fn content_template_and_static_edits_show_up() {
    let (site, preview) = serving("custom-theme");
    site.edit(
        "content/offer.md",
        "title = \"Offer\"",
        "title = \"Offer edited\"",
    );
    preview.wait_for("/offer/", "new title", |r| {
        r.body.contains("<h1>Offer edited</h1>")
    });
    site.edit(
        "themes/plain/templates/base.html",
        "<body>",
        "<body class=\"v2\">",
    );
    preview.wait_for("/news/item-01/", "template edit", |r| {
        r.body.contains("class=\"v2\"")
    });
    site.write("themes/plain/static/plain.css", "body { color: red; }\n");
    preview.wait_for("/plain.css", "css edit", |r| r.body.contains("red"));
}

/// A site reached through a symbolic link (`--root ~/site`, a link to
/// where it lives): a save there is seen like any other.
#[cfg(unix)]
#[test]
fn a_site_reached_through_a_link_is_rebuilt_on_save() {
    let site = TestSite::fixture("custom-theme");
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("site");
    std::os::unix::fs::symlink(site.path(), &link).unwrap();
    let preview = Preview::start_at(&link);
    let item = "content/news/item-02.md";
    let text = std::fs::read_to_string(site.path().join(item)).unwrap();
    site.write(item, &replaced(&text, "Rest 02.", "Rest edited."));
    // A plain write may be seen half done first (truncated, then
    // written), and built so: wait for the page, as the other edit tests
    // do.
    preview.wait_for("/news/item-02/", "the saved text", |r| {
        r.body.contains("Rest edited.")
    });
}

#[test]
fn new_and_deleted_pages() {
    let (site, preview) = serving("custom-theme");
    site.write(
        "content/news/item-03.md",
        "+++\ntitle = \"Item 03\"\ndate = 2026-01-03\n+++\nThird.\n",
    );
    preview.wait_for("/news/item-03/", "new page", |r| {
        r.status == 200 && r.body.contains("Third.")
    });
    preview.wait_for("/news/", "listed", |r| r.body.contains("Item 03"));
    site.remove("content/news/item-03.md");
    preview.wait_for("/news/item-03/", "deleted page is gone", |r| {
        r.status == 404
    });
}

#[test]
fn editor_save_by_rename_is_seen() {
    let (site, preview) = serving("custom-theme");
    let path = site.path().join("content/offer.md");
    let tmp = site.path().join("content/.offer.md.tmp");
    std::fs::write(
        &tmp,
        replaced(
            &site.read("content/offer.md"),
            "title = \"Offer\"",
            "title = \"Renamed in\"",
        ),
    )
    .unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    preview.wait_for("/offer/", "renamed file", |r| {
        r.body.contains("<h1>Renamed in</h1>")
    });
}

#[test]
fn broken_edit_keeps_last_good_site_and_reports_then_recovers() {
    let (site, preview) = serving("custom-theme");
    let mut events = preview.events();
    assert_eq!(events.next().0, "reload", "the current state on connect");
    let good = site.read("content/offer.md");
    site.write(
        "content/offer.md",
        &replaced(
            &good,
            "title = \"Offer\"",
            "title = \"Offer\"\nstage = \"nope\"",
        ),
    );
    let (name, data) = events.next();
    assert_eq!(name, "failed");
    assert!(data.contains("unknown funnel stage `nope`"), "{data}");
    assert!(data.contains("content/offer.md:3:9"), "{data}");
    let still = preview.get("/offer/");
    assert_eq!(still.status, 200);
    assert!(
        still.body.contains("<h1>Offer</h1>"),
        "last good page still served"
    );
    site.write(
        "content/offer.md",
        &replaced(&good, "title = \"Offer\"", "title = \"Fixed\""),
    );
    let (name, _) = events.next();
    assert_eq!(name, "reload");
    preview.wait_for("/offer/", "fixed", |r| r.body.contains("<h1>Fixed</h1>"));
}

#[test]
fn stylesheet_edit_sends_css_event() {
    let (site, preview) = serving("custom-theme");
    let mut events = preview.events();
    events.next();
    site.write("themes/plain/static/plain.css", "body { color: blue; }\n");
    assert_eq!(events.next().0, "css");
}

#[test]
fn form_posts_become_preview_leads() {
    let (site, preview) = serving("custom-theme");
    let body = "email=ana%40client.example&form_id=contact&campaign_id=launch&page=%2Foffer%2F&variant=b&utm_source=linkedin&utm_campaign=launch_2026&ft_utm_source=google&bot-field=&form-name=contact";
    let reply = preview.request("POST", "/__utmost/lead", body);
    assert_eq!(reply.status, 303);
    assert!(
        reply.headers.contains("Location: /offer/"),
        "{}",
        reply.headers
    );
    let leads = site.read(".utmost/preview-leads.jsonl");
    let lead: serde_json::Value = serde_json::from_str(leads.lines().next().unwrap()).unwrap();
    assert_eq!(lead["email"], "ana@client.example");
    assert_eq!(lead["campaign_id"], "launch");
    assert_eq!(lead["variant"], "b");
    assert_eq!(lead["ft_utm_source"], "google");
    // A filled honeypot is dropped, and the server says so.
    let bot = replaced(body, "bot-field=", "bot-field=spam");
    assert_eq!(preview.request("POST", "/__utmost/lead", &bot).status, 303);
    preview.printed_until("lead dropped: the honeypot field `bot-field` was filled");
    assert_eq!(site.read(".utmost/preview-leads.jsonl").lines().count(), 1);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = TestSite::fixture("custom-theme");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    site.run(&["serve", "--port", &port])
        .failure()
        .stderr_has(&format!("cannot listen on 127.0.0.1:{port}"));
}

/// A tag added in preview makes its term's page and feed, and the post
/// shows on it; removed, both are gone again.
#[test]
fn a_tag_added_in_preview_makes_its_term_page_and_feed() {
    let (site, preview) = serving("blog");
    site.edit(
        "content/blog/third.md",
        "tags = [\"news\"]",
        "tags = [\"news\", \"Fresh\"]",
    );
    preview.wait_for("/tags/fresh/", "the new term's page", |r| {
        r.status == 200 && r.body.contains("href=\"/blog/third/\"")
    });
    preview.wait_for("/tags/fresh/atom.xml", "the new term's feed", |r| {
        r.status == 200 && r.body.contains("<title>Third post</title>")
    });
    preview.wait_for("/tags/", "listed", |r| r.body.contains(">Fresh</a>"));
    site.edit("content/blog/third.md", ", \"Fresh\"]", "]");
    preview.wait_for("/tags/fresh/atom.xml", "gone", |r| r.status == 404);
}

#[test]
fn data_file_edits_show_up_where_templates_load_them() {
    let site = TestSite::fixture("zola-content");
    site.write("data/plans.toml", "[team]\nprice = 49\n");
    site.write(
        "templates/doc-page.html",
        "{% extends \"page.html\" %}{% block main %}{% set plans = load_data(path=\"data/plans.toml\") %}\
         <p class=\"price\">{{ plans.team.price }}</p>{% endblock main %}",
    );
    let preview = Preview::start(&site);
    preview.wait_for("/docs/getting-started/", "first build", |r| {
        r.body.contains("<p class=\"price\">49</p>")
    });
    site.write("data/plans.toml", "[team]\nprice = 59\n");
    preview.wait_for("/docs/getting-started/", "data edit", |r| {
        r.body.contains("<p class=\"price\">59</p>")
    });
}
