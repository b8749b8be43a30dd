//! Which folder a build may replace, decided before anything is written.
//!
//! A build replaces its output folder whole, so the folder must be one that
//! utmost wrote: it carries the marker file [`MARKER`], is empty, or holds
//! only dotfiles (which survive a build). Any other folder is refused unless
//! the user passes `--force`. Some folders are refused even then: the site
//! itself or a folder containing it, anything in content/, templates/,
//! static/, themes/, .utmost/ or .git/, site.toml, the manifest, and the
//! user's home folder or one containing it. The
//! manifest may not be written over a source, into the output folder, or
//! over a file that is not an earlier manifest (unless `--force`).
//!
//! Paths are compared as the file system resolves them (symbolic links,
//! `..`, a relative `--out` from another working directory), so no spelling
//! of a path gets around a rule.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::config;
use crate::util::layout::{
    CONFIG_FILE, CONTENT_DIR, STATE_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR,
};

/// The file that marks a folder as utmost's output.
pub(crate) const MARKER: &str = ".utmost-output";

/// What the marker says to a person who opens it.
pub(crate) const MARKER_TEXT: &str = "This folder was written by utmost (`utmost build`).\n\
Every build replaces everything in it, except the dotfiles and dot-folders at\n\
its top (such as .git or .well-known) that the site does not provide itself.\n\
Delete this file to make utmost ask before replacing the folder again.\n";

/// Folders of the site that are never output, and what they hold.
const KEPT: [(&str, &str); 6] = [
    (CONTENT_DIR, "the site's Markdown"),
    (TEMPLATES_DIR, "the site's templates"),
    (STATIC_DIR, "the site's static files"),
    (THEMES_DIR, "the site's themes"),
    (STATE_DIR, "utmost's state (the preview's leads)"),
    (".git", "the site's git repository"),
];

/// Where a build writes, checked.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The output folder, resolved.
    pub out: PathBuf,
    /// The manifest, resolved; `None` when the build writes none.
    pub manifest: Option<PathBuf>,
}

/// What the guard is asked to allow.
pub(crate) struct Request<'a> {
    pub root: &'a Path,
    /// `--out` as given (relative to the working directory), if given.
    pub out_flag: Option<&'a Path>,
    /// site.toml as the build read it, to place errors about `output_dir`
    /// and `manifest` at their values.
    pub config_text: &'a str,
    /// site.toml's `output_dir` and `manifest`, relative to the root.
    pub output_dir: &'a Path,
    pub manifest: &'a Path,
    /// Whether this build writes the manifest (a production build).
    pub writes_manifest: bool,
    /// Top-level names the build itself writes (`index.html`, `.well-known`).
    pub provided: HashSet<&'a str>,
    /// Only the refusals `--force` cannot lift (for `check`).
    pub hard_only: bool,
    pub force: bool,
}

/// A refusal: the message and how to proceed.
struct Refusal {
    message: String,
    help: String,
}

impl Refusal {
    fn new(message: String, help: &str) -> Refusal {
        Refusal {
            message,
            help: help.to_string(),
        }
    }
}

/// The site's own places, resolved.
struct Sources {
    root: PathBuf,
    config: PathBuf,
    kept: Vec<(&'static str, &'static str, PathBuf)>,
}

impl Sources {
    fn of(root: &Path) -> std::io::Result<Sources> {
        let root = resolve(root)?;
        let kept = KEPT
            .iter()
            .map(|(name, what)| Ok((*name, *what, resolve(&root.join(name))?)))
            .collect::<std::io::Result<_>>()?;
        Ok(Sources {
            config: resolve(&root.join(CONFIG_FILE))?,
            root,
            kept,
        })
    }

    /// Why `path` may never be replaced, if it may not.
    fn refuse(&self, path: &Path, shown: &str) -> Option<Refusal> {
        const ELSEWHERE: &str = "build into a folder of its own, such as `public`";
        if path == self.root {
            let m =
                format!("`{shown}` is the site's own folder: a build would replace its sources");
            return Some(Refusal::new(m, ELSEWHERE));
        }
        if self.root.starts_with(path) {
            let m = format!("`{shown}` contains the site: a build would replace its sources");
            return Some(Refusal::new(m, ELSEWHERE));
        }
        if path == self.config {
            let m = format!("`{shown}` is site.toml, the site's configuration");
            return Some(Refusal::new(m, ELSEWHERE));
        }
        for (name, what, dir) in &self.kept {
            if path == dir {
                let m = format!("`{shown}` is {name}/, which holds {what}");
                return Some(Refusal::new(m, ELSEWHERE));
            }
            if path.starts_with(dir) {
                let m = format!("`{shown}` is inside {name}/, which holds {what}");
                return Some(Refusal::new(m, ELSEWHERE));
            }
            if dir.starts_with(path) {
                let m = format!("`{shown}` contains {name}/, which holds {what}");
                return Some(Refusal::new(m, ELSEWHERE));
            }
        }
        None
    }
}

