//! `utmost build` writes each page as soon as it is rendered, and a page
//! that shows no other page's body as soon as its body is (its body then
//! dropped but for what listings and feeds read). Whatever the order, the
//! files written are those of a build held in memory, byte for byte, on
//! sites with every kind of page: sections and their listings, taxonomies,
//! paginated lists, feeds, variants, one-pagers with QR codes and reps'
//! copies, shortcodes.

use std::collections::BTreeMap;

use crate::common::{TestSite, assert_same_files};
use utmost::{BuildOptions, Progress};

/// The files `site`'s build wrote under public/, by path, but for the
/// mark that says the folder is utmost's.
fn written(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let public = site.path().join("public");
    (site.written().into_iter())
        .filter(|f| f != ".utmost-output")
        .map(|f| {
            let bytes = std::fs::read(public.join(&f)).expect("written file readable");
            (f, bytes)
        })
        .collect()
}

#[track_caller]
fn assert_written_as_in_memory(fixture: &str) {
    let site = TestSite::fixture(fixture);
    site.build();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        production: true,
        ..BuildOptions::default()
    };
    let mut built = utmost::build(&options, &Progress::hidden()).expect("fixture builds");
    built.process_images().expect("images made");
    let in_memory = built.contents().expect("contents");
    let what = format!("{fixture}, written against built in memory");
    assert_same_files(&written(&site), &in_memory, &what);
}

#[test]
fn every_page_written_is_the_page_rendered_in_memory() {
    for fixture in [
        "basic",
        "blog",
        "collateral",
        "custom-theme",
        "zola-content",
        "zola-docs",
    ] {
        assert_written_as_in_memory(fixture);
    }
}
