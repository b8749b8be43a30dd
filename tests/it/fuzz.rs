//! Property-based fuzzing of every parser a user's input reaches: front
//! matter, Markdown with shortcodes and links, site.toml, leads exports and
//! error rendering. Inputs mix random text with the syntax each parser
//! knows, so most cases reach deep code. In CI each target runs a bounded
//! number of cases;
//! `PROPTEST_CASES=1000000 cargo test --release --test it fuzz::` runs a
//! long campaign. Crashing inputs found so far are kept in `regressions`
//! below.

use proptest::prelude::*;
use utmost::fuzzing;

const FRAGMENTS: &[&str] = &[
    "+++",
    "+++\n",
    "\n",
    "\r\n",
    " ",
    "=",
    "\"",
    "'",
    "title = ",
    "campaign = ",
    "stage = ",
    "slug = ",
    "path = ",
    "[extra]\n",
    "[[variants]]\n",
    "id = \"b\"\n",
    "date = 2026-03-01\n",
    "tags = [\"a\", 1]\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% end %}",
    "cta(",
    "quote(",
    "fail(",
    "form=\"x\"",
    "n=1",
    "b=true",
    ")",
    ",",
    "@/",
    "@/known.md",
    "[x](",
    "](",
    "](@/missing.md)",
    "![i](",
    "#",
    "## ",
    "|",
    "|-|",
    "- [ ] ",
    "> ",
    "```",
    // Highlighted languages: their grammars' patterns run on random code.
    "```rust\n",
    "```bash\n",
    "```json\n",
    "```python\n",
    "~~~",
    "<!-- more -->",
    "[^1]",
    "[^1]: n",
    "é",
    "🙂",
    "\u{0}",
    "\u{feff}",
    "\u{e000}",
    "\\",
    "*",
    "_",
    "`",
    "<div>",
    "</div>",
    "&",
    "..",
    "/",
    "%2e",
];

/// Up to `most` of `fragments` (fewer than `most`), picked at random and
/// joined.
fn joined(fragments: &'static [&'static str], most: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(fragments), 0..most).prop_map(|v| v.concat())
}

fn syntaxy() -> impl Strategy<Value = String> {
    prop_oneof![
        joined(FRAGMENTS, 60),
        ".{0,200}",
        (joined(FRAGMENTS, 30), ".{0,40}").prop_map(|(v, s)| v + &s),
    ]
}

const CONFIG_FRAGMENTS: &[&str] = &[
    "title = \"T\"\n",
    "base_url = \"https://x.example\"\n",
    "base_url = \"/\"\n",
    "default_campaign = \"a\"\n",
    "[campaigns.a]\n",
    "[campaigns.B_c]\n",
    "name = \"N\"\n",
    "utm_campaign = \"A b\"\n",
    "start = 2026-01-01\n",
    "end = 2025-01-01\n",
    "channels = [ { source = \"s\", medium = \"m\" } ]\n",
    "[forms.f]\n",
    "action = \"/x\"\n",
    "action = \"javascript:x\"\n",
    "fields = [ { name = \"email\", type = \"email\" } ]\n",
    "fields = [ { name = \"gclid\" }, { name = \"s\", type = \"select\" } ]\n",
    "[reps.r]\n",
    "[attribution]\n",
    "window_days = 0\n",
    "[collateral]\npaper = \"a4\"\n",
    "output_dir = \"../x\"\n",
    "[extra]\nmenu = []\n",
    "=",
    "\"",
    "[",
];

fn config_text() -> impl Strategy<Value = String> {
    prop_oneof![joined(CONFIG_FRAGMENTS, 25), ".{0,200}"]
}

const LEADS_FRAGMENTS: &[&str] = &[
    "email,utm_campaign,page\n",
    "a,b,c\n",
    "\"x, y\",\"a\nb\",c\n",
    "\"unclosed\n",
    "a,b\n",
    "\u{feff}",
    "\r\n",
    "{\"utm_campaign\":\"x\"}\n",
    "{\"a\":1,\"b\":null,\"c\":[1]}\n",
    "[1]\n",
    "not json\n",
    "{",
    "\"",
    ",",
    "\n",
    "\u{0}",
];

fn leads_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        joined(LEADS_FRAGMENTS, 30).prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

const HTML_FRAGMENTS: &[&str] = &[
    "<",
    ">",
    "</",
    "/",
    " ",
    "\t",
    "=",
    "\"",
    "'",
    "é",
    "€",
    "&#106;",
    "&colon;",
    "<a href=",
    "<A HREF=",
    "javascript:x()",
    "java\tscript:",
    "https://x.example/",
    "//y.example/",
    "data:",
    "<img src=",
    " srcset=",
    "<source src=",
    "<form action=",
    "<button formaction=",
    "<link rel=stylesheet href=",
    "<script",
    "</script>",
    " type=module",
    " src=",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<p>",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!doctype html>",
    " style=\"c\"",
];

/// Pages made of the tags, attributes and comments the page scans read.
fn html_text() -> impl Strategy<Value = String> {
    prop_oneof![
        joined(HTML_FRAGMENTS, 50),
        // Random characters in between: in names, values and text.
        prop::collection::vec((prop::sample::select(HTML_FRAGMENTS), ".{0,3}"), 0..30)
            .prop_map(|v| v.into_iter().map(|(f, s)| format!("{f}{s}")).collect()),
        ".{0,120}",
    ]
}

/// 2,000 cases per target by default; `PROPTEST_CASES` for long runs.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics(text in syntaxy()) {
        if let Err(diagnostics) = fuzzing::front_matter(&text) {
            prop_assert!(!diagnostics.is_empty());
            for d in diagnostics {
                prop_assert!(d.line <= text.lines().count() + 1, "line {} out of range", d.line);
            }
        }
    }

    #[test]
    fn markdown_never_panics_and_keeps_spans_in_bounds(text in syntaxy()) {
        let (html, spans, prefix) = fuzzing::markdown(&text);
        for span in spans {
            prop_assert!(span.start <= span.end && span.end <= text.len(), "span {span:?} outside {} bytes", text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        let leaked = html.match_indices(&prefix).any(|(i, _)| {
            let rest = &html[i + prefix.len()..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with('Q')
        });
        prop_assert!(!leaked, "a shortcode placeholder leaked: {html}");
    }

    #[test]
    fn site_toml_never_panics(text in config_text()) {
        fuzzing::site_toml(&text);
    }

    #[test]
    fn leads_exports_never_panic(bytes in leads_bytes()) {
        fuzzing::leads(&bytes);
    }

    #[test]
    fn the_page_scan_never_panics_and_reads_what_both_scans_read(html in html_text()) {
        prop_assert!(fuzzing::one_pass_agrees(&html), "{html:?}");
    }

    #[test]
    fn diagnostics_render_at_any_position(text in ".{0,80}", a in 0usize..120, b in 0usize..120) {
        fuzzing::diagnostic_at(&text, a.min(b), a.max(b));
    }
}

/// Inputs that once crashed or misbehaved, kept as regression tests.
#[test]
fn regressions() {
    for text in [
        "+++",
        "+++\n",
        "\u{feff}+++\n+++\n",
        "{{ a(",
        "{% a() %}",
        "{{ a(b=\"\u{e000}\") }}",
    ] {
        let _ = fuzzing::front_matter(text);
        let _ = fuzzing::markdown(text);
    }
}
