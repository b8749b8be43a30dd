//! The keys that say what a render may reuse from the last: what every
//! page shares (configuration, options, templates, URLs) and what every
//! Markdown body shares (the same, but only the templates bodies reach).

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::render::{self, Global};
use crate::site::Site;
use crate::source::theme::Theme;

use super::BuildOptions;

/// The keys of a render of `site` through `theme`; `files_generation`
/// counts the changes to files pages may show (images).
pub(super) fn global(
    options: &BuildOptions,
    files_generation: u64,
    config_text: &str,
    theme: &Theme,
    site: &Site,
) -> Global {
    let mut h = DefaultHasher::new();
    config_text.hash(&mut h);
    (
        options.drafts,
        &options.base_url,
        &options.render.form_action,
        options.render.preview,
        options.render.without_analytics,
        options.pdf,
    )
        .hash(&mut h);
    for e in &site.entries {
        (&e.doc.rel, &e.path).hash(&mut h);
    }
    // A new link may move another's code off a printed page's QR code.
    for link in &site.short_links.links {
        link.code.hash(&mut h);
    }
    // Every page links to the feeds there are.
    for f in site.feeds.iter() {
        (f.folder.as_str(), &f.title).hash(&mut h);
    }
    render::taxonomy_key(site, taxonomy_calls(theme)).hash(&mut h);
    files_generation.hash(&mut h);
    let templates = || (theme.templates.iter()).map(|(n, s)| (n.as_str(), s.text.as_str()));
    let used = render::body::templates_used(templates());
    let mut bodies = h.clone();
    templates()
        .filter(|(name, _)| used.contains(name))
        .for_each(|t| t.hash(&mut bodies));
    templates().for_each(|t| t.hash(&mut h));
    Global {
        bodies: bodies.finish(),
        pages: h.finish(),
    }
}

/// Which taxonomy functions the theme's templates call.
fn taxonomy_calls(theme: &Theme) -> render::TaxonomyCalls {
    render::taxonomy_calls(theme.templates.values().map(|s| s.text.as_str()))
}
