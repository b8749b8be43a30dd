//! Errors a user can meet, with the place they come from.
//!
//! A [`Diagnostic`] names a file (relative to the site root), a 1-based line
//! and column, the offending source line, a message, an optional hint and
//! the [`Kind`] of problem it is. Stages collect them in a `Vec` instead of
//! stopping at the first; the CLI sorts and prints them all, then counts
//! them by kind ([`summary`]). This module owns the layout of that report
//! (carets under the offending text, aligned by display width); the
//! wording of "unknown name" errors lives in `suggest.rs`, the kinds in `kind.rs`. No I/O here.

mod kind;
pub(crate) mod suggest;

pub use kind::Kind;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar;

pub(crate) use crate::diagnostic::suggest::{Name, Unknown, nearest};

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub column: usize,
    /// The source line the problem is on, without its newline.
    pub source_line: Option<String>,
    /// How many characters to underline from `column`.
    pub width: u32,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it, when utmost can tell.
    pub help: Option<String>,
    /// What the problem is about, for the count at the end of a report.
    pub kind: Kind,
}

impl Diagnostic {
    /// A problem with a whole file (it cannot be read, it is missing...).
    pub(crate) fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        let path = path.into();
        Diagnostic {
            kind: Kind::of_path(&path),
            path,
            line: 0,
            column: 0,
            source_line: None,
            width: 0,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a byte range of `source`, the text of `path`.
    pub(crate) fn at(
        path: impl Into<PathBuf>,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column, text) = locate(source, span.start);
        let start = span.start.min(source.len());
        let end = span.end.min(source.len()).max(start);
        let width = source
            .get(start..end)
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .clamp(1, u32::MAX as usize) as u32;
        let path = path.into();
        Diagnostic {
            kind: Kind::of_path(&path),
            path,
            line,
            column,
            source_line: Some(text.to_string()),
            width,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a known 1-based line and column of `source`.
    pub(crate) fn at_line(
        path: impl Into<PathBuf>,
        source: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let path = path.into();
        Diagnostic {
            kind: Kind::of_path(&path),
            path,
            line,
            column,
            source_line: Some(text.trim_end_matches('\r').to_string()),
            width: 1,
            message: message.into(),
            help: None,
        }
    }

    /// The same diagnostic, with `help` said under it.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same diagnostic, counted as a problem of `kind`.
    pub(crate) fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// An "unknown campaign `x`" error (of any [`Name`]) at `span` of
    /// `source`, with the nearest of `known` suggested.
    pub(crate) fn unknown<'a>(
        path: impl Into<PathBuf>,
        source: &str,
        span: Range<usize>,
        what: Name,
        wrong: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let unknown = Unknown::new(what, wrong, known);
        Diagnostic::at(path, source, span, unknown.message).with_help(unknown.help)
    }

    /// Adds "did you mean `x`?" when a known name is close to `wrong`, for
    /// a message worded by its caller (prefer [`Diagnostic::unknown`], which
    /// words the whole error the way every unknown name is worded).
    pub(crate) fn suggest<'a>(self, wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Self {
        match nearest(wrong, known) {
            Some(name) => self.with_help(suggest::did_you_mean(&format!("`{name}`"))),
            None => self,
        }
    }

    /// Writes the report, coloured when `color` is set.
    pub fn render(&self, color: bool) -> String {
        self.render_as("error", "\x1b[1;31m", color)
    }

    /// Writes the report as a warning: a problem that does not stop a
    /// build.
    pub fn render_warning(&self, color: bool) -> String {
        self.render_as("warning", "\x1b[1;33m", color)
    }

