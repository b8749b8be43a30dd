//! Short links, pages and redirects the last production build had and
//! this one has not. A short link is printed on paper and pasted into
//! emails that cannot be taken back, and a page's URL is in ads, emails and
//! search results: one that goes away (a one-pager renamed, a page moved,
//! an alias dropped) leaves them leading nowhere. The build says so, naming
//! where each led, read from the manifest it replaces.

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
    let mut lost = lost_paths(&json, site);
    let Some(before) = json["short_links"].as_array() else {
        return lost;
    };
    let codes = before.iter().filter_map(|l| {
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
    });
    lost.extend(codes);
    lost
}

/// A warning for each page and redirect of the previous manifest whose
/// path the site no longer answers, neither as a page nor as a redirect.
fn lost_paths(json: &serde_json::Value, site: &Site) -> Vec<Diagnostic> {
    let now: BTreeSet<&str> = (site.outputs.iter().map(|o| o.path.as_str()))
        .chain(site.redirects.iter().map(|r| r.from.as_str()))
        .collect();
    let listed = |key: &str| json[key].as_array().into_iter().flatten();
    let pages = listed("pages").filter_map(|p| p["path"].as_str());
    let redirects = listed("redirects").filter_map(|r| r["from"].as_str());
    (pages.chain(redirects))
        .filter(|path| !now.contains(path))
        .map(|path| {
            let message = format!(
                "{path} is gone since the last build: links, ads and search results \
                 that carry it now lead nowhere"
            );
            let help =
                format!("if the page moved, give it `aliases = [\"{path}\"]` in its front matter");
            Diagnostic::file(&site.config.manifest, message).with_help(help)
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
        let moved = r#"{"pages": [{"path": "/old/", "url": "https://t.example/old/"}],
            "redirects": [{"from": "/older/", "to": "https://t.example/old/"}]}"#;
        let warnings: Vec<String> = lost(moved, &site).into_iter().map(|d| d.message).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("/old/ is gone since the last build"));
        assert!(warnings[1].starts_with("/older/ is gone since the last build"));
        assert!(lost("{}", &site).is_empty());
    }
}
