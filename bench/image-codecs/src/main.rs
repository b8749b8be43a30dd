//! Measures the candidate crates for utmost's image processing on a
//! synthetic 3000x2000 photograph: decode (JPEG, PNG, WebP, GIF), resize to
//! the default widths (`image` against `fast_image_resize`) and encode
//! (WebP through libwebp, JPEG through `image` and `jpeg-encoder`, PNG,
//! AVIF through `ravif`), with CPU time (all threads) and wall time, the
//! median of several runs, and output size with PSNR for the lossy codecs.
//!
//! `compare [--runs N]` prints the tables; `avif` the AVIF speed ladder; `avif-once
//! [--quality Q --speed S]` one 2000-wide AVIF encode (for peak memory); `photos --count N --out DIR
//! [--width W --height H] [--png]` writes camera-like JPEGs for corpus benchmarks.

mod photo;

use std::io::Cursor;
use std::time::Instant;

use fast_image_resize as fir;
use image::{DynamicImage, ImageFormat, RgbImage};

const WIDTHS: [u32; 5] = [480, 800, 1200, 1600, 2000];
const SRC_W: u32 = 3000;
const SRC_H: u32 = 2000;

fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// Median CPU and wall milliseconds over `runs`, and the last result.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let (mut cpu, mut wall, mut last) = (Vec::new(), Vec::new(), None);
    for _ in 0..runs {
        let (c0, w0) = (cpu_seconds(), Instant::now());
        let out = f();
        cpu.push((cpu_seconds() - c0) * 1e3);
        wall.push(w0.elapsed().as_secs_f64() * 1e3);
        last = Some(out);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (
        median(&mut cpu),
        median(&mut wall),
        last.expect("runs >= 1"),
    )
}

fn row(name: &str, cpu: f64, wall: f64, extra: &str) {
    println!("| {name} | {cpu:.0} | {wall:.0} | {extra} |");
}

fn header(title: &str, extra: &str) {
    println!(
        "\n{title}\n\n| candidate | CPU ms | wall ms | {extra} |\n| --- | ---: | ---: | --- |"
    );
}

fn encode_with(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode source");
    out.into_inner()
}

fn jpeg_image_crate(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.write_with_encoder(enc).expect("jpeg");
    out
}

fn jpeg_encoder_crate(img: &RgbImage, quality: u8) -> Vec<u8> {
    jpeg_encoder_sampled(img, quality, jpeg_encoder::SamplingFactor::F_2_2)
}

fn jpeg_encoder_sampled(
    img: &RgbImage,
    quality: u8,
    sampling: jpeg_encoder::SamplingFactor,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_sampling_factor(sampling);
    let (w, h) = (img.width() as u16, img.height() as u16);
    enc.encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    out
}

fn webp(img: &RgbImage, quality: f32, method: i32) -> Vec<u8> {
    let enc = webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height());
    let mut config = webp::WebPConfig::new().expect("config");
    config.quality = quality;
    config.method = method;
    enc.encode_advanced(&config).expect("webp").to_vec()
}

fn webp_lossless(img: &RgbImage) -> Vec<u8> {
    let enc = webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height());
    enc.encode_simple(true, 75.0).expect("webp").to_vec()
}

fn avif(img: &RgbImage, quality: f32, speed: u8) -> Vec<u8> {
    let pixels: Vec<ravif::RGB8> = img
        .pixels()
        .map(|p| ravif::RGB8::new(p[0], p[1], p[2]))
        .collect();
    let buf = ravif::Img::new(&pixels[..], img.width() as usize, img.height() as usize);
    let enc = ravif::Encoder::new()
        .with_quality(quality)
        .with_speed(speed);
    enc.encode_rgb(buf).expect("avif").avif_file
}

fn png(img: &RgbImage) -> Vec<u8> {
    encode_with(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Png)
}

fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    let se: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| {
            let d = f64::from(*x) - f64::from(*y);
            d * d
        })
        .sum();
    let mse = se / a.as_raw().len() as f64;
    10.0 * (255.0f64 * 255.0 / mse).log10()
}

