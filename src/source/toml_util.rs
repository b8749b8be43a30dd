//! Small bridges between the `toml` crate and the rest of utmost: reading a
//! TOML document into serde types with every unknown key reported at its
//! own place ([`parse`]), its errors as [`Diagnostic`]s, TOML values as JSON
//! for templates, and dates written either as TOML dates or strings.
//!
//! Unknown keys are found by `serde_ignored` (which sees every key serde
//! skips), their places by the spans of `toml`'s parsed table, and the keys
//! that were expected by asking the serde type itself ([`fields`]).

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Name};
use crate::util::url_safety::is_script_url;

/// A `YYYY-MM-DD` date, written in TOML as `2026-03-01` or `"2026-03-01"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TomlDate(pub String);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Date(toml::value::Datetime),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Date(dt) => match dt.date {
                Some(date) => date.to_string(),
                None => return Err(serde::de::Error::custom("expected a date like 2026-03-01")),
            },
            Raw::Text(s) => s,
        };
        let date = text.get(..10).unwrap_or("");
        if !is_date(date) {
            return Err(serde::de::Error::custom(format!(
                "`{text}` is not a date like 2026-03-01"
            )));
        }
        Ok(TomlDate(date.to_string()))
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}

/// The first string in a free-form table that is a script URL, with its
/// dotted key path (`menu.0.url`).
pub(crate) fn find_script_url(value: &toml::Value, path: &str) -> Option<(String, String)> {
    match value {
        toml::Value::String(s) if is_script_url(s) => Some((path.to_string(), s.clone())),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_script_url(v, &format!("{path}.{i}"))),
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| {
            let key = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            find_script_url(v, &key)
        }),
        _ => None,
    }
}

/// A TOML value as JSON, dates as strings (what templates expect).
pub(crate) fn to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// One step of the path to a key: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The keys a table takes, by the path of the table (`[]` for the top);
/// `None` when the path is not a table with fixed keys.
pub(crate) type Schema = dyn Fn(&[Step]) -> Option<&'static [&'static str]>;

/// A TOML document read into `T`: the text `file[range]` of `path`. Syntax
/// errors (all of them) and values of the wrong type (all of them: each is
/// left out in turn to find the next) give no `T`; unknown keys are listed
/// beside it, each at its own line and column, with the nearest key that
/// `schema` says the table takes.
pub(crate) fn parse<T: DeserializeOwned>(
    path: &Path,
    file: &str,
    range: Range<usize>,
    schema: &Schema,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = &file[range.clone()];
    let error = |e: &toml::de::Error| error_diagnostic(path, file, range.start, e);
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors.iter().map(error).collect());
    }
    let mut ignored: Vec<Vec<Step>> = Vec::new();
    let first = serde_ignored::deserialize(toml::de::Deserializer::from(table), |p| {
        ignored.push(steps(&p))
    });
    let (value, errors) = match first {
        Ok(value) => (Some(value), Vec::new()),
        Err(e) => (None, every_value_error::<T>(text, e, &mut ignored)),
    };
    let mut diagnostics: Vec<Diagnostic> = errors.iter().map(error).collect();
    if !ignored.is_empty() {
        // Only a file with unknown keys is parsed again, for their places.
        let (table, _) = DeTable::parse_recoverable(text);
        ignored.dedup();
        diagnostics.extend(ignored.iter().filter_map(|steps| {
            unknown_key(table.get_ref(), steps, schema, path, file, range.start)
        }));
    }
    match value {
        Some(value) if errors.is_empty() => Ok((value, diagnostics)),
        _ => Err(diagnostics),
    }
}

/// After `first`, the next errors of values of the wrong type: each value
/// in error is left out and the document read again (values left out that
/// the type requires end the search, rather than be reported as missing).
fn every_value_error<T: DeserializeOwned>(
    text: &str,
    first: toml::de::Error,
    ignored: &mut Vec<Vec<Step>>,
) -> Vec<toml::de::Error> {
    let mut errors = vec![first];
    let mut left_out: Vec<(Range<usize>, String)> = Vec::new();
    while errors.len() < 32 {
        let Some(span) = errors.last().and_then(toml::de::Error::span) else {
            break;
        };
        let (mut table, _) = DeTable::parse_recoverable(text);
        for (before, _) in &left_out {
            leave_out(table.get_mut(), before);
        }
        let Some(key) = leave_out(table.get_mut(), &span) else {
            break;
        };
        left_out.push((span, key));
        let de = toml::de::Deserializer::from(table);
        let Err(e) = serde_ignored::deserialize::<_, _, T>(de, |p| ignored.push(steps(&p))) else {
            break;
        };
        let missing =
            |(_, k): &(Range<usize>, String)| e.message() == format!("missing field `{k}`");
        if left_out.iter().any(missing) {
            break;
        }
        errors.push(e);
    }
    ignored.sort_by_key(|s| format!("{s:?}"));
    errors
}

