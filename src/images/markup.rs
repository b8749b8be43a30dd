//! The HTML for a processed image: `<picture>` with a WebP `<source>` and
//! the original format's `<img>` as fallback, or a lone `<img>` when there
//! is one format; `srcset` and `sizes` when there are several widths;
//! always `width` and `height` (the browser reserves the space, so nothing
//! shifts as images arrive) and `alt`. Images load lazily and decode off
//! the main thread, except the one marked eager (a page's first image,
//! likely its largest paint), which is fetched early with high priority.

use super::registry::{CandidateSet, ResponsiveImage};
use crate::util::html::escape_into;

/// How the browser should load an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loading {
    /// `loading="lazy" decoding="async"`: below the fold, probably.
    Lazy,
    /// `fetchpriority="high"`: the page's first image, its likely LCP.
    Eager,
}

/// What the page says about the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImgAttrs<'a> {
    /// The alt text; empty marks a decorative image.
    pub alt: &'a str,
    pub title: Option<&'a str>,
    pub class: Option<&'a str>,
    /// A `sizes` value from the theme or author, used as it is.
    pub sizes: Option<&'a str>,
    /// The widest the layout ever shows an image, in CSS pixels (the
    /// theme's content column), for the default `sizes`.
    pub max_display_width: Option<u32>,
    pub loading: Loading,
}

impl<'a> ImgAttrs<'a> {
    /// A lazy image with this alt text and nothing else.
    pub(crate) fn new(alt: &'a str) -> Self {
        ImgAttrs {
            alt,
            title: None,
            class: None,
            sizes: None,
            max_display_width: None,
            loading: Loading::Lazy,
        }
    }
}

/// `<img>` or `<picture>` markup for `image`.
pub(crate) fn img_html(image: &ResponsiveImage, attrs: &ImgAttrs) -> String {
    let mut out = String::with_capacity(256 + 128 * image.fallback.candidates.len());
    let sizes = sizes(image, attrs);
    if !image.sources.is_empty() {
        out.push_str("<picture>");
        for set in &image.sources {
            out.push_str("<source type=\"");
            out.push_str(set.mime);
            out.push('"');
            if let [only] = &set.candidates[..] {
                // A `<source>` needs a srcset even with one candidate.
                push_attr(&mut out, "srcset", &only.url);
            } else {
                push_srcset(&mut out, set, &sizes);
            }
            out.push('>');
        }
    }
    push_img(&mut out, image, attrs, &sizes);
    if !image.sources.is_empty() {
        out.push_str("</picture>");
    }
    out
}

fn push_img(out: &mut String, image: &ResponsiveImage, attrs: &ImgAttrs, sizes: &str) {
    out.push_str("<img");
    if let Some(largest) = image.fallback.largest() {
        push_attr(out, "src", &largest.url);
    }
    push_srcset(out, &image.fallback, sizes);
    push_attr(out, "width", &image.width.to_string());
    push_attr(out, "height", &image.height.to_string());
    push_attr(out, "alt", attrs.alt);
    if let Some(title) = attrs.title {
        push_attr(out, "title", title);
    }
    if let Some(class) = attrs.class {
        push_attr(out, "class", class);
    }
    match attrs.loading {
        Loading::Lazy => out.push_str(" loading=\"lazy\" decoding=\"async\""),
        Loading::Eager => out.push_str(" fetchpriority=\"high\""),
    }
    out.push('>');
}

/// `srcset` and `sizes`, only when there is a choice to make.
fn push_srcset(out: &mut String, set: &CandidateSet, sizes: &str) {
    if set.candidates.len() < 2 {
        return;
    }
    let list: Vec<String> = set
        .candidates
        .iter()
        .map(|c| format!("{} {}w", c.url, c.width))
        .collect();
    push_attr(out, "srcset", &list.join(", "));
    push_attr(out, "sizes", sizes);
}

