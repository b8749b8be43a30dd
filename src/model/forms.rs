//! Call-to-action forms: definitions from site.toml rendered as HTML with
//! every hidden attribution field, in the convention of the form's
//! provider (`model/providers.rs`), and the inline script that fills them.
//!
//! The HTML is produced here rather than by a theme template so that no theme
//! can drop an attribution field; themes style the stable `utmost-*` classes.
//! Element ids are `utmost-form-ID` and `ID-FIELD`; `render/finish.rs` numbers them
//! when one page holds the same form twice.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub(crate) use crate::model::providers::Provider;
use crate::util::html::escape;

/// The last-touch parameters read from the visitor's URL.
pub(crate) const TOUCH_FIELDS: [&str; 10] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "gclid",
    "fbclid",
    "msclkid",
    "li_fat_id",
];

/// Hidden fields that describe the page the form is on.
pub(crate) const PAGE_FIELDS: [&str; 4] = ["form_id", "campaign_id", "page", "variant"];

/// First-touch fields besides `ft_` + [`TOUCH_FIELDS`].
pub(crate) const FIRST_TOUCH_EXTRA: [&str; 3] = ["ft_landing_page", "ft_referrer", "ft_at"];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FieldKind {
    #[default]
    Text,
    Email,
    Tel,
    Url,
    Number,
    Textarea,
    Select,
    Checkbox,
    Consent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub label: String,
    pub required: bool,
    pub options: Vec<String>,
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Form {
    pub id: String,
    /// Where the browser posts; `None` only for Netlify, whose forms post
    /// to their success page or, without one, to the page itself.
    pub action: Option<String>,
    pub provider: Provider,
    pub submit: String,
    pub redirect: Option<Redirect>,
    pub fields: Vec<Field>,
    /// Fixed hidden inputs (`hidden = { oid = "00D…" }`), by name.
    pub hidden: BTreeMap<String, String>,
    /// Attribution fields sent under the backend's name, by field.
    pub rename: BTreeMap<String, String>,
}

/// A form's success page, as written in site.toml and as resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Redirect {
    /// An `@/` link, a path, or an absolute URL.
    pub written: String,
    /// Where `written` is in site.toml.
    pub span: Range<usize>,
    pub to: RedirectTo,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RedirectTo {
    /// A page of the site, by its path (`/thanks/`), once the site is
    /// assembled and the page is known to be built.
    Page(String),
    /// A page of another site.
    Url(String),
    /// Not yet looked up among the site's pages.
    Unresolved,
}

/// The page a form is rendered on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement<'a> {
    /// The page's root-relative URL (with the base URL's path).
    pub page: &'a str,
    pub campaign: Option<&'a str>,
    pub variant: &'a str,
    /// Absolute base URL, for redirect fields that need one.
    pub base_url: &'a str,
    /// Overrides the form's action (the preview server posts to itself).
    pub action: Option<&'a str>,
}

/// Whether a user field name would collide with a field utmost adds.
pub(crate) fn is_reserved(name: &str) -> bool {
    PAGE_FIELDS.contains(&name)
        || TOUCH_FIELDS.contains(&name)
        || FIRST_TOUCH_EXTRA.contains(&name)
        || name
            .strip_prefix("ft_")
            .is_some_and(|rest| TOUCH_FIELDS.contains(&rest))
}

/// Every hidden attribution field name, in the order they are rendered.
pub(crate) fn hidden_field_names() -> impl Iterator<Item = String> {
    PAGE_FIELDS
        .iter()
        .chain(TOUCH_FIELDS.iter())
        .map(|s| s.to_string())
        .chain(TOUCH_FIELDS.iter().map(|s| format!("ft_{s}")))
        .chain(FIRST_TOUCH_EXTRA.iter().map(|s| s.to_string()))
}

/// `https://a.example/docs` → (`https://a.example`, `/docs`).
fn split_base(base_url: &str) -> (&str, &str) {
    let host_start = base_url.find("://").map_or(0, |i| i + 3);
    let split = base_url[host_start..]
        .find('/')
        .map_or(base_url.len(), |i| host_start + i);
    base_url.split_at(split)
}

