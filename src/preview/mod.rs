//! `utmost serve`: build in memory, serve it, rebuild on every save, and
//! tell open tabs to reload (or just swap stylesheets) over server-sent
//! events. A broken edit keeps the last good site served and shows the error
//! as an overlay until a save fixes it.
//!
//! Rebuilds go through a `Builder`, the same pipeline `build` runs, so
//! preview and build cannot drift apart. HTTP is `util/http/` (a bounded
//! pool of workers, timeouts on every read, a body limit); who may talk to
//! the server is `preview/access.rs`: the preview's own host names only,
//! and form posts only from its own pages, which `preview/form_data.rs`
//! parses and `preview/leads.rs` records. Which edits matter is
//! `preview/watch.rs`; images are made beside the rebuilds
//! (`preview/images.rs`). Nothing is written to the output directory.
//!
//! The reload channel is `preview/events.rs`; through it the preview knows
//! which pages open tabs show, and an edit to pages (their Markdown, a
//! template, site.toml) renders those first (`preview/pending.rs`).

pub(crate) mod access;
mod events;
pub(crate) mod form_data;
mod images;
pub(crate) mod leads;
pub(crate) mod paths;
mod pending;
pub(crate) mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::preview::access::Allowed;
use crate::util::http::{self, BodyError, Reply, Request, Response};

use crate::diagnostic::Diagnostic;
use crate::output::File;
use crate::pipeline::{BuildOptions, Builder, Built, Changes};
use crate::preview::watch::{Batch, SiteWatcher};
use crate::render::engine::RenderOptions;
use crate::source::confine::SiteRoot;
use crate::util::progress::Progress;

/// Where forms post in preview.
pub(crate) const LEAD_PATH: &str = "/__utmost/lead";
const EVENTS_PATH: &str = "/__utmost/events";

#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    pub color: bool,
}

/// What open tabs are told after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Reload,
    Css,
    Failed,
}

/// The site being served: the last good build, and the last error if the
/// latest rebuild failed; or, while a template edit renders, its pages as
/// they are rendered.
struct Snapshot {
    version: u64,
    /// The version since which its pages are what they are (a page served
    /// then is current): its own, or that of the pending render it settles.
    since: u64,
    change: Change,
    built: Option<Arc<Built>>,
    /// Output path → index into `built.files`.
    index: Arc<HashMap<Arc<str>, usize>>,
    error: Option<String>,
    /// A render not finished yet, whose pages win over `built`'s.
    pending: Option<Arc<pending::Pending>>,
}

impl Snapshot {
    fn file(&self, key: &str) -> Option<&File> {
        let i = *self.index.get(key)?;
        self.built.as_ref()?.files.get(i)
    }
}

struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    version: Mutex<u64>,
    bumped: Condvar,
    root: PathBuf,
    /// Copied files are served only while they lie inside the site.
    site: SiteRoot,
    /// The hosts and origins the server answers to.
    allowed: Allowed,
    /// Event streams open now.
    streams: AtomicUsize,
    /// The pages they show.
    tabs: events::Tabs,
    /// Where each page is among the site's outputs, for pending renders.
    outputs: pending::OutputIndex,
}

/// Runs the preview server until the process is stopped.
pub(crate) fn serve(options: ServeOptions) -> Result<(), String> {
    let bind = options.bind.trim_start_matches('[').trim_end_matches(']');
    let listener = TcpListener::bind((bind, options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let host = match bind.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() && ip.is_ipv6() => "[::1]".to_string(),
        Ok(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => bind.to_string(),
    };
    let url = format!("http://{host}:{port}");
    let build_options = preview_build(&options, &url);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            version: 0,
            since: 0,
            change: Change::Reload,
            built: None,
            index: Arc::default(),
            error: None,
            pending: None,
        })),
        version: Mutex::new(0),
        bumped: Condvar::new(),
        root: options.root.clone(),
        site: SiteRoot::new(&options.root),
        allowed: Allowed::new(bind, port),
        streams: AtomicUsize::new(0),
        tabs: events::Tabs::default(),
        outputs: pending::OutputIndex::default(),
    });
    let mut builder = Builder::new(build_options);
    let started = Instant::now();
    let result = builder.build(&Changes::Everything, &Progress::hidden());
    let batch = Batch::default();
    publish(&shared, result, &batch, started, options.color, None);
    let mut watcher = SiteWatcher::new(&options.root)
        .map_err(|e| format!("cannot watch {}: {e}", options.root.display()))?;
    println!(
        "Serving {} at {url}/ (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }
    let handler: Arc<dyn http::Handler> = Arc::new(Preview(shared.clone()));
    let _server = http::spawn(listener, limits(), handler)
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let mut state = pending::Next::Done(Box::new(builder));
    while let Some(batch) = watcher.next_batch() {
        let mut builder = match state {
            pending::Next::Done(builder) => *builder,
            pending::Next::Background(render) => render
                .supersede()
                .ok_or("the background render stopped unexpectedly")?,
        };
        state = if pending::open_pages_first(&batch) {
            pending::rebuild(&shared, builder, &batch, options.color)
        } else {
            let started = Instant::now();
            let result = builder.build(&Changes::Paths(&batch.paths), &Progress::hidden());
            publish(&shared, result, &batch, started, options.color, None);
            pending::Next::Done(Box::new(builder))
        };
    }
    Ok(())
}

