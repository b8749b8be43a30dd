//! The pixel work: decode (the `image` crate: zune-jpeg, png, image-webp,
//! gif) within memory limits and with EXIF orientation applied, crop and
//! resize (`fast_image_resize`, Lanczos3: 15 times faster than `image`'s
//! own), and encode (WebP through libwebp, JPEG through `jpeg-encoder`,
//! PNG through `png`, AVIF through `ravif`: rav1e, pure Rust). Pixels in
//! another RGB colour space (an iPhone's Display P3) are converted to sRGB
//! with moxcms, since the outputs carry no ICC profile and browsers take
//! untagged images as sRGB.
//! BENCHMARKS.md, "Images", has the measurements.

use std::io::Cursor;

use fast_image_resize as fir;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, metadata::Orientation};

use super::error::ImageErrorKind;
use super::error::MAX_PIXELS;
use super::format::{AVIF_SPEED, OutputFormat, SourceFormat};
use super::ops::Plan;

/// The most a decoder may allocate: a 100-megapixel JPEG needs its
/// component planes and the RGB result at once.
const MAX_DECODER_ALLOC: u64 = 1 << 30;

/// libwebp's limit on either side.
const WEBP_MAX_SIDE: u32 = 16383;

/// Decoded 8-bit pixels, RGB or RGBA, rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Pixels {
    /// The size only: megabytes of pixel values help nobody in a message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.alpha { "RGBA" } else { "RGB" };
        write!(f, "Pixels({}x{} {kind})", self.width, self.height)
    }
}

impl Pixels {
    fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }

    /// The bytes a decode of `size` takes, for the memory budget.
    pub(crate) fn cost((w, h): (u32, u32)) -> u64 {
        u64::from(w) * u64::from(h) * 4
    }
}

pub(crate) fn corrupt(e: image::ImageError) -> ImageErrorKind {
    match e {
        image::ImageError::Limits(_) => ImageErrorKind::Corrupt {
            detail: "decoding it would take more memory than any web image needs".into(),
        },
        other => ImageErrorKind::Corrupt {
            detail: other.to_string(),
        },
    }
}

/// A decoder of `bytes` that has read the header, for an image of an
/// accepted size. The header is read without limits (it allocates nothing
/// large), so an oversized image is named for what it is rather than
/// failing an allocation.
pub(crate) fn open(
    bytes: &[u8],
    format: SourceFormat,
) -> Result<impl ImageDecoder + '_, ImageErrorKind> {
    let image_format = format.decodable().ok_or(ImageErrorKind::Unsupported {
        format: format.name(),
    })?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.no_limits();
    let decoder = reader.into_decoder().map_err(corrupt)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageErrorKind::TooLarge {
            width: w,
            height: h,
        });
    }
    if w == 0 || h == 0 {
        return Err(ImageErrorKind::Corrupt {
            detail: "it has no pixels".into(),
        });
    }
    Ok(decoder)
}

/// Decodes `bytes` (the first frame of an animation) and turns them as
/// their EXIF orientation says.
pub(crate) fn decode(
    bytes: &[u8],
    format: SourceFormat,
    orientation: Orientation,
) -> Result<Pixels, ImageErrorKind> {
    let mut decoder = open(bytes, format)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    decoder.set_limits(limits).map_err(corrupt)?;
    // A damaged profile only costs colour accuracy, never the image.
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    let mut pixels = into_pixels(image);
    if let Some(icc) = icc {
        to_srgb(&mut pixels, &icc);
    }
    Ok(pixels)
}

/// Converts `pixels` from the RGB colour space of ICC profile `icc` to
/// sRGB, in place. Profiles that are not RGB (grey, CMYK: the decoder
/// already made RGB of those) or that moxcms cannot read are left alone.
fn to_srgb(pixels: &mut Pixels, icc: &[u8]) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if profile.color_space != DataColorSpace::Rgb {
        return;
    }
    let layout = if pixels.alpha {
        Layout::Rgba
    } else {
        Layout::Rgb
    };
    let srgb = ColorProfile::new_srgb();
    let options = TransformOptions::default();
    let Ok(transform) = profile.create_transform_8bit(layout, &srgb, layout, options) else {
        return;
    };
    let mut out = vec![0; pixels.data.len()];
    if transform.transform(&pixels.data, &mut out).is_ok() {
        pixels.data = out;
    }
}

/// 8-bit RGB, or RGBA when some pixel is not opaque (an alpha channel
/// that is all opaque only makes outputs larger).
fn into_pixels(image: DynamicImage) -> Pixels {
    let (width, height) = (image.width(), image.height());
    if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        if rgba.pixels().any(|p| p[3] != 255) {
            return Pixels {
                width,
                height,
                alpha: true,
                data: rgba.into_raw(),
            };
        }
        let data = rgba.pixels().flat_map(|p| [p[0], p[1], p[2]]).collect();
        return Pixels {
            width,
            height,
            alpha: false,
            data,
        };
    }
    Pixels {
        width,
        height,
        alpha: false,
        data: image.into_rgb8().into_raw(),
    }
}

