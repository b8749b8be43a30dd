//! Input a careless or hostile user can give, one table per kind: each case
//! gives a clear error (or safe output) with the exit status the contract
//! names, and the site's files and previous output stay byte for byte.

use crate::common::TestSite;
use crate::common::preview::Preview;
use crate::common::tree::{assert_intact, snapshot};

/// Builds once, applies `change`, runs `args`, and checks exit 1, every
/// `expected` fragment, and that nothing in the site changed.
#[track_caller]
fn refused(change: impl FnOnce(&TestSite), args: &[&str], expected: &[&str]) {
    let site = TestSite::fixture("custom-theme");
    site.build();
    change(&site);
    let before = snapshot(site.path());
    site.run(args).fails_with(expected);
    assert_intact(site.path(), &before, &format!("{args:?}"));
}

fn with_base_url(site: &TestSite, literal: &str) {
    site.edit(
        "site.toml",
        "base_url = \"https://plain.example\"",
        &format!("base_url = {literal}"),
    );
}

#[test]
fn base_url_with_whitespace_or_control_characters_is_an_error_with_its_position() {
    // (base_url as written in site.toml, expected fragments)
    let cases: &[(&str, &[&str])] = &[
        (
            r#""https://plain.example\nSitemap: https://evil.example/""#,
            &[
                "`base_url` contains a line feed (U+000A) at character 22",
                "--> site.toml:2:34",
            ],
        ),
        (
            r#""https://plain.example/ ""#,
            &[
                "`base_url` contains a space at character 23",
                "--> site.toml:2:35",
            ],
        ),
        (
            r#""https://plain.exa mple""#,
            &["contains a space at character 18", "--> site.toml:2:30"],
        ),
        (
            r#""https://plain.example\t""#,
            &["contains a tab (U+0009) at character 22"],
        ),
        (
            r#""https://plain.example\r\n""#,
            &["contains a carriage return (U+000D) at character 22"],
        ),
        (
            r#""https://plain.example\u001b[2J""#,
            &["contains an escape character (U+001B) at character 22"],
        ),
        (
            r#""https://plain.example/\u202Eevil""#,
            &["contains an invisible character (U+202E) at character 23"],
        ),
        (
            "\"\"\"https://plain.example\n\"\"\"",
            &[
                "contains a line feed (U+000A) at character 22",
                "--> site.toml:2:36",
            ],
        ),
    ];
    for (literal, expected) in cases {
        let mut all = expected.to_vec();
        all.push("a URL may not contain whitespace or control characters");
        refused(|site| with_base_url(site, literal), &["build"], &all);
        refused(|site| with_base_url(site, literal), &["check"], &all);
    }
}

#[test]
fn base_url_flag_with_whitespace_or_control_characters_is_an_error_with_its_position() {
    let cases: &[(&str, &str)] = &[
        (
            "https://staging.example\nSitemap: x",
            "a line feed (U+000A) at character 24",
        ),
        ("https://staging.example ", "a space at character 24"),
        (" https://staging.example", "a space at character 1"),
        (
            "https://staging.example\u{1b}]0;pwned\u{7}",
            "an escape character (U+001B) at character 24",
        ),
        (
            "https://staging\u{202e}.example",
            "an invisible character (U+202E) at character 16",
        ),
    ];
    for (url, expected) in cases {
        refused(
            |_| {},
            &["build", "--base-url", url],
            &[
                &format!("`--base-url` contains {expected}"),
                "--> --base-url:1:",
            ],
        );
    }
}

