//! Visits per landing page exported from the analytics tool, read for
//! `leads report --visits` and mapped through the site's pages (what the
//! manifest lists) to a page and its variant. Any format of
//! `util/exports/`; the tools' own headers:
//! - Google Analytics 4, Reports > Engagement > Landing page, "Download
//!   file" as CSV (support.google.com/analytics/answer/13487396): `#`
//!   comment lines, then `Landing page` (or `Landing page + query string`
//!   when that dimension is chosen), `Sessions`, `Active users`, …
//! - Plausible's dashboard export (plausible.io/docs/export-stats): a ZIP of
//!   CSVs; its `entry_pages.csv` has `name`, `unique_entrances`,
//!   `total_entrances`, `visit_duration` (its `pages.csv`, `name`,
//!   `visitors`, … is read too, by visitors).
//! - Matomo, Behaviour > Entry pages, export as CSV or TSV (UTF-16,
//!   tab-separated; developer.matomo.org/api-reference/reporting-api,
//!   `Actions.getEntryPageUrls` with `flat=1`): `label`, `entry_nb_visits`,
//!   …, `url`.
//!
//! Rows of one page (one per query string in GA4) are summed. A URL that
//! is no page of the site is listed, with its visits, never dropped.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::attribution::Findings;
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::util::exports::{self, Columns, Skipped};

/// The path of a landing page given as a path or a full URL.
pub(crate) fn page_path(landing: &str) -> String {
    let without_origin = match landing.find("://") {
        Some(i) => landing[i + 3..]
            .find('/')
            .map_or("/", |j| &landing[i + 3 + j..]),
        None => landing,
    };
    without_origin
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string()
}

/// A page and one of its variants: the page's own path and `a`, `b`, ….
pub(crate) type PageVariant = (String, String);

/// Every path the site serves → its page and variant.
pub(crate) struct PageMap {
    by_path: HashMap<String, PageVariant>,
}

impl PageMap {
    pub(crate) fn new(site: &Site) -> PageMap {
        let mut main: HashMap<usize, String> = HashMap::new();
        for o in site.outputs.iter().filter(|o| o.is_main()) {
            main.insert(o.entry, site.url(&o.path));
        }
        let by_path = site
            .outputs
            .iter()
            .filter(|o| o.rep.is_none())
            .filter_map(|o| {
                let page = main.get(&o.entry)?.clone();
                let variant = site.variant_id(o).as_str().to_string();
                Some((site.url(&o.path), (page, variant)))
            })
            .collect();
        PageMap { by_path }
    }

    /// The page and variant of a URL, a path, or Matomo's label (a path
    /// without its first `/`); `index.html` and a missing end `/` allowed.
    pub(crate) fn find(&self, url: &str) -> Option<&PageVariant> {
        let path = page_path(url.trim());
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        // Matomo labels a folder's page `…/index`.
        let path = path
            .strip_suffix("index.html")
            .or_else(|| path.strip_suffix("index"))
            .unwrap_or(&path);
        self.by_path.get(path).or_else(|| {
            self.by_path
                .get(&format!("{}/", path.trim_end_matches('/')))
        })
    }
}

/// What the visits files held.
#[derive(Debug, Default)]
pub(crate) struct Visits {
    /// Visits (sessions, entrances) per page and variant.
    pub by_page: BTreeMap<PageVariant, u64>,
    /// URLs that are no page of the site, with their visits.
    pub unknown: BTreeMap<String, u64>,
    pub found: Findings,
}

const URL: usize = 0;
const PAGE: usize = 1;
const SESSIONS: usize = 2;
const VISITORS: usize = 3;

fn columns() -> Columns {
    Columns::with_aliases(
        &["url", "landing_page", "sessions", "visitors"],
        &[
            ("Landing page + query string", "landing_page"),
            ("Landing page", "landing_page"),
            ("Entry page", "landing_page"),
            ("name", "landing_page"),
            ("label", "landing_page"),
            ("page", "landing_page"),
            ("Page path", "landing_page"),
            ("visits", "sessions"),
            ("total_entrances", "sessions"),
            ("entry_nb_visits", "sessions"),
            ("Entrances", "sessions"),
            ("unique_entrances", "visitors"),
            ("Active users", "visitors"),
            ("nb_uniq_visitors", "visitors"),
        ],
    )
}

/// A count as the tools write it: `1234`, `1,234`, `1 234`.
fn count(cell: &str) -> Option<u64> {
    let digits: String = cell
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    digits.parse().ok()
}

/// Reads every visits export.
pub(crate) fn read(files: &[PathBuf], pages: &PageMap) -> Visits {
    let columns = columns();
    let mut out = Visits::default();
    for file in files {
        let shown = file.display().to_string();
        let read = exports::read(file, &shown, &columns, &mut |item| {
            let row = match item {
                Ok(row) => row,
                Err(skipped) => return out.found.skipped.push(skipped),
            };
            let c = &row.cells;
            let url = if c[URL].trim().is_empty() {
                &c[PAGE]
            } else {
                &c[URL]
            };
            let number = if c[SESSIONS].trim().is_empty() {
                &c[VISITORS]
            } else {
                &c[SESSIONS]
            };
            let skip = |reason: String| Skipped {
                file: shown.clone(),
                line: row.line,
                reason,
            };
            if url.trim().is_empty() {
                return out
                    .found
                    .skipped
                    .push(skip("this row names no page (a total?)".into()));
            }
            let Some(n) = count(number) else {
                return out.found.skipped.push(skip(format!(
                    "`{}` is not a number of visits",
                    number.trim()
                )));
            };
            match pages.find(url) {
                Some(pv) => *out.by_page.entry(pv.clone()).or_default() += n,
                None => *out.unknown.entry(url.trim().to_string()).or_default() += n,
            }
        });
        match read {
            Ok(summary) => {
                let has = |i: usize| summary.has(&columns, i);
                if summary.rows > 0
                    && !((has(URL) || has(PAGE)) && (has(SESSIONS) || has(VISITORS)))
                {
                    out.found.warnings.push(Diagnostic::file(
                        file,
                        format!(
                            "this visits export needs a landing page column (`Landing page`, `name`, `label`) and a visits column (`Sessions`, `total_entrances`, `entry_nb_visits`); its headers are {}",
                            summary.shown_headers()
                        ),
                    ));
                }
            }
            Err(message) => out.found.errors.push(Diagnostic::file(file, message)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_the_tools_write_them() {
        assert_eq!(count("1234"), Some(1234));
        assert_eq!(count("1,234"), Some(1234));
        assert_eq!(count(" 1 234 "), Some(1234));
        assert_eq!(count("12.5%"), None);
        assert_eq!(count(""), None);
    }

    #[test]
    fn urls_paths_and_labels_find_their_page() {
        let by_path = [
            ("/spring/", ("/spring/", "a")),
            ("/spring/b/", ("/spring/", "b")),
            ("/", ("/", "a")),
        ]
        .into_iter()
        .map(|(p, (page, v))| (p.to_string(), (page.to_string(), v.to_string())))
        .collect();
        let map = PageMap { by_path };
        let b = Some(&("/spring/".to_string(), "b".to_string()));
        assert_eq!(map.find("/spring/b/?utm_source=linkedin"), b);
        assert_eq!(map.find("https://www.revenue.example/spring/b"), b);
        assert_eq!(map.find("spring/b/index.html"), b);
        assert_eq!(map.find("/"), Some(&("/".to_string(), "a".to_string())));
        assert_eq!(map.find("/nope/"), None);
    }
}