/// The author's `sizes`, or: never wider than the image's own width or
/// the layout's column, and the viewport's width below that.
fn sizes(image: &ResponsiveImage, attrs: &ImgAttrs) -> String {
    if let Some(sizes) = attrs.sizes {
        return sizes.to_string();
    }
    let widest = attrs
        .max_display_width
        .map_or(image.width, |column| column.min(image.width));
    format!("(min-width: {widest}px) {widest}px, 100vw")
}

fn push_attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::registry::Candidate;

    fn set(mime: &'static str, ext: &str, widths: &[u32]) -> CandidateSet {
        let candidates = widths
            .iter()
            .map(|&w| Candidate {
                url: format!("/processed_images/hero.3f9a1c2b4d5e6f70.{w}.{ext}"),
                width: w,
                height: w * 2 / 3,
            })
            .collect();
        CandidateSet { mime, candidates }
    }

    fn photo() -> ResponsiveImage {
        ResponsiveImage {
            sources: vec![set("image/webp", "webp", &[480, 800, 1200, 1600, 2000])],
            fallback: set("image/jpeg", "jpg", &[480, 800, 1200, 1600, 2000]),
            width: 2000,
            height: 1333,
            active_svg: false,
        }
    }

    #[test]
    fn a_photograph_is_a_picture_with_webp_and_a_jpeg_fallback() {
        let html = img_html(&photo(), &ImgAttrs::new("Our team at the \"summit\""));
        insta::assert_snapshot!(html);
    }

    #[test]
    fn avif_comes_before_webp_when_the_site_asks_for_both() {
        let mut image = photo();
        let widths = [480, 800, 1200, 1600, 2000];
        image.sources.insert(0, set("image/avif", "avif", &widths));
        let html = img_html(&image, &ImgAttrs::new("A hero"));
        assert!(html.find("image/avif") < html.find("image/webp"));
        insta::assert_snapshot!(html);
    }

    #[test]
    fn the_first_image_loads_eagerly_with_high_priority() {
        let attrs = ImgAttrs {
            loading: Loading::Eager,
            max_display_width: Some(720),
            title: Some("Hero"),
            class: Some("hero"),
            ..ImgAttrs::new("A hiker on a path")
        };
        insta::assert_snapshot!(img_html(&photo(), &attrs));
    }

    #[test]
    fn an_author_sizes_is_used_as_it_is() {
        let attrs = ImgAttrs {
            sizes: Some("(min-width: 60em) 50vw, 100vw"),
            ..ImgAttrs::new("")
        };
        let html = img_html(&photo(), &attrs);
        assert_eq!(
            html.matches(r#"sizes="(min-width: 60em) 50vw, 100vw""#)
                .count(),
            2
        );
    }

    #[test]
    fn a_webp_source_needs_no_picture() {
        let image = ResponsiveImage {
            sources: Vec::new(),
            fallback: set("image/webp", "webp", &[480, 640]),
            width: 640,
            height: 426,
            active_svg: false,
        };
        insta::assert_snapshot!(img_html(&image, &ImgAttrs::new("Chart")));
    }

    #[test]
    fn a_single_width_has_no_srcset() {
        let image = ResponsiveImage {
            sources: vec![set("image/webp", "webp", &[300])],
            fallback: set("image/png", "png", &[300]),
            width: 300,
            height: 200,
            active_svg: false,
        };
        insta::assert_snapshot!(img_html(&image, &ImgAttrs::new("Icon")));
    }

    #[test]
    fn an_svg_is_a_plain_img() {
        let image = ResponsiveImage {
            sources: Vec::new(),
            fallback: CandidateSet {
                mime: "image/svg+xml",
                candidates: vec![Candidate {
                    url: "/processed_images/logo.0123456789abcdef.svg".into(),
                    width: 120,
                    height: 40,
                }],
            },
            width: 120,
            height: 40,
            active_svg: true,
        };
        insta::assert_snapshot!(img_html(&image, &ImgAttrs::new("Acme <logo>")));
    }
}
