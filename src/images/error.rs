//! What can go wrong with one image, as a value: the path of the source
//! image in the site and what happened to it. The caller knows where the
//! image was referenced (page and line) and turns an [`ImageError`] into a
//! `Diagnostic` there, using [`ImageError::message`] and [`ImageError::help`].
//! No image problem panics or aborts a build by itself.

use std::fmt;

/// The most pixels utmost decodes: 100 megapixels (a 12000x8000 camera
/// file; 400 MB as RGBA). A 20000x20000 image is refused from its header,
/// before anything is allocated.
pub(crate) const MAX_PIXELS: u64 = 100_000_000;

/// The largest source file read: 256 MiB, past any web image (a
/// 100-megapixel PNG photograph is about 200 MB), so a mislabelled video or
/// disk image cannot take the build's memory.
pub(crate) const MAX_FILE_BYTES: u64 = 256 << 20;

/// One problem with one source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageError {
    /// The source image, as the site names it (`content/blog/hero.jpg`).
    pub path: String,
    pub kind: ImageErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageErrorKind {
    /// The bytes are no image format utmost knows (not JPEG, PNG, WebP,
    /// GIF, AVIF or SVG), e.g. an HTML error page saved as `.jpg`.
    NotAnImage,
    /// A known format utmost cannot decode (e.g. TIFF, BMP, HEIC).
    Unsupported { format: &'static str },
    /// The image ends early or its data is damaged.
    Corrupt { detail: String },
    /// More pixels than the decode limit; refused before decoding.
    TooLarge { width: u32, height: u32 },
    /// An SVG whose size cannot be read (no usable width/height/viewBox),
    /// or that is not well-formed XML.
    BadSvg { detail: String },
    /// An argument of `resize_image` (or a setting) is invalid.
    Argument { detail: String },
    /// The encoder refused the image (e.g. WebP wider than 16383 pixels).
    Encode {
        format: &'static str,
        detail: String,
    },
    /// The source file could not be read.
    Read { detail: String },
    /// The file is larger than utmost reads ([`MAX_FILE_BYTES`]).
    FileTooLarge { bytes: u64 },
    /// The source file changed between reading its header and its pixels
    /// (an editor saving it during a build).
    Changed,
    /// The image cache could not be written or read.
    Cache { detail: String },
}

impl ImageError {
    pub(crate) fn new(path: impl Into<String>, kind: ImageErrorKind) -> Self {
        ImageError {
            path: path.into(),
            kind,
        }
    }

    /// A `resize_image` argument error.
    pub(crate) fn argument(path: &str, detail: impl Into<String>) -> Self {
        ImageError::new(
            path,
            ImageErrorKind::Argument {
                detail: detail.into(),
            },
        )
    }

    /// One sentence about the image, without its path.
    pub(crate) fn message(&self) -> String {
        use ImageErrorKind::*;
        match &self.kind {
            NotAnImage => "is not an image (not JPEG, PNG, WebP, GIF, AVIF or SVG)".into(),
            Unsupported { format } => format!("is a {format} image, which utmost cannot process"),
            Corrupt { detail } => {
                format!("cannot be decoded: it is truncated or damaged ({detail})")
            }
            TooLarge { width, height } => format!(
                "is {width}x{height} pixels, more than the limit of {} megapixels",
                MAX_PIXELS / 1_000_000
            ),
            BadSvg { detail } => format!("is not a usable SVG: {detail}"),
            Argument { detail } => detail.clone(),
            Encode { format, detail } => format!("cannot be encoded as {format}: {detail}"),
            Read { detail } => format!("cannot be read: {detail}"),
            FileTooLarge { bytes } => format!(
                "is {} MB, more than the {} MB utmost reads for an image",
                bytes >> 20,
                MAX_FILE_BYTES >> 20
            ),
            Changed => "changed while the site was being built".into(),
            Cache { detail } => format!("cannot be cached: {detail}"),
        }
    }

    /// What the user can do about it, when there is something to say.
    pub(crate) fn help(&self) -> Option<&'static str> {
        use ImageErrorKind::*;
        match &self.kind {
            NotAnImage => Some("check that the file really is an image, e.g. open it in a browser"),
            Unsupported { .. } => Some("convert it to JPEG, PNG or WebP"),
            Corrupt { .. } => Some("export the image again from its original"),
            TooLarge { .. } | FileTooLarge { .. } => {
                Some("scale it down before adding it; web pages never show that many pixels")
            }
            BadSvg { .. } => Some("give the <svg> element a viewBox, or width and height"),
            Encode { .. } => Some("choose a smaller size or another format"),
            Cache { .. } => {
                Some("check that .utmost/cache/ is writable; deleting it is always safe")
            }
            Changed => Some("build again"),
            Argument { .. } | Read { .. } => None,
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.message())
    }
}

impl std::error::Error for ImageError {}
