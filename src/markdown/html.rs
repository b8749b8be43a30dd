//! Markdown events rewritten where pulldown-cmark's own HTML would be
//! unreachable by keyboard or invalid, whatever Markdown a page holds:
//! - a code block (`<pre>`) scrolls sideways when its lines are long, so it
//!   is focusable (`tabindex="0"`) for the arrow keys to scroll it;
//! - a table is wrapped in a focusable region that scrolls instead of the
//!   page, named by its header cells (a named `region` is what assistive
//!   technology announces, and no two regions of a page share a name);
//! - a task list's checkbox is labelled by its item's text (wrapped with it
//!   in a `<label>`), as every form control must be;
//! - footnotes are numbered ids (`fn-1`, reference `fnref-1`), which no
//!   heading id takes (heading ids are made afterwards and avoid them), and
//!   which stay valid whatever the footnote's label;
//! - a fenced block in a known language is highlighted (`highlight.rs`).

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use crate::markdown::highlight;
use crate::util::html::escape;

/// The rewritten events, and the ids given to footnotes.
pub(crate) fn rewrite(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<String>) {
    let Some(tables) = table_labels(&events) else {
        return (events, Vec::new());
    };
    let mut rewriter = Rewriter {
        out: Vec::with_capacity(events.len() + 8),
        tables: tables.into_iter(),
        regions: Vec::new(),
        footnotes: Footnotes::default(),
        depth: 0,
        label: None,
        code: None,
    };
    for event in events {
        rewriter.push(event);
    }
    let ids = rewriter.footnotes.ids();
    (rewriter.out, ids)
}

/// The name of each table, in order; `None` when nothing needs rewriting
/// (most bodies), found in one look at the events before taking them apart.
fn table_labels(events: &[Event<'_>]) -> Option<Vec<String>> {
    let mut any = false;
    let mut tables = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(table_label(&events[i..])),
            Event::Start(Tag::CodeBlock(_) | Tag::FootnoteDefinition(_))
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
            _ => continue,
        }
        any = true;
    }
    any.then_some(tables)
}

/// Footnotes numbered in the order they are first met.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    /// The numbers referenced so far: only the first reference gets an id.
    referenced: Vec<usize>,
}

impl Footnotes {
    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    fn reference(&mut self, name: &str) -> String {
        let n = self.number(name);
        let id = match self.referenced.contains(&n) {
            true => String::new(),
            false => format!(" id=\"fnref-{n}\""),
        };
        self.referenced.push(n);
        format!("<sup class=\"footnote-reference\"{id}><a href=\"#fn-{n}\">{n}</a></sup>")
    }

    fn definition(&mut self, name: &str) -> String {
        let n = self.number(name);
        format!(
            "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>"
        )
    }

    /// Every id the footnotes took.
    fn ids(&self) -> Vec<String> {
        (1..=self.numbers.len())
            .flat_map(|n| [format!("fn-{n}"), format!("fnref-{n}")])
            .collect()
    }
}

/// The events as they are rewritten.
struct Rewriter<'a> {
    out: Vec<Event<'a>>,
    /// The names of the tables still to come.
    tables: std::vec::IntoIter<String>,
    /// The names given to table regions so far.
    regions: Vec<String>,
    footnotes: Footnotes,
    /// The depth of open tags.
    depth: usize,
    /// The depth of an open task `<label>`.
    label: Option<usize>,
    /// In a fenced block whose language is known: the language and the
    /// code so far.
    code: Option<(String, String)>,
}

impl<'a> Rewriter<'a> {
    fn push(&mut self, event: Event<'a>) {
        if let Some((lang, code)) = &mut self.code {
            match event {
                Event::Text(text) => return code.push_str(&text),
                _ => {
                    let highlighted =
                        highlight::highlight(code, lang).unwrap_or_else(|| escape(code));
                    self.out.push(Event::Html(highlighted.into()));
                    self.code = None;
                }
            }
        }
        if let Some(at) = self.label
            && ends_label(&event, self.depth, at)
        {
            self.out.push(Event::InlineHtml("</label>".into()));
            self.label = None;
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        let html = match event {
            Event::TaskListMarker(checked) => {
                self.label = Some(self.depth);
                let checked = if checked { " checked" } else { "" };
                format!("<label class=\"task-label\"><input type=\"checkbox\" disabled{checked}> ")
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = language(&kind);
                if highlight::knows(lang) {
                    self.code = Some((lang.to_string(), String::new()));
                }
                code_block(lang)
            }
            Event::End(TagEnd::CodeBlock) => "</code></pre>\n".to_string(),
            Event::Start(Tag::Table(alignments)) => {
                let name = unique(&mut self.regions, self.tables.next().unwrap_or_default());
                let region = format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
                    escape(&name)
                );
                self.out.push(Event::Html(region.into()));
                self.out.push(Event::Start(Tag::Table(alignments)));
                return;
            }
            Event::End(TagEnd::Table) => {
                self.out.push(Event::End(TagEnd::Table));
                self.out.push(Event::Html("</div>\n".into()));
                return;
            }
            Event::FootnoteReference(name) => self.footnotes.reference(&name),
            Event::Start(Tag::FootnoteDefinition(name)) => self.footnotes.definition(&name),
            Event::End(TagEnd::FootnoteDefinition) => "</div>\n".to_string(),
            other => {
                self.out.push(other);
                return;
            }
        };
        self.out.push(Event::Html(CowStr::from(html)));
    }
}

