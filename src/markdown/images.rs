//! Images written in Markdown (`![alt](src "title")`): each is handed to
//! the caller's image function with its alt text as plain text, its title,
//! its place in the original text and how many images came before it; the
//! HTML that function returns replaces the image, or the image stays as
//! pulldown-cmark writes it (`Ok(None)`, or an error, which is reported at
//! the image). Pure: what an image becomes is the caller's business.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Problem;

/// An image of a Markdown body, as the image function sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkdownImage<'a> {
    /// The `src` as written (an `@/` link already resolved).
    pub dest: &'a str,
    /// The alt text, markup removed: `![An *old* map](m.png)` → `An old map`.
    pub alt: &'a str,
    /// The title, or empty.
    pub title: &'a str,
    /// Where the image is written, in the original text.
    pub span: Range<usize>,
    /// How many images come before it in the body.
    pub index: usize,
}

/// What the caller makes of an image: its HTML, or `None` to keep it.
pub(crate) type ImageFn<'a> =
    dyn Fn(&MarkdownImage<'_>) -> Result<Option<String>, Problem> + Sync + 'a;

/// An image whose end has not been met yet.
struct Open {
    /// Its `Start` event's index in the events.
    at: usize,
    /// Where it is in the text parsed, and in the original text.
    span: [Range<usize>; 2],
    dest: String,
    title: String,
    alt: String,
}

/// Watches the events of a body go by and replaces each image.
pub(super) struct Scan<'f> {
    call: &'f ImageFn<'f>,
    open: Option<Open>,
    /// Images inside the open one's alt text (kept as its text).
    nested: usize,
    count: usize,
}

impl<'f> Scan<'f> {
    pub(super) fn new(call: &'f ImageFn<'f>) -> Self {
        Scan {
            call,
            open: None,
            nested: 0,
            count: 0,
        }
    }

    /// Pushes `event` to `events`, or, at an image's end, its replacement.
    /// `span` is where the event is in the text parsed and in the original
    /// text (they differ where shortcodes stand as tokens); a problem keeps
    /// the first, as every problem of the parse does.
    pub(super) fn push<'a>(
        &mut self,
        event: Event<'a>,
        span: [Range<usize>; 2],
        events: &mut Vec<Event<'a>>,
        problems: &mut Vec<Problem>,
    ) {
        match &event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => match &self.open {
                Some(_) => self.nested += 1,
                None => {
                    self.open = Some(Open {
                        at: events.len(),
                        span,
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        alt: String::new(),
                    });
                }
            },
            Event::Text(t) | Event::Code(t) => {
                if let Some(open) = &mut self.open {
                    open.alt.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(open) = &mut self.open {
                    open.alt.push(' ');
                }
            }
            Event::End(TagEnd::Image) if self.nested > 0 => self.nested -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(open) = self.open.take() {
                    self.finish(open, event, events, problems);
                    return;
                }
            }
            _ => {}
        }
        events.push(event);
    }

    fn finish<'a>(
        &mut self,
        open: Open,
        end: Event<'a>,
        events: &mut Vec<Event<'a>>,
        problems: &mut Vec<Problem>,
    ) {
        let image = MarkdownImage {
            dest: &open.dest,
            alt: open.alt.trim(),
            title: &open.title,
            span: open.span[1].clone(),
            index: self.count,
        };
        self.count += 1;
        match (self.call)(&image) {
            Ok(Some(html)) => {
                events.truncate(open.at);
                events.push(Event::InlineHtml(CowStr::from(html)));
            }
            Ok(None) => events.push(end),
            Err(mut problem) => {
                problem.span = open.span[0].clone();
                problems.push(problem);
                events.push(end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::diagnostic::Kind;
    use crate::markdown::{Resolver, render};

    fn run(text: &str, image: &ImageFn<'_>) -> (String, Vec<Problem>) {
        let link = |_: crate::model::at_link::AtLink<'_>| Ok("/x/".to_string());
        let shortcode = |_: &crate::markdown::shortcode::Call| {
            Ok(crate::markdown::slots::Fill::Html("<b>S</b>".to_string()))
        };
        let (body, problems) = render(
            text,
            &Resolver {
                link: &link,
                shortcode: &shortcode,
                image: Some(image),
                headings: crate::markdown::HeadingOptions::plain(),
            },
        );
        (body.html, problems)
    }

    #[test]
    fn images_are_replaced_with_their_alt_text_and_place() {
        let seen = Mutex::new(Vec::new());
        let image = |i: &MarkdownImage<'_>| {
            seen.lock().unwrap().push((
                i.dest.to_string(),
                i.alt.to_string(),
                i.title.to_string(),
                i.span.clone(),
                i.index,
            ));
            Ok((i.dest != "keep.png")
                .then(|| format!("<img src=\"{}\" alt=\"{}\">", i.dest, i.alt)))
        };
        let text = "{{ s() }} A ![An *old* `map`](m.png \"T\") and ![](keep.png).\n";
        let (html, problems) = run(text, &image);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            html,
            "<p><b>S</b> A <img src=\"m.png\" alt=\"An old map\"> and <img src=\"keep.png\" alt=\"\" />.</p>\n"
        );
        let seen = seen.into_inner().unwrap();
        assert_eq!(&text[seen[0].3.clone()], "![An *old* `map`](m.png \"T\")");
        assert_eq!(
            (seen[0].1.as_str(), seen[0].2.as_str(), seen[0].4),
            ("An old map", "T", 0)
        );
        assert_eq!((seen[1].0.as_str(), seen[1].4), ("keep.png", 1));
    }

    #[test]
    fn an_error_is_reported_and_the_image_kept() {
        let image = |i: &MarkdownImage<'_>| {
            Err(Problem {
                span: i.span.clone(),
                message: "no".into(),
                help: None,
                kind: Kind::Content,
            })
        };
        let (html, problems) = run("![a ![b](in.png) c](out.png)\n", &image);
        assert_eq!(problems.len(), 1, "a nested image is the alt text's");
        assert!(html.contains("<img src=\"out.png\""), "{html}");
    }
}
