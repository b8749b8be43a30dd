//! A fixture site in a temporary folder, and the real `utmost` binary run
//! on it (mdBook's `BookTest` idea). Every test gets its own copy, so tests
//! can edit files freely and run in parallel.

pub mod browser;
pub mod images;
pub mod preview;
pub mod qr;
pub mod static_host;
pub mod tree;
pub mod xlsx;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end and keeps what it printed.
    pub fn of(command: &mut Command) -> Run {
        Run::from(command.output().expect("run utmost"))
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Exit 1 with every one of `expected` on stderr.
    #[track_caller]
    pub fn fails_with(&self, expected: &[&str]) -> &Self {
        self.failure();
        for needle in expected {
            self.stderr_has(needle);
        }
        self
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// `build`'s errors once `files` are written over the custom-theme fixture.
#[track_caller]
pub fn errors(files: &[(&str, &str)]) -> String {
    TestSite::fixture_errors("custom-theme", files)
}

/// `build`'s errors once the custom-theme fixture's content/offer.md has
/// the Markdown body `markdown`.
#[track_caller]
pub fn body_errors(markdown: &str) -> String {
    let page = format!("+++\ntitle = \"Offer\"\n+++\n\n{markdown}");
    errors(&[("content/offer.md", &page)])
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of `rel` in fixture `name`, as the fixture has it.
#[track_caller]
pub fn fixture_text(name: &str, rel: &str) -> String {
    let path = fixture_dir(name).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The path of `name` in tests/fixtures/exports/, as a command-line argument.
pub fn export(name: &str) -> String {
    fixture_dir("exports").join(name).display().to_string()
}

/// `text` with the exports folder's absolute path written `EXPORTS`, so
/// that a snapshot is the same in every checkout.
pub fn exports_placeholder(text: &str) -> String {
    text.replace(&export(""), "EXPORTS/")
}

/// `text` with its first `from` replaced by `to`. `from` must be there, so
/// that a fixture edited later cannot turn a test's change into nothing.
#[track_caller]
pub fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no {from:?} to replace in:\n{text}");
    text.replacen(from, to, 1)
}

pub fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utmost"));
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let rel = entry.path().strip_prefix(from).expect("inside fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

impl TestSite {
    /// A copy of tests/fixtures/<name>.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture_dir(name), dir.path());
        TestSite { dir }
    }

    /// A copy of tests/fixtures/<name>, built.
    #[track_caller]
    pub fn built(name: &str) -> TestSite {
        let site = TestSite::fixture(name);
        site.build();
        site
    }

    /// An empty folder.
    pub fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("create dir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// Saves `text` as most editors do: written beside the file, then
    /// renamed over it, so a watcher never sees it half written. (A plain
    /// [`write`](Self::write) truncates first; a test that checks the
    /// first build after the save would race the write.)
    pub fn save(&self, rel: &str, text: &str) -> &Self {
        let path = self.path().join(rel);
        let name = path.file_name().expect("a file").to_string_lossy();
        let beside = path.with_file_name(format!(".{name}.saving"));
        std::fs::write(&beside, text).expect("write");
        std::fs::rename(&beside, &path).expect("rename");
        self
    }

    /// Replaces the first `from` in the file `rel` by `to` (see [`replaced`]).
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        self.write(rel, &replaced(&self.read(rel), from, to))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
        self
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Whether `rel` is there, as a file, a folder or a symbolic link
    /// (even one that leads nowhere).
    pub fn exists(&self, rel: &str) -> bool {
        std::fs::symlink_metadata(self.path().join(rel)).is_ok()
    }

    /// Runs `utmost --root <site> ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(binary().arg("--root").arg(self.path()).args(args))
    }

    /// What `build` prints on stderr when it fails (the site's temporary
    /// path shown as `<site>`), after checking that it failed with exit
    /// status 1, wrote nothing, and that `check` reports the same.
    #[track_caller]
    pub fn build_errors(&self) -> String {
        let had_output = self.exists("public");
        let run = self.run(&["build"]);
        run.failure();
        if !had_output {
            assert!(!self.exists("public"), "nothing written on failure");
        }
        let check = self.run(&["check"]);
        check.failure();
        let built = run.stderr.replace("build failed:", "check failed:");
        let built = built
            .strip_suffix("Nothing was written.\n")
            .unwrap_or_else(|| panic!("build says the output was kept:\n{built}"));
        assert_eq!(check.stderr, built, "check and build report alike");
        let root = self.path().display().to_string();
        run.stderr.replace(&root, "<site>")
    }

    /// [`build_errors`](Self::build_errors) of fixture `name` once `files`
    /// are written over it.
    #[track_caller]
    pub fn fixture_errors(name: &str, files: &[(&str, &str)]) -> String {
        let site = TestSite::fixture(name);
        for (path, text) in files {
            site.write(path, text);
        }
        site.build_errors()
    }

    #[track_caller]
    pub fn build(&self) -> &Self {
        self.run(&["build"]).success();
        self
    }

    /// Every file a build wrote under public/ (dotfiles too), relative to
    /// public/ with `/` between folders, sorted.
    pub fn written(&self) -> Vec<String> {
        let public = self.path().join("public");
        let mut files: Vec<String> = walkdir::WalkDir::new(&public)
            .into_iter()
            .map(|e| e.expect("public/ readable"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&public).expect("inside public/");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }

    /// The manifest as JSON.
    pub fn manifest(&self) -> serde_json::Value {
        serde_json::from_str(&self.read("utmost-manifest.json")).expect("manifest is JSON")
    }
}

/// Asserts that `a` and `b` (file → bytes) hold the same files with the
/// same bytes; `what` names the comparison in a failure.
#[track_caller]
pub fn assert_same_files(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: same files"
    );
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{what}: {path} differs");
    }
}

/// `text` with every content hash in a file name (a dot-separated part of
/// 10 or 16 hex digits: `style.3f9a1c0b2e.css`) written `HASH`.
pub fn without_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        let digits = part.bytes().take_while(u8::is_ascii_hexdigit).count();
        let rest = &part[digits..];
        // `hero.<hash>.800.webp`, `style.<hash>.css`: the hash is a whole part.
        if matches!(digits, 10 | 16) && rest.is_empty() {
            out.push_str("HASH");
        } else {
            out.push_str(part);
        }
    }
    out
}
