//! A TOML grammar for the highlighter, which has none of its own: Zola's
//! and utmost's content is full of `toml` blocks (site.toml, front matter).
//!
//! One context of single-line patterns (syntect lets a program build
//! grammars, but not ones that push and pop contexts): comments, table
//! headers, keys, strings, dates, numbers and booleans, scoped as the
//! TextMate TOML grammars scope them, so the theme's CSS colours them like
//! any language. A multi-line string is coloured line by line where a line
//! holds its quotes.

use std::collections::HashMap;

use syntect::parsing::syntax_definition::{Context, MatchOperation, MatchPattern, Pattern};
use syntect::parsing::{Scope, SyntaxDefinition};

/// The patterns, first match wins at each position: (regex, scope).
const PATTERNS: [(&str, &str); 11] = [
    (r"#[^\n]*", "comment.line.number-sign.toml"),
    (r"^\s*\[\[[^\]\n]*\]\]", "entity.name.section.array.toml"),
    (r"^\s*\[[^\]\n]*\]", "entity.name.section.table.toml"),
    (
        r#"(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*(?=\s*=)"#,
        "entity.name.tag.key.toml",
    ),
    (r#""""|'''"#, "string.quoted.triple.toml"),
    (r#""(?:[^"\\\n]|\\.)*""#, "string.quoted.double.basic.toml"),
    (r"'[^'\n]*'", "string.quoted.single.literal.toml"),
    (
        r"\b\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?\b|\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b",
        "constant.other.datetime.toml",
    ),
    (r"\b(?:true|false)\b", "constant.language.boolean.toml"),
    (
        r"[+-]?\b(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)\b|[+-]?\b(?:inf|nan)\b",
        "constant.numeric.toml",
    ),
    (r"=", "keyword.operator.assignment.toml"),
];

/// The TOML grammar, for `toml` blocks (and `.toml` names).
pub(crate) fn definition() -> Option<SyntaxDefinition> {
    let mut main = Context::new(true);
    for (regex, scope) in PATTERNS {
        let scope = Scope::new(scope).ok()?;
        main.patterns.push(Pattern::Match(MatchPattern::new(
            false,
            regex.to_string(),
            vec![scope],
            None,
            MatchOperation::None,
            None,
        )));
    }
    let scope = Scope::new("source.toml").ok()?;
    // The parser starts in `__start` (made from `main` by syntect's grammar
    // loader, which a program cannot call): here the same patterns, with the
    // file's scope around them.
    let mut start = main.clone();
    start.meta_content_scope = vec![scope];
    let contexts = [("main", main.clone()), ("__main", main), ("__start", start)];
    Some(SyntaxDefinition {
        name: "TOML".into(),
        file_extensions: vec!["toml".into(), "tml".into()],
        scope,
        first_line_match: None,
        hidden: false,
        variables: HashMap::new(),
        contexts: contexts
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .collect(),
    })
}
