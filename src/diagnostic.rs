//! Errors a user can meet, with the place they come from.
//!
//! A [`Diagnostic`] names a file (relative to the site root), a 1-based line
//! and column, the offending source line, a message and an optional hint.
//! Stages collect them in a `Vec` instead of stopping at the first; the CLI
//! sorts and prints them all. This module owns the wording and layout of that
//! report and the "did you mean" suggestions; it does no I/O.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

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
    pub width: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (it cannot be read, it is missing...).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            source_line: None,
            width: 0,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a byte range of `source`, the text of `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column, text) = locate(source, span.start);
        let end = span.end.min(source.len()).max(span.start);
        let width = source
            .get(span.start..end)
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .max(1);
        Diagnostic {
            path: path.into(),
            line,
            column,
            source_line: Some(text.to_string()),
            width,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a known 1-based line and column of `source`.
    pub fn at_line(
        path: impl Into<PathBuf>,
        source: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
        Diagnostic {
            path: path.into(),
            line,
            column,
            source_line: Some(text.to_string()),
            width: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when a known name is close to `wrong`.
    pub fn suggest<'a>(self, wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Self {
        match nearest(wrong, known) {
            Some(name) => self.with_help(format!("did you mean `{name}`?")),
            None => self,
        }
    }

    /// The same diagnostic, its line moved down by `lines` (for text embedded
    /// in a larger file, such as front matter after its `+++` line).
    pub fn shifted(mut self, lines: usize) -> Self {
        if self.line > 0 {
            self.line += lines;
        }
        self
    }

    /// Writes the report, coloured when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let (red, blue, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}error{reset}{bold}: {}{reset}\n", self.message);
        let place = match (self.line, self.column) {
            (0, _) => self.path.display().to_string(),
            (l, 0) => format!("{}:{l}", self.path.display()),
            (l, c) => format!("{}:{l}:{c}", self.path.display()),
        };
        let gutter = " ".repeat(self.line.to_string().len());
        out.push_str(&format!("{gutter}{blue}-->{reset} {place}\n"));
        if let (Some(text), true) = (&self.source_line, self.line > 0) {
            let pad: String = text
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let marks = "^".repeat(self.width.max(1));
            out.push_str(&format!("{gutter} {blue}|{reset}\n"));
            out.push_str(&format!(
                "{blue}{}{reset} {blue}|{reset} {text}\n",
                self.line
            ));
            out.push_str(&format!(
                "{gutter} {blue}|{reset} {pad}{red}{marks}{reset}\n"
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Sorts diagnostics by file and position and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The 1-based line and column of byte `offset` in `source`, and that line.
pub fn locate(source: &str, offset: usize) -> (usize, usize, &str) {
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

/// The known name closest to `wrong`, if any is close enough to be a typo.
pub fn nearest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (edit_distance(wrong, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters, ignoring case.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
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
    fn suggests_close_names_only() {
        let known = ["title", "description", "campaign"];
        assert_eq!(nearest("titel", known), Some("title"));
        assert_eq!(nearest("campain", known), Some("campaign"));
        assert_eq!(nearest("zzz", known), None);
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