/// Checks where a build writes; every refusal as a diagnostic.
pub(crate) fn check(request: &Request<'_>) -> Result<Plan, Vec<Diagnostic>> {
    // At the key's value, or at site.toml as a whole for a default.
    let placed = |key: &str, message| config::at_key(request.config_text, key, message);
    let out_given = request
        .out_flag
        .map_or_else(|| request.root.join(request.output_dir), Path::to_path_buf);
    let out_shown = match request.out_flag {
        Some(flag) => flag.display().to_string(),
        None => request.output_dir.display().to_string(),
    };
    let at_out = |r: Refusal| match request.out_flag {
        Some(_) => Diagnostic::file("--out", r.message).with_help(r.help),
        None => placed("output_dir", r.message).with_help(r.help),
    };
    let io_error = |path: &Path, e: std::io::Error| {
        vec![Diagnostic::file(
            path,
            format!("cannot resolve the path: {e}"),
        )]
    };
    let sources = Sources::of(request.root).map_err(|e| io_error(request.root, e))?;
    let out = resolve(&out_given).map_err(|e| io_error(&out_given, e))?;
    let rel = request.manifest;
    let manifest = resolve(&request.root.join(rel)).map_err(|e| io_error(rel, e))?;
    let mut errors = Vec::new();
    let out_refused = refuse_output(request, &sources, &out, &manifest, &out_shown);
    let out_ok = out_refused.is_none();
    errors.extend(out_refused.map(at_out));
    if request.writes_manifest {
        // Where the output itself is refused, the manifest's place in it is moot.
        let out = out_ok.then_some(out.as_path());
        let shown = rel.display().to_string();
        if let Some(r) = refuse_manifest(request, &sources, &manifest, out, &shown) {
            errors.push(placed("manifest", r.message).with_help(r.help));
        }
    }
    if errors.is_empty() {
        let manifest = request.writes_manifest.then_some(manifest);
        Ok(Plan { out, manifest })
    } else {
        Err(errors)
    }
}

fn refuse_output(
    request: &Request<'_>,
    sources: &Sources,
    out: &Path,
    manifest: &Path,
    shown: &str,
) -> Option<Refusal> {
    if let Some(r) = sources.refuse(out, shown) {
        return Some(r);
    }
    if home().is_some_and(|home| home.starts_with(out)) {
        let m = format!("`{shown}` is or contains your home folder");
        return Some(Refusal::new(
            m,
            "build into a folder of its own, such as `public`",
        ));
    }
    if manifest == out {
        let m = format!("`{shown}` is the manifest's path");
        return Some(Refusal::new(m, "give the output folder a name of its own"));
    }
    let meta = std::fs::symlink_metadata(out).ok()?;
    if !meta.is_dir() {
        let m = format!("`{shown}` is a file, not a folder");
        return Some(Refusal::new(m, "build into a folder, such as `public`"));
    }
    if request.hard_only || request.force {
        return None;
    }
    ownership(out, &request.provided, shown)
}

fn refuse_manifest(
    request: &Request<'_>,
    sources: &Sources,
    path: &Path,
    out: Option<&Path>,
    shown: &str,
) -> Option<Refusal> {
    const NAME: &str = "name the manifest with a file of its own, such as `utmost-manifest.json`";
    if let Some(r) = sources.refuse(path, shown) {
        return Some(Refusal::new(r.message, NAME));
    }
    if out.is_some_and(|out| path.starts_with(out)) {
        let m = format!("`{shown}` is inside the output folder, which every build replaces");
        return Some(Refusal::new(m, NAME));
    }
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.is_dir() {
        return Some(Refusal::new(format!("`{shown}` is a folder"), NAME));
    }
    if request.hard_only || request.force || is_manifest(path) {
        return None;
    }
    let m = format!("`{shown}` exists and is not a manifest utmost wrote");
    Some(Refusal::new(
        m,
        "choose another `manifest` path, or pass `--force` if the file may be replaced",
    ))
}

