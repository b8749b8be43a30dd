//! content/: walking the folder, splitting `+++` front matter from the body,
//! and validating front matter into [`Document`]s.
//!
//! A folder is a section when it holds `_index.md`; `x/index.md` is a page
//! bundle (the page `x` with its assets beside it). Every other file is an
//! asset copied to the matching output folder. Paths, campaigns and templates
//! are resolved later, in `site.rs`; this module only knows single files.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Kind, Name};

mod front_matter;

pub(crate) use crate::util::layout::CONTENT_DIR;

/// The funnel stages a page may declare.
pub(crate) const STAGES: [&str; 6] = [
    "awareness",
    "interest",
    "consideration",
    "intent",
    "evaluation",
    "purchase",
];

/// One Markdown file of content/, front matter validated.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// Relative to the site root: `content/blog/post.md`.
    pub source: PathBuf,
    /// Relative to content/, with `/`: `blog/post.md` (what `@/` links name).
    pub rel: String,
    /// The whole file.
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    pub is_section: bool,
    /// `index.md`: the folder is the page.
    pub is_bundle: bool,
    pub front: FrontMatter,
    /// Unique to this reading of the file: a rebuild knows a document is
    /// unchanged when its version is. 0 for documents utmost makes up.
    pub version: u64,
}

static VERSIONS: AtomicU64 = AtomicU64::new(1);

impl Document {
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A diagnostic at a byte range of this file.
    pub(crate) fn error(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::at(&self.source, &self.text, span, message)
    }

    /// An unknown name (a campaign, form, template…) its front matter gives
    /// at `span`, with the nearest of `known` suggested.
    pub(crate) fn unknown<'a>(
        &self,
        span: std::ops::Range<usize>,
        what: Name,
        wrong: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Diagnostic {
        Diagnostic::unknown(&self.source, &self.text, span, what, wrong, known)
            .kind(Kind::FrontMatter)
    }

    /// The folder of this document under content/, with `/`, no slashes at
    /// the ends (`blog`; empty at the top).
    pub(crate) fn folder(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SortBy {
    #[default]
    Date,
    Weight,
    Title,
}

/// Front matter, spans relative to the whole file.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    pub template: Option<Spanned<String>>,
    pub campaign: Option<Spanned<String>>,
    pub form: Option<Spanned<String>>,
    pub stage: Option<String>,
    pub persona: Option<String>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub personalize: bool,
    pub landing: Option<Spanned<String>>,
    pub variants: Vec<Variant>,
    pub extra: serde_json::Value,
    pub sort_by: SortBy,
    pub page_template: Option<Spanned<String>>,
}

/// An A/B variant of a page: its id and what it overrides.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub extra: serde_json::Value,
}

/// What walking content/ found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Content {
    pub documents: Vec<Arc<Document>>,
    /// Non-Markdown files: (path on disk, path relative to content/).
    pub assets: Vec<(PathBuf, String)>,
    /// Markdown files (relative to content/) left out for their errors.
    pub failed: Vec<String>,
}

/// One Markdown file, read and checked, or what is wrong with it.
pub(crate) type Loaded = Result<Arc<Document>, Vec<Diagnostic>>;

/// Every file of content/, before drafts are dropped: what a rebuild keeps.
#[derive(Debug, Default, Clone)]
pub(crate) struct Files {
    /// By path relative to content/.
    pub markdown: BTreeMap<String, Loaded>,
    pub assets: Vec<(PathBuf, String)>,
    /// Problems walking the folder itself.
    pub walk_errors: Vec<Diagnostic>,
}

impl Files {
    /// The documents to build (drafts only with `drafts`) and all errors.
    pub(crate) fn content(&self, drafts: bool) -> (Content, Vec<Diagnostic>) {
        let mut diagnostics = self.walk_errors.clone();
        let mut documents = Vec::with_capacity(self.markdown.len());
        let mut failed = Vec::new();
        for (rel, loaded) in &self.markdown {
            match loaded {
                Ok(doc) if doc.front.draft && !drafts => {}
                Ok(doc) => documents.push(doc.clone()),
                Err(d) => {
                    diagnostics.extend(d.iter().cloned());
                    failed.push(rel.clone());
                }
            }
        }
        let assets = self.assets.clone();
        let content = Content {
            documents,
            assets,
            failed,
        };
        (content, diagnostics)
    }

