//! Which column of an export holds which value: headers are matched
//! loosely, because every backend writes them its own way. HubSpot's export
//! heads a column with the property's label (`UTM Campaign`), a Salesforce
//! report with the field's API name (`UTM_Campaign__c`), a spreadsheet with
//! whatever a person typed (`utm-campaign`). All of them mean `utm_campaign`.

use std::collections::HashMap;

/// A header as it is matched: lowercase, without spaces, `-` or `_`,
/// without Salesforce's `__c` suffix of custom fields, and with a leading
/// "first touch" shortened to the `ft` of utmost's names.
pub(crate) fn header_key(header: &str) -> String {
    let lower = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    let base = lower.strip_suffix("__c").unwrap_or(&lower);
    let key: String = base
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '-' || *c == '_'))
        .collect();
    match key.strip_prefix("firsttouch") {
        Some(rest) if !rest.is_empty() => format!("ft{rest}"),
        _ => key,
    }
}

/// The columns a reader looks for, each known by its name and by aliases
/// (a form's `rename`, say), matched with [`header_key`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    names: Vec<String>,
    by_name: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl Columns {
    pub(crate) fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Columns {
        let mut columns = Columns::default();
        for name in names {
            let name = name.into();
            let i = columns.names.len();
            columns.by_key.entry(header_key(&name)).or_insert(i);
            columns.by_name.entry(name.clone()).or_insert(i);
            columns.names.push(name);
        }
        columns
    }

    /// [`Columns::new`], then each `(alias, name)` as [`Columns::alias`].
    pub(crate) fn with_aliases(names: &[&str], aliases: &[(&str, &str)]) -> Columns {
        let mut columns = Columns::new(names.iter().copied());
        for (alias, name) in aliases {
            columns.alias(alias, name);
        }
        columns
    }

    /// Makes `alias` another header of column `name` (a known column).
    pub(crate) fn alias(&mut self, alias: &str, name: &str) {
        if let Some(i) = self.position(name) {
            self.by_key.entry(header_key(alias)).or_insert(i);
        }
    }

    /// The column a header names, if any.
    pub(crate) fn index(&self, header: &str) -> Option<usize> {
        self.by_key.get(&header_key(header)).copied()
    }

    /// The index of a column by its own name.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_as_backends_write_them() {
        for header in [
            "utm_campaign",
            "UTM Campaign",
            "UTM_Campaign__c",
            "utm-campaign",
            " Utm  Campaign ",
            "\u{feff}utm_campaign",
            "UTM_CAMPAIGN__C",
        ] {
            assert_eq!(header_key(header), "utmcampaign", "{header}");
        }
        assert_eq!(header_key("First Touch UTM Source"), "ftutmsource");
        assert_eq!(header_key("FT_UTM_Source__c"), "ftutmsource");
        assert_eq!(header_key("ft_landing_page"), "ftlandingpage");
        assert_eq!(header_key("First touch"), "firsttouch");
    }

    #[test]
    fn columns_have_names_and_aliases() {
        let mut c = Columns::new(["utm_campaign", "page"]);
        c.alias("00N5e00000AbCdE", "utm_campaign");
        c.alias("x", "nope");
        assert_eq!(c.index("UTM Campaign"), Some(0));
        assert_eq!(c.index("00n5e00000abcde"), Some(0));
        assert_eq!(c.index("Page"), Some(1));
        assert_eq!(c.index("Email"), None);
        assert_eq!(c.position("page"), Some(1));
        assert_eq!(c.names(), ["utm_campaign", "page"]);
    }
}