fn hidden_input(html: &mut String, name: &str, value: &str, extra: &str) {
    html.push_str(&format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\"{extra}>\n",
        escape(name),
        escape(value)
    ));
}

impl Form {
    /// The name an attribution field is sent under.
    pub(crate) fn sent_name<'a>(&'a self, field: &'a str) -> &'a str {
        self.rename.get(field).map_or(field, String::as_str)
    }

    /// The absolute URL of the success page, if the form has one.
    fn redirect_url(&self, base_url: &str) -> Option<String> {
        match &self.redirect.as_ref()?.to {
            RedirectTo::Page(path) => Some(format!("{base_url}{path}")),
            RedirectTo::Url(url) => Some(url.clone()),
            RedirectTo::Unresolved => None,
        }
    }

    /// Where the browser posts: Netlify's success page (a root-relative
    /// URL), else the configured action.
    fn action_url(&self, base_url: &str) -> Option<String> {
        if self.provider == Provider::Netlify {
            let (_, base_path) = split_base(base_url);
            if let Some(Redirect {
                to: RedirectTo::Page(path),
                ..
            }) = &self.redirect
            {
                return Some(format!("{base_path}{path}"));
            }
        }
        self.action.clone()
    }

    /// The form as HTML. `submit` overrides the button label.
    pub(crate) fn render(&self, at: &Placement<'_>, submit: Option<&str>) -> String {
        let id = escape(&self.id);
        let action = at
            .action
            .map(str::to_string)
            .or_else(|| self.action_url(at.base_url));
        let action = action
            .map(|a| format!(" action=\"{}\"", escape(&a)))
            .unwrap_or_default();
        let mut html = format!(
            "<form class=\"utmost-form\" id=\"utmost-form-{id}\" data-utmost-form=\"{id}\" data-provider=\"{}\" method=\"post\"{action} accept-charset=\"utf-8\"",
            self.provider.name()
        );
        if self.provider == Provider::Netlify {
            // Netlify documents `netlify-honeypot`; it reads the `data-`
            // spelling the same way, and only that one is valid HTML.
            html.push_str(&format!(
                " name=\"{id}\" data-netlify=\"true\" data-netlify-honeypot=\"bot-field\""
            ));
        }
        html.push_str(">\n");
        for field in &self.fields {
            field.render(&self.id, &mut html);
        }
        if let Some(name) = self.provider.honeypot() {
            render_honeypot(&self.id, name, &mut html);
        }
        self.render_hidden(at, &mut html);
        html.push_str(&format!(
            "<button type=\"submit\" class=\"utmost-submit\">{}</button>\n</form>",
            escape(submit.unwrap_or(&self.submit))
        ));
        html
    }

    /// The attribution fields, the fixed hidden inputs and the provider's.
    /// Touch fields carry `data-utmost-touch` with their own name, so that
    /// the script fills them whatever name they are sent under.
    fn render_hidden(&self, at: &Placement<'_>, html: &mut String) {
        for (name, value) in [
            ("form_id", self.id.as_str()),
            ("campaign_id", at.campaign.unwrap_or("")),
            ("page", at.page),
            ("variant", at.variant),
        ] {
            hidden_input(html, self.sent_name(name), value, "");
        }
        for name in hidden_field_names().skip(PAGE_FIELDS.len()) {
            let touch = format!(" data-utmost-touch=\"{name}\"");
            hidden_input(html, self.sent_name(&name), "", &touch);
        }
        for (name, value) in &self.hidden {
            hidden_input(html, name, value, "");
        }
        let (origin, _) = split_base(at.base_url);
        let this_page = format!("{origin}{}", at.page);
        let redirect = self.redirect_url(at.base_url);
        match self.provider {
            Provider::Netlify => hidden_input(html, "form-name", &self.id, ""),
            Provider::Hubspot => {
                // Filled in by the script with `hutk`, `pageUrl`, `pageName`;
                // without a `redirect` HubSpot sends the visitor back here.
                let context = serde_json::json!({
                    "pageUrl": this_page,
                    "redirectUrl": redirect.as_deref().unwrap_or(&this_page),
                });
                hidden_input(html, "hs_context", &context.to_string(), "");
            }
            Provider::Salesforce => {
                let back = redirect.as_deref().unwrap_or(&this_page);
                hidden_input(html, "retURL", back, "");
            }
            Provider::Generic | Provider::Formspree => {
                if let (Some(field), Some(url)) = (self.provider.redirect_field(), &redirect) {
                    hidden_input(html, field, url, "");
                }
            }
        }
    }
}

