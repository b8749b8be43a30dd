//! A source image before any pixel is decoded: its format from its first
//! bytes (never from its extension), its displayed size from its header
//! and EXIF orientation, whether it is animated, and its content hash.
//! Reading this costs microseconds, so pages can be rendered with exact
//! `width`, `height` and URLs while the pixel work runs later, or not at
//! all when the cache has it. Also `get_image_metadata`'s answer.

use image::{ImageDecoder, metadata::Orientation};
use serde::Serialize;

use super::error::{ImageError, ImageErrorKind};
use super::{codec, naming, svg};

pub(crate) use super::format::SourceFormat;

/// The format of `bytes` from their signature, or the error to report.
pub(crate) fn sniff(bytes: &[u8]) -> Result<SourceFormat, ImageErrorKind> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(b"\xFF\xD8\xFF") {
        Ok(SourceFormat::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1A\n") {
        Ok(SourceFormat::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Ok(SourceFormat::Gif)
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Ok(SourceFormat::WebP)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        match &bytes[8..12] {
            b"avif" | b"avis" => Ok(SourceFormat::Avif),
            b"heic" | b"heix" | b"mif1" | b"msf1" => {
                Err(ImageErrorKind::Unsupported { format: "HEIC" })
            }
            _ => Err(ImageErrorKind::NotAnImage),
        }
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Err(ImageErrorKind::Unsupported { format: "TIFF" })
    } else if starts(b"BM") {
        Err(ImageErrorKind::Unsupported { format: "BMP" })
    } else if svg::looks_like_svg(bytes) {
        Ok(SourceFormat::Svg)
    } else {
        Err(ImageErrorKind::NotAnImage)
    }
}

/// What the header says about a source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probe {
    pub format: SourceFormat,
    /// The size as displayed: after EXIF orientation. `None` only for an
    /// AVIF whose header does not say.
    pub size: Option<(u32, u32)>,
    /// Rotated or flipped by its EXIF orientation.
    pub orientation: Orientation,
    /// More than one frame (GIF, WebP, APNG): copied as is.
    pub animated: bool,
    /// An SVG with scripts, event handlers, `javascript:` links or
    /// `<foreignObject>`: safe in `<img>`, never to be inlined in a page.
    pub active_svg: bool,
    /// The hash of the bytes, part of every output's name.
    pub hash: u64,
}

/// Reads the header of `bytes`, the contents of the image at `path`.
pub(crate) fn probe(path: &str, bytes: &[u8]) -> Result<Probe, ImageError> {
    let fail = |kind| ImageError::new(path, kind);
    let format = sniff(bytes).map_err(fail)?;
    let hash = naming::content_hash(bytes);
    let mut probe = Probe {
        format,
        size: None,
        orientation: Orientation::NoTransforms,
        animated: false,
        active_svg: false,
        hash,
    };
    match format {
        SourceFormat::Svg => {
            let info =
                svg::read(bytes).map_err(|detail| fail(ImageErrorKind::BadSvg { detail }))?;
            probe.size = Some(info.size);
            probe.active_svg = info.active;
        }
        SourceFormat::Avif => probe.size = avif_size(bytes),
        _ => {
            let (size, orientation) = raster_header(bytes, format).map_err(fail)?;
            if !is_complete(bytes, format) {
                let detail = "the file ends early".to_string();
                return Err(fail(ImageErrorKind::Corrupt { detail }));
            }
            probe.size = Some(displayed(size, orientation));
            probe.orientation = orientation;
            probe.animated = is_animated(bytes, format);
        }
    }
    Ok(probe)
}

/// Width and height as stored, and the EXIF orientation, from the header.
fn raster_header(
    bytes: &[u8],
    format: SourceFormat,
) -> Result<((u32, u32), Orientation), ImageErrorKind> {
    let mut decoder = codec::open(bytes, format)?;
    let (w, h) = decoder.dimensions();
    // A damaged EXIF block is no reason to refuse a picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    Ok(((w, h), orientation))
}

/// `(w, h)` as shown once `orientation` is applied.
pub(crate) fn displayed((w, h): (u32, u32), orientation: Orientation) -> (u32, u32) {
    use Orientation::*;
    match orientation {
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH => (h, w),
        _ => (w, h),
    }
}

