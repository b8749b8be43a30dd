//! `utmost serve`: build in memory, serve it, rebuild on every save, and
//! tell open tabs to reload (or just swap stylesheets) over server-sent
//! events. A broken edit keeps the last good site served and shows the error
//! as an overlay until a save fixes it.
//!
//! Rebuilds go through `pipeline::build`, the same function `build` uses,
//! so preview and build cannot drift apart. The HTTP server is tiny_http:
//! a few small crates, synchronous like the rest of utmost, enough for one
//! person's preview. Nothing is written to the output directory.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::diagnostic::Diagnostic;
use crate::engine::RenderOptions;
use crate::output::File;
use crate::pipeline::{BuildOptions, Builder, Built, Changes};
use crate::progress::Progress;
use crate::watch::{Batch, SiteWatcher};

/// Where forms post in preview.
pub const LEAD_PATH: &str = "/__utmost/lead";
const EVENTS_PATH: &str = "/__utmost/events";

#[derive(Debug, Clone)]
pub struct ServeOptions {
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
/// latest rebuild failed.
struct Snapshot {
    version: u64,
    change: Change,
    built: Option<Arc<Built>>,
    /// Output path → index into `built.files`.
    index: Arc<HashMap<Arc<str>, usize>>,
    error: Option<String>,
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
}

/// Runs the preview server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let address = format!("{}:{}", options.bind, options.port);
    let server = Server::http(&address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(options.port, |a| a.port());
    let host = if options.bind == "0.0.0.0" {
        "127.0.0.1"
    } else {
        &options.bind
    };
    let url = format!("http://{host}:{port}");
    let build_options = BuildOptions {
        root: options.root.clone(),
        drafts: options.drafts,
        base_url: Some(url.clone()),
        out: None,
        pdf: false,
        render: RenderOptions {
            form_action: Some(LEAD_PATH.to_string()),
        },
    };
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            version: 0,
            change: Change::Reload,
            built: None,
            index: Arc::default(),
            error: None,
        })),
        version: Mutex::new(0),
        bumped: Condvar::new(),
        root: options.root.clone(),
    });
    let mut builder = Builder::new(build_options);
    rebuild(&shared, &mut builder, &Batch::default(), options.color);
    let mut watcher = SiteWatcher::new(&options.root)
        .map_err(|e| format!("cannot watch {}: {e}", options.root.display()))?;
    println!(
        "Serving {} at {url}/ (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }
    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, shared) = (server.clone(), shared.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(&shared, request);
            }
        });
    }
    while let Some(batch) = watcher.next_batch() {
        rebuild(&shared, &mut builder, &batch, options.color);
    }
    Ok(())
}

fn open_browser(url: &str) {
    for opener in ["xdg-open", "open"] {
        if std::process::Command::new(opener).arg(url).spawn().is_ok() {
            return;
        }
    }
    println!("(no browser found to open; visit {url}/)");
}

/// Brings the site up to date with `batch` and publishes it (or the error).
/// The first batch is empty and builds everything.
fn rebuild(shared: &Shared, builder: &mut Builder, batch: &Batch, color: bool) {
    let started = Instant::now();
    let changes = if batch.paths.is_empty() {
        Changes::Everything
    } else {
        Changes::Paths(&batch.paths)
    };
    let result = builder.build(&changes, &Progress::hidden());
    let previous = shared.snapshot.read().map(|s| s.clone()).ok();
    let version = previous.as_ref().map_or(0, |s| s.version) + 1;
    let snapshot = match result {
        Ok(built) => {
            let changed = if batch.paths.is_empty() {
                "start".to_string()
            } else {
                describe(batch, &shared.root)
            };
            println!(
                "{changed}: rendered {} of {} pages in {} ms",
                built.rendered,
                built.site.outputs.len(),
                started.elapsed().as_millis()
            );
            // After an edit in place the files are the same, in the same
            // order: the previous index holds.
            let index = match previous.as_ref() {
                Some(p)
                    if p.built
                        .as_ref()
                        .is_some_and(|b| same_names(&b.files, &built.files)) =>
                {
                    p.index.clone()
                }
                _ => Arc::new(
                    built
                        .files
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (f.name().clone(), i))
                        .collect(),
                ),
            };
            Snapshot {
                version,
                change: if batch.only_css() {
                    Change::Css
                } else {
                    Change::Reload
                },
                built: Some(Arc::new(built)),
                index,
                error: None,
            }
        }
        Err(diagnostics) => {
            let text = report(&diagnostics, false);
            eprintln!("{}", report(&diagnostics, color));
            let (built, index) = previous
                .map(|p| (p.built.clone(), p.index.clone()))
                .unwrap_or_default();
            Snapshot {
                version,
                change: Change::Failed,
                built,
                index,
                error: Some(text),
            }
        }
    };
    if let Ok(mut slot) = shared.snapshot.write() {
        *slot = Arc::new(snapshot);
    }
    if let Ok(mut v) = shared.version.lock() {
        *v = version;
    }
    shared.bumped.notify_all();
}

