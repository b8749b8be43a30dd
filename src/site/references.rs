//! What each entry's front matter names, resolved against site.toml and
//! the theme: its campaign (else its nearest section's, else the site's
//! `default_campaign`), its form, and its template, with the role that
//! template gives it ([`PageKind`]). A name that is not declared is
//! reported where it is written, with the nearest known one.

use super::kind::{COLLATERAL_TEMPLATE, PageKind};
use super::{COLLATERAL_FOLDER, Entry, Templates};
use crate::diagnostic::{Diagnostic, Name};
use crate::source::config::SiteConfig;
use crate::source::content::section_file;

/// Sets every entry's campaign, form, template and kind.
pub(super) fn resolve(
    config: &SiteConfig,
    entries: &mut [Entry],
    templates: &dyn Templates,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for i in 0..entries.len() {
        let (campaign, form) = own_names(config, &entries[i], diagnostics);
        let template = choose_template(entries, i, templates);
        if let Some(t) = &entries[i].doc.front.template
            && !templates.has(t.get_ref())
        {
            let doc = &entries[i].doc;
            let known = templates.names();
            diagnostics.push(doc.unknown(t.span(), Name::Template, t.get_ref(), known));
        }
        entries[i].kind = PageKind::of_template(&template);
        entries[i].template = template;
        entries[i].campaign = campaign;
        entries[i].form = form;
    }
    inherit_campaigns(config, entries);
}

/// The campaign and form the entry's own front matter names, when
/// site.toml declares them.
fn own_names(
    config: &SiteConfig,
    entry: &Entry,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<String>) {
    let doc = &entry.doc;
    let front = &doc.front;
    let campaign = match &front.campaign {
        Some(c) if config.campaigns.contains_key(c.get_ref()) => Some(c.get_ref().clone()),
        Some(c) => {
            let known = config.campaigns.keys().map(String::as_str);
            diagnostics.push(doc.unknown(c.span(), Name::Campaign, c.get_ref(), known));
            None
        }
        None => None,
    };
    let form = match &front.form {
        Some(f) if config.forms.contains_key(f.get_ref()) => Some(f.get_ref().clone()),
        Some(f) => {
            let known = config.forms.keys().map(String::as_str);
            diagnostics.push(doc.unknown(f.span(), Name::Form, f.get_ref(), known));
            None
        }
        None => None,
    };
    (campaign, form)
}

/// Campaigns inherited down the section chain: an entry without one takes
/// its nearest section's, else `default_campaign`.
fn inherit_campaigns(config: &SiteConfig, entries: &mut [Entry]) {
    for i in 0..entries.len() {
        if entries[i].campaign.is_some() {
            continue;
        }
        let mut p = entries[i].parent;
        let mut hops = 0;
        while let Some(pi) = p {
            if let Some(c) = &entries[pi].doc.front.campaign
                && config.campaigns.contains_key(c.get_ref())
            {
                entries[i].campaign = Some(c.get_ref().clone());
                break;
            }
            p = entries[pi].parent;
            hops += 1;
            if hops > entries.len() {
                break;
            }
        }
        if entries[i].campaign.is_none() {
            entries[i].campaign = config.default_campaign.clone();
        }
    }
}

/// The template the front matter names, else the default for the kind of
/// file: `index.html` for the home page (when the theme has it), the
/// collateral library's for collateral/, `section.html` for a section, and
/// for a page its section's `page_template`, else `page.html`.
fn choose_template(entries: &[Entry], i: usize, templates: &dyn Templates) -> String {
    let entry = &entries[i];
    if let Some(t) = &entry.doc.front.template {
        return t.get_ref().clone();
    }
    if entry.doc.is_section() {
        if entry.doc.is_home() && templates.has("index.html") {
            return "index.html".into();
        }
        if entry.doc.rel == section_file(COLLATERAL_FOLDER) && templates.has(COLLATERAL_TEMPLATE) {
            return COLLATERAL_TEMPLATE.into();
        }
        return "section.html".into();
    }
    // The nearest section above that names one, as Zola has it.
    let mut section = entry.parent;
    while let Some(s) = section {
        if let Some(t) = entries[s].doc.front.page_template() {
            return t.get_ref().clone();
        }
        section = entries[s].parent;
    }
    "page.html".into()
}
