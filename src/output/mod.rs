//! Writing a build: every file goes into a fresh folder beside the output
//! directory, which is swapped in only when everything was written
//! (`output/swap.rs`). A failed build therefore leaves the previous output
//! exactly as it was. Which folder may be written is `output/guard.rs`'s
//! decision, made before. Besides the pages and static files, a build puts
//! out its sitemap and robots.txt (`sitemap.rs`), its feeds (`feeds.rs`),
//! a page per redirect (`redirects.rs`) and per short link
//! (`short_links.rs`), the host's `_headers` and `_redirects` (`host.rs`),
//! or S3's redirect rules (`s3.rs`), and the manifest (`manifest.rs`).

pub(crate) mod assets;
pub(crate) mod feeds;
pub(crate) mod guard;
pub(crate) mod host;
pub(crate) mod images;
pub(crate) mod lost_links;
pub(crate) mod manifest;
pub(crate) mod minify;
pub(crate) mod redirects;
pub(crate) mod s3;
pub(crate) mod short_links;
pub(crate) mod sitemap;
pub(crate) mod swap;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::output::swap::Swap;
use crate::render::Page;
use crate::site::Site;
use crate::source::confine::SiteRoot;
use crate::source::theme::{StaticSource, Theme};

/// A file of the build: where it goes, and what it holds.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Relative to the output directory, with `/`.
    path: Arc<str>,
    content: Content,
}

/// What a file of the build holds.
#[derive(Debug, Clone)]
enum Content {
    /// Made by the build (a page, the sitemap).
    Text(Arc<str>),
    /// A source file of the site, copied as it is when written.
    Copy(PathBuf),
    /// A file of the theme built into the binary.
    Embedded(&'static [u8]),
    /// A processed image in the image cache, hard-linked (or copied) when
    /// written. In `serve` it may still be being made.
    Processed(PathBuf),
    /// A page already in the staging folder: written as soon as it was
    /// rendered ([`Staging::page`]), its bytes kept nowhere in memory.
    Written,
}

impl File {
    /// A file the build made.
    pub(crate) fn text(path: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> File {
        File {
            path: path.into(),
            content: Content::Text(text.into()),
        }
    }

    /// A source file of the site, copied to `path`.
    pub(crate) fn copy(path: impl Into<Arc<str>>, source: PathBuf) -> File {
        File {
            path: path.into(),
            content: Content::Copy(source),
        }
    }

    /// A processed image, from the image cache.
    pub(crate) fn processed(path: impl Into<Arc<str>>, cached: PathBuf) -> File {
        File {
            path: path.into(),
            content: Content::Processed(cached),
        }
    }

    /// A page of `pages`: its HTML, or the file it was written to.
    fn page(page: &Page) -> File {
        File {
            path: page.file.clone(),
            content: match &page.html {
                Some(html) => Content::Text(html.clone()),
                None => Content::Written,
            },
        }
    }

    /// A static file of the theme or the site.
    pub(crate) fn from_static(output: &str, source: &StaticSource) -> File {
        let content = match source {
            StaticSource::Disk(p) => Content::Copy(p.clone()),
            StaticSource::Embedded(b) => Content::Embedded(b),
        };
        File {
            path: output.into(),
            content,
        }
    }

    /// Its path relative to the output directory.
    pub(crate) fn output(&self) -> &str {
        self.name()
    }

    /// Its text, when the build made it and it is an HTML file.
    pub(crate) fn html_text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(text) if self.path.ends_with(".html") => Some(text),
            _ => None,
        }
    }

    /// Its path, shared.
    pub(crate) fn name(&self) -> &Arc<str> {
        &self.path
    }

    /// Whether the build made its content (a page, the sitemap, a feed),
    /// rather than took it from a file.
    pub(crate) fn is_made(&self) -> bool {
        matches!(self.content, Content::Text(_) | Content::Written)
    }

    /// The site's file it is a copy of, if it is one.
    pub(crate) fn source(&self) -> Option<&Path> {
        match &self.content {
            Content::Copy(source) => Some(source),
            _ => None,
        }
    }

