//! Test-only: the keys a serde type accepts, read from the type itself, and
//! a check that docs/reference.md documents exactly those keys.
//!
//! [`accepted`] drives `T::deserialize` with a deserializer that answers
//! every `deserialize_struct` with all the `fields` serde's derive passes it
//! (so the derive asks for each field's value, which walks into that field's
//! type), one element for every sequence, one `<id>` entry for every map,
//! `Some` for every option, and the first variant of every enum (recording
//! all of them). It sees through toml's `Spanned`. Free-form values
//! (`toml::Table`, read with `deserialize_any`) end the walk: their keys are
//! the user's. Nothing here is a list kept by hand, so a key added to a raw
//! type is a key this finds.
//!
//! A `#[serde(flatten)]` field would hide its keys (serde then reads a map,
//! not a struct); the raw types do not flatten.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::de::value::{BorrowedStrDeserializer, Error, StrDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

/// The user reference the checks below read.
pub(crate) const REFERENCE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md"));

/// toml's `Spanned<T>` reads itself as a struct of this name with a start,
/// an end and the value (serde_spanned's private protocol).
const SPANNED: &str = "$__serde_spanned_private_Spanned";

/// What a type accepts: every key by its path (`forms.<id>.fields[].name`),
/// and for keys whose value is an enum, the values it takes.
#[derive(Debug, Default)]
pub(crate) struct Accepted {
    pub(crate) keys: Vec<String>,
    pub(crate) values: BTreeMap<String, Vec<&'static str>>,
}

/// Every key `T` accepts, found by deserializing it from nothing.
pub(crate) fn accepted<T: DeserializeOwned>() -> Accepted {
    let out = RefCell::new(Accepted::default());
    let walker = Walker {
        path: String::new(),
        depth: 0,
        out: &out,
        key: false,
    };
    if let Err(e) = T::deserialize(walker) {
        panic!("walking {}: {e}", std::any::type_name::<T>());
    }
    out.into_inner()
}

/// Checks the `## {section}` part of `reference` against `accepted`: each
/// key has a table row whose first cell is the key's path in backticks,
/// that row names each value of an enum key in backticks, and every such
/// row names a key that exists. Returns what is wrong, one line each.
pub(crate) fn check_reference(accepted: &Accepted, reference: &str, section: &str) -> Vec<String> {
    let rows = key_rows(reference, section);
    let mut problems = Vec::new();
    if rows.is_empty() {
        problems.push(format!("no `## {section}` with key rows in the reference"));
    }
    for key in &accepted.keys {
        let Some(row) = rows.get(key.as_str()) else {
            problems.push(format!(
                "`{key}` is accepted but has no row under `## {section}`"
            ));
            continue;
        };
        for value in accepted.values.get(key).into_iter().flatten() {
            if !row.contains(&format!("`{value}`")) {
                problems.push(format!(
                    "the row of `{key}` does not name the value `{value}`"
                ));
            }
        }
    }
    for key in rows.keys() {
        if !accepted.keys.iter().any(|k| k == key) {
            problems.push(format!(
                "`{key}` is documented under `## {section}` but not accepted"
            ));
        }
    }
    problems
}

/// The table rows of one `## ` section whose first cell is a key in
/// backticks, by that key.
pub(crate) fn key_rows<'a>(reference: &'a str, section: &str) -> BTreeMap<&'a str, &'a str> {
    let heading = format!("## {section}");
    let mut rows = BTreeMap::new();
    let mut inside = false;
    for line in reference.lines() {
        if line.starts_with("## ") {
            inside = line.trim_end() == heading;
            continue;
        }
        let Some(cell) = line.strip_prefix("| `") else {
            continue;
        };
        if let (true, Some((key, _))) = (inside, cell.split_once("` |")) {
            rows.insert(key, line);
        }
    }
    rows
}

/// The first fenced block of `lang` in the `## {section}` part of `reference`.
pub(crate) fn first_example<'a>(reference: &'a str, section: &str, lang: &str) -> &'a str {
    let heading = format!("\n## {section}\n");
    let fence = format!("```{lang}\n");
    let example = reference.split_once(&heading).and_then(|(_, rest)| {
        let rest = rest.split("\n## ").next()?;
        let (_, block) = rest.split_once(&fence)?;
        block.split_once("```").map(|(text, _)| text)
    });
    example.unwrap_or_else(|| panic!("no ```{lang} block under `## {section}`"))
}

/// A deserializer that produces a value of any shape, recording the keys
/// of the structs it is asked for under `path`.
struct Walker<'a> {
    path: String,
    depth: usize,
    out: &'a RefCell<Accepted>,
    /// A map's key: read as the placeholder `<id>` (maybe spanned).
    key: bool,
}

impl<'a> Walker<'a> {
    fn at(&self, path: String) -> Result<Walker<'a>, Error> {
        if self.depth > 32 {
            return Err(de::Error::custom(format!("{path}: nested too deep")));
        }
        Ok(Walker {
            path,
            depth: self.depth + 1,
            out: self.out,
            key: false,
        })
    }

    fn into_key(mut self) -> Self {
        self.key = true;
        self
    }

    fn join(&self, key: &str) -> String {
        match self.path.is_empty() {
            true => key.to_string(),
            false => format!("{}.{key}", self.path),
        }
    }
}

