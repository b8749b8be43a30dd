//! The pixel work of a build: every registered output missing from the
//! cache is made, sources in parallel (rayon) and each source decoded once
//! for all its outputs; then the list of files for the output step, and
//! the cache sweep after a full build.

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::cache::Sweep;
use super::codec::{self, Pixels};
use super::error::{ImageError, ImageErrorKind};
use super::naming;
use super::registry::{self, Images, Registered, Work};

/// What [`Images::process`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ProcessReport {
    /// Files encoded now.
    pub encoded: usize,
    /// Files found in the cache.
    pub reused: usize,
    /// One per source that failed; its other outputs were not made.
    pub errors: Vec<ImageError>,
}

/// A file for the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputFile {
    /// Relative to the output root: `processed_images/hero.<hash>.800.webp`.
    pub path: String,
    /// The file to copy (or hard-link) there: a cache entry or the source.
    pub from: PathBuf,
}

/// One source's missing outputs.
struct Job {
    site_path: String,
    file: PathBuf,
    probe: super::source::Probe,
    missing: Vec<(String, Work)>,
}

impl Images {
    /// Makes every registered output that the cache does not have yet.
    /// One run at a time: a second call waits for the first.
    pub(crate) fn process(&self) -> ProcessReport {
        let _one = (self.working.lock()).unwrap_or_else(std::sync::PoisonError::into_inner);
        let version = self.version();
        let (jobs, reused) = self.missing_work();
        let results: Vec<Result<usize, ImageError>> =
            jobs.par_iter().map(|job| self.run(job)).collect();
        let mut report = ProcessReport {
            reused,
            ..ProcessReport::default()
        };
        for result in results {
            match result {
                Ok(n) => report.encoded += n,
                Err(e) => report.errors.push(e),
            }
        }
        if report.errors.is_empty() {
            self.made.store(version, Ordering::Relaxed);
        }
        report
    }

    /// Whether every file promised now is in the cache, as far as this
    /// process knows: [`Images::process`] made or found them all, and
    /// nothing was promised since (a rebuild in `serve` that names the same
    /// images then has nothing to look at).
    pub(crate) fn all_made(&self) -> bool {
        self.made.load(Ordering::Relaxed) == self.version()
    }

    /// Forgets which files were made: the next [`Images::process`] looks
    /// at the cache again (a file deleted behind our back).
    pub(crate) fn forget_made(&self) {
        self.made.store(0, Ordering::Relaxed);
        self.cache.forget_known();
    }

    /// The jobs to run, and how many encoded outputs the cache already has.
    fn missing_work(&self) -> (Vec<Job>, usize) {
        let state = self.state();
        let mut reused = 0;
        let mut jobs = Vec::new();
        // Two files with the same bytes and stem promise the same names.
        let mut seen = HashSet::new();
        for source in state.sources.values() {
            let missing: Vec<(String, Work)> = source
                .outputs
                .iter()
                .filter(|(_, work)| matches!(work, Work::Encode { .. }))
                .filter(|(name, _)| seen.insert(name.as_str()))
                .filter(|(name, _)| {
                    let cached = self.cache.contains(name);
                    reused += usize::from(cached);
                    !cached
                })
                .map(|(name, work)| (name.clone(), work.clone()))
                .collect();
            if !missing.is_empty() {
                jobs.push(Job {
                    site_path: source.site_path.clone(),
                    file: source.file.clone(),
                    probe: source.probe.clone(),
                    missing,
                });
            }
        }
        (jobs, reused)
    }

    /// Decodes one source once and makes its missing outputs.
    fn run(&self, job: &Job) -> Result<usize, ImageError> {
        let fail = |kind| ImageError::new(&job.site_path, kind);
        let bytes = registry::read_source(&job.site_path, &job.file)?;
        if naming::content_hash(&bytes) != job.probe.hash {
            return Err(fail(ImageErrorKind::Changed));
        }
        let size = job.probe.size.unwrap_or((1, 1));
        let _share = self.budget.take(job_cost(job, size));
        let pixels =
            codec::decode(&bytes, job.probe.format, job.probe.orientation).map_err(fail)?;
        drop(bytes);
        job.missing
            .par_iter()
            .map(|(name, work)| self.make(&pixels, name, work).map_err(fail))
            .collect::<Result<Vec<()>, _>>()?;
        Ok(job.missing.len())
    }

    fn make(&self, pixels: &Pixels, name: &str, work: &Work) -> Result<(), ImageErrorKind> {
        let Work::Encode { plan, format } = work else {
            return Ok(());
        };
        let resized = codec::apply(pixels, *plan)?;
        let encoded = codec::encode(resized.as_ref().unwrap_or(pixels), *format)?;
        self.cache
            .write(name, &encoded)
            .map_err(|e| ImageErrorKind::Cache {
                detail: e.to_string(),
            })
    }

    /// Every file the build promised, with where to copy it from; call
    /// after [`Images::process`] reported no error.
    pub(crate) fn outputs(&self) -> Vec<OutputFile> {
        let dir = self.settings.output_dir.trim_matches('/');
        let state = self.state();
        let mut files = Vec::new();
        let mut seen = HashSet::new();
        for source in state.sources.values() {
            for (name, work) in &source.outputs {
                if !seen.insert(name.as_str()) {
                    continue;
                }
                let from = match work {
                    Work::Encode { .. } => self.cache.path(name),
                    Work::Copy => source.file.clone(),
                };
                files.push(OutputFile {
                    path: format!("{dir}/{name}"),
                    from,
                });
            }
        }
        files
    }

    /// After a full build: drops cache entries this build did not use and
    /// no build used within the grace period (see `cache.rs`).
    pub(crate) fn sweep_cache(&self) -> io::Result<Sweep> {
        let used: HashSet<String> = {
            let state = self.state();
            state.sources.values().flat_map(encoded_names).collect()
        };
        self.cache.sweep(&used, self.settings.cache_grace)
    }
}

/// The memory one job may hold at once, taken from the budget in one go
/// (a second take while holding a share could wait forever): the decoded
/// source, and the encoders of its outputs that can run together (one
/// per thread), largest first. Only AVIF's encoder holds enough to count.
fn job_cost(job: &Job, size: (u32, u32)) -> u64 {
    let mut encoders: Vec<u64> = (job.missing.iter())
        .filter_map(|(_, work)| match work {
            Work::Encode { plan, format } => {
                Some(codec::encode_cost(*format, plan.output_size(size)))
            }
            Work::Copy => None,
        })
        .collect();
    encoders.sort_unstable_by(|a, b| b.cmp(a));
    let together: u64 = encoders.iter().take(rayon::current_num_threads()).sum();
    Pixels::cost(size) + together
}

fn encoded_names(source: &Registered) -> impl Iterator<Item = String> + '_ {
    source
        .outputs
        .iter()
        .filter(|(_, work)| matches!(work, Work::Encode { .. }))
        .map(|(name, _)| name.clone())
}
