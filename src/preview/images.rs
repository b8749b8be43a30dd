//! The preview's images: a rebuild publishes its pages at once and makes
//! the image files they name on a thread of their own, so an edit is never
//! kept waiting for pixel work. A request for an image not made yet waits
//! for that work (only that request), then gets the file.
//!
//! That work runs on a thread pool of its own, never on rayon's global
//! pool, which rebuilds render on: a job queued there waits for every job
//! before it, and a fresh site's images (minutes of encoding) kept the
//! first edit's rebuild waiting for all of them (31 s instead of 60 ms at
//! 10,000 pages).

use std::sync::{Arc, OnceLock};

use crate::images::Images;
use crate::output::File;
use crate::output::images::diagnostic;
use crate::source::confine::SiteRoot;

/// Starts making the image files `images` promised that the cache lacks;
/// problems are printed, as a build's errors are.
pub(super) fn make_in_background(images: &Arc<Images>, color: bool) {
    // A rebuild that names the images the last one did: nothing to do.
    if images.all_made() {
        return;
    }
    let images = images.clone();
    let spawned = std::thread::Builder::new()
        .name("images".into())
        .spawn(move || {
            let report = in_pool(|| images.process());
            for e in &report.errors {
                eprintln!("{}", diagnostic(e).render(color));
            }
            if report.encoded > 0 {
                println!("images: {} files made", report.encoded);
            }
        });
    // Without a thread the files are made when first asked for.
    drop(spawned);
}

/// Runs `work` on the image pool, so that the parallel work it starts
/// leaves rayon's global pool to rebuilds (on the calling thread when the
/// pool cannot be made).
fn in_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (rayon::ThreadPoolBuilder::new().num_threads(cores))
            .thread_name(|i| format!("images-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The bytes of `file`; a processed image not made yet is made first
/// (waiting for the background work when it is under way).
pub(super) fn read(
    file: &File,
    images: Option<&Images>,
    site: &SiteRoot,
) -> std::io::Result<Vec<u8>> {
    match (file.read_in(site), images) {
        (Err(e), Some(images))
            if e.kind() == std::io::ErrorKind::NotFound && file.is_processed() =>
        {
            // Deleted since it was made (the cache folder removed by hand):
            // made again.
            images.forget_made();
            images.process();
            file.read_in(site)
        }
        (result, _) => result,
    }
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn image_work_leaves_the_global_pool_to_rebuilds() {
        // Image work that has every thread of its pool busy until told...
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (release, wait) = mpsc::channel::<()>();
        let wait = std::sync::Mutex::new(wait);
        let (started_tx, started) = mpsc::channel();
        let busy = std::thread::spawn(move || {
            in_pool(|| {
                (0..threads).into_par_iter().for_each(|_| {
                    let _ = started_tx.send(());
                    let _ = wait.lock().map(|w| w.recv());
                });
            })
        });
        started.recv().unwrap();
        // ...does not keep a rebuild's parallel work waiting (it would
        // hang here were the image work on the global pool).
        let sum: u64 = (0..10_000u64).into_par_iter().sum();
        assert_eq!(sum, 49_995_000);
        for _ in 0..threads {
            let _ = release.send(());
        }
        busy.join().unwrap();
    }
}
