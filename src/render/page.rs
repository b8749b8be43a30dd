//! One page rendered through its template: the context templates see
//! (`site`, `campaign`, `page`, `feeds`, and `section`, `paginator`,
//! `taxonomy`, `terms`, `term` or `collateral` where they apply), the
//! page's guarantees, and its errors; and the 404 page.

use crate::model::csp::Sources;
use crate::model::page_scripts::PageScripts;
use tera::{Context, Value};

use super::cache::Bodies;
use super::engine::{Engine, RenderError};
use super::views::{self, SectionView};
use super::{finish, json_ld, listing};
use crate::diagnostic::Diagnostic;
use crate::markdown::Body;
use crate::site::{Output, PageKind, Site, UrlPath};

fn base_context(engine: &Engine, campaign: Option<&str>) -> Context {
    let shared = &engine.shared;
    let mut context = Context::new();
    context.insert_value("site", shared.site());
    context.insert_value("campaign", shared.campaign(campaign));
    context
}

/// Renders one output from its `body` (and, for a listing, its pages'
/// in `bodies`), with what it runs and loads (read in the pass that
/// checks its URLs); `Err(None)` when it is left out for an error
/// reported elsewhere (its template is broken or unknown).
pub(super) fn render_page(
    site: &Site,
    engine: &Engine,
    body: &Body,
    bodies: &Bodies<'_>,
    index: usize,
    scripts: &PageScripts,
    qr_codes: &crate::render::qr::QrCodes,
) -> Result<(String, Sources), Option<Diagnostic>> {
    let output = &site.outputs[index];
    let entry = &site.entries[output.entry];
    let template = entry.template.as_str();
    if engine.is_broken(template) {
        return Err(None);
    }
    if !engine.has(template) {
        // A template the front matter names is checked when the site is
        // assembled; a default one (`page.html`) the theme must have.
        return match entry.front().template {
            Some(_) => Err(None),
            None => Err(Some(missing_template(template))),
        };
    }
    let mut page = views::page_view(site, output, Some(body));
    page.qr = views::qr_view(site, index, qr_codes).map_err(|e| {
        Diagnostic::file(&entry.doc.source, e)
            .with_help("a QR code holds at most 2,331 characters: shorten `base_url`")
    })?;
    page.json_ld = Some(json_ld::of(site, output, &page));
    let mut context = base_context(engine, entry.campaign.as_deref());
    context.insert("feeds", &listing::feeds(site, Some(output.entry)));
    listing_context(site, output, bodies, body, &mut context);
    if entry.kind == PageKind::CollateralLibrary {
        context.insert("collateral", &views::collateral(site));
    }
    context.insert("page", &page);
    let html = engine
        .render(&entry.template, &context)
        .map_err(|e| Some(e.diagnostic))?;
    let html = crate::render::finish::finish_page(html, entry.campaign.as_deref(), scripts);
    let sources = Sources::scan_checked(&html).map_err(|found| {
        let doc = &entry.doc;
        Some(finish::script_url_error(
            &found,
            &doc.source,
            &doc.text,
            &entry.template,
        ))
    })?;
    let analytics = site.config.analytics.as_ref();
    let html = finish::with_csp_meta(html, engine.csp_meta.then_some(&sources), analytics);
    Ok((html, sources))
}

/// What a listing's template sees besides `page`: `section` for a section,
/// `taxonomy` and `terms` or `term` for a taxonomy's pages, and
/// `paginator` for a paginated listing (whose `section.pages` is then
/// empty, as in Zola: its pages are the paginator's).
fn listing_context(
    site: &Site,
    output: &Output,
    bodies: &Bodies<'_>,
    body: &Body,
    context: &mut Context,
) {
    let entry = &site.entries[output.entry];
    let listed = |i: usize| bodies.listed.get(site, bodies, i);
    let paging = site.paging(output.entry);
    if let Some(paging) = paging {
        let paginator = listing::paginator(site, output, paging, &entry.pages, &listed);
        context.insert_value("paginator", paginator);
    }
    match entry.kind {
        PageKind::TaxonomyList(t) => {
            let taxonomy = &site.taxonomies[t];
            let terms = (taxonomy.terms.iter())
                .map(|term| listing::term(site, term, &|i| Some(listed(i))))
                .collect::<Vec<_>>();
            context.insert("taxonomy", &taxonomy.config);
            context.insert_value("terms", Value::from(terms));
        }
        PageKind::Term(t, k) => {
            let taxonomy = &site.taxonomies[t];
            context.insert("taxonomy", &taxonomy.config);
            // Paginated, its pages are the paginator's (as a section's).
            let none = |_: usize| None;
            let listed: &dyn Fn(usize) -> Option<Value> = match paging {
                Some(_) => &none,
                None => &|i| Some(listed(i)),
            };
            context.insert_value("term", listing::term(site, &taxonomy.terms[k], listed));
        }
        _ if entry.doc.is_section() => {
            let section = SectionView {
                page: views::page_view(site, output, Some(body)),
                subsections: entry
                    .subsections
                    .iter()
                    .map(|&i| views::subsection_view(site, i))
                    .collect(),
            };
            let pages = match paging {
                Some(_) => Vec::new(),
                None => entry.pages.iter().map(|&i| listed(i)).collect(),
            };
            context.insert_value("section", section.with_pages(pages));
        }
        _ => {}
    }
}

/// Whether output `i`'s page shows no other page's body: a page that
/// lists nothing. A section, a taxonomy's page or a paginated listing show
/// their pages' summaries ([`listing_context`]), the collateral library its
/// one-pagers.
pub(super) fn shows_only_its_body(site: &Site, i: usize) -> bool {
    let Some(output) = site.outputs.get(i) else {
        return false;
    };
    let entry = &site.entries[output.entry];
    matches!(
        entry.kind,
        PageKind::Page | PageKind::Landing | PageKind::OnePager
    ) && !entry.doc.is_section()
        && site.paging(output.entry).is_none()
}

/// A template the theme does not have, though a page needs it.
fn missing_template(name: &str) -> Diagnostic {
    let path = std::path::Path::new("templates").join(name);
    Diagnostic::file(&path, format!("no template `{name}`"))
        .with_help(format!(
            "add {}, or name another with `template` in the page's front matter",
            path.display()
        ))
        .kind(crate::diagnostic::Kind::Template)
}

pub(super) fn render_404(
    site: &Site,
    engine: &Engine,
    scripts: &PageScripts,
) -> Result<String, Box<RenderError>> {
    let home = site.home();
    let output = Output::main(home, UrlPath::top_file("404.html"));
    let mut page = views::page_view(site, &output, None);
    page.title = "Page not found";
    page.description = "This page does not exist.";
    page.permalink = site.permalink("/404.html");
    page.template = "404.html";
    page.form = None;
    page.campaign = site.config.default_campaign.as_deref();
    let campaign = site.config.default_campaign.as_deref();
    let mut context = base_context(engine, campaign);
    context.insert("feeds", &listing::feeds(site, None));
    context.insert("page", &page);
    let html = engine.render("404.html", &context)?;
    let html = crate::render::finish::finish_page(html, campaign, scripts);
    let sources = Sources::scan_checked(&html).map_err(|found| {
        let source = std::path::Path::new("404.html");
        let diagnostic = finish::script_url_error(&found, source, "", "404.html");
        Box::new(RenderError {
            diagnostic,
            unknown: None,
        })
    })?;
    let analytics = site.config.analytics.as_ref();
    Ok(finish::with_csp_meta(
        html,
        engine.csp_meta.then_some(&sources),
        analytics,
    ))
}
