//! Images for the web: resized to a set of widths, re-encoded as WebP (and
//! AVIF when asked) with the original format as fallback, named by content hash, cached across
//! builds, and written out as `<img>`/`<picture>` with `srcset`, `sizes`,
//! `width` and `height`. Also Zola's `resize_image` and
//! `get_image_metadata`, and the 1200x630 Open Graph image.
//!
//! How the build uses it (`render/media.rs`, `output/images.rs`), in order:
//!
//! 1. [`Images::new`] with [`ImageSettings`] (cache in `.utmost/cache/images`).
//! 2. While rendering, from any thread: [`Images::responsive`] then
//!    [`img_html`] for a Markdown image, [`Images::resize`] for
//!    `resize_image`, [`Images::metadata`] for `get_image_metadata`,
//!    [`Images::open_graph`] for `og:image`. Each answers from the header
//!    at once; an [`ImageError`] becomes a `Diagnostic` at the reference.
//! 3. [`Images::process`]: the missing files, in parallel, into the cache;
//!    its errors are the build's.
//! 4. [`Images::outputs`]: each file to copy into the output.
//! 5. After a successful full build, [`Images::sweep_cache`].
//!
//! What each file owns: `source` (format, size, orientation, animation:
//! the header), `svg`, `ops` (Zola's resize operations), `format`
//! (output formats and qualities), `naming` (hashes and file names),
//! `codec` (decode, resize, encode), `registry` (what a build asks for),
//! `run` (the pixel work), `cache`, `budget` (memory bound), `markup`.

#[cfg(test)]
mod avif_tests;
mod budget;
mod cache;
mod codec;
mod error;
mod format;
mod markup;
mod naming;
mod ops;
mod registry;
mod run;
mod source;
mod svg;
#[cfg(test)]
mod testimg;

pub(crate) use {
    error::ImageError,
    format::{DEFAULT_QUALITY, ModernFormat},
    markup::{ImgAttrs, Loading, img_html},
    registry::{DEFAULT_WIDTHS, ImageSettings, Images, ResizeArgs, ResponsiveImage},
    run::ProcessReport,
};
