//! Images through the whole build: Markdown images (a page bundle's file,
//! a content/ asset, a static/ file, another site's) made into responsive
//! `<picture>`/`<img>` markup whose every file is in the output; Zola's
//! `resize_image` and `get_image_metadata`; warnings for missing alt text
//! and missing files (errors under `--strict` or `strict = true`); the
//! image cache across builds, counted in encodes; and bad images, which
//! are errors at the page and line that names them or pass through safely,
//! never a crash. Fixture: tests/fixtures/images, with its images made here
//! (tests/it/common/images.rs).

use crate::common::TestSite;
use crate::common::images;

/// The images fixture with its image files written.
pub(crate) fn site() -> TestSite {
    let site = TestSite::fixture("images");
    site.write_bytes("content/blog/trip/hero.jpg", &images::jpeg(1200, 800));
    site.write_bytes("content/images/chart.png", &images::png(640, 400));
    site.write("static/img/logo.svg", images::SVG);
    site
}

/// The `<picture>` and `<img>` markup of `html`, one a line, with the
/// content hashes of file names written `HASH`.
fn image_markup(html: &str) -> String {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest
        .find("<picture>")
        .into_iter()
        .chain(rest.find("<img"))
        .min()
    {
        let tail = &rest[at..];
        let end = match tail.starts_with("<picture>") {
            true => tail.find("</picture>").map(|e| e + "</picture>".len()),
            false => tail.find('>').map(|e| e + 1),
        };
        let end = end.expect("markup closes");
        out.push(crate::common::without_hashes(&tail[..end]));
        rest = &tail[end..];
    }
    out.join("\n")
}

/// A successful build of `site`, and the trip page it wrote.
fn built_trip(site: &TestSite) -> (crate::common::Run, String) {
    let run = site.run(&["build"]);
    run.success();
    (run, site.read("public/blog/trip/index.html"))
}

/// That `run` says it made `made` image files and took `cached` from the
/// cache.
fn assert_images(run: &crate::common::Run, made: usize, cached: usize) {
    let line = format!("Images: {made} made, {cached} from the cache");
    assert!(run.stdout.contains(&line), "{}", run.stdout);
}

/// Every `/processed_images/…` URL in `html`.
fn processed_urls(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = html
        .split("/processed_images/")
        .skip(1)
        .map(|rest| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect();
            format!("processed_images/{name}")
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

#[test]
fn markdown_images_become_responsive_pictures_whose_files_are_all_written() {
    let site = site();
    let (run, page) = built_trip(&site);
    insta::assert_snapshot!(image_markup(&page));
    let urls = processed_urls(&page);
    // The JPEG at 480, 800 and its own 1200 (1600 is wider than it), as WebP
    // and JPEG; the PNG at 480 and 640, as WebP and PNG; the SVG as it is;
    // the 300x200 thumbnail.
    assert_eq!(urls.len(), 6 + 4 + 1 + 1, "{urls:#?}");
    let written = site.written();
    for url in &urls {
        assert!(written.contains(url), "{url} is named but not written");
    }
    let processed = written
        .iter()
        .filter(|f| f.starts_with("processed_images/"))
        .count();
    assert_eq!(
        processed,
        urls.len(),
        "only the files pages name: {written:#?}"
    );
    // `hero.<hash>.webp`: a name without a width is resize_image's.
    let thumb = urls
        .iter()
        .find(|u| u.starts_with("processed_images/hero.") && u.matches('.').count() == 2)
        .expect("the thumbnail");
    let size = image::image_dimensions(site.path().join("public").join(thumb)).unwrap();
    assert_eq!(size, (300, 200));
    assert!(
        page.contains("data-original=\"1200x800 jpg 1200x800\""),
        "{page}"
    );
    assert_images(&run, 11, 0);
}

/// The images fixture asking for AVIF before WebP, with small widths and
/// hero (AVIF at 160 and 320 wide), since rav1e is this test's slow part.
pub(crate) fn avif_site() -> TestSite {
    let site = site();
    site.edit(
        "site.toml",
        "widths = [480, 800, 1600]",
        "widths = [160, 320]\nformats = [\"avif\", \"webp\"]",
    );
    site.write_bytes("content/blog/trip/hero.jpg", &images::jpeg(320, 200));
    site
}

/// An AVIF's width and height from its `ispe` property (ISO/IEC 23008-12:
/// a full box, version and flags, then two 32-bit big-endian sizes).
fn avif_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[4..12], b"ftypavif", "an AVIF file");
    let at = bytes
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("an ispe box")
        + 8;
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(at), be(at + 4))
}

#[test]
fn avif_when_asked_comes_first_and_the_second_build_encodes_nothing() {
    let site = avif_site();
    let (run, page) = built_trip(&site);
    insta::assert_snapshot!(image_markup(&page));
    let avif: Vec<String> = (processed_urls(&page).into_iter())
        .filter(|u| u.ends_with(".avif"))
        .collect();
    // The photograph at 160 and 320; never the PNG chart (kept lossless).
    assert_eq!(avif.len(), 2, "{avif:#?}");
    for url in &avif {
        let bytes = std::fs::read(site.path().join("public").join(url)).unwrap();
        let expected = if url.ends_with(".160.avif") {
            (160, 100)
        } else {
            (320, 200)
        };
        assert_eq!(avif_size(&bytes), expected, "{url}");
    }
    // 2 widths of the photograph as AVIF, WebP and JPEG; 2 of the chart as
    // WebP and PNG; the thumbnail.
    assert_images(&run, 11, 0);
    let second = site.run(&["build"]);
    assert_images(&second, 0, 11);
    assert_eq!(site.read("public/blog/trip/index.html"), page);
}

