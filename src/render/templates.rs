//! The theme's templates parsed: once per theme, not once per build. A
//! rebuild after a page's edit takes the templates as they were parsed and
//! hands them that build's functions (`engine.rs`); parsing the default
//! theme's templates was 2-3 ms of every such rebuild at 10,000 pages.

use std::collections::{BTreeMap, BTreeSet};

use tera::Tera;

use crate::diagnostic::Diagnostic;
use crate::render::site_functions;
use crate::render::template_errors;
use crate::source::theme::{TemplateSource, Theme};

/// The template of a heading's anchor link, as Zola names it.
pub(crate) const ANCHOR_LINK: &str = "anchor-link.html";
/// Zola's anchor link, for themes that have none.
const DEFAULT_ANCHOR_LINK: &str =
    "<a class=\"zola-anchor\" href=\"#{{ id }}\" aria-label=\"Anchor link for: {{ id }}\">🔗</a>";

/// A theme's templates parsed, and what was found in them.
pub(crate) struct Parsed {
    /// Every template that parsed, with the functions they were parsed
    /// with (each build registers its own in their place).
    pub(super) tera: Tera,
    pub(super) sources: BTreeMap<String, TemplateSource>,
    /// Templates left out for their errors (or for a broken parent or
    /// include): pages and shortcodes that use them are not rendered, and
    /// not reported again.
    pub(super) broken: BTreeSet<String>,
    /// By name: its template (`shortcodes/NAME.html`, else `.md`) and
    /// whether it uses a body.
    pub(super) shortcodes: BTreeMap<String, (String, bool)>,
    /// Whether a template calls one of Zola's site functions (`get_page`,
    /// `load_data`…): then no page is reused.
    pub(super) reads_site: bool,
    /// Whether a template lists a taxonomy's pages (`get_taxonomy`), with
    /// their summaries.
    pub(super) lists_taxonomies: bool,
    /// Every problem in the templates.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Parses every template of `theme` and reports every problem in them,
    /// `functions` registering the functions and filters they may use.
    /// Templates with errors are left out, with those that extend or
    /// include them.
    pub(super) fn new(theme: &Theme, functions: &dyn Fn(&mut Tera)) -> Parsed {
        let sources = with_built_ins(theme);
        let mut diagnostics = Vec::new();
        let mut broken = BTreeSet::new();
        let mut syntax_checked = false;
        // Each round leaves out the templates in error.
        let tera = loop {
            let mut tera = Tera::default();
            functions(&mut tera);
            let good = (sources.iter())
                .filter(|(n, _)| !broken.contains(*n))
                .map(|(n, s)| (n.as_str(), s.text.as_str()));
            let Err(e) = tera.add_raw_templates(good) else {
                break tera;
            };
            let before = broken.len();
            if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) && !syntax_checked {
                // Loading stops at the first syntax error: find them all.
                syntax_checked = true;
                for (name, source) in &sources {
                    if let Err(e) = Tera::default().add_raw_template(name, &source.text)
                        && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                    {
                        let reports = template_errors::reports(&e, &sources, Some(name));
                        diagnostics.extend(reports.into_iter().map(|r| r.diagnostic));
                        broken.insert(name.clone());
                    }
                }
            } else {
                for r in template_errors::reports(&e, &sources, None) {
                    if !is_cascade(&r.diagnostic, &broken) {
                        diagnostics.push(r.diagnostic);
                    }
                    broken.insert(r.template);
                }
            }
            if broken.len() == before {
                // Nothing to leave out: no template can be trusted.
                diagnostics.extend(
                    template_errors::reports(&e, &sources, None)
                        .into_iter()
                        .map(|r| r.diagnostic),
                );
                broken.extend(sources.keys().cloned());
            }
        };
        let texts = || sources.values().map(|s| s.text.as_str());
        Parsed {
            shortcodes: shortcode_table(&sources),
            reads_site: site_functions::reads_site(texts()),
            lists_taxonomies: super::taxonomy_calls(texts()).lists,
            tera,
            sources,
            broken,
            diagnostics,
        }
    }
}

/// An error that only follows from another template's: an include of a
/// template already left out.
fn is_cascade(d: &Diagnostic, broken: &BTreeSet<String>) -> bool {
    broken
        .iter()
        .any(|b| d.message == format!("unknown template `{b}`"))
}

/// The theme's templates, with the built-in ones it does not override.
fn with_built_ins(theme: &Theme) -> BTreeMap<String, TemplateSource> {
    let mut sources = theme.templates.clone();
    if !sources.contains_key(ANCHOR_LINK) {
        let built_in = TemplateSource {
            path: format!("<built-in {ANCHOR_LINK}>").into(),
            text: DEFAULT_ANCHOR_LINK.into(),
        };
        sources.insert(ANCHOR_LINK.into(), built_in);
    }
    sources
}

/// Shortcode name → its template and whether it uses a body: `.html`
/// shortcodes, then Markdown ones (Zola's `.md`) where no `.html` one has
/// the name.
fn shortcode_table(sources: &BTreeMap<String, TemplateSource>) -> BTreeMap<String, (String, bool)> {
    let mut shortcodes = BTreeMap::new();
    for suffix in [".html", ".md"] {
        for (k, s) in sources {
            let Some(name) = k
                .strip_prefix("shortcodes/")
                .and_then(|n| n.strip_suffix(suffix))
            else {
                continue;
            };
            let uses_body = crate::markdown::shortcode::uses_body(&s.text);
            shortcodes
                .entry(name.to_string())
                .or_insert((k.clone(), uses_body));
        }
    }
    shortcodes
}
