//! content/: the Markdown files of a site, each split into `+++` front
//! matter and body and checked on its own into a [`Document`]; walking the
//! folder is `walk.rs`, front matter `front_matter.rs` (Zola's blog keys in
//! `blog_keys.rs`, reporting through `front_matter_report.rs`).
//!
//! A folder is a section when it holds `_index.md`; `x/index.md` is a page
//! bundle (the page `x` with its assets beside it). Every other file is an
//! asset copied to the matching output folder. Paths, campaigns and templates
//! are resolved later, in `site/`; this module only knows single files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::{Diagnostic, Kind, Name};

mod blog_keys;
mod front_matter;
mod front_matter_keys;
mod front_matter_report;
mod split;
mod walk;

use crate::util::layout::CONTENT_DIR;
pub(crate) use blog_keys::Terms;
pub(crate) use front_matter_keys::{FrontMatter, SortBy};
use split::{Split, SplitError};
pub(crate) use walk::{vanished, walk};

/// A section's own file, in its folder.
pub(crate) const SECTION_FILE: &str = "_index.md";
/// A page bundle's own file: the folder is the page.
pub(crate) const BUNDLE_FILE: &str = "index.md";
/// The home page's file, relative to content/: the top folder's section.
pub(crate) const HOME_FILE: &str = SECTION_FILE;

/// The section file of a folder of content/ (`blog/_index.md`; the home
/// page's for the top folder, named by the empty string).
pub(crate) fn section_file(folder: &str) -> String {
    match folder {
        "" => SECTION_FILE.to_string(),
        folder => format!("{folder}/{SECTION_FILE}"),
    }
}

/// What a Markdown file of content/ is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A page named after its file.
    Page,
    /// `index.md`: the page named after its folder, its assets beside it.
    Bundle,
    /// `_index.md`: its folder's section.
    Section,
}

impl FileKind {
    /// The kind of the file at `rel` (relative to content/).
    pub(crate) fn of(rel: &str) -> FileKind {
        match rel.rsplit('/').next().unwrap_or(rel) {
            SECTION_FILE => FileKind::Section,
            BUNDLE_FILE => FileKind::Bundle,
            _ => FileKind::Page,
        }
    }
}

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
    /// A page, a bundle or a section.
    pub kind: FileKind,
    pub front: FrontMatter,
    /// Unique to this reading of the file among the readings of one
    /// [`Files`]: a rebuild knows a document is unchanged when its version
    /// is. 0 for documents utmost makes up.
    pub version: u64,
}

impl Document {
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// `_index.md`: its folder's section.
    pub(crate) fn is_section(&self) -> bool {
        self.kind == FileKind::Section
    }

    /// Whether the file stands for its folder (a section, or a bundle).
    pub(crate) fn is_folder(&self) -> bool {
        self.kind != FileKind::Page
    }

    /// content/_index.md, the home page.
    pub(crate) fn is_home(&self) -> bool {
        self.rel == HOME_FILE
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

/// A file of content/ that is not Markdown, copied beside its page.
#[derive(Debug, Clone)]
pub(crate) struct ContentAsset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Relative to content/, with `/`.
    pub rel: String,
}

/// What walking content/ found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Content {
    pub documents: Vec<Arc<Document>>,
    /// Every file that is not Markdown.
    pub assets: Vec<ContentAsset>,
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
    pub assets: Vec<ContentAsset>,
    /// Problems walking the folder itself.
    pub walk_errors: Vec<Diagnostic>,
    /// The last version given to a document read for these files (and for
    /// the walks that reused them): each reading gets the next.
    versions: Arc<AtomicU64>,
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

    /// A version no document of these files has had.
    fn next_version(&self) -> u64 {
        self.versions.fetch_add(1, Ordering::Relaxed) + 1
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
                match walk::read_document(root, &source, rel.to_string(), self.next_version()) {
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

/// Splits and validates one Markdown file's text; `version` tells this
/// reading of it from others.
pub(crate) fn parse_document(
    source: &Path,
    rel: String,
    text: String,
    version: u64,
) -> Result<Document, Vec<Diagnostic>> {
    let kind = FileKind::of(&rel);
    let (front, body_start) =
        match split::split(&text).map_err(|e| split_error(source, &text, e))? {
            Split::Toml { toml, body_start } => {
                let front = front_matter::parse(source, &text, toml, kind)?;
                (front, body_start)
            }
            Split::None => (FrontMatter::empty(kind), 0),
        };
    Ok(Document {
        source: source.to_path_buf(),
        rel,
        text,
        body_start,
        kind,
        front,
        version,
    })
}

/// The error for front matter that cannot be split, at its opening line.
fn split_error(source: &Path, text: &str, error: SplitError) -> Vec<Diagnostic> {
    let d = match error {
        SplitError::Unclosed(span) => {
            Diagnostic::at(source, text, span, "front matter is not closed")
                .with_help("end the front matter with a line holding only `+++`")
        }
        SplitError::Yaml(span) => Diagnostic::at(
            source,
            text,
            span,
            "YAML front matter (`---`) is not read: front matter is TOML between `+++` lines",
        )
        .with_help(
            "write it as TOML between `+++` lines (`utmost import zola` converts a Zola site's)",
        ),
    };
    vec![d.kind(Kind::FrontMatter)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_document(
            Path::new("content/a.md"),
            "a.md".into(),
            text.to_string(),
            1,
        )
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
        // Zola's themes write a blank line first and blanks after `+++`.
        let theme = parse("\n+++\ntitle = \"Hi\"\n+++        \n        \n# Body\n").unwrap();
        assert_eq!(theme.front.title.as_deref(), Some("Hi"));
        assert_eq!(theme.body(), "# Body\n");
    }

    #[test]
    fn yaml_front_matter_is_an_error_not_a_body() {
        let e = first_error("\n---\ntitle: Hi\n---\nBody\n");
        assert!(e.contains("YAML front matter"), "{e}");
        assert!(e.contains("content/a.md:2:1"), "{e}");
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
