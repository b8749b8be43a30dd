//! Tests of a build's images end to end: the answers rendering gets, the
//! files `process` makes, the cache across builds, and bad images.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::images::codec;
use crate::images::run::ProcessReport;
use crate::images::source::sniff;
use crate::images::testimg;

/// A site folder with a cache inside it, like `.utmost/cache/images`.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    pub(crate) fn new() -> Self {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn add(&self, site_path: &str, bytes: &[u8]) -> PathBuf {
        let file = self.dir.path().join(site_path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, bytes).unwrap();
        file
    }

    pub(crate) fn settings(&self) -> ImageSettings {
        ImageSettings::new(self.dir.path().join(".utmost/cache/images"))
    }

    /// A new build: a fresh `Images` over the same cache.
    pub(crate) fn build(&self) -> Images {
        Images::new(self.settings())
    }
}

fn decoded_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    let format = sniff(&bytes).unwrap();
    let p = codec::decode(&bytes, format, image::metadata::Orientation::NoTransforms).unwrap();
    (p.width, p.height)
}

fn widths(set: &CandidateSet) -> Vec<u32> {
    set.candidates.iter().map(|c| c.width).collect()
}

/// A site holding `bytes` at `site_path`, and a build's images that
/// promised its responsive files.
fn promised(site_path: &str, bytes: &[u8]) -> (Site, PathBuf, Images) {
    let site = Site::new();
    let file = site.add(site_path, bytes);
    let images = site.build();
    images.responsive(site_path, &file).unwrap();
    (site, file, images)
}

#[test]
fn a_photograph_gets_webp_and_jpeg_at_each_width_up_to_its_own() {
    let site = Site::new();
    let file = site.add(
        "content/blog/Hero.jpg",
        &testimg::jpeg(&testimg::photo(1000, 600)),
    );
    let images = site.build();
    let image = images.responsive("content/blog/Hero.jpg", &file).unwrap();
    assert_eq!(image.sources.len(), 1);
    let (webp, jpeg) = (&image.sources[0], &image.fallback);
    assert_eq!((webp.mime, jpeg.mime), ("image/webp", "image/jpeg"));
    assert_eq!(widths(webp), [480, 800, 1000]);
    assert_eq!(widths(jpeg), [480, 800, 1000]);
    let heights: Vec<u32> = jpeg.candidates.iter().map(|c| c.height).collect();
    assert_eq!(heights, [288, 480, 600]);
    assert_eq!((image.width, image.height), (1000, 600));
    let url = &webp.candidates[1].url;
    assert!(
        url.starts_with("/processed_images/hero.") && url.ends_with(".800.webp"),
        "{url}"
    );

    let report = images.process();
    assert_eq!(
        report,
        ProcessReport {
            encoded: 6,
            reused: 0,
            errors: vec![]
        }
    );
    let outputs = images.outputs();
    assert_eq!(outputs.len(), 6);
    for candidate in jpeg.candidates.iter().chain(&webp.candidates) {
        let output = outputs
            .iter()
            .find(|o| format!("/{}", o.path) == candidate.url)
            .unwrap();
        assert_eq!(
            decoded_size(&output.from),
            (candidate.width, candidate.height)
        );
    }
}

#[test]
fn a_second_build_does_no_image_work_and_a_changed_image_is_redone() {
    let site = Site::new();
    let file = site.add("static/a.jpg", &testimg::jpeg(&testimg::photo(600, 400)));
    let first = site.build();
    let before = first.responsive("static/a.jpg", &file).unwrap();
    assert_eq!(first.process().encoded, 4);

    let second = site.build();
    assert_eq!(second.responsive("static/a.jpg", &file).unwrap(), before);
    assert_eq!(
        second.process(),
        ProcessReport {
            encoded: 0,
            reused: 4,
            errors: vec![]
        }
    );

    site.add("static/a.jpg", &testimg::jpeg(&testimg::photo(600, 300)));
    let third = site.build();
    let after = third.responsive("static/a.jpg", &file).unwrap();
    assert_ne!(
        after.fallback.candidates[0].url,
        before.fallback.candidates[0].url
    );
    assert_eq!(third.process().encoded, 4);
}

