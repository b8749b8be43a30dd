//! Images for the web: resized to a set of widths, re-encoded as WebP with
//! the original format as fallback, named by content hash, cached across
//! builds, and written out as `<img>`/`<picture>` with `srcset`, `sizes`,
//! `width` and `height`. Also Zola's `resize_image` and
//! `get_image_metadata`, and the 1200x630 Open Graph image.
//!
//! Not yet wired into the build. This first part reads headers (format,
//! size, orientation, animation), knows Zola's resize operations and the
//! output formats, names outputs by content hash, and decodes, resizes
//! and encodes pixels.

// Used only by the unit tests until the wiring step calls it.
#![allow(dead_code)]

mod codec;
mod error;
mod format;
mod naming;
mod ops;
mod source;
mod svg;
#[cfg(test)]
mod testimg;

// The API the wiring step calls; unused until then.
#[allow(unused_imports)]
pub(crate) use {
    error::{ImageError, ImageErrorKind},
    source::ImageMetadata,
};
