//! The form backends utmost renders for, each in its own documented
//! convention: the URL a form posts to, the honeypot the backend filters
//! on, how the backend is told the success page, and the fixed fields it
//! needs. `model/forms.rs` renders with these rules and `source/config/` checks
//! every form of site.toml against them; this file knows no HTML and no TOML.
//!
//! The conventions, as each backend documents them:
//! - Netlify (docs.netlify.com/forms/setup, /forms/spam-filters): a form
//!   with `data-netlify="true"` and a `name`, a hidden `form-name` input,
//!   the honeypot named by the form's `netlify-honeypot` attribute (we write
//!   its `data-` form, which Netlify reads the same way and HTML allows),
//!   and the success page as the form's `action`, a path on the site.
//! - HubSpot (legacydocs.hubspot.com/docs/methods/forms/v2/submit_form): a
//!   urlencoded POST to `https://forms.hubspot.com/uploads/form/v2/:portal_id/:form_guid`
//!   whose fields are contact properties, with a hidden `hs_context` JSON
//!   (`hutk`, `pageUrl`, `pageName`, `redirectUrl`). HubSpot filters spam
//!   itself; there is no honeypot field to send.
//! - Salesforce Web-to-Lead (Setup > Web-to-Lead > Create Web-to-Lead Form):
//!   a POST to `https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8`
//!   with the org id in a hidden `oid` and the success page in `retURL`;
//!   custom lead fields are named by their `00N…` field ids.
//! - Formspree (help.formspree.io): `_gotcha` honeypot, `_next` success page.

use serde::Serialize;

/// Where a form's submissions go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Provider {
    /// Any endpoint that takes a urlencoded POST.
    #[default]
    Generic,
    Formspree,
    Netlify,
    Hubspot,
    Salesforce,
}

/// A problem with a form's settings: what is wrong, and what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

const HUBSPOT_ACTION: &str = "https://forms.hubspot.com/uploads/form/v2/{portalId}/{formGuid}";
const SALESFORCE_ACTION: &str =
    "https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8";

impl Provider {
    pub(crate) const ALL: [Provider; 5] = [
        Provider::Generic,
        Provider::Formspree,
        Provider::Netlify,
        Provider::Hubspot,
        Provider::Salesforce,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Provider::Generic => "generic",
            Provider::Formspree => "formspree",
            Provider::Netlify => "netlify",
            Provider::Hubspot => "hubspot",
            Provider::Salesforce => "salesforce",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The honeypot input the backend filters on, if it filters on one.
    /// HubSpot and Salesforce run their own spam checks and would store a
    /// honeypot like any other field, so none is sent to them.
    pub(crate) fn honeypot(self) -> Option<&'static str> {
        match self {
            Provider::Generic => Some("_hp"),
            Provider::Formspree => Some("_gotcha"),
            Provider::Netlify => Some("bot-field"),
            Provider::Hubspot | Provider::Salesforce => None,
        }
    }

