//! [`Images`]: what a build asks of its images, answered at once from the
//! headers, with the pixel work queued for [`Images::process`].
//!
//! Rendering calls [`Images::responsive`] for an `<img>` in Markdown,
//! [`Images::resize`] for `resize_image`, [`Images::metadata`] for
//! `get_image_metadata` and [`Images::open_graph`] for `og:image`; each
//! returns URLs and sizes immediately (exact, since sizes follow from the
//! header and the operation) and registers the files it promised. Then
//! `process` makes the missing ones in parallel into the cache, and
//! `outputs` says which file to copy where. Safe to call from many render
//! threads at once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::budget::{Budget, DEFAULT_BUDGET};
use super::cache::{Cache, DEFAULT_GRACE};
use super::error::{ImageError, ImageErrorKind};
use super::format::{DEFAULT_QUALITY, ModernFormat, OutputFormat};
use super::naming;
use super::ops::{Plan, ResizeOp};
use super::source::{self, ImageMetadata, Probe, SourceFormat};

/// The widths of a responsive set, capped at the original's: a phone at
/// 1x (480), at 2x (800, for a 390-point screen), at 3x or a tablet
/// (1200), a laptop at 2x for an 800-pixel column (1600), and a full-width
/// hero on a large screen (2000). Past 2000 the bytes grow faster than
/// anyone can see the difference.
pub(crate) const DEFAULT_WIDTHS: [u32; 5] = [480, 800, 1200, 1600, 2000];

use super::error::MAX_FILE_BYTES;

/// The Open Graph image size that Facebook, LinkedIn and X recommend.
pub(crate) const OPEN_GRAPH_SIZE: (u32, u32) = (1200, 630);

/// How images are processed; the site's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageSettings {
    /// Widths of responsive sets (see [`DEFAULT_WIDTHS`]).
    pub widths: Vec<u32>,
    /// Quality of lossy outputs, 1 to 100.
    pub quality: u8,
    /// The formats responsive sets get before the source's own, best first.
    pub formats: Vec<ModernFormat>,
    /// The site's base path, ending in `/` (`/` or `/docs/`).
    pub base_path: String,
    /// The output folder for processed images, relative to the output root.
    pub output_dir: String,
    /// The cache folder (the site's `.utmost/cache/images`).
    pub cache_dir: PathBuf,
    /// How long an unused cache entry is kept (see `cache.rs`).
    pub cache_grace: Duration,
    /// Decoded bytes held at once (see `budget.rs`).
    pub memory_budget: u64,
}

impl ImageSettings {
    /// The defaults, with the cache in `cache_dir`.
    pub(crate) fn new(cache_dir: impl Into<PathBuf>) -> Self {
        ImageSettings {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: DEFAULT_QUALITY,
            formats: vec![ModernFormat::WebP],
            base_path: "/".into(),
            output_dir: "processed_images".into(),
            cache_dir: cache_dir.into(),
            cache_grace: DEFAULT_GRACE,
            memory_budget: DEFAULT_BUDGET,
        }
    }
}

/// One file of a `srcset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Candidate {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The candidates of one format, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CandidateSet {
    pub mime: &'static str,
    pub candidates: Vec<Candidate>,
}

impl CandidateSet {
    /// The widest candidate (every set has at least one).
    pub(crate) fn largest(&self) -> Option<&Candidate> {
        self.candidates.last()
    }
}

/// What `<img>` or `<picture>` markup needs; see `markup.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ResponsiveImage {
    /// Preferred formats for `<source>` elements (AVIF, WebP), best first;
    /// empty when the image is used as it is.
    pub sources: Vec<CandidateSet>,
    /// The set for `<img>` itself: the source's own format.
    pub fallback: CandidateSet,
    /// The size of the largest candidate, for `width` and `height`.
    pub width: u32,
    pub height: u32,
    /// An SVG with scripts or `<foreignObject>`: never inline it.
    pub active_svg: bool,
}

/// `resize_image`'s answer: Zola's fields, less `static_path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ResizedImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub orig_width: u32,
    pub orig_height: u32,
}

/// `resize_image`'s arguments other than `path`, as the template gave them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ResizeArgs<'a> {
    pub op: Option<&'a str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub format: Option<&'a str>,
    pub quality: Option<u8>,
}

