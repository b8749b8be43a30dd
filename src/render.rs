//! Rendering: every output's Markdown body, then every output's template,
//! both in parallel, into HTML held in memory (path → text).
//!
//! Bodies come first because section listings show their pages' summaries.
//! Each page then gets utmost's guarantees (`html::finish_page`). Nothing is
//! written here: `output.rs` writes, `serve` may serve from memory.

use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::markdown::{self, Body, Problem, Resolver};
use crate::progress::Progress;
use crate::shortcode::Call;
use crate::site::{COLLATERAL_TEMPLATE, Output, Site};
use crate::views::{self, CampaignView, SectionView, SiteView};

/// One rendered file: its path relative to the output directory, and text.
pub type Page = (String, String);

/// Renders every page, collecting every error.
pub fn render_site(
    site: &Arc<Site>,
    engine: &Engine,
    progress: &Progress,
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    progress.stage("rendering", site.outputs.len() * 2);
    let results: Vec<(Body, Vec<Diagnostic>)> = site
        .outputs
        .par_iter()
        .map(|o| {
            let r = render_body(site, engine, o);
            progress.tick();
            r
        })
        .collect();
    let mut diagnostics = Vec::new();
    let bodies: Vec<Body> = results
        .into_iter()
        .map(|(b, d)| {
            diagnostics.extend(d);
            b
        })
        .collect();
    let script = crate::forms::attribution_script(site.config.window_days);
    let mut main_output = vec![0; site.entries.len()];
    for (i, o) in site.outputs.iter().enumerate() {
        if o.variant.is_none() {
            main_output[o.entry] = i;
        }
    }
    let bodies = Bodies {
        all: &bodies,
        main_output: &main_output,
    };
    let pages: Vec<Result<Page, Diagnostic>> = site
        .outputs
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            let r = render_page(site, engine, &bodies, i, &script)
                .map(|html| (index_file(&o.path), html));
            progress.tick();
            r
        })
        .collect();
    let mut out = Vec::with_capacity(pages.len() + 1);
    let mut failed: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    for (page, output) in pages.into_iter().zip(&site.outputs) {
        match page {
            Ok(p) => out.push(p),
            Err(d) => {
                let source = site.entries[output.entry]
                    .doc
                    .source
                    .to_str()
                    .unwrap_or("?");
                match failed.iter_mut().find(|(f, _)| *f == d) {
                    Some((_, sources)) => sources.push(source),
                    None => failed.push((d, vec![source])),
                }
            }
        }
    }
    diagnostics.extend(
        failed
            .into_iter()
            .map(|(d, sources)| with_pages(d, &sources)),
    );
    if engine.has("404.html") {
        match render_404(site, engine, &script) {
            Ok(html) => out.push(("404.html".into(), html)),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(diagnostics)
    }
}

/// A template error, saying which pages it broke.
fn with_pages(d: Diagnostic, sources: &[&str]) -> Diagnostic {
    let more = match sources.len() {
        0 | 1 => String::new(),
        n => format!(" and {} more page{}", n - 1, if n == 2 { "" } else { "s" }),
    };
    let note = format!("while rendering {}{more}", sources.first().unwrap_or(&"?"));
    let help = match &d.help {
        Some(h) => format!("{h}; {note}"),
        None => note,
    };
    Diagnostic {
        help: Some(help),
        ..d
    }
}

/// `/blog/post/` → `blog/post/index.html`.
pub fn index_file(path: &str) -> String {
    format!("{}index.html", &path[1..])
}

