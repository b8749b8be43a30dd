//! `[analytics]` of site.toml: which web analytics tool the site loads
//! (`provider`), its `id`, and where its script (`script`) and, for
//! Matomo, its server (`url`) are. Validated into `model/analytics.rs`'s
//! [`Analytics`], which writes the snippets.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::Validator;
use crate::diagnostic::Diagnostic;
use crate::model::analytics::{Analytics, Tool};
use crate::model::forms::{Form, PAGE_FIELDS};
use crate::util::layout::CONFIG_FILE;

#[derive(Deserialize)]
pub(super) struct RawAnalytics {
    pub(super) provider: Spanned<String>,
    pub(super) id: Option<Spanned<String>>,
    pub(super) script: Option<Spanned<String>>,
    pub(super) url: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn analytics(
        &mut self,
        raw: Option<RawAnalytics>,
        base_url: &str,
        forms: &BTreeMap<String, Form>,
    ) -> Option<Analytics> {
        let raw = raw?;
        let names = Tool::ALL.map(Tool::name);
        let Some(tool) = Tool::ALL
            .into_iter()
            .find(|t| t.name() == raw.provider.get_ref())
        else {
            let message = format!(
                "`{}` is not an analytics provider; utmost knows {}",
                raw.provider.get_ref(),
                names.map(|n| format!("`{n}`")).join(", ")
            );
            let d = Diagnostic::at(CONFIG_FILE, self.source, raw.provider.span(), message)
                .suggest(raw.provider.get_ref(), names);
            self.diagnostics.push(d);
            return None;
        };
        let id = self.analytics_id(tool, raw.id.as_ref(), base_url, raw.provider.span())?;
        let url = self.matomo_url(tool, raw.url.as_ref(), raw.provider.span());
        let script = match &raw.script {
            Some(script) => self.script_location(script, "script")?,
            None => tool
                .default_script(&id)
                .or_else(|| url.as_ref().map(|u| format!("{u}matomo.js")))?,
        };
        Some(Analytics {
            tool,
            id,
            script,
            tracker: url.map(|u| format!("{u}matomo.php")),
            renames: renamed_page_fields(forms),
        })
    }

    /// The tool's id, in the form the tool gives it.
    fn analytics_id(
        &mut self,
        tool: Tool,
        id: Option<&Spanned<String>>,
        base_url: &str,
        provider: std::ops::Range<usize>,
    ) -> Option<String> {
        let Some(id) = id else {
            if tool == Tool::Plausible {
                // Plausible knows a site by its domain.
                let host = base_url.split("://").nth(1).unwrap_or(base_url);
                return Some(host.split(['/', ':']).next().unwrap_or(host).to_string());
            }
            let help = match tool {
                Tool::Ga4 => {
                    "GA4's measurement id, like `id = \"G-ABC123XYZ\"` (Admin > Data streams)"
                }
                _ => "Matomo's site id, like `id = \"1\"` (Administration > Websites > Manage)",
            };
            self.error(
                provider,
                format!(
                    "`[analytics]` with `provider = \"{}\"` needs an `id`",
                    tool.name()
                ),
            )
            .help = Some(help.into());
            return None;
        };
        let text = id.get_ref().trim();
        let (valid, help) = match tool {
            Tool::Ga4 => (
                text.strip_prefix("G-").is_some_and(|rest| {
                    !rest.is_empty()
                        && rest
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                }),
                "GA4's measurement id starts with `G-`, like `G-ABC123XYZ` (Admin > Data streams)",
            ),
            Tool::Plausible => (
                !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/')),
                "Plausible knows a site by its domain, as added there: `id = \"acme.example\"`",
            ),
            Tool::Matomo => (
                !text.is_empty() && text.len() < 10 && text.chars().all(|c| c.is_ascii_digit()),
                "Matomo's site id is a number: `id = \"1\"`",
            ),
        };
        if !valid {
            self.error(id.span(), format!("`{text}` is not a {} id", tool.name()))
                .help = Some(help.into());
            return None;
        }
        Some(text.to_string())
    }

    /// Matomo's `url`, ending with `/`; an error for the other tools.
    fn matomo_url(
        &mut self,
        tool: Tool,
        url: Option<&Spanned<String>>,
        provider: std::ops::Range<usize>,
    ) -> Option<String> {
        match (tool, url) {
            (Tool::Matomo, Some(url)) => {
                let at = self.script_location(url, "url")?;
                Some(if at.ends_with('/') {
                    at
                } else {
                    format!("{at}/")
                })
            }
            (Tool::Matomo, None) => {
                self.error(provider, "`[analytics]` with `provider = \"matomo\"` needs the `url` of your Matomo")
                    .help = Some("`url = \"https://matomo.acme.example/\"` (Matomo Cloud: `https://ACCOUNT.matomo.cloud/`)".into());
                None
            }
            (_, Some(url)) => {
                self.error(
                    url.span(),
                    format!("`url` is Matomo's; `{}` does not take it", tool.name()),
                )
                .help = Some("a script served from elsewhere goes in `script`".into());
                None
            }
            (_, None) => None,
        }
    }

