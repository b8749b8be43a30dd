//! Which redirect targets stay on the preview. (Request paths to output
//! files are `util/http/paths.rs`, shared with the server `build --pdf`
//! prints from.)

/// `target` as the `Location` of a redirect that stays on the preview: a
/// path starting with a single `/`, holding no control character, blank or
/// backslash (which browsers read as `/`); anything beyond ASCII is
/// percent-encoded. `None` for anything else: `//evil.example` and
/// `https://…` would leave the site, CR and LF would end the header.
pub(crate) fn local_redirect(target: &str) -> Option<String> {
    let rest = target.strip_prefix('/')?;
    let bad = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    if rest.starts_with('/') || target.contains(bad) {
        return None;
    }
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_preview() {
        assert_eq!(local_redirect("/thanks/").as_deref(), Some("/thanks/"));
        assert_eq!(
            local_redirect("/offer/?a=1#x").as_deref(),
            Some("/offer/?a=1#x")
        );
        assert_eq!(local_redirect("/café/").as_deref(), Some("/caf%C3%A9/"));
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "",
            "offer/",
            "/x\r\nSet-Cookie: a=b",
            "/x\nLocation: //evil",
            "/a b",
            "/x\u{85}y",
            "/x\u{2028}y",
        ] {
            assert_eq!(local_redirect(bad), None, "{bad:?}");
        }
    }
}
