//! `[analytics]`: the web analytics tool a site loads, if any, and the
//! lead event every form submission sends it. Off by default: without it
//! no page loads anything from another site.
//!
//! Each tool in its own documented form:
//! - Google Analytics 4 (developers.google.com/tag-platform/gtagjs/install;
//!   the `generate_lead` recommended event, support.google.com/analytics/
//!   answer/9267735): the inline `dataLayer`/`gtag` set-up with
//!   `gtag('config', ID)`, then `gtag/js?id=ID` loaded async; the lead is
//!   `gtag('event', 'generate_lead', {…})`, its parameters `lead_campaign`,
//!   `lead_form`, `lead_page`, `lead_variant` (GA4 reads `campaign_id`
//!   and `campaign_*` as the session's traffic source, so those names are
//!   avoided). gtag sends with `sendBeacon`, so the event survives the
//!   form's navigation.
//! - Plausible (plausible.io/docs/plausible-script, /custom-event-goals):
//!   `<script defer data-domain=ID src=…/js/script.js>`, with the queue
//!   stub that lets `plausible(…)` be called before it loads; the lead is
//!   `plausible('Lead', {props: {campaign, form, page, variant}})`. Its
//!   classic script sends with XHR, which a navigation cancels, so the form
//!   waits for the event's callback (at most one second) before it is sent.
//! - Matomo (developer.matomo.org/guides/tracking-javascript-guide): the
//!   `_paq` set-up with `setTrackerUrl` (`URL/matomo.php`) and `setSiteId`,
//!   then `URL/matomo.js` loaded async; the lead is
//!   `trackEvent('Lead', campaign, 'page=… variant=… form=…')` (an event has
//!   a category, an action and a name only).
//!
//! [`Analytics::sources`] is what a Content-Security-Policy must allow for
//! the tool; `model/page_scripts.rs` gathers it with every inline script a
//! page carries, so that the policy allows exactly this tool.

use std::collections::BTreeMap;

use crate::util::html::escape;

/// Which tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Tool {
    Ga4,
    Plausible,
    Matomo,
}

impl Tool {
    pub(crate) const ALL: [Tool; 3] = [Tool::Ga4, Tool::Plausible, Tool::Matomo];

    /// Its name in site.toml.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tool::Ga4 => "ga4",
            Tool::Plausible => "plausible",
            Tool::Matomo => "matomo",
        }
    }

    /// The script's URL when site.toml names none (Matomo's is always
    /// under its `url`).
    pub(crate) fn default_script(self, id: &str) -> Option<String> {
        match self {
            Tool::Ga4 => Some(format!(
                "https://www.googletagmanager.com/gtag/js?id={}",
                query_escape(id)
            )),
            Tool::Plausible => Some("https://plausible.io/js/script.js".into()),
            Tool::Matomo => None,
        }
    }
}

/// The tool a site loads, validated (`source/config/analytics.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Analytics {
    pub tool: Tool,
    /// GA4's measurement id, Plausible's site domain, Matomo's site id.
    pub id: String,
    /// The tool's script: an https URL, or a path on the site itself.
    pub script: String,
    /// Matomo's tracker endpoint (`<url>matomo.php`).
    pub tracker: Option<String>,
    /// Page fields that forms send under other names: form id → field →
    /// name sent, so that the lead event reads them whatever `rename` says.
    pub renames: BTreeMap<String, BTreeMap<String, String>>,
}

/// The sources a Content-Security-Policy must allow for a tool, each an
/// origin (`https://plausible.io`), a host wildcard
/// (`https://*.google-analytics.com`) or `'self'`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sources {
    pub script_src: Vec<String>,
    pub connect_src: Vec<String>,
    pub img_src: Vec<String>,
}

const LEAD: &str = include_str!("analytics_lead.js");

