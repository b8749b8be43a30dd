//! Filters of Tera 1 that Zola templates use and Tera 2 dropped:
//! `striptags` (the text of HTML, for descriptions and feeds) and
//! `urlencode` / `urlencode_strict` (a value in a URL).

use tera::{Kwargs, State, Tera};

use crate::model::campaign::encode_query_value;

/// Registers `striptags`, `urlencode` and `urlencode_strict`.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("striptags", |text: &str, _: Kwargs, _: &State| {
        strip_tags(text)
    });
    tera.register_filter("urlencode", |text: &str, _: Kwargs, _: &State| {
        url_encode(text, false)
    });
    tera.register_filter("urlencode_strict", |text: &str, _: Kwargs, _: &State| {
        url_encode(text, true)
    });
}

/// `html` without its tags and comments; entities are left as they are.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let opens_tag = (after[1..].chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let end = match (opens_tag, after.starts_with("<!--")) {
            (false, _) => None,
            (true, true) => after.find("-->").map(|e| e + 3),
            (true, false) => after.find('>').map(|e| e + 1),
        };
        match end {
            Some(end) => rest = &after[end..],
            None => {
                // A `<` that opens no tag is text.
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-encodes every byte but ASCII letters, digits and `-_.~`, and
/// `/` too unless `strict`.
fn url_encode(text: &str, strict: bool) -> String {
    match strict {
        true => encode_query_value(text),
        false => (text.split('/').map(encode_query_value))
            .collect::<Vec<_>>()
            .join("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_comments_only() {
        assert_eq!(
            strip_tags("<p>Fish &amp; <em>chips</em><!-- x > y --> 1 < 2</p>"),
            "Fish &amp; chips 1 < 2"
        );
    }

    #[test]
    fn encodes_as_tera_did() {
        assert_eq!(
            url_encode("/a b/é?x=1&y", false),
            "/a%20b/%C3%A9%3Fx%3D1%26y"
        );
        assert_eq!(url_encode("/a", true), "%2Fa");
    }
}