    /// Whether it is a processed image, which may not be made yet.
    pub(crate) fn is_processed(&self) -> bool {
        matches!(self.content, Content::Processed(_))
    }

    /// Its content (read from disk for copies).
    pub(crate) fn bytes(&self) -> io::Result<Vec<u8>> {
        match &self.content {
            Content::Text(text) => Ok(text.as_bytes().to_vec()),
            Content::Embedded(bytes) => Ok(bytes.to_vec()),
            Content::Copy(source) | Content::Processed(source) => std::fs::read(source),
            Content::Written => Err(io::Error::other(format!(
                "{} was written as it was rendered, and is not kept in memory",
                self.path
            ))),
        }
    }

    /// Its content once the build is written into `out`: a page written
    /// as it was rendered is read back from there.
    pub(crate) fn bytes_in_output(&self, out: &Path) -> io::Result<Vec<u8>> {
        match &self.content {
            Content::Written => std::fs::read(out.join(&*self.path)),
            _ => self.bytes(),
        }
    }

    /// Its content, a copied file read only where it still lies inside
    /// `site` (what the preview server serves).
    pub(crate) fn read_in(&self, site: &SiteRoot) -> io::Result<Vec<u8>> {
        match &self.content {
            Content::Copy(source) => site.read(source),
            _ => self.bytes(),
        }
    }

    /// Writes the file into `dir`, whose folders already exist.
    fn write(&self, dir: &Path, site: &SiteRoot) -> io::Result<()> {
        let target = dir.join(self.output());
        match &self.content {
            Content::Text(text) => std::fs::write(&target, text.as_bytes()),
            Content::Embedded(bytes) => std::fs::write(&target, bytes),
            Content::Written => Ok(()),
            // Cache entries are never written again under the same name:
            // a hard link shares their bytes at no cost.
            Content::Processed(cached) => std::fs::hard_link(cached, &target)
                .or_else(|_| std::fs::copy(cached, &target).map(|_| ())),
            // A source deleted since the walk is simply no longer there.
            Content::Copy(source) => match site.open(source) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
                // io::copy between files uses copy_file_range on Linux.
                Ok(mut from) => std::fs::File::create(&target)
                    .and_then(|mut to| io::copy(&mut from, &mut to))
                    .map(|_| ()),
            },
        }
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", target.display())))
    }
}

/// Everything the output directory will hold: `pages`, `made` (the other
/// files the build made: feeds, redirect pages) and `processed` (images
/// and assets made from static files), which win over static files of the
/// same name; the site's static files win over the theme's.
pub(crate) fn files(
    site: &Site,
    theme: &Theme,
    pages: &[Page],
    made: Vec<File>,
    sitemap: Arc<str>,
    processed: Vec<File>,
) -> Vec<File> {
    // Pages win over static files and assets of the same name. Pages are
    // `index.html` files and `404.html`: only files so named are looked up.
    let page_like = |name: &&str| *name == "404.html" || name.ends_with("index.html");
    let others: HashSet<&str> = (theme.statics.keys().map(String::as_str))
        .chain(site.assets.iter().map(|a| a.output.as_str()))
        .filter(page_like)
        .collect();
    let mut taken: HashSet<&str> = if others.is_empty() {
        HashSet::new()
    } else {
        pages
            .iter()
            .map(|p| &*p.file)
            .filter(|p| others.contains(p))
            .collect()
    };
    taken.extend(made.iter().map(|f| &**f.name()));
    let mut files: Vec<File> =
        Vec::with_capacity(pages.len() + made.len() + theme.statics.len() + site.assets.len() + 2);
    for (path, source) in &theme.statics {
        if taken.insert(path) {
            files.push(File::from_static(path, source));
        }
    }
    for asset in site.assets.iter() {
        if taken.insert(&asset.output) {
            files.push(File::copy(asset.output.as_str(), asset.source.clone()));
        }
    }
    if !taken.contains("robots.txt") {
        files.push(File::text("robots.txt", sitemap::robots(site)));
    }
    files.push(File::text("sitemap.xml", sitemap));
    files.extend(
        processed
            .into_iter()
            .filter(|f| !taken.contains(f.output())),
    );
    files.extend(pages.iter().map(File::page));
    files.extend(made);
    files
}

