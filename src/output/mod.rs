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
use std::sync::Arc;

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
    files.extend((pages.iter()).map(|p| File::text(p.file.clone(), p.html.clone())));
    files.extend(made);
    files
}

/// Writes `files` as the new content of `out`, atomically (see
/// `output/swap.rs`): the dotfiles at its top that the build does not
/// provide are kept, and what an interrupted build left is undone first.
/// Copied files are read only from inside `site`.
pub(crate) fn write_atomically(out: &Path, files: &[File], site: &SiteRoot) -> io::Result<()> {
    let swap = Swap::beside(out);
    swap.recover()?;
    let staging = &swap.staging;
    std::fs::create_dir_all(staging)?;
    if let Err(e) = write_all(staging, files, site) {
        let _ = std::fs::remove_dir_all(staging);
        return Err(e);
    }
    let provided = top_level_names(files);
    swap.install(&|name| provided.contains(name))
        .inspect_err(|_| {
            // Puts the previous output and its dotfiles back; what it cannot
            // put back stays where the next build will find it.
            let _ = swap.recover();
        })
}

/// The names at the top of the output that a build writes.
pub(crate) fn top_level_names(files: &[File]) -> HashSet<&str> {
    files
        .iter()
        .map(|f| f.output().split('/').next().unwrap_or_default())
        .collect()
}

/// Writes every file into `dir`.
fn write_all(dir: &Path, files: &[File], site: &SiteRoot) -> io::Result<()> {
    // Every folder once, rather than a create_dir_all per file: parents
    // before children, the folders of one depth in parallel.
    let depth = |d: &str| d.bytes().filter(|&b| b == b'/').count();
    let mut folders: Vec<(usize, &str)> = files
        .iter()
        .filter_map(|f| f.output().rsplit_once('/').map(|(d, _)| d))
        .flat_map(|d| {
            let parents = d.match_indices('/').map(move |(i, _)| &d[..i]);
            parents.chain([d])
        })
        .map(|d| (depth(d), d))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    folders
        .chunk_by(|a, b| a.0 == b.0)
        .try_for_each(|level| {
            level
                .par_iter()
                .try_for_each(|(_, d)| match std::fs::create_dir(dir.join(d)) {
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
                    done => done,
                })
        })
        .and_then(|()| files.par_iter().try_for_each(|f| f.write(dir, site)))
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
