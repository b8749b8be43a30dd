//! Where shortcode output goes in a Markdown body.
//!
//! Shortcodes are rendered before the Markdown is parsed; each call is then
//! replaced by a token, and the token's Markdown text event by the call's
//! HTML. A token is a prefix that occurs nowhere in the page's text nor in
//! any shortcode's output (so no user text can ever be taken for one), then
//! the call's number and `Q`. Offsets in the tokenized text are mapped back
//! to the original text, so errors found by the Markdown parser still point
//! at the right place.
//!
//! Block-level output (a `<figure>`, `<form>`, `<div>`…) never lands inside
//! a paragraph or other phrasing element: the paragraph is closed before it
//! and opened again after it, however the call sat among the text; in a
//! heading, the block follows the heading. Paragraphs left empty are
//! dropped.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// What goes in place of a range of the text: a call's HTML (spliced in
/// after parsing), or Markdown text parsed with the rest (a Markdown
/// shortcode's output, an escaped call's literal text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fill {
    Html(String),
    Markdown(String),
}

/// The rendered shortcodes of one body and the tokens standing for them.
pub(crate) struct Slots {
    prefix: String,
    html: Vec<String>,
    /// Per call: its start and length in the tokenized text, and in the
    /// original text.
    spans: Vec<(usize, usize, usize, usize)>,
}

/// Elements that may not appear inside a paragraph (flow content only).
const BLOCKS: [&str; 36] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

impl Slots {
    /// Replaces each `range` of `text` (in order, not overlapping) by its
    /// fill: HTML by a token, Markdown by itself. Returns the slots and the
    /// tokenized text.
    pub(crate) fn new(
        text: &str,
        ranges: &[std::ops::Range<usize>],
        fills: Vec<Fill>,
    ) -> (Slots, String) {
        let all: Vec<&str> = (fills.iter())
            .map(|f| match f {
                Fill::Html(s) | Fill::Markdown(s) => s.as_str(),
            })
            .collect();
        let prefix = token_prefix(text, &all);
        let mut out = String::with_capacity(text.len());
        let mut spans = Vec::with_capacity(ranges.len());
        let mut html = Vec::new();
        let mut at = 0;
        for (range, fill) in ranges.iter().zip(fills) {
            out.push_str(&text[at..range.start]);
            let replacement = match fill {
                Fill::Markdown(text) => text,
                Fill::Html(h) => {
                    html.push(h);
                    format!("{prefix}{}Q", html.len() - 1)
                }
            };
            spans.push((out.len(), replacement.len(), range.start, range.len()));
            out.push_str(&replacement);
            at = range.end;
        }
        out.push_str(&text[at..]);
        let slots = Slots {
            prefix,
            html,
            spans,
        };
        (slots, out)
    }

    /// The offset in the original text of `offset` in the tokenized text
    /// (a token's start and end map to its call's).
    pub(crate) fn to_original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(start, len, old_start, old_len) in &self.spans {
            if offset < start {
                break;
            }
            if offset < start + len {
                return old_start + usize::from(offset > start) * old_len;
            }
            shift = (old_start + old_len) as isize - (start + len) as isize;
        }
        offset.saturating_add_signed(shift)
    }

    /// `text` cut into plain text and the calls its tokens stand for.
    fn pieces<'t>(&self, text: &'t str) -> Vec<Piece<'t>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find(&self.prefix) {
            let after = &rest[i + self.prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let call = after[..digits].parse::<usize>().ok();
            match call.filter(|&c| c < self.html.len() && after[digits..].starts_with('Q')) {
                Some(call) => {
                    out.push(Piece::Text(&rest[..i]));
                    out.push(Piece::Call(call));
                    rest = &after[digits + 1..];
                }
                None => {
                    out.push(Piece::Text(&rest[..i + self.prefix.len()]));
                    rest = after;
                }
            }
        }
        out.push(Piece::Text(rest));
        out.retain(|p| !matches!(p, Piece::Text("")));
        out
    }

    /// The events with every token in text replaced by its call's HTML,
    /// block-level HTML moved out of paragraphs and headings.
    pub(crate) fn splice<'a>(&self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let mut out = Cleaned::default();
        let mut open: Vec<Tag<'a>> = Vec::new();
        let mut after_heading: Vec<String> = Vec::new();
        for event in events {
            match event {
                Event::Start(tag) => {
                    open.push(tag.clone());
                    out.push(Event::Start(tag));
                }
                Event::End(end) => {
                    open.pop();
                    out.push(Event::End(end));
                    if matches!(end, TagEnd::Heading(_)) {
                        for html in after_heading.drain(..) {
                            out.push(Event::Html(html.into()));
                        }
                    }
                }
                Event::Text(text) if text.contains(&self.prefix) => {
                    for piece in self.pieces(&text) {
                        let call = match piece {
                            Piece::Text(t) => {
                                out.push(Event::Text(CowStr::from(t.to_string())));
                                continue;
                            }
                            Piece::Call(call) => call,
                        };
                        self.place(call, &open, &mut out, &mut after_heading);
                    }
                }
                other => out.push(other),
            }
        }
        out.events
    }

    /// Puts call `call`'s HTML where it may stand, given the open tags.
    fn place<'a>(
        &self,
        call: usize,
        open: &[Tag<'a>],
        out: &mut Cleaned<'a>,
        after_heading: &mut Vec<String>,
    ) {
        let html = &self.html[call];
        if open.iter().any(|t| matches!(t, Tag::Image { .. })) {
            // Alt text is an attribute: markup has no place in it.
            return;
        }
        let phrasing = open.iter().rev().take_while(|t| is_phrasing(t)).count();
        if phrasing == 0 || !is_block(html) {
            out.push(Event::InlineHtml(html.clone().into()));
            return;
        }
        let cut = open.len() - phrasing;
        if open[cut..].iter().any(|t| matches!(t, Tag::Heading { .. })) {
            after_heading.push(html.clone());
            return;
        }
        for tag in open[cut..].iter().rev() {
            out.push(Event::End(tag.to_end()));
        }
        out.push(Event::Html(html.clone().into()));
        for tag in &open[cut..] {
            out.push(Event::Start(tag.clone()));
        }
    }

    /// Replaces the tokens left in rendered HTML (in code, link targets or
    /// raw HTML, where no text event held them) by their calls' HTML.
    pub(crate) fn fill(&self, html: String) -> String {
        if !html.contains(&self.prefix) {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        for piece in self.pieces(&html) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Call(call) => out.push_str(&self.html[call]),
            }
        }
        out
    }
}