/// A file promised to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Work {
    /// Made from the source's pixels.
    Encode { plan: Plan, format: OutputFormat },
    /// The source's bytes as they are (SVG, animations, AVIF).
    Copy,
}

/// A source with the files promised from it.
#[derive(Debug, Clone)]
pub(crate) struct Registered {
    pub site_path: String,
    pub file: PathBuf,
    pub probe: Probe,
    /// Output file name to the work that makes it.
    pub outputs: BTreeMap<String, Work>,
}

/// A source image as one call names it.
#[derive(Clone, Copy)]
struct Src<'a> {
    site_path: &'a str,
    file: &'a Path,
    probe: &'a Probe,
}

/// File length and modification time: when they are unchanged, so is the
/// probe, and the file is not read again.
type Stamp = (u64, Option<SystemTime>);

#[derive(Debug, Default)]
pub(crate) struct State {
    probes: HashMap<PathBuf, (Stamp, Probe)>,
    /// By file: one entry per source file, whatever its content.
    pub sources: BTreeMap<PathBuf, Registered>,
    /// Names the promised files as they are: new whenever they change, and
    /// never the same for two sets of images.
    version: u64,
}

/// A version no set of images had before.
fn new_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The images of one build.
#[derive(Debug)]
pub(crate) struct Images {
    pub(crate) settings: ImageSettings,
    pub(crate) cache: Cache,
    pub(crate) budget: Budget,
    state: Mutex<State>,
    /// Held by [`Images::process`]: one run at a time, so that a second
    /// caller (the preview serving an image not made yet) waits for the
    /// first and then finds its files made.
    pub(crate) working: Mutex<()>,
    /// The version whose every file [`Images::process`] last found or made
    /// (0: none).
    pub(crate) made: std::sync::atomic::AtomicU64,
}

