//! Where the images a site names are, and what a Markdown image becomes.
//!
//! A Markdown image is found the way a browser would ask for it: its
//! `src` relative to the page's URL (a bundle's own files), or a
//! root-relative path, among the files the site publishes (content/
//! assets, then static/ files, the site's over its theme's); failing
//! that, relative to its Markdown file's folder, which is what an author
//! moving from a plain Markdown editor means. Template functions search as
//! Zola does (`@/` in content/; else the site root, static/, content/,
//! the theme's static/), never the output folder, which utmost writes.
//!
//! A found image becomes `<picture>`/`<img>` markup (`images/markup.rs`)
//! with its files recorded for the output (`uses.rs`); an image without
//! alt text, a missing local file and an SVG with scripts are warnings at
//! the image (errors under `strict`), and a file that is no usable image
//! is an error there. External images are left as written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{Diagnostic, Kind};
use crate::images::{
    ImageError, ImageSettings, Images, ImgAttrs, Loading, ResponsiveImage, img_html,
};
use crate::markdown::{MarkdownImage, Problem};
use crate::render::fingerprint::Fingerprints;
use crate::render::uses;
use crate::site::{Entry, Site};
use crate::source::confine::SiteRoot;
use crate::source::theme::{StaticSource, Theme};
use crate::util::layout::{CONTENT_DIR, STATE_DIR, STATIC_DIR, THEMES_DIR};

/// The images of one build and where their files are.
pub(crate) struct Media {
    pub(crate) images: Arc<Images>,
    root: PathBuf,
    /// Reads stay inside the site: a link leading out is no image.
    confine: SiteRoot,
    /// Output path → the file on disk it is published from.
    published: HashMap<String, PathBuf>,
    /// `themes/<theme>`, relative to the root.
    theme_dir: PathBuf,
    /// The widest a Markdown image is shown, for `sizes`.
    display_width: u32,
    /// Static assets' fingerprinted names (`get_url`).
    pub(crate) fingerprints: Fingerprints,
    /// Each image's responsive set as first made in this build, by its
    /// path from the root, with the file it was read from. Pages show the
    /// same images over and over: making each set again (the file's
    /// metadata, two locks, a name and URL for every width and format) was
    /// 5 % of a build's time at 10,000 pages.
    responsive: Mutex<HashMap<String, (PathBuf, ResponsiveImage)>>,
}

/// Where an image's `src` leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A file of the site: its path from the root (`content/blog/a.jpg`)
    /// and on disk.
    File { site_path: String, file: PathBuf },
    /// Another site's image, or a `data:` URL: left as written.
    External,
    /// A local path no file answers to.
    Missing,
}

/// The settings images are processed with, from the site's `[images]`;
/// the cache is the site's `.utmost/cache/images/`.
pub(crate) fn image_settings(root: &Path, site: &Site) -> ImageSettings {
    let config = &site.config.images;
    ImageSettings {
        widths: config.widths.clone(),
        quality: config.quality,
        formats: config.formats.clone(),
        base_path: format!("{}/", site.base_path()),
        ..ImageSettings::new(root.join(STATE_DIR).join("cache").join("images"))
    }
}

/// The images of a build: `previous` when its settings are the same (a
/// rebuild keeps what it read of each image), else new ones.
pub(crate) fn images_for(previous: Option<&Arc<Images>>, settings: ImageSettings) -> Arc<Images> {
    match previous {
        Some(images) if images.settings == settings => images.clone(),
        _ => Arc::new(Images::new(settings)),
    }
}