/// The version names the promised files: the same while they are, new
/// when one is promised or forgotten, and never another build's.
#[test]
fn the_version_follows_the_promised_files() {
    let site = Site::new();
    let file = site.add("static/a.jpg", &testimg::jpeg(&testimg::photo(600, 400)));
    let images = site.build();
    let empty = images.version();
    assert_ne!(site.build().version(), empty, "another build's");
    let set = images.responsive("static/a.jpg", &file).unwrap();
    let promised = images.version();
    assert_ne!(promised, empty);
    images.responsive("static/a.jpg", &file).unwrap();
    assert_eq!(images.version(), promised, "asked again: the same files");
    let names: Vec<String> = (set.sources.iter().chain([&set.fallback]))
        .flat_map(|s| s.candidates.iter())
        .filter_map(|c| images.output_of(&c.url))
        .collect();
    images.retain(&names.iter().cloned().collect());
    assert_eq!(images.version(), promised, "every file still used");
    images.retain(&names[1..].iter().cloned().collect());
    assert_ne!(images.version(), promised, "one forgotten");
}

/// What `process` made stays made until more is promised or the cache is
/// to be looked at again.
#[test]
fn all_made_until_more_is_promised_or_the_cache_forgotten() {
    let photo = testimg::jpeg(&testimg::photo(600, 400));
    let (_site, file, images) = promised("static/a.jpg", &photo);
    assert!(!images.all_made());
    assert_eq!(images.process().encoded, 4);
    assert!(images.all_made());
    images.responsive("static/a.jpg", &file).unwrap();
    assert!(images.all_made(), "the same files asked again");
    images.forget_made();
    assert!(!images.all_made());
    assert_eq!(images.process().reused, 4);
    images.open_graph("static/a.jpg", &file).unwrap();
    assert!(!images.all_made(), "one more promised");
}

#[test]
fn changing_a_setting_changes_the_names() {
    let site = Site::new();
    let file = site.add("a.jpg", &testimg::jpeg(&testimg::photo(600, 400)));
    let first = site.build().responsive("a.jpg", &file).unwrap();
    let mut settings = site.settings();
    settings.quality = 60;
    let second = Images::new(settings).responsive("a.jpg", &file).unwrap();
    assert_ne!(
        first.sources[0].candidates[0].url,
        second.sources[0].candidates[0].url
    );
}

#[test]
fn a_file_edited_during_the_build_is_an_error_not_a_wrong_image() {
    let (_site, file, images) = promised("a.png", &testimg::png(&testimg::photo(50, 50)));
    fs::write(&file, testimg::png(&testimg::photo(50, 51))).unwrap();
    let report = images.process();
    assert_eq!(
        report.errors,
        [ImageError::new("a.png", ImageErrorKind::Changed)]
    );
}

#[test]
fn lossless_sources_keep_png_and_get_lossless_webp() {
    let site = Site::new();
    let file = site.add("shot.png", &testimg::png(&testimg::photo(300, 200)));
    let images = site.build();
    let image = images.responsive("shot.png", &file).unwrap();
    assert_eq!(
        (image.sources[0].mime, image.fallback.mime),
        ("image/webp", "image/png")
    );
    assert_eq!(widths(&image.fallback), [300]);
    assert!(images.process().errors.is_empty());
    let webp = images
        .outputs()
        .into_iter()
        .find(|o| o.path.ends_with(".webp"))
        .unwrap();
    let original = codec::decode(
        &fs::read(&file).unwrap(),
        source::SourceFormat::Png,
        image::metadata::Orientation::NoTransforms,
    )
    .unwrap();
    let bytes = fs::read(&webp.from).unwrap();
    let back = codec::decode(
        &bytes,
        source::SourceFormat::WebP,
        image::metadata::Orientation::NoTransforms,
    )
    .unwrap();
    assert_eq!(back, original, "lossless");
}

#[test]
fn a_webp_source_is_its_own_fallback() {
    let site = Site::new();
    let file = site.add("a.webp", &testimg::webp(&testimg::photo(900, 300)));
    let image = site.build().responsive("a.webp", &file).unwrap();
    assert!(image.sources.is_empty());
    assert_eq!(image.fallback.mime, "image/webp");
    assert_eq!(widths(&image.fallback), [480, 800, 900]);
}

#[test]
fn svg_animations_and_avif_are_published_as_they_are() {
    let site = Site::new();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><script>x()</script></svg>"#;
    let files = [
        (
            "static/logo.svg",
            site.add("static/logo.svg", svg),
            "image/svg+xml",
            (120, 40),
        ),
        (
            "anim.gif",
            site.add("anim.gif", &testimg::gif(3)),
            "image/gif",
            (16, 8),
        ),
    ];
    let images = site.build();
    for (site_path, file, mime, size) in &files {
        let image = images.responsive(site_path, file).unwrap();
        assert!(image.sources.is_empty());
        assert_eq!(image.fallback.mime, *mime);
        assert_eq!((image.width, image.height), *size);
        assert_eq!(image.active_svg, mime.contains("svg"));
    }
    assert_eq!(images.process(), ProcessReport::default());
    let outputs = images.outputs();
    assert_eq!(outputs.len(), 2);
    for output in &outputs {
        assert!(
            files.iter().any(|f| f.1 == output.from),
            "copied from the source"
        );
    }
    assert!(
        outputs
            .iter()
            .any(|o| o.path.starts_with("processed_images/logo.") && o.path.ends_with(".svg"))
    );
}

