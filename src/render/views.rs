//! What templates see: small borrowed views of the site, built per render.
//!
//! Views are `Serialize` structs holding references into the [`Site`] and
//! the rendered bodies, so building one copies no page content. Their field
//! names are the template contract documented in docs/themes.md.

use std::borrow::Cow;

use serde::Serialize;

use crate::markdown::{Body, Heading};
use crate::model::campaign::{PRINT_MEDIUM, PRINT_SOURCE, Tags, tag_url};
use crate::site::{Entry, Output, ShortFor, Site};
use crate::source::config::{Brand, Paper, Rep};
use crate::source::content::Terms;

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub extra: &'a serde_json::Value,
    /// Collateral paper: `letter` or `a4`.
    pub paper: Paper,
    /// `[brand]`: its files and colour shades.
    pub brand: &'a Brand,
}

impl<'a> SiteView<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            extra: &c.extra,
            paper: c.paper,
            brand: &c.brand,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: String,
    pub permalink: String,
    pub content: &'a str,
    pub summary: &'a str,
    pub date: Option<&'a str>,
    /// When the page was last changed (front matter `updated`).
    pub updated: Option<&'a str>,
    pub authors: &'a [String],
    /// Zola's key, kept for themes that build a search index.
    pub in_search_index: bool,
    pub slug: &'a str,
    pub template: &'a str,
    pub campaign: Option<&'a str>,
    pub form: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub persona: Option<&'a str>,
    pub weight: Option<i64>,
    pub tags: &'a [String],
    /// Zola's `page.taxonomies`: the terms it is filed under, by taxonomy.
    pub taxonomies: TaxonomyTerms<'a>,
    pub extra: Cow<'a, serde_json::Value>,
    pub variant: &'a str,
    pub word_count: usize,
    pub reading_time: usize,
    pub toc: &'a [Heading],
    pub source: String,
    /// A rep's personal copy of collateral: whose it is.
    pub rep: Option<&'a Rep>,
    /// Collateral: where its QR code leads, and the code itself (set only
    /// on the page being rendered).
    pub qr: Option<QrView>,
    /// Collateral: the root-relative URL of its PDF (`build --pdf`).
    pub pdf: Option<String>,
    /// The page's structured data, JSON-LD escaped to stand inside a
    /// `<script type="application/ld+json">` (set only on the page being
    /// rendered).
    pub json_ld: Option<String>,
}

/// A page's terms by taxonomy, serialized as a map (`{ tags: [...] }`).
pub(crate) struct TaxonomyTerms<'a>(&'a [Terms]);

impl Serialize for TaxonomyTerms<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for t in self.0 {
            map.serialize_entry(&t.taxonomy, &t.terms)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
pub(crate) struct QrView {
    /// What the code opens and the page prints: the copy's short link
    /// (`/go/<code>/`), else its full tagged URL.
    pub url: String,
    /// The full tagged URL the code leads to.
    pub target: String,
    /// Inline SVG, safe to print with `| safe`.
    pub svg: String,
}

/// A section: its own page view, its pages (added by [`with_pages`], as
/// views made once per build) and its subsections.
///
/// [`with_pages`]: SectionView::with_pages
#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    #[serde(flatten)]
    pub page: PageView<'a>,
    pub subsections: Vec<SubsectionView<'a>>,
}

impl SectionView<'_> {
    /// The section as a template value, `pages` placed before `subsections`.
    pub(crate) fn with_pages(&self, pages: Vec<tera::Value>) -> tera::Value {
        let value = tera::Value::from_serializable(self);
        let Some(mut map) = value.into_map() else {
            return tera::Value::none();
        };
        let at = map.len().saturating_sub(1);
        map.shift_insert(at, "pages".into(), tera::Value::from(pages));
        tera::Value::from(map)
    }
}

#[derive(Serialize)]
pub(crate) struct SubsectionView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: String,
    pub permalink: String,
}

/// One collateral page, for `collateral.html`.
#[derive(Serialize)]
pub(crate) struct CollateralView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: String,
    pub campaign: Option<&'a str>,
    pub campaign_name: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub persona: Option<&'a str>,
    /// With `build --pdf` only.
    pub pdf: Option<String>,
    pub copies: Vec<CopyView<'a>>,
}

/// A rep's personal copy of a collateral page.
#[derive(Serialize)]
pub(crate) struct CopyView<'a> {
    pub rep: &'a str,
    pub name: &'a str,
    pub path: String,
    /// With `build --pdf` only.
    pub pdf: Option<String>,
}

const EMPTY: &str = "";

/// The view of `entry` as `output` (its variant applied), with `body` as
/// content, or without content for listings.
pub(crate) fn page_view<'a>(
    site: &'a Site,
    output: &Output,
    body: Option<&'a Body>,
) -> PageView<'a> {
    let entry: &Entry = &site.entries[output.entry];
    let front = entry.front();
    let variant = output.variant.map(|v| &front.variants[v]);
    let description = variant
        .and_then(|v| v.description.as_deref())
        .or(front.description.as_deref())
        .unwrap_or(&site.config.description);
    let extra = match variant {
        Some(v) => Cow::Owned(merge(&front.extra, &v.extra)),
        None => Cow::Borrowed(&front.extra),
    };
    let word_count = body.map_or(0, |b| b.word_count);
    PageView {
        title: site.title(output),
        description,
        path: site.url(&output.path),
        // Variants and reps' copies point search engines at the page
        // itself; the later pages of a listing are pages of their own.
        permalink: match output.pager {
            n if n > 1 => site.permalink(&output.path),
            _ => site.permalink(&entry.path),
        },
        content: body.map_or(EMPTY, |b| b.html.as_str()),
        summary: body.map_or(EMPTY, |b| b.summary.as_str()),
        date: front.date.as_deref(),
        updated: front.updated(),
        authors: front.authors(),
        in_search_index: front.zola.in_search_index,
        slug: &entry.slug,
        template: &entry.template,
        campaign: entry.campaign.as_deref(),
        form: entry.form.as_deref(),
        stage: front.stage.as_deref(),
        persona: front.persona.as_deref(),
        weight: front.weight,
        tags: &front.tags,
        taxonomies: TaxonomyTerms(&front.blog.taxonomies),
        extra,
        variant: site.variant_id(output).as_str(),
        word_count,
        reading_time: word_count.div_ceil(200).max(1),
        toc: body.map_or(&[], |b| b.toc.as_slice()),
        source: entry.doc.source.to_string_lossy().replace('\\', "/"),
        rep: output.rep.as_ref().and_then(|r| site.config.reps.get(r)),
        qr: None,
        pdf: pdf_url(site, output),
        json_ld: None,
    }
}

