//! A fixture site in a temporary folder, and the real `utmost` binary run
//! on it (mdBook's `BookTest` idea). Every test gets its own copy, so tests
//! can edit files freely and run in parallel.

pub mod browser;
pub mod preview;
pub mod qr;
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
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("create dir");
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("create dir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
        self
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Runs `utmost --root <site> ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = binary()
            .arg("--root")
            .arg(self.path())
            .args(args)
            .output()
            .expect("run utmost");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
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
            .strip_suffix("The previous output was left as it was.\n")
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

    /// The manifest as JSON.
    pub fn manifest(&self) -> serde_json::Value {
        serde_json::from_str(&self.read("utmost-manifest.json")).expect("manifest is JSON")
    }
}
