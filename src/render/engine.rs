//! The template engine: Tera 2 loaded with the theme's templates and
//! utmost's functions (`form`, `campaign_url`, `get_url`; Zola's that read
//! the site are in `site_functions.rs`, the taxonomy functions in
//! `taxonomy_fns.rs`) and filters
//! (`markdown`, `date`, `slugify`), and Tera errors as [`Diagnostic`]s.
//!
//! Why Tera 2 rather than 1.x, measured on page-like templates (20,000
//! renders of an extending page with a 4 KB body, new Context each time):
//! tera 1.20 998 ms, tera 2.4 508 ms, tera 2.4 with `fast` 267 ms; a
//! 100-item listing 814 / 602 / 245 ms; compile 2m41s / 50s. Tera 2 reports
//! syntax *and* rendering errors with template, line and column (1.x gives
//! no position for rendering errors) and rejects unknown filters when a
//! template is loaded. `preserve_order` keeps map iteration in insertion
//! order, so `{% for k, v in page.extra %}` renders the same every build.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostic::{Diagnostic, Name, Unknown};
use crate::markdown::Body;
use crate::model::at_link::AtLink;
use crate::model::campaign::{Tags, tag_url};
use crate::model::forms::Placement;
use crate::model::variant::VariantId;
use crate::render::media::Media;
use crate::render::site_functions::{self, SiteData};
use crate::render::taxonomy_fns::{self, Listings};
use crate::render::template_errors;
use crate::render::templates::{ANCHOR_LINK, Parsed};
use crate::render::unknown::{self, unknown_error, unknown_name};
use crate::render::zola_filters;
use crate::site::Site;
use crate::source::theme::{StaticSource, Theme};

/// The static files by output path.
type Statics = BTreeMap<String, StaticSource>;

/// Tera with the theme loaded, and the sources for error reports.
pub(crate) struct Engine {
    pub tera: Tera,
    /// The theme's templates as parsed, with what was found in them.
    parsed: Arc<Parsed>,
    /// What Zola's site functions (`get_page`, `load_data`…) share.
    data: Arc<SiteData>,
    /// Pages carry their Content-Security-Policy as a `<meta>`: the host
    /// reads no header file, and this is not the preview.
    pub csp_meta: bool,
    /// What the taxonomy functions share during the build.
    listings: Arc<Listings>,
    /// The build's images and where their files are.
    pub media: Arc<Media>,
    /// What every page's context holds the same.
    pub(super) shared: Shared,
}

/// What every page's context holds the same: `site`, and each campaign's
/// `campaign`, made once per build (Tera's values share their contents
/// when cloned) rather than once per page.
pub(super) struct Shared {
    site: Value,
    campaigns: HashMap<String, Value>,
}

impl Shared {
    fn new(site: &Site) -> Shared {
        Shared {
            site: Value::from_serializable(&crate::render::views::SiteView::new(site)),
            campaigns: (site.config.campaigns.iter())
                .map(|(id, c)| (id.clone(), Value::from_serializable(c)))
                .collect(),
        }
    }

    /// The `site` value.
    pub(super) fn site(&self) -> Value {
        self.site.clone()
    }

    /// The `campaign` value of a page of campaign `id`.
    pub(super) fn campaign(&self, id: Option<&str>) -> Value {
        let campaign = id.and_then(|c| self.campaigns.get(c));
        campaign.cloned().unwrap_or_else(Value::none)
    }
}

/// Options that change rendering without changing the site.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Forms post here instead of their `action` (the preview server).
    pub form_action: Option<String>,
    /// Rendering for the preview server: pages carry no
    /// Content-Security-Policy `<meta>` (the preview adds its live-reload
    /// script, which no policy of the site allows).
    pub preview: bool,
    /// Pages leave out the `[analytics]` tool (the preview: its visits
    /// are not the site's, and it loads nothing from elsewhere).
    pub without_analytics: bool,
}

/// A template that failed to render.
pub(crate) struct RenderError {
    pub diagnostic: Diagnostic,
    /// The error is a template function's unknown name (a form, campaign
    /// or page): the mistake may be in what the template was given.
    pub unknown: Option<Unknown>,
}