    /// Re-reads one file of content/ (`rel` relative to content/), or drops
    /// it when it is gone. `false` when that cannot be done file by file
    /// (an asset or a folder changed) and the folder must be walked again.
    pub(crate) fn refresh(&mut self, root: &Path, rel: &str) -> bool {
        if !rel.ends_with(".md") {
            return false;
        }
        let path = root.join(CONTENT_DIR).join(rel);
        // A file under a folder swapped for a link is the walk's to judge.
        let inside = || {
            crate::source::confine::SiteRoot::new(root)
                .resolve(&path)
                .is_some()
        };
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() && inside() => {
                let source = PathBuf::from(CONTENT_DIR).join(rel);
                match read_document(root, &source, rel.to_string()) {
                    Some(loaded) => self.markdown.insert(rel.to_string(), loaded),
                    None => self.markdown.remove(rel),
                };
                true
            }
            Ok(_) => false,
            Err(_) => {
                self.markdown.remove(rel);
                true
            }
        }
    }
}

/// Walks `root/content`, reusing `cached` Markdown files that are still there.
pub(crate) fn walk(root: &Path, cached: &Files) -> Files {
    let dir = root.join(CONTENT_DIR);
    let mut files = Files::default();
    if !dir.is_dir() {
        files.walk_errors.push(
            Diagnostic::file(CONTENT_DIR, "no content/ folder")
                .with_help("create content/_index.md for the home page"),
        );
        return files;
    }
    let site = crate::source::confine::SiteRoot::new(root);
    if let Some(d) = site.check_folder(Path::new(CONTENT_DIR)) {
        files.walk_errors.push(d);
        return files;
    }
    let root_real = site.real();
    let mut to_read = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if vanished(&e) => continue,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                files
                    .walk_errors
                    .push(Diagnostic::file(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let source = relative(root, entry.path());
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(root_real) && target.is_file() => {}
                Ok(target) if target.starts_with(root_real) => continue,
                _ => {
                    files.walk_errors.push(Diagnostic::file(
                        source,
                        "symbolic link points outside the site (or nowhere); it is not followed",
                    ));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            continue;
        }
        let rel = match entry.path().strip_prefix(&dir) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        if rel.ends_with(".md") {
            match cached.markdown.get(&rel) {
                Some(done) => {
                    files.markdown.insert(rel, done.clone());
                }
                None => to_read.push((source, rel)),
            }
        } else {
            files.assets.push((entry.path().to_path_buf(), rel));
        }
    }
    // Reading and parsing are independent per file: do them on all cores.
    let read: Vec<(String, Loaded)> = to_read
        .into_par_iter()
        .filter_map(|(source, rel)| {
            let loaded = read_document(root, &source, rel.clone())?;
            Some((rel, loaded))
        })
        .collect();
    files.markdown.extend(read);
    files
}

/// A walk error for a file or folder deleted since it was listed: it is
/// simply gone, and the build goes on without it.
pub(crate) fn vanished(e: &walkdir::Error) -> bool {
    e.io_error().map(io::Error::kind) == Some(io::ErrorKind::NotFound)
}

/// Dotfiles, editor backups and swap files are never content.
fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with('#')
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `None` when the file was deleted since it was listed.
fn read_document(root: &Path, source: &Path, rel: String) -> Option<Loaded> {
    let bytes = match std::fs::read(root.join(source)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Err(vec![Diagnostic::file(
                source,
                format!("cannot read: {e}"),
            )]));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Some(Err(vec![
                Diagnostic::at(source, &lossy, at..at + 1, "file is not valid UTF-8")
                    .with_help("save the file as UTF-8"),
            ]));
        }
    };
    Some(parse_document(source, rel, text).map(Arc::new))
}

