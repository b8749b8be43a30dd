//! The manifest: every page, campaign and form of a build, and how they
//! relate, as JSON at the site root. `leads report` and outside tools join
//! submissions to it. Built from the site and the rendered pages (which
//! tell where each form actually appears, shortcodes included).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::campaign::{Campaign, PRINT_MEDIUM, PRINT_SOURCE, Tags, tag_url};
use crate::model::forms::{Field, Form, RedirectTo};
use crate::model::variant::VariantId;
use crate::render::facts::PageFacts;
use crate::site::{Output, PageKind, SALES_MEDIUM, SALES_SOURCE, ShortFor, Site};

/// The manifest of one build.
#[derive(Serialize)]
pub(crate) struct Manifest<'a> {
    pub generator: &'static str,
    pub base_url: &'a str,
    pub pages: Vec<PageRecord<'a>>,
    pub campaigns: Vec<CampaignRecord<'a>>,
    pub forms: Vec<FormRecord<'a>>,
    pub redirects: Vec<RedirectRecord>,
    /// Every short link, `/go/<code>/`, and where it leads.
    pub short_links: Vec<ShortRecord<'a>>,
}

/// One short link: its code, its URL, and the tagged URL it leads to.
#[derive(Serialize)]
pub(crate) struct ShortRecord<'a> {
    pub code: &'a str,
    pub url: String,
    pub to: String,
    pub campaign: &'a str,
    /// The copy of collateral whose QR code it is, or the page it leads to.
    pub page: String,
    /// `print` (a copy's QR code), `channel` or `rep` (a rep's outreach).
    pub kind: &'static str,
    pub source: &'a str,
    pub medium: &'a str,
    pub rep: Option<&'a str>,
}

/// One redirect of the site (`Site::redirects`).
#[derive(Serialize)]
pub(crate) struct RedirectRecord {
    /// The root-relative URL it answers.
    pub from: String,
    /// The absolute URL it leads to.
    pub to: String,
    /// Why: `alias`, `first-page`, `section`.
    pub kind: &'static str,
}

/// One output: a page, a variant, a rep's copy or a later page of a
/// listing.
#[derive(Serialize)]
pub(crate) struct PageRecord<'a> {
    pub path: String,
    pub url: String,
    /// The content file; `None` for a taxonomy's pages, which have none.
    pub source: Option<String>,
    pub title: &'a str,
    pub template: &'a str,
    pub campaign: Option<&'a str>,
    pub form: Option<&'a str>,
    pub forms: Vec<String>,
    pub stage: Option<&'a str>,
    pub persona: Option<&'a str>,
    pub variant: VariantId<'a>,
    pub rep: Option<&'a str>,
    /// The page asks not to be indexed; it gets no campaign links.
    pub noindex: bool,
    /// What the page is for (not written: its template says it).
    #[serde(skip)]
    pub kind: PageKind,
    /// Which page of a listing it is (not written: its path says it).
    #[serde(skip)]
    pub pager: usize,
}

/// One campaign as site.toml declares it, with its pages and links.
#[derive(Serialize)]
pub(crate) struct CampaignRecord<'a> {
    #[serde(flatten)]
    pub campaign: &'a Campaign,
    pub pages: Vec<String>,
    pub links: Vec<Link>,
}

/// A ready-to-paste tagged URL for one channel and page.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Link {
    pub page: String,
    pub source: String,
    pub medium: String,
    pub url: String,
    /// Its short link, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct FormRecord<'a> {
    pub id: &'a str,
    pub action: Option<&'a str>,
    pub provider: &'static str,
    /// The success page: a root-relative URL, or another site's URL.
    pub redirect: Option<String>,
    pub fields: &'a [Field],
    /// The attribution fields, by the names they are sent under.
    pub hidden_fields: Vec<String>,
    /// Fixed hidden inputs.
    pub hidden: &'a BTreeMap<String, String>,
    /// Attribution fields sent under another name.
    pub rename: &'a BTreeMap<String, String>,
    pub pages: Vec<String>,
}