impl Engine {
    /// The engine of one build: the theme's templates (`parsed`, or parsed
    /// now when that is `None`), with functions that read this build's
    /// site and media. The templates' errors are in `parsed`.
    pub(crate) fn new(
        theme: &Theme,
        site: Arc<Site>,
        root: &Path,
        options: &RenderOptions,
        media: Arc<Media>,
        parsed: Option<Arc<Parsed>>,
    ) -> Engine {
        let data = Arc::new(SiteData::new(root));
        let statics = Arc::new(theme.statics.clone());
        let listings = Listings::new(site.clone());
        let functions = |tera: &mut Tera| {
            register(tera, site.clone(), statics.clone(), options, &media);
            site_functions::register(tera, &site, &data);
            taxonomy_fns::register(tera, listings.clone());
            zola_filters::register(tera);
            super::image_functions::register(tera, &site, &media);
        };
        let parsed = parsed.unwrap_or_else(|| Arc::new(Parsed::new(theme, &functions)));
        // The templates as parsed, with this build's functions in place
        // of those they were parsed with.
        let mut tera = parsed.tera.clone();
        functions(&mut tera);
        let csp_meta =
            !options.preview && (site.config.host).is_some_and(|h| !h.reads_header_files());
        Engine {
            tera,
            parsed,
            data,
            csp_meta,
            shared: Shared::new(&site),
            listings,
            media,
        }
    }

    /// The theme's templates as parsed, for the next build of the same
    /// theme.
    pub(crate) fn parsed(&self) -> &Arc<Parsed> {
        &self.parsed
    }

    /// A heading's anchor link, from `anchor-link.html` (Zola's name; the
    /// site's or theme's, else Zola's own markup).
    pub(crate) fn anchor_link(&self, id: &str, level: u8, lang: &str) -> Result<String, String> {
        let mut context = tera::Context::new();
        context.insert("id", id);
        context.insert("level", &level);
        context.insert("lang", lang);
        self.render(ANCHOR_LINK, &context)
            .map_err(|e| e.diagnostic.message)
    }

    /// Whether templates read other pages or data files (`get_page`,
    /// `get_section`, `load_data`): a page then depends on more than its
    /// own inputs, and none is reused from an earlier build.
    pub(crate) fn reads_site(&self) -> bool {
        self.parsed.reads_site
    }

    /// Whether templates show other pages' bodies: through the functions
    /// of [`Engine::reads_site`], or a taxonomy's list of pages with their
    /// summaries (`get_taxonomy`).
    pub(crate) fn reads_other_bodies(&self) -> bool {
        self.parsed.reads_site || self.lists_taxonomies()
    }

    /// Whether a template lists a taxonomy's pages with their summaries
    /// (`get_taxonomy`).
    pub(crate) fn lists_taxonomies(&self) -> bool {
        self.parsed.lists_taxonomies
    }

    /// Hands the rendered bodies to `get_page`, `get_section` and
    /// `get_taxonomy`.
    pub(crate) fn set_bodies(&self, bodies: &[Arc<Body>], main_output: &[usize]) {
        self.data.set_bodies(bodies, main_output);
        self.listings.set_bodies(bodies, main_output);
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.parsed.sources.contains_key(name)
    }

    /// Whether a template exists but was left out for its errors.
    pub(crate) fn is_broken(&self, name: &str) -> bool {
        self.parsed.broken.contains(name)
    }

    /// The shortcodes the theme and site provide, by name.
    pub(crate) fn shortcode_names(&self) -> Vec<&str> {
        self.parsed.shortcodes.keys().map(String::as_str).collect()
    }

    /// Whether shortcode `name` uses the body of a `{% name() %}` call.
    pub(crate) fn shortcode_uses_body(&self, name: &str) -> bool {
        self.parsed
            .shortcodes
            .get(name)
            .is_some_and(|(_, body)| *body)
    }

