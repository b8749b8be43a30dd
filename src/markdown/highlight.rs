//! Code blocks highlighted at build time, by syntect with Sublime Text's
//! grammars: the code becomes `<span>`s whose classes name its scopes
//! (`z-keyword z-control z-rust`; Zola's `z-` prefix), and the theme's CSS
//! colours them. No script runs in the reader's browser.
//!
//! The grammars are loaded once per process, the first time a page has a
//! code block with a language (about 20 ms; `serve` pays it once); a site
//! without such code never loads them.
//!
//! The patterns run on fancy-regex, which hands what it can to a
//! linear-time engine. Oniguruma (syntect's default) compiles them faster,
//! a one-page site with four languages building in 15 ms instead of 88,
//! but it backtracks: the TOML grammar's key pattern is tried at every
//! start position, and a page with a 20,000-character word in a `toml`
//! block took 4.6 s to build (10 ms here). A first use's few tens of
//! milliseconds are the price of a build that no line of code can stall;
//! a build pays them while its site is assembled (`warm_up.rs`).

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

/// The classes' prefix, Zola's.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "z-" };

/// The bundled grammars, as syntect ships them (loading them is fast;
/// adding to them means linking them all again, 160 ms).
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// utmost's own grammars, apart: TOML.
fn own_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        if let Some(toml) = super::toml_grammar::definition() {
            builder.add(toml);
        }
        builder.build()
    })
}

/// The grammar for `lang` and the set it belongs to.
fn find(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    if lang.is_empty() {
        return None;
    }
    let lang = alias(lang);
    [own_syntaxes(), syntaxes()]
        .into_iter()
        .find_map(|set| Some((set.find_syntax_by_token(lang)?, set)))
}

/// Names a fenced block may give that the grammars know by another.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "zsh" => "bash",
        "jinja" | "jinja2" | "tera" | "j2" => "html",
        "yml" => "yaml",
        "rs" => "rust",
        "ts" | "typescript" | "jsx" => "js",
        "golang" => "go",
        other => other,
    }
}

/// Whether the grammars know `lang` (loading them the first time).
pub(crate) fn knows(lang: &str) -> bool {
    find(lang).is_some()
}

/// `code` as highlighted HTML, when its language (a fenced block's first
/// word: `rust`, `rs`, `js`, `html`…) is one the grammars know.
pub(crate) fn highlight(code: &str, lang: &str) -> Option<String> {
    let (syntax, set) = find(lang)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_is_known_too() {
        let html = highlight(
            "# Site\n[extra]\ntitle = \"A \\\"b\\\"\" # c\nn.m = 1_000\nd = 2026-01-02\nok = true\n",
            "toml",
        )
        .unwrap();
        for part in [
            "<span class=\"z-comment z-line z-number-sign z-toml\"># Site",
            "<span class=\"z-entity z-name z-section z-table z-toml\">[extra]</span>",
            "<span class=\"z-entity z-name z-tag z-key z-toml\">title</span>",
            "<span class=\"z-string z-quoted z-double z-basic z-toml\">&quot;A \\&quot;b\\&quot;&quot;</span>",
            "<span class=\"z-comment z-line z-number-sign z-toml\"># c",
            "<span class=\"z-entity z-name z-tag z-key z-toml\">n.m</span>",
            "<span class=\"z-constant z-numeric z-toml\">1_000</span>",
            "<span class=\"z-constant z-other z-datetime z-toml\">2026-01-02</span>",
            "<span class=\"z-constant z-language z-boolean z-toml\">true</span>",
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
    }

    #[test]
    fn known_languages_become_classed_spans() {
        let html = highlight("fn main() { let s = \"<hi>\"; }\n", "rust").unwrap();
        assert!(
            html.contains("<span class=\"z-storage z-type z-function z-rust\">fn</span>"),
            "{html}"
        );
        assert!(html.contains("&lt;hi&gt;"), "escaped: {html}");
        assert!(!html.contains("<hi>"), "{html}");
        assert!(highlight("echo hi\n", "sh").is_some());
        assert!(highlight("{{ page.title }}\n", "jinja2").is_some());
        assert!(highlight("x\n", "no-such-language").is_none());
        // The languages docs/themes.md names.
        for lang in [
            "rust", "js", "python", "bash", "sh", "html", "css", "json", "yaml", "go", "java", "c",
            "sql", "markdown", "tera",
        ] {
            assert!(knows(lang), "{lang}");
        }
        assert!(knows("toml") && knows("TOML") && !knows(""));
    }
}
