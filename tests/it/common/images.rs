//! Image files made by the tests, small and deterministic: a photograph-like
//! JPEG, a PNG, a CMYK JPEG (as Photoshop writes them), an animated GIF, an
//! SVG that carries a script, a PNG whose header claims 20000x20000 pixels
//! (a decompression bomb before it is decoded), and cut or fake files.

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::{DynamicImage, Frame, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// Bands of colour with grain: compresses like a photograph, not like a
/// flat test card.
fn picture(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let noise = ((x * 31 + y * 17) ^ (x * y)) % 19;
        Rgb([
            (40 + (x * 180 / w) + noise) as u8,
            (60 + (y * 150 / h)) as u8,
            (((x + 2 * y) / 9) % 200 + noise) as u8,
        ])
    })
}

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .expect("test image encodes");
    out.into_inner()
}

/// A `w` x `h` JPEG.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encoded(DynamicImage::ImageRgb8(picture(w, h)), ImageFormat::Jpeg)
}

/// A `w` x `h` PNG.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    encoded(DynamicImage::ImageRgb8(picture(w, h)), ImageFormat::Png)
}

/// A CMYK JPEG of 64 x 48, inverted ink with an Adobe marker.
pub fn cmyk_jpeg() -> Vec<u8> {
    let ink: Vec<u8> = (0..64 * 48)
        .flat_map(|i| [(i % 200) as u8, 40, 90, 10])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&ink, 64, 48, jpeg_encoder::ColorType::Cmyk)
        .expect("CMYK JPEG");
    out
}

/// A GIF of three 24 x 12 frames.
pub fn animated_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let frames = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]
            .map(|[r, g, b]| Frame::new(RgbaImage::from_pixel(24, 12, Rgba([r, g, b, 255]))));
        let mut gif = GifEncoder::new(&mut out);
        gif.encode_frames(frames).expect("GIF");
    }
    out
}

/// An SVG logo that runs a script when opened on its own.
pub const SVG_WITH_SCRIPT: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><script>alert(document.cookie)</script><rect width="120" height="40" fill="#4338ca"/></svg>"##;

/// A plain SVG logo.
pub const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" rx="6" fill="#4338ca"/></svg>"##;

/// A small PNG with its header's size set to `w` x `h` (and the header's
/// checksum fixed): a bomb, as a decoder first sees it.
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(4, 4);
    // Signature (8), IHDR length (4) and name (4), then width and height.
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// PNG's CRC-32, bit by bit.
fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(u32::MAX, |crc, &byte| {
        (0..8).fold(crc ^ u32::from(byte), |c, _| {
            (c >> 1) ^ (0xEDB8_8320 & (c & 1).wrapping_neg())
        })
    })
}