/// A build being written into the staging folder beside its output, then
/// swapped in atomically (`output/swap.rs`): the dotfiles at the output's
/// top that the build does not provide are kept, and what an interrupted
/// build left is undone first. Pages may go in as soon as they are rendered
/// ([`Staging::page`]); the rest of the files follow ([`Staging::write`]),
/// then the swap ([`Staging::install`]). Dropped without being installed, the staging
/// folder is removed and the output stays exactly as it was.
pub(crate) struct Staging {
    swap: Swap,
    /// The first page that could not be written, and why.
    failed: Mutex<Option<io::Error>>,
    installed: bool,
}

impl Staging {
    /// Undoes what an interrupted build left beside `out`, then makes an
    /// empty staging folder holding the folders of `pages`' files
    /// (`blog/post/index.html`), ready for [`Staging::page`].
    pub(crate) fn begin<'a>(
        out: &Path,
        pages: impl Iterator<Item = &'a str>,
    ) -> io::Result<Staging> {
        let swap = Swap::beside(out);
        swap.recover()?;
        std::fs::create_dir_all(&swap.staging)?;
        let staging = Staging {
            swap,
            failed: Mutex::new(None),
            installed: false,
        };
        create_folders(&staging.swap.staging, pages)?;
        Ok(staging)
    }

    /// Writes page `file` (its folder made by [`Staging::begin`]). An
    /// error is kept, and returned by [`Staging::write`].
    pub(crate) fn page(&self, file: &str, html: &str) {
        let target = self.swap.staging.join(file);
        if let Err(e) = std::fs::write(&target, html)
            && let Ok(mut failed) = self.failed.lock()
        {
            let e = io::Error::new(e.kind(), format!("{}: {e}", target.display()));
            failed.get_or_insert(e);
        }
    }

    /// Writes the `files` not written yet (a page that could not be written
    /// earlier is this error). Copied files are read only from inside `site`.
    pub(crate) fn write(&self, files: &[File], site: &SiteRoot) -> io::Result<()> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        let staging = &self.swap.staging;
        let unwritten = files
            .iter()
            .filter(|f| !matches!(f.content, Content::Written));
        create_folders(staging, unwritten.clone().map(File::output))?;
        let unwritten: Vec<&File> = unwritten.collect();
        unwritten
            .par_iter()
            .try_for_each(|f| f.write(staging, site))
    }

    /// Swaps the staging folder, which holds every one of `files`, in.
    pub(crate) fn install(mut self, files: &[File]) -> io::Result<()> {
        let provided = top_level_names(files);
        // From here on, `Swap::recover` is what puts things back.
        self.installed = true;
        (self.swap.install(&|name| provided.contains(name))).inspect_err(|_| {
            // Puts the previous output and its dotfiles back; what it cannot
            // put back stays where the next build will find it.
            let _ = self.swap.recover();
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.installed {
            let _ = std::fs::remove_dir_all(&self.swap.staging);
        }
    }
}

/// The names at the top of the output that a build writes.
pub(crate) fn top_level_names(files: &[File]) -> HashSet<&str> {
    files.iter().map(|f| top_level(f.output())).collect()
}

/// The name at the top of the output that `path` (`blog/post/index.html`)
/// lies under.
fn top_level(path: &str) -> &str {
    path.split('/').next().unwrap_or_default()
}

/// The names at the top of the output known before the site is rendered:
/// those of its pages and static files (a subset of [`top_level_names`]).
pub(crate) fn top_level_names_before_render<'a>(
    site: &'a Site,
    theme: &'a Theme,
) -> HashSet<&'a str> {
    let pages = site
        .outputs
        .iter()
        .map(|o| top_level(&o.path.as_str()[1..]));
    let statics = theme.statics.keys().map(|k| top_level(k));
    let assets = site.assets.iter().map(|a| top_level(&a.output));
    pages.chain(statics).chain(assets).collect()
}

