//! `build --pdf`: every collateral page (and each rep's copy) printed to a
//! one-page PDF beside its HTML by an installed Chromium. The build is
//! served from memory on a loopback port for the browser, so root-relative
//! stylesheets and images resolve as they will online. No browser is ever
//! downloaded: without one, the error says what to install.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::pipeline::Built;
use crate::render::views::pdf_path;
use crate::util::http::paths::{content_type, output_key};
use crate::util::http::{self, Reply, Response};

const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// The Chromium to print with: `explicit`, else the first on PATH.
pub(crate) fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(Diagnostic::file(path, "--chromium: no such file"))
        };
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&paths) {
        for name in BROWSERS {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Diagnostic::file("--pdf", "--pdf needs Chromium or Google Chrome, and none was found on PATH").with_help(
        "install it (Debian/Ubuntu: `apt-get install chromium`; macOS: Google Chrome) or pass `--chromium PATH`; the HTML build is complete",
    ))
}

type FileMap = std::collections::HashMap<String, crate::output::File>;

/// The build's files, written into the output folder (`.1`), served to
/// the browser that prints.
struct Files(FileMap, PathBuf);

impl http::Handler for Files {
    fn handle(&self, request: &mut http::Request<'_>) -> Reply {
        let found = output_key(request.path()).and_then(|k| self.0.get(&k).map(|f| (k, f)));
        Reply::Response(match found {
            Some((key, file)) => match file.bytes_in_output(&self.1) {
                Ok(bytes) => Response::new(200, bytes).header("Content-Type", content_type(&key)),
                Err(_) => Response::new(500, ""),
            },
            None => Response::new(404, ""),
        })
    }
}

/// One PDF to print: the page's URL path, and where the PDF goes.
struct Job {
    source: PathBuf,
    url_path: String,
    pdf: PathBuf,
}

/// Prints every collateral output of `built` into `out`. Returns how many
/// PDFs were written, or every problem (a failed print, a page overflowing).
pub(crate) fn print_collateral(
    built: &Built,
    out: &Path,
    chromium: &Path,
) -> Result<usize, Vec<Diagnostic>> {
    let site = &built.site;
    let jobs: Vec<Job> = site
        .outputs
        .iter()
        .filter(|o| o.variant.is_none() && site.entries[o.entry].is_collateral())
        .map(|o| Job {
            source: site.entries[o.entry].doc.source.clone(),
            url_path: o.path.to_string(),
            pdf: out.join(&pdf_path(site, o)[1..]),
        })
        .collect();
    if jobs.is_empty() {
        return Ok(0);
    }
    let started = std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| {
        let port = listener.local_addr()?.port();
        let files: FileMap = built
            .files
            .iter()
            .map(|f| (f.output().to_string(), f.clone()))
            .collect();
        let handler: Arc<dyn http::Handler> = Arc::new(Files(files, out.to_path_buf()));
        Ok((
            port,
            http::spawn(listener, http::Limits::default(), handler)?,
        ))
    });
    // The server stops when `_server` is dropped, after printing.
    let (port, _server) = started.map_err(|e| {
        vec![Diagnostic::file(
            "--pdf",
            format!("cannot start a local server: {e}"),
        )]
    })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .map_err(|e| vec![Diagnostic::file("--pdf", e.to_string())])?;
    let results: Vec<Result<(), Diagnostic>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| print(chromium, port, job))
            .collect()
    });
    let problems: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if problems.is_empty() {
        Ok(jobs.len())
    } else {
        Err(problems)
    }
}

fn print(chromium: &Path, port: u16, job: &Job) -> Result<(), Diagnostic> {
    if let Some(dir) = job.pdf.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::file(&job.pdf, format!("cannot create: {e}")))?;
    }
    let profile = tempfile::tempdir()
        .map_err(|e| Diagnostic::file("--pdf", format!("cannot make a browser profile: {e}")))?;
    let mut command = std::process::Command::new(chromium);
    command.args([
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ]);
    if running_as_root() {
        // Chromium refuses to start as root with its sandbox on.
        command.arg("--no-sandbox");
    }
    command
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", job.pdf.display()))
        .arg(format!("http://127.0.0.1:{port}{}", job.url_path));
    let output = command
        .output()
        .map_err(|e| Diagnostic::file(chromium, format!("cannot run: {e}")))?;
    let pdf = std::fs::read(&job.pdf).map_err(|_| {
        let log = String::from_utf8_lossy(&output.stderr);
        let last = log
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        Diagnostic::file(
            &job.source,
            format!("Chromium did not print {}: {last}", job.url_path),
        )
    })?;
    match page_count(&pdf) {
        1 => Ok(()),
        n => Err(Diagnostic::file(
            &job.source,
            format!(
                "the one-pager {} prints on {n} pages, not one",
                job.url_path
            ),
        )
        .with_help("shorten the copy or the lists so that it fits one page")),
    }
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Pages in a PDF: its `/Type /Page` objects (not `/Pages`).
pub(crate) fn page_count(pdf: &[u8]) -> usize {
    let mut count = 0;
    for (i, window) in pdf.windows(5).enumerate() {
        if window != b"/Type" {
            continue;
        }
        let rest = &pdf[i + 5..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if rest.starts_with(b"/Page") && !rest.starts_with(b"/Pages") {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_not_page_trees() {
        let pdf = b"1 0 obj << /Type /Pages /Count 2 >> 2 0 obj <</Type/Page>> 3 0 obj << /Type /Page /Parent 1 0 R >>";
        assert_eq!(page_count(pdf), 2);
        assert_eq!(page_count(b"no pages"), 0);
    }

    #[test]
    fn explicit_chromium_must_exist() {
        let e = find_chromium(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e.message.contains("no such file"));
    }
}
