//! Files exported from other systems (form backends, CRMs, analytics
//! tools), read as they come: CSV with `,`, `;` or tab (with or without a
//! BOM, LF or CRLF, UTF-8, Windows-1252 or UTF-16, after `#` comment lines),
//! JSON Lines, a JSON array, Formspree's `{"submissions": […]}`, Netlify's
//! submissions with their fields under `data`, and spreadsheets (XLSX and
//! the other formats calamine reads). Whatever the format, a file becomes
//! rows of cells matched to the [`Columns`] the caller looks for, each row
//! with its file and line (its row, in a spreadsheet), streamed one at a
//! time so that memory stays flat however large the file is.
//!
//! The leads report reads submissions, deals and visits through this.

mod columns;
mod csv;
mod json;
mod sheet;
mod utf16;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Serialize;

pub(crate) use columns::{Columns, header_key};

/// One record of an export: the cell of each column (empty when the file
/// has no such column), and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A record that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Skipped {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// What a whole file held, for warnings once it is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Summary {
    /// The headers (or JSON member names) found, in order, at most
    /// [`MAX_HEADERS`] of them.
    pub headers: Vec<String>,
    /// Whether any header names one of the columns.
    pub matched: bool,
    pub rows: u64,
}

/// How many distinct headers a [`Summary`] keeps.
pub(crate) const MAX_HEADERS: usize = 200;

impl Summary {
    /// Whether a header of the file names column `index` of `columns`.
    pub(crate) fn has(&self, columns: &Columns, index: usize) -> bool {
        self.headers.iter().any(|h| columns.index(h) == Some(index))
    }

    /// The headers for a message: `` `a`, `b` `` and how many more than 40.
    pub(crate) fn shown_headers(&self) -> String {
        if self.headers.is_empty() {
            return "none".into();
        }
        let shown: Vec<String> = self
            .headers
            .iter()
            .take(40)
            .map(|h| format!("`{h}`"))
            .collect();
        match self.headers.len().saturating_sub(shown.len()) {
            0 => shown.join(", "),
            more => format!("{} and {more} more", shown.join(", ")),
        }
    }

    fn saw(&mut self, header: &str, matched: bool) {
        self.matched |= matched;
        if self.headers.len() < MAX_HEADERS && !self.headers.iter().any(|h| h == header) {
            self.headers.push(header.to_string());
        }
    }
}

/// Where rows go as they are read, and the file they are reported under.
pub(crate) struct Sink<'a> {
    shown: &'a str,
    columns: &'a Columns,
    each: &'a mut dyn FnMut(Result<Row, Skipped>),
    summary: Summary,
}

impl Sink<'_> {
    fn row(&mut self, row: Row) {
        self.summary.rows += 1;
        (self.each)(Ok(row));
    }

    fn skip(&mut self, line: u64, reason: impl Into<String>) {
        (self.each)(Err(Skipped {
            file: self.shown.to_string(),
            line,
            reason: reason.into(),
        }));
    }

    /// Which column each header names, noting the headers.
    fn header_map<S: AsRef<str>>(&mut self, headers: &[S]) -> Vec<Option<usize>> {
        headers
            .iter()
            .map(|h| {
                let index = self.columns.index(h.as_ref());
                self.summary.saw(h.as_ref().trim(), index.is_some());
                index
            })
            .collect()
    }

    /// A row from (header, value) pairs: the first non-empty value of each
    /// column wins.
    fn pairs<'v>(&mut self, line: u64, pairs: impl Iterator<Item = (&'v str, String)>) {
        let mut cells = vec![String::new(); self.columns.names().len()];
        for (header, value) in pairs {
            let index = self.columns.index(header);
            self.summary.saw(header.trim(), index.is_some());
            if let Some(cell) = index.map(|i| &mut cells[i])
                && cell.is_empty()
            {
                *cell = value;
            }
        }
        self.row(Row { line, cells });
    }
}

/// The kind of file, from its first bytes (and, for spreadsheets, its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Json,
    Sheet,
}

fn kind(start: &[u8]) -> Kind {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xd0\xcf\x11\xe0";
    if start.starts_with(ZIP) || start.starts_with(OLE) {
        return Kind::Sheet;
    }
    let text = start.strip_prefix(b"\xef\xbb\xbf").unwrap_or(start);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => Kind::Json,
        _ => Kind::Csv,
    }
}