/// Makes, inside `dir`, the folders that `files` (`blog/post/index.html`)
/// go into: each once, rather than a create_dir_all per file, parents
/// before children, the folders of one depth in parallel.
fn create_folders<'a>(dir: &Path, files: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let depth = |d: &str| d.bytes().filter(|&b| b == b'/').count();
    let mut folders: Vec<(usize, &str)> = files
        .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
        .flat_map(|d| {
            let parents = d.match_indices('/').map(move |(i, _)| &d[..i]);
            parents.chain([d])
        })
        .map(|d| (depth(d), d))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    folders.chunk_by(|a, b| a.0 == b.0).try_for_each(|level| {
        level
            .par_iter()
            .try_for_each(|(_, d)| match std::fs::create_dir(dir.join(d)) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
                done => done,
            })
    })
}

/// Writes one file through a temporary sibling and a rename.
pub(crate) fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("utmost-tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_atomically(out: &Path, files: &[File], site: &SiteRoot) -> io::Result<()> {
        let staging = Staging::begin(out, std::iter::empty())?;
        staging.write(files, site)?;
        staging.install(files)
    }

    /// A site folder whose `public` holds a first build of `file`.
    fn built_once(file: File) -> (tempfile::TempDir, PathBuf, SiteRoot) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = SiteRoot::new(dir.path());
        write_atomically(&out, &[file], &site).unwrap();
        (dir, out, site)
    }

    fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = (std::fs::read_dir(dir).unwrap().flatten())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn swaps_in_new_output_and_keeps_old_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = SiteRoot::new(dir.path());
        write_atomically(&out, &[File::text("a/index.html", "one")], &site).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        // A folder cannot be copied as a file: the write fails half-way.
        let bad = [
            File::text("b.html", "two"),
            File::copy("c.css", dir.path().to_path_buf()),
        ];
        assert!(write_atomically(&out, &bad, &site).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        assert!(!out.join("b.html").exists());
        // A copied file deleted since the walk is left out, not an error.
        let gone = File::copy("gone.css", dir.path().join("missing.css"));
        let files = [File::text("b.html", "two"), gone];
        write_atomically(&out, &files, &site).unwrap();
        assert!(!out.join("a").exists(), "stale files are gone");
        assert!(!out.join("gone.css").exists());
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn pages_written_as_rendered_are_swapped_in_with_the_rest() {
        let (dir, out, site) = built_once(File::text("old/index.html", "old"));
        let staging = Staging::begin(&out, ["a/b/index.html", "index.html"].into_iter()).unwrap();
        staging.page("a/b/index.html", "streamed");
        staging.page("index.html", "home");
        let page = |file: &str| {
            File::page(&Page {
                file: file.into(),
                html: None,
            })
        };
        let files = [
            page("a/b/index.html"),
            page("index.html"),
            File::text("a/c.css", "css"),
        ];
        // Held by nobody but the staging folder, a streamed page has no bytes here.
        assert!(files[0].bytes().is_err());
        staging.write(&files, &site).unwrap();
        staging.install(&files).unwrap();
        let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
        assert_eq!(read("a/b/index.html"), "streamed");
        assert_eq!(
            (read("index.html"), read("a/c.css")),
            ("home".into(), "css".into())
        );
        assert!(!out.join("old").exists());
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn a_build_given_up_or_failing_to_write_a_page_leaves_the_output_as_it_was() {
        let (dir, out, site) = built_once(File::text("index.html", "one"));
        // Given up after a page was written (a later stage failed).
        let staging = Staging::begin(&out, ["a/index.html"].into_iter()).unwrap();
        staging.page("a/index.html", "two");
        drop(staging);
        assert_eq!(entries(dir.path()), ["public"]);
        // A page whose folder is not there cannot be written: `write` says so.
        let staging = Staging::begin(&out, std::iter::empty()).unwrap();
        staging.page("nowhere/index.html", "two");
        let err = staging.write(&[], &site).unwrap_err();
        drop(staging);
        assert!(err.to_string().contains("nowhere/index.html"), "{err}");
        assert_eq!(entries(dir.path()), ["public"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
    }
}
