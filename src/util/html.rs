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

/// Case-insensitive search; `needle` is lowercase ASCII. Themes almost
/// always write tags in lowercase, so the fast exact search is tried
/// first. Else the needle's first byte that has no case (`<`, `=`, `"`)
/// is looked for with the fast search, and the needle compared around it;
/// a needle of letters only is compared at each place. No folded copy of
/// the page is made: this runs on every page, often to learn that a tag
/// is absent.
pub(crate) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    // memchr's SIMD search: `str::find` with a `&str` needle (Two-Way) was
    // 3 % of a build's time on these whole-page scans.
    if let Some(i) = memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()) {
        return Some(i);
    }
    let (hay, want) = (haystack.as_bytes(), needle.as_bytes());
    let last_start = hay.len().checked_sub(want.len())?;
    let matches = |i: usize| hay[i..i + want.len()].eq_ignore_ascii_case(want);
    let Some(pivot) = want.iter().position(|b| !b.is_ascii_alphabetic()) else {
        return (0..=last_start).find(|&i| matches(i));
    };
    let mut from = 0;
    while let Some(j) = haystack[from..].find(char::from(want[pivot])) {
        let at = from + j;
        match at.checked_sub(pivot) {
            Some(i) if i > last_start => return None,
            Some(i) if matches(i) => return Some(i),
            _ => {}
        }
        // The pivot is ASCII, so the next byte starts a character.
        from = at + 1;
    }
    None
}

/// [`find_ci`]'s last match.
pub(crate) fn rfind_ci(haystack: &str, needle: &str) -> Option<usize> {
    if let Some(i) = memchr::memmem::rfind(haystack.as_bytes(), needle.as_bytes()) {
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
    fn finds_needles_in_any_case() {
        assert_eq!(find_ci("<P><SCRIPT>", "<script"), Some(3));
        assert_eq!(find_ci("ab</Style>", "</style"), Some(2));
        assert_eq!(find_ci("é</HEAD>", "</head>"), Some(2));
        assert_eq!(find_ci("</hea", "</head>"), None);
        assert_eq!(find_ci("", "x"), None);
        assert_eq!(find_ci("<a NAME=\"Robots\">", "name=\"robots\""), Some(3));
        assert_eq!(find_ci("=x name=\"robots", "name=\"robots\""), None);
        assert_eq!(find_ci("aNoIndex", "noindex"), Some(1));
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