fn same_names(a: &[File], b: &[File]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.name() == b.name())
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

fn handle(shared: &Arc<Shared>, mut request: Request) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let response = match (request.method(), path.as_str()) {
        (Method::Get, EVENTS_PATH) => return events(shared, request),
        (Method::Post, LEAD_PATH) => {
            let mut body = String::new();
            let limited = request.as_reader().take(1 << 20).read_to_string(&mut body);
            match limited {
                Ok(_) => crate::preview_leads::receive(
                    &shared.root,
                    current(shared).and_then(|s| s.built.clone()),
                    &body,
                ),
                Err(_) => text(400, "the form data is not UTF-8"),
            }
        }
        (Method::Get | Method::Head, _) => page(shared, &path),
        _ => text(405, "method not allowed"),
    };
    let _ = request.respond(response);
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn text(status: u16, body: &str) -> Reply {
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

pub(crate) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Utmost"[..], &b"invalid-header"[..])
            .expect("static header is valid")
    })
}

pub(crate) fn redirect(status: u16, location: &str) -> Reply {
    Response::from_string("")
        .with_status_code(StatusCode(status))
        .with_header(header("Location", location))
}

/// Serves a file of the current snapshot, never anything else.
fn page(shared: &Shared, path: &str) -> Reply {
    let Some(snapshot) = current(shared) else {
        return text(503, "starting");
    };
    let Some(key) = crate::preview_paths::output_key(path) else {
        return text(400, "bad path");
    };
    if let Some(file) = snapshot.file(&key) {
        return serve_file(&snapshot, &key, file, 200);
    }
    if !key.is_empty()
        && !key.ends_with("index.html")
        && snapshot
            .index
            .contains_key(format!("{key}/index.html").as_str())
    {
        return redirect(301, &format!("{}/", path.trim_end_matches('/')));
    }
    match snapshot.file("404.html") {
        Some(file) => serve_file(&snapshot, "404.html", file, 404),
        None => with_reload(
            &snapshot,
            "<!doctype html><title>Not found</title><h1>Not found</h1>".into(),
            404,
        ),
    }
}

fn serve_file(snapshot: &Snapshot, key: &str, file: &File, status: u16) -> Reply {
    let bytes = match file.bytes() {
        Ok(b) => b,
        Err(e) => return text(500, &format!("cannot read {key}: {e}")),
    };
    let kind = crate::preview_paths::content_type(key);
    if kind.starts_with("text/html") {
        return with_reload(
            snapshot,
            String::from_utf8_lossy(&bytes).into_owned(),
            status,
        );
    }
    Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

/// An HTML page with the live-reload client added.
fn with_reload(snapshot: &Snapshot, mut html: String, status: u16) -> Reply {
    let client = format!(
        "<script data-utmost=\"livereload\">{}</script>",
        LIVERELOAD_JS.replace("VERSION", &snapshot.version.to_string())
    );
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &client),
        None => html.push_str(&client),
    }
    Response::from_string(html)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// A server-sent event stream: one event per rebuild, on its own thread.
fn events(shared: &Arc<Shared>, request: Request) {
    let shared = shared.clone();
    std::thread::spawn(move || {
        let mut out = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
        if out
            .write_all(head.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
        let mut seen = current(&shared).map_or(0, |s| s.version);
        if let Some(s) = current(&shared)
            && send(&mut out, &s).is_err()
        {
            return;
        }
        loop {
            let Ok(guard) = shared.version.lock() else {
                return;
            };
            let (guard, _) =
                match shared
                    .bumped
                    .wait_timeout_while(guard, Duration::from_secs(15), |v| *v == seen)
                {
                    Ok(r) => r,
                    Err(_) => return,
                };
            let version = *guard;
            drop(guard);
            let result = if version == seen {
                out.write_all(b": keep-alive\n\n").and_then(|_| out.flush())
            } else {
                seen = version;
                match current(&shared) {
                    Some(s) => send(&mut out, &s),
                    None => Ok(()),
                }
            };
            if result.is_err() {
                return;
            }
        }
    });
}

/// Writes the snapshot's state as one event: `reload`, `css` or `failed`
/// (with the error text), each carrying the version.
fn send(out: &mut dyn Write, snapshot: &Snapshot) -> std::io::Result<()> {
    let (name, data) = match (&snapshot.error, snapshot.change) {
        (Some(error), _) => ("failed", error.clone()),
        (None, Change::Css) => ("css", String::new()),
        (None, _) => ("reload", String::new()),
    };
    let mut message = format!("event: {name}\nid: {}\n", snapshot.version);
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    if data.is_empty() {
        message.push_str("data: \n");
    }
    message.push('\n');
    out.write_all(message.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

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
