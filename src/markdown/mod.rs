//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough,
//! task lists and heading ids, `@/` internal links resolved, and shortcodes
//! rendered through a caller-supplied function.
//!
//! Pure: no I/O and no template engine here. Shortcode calls are rendered
//! first and stand as tokens while the Markdown is parsed (`slots.rs`: where
//! their HTML may go, and offsets mapped back so that every error position
//! points into the original text); code blocks, tables and footnotes are
//! made keyboard-reachable and valid (`markdown/html.rs`).

pub(crate) mod escape;
pub(crate) mod headings;
pub(crate) mod highlight;
pub(crate) mod html;
pub(crate) mod images;
pub(crate) mod nested;
pub(crate) mod shortcode;
pub(crate) mod slots;
pub(crate) mod toml_grammar;
pub(crate) mod warm_up;

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use crate::diagnostic::{Kind, Unknown};
use crate::markdown::slots::{Fill, Slots};
use crate::model::at_link::AtLink;
pub(crate) use headings::{Heading, HeadingOptions};
pub(crate) use images::{ImageFn, MarkdownImage};
use shortcode::Call;

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Body {
    pub html: String,
    /// The HTML before `<!-- more -->`, or empty.
    pub summary: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    /// The files the build makes for this HTML (processed images), by
    /// their output paths; set by the caller, which makes them.
    pub uses: Vec<String>,
}

impl Body {
    /// What listings and the output's file list read of a body, once its
    /// page is written: its summary, word count and the files it names,
    /// without its HTML and table of contents.
    pub(crate) fn digest(&self) -> Body {
        Body {
            html: String::new(),
            summary: self.summary.clone(),
            toc: Vec::new(),
            word_count: self.word_count,
            uses: self.uses.clone(),
        }
    }
}

/// A problem at a byte range of the Markdown text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub kind: Kind,
}

/// Resolves an `@/` link to its URL, fragment kept; `Err(None)` for a file
/// that exists but cannot be linked to for errors of its own (reported
/// where they are), `Err(Some(_))` for no such file.
pub(crate) type LinkFn<'a> = dyn Fn(AtLink<'_>) -> Result<String, Option<Unknown>> + Sync + 'a;

/// What rendering needs from the site.
pub(crate) struct Resolver<'a> {
    /// `@/pricing.md#team` → its URL.
    pub link: &'a LinkFn<'a>,
    /// Renders one shortcode call to HTML, or to Markdown (a Markdown
    /// shortcode, `shortcodes/NAME.md`).
    pub shortcode: &'a (dyn Fn(&Call) -> Result<Fill, Problem> + Sync),
    /// Makes an image's HTML (`None`: images stay as written).
    pub image: Option<&'a ImageFn<'a>>,
    /// Headings' anchor links and table of contents.
    pub headings: HeadingOptions<'a>,
}