/// Reads `path` (reported as `shown`), passing each row or unreadable
/// record to `each` as it is read. `Err` when the file cannot be opened or
/// is not a file of any kind this reads.
pub(crate) fn read(
    path: &Path,
    shown: &str,
    columns: &Columns,
    each: &mut dyn FnMut(Result<Row, Skipped>),
) -> Result<Summary, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open the file: {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("this is a folder, not an export file".into());
    }
    let mut reader = BufReader::with_capacity(json::SNIFF, file);
    let start = reader
        .fill_buf()
        .map_err(|e| format!("cannot read the file: {e}"))?;
    let (kind, utf16) = (kind(start), utf16::byte_order(start));
    let mut sink = Sink {
        shown,
        columns,
        each,
        summary: Summary::default(),
    };
    match (kind, utf16) {
        (_, Some(big_endian)) => {
            reader.consume(2);
            let decoded = utf16::Utf16::new(reader, big_endian);
            text(BufReader::with_capacity(json::SNIFF, decoded), &mut sink)?;
        }
        (Kind::Sheet, None) => {
            drop(reader);
            sheet::read(path, &mut sink)?;
        }
        _ => text(reader, &mut sink)?,
    }
    Ok(sink.summary)
}

/// Text, as JSON or CSV by its first bytes past a byte order mark.
fn text<R: Read>(reader: BufReader<R>, sink: &mut Sink<'_>) -> Result<(), String> {
    let mut reader = skip_bom(reader)?;
    let start = reader
        .fill_buf()
        .map_err(|e| format!("cannot read the file: {e}"))?;
    match kind(start) {
        Kind::Json => json::read(reader, sink),
        _ => csv::read(reader, sink),
    }
    Ok(())
}

/// Reads text already in memory as CSV or as JSON, whatever it starts
/// with (the fuzz harness reads arbitrary bytes both ways).
pub(crate) fn read_text(
    bytes: &[u8],
    as_json: bool,
    columns: &Columns,
    each: &mut dyn FnMut(Result<Row, Skipped>),
) -> Summary {
    let mut sink = Sink {
        shown: "text",
        columns,
        each,
        summary: Summary::default(),
    };
    let reader = BufReader::with_capacity(json::SNIFF, bytes);
    match skip_bom(reader) {
        Ok(reader) if as_json => json::read(reader, &mut sink),
        Ok(reader) => csv::read(reader, &mut sink),
        Err(reason) => sink.skip(1, reason),
    }
    sink.summary
}

/// The reader past a UTF-8 byte order mark, if the file starts with one.
fn skip_bom<R: Read>(mut reader: BufReader<R>) -> Result<BufReader<R>, String> {
    let start = reader
        .fill_buf()
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if start.starts_with(b"\xef\xbb\xbf") {
        reader.consume(3);
    }
    Ok(reader)
}

/// Text of a cell: UTF-8, or else Windows-1252, the encoding a spreadsheet
/// program on Windows saves "CSV" in.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_first_bytes() {
        assert_eq!(kind(b"PK\x03\x04rest"), Kind::Sheet);
        assert_eq!(kind(b"\xd0\xcf\x11\xe0"), Kind::Sheet);
        assert_eq!(kind(b"\xef\xbb\xbf  [{}]"), Kind::Json);
        assert_eq!(kind(b"\n{\"a\":1}"), Kind::Json);
        assert_eq!(kind(b"email;utm_campaign"), Kind::Csv);
        assert_eq!(kind(b""), Kind::Csv);
    }

    #[test]
    fn decodes_utf8_and_windows_1252() {
        assert_eq!(decode("Zoë".as_bytes()), "Zoë");
        assert_eq!(decode(b"Zo\xeb \x80 \x93x\x94"), "Zoë € “x”");
    }

    /// Reads `bytes` written to a file named `name` into rows and skips.
    pub(crate) fn read_bytes(
        name: &str,
        bytes: &[u8],
        columns: &Columns,
    ) -> (Vec<Row>, Vec<Skipped>, Summary) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (mut rows, mut skipped) = (Vec::new(), Vec::new());
        let summary = read(&path, name, columns, &mut |item| match item {
            Ok(row) => rows.push(row),
            Err(s) => skipped.push(s),
        })
        .unwrap();
        (rows, skipped, summary)
    }

    #[test]
    fn a_missing_file_or_a_folder_is_an_error() {
        let columns = Columns::new(["a"]);
        let dir = tempfile::tempdir().unwrap();
        let mut each = |_| {};
        let missing = read(&dir.path().join("no.csv"), "no.csv", &columns, &mut each);
        assert!(missing.unwrap_err().starts_with("cannot open the file"));
        let folder = read(dir.path(), "dir", &columns, &mut each);
        assert!(folder.is_err());
    }
}
