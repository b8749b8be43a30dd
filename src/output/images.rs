//! The processed images of a build in its output: the files its pages
//! name, made into the image cache (`images/`, in parallel, the ones the
//! cache lacks), and listed as files of the output that are hard-linked
//! (or copied) from the cache when the build is written.

use crate::diagnostic::{Diagnostic, Kind};
use crate::images::{ImageError, Images, ProcessReport};
use crate::output::File;

/// The output's processed images, from the cache (made or not yet).
pub(crate) fn files(images: &Images) -> Vec<File> {
    images
        .outputs()
        .into_iter()
        .map(|f| File::processed(f.path, f.from))
        .collect()
}

/// Makes every image file the cache lacks; an image that cannot be made is
/// an error naming it.
pub(crate) fn process(images: &Images) -> Result<ProcessReport, Vec<Diagnostic>> {
    let report = images.process();
    if report.errors.is_empty() {
        return Ok(report);
    }
    Err(report.errors.iter().map(diagnostic).collect())
}

/// An image that could not be made, as a problem of its file.
pub(crate) fn diagnostic(e: &ImageError) -> Diagnostic {
    let d = Diagnostic::file(&e.path, format!("image {}", e.message())).kind(Kind::Content);
    match e.help() {
        Some(help) => d.with_help(help),
        None => d,
    }
}
