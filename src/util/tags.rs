//! The start tags of a page, read once, as a browser's tokenizer splits
//! them: comments skipped, attribute values quoted or not (a `>` inside
//! quotes does not end a tag), `/` between attributes, and the text of
//! `<script>`, `<style>`, `<textarea>` and `<title>`, which is text, not
//! markup, handed over whole. Every check that reads a finished page's
//! tags (its script URLs, its Content-Security-Policy sources) reads them
//! here, in one pass.

use std::ops::ControlFlow;

/// Elements whose content is text, not markup.
const TEXT_ELEMENTS: [&str; 4] = ["script", "style", "textarea", "title"];

/// What reads the tags of a page.
pub(crate) trait Visitor<'a> {
    /// Why a visit stopped early.
    type Stop;

    /// A start tag, its name as written; the attributes not read are
    /// skipped.
    fn tag(&mut self, name: &'a str, attributes: &mut Attributes<'a>) -> ControlFlow<Self::Stop>;

    /// The text of the text element just opened (`name` as written), up
    /// to its end tag.
    fn text(&mut self, _name: &'a str, _text: &'a str) {}
}

/// Visits every start tag of `html`, in order, until `visitor` stops.
pub(crate) fn visit<'a, V: Visitor<'a>>(html: &'a str, visitor: &mut V) -> ControlFlow<V::Stop> {
    let bytes = html.as_bytes();
    let mut at = 0;
    // memchr's search: the standard library's per-call setup cost more
    // than the scan, over the hundreds of tags of a page.
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = memchr::memmem::find(rest, b"-->").map_or(html.len(), |i| lt + 1 + i + 3);
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = lt + 1;
            continue;
        }
        let name_len = (rest.iter())
            .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            .unwrap_or(rest.len());
        let name = &html[lt + 1..lt + 1 + name_len];
        let mut attributes = Attributes {
            html,
            at: lt + 1 + name_len,
            end: None,
        };
        visitor.tag(name, &mut attributes)?;
        at = attributes.end();
        if TEXT_ELEMENTS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            let close = closing_tag(html, at, name);
            visitor.text(name, &html[at..close]);
            at = close;
        }
    }
    ControlFlow::Continue(())
}

/// The attributes of one start tag that have a value: `(name, value)`,
/// both as written (character references not decoded).
pub(crate) struct Attributes<'a> {
    html: &'a str,
    at: usize,
    /// Just past the tag's `>`, once it is met.
    end: Option<usize>,
}

impl<'a> Attributes<'a> {
    /// Where the tag ends (just past its `>`), the attributes not read
    /// skipped.
    fn end(&mut self) -> usize {
        while self.next().is_some() {}
        self.end.unwrap_or(self.html.len())
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        if self.end.is_some() {
            return None;
        }
        let (html, bytes) = (self.html, self.html.as_bytes());
        let blank = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_whitespace);
        let mut at = self.at;
        loop {
            while blank(at) || bytes.get(at) == Some(&b'/') {
                at += 1;
            }
            if at >= bytes.len() || bytes[at] == b'>' {
                self.end = Some((at + 1).min(bytes.len()));
                return None;
            }
            let name_start = at;
            while at < bytes.len() && !matches!(bytes[at], b'=' | b'>' | b'/') && !blank(at) {
                at += 1;
            }
            let name = &html[name_start..at];
            while blank(at) {
                at += 1;
            }
            if bytes.get(at) != Some(&b'=') {
                continue;
            }
            at += 1;
            while blank(at) {
                at += 1;
            }
            let (value, next) = match bytes.get(at) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end =
                        memchr::memchr(q, &bytes[at + 1..]).map_or(html.len(), |i| at + 1 + i);
                    (&html[at + 1..end], (end + 1).min(html.len()))
                }
                _ => {
                    let end = (bytes[at..].iter())
                        .position(|&c| c.is_ascii_whitespace() || c == b'>')
                        .map_or(html.len(), |i| at + i);
                    (&html[at..end], end)
                }
            };
            self.at = next;
            return Some((name, value));
        }
    }
}

/// Where the text element `name` that is open at `at` closes.
fn closing_tag(html: &str, at: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = at;
    while let Some(lt) = memchr::memmem::find(&bytes[i..], b"</").map(|p| i + p) {
        let tag = bytes.get(lt + 2..lt + 2 + name.len());
        if tag.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes())) {
            return lt;
        }
        i = lt + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag as `name[attr=value ...]`, and text elements' text.
    #[derive(Default)]
    struct Record(Vec<String>);

    impl<'a> Visitor<'a> for Record {
        type Stop = ();
        fn tag(&mut self, name: &'a str, attributes: &mut Attributes<'a>) -> ControlFlow<()> {
            let attributes: Vec<String> = attributes.map(|(n, v)| format!("{n}={v}")).collect();
            self.0.push(format!("{name}[{}]", attributes.join(" ")));
            ControlFlow::Continue(())
        }
        fn text(&mut self, name: &'a str, text: &'a str) {
            self.0.push(format!("{name}:{text}"));
        }
    }

    fn tags(html: &str) -> Vec<String> {
        let mut record = Record::default();
        let _ = visit(html, &mut record);
        record.0
    }

    #[test]
    fn reads_tags_as_a_browser_splits_them() {
        assert_eq!(
            tags("<!doctype html><p class=a>1 < 2</p><img alt=\"a>b\" src='/a.png'/>"),
            ["p[class=a]", "img[alt=a>b src=/a.png]"]
        );
        assert_eq!(
            tags("<img/src=/x.png><a href = \"/\" hidden title=x>"),
            ["img[src=/x.png]", "a[href=/ title=x]"]
        );
        assert_eq!(
            tags("<!-- <a href=x> --><SCRIPT>if (a<b) {}</SCRIPT ><title><b></title><i>"),
            [
                "SCRIPT[]",
                "SCRIPT:if (a<b) {}",
                "title[]",
                "title:<b>",
                "i[]"
            ]
        );
        assert_eq!(tags("<a href=\""), ["a[href=]"]);
        assert_eq!(tags("<style>p{}"), ["style[]", "style:p{}"]);
        assert!(tags("<!-- unclosed <a href=x>").is_empty());
    }

    #[test]
    fn stops_when_told() {
        struct First;
        impl<'a> Visitor<'a> for First {
            type Stop = &'a str;
            fn tag(&mut self, name: &'a str, _: &mut Attributes<'a>) -> ControlFlow<&'a str> {
                ControlFlow::Break(name)
            }
        }
        assert_eq!(visit("<p><a>", &mut First), ControlFlow::Break("p"));
    }
}
