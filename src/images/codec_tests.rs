//! Tests of `codec.rs`: decoding every format and the bad ones, EXIF
//! orientation, CMYK, crop and resize, and each encoder's output.

use image::metadata::Orientation;

use super::*;
use crate::images::format::OutputFormat;
use crate::images::ops::ResizeOp;
use crate::images::source::{self, SourceFormat};
use crate::images::testimg;

fn rgb_at(p: &Pixels, x: u32, y: u32) -> [u8; 3] {
    let c = p.channels();
    let i = (y as usize * p.width as usize + x as usize) * c;
    [p.data[i], p.data[i + 1], p.data[i + 2]]
}

fn decode_all(bytes: &[u8]) -> Result<Pixels, ImageErrorKind> {
    let format = source::sniff(bytes)?;
    let probe = source::probe("test", bytes).map_err(|e| e.kind)?;
    decode(bytes, format, probe.orientation)
}

#[test]
fn every_raster_format_decodes_to_rgb() {
    let photo = testimg::photo(64, 48);
    for bytes in [
        testimg::jpeg(&photo),
        testimg::png(&photo),
        testimg::webp(&photo),
    ] {
        let p = decode_all(&bytes).unwrap();
        assert_eq!((p.width, p.height, p.alpha), (64, 48, false));
        assert_eq!(p.data.len(), 64 * 48 * 3);
    }
    let p = decode_all(&testimg::gif(1)).unwrap();
    assert_eq!((p.width, p.height), (16, 8));
}

#[test]
fn alpha_is_kept_only_when_some_pixel_is_transparent() {
    let mut rgba = image::RgbaImage::from_pixel(8, 8, image::Rgba([10, 20, 30, 255]));
    assert!(!decode_all(&testimg::png_rgba(&rgba)).unwrap().alpha);
    rgba.put_pixel(3, 3, image::Rgba([0, 0, 0, 0]));
    let p = decode_all(&testimg::png_rgba(&rgba)).unwrap();
    assert!(p.alpha);
    assert_eq!(p.data.len(), 8 * 8 * 4);
}

#[test]
fn exif_orientation_is_applied() {
    // Red left half, blue right half, 40x20 as stored.
    let stored = testimg::jpeg(&testimg::halves(40, 20));
    // 6: rotate 90° clockwise to display: the red half ends on top.
    let p = decode_all(&testimg::with_exif_orientation(&stored, 6)).unwrap();
    assert_eq!((p.width, p.height), (20, 40));
    assert!(rgb_at(&p, 10, 5)[0] > 200 && rgb_at(&p, 10, 35)[2] > 200);
    // 8: rotate 270°: the red half ends at the bottom.
    let p = decode_all(&testimg::with_exif_orientation(&stored, 8)).unwrap();
    assert!(rgb_at(&p, 10, 35)[0] > 200 && rgb_at(&p, 10, 5)[2] > 200);
    // 2: mirrored: the red half ends on the right.
    let p = decode_all(&testimg::with_exif_orientation(&stored, 2)).unwrap();
    assert_eq!((p.width, p.height), (40, 20));
    assert!(rgb_at(&p, 35, 10)[0] > 200 && rgb_at(&p, 5, 10)[2] > 200);
    // 1 and out-of-range values leave it as stored.
    for o in [1, 0, 9] {
        let p = decode_all(&testimg::with_exif_orientation(&stored, o)).unwrap();
        assert!(rgb_at(&p, 5, 10)[0] > 200, "orientation {o}");
    }
}

#[test]
fn display_p3_pixels_become_srgb() {
    // P3 is wider than sRGB: the same numbers are a more saturated
    // colour, so in sRGB red grows and blue shrinks.
    let p = decode_all(&testimg::png_display_p3([200, 100, 50])).unwrap();
    let [r, g, b] = rgb_at(&p, 1, 1);
    assert!(
        r > 205 && b < 45,
        "P3 (200, 100, 50) became sRGB ({r}, {g}, {b})"
    );
    // Untagged pixels are taken as sRGB already and left as they are.
    let plain = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 100, 50]));
    assert_eq!(
        rgb_at(&decode_all(&testimg::png(&plain)).unwrap(), 1, 1),
        [200, 100, 50]
    );
}

#[test]
fn cmyk_jpegs_decode_to_the_right_colours() {
    // Pure cyan ink is (0, 255, 255) in RGB, not red.
    let p = decode_all(&testimg::cmyk_jpeg(16, 16, [255, 0, 0, 0])).unwrap();
    let [r, g, b] = rgb_at(&p, 8, 8);
    assert!(r < 40 && g > 200 && b > 200, "cyan came out as {r},{g},{b}");
    // Full black ink is black.
    let p = decode_all(&testimg::cmyk_jpeg(16, 16, [0, 0, 0, 255])).unwrap();
    assert!(rgb_at(&p, 8, 8).iter().all(|&c| c < 40));
}

