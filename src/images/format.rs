//! Output formats and their settings: `resize_image`'s `format` and
//! `quality` (Zola's names and ranges), and which formats a responsive set
//! gets from a source.
//!
//! Where utmost differs from Zola, on purpose:
//! - `webp` without `quality`: Zola encodes lossless whatever the source,
//!   five times larger than lossy for a photograph; utmost encodes lossy at
//!   the site's quality for JPEG and WebP sources and lossless for PNG and
//!   GIF sources (screenshots, logos), the rule the automatic WebP uses.
//! - `auto` with a WebP source gives WebP (Zola: JPEG), and with a GIF
//!   gives PNG (Zola: JPEG, losing transparency).
//! - `avif` is refused with an explanation (see BENCHMARKS.md, "Images":
//!   over thirty times WebP's encoding time for about 30 % fewer bytes).

use image::ImageFormat;

/// The quality of lossy outputs when neither site nor call sets one:
/// libwebp's (cwebp's) default, and Zola's and Hugo's JPEG default.
pub(crate) const DEFAULT_QUALITY: u8 = 75;

/// An encoded output format with its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OutputFormat {
    Jpeg {
        quality: u8,
    },
    Png,
    /// `None`: lossless.
    WebP {
        quality: Option<u8>,
    },
}

impl OutputFormat {
    /// `resize_image`'s `format` (`auto`, `jpg`/`jpeg`, `png`, `webp`) and
    /// `quality` for a `source`, `quality` defaulting to `site_quality`.
    pub(crate) fn from_args(
        format: Option<&str>,
        quality: Option<u8>,
        source: SourceFormat,
        site_quality: u8,
    ) -> Result<Self, String> {
        let format = match format.unwrap_or("auto") {
            "auto" => match source {
                SourceFormat::Jpeg => "jpg",
                SourceFormat::WebP => "webp",
                _ => "png",
            },
            other => other,
        };
        match format {
            "jpg" | "jpeg" => match quality.unwrap_or(site_quality) {
                q @ 1..=100 => Ok(OutputFormat::Jpeg { quality: q }),
                q => Err(format!("quality for JPEG must be 1 to 100; {q} is not")),
            },
            "png" => Ok(OutputFormat::Png),
            "webp" => match quality {
                Some(q @ 0..=100) => Ok(OutputFormat::WebP { quality: Some(q) }),
                Some(q) => Err(format!("quality for WebP must be 0 to 100; {q} is not")),
                None => Ok(OutputFormat::webp_for(source, site_quality)),
            },
            "avif" => Err(
                "utmost does not encode AVIF: it takes over thirty times as long as \
                 WebP for about 30 % fewer bytes; use format=\"webp\""
                    .into(),
            ),
            other => Err(format!(
                "unknown image format \"{other}\": use auto, jpg, png or webp"
            )),
        }
    }

    /// The WebP every raster source gets: lossy for photographs, lossless
    /// for lossless sources.
    pub(crate) fn webp_for(source: SourceFormat, quality: u8) -> Self {
        let quality = (!source.is_lossless()).then_some(quality);
        OutputFormat::WebP { quality }
    }

    /// The fallback in the source's own family for browsers without WebP;
    /// `None` when the source is WebP (it is its own fallback).
    pub(crate) fn fallback_for(source: SourceFormat, quality: u8) -> Option<Self> {
        match source {
            SourceFormat::Jpeg => Some(OutputFormat::Jpeg { quality }),
            SourceFormat::Png | SourceFormat::Gif => Some(OutputFormat::Png),
            _ => None,
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg { .. } => "jpg",
            OutputFormat::Png => "png",
            OutputFormat::WebP { .. } => "webp",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            OutputFormat::Jpeg { .. } => "image/jpeg",
            OutputFormat::Png => "image/png",
            OutputFormat::WebP { .. } => "image/webp",
        }
    }

    /// A stable text of the format and its settings, for output hashes.
    pub(crate) fn key(self) -> String {
        match self {
            OutputFormat::Jpeg { quality } => format!("jpg-q{quality}"),
            OutputFormat::Png => "png".into(),
            OutputFormat::WebP { quality: Some(q) } => format!("webp-q{q}"),
            OutputFormat::WebP { quality: None } => "webp-lossless".into(),
        }
    }
}

/// The formats utmost recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SourceFormat {
    Jpeg,
    Png,
    WebP,
    Gif,
    /// Recognised and copied as is: decoding AVIF needs dav1d (C).
    Avif,
    /// Copied as is, never rasterised.
    Svg,
}

