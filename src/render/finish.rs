//! The guarantees utmost adds to every rendered page whatever its theme
//! does: the campaign `<meta>` tag, the scripts of `model/page_scripts.rs`
//! once per page (the analytics tool's in `<head>`, the attribution script
//! and the lead event before `</body>`), and unique form element ids; and
//! whether a page asks not to be indexed.
//! String-level on purpose: pages are our own template output, and a full
//! HTML parser would cost more than the whole render.

use crate::diagnostic::Diagnostic;
use crate::model::analytics::Analytics;
use crate::model::csp::Sources;
use crate::model::page_scripts::PageScripts;
use crate::util::html::{escape, find_ci, insert_before_body_end};
use crate::util::url_safety::{ScriptUrl, decode_references};

/// Applies every page guarantee to rendered HTML.
pub(crate) fn finish_page(html: String, campaign: Option<&str>, scripts: &PageScripts) -> String {
    // NUL is never valid in HTML text; front matter can carry one ("\u0000").
    let html = if html.contains('\0') {
        html.replace('\0', "\u{FFFD}")
    } else {
        html
    };
    // One look for forms serves both: numbering ids, adding the script.
    let forms = memchr::memmem::find_iter(html.as_bytes(), "data-utmost-form=")
        .take(2)
        .count();
    let html = match forms {
        2 => unique_form_ids(html),
        _ => html,
    };
    let mut html = ensure_campaign_meta(html, campaign.unwrap_or(""));
    if !scripts.head.is_empty() {
        insert_in_head(&mut html, &scripts.head);
    }
    // On every page, so that any page a tagged link leads to keeps the touch.
    insert_before_body_end(html, &scripts.body)
}

/// With `sources`, what the page runs and loads (read from it before:
/// the `<meta>` itself loads and runs nothing), the page's own
/// Content-Security-Policy (that, and nothing else) as a `<meta
/// http-equiv>` at the top of its `<head>`, before anything the policy
/// governs; for hosts that read no header file. The policy comes first,
/// so it covers every element.
pub(crate) fn with_csp_meta(
    mut html: String,
    sources: Option<&Sources>,
    analytics: Option<&Analytics>,
) -> String {
    let Some(sources) = sources else {
        return html;
    };
    let mut sources = sources.clone();
    sources.add_analytics(analytics);
    let policy = crate::model::csp::policy(&sources, false);
    let tag = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        escape(&policy)
    );
    // After `<meta charset>`, which must come first, else after `<head>`.
    let at = find_ci(&html, "<meta charset")
        .or_else(|| find_ci(&html, "<head"))
        .and_then(|i| html[i..].find('>').map(|e| i + e + 1))
        .unwrap_or(0);
    html.insert_str(at, &tag);
    html
}

/// Whether the page carries `<meta name="robots" content="…noindex…">`.
pub(crate) fn is_noindex(html: &str) -> bool {
    let Some(head_end) = find_ci(html, "</head>") else {
        return false;
    };
    let head = &html[..head_end];
    let mut rest = head;
    while let Some(i) = find_ci(rest, "name=\"robots\"") {
        let tag_start = rest[..i].rfind('<').unwrap_or(0);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        if find_ci(&rest[tag_start..tag_end], "noindex").is_some() {
            return true;
        }
        rest = &rest[tag_end..];
    }
    false
}

/// Adds `<meta name="campaign">` to `<head>` unless the page has one.
fn ensure_campaign_meta(mut html: String, campaign: &str) -> String {
    if find_ci(&html, "<meta name=\"campaign\"").is_some() {
        return html;
    }
    let tag = format!("<meta name=\"campaign\" content=\"{}\">", escape(campaign));
    insert_in_head(&mut html, &tag);
    html
}

/// Inserts `snippet` at the end of `<head>` (after its start tag when it
/// has no end tag; at the start of a page without a head).
fn insert_in_head(html: &mut String, snippet: &str) {
    if let Some(i) = find_ci(html, "</head>") {
        html.insert_str(i, snippet);
    } else if let Some(i) = find_ci(html, "<head") {
        let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
        html.insert_str(end, snippet);
    } else {
        html.insert_str(0, snippet);
    }
}

/// Numbers the element ids of a form that a page holds more than once:
/// the first keeps its ids, the next get `-2`, `-3`… (its `id` and every
/// `id` and `for` inside it). A form's HTML is utmost's own (`model/forms.rs`):
/// from its `id="utmost-form-` to its `</form>`, every attribute value is
/// escaped, so any `id="` or `for="` there is one of its own.
fn unique_form_ids(html: String) -> String {
    const START: &str = "id=\"utmost-form-";
    let mut out = String::with_capacity(html.len() + 256);
    let mut seen: Vec<(&str, usize)> = Vec::new();
    let mut rest = html.as_str();
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), START.as_bytes()) {
        out.push_str(&rest[..i]);
        let form = &rest[i..];
        let end = form
            .find("</form>")
            .map_or(form.len(), |e| e + "</form>".len());
        let id = form[START.len()..].split('"').next().unwrap_or("");
        let count = match seen.iter_mut().find(|(s, _)| *s == id) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((id, 1));
                1
            }
        };
        match count {
            1 => out.push_str(&form[..end]),
            n => number_ids(&mut out, &form[..end], n),
        }
        rest = &form[end..];
    }
    out.push_str(rest);
    out
}