/// How the preview builds: in memory, with its own URL as the base URL,
/// forms posting to the preview, and no analytics.
fn preview_build(options: &ServeOptions, url: &str) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        drafts: options.drafts,
        base_url: Some(url.to_string()),
        out: None,
        pdf: false,
        force: false,
        host: None,
        strict: false,
        production: false,
        render: RenderOptions {
            form_action: Some(LEAD_PATH.to_string()),
            preview: true,
            without_analytics: true,
        },
    }
}

/// The server's limits; `UTMOST_PREVIEW_TIMEOUT_MS` sets its timeouts
/// (for tests that need a slow client to time out, or never to).
fn limits() -> http::Limits {
    let mut limits = http::Limits::default();
    let timeout = std::env::var("UTMOST_PREVIEW_TIMEOUT_MS").ok();
    if let Some(ms) = timeout.and_then(|v| v.parse().ok()) {
        limits.idle = Duration::from_millis(ms);
        limits.request = Duration::from_millis(ms);
    }
    limits
}

fn open_browser(url: &str) {
    if !crate::util::open::in_browser(url) {
        println!("(no browser found to open; visit {url}/)");
    }
}

/// Publishes the result of a build for `batch` (the first batch is empty),
/// begun at `started`; `since` is the version of the pending render it
/// settles, if it does.
fn publish(
    shared: &Shared,
    result: Result<Built, Vec<Diagnostic>>,
    batch: &Batch,
    started: Instant,
    color: bool,
    since: Option<u64>,
) {
    let previous = current(shared);
    let version = previous.as_ref().map_or(0, |s| s.version) + 1;
    let changed = if batch.paths.is_empty() {
        "start".to_string()
    } else {
        describe(batch, &shared.root)
    };
    // Said once the build is served: a line printed is a page served.
    let (snapshot, said) = match result {
        Ok(built) => {
            let said = format!(
                "{changed}: rendered {} of {} pages in {} ms",
                built.rendered,
                built.pages.len(),
                started.elapsed().as_millis()
            );
            let index = file_index(previous.as_deref(), &built);
            // The slot keeps the last build's last reference, freed off
            // this thread once replaced (`publish_snapshot`).
            drop(previous);
            images::make_in_background(&built.images, color);
            let snapshot = Snapshot {
                version,
                since: since.unwrap_or(version),
                change: if batch.only_css() {
                    Change::Css
                } else {
                    Change::Reload
                },
                built: Some(Arc::new(built)),
                index,
                error: None,
                pending: None,
            };
            (snapshot, Some(said))
        }
        Err(diagnostics) => {
            let text = report(&diagnostics, false);
            let before = previous.as_ref().and_then(|p| p.error.as_deref());
            eprintln!("{}", failure(&changed, &diagnostics, before, color));
            let (built, index) = previous
                .map(|p| (p.built.clone(), p.index.clone()))
                .unwrap_or_default();
            let snapshot = Snapshot {
                version,
                since: version,
                change: Change::Failed,
                built,
                index,
                error: Some(text),
                pending: None,
            };
            (snapshot, None)
        }
    };
    publish_snapshot(shared, snapshot);
    if let Some(said) = said {
        println!("{said}");
    }
}

/// Serves `snapshot` from now on and tells the open tabs.
fn publish_snapshot(shared: &Shared, snapshot: Snapshot) {
    let version = snapshot.version;
    let replaced =
        (shared.snapshot.write()).map(|mut slot| std::mem::replace(&mut *slot, Arc::new(snapshot)));
    // The last build (15,000 files at 10,000 pages) is freed off the path
    // between a save and the reloaded page.
    if let Ok(old) = replaced {
        std::thread::spawn(move || drop(old));
    }
    if let Ok(mut v) = shared.version.lock() {
        *v = version;
    }
    shared.bumped.notify_all();
}

/// Output path → index into `built.files`. After an edit in place the
/// files are the same, in the same order: the previous index holds.
fn file_index(previous: Option<&Snapshot>, built: &Built) -> Arc<HashMap<Arc<str>, usize>> {
    match previous {
        Some(p) if (p.built.as_ref()).is_some_and(|b| same_names(&b.files, &built.files)) => {
            p.index.clone()
        }
        _ => Arc::new(
            (built.files.iter().enumerate())
                .map(|(i, f)| (f.name().clone(), i))
                .collect(),
        ),
    }
}

