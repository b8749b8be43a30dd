//! Delimited text with a header row: commas, or the semicolons a European
//! spreadsheet program writes (or tabs), found from the header line; an
//! Excel `sep=;` first line is obeyed. Quoted cells may hold delimiters and
//! line breaks; LF and CRLF count lines alike. Cells that are not UTF-8
//! are read as Windows-1252. Lines starting with `#` before the header
//! are comments: Google Analytics 4 starts its CSV downloads with a block
//! of them (the report's name, property and dates).
//!
//! The csv crate's own record lines are off after a blank line and on
//! every CRLF line (a record's position starts at the line break left from
//! the record before), so lines are counted here from the byte offsets of
//! the line breaks that pass through.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use super::{Row, Sink, decode};

/// Offsets of `\r` and `\n` bytes (`true` for `\n`) read but not yet
/// behind the current record.
type Marks = Rc<RefCell<VecDeque<(u64, bool)>>>;

/// Notes the offset of every line-break byte read through it.
struct Breaks<R> {
    inner: R,
    offset: u64,
    marks: Marks,
}

impl<R: Read> Read for Breaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut marks = self.marks.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' || *b == b'\r' {
                marks.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Line numbers of records from their starting byte offsets, which must
/// come in order.
struct Lines {
    marks: Marks,
    /// Line breaks before the last record's start.
    before: u64,
    /// Lines before the first byte the csv reader saw.
    offset: u64,
}

impl Lines {
    /// The line of the record whose read began at byte `start`: past the
    /// line breaks (and empty lines) the reader skipped before it.
    fn at(&mut self, start: u64) -> u64 {
        let mut marks = self.marks.borrow_mut();
        while let Some(&(_, newline)) = marks.front().filter(|(at, _)| *at < start) {
            self.before += u64::from(newline);
            marks.pop_front();
        }
        let mut next = start;
        while let Some(&(_, newline)) = marks.front().filter(|(at, _)| *at == next) {
            self.before += u64::from(newline);
            marks.pop_front();
            next += 1;
        }
        self.offset + self.before + 1
    }
}

/// The delimiter most used in the first line outside quotes (a comma
/// when none is), and whether that line was an Excel `sep=X` line.
fn sniff(start: &[u8]) -> (u8, bool) {
    let line = start.split(|b| *b == b'\n').next().unwrap_or(b"");
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if let Some(&[d]) = line.strip_prefix(b"sep=") {
        return (d, true);
    }
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    ([b',', b';', b'\t'][best], false)
}

/// Skips the `#` comment lines (and blank lines) before the header, and
/// an Excel `sep=X` line; returns how many lines were skipped and the
/// delimiter.
fn preamble<R: Read>(reader: &mut BufReader<R>) -> std::io::Result<(u64, u8)> {
    let mut skipped = 0;
    let mut line = Vec::new();
    loop {
        let start = reader.fill_buf()?;
        let first_line = start.split(|b| *b == b'\n').next().unwrap_or(b"");
        // (A header may name a column `#`: `#,Email` is not a comment.)
        let comment = matches!(
            start,
            [b'#'] | [b'#', b' ' | b'-' | b'#' | b'\r' | b'\n', ..]
        ) || (start.contains(&b'\n')
            && first_line.iter().all(u8::is_ascii_whitespace));
        let (delimiter, sep_line) = sniff(start);
        if !comment && !sep_line {
            return Ok((skipped, delimiter));
        }
        line.clear();
        reader.read_until(b'\n', &mut line)?;
        skipped += 1;
        if sep_line {
            return Ok((skipped, delimiter));
        }
    }
}

pub(super) fn read<R: Read>(mut reader: BufReader<R>, sink: &mut Sink<'_>) {
    let (offset, delimiter) = match preamble(&mut reader) {
        Ok(found) => found,
        Err(e) => return sink.skip(1, format!("cannot read the file: {e}")),
    };
    let marks = Marks::default();
    let mut lines = Lines {
        marks: marks.clone(),
        before: 0,
        offset,
    };
    let mut csv = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(Breaks {
            inner: reader,
            offset: 0,
            marks,
        });
    let mut record = ::csv::ByteRecord::new();
    let mut line = |record: &::csv::ByteRecord| lines.at(record.position().map_or(0, |p| p.byte()));
    let headers: Vec<String> = match csv.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(decode).collect(),
        Ok(false) => return,
        Err(e) => return sink.skip(1 + offset, format!("cannot read the header row: {e}")),
    };
    line(&record);
    let map = sink.header_map(&headers);
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let at = line(&record);
                take(&record, at, headers.len(), &map, sink);
            }
            Err(e) => {
                let at = e.position().map_or(1, |p| p.line()) + offset;
                sink.skip(at, format!("{e}; the rest of the file was not read"));
                break;
            }
        }
    }
}

