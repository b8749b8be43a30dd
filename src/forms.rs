//! Call-to-action forms: definitions from site.toml rendered as HTML with
//! every hidden attribution field, the provider's honeypot and redirect
//! conventions, and the inline script that fills the hidden fields.
//!
//! The HTML is produced here rather than by a theme template so that no theme
//! can drop an attribution field; themes style the stable `utmost-*` classes.
//! Element ids are `utmost-form-ID` and `ID-FIELD`; `html.rs` numbers them
//! when one page holds the same form twice.

use serde::{Deserialize, Serialize};

use crate::html::escape;

/// The last-touch parameters read from the visitor's URL.
pub const TOUCH_FIELDS: [&str; 10] = [
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
pub const PAGE_FIELDS: [&str; 4] = ["form_id", "campaign_id", "page", "variant"];

/// First-touch fields besides `ft_` + [`TOUCH_FIELDS`].
pub const FIRST_TOUCH_EXTRA: [&str; 3] = ["ft_landing_page", "ft_referrer", "ft_at"];

/// Honeypot and provider field names a user's field may not take.
const PROVIDER_FIELDS: [&str; 7] = [
    "_hp",
    "_gotcha",
    "_next",
    "_redirect",
    "bot-field",
    "form-name",
    "_subject",
];

/// Where submissions go, which decides the honeypot and redirect fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    #[default]
    Generic,
    Formspree,
    Netlify,
    Hubspot,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Generic => "generic",
            Provider::Formspree => "formspree",
            Provider::Netlify => "netlify",
            Provider::Hubspot => "hubspot",
        }
    }

    /// The honeypot field's name in the provider's convention.
    pub fn honeypot(self) -> &'static str {
        match self {
            Provider::Formspree => "_gotcha",
            Provider::Netlify => "bot-field",
            Provider::Generic | Provider::Hubspot => "_hp",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
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
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub label: String,
    pub required: bool,
    pub options: Vec<String>,
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Form {
    pub id: String,
    pub action: String,
    pub provider: Provider,
    pub submit: String,
    pub redirect: Option<String>,
    pub fields: Vec<Field>,
}

/// The page a form is rendered on.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub page: &'a str,
    pub campaign: Option<&'a str>,
    pub variant: &'a str,
    /// Absolute base URL, for redirect fields that need one.
    pub base_url: &'a str,
    /// Overrides the form's action (the preview server posts to itself).
    pub action: Option<&'a str>,
}

/// Whether a user field name would collide with a field utmost adds.
pub fn is_reserved(name: &str) -> bool {
    PAGE_FIELDS.contains(&name)
        || TOUCH_FIELDS.contains(&name)
        || FIRST_TOUCH_EXTRA.contains(&name)
        || name
            .strip_prefix("ft_")
            .is_some_and(|rest| TOUCH_FIELDS.contains(&rest))
        || PROVIDER_FIELDS.contains(&name)
}

/// Every hidden attribution field name, in the order they are rendered.
pub fn hidden_field_names() -> impl Iterator<Item = String> {
    PAGE_FIELDS
        .iter()
        .chain(TOUCH_FIELDS.iter())
        .map(|s| s.to_string())
        .chain(TOUCH_FIELDS.iter().map(|s| format!("ft_{s}")))
        .chain(FIRST_TOUCH_EXTRA.iter().map(|s| s.to_string()))
}

impl Form {
    /// The form as HTML. `submit` overrides the button label.
    pub fn render(&self, at: &Placement<'_>, submit: Option<&str>) -> String {
        let id = escape(&self.id);
        let action = escape(at.action.unwrap_or(&self.action));
        let mut html = format!(
            "<form class=\"utmost-form\" id=\"utmost-form-{id}\" data-utmost-form=\"{id}\" data-provider=\"{}\" method=\"post\" action=\"{action}\" accept-charset=\"utf-8\"",
            self.provider.name()
        );
        if self.provider == Provider::Netlify {
            html.push_str(&format!(
                " name=\"{id}\" data-netlify=\"true\" data-netlify-honeypot=\"bot-field\""
            ));
        }
        html.push_str(">\n");
        for field in &self.fields {
            field.render(&self.id, &mut html);
        }
        self.render_honeypot(&mut html);
        let hidden = |html: &mut String, name: &str, value: &str| {
            html.push_str(&format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                escape(value)
            ));
        };
        hidden(&mut html, "form_id", &self.id);
        hidden(&mut html, "campaign_id", at.campaign.unwrap_or(""));
        hidden(&mut html, "page", at.page);
        hidden(&mut html, "variant", at.variant);
        for name in hidden_field_names().skip(PAGE_FIELDS.len()) {
            hidden(&mut html, &name, "");
        }
        match (self.provider, &self.redirect) {
            (Provider::Netlify, _) => hidden(&mut html, "form-name", &self.id),
            (Provider::Formspree, Some(r)) => hidden(&mut html, "_next", &absolute(at.base_url, r)),
            (Provider::Generic | Provider::Hubspot, Some(r)) => {
                hidden(&mut html, "_redirect", &absolute(at.base_url, r))
            }
            (_, None) => {}
        }
        html.push_str(&format!(
            "<button type=\"submit\" class=\"utmost-submit\">{}</button>\n</form>",
            escape(submit.unwrap_or(&self.submit))
        ));
        html
    }

    fn render_honeypot(&self, html: &mut String) {
        let name = self.provider.honeypot();
        html.push_str(&format!(
            "<div class=\"utmost-hp\" aria-hidden=\"true\" style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\"><label for=\"{id}-{name}\">Leave this field empty</label><input id=\"{id}-{name}\" name=\"{name}\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></div>\n",
            id = escape(&self.id)
        ));
    }
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

