//! The site's short links, `/go/<code>/`, each leading to a full tagged
//! URL: one per copy of printed collateral (its QR code and the address
//! printed under it), one per campaign channel and landing page (for
//! banners, podcasts, radio: what people type), and one per rep and
//! landing page (`utm_source=sales`, `utm_medium=email`,
//! `utm_content=<rep>`: what a rep pastes into an email).
//!
//! Which code each link gets: a one-pager's `short` is its own code (and
//! `<short>-<rep>` its reps' copies'); a landing page's `short`, else its
//! campaign's `short` for the campaign's first landing page, makes
//! readable codes `<short>-<source>` and `<short>-<rep>`; other links get
//! `<short>-` and three derived characters, or six without a `short`
//! (`model/short_code.rs`). Codes are settled in the order of what the
//! links are (their keys), so the same site gives the same codes on
//! every build; a readable code already taken falls back to a derived one,
//! and a chosen code taken twice is an error.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Diagnostic;
use crate::model::campaign::{Campaign, PRINT_MEDIUM, PRINT_SOURCE, Tags, tag_url};
use crate::model::forms::RedirectTo;
use crate::model::short_code::{DERIVED_LEN, derive, part};

use super::{PageKind, Site, UrlPath};

/// The folder short links live in: `/go/<code>/`.
pub(crate) const SHORT_FOLDER: &str = "go";
/// What a rep's outreach links are tagged with.
pub(crate) const SALES_SOURCE: &str = "sales";
pub(crate) const SALES_MEDIUM: &str = "email";
/// How many derived characters follow a `short` prefix.
const SUFFIX_LEN: usize = 3;

/// What a short link is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ShortFor {
    /// The QR code of a copy of printed collateral (the output).
    Copy,
    /// A campaign channel's link to a landing page (the output).
    Channel { source: String, medium: String },
    /// A rep's own link to a landing page (the output).
    Outreach { rep: String },
}

/// One short link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShortLink {
    pub code: String,
    pub campaign: String,
    /// The index in `site.outputs` of the copy (for [`ShortFor::Copy`]) or
    /// of the page it leads to.
    pub output: usize,
    pub what: ShortFor,
    /// Where it leads: a root-relative path with its tags.
    pub to: String,
}

impl ShortLink {
    /// Its path: `/go/<code>/`.
    pub(crate) fn path(&self) -> UrlPath {
        UrlPath::folder([SHORT_FOLDER, self.code.as_str()])
    }
}

/// Every short link of the site, found by what it is for.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShortLinks {
    pub links: Vec<ShortLink>,
    by_what: HashMap<(usize, ShortFor), usize>,
}

impl ShortLinks {
    /// The short link for output `output` (see [`ShortLink::output`]).
    pub(crate) fn get(&self, output: usize, what: &ShortFor) -> Option<&ShortLink> {
        let i = self.by_what.get(&(output, what.clone()))?;
        self.links.get(*i)
    }
}

impl Site {
    /// A short link's absolute URL.
    pub(crate) fn short_url(&self, link: &ShortLink) -> String {
        self.permalink(&link.path())
    }
}

/// The code a link asks for.
enum Want {
    /// Chosen in front matter: its own or none.
    Exact(String),
    /// Readable, if no other link has it; else derived with this prefix.
    Readable(String, String),
    /// Derived, after a prefix when there is one.
    Derived(Option<String>),
}

/// A link before it has its code, with what it asks for and its key.
struct Candidate {
    key: String,
    want: Want,
    link: ShortLink,
}