/// One record: skipped when blank, or when its cells do not line up with
/// the header's (cells past the header's count are allowed only if empty,
/// a trailing delimiter; fewer cells are ambiguous).
fn take(
    record: &::csv::ByteRecord,
    line: u64,
    headers: usize,
    map: &[Option<usize>],
    sink: &mut Sink<'_>,
) {
    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return;
    }
    let extra = record.iter().skip(headers).any(|f| !f.is_empty());
    if record.len() < headers || extra {
        let reason = format!("{} fields where the header has {headers}", record.len());
        return sink.skip(line, reason);
    }
    let mut cells = vec![String::new(); sink.columns.names().len()];
    for (field, column) in record.iter().zip(map) {
        if let Some(cell) = column.map(|c| &mut cells[c])
            && cell.is_empty()
        {
            *cell = decode(field);
        }
    }
    sink.row(Row { line, cells });
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_bytes;
    use super::super::{Columns, Skipped};
    use super::*;

    #[test]
    fn sniffs_the_delimiter_from_the_header_line() {
        assert_eq!(sniff(b"a,b;c,d\n1;2;3;4;5"), (b',', false));
        assert_eq!(sniff(b"\"a,b\";c;d\r\n"), (b';', false));
        assert_eq!(sniff(b"a\tb\tc"), (b'\t', false));
        assert_eq!(sniff(b"email"), (b',', false));
        assert_eq!(sniff(b"sep=;\r\na;b"), (b';', true));
    }

    fn columns() -> Columns {
        Columns::new(["email", "utm_campaign", "note"])
    }

    #[test]
    fn reads_quotes_newlines_and_reports_bad_rows_at_their_line() {
        let text = "\u{feff}Email,UTM Campaign,Note,Other\na@x.example,spring,\"multi\nline, with comma\",1\nbad,row\nb@x.example,spring,ok,2,\n";
        let (rows, skipped, summary) = read_bytes("leads.csv", text.as_bytes(), &columns());
        assert_eq!(rows.len(), 2, "{skipped:?}");
        assert_eq!(
            rows[0].cells,
            ["a@x.example", "spring", "multi\nline, with comma"]
        );
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 5);
        assert_eq!(
            skipped,
            vec![Skipped {
                file: "leads.csv".into(),
                line: 4,
                reason: "2 fields where the header has 4".into()
            }]
        );
        assert_eq!(summary.headers, ["Email", "UTM Campaign", "Note", "Other"]);
        assert!(summary.matched);
    }

    #[test]
    fn crlf_and_lf_give_the_same_lines() {
        let lf = "email;utm_campaign\na;x\n\nbad\nb;y\n";
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf.to_string(), crlf] {
            let (rows, skipped, _) = read_bytes("leads.csv", text.as_bytes(), &columns());
            let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 5], "{text:?}");
            assert_eq!(skipped[0].line, 4, "{text:?}");
            assert_eq!(rows[1].cells[1], "y");
        }
    }

    #[test]
    fn a_quoted_line_break_counts_in_crlf_files() {
        let text = "email;note\r\n\r\na;\"two\r\nlines\"\r\nb;x;extra\r\nc;\r\n";
        let (rows, skipped, _) = read_bytes("leads.csv", text.as_bytes(), &columns());
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6]);
        assert_eq!(rows[0].cells[2], "two\r\nlines");
        assert_eq!(skipped[0].line, 5);
    }

    #[test]
    fn excel_sep_line_and_windows_1252() {
        let bytes = b"sep=;\r\nemail;note\r\nzo\xeb@x.example;caf\xe9\r\n";
        let (rows, skipped, _) = read_bytes("excel.csv", bytes, &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(rows[0].cells, ["zoë@x.example", "", "café"]);
        assert_eq!(rows[0].line, 3);
    }

    #[test]
    fn comment_lines_before_the_header_are_skipped_and_counted() {
        // Google Analytics 4's CSV download: a block of `#` lines, a blank
        // line, then the table.
        let text = "# ----------------------------------------\r\n# Landing page\r\n#\r\n# Start date: 20260301\r\n\r\nEmail,Note\r\na@x.example,#1\r\n";
        let (rows, skipped, summary) = read_bytes("ga4.csv", text.as_bytes(), &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(summary.headers, ["Email", "Note"]);
        assert_eq!(rows[0].line, 7);
        assert_eq!(rows[0].cells, ["a@x.example", "", "#1"]);
        let (rows, _, summary) =
            read_bytes("numbered.csv", b"#,Email\n1,b@x.example\n", &columns());
        assert_eq!(summary.headers, ["#", "Email"], "a column named #");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_reads_like_utf8() {
        // Matomo's CSV export: UTF-16LE behind FF FE, LF line ends.
        let text = "Email,Note\nzoë@x.example,\"a, b\"\n";
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (rows, skipped, _) = read_bytes("matomo.csv", &bytes, &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(rows[0].cells, ["zoë@x.example", "", "a, b"]);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_file_without_the_columns_says_what_it_has() {
        let (rows, _, summary) = read_bytes("other.csv", b"Name,Phone\nAna,1\n", &columns());
        assert_eq!(rows.len(), 1);
        assert!(!summary.matched);
        assert_eq!(summary.headers, ["Name", "Phone"]);
        let (rows, skipped, summary) = read_bytes("empty.csv", b"", &columns());
        assert!(rows.is_empty() && skipped.is_empty() && summary.headers.is_empty());
    }
}