/// The links of a campaign's print collateral, each copy's own: the URL
/// its QR code opens (`utm_medium=print`, `utm_source=one-pager`).
fn print_links(site: &Site, pages: &[PageRecord<'_>], campaign: &str) -> Vec<Link> {
    (site.outputs.iter().zip(pages).enumerate())
        .filter(|(_, (_, p))| p.kind == PageKind::OnePager && p.campaign == Some(campaign))
        .filter_map(|(i, (output, page))| {
            Some(Link {
                page: page.path.clone(),
                source: PRINT_SOURCE.into(),
                medium: PRINT_MEDIUM.into(),
                url: crate::render::views::qr_target(site, output)?,
                short: short_of(site, i, &ShortFor::Copy),
            })
        })
        .collect()
}

/// The URL of the short link of output `i` for `what`, if it has one.
fn short_of(site: &Site, i: usize, what: &ShortFor) -> Option<String> {
    (site.short_links.get(i, what)).map(|l| site.short_url(l))
}

/// Every short link of the site, as the manifest lists them.
fn short_records<'a>(site: &'a Site, pages: &[PageRecord<'_>]) -> Vec<ShortRecord<'a>> {
    (site.short_links.links.iter())
        .map(|l| {
            let (kind, source, medium, rep) = match &l.what {
                ShortFor::Copy => (
                    "print",
                    PRINT_SOURCE,
                    PRINT_MEDIUM,
                    site.outputs[l.output].rep.as_deref(),
                ),
                ShortFor::Channel { source, medium } => ("channel", &**source, &**medium, None),
                ShortFor::Outreach { rep } => ("rep", SALES_SOURCE, SALES_MEDIUM, Some(&**rep)),
            };
            ShortRecord {
                code: &l.code,
                url: site.short_url(l),
                to: site.permalink(&l.to),
                campaign: &l.campaign,
                page: pages
                    .get(l.output)
                    .map(|p| p.path.clone())
                    .unwrap_or_default(),
                kind,
                source,
                medium,
                rep,
            }
        })
        .collect()
}

/// Builds the manifest from the site and what each rendered page says.
pub(crate) fn build<'a>(site: &'a Site, facts: &[Arc<PageFacts>]) -> Manifest<'a> {
    let pages: Vec<PageRecord<'a>> = (site.outputs.iter().enumerate())
        .map(|(i, output)| page_record(site, output, facts.get(i).map(|f| &**f)))
        .collect();
    let campaigns = (site.config.campaigns.values())
        .map(|c| campaign_record(site, &pages, c))
        .collect();
    let forms = (site.config.forms.values())
        .map(|f| form_record(site, &pages, f))
        .collect();
    let short_links = short_records(site, &pages);
    Manifest {
        generator: concat!("utmost ", env!("CARGO_PKG_VERSION")),
        base_url: &site.config.base_url,
        pages,
        campaigns,
        forms,
        short_links,
        redirects: (site.redirects.iter())
            .map(|r| RedirectRecord {
                from: site.url(&r.from),
                to: site.redirect_url(r),
                kind: r.kind.name(),
            })
            .collect(),
    }
}

fn page_record<'a>(
    site: &'a Site,
    output: &'a Output,
    facts: Option<&PageFacts>,
) -> PageRecord<'a> {
    let entry = &site.entries[output.entry];
    let front = entry.front();
    PageRecord {
        path: site.url(&output.path),
        url: site.permalink(&output.path),
        source: match entry.kind {
            PageKind::TaxonomyList(_) | PageKind::Term(..) => None,
            _ => Some(entry.doc.source.to_string_lossy().replace('\\', "/")),
        },
        title: site.title(output),
        template: &entry.template,
        campaign: entry.campaign.as_deref(),
        form: entry.form.as_deref(),
        forms: facts.map(|f| f.forms.clone()).unwrap_or_default(),
        noindex: facts.is_some_and(|f| f.noindex),
        stage: front.stage.as_deref(),
        persona: front.persona.as_deref(),
        variant: site.variant_id(output),
        rep: output.rep.as_deref(),
        kind: entry.kind,
        pager: output.pager,
    }
}

/// A campaign with its pages, and a tagged link per channel and page that
/// ads may lead to, then its collateral's QR links.
fn campaign_record<'a>(
    site: &Site,
    pages: &[PageRecord<'_>],
    c: &'a Campaign,
) -> CampaignRecord<'a> {
    let mine: Vec<&PageRecord<'_>> = (pages.iter())
        .filter(|p| p.campaign == Some(c.id.as_str()))
        .collect();
    // Ads lead to pages people may land on: not thanks pages or the
    // collateral library (noindex), nor a rep's printed copy, nor print
    // collateral, which is handed out on paper, nor the later pages of a
    // listing, nor a taxonomy's pages, which are ways around the site.
    let advertised: Vec<(usize, &PageRecord<'_>)> = (pages.iter().enumerate())
        .filter(|(_, p)| p.campaign == Some(c.id.as_str()))
        .filter(|(_, p)| !p.noindex && p.rep.is_none() && p.pager <= 1)
        .filter(|(_, p)| {
            !matches!(
                p.kind,
                PageKind::OnePager | PageKind::TaxonomyList(_) | PageKind::Term(..)
            )
        })
        .collect();
    let mut links = Vec::new();
    for channel in &c.channels {
        for &(i, page) in &advertised {
            let tags = Tags {
                source: &channel.source,
                medium: &channel.medium,
                campaign: &c.utm_campaign,
                content: page.variant.utm_content(),
            };
            links.push(Link {
                page: page.path.clone(),
                source: channel.source.clone(),
                medium: channel.medium.clone(),
                url: tag_url(&page.url, &tags),
                short: short_of(
                    site,
                    i,
                    &ShortFor::Channel {
                        source: channel.source.clone(),
                        medium: channel.medium.clone(),
                    },
                ),
            });
        }
    }
    links.extend(print_links(site, pages, &c.id));
    CampaignRecord {
        campaign: c,
        pages: mine.iter().map(|p| p.path.clone()).collect(),
        links,
    }
}

fn form_record<'a>(site: &Site, pages: &[PageRecord<'_>], f: &'a Form) -> FormRecord<'a> {
    FormRecord {
        id: &f.id,
        action: f.action.as_deref(),
        provider: f.provider.name(),
        redirect: f.redirect.as_ref().and_then(|r| match &r.to {
            RedirectTo::Page(path) => Some(site.url(path)),
            RedirectTo::Url(url) => Some(url.clone()),
            RedirectTo::Unresolved => None,
        }),
        fields: &f.fields,
        hidden_fields: crate::model::forms::hidden_field_names()
            .map(|n| f.sent_name(&n).to_string())
            .collect(),
        hidden: &f.hidden,
        rename: &f.rename,
        pages: (pages.iter())
            .filter(|p| p.forms.contains(&f.id))
            .map(|p| p.path.clone())
            .collect(),
    }
}
