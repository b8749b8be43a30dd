//! Entry points for the fuzz harness (tests/it/fuzz.rs): each runs one parser
//! on arbitrary input exactly as the pipeline would, and returns what it
//! made so the harness can check properties beyond "did not panic"; and
//! for the benchmarks (benches/stages.rs), the stages that have no public
//! door of their own. Not part of the supported API.

use crate::markdown::slots::Fill;
use std::path::Path;

/// Front matter splitting and parsing of one content file.
pub fn front_matter(text: &str) -> Result<(), Vec<crate::diagnostic::Diagnostic>> {
    crate::source::content::parse_document(
        Path::new("content/fuzz.md"),
        "fuzz.md".into(),
        text.to_string(),
        1,
    )
    .map(|_| ())
}

/// Markdown with shortcodes and `@/` links; shortcodes render their name
/// and links resolve for `known.md` only. Returns the HTML, the spans of
/// the problems found, and the prefix of the tokens shortcodes stood as
/// (which must not be left in the HTML).
pub fn markdown(text: &str) -> (String, Vec<std::ops::Range<usize>>, String) {
    let link = |link: crate::model::at_link::AtLink<'_>| match link.file() {
        "known.md" => Ok(link.with_fragment("/known/".to_string())),
        file => Err(Some(crate::diagnostic::Unknown::new(
            crate::diagnostic::Name::Page,
            file,
            ["known.md"],
        ))),
    };
    let shortcode =
        |call: &crate::markdown::shortcode::Call| -> Result<Fill, crate::markdown::Problem> {
            if call.name == "fail" {
                return Err(crate::markdown::Problem {
                    span: call.span.clone(),
                    message: "fails".into(),
                    help: None,
                    kind: crate::diagnostic::Kind::Shortcode,
                });
            }
            Ok(Fill::Html(format!(
                "<div data-shortcode=\"{}\"></div>",
                crate::util::html::escape(&call.name)
            )))
        };
    let resolver = crate::markdown::Resolver {
        link: &link,
        shortcode: &shortcode,
        image: None,
        headings: crate::markdown::HeadingOptions::plain(),
    };
    let (calls, _) = crate::markdown::shortcode::find(text);
    let rendered: Vec<String> = (calls.iter())
        .filter_map(|c| match shortcode(c) {
            Ok(Fill::Html(h) | Fill::Markdown(h)) => Some(h),
            Err(_) => None,
        })
        .collect();
    let rendered: Vec<&str> = rendered.iter().map(String::as_str).collect();
    let prefix = crate::markdown::slots::token_prefix(text, &rendered);
    let (body, problems) = crate::markdown::render(text, &resolver);
    (
        body.html,
        problems.into_iter().map(|p| p.span).collect(),
        prefix,
    )
}

/// site.toml parsing and validation.
pub fn site_toml(text: &str) -> bool {
    crate::source::config::parse(text).is_ok()
}

/// A leads export read as CSV and as JSON: rows and skipped counts.
pub fn leads(bytes: &[u8]) -> (usize, usize) {
    let columns = crate::attribution::leads::columns(&Default::default());
    let (mut rows, mut skipped) = (0, 0);
    for as_json in [false, true] {
        crate::util::exports::read_text(bytes, as_json, &columns, &mut |item| match item {
            Ok(_) => rows += 1,
            Err(_) => skipped += 1,
        });
    }
    (rows, skipped)
}

/// Renders a diagnostic for arbitrary positions (what every error path does).
pub fn diagnostic_at(text: &str, start: usize, end: usize) -> String {
    crate::diagnostic::Diagnostic::at("f", text, start..end, "m").render(false)
}

/// Loads and assembles the site at `root` without rendering it: the
/// number of outputs, or the errors.
pub fn assemble(root: &Path) -> Result<usize, Vec<crate::diagnostic::Diagnostic>> {
    let options = crate::pipeline::BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    crate::pipeline::assemble(&options).map(|site| site.outputs.len())
}

/// What every rendered page goes through after its template: the
/// script-URL check and its CSP sources, read in one pass, and the other
/// facts read from it (forms, noindex). Returns the number of forms
/// found, and whether a script URL was.
pub fn page_scans(html: &str) -> (usize, bool) {
    use crate::render::PageFacts;
    match crate::model::csp::Sources::scan_checked(html) {
        Ok(sources) => {
            let facts = PageFacts::sharing(html, sources, &Default::default());
            (facts.forms.len(), false)
        }
        Err(_) => (crate::render::facts::forms_in(html).len(), true),
    }
}

/// Whether the render's one pass over a page (its CSP sources and the
/// script-URL check, [`Sources::scan_checked`]) reads what the two scans
/// alone read.
///
/// [`Sources::scan_checked`]: crate::model::csp::Sources::scan_checked
pub fn one_pass_agrees(html: &str) -> bool {
    use crate::model::csp::Sources;
    let alone = crate::util::url_safety::find_script_url(html);
    match Sources::scan_checked(html) {
        Ok(sources) => alone.is_none() && sources == Sources::scan(html),
        Err(found) => alone == Some(found),
    }
}

/// `url` as the SVG QR code a one-pager prints.
pub fn qr_code(url: &str) -> Result<String, String> {
    crate::render::qr::svg(url)
}
