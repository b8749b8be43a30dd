//! JSON exports, streamed record by record:
//! - JSON Lines: one object per line; a bad line is skipped, the rest read;
//! - a JSON array of objects (Netlify's submissions API, and any tool's);
//! - Formspree's `{"fields": […], "submissions": […]}` (its Form
//!   Submissions API, help.formspree.io), on one line or pretty-printed;
//! - a single object.
//!
//! An object with a `data` object is a Netlify submission: the form's own
//! fields are under `data`, and its top-level members (`email`, `form_id`
//! of Netlify's form, `created_at`…) only fill what `data` lacks. Values
//! other than strings are written as JSON text, `null` as empty.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::Sink;

/// How many bytes are looked at to tell JSON Lines from one document.
pub(super) const SNIFF: usize = 64 * 1024;

pub(super) fn read<R: Read>(mut reader: BufReader<R>, sink: &mut Sink<'_>) {
    let lines = match reader.fill_buf() {
        Ok(start) => is_json_lines(start),
        Err(e) => return sink.skip(1, format!("cannot read the file: {e}")),
    };
    if lines {
        read_lines(reader, sink);
    } else {
        read_document(reader, sink);
    }
}

/// JSON Lines when the first non-blank line is a whole JSON object.
fn is_json_lines(start: &[u8]) -> bool {
    let Some(line) = start
        .split(|b| *b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
    else {
        return false;
    };
    // A line that ran past what was read is not known to be whole.
    let whole = start.len() < SNIFF || start.contains(&b'\n');
    whole && matches!(serde_json::from_slice(line), Ok(Value::Object(_)))
}

fn read_lines<R: Read>(mut reader: BufReader<R>, sink: &mut Sink<'_>) {
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => line += 1,
            Err(e) => return sink.skip(line + 1, format!("cannot read the file: {e}")),
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&buf) {
            Ok(Value::Object(mut map)) => match map.remove("submissions") {
                // Formspree's export on one line.
                Some(Value::Array(items)) => {
                    for item in items {
                        record(sink, line, item);
                    }
                }
                Some(other) => {
                    map.insert("submissions".into(), other);
                    object(sink, line, map);
                }
                None => object(sink, line, map),
            },
            Ok(_) => sink.skip(line, "not a JSON object"),
            Err(e) if e.is_data() => sink.skip(line, format!("invalid JSON: {e}")),
            Err(e) => sink.skip(line, format!("invalid JSON: {}", without_position(&e))),
        }
    }
}

/// serde_json's message without its "at line 1 column N", which would
/// contradict the line of the file the row is reported at.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn record(sink: &mut Sink<'_>, line: u64, value: Value) {
    match value {
        Value::Object(map) => object(sink, line, map),
        _ => sink.skip(line, "not a JSON object"),
    }
}

fn object(sink: &mut Sink<'_>, line: u64, mut map: Map<String, Value>) {
    let data = match map.remove("data") {
        Some(Value::Object(data)) => Some(data),
        Some(other) => {
            map.insert("data".into(), other);
            None
        }
        None => None,
    };
    let pairs = data
        .iter()
        .flatten()
        .chain(map.iter())
        .map(|(k, v)| (k.as_str(), text(v)));
    sink.pairs(line, pairs);
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Counts the line breaks and the other non-blank bytes read through it,
/// so that a record's line is known when serde_json starts on it (it reads
/// byte by byte), and so is whether anything but blanks followed a value.
struct Lines<R> {
    inner: R,
    breaks: Rc<Cell<u64>>,
    solid: Rc<Cell<u64>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let breaks = buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        let blank = buf[..n].iter().filter(|b| b.is_ascii_whitespace()).count();
        self.breaks.set(self.breaks.get() + breaks);
        self.solid.set(self.solid.get() + (n - blank) as u64);
        Ok(n)
    }
}