/// Whether the image has more than one frame. Walks the container's
/// blocks without decoding; a truncated file simply stops the walk.
fn is_animated(bytes: &[u8], format: SourceFormat) -> bool {
    match format {
        SourceFormat::Gif => gif_walk(bytes).frames > 1,
        // VP8X header: flags byte after the chunk header, bit 1 = animation.
        SourceFormat::WebP => {
            bytes.get(12..16) == Some(b"VP8X") && bytes.get(20).is_some_and(|f| f & 0x02 != 0)
        }
        SourceFormat::Png => png_has_chunk_before_idat(bytes, b"acTL"),
        _ => false,
    }
}

/// Whether the file reaches its format's end marker. Decoders fill a
/// truncated JPEG or GIF with grey and call it a success; a half-grey
/// hero image must be an error, not a surprise in production.
fn is_complete(bytes: &[u8], format: SourceFormat) -> bool {
    match format {
        SourceFormat::Jpeg => jpeg_has_end(bytes),
        // The IEND chunk with its CRC.
        SourceFormat::Png => bytes
            .windows(4)
            .rposition(|w| w == b"IEND")
            .is_some_and(|at| at + 8 <= bytes.len()),
        SourceFormat::Gif => gif_walk(bytes).complete,
        SourceFormat::WebP => {
            let riff = bytes
                .get(4..8)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            riff.is_some_and(|len| bytes.len() as u64 >= u64::from(len) + 8)
        }
        SourceFormat::Avif | SourceFormat::Svg => true,
    }
}

/// Whether a JPEG has an end-of-image marker after its first scan. In the
/// entropy-coded data every 0xFF is followed by 0x00 or a restart marker,
/// so 0xFF 0xD9 there is the real end (an EXIF thumbnail's end comes
/// before the first scan and does not count).
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let mut at = 2;
    loop {
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        match marker {
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            0xDA => break,
            _ => {
                let Some(len) = bytes.get(at + 2..at + 4) else {
                    return false;
                };
                at += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            }
        }
    }
    bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// What a walk over a GIF's blocks found.
struct GifWalk {
    frames: usize,
    /// The trailer (`;`) was reached.
    complete: bool,
}

/// Walks a GIF (GIF89a: header, logical screen, optional global colour
/// table, then extension and image blocks until the `;` trailer) without
/// decoding, counting its images.
fn gif_walk(bytes: &[u8]) -> GifWalk {
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3 << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let mut walk = GifWalk {
        frames: 0,
        complete: false,
    };
    let Some(&flags) = bytes.get(10) else {
        return walk;
    };
    let mut at = 13 + table(flags);
    // Data sub-blocks: a length byte, that many bytes, until a zero length.
    let skip_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let len = usize::from(*bytes.get(at)?);
            at += 1 + len;
            if len == 0 {
                return Some(at);
            }
        }
    };
    while let Some(&block) = bytes.get(at) {
        let next = match block {
            0x21 => skip_blocks(at + 2),
            0x2C => {
                walk.frames += 1;
                let local = bytes.get(at + 9).map_or(0, |&f| table(f));
                skip_blocks(at + 10 + local + 1)
            }
            0x3B => {
                walk.complete = true;
                None
            }
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => break,
        }
    }
    walk
}

/// Whether a PNG has chunk `kind` before its image data.
fn png_has_chunk_before_idat(bytes: &[u8], kind: &[u8; 4]) -> bool {
    let mut at = 8;
    while let (Some(len), Some(name)) = (bytes.get(at..at + 4), bytes.get(at + 4..at + 8)) {
        if name == kind {
            return true;
        }
        if name == b"IDAT" {
            return false;
        }
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        at = at.saturating_add(12).saturating_add(len);
    }
    false
}

