//! Rules every URL a site puts out obeys, wherever it was written.
//!
//! - No URL that reaches an `href`, `src`, `action` (or another attribute
//!   a browser follows) runs script: one pass over every finished page
//!   ([`find_script_url`]) catches it whatever its source: Markdown, front
//!   matter, site.toml, a shortcode's arguments or a theme template. The
//!   earlier checks (Markdown links, front matter, site.toml) stay, for
//!   their exact positions; this pass is the rule nothing gets around.
//! - The base URL (`base_url`, `--base-url`) holds no whitespace and no
//!   control character: it is pasted into every permalink, the sitemap and
//!   robots.txt, where a newline would forge a line.

use std::borrow::Cow;
use std::ops::{ControlFlow, Range};

use crate::util::tags::{self, Attributes, Visitor};

/// Attributes whose value a browser loads or follows as a URL.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
];

/// A URL attribute of a page whose value would run script.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ScriptUrl {
    pub attribute: String,
    /// The value as written in the page.
    pub value: String,
}

/// The first attribute of `html` that would run script when followed.
pub(crate) fn find_script_url(html: &str) -> Option<ScriptUrl> {
    struct Find;
    impl<'a> Visitor<'a> for Find {
        type Stop = ScriptUrl;
        fn tag(&mut self, _: &'a str, attributes: &mut Attributes<'a>) -> ControlFlow<ScriptUrl> {
            attributes.try_for_each(|(name, value)| check_url_attribute(name, value))
        }
    }
    tags::visit(html, &mut Find).break_value()
}

/// Stops at attribute `name` when a browser follows it as a URL and
/// `value` (as written in the page) would run script.
pub(crate) fn check_url_attribute(name: &str, value: &str) -> ControlFlow<ScriptUrl> {
    let followed = URL_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(name));
    match followed && is_script_url(&decode_references(value)) {
        true => ControlFlow::Break(ScriptUrl {
            attribute: name.to_ascii_lowercase(),
            value: value.to_string(),
        }),
        false => ControlFlow::Continue(()),
    }
}

/// An attribute value as a browser reads it: numeric character references
/// (`&#106;`, `&#x6A`, the `;` optional) and the named ones that can spell
/// a scheme (`&colon;`, `&Tab;`, `&NewLine;`) decoded, once.
pub(crate) fn decode_references(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (c, used) = reference(rest).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference at the start of `text` stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    for (name, c) in [
        ("&colon;", ':'),
        ("&Tab;", '\t'),
        ("&NewLine;", '\n'),
        ("&amp;", '&'),
    ] {
        if text.starts_with(name) {
            return Some((c, name.len()));
        }
    }
    let numeric = text.strip_prefix("&#")?;
    let (radix, digits_at) = match numeric.as_bytes().first() {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let digits: &str = &text[digits_at..];
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if len == 0 {
        return None;
    }
    let code = u32::from_str_radix(&digits[..len].chars().take(8).collect::<String>(), radix).ok();
    let c = code.and_then(char::from_u32).unwrap_or('\u{FFFD}');
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some((c, digits_at + len + semicolon))
}

/// Whether a string is a URL that would run script when followed
/// (`javascript:`, `vbscript:`, `data:text/html`), however it is spelled.
pub(crate) fn is_script_url(value: &str) -> bool {
    // Folded into a buffer on the stack (this runs on every link of every
    // page): blanks and controls dropped, lowercased, no more than the
    // longest prefix checked. A character that is not ASCII once
    // lowercased cannot be part of a prefix, so folding stops there.
    // Most links start with `/`, `#` or `https`: out at the first byte.
    if let Some(&first) = value.as_bytes().first()
        && first.is_ascii_graphic()
        && !matches!(first.to_ascii_lowercase(), b'j' | b'v' | b'd')
    {
        return false;
    }
    let mut folded = [0u8; 16];
    let mut len = 0;
    let kept = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control());
    for c in kept.flat_map(char::to_lowercase) {
        if len == folded.len() || !c.is_ascii() {
            break;
        }
        folded[len] = c as u8;
        len += 1;
    }
    let folded = &folded[..len];
    folded.starts_with(b"javascript:")
        || folded.starts_with(b"vbscript:")
        || folded.starts_with(b"data:text/html")
}

/// Whether `s` may be one segment of a URL path the site writes: not
/// empty, not `.` or `..`, without `/`, `\\`, blanks, control characters
/// or `?#%"<>`.
pub(crate) fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| {
            c == '/' || c == '\\' || c.is_control() || c.is_whitespace() || "?#%\"<>".contains(c)
        })
}

/// An absolute `http://` or `https://` URL with a host.
pub(crate) fn is_absolute_http(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    matches!(rest, Some(host) if !host.is_empty() && !host.starts_with('/'))
}

/// The first whitespace or control character of a URL: its byte offset,
/// and the character.
pub(crate) fn blank_or_control(url: &str) -> Option<(usize, char)> {
    url.char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control() || is_invisible(*c))
}