#[test]
fn the_second_build_encodes_nothing_and_a_changed_image_is_made_again() {
    let site = site();
    let first = site.run(&["build"]);
    assert_images(&first, 11, 0);
    let second = site.run(&["build"]);
    assert_images(&second, 0, 11);
    let before = site.read("public/blog/trip/index.html");
    site.write_bytes("content/blog/trip/hero.jpg", &images::jpeg(1000, 500));
    let third = site.run(&["build"]);
    // The photograph's six sizes and its thumbnail; the others were kept.
    assert_images(&third, 7, 4);
    let after = site.read("public/blog/trip/index.html");
    assert_ne!(processed_urls(&before), processed_urls(&after));
    assert!(after.contains("width=\"1000\" height=\"500\""), "{after}");
}

#[test]
fn missing_alt_text_and_missing_files_are_warnings_unless_strict() {
    let site = site();
    site.edit(
        "content/blog/trip/index.md",
        "![Elsewhere](https://cdn.example/x.png)",
        "![](https://cdn.example/x.png)\n\n![Gone](gone.jpg)",
    );
    let run = site.run(&["build"]);
    run.success();
    for needle in [
        "warning: image `https://cdn.example/x.png` has no alt text",
        "--> content/blog/trip/index.md:15:1",
        "warning: image `gone.jpg` not found; it is left as written",
        "--> content/blog/trip/index.md:17:1",
        "2 warnings (`--strict` or `strict = true` in site.toml makes them errors)",
    ] {
        run.stderr_has(needle);
    }
    let page = site.read("public/blog/trip/index.html");
    assert!(
        page.contains("<img src=\"gone.jpg\" alt=\"Gone\" />"),
        "left as written"
    );
    for strict in [
        site.run(&["build", "--strict"]),
        site.run(&["check", "--strict"]),
    ] {
        strict.fails_with(&["error: image `gone.jpg` not found", "2 content errors"]);
    }
    site.edit("site.toml", "[images]", "strict = true\n\n[images]");
    site.run(&["check"])
        .fails_with(&["error: image `gone.jpg` not found"]);
}

#[test]
fn bad_images_are_errors_at_the_page_and_line_or_pass_through() {
    let site = site();
    let jpeg = images::jpeg(300, 200);
    site.write_bytes("content/blog/trip/cut.jpg", &jpeg[..jpeg.len() / 2]);
    site.write_bytes(
        "content/blog/trip/page.jpg",
        b"<!doctype html><title>404</title>",
    );
    site.write_bytes(
        "content/blog/trip/bomb.png",
        &images::png_claiming(20_000, 20_000),
    );
    site.edit(
        "content/blog/trip/index.md",
        "![Elsewhere](https://cdn.example/x.png)",
        "![Cut](cut.jpg)\n\n![Page](page.jpg)\n\n![Bomb](bomb.png)",
    );
    let errors = site.build_errors();
    insta::assert_snapshot!(errors);
}

#[test]
fn cmyk_animated_and_scripted_images_pass_through_safely() {
    let site = site();
    site.write_bytes("content/blog/trip/print.jpg", &images::cmyk_jpeg());
    site.write_bytes("content/blog/trip/spin.gif", &images::animated_gif());
    site.write("content/blog/trip/active.svg", images::SVG_WITH_SCRIPT);
    site.edit(
        "content/blog/trip/index.md",
        "![Elsewhere](https://cdn.example/x.png)",
        "![Print](print.jpg)\n\n![Spin](spin.gif)\n\n![Active](active.svg)",
    );
    let run = site.run(&["build"]);
    run.success();
    run.stderr_has("warning: content/blog/trip/active.svg holds scripts or event handlers");
    let page = site.read("public/blog/trip/index.html");
    let markup = image_markup(&page);
    // The CMYK photograph is made into sRGB WebP and JPEG like any other;
    // the animation and the SVG are published as they are, in <img>.
    assert!(
        markup.contains(
            "<picture><source type=\"image/webp\" srcset=\"/processed_images/print.HASH.64.webp\">"
        ),
        "{markup}"
    );
    assert!(
        markup.contains(
            "<img src=\"/processed_images/spin.HASH.gif\" width=\"24\" height=\"12\" alt=\"Spin\""
        ),
        "{markup}"
    );
    assert!(markup.contains("<img src=\"/processed_images/active.HASH.svg\" width=\"120\" height=\"40\" alt=\"Active\""), "{markup}");
    assert!(!page.contains("<script>alert"), "an SVG is never inlined");
    let gif = processed_urls(&page)
        .into_iter()
        .find(|u| u.ends_with(".gif"))
        .unwrap();
    let copied = std::fs::read(site.path().join("public").join(gif)).unwrap();
    assert_eq!(
        copied,
        images::animated_gif(),
        "the animation is kept whole"
    );
}

#[test]
fn serve_publishes_pages_at_once_and_every_image_they_name() {
    let site = site();
    let preview = crate::common::preview::Preview::start(&site);
    let page = preview.get("/blog/trip/");
    assert_eq!(page.status, 200);
    let urls = processed_urls(&page.body);
    assert!(!urls.is_empty(), "{}", page.body);
    for url in &urls {
        let reply = preview.get(&format!("/{url}"));
        assert_eq!(reply.status, 200, "{url}: {}", reply.body);
        assert!(reply.headers.contains("image/"), "{url}: {}", reply.headers);
    }
    // A changed image is tracked like any other input: new names, made too.
    site.write_bytes("content/blog/trip/hero.jpg", &images::jpeg(1000, 500));
    let changed = preview.wait_for("/blog/trip/", "the new hero", |r| {
        r.body.contains("width=\"1000\" height=\"500\"")
    });
    for url in processed_urls(&changed.body) {
        assert_eq!(preview.get(&format!("/{url}")).status, 200, "{url}");
    }
}
