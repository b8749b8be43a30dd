//! Which column of an export holds which value: headers are matched
//! loosely, because every backend writes them its own way. HubSpot's export
//! heads a column with the property's label (`UTM Campaign`), a Salesforce
//! report with the field's API name (`UTM_Campaign__c`), a spreadsheet with
//! whatever a person typed (`utm-campaign`). All of them mean `utm_campaign`.

/// A header as it is matched: lowercase, without spaces, `-` or `_`,
/// without Salesforce's `__c` suffix of custom fields, and with a leading
/// "first touch" shortened to the `ft` of utmost's names.
pub fn header_key(header: &str) -> String {
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
}