#[test]
fn init_never_overwrites_a_file() {
    let site = TestSite::empty();
    site.write("site.toml", "title = \"Mine\"\n");
    site.write("content/_index.md", "+++\ntitle = \"My home\"\n+++\n");
    site.write("notes.txt", "my notes");
    let before = snapshot(site.path());
    let run = site.run(&["init"]);
    run.failure().stderr_has("is not empty (use --force");
    assert_intact(site.path(), &before, "init without --force");
    let run = site.run(&["init", "--force"]);
    run.success();
    assert!(
        run.stdout.contains(
            "Kept 2 existing files as they were (init never overwrites a file):\n  site.toml\n  content/_index.md\n"
        ),
        "{}",
        run.stdout
    );
    let after = snapshot(site.path());
    for (path, node) in &before {
        assert_eq!(after.get(path), Some(node), "{path} kept as it was");
    }
    assert!(site.exists("content/thanks.md") && !site.exists("themes"));
    let again = site.run(&["init", "--force"]);
    again.success();
    assert!(again.stdout.contains("(0 files)"), "{}", again.stdout);
    // Ejecting the theme over an edited copy keeps every edited file.
    site.write("themes/default/templates/base.html", "my base");
    let eject = site.run(&["init", "--eject-theme"]);
    eject.success();
    assert!(
        eject.stdout.contains("Kept 1 existing file as it was"),
        "{}",
        eject.stdout
    );
    assert_eq!(site.read("themes/default/templates/base.html"), "my base");
    assert!(site.exists("themes/default/templates/page.html"));
}

/// A page of the basic fixture (default theme) with `body` as its Markdown.
fn page_with(site: &TestSite, body: &str) {
    site.write(
        "content/trap.md",
        &format!("+++\ntitle = \"Trap\"\n+++\n{body}\n"),
    );
}

#[test]
fn no_url_that_reaches_a_page_runs_script_whatever_its_source() {
    type Change = fn(&TestSite);
    // (where the URL comes from, how it is put there, the expected error place)
    let cases: &[(&str, Change, &str)] = &[
        (
            "shortcode argument",
            |s| page_with(s, "{{ button(url=\"javascript:alert(1)\", text=\"Go\") }}"),
            "--> content/trap.md:4:16",
        ),
        (
            "shortcode argument, spaced and cased",
            |s| {
                page_with(
                    s,
                    "{{ button(url=\"  JavaScript:alert(1)\", text=\"Go\") }}",
                )
            },
            "--> content/trap.md:4:",
        ),
        (
            "shortcode argument, vbscript",
            |s| page_with(s, "{{ button(url=\"vbscript:msgbox(1)\", text=\"Go\") }}"),
            "--> content/trap.md:4:",
        ),
        (
            "raw HTML in Markdown, entity-encoded",
            |s| page_with(s, "<a href=\"&#106;avascript&colon;alert(1)\">x</a>"),
            "--> content/trap.md:4:",
        ),
        (
            "raw HTML iframe",
            |s| {
                page_with(
                    s,
                    "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
                )
            },
            "--> content/trap.md:4:",
        ),
        (
            "Markdown link",
            |s| page_with(s, "[x](javascript:alert(1))"),
            "--> content/trap.md:4:",
        ),
        (
            "Markdown autolink",
            |s| page_with(s, "<javascript:alert(1)>"),
            "--> content/trap.md:4:",
        ),
        (
            "Markdown image",
            |s| page_with(s, "![x](javascript:alert(1))"),
            "--> content/trap.md:4:",
        ),
        (
            "front matter",
            |s| {
                s.write(
                    "content/trap.md",
                    "+++\ntitle = \"Trap\"\n[extra]\nlink = \"javascript:alert(1)\"\n+++\n",
                );
            },
            "--> content/trap.md:",
        ),
        (
            "site.toml",
            |s| {
                s.edit(
                    "site.toml",
                    "url = \"/pricing/\"",
                    "url = \"javascript:alert(1)\"",
                );
            },
            "--> site.toml:",
        ),
        (
            "theme template",
            |s| {
                s.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<a href=\"javascript:void(0)\">x</a>{% endblock main %}");
            },
            "look in the template `page.html`",
        ),
        (
            "shortcode template",
            |s| {
                s.write(
                    "templates/shortcodes/bad.html",
                    "<a href=\" javascript:x()\">x</a>",
                );
                page_with(s, "{{ bad() }}");
            },
            "look in the template `page.html`",
        ),
    ];
    for (what, change, place) in cases {
        let site = TestSite::fixture("basic");
        change(&site);
        let before = snapshot(site.path());
        let run = site.run(&["build"]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("may not run script"),
            "{what}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(place), "{what}: {}", run.stderr);
        assert!(!site.exists("public"), "{what}: nothing written");
        assert_intact(site.path(), &before, what);
    }
}