    fn render_as(&self, label: &str, mark: &str, color: bool) -> String {
        let (red, blue, bold, reset) = if color {
            (mark, "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}{label}{reset}{bold}: {}{reset}\n", self.message);
        let place = match (self.line, self.column) {
            (0, _) => self.path.display().to_string(),
            (l, 0) => format!("{}:{l}", self.path.display()),
            (l, c) => format!("{}:{l}:{c}", self.path.display()),
        };
        let gutter = " ".repeat(self.line.to_string().len());
        out.push_str(&format!("{gutter}{blue}-->{reset} {place}\n"));
        if let (Some(text), true) = (&self.source_line, self.line > 0) {
            let (shown, pad, marks) = underline(text, self.column, self.width as usize);
            out.push_str(&format!("{gutter} {blue}|{reset}\n"));
            out.push_str(&format!(
                "{blue}{}{reset} {blue}|{reset} {shown}\n",
                self.line
            ));
            out.push_str(&format!(
                "{gutter} {blue}|{reset} {}{red}{}{reset}\n",
                " ".repeat(pad),
                "^".repeat(marks)
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!(
                "{gutter} {blue}={reset} {bold}help{reset}: {help}\n"
            ));
        }
        out
    }

    fn sort_key(&self) -> (&Path, usize, usize, &str) {
        (&self.path, self.line, self.column, &self.message)
    }
}

/// How many columns a tab takes in a report (tabs are shown as spaces, so
/// that carets line up whatever the terminal's tab stops).
const TAB: usize = 4;

/// The source line as shown (tabs expanded), how many columns precede
/// 1-based character `column`, and how many columns the `width` characters
/// from there take. Widths are display widths: a CJK character or an emoji
/// takes two columns, a combining mark none.
fn underline(text: &str, column: usize, width: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(text.len());
    let (mut pad, mut marks, mut at) = (0, 0, 0);
    for (i, c) in text.chars().enumerate() {
        let w = if c == '\t' {
            shown.extend(std::iter::repeat_n(' ', TAB - at % TAB));
            TAB - at % TAB
        } else {
            shown.push(c);
            c.width().unwrap_or(0)
        };
        if i + 1 < column.max(1) {
            pad += w;
        } else if i + 1 < column.max(1) + width.max(1) {
            marks += w;
        }
        at += w;
    }
    (shown, pad, marks.max(1))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Sorts diagnostics by file and position and drops exact repeats.
pub(crate) fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// How many problems of each kind: `3 front-matter errors, 1 broken link`.
pub(crate) fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.kind).or_insert(0usize) += 1;
    }
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(kind, n)| {
            let (one, many) = kind.nouns();
            format!("{n} {}", if n == 1 { one } else { many })
        })
        .collect();
    match parts.is_empty() {
        true => "no errors".to_string(),
        false => parts.join(", "),
    }
}

/// The 1-based line and column of byte `offset` in `source`, and that line.
pub(crate) fn locate(source: &str, offset: usize) -> (usize, usize, &str) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[..line_start].matches('\n').count() + 1;
    let column = source[line_start..offset].chars().count() + 1;
    let text = source[line_start..line_end].trim_end_matches('\r');
    (line, column, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column() {
        let src = "a = 1\nb = \"é x\"\n";
        assert_eq!(locate(src, 0), (1, 1, "a = 1"));
        let x = src.find('x').unwrap();
        assert_eq!(locate(src, x), (2, 8, "b = \"é x\""));
        assert_eq!(locate(src, src.len()), (3, 1, ""));
    }

    #[test]
    fn carets_line_up_by_display_width() {
        let src = "日本語 🎉 x\n\tA\tb = 1\ne\u{301} y\n";
        let at = |needle: &str| {
            let i = src.find(needle).unwrap();
            Diagnostic::at("f.md", src, i..i + needle.len(), "here").render(false)
        };
        insta::assert_snapshot!(format!("{}{}{}", at("x"), at("b = 1"), at("y")), @r"
        error: here
         --> f.md:1:7
          |
        1 | 日本語 🎉 x
          |           ^
        error: here
         --> f.md:2:4
          |
        2 |     A   b = 1
          |         ^^^^^
        error: here
         --> f.md:3:4
          |
        3 | é y
          |   ^
        ");
    }

    #[test]
    fn counts_by_kind_in_pipeline_order() {
        let d = |kind| Diagnostic::file("x", "m").kind(kind);
        let all = [
            d(Kind::Template),
            d(Kind::Link),
            d(Kind::FrontMatter),
            d(Kind::Link),
        ];
        assert_eq!(
            summary(&all),
            "1 front-matter error, 2 broken links, 1 template error"
        );
    }

    #[test]
    fn renders_source_line_with_marker() {
        let src = "title = \"x\"\ncampaign = \"sprng\"\n";
        let start = src.find("\"sprng\"").unwrap();
        let d = Diagnostic::at(
            "content/a.md",
            src,
            start..start + 7,
            "unknown campaign `sprng`",
        )
        .with_help("did you mean `spring`?");
        let text = d.render(false);
        assert!(text.contains("--> content/a.md:2:12"), "{text}");
        assert!(text.contains("2 | campaign = \"sprng\""), "{text}");
        assert!(text.contains("|            ^^^^^^^"), "{text}");
        assert!(text.contains("= help: did you mean `spring`?"), "{text}");
    }
}
