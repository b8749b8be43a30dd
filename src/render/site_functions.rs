//! Zola's template functions that read the site: `get_page` and
//! `get_section` (another page or section, as templates see their own),
//! `load_data` (a data file of the site, read once per build), `now`, and
//! `get_url`'s `cachebust`.
//!
//! Pages rendered in a build can read any other page or file this way, so
//! a build whose templates call `get_page`, `get_section` or `load_data`
//! renders every page anew rather than reusing the last build's (see
//! [`reads_site`]).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostic::Name;
use crate::markdown::Body;
use crate::render::views::{self, SectionView};
use crate::site::{Output, Site};
use crate::source::confine::SiteRoot;

/// What the site functions share in one build: the site's root, the data
/// files read so far, and the rendered bodies once there are any.
pub(crate) struct SiteData {
    root: SiteRoot,
    loaded: Mutex<HashMap<(PathBuf, Format), Value>>,
    /// By entry: its own body. Empty while bodies are rendered (a
    /// shortcode's `get_page` sees no `content`).
    bodies: OnceLock<Vec<Option<Arc<Body>>>>,
}

impl SiteData {
    pub(crate) fn new(root: &Path) -> SiteData {
        SiteData {
            root: SiteRoot::new(root),
            loaded: Mutex::default(),
            bodies: OnceLock::new(),
        }
    }

    /// Gives the functions the bodies, `bodies[main_output[entry]]` being
    /// each entry's own.
    pub(crate) fn set_bodies(&self, bodies: &[Arc<Body>], main_output: &[usize]) {
        let by_entry = (main_output.iter())
            .map(|&o| bodies.get(o).cloned())
            .collect();
        let _ = self.bodies.set(by_entry);
    }

    fn body(&self, entry: usize) -> Option<&Body> {
        self.bodies.get()?.get(entry)?.as_deref()
    }
}

/// Whether templates with these sources read other pages or data files.
pub(crate) fn reads_site<'a>(sources: impl IntoIterator<Item = &'a str>) -> bool {
    let calls = ["get_page(", "get_section(", "load_data("];
    (sources.into_iter()).any(|s| calls.iter().any(|c| s.contains(c)))
}

/// Registers `get_page`, `get_section`, `load_data` and `now`.
pub(crate) fn register(tera: &mut Tera, site: &Arc<Site>, data: &Arc<SiteData>) {
    let (s, d) = (site.clone(), data.clone());
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        get_page(&s, &d, &kwargs)
    });
    let (s, d) = (site.clone(), data.clone());
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        get_section(&s, &d, &kwargs)
    });
    let d = data.clone();
    tera.register_function("load_data", move |kwargs: Kwargs, _: &State| {
        load_data(&d, &kwargs)
    });
    tera.register_function("now", |kwargs: Kwargs, _: &State| now(&kwargs));
}

/// The entry a `path` argument names: `blog/post.md` or `@/blog/post.md`.
fn entry_of(site: &Site, kwargs: &Kwargs) -> TeraResult<usize> {
    let path: String = kwargs.must_get("path")?;
    let rel = path.strip_prefix("@/").unwrap_or(&path);
    site.index_of(rel).ok_or_else(|| {
        let unknown = crate::diagnostic::Unknown::new(Name::Page, rel, site.content_files());
        super::unknown::unknown_error(unknown)
    })
}

/// The main output of entry `i`, written or not.
fn output_of(site: &Site, i: usize) -> Output {
    Output::main(i, site.entries[i].path.clone())
}

fn get_page(site: &Site, data: &SiteData, kwargs: &Kwargs) -> TeraResult<Value> {
    let i = entry_of(site, kwargs)?;
    if site.entries[i].doc.is_section() {
        return Err(tera::Error::message(format!(
            "`{}` is a section: use `get_section`",
            site.entries[i].doc.rel
        )));
    }
    let output = output_of(site, i);
    Ok(Value::from_serializable(&views::page_view(
        site,
        &output,
        data.body(i),
    )))
}

fn get_section(site: &Site, data: &SiteData, kwargs: &Kwargs) -> TeraResult<Value> {
    let i = entry_of(site, kwargs)?;
    let entry = &site.entries[i];
    if !entry.doc.is_section() {
        return Err(tera::Error::message(format!(
            "`{}` is a page, not a section's `_index.md`: use `get_page`",
            entry.doc.rel
        )));
    }
    let metadata_only = kwargs.get::<bool>("metadata_only")?.unwrap_or(false);
    let output = output_of(site, i);
    let body = data.body(i).filter(|_| !metadata_only);
    let section = SectionView {
        page: views::page_view(site, &output, body),
        subsections: (entry.subsections.iter())
            .map(|&s| views::subsection_view(site, s))
            .collect(),
    };
    let pages = match metadata_only {
        true => Vec::new(),
        false => (entry.pages.iter())
            .map(|&p| Value::from_serializable(&views::listed(site, p, data.body(p))))
            .collect(),
    };
    Ok(section.with_pages(pages))
}

/// A data file's format (Zola's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Format {
    Toml,
    Json,
    Csv,
    Yaml,
    Plain,
}

impl Format {
    fn named(name: &str) -> Option<Format> {
        Some(match name {
            "toml" => Format::Toml,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "yaml" | "yml" => Format::Yaml,
            "plain" | "txt" => Format::Plain,
            _ => return None,
        })
    }
}

