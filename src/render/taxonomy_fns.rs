//! The template functions of taxonomies, as Zola names them:
//! `get_taxonomy(kind="tags")`, a taxonomy with its terms and each term's
//! pages, and `get_taxonomy_url(kind="tags", name="Pricing")`, the URL of
//! a term's page (root-relative, as `get_url` gives URLs). Both take
//! `required=false` to give nothing, rather than fail, for a taxonomy
//! site.toml does not declare.
//!
//! The pages `get_taxonomy` lists are views like a section's listing: with
//! their summaries once the bodies are rendered ([`Listings::set_bodies`]),
//! so in a shortcode (rendered with the bodies) they have none. Each
//! taxonomy is made once per build, however many pages ask for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::unknown::unknown_name;
use super::{listing, views};
use crate::diagnostic::Name;
use crate::markdown::Body;
use crate::site::{Site, Taxonomy};
use crate::util::fnv::hash_of;
use crate::util::slug::slugify;

/// What the functions share during one build.
pub(crate) struct Listings {
    site: Arc<Site>,
    /// Each entry's own body, once rendered.
    bodies: OnceLock<Vec<Option<Arc<Body>>>>,
    /// `get_taxonomy`'s answers, by taxonomy name, made with the bodies.
    made: Mutex<HashMap<String, Value>>,
}

impl Listings {
    pub(crate) fn new(site: Arc<Site>) -> Arc<Listings> {
        Arc::new(Listings {
            site,
            bodies: OnceLock::new(),
            made: Mutex::new(HashMap::new()),
        })
    }

    /// The bodies are rendered (`bodies[main_output[entry]]` being each
    /// entry's own): listed pages have their summaries.
    pub(crate) fn set_bodies(&self, bodies: &[Arc<Body>], main_output: &[usize]) {
        let by_entry = (main_output.iter())
            .map(|&o| bodies.get(o).cloned())
            .collect();
        let _ = self.bodies.set(by_entry);
    }

    /// Taxonomy `t` with its terms and their pages.
    fn taxonomy(&self, t: &Taxonomy) -> Value {
        let bodies = self.bodies.get();
        let make = || {
            let site = &*self.site;
            let listed = |i: usize| {
                let body = bodies.and_then(|b| b.get(i)).and_then(Option::as_deref);
                Value::from_serializable(&views::listed(site, i, body))
            };
            listing::taxonomy(site, t, &listed)
        };
        if bodies.is_none() {
            return make();
        }
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.entry(t.config.name.clone())
            .or_insert_with(make)
            .clone()
    }
}

/// Which taxonomy functions the templates call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Calls {
    /// `get_taxonomy_url`: pages depend on which terms there are.
    pub urls: bool,
    /// `get_taxonomy`: pages depend on every term's pages too.
    pub lists: bool,
}

/// Which taxonomy functions `templates` (their texts) call.
pub(crate) fn calls<'a>(templates: impl Iterator<Item = &'a str>) -> Calls {
    let mut calls = Calls::default();
    for text in templates {
        for (at, name) in text.match_indices("get_taxonomy") {
            match text[at + name.len()..].starts_with("_url") {
                true => calls.urls = true,
                false => calls.lists = true,
            }
        }
    }
    calls
}

/// What the pages of a build share through the taxonomy functions, for
/// the key of what every page shares: nothing when no template calls
/// them; the terms when one asks for their URLs; every term's pages too
/// when one lists a taxonomy.
pub(crate) fn shared_key(site: &Site, calls: Calls) -> u64 {
    if calls == Calls::default() {
        return 0;
    }
    let mut h = Vec::new();
    for t in site.taxonomies.iter() {
        for term in &t.terms {
            h.push(hash_of([term.slug.as_str(), term.name.as_str()]));
            h.push(u64::from(term.entry.is_some()));
            if calls.lists {
                h.push(hash_of(term.pages.iter().map(|&p| site.entries[p].key)));
            }
        }
    }
    hash_of(h)
}

/// Registers `get_taxonomy` and `get_taxonomy_url`.
pub(super) fn register(tera: &mut Tera, listings: Arc<Listings>) {
    let l = listings.clone();
    tera.register_function("get_taxonomy", move |kwargs: Kwargs, _: &State| {
        let Some(t) = find(&l.site, &kwargs)? else {
            return Ok(Value::none());
        };
        Ok(l.taxonomy(t))
    });
    tera.register_function("get_taxonomy_url", move |kwargs: Kwargs, _: &State| {
        let site = &listings.site;
        let Some(t) = find(site, &kwargs)? else {
            return Ok(Value::none());
        };
        let name: String = kwargs.must_get("name")?;
        let required = kwargs.get::<bool>("required")?.unwrap_or(true);
        let url = term_url(site, t, &name, required)?;
        Ok(url.map_or_else(Value::none, |url| Value::from(url.as_str())))
    });
}

/// The taxonomy `kind` names; `None` for an unknown one with
/// `required=false`.
fn find<'a>(site: &'a Site, kwargs: &Kwargs) -> TeraResult<Option<&'a Taxonomy>> {
    let kind: String = kwargs.must_get("kind")?;
    if let Some(lang) = kwargs.get::<String>("lang")?
        && lang != site.config.language
    {
        let message = format!(
            "`lang` `{lang}`: this site is built in one language, `{}`",
            site.config.language
        );
        return Err(tera::Error::message(message));
    }
    let required = kwargs.get::<bool>("required")?.unwrap_or(true);
    let names = site.taxonomies.iter().map(|t| t.config.name.as_str());
    match site.taxonomies.iter().find(|t| t.config.name == kind) {
        Some(t) => Ok(Some(t)),
        None if required => Err(unknown_name(Name::Taxonomy, &kind, names)),
        None => Ok(None),
    }
}

/// The root-relative URL of the page of term `name` (matched by slug, so
/// `Pricing` finds `pricing`); `None` when its pages are not built and
/// the template says it may do without (`required=false`: tag chips on a
/// site whose theme has no term pages, or whose `render` is `false`).
fn term_url(site: &Site, t: &Taxonomy, name: &str, required: bool) -> TeraResult<Option<String>> {
    let slug = slugify(name);
    // Terms are sorted by slug.
    let found = t
        .terms
        .binary_search_by(|term| term.slug.as_str().cmp(&slug));
    let Some(term) = found.ok().map(|k| &t.terms[k]) else {
        let known = t.terms.iter().map(|term| term.name.as_str());
        return Err(unknown_name(Name::Term, name, known));
    };
    if term.entry.is_none() && !required {
        return Ok(None);
    }
    if term.entry.is_none() {
        let why = match t.config.render {
            false => "its `render` is `false` in site.toml",
            true => "the theme has no `taxonomy_single.html`",
        };
        let message = format!(
            "taxonomy `{}` has no pages, so term `{name}` has no URL: {why}",
            t.config.name
        );
        return Err(tera::Error::message(message));
    }
    Ok(Some(site.url(&term.path)))
}