impl Analytics {
    /// What goes at the end of `<head>`: the inline set-up, then the
    /// tool's script (in that order, so that the set-up runs first).
    pub(crate) fn head(&self) -> String {
        let script = escape(&self.script);
        let setup = format!(
            "<script data-utmost=\"analytics\">{}</script>",
            self.setup()
        );
        let load = match self.tool {
            Tool::Plausible => format!(
                "<script defer data-domain=\"{}\" src=\"{script}\"></script>",
                escape(&self.id)
            ),
            Tool::Ga4 | Tool::Matomo => format!("<script async src=\"{script}\"></script>"),
        };
        format!("{setup}\n{load}\n")
    }

    /// The inline set-up's code.
    fn setup(&self) -> String {
        let id = js_string(&self.id);
        match self.tool {
            Tool::Ga4 => format!(
                "window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag(\"js\",new Date());gtag(\"config\",{id});"
            ),
            Tool::Plausible => "window.plausible=window.plausible||function(){(window.plausible.q=window.plausible.q||[]).push(arguments)};window.plausible.init=window.plausible.init||function(o){window.plausible.o=o||{}};window.plausible.init();".into(),
            Tool::Matomo => format!(
                "var _paq=window._paq=window._paq||[];_paq.push([\"trackPageView\"]);_paq.push([\"enableLinkTracking\"]);_paq.push([\"setTrackerUrl\",{}]);_paq.push([\"setSiteId\",{id}]);",
                js_string(self.tracker.as_deref().unwrap_or_default())
            ),
        }
    }

    /// The script at the end of `<body>` that sends the lead event when a
    /// form is submitted.
    pub(crate) fn lead_script(&self) -> String {
        let send = match self.tool {
            Tool::Ga4 => {
                "gtag(\"event\", \"generate_lead\", { lead_campaign: lead.campaign, lead_form: lead.form, lead_page: lead.page, lead_variant: lead.variant });"
            }
            Tool::Plausible => {
                "e.preventDefault(); var sent = false, go = function () { if (!sent) { sent = true; HTMLFormElement.prototype.submit.call(f); } }; setTimeout(go, 1000); window.plausible(\"Lead\", { props: lead, callback: go });"
            }
            Tool::Matomo => {
                "_paq.push([\"trackEvent\", \"Lead\", lead.campaign || \"(none)\", \"page=\" + lead.page + \" variant=\" + lead.variant + \" form=\" + lead.form]);"
            }
        };
        let renames = serde_json::to_string(&self.renames)
            .unwrap_or_else(|_| "{}".into())
            .replace("</", "<\\/");
        let mut out = String::with_capacity(LEAD.len());
        for line in LEAD.lines().map(str::trim) {
            if !line.starts_with("//") {
                out.push_str(line);
                out.push('\n');
            }
        }
        out.replace("RENAMES", &renames).replace("SEND", send)
    }

    /// What a Content-Security-Policy must allow for the tool (Google's
    /// list for GA4 is developers.google.com/tag-platform/security/guides/csp).
    pub(crate) fn sources(&self) -> Sources {
        let script = origin(&self.script);
        let mut sources = match self.tool {
            Tool::Ga4 => Sources {
                script_src: vec![script.clone()],
                connect_src: vec![
                    "https://*.google-analytics.com".into(),
                    "https://*.analytics.google.com".into(),
                    "https://*.googletagmanager.com".into(),
                ],
                img_src: vec![
                    "https://*.google-analytics.com".into(),
                    "https://*.googletagmanager.com".into(),
                ],
            },
            Tool::Plausible => Sources {
                script_src: vec![script.clone()],
                connect_src: vec![script.clone()],
                img_src: Vec::new(),
            },
            Tool::Matomo => {
                let tracker = origin(self.tracker.as_deref().unwrap_or("/"));
                Sources {
                    script_src: vec![script.clone()],
                    connect_src: vec![tracker.clone()],
                    img_src: vec![tracker],
                }
            }
        };
        if self.tool == Tool::Ga4 && script != "https://www.googletagmanager.com" {
            // gtag served from elsewhere (a server-side container) is also
            // where it may send.
            sources.connect_src.push(script);
        }
        sources
    }
}