impl Media {
    /// The build's media; `fingerprint` gives static assets fingerprinted
    /// names (a production build, not `serve`).
    pub(crate) fn new(
        images: Arc<Images>,
        root: &Path,
        (site, theme): (&Site, &Theme),
        fingerprint: bool,
    ) -> Media {
        let mut published: HashMap<String, PathBuf> = theme
            .statics
            .iter()
            .filter_map(|(out, source)| match source {
                StaticSource::Disk(path) => Some((out.clone(), path.clone())),
                StaticSource::Embedded(_) => None,
            })
            .collect();
        for asset in site.assets.iter() {
            published
                .entry(asset.output.clone())
                .or_insert_with(|| asset.source.clone());
        }
        Media {
            images,
            root: root.to_path_buf(),
            confine: SiteRoot::new(root),
            published,
            theme_dir: Path::new(THEMES_DIR).join(&site.config.theme),
            display_width: site.config.images.display_width,
            fingerprints: Fingerprints::new(
                fingerprint,
                site.base_path(),
                &theme.statics,
                SiteRoot::new(root),
            ),
            responsive: Mutex::default(),
        }
    }

    /// The path of `file` from the site root, with `/`.
    fn site_path(&self, file: &Path) -> String {
        let rel = file.strip_prefix(&self.root).unwrap_or(file);
        rel.to_string_lossy().replace('\\', "/")
    }

    /// A file on disk inside the site.
    fn usable(&self, file: &Path) -> bool {
        file.is_file() && self.confine.resolve(file).is_some()
    }

    fn found(&self, file: &Path) -> Found {
        Found::File {
            site_path: self.site_path(file),
            file: file.to_path_buf(),
        }
    }

    /// The image `dest` that `entry`'s Markdown names.
    pub(crate) fn find_for_page(&self, entry: &Entry, dest: &str) -> Found {
        let Some(path) = local_path(dest) else {
            return Found::External;
        };
        let (from_url, from_file) = match path.strip_prefix('/') {
            Some(rooted) => (normalize(rooted), None),
            None => (
                normalize(&format!("{}{path}", &entry.path.as_str()[1..])),
                normalize(&format!("{}/{path}", entry.doc.folder())),
            ),
        };
        if let Some(file) = from_url.and_then(|p| self.published.get(&p)) {
            return self.found(file);
        }
        let on_disk = from_file.map(|p| self.root.join(CONTENT_DIR).join(p));
        match on_disk.filter(|f| self.usable(f)) {
            Some(file) => self.found(&file),
            None => Found::Missing,
        }
    }

    /// The file a template function names, searched as Zola does.
    pub(crate) fn find_for_template(&self, path: &str) -> Found {
        if local_path(path).is_none() {
            return Found::External;
        }
        if let Some(rel) = path.strip_prefix("@/") {
            return match normalize(rel).map(|r| self.root.join(CONTENT_DIR).join(r)) {
                Some(file) if self.usable(&file) => self.found(&file),
                _ => Found::Missing,
            };
        }
        let Some(rel) = normalize(path.trim_start_matches('/')) else {
            return Found::Missing;
        };
        let dirs = [
            PathBuf::new(),
            PathBuf::from(STATIC_DIR),
            PathBuf::from(CONTENT_DIR),
            self.theme_dir.join(STATIC_DIR),
        ];
        dirs.iter()
            .map(|dir| self.root.join(dir).join(&rel))
            .find(|file| self.usable(file))
            .map_or(Found::Missing, |file| self.found(&file))
    }

    /// The responsive set of a found image, its files recorded as the
    /// page's; made once per build.
    pub(crate) fn responsive(
        &self,
        site_path: &str,
        file: &Path,
    ) -> Result<ResponsiveImage, ImageError> {
        let made = (self.responsive.lock().ok()).and_then(|made| {
            made.get(site_path)
                .filter(|(f, _)| f == file)
                .map(|(_, i)| i.clone())
        });
        let image = match made {
            Some(image) => image,
            None => {
                let image = self.images.responsive(site_path, file)?;
                if let Ok(mut made) = self.responsive.lock() {
                    made.insert(site_path.to_string(), (file.to_path_buf(), image.clone()));
                }
                image
            }
        };
        let sets = image.sources.iter().chain([&image.fallback]);
        for candidate in sets.flat_map(|s| &s.candidates) {
            self.record(&candidate.url);
        }
        Ok(image)
    }

