//! Small bridges between the `toml` crate and the rest of utmost: its errors
//! as [`Diagnostic`]s (with "did you mean" for unknown keys), TOML values as
//! JSON for templates, and dates written either as TOML dates or strings.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::diagnostic::{Diagnostic, nearest};

/// A `YYYY-MM-DD` date, written in TOML as `2026-03-01` or `"2026-03-01"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TomlDate(pub String);

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

/// Whether a string is a URL that would run script when followed
/// (`javascript:`, `vbscript:`, `data:text/html`), however it is spelled.
pub fn is_script_url(value: &str) -> bool {
    // The longest prefix checked is 14 characters: fold no more than that.
    let folded: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .take(16)
        .collect();
    folded.starts_with("javascript:")
        || folded.starts_with("vbscript:")
        || folded.starts_with("data:text/html")
}

/// The first string in a free-form table that is a script URL, with its
/// dotted key path (`menu.0.url`).
pub fn find_script_url(value: &toml::Value, path: &str) -> Option<(String, String)> {
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
pub fn to_json(value: &toml::Value) -> serde_json::Value {
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

/// A TOML parse or shape error as a diagnostic. `file` is the whole text of
/// `path`; the TOML parsed started at byte `offset` of it. Unknown keys are
/// reported as such, with the nearest expected key suggested.
pub fn error_diagnostic(
    path: &Path,
    file: &str,
    offset: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = error.message().trim().to_string();
    let span = error
        .span()
        .map_or(offset..offset, |s| s.start + offset..s.end + offset);
    let (message, help) = match unknown_field(&message) {
        Some((field, expected)) => {
            let help = match nearest(field, expected.iter().copied()) {
                Some(name) => format!("did you mean `{name}`?"),
                None if expected.is_empty() => "this table takes no keys".to_string(),
                None => format!("known keys: {}", expected.join(", ")),
            };
            (format!("unknown key `{field}`"), Some(help))
        }
        None => (message, None),
    };
    let d = Diagnostic::at(path, file, span, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((field, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_script_urls_however_spelled() {
        assert!(is_script_url("javascript:alert(1)"));
        assert!(is_script_url("  JavaScript:alert(1)"));
        assert!(is_script_url("java\tscript:alert(1)"));
        assert!(is_script_url("data:text/html,<script>"));
        assert!(!is_script_url("https://example.com/javascript:"));
        assert!(!is_script_url("/pricing/"));
        let t: toml::Value =
            toml::from_str("menu = [ { name = \"x\", url = \"javascript:x()\" } ]").unwrap();
        assert_eq!(
            find_script_url(&t, ""),
            Some(("menu.0.url".into(), "javascript:x()".into()))
        );
    }

    #[test]
    fn splits_unknown_field_messages() {
        let (f, e) =
            unknown_field("unknown field `titel`, expected one of `title`, `date`").unwrap();
        assert_eq!(f, "titel");
        assert_eq!(e, vec!["title", "date"]);
        let (f, e) = unknown_field("unknown field `x`, expected `name`").unwrap();
        assert_eq!((f, e), ("x", vec!["name"]));
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