impl SourceFormat {
    /// The usual extension, as `get_image_metadata` reports it (Zola's).
    pub(crate) fn extension(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "jpg",
            SourceFormat::Png => "png",
            SourceFormat::WebP => "webp",
            SourceFormat::Gif => "gif",
            SourceFormat::Avif => "avif",
            SourceFormat::Svg => "svg",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "image/jpeg",
            SourceFormat::Png => "image/png",
            SourceFormat::WebP => "image/webp",
            SourceFormat::Gif => "image/gif",
            SourceFormat::Avif => "image/avif",
            SourceFormat::Svg => "image/svg+xml",
        }
    }

    /// The name people know the format by, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "JPEG",
            SourceFormat::Png => "PNG",
            SourceFormat::WebP => "WebP",
            SourceFormat::Gif => "GIF",
            SourceFormat::Avif => "AVIF",
            SourceFormat::Svg => "SVG",
        }
    }

    /// The `image` crate's format, for the ones utmost decodes.
    pub(crate) fn decodable(self) -> Option<ImageFormat> {
        match self {
            SourceFormat::Jpeg => Some(ImageFormat::Jpeg),
            SourceFormat::Png => Some(ImageFormat::Png),
            SourceFormat::WebP => Some(ImageFormat::WebP),
            SourceFormat::Gif => Some(ImageFormat::Gif),
            SourceFormat::Avif | SourceFormat::Svg => None,
        }
    }

    /// Formats that lose nothing (screenshots, logos): kept lossless.
    pub(crate) fn is_lossless(self) -> bool {
        matches!(self, SourceFormat::Png | SourceFormat::Gif)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SourceFormat::*;

    fn args(
        format: &str,
        quality: Option<u8>,
        source: SourceFormat,
    ) -> Result<OutputFormat, String> {
        OutputFormat::from_args(Some(format), quality, source, DEFAULT_QUALITY)
    }

    #[test]
    fn auto_keeps_the_source_family() {
        assert_eq!(
            args("auto", None, Jpeg),
            Ok(OutputFormat::Jpeg { quality: 75 })
        );
        assert_eq!(args("auto", None, Png), Ok(OutputFormat::Png));
        assert_eq!(args("auto", None, Gif), Ok(OutputFormat::Png));
        assert_eq!(
            args("auto", Some(60), WebP),
            Ok(OutputFormat::WebP { quality: Some(60) })
        );
        assert_eq!(
            OutputFormat::from_args(None, None, Jpeg, 82),
            Ok(OutputFormat::Jpeg { quality: 82 })
        );
    }

    #[test]
    fn quality_ranges_are_zolas() {
        assert_eq!(
            args("jpeg", Some(1), Png),
            Ok(OutputFormat::Jpeg { quality: 1 })
        );
        assert_eq!(
            args("jpg", Some(100), Png),
            Ok(OutputFormat::Jpeg { quality: 100 })
        );
        assert!(args("jpg", Some(0), Png).unwrap_err().contains("1 to 100"));
        assert!(args("jpg", Some(101), Png).is_err());
        assert_eq!(
            args("webp", Some(0), Png),
            Ok(OutputFormat::WebP { quality: Some(0) })
        );
        assert!(
            args("webp", Some(101), Png)
                .unwrap_err()
                .contains("0 to 100")
        );
        assert_eq!(args("png", Some(5), Jpeg), Ok(OutputFormat::Png));
    }

    #[test]
    fn webp_without_quality_is_lossless_only_for_lossless_sources() {
        assert_eq!(
            args("webp", None, Jpeg),
            Ok(OutputFormat::WebP { quality: Some(75) })
        );
        assert_eq!(
            args("webp", None, Png),
            Ok(OutputFormat::WebP { quality: None })
        );
    }

    #[test]
    fn avif_and_unknown_formats_are_explained() {
        assert!(
            args("avif", None, Jpeg)
                .unwrap_err()
                .contains("use format=\"webp\"")
        );
        assert!(
            args("tiff", None, Jpeg)
                .unwrap_err()
                .contains("auto, jpg, png or webp")
        );
    }

    #[test]
    fn fallbacks_stay_in_the_source_family() {
        assert_eq!(
            OutputFormat::fallback_for(Jpeg, 70),
            Some(OutputFormat::Jpeg { quality: 70 })
        );
        assert_eq!(OutputFormat::fallback_for(Gif, 70), Some(OutputFormat::Png));
        assert_eq!(OutputFormat::fallback_for(WebP, 70), None);
    }

    #[test]
    fn keys_differ_by_setting() {
        let keys = [
            OutputFormat::Jpeg { quality: 75 }.key(),
            OutputFormat::Jpeg { quality: 76 }.key(),
            OutputFormat::Png.key(),
            OutputFormat::WebP { quality: Some(75) }.key(),
            OutputFormat::WebP { quality: None }.key(),
        ];
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len());
    }
}