/// Whether `event` ends a task's label opened at `depth` `at`: the end of
/// the label's container, or a block beginning beside the label.
fn ends_label(event: &Event<'_>, depth: usize, at: usize) -> bool {
    match event {
        Event::End(_) => depth <= at,
        Event::Start(tag) => depth == at && !is_inline(tag),
        Event::Html(_) | Event::Rule => depth == at,
        _ => false,
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// A code block's language: the first word of a fence's info string
/// (`rust` in `rust extra`, and in Zola's `rust,linenos`).
fn language<'k>(kind: &'k CodeBlockKind<'_>) -> &'k str {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',']).next().unwrap_or(""),
        CodeBlockKind::Indented => "",
    }
}

fn code_block(lang: &str) -> String {
    match lang {
        "" => "\n<pre tabindex=\"0\"><code>".to_string(),
        lang => {
            let lang = escape(lang);
            format!("\n<pre tabindex=\"0\"><code class=\"language-{lang}\" data-lang=\"{lang}\">")
        }
    }
}

/// A table's name: the text of its header cells.
fn table_label(events: &[Event<'_>]) -> String {
    let mut cells: Vec<String> = Vec::new();
    let mut in_head = false;
    for event in events {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => break,
            Event::Start(Tag::TableCell) if in_head => cells.push(String::new()),
            Event::Text(t) | Event::Code(t) if in_head => {
                if let Some(cell) = cells.last_mut() {
                    cell.push_str(t);
                }
            }
            _ => {}
        }
    }
    let cells: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    match cells.is_empty() {
        true => "Table".to_string(),
        false => cells.join(", "),
    }
}

/// `label`, numbered when an earlier region of the page has it already.
fn unique(taken: &mut Vec<String>, label: String) -> String {
    let mut name = label.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{label} ({n})");
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn html(markdown: &str) -> (String, Vec<String>) {
        let events: Vec<Event<'_>> = Parser::new_ext(
            markdown,
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS,
        )
        .collect();
        let (events, ids) = rewrite(events);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        (out, ids)
    }

    #[test]
    fn code_blocks_are_focusable() {
        let (out, _) =
            html("```rust extra\nfn x() {}\n```\n\n```unheard-of\n<x> & y\n```\n\n    indented\n");
        let rust = "<pre tabindex=\"0\"><code class=\"language-rust\" data-lang=\"rust\"><span class=\"z-source z-rust\">";
        assert!(out.contains(rust), "{out}");
        assert!(out.contains("\n</span></code></pre>"), "{out}");
        let other = "<code class=\"language-unheard-of\" data-lang=\"unheard-of\">&lt;x&gt; &amp; y\n</code></pre>";
        assert!(out.contains(other), "{out}");
        assert!(
            out.contains("<pre tabindex=\"0\"><code>indented\n</code></pre>"),
            "{out}"
        );
    }

    #[test]
    fn tables_scroll_in_a_named_region() {
        let table = "| Plan | *Price* |\n|---|---|\n| a | b |\n\n";
        let (out, _) = html(&format!("{table}{table}"));
        assert!(
            out.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Plan, Price\"><table>"),
            "{out}"
        );
        assert!(out.contains("aria-label=\"Plan, Price (2)\""), "{out}");
        assert_eq!(out.matches("</table>\n</div>").count(), 2, "{out}");
    }

    #[test]
    fn task_checkboxes_are_labelled_by_their_text() {
        let (out, _) =
            html("- [x] done *well*\n- [ ] open\n  - nested\n\n1. [ ] loose\n\n   more\n");
        assert!(
            out.contains("<li><label class=\"task-label\"><input type=\"checkbox\" disabled checked> done <em>well</em></label></li>"),
            "{out}"
        );
        assert!(
            out.contains(
                "<label class=\"task-label\"><input type=\"checkbox\" disabled> open</label>\n<ul>"
            ),
            "{out}"
        );
        assert_eq!(
            out.matches("<label").count(),
            out.matches("</label>").count(),
            "{out}"
        );
    }

    #[test]
    fn footnotes_get_numbered_ids() {
        let (out, ids) = html("One[^a b] two[^x] again[^a b].\n\n[^a b]: A.\n[^x]: X.\n");
        assert!(
            out.contains(
                "<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"
            ),
            "{out}"
        );
        assert_eq!(out.matches("id=\"fnref-1\"").count(), 1, "{out}");
        assert!(out.contains("<div class=\"footnote-definition\" id=\"fn-2\"><sup class=\"footnote-definition-label\">2</sup>"), "{out}");
        assert_eq!(ids, ["fn-1", "fnref-1", "fn-2", "fnref-2"]);
    }
}
