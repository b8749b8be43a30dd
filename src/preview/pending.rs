//! An edit in `serve` that changes pages: a template, shortcode, theme or
//! site.toml edit (every page), or a page's Markdown (that page, and the
//! listings and feeds that show it). The pages open tabs show are rendered
//! first and published with every other page "not yet rendered", the tabs
//! reload, and the rest renders in the background until the settled site
//! replaces it. A request for a page not rendered yet renders it then,
//! through the same staged render (`render/staged.rs`) the background
//! finishes: the old bytes of a page are never served once an edit has
//! changed it.
//!
//! While the render is pending, the other files are served from the last
//! build only when the edit cannot have changed them (static files, which
//! are read from disk when served, and processed images, named by their
//! content); made files (sitemap, feeds, the 404 page) and everything
//! after a site.toml edit wait for the settled site. A newer edit stops
//! the background render and supersedes it: its site is never published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use rayon::prelude::*;

use super::watch::Batch;
use super::{Change, Shared, Snapshot, current, publish, publish_snapshot};
use crate::output::File;
use crate::pipeline::{Builder, Changes, Prepared};
use crate::render::staged::Staged;
use crate::site::Output;
use crate::util::layout::{CONFIG_FILE, CONTENT_DIR, is_template};
use crate::util::progress::Progress;

/// A render whose open pages are published and whose others are not yet.
pub(super) struct Pending {
    staged: Arc<Staged>,
    outputs: ByFile,
    /// The last build's static files and images may be served meanwhile.
    statics_kept: bool,
}

/// What a request gets while a render is pending.
pub(super) enum Answer {
    /// The page, rendered now if it was not yet.
    Page(Arc<str>),
    /// The file as the last build had it.
    Previous,
    /// Whatever the settled site will say.
    Wait,
}

impl Pending {
    /// The pending render of `prepared` after `previous`, when the edit
    /// kept every page where it was and no error is known yet (in the
    /// site, the templates or the bodies).
    fn new(
        prepared: &Prepared,
        previous: &Snapshot,
        batch: &Batch,
        index: &OutputIndex,
    ) -> Option<Pending> {
        let before = previous.built.as_ref()?;
        let site = prepared.staged.site();
        let same_pages = Arc::ptr_eq(&before.site.outputs, &site.outputs)
            || before.site.outputs.len() == site.outputs.len()
                && (before.site.outputs.iter())
                    .zip(site.outputs.iter())
                    .all(|(a, b)| a.path == b.path);
        // A render that will fail is published as the failure it is, at
        // once, rather than after its open pages.
        let fails =
            !prepared.diagnostics.is_empty() || prepared.staged.bodies_fail(site.config.strict);
        if fails || !same_pages || previous.error.is_some() {
            return None;
        }
        Some(Pending {
            staged: prepared.staged.clone(),
            outputs: index.of(&site.outputs),
            statics_kept: !batch.paths.iter().any(|p| p == Path::new(CONFIG_FILE)),
        })
    }

    /// What the request for output file `key` gets; `previous` is the
    /// last build's file of that name.
    pub(super) fn answer(&self, key: &str, previous: Option<&File>) -> Answer {
        if let Some(&i) = self.outputs.get(key) {
            return match self.staged.html(i) {
                Some(html) => Answer::Page(html),
                // Its error is reported when the render settles.
                None => Answer::Wait,
            };
        }
        match previous {
            Some(file) if self.statics_kept && !file.is_made() => Answer::Previous,
            // A page's path without its slash: redirected, as the pages
            // are where they were.
            None if self
                .outputs
                .contains_key(format!("{key}/index.html").as_str()) =>
            {
                Answer::Previous
            }
            _ => Answer::Wait,
        }
    }

    /// Renders the pages of output files `keys` (in parallel); how many,
    /// or `None` when one of them failed.
    fn render(&self, keys: &[String]) -> Option<usize> {
        let open: Vec<usize> = (keys.iter())
            .filter_map(|k| self.outputs.get(k.as_str()).copied())
            .collect();
        let ok = open.par_iter().all(|&i| self.staged.html(i).is_some());
        ok.then_some(open.len())
    }
}

/// Output file → its index among a site's outputs, kept while the site
/// has the same list of outputs (after every edit in place): making it
/// anew was 2.4 ms of the time to serve a page's edit at 10,000 pages.
#[derive(Default)]
pub(super) struct OutputIndex(Mutex<Option<(Arc<Vec<Output>>, ByFile)>>);

/// Output file → its index among the site's outputs.
type ByFile = Arc<HashMap<Arc<str>, usize>>;

