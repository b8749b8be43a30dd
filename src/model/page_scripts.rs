//! Every script utmost adds to a page, in one place: the attribution
//! script at the end of `<body>` on every page and, with `[analytics]`, the
//! tool's set-up and loader at the end of `<head>` and its lead event
//! after the attribution script. [`PageScripts::inline`] lists the text of
//! each inline script exactly as pages carry it and
//! [`PageScripts::sources`] the origins the analytics tool needs, so that a
//! Content-Security-Policy can be written from here.

use crate::model::analytics::{Analytics, Sources};
use crate::model::attribution_script;

/// What is added to every HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageScripts {
    /// Inserted before `</head>` (empty without analytics).
    pub head: String,
    /// Inserted before `</body>`.
    pub body: String,
    sources: Sources,
}

impl PageScripts {
    /// The scripts of a site whose first touch is kept `window_days`, with
    /// its analytics tool when it has one and it is wanted (not in the
    /// preview, whose visits are not the site's).
    pub(crate) fn new(window_days: u32, analytics: Option<&Analytics>) -> PageScripts {
        let mut body = attribution_script::script(window_days);
        let (head, sources) = match analytics {
            Some(a) => {
                body.push_str(&a.lead_script());
                (a.head(), a.sources())
            }
            None => (String::new(), Sources::default()),
        };
        PageScripts {
            head,
            body,
            sources,
        }
    }

    /// Just `body` (for tests of what is done with the scripts).
    #[cfg(test)]
    pub(crate) fn body_only(body: &str) -> PageScripts {
        PageScripts {
            head: String::new(),
            body: body.into(),
            sources: Sources::default(),
        }
    }

    /// The text of every inline `<script>` (one without `src`), in page
    /// order: what a policy's `'sha256-…'` sources hash.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "the Content-Security-Policy (issue 17) hashes them"
        )
    )]
    pub(crate) fn inline(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for html in [&self.head, &self.body] {
            let mut rest = html.as_str();
            while let Some(start) = rest.find("<script") {
                let Some(open_end) = rest[start..].find('>').map(|e| start + e + 1) else {
                    break;
                };
                let Some(close) = rest[open_end..].find("</script>").map(|c| open_end + c) else {
                    break;
                };
                if !rest[start..open_end].contains(" src=") {
                    out.push(&rest[open_end..close]);
                }
                rest = &rest[close..];
            }
        }
        out
    }

    /// What the analytics tool must be allowed (nothing without one).
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "the Content-Security-Policy (issue 17) allows them"
        )
    )]
    pub(crate) fn sources(&self) -> &Sources {
        &self.sources
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::analytics::Tool;

    #[test]
    fn without_analytics_only_the_attribution_script() {
        let s = PageScripts::new(90, None);
        assert!(s.head.is_empty());
        assert_eq!(s.inline().len(), 1);
        assert!(s.body.contains(&format!(">{}</script>", s.inline()[0])));
        assert_eq!(s.sources(), &Sources::default());
    }

    #[test]
    fn with_analytics_every_inline_script_is_listed() {
        let a = Analytics {
            tool: Tool::Plausible,
            id: "acme.example".into(),
            script: "https://plausible.io/js/script.js".into(),
            tracker: None,
            renames: BTreeMap::new(),
        };
        let s = PageScripts::new(90, Some(&a));
        let inline = s.inline();
        assert_eq!(inline.len(), 3, "set-up, attribution, lead event");
        assert!(inline[0].starts_with("window.plausible=window.plausible||"));
        assert!(inline[2].contains("document.addEventListener(\"submit\""));
        assert!(a.lead_script().contains(inline[2]));
        assert_eq!(s.head.matches("<script").count(), 2, "set-up and loader");
        assert_eq!(s.sources().script_src, ["https://plausible.io"]);
    }
}