/// Mean SSIM of the luma planes over 8x8 windows, stride 4.
fn ssim(a: &RgbImage, b: &RgbImage) -> f64 {
    let luma = |i: &RgbImage| -> Vec<f64> {
        i.pixels()
            .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
            .collect()
    };
    let (la, lb, w) = (luma(a), luma(b), a.width() as usize);
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut sum, mut n) = (0.0, 0.0);
    for y in (0..a.height() as usize - 8).step_by(4) {
        for x in (0..w - 8).step_by(4) {
            let (mut ma, mut mb, mut va, mut vb, mut cov) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for dy in 0..8 {
                for dx in 0..8 {
                    let (p, q) = (la[(y + dy) * w + x + dx], lb[(y + dy) * w + x + dx]);
                    ma += p;
                    mb += q;
                    va += p * p;
                    vb += q * q;
                    cov += p * q;
                }
            }
            let k = 64.0;
            let (ma, mb) = (ma / k, mb / k);
            let (va, vb, cov) = (va / k - ma * ma, vb / k - mb * mb, cov / k - ma * mb);
            sum += ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            n += 1.0;
        }
    }
    sum / n
}

/// Decodes AVIF with libavif's `avifdec` when it is installed (Debian:
/// libavif-bin); the image crate decodes AVIF only through dav1d.
fn decode_avif(bytes: &[u8]) -> Option<RgbImage> {
    let dir = std::env::temp_dir().join(format!("image-codecs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let (input, output) = (dir.join("in.avif"), dir.join("out.png"));
    std::fs::write(&input, bytes).ok()?;
    let status = std::process::Command::new("avifdec")
        .arg(&input)
        .arg(&output)
        .output()
        .ok()?;
    let png = std::fs::read(&output)
        .ok()
        .filter(|_| status.status.success())?;
    Some(decode(&png, ImageFormat::Png).to_rgb8())
}

/// PSNR and SSIM of `encoded` against `reference`, or "n/a".
fn quality(reference: &RgbImage, encoded: &[u8], format: Option<ImageFormat>) -> String {
    let decoded = match format {
        Some(f) => Some(decode(encoded, f).to_rgb8()),
        None => decode_avif(encoded),
    };
    decoded.map_or("n/a".into(), |d| {
        format!(
            "{:.1} dB, SSIM {:.4}",
            psnr(reference, &d),
            ssim(reference, &d)
        )
    })
}

fn height_for(w: u32) -> u32 {
    (u64::from(SRC_H) * u64::from(w) / u64::from(SRC_W)).max(1) as u32
}

fn resize_image_crate(src: &RgbImage, filter: image::imageops::FilterType) -> Vec<RgbImage> {
    WIDTHS
        .iter()
        .map(|&w| image::imageops::resize(src, w, height_for(w), filter))
        .collect()
}

fn resize_fir(src: &RgbImage, filter: fir::FilterType) -> Vec<RgbImage> {
    let mut resizer = fir::Resizer::new();
    let opts = fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(filter));
    let src_view =
        fir::images::ImageRef::new(SRC_W, SRC_H, src.as_raw(), fir::PixelType::U8x3).expect("view");
    WIDTHS
        .iter()
        .map(|&w| {
            let mut dst = fir::images::Image::new(w, height_for(w), fir::PixelType::U8x3);
            resizer.resize(&src_view, &mut dst, &opts).expect("resize");
            RgbImage::from_raw(w, height_for(w), dst.into_vec()).expect("buffer")
        })
        .collect()
}

fn decode(bytes: &[u8], format: ImageFormat) -> DynamicImage {
    image::load_from_memory_with_format(bytes, format).expect("decode")
}

fn compare_decode(runs: usize, src: &RgbImage) {
    let dyn_src = DynamicImage::ImageRgb8(src.clone());
    header("Decode 3000x2000 (image 0.25)", "source bytes");
    let jpeg = jpeg_image_crate(src, 90);
    let sources = [
        ("JPEG q90 (zune-jpeg)", jpeg, ImageFormat::Jpeg),
        (
            "PNG (png)",
            encode_with(&dyn_src, ImageFormat::Png),
            ImageFormat::Png,
        ),
        (
            "WebP q90 lossy (image-webp)",
            webp(src, 90.0, 4),
            ImageFormat::WebP,
        ),
        (
            "GIF (gif)",
            encode_with(&dyn_src, ImageFormat::Gif),
            ImageFormat::Gif,
        ),
    ];
    for (name, bytes, format) in &sources {
        let (cpu, wall, _) = measure(runs, || decode(bytes, *format));
        row(name, cpu, wall, &format!("{} KB", bytes.len() / 1024));
    }
}

fn compare_resize(runs: usize, src: &RgbImage) -> Vec<RgbImage> {
    use image::imageops::FilterType as If;
    header(
        "Resize 3000x2000 to widths 480, 800, 1200, 1600, 2000 (sum)",
        "note",
    );
    for (name, filter) in [
        ("Lanczos3", If::Lanczos3),
        ("CatmullRom", If::CatmullRom),
        ("Triangle", If::Triangle),
    ] {
        let (cpu, wall, _) = measure(runs, || resize_image_crate(src, filter));
        row(
            &format!("image {name}"),
            cpu,
            wall,
            "each width from the source",
        );
    }
    let mut best = Vec::new();
    for (name, filter) in [
        ("Lanczos3", fir::FilterType::Lanczos3),
        ("CatmullRom", fir::FilterType::CatmullRom),
    ] {
        let (cpu, wall, out) = measure(runs, || resize_fir(src, filter));
        row(
            &format!("fast_image_resize {name}"),
            cpu,
            wall,
            "each width from the source",
        );
        if best.is_empty() {
            best = out;
        }
    }
    best
}

type Encode<'a> = (
    &'a str,
    Box<dyn Fn(&RgbImage) -> Vec<u8> + 'a>,
    Option<ImageFormat>,
);