/// An AVIF's size from its first `ispe` (image spatial extents) property.
fn avif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let at = head.windows(4).position(|w| w == b"ispe")?;
    let be = |i: usize| -> Option<u32> {
        let b = head.get(i..i + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    // 'ispe', version and flags (4), width (4), height (4).
    Some((be(at + 8)?, be(at + 12)?)).filter(|&(w, h)| w > 0 && h > 0)
}

/// `get_image_metadata`'s answer, as Zola gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ImageMetadata {
    pub width: u32,
    pub height: u32,
    /// The usual extension: `jpg`, `png`, `webp`, `gif`, `avif`, `svg`.
    pub format: &'static str,
    pub mime: &'static str,
}

/// `get_image_metadata(path)`: size (after EXIF orientation) and format.
#[cfg(test)]
pub(crate) fn metadata(path: &str, bytes: &[u8]) -> Result<ImageMetadata, ImageError> {
    ImageMetadata::of(path, &probe(path, bytes)?)
}

impl ImageMetadata {
    /// The metadata of the probed image at `path`.
    pub(crate) fn of(path: &str, probe: &Probe) -> Result<Self, ImageError> {
        let (width, height) = probe.displayed_size(path)?;
        Ok(ImageMetadata {
            width,
            height,
            format: probe.format.extension(),
            mime: probe.format.mime(),
        })
    }
}

