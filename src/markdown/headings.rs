//! A body's headings: each gets an id (its own `{#id}`, else a slug of its
//! text, unique in the page), an anchor link where the page's section asks
//! for one (Zola's `insert_anchor_links`), and a place in the table of
//! contents, nested as Zola nests it.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// A heading of the page, in the table of contents (`page.toc`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Heading {
    pub level: u8,
    pub id: String,
    /// The page's permalink and `#id`.
    pub permalink: String,
    pub title: String,
    /// The headings below it, up to the next heading of its level or higher.
    pub children: Vec<Heading>,
}

/// Where a heading's anchor link goes (Zola's `insert_anchor_links`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum InsertAnchor {
    /// No anchor link (the default).
    #[default]
    None,
    /// Before the heading's text.
    Left,
    /// After the heading's text.
    Right,
    /// The heading's text is the link.
    Heading,
}

/// Renders a heading's anchor link from its id and level, or says why not.
pub(crate) type AnchorFn<'a> = dyn Fn(&str, u8) -> Result<String, String> + Sync + 'a;

/// What the headings of one body need from the page.
#[derive(Clone, Copy)]
pub(crate) struct HeadingOptions<'a> {
    /// The page's permalink, which each heading's `#id` follows in the toc.
    pub permalink: &'a str,
    pub anchors: InsertAnchor,
    /// The anchor link's HTML (only called when `anchors` asks for links).
    pub anchor_link: &'a AnchorFn<'a>,
}

impl HeadingOptions<'_> {
    /// No anchor links, toc entries without a permalink.
    pub(crate) fn plain() -> HeadingOptions<'static> {
        HeadingOptions {
            permalink: "",
            anchors: InsertAnchor::None,
            anchor_link: &|_, _| Ok(String::new()),
        }
    }
}

/// Gives every heading an id (its explicit `{#id}`, else a slug of its
/// text, unique within the page and unlike the ids in `used`), inserts the
/// anchor links asked for, and returns the nested table of contents, or
/// the anchor link's error.
pub(crate) fn assign(
    events: &mut Vec<Event<'_>>,
    mut used: Vec<String>,
    options: &HeadingOptions<'_>,
) -> Result<Vec<Heading>, String> {
    let mut flat = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let (level, explicit) = (heading_number(*level), id.as_ref().map(|s| s.to_string()));
        let end = (i..events.len())
            .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len());
        let title = text_of(&events[i + 1..end]);
        let id = unique_id(explicit, &title, &mut used);
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id.clone()));
        }
        let inserted = insert_anchor(events, i, end, &id, level, options)?;
        flat.push(Heading {
            level,
            permalink: format!("{}#{id}", options.permalink),
            id,
            title,
            children: Vec::new(),
        });
        i = end + inserted + 1;
    }
    Ok(nest(flat))
}

/// The text and code of a heading's events.
fn text_of(events: &[Event<'_>]) -> String {
    let mut title = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            title.push_str(t);
        }
    }
    title
}

/// The heading's id: its own, else a slug of its title (`section` when the
/// title has none), numbered when taken.
fn unique_id(explicit: Option<String>, title: &str, used: &mut Vec<String>) -> String {
    let base = explicit.unwrap_or_else(|| {
        let s = crate::util::slug::slugify(title);
        if s.is_empty() { "section".into() } else { s }
    });
    let mut unique = base.clone();
    let mut n = 1;
    while used.contains(&unique) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    used.push(unique.clone());
    unique
}

/// Inserts the anchor link of the heading whose events run from `start`
/// to `end` (its end tag); returns how many events were inserted.
fn insert_anchor(
    events: &mut Vec<Event<'_>>,
    start: usize,
    end: usize,
    id: &str,
    level: u8,
    options: &HeadingOptions<'_>,
) -> Result<usize, String> {
    if options.anchors == InsertAnchor::None {
        return Ok(0);
    }
    let link = (options.anchor_link)(id, level)?;
    let html = |s: String| Event::InlineHtml(CowStr::from(s));
    match options.anchors {
        InsertAnchor::Left => events.insert(start + 1, html(link)),
        InsertAnchor::Right => events.insert(end, html(link)),
        InsertAnchor::Heading => {
            // The link's opening tag around the heading's text, as Zola does.
            let Some(open) = opening_a_tag(&link) else {
                return Err(
                    "the anchor link template has no `<a …>` to wrap the heading in".into(),
                );
            };
            events.insert(end, html("</a>".into()));
            events.insert(start + 1, html(open.to_string()));
            return Ok(2);
        }
        InsertAnchor::None => return Ok(0),
    }
    Ok(1)
}

