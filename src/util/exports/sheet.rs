//! Spreadsheets, through calamine: the first sheet, its first non-empty
//! row as headers. XLSX (HubSpot's and Excel's export) is streamed cell by
//! cell; the older and rarer formats (XLS, XLSB, ODS) are read whole. A
//! row's "line" is its row number in the spreadsheet.

use std::path::Path;

use calamine::{Data, Reader, Sheets, open_workbook_auto};

use super::{Row, Sink};

pub(super) fn read(path: &Path, sink: &mut Sink<'_>) -> Result<(), String> {
    let mut book = open_workbook_auto(path)
        .map_err(|e| format!("cannot read the file as a spreadsheet: {e}"))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Ok(());
    };
    let mut rows = Rows::new(sink);
    match &mut book {
        Sheets::Xlsx(xlsx) => {
            let mut cells = xlsx
                .worksheet_cells_reader(&name)
                .map_err(|e| format!("cannot read the sheet `{name}`: {e}"))?;
            loop {
                match cells.next_cell() {
                    Ok(Some(cell)) => {
                        let (row, column) = cell.get_position();
                        rows.cell(row, column, Data::from(cell.get_value().clone()));
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let line = u64::from(rows.current.unwrap_or(0)) + 1;
                        rows.sink
                            .skip(line, format!("{e}; the rest of the sheet was not read"));
                        break;
                    }
                }
            }
        }
        other => {
            let range = other
                .worksheet_range(&name)
                .map_err(|e| format!("cannot read the sheet `{name}`: {e}"))?;
            for (row, column, value) in range.used_cells() {
                let (start, _) = range.start().unwrap_or((0, 0));
                rows.cell(start + row as u32, column as u32, value.clone());
            }
        }
    }
    rows.finish();
    Ok(())
}

/// Columns a sheet may have (Excel's limit, A to XFD).
const MAX_COLUMNS: u32 = 16_384;

/// Cells, which come row by row, gathered into rows.
struct Rows<'s, 'c> {
    sink: &'s mut Sink<'c>,
    /// Each column's index among the sink's columns, once headers are read.
    map: Option<Vec<Option<usize>>>,
    current: Option<u32>,
    values: Vec<(u32, String)>,
}

impl<'s, 'c> Rows<'s, 'c> {
    fn new(sink: &'s mut Sink<'c>) -> Self {
        Rows {
            sink,
            map: None,
            current: None,
            values: Vec::new(),
        }
    }

    fn cell(&mut self, row: u32, column: u32, value: Data) {
        // Excel's last column is XFD; a cell past it is damage, not data.
        if column >= MAX_COLUMNS {
            return;
        }
        if self.current != Some(row) {
            self.flush();
            self.current = Some(row);
        }
        let text = value.to_string();
        if !text.trim().is_empty() {
            self.values.push((column, text));
        }
    }

    fn flush(&mut self) {
        let values = std::mem::take(&mut self.values);
        let Some(row) = self.current else {
            return;
        };
        if values.is_empty() {
            return;
        }
        let Some(map) = &self.map else {
            let width = values
                .iter()
                .map(|(c, _)| *c as usize + 1)
                .max()
                .unwrap_or(0);
            let mut headers = vec![String::new(); width];
            for (c, text) in values {
                headers[c as usize] = text;
            }
            self.map = Some(self.sink.header_map(&headers));
            return;
        };
        let mut cells = vec![String::new(); self.sink.columns.names().len()];
        for (c, text) in values {
            if let Some(Some(i)) = map.get(c as usize)
                && cells[*i].is_empty()
            {
                cells[*i] = text;
            }
        }
        self.sink.row(Row {
            line: u64::from(row) + 1,
            cells,
        });
    }

    fn finish(mut self) {
        self.flush();
    }
}