    /// An https URL, or a path on the site itself (`/js/script.js`).
    fn script_location(&mut self, value: &Spanned<String>, key: &str) -> Option<String> {
        let text = value.get_ref().trim();
        let host = text
            .strip_prefix("https://")
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
        let path = text.starts_with('/') && !text.starts_with("//");
        let clean = !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'));
        if clean && (path || host.is_some_and(|h| !h.is_empty())) {
            return Some(text.to_string());
        }
        self.error(
            value.span(),
            format!("`{key}` must be an https:// URL or a path on the site"),
        )
        .help = Some(format!(
            "for example `{key} = \"https://stats.acme.example/js/script.js\"` or `{key} = \"/js/script.js\"`"
        ));
        None
    }
}

/// The page fields (`campaign_id`, `page`, …) each form sends under
/// another name, by form.
fn renamed_page_fields(
    forms: &BTreeMap<String, Form>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    forms
        .iter()
        .filter_map(|(id, form)| {
            let renamed: BTreeMap<String, String> = PAGE_FIELDS
                .iter()
                .filter_map(|f| form.rename.get(*f).map(|to| (f.to_string(), to.clone())))
                .collect();
            (!renamed.is_empty()).then(|| (id.clone(), renamed))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::analytics::Tool;
    use crate::source::config::parse;

    const SITE: &str = "title = \"T\"\nbase_url = \"https://www.acme.example/\"\n";

    fn errors(analytics: &str) -> String {
        super::super::tests::errors(&format!("{SITE}[analytics]\n{analytics}")).join("\n")
    }

    #[test]
    fn each_tool_with_its_id_and_defaults() {
        let c = parse(&format!(
            "{SITE}[analytics]\nprovider = \"ga4\"\nid = \"G-ABC123\"\n"
        ))
        .unwrap();
        let a = c.analytics.unwrap();
        assert_eq!(a.tool, Tool::Ga4);
        assert_eq!(
            a.script,
            "https://www.googletagmanager.com/gtag/js?id=G-ABC123"
        );
        let c = parse(&format!("{SITE}[analytics]\nprovider = \"plausible\"\n")).unwrap();
        assert_eq!(
            c.analytics.unwrap().id,
            "www.acme.example",
            "the site's domain"
        );
        let c = parse(&format!(
            "{SITE}[analytics]\nprovider = \"matomo\"\nid = \"3\"\nurl = \"https://stats.acme.example\"\n"
        ))
        .unwrap();
        let a = c.analytics.unwrap();
        assert_eq!(a.script, "https://stats.acme.example/matomo.js");
        assert_eq!(
            a.tracker.as_deref(),
            Some("https://stats.acme.example/matomo.php")
        );
        let c = parse(&format!(
            "{SITE}[analytics]\nprovider = \"plausible\"\nscript = \"/js/script.js\"\n"
        ))
        .unwrap();
        assert_eq!(c.analytics.unwrap().script, "/js/script.js", "self-hosted");
        assert!(parse(SITE).unwrap().analytics.is_none(), "off by default");
    }

    #[test]
    fn mistakes_are_reported_at_their_key() {
        let e = errors("provider = \"google\"\n");
        assert!(e.contains("`google` is not an analytics provider"), "{e}");
        let e = errors("provider = \"plausibel\"\n");
        assert!(e.contains("did you mean `plausible`?"), "{e}");
        let e = errors("provider = \"ga4\"\nid = \"UA-12345-1\"\n");
        assert!(e.contains("`UA-12345-1` is not a ga4 id"), "{e}");
        assert!(errors("provider = \"ga4\"\n").contains("needs an `id`"));
        assert!(errors("provider = \"matomo\"\nid = \"1\"\n").contains("needs the `url`"));
        let e = errors("provider = \"plausible\"\nscript = \"http://stats.example/js.js\"\n");
        assert!(
            e.contains("must be an https:// URL or a path on the site"),
            "{e}"
        );
        let e = errors("provider = \"plausible\"\nurl = \"https://x.example/\"\n");
        assert!(e.contains("`url` is Matomo's"), "{e}");
        let e = errors("provider = \"ga4\"\nid = \"G-1\"\nsrc = \"x\"\n");
        assert!(e.contains("src"), "unknown keys: {e}");
    }
}