    /// The hidden input that carries the absolute URL of the success page
    /// (Netlify takes it as the form's `action`, HubSpot inside `hs_context`).
    pub(crate) fn redirect_field(self) -> Option<&'static str> {
        match self {
            Provider::Generic => Some("_redirect"),
            Provider::Formspree => Some("_next"),
            Provider::Salesforce => Some("retURL"),
            Provider::Netlify | Provider::Hubspot => None,
        }
    }

    /// Every input the provider's convention adds to a form, which no field,
    /// fixed hidden input or renamed attribution field may take.
    pub(crate) fn own_fields(self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.honeypot().into_iter().collect();
        names.extend(self.redirect_field());
        match self {
            Provider::Netlify => names.push("form-name"),
            Provider::Hubspot => names.push("hs_context"),
            _ => {}
        }
        names
    }

    /// Whether the backend can send the visitor to a page of another site
    /// after a submission (Netlify only shows pages of the site it deploys).
    pub(crate) fn redirects_off_site(self) -> bool {
        self != Provider::Netlify
    }

    /// Checks where the form posts. `action` is `None` when site.toml
    /// leaves it out, which only Netlify allows (the form posts to the page
    /// itself and Netlify answers with its own success page).
    pub(crate) fn check_action(self, action: Option<&str>) -> Result<(), Problem> {
        let Some(action) = action else {
            return match self {
                Provider::Netlify => Ok(()),
                _ => Err(Problem::new(
                    "`action` is missing: where should the browser post the form?",
                    self.example_action(),
                )),
            };
        };
        match self {
            Provider::Generic | Provider::Formspree => {
                if crate::util::url_safety::is_absolute_http(action) || action.starts_with('/') {
                    Ok(())
                } else {
                    Err(Problem::new(
                        "`action` must be an http(s) URL or a path starting with `/`",
                        self.example_action(),
                    ))
                }
            }
            Provider::Netlify => check_netlify_action(action),
            Provider::Hubspot => check_hubspot_action(action),
            Provider::Salesforce => check_salesforce_action(action),
        }
    }

    fn example_action(self) -> String {
        match self {
            Provider::Generic => {
                "for example `action = \"https://forms.example.com/leads\"`".into()
            }
            Provider::Formspree => {
                "for example `action = \"https://formspree.io/f/xyzabcde\"`".into()
            }
            Provider::Netlify => "leave `action` out and set `redirect` to the success page".into(),
            Provider::Hubspot => format!("HubSpot forms post to `{HUBSPOT_ACTION}`"),
            Provider::Salesforce => format!("Web-to-Lead forms post to `{SALESFORCE_ACTION}`"),
        }
    }

    /// Checks the fixed hidden inputs a provider requires, given the form's
    /// `action` (Salesforce: `oid`, the org id, matching any `orgId=`).
    pub(crate) fn check_hidden<'a>(
        self,
        action: Option<&str>,
        mut hidden: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), Problem> {
        if self != Provider::Salesforce {
            return Ok(());
        }
        let Some((_, oid)) = hidden.find(|(name, _)| *name == "oid") else {
            return Err(Problem::new(
                "a Salesforce Web-to-Lead form needs the org id in a hidden `oid`",
                "add `hidden = { oid = \"00D…\" }`, the `oid` value of the form Salesforce generates (Setup > Web-to-Lead)",
            ));
        };
        if !is_salesforce_id(oid, "00D") {
            return Err(Problem::new(
                format!("`oid` `{oid}` is not a Salesforce org id"),
                "org ids are 15 or 18 letters and digits starting with `00D`, as in the form Salesforce generates",
            ));
        }
        let org = action.and_then(|a| query_value(a, "orgId"));
        match org {
            // The first 15 characters are the id; 18-character ids add a checksum.
            Some(org) if org.get(..15) != oid.get(..15) => Err(Problem::new(
                format!("the `orgId` of `action` (`{org}`) is not the hidden `oid` (`{oid}`)"),
                "copy both from the same form Salesforce generated",
            )),
            _ => Ok(()),
        }
    }

    /// Whether a name may be sent to this backend. HubSpot stores every
    /// field as a contact property, and property names start with a letter.
    pub(crate) fn check_name(self, name: &str) -> Result<(), Problem> {
        if self == Provider::Hubspot && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(Problem::new(
                format!(
                    "HubSpot cannot store `{name}`: HubSpot takes only contact properties, whose names start with a letter"
                ),
                "use the property's internal name (Settings > Properties), or `rename` it",
            ));
        }
        Ok(())
    }
}

fn check_netlify_action(action: &str) -> Result<(), Problem> {
    if action.starts_with('/') {
        return Ok(());
    }
    Err(Problem::new(
        "a Netlify form cannot post to another site: Netlify only receives the forms of the site it deploys, so an absolute `action` sends every lead past it",
        "Netlify reads `action` as the success page: leave `action` out and set `redirect = \"@/thanks.md\"` (or a path such as `/thanks/`)",
    ))
}

/// A checker's answer for a URL that is not of the `kind` a backend takes:
/// `why`, and what the backend's URL looks like.
fn not_a(kind: &'static str, expected: String) -> impl Fn(&str) -> Result<(), Problem> {
    move |why| {
        Err(Problem::new(
            format!("`action` is not a {kind} URL: {why}"),
            expected.clone(),
        ))
    }
}

/// `https://host/path?query` as (host, path without its first `/`, query).
fn https_parts(url: &str) -> Option<(&str, &str, &str)> {
    let rest = url.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.split('#').next().unwrap_or("");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    Some((host, path, query))
}

fn check_hubspot_action(action: &str) -> Result<(), Problem> {
    let wrong = not_a(
        "HubSpot form",
        format!(
            "HubSpot forms post to `{HUBSPOT_ACTION}`; the portal id and form GUID are in the form's editor URL in HubSpot"
        ),
    );
    let Some((host, path, _)) = https_parts(action) else {
        return wrong("it must start with `https://`");
    };
    if host.ends_with("hsforms.com") {
        return wrong("the v3 API takes JSON, which an HTML form cannot send; use the v2 URL");
    }
    let regional = host
        .strip_prefix("forms-")
        .and_then(|h| h.strip_suffix(".hubspot.com"))
        .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    if host != "forms.hubspot.com" && !regional {
        return wrong("the host must be `forms.hubspot.com`");
    }
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let ["uploads", "form", "v2", portal, guid] = parts.as_slice() else {
        return wrong("the path must be `/uploads/form/v2/{portalId}/{formGuid}`");
    };
    if portal.is_empty() || !portal.bytes().all(|b| b.is_ascii_digit()) {
        return wrong(&format!("the portal id `{portal}` must be a number"));
    }
    if !is_guid(guid) {
        return wrong(&format!(
            "the form GUID `{guid}` must look like `78c2891f-ebdd-44c0-bd94-15c012bbbfbf`"
        ));
    }
    Ok(())
}