const MORE: &str = "<!-- more -->";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text`, collecting every problem rather than stopping.
pub(crate) fn render(text: &str, resolver: &Resolver<'_>) -> (Body, Vec<Problem>) {
    let mut problems = Vec::new();
    let (calls, syntax) = shortcode::find(text);
    problems.extend(syntax.into_iter().map(|e| Problem {
        span: e.span,
        message: e.message,
        help: None,
        kind: Kind::Shortcode,
    }));
    let mut fills: Vec<(Range<usize>, Fill)> = Vec::with_capacity(calls.len());
    for call in &calls {
        match (resolver.shortcode)(call) {
            Ok(fill) => fills.push((call.span.clone(), fill)),
            Err(mut p) => {
                if p.span.is_empty() {
                    p.span = call.span.clone();
                }
                problems.push(p);
                fills.push((call.span.clone(), Fill::Html(String::new())));
            }
        }
    }
    // Escaped calls print themselves (those in a call's body go with it).
    let inside_call = |r: &Range<usize>| calls.iter().any(|c| c.span.contains(&r.start));
    for e in escape::find(text)
        .into_iter()
        .filter(|e| !inside_call(&e.span))
    {
        fills.push((e.span, Fill::Markdown(e.literal)));
    }
    let headings = &resolver.headings;
    if fills.is_empty() {
        let (body, link_problems) =
            to_html(text, Some(resolver.link), resolver.image, None, headings);
        problems.extend(link_problems);
        return (body, problems);
    }
    fills.sort_by_key(|(r, _)| r.start);
    let (ranges, fills): (Vec<Range<usize>>, Vec<Fill>) = fills.into_iter().unzip();
    let (slots, source) = Slots::new(text, &ranges, fills);
    let (body, link_problems) = to_html(
        &source,
        Some(resolver.link),
        resolver.image,
        Some(&slots),
        headings,
    );
    problems.extend(link_problems.into_iter().map(|mut p| {
        p.span = slots.to_original(p.span.start)..slots.to_original(p.span.end);
        p
    }));
    (body, problems)
}

/// Plain Markdown, no shortcodes (the `markdown` template filter).
pub(crate) fn render_plain(text: &str, link: Option<&LinkFn<'_>>) -> String {
    to_html(text, link, None, None, &HeadingOptions::plain())
        .0
        .html
}

fn to_html(
    source: &str,
    link: Option<&LinkFn<'_>>,
    image: Option<&ImageFn<'_>>,
    slots: Option<&Slots>,
    headings: &HeadingOptions<'_>,
) -> (Body, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut word_count = 0;
    let mut images = image.map(images::Scan::new);
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let event = match event {
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                Event::Start(with_dest(tag, |dest| {
                    resolve(dest, &range, link, &mut problems)
                }))
            }
            // (A shortcode's token counts as one word, as the call would.)
            Event::Text(t) => {
                word_count += words(&t);
                Event::Text(t)
            }
            e => e,
        };
        match &mut images {
            Some(scan) => {
                let original = match slots {
                    Some(slots) => slots.to_original(range.start)..slots.to_original(range.end),
                    None => range.clone(),
                };
                scan.push(event, [range, original], &mut events, &mut problems);
            }
            None => events.push(event),
        }
    }
    if let Some(slots) = slots {
        events = slots.splice(events);
    }
    let (mut events, footnote_ids) = crate::markdown::html::rewrite(events);
    let toc = headings::assign(&mut events, footnote_ids, headings).unwrap_or_else(|message| {
        problems.push(Problem {
            span: 0..0,
            message,
            help: Some("the anchor links of headings come from `anchor-link.html`".into()),
            kind: Kind::Template,
        });
        Vec::new()
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if let Some(slots) = slots {
        html = slots.fill(html);
    }
    // Bodies stay in memory for the whole build: no spare capacity.
    html.shrink_to_fit();
    let summary = memchr::memmem::find(html.as_bytes(), MORE.as_bytes())
        .map(|i| html[..i].to_string())
        .unwrap_or_default();
    let body = Body {
        html,
        summary,
        toc,
        word_count,
        uses: Vec::new(),
    };
    (body, problems)
}

/// How many words `text` holds (as `split_whitespace` counts them).
fn words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // ASCII text, the common case: a word starts wherever a non-space
    // follows a space, or at the start. Counted over pairs of bytes in
    // blocks whose count fits a byte, which the compiler vectorizes (the
    // byte-at-a-time loop carried a flag from byte to byte, and could not
    // be: 3 to 6 times slower).
    let space = |b: u8| u8::from(b == b' ') | u8::from(b.wrapping_sub(b'\t') < 5);
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut count = usize::from(space(first) == 0);
    let pairs = bytes.chunks(128).zip(bytes[1..].chunks(128));
    for (before, at) in pairs {
        let block: u8 =
            (before.iter().zip(at)).fold(0, |n, (&b, &a)| n + (space(b) & (space(a) ^ 1)));
        count += usize::from(block);
    }
    count
}

/// A link or image tag with its destination passed through `f`.
fn with_dest<'a>(tag: Tag<'a>, f: impl FnOnce(CowStr<'a>) -> CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        other => other,
    }
}

fn resolve<'a>(
    dest: CowStr<'a>,
    range: &Range<usize>,
    link: Option<&LinkFn<'_>>,
    problems: &mut Vec<Problem>,
) -> CowStr<'a> {
    if crate::util::url_safety::is_script_url(&dest) {
        problems.push(Problem {
            span: range.clone(),
            message: "links may not run script (`javascript:` and the like)".into(),
            help: Some("link to a page or an https:// URL".into()),
            kind: Kind::Content,
        });
        return CowStr::from("#");
    }
    let (Some(at), Some(link)) = (AtLink::parse(&dest), link) else {
        return dest;
    };
    match link(at) {
        Ok(url) => CowStr::from(url),
        Err(None) => dest,
        Err(Some(unknown)) => {
            problems.push(Problem {
                span: range.clone(),
                message: unknown.message,
                help: Some(unknown.help),
                kind: Kind::Link,
            });
            dest
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_count_as_split_whitespace_does() {
        for text in [
            "",
            "one",
            "  two  words ",
            "tab\tnew\nline\r\x0bvt\x0cff",
            "\x1fnot a space\x1f",
            "non-ascii\u{a0}space and é",
        ] {
            assert_eq!(words(text), text.split_whitespace().count(), "{text:?}");
        }
        // Long texts, counted in blocks: words across every block edge.
        for gap in 1..7 {
            let text: String = (0..700)
                .map(|i| {
                    if i % gap == 0 {
                        [' ', '\n', '\t'][i % 3]
                    } else {
                        'w'
                    }
                })
                .collect();
            for end in [127, 128, 129, 255, 256, 257, 700] {
                let text = &text[..end];
                assert_eq!(words(text), text.split_whitespace().count(), "{text:?}");
            }
        }
    }

    fn links(link: AtLink<'_>) -> Result<String, Option<Unknown>> {
        match link.file() {
            "pricing.md" => Ok(link.with_fragment("/pricing/".to_string())),
            "broken.md" => Err(None),
            file => Err(Some(Unknown::new(
                crate::diagnostic::Name::Page,
                file,
                ["pricing.md"],
            ))),
        }
    }

    fn shortcodes(call: &Call) -> Result<Fill, Problem> {
        match call.name.as_str() {
            "cta" => Ok(Fill::Html("<form>CTA</form>".into())),
            "button" => Ok(Fill::Html("<a>B</a>".into())),
            "quote" => Ok(Fill::Html(format!(
                "<blockquote>{}</blockquote>",
                call.body.clone().unwrap_or_default()
            ))),
            "note" => Ok(Fill::Markdown(format!(
                "> **Note {}:** [x](@/pricing.md)",
                call.nth
            ))),
            other => Err(Problem {
                span: 0..0,
                message: format!("unknown shortcode `{other}`"),
                help: None,
                kind: Kind::Shortcode,
            }),
        }
    }

    fn run(text: &str) -> (Body, Vec<Problem>) {
        render(
            text,
            &Resolver {
                link: &links,
                shortcode: &shortcodes,
                image: None,
                headings: HeadingOptions::plain(),
            },
        )
    }

    #[test]
    fn renders_extensions_and_heading_ids() {
        let (body, problems) = run(
            "# Hello World\n\n## Hello World\n\n|a|b|\n|-|-|\n|1|2|\n\n~~old~~ [^1]\n\n- [x] done\n\n[^1]: note\n\n## Custom {#mine}\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            body.html
                .contains("<h1 id=\"hello-world\">Hello World</h1>"),
            "{}",
            body.html
        );
        assert!(body.html.contains("<h2 id=\"hello-world-1\">"));
        assert!(body.html.contains("<h2 id=\"mine\">"));
        assert!(body.html.contains("<table>"));
        assert!(body.html.contains("<del>old</del>"));
        assert!(body.html.contains("type=\"checkbox\""));
        assert!(body.html.contains("footnote-definition"));
        assert_eq!(body.toc.len(), 1);
        assert_eq!(body.toc[0].level, 1);
        assert_eq!(body.toc[0].children.len(), 2);
    }

    #[test]
    fn resolves_and_checks_internal_links() {
        let text = "See [prices](@/pricing.md#team), [gone](@/gone.md) and [x](@/broken.md).";
        let (body, problems) = run(text);
        assert!(body.html.contains("href=\"/pricing/#team\""));
        assert_eq!(
            problems.len(),
            1,
            "a file with errors of its own is no broken link"
        );
        assert_eq!(problems[0].message, "unknown page `@/gone.md`");
        assert_eq!(problems[0].kind, Kind::Link);
        assert_eq!(&text[problems[0].span.clone()], "[gone](@/gone.md)");
    }

    #[test]
    fn escaped_calls_print_themselves_and_markdown_shortcodes_are_markdown() {
        let text = "Write {{/* cta() */}}.\n\n```\n{%/* quote() */%}Hi{%/* end */%}\n```\n\n{{ note() }}\n\n{{ note() }}\n";
        let (body, problems) = run(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            body.html.contains("<p>Write {{ cta() }}.</p>"),
            "{}",
            body.html
        );
        assert!(
            body.html.contains("{% quote() %}Hi{% end %}\n</code>"),
            "{}",
            body.html
        );
        let note = "<blockquote>\n<p><strong>Note 2:</strong> <a href=\"/pricing/\">x</a></p>";
        assert!(body.html.contains(note), "{}", body.html);
    }

    #[test]
    fn shortcodes_render_in_place_keeping_offsets() {
        let text = "Intro\n\n{{ cta(form=\"demo\") }}\n\n{% quote() %}Q{% end %} and [x](@/nope.md)\n\n{{ nope() }}\n";
        let (body, problems) = run(text);
        assert!(body.html.contains("<form>CTA</form>"), "{}", body.html);
        assert!(
            !body.html.contains("<p><form>"),
            "block shortcodes are not wrapped in <p>"
        );
        assert!(body.html.contains("<blockquote>Q</blockquote>"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        let spans: Vec<&str> = problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert!(spans.contains(&"[x](@/nope.md)"), "{spans:?}");
        assert!(spans.contains(&"{{ nope() }}"), "{spans:?}");
    }

    #[test]
    fn block_shortcodes_never_land_in_a_paragraph() {
        for text in [
            "Intro text\n{% quote() %}Q{% end %}\nmore text\n",
            "Intro {% quote() %}Q{% end %} more\n",
            "*Intro {% quote() %}Q{% end %} more*\n",
            "{% quote() %}Q{% end %}\n",
            "Intro\n\n{{ cta() }}\n",
            "- item {{ cta() }}\n  text\n",
            "# Title {{ cta() }}\n\nBody\n",
        ] {
            let (body, problems) = run(text);
            assert!(problems.is_empty(), "{problems:?}");
            let html = &body.html;
            for inside in [
                "<p><blockquote>",
                "<p><form>",
                "<em><blockquote>",
                "<h1 id=\"title\">Title <form>",
            ] {
                assert!(!html.contains(inside), "{text:?} gave {html}");
            }
            assert!(
                !html.contains("<p></p>") && !html.contains("<em></em>"),
                "{text:?} gave {html}"
            );
            let (opened, closed) = (html.matches("<p>").count(), html.matches("</p>").count());
            assert_eq!(opened, closed, "{html}");
        }
        let (body, _) = run("Intro text\n{% quote() %}Q{% end %}\nmore text\n");
        assert_eq!(
            body.html,
            "<p>Intro text</p>\n<blockquote>Q</blockquote>\n<p>more text</p>\n"
        );
        let (body, _) = run("# Title {{ cta() }}\n");
        assert_eq!(body.html, "<h1 id=\"title\">Title </h1>\n<form>CTA</form>");
    }

    #[test]
    fn inline_shortcodes_stay_in_their_paragraph_and_text_is_kept() {
        let text = "Click {{ button() }} now. SCX and \u{e000} stay.\n";
        let (body, problems) = run(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            body.html,
            "<p>Click <a>B</a> now. SCX and \u{e000} stay.</p>\n"
        );
    }

    #[test]
    fn summary_and_word_count() {
        let (body, _) = run("One two three.\n\n<!-- more -->\n\nFour five.\n");
        assert_eq!(body.word_count, 5);
        assert_eq!(body.summary, "<p>One two three.</p>\n");
    }
}