fn same_names(a: &[File], b: &[File]) -> bool {
    // Pages reused from the last render share their name's allocation.
    let same = |a: &File, b: &File| Arc::ptr_eq(a.name(), b.name()) || a.name() == b.name();
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}

/// Names the change by a file that is still there: an editor's temporary
/// file, written and renamed away, says nothing to the user.
fn describe(batch: &Batch, root: &Path) -> String {
    let paths = &batch.paths;
    let Some(first) = paths
        .iter()
        .find(|p| root.join(p).exists())
        .or(paths.first())
    else {
        return "change".into();
    };
    match paths.len() {
        1 => first.display().to_string(),
        n => format!("{} and {} more", first.display(), n - 1),
    }
}

/// What the terminal shows for a failed rebuild after `changed`. One save
/// can come as two changes (an editor writes, then renames): errors the
/// same as the last failure's (`before`, uncoloured) are named, not repeated.
fn failure(changed: &str, diagnostics: &[Diagnostic], before: Option<&str>, color: bool) -> String {
    if before == Some(report(diagnostics, false).as_str()) {
        let count = crate::diagnostic::summary(diagnostics);
        format!("{changed}: the same {count}; still serving the last good build")
    } else {
        format!("{changed}: build failed\n{}", report(diagnostics, color))
    }
}

fn report(diagnostics: &[Diagnostic], color: bool) -> String {
    let mut text: String = diagnostics.iter().map(|d| d.render(color) + "\n").collect();
    text.push_str(&format!(
        "{}; still serving the last good build",
        crate::diagnostic::summary(diagnostics)
    ));
    text
}

fn current(shared: &Shared) -> Option<Arc<Snapshot>> {
    shared.snapshot.read().ok().map(|s| s.clone())
}

/// How long a request waits for a pending render to settle.
const SETTLING: Duration = Duration::from_secs(60);

/// The snapshot once no render is pending (`None` after [`SETTLING`]).
fn settled(shared: &Shared) -> Option<Arc<Snapshot>> {
    let pending = || current(shared).is_none_or(|s| s.pending.is_some());
    let guard = shared.version.lock().ok()?;
    let (_guard, _) = (shared.bumped)
        .wait_timeout_while(guard, SETTLING, |_| pending())
        .ok()?;
    current(shared).filter(|s| s.pending.is_none())
}

/// The preview's answers to HTTP requests.
struct Preview(Arc<Shared>);

impl http::Handler for Preview {
    fn handle(&self, request: &mut Request<'_>) -> Reply {
        let shared = &self.0;
        let host_ok = request.count("host") == 1
            && request
                .header("host")
                .is_some_and(|h| shared.allowed.host(h));
        if !host_ok {
            let (status, why) = match request.count("host") {
                1 => (421, "this server answers only to"),
                _ => (400, "a request needs one Host header naming"),
            };
            let text = format!("{why} {}", shared.allowed.describe());
            return Reply::Response(Response::text(status, &text));
        }
        let path = request.path().to_string();
        let response = match (request.method.as_str(), path.as_str()) {
            ("GET", EVENTS_PATH) => {
                return events::events(shared, &request.target, request.header("referer"));
            }
            ("POST", LEAD_PATH) => lead(shared, request),
            ("GET" | "HEAD", _) => page(shared, &path),
            _ => text(405, "method not allowed").header("Allow", "GET, HEAD, POST"),
        };
        Reply::Response(response)
    }
}

/// A form post: from the preview's own pages, a form encoding, within the
/// body limit, with fields; anything else is refused and not recorded.
fn lead(shared: &Shared, request: &mut Request<'_>) -> Response {
    let (origin, referer) = (request.header("origin"), request.header("referer"));
    let one_each = request.count("origin") <= 1 && request.count("referer") <= 1;
    if !one_each || !shared.allowed.same_origin(origin, referer) {
        return text(
            403,
            "this form was posted from another site; the lead was not recorded",
        );
    }
    let encoding = match crate::preview::form_data::encoding(request.header("content-type")) {
        Some(Ok(encoding)) => encoding,
        Some(Err(e)) => return text(400, &format!("{e}; the lead was not recorded")),
        None => {
            return text(
                415,
                "only application/x-www-form-urlencoded and multipart/form-data posts are recorded",
            );
        }
    };
    let body = match request.body() {
        Ok(body) => body,
        Err(BodyError::TooLarge(limit)) => {
            let message = format!(
                "the form data is over {} KiB; the lead was not recorded",
                limit / 1024
            );
            return text(413, &message);
        }
        Err(BodyError::LengthRequired) => return text(411, "a form post needs a Content-Length"),
        Err(BodyError::TimedOut) => return text(408, "the form data took too long to arrive"),
        Err(BodyError::Io(e)) => return text(400, &format!("cannot read the form data: {e}")),
    };
    let fields = match crate::preview::form_data::parse(&encoding, &body) {
        Ok(fields) if fields.is_empty() => {
            return text(400, "the form sent no fields; nothing was recorded");
        }
        Ok(fields) => fields,
        Err(e) => return text(400, &format!("{e}; the lead was not recorded")),
    };
    let built = current(shared).and_then(|s| s.built.clone());
    crate::preview::leads::receive(&shared.root, built, &fields)
}

