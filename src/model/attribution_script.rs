//! The inline script that every HTML page carries (its source is
//! `attribution.js` beside this file): it keeps the visitor's touches, so
//! that any page works as a landing page, and fills every form's hidden
//! attribution fields.
//!
//! The first touch (the first visit's parameters, landing page, referrer and
//! time) and the last touch (the latest visit that carried parameters) are
//! kept in localStorage for `window_days`; no cookie is set. Values are only
//! ever assigned to `input.value`, so a query string cannot inject markup.
//! Touch inputs are found by their `data-utmost-touch` attribute, so a
//! renamed field is filled like any other; a HubSpot form's `hs_context` gets
//! `hutk` (from HubSpot's own `hubspotutk` cookie, when there is one),
//! `pageUrl` and `pageName`.
//!
//! Stored values are checked like the URL's (known names, strings, at most
//! 500 characters; a time in the future or outside the window is dropped),
//! and each form is filled on its own, so no stored value can stop a form
//! from being filled.

use crate::model::forms::TOUCH_FIELDS;

const SOURCE: &str = include_str!("attribution.js");

/// The script, for a first touch kept `window_days` days: the source
/// without its comment lines and indentation, as every page carries it.
pub(crate) fn script(window_days: u32) -> String {
    let names = TOUCH_FIELDS
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(",");
    let mut out = String::with_capacity(SOURCE.len());
    for line in SOURCE.lines().map(str::trim) {
        if !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.replace("WINDOW_DAYS", &window_days.to_string())
        .replace("TOUCH_NAMES", &names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_lists_touch_fields_and_window() {
        let s = script(30);
        assert!(s.contains("var W = 30 * 864e5"));
        assert!(s.contains("\"li_fat_id\""));
        assert!(!s.contains("innerHTML"));
        assert!(s.starts_with("<script data-utmost=\"attribution\">"));
    }

    #[test]
    fn the_docs_state_the_size_every_page_pays() {
        let size = format!("{} bytes", script(90).len());
        for (name, text) in [
            (
                "README.md",
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")),
            ),
            (
                "docs/reference.md",
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md")),
            ),
        ] {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&size),
                "{name} should say the script is {size}"
            );
        }
    }
}