    /// Records a URL this build's images gave out as the page's.
    pub(crate) fn record(&self, url: &str) {
        if let Some(output) = self.images.output_of(url) {
            uses::record(output);
        }
    }

    /// What a Markdown image of `entry` becomes (see the module's notes);
    /// warnings go to `warnings`.
    pub(crate) fn markdown_image(
        &self,
        entry: &Entry,
        image: &MarkdownImage<'_>,
        warnings: &Mutex<Vec<Diagnostic>>,
    ) -> Result<Option<String>, Problem> {
        let warn = |message: String, help: &str| {
            let start = entry.doc.body_start;
            let span = image.span.start + start..image.span.end + start;
            let d = entry
                .doc
                .error(span, message)
                .with_help(help)
                .kind(Kind::Content);
            warnings.lock().unwrap_or_else(|e| e.into_inner()).push(d);
        };
        if image.alt.is_empty() {
            warn(
                format!("image `{}` has no alt text", image.dest),
                "describe it between the brackets, `![What it shows](…)`: screen readers read it, and search engines",
            );
        }
        let (site_path, file) = match self.find_for_page(entry, image.dest) {
            Found::File { site_path, file } => (site_path, file),
            Found::External => return Ok(None),
            Found::Missing => {
                warn(
                    format!("image `{}` not found; it is left as written", image.dest),
                    "put the file beside the page (a page bundle), in content/ or in static/, or fix the path",
                );
                return Ok(None);
            }
        };
        let responsive = self
            .responsive(&site_path, &file)
            .map_err(|e| image_problem(image, &e))?;
        if responsive.active_svg {
            warn(
                format!("{site_path} holds scripts or event handlers"),
                "it is shown with <img>, where browsers run no script, and never inlined; remove the scripts if it is meant to be inlined elsewhere",
            );
        }
        let eager = image.index == 0 && !has_hero(entry);
        let attrs = ImgAttrs {
            title: Some(image.title).filter(|t| !t.is_empty()),
            max_display_width: Some(self.display_width),
            loading: if eager { Loading::Eager } else { Loading::Lazy },
            ..ImgAttrs::new(image.alt)
        };
        Ok(Some(img_html(&responsive, &attrs)))
    }
}

/// A page's hero image (`extra.hero_image`) comes before its body and is
/// the one loaded first.
fn has_hero(entry: &Entry) -> bool {
    entry
        .front()
        .extra
        .get("hero_image")
        .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
}

/// The error for an image that cannot be used.
fn image_problem(image: &MarkdownImage<'_>, e: &ImageError) -> Problem {
    Problem {
        span: image.span.clone(),
        message: format!("image {e}"),
        help: e.help().map(str::to_string),
        kind: Kind::Content,
    }
}

/// The file path of a local `src`, percent-decoded, without its query or
/// fragment; `None` for another site's URL or a `data:` URL.
fn local_path(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let lower = dest.to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme || dest.starts_with("//") || dest.is_empty() {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or("");
    crate::util::http::paths::percent_decode(path).filter(|p| !p.is_empty())
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above its start.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/")).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_decoded_and_external_ones_left_alone() {
        assert_eq!(
            local_path("hero%20shot.jpg?v=2#x").as_deref(),
            Some("hero shot.jpg")
        );
        assert_eq!(
            local_path("/images/a.png").as_deref(),
            Some("/images/a.png")
        );
        for external in [
            "https://cdn.example/a.png",
            "//cdn.example/a.png",
            "data:image/png;base64,AA",
            "",
        ] {
            assert_eq!(local_path(external), None, "{external}");
        }
    }

    #[test]
    fn paths_never_climb_out() {
        assert_eq!(
            normalize("blog/post/./a/../hero.jpg").as_deref(),
            Some("blog/post/hero.jpg")
        );
        assert_eq!(normalize("../site.toml"), None);
        assert_eq!(normalize("a/../../b"), None);
        assert_eq!(normalize("/"), None);
    }
}