    /// Shortcode `name`'s template: `shortcodes/NAME.html`, else Zola's
    /// Markdown one, `shortcodes/NAME.md`.
    pub(crate) fn shortcode_template(&self, name: &str) -> Option<&str> {
        self.parsed.shortcodes.get(name).map(|(t, _)| t.as_str())
    }

    pub(crate) fn render(
        &self,
        name: &str,
        context: &tera::Context,
    ) -> Result<String, Box<RenderError>> {
        unknown::take();
        self.tera.render(name, context).map_err(|e| {
            let mut diagnostic = template_errors::diagnostic(&e, &self.parsed.sources, Some(name));
            let unknown = unknown::take();
            if let Some(u) = &unknown {
                diagnostic.message.clone_from(&u.message);
                diagnostic.help = Some(u.help.clone());
            }
            Box::new(RenderError {
                diagnostic,
                unknown,
            })
        })
    }
}

fn register(
    tera: &mut Tera,
    site: Arc<Site>,
    statics: Arc<Statics>,
    options: &RenderOptions,
    media: &Arc<Media>,
) {
    let s = site.clone();
    let action = options.form_action.clone();
    tera.register_function("form", move |kwargs: Kwargs, state: &State| {
        form(&s, action.as_deref(), &kwargs, state)
    });
    let s = site.clone();
    tera.register_function("campaign_url", move |kwargs: Kwargs, state: &State| {
        campaign_url(&s, &kwargs, state)
    });
    let (s, m) = (site.clone(), media.clone());
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let url = get_url(&s, &path)?;
            match kwargs.get::<bool>("cachebust")?.unwrap_or(false) {
                true => Ok(site_functions::cachebust(
                    url,
                    static_bytes(&statics, &path).as_deref(),
                )),
                // In `utmost build`, an asset's fingerprinted name.
                false => Ok(m.fingerprints.url(&url)),
            }
        },
    );
    let s = site;
    tera.register_filter(
        "markdown",
        move |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let link = |link: AtLink<'_>| s.resolve(link);
            let html = crate::markdown::render_plain(text, Some(&link));
            // Zola's `inline=true`: without the paragraph around one line.
            let html = match kwargs.get::<bool>("inline")?.unwrap_or(false) {
                true => html
                    .trim_end_matches('\n')
                    .strip_prefix("<p>")
                    .and_then(|h| h.strip_suffix("</p>"))
                    .filter(|h| !h.contains("<p>"))
                    .map_or(html.clone(), str::to_string),
                false => html,
            };
            Ok(Value::safe_string(&html))
        },
    );
    tera.register_filter(
        "date",
        |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%B %-d, %Y");
            format_date(text, format).ok_or_else(|| {
                tera::Error::message(format!("`{text}` is not a date like 2026-03-01"))
            })
        },
    );
    tera.register_filter("slugify", |text: &str, _: Kwargs, _: &State| {
        crate::util::slug::slugify(text)
    });
}

/// The bytes of static file `path` (`style.css`, `/img/a.png`), if any.
fn static_bytes(statics: &Statics, path: &str) -> Option<Vec<u8>> {
    match statics.get(path.trim_start_matches('/'))? {
        StaticSource::Disk(file) => std::fs::read(file).ok(),
        StaticSource::Embedded(bytes) => Some(bytes.to_vec()),
    }
}