/// The encoders compared, with the format to decode their output.
fn encoders() -> Vec<Encode<'static>> {
    vec![
        (
            "libwebp (webp) q75 method 4",
            Box::new(|i| webp(i, 75.0, 4)),
            Some(ImageFormat::WebP),
        ),
        (
            "libwebp (webp) q80 method 4",
            Box::new(|i| webp(i, 80.0, 4)),
            Some(ImageFormat::WebP),
        ),
        (
            "libwebp (webp) q80 method 2",
            Box::new(|i| webp(i, 80.0, 2)),
            Some(ImageFormat::WebP),
        ),
        (
            "libwebp (webp) q80 method 6",
            Box::new(|i| webp(i, 80.0, 6)),
            Some(ImageFormat::WebP),
        ),
        (
            "JPEG q80 4:2:2 (image)",
            Box::new(|i| jpeg_image_crate(i, 80)),
            Some(ImageFormat::Jpeg),
        ),
        (
            "JPEG q80 4:2:0 (jpeg-encoder)",
            Box::new(|i| jpeg_encoder_crate(i, 80)),
            Some(ImageFormat::Jpeg),
        ),
        (
            "JPEG q80 4:2:2 (jpeg-encoder)",
            Box::new(|i| jpeg_encoder_sampled(i, 80, jpeg_encoder::SamplingFactor::F_2_1)),
            Some(ImageFormat::Jpeg),
        ),
        ("PNG (image, default)", Box::new(png), None),
        (
            "libwebp (webp) lossless",
            Box::new(webp_lossless),
            Some(ImageFormat::WebP),
        ),
        (
            "AVIF q70 speed 10 (ravif, no asm)",
            Box::new(|i| avif(i, 70.0, 10)),
            None,
        ),
        (
            "AVIF q70 speed 8 (ravif, no asm)",
            Box::new(|i| avif(i, 70.0, 8)),
            None,
        ),
        (
            "AVIF q70 speed 6 (ravif, no asm)",
            Box::new(|i| avif(i, 70.0, 6)),
            None,
        ),
    ]
}

fn compare_encode(runs: usize, resized: &[RgbImage]) {
    header(
        "Encode the five widths (sum)",
        "bytes at 800 / all widths; PSNR, SSIM at 800",
    );
    let encoders = encoders();
    for (name, encode, format) in &encoders {
        let slow = name.starts_with("AVIF");
        let (cpu, wall, out) = measure(if slow { 1 } else { runs }, || {
            resized.iter().map(encode).collect::<Vec<_>>()
        });
        let total: usize = out.iter().map(Vec::len).sum();
        let q = if name.starts_with("PNG") {
            "lossless".into()
        } else {
            quality(&resized[1], &out[1], *format)
        };
        row(
            name,
            cpu,
            wall,
            &format!("{} KB / {} KB, {q}", out[1].len() / 1024, total / 1024),
        );
    }
}

