//! Fingerprinted URLs for static assets: in a production build,
//! `get_url(path="style.css")` gives `/style.3f9a1c0b2e.css`, a name that
//! changes whenever the file does, so a CDN or browser may keep it for a
//! year. Only the kinds a page loads are fingerprinted (stylesheets,
//! scripts, images, fonts), and only those a page names (recorded in
//! `uses.rs`) are written under their fingerprinted name; the original
//! name is written too, for links written by hand. `serve` keeps plain
//! names: a preview is never cached and swaps stylesheets in place.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use xxhash_rust::xxh3::xxh3_64;

use crate::render::uses;
use crate::source::confine::SiteRoot;
use crate::source::theme::StaticSource;

/// The extensions of files that get fingerprinted names.
const KINDS: [&str; 15] = [
    "css", "js", "mjs", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "woff2", "woff",
    "ttf", "otf",
];

/// Hex digits of the content hash in a name (40 bits).
const HASH_DIGITS: usize = 10;

/// The fingerprinted names of one build's static files.
pub(crate) struct Fingerprints {
    /// Off in `serve`.
    enabled: bool,
    /// The site's base path with a trailing `/` (`/` or `/docs/`).
    base: String,
    /// By output path: the theme's and the site's static files.
    statics: BTreeMap<String, StaticSource>,
    confine: SiteRoot,
    /// Output path → fingerprinted name (`None`: kept as it is).
    names: Mutex<HashMap<String, Option<String>>>,
}

impl Fingerprints {
    pub(crate) fn new(
        enabled: bool,
        base_path: &str,
        statics: &BTreeMap<String, StaticSource>,
        confine: SiteRoot,
    ) -> Fingerprints {
        Fingerprints {
            enabled,
            base: format!("{base_path}/"),
            statics: if enabled {
                statics.clone()
            } else {
                BTreeMap::new()
            },
            confine,
            names: Mutex::default(),
        }
    }

    /// `url` (a root-relative URL `get_url` gave) with its fingerprinted
    /// name when it is a static asset, recorded as the page's; else as it
    /// is.
    pub(crate) fn url(&self, url: &str) -> String {
        let Some(output) = url.strip_prefix(&self.base).filter(|_| self.enabled) else {
            return url.to_string();
        };
        match self.name(output) {
            Some(name) => {
                let url = format!("{}{name}", self.base);
                uses::record(name);
                url
            }
            None => url.to_string(),
        }
    }

    fn name(&self, output: &str) -> Option<String> {
        let names = || self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = names().get(output) {
            return known.clone();
        }
        let name = self.fingerprint(output);
        names().insert(output.to_string(), name.clone());
        name
    }

    /// `fonts/brand.woff2` → `fonts/brand.<hash>.woff2`, for a static file
    /// of a kind pages load; `None` otherwise, or when it cannot be read
    /// (the plain name then fails as visibly as before).
    fn fingerprint(&self, output: &str) -> Option<String> {
        let (stem, ext) = output.rsplit_once('.')?;
        if !KINDS.contains(&ext.to_ascii_lowercase().as_str()) || stem.ends_with('/') {
            return None;
        }
        let hash = match self.statics.get(output)? {
            StaticSource::Disk(path) => xxh3_64(&self.confine.read(path).ok()?),
            StaticSource::Embedded(bytes) => xxh3_64(bytes),
        };
        let hex = format!("{hash:016x}");
        Some(format!("{stem}.{}.{ext}", &hex[..HASH_DIGITS]))
    }

    /// The static files to write under the fingerprinted names among
    /// `used` (output paths pages named), with their sources.
    pub(crate) fn files<'a>(
        &'a self,
        used: &crate::util::names::NameSet<String>,
    ) -> Vec<(String, &'a StaticSource)> {
        let names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        let mut files: Vec<(String, &StaticSource)> = (names.iter())
            .filter_map(|(output, name)| Some((name.as_ref()?, self.statics.get(output)?)))
            .filter(|(name, _)| used.contains(*name))
            .map(|(name, source)| (name.clone(), source))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics() -> BTreeMap<String, StaticSource> {
        [
            ("style.css", StaticSource::Embedded(b"a { color: red }")),
            ("fonts/b.woff2", StaticSource::Embedded(b"font")),
            ("robots.txt", StaticSource::Embedded(b"text")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    #[test]
    fn assets_get_a_content_hash_in_their_name_and_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let f = Fingerprints::new(true, "/docs", &statics(), SiteRoot::new(dir.path()));
        let ((), used) = uses::collect(|| {
            let css = f.url("/docs/style.css");
            assert!(
                css.starts_with("/docs/style.") && css.ends_with(".css"),
                "{css}"
            );
            assert_eq!(css.len(), "/docs/style.".len() + HASH_DIGITS + ".css".len());
            assert!(f.url("/docs/fonts/b.woff2").starts_with("/docs/fonts/b."));
            assert_eq!(
                f.url("/docs/robots.txt"),
                "/docs/robots.txt",
                "not a kind pages load"
            );
            assert_eq!(f.url("/docs/missing.css"), "/docs/missing.css");
            assert_eq!(f.url("/docs/pricing/"), "/docs/pricing/");
        });
        assert_eq!(used.len(), 2, "{used:?}");
        let written = f.files(&used.iter().cloned().collect());
        assert_eq!(written.len(), 2);
        assert!(written.iter().all(|(name, _)| used.contains(name)));
    }

    #[test]
    fn serve_keeps_plain_names() {
        let dir = tempfile::tempdir().unwrap();
        let f = Fingerprints::new(false, "", &statics(), SiteRoot::new(dir.path()));
        let ((), used) = uses::collect(|| assert_eq!(f.url("/style.css"), "/style.css"));
        assert!(used.is_empty());
    }
}
