//! Opening a URL or a file in the user's browser: `xdg-open` (Linux and
//! the BSDs), else `open` (macOS). Used by `serve --open` and `leads
//! report --open`.

/// Asks the desktop to open `target`; false when no opener could start.
pub(crate) fn in_browser(target: &str) -> bool {
    ["xdg-open", "open"].iter().any(|opener| {
        std::process::Command::new(opener)
            .arg(target)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    })
}