fn pdf_url(site: &Site, output: &Output) -> Option<String> {
    let collateral = site.entries[output.entry].is_collateral();
    (collateral && site.config.pdf_links).then(|| site.url(&pdf_path(site, output)))
}

/// Where a collateral output's PDF goes: `<slug>.pdf` beside its HTML,
/// `<slug>-<rep>.pdf` for a rep's copy (relative to the site, with `/`).
pub(crate) fn pdf_path(site: &Site, output: &Output) -> String {
    let slug = &site.entries[output.entry].slug;
    match &output.rep {
        Some(rep) => output.path.file(&format!("{slug}-{rep}.pdf")),
        None => output.path.file(&format!("{slug}.pdf")),
    }
}

/// The URL a collateral output's QR code opens: its landing page tagged
/// with its campaign, `print` / `one-pager`, and the rep (else the slug).
pub(crate) fn qr_target(site: &Site, output: &Output) -> Option<String> {
    let entry = &site.entries[output.entry];
    let landing = entry.qr_landing.as_ref()?;
    let campaign = site.config.campaigns.get(entry.campaign.as_ref()?)?;
    let tags = Tags {
        source: PRINT_SOURCE,
        medium: PRINT_MEDIUM,
        campaign: &campaign.utm_campaign,
        content: Some(output.rep.as_deref().unwrap_or(&entry.slug)),
    };
    Some(tag_url(&site.permalink(landing), &tags))
}

/// The QR code of a collateral output (encoded only for the page being
/// rendered, never for listings): `None` for other pages, an error when the
/// URL is too long for any QR code.
pub(crate) fn qr_view(
    site: &Site,
    index: usize,
    codes: &crate::render::qr::QrCodes,
) -> Result<Option<QrView>, String> {
    let Some(target) = qr_target(site, &site.outputs[index]) else {
        return Ok(None);
    };
    let url = match site.short_links.get(index, &ShortFor::Copy) {
        Some(link) => site.short_url(link),
        None => target.clone(),
    };
    let svg = codes.svg(&url)?;
    Ok(Some(QrView { url, target, svg }))
}

/// A listing view of entry `i` (no content; its summary when known).
pub(crate) fn listed<'a>(site: &'a Site, i: usize, summary: Option<&'a Body>) -> PageView<'a> {
    let output = Output::main(i, site.entries[i].path.clone());
    let mut view = page_view(site, &output, None);
    if let Some(body) = summary {
        view.summary = &body.summary;
        view.word_count = body.word_count;
        view.reading_time = body.word_count.div_ceil(200).max(1);
    }
    view
}

pub(crate) fn subsection_view(site: &Site, i: usize) -> SubsectionView<'_> {
    let e = &site.entries[i];
    SubsectionView {
        title: e.title(),
        description: e.front().description.as_deref().unwrap_or(EMPTY),
        path: site.url(&e.path),
        permalink: site.permalink(&e.path),
    }
}

/// Every collateral page, by campaign then title.
pub(crate) fn collateral(site: &Site) -> Vec<CollateralView<'_>> {
    let mut list: Vec<CollateralView<'_>> = Vec::new();
    for output in site.outputs.iter() {
        let e = &site.entries[output.entry];
        if !e.is_collateral() || output.variant.is_some() {
            continue;
        }
        if let Some(rep) = &output.rep {
            if let (Some(last), Some(r)) = (list.last_mut(), site.config.reps.get(rep)) {
                last.copies.push(CopyView {
                    rep: &r.id,
                    name: &r.name,
                    path: site.url(&output.path),
                    pdf: pdf_url(site, output),
                });
            }
            continue;
        }
        let campaign = e
            .campaign
            .as_deref()
            .and_then(|c| site.config.campaigns.get(c));
        list.push(CollateralView {
            title: e.title(),
            description: e.front().description.as_deref().unwrap_or(EMPTY),
            path: site.url(&e.path),
            campaign: e.campaign.as_deref(),
            campaign_name: campaign.map(|c| c.name.as_str()),
            stage: e.front().stage.as_deref(),
            persona: e.front().persona.as_deref(),
            pdf: pdf_url(site, output),
            copies: Vec::new(),
        });
    }
    list.sort_by(|a, b| (a.campaign_name, a.title).cmp(&(b.campaign_name, b.title)));
    list
}

/// `base` with `over`'s top-level keys replacing its own.
fn merge(base: &serde_json::Value, over: &serde_json::Value) -> serde_json::Value {
    let mut out = base.clone();
    if let (Some(o), Some(v)) = (out.as_object_mut(), over.as_object()) {
        for (k, val) in v {
            o.insert(k.clone(), val.clone());
        }
    }
    out
}