impl OutputIndex {
    fn of(&self, outputs: &Arc<Vec<Output>>) -> ByFile {
        let Ok(mut slot) = self.0.lock() else {
            return Arc::new(index(outputs));
        };
        match &*slot {
            Some((kept, map)) if Arc::ptr_eq(kept, outputs) => map.clone(),
            _ => {
                let map = Arc::new(index(outputs));
                *slot = Some((outputs.clone(), map.clone()));
                map
            }
        }
    }
}

fn index(outputs: &[Output]) -> HashMap<Arc<str>, usize> {
    (outputs.iter().enumerate())
        .map(|(i, o)| (Arc::from(o.path.index_file()), i))
        .collect()
}

/// Whether every path of `batch` is a template (shortcodes included) or
/// site.toml: what every page shares rather than what one page says.
pub(super) fn changes_every_page(batch: &Batch) -> bool {
    let shared = |p: &PathBuf| is_template(p) || p == Path::new(CONFIG_FILE);
    !batch.paths.is_empty() && batch.paths.iter().all(shared)
}

/// Whether `batch` is rendered open pages first: it changes every page, or
/// only pages' Markdown. A page's edit changes that page and the listings
/// and feeds that show it, and the rest of the site is checked again: the
/// page a tab shows is served first, the rest settles behind it. Other
/// files (a stylesheet, an image) are built in one go: a stylesheet is
/// swapped in without a reload, and an image is served from disk.
pub(super) fn open_pages_first(batch: &Batch) -> bool {
    let markdown =
        |p: &PathBuf| p.starts_with(CONTENT_DIR) && p.extension().is_some_and(|e| e == "md");
    changes_every_page(batch) || (!batch.paths.is_empty() && batch.paths.iter().all(markdown))
}

/// A background render, which a newer edit stops.
pub(super) struct Background {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Builder>,
}

impl Background {
    /// Stops the render (its site is not published) and returns the
    /// builder, ready for the next edit.
    pub(super) fn supersede(self) -> Option<Builder> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().ok()
    }
}

/// What is left of an edit once its open pages are served.
pub(super) enum Next {
    Done(Box<Builder>),
    Background(Background),
}