/// Removes the entry whose value holds `span` (the innermost one), and
/// returns its key. Tables are searched whatever their span: a `[table]`
/// header's span does not cover its keys.
fn leave_out(table: &mut DeTable<'_>, span: &Range<usize>) -> Option<String> {
    let mut key = None;
    for (k, value) in table.iter_mut() {
        let s = value.span();
        let holds = s.start <= span.start && span.end <= s.end;
        let inner = match value.get_mut() {
            DeValue::Table(inner) => leave_out(inner, span),
            DeValue::Array(items) => items.iter_mut().find_map(|item| match item.get_mut() {
                DeValue::Table(inner) => leave_out(inner, span),
                _ => None,
            }),
            _ => None,
        };
        if inner.is_some() {
            return inner;
        }
        if holds {
            key = Some(k.get_ref().to_string());
            break;
        }
    }
    let key = key?;
    table.remove(key.as_str());
    Some(key)
}

/// The diagnostic for an ignored key at `steps`.
fn unknown_key(
    table: &DeTable<'_>,
    steps: &[Step],
    schema: &Schema,
    path: &Path,
    file: &str,
    offset: usize,
) -> Option<Diagnostic> {
    let (Step::Key(key), parent) = steps.split_last()? else {
        return None;
    };
    let span = key_span(table, steps)?;
    let known = schema(parent).unwrap_or_default();
    Some(Diagnostic::unknown(
        path,
        file,
        span.start + offset..span.end + offset,
        Name::Key,
        key,
        known.iter().copied(),
    ))
}

/// serde_ignored's path as steps (dropping `Option` and newtype layers).
fn steps(path: &serde_ignored::Path<'_>) -> Vec<Step> {
    use serde_ignored::Path as P;
    let mut out = Vec::new();
    let mut at = path;
    loop {
        at = match at {
            P::Root => break,
            P::Seq { parent, index } => {
                out.push(Step::Index(*index));
                parent
            }
            P::Map { parent, key } => {
                out.push(Step::Key(key.clone()));
                parent
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                parent
            }
        };
    }
    out.reverse();
    out
}

/// The span of the last key of `steps` in `table`.
fn key_span(table: &DeTable<'_>, steps: &[Step]) -> Option<Range<usize>> {
    let (Step::Key(first), rest) = steps.split_first()? else {
        return None;
    };
    let (key, value) = table.iter().find(|(k, _)| k.get_ref() == first)?;
    if rest.is_empty() {
        return Some(key.span());
    }
    let mut value = value;
    let mut rest = rest;
    while let Some((Step::Index(i), after)) = rest.split_first() {
        let DeValue::Array(items) = value.get_ref() else {
            return None;
        };
        value = items.get(*i)?;
        rest = after;
    }
    match value.get_ref() {
        DeValue::Table(inner) => key_span(inner, rest),
        _ => None,
    }
}

/// The field names of the struct `T` deserializes as: what serde's derive
/// tells a deserializer, caught by one that only listens.
pub(crate) fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut found: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldProbe(&mut found));
    found
}

