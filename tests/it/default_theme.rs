//! What a build of tests/fixtures/every-template writes, snapshotted whole:
//! every page (the fixture renders each template, partial and shortcode of
//! the embedded default theme), the sitemap and robots.txt, the list of
//! files written, and the manifest. One snapshot per file, named after it,
//! so a change to any page shows as a diff to review (`cargo insta
//! review`); a change of output is a commit of its own that says why.

use crate::common::TestSite;

/// Snapshots `text` under the name `file`, with where it comes from; the
/// content hashes in file names (`style.<hash>.css`) are written `HASH`, so
/// that an edit of the theme's CSS does not change every page's snapshot.
#[track_caller]
fn snapshot(file: &str, text: &str) {
    let text = &crate::common::without_hashes(text);
    insta::with_settings!({
        description => format!("{file}, built from tests/fixtures/every-template"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(file, text);
    });
}

#[test]
fn every_page() {
    let site = TestSite::built("every-template");
    let pages: Vec<String> = site
        .written()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() >= 14, "{pages:?}");
    for page in pages {
        snapshot(&page, &site.read(&format!("public/{page}")));
    }
}

#[test]
fn sitemap_and_robots() {
    let site = TestSite::built("every-template");
    for file in ["sitemap.xml", "robots.txt"] {
        snapshot(file, &site.read(&format!("public/{file}")));
    }
}

/// Every feed, in both formats: the site's, a section's and each term's.
#[test]
fn feeds() {
    let site = TestSite::built("every-template");
    let feeds: Vec<String> = (site.written().into_iter())
        .filter(|f| f.ends_with("atom.xml") || f.ends_with("rss.xml"))
        .collect();
    assert!(feeds.len() >= 6, "{feeds:?}");
    for feed in feeds {
        snapshot(&feed, &site.read(&format!("public/{feed}")));
    }
}

/// The list pins the set of pages: a page gone or added changes it (a
/// page's own snapshot alone would not notice that it is no longer made).
#[test]
fn the_files_written() {
    let site = TestSite::built("every-template");
    snapshot("public", &site.written().join("\n"));
}

/// The manifest as written, but for the version of utmost that wrote it.
#[test]
fn the_manifest() {
    let site = TestSite::built("every-template");
    let manifest = site.read("utmost-manifest.json");
    let generator = format!("\"generator\": \"utmost {}\",", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&generator), "{manifest}");
    snapshot(
        "utmost-manifest.json",
        &manifest.replacen(&generator, "\"generator\": \"utmost [version]\",", 1),
    );
}