/// Every short link, each with its code.
pub(super) fn collect(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> ShortLinks {
    let mut candidates = copies(site);
    candidates.extend(landing_links(site));
    candidates.sort_by(|a, b| a.key.cmp(&b.key));
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    // What is built under /go/ already stands there.
    for (i, output) in site.outputs.iter().enumerate() {
        if let Some(code) = (output.path.strip_prefix("/go/")).and_then(|r| r.strip_suffix('/')) {
            taken.insert(code.to_string(), usize::MAX - i);
        }
    }
    let mut codes: Vec<Option<String>> = vec![None; candidates.len()];
    for (i, c) in candidates.iter().enumerate() {
        if let Want::Exact(code) = &c.want {
            match taken.get(code) {
                Some(&other) => diagnostics.push(taken_twice(site, c, other, &candidates)),
                None => {
                    taken.insert(code.clone(), i);
                    codes[i] = Some(code.clone());
                }
            }
        }
    }
    for (i, c) in candidates.iter().enumerate() {
        if let Want::Readable(code, _) = &c.want
            && !taken.contains_key(code)
        {
            taken.insert(code.clone(), i);
            codes[i] = Some(code.clone());
        }
    }
    for (i, c) in candidates.iter().enumerate() {
        let prefix = match &c.want {
            _ if codes[i].is_some() => continue,
            Want::Exact(_) => continue,
            Want::Readable(_, prefix) => Some(prefix.as_str()),
            Want::Derived(prefix) => prefix.as_deref(),
        };
        let code = free_code(&c.key, prefix, &taken);
        taken.insert(code.clone(), i);
        codes[i] = Some(code);
    }
    let mut links = ShortLinks::default();
    for (c, code) in candidates.into_iter().zip(codes) {
        let Some(code) = code else { continue };
        let key = (c.link.output, c.link.what.clone());
        links.by_what.insert(key, links.links.len());
        links.links.push(ShortLink { code, ..c.link });
    }
    links
}

/// The first derived code for `key` that no link has.
fn free_code(key: &str, prefix: Option<&str>, taken: &BTreeMap<String, usize>) -> String {
    let mut attempt = 0u32;
    loop {
        // Longer after many tries, so a crowded prefix always finds room.
        let len = match prefix {
            Some(_) => SUFFIX_LEN + (attempt / 64) as usize,
            None => DERIVED_LEN + (attempt / 64) as usize,
        };
        let code = match prefix {
            Some(p) => format!("{p}-{}", derive(key, attempt, len)),
            None => derive(key, attempt, len),
        };
        if !taken.contains_key(&code) {
            return code;
        }
        attempt += 1;
    }
}

/// The error for a chosen code that another link or page has already.
fn taken_twice(site: &Site, c: &Candidate, other: usize, all: &[Candidate]) -> Diagnostic {
    let entry = &site.entries[site.outputs[c.link.output].entry];
    let what = match all.get(other) {
        Some(o) => site.entries[site.outputs[o.link.output].entry]
            .doc
            .source
            .display()
            .to_string(),
        None => "a page the site builds".to_string(),
    };
    let code = match &c.want {
        Want::Exact(code) => code.as_str(),
        _ => "",
    };
    let message = format!("short link `/go/{code}/` is also the short link of {what}");
    let d = match &entry.front().short {
        Some(short) => entry.doc.error(short.span(), message),
        None => Diagnostic::file(&entry.doc.source, message),
    };
    d.with_help("give one of them another `short`")
}

/// A short link for each copy of printed collateral.
fn copies(site: &Site) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, output) in site.outputs.iter().enumerate() {
        let entry = &site.entries[output.entry];
        let (Some(landing), Some(campaign)) = (&entry.qr_landing, entry.campaign.as_deref()) else {
            continue;
        };
        let Some(c) = site.config.campaigns.get(campaign) else {
            continue;
        };
        let tags = Tags {
            source: PRINT_SOURCE,
            medium: PRINT_MEDIUM,
            campaign: &c.utm_campaign,
            content: Some(output.rep.as_deref().unwrap_or(&entry.slug)),
        };
        let variant = site.variant_id(output).as_str();
        let rep = output.rep.as_deref().unwrap_or("");
        let short = entry.front().short.as_ref().map(|s| s.get_ref().clone());
        let want = match (short, &output.rep, output.variant) {
            (Some(s), None, None) => Want::Exact(s),
            (Some(s), Some(rep), None) => Want::Exact(format!("{s}-{rep}")),
            (Some(s), _, Some(_)) => Want::Derived(Some(s)),
            (None, _, _) => Want::Derived(c.short.clone()),
        };
        out.push(Candidate {
            key: format!("print|{campaign}|{}|{variant}|{rep}", entry.doc.rel),
            want,
            link: ShortLink {
                code: String::new(),
                campaign: campaign.to_string(),
                output: i,
                what: ShortFor::Copy,
                to: tag_url(landing, &tags),
            },
        });
    }
    out
}