#[test]
fn urls_that_only_look_like_script_are_kept() {
    let site = TestSite::fixture("basic");
    page_with(
        &site,
        "{{ button(url=\"https://example.com/?next=javascript:x\", text=\"Go\") }}\n\n{{ button(url=\"&#106;avascript:x\", text=\"Text\") }}\n\njavascript:alert(1) in prose.",
    );
    site.build();
    let html = site.read("public/trap/index.html");
    assert!(html.contains("href=\"https://example.com/?next=javascript:x\""));
    assert!(
        html.contains("&amp;#106;avascript:x"),
        "escaped, so inert text"
    );
}

/// Values a hostile form submission carries, as JSON string escapes.
const HOSTILE: [(&str, &str); 5] = [
    ("utm_source", "\\u001b]0;pwned\\u0007"),
    ("utm_medium", "\\u001b[2K\\u001b[1Aspam"),
    ("page", "/offer/\\nlaunch: 1000 leads"),
    ("variant", "\\u202eevil\\u009b31m"),
    ("utm_campaign", "launch_2026"),
];

#[test]
fn lead_values_reach_the_terminal_escaped() {
    let site = TestSite::fixture("custom-theme");
    let fields: Vec<String> = HOSTILE
        .iter()
        .map(|(k, v)| format!("\"{k}\":\"{v}\""))
        .collect();
    site.write(
        "export.jsonl",
        &format!(
            "{{\"email\":\"a@x.example\",{}}}\n{{\"utm_campaign\":\"\\u001b[31mred\"}}\n",
            fields.join(",")
        ),
    );
    let export = site.path().join("export.jsonl");
    let run = site.run(&["leads", "report", export.to_str().unwrap()]);
    run.success();
    for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(
            !run.stdout.contains(raw),
            "{raw:?} reached the terminal:\n{}",
            run.stdout
        );
    }
    for shown in [
        "\\x1b]0;pwned\\x07",
        "\\x1b[2K\\x1b[1Aspam",
        "/offer/\\nlaunch: 1000 leads",
        "\\u{202e}evil\\u{9b}31m",
        "unattributed: 1 (\\x1b[31mred 1)",
    ] {
        assert!(
            run.stdout.contains(shown),
            "{shown} not shown:\n{}",
            run.stdout
        );
    }
    // As data (JSON), the values are kept exactly.
    let run = site.run(&[
        "leads",
        "report",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let by_source = &report["campaigns"][0]["by_source"];
    assert_eq!(by_source["\u{1b}]0;pwned\u{7}"], 1, "{report}");
}

#[test]
fn preview_leads_reach_the_terminal_escaped() {
    let site = TestSite::fixture("custom-theme");
    let preview = Preview::start(&site);
    let body = "form_id=contact&email=a%40x.example%1B%5B2J&page=%2Foffer%2F%0Alead%3A+forged&utm_source=%1B%5D0%3Bpwned%07&campaign_id=%E2%80%AEevil&bot-field=";
    assert_eq!(preview.request("POST", "/__utmost/lead", body).status, 303);
    let printed = preview.printed_until("fields:");
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !printed.contains(raw),
            "{raw:?} reached the terminal:\n{printed}"
        );
    }
    assert!(printed.contains("on /offer/\\nlead: forged"), "{printed}");
    assert!(printed.contains("source \\x1b]0;pwned\\x07"), "{printed}");
    assert!(printed.contains("campaign \\u{202e}evil"), "{printed}");
    assert!(printed.contains("email=a@x.example\\x1b[2J"), "{printed}");
    let lead = site.read(".utmost/preview-leads.jsonl");
    let lead: serde_json::Value = serde_json::from_str(lead.trim()).unwrap();
    assert_eq!(lead["utm_source"], "\u{1b}]0;pwned\u{7}", "kept as data");
}