/// Splits and validates one Markdown file's text.
pub(crate) fn parse_document(
    source: &Path,
    rel: String,
    text: String,
) -> Result<Document, Vec<Diagnostic>> {
    let file_name = rel.rsplit('/').next().unwrap_or(&rel);
    let is_section = file_name == "_index.md";
    let is_bundle = file_name == "index.md";
    let split = split_front_matter(&text).map_err(|span| {
        vec![
            Diagnostic::at(source, &text, span, "front matter is not closed")
                .with_help("end the front matter with a line holding only `+++`")
                .kind(Kind::FrontMatter),
        ]
    })?;
    let (front, body_start) = match split {
        Some((range, body_start)) => {
            let front = front_matter::parse(source, &text, range, is_section)?;
            (front, body_start)
        }
        None => (FrontMatter::default(), 0),
    };
    Ok(Document {
        source: source.to_path_buf(),
        rel,
        text,
        body_start,
        is_section,
        is_bundle,
        front,
        version: VERSIONS.fetch_add(1, Ordering::Relaxed),
    })
}

/// Finds `+++` front matter: `Ok(Some((toml range, body start)))`, `Ok(None)`
/// when the file has none, `Err(span of the opening line)` when unclosed.
pub(crate) fn split_front_matter(
    text: &str,
) -> Result<Option<(std::ops::Range<usize>, usize)>, std::ops::Range<usize>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_end].trim_end() != "+++" {
        return Ok(None);
    }
    let toml_start = (first_end + 1).min(text.len());
    let mut offset = toml_start;
    for line in text[toml_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Some((toml_start..offset, offset + line.len())));
        }
        offset += line.len();
    }
    Err(start..first_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_document(Path::new("content/a.md"), "a.md".into(), text.to_string())
    }

    fn first_error(text: &str) -> String {
        parse(text).unwrap_err()[0].render(false)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let doc = parse("+++\ntitle = \"Hi\"\n+++\n# Body\n").unwrap();
        assert_eq!(doc.front.title.as_deref(), Some("Hi"));
        assert_eq!(doc.body(), "# Body\n");
        let none = parse("# Just markdown\n").unwrap();
        assert_eq!(none.body(), "# Just markdown\n");
        let crlf = parse("+++\r\ntitle = \"Hi\"\r\n+++\r\nx").unwrap();
        assert_eq!(crlf.body(), "x");
    }

    #[test]
    fn unclosed_front_matter_points_at_opening_line() {
        let e = first_error("+++\ntitle = \"x\"\n\nbody\n");
        assert!(e.contains("front matter is not closed"), "{e}");
        assert!(e.contains("content/a.md:1:1"), "{e}");
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let e = first_error("+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n");
        assert!(e.contains("unknown key `titel`"), "{e}");
        assert!(e.contains("content/a.md:3:1"), "{e}");
        assert!(e.contains("3 | titel = \"y\""), "{e}");
        assert!(e.contains("did you mean `title`?"), "{e}");
        let e = first_error("+++\ntitle = \"x\n+++\n");
        assert!(e.contains("content/a.md:2:"), "{e}");
    }

    #[test]
    fn unknown_stage_is_an_error_with_hint() {
        let e = first_error("+++\nstage = \"awarness\"\n+++\n");
        assert!(e.contains("unknown funnel stage `awarness`"), "{e}");
        assert!(e.contains("content/a.md:2:9"), "{e}");
        assert!(e.contains("did you mean `awareness`?"), "{e}");
    }

    #[test]
    fn spans_are_relative_to_the_file() {
        let doc = parse("+++\ntitle = \"x\"\ncampaign = \"c\"\n+++\n").unwrap();
        let span = doc.front.campaign.unwrap().span();
        assert_eq!(&doc.text[span], "\"c\"");
    }

    #[test]
    fn the_reference_example_is_valid_front_matter() {
        let example = crate::util::serde_keys::first_example(
            crate::util::serde_keys::REFERENCE,
            "Front matter",
            "toml",
        );
        if let Err(d) = parse(example) {
            panic!("{}", d[0].render(false));
        }
    }

    #[test]
    fn variant_ids_are_checked() {
        let e = first_error("+++\n[[variants]]\nid = \"a\"\n+++\n");
        assert!(e.contains("variant id `a`"), "{e}");
    }
}
