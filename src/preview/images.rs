//! The preview's images: a rebuild publishes its pages at once and makes
//! the image files they name on a thread of their own, so an edit is never
//! kept waiting for pixel work. A request for an image not made yet waits
//! for that work (only that request), then gets the file.

use std::sync::Arc;

use crate::images::Images;
use crate::output::File;
use crate::output::images::diagnostic;
use crate::source::confine::SiteRoot;

/// Starts making the image files `images` promised that the cache lacks;
/// problems are printed, as a build's errors are.
pub(super) fn make_in_background(images: &Arc<Images>, color: bool) {
    let images = images.clone();
    let spawned = std::thread::Builder::new()
        .name("images".into())
        .spawn(move || {
            let report = images.process();
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
            images.cache.forget_known();
            images.process();
            file.read_in(site)
        }
        (result, _) => result,
    }
}