fn render_body(site: &Site, engine: &Engine, output: &Output) -> (Body, Vec<Diagnostic>) {
    let entry = &site.entries[output.entry];
    if entry.generated {
        return (Body::default(), Vec::new());
    }
    let page = views::page_view(site, output, None);
    let site_view = SiteView::new(site);
    let shortcode = |call: &Call| -> Result<String, Problem> {
        let name = format!("shortcodes/{}.html", call.name);
        if !engine.has(&name) {
            let known = engine.shortcode_names();
            let d = crate::diagnostic::nearest(&call.name, known.iter().map(String::as_str));
            return Err(Problem {
                span: call.span.clone(),
                message: format!("unknown shortcode `{}`", call.name),
                help: Some(match d {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!(
                        "shortcodes live in templates/shortcodes/; known: {}",
                        known.join(", ")
                    ),
                }),
            });
        }
        let mut context = Context::new();
        for (key, value) in &call.args {
            context.insert(key.clone(), value);
        }
        if let Some(body) = &call.body {
            context.insert("body", body);
        }
        context.insert("page", &page);
        context.insert("site", &site_view);
        engine.render(&name, &context).map_err(|d| Problem {
            span: call.span.clone(),
            message: format!("shortcode `{}` failed: {}", call.name, d.message),
            help: Some(format!("in {}:{}:{}", d.path.display(), d.line, d.column)),
        })
    };
    let link = |rel: &str| site.link(rel).map(|p| site.url(p));
    let resolver = Resolver {
        link: &link,
        shortcode: &shortcode,
    };
    let (body, problems) = markdown::render(entry.doc.body(), &resolver);
    let start = entry.doc.body_start;
    let diagnostics = problems
        .into_iter()
        .map(|p| {
            let d = entry
                .doc
                .error(p.span.start + start..p.span.end + start, p.message);
            match p.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        })
        .collect();
    (body, diagnostics)
}

fn base_context<'a>(site: &'a Site, campaign: Option<&'a str>) -> Context {
    let mut context = Context::new();
    context.insert("site", &SiteView::new(site));
    let campaign = campaign
        .and_then(|c| site.config.campaigns.get(c))
        .map(CampaignView::new);
    context.insert("campaign", &campaign);
    context
}

/// The rendered bodies by output, and each entry's own (variant `a`) output.
struct Bodies<'a> {
    all: &'a [Body],
    main_output: &'a [usize],
}

fn render_page(
    site: &Site,
    engine: &Engine,
    bodies: &Bodies<'_>,
    index: usize,
    script: &str,
) -> Result<String, Diagnostic> {
    let output = &site.outputs[index];
    let entry = &site.entries[output.entry];
    let body = &bodies.all[index];
    let page = views::page_view(site, output, Some(body));
    let mut context = base_context(site, entry.campaign.as_deref());
    if entry.doc.is_section {
        let section = SectionView {
            page: views::page_view(site, output, Some(body)),
            pages: entry
                .pages
                .iter()
                .map(|&i| views::listed(site, i, bodies.all.get(bodies.main_output[i])))
                .collect(),
            subsections: entry
                .subsections
                .iter()
                .map(|&i| views::subsection_view(site, i))
                .collect(),
        };
        context.insert("section", &section);
    }
    if entry.template == COLLATERAL_TEMPLATE {
        context.insert("collateral", &views::collateral(site));
    }
    context.insert("page", &page);
    let html = engine.render(&entry.template, &context)?;
    Ok(crate::html::finish_page(
        html,
        entry.campaign.as_deref(),
        script,
    ))
}

fn render_404(site: &Site, engine: &Engine, script: &str) -> Result<String, Diagnostic> {
    let home = site.home();
    let output = Output {
        entry: home,
        variant: None,
        path: "/404.html".into(),
    };
    let mut page = views::page_view(site, &output, None);
    page.title = "Page not found";
    page.description = "This page does not exist.";
    page.permalink = site.permalink("/404.html");
    page.template = "404.html";
    page.form = None;
    page.campaign = site.config.default_campaign.as_deref();
    let campaign = site.config.default_campaign.as_deref();
    let mut context = base_context(site, campaign);
    context.insert("page", &page);
    let html = engine.render("404.html", &context)?;
    Ok(crate::html::finish_page(html, campaign, script))
}
