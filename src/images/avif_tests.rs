//! Tests of AVIF output: the encoder writes real AVIF files of the right
//! size, `[images] formats` puts AVIF first in `<picture>`, the cache
//! keeps them across builds, and `resize_image(format = "avif")` works.
//! The images are tiny: ravif's entry points are `#[inline]`, so rav1e's
//! generic encoder is compiled into utmost itself, unoptimised in tests.

use std::fs;

use super::codec::{self, Pixels};
use super::format::{ModernFormat, OutputFormat};
use super::registry::tests::Site;
use super::registry::{Images, ResizeArgs, ResponsiveImage};
use super::run::ProcessReport;
use super::source::{self, SourceFormat};
use super::testimg;

/// The format and size an AVIF's header gives, as `get_image_metadata`
/// reads it.
fn avif_header(bytes: &[u8]) -> (SourceFormat, Option<(u32, u32)>) {
    let probe = source::probe("x.avif", bytes).unwrap();
    (probe.format, probe.size)
}

fn pixels(w: u32, h: u32) -> Pixels {
    let jpeg = testimg::jpeg(&testimg::photo(w, h));
    let orientation = image::metadata::Orientation::NoTransforms;
    codec::decode(&jpeg, SourceFormat::Jpeg, orientation).unwrap()
}

/// The types of an image's `<source>` elements, in order.
fn mimes(image: &ResponsiveImage) -> Vec<&'static str> {
    image.sources.iter().map(|s| s.mime).collect()
}

/// A new site and its first build, as [`avif_build`] makes it.
fn avif_site() -> (Site, Images) {
    let site = Site::new();
    let images = avif_build(&site);
    (site, images)
}

/// A build of `site` with `formats = ["avif", "webp"]` and small widths.
fn avif_build(site: &Site) -> Images {
    let mut settings = site.settings();
    settings.formats = vec![ModernFormat::Avif, ModernFormat::WebP];
    settings.widths = vec![64, 128];
    Images::new(settings)
}

#[test]
fn avif_is_a_valid_file_of_the_size_encoded() {
    let format = OutputFormat::Avif { quality: 60 };
    let bytes = codec::encode(&pixels(40, 24), format).unwrap();
    assert_eq!(avif_header(&bytes), (SourceFormat::Avif, Some((40, 24))));
    let clear = image::RgbaImage::from_fn(9, 7, |x, _| image::Rgba([9, 80, 200, x as u8 * 20]));
    let orientation = image::metadata::Orientation::NoTransforms;
    let rgba = codec::decode(&testimg::png_rgba(&clear), SourceFormat::Png, orientation).unwrap();
    assert!(rgba.alpha);
    let bytes = codec::encode(&rgba, format).unwrap();
    assert_eq!(avif_header(&bytes), (SourceFormat::Avif, Some((9, 7))));
    // An alpha plane is a second image item: `auxC` names it.
    assert!(bytes.windows(4).any(|w| w == b"auxC"), "no alpha item");
}

#[test]
fn avif_of_any_small_size_never_fails() {
    for (w, h) in [(1, 1), (1, 3), (17, 1), (65, 9)] {
        let bytes = codec::encode(&pixels(w, h), OutputFormat::Avif { quality: 1 }).unwrap();
        assert_eq!(avif_header(&bytes), (SourceFormat::Avif, Some((w, h))));
    }
}

#[test]
fn avif_comes_first_and_a_second_build_encodes_nothing() {
    let (site, images) = avif_site();
    let file = site.add("hero.jpg", &testimg::jpeg(&testimg::photo(160, 80)));
    let image = images.responsive("hero.jpg", &file).unwrap();
    assert_eq!(mimes(&image), ["image/avif", "image/webp"]);
    assert_eq!(image.fallback.mime, "image/jpeg");
    let avif = &image.sources[0].candidates;
    assert!(avif[0].url.ends_with(".64.avif"), "{}", avif[0].url);

    let report = images.process();
    assert_eq!((report.encoded, report.errors.len()), (6, 0));
    let made: Vec<_> = (images.outputs().into_iter())
        .filter(|o| o.path.ends_with(".avif"))
        .collect();
    assert_eq!(made.len(), 2);
    for output in &made {
        let (format, size) = avif_header(&fs::read(&output.from).unwrap());
        assert_eq!(format, SourceFormat::Avif);
        let expected = if output.path.contains(".64.") {
            (64, 32)
        } else {
            (128, 64)
        };
        assert_eq!(size, Some(expected), "{}", output.path);
    }

    let again = avif_build(&site);
    assert_eq!(again.responsive("hero.jpg", &file).unwrap(), image);
    let expected = ProcessReport {
        encoded: 0,
        reused: 6,
        errors: vec![],
    };
    assert_eq!(again.process(), expected);
}

#[test]
fn lossless_sources_get_no_avif() {
    let (site, images) = avif_site();
    let file = site.add("shot.png", &testimg::png(&testimg::photo(64, 40)));
    let image = images.responsive("shot.png", &file).unwrap();
    assert_eq!(mimes(&image), ["image/webp"]);
    // A WebP source is its own fallback and gets AVIF before it.
    let file = site.add("a.webp", &testimg::webp(&testimg::photo(64, 40)));
    let image = images.responsive("a.webp", &file).unwrap();
    let mimes: Vec<&str> = image.sources.iter().map(|s| s.mime).collect();
    assert_eq!(
        (mimes, image.fallback.mime),
        (vec!["image/avif"], "image/webp")
    );
}

#[test]
fn resize_image_makes_avif_when_asked() {
    let site = Site::new();
    let file = site.add("p.png", &testimg::png(&testimg::photo(90, 60)));
    let images = site.build();
    let resize = |quality| {
        let args = ResizeArgs {
            op: Some("fit_width"),
            width: Some(45),
            format: Some("avif"),
            quality,
            ..ResizeArgs::default()
        };
        images.resize("p.png", &file, args)
    };
    let r = resize(None).unwrap();
    assert!(r.url.ends_with(".avif"), "{}", r.url);
    assert_eq!((r.width, r.height), (45, 30));
    assert_ne!(
        resize(Some(90)).unwrap().url,
        r.url,
        "quality is in the name"
    );
    let message = resize(Some(0)).unwrap_err().to_string();
    assert!(
        message.contains("quality for AVIF must be 1 to 100"),
        "{message}"
    );
    assert!(images.process().errors.is_empty());
    for output in images.outputs() {
        let (format, size) = avif_header(&fs::read(&output.from).unwrap());
        assert_eq!((format, size), (SourceFormat::Avif, Some((45, 30))));
    }
}