fn absolute(base_url: &str, target: &str) -> String {
    if target.starts_with('/') {
        format!("{base_url}{target}")
    } else {
        target.to_string()
    }
}

/// The inline script that fills the hidden fields from the visitor's URL.
///
/// The first touch (the first visit's parameters, landing page, referrer and
/// time) and the last touch (the latest visit that carried parameters) are
/// kept in localStorage for `window_days`; no cookie is set. Values are only
/// ever assigned to `input.value`, so a query string cannot inject markup.
pub fn attribution_script(window_days: u32) -> String {
    let names = TOUCH_FIELDS
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(",");
    ATTRIBUTION_SCRIPT
        .replace("WINDOW_DAYS", &window_days.to_string())
        .replace("TOUCH_NAMES", &names)
}

const ATTRIBUTION_SCRIPT: &str = r#"<script data-utmost="attribution">
(function () {
  var W = WINDOW_DAYS * 864e5, K = "utmost_attribution", N = [TOUCH_NAMES];
  var now = Date.now(), q = new URLSearchParams(location.search), t = {}, hit = false, s = null;
  N.forEach(function (n) { var v = q.get(n); if (v) { t[n] = v.slice(0, 500); hit = true; } });
  try { s = JSON.parse(localStorage.getItem(K)); } catch (e) { s = null; }
  if (!s || typeof s !== "object") s = {};
  function fresh(x) { return x && typeof x === "object" && typeof x.at === "number" && now - x.at < W && x.v && typeof x.v === "object"; }
  if (!fresh(s.ft)) s.ft = { v: t, landing_page: location.pathname, referrer: document.referrer.slice(0, 500), at: now };
  if (hit) s.lt = { v: t, at: now }; else if (!fresh(s.lt)) delete s.lt;
  try { localStorage.setItem(K, JSON.stringify(s)); } catch (e) {}
  var lt = s.lt ? s.lt.v : {}, ft = s.ft;
  function set(f, n, v) { var el = f.querySelector('input[type="hidden"][name="' + n + '"]'); if (el) el.value = v == null ? "" : String(v); }
  document.querySelectorAll("form[data-utmost-form]").forEach(function (f) {
    N.forEach(function (n) { set(f, n, lt[n]); set(f, "ft_" + n, ft.v[n]); });
    set(f, "ft_landing_page", ft.landing_page);
    set(f, "ft_referrer", ft.referrer);
    set(f, "ft_at", new Date(ft.at).toISOString());
  });
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn form(provider: Provider) -> Form {
        Form {
            id: "demo".into(),
            action: "https://forms.example/leads".into(),
            provider,
            submit: "Book a demo".into(),
            redirect: Some("/thanks/".into()),
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
        }
    }

    const AT: Placement<'static> = Placement {
        page: "/spring/",
        campaign: Some("spring-launch"),
        variant: "a",
        base_url: "https://acme.example",
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
        assert!(html.contains("name=\"page\" value=\"/spring/\""));
        assert!(html.contains("name=\"variant\" value=\"a\""));
        assert!(html.contains("name=\"_redirect\" value=\"https://acme.example/thanks/\""));
        assert!(html.contains("name=\"_hp\""));
        assert!(html.contains("Team &lt;size&gt;"));
        assert!(html.contains("type=\"email\" required autocomplete=\"email\""));
    }

    #[test]
    fn follows_provider_conventions() {
        let f = form(Provider::Formspree).render(&AT, Some("Go"));
        assert!(f.contains("name=\"_gotcha\""));
        assert!(f.contains("name=\"_next\" value=\"https://acme.example/thanks/\""));
        assert!(f.contains(">Go</button>"));
        let n = form(Provider::Netlify).render(&AT, None);
        assert!(n.contains("data-netlify=\"true\" data-netlify-honeypot=\"bot-field\""));
        assert!(n.contains("name=\"form-name\" value=\"demo\""));
        assert!(n.contains("name=\"bot-field\""));
    }

    #[test]
    fn reserves_attribution_names() {
        for name in hidden_field_names() {
            assert!(is_reserved(&name), "{name}");
        }
        assert!(is_reserved("_gotcha"));
        assert!(!is_reserved("email"));
    }

    #[test]
    fn script_lists_touch_fields_and_window() {
        let s = attribution_script(30);
        assert!(s.contains("var W = 30 * 864e5"));
        assert!(s.contains("\"li_fat_id\""));
        assert!(!s.contains("innerHTML"));
    }
}