fn text(status: u16, body: &str) -> Response {
    Response::text(status, body)
}

/// Serves a file of the current snapshot, never anything else.
fn page(shared: &Shared, path: &str) -> Response {
    let Some(mut snapshot) = current(shared) else {
        return text(503, "starting");
    };
    let Some(key) = crate::util::http::paths::output_key(path) else {
        return text(400, "bad path");
    };
    if let Some(pending) = snapshot.pending.clone() {
        match pending.answer(&key, snapshot.file(&key)) {
            pending::Answer::Page(html) => return with_reload(&snapshot, html.to_string(), 200),
            pending::Answer::Previous => {}
            pending::Answer::Wait => match settled(shared) {
                Some(s) => snapshot = s,
                None => return text(503, "still rendering").header("Retry-After", "1"),
            },
        }
    }
    if let Some(file) = snapshot.file(&key) {
        return serve_file(&shared.site, &snapshot, &key, file, 200);
    }
    if !key.is_empty()
        && !key.ends_with("index.html")
        && snapshot
            .index
            .contains_key(format!("{key}/index.html").as_str())
    {
        return Response::redirect(301, &format!("{}/", path.trim_end_matches('/')));
    }
    match snapshot.file("404.html") {
        Some(file) => serve_file(&shared.site, &snapshot, "404.html", file, 404),
        None => with_reload(
            &snapshot,
            "<!doctype html><title>Not found</title><h1>Not found</h1>".into(),
            404,
        ),
    }
}

fn serve_file(
    site: &SiteRoot,
    snapshot: &Snapshot,
    key: &str,
    file: &File,
    status: u16,
) -> Response {
    let images = snapshot.built.as_ref().map(|b| &*b.images);
    let bytes = match images::read(file, images, site) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return text(403, &format!("{key} is not served: {e}"));
        }
        Err(e) => return text(500, &format!("cannot read {key}: {e}")),
    };
    let kind = crate::util::http::paths::content_type(key);
    if kind.starts_with("text/html") {
        return with_reload(
            snapshot,
            String::from_utf8_lossy(&bytes).into_owned(),
            status,
        );
    }
    Response::new(status, bytes)
        .header("Content-Type", kind)
        .header("Cache-Control", "no-store")
}

/// An HTML page with the live-reload client added.
fn with_reload(snapshot: &Snapshot, html: String, status: u16) -> Response {
    let client = format!(
        "<script data-utmost=\"livereload\">{}</script>",
        LIVERELOAD_JS.replace("VERSION", &snapshot.version.to_string())
    );
    let html = crate::util::html::insert_before_body_end(html, &client);
    Response::new(status, html)
        .header("Content-Type", "text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
}

const LIVERELOAD_JS: &str = include_str!("livereload.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_repeated_by_one_save_is_named_not_printed_again() {
        let errors = [Diagnostic::file("content/a.md", "unknown key `foo`")];
        let first = failure("content/a.md", &errors, None, false);
        assert!(first.starts_with("content/a.md: build failed\nerror: unknown key `foo`"));
        assert!(first.ends_with("; still serving the last good build"));
        let before = report(&errors, false);
        assert_eq!(
            failure("content/a.md", &errors, Some(&before), false),
            format!(
                "content/a.md: the same {}; still serving the last good build",
                crate::diagnostic::summary(&errors)
            )
        );
        let other = [Diagnostic::file("content/a.md", "unknown key `bar`")];
        assert!(failure("x", &other, Some(&before), false).contains("`bar`"));
    }

    #[test]
    fn a_change_is_named_by_a_file_that_is_still_there() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/spring.md"), "").unwrap();
        let batch = |paths: &[&str]| Batch {
            paths: paths.iter().map(PathBuf::from).collect(),
        };
        let saved = batch(&["content/sedX1b2", "content/spring.md"]);
        assert_eq!(describe(&saved, dir.path()), "content/spring.md and 1 more");
        let deleted = batch(&["content/gone.md"]);
        assert_eq!(describe(&deleted, dir.path()), "content/gone.md");
        assert_eq!(describe(&batch(&[]), dir.path()), "change");
    }
}
