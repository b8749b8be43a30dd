//! Finding Zola-syntax shortcodes in Markdown: `{{ name(key="v", n=1) }}`
//! and `{% name(key="v") %}body{% end %}`.
//!
//! Pure text scanning: this module returns where each call is and its
//! arguments; `markdown/mod.rs` places them, and `render/body.rs` renders them through the theme. Calls inside
//! fenced code blocks are left alone, so documentation can show the syntax.

use std::ops::Range;

/// A shortcode argument value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `[1, "two", [3]]`, as Zola takes them.
    Array(Vec<Arg>),
}

/// One shortcode call found in a text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    pub args: Vec<(String, Arg)>,
    pub body: Option<String>,
    /// Which call of this shortcode in the text it is, from 1 (Zola's
    /// `nth`).
    pub nth: usize,
    /// Where its body starts in the text (just after its opening tag).
    pub body_at: usize,
    /// Byte range of the whole call (with its body and `{% end %}`).
    pub span: Range<usize>,
}

/// A malformed call: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// Every call in `text`, in order, or the syntax errors found.
pub(crate) fn find(text: &str) -> (Vec<Call>, Vec<SyntaxError>) {
    let fences = fenced_ranges(text);
    let in_fence = |i: usize| fences.iter().any(|r| r.contains(&i));
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while let Some(found) = next_open(text, i) {
        let (start, block) = found;
        if in_fence(start) {
            i = start + 2;
            continue;
        }
        match parse_call(text, start, block) {
            Ok(Some(mut call)) => {
                i = call.span.end;
                call.nth = 1 + calls.iter().filter(|c: &&Call| c.name == call.name).count();
                calls.push(call);
            }
            Ok(None) if block && is_end(text, start).is_some() => {
                let end = is_end(text, start).unwrap_or(start + 2);
                errors.push(SyntaxError {
                    message: "`{% end %}` without an opening shortcode".into(),
                    span: start..end,
                });
                i = end;
            }
            Ok(None) => i = start + 2,
            Err(e) => {
                i = e.span.end.max(start + 2);
                errors.push(e);
            }
        }
    }
    (calls, errors)
}

/// The next `{{` or `{%` at or after `from`, and whether it is `{%`.
fn next_open(text: &str, from: usize) -> Option<(usize, bool)> {
    let rest = text.get(from..)?;
    let pos = rest.find('{').map(|p| from + p)?;
    match text.as_bytes().get(pos + 1) {
        Some(b'{') => Some((pos, false)),
        Some(b'%') => Some((pos, true)),
        _ => next_open(text, pos + 1),
    }
}

/// Parses a call at `start`. `Ok(None)` when the braces do not open a
/// shortcode call at all (plain text such as `{{ not a call }}`).
fn parse_call(text: &str, start: usize, block: bool) -> Result<Option<Call>, SyntaxError> {
    let mut p = Parser {
        text,
        pos: start + 2,
    };
    p.skip_ws();
    let name_start = p.pos;
    let name = p.ident();
    if name.is_empty() || !p.eat("(") {
        return Ok(None);
    }
    if block && name == "end" {
        return Err(p.error(start, "`{% end %}` without an opening shortcode"));
    }
    let mut args = Vec::new();
    loop {
        p.skip_ws();
        if p.eat(")") {
            break;
        }
        if !args.is_empty() && !p.eat(",") {
            return Err(p.error(start, "expected `,` or `)` between shortcode arguments"));
        }
        p.skip_ws();
        if p.eat(")") {
            break;
        }
        let key = p.ident();
        if key.is_empty() {
            return Err(p.error(start, "expected an argument name like `form=\"demo\"`"));
        }
        p.skip_ws();
        if !p.eat("=") {
            return Err(p.error(start, format!("expected `=` after argument `{key}`")));
        }
        p.skip_ws();
        let value = p.value().map_err(|m| p.error(start, m))?;
        args.push((key, value));
    }
    p.skip_ws();
    let close = if block { "%}" } else { "}}" };
    if !p.eat(close) {
        return Err(p.error(
            start,
            format!("expected `{close}` to close shortcode `{name}`"),
        ));
    }
    let _ = name_start;
    let mut end = p.pos;
    let body_at = end;
    let body = if block {
        let (body, after) = find_end(text, end).ok_or_else(|| SyntaxError {
            message: format!("shortcode `{name}` has no `{{% end %}}`"),
            span: start..end,
        })?;
        end = after;
        Some(body.to_string())
    } else {
        None
    };
    Ok(Some(Call {
        name,
        args,
        body,
        nth: 0,
        body_at,
        span: start..end,
    }))
}