/// The current page's `field`, if the context has a `page`.
fn page_field(state: &State, field: &str) -> Option<String> {
    let page: Value = state.get("page").ok().flatten()?;
    page.get_from_path(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn form(site: &Site, action: Option<&str>, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
    let id: String = kwargs.must_get("id")?;
    let Some(form) = site.config.forms.get(&id) else {
        return Err(unknown_name(
            Name::Form,
            &id,
            site.config.forms.keys().map(String::as_str),
        ));
    };
    let page = page_field(state, "path").unwrap_or_else(|| site.url("/"));
    let campaign = page_field(state, "campaign").or_else(|| site.config.default_campaign.clone());
    let variant = page_field(state, "variant").unwrap_or_else(|| VariantId::Page.as_str().into());
    let submit: Option<String> = kwargs.get("submit")?;
    let at = Placement {
        page: &page,
        campaign: campaign.as_deref(),
        variant: &variant,
        base_url: &site.config.base_url,
        action,
    };
    Ok(Value::safe_string(
        &form.render(&at, submit.as_deref().filter(|s| !s.is_empty())),
    ))
}

fn campaign_url(site: &Site, kwargs: &Kwargs, state: &State) -> TeraResult<String> {
    let path: String = kwargs.must_get("path")?;
    let source: String = kwargs.must_get("source")?;
    let medium: String = kwargs.must_get("medium")?;
    let content: Option<String> = kwargs.get("content")?;
    let id = match kwargs.get::<String>("campaign")? {
        Some(id) => id,
        None => page_field(state, "campaign")
            .or_else(|| site.config.default_campaign.clone())
            .ok_or_else(|| {
                tera::Error::message("the page has no campaign: pass `campaign=\"<id>\"`")
            })?,
    };
    let campaign = site.config.campaigns.get(&id).ok_or_else(|| {
        unknown_name(
            Name::Campaign,
            &id,
            site.config.campaigns.keys().map(String::as_str),
        )
    })?;
    let target = get_url(site, &path)?;
    let absolute = if target.starts_with('/') {
        format!(
            "{}{}",
            site.config.base_url,
            &target[site.base_path().len()..]
        )
    } else {
        target
    };
    let tags = Tags {
        source: &source,
        medium: &medium,
        campaign: &campaign.utm_campaign,
        content: content.as_deref(),
    };
    Ok(tag_url(&absolute, &tags))
}

/// `@/file.md` → its URL; `/x/` and `style.css` → root-relative URLs;
/// absolute http(s) URLs unchanged. Anything else is refused.
pub(crate) fn get_url(site: &Site, path: &str) -> TeraResult<String> {
    if let Some(link) = AtLink::parse(path) {
        return match site.resolve(link) {
            Ok(url) => Ok(url),
            // A page left out for its own errors: they are reported.
            Err(None) => Ok(link.with_fragment("#".to_string())),
            Err(Some(unknown)) => Err(unknown_error(unknown)),
        };
    }
    if crate::util::url_safety::is_absolute_http(path) {
        return Ok(path.to_string());
    }
    let lower = path.trim_start().to_ascii_lowercase();
    if lower.contains(':') && !lower.starts_with('/') {
        return Err(tera::Error::message(format!(
            "`{path}` is neither a site path nor an http(s) URL"
        )));
    }
    Ok(site.url(&format!("/{}", path.trim_start_matches('/'))))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a `YYYY-MM-DD` date with `%Y %m %d %-d %e %B %b %%`.
pub(crate) fn format_date(date: &str, format: &str) -> Option<String> {
    let year: u32 = date.get(0..4)?.parse().ok()?;
    let month: usize = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&year.to_string()),
            Some('m') => out.push_str(&format!("{month:02}")),
            Some('d') => out.push_str(&format!("{day:02}")),
            Some('e') => out.push_str(&format!("{day:>2}")),
            Some('B') => out.push_str(name),
            Some('b') => out.push_str(&name[..3]),
            Some('-') => match chars.next() {
                Some('d') => out.push_str(&day.to_string()),
                Some('m') => out.push_str(&month.to_string()),
                other => out.extend(['%', '-'].into_iter().chain(other)),
            },
            Some('%') => out.push('%'),
            Some(other) => out.extend(['%', other]),
            None => out.push('%'),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(
            format_date("2026-03-01", "%B %-d, %Y").as_deref(),
            Some("March 1, 2026")
        );
        assert_eq!(
            format_date("2026-12-25", "%d %b %Y").as_deref(),
            Some("25 Dec 2026")
        );
        assert_eq!(
            format_date("2026-03-01", "%Y/%m/%d %%").as_deref(),
            Some("2026/03/01 %")
        );
        assert_eq!(format_date("March", "%Y"), None);
        assert_eq!(format_date("2026-13-01", "%Y"), None);
    }
}
