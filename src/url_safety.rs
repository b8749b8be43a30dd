//! Rules every URL a site puts out obeys, wherever it was written.
//!
//! - The base URL (`base_url`, `--base-url`) holds no whitespace and no
//!   control character: it is pasted into every permalink, the sitemap and
//!   robots.txt, where a newline would forge a line.

use std::ops::Range;

/// The first whitespace or control character of a URL: its byte offset,
/// and the character.
pub fn blank_or_control(url: &str) -> Option<(usize, char)> {
    url.char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control() || is_invisible(*c))
}

/// Characters that show nothing but change what a URL means or looks like.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// What the character is called in an error.
pub fn describe(c: char) -> String {
    let name = match c {
        ' ' => return "a space".into(),
        '\t' => "a tab",
        '\n' => "a line feed",
        '\r' => "a carriage return",
        '\u{1b}' => "an escape character",
        '\u{a0}' => "a no-break space",
        _ if c.is_whitespace() => "a blank",
        _ if c.is_control() => "a control character",
        _ => "an invisible character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

/// The message for a base URL with such a character at byte `at`.
pub fn base_url_message(key: &str, url: &str, at: usize, c: char) -> String {
    let position = url[..at].chars().count() + 1;
    format!(
        "{key} contains {} at character {position}; a URL may not contain whitespace or control characters",
        describe(c)
    )
}

/// Where, in the TOML source `literal` of a string value (quotes and
/// escapes included, starting at byte `start` of the file), the `n`-th
/// character of the value is written: the character itself when it is
/// written as is, else the first escape sequence; the whole literal when
/// neither is found.
pub fn span_in_literal(literal: &str, start: usize, value: &str, at: usize) -> Range<usize> {
    let c = value[at..].chars().next().unwrap_or(' ');
    let before = value[..at].matches(c).count();
    let whole = start..start + literal.len();
    if let Some((i, _)) = literal.match_indices(c).nth(before) {
        return start + i..start + i + c.len_utf8();
    }
    match literal.find('\\') {
        Some(i) => start + i..start + (i + 2).min(literal.len()),
        None => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blanks_and_controls() {
        assert_eq!(blank_or_control("https://a.example"), None);
        assert_eq!(blank_or_control("https://a.example\n"), Some((17, '\n')));
        assert_eq!(blank_or_control("https://a b.example"), Some((9, ' ')));
        assert_eq!(
            blank_or_control("https://é\u{202e}x"),
            Some((10, '\u{202e}'))
        );
        assert_eq!(
            base_url_message("`base_url`", "https://é\tx", 10, '\t'),
            "`base_url` contains a tab (U+0009) at character 10; a URL may not contain whitespace or control characters"
        );
    }

    #[test]
    fn points_at_the_character_in_the_source() {
        let literal = "\"https://a b\"";
        assert_eq!(span_in_literal(literal, 100, "https://a b", 9), 110..111);
        let escaped = "\"https://a\\nb\"";
        assert_eq!(span_in_literal(escaped, 0, "https://a\nb", 9), 10..12);
    }
}