/// Brings the site up to date with `batch`, open pages first (see
/// [`open_pages_first`]).
pub(super) fn rebuild(
    shared: &Arc<Shared>,
    mut builder: Builder,
    batch: &Batch,
    color: bool,
) -> Next {
    let started = Instant::now();
    let hidden = Progress::hidden();
    let prepared = match builder.prepare(&Changes::Paths(&batch.paths), &hidden) {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            publish(shared, Err(diagnostics), batch, started, color, None);
            return Next::Done(Box::new(builder));
        }
    };
    let previous = current(shared);
    // A page's edit with no tab open: nothing to serve before the rest.
    let worth_it = |open: &usize| *open > 0 || changes_every_page(batch);
    let pending = (previous.as_deref())
        .and_then(|p| Pending::new(&prepared, p, batch, &shared.outputs))
        .and_then(|p| Some((p.render(&shared.tabs.pages()).filter(worth_it)?, p)));
    let (Some((open, pending)), Some(previous)) = (pending, previous) else {
        let result = builder.finish(prepared, &hidden, &AtomicBool::new(false), None);
        publish(shared, result, batch, started, color, None);
        return Next::Done(Box::new(builder));
    };
    let said = format!(
        "{}: rendered {open} open page{} in {} ms; the other pages follow",
        super::describe(batch, &shared.root),
        if open == 1 { "" } else { "s" },
        started.elapsed().as_millis()
    );
    let since = previous.version + 1;
    publish_snapshot(
        shared,
        Snapshot {
            version: since,
            since,
            change: Change::Reload,
            built: previous.built.clone(),
            index: previous.index.clone(),
            error: None,
            pending: Some(Arc::new(pending)),
        },
    );
    println!("{said}");
    let stop = Arc::new(AtomicBool::new(false));
    let (shared, batch, halt) = (shared.clone(), batch.clone(), stop.clone());
    let handle = std::thread::spawn(move || {
        let result = builder.finish(prepared, &hidden, &halt, None);
        if !halt.load(Ordering::Relaxed) {
            publish(&shared, result, &batch, started, color, Some(since));
        }
        builder
    });
    Next::Background(Background { stop, handle })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildOptions, Built};

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A site of pages `names` in a new folder, and the options building it.
    fn site(names: &[&str]) -> (tempfile::TempDir, BuildOptions) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = "title = \"T\"\nbase_url = \"https://t.example\"\n";
        write(root, "site.toml", config);
        write(root, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
        for name in names {
            let text = format!("+++\ntitle = \"{name}\"\n+++\nBody of {name}.\n");
            write(root, &format!("content/{name}.md"), &text);
        }
        let options = BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        };
        (dir, options)
    }

    fn snapshot(built: Built) -> Snapshot {
        let index = (built.files.iter().enumerate())
            .map(|(i, f)| (f.name().clone(), i))
            .collect();
        Snapshot {
            version: 1,
            since: 1,
            change: Change::Reload,
            built: Some(Arc::new(built)),
            index: Arc::new(index),
            error: None,
            pending: None,
        }
    }

    /// The open page first, another asked for before the rest, then the
    /// rest: the same bytes as a fresh build, whoever rendered each page.
    #[test]
    fn pages_asked_for_before_the_rest_are_what_a_fresh_build_makes() {
        let (dir, options) = site(&["a", "b", "c"]);
        let root = dir.path();
        let page = "<html><head></head><body>VERSION {{ page.title }} {{ page.content | safe }}</body></html>";
        write(root, "templates/page.html", &page.replace("VERSION", "one"));
        let mut builder = Builder::new(options.clone());
        let progress = Progress::hidden();
        let first = builder.build(&Changes::Everything, &progress).unwrap();
        let previous = snapshot(first);
        write(root, "templates/page.html", &page.replace("VERSION", "two"));
        let batch = Batch {
            paths: vec![PathBuf::from("templates/page.html")],
        };
        let prepared = builder
            .prepare(&Changes::Paths(&batch.paths), &progress)
            .unwrap();
        let index = OutputIndex::default();
        let pending = Pending::new(&prepared, &previous, &batch, &index).expect("same pages");
        assert_eq!(
            pending.render(&["a/index.html".into(), "gone/index.html".into()]),
            Some(1)
        );
        let Answer::Page(b) = pending.answer("b/index.html", None) else {
            panic!("b is rendered on demand");
        };
        assert!(b.contains("two b"), "{b}");
        assert!(matches!(pending.answer("b", None), Answer::Previous));
        let sitemap = previous.file("sitemap.xml");
        assert!(matches!(
            pending.answer("sitemap.xml", sitemap),
            Answer::Wait
        ));
        let built = builder
            .finish(prepared, &progress, &AtomicBool::new(false), None)
            .unwrap();
        let fresh = crate::pipeline::build(&options, &progress).unwrap();
        assert_eq!(built.contents().unwrap(), fresh.contents().unwrap());
        let served = built.contents().unwrap()["b/index.html"].clone();
        assert_eq!(served, b.as_bytes());
        assert_eq!(
            built.rendered, 5,
            "home, a, b, c and the 404 page, each once"
        );
    }

    #[test]
    fn a_superseded_render_stops_and_publishes_nothing() {
        let (_dir, options) = site(&["a"]);
        let mut builder = Builder::new(options);
        let progress = Progress::hidden();
        let prepared = builder.prepare(&Changes::Everything, &progress).unwrap();
        let stopped = builder.finish(prepared, &progress, &AtomicBool::new(true), None);
        assert_eq!(stopped.err(), Some(Vec::new()));
        assert!(builder.build(&Changes::Everything, &progress).is_ok());
    }

    #[test]
    fn page_edits_and_edits_to_every_page_serve_open_pages_first() {
        // A stylesheet is swapped without a reload; an image is served
        // from disk; a mix of kinds is built in one go.
        let cases: &[(&[&str], bool)] = &[
            (&["content/blog/a.md"], true),
            (&["content/a.md", "content/b/_index.md"], true),
            (&["templates/page.html"], true),
            (&["site.toml"], true),
            (&["static/site.css"], false),
            (&["content/blog/hero.png"], false),
            (&["content/a.md", "static/site.css"], false),
            (&["templates/page.html", "content/a.md"], false),
            (&["notes/a.md"], false),
            (&[], false),
        ];
        for (paths, first) in cases {
            let batch = Batch {
                paths: paths.iter().map(PathBuf::from).collect(),
            };
            assert_eq!(open_pages_first(&batch), *first, "{paths:?}");
        }
    }

    #[test]
    fn template_and_config_edits_change_every_page() {
        let batch = |paths: &[&str]| Batch {
            paths: paths.iter().map(PathBuf::from).collect(),
        };
        assert!(changes_every_page(&batch(&["templates/page.html"])));
        assert!(changes_every_page(&batch(&[
            "themes/plain/templates/shortcodes/note.html",
            "site.toml"
        ])));
        assert!(!changes_every_page(&batch(&[
            "themes/plain/static/plain.css"
        ])));
        assert!(!changes_every_page(&batch(&[
            "templates/page.html",
            "content/a.md"
        ])));
        assert!(!changes_every_page(&batch(&["content/templates/a.md"])));
        assert!(!changes_every_page(&batch(&[])));
    }
}
