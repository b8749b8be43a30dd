//! The build pipeline shared by `build`, `check` and `serve`:
//! site.toml → config, themes → templates, content/ → documents, then the
//! assembled site, rendered in memory, and finally written atomically.
//!
//! A [`Builder`] keeps what it computed, so that a rebuild after an edit
//! re-reads only the files that changed and re-renders only the outputs
//! whose inputs changed. `build` is a fresh builder's first run: there is
//! one path through the pipeline, not a fast one beside a full one. Every
//! stage that can run despite an earlier stage's errors does, so one run
//! reports every problem it can find.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::diagnostic::{self, Diagnostic};
use crate::images::Images;
use crate::output::{self, File, guard, manifest};
use crate::render;
use crate::render::engine::RenderOptions;
use crate::site::Site;
use crate::source::config::{Host, SiteConfig};
use crate::util::progress::Progress;

mod builder;
mod kept;
mod keys;
mod prepared;

pub use builder::Builder;
pub(crate) use prepared::{Prepared, Ready};

/// What to build, and how: the same for `build`, `check` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder, holding site.toml.
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Replaces site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Replaces site.toml's `output_dir` (relative to the current directory).
    pub out: Option<PathBuf>,
    /// Collateral PDFs will be printed: pages link to them.
    pub pdf: bool,
    /// Replace an output folder (or manifest file) that utmost did not
    /// write. Never lifts the refusals of sources and the site itself.
    pub force: bool,
    /// Warnings are errors (as site.toml's `strict = true`).
    pub strict: bool,
    /// Give static assets fingerprinted names and minify CSS (`utmost
    /// build`; not `serve`, nor `check`).
    pub production: bool,
    /// What changes rendering without changing the site.
    pub render: RenderOptions,
    /// Replaces site.toml's `[deploy] host`: which host's files to write.
    pub host: Option<Host>,
}

impl BuildOptions {
    /// `config` with the options that override site.toml (`--base-url`,
    /// `--pdf`, `--host`) applied; a bad `--base-url` is an error in `errors`.
    pub(crate) fn apply(&self, mut config: SiteConfig, errors: &mut Vec<Diagnostic>) -> SiteConfig {
        if let Some(url) = &self.base_url {
            if let Some((at, c)) = crate::util::url_safety::blank_or_control(url) {
                let message = crate::util::url_safety::base_url_message("`--base-url`", url, at, c);
                errors.push(
                    Diagnostic::at("--base-url", url, at..at + c.len_utf8(), message)
                        .with_help("remove it (a space inside a URL is written %20)"),
                );
            } else if crate::util::url_safety::is_absolute_http(url) {
                config.base_url = url.trim_end_matches('/').to_string();
            } else {
                errors.push(
                    Diagnostic::file(
                        "--base-url",
                        format!("`{url}` is not an absolute http(s) URL"),
                    )
                    .with_help("for example `--base-url https://staging.example.com`"),
                );
            }
        }
        config.pdf_links = self.pdf;
        if let Some(host) = self.host {
            config.host = Some(host);
        }
        config
    }

    /// Whether the build writes the manifest: only a build of the
    /// production site does. One with `--out` or `--base-url` (a staging
    /// copy, a preview elsewhere) would describe other URLs than the ones
    /// `leads report` must join submissions to.
    pub fn writes_manifest(&self) -> bool {
        self.out.is_none() && self.base_url.is_none()
    }
}

/// A build held in memory.
pub struct Built {
    pub(crate) site: Arc<Site>,
    /// Rendered HTML by output file (`blog/post/index.html`).
    pub(crate) pages: Vec<render::Page>,
    /// Everything the output directory holds, pages included.
    pub(crate) files: Vec<File>,
    /// What each page says about itself (its forms, noindex), in the
    /// order of `site.outputs`.
    pub(crate) facts: Vec<Arc<render::PageFacts>>,
    /// How many pages were rendered anew rather than reused.
    pub rendered: usize,
    /// The problems that did not stop the build (warnings).
    pub warnings: Vec<Diagnostic>,
    /// The build's images: the files in `files` from the image cache are
    /// made by [`Built::process_images`].
    pub(crate) images: Arc<Images>,
    /// What [`Built::process_images`] did: image files encoded, and found
    /// in the cache.
    pub images_encoded: usize,
    /// See `images_encoded`.
    pub images_reused: usize,
}

