//! What the assembled site puts out: one output per page, variant and rep
//! copy (no two at one URL), each one-pager's QR landing, and content
//! assets beside their pages; with the checks between pages these need.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::at_link::AtLink;
use crate::source::content::ContentAsset;

use super::{Asset, Output, PageKind, Site, UrlPath, folder_url};

pub(super) fn check_landing_links(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for entry in &site.entries {
        let Some(landing) = &entry.doc.front.collateral.landing else {
            continue;
        };
        let doc = &entry.doc;
        // A landing is a page: what follows `@/`, all of it, names its file.
        match AtLink::parse(landing.get_ref()).map(AtLink::rest) {
            Some(rel) => diagnostics.extend(site.broken_link(doc, landing.span(), rel)),
            None => diagnostics.push(
                doc.error(
                    landing.span(),
                    format!("`landing` `{}` is not an `@/` link", landing.get_ref()),
                )
                .with_help("name the page's file under content/, like `landing = \"@/spring.md\"`")
                .kind(Kind::FrontMatter),
            ),
        }
    }
}

/// Every HTML output, checking that no two claim one URL; and apart, each
/// entry that is not written (`render = false`), whose body templates see.
pub(super) fn list_outputs(
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Output>, Vec<Output>) {
    let mut outputs = Vec::new();
    let mut unwritten = Vec::new();
    let mut claimed: HashMap<UrlPath, usize> = HashMap::with_capacity(site.entries.len());
    for (i, entry) in site.entries.iter().enumerate() {
        if !entry.front().zola.render {
            unwritten.push(Output::main(i, entry.path.clone()));
            continue;
        }
        let mut add = |output: Output| {
            if let Some(&other) = claimed.get(&output.path) {
                diagnostics.push(url_taken(site, &output.path, i, other));
                return;
            }
            claimed.insert(output.path.clone(), i);
            outputs.push(output);
        };
        // A section that redirects is no page (its redirect is listed in
        // `site/redirects.rs`), but its URL is still its own.
        if entry.front().blog.listing.redirect_to.is_some() {
            claimed.insert(entry.path.clone(), i);
            continue;
        }
        add(Output::main(i, entry.path.clone()));
        if let Some(paging) = site.paging(i) {
            for n in 2..=paging.pagers(entry.pages.len()) {
                let path = paging.path(&entry.path, n);
                add(Output {
                    pager: n,
                    ..Output::main(i, path)
                });
            }
        }
        for (v, variant) in entry.doc.front.variants.iter().enumerate() {
            let path = entry.path.child(variant.id.get_ref());
            add(Output {
                variant: Some(v),
                ..Output::main(i, path)
            });
        }
        if entry.front().collateral.personalize && entry.is_collateral() {
            for rep in site.config.reps.keys() {
                let path = entry.path.child(rep);
                add(Output {
                    rep: Some(rep.clone()),
                    ..Output::main(i, path)
                });
            }
        }
    }
    (outputs, unwritten)
}

/// Two entries at one URL: said at the `slug` or `path` that put one of
/// them there (the later one's if both have one), else at the later file.
fn url_taken(site: &Site, path: &str, later: usize, earlier: usize) -> Diagnostic {
    let placed_by = |i: usize| {
        let front = &site.entries[i].doc.front;
        front.slug().or(front.path()).map(|s| s.span())
    };
    let (at, other, span) = match (placed_by(later), placed_by(earlier)) {
        (None, Some(span)) => (earlier, later, Some(span)),
        (span, _) => (later, earlier, span),
    };
    let doc = &site.entries[at].doc;
    let message = format!(
        "two pages at one URL `{path}`: this one and {}",
        site.entries[other].doc.source.display()
    );
    let d = match span {
        Some(span) => doc.error(span, message),
        None => Diagnostic::file(&doc.source, message),
    };
    d.with_help("give one of them another `slug` or file name")
}

/// Collateral must be personalisable and have somewhere for its QR code
/// to lead: checks `personalize`, and finds each one-pager's landing page.
pub(super) fn check_collateral(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let home = site.home();
    // Each campaign's first landing page (by path), looked up once.
    let mut campaign_landing: HashMap<&str, &UrlPath> = HashMap::new();
    let landings = (site.entries.iter()).filter(|e| e.kind == PageKind::Landing);
    for e in landings.filter(|e| e.front().zola.render) {
        if let Some(c) = e.campaign.as_deref() {
            let best = campaign_landing.entry(c).or_insert(&e.path);
            if e.path < **best {
                *best = &e.path;
            }
        }
    }
    let landings: Vec<Option<UrlPath>> = site
        .entries
        .iter()
        .map(|entry| {
            if !entry.is_collateral() {
                return None;
            }
            if let Some(target) = entry
                .front()
                .collateral
                .landing
                .as_ref()
                .and_then(|l| AtLink::parse(l.get_ref()))
                .map(AtLink::rest)
            {
                return site.link(target).cloned();
            }
            let landing = entry
                .campaign
                .as_deref()
                .and_then(|c| campaign_landing.get(c));
            let landing = landing.map_or(&site.entries[home].path, |p| *p);
            Some(landing.clone())
        })
        .collect();
    let orphaned: Vec<bool> = (site.entries.iter())
        .map(|e| site.under_failed_section(&e.doc))
        .collect();
    for ((entry, landing), orphaned) in site.entries.iter_mut().zip(landings).zip(orphaned) {
        let entry = Arc::make_mut(entry);
        entry.qr_landing = landing;
        // A campaign it would inherit from a broken section is unknown.
        if entry.is_collateral() && entry.campaign.is_none() && !orphaned {
            diagnostics.push(
                Diagnostic::file(
                    &entry.doc.source,
                    "collateral needs a campaign for its QR code",
                )
                .with_help(
                    "set `campaign` in its front matter, or `default_campaign` in site.toml",
                ),
            );
        }
        let front = &entry.doc.front;
        if !front.collateral.personalize {
            continue;
        }
        let doc = &entry.doc;
        if !entry.is_collateral() {
            diagnostics.push(Diagnostic::file(
                &doc.source,
                "`personalize = true` is for one-pagers (template = \"one-pager.html\")",
            ));
        } else if site.config.reps.is_empty() {
            diagnostics.push(
                Diagnostic::file(
                    &doc.source,
                    "`personalize = true` but site.toml declares no reps",
                )
                .with_help("add reps as `[reps.<id>]` with `name`, `email` and `phone`"),
            );
        }
    }
}

/// Where each content asset goes: beside its section's or bundle's output.
pub(super) fn place_assets(site: &Site, assets: Vec<ContentAsset>) -> Vec<Asset> {
    let bundle_paths: HashMap<&str, &UrlPath> = site
        .entries
        .iter()
        .filter(|e| e.doc.is_folder())
        .map(|e| (e.doc.folder(), &e.path))
        .collect();
    assets
        .into_iter()
        .map(|ContentAsset { source, rel }| {
            let (folder, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
            let dir = bundle_paths
                .get(folder)
                .map_or_else(|| folder_url(folder), |p| (*p).clone());
            Asset {
                source,
                output: format!("{}{name}", &dir[1..]),
            }
        })
        .collect()
}