fn load_data(data: &SiteData, kwargs: &Kwargs) -> TeraResult<Value> {
    if kwargs.get::<String>("url")?.is_some() {
        return Err(tera::Error::message(
            "`load_data(url=…)`: utmost builds offline; save the file in the site and give its `path`",
        ));
    }
    let path: String = kwargs.must_get("path")?;
    let required = kwargs.get::<bool>("required")?.unwrap_or(true);
    let rel = inside_site(&path)?;
    let format = match kwargs.get::<String>("format")? {
        Some(name) => Format::named(&name),
        None => Format::named(rel.extension().and_then(|e| e.to_str()).unwrap_or("plain")),
    }
    .ok_or_else(|| {
        tera::Error::message(format!(
            "`{path}`: load_data reads `toml`, `json`, `csv`, `yaml` or `plain` (say which with `format`)"
        ))
    })?;
    let key = (rel.clone(), format);
    if let Some(value) = data.loaded.lock().ok().and_then(|l| l.get(&key).cloned()) {
        return Ok(value);
    }
    let bytes = match data.root.read(&data.root.real().join(&rel)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Value::none());
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(tera::Error::message(format!(
                "no file `{path}` in the site (load_data paths are relative to the site's root)"
            )));
        }
        Err(e) => return Err(tera::Error::message(format!("cannot read `{path}`: {e}"))),
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| tera::Error::message(format!("`{path}` is not UTF-8 text")))?;
    let value = parse(&text, format).map_err(|e| tera::Error::message(format!("`{path}`: {e}")))?;
    if let Ok(mut loaded) = data.loaded.lock() {
        loaded.insert(key, value.clone());
    }
    Ok(value)
}

/// `path` relative to the site's root (`@/x` is `content/x`), refused
/// when it would leave the site.
fn inside_site(path: &str) -> TeraResult<PathBuf> {
    let rel = match path.strip_prefix("@/") {
        Some(rest) => Path::new(crate::util::layout::CONTENT_DIR).join(rest),
        None => PathBuf::from(path.trim_start_matches('/')),
    };
    let inside = rel.components().all(|c| matches!(c, Component::Normal(_)));
    match inside && !path.is_empty() {
        true => Ok(rel),
        false => Err(tera::Error::message(format!(
            "`{path}` is not a path inside the site"
        ))),
    }
}

/// A data file's text as a template value (YAML read by serde-saphyr:
/// pure Rust, maintained, where serde_yaml is deprecated): CSV as Zola
/// gives it,
/// `{ headers, records }`.
fn parse(text: &str, format: Format) -> Result<Value, String> {
    match format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
            Ok(Value::from_serializable(&table))
        }
        Format::Json => {
            let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            Ok(Value::from_serializable(&json))
        }
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let headers: Vec<String> = (reader.headers().map_err(|e| e.to_string())?)
                .iter()
                .map(str::to_string)
                .collect();
            let mut records = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|e| e.to_string())?;
                records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
            }
            let table = serde_json::json!({ "headers": headers, "records": records });
            Ok(Value::from_serializable(&table))
        }
        Format::Yaml => {
            let yaml: serde_json::Value =
                serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
            Ok(Value::from_serializable(&yaml))
        }
        Format::Plain => Ok(Value::from(text)),
    }
}

/// The time of the build, in UTC: RFC 3339 (`2026-11-24T17:30:05Z`), or
/// with `timestamp=true` seconds since 1970.
fn now(kwargs: &Kwargs) -> TeraResult<Value> {
    let seconds = crate::util::clock::unix_seconds();
    if kwargs.get::<bool>("timestamp")?.unwrap_or(false) {
        return Ok(Value::from(seconds));
    }
    Ok(Value::from(crate::util::clock::rfc3339(seconds)))
}

/// `url` with Zola's cache-busting query: `?h=` and a hash of the static
/// file's bytes, when `bytes` are known.
pub(crate) fn cachebust(url: String, bytes: Option<&[u8]>) -> String {
    match bytes {
        Some(b) => format!("{url}?h={:016x}", xxhash_rust::xxh3::xxh3_64(b)),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_paths_stay_in_the_site() {
        assert_eq!(
            inside_site("data/plans.toml").ok(),
            Some("data/plans.toml".into())
        );
        assert_eq!(
            inside_site("@/blog/x.csv").ok(),
            Some("content/blog/x.csv".into())
        );
        for bad in ["../secrets.toml", "data/../../x", ""] {
            assert!(inside_site(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn csv_is_headers_and_records() {
        let value = parse("plan,price\nteam,49\n\"big, co\",99\n", Format::Csv).unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            json,
            r#"{"headers":["plan","price"],"records":[["team","49"],["big, co","99"]]}"#
        );
        assert!(parse("a = ", Format::Toml).is_err());
        assert!(parse("{", Format::Json).is_err());
        let yaml = parse("plans:\n  - name: team\n    price: 49\n", Format::Yaml).unwrap();
        let json = serde_json::to_string(&yaml).unwrap();
        assert_eq!(json, r#"{"plans":[{"name":"team","price":49}]}"#);
        assert!(parse("a: [", Format::Yaml).is_err());
    }
}