#[test]
fn resize_image_follows_zola() {
    let site = Site::new();
    let file = site.add(
        "content/gallery/p.jpg",
        &testimg::jpeg(&testimg::photo(300, 380)),
    );
    let images = site.build();
    let resize = |op, w, h| {
        let args = ResizeArgs {
            op: Some(op),
            width: w,
            height: h,
            ..ResizeArgs::default()
        };
        images.resize("content/gallery/p.jpg", &file, args).unwrap()
    };
    let r = resize("fit_width", Some(150), None);
    assert_eq!(
        (r.width, r.height, r.orig_width, r.orig_height),
        (150, 190, 300, 380)
    );
    assert!(
        r.url.starts_with("/processed_images/p.") && r.url.ends_with(".jpg"),
        "{}",
        r.url
    );
    assert_eq!((resize("fit", Some(160), Some(180)).width), 142);
    let fill = resize("fill", Some(100), Some(200));
    assert_eq!((fill.width, fill.height), (100, 200));
    // The same arguments name the same file; other arguments another.
    assert_eq!(resize("fill", Some(100), Some(200)).url, fill.url);
    assert_ne!(resize("scale", Some(100), Some(200)).url, fill.url);
    let webp_args = ResizeArgs {
        format: Some("webp"),
        ..sized(50, 50)
    };
    let webp = images
        .resize("content/gallery/p.jpg", &file, webp_args)
        .unwrap();
    assert!(webp.url.ends_with(".webp"));
    assert!(images.process().errors.is_empty());
    for output in images.outputs() {
        let size = decoded_size(&output.from);
        assert!(
            [(150, 190), (142, 180), (100, 200), (50, 50)].contains(&size),
            "{size:?}"
        );
    }
}

/// `resize_image(width = w, height = h)` with nothing else.
fn sized(w: u32, h: u32) -> ResizeArgs<'static> {
    ResizeArgs {
        width: Some(w),
        height: Some(h),
        ..ResizeArgs::default()
    }
}

#[test]
fn resize_image_argument_errors_name_the_problem() {
    let site = Site::new();
    let file = site.add("p.jpg", &testimg::jpeg(&testimg::photo(30, 30)));
    let images = site.build();
    let err = |args| images.resize("p.jpg", &file, args).unwrap_err().to_string();
    let only_width = ResizeArgs {
        op: Some("fit"),
        height: None,
        ..sized(10, 10)
    };
    assert_eq!(
        err(only_width),
        "p.jpg op=\"fit\" requires a `height` argument"
    );
    let cases = [
        (
            ResizeArgs {
                op: Some("zoom"),
                ..sized(10, 10)
            },
            "unknown resize op",
        ),
        (
            ResizeArgs {
                format: Some("heic"),
                ..sized(10, 10)
            },
            "use auto, jpg, png, webp or avif",
        ),
        (
            ResizeArgs {
                format: Some("jpg"),
                quality: Some(0),
                ..sized(10, 10)
            },
            "1 to 100",
        ),
    ];
    for (args, expected) in cases {
        let message = err(args);
        assert!(message.contains(expected), "{message}");
    }
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#;
    let svg = site.add("logo.svg", svg);
    let message = images
        .resize("logo.svg", &svg, sized(10, 10))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("SVG images are used as they are"),
        "{message}"
    );
}

#[test]
fn the_open_graph_image_is_a_1200x630_jpeg() {
    let site = Site::new();
    let file = site.add("hero.jpg", &testimg::jpeg(&testimg::photo(1500, 1000)));
    let images = site.build();
    let og = images.open_graph("hero.jpg", &file).unwrap();
    assert_eq!((og.width, og.height), (1200, 630));
    assert!(og.url.ends_with(".jpg"));
    assert!(images.process().errors.is_empty());
    let output = images.outputs().pop().unwrap();
    assert_eq!(decoded_size(&output.from), (1200, 630));
    // An SVG is published as it is, with its size.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>"#;
    let svg = site.add("mark.svg", svg);
    let og = images.open_graph("mark.svg", &svg).unwrap();
    assert!(og.url.ends_with(".svg"), "{}", og.url);
    assert_eq!((og.width, og.height), (40, 20));
    // An animated GIF gives its first frame, as PNG.
    let gif = site.add("a.gif", &testimg::gif(2));
    assert!(
        images
            .open_graph("a.gif", &gif)
            .unwrap()
            .url
            .ends_with(".png")
    );
}

