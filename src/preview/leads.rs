//! Form submissions in preview: the preview server receives the POST that a
//! form would send to its provider, prints the lead with its attribution,
//! appends it to `.utmost/preview-leads.jsonl`, and follows the form's
//! redirect, so the landing-page-to-lead loop can be tried locally.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::model::forms::{Provider, RedirectTo};
use crate::pipeline::Built;
use crate::preview::paths::local_redirect;
use crate::util::http::Response;
use crate::util::terminal_text::visible;

pub(crate) const LEADS_FILE: &str = ".utmost/preview-leads.jsonl";

/// Handles one submission; returns the redirect the browser follows.
/// The fields arrive in order, already checked to come from the preview's
/// own pages.
pub(crate) fn receive(
    root: &Path,
    built: Option<Arc<Built>>,
    sent: &[(String, String)],
) -> Response {
    let find = |fields: &[(String, String)], name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    // The form whose `form_id` (under the name it is sent as) names it.
    let form = built.as_ref().and_then(|b| {
        b.site
            .config
            .forms
            .values()
            .find(|f| find(sent, f.sent_name("form_id")) == f.id)
    });
    // Attribution fields by their own names, whatever a backend calls them.
    let fields: Vec<(String, String)> = sent
        .iter()
        .map(|(k, v)| {
            let own = form.and_then(|f| f.rename.iter().find(|(_, name)| *name == k));
            (own.map_or(k, |(field, _)| field).clone(), v.clone())
        })
        .collect();
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let form_id = get("form_id");
    let honeypot = form.map_or(Provider::Generic.honeypot(), |f| f.provider.honeypot());
    let page = get("page");
    if let Some(honeypot) = honeypot.filter(|h| !get(h).is_empty()) {
        println!("lead dropped: the honeypot field `{honeypot}` was filled (a bot?)");
    } else {
        print_lead(&fields, form_id, page);
        if let Err(e) = append(root, sent) {
            eprintln!("cannot append the lead to {LEADS_FILE}: {e}");
        }
    }
    // The form's success page when it is on the site, else back to the page
    // the form was on: only ever a path on the preview (the `page` field is
    // whatever was posted). A success page on another site is not followed.
    let target = form
        .and_then(|f| match &f.redirect.as_ref()?.to {
            RedirectTo::Page(path) => built.as_ref().map(|b| b.site.url(path)),
            _ => None,
        })
        .and_then(|t| local_redirect(&t))
        .or_else(|| local_redirect(page))
        .unwrap_or_else(|| "/".into());
    Response::redirect(303, &target)
}

fn print_lead(fields: &[(String, String)], form_id: &str, page: &str) {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    // Every value comes from whoever posted the form: escaped for the terminal.
    let or_none = |v: &str| {
        if v.is_empty() {
            "-".to_string()
        } else {
            visible(v).into_owned()
        }
    };
    println!(
        "lead: form {} on {} (variant {}), campaign {}",
        or_none(form_id),
        or_none(page),
        or_none(get("variant")),
        or_none(get("campaign_id"))
    );
    println!(
        "  last touch: source {} medium {} campaign {} content {}",
        or_none(get("utm_source")),
        or_none(get("utm_medium")),
        or_none(get("utm_campaign")),
        or_none(get("utm_content"))
    );
    println!(
        "  first touch: source {} medium {} campaign {} landing {} at {}",
        or_none(get("ft_utm_source")),
        or_none(get("ft_utm_medium")),
        or_none(get("ft_utm_campaign")),
        or_none(get("ft_landing_page")),
        or_none(get("ft_at"))
    );
    let hidden: Vec<String> = crate::model::forms::hidden_field_names().collect();
    let own: Vec<String> = fields
        .iter()
        .filter(|(k, _)| {
            !hidden.contains(k)
                && !k.starts_with('_')
                && !["bot-field", "form-name", "hs_context", "retURL"].contains(&k.as_str())
        })
        .map(|(k, v)| format!("{}={}", visible(k), visible(v)))
        .collect();
    println!("  fields: {}", own.join(", "));
}

fn append(root: &Path, fields: &[(String, String)]) -> std::io::Result<()> {
    let path = root.join(LEADS_FILE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut record = serde_json::Map::new();
    for (k, v) in fields {
        record.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    record.insert("received_at".into(), serde_json::Value::from(seconds));
    let mut line = serde_json::Value::Object(record).to_string();
    line.push('\n');
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}
