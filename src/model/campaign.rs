//! Campaigns and campaign-tagged URLs.
//!
//! A [`Campaign`] comes from `[campaigns.<id>]` in site.toml. This module
//! owns how UTM values are normalised (so one campaign never shows up under
//! two spellings) and how a tagged URL is built. It knows nothing of pages or
//! templates: callers pass the target URL and the tags.

use serde::Serialize;

/// One campaign of the registry. Serialized as templates (`campaign`),
/// the manifest and `utmost campaigns` show it, channels left out (they
/// show as the campaign's links).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Campaign {
    pub id: String,
    pub name: String,
    /// Normalised with [`normalize_utm`].
    pub utm_campaign: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub owner: Option<String>,
    /// What its short links' codes start with (`short = "spring"`).
    pub short: Option<String>,
    #[serde(skip_serializing)]
    pub channels: Vec<Channel>,
}

/// Where a campaign's links are posted: `utm_source` and `utm_medium`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Channel {
    pub source: String,
    pub medium: String,
}

/// What a printed one-pager's QR code tags its links with: `utm_source`
/// and `utm_medium` (DESIGN.md's "Sales collateral").
pub(crate) const PRINT_SOURCE: &str = "one-pager";
pub(crate) const PRINT_MEDIUM: &str = "print";

/// The UTM tags of one link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tags<'a> {
    pub source: &'a str,
    pub medium: &'a str,
    pub campaign: &'a str,
    pub content: Option<&'a str>,
}

/// Lowercases and keeps letters, digits and `._-`; any other run of characters becomes
/// one `_`. `Spring Launch!` and `spring_launch` both give `spring_launch`.
pub(crate) fn normalize_utm(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut gap = false;
    for c in value.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// Whether a `utm_campaign` is written the one way links carry it: as
/// [`normalize_utm`] makes it, with one kind of separator (`spring_launch`
/// or `spring-launch`, not `spring-launch_2026`). `Err` holds the spelling
/// to write instead. A value is checked rather than rewritten because the
/// same campaign is also typed by hand in ad platforms and CRMs: the
/// registry must say exactly what its links say.
pub(crate) fn check_utm_spelling(value: &str) -> Result<(), String> {
    let normal = normalize_utm(value);
    let mixed = normal.contains('-') && normal.contains('_');
    match (normal == value, mixed) {
        (true, false) => Ok(()),
        (_, true) => Err(normal.replace('-', "_")),
        (false, false) => Err(normal),
    }
}

/// `url` with the UTM tags appended to its query, before any `#fragment`.
pub(crate) fn tag_url(url: &str, tags: &Tags<'_>) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = String::with_capacity(base.len() + 96);
    out.push_str(base);
    let mut sep = if base.contains('?') { '&' } else { '?' };
    let mut push = |name: &str, value: &str| {
        out.push(sep);
        out.push_str(name);
        out.push('=');
        out.push_str(&encode_query_value(&normalize_utm(value)));
        sep = '&';
    };
    push("utm_source", tags.source);
    push("utm_medium", tags.medium);
    push("utm_campaign", tags.campaign);
    if let Some(content) = tags.content {
        push("utm_content", content);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(crate) fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spellings_to_one() {
        assert_eq!(normalize_utm("Spring Launch"), "spring_launch");
        assert_eq!(normalize_utm("  spring_launch "), "spring_launch");
        assert_eq!(normalize_utm("Paid-Social"), "paid-social");
        assert_eq!(normalize_utm("LinkedIn / Ads!"), "linkedin_ads");
        assert_eq!(normalize_utm("Été 2026"), "été_2026");
        assert_eq!(normalize_utm(""), "");
    }

    #[test]
    fn utm_spelling_is_one_case_and_one_separator() {
        assert_eq!(check_utm_spelling("spring_launch_2026"), Ok(()));
        assert_eq!(check_utm_spelling("spring-launch"), Ok(()));
        assert_eq!(check_utm_spelling("v1.2"), Ok(()));
        assert_eq!(
            check_utm_spelling("Spring_Launch"),
            Err("spring_launch".into())
        );
        assert_eq!(
            check_utm_spelling("spring launch"),
            Err("spring_launch".into())
        );
        assert_eq!(
            check_utm_spelling("spring-launch_2026"),
            Err("spring_launch_2026".into())
        );
        assert_eq!(
            check_utm_spelling("Spring-Launch 2026"),
            Err("spring_launch_2026".into())
        );
    }

    #[test]
    fn tags_urls_before_fragment_and_after_query() {
        let tags = Tags {
            source: "LinkedIn",
            medium: "paid-social",
            campaign: "spring_launch_2026",
            content: Some("b"),
        };
        assert_eq!(
            tag_url("https://a.example/spring/#form", &tags),
            "https://a.example/spring/?utm_source=linkedin&utm_medium=paid-social&utm_campaign=spring_launch_2026&utm_content=b#form"
        );
        let tags = Tags {
            content: None,
            ..tags
        };
        assert_eq!(
            tag_url("https://a.example/?x=1", &tags),
            "https://a.example/?x=1&utm_source=linkedin&utm_medium=paid-social&utm_campaign=spring_launch_2026"
        );
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode_query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