impl Probe {
    /// The size as displayed, or the error for an image (an AVIF) whose
    /// header gives none.
    pub(crate) fn displayed_size(&self, path: &str) -> Result<(u32, u32), ImageError> {
        self.size.ok_or_else(|| {
            let detail = "its header gives no size".to_string();
            ImageError::new(path, ImageErrorKind::Corrupt { detail })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::testimg;

    #[test]
    fn formats_are_recognised_by_their_bytes() {
        let photo = testimg::photo(8, 8);
        assert_eq!(sniff(&testimg::jpeg(&photo)), Ok(SourceFormat::Jpeg));
        assert_eq!(sniff(&testimg::png(&photo)), Ok(SourceFormat::Png));
        assert_eq!(sniff(&testimg::webp(&photo)), Ok(SourceFormat::WebP));
        assert_eq!(sniff(&testimg::gif(1)), Ok(SourceFormat::Gif));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0"), Ok(SourceFormat::Avif));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Ok(SourceFormat::Svg)
        );
    }

    #[test]
    fn other_files_are_named_for_what_they_are() {
        let unsupported = |format| Err(ImageErrorKind::Unsupported { format });
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), unsupported("HEIC"));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), unsupported("TIFF"));
        assert_eq!(sniff(b"BM\x36\0\0\0"), unsupported("BMP"));
        for junk in [
            &b""[..],
            b"<!doctype html><p>404</p>",
            b"\x1f\x8b\x08gzip",
            b"\xFF\xD8",
        ] {
            assert_eq!(sniff(junk), Err(ImageErrorKind::NotAnImage), "{junk:?}");
        }
    }

    #[test]
    fn the_probe_reads_size_and_orientation_from_the_header() {
        let jpeg = testimg::jpeg(&testimg::photo(40, 20));
        let probe = probe("a.jpg", &jpeg).unwrap();
        assert_eq!(
            (probe.size, probe.orientation),
            (Some((40, 20)), Orientation::NoTransforms)
        );
        assert_eq!(probe.hash, naming::content_hash(&jpeg));
        let turned = probe_of(&testimg::with_exif_orientation(&jpeg, 6));
        assert_eq!(
            (turned.size, turned.orientation),
            (Some((20, 40)), Orientation::Rotate90)
        );
        assert_eq!(
            probe_of(&testimg::with_exif_orientation(&jpeg, 3)).size,
            Some((40, 20))
        );
    }

    fn probe_of(bytes: &[u8]) -> Probe {
        probe("test", bytes).unwrap()
    }

    #[test]
    fn animations_are_detected_without_decoding() {
        assert!(!probe_of(&testimg::gif(1)).animated);
        assert!(probe_of(&testimg::gif(3)).animated);
        let png = testimg::png(&testimg::photo(8, 8));
        assert!(!probe_of(&png).animated);
        assert!(is_animated(&testimg::apng_marker(&png), SourceFormat::Png));
        assert!(is_animated(
            &testimg::animated_webp_header(),
            SourceFormat::WebP
        ));
        assert!(!is_animated(
            &testimg::webp(&testimg::photo(8, 8)),
            SourceFormat::WebP
        ));
        // A GIF cut short counts the frames it has.
        let gif = testimg::gif(3);
        assert!(gif_walk(&gif[..gif.len() / 2]).frames >= 1);
        assert_eq!(gif_walk(b"GIF89a").frames, 0);
    }

    #[test]
    fn bad_headers_are_errors_with_the_path() {
        let err = probe("content/huge.png", &testimg::png_claiming(20_000, 20_000)).unwrap_err();
        assert_eq!(err.path, "content/huge.png");
        assert_eq!(
            err.kind,
            ImageErrorKind::TooLarge {
                width: 20_000,
                height: 20_000
            }
        );
        assert!(
            err.message().contains("100 megapixels"),
            "{}",
            err.message()
        );
        let err = probe("x.png", &testimg::png_claiming(0, 10)).unwrap_err();
        assert!(
            matches!(err.kind, ImageErrorKind::Corrupt { .. }),
            "{err:?}"
        );
        let err = probe("x.jpg", b"\xFF\xD8\xFF\xE0").unwrap_err();
        assert!(
            matches!(err.kind, ImageErrorKind::Corrupt { .. }),
            "{err:?}"
        );
        let err = probe("x.jpg", b"<html>not found</html>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.jpg is not an image (not JPEG, PNG, WebP, GIF, AVIF or SVG)"
        );
    }

    #[test]
    fn truncated_files_are_refused_from_the_probe() {
        let photo = testimg::photo(64, 48);
        let files = [
            testimg::jpeg(&photo),
            testimg::png(&photo),
            testimg::webp(&photo),
            testimg::gif(3),
        ];
        for bytes in files {
            let format = sniff(&bytes).unwrap();
            assert!(is_complete(&bytes, format), "{format:?} whole");
            for cut in [bytes.len() - 1, bytes.len() / 2] {
                let err = probe("cut", &bytes[..cut]).unwrap_err();
                assert!(
                    matches!(err.kind, ImageErrorKind::Corrupt { .. }),
                    "{format:?} at {cut}: {err:?}"
                );
            }
        }
        // An EXIF thumbnail's end marker does not make a cut JPEG whole.
        let thumb = testimg::jpeg(&testimg::photo(8, 8));
        let mut app1 = b"\xFF\xE1".to_vec();
        app1.extend_from_slice(&u16::try_from(thumb.len() + 2).unwrap().to_be_bytes());
        app1.extend_from_slice(&thumb);
        let mut with_thumb = bytes_after_soi(&testimg::jpeg(&photo), &app1);
        with_thumb.truncate(with_thumb.len() - 100);
        assert!(!jpeg_has_end(&with_thumb));
    }

    fn bytes_after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(segment);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn avif_size_comes_from_its_ispe_box() {
        let mut avif = b"\0\0\0\x1cftypavif\0\0\0\0mif1miaf".to_vec();
        avif.extend_from_slice(b"\0\0\0\x14ispe\0\0\0\0");
        avif.extend_from_slice(&640u32.to_be_bytes());
        avif.extend_from_slice(&480u32.to_be_bytes());
        let probe = probe_of(&avif);
        assert_eq!(
            (probe.format, probe.size),
            (SourceFormat::Avif, Some((640, 480)))
        );
        let meta = metadata("a.avif", &avif).unwrap();
        assert_eq!((meta.format, meta.mime), ("avif", "image/avif"));
        assert!(metadata("b.avif", b"\0\0\0\x1cftypavif\0\0\0\0").is_err());
    }

    #[test]
    fn metadata_is_zolas_shape() {
        let jpeg = testimg::with_exif_orientation(&testimg::jpeg(&testimg::photo(40, 20)), 8);
        let meta = metadata("a.jpg", &jpeg).unwrap();
        let json = serde_json::to_string(&meta).unwrap();
        assert_eq!(
            json,
            r#"{"width":20,"height":40,"format":"jpg","mime":"image/jpeg"}"#
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 12"/>"#;
        let meta = metadata("logo.svg", svg).unwrap();
        assert_eq!(
            (meta.width, meta.height, meta.format, meta.mime),
            (24, 12, "svg", "image/svg+xml")
        );
    }
}
