//! Slugs: making one from text (URL segments, heading ids, the `slugify`
//! filter), and checking that an id someone wrote is one.
//!
//! A slug is ASCII, as Zola's default (`slugify.paths = "on"`) makes it:
//! letters are transliterated (`Café Über` → `cafe-uber`, `日本` →
//! `ri-ben`), lowercased, and every run of anything but `a-z0-9` becomes
//! one `-`. Transliteration is deunicode's, the crate Zola's slugs use
//! (through the `slug` crate), so that content moving over from Zola keeps
//! its URLs and heading anchors.

/// `text` as a slug: `[a-z0-9-]`, no `-` at either end (empty when `text`
/// has no letter or digit).
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Starts as if after a dash, so that none leads.
    let mut after_dash = true;
    let mut push = |b: u8| match b {
        b'a'..=b'z' | b'0'..=b'9' => {
            out.push(char::from(b));
            after_dash = false;
        }
        b'A'..=b'Z' => {
            out.push(char::from(b.to_ascii_lowercase()));
            after_dash = false;
        }
        _ if !after_dash => {
            out.push('-');
            after_dash = true;
        }
        _ => {}
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c as u8);
        } else {
            deunicode::deunicode_char(c)
                .unwrap_or("-")
                .bytes()
                .for_each(&mut push);
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    out
}

/// `[a-z0-9-]+`, not starting or ending with `-`.
pub(crate) fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies() {
        for (text, slug) in [
            ("Hello, World!", "hello-world"),
            ("  Q2 — Webinar ", "q2-webinar"),
            ("snake_case", "snake-case"),
            ("Café Über", "cafe-uber"),
            ("Été", "ete"),
            ("日本", "ri-ben"),
            ("test (hey)", "test-hey"),
            ("-- ¿Qué? --", "que"),
            ("!!!", ""),
        ] {
            assert_eq!(slugify(text), slug, "{text}");
        }
    }

    #[test]
    fn ids_are_lowercase_slugs() {
        assert!(is_slug("spring-launch-2026"));
        for bad in ["", "-a", "a-", "Spring", "a_b", "a b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
