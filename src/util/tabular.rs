//! Output formats shared by `campaigns` and `leads report`: aligned text
//! tables for a terminal and CSV for spreadsheets. CSV cells that a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) are
//! prefixed with `'`, because export values are data, never code.

use crate::util::terminal_text::visible;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Table,
    Csv,
    Json,
}

/// A cell made safe for spreadsheets.
pub(crate) fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Rows as CSV (RFC 4180 quoting), every cell defused.
pub(crate) fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = |cells: Vec<String>| {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(cells);
    };
    write(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        write(row.iter().map(|c| defuse(c)).collect());
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Rows as a left-aligned text table with a header line.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    // Control characters in a cell would break the table or command the
    // terminal: they are shown escaped.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| visible(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let parts: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}", w = *w))
            .collect();
        parts.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&mut header.iter().copied());
    out.push_str(&line(
        &mut widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    ));
    for row in &rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuses_formulas() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("-2"), "'-2");
        assert_eq!(defuse("@SUM"), "'@SUM");
        assert_eq!(defuse("plain"), "plain");
    }

    #[test]
    fn writes_quoted_csv() {
        let out = csv(
            &["a", "b"],
            &[
                vec!["x, y".into(), "=1+1".into()],
                vec!["line\nbreak".into(), "q\"".into()],
            ],
        );
        assert_eq!(out, "a,b\n\"x, y\",'=1+1\n\"line\nbreak\",\"q\"\"\"\n");
    }

    #[test]
    fn aligns_tables() {
        let out = table(
            &["id", "n"],
            &[
                vec!["spring".into(), "2".into()],
                vec!["a".into(), "10".into()],
            ],
        );
        assert_eq!(out, "id      n\n------  --\nspring  2\na       10\n");
    }
}