/// A rep's personal link to the landing page `output`, to paste into
/// emails: tagged as sales outreach, the rep as the content.
fn outreach(
    rep: &str,
    (i, path): (usize, &UrlPath),
    (campaign, c): (&str, &Campaign),
    rel: &str,
    want: &dyn Fn(String) -> Want,
) -> Candidate {
    let tags = Tags {
        source: SALES_SOURCE,
        medium: SALES_MEDIUM,
        campaign: &c.utm_campaign,
        content: Some(rep),
    };
    Candidate {
        key: format!("sales|{campaign}|{rep}|{rel}"),
        want: want(part(rep)),
        link: ShortLink {
            code: String::new(),
            campaign: campaign.to_string(),
            output: i,
            what: ShortFor::Outreach {
                rep: rep.to_string(),
            },
            to: tag_url(path, &tags),
        },
    }
}

/// The pages forms send their visitors to after a submission: no one
/// lands there from a link.
fn success_pages(site: &Site) -> Vec<&str> {
    (site.config.forms.values())
        .filter_map(|f| match &f.redirect.as_ref()?.to {
            RedirectTo::Page(p) => Some(p.as_str()),
            _ => None,
        })
        .collect()
}

/// Each campaign's first landing page (by path), which gets the
/// campaign's readable codes.
fn first_landing_pages(site: &Site) -> HashMap<&str, &UrlPath> {
    let mut first: HashMap<&str, &UrlPath> = HashMap::new();
    for e in site.entries.iter().filter(|e| e.kind == PageKind::Landing) {
        if let Some(c) = e.campaign.as_deref() {
            let best = first.entry(c).or_insert(&e.path);
            if e.path < **best {
                *best = &e.path;
            }
        }
    }
    first
}

/// A short link for each campaign channel and each rep, to each landing
/// page of a campaign (channels to its variants too).
fn landing_links(site: &Site) -> Vec<Candidate> {
    let success = success_pages(site);
    let first = first_landing_pages(site);
    let mut out = Vec::new();
    for (i, output) in site.outputs.iter().enumerate() {
        let entry = &site.entries[output.entry];
        let campaign = entry.campaign.as_deref().unwrap_or("");
        let Some(c) = site.config.campaigns.get(campaign) else {
            continue;
        };
        if entry.kind != PageKind::Landing
            || output.rep.is_some()
            || success.contains(&entry.path.as_str())
        {
            continue;
        }
        let own = entry.front().short.as_ref().map(|s| s.get_ref().clone());
        let first_of_campaign = || first.get(campaign) == Some(&&entry.path);
        let readable = own.or_else(|| c.short.clone().filter(|_| first_of_campaign()));
        let prefix = readable.clone().or_else(|| c.short.clone());
        let variant = site.variant_id(output);
        let rel = &entry.doc.rel;
        let want = |tail: String| match (&readable, tail.is_empty()) {
            (Some(r), false) => Want::Readable(format!("{r}-{tail}"), r.clone()),
            _ => Want::Derived(prefix.clone()),
        };
        for channel in &c.channels {
            let tags = Tags {
                source: &channel.source,
                medium: &channel.medium,
                campaign: &c.utm_campaign,
                content: variant.utm_content(),
            };
            let tail = match variant.utm_content() {
                Some(v) => format!("{}-{}", part(v), part(&channel.source)),
                None => part(&channel.source),
            };
            let (source, medium) = (&channel.source, &channel.medium);
            out.push(Candidate {
                key: format!(
                    "channel|{campaign}|{source}|{medium}|{rel}|{}",
                    variant.as_str()
                ),
                want: want(tail),
                link: ShortLink {
                    code: String::new(),
                    campaign: campaign.to_string(),
                    output: i,
                    what: ShortFor::Channel {
                        source: source.clone(),
                        medium: medium.clone(),
                    },
                    to: tag_url(&output.path, &tags),
                },
            });
        }
        if output.variant.is_some() {
            continue;
        }
        for rep in site.config.reps.keys() {
            out.push(outreach(rep, (i, &output.path), (campaign, c), rel, &want));
        }
    }
    out
}