/// Narrow numbers are read as the widest of their kind.
macro_rules! narrow_to {
    ($($($narrow:ident)+ => $wide:ident,)+) => {
        $($(
            fn $narrow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.$wide(visitor)
            }
        )+)+
    };
}

/// A string that is also a date: the one untagged type the raw types use
/// (`TomlDate`) reads it with `deserialize_any` and accepts it.
const SAMPLE: &str = "2026-03-01";

impl<'de> de::Deserializer<'de> for Walker<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.key {
            true => visitor.visit_borrowed_str("<id>"),
            false => visitor.visit_str(SAMPLE),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(false)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_i64(1)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(1)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f64(1.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let item = self.at(format!("{}[]", self.path))?;
        visitor.visit_seq(de::value::SeqDeserializer::new(std::iter::once(Item(item))))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.at(self.join("<id>"))?;
        let key = self.at(self.path.clone())?.into_key();
        visitor.visit_map(Entries {
            keys: vec!["<id>"],
            walkers: vec![value],
            record: false,
            map_key: Some(key),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let spanned = name == SPANNED;
        let mut walkers = Vec::with_capacity(fields.len());
        for field in fields {
            // A span's start, end and value: the value is the key's own.
            let path = if spanned {
                self.path.clone()
            } else {
                self.join(field)
            };
            let walker = self.at(path)?;
            // A spanned map key's value is still the key.
            walkers.push(if spanned && self.key {
                walker.into_key()
            } else {
                walker
            });
        }
        visitor.visit_map(Entries {
            keys: fields.to_vec(),
            walkers,
            record: !spanned,
            map_key: None,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let first = variants.first().copied().unwrap_or_default();
        self.out
            .borrow_mut()
            .values
            .insert(self.path.clone(), variants.to_vec());
        let first: StrDeserializer<'_, Error> = first.into_deserializer();
        visitor.visit_enum(first)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf identifier ignored_any
        unit unit_struct tuple tuple_struct
    }

    narrow_to! {
        deserialize_i8 deserialize_i16 deserialize_i32 => deserialize_i64,
        deserialize_u8 deserialize_u16 deserialize_u32 => deserialize_u64,
        deserialize_f32 => deserialize_f64,
    }
}

/// One sequence element, walked.
struct Item<'a>(Walker<'a>);

impl<'de, 'a> IntoDeserializer<'de, Error> for Item<'a> {
    type Deserializer = Walker<'a>;

    fn into_deserializer(self) -> Walker<'a> {
        self.0
    }
}

/// A struct's fields (or a map's one entry) with the walker of each value.
struct Entries<'a> {
    keys: Vec<&'static str>,
    walkers: Vec<Walker<'a>>,
    /// The keys are a struct's fields: record each as it is read, so that
    /// keys come out in the order of the types, depth first.
    record: bool,
    /// A map's entry: its key is read by this walker, so that keys of any
    /// type (`Spanned<String>` too) can be made.
    map_key: Option<Walker<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.keys.is_empty() {
            return Ok(None);
        }
        let key = self.keys.remove(0);
        if let (true, Some(walker)) = (self.record, self.walkers.first()) {
            walker.out.borrow_mut().keys.push(walker.path.clone());
        }
        if let Some(walker) = self.map_key.take() {
            return seed.deserialize(walker).map(Some);
        }
        // Borrowed, for serde_spanned, which reads its keys as `&str`.
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        if self.walkers.is_empty() {
            return Err(de::Error::custom("a value asked for before its key"));
        }
        seed.deserialize(self.walkers.remove(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(rename = "type")]
        kind: Kind,
        span: toml::Spanned<String>,
    }

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Kind {
        Text,
        Email,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        count: Option<u32>,
        list: Vec<Inner>,
        by_id: BTreeMap<String, Inner>,
        spanned_keys: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
        #[serde(default)]
        extra: toml::Table,
    }

    #[test]
    fn walks_into_nested_types_and_records_enum_values() {
        let a = accepted::<Outer>();
        assert_eq!(
            a.keys,
            [
                "title",
                "count",
                "list",
                "list[].type",
                "list[].span",
                "by_id",
                "by_id.<id>.type",
                "by_id.<id>.span",
                "spanned_keys",
                "extra",
            ]
        );
        assert_eq!(a.values["list[].type"], ["text", "email"]);
    }

    #[test]
    fn checks_rows_both_ways() {
        let a = accepted::<Outer>();
        let reference = "## Other\n| `nothing` | x |\n## Keys\n| key | type |\n| --- | --- |\n\
            | `title` | string |\n| `list[].type` | `text` or `email` |\n| `by_id.<id>.type` | `text` |\n\
            | `gone` | string |\n";
        let problems = check_reference(&a, reference, "Keys").join("\n");
        for missing in ["`count`", "`list[].span`", "`extra`", "`by_id.<id>.span`"] {
            assert!(
                problems.contains(&format!("{missing} is accepted")),
                "{problems}"
            );
        }
        assert!(!problems.contains("`title` is accepted"), "{problems}");
        assert!(!problems.contains("`nothing`"), "{problems}");
        assert!(
            problems.contains("`by_id.<id>.type` does not name the value `email`"),
            "{problems}"
        );
        assert!(problems.contains("`gone` is documented"), "{problems}");
    }
}
