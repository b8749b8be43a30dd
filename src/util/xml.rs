//! Text made safe for XML 1.0 (feeds, the sitemap): escaped as HTML text
//! is, and without the characters no XML document may hold (most control
//! characters, unpaired surrogates cannot occur in a `str`, U+FFFE and
//! U+FFFF), each replaced by U+FFFD, so that any page's text gives a
//! well-formed feed.

use super::html::escape_into;

/// `text` escaped for XML content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_xml_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub(crate) fn escape_xml_into(out: &mut String, text: &str) {
    if text.chars().all(is_xml_char) {
        escape_into(out, text);
    } else {
        let clean: String = text
            .chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect();
        escape_into(out, &clean);
    }
}

/// XML 1.0's `Char`: tab, newline, carriage return, and from U+0020 on,
/// but U+FFFE and U+FFFF.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(
            escape("bell\u{7}\u{FFFF}\ttab"),
            "bell\u{FFFD}\u{FFFD}\ttab"
        );
    }
}