/// Whether `out`, an existing folder, may be replaced: it carries the
/// marker, or the build would remove nothing from it (it is empty or holds
/// only dotfiles that the build does not provide).
fn ownership(out: &Path, provided: &HashSet<&str>, shown: &str) -> Option<Refusal> {
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) => {
            let m = format!("cannot read `{shown}`: {e}");
            return Some(Refusal::new(m, "check the folder's permissions"));
        }
    };
    let mut replaced = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER && is_marker(&entry.path()) {
            return None;
        }
        let kept = name.starts_with('.') && !provided.contains(name.as_str());
        if !kept && !is_leftover(&name) {
            replaced.push(name);
        }
    }
    if replaced.is_empty() {
        return None;
    }
    if looks_like_older_output(out) {
        return Some(Refusal::new(
            format!(
                "`{shown}` was not written by this version of utmost (earlier versions did not mark the folders they wrote)"
            ),
            "if it is an earlier build of this site, run `utmost build --force` once; later builds replace it without asking",
        ));
    }
    replaced.sort();
    let mut listed: Vec<String> = replaced.iter().take(3).map(|n| format!("`{n}`")).collect();
    if replaced.len() > 3 {
        listed.push(format!("{} more", replaced.len() - 3));
    }
    Some(Refusal::new(
        format!(
            "`{shown}` is not empty and was not written by utmost; a build would replace {}",
            listed.join(", ")
        ),
        "build into another folder (`--out DIR`, or `output_dir` in site.toml), or pass `--force` if everything in it may be replaced (the dotfiles at its top, such as .git, are kept)",
    ))
}

fn is_marker(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = String::new();
    let first = MARKER_TEXT.lines().next().unwrap_or_default();
    file.take(first.len() as u64)
        .read_to_string(&mut head)
        .is_ok_and(|_| head == first)
}

/// Every page utmost has ever written carries `<meta name="campaign"`.
fn looks_like_older_output(out: &Path) -> bool {
    let Ok(file) = std::fs::File::open(out.join("index.html")) else {
        return false;
    };
    let mut head = Vec::new();
    let read = file.take(64 * 1024).read_to_end(&mut head).is_ok();
    read && out.join("sitemap.xml").is_file()
        && String::from_utf8_lossy(&head).contains("<meta name=\"campaign\"")
}

/// Whether a file is a manifest utmost wrote: a JSON object whose
/// `generator`, near its top, is utmost.
fn is_manifest(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    let _ = file.take(4096).read_to_end(&mut head);
    let compact: String = String::from_utf8_lossy(&head)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    compact.starts_with('{') && compact.contains("\"generator\":\"utmost")
}

/// The user's home folder, resolved.
fn home() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    let home = PathBuf::from(home);
    home.is_absolute().then(|| resolve(&home).ok()).flatten()
}

/// The staging, previous-output and journal folders an interrupted build
/// may leave beside an output folder (`.public.utmost-new`…).
pub(crate) fn is_leftover(name: &str) -> bool {
    name.starts_with('.')
        && [".utmost-new", ".utmost-old", ".utmost-carry"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// `path` made absolute, its symbolic links and `..` resolved, even where
/// its last components do not exist yet.
pub(crate) fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists {
                    match std::fs::canonicalize(&resolved) {
                        Ok(real) => resolved = real,
                        Err(_) => exists = std::fs::symlink_metadata(&resolved).is_ok(),
                    }
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(resolve(&real.join("a/../b/c")).unwrap(), real.join("b/c"));
        assert_eq!(
            resolve(&real.join("new/../a/./x")).unwrap(),
            real.join("a/x")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("a"), real.join("link")).unwrap();
            assert_eq!(resolve(&real.join("link/out")).unwrap(), real.join("a/out"));
            assert_eq!(resolve(&real.join("link/..")).unwrap(), real);
        }
    }

    #[test]
    fn leftovers_are_recognised() {
        assert!(is_leftover(".public.utmost-new"));
        assert!(is_leftover(".site.utmost-old"));
        assert!(is_leftover(".public.utmost-carry"));
        assert!(!is_leftover(".git"));
        assert!(!is_leftover("public.utmost-new"));
    }
}