fn check_salesforce_action(action: &str) -> Result<(), Problem> {
    let wrong = not_a(
        "Salesforce Web-to-Lead",
        format!(
            "Web-to-Lead forms post to `{SALESFORCE_ACTION}` (or your My Domain host), as in the form Salesforce generates"
        ),
    );
    let Some((host, path, query)) = https_parts(action) else {
        return wrong("it must start with `https://`");
    };
    if !(host == "salesforce.com" || host.ends_with(".salesforce.com")) {
        return wrong("the host must be `webto.salesforce.com` or a `….salesforce.com` My Domain");
    }
    if path != "servlet/servlet.WebToLead" {
        return wrong("the path must be `/servlet/servlet.WebToLead`");
    }
    if !query_value(query, "encoding").is_some_and(|e| e.eq_ignore_ascii_case("UTF-8")) {
        return wrong(
            "`?encoding=UTF-8` is missing, without which Salesforce reads names such as `Zoë` in another encoding",
        );
    }
    Ok(())
}

/// The value of `name` in a URL's query (or a bare query string).
fn query_value<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?').map_or(url, |(_, q)| q);
    query
        .split('#')
        .next()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A Salesforce record id with a key prefix: 15 or 18 letters and digits.
pub(crate) fn is_salesforce_id(text: &str, prefix: &str) -> bool {
    (text.len() == 15 || text.len() == 18)
        && text.starts_with(prefix)
        && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Provider::ALL {
            assert_eq!(Provider::from_name(p.name()), Some(p));
        }
        assert_eq!(Provider::from_name("hubspott"), None);
    }

    #[test]
    fn hubspot_action_has_portal_and_guid() {
        // The example URL of HubSpot's v2 "Submit data to a form" reference.
        let ok =
            "https://forms.hubspot.com/uploads/form/v2/62515/78c2891f-ebdd-44c0-bd94-15c012bbbfbf";
        assert_eq!(Provider::Hubspot.check_action(Some(ok)), Ok(()));
        let problem = |a: &str| Provider::Hubspot.check_action(Some(a)).unwrap_err().message;
        assert!(problem("https://forms.hubspot.com/uploads/form/v2/acme/78c2891f-ebdd-44c0-bd94-15c012bbbfbf").contains("portal id `acme`"));
        assert!(
            problem("https://forms.hubspot.com/uploads/form/v2/62515/not-a-guid")
                .contains("form GUID")
        );
        assert!(problem("https://forms.hubspot.com/uploads/form/v2/62515").contains("path"));
        assert!(
            problem("https://api.hsforms.com/submissions/v3/integration/submit/1/2").contains("v3")
        );
        assert!(problem("https://forms.example.com/uploads/form/v2/1/x").contains("host"));
        assert!(Provider::Hubspot.check_action(None).is_err());
    }

    #[test]
    fn salesforce_action_and_org_id() {
        let sf = Provider::Salesforce;
        let ok = "https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8";
        assert_eq!(sf.check_action(Some(ok)), Ok(()));
        let my_domain = "https://acme.my.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8&orgId=00D5e000000AbCd";
        assert_eq!(sf.check_action(Some(my_domain)), Ok(()));
        assert!(
            sf.check_action(Some(
                "https://webto.salesforce.com/servlet/servlet.WebToLead"
            ))
            .unwrap_err()
            .message
            .contains("encoding=UTF-8")
        );
        assert!(
            sf.check_action(Some(
                "https://evil.example/servlet/servlet.WebToLead?encoding=UTF-8"
            ))
            .is_err()
        );
        let oid = [("oid", "00D5e000000AbCd")];
        assert_eq!(sf.check_hidden(Some(ok), oid.into_iter()), Ok(()));
        assert_eq!(sf.check_hidden(Some(my_domain), oid.into_iter()), Ok(()));
        let other = [("oid", "00D5e000000ZzZz")];
        assert!(
            sf.check_hidden(Some(my_domain), other.into_iter())
                .unwrap_err()
                .message
                .contains("orgId")
        );
        assert!(
            sf.check_hidden(Some(ok), std::iter::empty())
                .unwrap_err()
                .message
                .contains("`oid`")
        );
        assert!(
            sf.check_hidden(Some(ok), [("oid", "12345")].into_iter())
                .is_err()
        );
    }

    #[test]
    fn netlify_action_is_a_path_or_absent() {
        assert_eq!(Provider::Netlify.check_action(None), Ok(()));
        assert_eq!(Provider::Netlify.check_action(Some("/thanks/")), Ok(()));
        let p = Provider::Netlify
            .check_action(Some("https://forms.example/x"))
            .unwrap_err();
        assert!(
            p.message
                .contains("Netlify only receives the forms of the site it deploys")
        );
    }

    #[test]
    fn own_fields_follow_each_convention() {
        assert_eq!(Provider::Generic.own_fields(), ["_hp", "_redirect"]);
        assert_eq!(Provider::Formspree.own_fields(), ["_gotcha", "_next"]);
        assert_eq!(Provider::Netlify.own_fields(), ["bot-field", "form-name"]);
        assert_eq!(Provider::Hubspot.own_fields(), ["hs_context"]);
        assert_eq!(Provider::Salesforce.own_fields(), ["retURL"]);
        assert!(Provider::Hubspot.check_name("_subject").is_err());
        assert!(Provider::Hubspot.check_name("utm_source").is_ok());
    }
}