/// The offset just after `{% end %}` when one starts at `at`.
fn is_end(text: &str, at: usize) -> Option<usize> {
    let mut p = Parser { text, pos: at + 2 };
    p.skip_ws();
    if !p.eat("end") {
        return None;
    }
    p.skip_ws();
    p.eat("%}").then_some(p.pos)
}

/// The body up to its `{% end %}` and the offset just after it: the next
/// `{% end %}` that does not close a call nested in the body (Zola nests
/// them).
fn find_end(text: &str, from: usize) -> Option<(&str, usize)> {
    let mut i = from;
    while let Some(rel) = text[i..].find("{%") {
        let at = i + rel;
        if let Some(after) = is_end(text, at) {
            return Some((&text[from..at], after));
        }
        i = match parse_call(text, at, true) {
            Ok(Some(nested)) => nested.span.end,
            _ => at + 2,
        };
    }
    None
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> String {
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        let id = self.rest()[..len].to_string();
        self.pos += len;
        id
    }

    fn value(&mut self) -> Result<Arg, String> {
        if self.eat("[") {
            return self.array();
        }
        let rest = self.rest();
        if let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        {
            let mut out = String::new();
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                match (escaped, c) {
                    (true, c) => {
                        out.push(c);
                        escaped = false;
                    }
                    (false, '\\') => escaped = true,
                    (false, c) if c == quote => {
                        self.pos += i + 1;
                        return Ok(Arg::Str(out));
                    }
                    (false, c) => out.push(c),
                }
            }
            return Err("string argument is not closed".into());
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let numeric =
            word.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
        let value = match word {
            "true" => Arg::Bool(true),
            "false" => Arg::Bool(false),
            _ => match (word.parse::<i64>(), word.parse::<f64>()) {
                (Ok(i), _) => Arg::Int(i),
                (_, Ok(f)) if numeric && f.is_finite() => Arg::Float(f),
                _ => {
                    return Err(format!(
                        "argument value `{word}` is not a string, number, boolean or array (quote strings)"
                    ));
                }
            },
        };
        self.pos += len;
        Ok(value)
    }

    /// The rest of an array after its `[`: values, each followed by a
    /// comma but for the last, then `]`.
    fn array(&mut self) -> Result<Arg, String> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.eat("]") {
                return Ok(Arg::Array(items));
            }
            if self.rest().is_empty() {
                return Err("array argument is not closed: expected `]`".into());
            }
            items.push(self.value()?);
            self.skip_ws();
            if !self.eat(",") && !self.rest().starts_with(']') {
                return Err("expected `,` or `]` between array items".into());
            }
        }
    }

    fn error(&self, start: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            span: start..self.pos.max(start + 2),
        }
    }
}

