//! Forms' success pages: once the site's pages are known, each form's
//! `redirect` (an `@/` link or a path; for Netlify also its `action` path)
//! must name a page the site builds, or every lead would land on a 404.
//! The error points into site.toml, with the nearest page suggested.

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::suggest::nearest_few;
use crate::model::at_link::AtLink;
use crate::model::forms::RedirectTo;
use crate::util::layout::CONFIG_FILE;

use super::Site;

/// Resolves every form's success page to the path of a built page.
pub(super) fn resolve_redirects(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let built: HashSet<&str> = site.outputs.iter().map(|o| o.path.as_str()).collect();
    let mut resolved = Vec::new();
    for (id, form) in &site.config.forms {
        let Some(redirect) = &form.redirect else {
            continue;
        };
        if redirect.to != RedirectTo::Unresolved {
            continue;
        }
        match page_of(site, &built, &redirect.written) {
            Ok(path) => resolved.push((id.clone(), path)),
            Err(missing) => {
                let at = redirect.span.clone();
                diagnostics.push(missing.diagnostic(site, id, at));
            }
        }
    }
    for (id, path) in resolved {
        if let Some(r) = site
            .config
            .forms
            .get_mut(&id)
            .and_then(|f| f.redirect.as_mut())
        {
            r.to = RedirectTo::Page(path);
        }
    }
}

impl Missing {
    /// The error in site.toml at the `redirect` of form `id` (`at`): the
    /// nearest name when one is close, else the nearest pages.
    fn diagnostic(self, site: &Site, id: &str, at: std::ops::Range<usize>) -> Diagnostic {
        let message = format!("form `{id}`: {}", self.message);
        let d = Diagnostic::at(CONFIG_FILE, &site.config.text, at, message);
        let d = match &self.near {
            Some(n) => d.suggest(&n.wrong, n.known.iter().map(String::as_str)),
            None => d,
        };
        if d.help.is_some() {
            return d;
        }
        match self.near {
            Some(Near { wrong, known }) if !known.is_empty() => d.with_help(format!(
                "every lead would land on a missing page; the nearest pages are {}",
                quoted(&nearest_few(&wrong, known, 3))
            )),
            _ => d.with_help("every lead would land on a missing page: name a page of content/, like `redirect = \"@/thanks.md\"`"),
        }
    }
}

/// `a`, `b`, `c`, as a message lists names.
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// Why a `redirect` names no page of the build.
struct Missing {
    message: String,
    /// What was written, when it may be a typo of a known name.
    near: Option<Near>,
}

/// A name written, and the names it may be a typo of.
struct Near {
    wrong: String,
    known: Vec<String>,
}

/// The output path `written` names, with any `?query` or `#fragment`.
fn page_of(site: &Site, built: &HashSet<&str>, written: &str) -> Result<String, Missing> {
    let split = written.find(['?', '#']).unwrap_or(written.len());
    let (target, suffix) = written.split_at(split);
    if let Some(link) = AtLink::parse(target) {
        let rel = link.rest();
        return match site.link(rel) {
            Some(path) if built.contains(path.as_str()) => Ok(format!("{path}{suffix}")),
            Some(_) => Err(Missing {
                message: format!(
                    "`redirect` `{written}` is a page this build leaves out (a draft?)"
                ),
                near: None,
            }),
            None => Err(Missing {
                message: format!("`redirect` `{written}` does not name a content file"),
                near: Some(Near {
                    wrong: rel.to_string(),
                    known: site.entries.iter().map(|e| e.doc.rel.clone()).collect(),
                }),
            }),
        };
    }
    let path = target
        .strip_prefix(site.config.base_url.as_str())
        .unwrap_or(target);
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    if built.contains(path.as_str()) {
        return Ok(format!("{path}{suffix}"));
    }
    Err(Missing {
        message: format!("`redirect` `{written}` is not a page this site builds"),
        near: Some(Near {
            wrong: path,
            known: (site.outputs.iter())
                .filter(|o| o.is_main())
                .map(|o| o.path.to_string())
                .collect(),
        }),
    })
}
