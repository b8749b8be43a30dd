//! Zola's own documentation (tests/fixtures/zola-docs: every Markdown file
//! of Zola 0.22.1's docs/content, unchanged, with templates for the custom
//! names it uses) builds as it is.
//!
//! Taxonomies, `aliases` and `redirect_to` are the other half of issue 15;
//! until they land, their keys are the only thing this content is refused
//! for. When they land this test fails, and becomes the full check: the
//! build succeeds and no page shows front matter in its body.

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
