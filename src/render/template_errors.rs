//! Tera's errors as [`Diagnostic`]s: each in the template file it is in
//! (named as the user sees it, `templates/page.html` or
//! `themes/<theme>/templates/page.html`), at its line and column, said once.
//!
//! Tera gives most errors as a kind with a place. Checks it makes when
//! templates are loaded (unknown filters, functions, included templates,
//! blocks no parent has) come as one message holding a report per problem,
//! in the layout of `tera::reporting` ("error: …", "--> name:line:col", the
//! line and its carets); [`reports`] reads them back one by one, so that
//! each is placed and none is printed as "error: error: …".

use std::collections::BTreeMap;
use std::error::Error as _;

use crate::diagnostic::{Diagnostic, Kind, Name, Unknown};
use crate::source::theme::TemplateSource;

/// One problem found in one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// The template's name (`page.html`).
    pub template: String,
    pub diagnostic: Diagnostic,
}

/// Every problem `error` describes, each in its template. `fallback` names
/// the template being loaded or rendered, for errors without a place.
pub(crate) fn reports(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
    fallback: Option<&str>,
) -> Vec<Report> {
    let place = |name: &str| sources.get(name);
    match error.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let (message, help) = reword(&with_causes(error, r.message()), sources);
            let template = r.filename().to_string();
            let diagnostic = match place(&template) {
                Some(s) => {
                    let mut range = r.span().range.clone();
                    if r.span().end_line != r.span().start_line {
                        range.end = range.start;
                    }
                    Diagnostic::at(&s.path, &s.text, range, message)
                }
                None => Diagnostic::file(shown(sources, &template), message),
            };
            vec![Report {
                template,
                diagnostic: with_help(diagnostic, help),
            }]
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let known = sources.keys().map(String::as_str);
            let unknown = Unknown::new(Name::Template, parent, known);
            let diagnostic = match place(current) {
                Some(s) => {
                    let at = s.text.find(parent.as_str()).map_or(0..0, |i| {
                        let start = s.text[..i].rfind('{').unwrap_or(i);
                        start..i + parent.len()
                    });
                    Diagnostic::at(&s.path, &s.text, at, unknown.message)
                }
                None => Diagnostic::file(shown(sources, current), unknown.message),
            };
            vec![Report {
                template: current.clone(),
                diagnostic: diagnostic.with_help(unknown.help).kind(Kind::Template),
            }]
        }
        tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => {
            let message = with_causes(error, &error.kind().to_string());
            vec![Report {
                template: tpl.clone(),
                diagnostic: Diagnostic::file(shown(sources, tpl), message).kind(Kind::Template),
            }]
        }
        tera::ErrorKind::Msg(text) if text.starts_with("error: ") => text
            .split("\n\nerror: ")
            .filter_map(|one| read_report(one.strip_prefix("error: ").unwrap_or(one), sources))
            .collect(),
        _ => {
            let template = fallback.unwrap_or("").to_string();
            let (message, help) = reword(&with_causes(error, &error.kind().to_string()), sources);
            let diagnostic = with_help(Diagnostic::file(shown(sources, &template), message), help);
            vec![Report {
                template,
                diagnostic: diagnostic.kind(Kind::Template),
            }]
        }
    }
}

/// The first diagnostic of [`reports`] (rendering stops at one error).
pub(crate) fn diagnostic(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
    fallback: Option<&str>,
) -> Diagnostic {
    reports(error, sources, fallback)
        .into_iter()
        .next()
        .map_or_else(
            || Diagnostic::file(shown(sources, fallback.unwrap_or("")), error.to_string()),
            |r| r.diagnostic,
        )
}

/// How a template is named to the user: its path, else its name under
/// templates/.
fn shown(sources: &BTreeMap<String, TemplateSource>, name: &str) -> std::path::PathBuf {
    match sources.get(name) {
        Some(s) => s.path.clone(),
        None => std::path::Path::new("templates").join(name),
    }
}

