//! What `utmost campaigns` and `utmost leads report` print, snapshotted
//! whole in each format (table, CSV, JSON): campaigns of two fixture sites,
//! and the report under both attribution models of the leads exports in
//! tests/fixtures/exports/ (the mixed CSV and JSON Lines files, and every
//! backend's export at once). Each snapshot holds stdout, then stderr
//! (warnings and skipped rows) after a `[stderr]` line when there is any.
//!
//! The fixtures' campaign dates all lie in the past, so the flags
//! (`ended …`) that depend on today's date stay as they are.

use crate::common::{self, Run, TestSite, fixture_dir};

const FORMATS: [(&str, &str); 3] = [("table", "txt"), ("csv", "csv"), ("json", "json")];

/// What a user sees of `run`: stdout, then stderr if any.
fn printed(run: &Run) -> String {
    run.success();
    if run.stderr.is_empty() {
        run.stdout.clone()
    } else {
        format!("{}[stderr]\n{}", run.stdout, run.stderr)
    }
}

/// Snapshots `text` under `name`, described by the command that printed it.
#[track_caller]
fn snapshot(name: &str, command: &str, text: &str) {
    insta::with_settings!({ description => command, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn campaigns_in_every_format() {
    for fixture in ["custom-theme", "every-template"] {
        let site = TestSite::fixture(fixture);
        for (format, ext) in FORMATS {
            let run = site.run(&["campaigns", "--format", format]);
            snapshot(
                &format!("campaigns__{fixture}.{ext}"),
                &format!("utmost --root tests/fixtures/{fixture} campaigns --format {format}"),
                &printed(&run),
            );
        }
    }
}

#[test]
fn leads_report_in_every_format_under_both_models() {
    // (name, the site the leads are attributed to, the exports)
    let cases: [(&str, &str, &[&str]); 2] = [
        ("leads", "custom-theme", &["leads.csv", "leads.jsonl"]),
        (
            "backends",
            "backends",
            &[
                "hubspot-contacts.csv",
                "salesforce-leads.csv",
                "formspree.json",
                "netlify-submissions.json",
                "excel-semicolon.csv",
            ],
        ),
    ];
    for (name, fixture, exports) in cases {
        let site = TestSite::fixture(fixture);
        for model in ["last", "first"] {
            for (format, ext) in FORMATS {
                // Run beside the exports, so that they are named as given.
                let mut args = vec!["leads", "report", "--model", model, "--format", format];
                args.extend_from_slice(exports);
                let run = Run::of(
                    common::binary()
                        .current_dir(fixture_dir("exports"))
                        .arg("--root")
                        .arg(site.path())
                        .args(&args),
                );
                snapshot(
                    &format!("leads_report__{name}__{model}.{ext}"),
                    &format!(
                        "utmost --root tests/fixtures/{fixture} {} (in tests/fixtures/exports)",
                        args.join(" ")
                    ),
                    &printed(&run),
                );
            }
        }
    }
}
