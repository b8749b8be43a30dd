//! Zola's own documentation (tests/fixtures/zola-docs: every Markdown file
//! of Zola 0.22.1's docs/content, unchanged, with templates for the custom
//! names it uses) builds as it is.
//!
//! Taxonomies, `aliases` and `redirect_to` are the other half of issue 15.
//! Until they land, the first test pins that their keys are the only thing
//! this content is refused for (it fails when they land: then it becomes
//! "the build succeeds"), and the second takes those keys out of the front
//! matter and checks the rest: the build succeeds, every heading has the id
//! Zola's own build gives it (zola-heading-ids.tsv), and no page shows its
//! front matter.

use std::collections::BTreeMap;

use crate::common::TestSite;

#[test]
fn zola_documentation_is_refused_for_nothing_but_the_keys_still_to_come() {
    let site = TestSite::fixture("zola-docs");
    let errors = site.build_errors();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in errors.lines().filter(|l| l.starts_with("error: ")) {
        *counts.entry(line).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(l, n)| format!("{n} × {l}")).collect();
    assert_eq!(
        counts,
        [
            "1 × error: unknown key `aliases`",
            "6 × error: unknown key `redirect_to`",
            "122 × error: unknown key `taxonomies`",
        ],
        "{errors}"
    );
}

/// The fixture with the keys still to come taken out of every front matter
/// (`redirect_to`, `aliases`, and `[taxonomies]` with its lines), and
/// nothing else changed.
fn without_keys_to_come() -> TestSite {
    let site = TestSite::fixture("zola-docs");
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.expect("fixture readable");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("fixture text");
        let mut out = String::new();
        let (mut fences, mut in_taxonomies) = (0, false);
        for line in text.split_inclusive('\n') {
            fences += usize::from(line.trim_end() == "+++");
            let in_front_matter = fences == 1 && line.trim_end() != "+++";
            in_taxonomies = in_front_matter
                && (line.starts_with("[taxonomies]") || (in_taxonomies && !line.starts_with('[')));
            let key_to_come = line.starts_with("redirect_to") || line.starts_with("aliases");
            if !(in_front_matter && (in_taxonomies || key_to_come)) {
                out.push_str(line);
            }
        }
        std::fs::write(entry.path(), out).expect("fixture writable");
    }
    site
}

#[test]
fn zola_documentation_builds_with_zola_heading_ids_and_no_front_matter_in_bodies() {
    let site = without_keys_to_come();
    site.build();
    // Every heading of every documentation page has the id Zola gives it
    // (the default theme's own headings aside).
    let expected = crate::common::fixture_text("zola-docs", "zola-heading-ids.tsv");
    let mut checked = 0;
    for line in expected.lines().filter(|l| !l.starts_with('#')) {
        let (path, ids) = line.split_once('\t').expect("path, tab, ids");
        let html = site.read(&format!("public{path}index.html"));
        let ours: Vec<&str> = html
            .split("<h")
            .skip(1)
            .filter(|h| h.starts_with(|c: char| c.is_ascii_digit()))
            .filter_map(|h| h.split_once(" id=\"").filter(|(tag, _)| tag.len() == 1))
            .filter_map(|(_, rest)| rest.split_once('"').map(|(id, _)| id))
            .filter(|id| *id != "subsections-title")
            .collect();
        assert_eq!(ours.join(" "), ids, "{path}");
        checked += 1;
    }
    assert_eq!(checked, 44);
    // No page shows its own front matter.
    let manifest = site.manifest();
    let pages = manifest["pages"].as_array().expect("pages");
    assert_eq!(
        pages.len(),
        174,
        "every content file but the 404 page is a page"
    );
    for page in pages {
        let (Some(source), Some(path)) = (page["source"].as_str(), page["path"].as_str()) else {
            continue;
        };
        if !site.exists(source) {
            continue; // the home page, which Zola's docs leave to the theme
        }
        let text = site.read(source);
        let front = text.split("+++").nth(1).expect("front matter").trim();
        let html = site.read(&format!("public{path}index.html"));
        let escaped = front.replace('"', "&quot;");
        assert!(
            !html.contains(front) && !html.contains(&escaped),
            "{source}"
        );
    }
}
