//! HTML escaping, for every place utmost writes text into HTML: forms,
//! QR codes, Markdown's rewritten elements and the sitemap; and finding
//! tags in a finished page whatever their case, for the snippets utmost adds.

/// Escapes text for HTML content and double- or single-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`: runs of plain text are copied whole.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
}

/// Case-insensitive search; `needle` is lowercase. Themes almost always
/// write tags in lowercase, so the fast exact search is tried first.
/// Folding the haystack to lowercase keeps every byte where it was, and an
/// exact search of the folded copy is many times faster than comparing a
/// window at every position.
pub(crate) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    if let Some(i) = haystack.find(needle) {
        return Some(i);
    }
    haystack.to_ascii_lowercase().find(needle)
}

/// [`find_ci`]'s last match.
pub(crate) fn rfind_ci(haystack: &str, needle: &str) -> Option<usize> {
    if let Some(i) = haystack.rfind(needle) {
        return Some(i);
    }
    haystack.to_ascii_lowercase().rfind(needle)
}

/// Inserts `snippet` before the page's last `</body>` (in any case), or
/// at its end when it has none.
pub(crate) fn insert_before_body_end(mut html: String, snippet: &str) -> String {
    match rfind_ci(&html, "</body>") {
        Some(i) => html.insert_str(i, snippet),
        None => html.push_str(snippet),
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_go_before_the_last_body_end_in_any_case() {
        let page = "<BODY><p>x</p></BODY></HTML>".to_string();
        assert_eq!(
            insert_before_body_end(page, "<script></script>"),
            "<BODY><p>x</p><script></script></BODY></HTML>"
        );
        assert_eq!(insert_before_body_end("<p>x</p>".into(), "S"), "<p>x</p>S");
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