/// The origin of an https URL, or `'self'` for a path on the site.
fn origin(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let end = url[i + 3..]
                .find(['/', '?', '#'])
                .map_or(url.len(), |e| i + 3 + e);
            url[..end].to_ascii_lowercase()
        }
        None => "'self'".into(),
    }
}

/// `value` as a JavaScript string literal that is safe inside `<script>`.
fn js_string(value: &str) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "\"\"".into())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `value` percent-encoded for a URL's query.
fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analytics(tool: Tool, id: &str, script: Option<&str>) -> Analytics {
        let tracker =
            (tool == Tool::Matomo).then(|| "https://stats.acme.example/matomo.php".into());
        Analytics {
            tool,
            id: id.into(),
            script: script
                .map(str::to_string)
                .or_else(|| tool.default_script(id))
                .unwrap_or_else(|| "https://stats.acme.example/matomo.js".into()),
            tracker,
            renames: BTreeMap::new(),
        }
    }

    #[test]
    fn ga4_loads_gtag_and_sends_generate_lead() {
        let a = analytics(Tool::Ga4, "G-ABC123", None);
        let head = a.head();
        assert!(head.contains("gtag(\"config\",\"G-ABC123\");"), "{head}");
        assert!(head.contains(
            "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-ABC123\"></script>"
        ));
        assert!(head.find("data-utmost=\"analytics\"") < head.find("async src"));
        assert!(
            a.lead_script()
                .contains("gtag(\"event\", \"generate_lead\"")
        );
        let s = a.sources();
        assert_eq!(s.script_src, ["https://www.googletagmanager.com"]);
        assert!(
            s.connect_src
                .contains(&"https://*.google-analytics.com".to_string())
        );
    }

    #[test]
    fn plausible_queues_calls_and_waits_for_the_event() {
        let a = analytics(Tool::Plausible, "acme.example", Some("/js/script.js"));
        assert!(a.head().contains(
            "<script defer data-domain=\"acme.example\" src=\"/js/script.js\"></script>"
        ));
        let lead = a.lead_script();
        assert!(lead.contains("window.plausible(\"Lead\", { props: lead, callback: go })"));
        assert!(lead.contains("setTimeout(go, 1000)"));
        assert_eq!(a.sources().script_src, ["'self'"]);
        assert_eq!(a.sources().connect_src, ["'self'"]);
    }

    #[test]
    fn matomo_sets_tracker_and_site_then_tracks_an_event() {
        let a = analytics(Tool::Matomo, "7", None);
        let head = a.head();
        assert!(head.contains("[\"setTrackerUrl\",\"https://stats.acme.example/matomo.php\"]"));
        assert!(head.contains("[\"setSiteId\",\"7\"]"));
        assert!(a.lead_script().contains("[\"trackEvent\", \"Lead\""));
        assert_eq!(a.sources().img_src, ["https://stats.acme.example"]);
    }

    #[test]
    fn renamed_page_fields_are_read_by_their_sent_names() {
        let mut a = analytics(Tool::Ga4, "G-1", None);
        a.renames.insert(
            "sf".into(),
            BTreeMap::from([("campaign_id".to_string(), "00N</script>".to_string())]),
        );
        let lead = a.lead_script();
        assert!(
            lead.contains(r#"var R = {"sf":{"campaign_id":"00N<\/script>"}};"#),
            "{lead}"
        );
        assert_eq!(lead.matches("</script>").count(), 1, "only its own end tag");
        assert!(!lead.contains("SEND") && !lead.contains("RENAMES"));
        assert!(!lead.contains("//"), "comment lines are left out");
    }

    #[test]
    fn origins_and_escapes() {
        assert_eq!(
            origin("https://Stats.Example:8443/js/x.js?a"),
            "https://stats.example:8443"
        );
        assert_eq!(origin("/js/script.js"), "'self'");
        assert_eq!(
            js_string("a\"</script>\u{2028}"),
            "\"a\\\"<\\/script>\\u2028\""
        );
        assert_eq!(query_escape("G-A B&"), "G-A%20B%26");
    }
}
