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
//! - `avif` is encoded by rav1e (through `ravif`) at a fixed speed, with
//!   the quality scaled so that the site's one `quality` gives an AVIF
//!   that looks as good as the WebP of the same number (see
//!   [`avif_quality`]); Zola passes the number through.

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
    /// `quality` is ravif's own (see [`avif_quality`]).
    Avif {
        quality: u8,
    },
}

/// A format offered in `<picture>` before the fallback, in the order of
/// `[images] formats` (browsers take the first they can show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ModernFormat {
    Avif,
    WebP,
}

impl ModernFormat {
    /// The name `[images] formats` uses.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "avif" => Some(ModernFormat::Avif),
            "webp" => Some(ModernFormat::WebP),
            _ => None,
        }
    }

    /// What a responsive set of `source` gets in this format at the site's
    /// `quality`; `None` when it gets none: AVIF is only lossy, so lossless
    /// sources (screenshots, logos) keep to lossless WebP and PNG.
    pub(crate) fn output_for(self, source: SourceFormat, quality: u8) -> Option<OutputFormat> {
        match self {
            ModernFormat::WebP => Some(OutputFormat::webp_for(source, quality)),
            ModernFormat::Avif => (!source.is_lossless()).then(|| OutputFormat::Avif {
                quality: avif_quality(quality),
            }),
        }
    }
}

/// rav1e's speed for every AVIF, 1 (slowest) to 10 (fastest): at 9 an
/// AVIF takes about half the time of speed 8 for 2.5 % more bytes, where
/// speed 10 saves 17 % of WebP's bytes instead of 29 % (BENCHMARKS.md,
/// "AVIF: speed, quality and cost").
pub(crate) const AVIF_SPEED: u8 = 9;

/// The site's quality (WebP's scale) against ravif's quality that gives
/// the same SSIM, measured on a photograph at 1200 wide at [`AVIF_SPEED`]
/// (BENCHMARKS.md, "AVIF: speed, quality and cost"); straight lines
/// between the points.
const AVIF_MATCHING_WEBP: [(u8, u8); 6] =
    [(1, 1), (60, 53), (75, 63), (85, 82), (90, 88), (100, 100)];

/// ravif's quality for the site's `quality`: an AVIF that looks like the
/// WebP of the same number, so one `quality` means one look in every
/// format and AVIF's gain is in bytes.
pub(crate) fn avif_quality(quality: u8) -> u8 {
    let q = u32::from(quality.clamp(1, 100));
    let points = AVIF_MATCHING_WEBP.map(|(a, b)| (u32::from(a), u32::from(b)));
    let Some(pair) = points.windows(2).find(|pair| q <= pair[1].0) else {
        return 100;
    };
    let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
    let y = y0 + ((y1 - y0) * (q - x0) + (x1 - x0) / 2) / (x1 - x0);
    y as u8
}

impl OutputFormat {
    /// `resize_image`'s `format` (`auto`, `jpg`/`jpeg`, `png`, `webp`, `avif`) and
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
            "avif" => match quality {
                Some(q @ 1..=100) => Ok(OutputFormat::Avif {
                    quality: avif_quality(q),
                }),
                Some(q) => Err(format!("quality for AVIF must be 1 to 100; {q} is not")),
                None => Ok(OutputFormat::Avif {
                    quality: avif_quality(site_quality),
                }),
            },
            other => Err(format!(
                "unknown image format \"{other}\": use auto, jpg, png, webp or avif"
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
            OutputFormat::Avif { .. } => "avif",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            OutputFormat::Jpeg { .. } => "image/jpeg",
            OutputFormat::Png => "image/png",
            OutputFormat::WebP { .. } => "image/webp",
            OutputFormat::Avif { .. } => "image/avif",
        }
    }

    /// A stable text of the format and its settings, for output hashes.
    pub(crate) fn key(self) -> String {
        match self {
            OutputFormat::Jpeg { quality } => format!("jpg-q{quality}"),
            OutputFormat::Png => "png".into(),
            OutputFormat::WebP { quality: Some(q) } => format!("webp-q{q}"),
            OutputFormat::WebP { quality: None } => "webp-lossless".into(),
            OutputFormat::Avif { quality } => format!("avif-q{quality}-s{AVIF_SPEED}"),
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
    fn avif_quality_follows_the_site_scale_and_unknown_formats_are_explained() {
        let site = avif_quality(DEFAULT_QUALITY);
        assert_eq!(
            args("avif", None, Png),
            Ok(OutputFormat::Avif { quality: site })
        );
        let asked = avif_quality(90);
        assert_eq!(
            args("avif", Some(90), Jpeg),
            Ok(OutputFormat::Avif { quality: asked })
        );
        assert!(
            args("avif", Some(0), Jpeg)
                .unwrap_err()
                .contains("1 to 100")
        );
        assert!(
            args("tiff", None, Jpeg)
                .unwrap_err()
                .contains("auto, jpg, png, webp or avif")
        );
    }

    #[test]
    fn avif_quality_stays_in_range_and_grows_with_the_site_quality() {
        let measured = [(60, 53), (75, 63), (85, 82), (90, 88)];
        assert_eq!(
            measured.map(|(q, _)| avif_quality(q)),
            measured.map(|(_, a)| a)
        );
        assert_eq!(
            (avif_quality(1), avif_quality(30), avif_quality(70)),
            (1, 27, 60)
        );
        let mapped: Vec<u8> = (1..=100).map(avif_quality).collect();
        assert!(mapped.iter().all(|q| (1..=100).contains(q)));
        assert!(mapped.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(avif_quality(100), 100);
    }

    #[test]
    fn avif_goes_only_to_lossy_sources() {
        let avif = ModernFormat::Avif;
        assert_eq!(ModernFormat::from_name("avif"), Some(avif));
        assert_eq!(ModernFormat::from_name("jxl"), None);
        let q = avif_quality(75);
        assert_eq!(
            avif.output_for(Jpeg, 75),
            Some(OutputFormat::Avif { quality: q })
        );
        assert_eq!(
            avif.output_for(WebP, 75),
            Some(OutputFormat::Avif { quality: q })
        );
        assert_eq!(avif.output_for(Png, 75), None);
        assert_eq!(avif.output_for(Gif, 75), None);
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
            OutputFormat::Avif { quality: 75 }.key(),
            OutputFormat::Avif { quality: 76 }.key(),
        ];
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len());
    }
}
