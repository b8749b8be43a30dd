//! QR codes for printed collateral: a URL as an inline SVG that stays crisp
//! at any print size (one path of whole modules, `crispEdges`, with the
//! four-module quiet zone scanners need). Encoding is fast_qr's, which is
//! about ten times faster than the `qrcode` crate (0.24 ms against 2.7 ms
//! for a tagged URL): a site with a thousand one-pagers encodes a thousand
//! codes per build.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use fast_qr::{ECL, QRBuilder};

use crate::util::html::escape;

/// The quiet zone around the code, in modules (the standard's minimum).
const QUIET: usize = 4;

/// The QR codes one render drew, by URL, and those of the render before
/// it: a template or site.toml edit in `serve` re-renders every one-pager,
/// whose URL (so its code) has almost never changed, and a code takes
/// longer to encode than the rest of its page to render. Only what the
/// current render used is kept for the next one.
#[derive(Debug, Default)]
pub(crate) struct QrCodes {
    drawn: Mutex<HashMap<String, String>>,
    /// The last render's codes, until this render has finished.
    previous: Mutex<Option<Arc<QrCodes>>>,
    /// Whether codes are kept for a next render: a one-off build keeps
    /// none (4.5 MB of SVG at 10,000 pages, held until it ended).
    keeps: bool,
}

impl QrCodes {
    /// An empty set that may take codes from `previous`, and keeps what
    /// it draws for the next render.
    pub(crate) fn after(previous: Option<Arc<QrCodes>>) -> QrCodes {
        QrCodes {
            drawn: Mutex::default(),
            previous: Mutex::new(previous),
            keeps: true,
        }
    }

    /// The codes of a render that no other follows: drawn, never kept.
    pub(crate) fn once() -> QrCodes {
        QrCodes::default()
    }

    /// [`svg`], drawn once per URL while codes are kept.
    pub(crate) fn svg(&self, url: &str) -> Result<String, String> {
        if let Some(known) = self.known(url) {
            return Ok(known);
        }
        let drawn = svg(url)?;
        if self.keeps {
            let mut codes = self.drawn.lock().unwrap_or_else(PoisonError::into_inner);
            codes.insert(url.to_string(), drawn.clone());
        }
        Ok(drawn)
    }

    fn known(&self, url: &str) -> Option<String> {
        let mine = self.drawn.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(svg) = mine.get(url) {
            return Some(svg.clone());
        }
        drop(mine);
        let previous = self.previous.lock().unwrap_or_else(PoisonError::into_inner);
        let svg = previous.as_ref()?.drawn.lock().ok()?.get(url)?.clone();
        drop(previous);
        let mut mine = self.drawn.lock().unwrap_or_else(PoisonError::into_inner);
        mine.insert(url.to_string(), svg.clone());
        Some(svg)
    }

    /// Lets the last render's codes go: every page of this one is drawn.
    pub(crate) fn settle(&self) {
        *self.previous.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// `url` as an SVG QR code, or an error if it is too long to encode.
pub(crate) fn svg(url: &str) -> Result<String, String> {
    let code = QRBuilder::new(url).ecl(ECL::M).build().map_err(|_| {
        let start: String = url.chars().take(60).collect();
        format!(
            "the QR code's URL is too long to encode ({} characters): {start}…",
            url.chars().count()
        )
    })?;
    let width = code.size;
    let dark = |x: usize, y: usize| code[y][x].value();
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(width * width);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if dark(x, y) {
                let start = x;
                while x < width && dark(x, y) {
                    x += 1;
                }
                // `M{x} {y}h{run}v1h-{run}z`, written without `format!`:
                // a code has about a thousand runs, and formatting them
                // took most of this function's time.
                let run = x - start;
                path.push('M');
                push_number(&mut path, start + QUIET);
                path.push(' ');
                push_number(&mut path, y + QUIET);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg class=\"utmost-qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code for {}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        escape(url)
    ))
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    // Decoding is proven end to end in tests/it/collateral.rs, which reads the
    // codes of built pages as a scanner would.
    #[test]
    fn a_code_is_drawn_once_and_kept_only_while_used() {
        let first = Arc::new(QrCodes::after(None));
        let a = first.svg("https://a.example/go/aaaaaa/").unwrap();
        first.svg("https://a.example/go/bbbbbb/").unwrap();
        assert_eq!(a, svg("https://a.example/go/aaaaaa/").unwrap());
        let second = QrCodes::after(Some(first.clone()));
        assert_eq!(second.svg("https://a.example/go/aaaaaa/").unwrap(), a);
        second.settle();
        assert!(second.previous.lock().unwrap().is_none());
        let drawn = second.drawn.lock().unwrap();
        assert_eq!(drawn.len(), 1, "the unused code is not carried on");
    }

    #[test]
    fn a_one_off_build_keeps_no_code() {
        let once = QrCodes::once();
        let a = once.svg("https://a.example/go/aaaaaa/").unwrap();
        assert_eq!(a, svg("https://a.example/go/aaaaaa/").unwrap());
        assert!(once.drawn.lock().unwrap().is_empty());
    }

    #[test]
    fn a_url_too_long_for_any_code_is_an_error() {
        let url = format!("https://acme.example/{}/", "a".repeat(3000));
        let e = svg(&url).unwrap_err();
        assert!(e.contains("too long to encode (3022 characters)"), "{e}");
        assert!(e.len() < 200, "the message does not repeat the URL: {e}");
    }

    #[test]
    fn numbers_in_decimal() {
        let mut s = String::new();
        for n in [0, 7, 10, 57, 100, 4096] {
            push_number(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 7 10 57 100 4096 ");
    }

    #[test]
    fn svg_is_a_crisp_square_of_whole_modules() {
        let url = "https://acme.example/spring/?utm_source=one-pager&utm_medium=print&utm_campaign=spring_launch_2026&utm_content=jane";
        let svg = svg(url).unwrap();
        assert!(svg.starts_with("<svg class=\"utmost-qr\""));
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        assert!(svg.contains(
            "aria-label=\"QR code for https://acme.example/spring/?utm_source=one-pager&amp;"
        ));
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            (size - 8 - 17) % 4,
            0,
            "a QR version's width plus the quiet zone"
        );
    }

    #[test]
    fn has_a_quiet_zone() {
        let svg = svg("https://a.example/").unwrap();
        // No module is drawn in the first four rows or columns.
        assert!(!svg.contains("M0 ") && !svg.contains("M3 "));
        assert!(svg.contains("M4 4h"));
    }
}
