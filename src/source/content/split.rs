//! Where a Markdown file's front matter is: Zola's rule, byte for byte, so
//! that every file Zola reads splits the same here.
//!
//! Zola (components/content/src/front_matter/split.rs) matches
//! `^[[:space:]]*\+\+\+(\r?\n(?s).*?(?-s))\+\+\+[[:space:]]*(?:$|(?:\r?\n((?s).*(?-s))$))`:
//! blank lines and spaces may come before the opening `+++`; the TOML runs
//! to the first later `+++` that only blanks follow on its line (or to the
//! end of the file); the body starts after the last line break of the
//! blanks that follow. utmost adds two things: a byte-order mark is skipped,
//! and the opening `+++` may have trailing blanks (Zola refuses that file).
//!
//! What looks like front matter is never published as body text: an opening
//! `+++` that is never closed, and YAML front matter (`---`, which Zola also
//! reads), are errors at the opening line.

use std::ops::Range;

/// Where a file's parts are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Split {
    /// No front matter: the whole file is the body.
    None,
    /// TOML front matter at `toml`, the body from `body_start`.
    Toml {
        toml: Range<usize>,
        body_start: usize,
    },
}

/// Front matter that cannot be split, at its opening line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SplitError {
    /// `+++` with no closing `+++`.
    Unclosed(Range<usize>),
    /// `---` … `---`: YAML front matter.
    Yaml(Range<usize>),
}

/// POSIX `[[:space:]]`, as Zola's regex means it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Splits `text` into front matter and body.
pub(crate) fn split(text: &str) -> Result<Split, SplitError> {
    let bytes = text.as_bytes();
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let open = bom + bytes[bom..].iter().take_while(|&&b| is_space(b)).count();
    let line_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
    let first_line = text[open..line_end].trim_end();
    let opening = open..open + first_line.len();
    if first_line == "---" {
        return match closing_dashes(text, line_end) {
            true => Err(SplitError::Yaml(opening)),
            false => Ok(Split::None),
        };
    }
    if first_line != "+++" {
        return Ok(Split::None);
    }
    if line_end == text.len() {
        return Err(SplitError::Unclosed(opening));
    }
    let toml_start = line_end + 1;
    let mut from = toml_start;
    while let Some(i) = text[from..].find("+++") {
        let close = from + i;
        if let Some(body_start) = body_after(bytes, close + 3) {
            return Ok(Split::Toml {
                toml: toml_start..close,
                body_start,
            });
        }
        from = close + 1;
    }
    Err(SplitError::Unclosed(opening))
}

/// Where the body starts when a closing `+++` ends just before `at`: only
/// blanks may follow it on its line. The body starts after the last line
/// break of the blanks that follow (at the end of the file if only blanks
/// do). `None` when something else follows on the line.
fn body_after(bytes: &[u8], at: usize) -> Option<usize> {
    let blanks = bytes[at..].iter().take_while(|&&b| is_space(b)).count();
    let end = at + blanks;
    if end == bytes.len() {
        return Some(end);
    }
    let last_break = bytes[at..end].iter().rposition(|&b| b == b'\n')?;
    Some(at + last_break + 1)
}

/// Whether a line holding only `---` follows `from`: the end of YAML front
/// matter (a lone `---` at the top is a thematic break).
fn closing_dashes(text: &str, from: usize) -> bool {
    text.get(from..)
        .is_some_and(|rest| rest.lines().skip(1).any(|l| l.trim_end() == "---"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        match split(text) {
            Ok(Split::Toml { toml, body_start }) => (&text[toml], &text[body_start..]),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn splits_as_zola_does() {
        assert_eq!(
            parts("+++\ntitle = \"a\"\n+++\nBody\n"),
            ("title = \"a\"\n", "Body\n")
        );
        // Blank lines and spaces before the opening, blanks after the closing.
        assert_eq!(
            parts("\n\n  +++\nx = 1\n+++   \n\n# Hi\n"),
            ("x = 1\n", "# Hi\n")
        );
        assert_eq!(
            parts("\n+++\nx = 1\n+++        \n        \n\nText"),
            ("x = 1\n", "Text")
        );
        // Indentation of the first body line is kept (an indented code block).
        assert_eq!(parts("+++\n+++\n\n    code\n"), ("", "    code\n"));
        assert_eq!(parts("+++\r\nx = 1\r\n+++\r\nBody"), ("x = 1\r\n", "Body"));
        // Only blanks after the closing: an empty body.
        assert_eq!(parts("+++\nx = 1\n+++"), ("x = 1\n", ""));
        assert_eq!(parts("+++\nx = 1\n+++ \n \n"), ("x = 1\n", ""));
        // The first `+++` that ends its line closes, wherever on the line.
        assert_eq!(
            parts("+++\nx = \"a+++b\"\ny = 2 +++\nBody"),
            ("x = \"a+++b\"\ny = 2 ", "Body")
        );
        assert_eq!(parts("\u{feff}+++\nx = 1\n+++\nB"), ("x = 1\n", "B"));
        // utmost also takes blanks after the opening `+++`.
        assert_eq!(parts("+++  \nx = 1\n+++\nB"), ("x = 1\n", "B"));
    }

    #[test]
    fn files_without_front_matter_are_all_body() {
        for text in [
            "",
            "# Title\n",
            "\n\nText +++\n",
            "+++ breaking news\n",
            "---\n\nA rule.\n",
        ] {
            assert_eq!(split(text), Ok(Split::None), "{text:?}");
        }
    }

    #[test]
    fn front_matter_that_cannot_be_split_is_an_error_at_its_opening() {
        let text = "\n  +++\ntitle = \"x\"\n\nbody +++ more\n";
        assert_eq!(split(text), Err(SplitError::Unclosed(3..6)));
        assert_eq!(split("+++"), Err(SplitError::Unclosed(0..3)));
        let yaml = "\n---\ntitle: x\n---\nBody\n";
        assert_eq!(split(yaml), Err(SplitError::Yaml(1..4)));
    }
}