/// The tokens' prefix: `SCX`, then as many `Q` as it takes to occur in
/// neither `text` nor `html` (it has no border, so it cannot overlap
/// itself or be taken for a token by a neighbouring letter).
pub(crate) fn token_prefix(text: &str, html: &[&str]) -> String {
    let mut prefix = String::from("SCX");
    while text.contains(&prefix) || html.iter().any(|h| h.contains(&prefix)) {
        prefix.push('Q');
    }
    prefix
}

enum Piece<'t> {
    Text(&'t str),
    Call(usize),
}

/// Tags whose content is phrasing only (text and inline elements).
fn is_phrasing(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

/// Whether `html` holds an element that may not stand in a paragraph.
pub(crate) fn is_block(html: &str) -> bool {
    let bytes = html.as_bytes();
    html.match_indices('<').any(|(i, _)| {
        let name: String = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
        BLOCKS.contains(&name.as_str())
    })
}

/// Events, dropping the empty paragraphs and inline elements that moving
/// blocks out of them leaves, and the line breaks at their edges.
#[derive(Default)]
struct Cleaned<'a> {
    events: Vec<Event<'a>>,
}

impl<'a> Cleaned<'a> {
    fn push(&mut self, event: Event<'a>) {
        let blank = |e: &Event<'_>| match e {
            Event::SoftBreak => true,
            Event::Text(t) => t.trim().is_empty(),
            _ => false,
        };
        match &event {
            Event::End(end) if is_phrasing_end(end) => {
                if matches!(end, TagEnd::Paragraph) {
                    while self.events.last().is_some_and(blank) {
                        self.events.pop();
                    }
                }
                if let Some(Event::Start(tag)) = self.events.last()
                    && tag.to_end() == *end
                    && !matches!(end, TagEnd::Heading(_))
                {
                    self.events.pop();
                    return;
                }
            }
            e if blank(e) && matches!(self.events.last(), Some(Event::Start(Tag::Paragraph))) => {
                return;
            }
            _ => {}
        }
        self.events.push(event);
    }
}

fn is_phrasing_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_match_user_text_and_offsets_map_back() {
        let text = "SCX SCXQ0Q {{ a() }} b {{ long_name(x=1) }}.";
        let first = text.find("{{").unwrap();
        let second = text.rfind("{{").unwrap();
        let ranges = [first..first + 9, second..text.len() - 1];
        let fills = vec![Fill::Html("A".into()), Fill::Html("B".into())];
        let (slots, tokenized) = Slots::new(text, &ranges, fills);
        assert_eq!(slots.prefix, "SCXQQ");
        assert_eq!(tokenized, "SCX SCXQ0Q SCXQQ0Q b SCXQQ1Q.");
        assert_eq!(slots.fill(tokenized.clone()), "SCX SCXQ0Q A b B.");
        let b = tokenized.find(" b").unwrap();
        assert_eq!(slots.to_original(b), text.find(" b").unwrap());
        assert_eq!(slots.to_original(tokenized.len()), text.len());
        assert_eq!(slots.to_original(3), 3);
        let end_of_second = tokenized.len() - 1;
        assert_eq!(slots.to_original(end_of_second), text.len() - 1);
    }

    #[test]
    fn knows_block_html() {
        assert!(is_block(
            "<figure class=\"quote\"><blockquote>x</blockquote></figure>"
        ));
        assert!(is_block("\n<aside class=\"cta\"><FORM>"));
        assert!(!is_block("<a class=\"button\" href=\"/\">Go</a>"));
        assert!(!is_block("<span>p</span> and <preview>"));
        assert!(!is_block("plain < text"));
    }
}
