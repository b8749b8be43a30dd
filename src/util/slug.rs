//! Slugs: making one from text (URL segments, heading ids, the `slugify`
//! filter), and checking that an id someone wrote is one.

/// Lowercase letters and digits; every other run becomes one `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
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
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Q2 — Webinar "), "q2-webinar");
        assert_eq!(slugify("snake_case"), "snake_case");
        assert_eq!(slugify("Été"), "été");
    }

    #[test]
    fn ids_are_lowercase_slugs() {
        assert!(is_slug("spring-launch-2026"));
        for bad in ["", "-a", "a-", "Spring", "a_b", "a b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