/// Copies `form`, ending every `id="…"` and `for="…"` value with `-n`.
fn number_ids(out: &mut String, form: &str, n: usize) {
    let mut rest = form;
    loop {
        let next = ["id=\"", "for=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| i + a.len()))
            .min();
        let Some(value) = next else {
            break;
        };
        let close = rest[value..].find('"').map_or(rest.len(), |c| value + c);
        out.push_str(&rest[..close]);
        out.push_str(&format!("-{n}"));
        rest = &rest[close..];
    }
    out.push_str(rest);
}

/// The error for a page whose HTML carries a script URL. It points at the
/// page's source where the URL is written there (a shortcode's argument),
/// else names the template that wrote it.
pub(crate) fn script_url_error(
    found: &ScriptUrl,
    source: &std::path::Path,
    text: &str,
    template: &str,
) -> Diagnostic {
    let shown: String = found
        .value
        .chars()
        .take(60)
        .flat_map(char::escape_debug)
        .collect();
    let message = format!(
        "`{}=\"{shown}\"` would run script when followed; links may not run script (`javascript:` and the like)",
        found.attribute
    );
    let written = text.find(found.value.as_str()).or_else(|| {
        let decoded = decode_references(&found.value);
        text.find(decoded.as_ref())
    });
    let help = "link to a page or an https:// URL";
    match written.filter(|_| !found.value.is_empty()) {
        Some(at) => {
            Diagnostic::at(source, text, at..at + found.value.len(), message).with_help(help)
        }
        None => Diagnostic::file(
            source,
            format!(
                "{message}; it is not written in this page's source: look in the template `{template}`, the shortcodes it shows and the values they print"
            ),
        )
        .with_help(help),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::forms::{Form, Placement, Provider};

    #[test]
    fn detects_noindex() {
        assert!(is_noindex(
            "<head><meta name=\"robots\" content=\"noindex, follow\"></head>"
        ));
        assert!(is_noindex(
            "<head><meta content=\"NOINDEX\" name=\"robots\"></head>"
        ));
        assert!(!is_noindex(
            "<head><meta name=\"robots\" content=\"index\"></head><p>noindex</p>"
        ));
        assert!(!is_noindex("<p>no head</p>"));
        assert!(is_noindex(
            "<HEAD><META NAME=\"Robots\" CONTENT=\"NoIndex\"></HEAD>"
        ));
    }

    #[test]
    fn tags_are_found_in_any_case() {
        let page = "<HTML><Head><title>É</title></HEAD><BODY><form data-utmost-form=\"x\"></form></Body></HTML>";
        let out = finish_page(
            page.to_string(),
            Some("c"),
            &PageScripts::body_only("<script>s</script>"),
        );
        assert_eq!(
            out,
            "<HTML><Head><title>É</title><meta name=\"campaign\" content=\"c\"></HEAD><BODY><form data-utmost-form=\"x\"></form><script>s</script></Body></HTML>"
        );
    }

    #[test]
    fn injects_meta_only_when_missing() {
        let page = "<html><head><title>x</title></head><body></body></html>".to_string();
        let out = finish_page(
            page,
            Some("spring"),
            &PageScripts::body_only("<script></script>"),
        );
        assert!(out.contains("<meta name=\"campaign\" content=\"spring\"></head>"));
        assert!(
            out.contains("<body><script></script></body>"),
            "a page without a form keeps the touch too"
        );
        let themed = "<head><meta name=\"campaign\" content=\"x\"></head>".to_string();
        assert_eq!(
            finish_page(themed.clone(), Some("y"), &PageScripts::body_only("")),
            themed
        );
        let bare = finish_page("<p>hi</p>".into(), None, &PageScripts::body_only(""));
        assert_eq!(bare, "<meta name=\"campaign\" content=\"\"><p>hi</p>");
    }

    #[test]
    fn private_use_characters_in_text_survive() {
        let page = "<head></head><body><p>\u{e000} \u{e000}</p></body>".to_string();
        let out = finish_page(page, None, &PageScripts::body_only(""));
        assert!(out.contains("<p>\u{e000} \u{e000}</p>"), "{out}");
    }

    #[test]
    fn same_form_twice_gets_unique_ids_and_one_script() {
        let form = Form {
            id: "demo".into(),
            action: Some("/x".into()),
            provider: Provider::Generic,
            submit: "Go".into(),
            redirect: None,
            fields: vec![],
            hidden: Default::default(),
            rename: Default::default(),
        };
        let at = Placement {
            page: "/",
            campaign: None,
            variant: "a",
            base_url: "https://a.example",
            action: None,
        };
        let one = form.render(&at, None);
        let page = format!("<head></head><body>{one}{one}</body>");
        let out = finish_page(page, None, &PageScripts::body_only("<script>S</script>"));
        assert_eq!(out.matches("id=\"demo-_hp-3\"").count(), 0);
        assert_eq!(out.matches("id=\"utmost-form-demo\"").count(), 1);
        assert_eq!(out.matches("id=\"utmost-form-demo-2\"").count(), 1);
        assert_eq!(out.matches("id=\"demo-_hp\"").count(), 1);
        assert_eq!(out.matches("id=\"demo-_hp-2\"").count(), 1);
        assert_eq!(out.matches("<script>S</script>").count(), 1);
        assert!(out.ends_with("<script>S</script></body>"));
    }
}