/// Characters that show nothing but change what a URL means or looks like.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// What the character is called in an error.
pub(crate) fn describe(c: char) -> String {
    let name = match c {
        ' ' => return "a space".into(),
        '\t' => "a tab",
        '\n' => "a line feed",
        '\r' => "a carriage return",
        '\u{1b}' => "an escape character",
        '\u{a0}' => "a no-break space",
        _ if c.is_whitespace() => "a blank",
        _ if c.is_control() => "a control character",
        _ => "an invisible character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

/// The message for a base URL with such a character at byte `at`.
pub(crate) fn base_url_message(key: &str, url: &str, at: usize, c: char) -> String {
    let position = url[..at].chars().count() + 1;
    format!(
        "{key} contains {} at character {position}; a URL may not contain whitespace or control characters",
        describe(c)
    )
}

/// Where, in the TOML source `literal` of a string value (quotes and
/// escapes included, starting at byte `start` of the file), the `n`-th
/// character of the value is written: the character itself when it is
/// written as is, else the first escape sequence; the whole literal when
/// neither is found.
pub(crate) fn span_in_literal(literal: &str, start: usize, value: &str, at: usize) -> Range<usize> {
    let c = value[at..].chars().next().unwrap_or(' ');
    let before = value[..at].matches(c).count();
    let whole = start..start + literal.len();
    if let Some((i, _)) = literal.match_indices(c).nth(before) {
        return start + i..start + i + c.len_utf8();
    }
    match literal.find('\\') {
        Some(i) => start + i..start + (i + 2).min(literal.len()),
        None => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_segments() {
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(!is_safe_segment("a b"));
        assert!(!is_safe_segment(""));
        assert!(is_safe_segment("spring-2026"));
    }

    #[test]
    fn script_urls_however_spelled() {
        assert!(is_script_url("javascript:alert(1)"));
        assert!(is_script_url("  JavaScript:alert(1)"));
        assert!(is_script_url("java\tscript:alert(1)"));
        assert!(is_script_url("data:text/html,<script>"));
        assert!(!is_script_url("https://example.com/javascript:"));
        assert!(!is_script_url("/pricing/"));
        assert!(is_script_url("\u{0}JAVA\nSCRIPT:x"));
        assert!(is_script_url("VBScript:x"));
        assert!(!is_script_url("javascrİpt:x"), "not a scheme to a browser");
        assert!(!is_script_url("données:text/html"));
        assert!(!is_script_url("javascript"));
    }

    #[test]
    fn finds_script_urls_in_any_url_attribute_however_written() {
        for page in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<A HREF='JavaScript:alert(1)'>x</A>",
            "<a href=javascript:alert(1)>x</a>",
            "<a title=\"x\" href = \" java\tscript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"&#x6A&#x61vascript&colon;alert(1)\">x</a>",
            "<a href=\"java&Tab;script:alert(1)\">x</a>",
            "<img src=\"vbscript:x\">",
            "<iframe src=\"data:text/html,<script>x</script>\"></iframe>",
            "<form action=\"javascript:x\"></form>",
            "<button formaction=\"javascript:x\">",
            "<svg><a xlink:href=\"javascript:x\"></a></svg>",
            "<object data=\"javascript:x\"></object>",
            "<!-- x --!><a href=\"javascript:alert(1)\">one</a>",
            "<!--><a href=\"javascript:x\">",
            "<svg><style><p><a href=\"javascript:alert(2)\">two</a></p></style></svg>",
            "<svg><textarea><a href=\"javascript:x\"></textarea></svg>",
            "<math><title><a href=\"javascript:x\"></title></math>",
        ] {
            assert!(find_script_url(page).is_some(), "{page}");
        }
    }

    #[test]
    fn leaves_everything_else_alone() {
        for page in [
            "<a href=\"https://example.com/javascript:\">x</a>",
            "<a href=\"/pricing/\" data-x=\"javascript:x\">x</a>",
            "<p>javascript:alert(1)</p>",
            "<a href=\"&amp;#106;avascript:x\">literal text</a>",
            "<script>location.href = \"javascript:x\"; if (a<b) {}</script><a href=\"/\">",
            "<!-- <a href=\"javascript:x\"> -->",
            "<textarea><a href=\"javascript:x\"></textarea>",
            "<svg></svg><style>a[href=\"javascript:x\"]{}</style>",
            "<a onclick=\"javascript:go()\" href=\"#\">x</a>",
            "<p>1 < 2 and <br/> x</p><img alt=\"a>b\" src=\"/a.png\">",
            "<a href=\"",
        ] {
            assert_eq!(find_script_url(page), None, "{page}");
        }
        let found = find_script_url("<p><a class=\"b\" href=\"javascript:x()\">").unwrap();
        assert_eq!(found.attribute, "href");
        assert_eq!(found.value, "javascript:x()");
    }

    #[test]
    fn finds_blanks_and_controls() {
        assert_eq!(blank_or_control("https://a.example"), None);
        assert_eq!(blank_or_control("https://a.example\n"), Some((17, '\n')));
        assert_eq!(blank_or_control("https://a b.example"), Some((9, ' ')));
        assert_eq!(
            blank_or_control("https://é\u{202e}x"),
            Some((10, '\u{202e}'))
        );
        assert_eq!(
            base_url_message("`base_url`", "https://é\tx", 10, '\t'),
            "`base_url` contains a tab (U+0009) at character 10; a URL may not contain whitespace or control characters"
        );
    }

    #[test]
    fn points_at_the_character_in_the_source() {
        let literal = "\"https://a b\"";
        assert_eq!(span_in_literal(literal, 100, "https://a b", 9), 110..111);
        let escaped = "\"https://a\\nb\"";
        assert_eq!(span_in_literal(escaped, 0, "https://a\nb", 9), 10..12);
    }
}