impl Built {
    /// Where the build is written: `--out`, else site.toml's `output_dir`.
    pub fn output_dir(&self, options: &BuildOptions) -> PathBuf {
        options
            .out
            .clone()
            .unwrap_or_else(|| options.root.join(&self.site.config.output_dir))
    }

    /// Every output file's bytes, by path (reading copied files from disk),
    /// for a build held in memory ([`build`]): the pages of one written by
    /// [`build_and_write`] are in its output folder only.
    pub fn contents(&self) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
        self.files
            .iter()
            .map(|f| Ok((f.output().to_string(), f.bytes()?)))
            .collect()
    }

    /// Makes the processed images the output names that the image cache
    /// lacks (counted in `images_encoded` and `images_reused`).
    pub fn process_images(&mut self) -> Result<(), Vec<Diagnostic>> {
        let report = output::images::process(&self.images)?;
        self.images_encoded = report.encoded;
        self.images_reused = report.reused;
        Ok(())
    }

    /// The manifest as JSON.
    pub fn manifest(&self) -> Result<String, Diagnostic> {
        serde_json::to_string_pretty(&manifest::build(&self.site, &self.facts)).map_err(|e| {
            Diagnostic::file(
                &self.site.config.manifest,
                format!("cannot encode the manifest: {e}"),
            )
        })
    }
}

/// What changed since the last run, relative to the site root.
#[derive(Debug, Clone)]
pub enum Changes<'a> {
    /// Anything may have changed: everything is read again (a first build).
    Everything,
    /// These files or folders, relative to the site root.
    Paths(&'a [PathBuf]),
}

/// Loads, checks and renders the site, without writing anything.
pub fn build(options: &BuildOptions, progress: &Progress) -> Result<Built, Vec<Diagnostic>> {
    let mut once = Builder::once(options.clone());
    once.build(&Changes::Everything, progress)
}

/// Loads and assembles the site, without rendering it: for commands that
/// need its pages, campaigns and variants but none of its HTML.
pub(crate) fn assemble(options: &BuildOptions) -> Result<Arc<Site>, Vec<Diagnostic>> {
    let mut once = Builder::assembling_only(options.clone());
    let assembled = once.assembled(&Changes::Everything, &mut Clock::new())?;
    if assembled.diagnostics.is_empty() {
        Ok(assembled.site)
    } else {
        Err(sorted(assembled.diagnostics))
    }
}