fn render_honeypot(form_id: &str, name: &str, html: &mut String) {
    html.push_str(&format!(
        "<div class=\"utmost-hp\" aria-hidden=\"true\" style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\"><label for=\"{id}-{name}\">Leave this field empty</label><input id=\"{id}-{name}\" name=\"{name}\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></div>\n",
        id = escape(form_id)
    ));
}

impl Field {
    fn render(&self, form_id: &str, html: &mut String) {
        let id = format!("{}-{}", escape(form_id), escape(&self.name));
        let name = escape(&self.name);
        let kind = match self.kind {
            FieldKind::Text => "text",
            FieldKind::Email => "email",
            FieldKind::Tel => "tel",
            FieldKind::Url => "url",
            FieldKind::Number => "number",
            FieldKind::Textarea => "textarea",
            FieldKind::Select => "select",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Consent => "consent",
        };
        let required = if self.required { " required" } else { "" };
        let mark = if self.required {
            "<span class=\"utmost-required\" aria-hidden=\"true\">*</span>"
        } else {
            ""
        };
        let label = format!("<label for=\"{id}\">{}{mark}</label>", escape(&self.label));
        let placeholder = self
            .placeholder
            .as_deref()
            .map(|p| format!(" placeholder=\"{}\"", escape(p)))
            .unwrap_or_default();
        let control = match self.kind {
            FieldKind::Checkbox | FieldKind::Consent => {
                html.push_str(&format!(
                    "<div class=\"utmost-field utmost-field-{kind}\"><input id=\"{id}\" name=\"{name}\" type=\"checkbox\" value=\"yes\"{required}>{label}</div>\n"
                ));
                return;
            }
            FieldKind::Textarea => {
                format!(
                    "<textarea id=\"{id}\" name=\"{name}\" rows=\"4\"{required}{placeholder}></textarea>"
                )
            }
            FieldKind::Select => {
                let mut s = format!(
                    "<select id=\"{id}\" name=\"{name}\"{required}><option value=\"\">Choose…</option>"
                );
                for option in &self.options {
                    s.push_str(&format!("<option>{}</option>", escape(option)));
                }
                s.push_str("</select>");
                s
            }
            _ => {
                let auto = autocomplete(self.kind, &self.name)
                    .map(|a| format!(" autocomplete=\"{a}\""))
                    .unwrap_or_default();
                format!(
                    "<input id=\"{id}\" name=\"{name}\" type=\"{kind}\"{required}{auto}{placeholder}>"
                )
            }
        };
        html.push_str(&format!(
            "<div class=\"utmost-field utmost-field-{kind}\">{label}{control}</div>\n"
        ));
    }
}

