//! A shortcode's body as its template gets it, as Zola makes it: the calls
//! nested in it run first, their output put in their place (HTML or
//! Markdown alike), and its escaped calls print themselves.

use std::ops::Range;

use crate::markdown::Problem;
use crate::markdown::escape;
use crate::markdown::shortcode::{self, Call};
use crate::markdown::slots::Fill;

/// `body` with its nested calls rendered by `render` and its escapes
/// printed; problems are placed in `body`'s own offsets.
pub(crate) fn expand(
    body: &str,
    render: &dyn Fn(&Call) -> Result<Fill, Problem>,
) -> (String, Vec<Problem>) {
    let (calls, syntax) = shortcode::find(body);
    let mut problems: Vec<Problem> = (syntax.into_iter())
        .map(|e| Problem {
            span: e.span,
            message: e.message,
            help: None,
            kind: crate::diagnostic::Kind::Shortcode,
        })
        .collect();
    let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
    for call in &calls {
        let out = match render(call) {
            Ok(Fill::Html(s) | Fill::Markdown(s)) => s,
            Err(p) => {
                problems.push(p);
                String::new()
            }
        };
        pieces.push((call.span.clone(), out));
    }
    let inside_call = |r: &Range<usize>| calls.iter().any(|c| c.span.contains(&r.start));
    for e in escape::find(body)
        .into_iter()
        .filter(|e| !inside_call(&e.span))
    {
        pieces.push((e.span, e.literal));
    }
    pieces.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, text) in pieces {
        out.push_str(&body[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&body[at..]);
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_calls_run_first_and_escapes_print() {
        let render = |call: &Call| match call.name.as_str() {
            "b" => Ok(Fill::Html(format!(
                "<b>{}</b>",
                call.body.as_deref().unwrap_or("")
            ))),
            "md" => Ok(Fill::Markdown("*m*".into())),
            other => Err(Problem {
                span: call.span.clone(),
                message: format!("unknown `{other}`"),
                help: None,
                kind: crate::diagnostic::Kind::Shortcode,
            }),
        };
        let body = "x {% b() %}in{% end %} {{ md() }} {{/* b() */}} {{ nope() }}";
        let (out, problems) = expand(body, &render);
        assert_eq!(out, "x <b>in</b> *m* {{ b() }} ");
        assert_eq!(problems.len(), 1);
        assert_eq!(&body[problems[0].span.clone()], "{{ nope() }}");
    }
}