/// Builds and writes the output directory, and the manifest when
/// [`BuildOptions::writes_manifest`]. Each page goes into the staging
/// folder as soon as it is rendered, so the site's HTML is never all in
/// memory; the staging folder replaces the output only once everything
/// is written, and a build that fails removes it.
pub fn build_and_write(
    options: &BuildOptions,
    progress: &Progress,
) -> Result<Built, Vec<Diagnostic>> {
    let mut once = Builder::once(options.clone());
    let ready = once.ready(&Changes::Everything)?;
    // A build that already failed renders only to find every error.
    let staging = (ready.diagnostics.is_empty())
        .then(|| begin_staging(options, &ready))
        .flatten();
    let write_page = |file: &str, html: &str| {
        if let Some(staging) = &staging {
            staging.page(file, html);
        }
    };
    let sink: Option<render::staged::Sink<'_>> = staging.is_some().then_some(&write_page);
    let prepared = once.stage(ready, progress, sink);
    let mut built = once.finish(prepared, progress, &AtomicBool::new(false), sink)?;
    let mut clock = Clock::new();
    built.process_images()?;
    clock.lap("images");
    let provided = output::top_level_names(&built.files);
    let plan = guard::check(&guard_request(options, &built.site, provided, false))?;
    clock.lap("output checked");
    // What the last production build answered and this one does not: a
    // warning, so an error under `strict`, found before anything is swapped in.
    let previous = (plan.manifest.as_ref()).and_then(|p| std::fs::read_to_string(p).ok());
    if let Some(previous) = previous {
        let lost = output::lost_links::lost(&previous, &built.site);
        if (options.strict || built.site.config.strict) && !lost.is_empty() {
            return Err(lost);
        }
        built.warnings.extend(lost);
    }
    clock.lap("lost links");
    let cannot_write = |e: std::io::Error| {
        let out = built.output_dir(options);
        let shown = out.strip_prefix(&options.root).unwrap_or(&out);
        vec![Diagnostic::file(
            shown,
            format!("cannot write the output: {e}"),
        )]
    };
    let staging = match staging {
        Some(staging) => staging,
        None => output::Staging::begin(&plan.out, std::iter::empty()).map_err(cannot_write)?,
    };
    let site = crate::source::confine::SiteRoot::new(&options.root);
    // The manifest is made (when this build writes one), and the image
    // cache tidied, while the files are written: the cache's unused entries
    // are known since the render, and are none of the files linked into
    // the output. The cache is ours to tidy; a failure to tidy it fails
    // nothing.
    let (written, manifest) = rayon::join(
        || staging.write(&built.files, &site),
        || {
            let _ = built.images.sweep_cache();
            plan.manifest.as_ref().map(|_| built.manifest()).transpose()
        },
    );
    written.map_err(cannot_write)?;
    let manifest = manifest.map_err(|d| vec![d])?;
    staging.install(&built.files).map_err(cannot_write)?;
    clock.lap("written, manifest made, cache swept");
    if let (Some(path), Some(manifest)) = (&plan.manifest, manifest) {
        output::write_file_atomically(path, manifest.as_bytes()).map_err(|e| {
            vec![Diagnostic::file(
                &built.site.config.manifest,
                format!("cannot write the manifest: {e}"),
            )]
        })?;
    }
    Ok(built)
}

/// The staging folder for `ready`'s pages, with their folders made, once
/// the guard allows the output folder (asked again, for every file the
/// build makes, before the staging folder is swapped in). `None` when it
/// does not, or the folder cannot be made: the build then renders in
/// memory, and says why it cannot write after every error of its own, as
/// a build that does not stream would.
fn begin_staging(options: &BuildOptions, ready: &Ready) -> Option<output::Staging> {
    let site = ready.site();
    let provided = output::top_level_names_before_render(site, &ready.theme);
    let plan = guard::check(&guard_request(options, site, provided, false)).ok()?;
    let pages: Vec<String> = site.outputs.iter().map(|o| o.path.index_file()).collect();
    output::Staging::begin(&plan.out, pages.iter().map(String::as_str)).ok()
}

/// The refusals of [`build_and_write`] that no flag lifts (an output folder
/// or manifest among the sources), for `check`.
pub fn check_output(options: &BuildOptions, built: &Built) -> Result<(), Vec<Diagnostic>> {
    let provided = output::top_level_names(&built.files);
    guard::check(&guard_request(options, &built.site, provided, true)).map(|_| ())
}

fn guard_request<'a>(
    options: &'a BuildOptions,
    site: &'a Site,
    provided: std::collections::HashSet<&'a str>,
    hard_only: bool,
) -> guard::Request<'a> {
    let config = &site.config;
    guard::Request {
        root: &options.root,
        config_text: &config.text,
        out_flag: options.out.as_deref(),
        output_dir: &config.output_dir,
        manifest: &config.manifest,
        writes_manifest: options.writes_manifest(),
        provided,
        hard_only,
        force: options.force,
    }
}

/// Stage timings on stderr when `UTMOST_TIMINGS` is set (for profiling).
struct Clock {
    last: Option<std::time::Instant>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: std::env::var_os("UTMOST_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!("{:>8.1} ms  {stage}", last.elapsed().as_secs_f64() * 1000.0);
            self.last = Some(std::time::Instant::now());
        }
    }
}

/// Drops `value` on another thread, off the path of a rebuild.
fn dispose<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut diagnostics);
    diagnostics
}