/// One JSON document, or several one after another (what `jq '.[]'`
/// writes), streamed.
fn read_document<R: Read>(reader: BufReader<R>, sink: &mut Sink<'_>) {
    let (breaks, solid) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let lines = Lines {
        inner: reader,
        breaks: breaks.clone(),
        solid: solid.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(lines);
    loop {
        let before = solid.get();
        let top = Top {
            sink: &mut *sink,
            breaks: &breaks,
        };
        match de.deserialize_any(top) {
            Ok(()) => {}
            // Only blanks after the last value: the end of the file.
            Err(e) if e.is_eof() && solid.get() == before => break,
            Err(e) => {
                let reason = format!(
                    "invalid JSON: {}; the rest of the file was not read",
                    without_position(&e)
                );
                sink.skip(e.line() as u64, reason);
                break;
            }
        }
    }
}

/// The document: an array of records, an object with a `submissions`
/// array (Formspree), or one record.
struct Top<'s, 'c> {
    sink: &'s mut Sink<'c>,
    breaks: &'s Rc<Cell<u64>>,
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array or object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Record {
                sink: &mut *self.sink,
                breaks: self.breaks,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let line = self.breaks.get() + 1;
        let mut members = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "submissions" && !streamed {
                streamed = true;
                map.next_value_seed(Top {
                    sink: &mut *self.sink,
                    breaks: self.breaks,
                })?;
            } else {
                members.insert(key, map.next_value()?);
            }
        }
        if !streamed {
            object(self.sink, line, members);
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

/// One element of an array, read whole (records are small) at the line it
/// starts on.
struct Record<'s, 'c> {
    sink: &'s mut Sink<'c>,
    breaks: &'s Rc<Cell<u64>>,
}

impl<'de> DeserializeSeed<'de> for Record<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let line = self.breaks.get() + 1;
        let value = <Value as serde::Deserialize>::deserialize(de)?;
        record(self.sink, line, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Columns;
    use super::super::tests::read_bytes;

    fn columns() -> Columns {
        Columns::new(["email", "utm_campaign", "form_id", "n"])
    }

    #[test]
    fn json_lines_skip_bad_lines_and_keep_going() {
        let text = b"{\"utm_campaign\":\"spring\",\"n\":3,\"x\":null}\n\nnot json\n[1]\n{\"utm_campaign\":\"spring\",\"n\":null}\r\n";
        let (rows, skipped, _) = read_bytes("leads.jsonl", text, &columns());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells, ["", "spring", "", "3"]);
        assert_eq!(rows[1].line, 5);
        assert_eq!(rows[1].cells[3], "");
        let lines: Vec<u64> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(skipped[0].reason.starts_with("invalid JSON"), "{skipped:?}");
        assert!(!skipped[0].reason.contains("line 1"), "{skipped:?}");
        assert_eq!(skipped[1].reason, "not a JSON object");
    }

    #[test]
    fn a_pretty_array_reports_each_record_at_its_line() {
        let text = b"[\n  {\n    \"email\": \"a@x.example\"\n  },\n  7,\n  {\"email\": \"b@x.example\", \"utm_campaign\": \"s\"}\n]\n";
        let (rows, skipped, _) = read_bytes("leads.json", text, &columns());
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 6]);
        assert_eq!(rows[1].cells[..2], ["b@x.example", "s"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(
            (skipped[0].line, skipped[0].reason.as_str()),
            (5, "not a JSON object")
        );
    }

    #[test]
    fn formspree_submissions_one_line_or_pretty() {
        // Formspree's Form Submissions API answer (help.formspree.io).
        let pretty = b"{\n  \"fields\": [\"_date\", \"email\"],\n  \"submissions\": [\n    {\"_date\": \"2018-11-03T07:28:29.707632\", \"email\": \"a@x.example\"},\n    {\"_date\": \"2018-11-04T07:28:29\", \"email\": \"b@x.example\"}\n  ]\n}\n";
        let (rows, skipped, _) = read_bytes("formspree.json", pretty, &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(
            rows.iter()
                .map(|r| (r.line, r.cells[0].as_str()))
                .collect::<Vec<_>>(),
            [(4, "a@x.example"), (5, "b@x.example")]
        );
        let one_line: Vec<u8> = pretty.iter().copied().filter(|b| *b != b'\n').collect();
        let (rows, _, _) = read_bytes("formspree.json", &one_line, &columns());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 1);
    }

    #[test]
    fn netlify_data_wins_over_top_level_members() {
        let text = br#"[{"form_id":"5f1e","email":"top@x.example","data":{"form_id":"contact","email":"a@x.example","utm_campaign":"spring"}}]"#;
        let (rows, _, summary) = read_bytes("netlify.json", text, &columns());
        assert_eq!(rows[0].cells[..3], ["a@x.example", "spring", "contact"]);
        assert!(summary.matched);
    }

    #[test]
    fn documents_one_after_another_and_long_json_lines() {
        // What `jq '.[]' export.json` writes: pretty objects, one after another.
        let text = b"{\n  \"email\": \"a@x.example\"\n}\n{\n  \"email\": \"b@x.example\"\n}\n\n";
        let (rows, skipped, _) = read_bytes("jq.json", text, &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 4]);
        // JSON Lines whose first line is longer than what is sniffed.
        let long = "x".repeat(super::SNIFF + 10);
        let text = format!(
            "{{\"email\":\"a@x.example\",\"note\":\"{long}\"}}\n{{\"email\":\"b@x.example\"}}\n"
        );
        let (rows, skipped, _) = read_bytes("long.jsonl", text.as_bytes(), &columns());
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn broken_json_document_is_reported_where_it_breaks() {
        let text = b"[\n{\"email\": \"a@x.example\"},\n{\"email\": \n";
        let (rows, skipped, _) = read_bytes("cut.json", text, &columns());
        assert_eq!(rows.len(), 1);
        assert_eq!(skipped.len(), 1);
        assert!(
            skipped[0]
                .reason
                .contains("the rest of the file was not read"),
            "{skipped:?}"
        );
        assert!(skipped[0].line >= 3, "{skipped:?}");
    }
}
