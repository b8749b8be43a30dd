//! The start tags of a page, read once, split as a browser's tokenizer
//! splits them: comments skipped (ended where a browser ends them),
//! attribute values quoted or not (a `>` inside quotes does not end a
//! tag), `/` between attributes, and the text of `<script>`, `<style>`,
//! `<textarea>` and `<title>`, which is text, not markup, handed over
//! whole (outside `<svg>` and `<math>`, where they hold markup). Where a
//! browser would read less markup than this (raw text such as
//! `<noscript>`'s, bogus comments), more is read here: every check that
//! reads a finished page's tags (its script URLs, its
//! Content-Security-Policy sources) errs on the side of seeing a tag.
//! They read them here, in one pass.

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
    /// to its end tag. (Inside `<svg>` or `<math>` only a `<script>`'s or
    /// `<style>`'s, whose tags are then visited too.)
    fn text(&mut self, _name: &'a str, _text: &'a str) {}
}

/// Visits every start tag of `html`, in order, until `visitor` stops.
pub(crate) fn visit<'a, V: Visitor<'a>>(html: &'a str, visitor: &mut V) -> ControlFlow<V::Stop> {
    let bytes = html.as_bytes();
    let mut at = 0;
    // Open `<svg>` and `<math>` elements: inside them the text elements
    // hold markup (`<svg><style><p><a href=…>` is a link), so their tags
    // are read too. Counted high rather than low (a self-closing `<svg/>`
    // counts, as does one an HTML tag closed): reading more tags is the
    // safe side.
    let mut foreign = 0usize;
    // memchr's search: the standard library's per-call setup cost more
    // than the scan, over the hundreds of tags of a page.
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = comment_end(html, lt + 4);
            continue;
        }
        if let Some(end_tag) = rest.strip_prefix(b"/") {
            if is_foreign_root(tag_name(end_tag)) {
                foreign = foreign.saturating_sub(1);
            }
            at = lt + 1;
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = lt + 1;
            continue;
        }
        let name = &html[lt + 1..lt + 1 + tag_name(rest).len()];
        let mut attributes = Attributes {
            html,
            at: lt + 1 + name.len(),
            end: None,
        };
        visitor.tag(name, &mut attributes)?;
        at = attributes.end();
        if is_foreign_root(name.as_bytes()) {
            foreign += 1;
        }
        if TEXT_ELEMENTS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            let close = closing_tag(html, at, name);
            let holds_markup = foreign > 0;
            if !holds_markup
                || ["script", "style"]
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(name))
            {
                visitor.text(name, &html[at..close]);
            }
            if !holds_markup {
                at = close;
            }
        }
    }
    ControlFlow::Continue(())
}

/// A tag's name at the start of `rest` (just past `<` or `</`).
fn tag_name(rest: &[u8]) -> &[u8] {
    let len = (rest.iter())
        .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        .unwrap_or(rest.len());
    &rest[..len]
}

fn is_foreign_root(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math")
}

/// Where a comment whose text starts at `from` (just past `<!--`) ends,
/// as a browser ends it: at the first `-->` or `--!>`, or at once for
/// `<!-->` and `<!--->`.
fn comment_end(html: &str, from: usize) -> usize {
    let text = &html.as_bytes()[from..];
    if text.starts_with(b">") {
        return from + 1;
    }
    if text.starts_with(b"->") {
        return from + 2;
    }
    let closes = [&b"-->"[..], b"--!>"];
    (closes.iter())
        .filter_map(|close| memchr::memmem::find(text, close).map(|i| from + i + close.len()))
        .min()
        .unwrap_or(html.len())
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

/// Where the text element `name` that is open at `at` closes: at its end
/// tag, whose name is followed by a blank, `/` or `>` (`</stylex>` is
/// text inside a `<style>`).
fn closing_tag(html: &str, at: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = at;
    while let Some(lt) = memchr::memmem::find(&bytes[i..], b"</").map(|p| i + p) {
        let after = lt + 2 + name.len();
        let tag = bytes.get(lt + 2..after);
        let ends = bytes
            .get(after)
            .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>');
        if ends && tag.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes())) {
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
        assert_eq!(
            tags("<!-- a --!><b><!--><i><!---><u><!-- <s> -- > --><q>"),
            ["b[]", "i[]", "u[]", "q[]"],
            "comments end where a browser ends them"
        );
        assert_eq!(
            tags("<svg><title><a href=x></title><style>s<p></style></svg><title><b></title>"),
            [
                "svg[]",
                "title[]",
                "a[href=x]",
                "style[]",
                "style:s<p>",
                "p[]",
                "title[]",
                "title:<b>"
            ],
            "inside <svg>, text elements hold markup"
        );
        assert_eq!(
            tags("<MATH><textarea><i></textarea></Math ><textarea><b></textarea>"),
            ["MATH[]", "textarea[]", "i[]", "textarea[]", "textarea:<b>"]
        );
        assert_eq!(tags("<style>p{}"), ["style[]", "style:p{}"]);
        assert_eq!(
            tags("<style>a</stylex><b></style\t><i></style>"),
            ["style[]", "style:a</stylex><b>", "i[]"],
            "a text element ends at its own end tag only"
        );
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
