//! SVG sources: recognised, measured and checked, never rasterised. The
//! size comes from the root's `width`/`height` (absolute CSS units) or its
//! `viewBox`, as browsers size an SVG in `<img>`. "Active" content
//! (`<script>`, `on*` handlers, `javascript:` links, `<foreignObject>`) is
//! flagged: harmless in `<img src>` (browsers run no script there) but an
//! SVG with it must never be inlined into a page.

/// What the later stages need to know of an SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SvgInfo {
    /// Pixels, rounded, at least 1.
    pub size: (u32, u32),
    pub active: bool,
}

/// At most this many XML nodes are parsed: a bound on memory.
const NODES_LIMIT: u32 = 2_000_000;

/// Whether `bytes` look like SVG text: markup whose start names `<svg`.
pub(crate) fn looks_like_svg(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start.filter(|&i| bytes[i] == b'<') else {
        return false;
    };
    let head = &bytes[start..bytes.len().min(start + 64 * 1024)];
    head.windows(4).any(|w| w == b"<svg")
}

/// Size and activity of the SVG in `bytes`, or why it cannot be used.
pub(crate) fn read(bytes: &[u8]) -> Result<SvgInfo, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    let options = roxmltree::ParsingOptions {
        // Illustrator and Inkscape write a DOCTYPE; roxmltree bounds
        // entity expansion ("billion laughs") itself.
        allow_dtd: true,
        nodes_limit: NODES_LIMIT,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(format!(
            "its root element is <{}>, not <svg>",
            root.tag_name().name()
        ));
    }
    let size =
        size(root).ok_or("it has neither a viewBox nor a width and height in absolute units")?;
    let active = doc.descendants().any(is_active);
    Ok(SvgInfo { size, active })
}

fn size(root: roxmltree::Node) -> Option<(u32, u32)> {
    let width = root.attribute("width").and_then(length);
    let height = root.attribute("height").and_then(length);
    let view_box = root.attribute("viewBox").and_then(view_box);
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (_, _, Some(vb)) => vb,
        _ => return None,
    };
    let px = |v: f64| v.round().clamp(1.0, f64::from(u32::MAX)) as u32;
    Some((px(w), px(h)))
}

/// A CSS length in pixels: no unit or an absolute unit. Percentages and
/// font-relative units depend on the page, so they give no size.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "q" | "Q" => 96.0 / 101.6,
        _ => return None,
    };
    Some(number * factor).filter(|v| v.is_finite() && *v > 0.0)
}

/// `min-x min-y width height`, separated by spaces and/or commas.
fn view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
        _ => None,
    }
}

fn is_active(node: roxmltree::Node) -> bool {
    if !node.is_element() {
        return false;
    }
    let name = node.tag_name().name();
    if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("foreignObject") {
        return true;
    }
    node.attributes().any(|a| {
        let attr = a.name();
        let handler = attr.len() > 2 && attr[..2].eq_ignore_ascii_case("on");
        let link = attr == "href" && {
            let v: String = a
                .value()
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            v.to_ascii_lowercase().starts_with("javascript:")
        };
        handler || link
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(svg: &str) -> Result<SvgInfo, String> {
        read(svg.as_bytes())
    }

    #[test]
    fn size_from_width_and_height_in_absolute_units() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40pt"/>"#;
        assert_eq!(info(svg).unwrap().size, (120, 53));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1in" height="2.54cm"/>"#;
        assert_eq!(info(svg).unwrap().size, (96, 96));
    }

    #[test]
    fn size_from_the_view_box_when_width_or_height_is_missing_or_relative() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300, 100"/>"#;
        assert_eq!(info(svg).unwrap().size, (300, 100));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 30 10"/>"#;
        assert_eq!(info(svg).unwrap().size, (30, 10));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="60" viewBox="0 0 30 10"/>"#;
        assert_eq!(info(svg).unwrap().size, (60, 20));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" height="5" viewBox="0 0 30 10"/>"#;
        assert_eq!(info(svg).unwrap().size, (15, 5));
    }

    #[test]
    fn no_usable_size_is_an_error() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="50%"/>"#;
        assert!(info(svg).unwrap_err().contains("viewBox"));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 10"/>"#;
        assert!(info(svg).is_err());
    }

    #[test]
    fn broken_or_foreign_xml_is_an_error() {
        assert!(info("<svg><g></svg>").is_err());
        assert!(
            info(r#"<html><svg viewBox="0 0 1 1"/></html>"#)
                .unwrap_err()
                .contains("<html>")
        );
        assert!(read(b"<svg \xFF\xFE>").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn a_doctype_is_accepted_and_entity_bombs_are_refused() {
        let svg = r#"<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert_eq!(info(svg).unwrap().size, (10, 10));
        let mut bomb =
            String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">");
        for i in 1..10 {
            let prev = char::from(b'a' + i - 1);
            let refs = format!("&{prev};").repeat(10);
            bomb.push_str(&format!("<!ENTITY {} \"{refs}\">", char::from(b'a' + i)));
        }
        bomb.push_str("]><svg width=\"1\" height=\"1\"><text>&j;</text></svg>");
        assert!(info(&bomb).is_err());
    }

    #[test]
    fn active_content_is_flagged() {
        let plain = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a href="/x"><path d="M0 0"/></a></svg>"#;
        assert!(!info(plain).unwrap().active);
        for active in [
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 1 1"><a x:href=" JavaScript:alert(1)"><rect/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><foreignObject><div/></foreignObject></svg>"#,
        ] {
            assert!(info(active).unwrap().active, "{active}");
        }
    }

    #[test]
    fn svg_is_recognised_by_content() {
        assert!(looks_like_svg(
            b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<svg/>"
        ));
        assert!(looks_like_svg(b"<!-- logo --><svg/>"));
        assert!(!looks_like_svg(b"<!doctype html><html></html>"));
        assert!(!looks_like_svg(b"plain text <svg"));
    }
}