/// The first `<a …>` tag of `html`.
fn opening_a_tag(html: &str) -> Option<&str> {
    let start = html.find("<a ").or_else(|| html.find("<a>"))?;
    let end = start + html[start..].find('>')?;
    Some(&html[start..=end])
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// The flat headings nested: each under the last heading before it of a
/// lower level (Zola's `make_table_of_contents`).
fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    let mut toc: Vec<Heading> = Vec::new();
    for heading in flat {
        if let Some(heading) = insert_into(toc.last_mut(), heading) {
            toc.push(heading);
        }
    }
    toc
}

/// Puts `heading` under `parent` (or deeper), or gives it back when it is
/// no child of it.
fn insert_into(parent: Option<&mut Heading>, heading: Heading) -> Option<Heading> {
    let parent = match parent {
        Some(p) if heading.level > p.level => p,
        _ => return Some(heading),
    };
    if let Some(heading) = insert_into(parent.children.last_mut(), heading) {
        parent.children.push(heading);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn headings(markdown: &str, anchors: InsertAnchor) -> (String, Vec<Heading>) {
        let mut events: Vec<Event<'_>> =
            Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES).collect();
        let link = |id: &str, level: u8| {
            Ok(format!(
                "<a class=\"zola-anchor\" href=\"#{id}\">h{level}</a>"
            ))
        };
        let options = HeadingOptions {
            permalink: "https://x.example/p/",
            anchors,
            anchor_link: &link,
        };
        let toc = assign(&mut events, vec!["fn-1".into()], &options).unwrap();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, toc)
    }

    #[test]
    fn ids_are_unique_slugs_and_the_toc_nests_as_zola_does() {
        let (html, toc) = headings(
            "# Top\n## `get_page`\n#### Deep\n### Mid\n## Top\n# Two {#mine}\n## fn 1\n",
            InsertAnchor::None,
        );
        assert!(
            html.contains("<h2 id=\"get-page\"><code>get_page</code></h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"top-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"fn-1-1\">"), "{html}");
        let shape: Vec<String> = toc
            .iter()
            .map(|h| {
                let kids: Vec<String> = (h.children.iter())
                    .map(|c| {
                        format!(
                            "{}{:?}",
                            c.id,
                            c.children.iter().map(|g| &g.id).collect::<Vec<_>>()
                        )
                    })
                    .collect();
                format!("{}:{}", h.id, kids.join(","))
            })
            .collect();
        assert_eq!(
            shape,
            ["top:get-page[\"deep\", \"mid\"],top-1[]", "mine:fn-1-1[]"]
        );
        assert_eq!(
            toc[0].children[0].permalink,
            "https://x.example/p/#get-page"
        );
        assert_eq!(toc[0].children[0].title, "get_page");
    }

    #[test]
    fn anchor_links_go_where_the_section_asks() {
        let (left, _) = headings("## Hi *there*\n", InsertAnchor::Left);
        assert_eq!(
            left,
            "<h2 id=\"hi-there\"><a class=\"zola-anchor\" href=\"#hi-there\">h2</a>Hi <em>there</em></h2>\n"
        );
        let (right, _) = headings("## Hi\n", InsertAnchor::Right);
        assert_eq!(
            right,
            "<h2 id=\"hi\">Hi<a class=\"zola-anchor\" href=\"#hi\">h2</a></h2>\n"
        );
        let (wrapped, _) = headings("## Hi\n", InsertAnchor::Heading);
        assert_eq!(
            wrapped,
            "<h2 id=\"hi\"><a class=\"zola-anchor\" href=\"#hi\">Hi</a></h2>\n"
        );
    }
}
