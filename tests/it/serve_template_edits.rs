//! A template edit, or a page's, in `utmost serve`: the page an open tab
//! shows is rendered first and the tab reloads, every other page follows
//! (rendered when asked for, or in the background), and the settled
//! preview serves what a fresh preview of the edited site serves, byte for
//! byte.

use crate::common::preview::{EventStream, Preview, serving};
use crate::common::{TestSite, fixture_text, replaced};

const BASE: &str = "themes/plain/templates/base.html";

fn edited_base(from: &str, to: &str) -> String {
    replaced(&fixture_text("custom-theme", BASE), from, to)
}

/// Waits for the next `reload` event; its data is the version the pages
/// date from.
#[track_caller]
fn next_reload(tab: &mut EventStream) -> String {
    loop {
        let (name, data) = tab.next();
        assert_ne!(name, "failed", "{data}");
        if name == "reload" {
            return data;
        }
    }
}

/// Once the whole site is served (its line is printed), the version since
/// which its pages are what they are, as a tab opened then is told. (The
/// tab open during the edit may be told the open page's render and the
/// settled site as one event, or as two: the stream sends the state it
/// finds when it wakes.)
fn settled_since(preview: &Preview) -> String {
    preview.printed_until("of 6 pages in");
    next_reload(&mut preview.events())
}

/// A served page as a preview on another port, without its reload script
/// (which carries the snapshot's version), would serve it.
fn comparable(preview: &Preview, body: &str) -> String {
    let body = body.replace(&format!("127.0.0.1:{}", preview.port), "127.0.0.1:PORT");
    match body.split_once("<script data-utmost=\"livereload\">") {
        Some((before, after)) => {
            let rest = after.split_once("</script>").map_or("", |(_, r)| r);
            format!("{before}{rest}")
        }
        None => body,
    }
}

/// Every file a build of `site` holds, as URL paths.
fn every_path(site: &TestSite) -> Vec<String> {
    site.build();
    (site.written().into_iter())
        .map(|f| format!("/{}", f.trim_end_matches("index.html")))
        .filter(|p| p != "/.utmost-manifest.json" && !p.ends_with(".json"))
        .collect()
}

#[test]
fn the_open_page_first_then_the_rest_then_a_fresh_preview_byte_for_byte() {
    let (site, preview) = serving("custom-theme");
    let mut tab = preview.tab("/offer/");
    let start = next_reload(&mut tab);
    site.save(BASE, &edited_base("<body>", "<body class=\"edited\">"));
    let since = next_reload(&mut tab);
    assert_ne!(since, start);
    preview.printed_until("rendered 1 open page");
    // The open page, and a page no tab shows, asked for before or after
    // the render settled: either way never the old bytes.
    for path in ["/offer/", "/news/"] {
        let page = preview.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains("<body class=\"edited\">"), "{path}");
    }
    assert_eq!(
        settled_since(&preview),
        since,
        "the settled site, no reload"
    );
    assert_serves_what_a_fresh_preview_serves(&site, &preview);
}

/// Every file of `site`, served by `preview` as a fresh preview serves it.
#[track_caller]
fn assert_serves_what_a_fresh_preview_serves(site: &TestSite, preview: &Preview) {
    let fresh = Preview::start(site);
    let paths = every_path(site);
    assert!(paths.len() > 8, "{paths:?}");
    for path in paths {
        let (a, b) = (preview.get(&path), fresh.get(&path));
        assert_eq!(a.status, b.status, "{path}");
        assert!(
            comparable(preview, &a.body) == comparable(&fresh, &b.body),
            "{path} differs from a fresh preview:\n{}\n---\n{}",
            a.body,
            b.body
        );
    }
}

/// A page's edit: the page the tab shows first, then its section's
/// listing (which shows its summary) whenever it is asked for, never the
/// old words; the settled site is a fresh preview's.
#[test]
fn a_page_edit_serves_the_open_page_first_then_settles_as_a_fresh_preview() {
    let (site, preview) = serving("custom-theme");
    let item = "content/news/item-01.md";
    let mut tab = preview.tab("/news/item-01/");
    let start = next_reload(&mut tab);
    site.save(
        item,
        &replaced(
            &fixture_text("custom-theme", item),
            "Summary 01.",
            "Summary edited.",
        ),
    );
    let since = next_reload(&mut tab);
    assert_ne!(since, start);
    preview.printed_until("item-01.md: rendered 1 open page");
    for path in ["/news/item-01/", "/news/"] {
        let page = preview.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains("Summary edited."),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("Summary 01."), "{path}: {}", page.body);
    }
    assert_eq!(
        settled_since(&preview),
        since,
        "the settled site, no reload"
    );
    assert_serves_what_a_fresh_preview_serves(&site, &preview);
}

/// With no tab open, a page's edit is built in one go: there is no page
/// to serve before the others.
#[test]
fn a_page_edit_with_no_tab_open_is_built_in_one_go() {
    let (site, preview) = serving("custom-theme");
    let item = "content/news/item-02.md";
    site.save(
        item,
        &replaced(
            &fixture_text("custom-theme", item),
            "Rest 02.",
            "Rest edited.",
        ),
    );
    let printed = preview.printed_until("item-02.md: rendered");
    assert!(!printed.contains("open page"), "{printed}");
    // The line is printed once the build is served.
    assert!(preview.get("/news/item-02/").body.contains("Rest edited."));
}

/// Writes the fixture's `path` with `from` replaced by `to`, an edit that
/// breaks the build, and returns the error the tab is then shown.
#[track_caller]
fn broken(site: &TestSite, tab: &mut EventStream, path: &str, from: &str, to: &str) -> String {
    site.save(
        path,
        &replaced(&fixture_text("custom-theme", path), from, to),
    );
    loop {
        let (name, data) = tab.next();
        if name == "failed" {
            return data;
        }
    }
}

#[test]
fn a_template_edit_that_breaks_other_pages_shows_the_overlay() {
    let (site, preview) = serving("custom-theme");
    let mut tab = preview.tab("/offer/");
    next_reload(&mut tab);
    let section = "themes/plain/templates/section.html";
    let failed = broken(&site, &mut tab, section, "<h1>", "{{ nope.missing }}<h1>");
    assert!(failed.contains("section.html"), "{failed}");
    let news = preview.get("/news/");
    assert_eq!(news.status, 200);
    assert!(
        news.body.contains("<h1>News</h1>") && !news.body.contains("nope"),
        "the last good page is served: {}",
        news.body
    );
    site.save(section, &fixture_text("custom-theme", section));
    next_reload(&mut tab);
}

/// A page's edit that breaks its body is shown as the failure it is at
/// once: its page is not served first.
#[test]
fn a_page_edit_that_breaks_its_body_fails_at_once() {
    let (site, preview) = serving("custom-theme");
    let item = "content/news/item-01.md";
    let mut tab = preview.tab("/news/item-01/");
    next_reload(&mut tab);
    let link = "Summary 01, see [gone](@/news/gone.md).";
    let failed = broken(&site, &mut tab, item, "Summary 01.", link);
    assert!(failed.contains("news/gone.md"), "{failed}");
    let page = preview.get("/news/item-01/");
    assert!(
        page.body.contains("Summary 01."),
        "the last good page: {}",
        page.body
    );
    // Fixed: the server prints that save's render, and none before it
    // for the broken one.
    site.save(item, &fixture_text("custom-theme", item));
    next_reload(&mut tab);
    let printed = preview.printed_until("item-01.md: rendered");
    assert_eq!(
        printed.matches("item-01.md: rendered").count(),
        1,
        "{printed}"
    );
}
