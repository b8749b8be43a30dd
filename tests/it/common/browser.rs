//! Debian's Chromium and the playwright-core scripts in tests/browser/, for
//! tests that need a real browser. Without them such a test says so and
//! passes, unless UTMOST_REQUIRE_BROWSER=1 (which .ci/run sets after
//! installing them), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Says why a test skips, or fails when the tooling is required.
#[track_caller]
pub fn skip(why: &str) {
    assert!(
        std::env::var("UTMOST_REQUIRE_BROWSER").is_err(),
        "UTMOST_REQUIRE_BROWSER is set but {why}"
    );
    eprintln!("note: {why}; skipping");
}

#[track_caller]
pub fn chromium() -> Option<PathBuf> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file());
    if found.is_none() {
        skip("no Chromium is installed (apt-get install chromium)");
    }
    found
}

/// tests/browser/.
pub fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Runs tests/browser/`script` with `args` in Chromium and returns the JSON
/// it prints; `None` when Chromium or one of the npm packages `needs` is
/// missing.
#[track_caller]
pub fn run_script(script: &str, args: &[&str], needs: &[&str]) -> Option<serde_json::Value> {
    let chromium = chromium()?;
    let dir = scripts();
    if let Some(missing) = needs
        .iter()
        .find(|package| !dir.join("node_modules").join(package).is_dir())
    {
        skip(&format!(
            "tests/browser/node_modules lacks {missing} (npm ci in tests/browser)"
        ));
        return None;
    }
    let out = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .env("CHROMIUM", chromium)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the script prints JSON"))
}
