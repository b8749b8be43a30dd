//! Short links the last production build had and this one has not. A
//! short link is printed on paper and pasted into emails that cannot be
//! taken back, so one that goes away (a one-pager renamed, a campaign's
//! channel dropped) leaves a QR code leading nowhere: the build says so,
//! naming where each led, read from the manifest it replaces.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// A warning for each short link of the `previous` manifest's text that
/// the site no longer has.
pub(crate) fn lost(previous: &str, site: &Site) -> Vec<Diagnostic> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(previous) else {
        return Vec::new();
    };
    let now: BTreeSet<&str> = (site.short_links.links.iter())
        .map(|l| l.code.as_str())
        .collect();
    let Some(before) = json["short_links"].as_array() else {
        return Vec::new();
    };
    before
        .iter()
        .filter_map(|l| {
            let code = l["code"].as_str()?;
            if now.contains(code) {
                return None;
            }
            let to = l["to"].as_str().unwrap_or("");
            let message = format!(
                "short link /go/{code}/ (to {to}) is gone since the last build: \
                 printed QR codes and links that carry it now lead nowhere"
            );
            let help = format!(
                "if it was handed out, give the page that takes its place `short = \"{code}\"`"
            );
            Some(Diagnostic::file(&site.config.manifest, message).with_help(help))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_code_the_site_lost() {
        let config =
            crate::source::config::parse("title = \"T\"\nbase_url = \"https://t.example\"\n")
                .unwrap();
        let content = crate::source::content::Content::default();
        let (site, _) = crate::site::assemble(config, content, &crate::site::AnyTemplate);
        let previous = r#"{"short_links": [{"code": "spring", "to": "https://t.example/s/"}]}"#;
        let warnings = lost(previous, &site);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .starts_with("short link /go/spring/ (to https://t.example/s/) is gone")
        );
        assert!(lost("not json", &site).is_empty());
        assert!(lost("{}", &site).is_empty());
    }
}
