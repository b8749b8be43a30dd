//! Reading a QR code as a scanner would: the inline SVG rasterised (resvg)
//! and decoded (rqrr).

/// The text of the one QR code in `svg`.
pub fn decode(svg: &str) -> String {
    let tree =
        resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = 400u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).expect("pixmap");
    let scale = size as f32 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap.data();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(size as usize, size as usize, |x, y| {
            let i = (y * size as usize + x) * 4;
            // Transparent pixels count as white paper.
            if data[i + 3] == 0 { 255 } else { data[i] }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("QR decodes").1
}

/// The text of the QR code inlined in an HTML page.
pub fn decode_in_page(html: &str) -> String {
    let start = html
        .find("<svg class=\"utmost-qr\"")
        .expect("page has a QR code");
    let end = start + html[start..].find("</svg>").expect("svg is closed") + 6;
    decode(&html[start..end])
}

/// How many modules wide the QR code inlined in an HTML page is (its
/// version is `(modules - 17) / 4`), read from the SVG, which draws one
/// unit per module with a four-module quiet zone on each side.
pub fn modules_in_page(html: &str) -> usize {
    let start = html
        .find("<svg class=\"utmost-qr\"")
        .expect("page has a QR code");
    let view_box = html[start..]
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|v| v.split(' ').next())
        .expect("the code has a viewBox");
    view_box.parse::<usize>().expect("a whole number") - 8
}
