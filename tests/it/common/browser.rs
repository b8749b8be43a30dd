//! Finding Debian's Chromium for tests that need a real browser. Without
//! one such a test says so and passes, unless UTMOST_REQUIRE_BROWSER=1
//! (which .ci/run sets after installing Chromium), where it fails.

use std::path::PathBuf;

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
        assert!(
            std::env::var("UTMOST_REQUIRE_BROWSER").is_err(),
            "UTMOST_REQUIRE_BROWSER is set but no Chromium is installed"
        );
        eprintln!(
            "note: no Chromium installed; skipping a browser test (apt-get install chromium)"
        );
    }
    found
}