/// `message`, then the messages of the errors that caused it.
fn with_causes(error: &tera::Error, message: &str) -> String {
    let mut out = message.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// One report of tera's layout, its leading "error: " removed:
/// ```text
/// Unknown filter `nope`
///  --> page.html:3:9
///   |
/// 3 | {{ x | nope }}
///   |        ^^^^
/// ```
fn read_report(text: &str, sources: &BTreeMap<String, TemplateSource>) -> Option<Report> {
    let mut lines = text.lines();
    let (message, help) = reword(lines.next()?.trim(), sources);
    let place = lines.next()?.trim_start().strip_prefix("--> ")?;
    let mut parts = place.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let template = parts.next()?.to_string();
    let carets = lines.nth(2).map_or(1, |l| {
        let n = l.chars().filter(|&c| c == '^').count();
        n.clamp(1, u32::MAX as usize) as u32
    });
    let diagnostic = match sources.get(&template) {
        Some(s) => {
            let mut d = Diagnostic::at_line(&s.path, &s.text, line, column, message);
            d.width = carets;
            d
        }
        None => Diagnostic::file(shown(sources, &template), message),
    };
    Some(Report {
        template,
        diagnostic: with_help(diagnostic, help).kind(Kind::Template),
    })
}

/// Tera's message in utmost's words: an unknown template as every unknown
/// name is said (with the nearest known one), and no capital to begin with
/// (as every other message).
fn reword(message: &str, sources: &BTreeMap<String, TemplateSource>) -> (String, Option<String>) {
    if let Some(name) = message
        .strip_prefix("Unknown template `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let unknown = Unknown::new(Name::Template, name, sources.keys().map(String::as_str));
        return (unknown.message, Some(unknown.help));
    }
    let mut chars = message.chars();
    let lowered = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(message[first.len_utf8()..].chars())
            .collect(),
        _ => message.to_string(),
    };
    (lowered, None)
}

fn with_help(d: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(templates: &[(&str, &str)]) -> BTreeMap<String, TemplateSource> {
        templates
            .iter()
            .map(|(name, text)| {
                let source = TemplateSource {
                    path: std::path::Path::new("themes/plain/templates").join(name),
                    text: text.to_string(),
                };
                (name.to_string(), source)
            })
            .collect()
    }

    /// What loading `templates` reports.
    fn load(templates: &[(&str, &str)]) -> Vec<Report> {
        let all = sources(templates);
        let mut tera = tera::Tera::default();
        let error = tera
            .add_raw_templates(templates.iter().copied())
            .unwrap_err();
        reports(&error, &all, None)
    }

    #[test]
    fn checks_made_at_load_are_each_placed_and_said_once() {
        let found: Vec<String> = load(&[
            ("a.html", "one\n{{ x | nope }}\n"),
            ("b.html", "{% include \"gone.html\" %}\n{{ y | nada }}"),
        ])
        .iter()
        .map(|r| r.diagnostic.render(false))
        .collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].starts_with("error: unknown filter `nope`\n"),
            "{}",
            found[0]
        );
        assert!(
            found[0].contains("--> themes/plain/templates/a.html:2:8"),
            "{}",
            found[0]
        );
        assert!(found[0].contains("  |        ^^^^\n"), "{}", found[0]);
        assert!(found.iter().all(|f| !f.contains("error: error")));
        assert!(
            found[1].contains("unknown template `gone.html`"),
            "{}",
            found[1]
        );
    }

    #[test]
    fn a_missing_parent_is_an_unknown_template() {
        let found = load(&[
            ("page.html", "{% extends \"bsae.html\" %}"),
            ("base.html", ""),
        ]);
        let d = &found[0].diagnostic;
        assert_eq!(d.message, "unknown template `bsae.html`");
        assert_eq!(d.help.as_deref(), Some("did you mean `base.html`?"));
        assert_eq!((d.line, d.column), (1, 1));
    }
}
