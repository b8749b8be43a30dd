//! One output's Markdown body: shortcodes rendered through the theme, `@/`
//! links resolved through the site, and every problem placed at the call
//! or link in the Markdown file that made it.
//!
//! A shortcode call is checked against its template before it is rendered:
//! a body given to a shortcode that takes none, or a shortcode that needs a
//! body called inline, is said as such at the call, rather than as whatever
//! the template then fails on.

use std::ops::Range;
use std::sync::Mutex;

use tera::Context;

use crate::diagnostic::{Diagnostic, Kind, Name, Unknown};
use crate::markdown::shortcode::Call;
use crate::markdown::slots::Fill;
use crate::markdown::{self, Body, HeadingOptions, MarkdownImage, Problem, Resolver};
use crate::model::at_link::AtLink;
use crate::render::engine::{Engine, RenderError};
use crate::render::templates::ANCHOR_LINK;
use crate::render::uses;
use crate::render::views::{self, PageView};
use crate::site::{Output, Site};

/// A rendered body, with its errors and its warnings.
pub(crate) struct RenderedBody {
    pub body: Body,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Renders the body of `output`, with every problem found in it.
pub(crate) fn render(site: &Site, engine: &Engine, output: &Output) -> RenderedBody {
    let entry = &site.entries[output.entry];
    if entry.generated {
        return RenderedBody {
            body: Body::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
    }
    let page = views::page_view(site, output, None);
    let shortcode = |call: &Call| render_call(engine, call, &page, entry.doc.body());
    let link = |link: AtLink<'_>| site.resolve(link);
    let anchor_link = |id: &str, level: u8| engine.anchor_link(id, level, &site.config.language);
    let warnings = Mutex::new(Vec::new());
    let image = |image: &MarkdownImage<'_>| engine.media.markdown_image(entry, image, &warnings);
    let resolver = Resolver {
        link: &link,
        shortcode: &shortcode,
        image: Some(&image),
        headings: HeadingOptions {
            permalink: &page.permalink,
            anchors: entry.anchors,
            anchor_link: &anchor_link,
        },
    };
    let ((mut body, problems), uses) =
        uses::collect(|| markdown::render(entry.doc.body(), &resolver));
    body.uses = uses;
    let start = entry.doc.body_start;
    let diagnostics = problems
        .into_iter()
        .map(|p| {
            let d = entry
                .doc
                .error(p.span.start + start..p.span.end + start, p.message)
                .kind(p.kind);
            match p.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        })
        .collect();
    RenderedBody {
        body,
        errors: diagnostics,
        warnings: warnings.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}

fn render_call(
    engine: &Engine,
    call: &Call,
    page: &PageView<'_>,
    text: &str,
) -> Result<Fill, Problem> {
    let problem = |message: String, help: String| problem(call, message, help);
    let Some(name) = engine.shortcode_template(&call.name) else {
        let u = Unknown::new(Name::Shortcode, &call.name, engine.shortcode_names());
        return Err(problem(u.message, u.help));
    };
    // Zola's Markdown shortcodes give Markdown, parsed with the page.
    let fill = match name.ends_with(".md") {
        true => Fill::Markdown,
        false => Fill::Html,
    };
    if engine.is_broken(name) {
        // Its template's errors are reported where they are.
        return Ok(fill(String::new()));
    }
    let uses_body = engine.shortcode_uses_body(&call.name);
    if call.body.is_some() && !uses_body {
        return Err(problem(
            format!("shortcode `{}` takes no body", call.name),
            format!(
                "call it inline, as `{{{{ {}(…) }}}}`, and give its text as an argument",
                call.name
            ),
        ));
    }
    let mut context = Context::new();
    for (key, value) in &call.args {
        context.insert(key.clone(), value);
    }
    if let Some(body) = &call.body {
        // Nested calls first; trimmed, as Zola hands it over.
        let inner = |c: &Call| render_call(engine, c, page, body);
        let (body, problems) = markdown::nested::expand(body, &inner);
        if let Some(mut first) = problems.into_iter().next() {
            first.span = call.body_at + first.span.start..call.body_at + first.span.end;
            return Err(first);
        }
        context.insert("body", body.trim());
    }
    context.insert("nth", &call.nth);
    context.insert("page", page);
    context.insert_value("site", engine.shared.site());
    let error = match engine.render(name, &context) {
        Ok(out) => return Ok(fill(out)),
        Err(e) => e,
    };
    if call.body.is_none() && uses_body {
        context.insert("body", "");
        if engine.render(name, &context).is_ok() {
            return Err(problem(
                format!("shortcode `{}` needs a body", call.name),
                format!("write it as `{{% {}(…) %}}text{{% end %}}`", call.name),
            ));
        }
    }
    Err(failure(call, text, *error))
}

/// A shortcode error at the whole call.
fn problem(call: &Call, message: String, help: String) -> Problem {
    Problem {
        span: call.span.clone(),
        message,
        help: Some(help),
        kind: Kind::Shortcode,
    }
}

/// The problem for a call whose template failed: at the argument that
/// named something unknown, else at the call, with the template's place.
fn failure(call: &Call, text: &str, error: RenderError) -> Problem {
    if let Some(unknown) = error.unknown {
        // A name the call passed on (`form="…"`, `url="@/…"`): point at
        // it, as the same mistake is shown in Markdown.
        let written = match unknown.what {
            Name::Page => format!("@/{}", unknown.name),
            _ => unknown.name.clone(),
        };
        let span = argument_span(text, &call.span, &written).unwrap_or(call.span.clone());
        let kind = match unknown.what {
            Name::Page => Kind::Link,
            _ => Kind::Shortcode,
        };
        return Problem {
            span,
            kind,
            ..problem(call, unknown.message, unknown.help)
        };
    }
    let d = error.diagnostic;
    let place = match (d.line, d.column) {
        (0, _) => d.path.display().to_string(),
        (line, column) => format!("{}:{line}:{column}", d.path.display()),
    };
    problem(
        call,
        format!("shortcode `{}` failed: {}", call.name, d.message),
        match d.help {
            Some(help) => format!("{help} (in {place})"),
            None => format!("in {place}"),
        },
    )
}

/// Where a call's argument `"value"` is, quotes included; an `@/` link's
/// `#fragment` after `value` is part of it.
fn argument_span(text: &str, call: &Range<usize>, value: &str) -> Option<Range<usize>> {
    let within = text.get(call.clone())?;
    ['"', '\'', '`'].into_iter().find_map(|q| {
        let opening = format!("{q}{value}");
        within.match_indices(&opening).find_map(|(at, _)| {
            let rest = &within[at + opening.len()..];
            let fragment = if rest.starts_with('#') {
                rest.find(q)?
            } else {
                0
            };
            rest[fragment..]
                .starts_with(q)
                .then(|| call.start + at..call.start + at + opening.len() + fragment + q.len_utf8())
        })
    })
}

/// The templates a body can use, by name: the shortcodes, the heading
/// anchor link, and every template one of those names (an `include`, an
/// `import`, an `extends`), found by its name in their text. Finding a
/// name that is not a use only keeps a body from being reused; an edit to
/// any other template leaves every body as it was.
pub(crate) fn templates_used<'a>(
    templates: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> std::collections::BTreeSet<&'a str> {
    let mut used: std::collections::BTreeSet<&str> = (templates.clone())
        .filter(|(name, _)| name.starts_with("shortcodes/") || *name == ANCHOR_LINK)
        .map(|(name, _)| name)
        .collect();
    let mut texts: Vec<&str> = (templates.clone())
        .filter(|(name, _)| used.contains(name))
        .map(|(_, text)| text)
        .collect();
    while let Some(text) = texts.pop() {
        for (name, source) in templates.clone() {
            if !used.contains(name) && text.contains(name) {
                used.insert(name);
                texts.push(source);
            }
        }
    }
    used
}

#[cfg(test)]
mod templates_used_tests {
    use super::templates_used;

    #[test]
    fn bodies_use_shortcodes_the_anchor_link_and_what_they_name() {
        let templates = [
            (
                "base.html",
                "<html>{% block body %}{% endblock body %}</html>",
            ),
            ("page.html", "{% extends \"base.html\" %}"),
            ("macros.html", "{% macro box() %}{% endmacro box %}"),
            ("parts/icon.html", "<svg></svg>"),
            (
                "shortcodes/note.html",
                "{% import \"macros.html\" as m %}{{ m::box() }}",
            ),
            ("anchor-link.html", "{% include \"parts/icon.html\" %}"),
        ];
        let used = templates_used(templates.iter().copied());
        let used: Vec<&str> = used.into_iter().collect();
        assert_eq!(
            used,
            [
                "anchor-link.html",
                "macros.html",
                "parts/icon.html",
                "shortcodes/note.html"
            ]
        );
    }
}