/// Whether a shortcode's template uses `body` (the text between a call's
/// `{% name() %}` and `{% end %}`): whether the name appears as a variable
/// in one of its tags, outside strings and not after a `.`.
pub(crate) fn uses_body(template: &str) -> bool {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let end = after.find(close).unwrap_or(after.len());
        if names_variable(&after[1..end], "body") {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// Whether `name` is a variable of the template expression `code`.
fn names_variable(code: &str, name: &str) -> bool {
    let mut chars = code.char_indices().peekable();
    let mut previous = ' ';
    while let Some((i, c)) = chars.next() {
        if matches!(c, '"' | '\'' | '`') {
            while let Some((_, d)) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == c {
                    break;
                }
            }
            previous = c;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            if &code[i..end] == name && previous != '.' {
                return true;
            }
            previous = 'a';
            continue;
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    false
}

/// Byte ranges of fenced code blocks (``` or ~~~), fences included.
fn fenced_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (open, fence) {
            (None, Some(f)) => open = Some((offset, f)),
            (Some((start, f)), Some(g))
                if f == g
                    && trimmed
                        .trim_end()
                        .chars()
                        .all(|c| c == f.as_bytes()[0] as char) =>
            {
                ranges.push(start..offset + line.len());
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((start, _)) = open {
        ranges.push(start..text.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_body_calls() {
        let text = "a {{ cta(form=\"demo\", big=true, n=2) }} b\n{% quote(author='Ana') %}Hi *there*{% end %}\n";
        let (calls, errors) = find(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "cta");
        assert_eq!(
            calls[0].args,
            vec![
                ("form".into(), Arg::Str("demo".into())),
                ("big".into(), Arg::Bool(true)),
                ("n".into(), Arg::Int(2))
            ]
        );
        assert_eq!(
            &text[calls[0].span.clone()],
            "{{ cta(form=\"demo\", big=true, n=2) }}"
        );
        assert_eq!(calls[1].body.as_deref(), Some("Hi *there*"));
        assert!(text[calls[1].span.clone()].ends_with("{% end %}"));
    }

    #[test]
    fn takes_arrays_as_zola_does_and_counts_calls_by_name() {
        let text = "{{ gif(sources=[\"a.mp4\", 'b.webm',], sizes=[[1, 2.5], []], on=true) }} {{ gif(sources=[]) }}";
        let (calls, errors) = find(text);
        assert!(errors.is_empty(), "{errors:?}");
        let strings = Arg::Array(vec![Arg::Str("a.mp4".into()), Arg::Str("b.webm".into())]);
        let nested = Arg::Array(vec![
            Arg::Array(vec![Arg::Int(1), Arg::Float(2.5)]),
            Arg::Array(vec![]),
        ]);
        assert_eq!(calls[0].args[0], ("sources".into(), strings));
        assert_eq!(calls[0].args[1], ("sizes".into(), nested));
        assert_eq!((calls[0].nth, calls[1].nth), (1, 2));
        let json = serde_json::to_string(&calls[0].args[1].1).unwrap();
        assert_eq!(json, "[[1,2.5],[]]");
        let (_, e) = find("{{ gif(sources=[\"a\" \"b\"]) }}");
        assert!(e[0].message.contains("expected `,` or `]`"), "{e:?}");
        let (_, e) = find("{{ gif(sources=[1, 2) }}");
        assert!(
            e[0].message.contains("`)` is not") || e[0].message.contains("expected"),
            "{e:?}"
        );
        let (_, e) = find("{{ gif(sources=[1,");
        assert!(e[0].message.contains("not closed"), "{e:?}");
    }

    #[test]
    fn bodies_hold_nested_calls_as_in_zola() {
        let text = "{% outer() %}a {% inner() %}b{% end %} c{% end %} {% end %}";
        let (calls, errors) = find(text);
        assert_eq!(calls.len(), 1);
        assert_eq!(
            calls[0].body.as_deref(),
            Some("a {% inner() %}b{% end %} c")
        );
        assert_eq!(&text[calls[0].body_at..calls[0].body_at + 2], "a ");
        assert_eq!(errors.len(), 1, "the last end closes nothing: {errors:?}");
    }

    #[test]
    fn leaves_plain_braces_and_code_alone() {
        let text = "{{ not a call }} and {x}\n```\n{{ cta(form=\"x\") }}\n```\n";
        let (calls, errors) = find(text);
        assert!(calls.is_empty() && errors.is_empty());
    }

    #[test]
    fn knows_whether_a_template_uses_the_body() {
        assert!(uses_body("<q>{{ body | markdown | safe }}</q>"));
        assert!(uses_body("{% if body %}{{ body }}{% endif %}"));
        assert!(uses_body("{%- set text = body -%}"));
        assert!(!uses_body("<a href=\"{{ url }}\">{{ text }}</a> body"));
        assert!(!uses_body("{{ page.body }} {{ \"body\" }} {{ nobody }}"));
        assert!(!uses_body("{# body #}"));
    }

    #[test]
    fn reports_malformed_calls() {
        let (_, e) = find("{{ cta(form=demo) }}");
        assert!(e[0].message.contains("`demo` is not a string"), "{e:?}");
        let (_, e) = find("{{ cta(form=\"x\" }}");
        assert!(e[0].message.contains("expected `,` or `)`"), "{e:?}");
        let (_, e) = find("{% quote() %}never closed");
        assert!(e[0].message.contains("has no `{% end %}`"), "{e:?}");
        let (_, e) = find("{{ cta(n=nan) }}");
        assert!(e[0].message.contains("`nan` is not a string"), "{e:?}");
        let (_, e) = find("{{ cta(form=\"x) }}");
        assert!(e[0].message.contains("not closed"), "{e:?}");
        let (c, e) = find("a {% end %} b {%end%}");
        assert!(c.is_empty());
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].message, "`{% end %}` without an opening shortcode");
    }
}