fn autocomplete(kind: FieldKind, name: &str) -> Option<&'static str> {
    match (kind, name) {
        (FieldKind::Email, _) => Some("email"),
        (FieldKind::Tel, _) => Some("tel"),
        (FieldKind::Url, _) => Some("url"),
        (_, "name" | "full_name") => Some("name"),
        (_, "first_name") => Some("given-name"),
        (_, "last_name") => Some("family-name"),
        (_, "company" | "organization") => Some("organization"),
        (_, "title" | "job_title") => Some("organization-title"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(provider: Provider) -> Form {
        Form {
            id: "demo".into(),
            action: Some("https://forms.example/leads".into()),
            provider,
            submit: "Book a demo".into(),
            redirect: Some(Redirect {
                written: "@/thanks.md".into(),
                span: 0..0,
                to: RedirectTo::Page("/thanks/".into()),
            }),
            fields: vec![
                Field {
                    name: "email".into(),
                    kind: FieldKind::Email,
                    label: "Work email".into(),
                    required: true,
                    options: vec![],
                    placeholder: None,
                },
                Field {
                    name: "size".into(),
                    kind: FieldKind::Select,
                    label: "Team <size>".into(),
                    required: false,
                    options: vec!["1-10".into(), "51+".into()],
                    placeholder: None,
                },
            ],
            hidden: BTreeMap::new(),
            rename: BTreeMap::new(),
        }
    }

    const AT: Placement<'static> = Placement {
        page: "/docs/spring/",
        campaign: Some("spring-launch"),
        variant: "a",
        base_url: "https://acme.example/docs",
        action: None,
    };

    #[test]
    fn renders_every_hidden_field_once() {
        let html = form(Provider::Generic).render(&AT, None);
        for name in hidden_field_names() {
            let needle = format!("type=\"hidden\" name=\"{name}\"");
            assert_eq!(html.matches(&needle).count(), 1, "{name} in {html}");
        }
        assert_eq!(hidden_field_names().count(), 4 + 10 + 10 + 3);
        assert!(html.contains("name=\"campaign_id\" value=\"spring-launch\""));
        assert!(html.contains("name=\"page\" value=\"/docs/spring/\""));
        assert!(html.contains("name=\"variant\" value=\"a\""));
        assert!(html.contains("name=\"utm_source\" value=\"\" data-utmost-touch=\"utm_source\""));
        assert!(html.contains("name=\"_redirect\" value=\"https://acme.example/docs/thanks/\""));
        assert!(html.contains("name=\"_hp\""));
        assert!(html.contains("Team &lt;size&gt;"));
        assert!(html.contains("type=\"email\" required autocomplete=\"email\""));
    }

    #[test]
    fn follows_provider_conventions() {
        let f = form(Provider::Formspree).render(&AT, Some("Go"));
        assert!(f.contains("name=\"_gotcha\""));
        assert!(f.contains("name=\"_next\" value=\"https://acme.example/docs/thanks/\""));
        assert!(f.contains(">Go</button>"));
        // Netlify: the success page is the form's action, on the site.
        let n = form(Provider::Netlify).render(&AT, None);
        assert!(n.contains("action=\"/docs/thanks/\""), "{n}");
        assert!(n.contains("data-netlify=\"true\" data-netlify-honeypot=\"bot-field\""));
        assert!(n.contains("name=\"form-name\" value=\"demo\""));
        assert!(n.contains("name=\"bot-field\""));
        let bare = Form {
            action: None,
            redirect: None,
            ..form(Provider::Netlify)
        };
        assert!(!bare.render(&AT, None).contains(" action="));
    }

    #[test]
    fn hubspot_gets_hs_context_and_no_underscore_fields() {
        let h = form(Provider::Hubspot).render(&AT, None);
        assert!(
            h.contains("name=\"hs_context\" value=\"{&quot;pageUrl&quot;:&quot;https://acme.example/docs/spring/&quot;,&quot;redirectUrl&quot;:&quot;https://acme.example/docs/thanks/&quot;}\""),
            "{h}"
        );
        assert!(!h.contains("name=\"_"), "HubSpot stores no `_` helper: {h}");
        assert!(!h.contains("utmost-hp"), "HubSpot filters spam itself");
    }

    #[test]
    fn salesforce_gets_ret_url_renamed_fields_and_fixed_inputs() {
        let mut f = form(Provider::Salesforce);
        f.hidden.insert("oid".into(), "00D5e000000AbCd".into());
        f.rename
            .insert("utm_campaign".into(), "00N5e00000AbCdE".into());
        let s = f.render(&AT, None);
        assert!(s.contains("name=\"retURL\" value=\"https://acme.example/docs/thanks/\""));
        assert!(s.contains("name=\"oid\" value=\"00D5e000000AbCd\""));
        assert!(
            s.contains("name=\"00N5e00000AbCdE\" value=\"\" data-utmost-touch=\"utm_campaign\"")
        );
        assert!(!s.contains("name=\"utm_campaign\""));
        let back = Form {
            redirect: None,
            ..f
        };
        assert!(
            back.render(&AT, None)
                .contains("name=\"retURL\" value=\"https://acme.example/docs/spring/\"")
        );
    }

    #[test]
    fn reserves_attribution_names() {
        for name in hidden_field_names() {
            assert!(is_reserved(&name), "{name}");
        }
        assert!(!is_reserved("_subject"));
        assert!(!is_reserved("email"));
    }
}