/// One encode of the ladder: name, bytes, format to decode, CPU and wall ms.
type Rung = (String, Vec<u8>, Option<ImageFormat>, f64, f64);

/// Bytes against quality at the width a phone at DPR 2.5 picks (1200).
fn compare_ladder(resized: &[RgbImage]) {
    header(
        "Quality ladder at 1200x800 (one encode each)",
        "bytes; PSNR, SSIM",
    );
    let img = &resized[2];
    let mut rungs: Vec<Rung> = Vec::new();
    let mut run = |name: String, format: Option<ImageFormat>, f: &dyn Fn() -> Vec<u8>| {
        let (cpu, wall, out) = measure(1, f);
        rungs.push((name, out, format, cpu, wall));
    };
    for q in [60u8, 75, 85] {
        run(
            format!("JPEG q{q} (jpeg-encoder)"),
            Some(ImageFormat::Jpeg),
            &|| jpeg_encoder_crate(img, q),
        );
    }
    for q in [60.0f32, 75.0, 85.0] {
        run(
            format!("WebP q{q} method 4"),
            Some(ImageFormat::WebP),
            &|| webp(img, q, 4),
        );
    }
    for q in [50.0f32, 60.0, 70.0, 80.0] {
        run(format!("AVIF q{q} speed 8"), None, &|| avif(img, q, 8));
    }
    for (name, out, format, cpu, wall) in &rungs {
        row(
            name,
            *cpu,
            *wall,
            &format!("{} KB; {}", out.len() / 1024, quality(img, out, *format)),
        );
    }
}

/// AVIF's speeds and qualities against WebP at 1200 wide, and the
/// five-width set at each speed: what `[images] formats = ["avif", "webp"]`
/// costs, and which AVIF quality matches WebP's look (SSIM).
fn compare_avif_speeds(resized: &[RgbImage]) {
    header(
        "AVIF speeds at 1200x800 against WebP (one encode each)",
        "bytes; PSNR, SSIM",
    );
    let img = &resized[2];
    for q in [60.0f32, 75.0, 85.0, 90.0] {
        let (cpu, wall, out) = measure(3, || webp(img, q, 4));
        let quality = quality(img, &out, Some(ImageFormat::WebP));
        let kb = out.len() as f64 / 1024.0;
        row(
            &format!("WebP q{q} method 4"),
            cpu,
            wall,
            &format!("{kb:.1} KB; {quality}"),
        );
    }
    for speed in [8u8, 9, 10] {
        // Speed 9, the one chosen, up to the qualities WebP q85-q90 matches.
        let top = if speed == 9 { 90 } else { 75 };
        for q in (50..=top).step_by(5).map(|q| q as f32) {
            let (cpu, wall, out) = measure(1, || avif(img, q, speed));
            let name = format!("AVIF q{q} speed {speed}");
            let kb = out.len() as f64 / 1024.0;
            row(
                &name,
                cpu,
                wall,
                &format!("{kb:.1} KB; {}", quality(img, &out, None)),
            );
        }
    }
    header("The five widths, one format", "total bytes");
    let five = |encode: &dyn Fn(&RgbImage) -> Vec<u8>| {
        measure(1, || resized.iter().map(|r| encode(r).len()).sum::<usize>())
    };
    // Each WebP quality, then the AVIF utmost makes for it (the same SSIM
    // at 1200 wide, from the table above) at speeds 8, 9 and 10.
    for (webp_q, avif_q) in [(60.0f32, 53.0f32), (75.0, 63.0), (85.0, 82.0)] {
        let (cpu, wall, total) = five(&|r| webp(r, webp_q, 4));
        let kb = format!("{} KB", total / 1024);
        row(&format!("WebP q{webp_q} method 4"), cpu, wall, &kb);
        let speeds: &[u8] = if webp_q == 75.0 { &[8, 9, 10] } else { &[9] };
        for &speed in speeds {
            let (cpu, wall, total) = five(&|r| avif(r, avif_q, speed));
            let name = format!("AVIF q{avif_q} speed {speed}");
            row(&name, cpu, wall, &format!("{} KB", total / 1024));
        }
    }
}

