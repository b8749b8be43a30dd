//! Text from outside (form submissions, export files) made safe to print on
//! a terminal: every control character and every invisible formatting
//! character is shown as an escape (`\x1b`, `\n`, `\u{202e}`) instead of
//! being obeyed, so a lead cannot set the window title, clear lines, forge
//! report lines or reverse what follows it. Printable text, accents and
//! emoji included, is left as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with control and invisible formatting characters escaped.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Controls (C0, DEL, C1), and the characters that reorder or hide text:
/// bidirectional marks, embeddings, overrides and isolates, zero-width
/// characters, line and paragraph separators, the byte-order mark.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(visible("Ana Müller 😀"), "Ana Müller 😀");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{1b}]0;pwned\u{7}\u{1b}[2K"),
            "\\x1b]0;pwned\\x07\\x1b[2K"
        );
        assert_eq!(visible("a\nb\r\tc\u{7f}"), "a\\nb\\r\\tc\\x7f");
        assert_eq!(visible("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(visible("evil\u{202e}fdp.exe"), "evil\\u{202e}fdp.exe");
        assert_eq!(
            visible("a\u{200b}b\u{2066}c\u{feff}"),
            "a\\u{200b}b\\u{2066}c\\u{feff}"
        );
    }
}