/// Crops and resizes `source` as `plan` says; `None` when the plan keeps
/// the source as it is.
pub(crate) fn apply(source: &Pixels, plan: Plan) -> Result<Option<Pixels>, ImageErrorKind> {
    let (w, h) = plan.output_size((source.width, source.height));
    if plan.crop.is_none() && (w, h) == (source.width, source.height) {
        return Ok(None);
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageErrorKind::Argument {
            detail: format!("the result would be {w}x{h} pixels, more than utmost makes"),
        });
    }
    let pixel_type = if source.alpha {
        fir::PixelType::U8x4
    } else {
        fir::PixelType::U8x3
    };
    let internal = |e: &dyn std::fmt::Display| ImageErrorKind::Corrupt {
        detail: format!("resizing failed: {e}"),
    };
    let src = fir::images::ImageRef::new(source.width, source.height, &source.data, pixel_type)
        .map_err(|e| internal(&e))?;
    let mut dst = fir::images::Image::new(w, h, pixel_type);
    let mut options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    if let Some((x, y, cw, ch)) = plan.crop {
        options = options.crop(f64::from(x), f64::from(y), f64::from(cw), f64::from(ch));
    }
    fir::Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| internal(&e))?;
    Ok(Some(Pixels {
        width: w,
        height: h,
        alpha: source.alpha,
        data: dst.into_vec(),
    }))
}

/// What rav1e holds while it encodes, in bytes per pixel (frame planes at
/// 16 bits, reconstruction and per-block state): a 2000x1333 encode peaks
/// 90 MB above its input, 34 bytes a pixel (BENCHMARKS.md, "AVIF: speed,
/// quality and cost"), with a margin.
const AVIF_BYTES_PER_PIXEL: u64 = 40;

/// The memory encoding a `(w, h)` image as `format` takes, for the budget;
/// 0 for the encoders whose memory is a small part of the pixels'.
pub(crate) fn encode_cost(format: OutputFormat, (w, h): (u32, u32)) -> u64 {
    match format {
        OutputFormat::Avif { .. } => u64::from(w) * u64::from(h) * AVIF_BYTES_PER_PIXEL,
        _ => 0,
    }
}

/// Encodes `pixels` as `format`.
pub(crate) fn encode(pixels: &Pixels, format: OutputFormat) -> Result<Vec<u8>, ImageErrorKind> {
    match format {
        OutputFormat::WebP { quality } => webp(pixels, quality),
        OutputFormat::Jpeg { quality } => jpeg(pixels, quality),
        OutputFormat::Png => png(pixels),
        OutputFormat::Avif { quality } => avif(pixels, quality),
    }
}

fn encode_error(format: &'static str, detail: impl Into<String>) -> ImageErrorKind {
    ImageErrorKind::Encode {
        format,
        detail: detail.into(),
    }
}

fn webp(pixels: &Pixels, quality: Option<u8>) -> Result<Vec<u8>, ImageErrorKind> {
    let (w, h) = (pixels.width, pixels.height);
    if w > WEBP_MAX_SIDE || h > WEBP_MAX_SIDE {
        let detail = format!("{w}x{h} is larger than WebP's {WEBP_MAX_SIDE} pixels a side");
        return Err(encode_error("WebP", detail));
    }
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(&pixels.data, w, h)
    } else {
        webp::Encoder::from_rgb(&pixels.data, w, h)
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| encode_error("WebP", "libwebp failed to start"))?;
    // method 4 is libwebp's default: method 2 encodes 2.5 times faster
    // but makes 3-5 % larger files, which every visitor downloads.
    config.method = 4;
    match quality {
        Some(q) => config.quality = f32::from(q),
        None => {
            config.lossless = 1;
            config.quality = 75.0;
        }
    }
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| encode_error("WebP", format!("{e:?}")))?;
    Ok(memory.to_vec())
}

/// Lossy AVIF at `quality` (ravif's scale) and [`AVIF_SPEED`], on the
/// calling thread (ravif's `threading` feature is off: a build already
/// encodes one image per core). ravif's defaults otherwise: 10-bit
/// YCbCr 4:4:4, full range, tagged sRGB.
fn avif(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ImageErrorKind> {
    let (w, h) = (pixels.width as usize, pixels.height as usize);
    let encoder = ravif::Encoder::new()
        .with_quality(f32::from(quality))
        .with_speed(AVIF_SPEED);
    let encoded = if pixels.alpha {
        let rgba: Vec<ravif::RGBA8> = (pixels.data.chunks_exact(4))
            .map(|p| ravif::RGBA8::new(p[0], p[1], p[2], p[3]))
            .collect();
        encoder.encode_rgba(ravif::Img::new(&rgba[..], w, h))
    } else {
        let rgb: Vec<ravif::RGB8> = (pixels.data.chunks_exact(3))
            .map(|p| ravif::RGB8::new(p[0], p[1], p[2]))
            .collect();
        encoder.encode_rgb(ravif::Img::new(&rgb[..], w, h))
    };
    encoded
        .map(|e| e.avif_file)
        .map_err(|e| encode_error("AVIF", e.to_string()))
}

fn jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, ImageErrorKind> {
    let too_large = || encode_error("JPEG", "JPEG allows at most 65535 pixels a side");
    let w = u16::try_from(pixels.width).map_err(|_| too_large())?;
    let h = u16::try_from(pixels.height).map_err(|_| too_large())?;
    let flattened;
    let rgb = if pixels.alpha {
        flattened = flatten_on_white(&pixels.data);
        &flattened
    } else {
        &pixels.data
    };
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| encode_error("JPEG", e.to_string()))?;
    Ok(out)
}

/// RGBA composed over white: JPEG has no transparency, and white is what
/// a transparent area shows on most pages.
fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = u32::from(p[3]);
        for c in &p[..3] {
            out.push(((u32::from(*c) * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    out
}

fn png(pixels: &Pixels) -> Result<Vec<u8>, ImageErrorKind> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ExtendedColorType, ImageEncoder};
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    let color = if pixels.alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    debug_assert_eq!(
        pixels.data.len(),
        pixels.width as usize * pixels.height as usize * pixels.channels()
    );
    encoder
        .write_image(&pixels.data, pixels.width, pixels.height, color)
        .map_err(|e| encode_error("PNG", e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