impl Images {
    pub(crate) fn new(settings: ImageSettings) -> Self {
        Images {
            cache: Cache::new(&settings.cache_dir),
            budget: Budget::new(settings.memory_budget),
            settings,
            state: Mutex::new(State {
                version: new_version(),
                ..State::default()
            }),
            working: Mutex::new(()),
            made: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The version of the promised files: the same as long as they are
    /// (what a rebuild that keeps their list for the next checks).
    pub(crate) fn version(&self) -> u64 {
        self.state().version
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The header facts of `file` (`site_path` in the site), read once per
    /// build unless the file changes.
    pub(crate) fn probe(&self, site_path: &str, file: &Path) -> Result<Probe, ImageError> {
        let meta = std::fs::metadata(file).map_err(|e| read_error(site_path, &e))?;
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((seen, probe)) = self.state().probes.get(file)
            && *seen == stamp
        {
            return Ok(probe.clone());
        }
        let bytes = read_source(site_path, file)?;
        let probe = source::probe(site_path, &bytes)?;
        let mut state = self.state();
        state
            .probes
            .insert(file.to_path_buf(), (stamp, probe.clone()));
        Ok(probe)
    }

    /// `get_image_metadata(path)`.
    pub(crate) fn metadata(
        &self,
        site_path: &str,
        file: &Path,
    ) -> Result<ImageMetadata, ImageError> {
        ImageMetadata::of(site_path, &self.probe(site_path, file)?)
    }

    /// The responsive set for an image in content: each of the site's
    /// formats (WebP; AVIF when asked) at each width plus the source's
    /// format, or the file as it is for SVG, animations and AVIF.
    pub(crate) fn responsive(
        &self,
        site_path: &str,
        file: &Path,
    ) -> Result<ResponsiveImage, ImageError> {
        let probe = self.probe(site_path, file)?;
        let src = Src {
            site_path,
            file,
            probe: &probe,
        };
        let size = probe.displayed_size(site_path)?;
        let stem = naming::stem(site_path);
        if is_copied_as_is(&probe) {
            let name = self.copy_name(&stem, &probe);
            let url = self.url(&name);
            self.register(src, name, Work::Copy);
            let candidate = Candidate {
                url,
                width: size.0,
                height: size.1,
            };
            return Ok(ResponsiveImage {
                sources: Vec::new(),
                fallback: CandidateSet {
                    mime: probe.format.mime(),
                    candidates: vec![candidate],
                },
                width: size.0,
                height: size.1,
                active_svg: probe.active_svg,
            });
        }
        let widths = responsive_widths(size.0, &self.settings.widths);
        let quality = self.settings.quality;
        let set = |format| self.register_set(src, size, &stem, &widths, format);
        let webp = OutputFormat::webp_for(probe.format, quality);
        let fallback = OutputFormat::fallback_for(probe.format, quality).unwrap_or(webp);
        let sources = (self.settings.formats.iter())
            .filter_map(|modern| modern.output_for(probe.format, quality))
            .filter(|&format| format != fallback)
            .map(set)
            .collect();
        let fallback = set(fallback);
        let largest = fallback.largest().map_or(size, |c| (c.width, c.height));
        Ok(ResponsiveImage {
            sources,
            fallback,
            width: largest.0,
            height: largest.1,
            active_svg: false,
        })
    }

    /// `resize_image(path, width, height, op, format, quality)`.
    pub(crate) fn resize(
        &self,
        site_path: &str,
        file: &Path,
        args: ResizeArgs,
    ) -> Result<ResizedImage, ImageError> {
        let probe = self.probe(site_path, file)?;
        let op = ResizeOp::from_args(args.op, args.width, args.height)
            .map_err(|e| ImageError::argument(site_path, e))?;
        let format = OutputFormat::from_args(
            args.format,
            args.quality,
            probe.format,
            self.settings.quality,
        )
        .map_err(|e| ImageError::argument(site_path, e))?;
        self.resize_with(
            Src {
                site_path,
                file,
                probe: &probe,
            },
            op,
            format,
        )
    }

    /// The `og:image`: the centre of the image filled to 1200x630, as JPEG
    /// (PNG for a lossless source): link previews do not all read WebP.
    /// An SVG or an AVIF (never rasterised or decoded) is published as it
    /// is, with its size; an animation gives its first frame.
    pub(crate) fn open_graph(
        &self,
        site_path: &str,
        file: &Path,
    ) -> Result<ResizedImage, ImageError> {
        let probe = self.probe(site_path, file)?;
        if matches!(probe.format, SourceFormat::Svg | SourceFormat::Avif) {
            let image = self.responsive(site_path, file)?;
            let url =
                (image.fallback.candidates.first()).map_or_else(String::new, |c| c.url.clone());
            return Ok(ResizedImage {
                url,
                width: image.width,
                height: image.height,
                orig_width: image.width,
                orig_height: image.height,
            });
        }
        let format = match probe.format.is_lossless() {
            true => OutputFormat::Png,
            false => OutputFormat::Jpeg {
                quality: self.settings.quality,
            },
        };
        let (w, h) = OPEN_GRAPH_SIZE;
        let src = Src {
            site_path,
            file,
            probe: &probe,
        };
        self.resize_with(src, ResizeOp::Fill(w, h), format)
    }

    fn resize_with(
        &self,
        src: Src,
        op: ResizeOp,
        format: OutputFormat,
    ) -> Result<ResizedImage, ImageError> {
        let Src {
            site_path, probe, ..
        } = src;
        if probe.format.decodable().is_none() {
            let detail = format!(
                "{} images are used as they are, never resized; leave out resize_image",
                probe.format.name()
            );
            return Err(ImageError::argument(site_path, detail));
        }
        let orig = probe.displayed_size(site_path)?;
        let plan = op.plan(orig);
        let (width, height) = plan.output_size(orig);
        let hash = naming::output_hash(probe.hash, &[&op.key(), &format.key()]);
        let name = naming::file_name(&naming::stem(site_path), hash, None, format.extension());
        let url = self.url(&name);
        self.register(src, name, Work::Encode { plan, format });
        Ok(ResizedImage {
            url,
            width,
            height,
            orig_width: orig.0,
            orig_height: orig.1,
        })
    }

    /// Registers one format at each width and returns its candidates.
    fn register_set(
        &self,
        src: Src,
        orig: (u32, u32),
        stem: &str,
        widths: &[u32],
        format: OutputFormat,
    ) -> CandidateSet {
        let hash = naming::output_hash(src.probe.hash, &["responsive", &format.key()]);
        let candidates = widths
            .iter()
            .map(|&w| {
                let plan = ResizeOp::FitWidth(w).plan(orig);
                let plan = Plan {
                    resize: plan.resize.map(|(w, h)| (w, h.max(1))),
                    ..plan
                };
                let (width, height) = plan.output_size(orig);
                let name = naming::file_name(stem, hash, Some(w), format.extension());
                let url = self.url(&name);
                self.register(src, name, Work::Encode { plan, format });
                Candidate { url, width, height }
            })
            .collect();
        CandidateSet {
            mime: format.mime(),
            candidates,
        }
    }

    fn copy_name(&self, stem: &str, probe: &Probe) -> String {
        let hash = naming::output_hash(probe.hash, &["copy"]);
        naming::file_name(stem, hash, None, probe.format.extension())
    }

    /// The output path (`processed_images/hero.….800.webp`) of a URL this
    /// build gave out; `None` for any other URL.
    pub(crate) fn output_of(&self, url: &str) -> Option<String> {
        let dir = self.settings.output_dir.trim_matches('/');
        let rest = url.strip_prefix(&self.settings.base_path)?;
        rest.strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .map(|_| rest.to_string())
    }

    /// Forgets every promised file not in `used` (output paths, as
    /// [`Images::output_of`] gives them), and every source left with none:
    /// what a rebuild's pages no longer name is neither made nor published.
    pub(crate) fn retain(&self, used: &crate::util::names::NameSet<String>) {
        let dir = self.settings.output_dir.trim_matches('/');
        let mut state = self.state();
        // One buffer for every name: a rebuild in `serve` asks for all.
        let mut path = format!("{dir}/");
        let mut changed = false;
        state.sources.retain(|_, source| {
            source.outputs.retain(|name, _| {
                path.truncate(dir.len() + 1);
                path.push_str(name);
                let keep = used.contains(path.as_str());
                changed |= !keep;
                keep
            });
            !source.outputs.is_empty()
        });
        if changed {
            state.version = new_version();
        }
    }

    fn url(&self, name: &str) -> String {
        let dir = self.settings.output_dir.trim_matches('/');
        format!("{}{dir}/{name}", self.settings.base_path)
    }

    fn register(&self, src: Src, name: String, work: Work) {
        let Src {
            site_path,
            file,
            probe,
        } = src;
        let mut state = self.state();
        let mut changed = false;
        let entry = state.sources.entry(file.to_path_buf()).or_insert_with(|| {
            changed = true;
            Registered {
                site_path: site_path.to_string(),
                file: file.to_path_buf(),
                probe: probe.clone(),
                outputs: BTreeMap::new(),
            }
        });
        if entry.probe.hash != probe.hash {
            // The file changed since it was first registered: start over.
            entry.probe = probe.clone();
            entry.outputs.clear();
            changed = true;
        }
        changed |= entry.outputs.insert(name, work).is_none();
        if changed {
            state.version = new_version();
        }
    }
}

/// The bytes of a source image, refusing files past [`MAX_FILE_BYTES`]
/// without reading them.
pub(crate) fn read_source(site_path: &str, file: &Path) -> Result<Vec<u8>, ImageError> {
    use std::io::Read;
    let opened = std::fs::File::open(file).map_err(|e| read_error(site_path, &e))?;
    let too_large = |bytes| ImageError::new(site_path, ImageErrorKind::FileTooLarge { bytes });
    let len = opened
        .metadata()
        .map_err(|e| read_error(site_path, &e))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take`: a file that grows while it is read still stops at the limit.
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(site_path, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn read_error(site_path: &str, e: &std::io::Error) -> ImageError {
    let detail = e.to_string();
    ImageError::new(site_path, ImageErrorKind::Read { detail })
}

/// SVG (never rasterised), animations (kept animated) and AVIF (utmost
/// cannot decode it) are published as they are.
fn is_copied_as_is(probe: &Probe) -> bool {
    probe.animated || matches!(probe.format, SourceFormat::Svg | SourceFormat::Avif)
}

/// The target widths narrower than the original, then the original's
/// width capped at the largest target.
pub(crate) fn responsive_widths(original: u32, targets: &[u32]) -> Vec<u32> {
    let largest = targets.iter().copied().max().unwrap_or(original);
    let mut widths: Vec<u32> = targets
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < original)
        .collect();
    widths.push(original.min(largest));
    widths.sort_unstable();
    widths.dedup();
    widths
}

#[cfg(test)]
#[path = "registry_tests.rs"]
pub(crate) mod tests;