#[test]
fn damaged_images_never_panic_and_strict_decoders_refuse_them() {
    let photo = testimg::photo(64, 48);
    let files = [
        testimg::jpeg(&photo),
        testimg::png(&photo),
        testimg::webp(&photo),
        testimg::gif(2),
    ];
    for bytes in &files {
        let format = source::sniff(bytes).unwrap();
        // Cut anywhere: decoding may fill in (JPEG, GIF; the probe refuses
        // those, see source.rs) or fail, but never panics.
        for cut in (4..bytes.len()).step_by(bytes.len() / 24 + 1) {
            let result = decode(&bytes[..cut], format, Orientation::NoTransforms);
            if matches!(format, SourceFormat::Png | SourceFormat::WebP) {
                assert!(
                    matches!(result, Err(ImageErrorKind::Corrupt { .. })),
                    "{format:?} {cut}"
                );
            }
        }
        // Overwrite bytes here and there: the same.
        let mut seed = 0x2545_F491u32;
        for _ in 0..64 {
            let mut damaged = bytes.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let at = 2 + seed as usize % (damaged.len() - 2);
                damaged[at] = (seed >> 24) as u8;
            }
            if let Ok(probe) = source::probe("damaged", &damaged) {
                let _ = decode(&damaged, probe.format, probe.orientation);
            }
        }
    }
}

#[test]
fn a_huge_header_is_refused_before_decoding() {
    let bomb = testimg::png_claiming(20_000, 20_000);
    let err = decode(&bomb, SourceFormat::Png, Orientation::NoTransforms).unwrap_err();
    assert_eq!(
        err,
        ImageErrorKind::TooLarge {
            width: 20_000,
            height: 20_000
        }
    );
}

#[test]
fn plans_crop_and_resize() {
    let p = decode_all(&testimg::png(&testimg::photo(300, 380))).unwrap();
    let out = apply(&p, ResizeOp::Fill(100, 100).plan((300, 380)))
        .unwrap()
        .unwrap();
    assert_eq!(
        (out.width, out.height, out.data.len()),
        (100, 100, 100 * 100 * 3)
    );
    let out = apply(&p, ResizeOp::FitWidth(150).plan((300, 380)))
        .unwrap()
        .unwrap();
    assert_eq!((out.width, out.height), (150, 190));
    assert_eq!(
        apply(&p, ResizeOp::Fit(400, 400).plan((300, 380))).unwrap(),
        None
    );
}

#[test]
fn a_crop_takes_the_centre() {
    // Red left, blue right, 400x100: filling a square keeps the middle,
    // half red and half blue.
    let p = decode_all(&testimg::png(&testimg::halves(400, 100))).unwrap();
    let out = apply(&p, ResizeOp::Fill(50, 50).plan((400, 100)))
        .unwrap()
        .unwrap();
    assert!(rgb_at(&out, 5, 25)[0] > 200 && rgb_at(&out, 45, 25)[2] > 200);
}

#[test]
fn huge_outputs_are_refused_not_allocated() {
    let p = decode_all(&testimg::png(&testimg::photo(10, 10))).unwrap();
    let err = apply(&p, ResizeOp::Scale(100_000, 100_000).plan((10, 10))).unwrap_err();
    assert!(matches!(err, ImageErrorKind::Argument { .. }), "{err:?}");
}

#[test]
fn each_encoder_writes_what_decodes_back() {
    let p = decode_all(&testimg::png(&testimg::photo(120, 80))).unwrap();
    let formats = [
        (OutputFormat::WebP { quality: Some(75) }, SourceFormat::WebP),
        (OutputFormat::WebP { quality: None }, SourceFormat::WebP),
        (OutputFormat::Jpeg { quality: 75 }, SourceFormat::Jpeg),
        (OutputFormat::Png, SourceFormat::Png),
    ];
    for (format, expect) in formats {
        let bytes = encode(&p, format).unwrap();
        assert_eq!(source::sniff(&bytes), Ok(expect));
        let back = decode_all(&bytes).unwrap();
        assert_eq!((back.width, back.height), (120, 80), "{format:?}");
        if matches!(
            format,
            OutputFormat::Png | OutputFormat::WebP { quality: None }
        ) {
            assert_eq!(back.data, p.data, "{format:?} is lossless");
        }
    }
}

#[test]
fn transparency_survives_webp_and_png_and_turns_white_in_jpeg() {
    let clear = image::RgbaImage::from_pixel(8, 8, image::Rgba([0, 0, 0, 0]));
    let p = decode_all(&testimg::png_rgba(&clear)).unwrap();
    for format in [OutputFormat::WebP { quality: Some(75) }, OutputFormat::Png] {
        let back = decode_all(&encode(&p, format).unwrap()).unwrap();
        assert!(back.alpha, "{format:?}");
    }
    let back = decode_all(&encode(&p, OutputFormat::Jpeg { quality: 90 }).unwrap()).unwrap();
    assert!(rgb_at(&back, 4, 4).iter().all(|&c| c > 245));
}

#[test]
fn webp_larger_than_its_limit_is_an_encode_error() {
    let wide = Pixels {
        width: 16_384,
        height: 1,
        alpha: false,
        data: vec![0; 16_384 * 3],
    };
    let err = encode(&wide, OutputFormat::WebP { quality: Some(75) }).unwrap_err();
    assert!(
        matches!(err, ImageErrorKind::Encode { format: "WebP", .. }),
        "{err:?}"
    );
    assert!(encode(&wide, OutputFormat::Jpeg { quality: 75 }).is_ok());
}