struct FieldProbe<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldProbe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("fields listed"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A TOML parse or shape error as a diagnostic. `file` is the whole text of
/// `path`; the TOML parsed started at byte `offset` of it.
pub(crate) fn error_diagnostic(
    path: &Path,
    file: &str,
    offset: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = toml_words(error.message().trim());
    let span = error
        .span()
        .map_or(offset..offset, |s| s.start + offset..s.end + offset);
    Diagnostic::at(path, file, span, message)
}

/// serde's words in TOML's: a field is a key; `expected i64` is `expected
/// an integer`, a sequence an array, a map or struct a table.
fn toml_words(message: &str) -> String {
    if let Some(key) = message.strip_prefix("missing field ") {
        return format!("missing key {key}");
    }
    let Some((before, expected)) = message.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let word = match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" => "an integer",
        "f32" | "f64" => "a number",
        "a sequence" => "an array",
        "a map" => "a table",
        s if s.starts_with("struct ") => "a table",
        _ => return message.to_string(),
    };
    format!("{before}, expected {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_script_urls_however_spelled() {
        let t: toml::Value =
            toml::from_str("menu = [ { name = \"x\", url = \"javascript:x()\" } ]").unwrap();
        assert_eq!(
            find_script_url(&t, ""),
            Some(("menu.0.url".into(), "javascript:x()".into()))
        );
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        inner: Vec<Inner>,
        #[serde(default)]
        map: std::collections::BTreeMap<String, Inner>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(rename = "type")]
        kind: Option<toml::Spanned<String>>,
    }

    fn schema(path: &[Step]) -> Option<&'static [&'static str]> {
        match path {
            [] => Some(fields::<Outer>()),
            [Step::Key(k), _] if k == "inner" || k == "map" => Some(fields::<Inner>()),
            _ => None,
        }
    }

    #[test]
    fn lists_struct_fields() {
        assert_eq!(fields::<Outer>(), ["name", "inner", "map"]);
        assert_eq!(fields::<Inner>(), ["type"]);
    }

    #[test]
    fn every_unknown_key_at_its_own_place() {
        let text = "nmae = 1\nname = \"x\"\ninner = [ { type = \"a\" }, { tpye = \"b\" } ]\n[map.one]\ntyp = 2\n[extra]\n";
        let (value, unknown) =
            parse::<Outer>(Path::new("f.toml"), text, 0..text.len(), &schema).unwrap();
        assert_eq!(value.name, "x");
        let mut shown: Vec<String> = unknown
            .iter()
            .map(|d| format!("{}:{} {} / {:?}", d.line, d.column, d.message, d.help))
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            [
                "1:1 unknown key `nmae` / Some(\"did you mean `name`?\")",
                "3:29 unknown key `tpye` / Some(\"did you mean `type`?\")",
                "5:1 unknown key `typ` / Some(\"did you mean `type`?\")",
                "6:2 unknown key `extra` / Some(\"known keys: `name`, `inner`, `map`\")",
            ]
        );
    }

    #[test]
    fn every_value_of_the_wrong_type_is_reported() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Typed {
            name: String,
            weight: Option<i64>,
            date: Option<TomlDate>,
            inner: Option<Inner>,
        }
        let schema = |_: &[Step]| None;
        let text = "name = 1\nweight = \"heavy\"\ndate = \"March\"\nnmae = 2\n[inner]\ntype = 3\n";
        let errors = parse::<Typed>(Path::new("f.toml"), text, 0..text.len(), &schema).unwrap_err();
        // `name` is required: once left out, no "missing field" follows.
        let mut lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        lines.sort();
        assert_eq!(
            lines,
            [
                (1, "invalid type: integer `1`, expected a string"),
                (2, "invalid type: string \"heavy\", expected an integer"),
                (3, "`March` is not a date like 2026-03-01"),
                (4, "unknown key `nmae`"),
                (6, "invalid type: integer `3`, expected a string"),
            ]
        );
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let text = "a = \nb = \"x\nname = \"ok\"\n";
        let errors = parse::<Outer>(Path::new("f.toml"), text, 0..text.len(), &schema).unwrap_err();
        assert!(errors.len() >= 2, "{errors:?}");
    }

    #[test]
    fn dates_accept_toml_dates_and_strings() {
        #[derive(Deserialize)]
        struct T {
            d: TomlDate,
        }
        let t: T = toml::from_str("d = 2026-03-01").unwrap();
        assert_eq!(t.d.0, "2026-03-01");
        let t: T = toml::from_str("d = \"2026-03-01T10:00:00Z\"").unwrap();
        assert_eq!(t.d.0, "2026-03-01");
        assert!(toml::from_str::<T>("d = \"March 1\"").is_err());
        assert!(toml::from_str::<T>("d = \"2026-13-01\"").is_err());
    }
}