/// One AVIF encode of the widest size, with the peak memory it adds: the
/// kernel's high-water mark is reset just before (`clear_refs`, Linux).
fn avif_once(args: &[String]) {
    let src = RgbImage::from_raw(SRC_W, SRC_H, photo::photo(SRC_W, SRC_H, 1)).expect("buffer");
    let widest = resize_fir(&src, fir::FilterType::Lanczos3)
        .pop()
        .expect("widths");
    drop(src);
    let q = arg(args, "--quality", 63) as f32;
    let speed = arg(args, "--speed", 9) as u8;
    let rss = |field: &str| -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux");
        let line = status.lines().find(|l| l.starts_with(field)).expect(field);
        line.split_whitespace()
            .nth(1)
            .and_then(|kb| kb.parse().ok())
            .expect("kB")
    };
    let before = rss("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak");
    let (cpu, wall, out) = measure(1, || avif(&widest, q, speed));
    let added = (rss("VmHWM:") - before) / 1024;
    let name = format!(
        "AVIF q{q} speed {speed}, {}x{}",
        widest.width(),
        widest.height()
    );
    let extra = format!("{} KB, {added} MB peak above the input", out.len() / 1024);
    row(&name, cpu, wall, &extra);
}

fn compare_pipeline(runs: usize, src: &RgbImage) {
    header(
        "Whole pipeline per photograph: decode, five widths, WebP q75 + JPEG q75 fallback",
        "outputs",
    );
    let jpeg = jpeg_image_crate(src, 90);
    let work = |fast: bool, avif_too: bool| {
        let img = decode(&jpeg, ImageFormat::Jpeg).to_rgb8();
        let resized = if fast {
            resize_fir(&img, fir::FilterType::Lanczos3)
        } else {
            resize_image_crate(&img, image::imageops::FilterType::Lanczos3)
        };
        let mut total = 0;
        for r in &resized {
            total += webp(r, 75.0, 4).len();
            total += if fast {
                jpeg_encoder_crate(r, 75)
            } else {
                jpeg_image_crate(r, 75)
            }
            .len();
            if avif_too {
                total += avif(r, 70.0, 8).len();
            }
        }
        total
    };
    for (name, fast, avif_too) in [
        ("image resize + libwebp + image JPEG", false, false),
        ("fast_image_resize + libwebp + jpeg-encoder", true, false),
        (
            "fast_image_resize + libwebp + jpeg-encoder + AVIF speed 8",
            true,
            true,
        ),
    ] {
        let (cpu, wall, total) = measure(if avif_too { 1 } else { runs }, || work(fast, avif_too));
        row(name, cpu, wall, &format!("{} KB", total / 1024));
    }
}

fn arg(args: &[String], name: &str, default: u32) -> u32 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| v.parse().expect("a number"))
}

fn write_photos(args: &[String]) {
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .expect("--out DIR");
    let (count, w, h) = (
        arg(args, "--count", 200),
        arg(args, "--width", SRC_W),
        arg(args, "--height", SRC_H),
    );
    std::fs::create_dir_all(out).expect("create --out");
    for i in 0..count {
        let img = RgbImage::from_raw(w, h, photo::photo(w, h, i + 1)).expect("buffer");
        let (ext, bytes) = if args.iter().any(|a| a == "--png") {
            ("png", png(&img))
        } else {
            ("jpg", jpeg_image_crate(&img, 90))
        };
        std::fs::write(format!("{out}/photo-{:03}.{ext}", i + 1), bytes).expect("write photo");
    }
    println!("wrote {count} photographs of {w}x{h} to {out}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("photos") => write_photos(&args),
        Some("compare") | None => {
            let runs = arg(&args, "--runs", 3) as usize;
            let src =
                RgbImage::from_raw(SRC_W, SRC_H, photo::photo(SRC_W, SRC_H, 1)).expect("buffer");
            compare_decode(runs, &src);
            let resized = compare_resize(runs, &src);
            compare_encode(runs, &resized);
            compare_ladder(&resized);
            compare_pipeline(runs, &src);
        }
        Some("avif") => {
            let src =
                RgbImage::from_raw(SRC_W, SRC_H, photo::photo(SRC_W, SRC_H, 1)).expect("buffer");
            let resized = resize_fir(&src, fir::FilterType::Lanczos3);
            compare_avif_speeds(&resized);
        }
        Some("avif-once") => avif_once(&args),
        Some(other) => {
            eprintln!("unknown command {other}: use compare, avif, avif-once or photos")
        }
    }
}
