//! Zola's shortcode escapes: `{{/* name(…) */}}` and `{%/* name(…) */%}`
//! (and `{%/* end */%}`) print the call itself, `{{ name(…) }}`, so a page
//! can show how a shortcode is written. They are found everywhere, in
//! fenced code too (where documentation shows them), and never run.

use std::ops::Range;

/// An escaped call: where it is and the literal text it prints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Escape {
    pub span: Range<usize>,
    pub literal: String,
}

/// Every escaped call in `text`, in order.
pub(crate) fn find(text: &str) -> Vec<Escape> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = memchr::memmem::find(&text.as_bytes()[from..], b"/*") {
        let at = from + rel;
        from = at + 2;
        let Some(open) = at.checked_sub(2).and_then(|s| text.get(s..at)) else {
            continue;
        };
        let close = match open {
            "{{" => "*/}}",
            "{%" => "*/%}",
            _ => continue,
        };
        let Some(len) = text[from..].find(close) else {
            continue;
        };
        let inner = &text[from..from + len];
        if !is_call(inner, open == "{%") {
            continue;
        }
        let end = from + len + close.len();
        found.push(Escape {
            span: at - 2..end,
            literal: format!("{open}{inner}{}", &close[2..]),
        });
        from = end;
    }
    found
}

/// Whether `inner` (between `/*` and `*/`) is a call, `name(…)`, or, in a
/// block tag, `end`: what Zola's grammar takes for an escape.
fn is_call(inner: &str, block: bool) -> bool {
    let inner = inner.trim();
    if block && inner == "end" {
        return true;
    }
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && inner[name_len..].trim_start().starts_with('(')
        && inner.ends_with(')')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(text: &str) -> Vec<String> {
        find(text).into_iter().map(|e| e.literal).collect()
    }

    #[test]
    fn escapes_print_the_call_as_zola_does() {
        let text = "a {{/* youtube(id=\"x\") */}} b\n```\n{%/* note(kind=[1, 2]) */%}\nHi\n{%/* end */%}\n```\n";
        assert_eq!(
            literals(text),
            [
                "{{ youtube(id=\"x\") }}",
                "{% note(kind=[1, 2]) %}",
                "{% end %}"
            ]
        );
        let first = &find(text)[0];
        assert_eq!(&text[first.span.clone()], "{{/* youtube(id=\"x\") */}}");
    }

    #[test]
    fn comments_that_are_no_calls_are_left_alone() {
        assert!(literals("{{/* just a note */}} {%/* end of it */%} /* x */ {{/*").is_empty());
        assert!(literals("{{/* 2x() */}} {{/* end */}}").is_empty());
        assert_eq!(literals("{{/*f()*/}}"), ["{{f()}}"]);
    }
}