#[test]
fn metadata_respects_exif_orientation() {
    let site = Site::new();
    let jpeg = testimg::with_exif_orientation(&testimg::jpeg(&testimg::photo(40, 20)), 6);
    let file = site.add("turned.jpg", &jpeg);
    let images = site.build();
    let meta = images.metadata("turned.jpg", &file).unwrap();
    assert_eq!((meta.width, meta.height, meta.format), (20, 40, "jpg"));
    let image = images.responsive("turned.jpg", &file).unwrap();
    assert_eq!((image.width, image.height), (20, 40));
    assert!(images.process().errors.is_empty());
    for output in images.outputs() {
        assert_eq!(decoded_size(&output.from), (20, 40));
    }
}

#[test]
fn bad_images_are_errors_naming_the_file() {
    let site = Site::new();
    let images = site.build();
    let photo = testimg::jpeg(&testimg::photo(64, 48));
    let cases: [(&str, Vec<u8>); 4] = [
        ("cut.jpg", photo[..photo.len() / 2].to_vec()),
        ("page.jpg", b"<!doctype html><title>404</title>".to_vec()),
        ("bomb.png", testimg::png_claiming(20_000, 20_000)),
        ("photo.heic", b"\0\0\0\x18ftypheic\0\0\0\0".to_vec()),
    ];
    for (name, bytes) in cases {
        let file = site.add(name, &bytes);
        let err = images.responsive(name, &file).unwrap_err();
        assert_eq!(err.path, name);
        assert!(!err.message().is_empty() && err.help().is_some(), "{err:?}");
    }
    let missing = images
        .responsive("gone.jpg", &site.dir.path().join("gone.jpg"))
        .unwrap_err();
    assert!(
        matches!(missing.kind, ImageErrorKind::Read { .. }),
        "{missing:?}"
    );
    assert!(images.outputs().is_empty());
}

#[test]
fn many_images_from_many_threads_are_processed_in_parallel() {
    use rayon::prelude::*;
    let site = Site::new();
    let files: Vec<(String, PathBuf)> = (0..12)
        .map(|i| {
            let name = format!("img/{i}.png");
            let file = site.add(&name, &testimg::png(&testimg::photo(100 + i, 60)));
            (name, file)
        })
        .collect();
    let images = site.build();
    // Every page refers to every image, from rayon's threads.
    (0..4).into_par_iter().for_each(|_| {
        files.par_iter().for_each(|(name, file)| {
            images.responsive(name, file).unwrap();
        });
    });
    let report = images.process();
    assert_eq!((report.encoded, report.errors.len()), (24, 0));
    assert_eq!(images.outputs().len(), 24);
}

#[test]
fn the_sweep_keeps_what_the_build_used() {
    let site = Site::new();
    let a = site.add("a.png", &testimg::png(&testimg::photo(40, 40)));
    let b = site.add("b.png", &testimg::png(&testimg::photo(41, 40)));
    let first = site.build();
    first.responsive("a.png", &a).unwrap();
    first.responsive("b.png", &b).unwrap();
    assert_eq!(first.process().encoded, 4);
    // The next build uses only a.png; with no grace, b's files go.
    let mut settings = site.settings();
    settings.cache_grace = std::time::Duration::ZERO;
    let second = Images::new(settings);
    second.responsive("a.png", &a).unwrap();
    assert_eq!(second.process().reused, 2);
    let sweep = second.sweep_cache().unwrap();
    assert_eq!((sweep.removed, sweep.kept), (2, 2));
    for output in second.outputs() {
        assert!(output.from.exists());
    }
}

#[test]
fn widths_are_capped_at_the_original() {
    let targets = DEFAULT_WIDTHS;
    assert_eq!(
        responsive_widths(3000, &targets),
        [480, 800, 1200, 1600, 2000]
    );
    assert_eq!(
        responsive_widths(2000, &targets),
        [480, 800, 1200, 1600, 2000]
    );
    assert_eq!(responsive_widths(1000, &targets), [480, 800, 1000]);
    assert_eq!(responsive_widths(200, &targets), [200]);
    assert_eq!(responsive_widths(700, &[]), [700]);
}
