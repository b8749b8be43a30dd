//! Static assets as a production build writes them: each a page names
//! under its fingerprinted name too (`render/fingerprint.rs`), and every
//! stylesheet minified. `serve` does neither: its CSS stays readable in
//! the browser's tools.

use std::collections::HashSet;

use crate::output::File;
use crate::render::fingerprint::Fingerprints;
use crate::source::confine::SiteRoot;

/// The files for the fingerprinted names pages used.
pub(crate) fn fingerprinted(fingerprints: &Fingerprints, used: &HashSet<String>) -> Vec<File> {
    (fingerprints.files(used).into_iter())
        .map(|(name, source)| File::from_static(&name, source))
        .collect()
}

/// Replaces every stylesheet among `files` with its minified text. One
/// that cannot be read or minified is left as it is (writing it will say
/// why it cannot be read).
pub(crate) fn minify_css(files: &mut [File], site: &SiteRoot) {
    for file in files.iter_mut().filter(|f| f.output().ends_with(".css")) {
        let Ok(bytes) = file.read_in(site) else {
            continue;
        };
        if let Some(small) = minify(&String::from_utf8_lossy(&bytes)) {
            *file = File::text(file.name().clone(), small);
        }
        let math =
            ".f { width: calc(100% - 2rem); margin: calc(1rem + -2px) calc(var(--a) * -1); }";
        assert_eq!(
            minify(math).unwrap(),
            ".f{width:calc(100% - 2rem);margin:calc(1rem + -2px) calc(var(--a) * -1);}"
        );
    }
}

/// `css` without its comments and needless whitespace; `None` when it is
/// not CSS the minifier can read.
pub(crate) fn minify(css: &str) -> Option<String> {
    minifier::css::minify(css)
        .ok()
        .map(|m| m.to_string().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_css_keeps_its_meaning() {
        let css = "/* theme */\n:root {\n  --brand: #4338ca;\n}\n\n.a  > .b:hover ,\n.c .d { color : var(--brand) ; }\n@media (min-width: 60rem) {\n  .e { content: \"a  b\"; }\n}\n";
        let small = minify(css).unwrap();
        assert_eq!(
            small,
            ":root{--brand:#4338ca;}.a>.b:hover,.c .d{color:var(--brand);}@media (min-width:60rem){.e{content:\"a  b\";}}"
        );
        let math =
            ".f { width: calc(100% - 2rem); margin: calc(1rem + -2px) calc(var(--a) * -1); }";
        assert_eq!(
            minify(math).unwrap(),
            ".f{width:calc(100% - 2rem);margin:calc(1rem + -2px) calc(var(--a) * -1);}"
        );
    }
}
