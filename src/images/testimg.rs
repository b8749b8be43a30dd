//! Test images, made in the tests: a small photograph-like picture,
//! encoded as each format, and the awkward cases (CMYK JPEG, EXIF
//! orientation, animated GIF, APNG and WebP, truncated files, a header
//! claiming 20000x20000 pixels).

use std::io::Cursor;

use image::codecs::gif::{GifEncoder, Repeat};
use image::{DynamicImage, Frame, ImageFormat, RgbImage, RgbaImage};

/// A gradient with texture and grain: compresses like a photograph.
pub(crate) fn photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        let r = (x * 200 / w.max(1)) as u8;
        let g = (y * 200 / h.max(1)) as u8;
        let b = (((x / 7 + y / 5) % 40) * 5) as u8;
        image::Rgb([r.saturating_add(grain), g.saturating_add(grain), b])
    })
}

/// `w` x `h`, left half red and right half blue: orientation shows.
pub(crate) fn halves(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    })
}

pub(crate) fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .expect("test image encodes");
    out.into_inner()
}

pub(crate) fn jpeg(image: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(image.clone()), ImageFormat::Jpeg)
}

pub(crate) fn png(image: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(image.clone()), ImageFormat::Png)
}

pub(crate) fn png_rgba(image: &RgbaImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgba8(image.clone()), ImageFormat::Png)
}

/// A PNG of one colour tagged with the Display P3 ICC profile.
pub(crate) fn png_display_p3(rgb: [u8; 3]) -> Vec<u8> {
    use image::ImageEncoder;
    use image::codecs::png::PngEncoder;
    let icc = moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("P3 profile");
    let pixels = RgbImage::from_pixel(4, 4, image::Rgb(rgb));
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new(&mut out);
    encoder.set_icc_profile(icc).expect("PNG takes ICC");
    encoder
        .write_image(pixels.as_raw(), 4, 4, image::ExtendedColorType::Rgb8)
        .expect("png");
    out
}

/// A lossy WebP through libwebp.
pub(crate) fn webp(image: &RgbImage) -> Vec<u8> {
    let encoder = webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height());
    encoder.encode_simple(false, 80.0).expect("webp").to_vec()
}

/// A CMYK JPEG of one colour, `cmyk` in ink amounts. jpeg-encoder stores
/// them inverted with an Adobe APP14 marker, as Photoshop writes them.
pub(crate) fn cmyk_jpeg(w: u16, h: u16, cmyk: [u8; 4]) -> Vec<u8> {
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h))
        .flat_map(|_| cmyk)
        .collect();
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk)
        .expect("cmyk jpeg");
    out
}

/// `jpeg` with an EXIF block whose Orientation tag is `orientation`,
/// inserted right after the SOI marker (APP1, big-endian TIFF).
pub(crate) fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // header, IFD0 at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).expect("small");
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A GIF of `frames` frames of 16x8, each another colour.
pub(crate) fn gif(frames: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).expect("repeat");
        let frames = (0..frames).map(|i| {
            Frame::new(RgbaImage::from_pixel(
                16,
                8,
                image::Rgba([i * 60, 0, 255 - i * 60, 255]),
            ))
        });
        encoder.encode_frames(frames).expect("gif frames");
    }
    out
}

/// A PNG whose header claims `w` x `h` pixels, with no image data: what a
/// decompression bomb looks like before it is decoded.
pub(crate) fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1A\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    push_chunk(&mut out, b"IHDR", &ihdr);
    // The start of a zlib stream: decoders read the header up to here.
    push_chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x03, 0x00]);
    push_chunk(&mut out, b"IEND", &[]);
    out
}

/// `png` with an `acTL` chunk (APNG: animated) before its image data.
pub(crate) fn apng_marker(png: &[u8]) -> Vec<u8> {
    // After the signature (8) and IHDR (4 + 4 + 13 + 4).
    let at = 8 + 25;
    let mut out = png[..at].to_vec();
    let mut actl = Vec::new();
    actl.extend_from_slice(&2u32.to_be_bytes()); // frames
    actl.extend_from_slice(&0u32.to_be_bytes()); // plays
    push_chunk(&mut out, b"acTL", &actl);
    out.extend_from_slice(&png[at..]);
    out
}

fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).expect("small").to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An animated WebP's first bytes: a VP8X header with the animation flag.
pub(crate) fn animated_webp_header() -> Vec<u8> {
    let mut out = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
    out.extend_from_slice(&10u32.to_le_bytes());
    out.extend_from_slice(&[0x02, 0, 0, 0]); // flags: animation
    out.extend_from_slice(&[15, 0, 0, 7, 0, 0]); // 16 x 8, minus one
    out
}
