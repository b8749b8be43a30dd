//! Progress for long builds: a bar on a terminal once a build has run for
//! about a second, nothing otherwise (pipes, CI, tests stay quiet).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const QUIET_FOR: Duration = Duration::from_secs(1);

/// A progress bar for the stages of a build, shown only on a terminal and
/// only once a build has run for a second.
pub struct Progress {
    started: Instant,
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress {
    /// `enabled` when stderr is a terminal.
    pub fn new(enabled: bool) -> Self {
        Progress {
            started: Instant::now(),
            enabled,
            bar: Mutex::new(None),
        }
    }

    /// No bar at all (for tests and programs).
    pub fn hidden() -> Self {
        Progress::new(false)
    }

    /// Starts a stage of `len` steps.
    pub(crate) fn stage(&self, name: &'static str, len: usize) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        let style =
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} pages ({per_sec})")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(name);
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    /// One step done; the bar appears once the build is past a second.
    pub(crate) fn tick(&self) {
        self.advance(1);
    }

    /// `steps` steps done at once (taken from the last build).
    pub(crate) fn advance(&self, steps: usize) {
        if !self.enabled || steps == 0 {
            return;
        }
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            if bar.is_hidden() && self.started.elapsed() > QUIET_FOR {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(steps as u64);
        }
    }

    /// The stage is over: the bar is cleared.
    pub(crate) fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}
