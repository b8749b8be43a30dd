//! Static assets as a production build writes them: each a page names
//! under its fingerprinted name too (`render/fingerprint.rs`), and every
//! stylesheet minified. `serve` does neither: its CSS stays readable in
//! the browser's tools.

use crate::output::File;
use crate::output::minify::minify;
use crate::render::fingerprint::Fingerprints;
use crate::source::confine::SiteRoot;
use crate::util::names::NameSet;

/// The files for the fingerprinted names pages used.
pub(crate) fn fingerprinted(fingerprints: &Fingerprints, used: &NameSet<String>) -> Vec<File> {
    (fingerprints.files(used).into_iter())
        .map(|(name, source)| File::from_static(&name, source))
        .collect()
}

/// Replaces every stylesheet among `files` with its minified text
/// (`minify.rs`). One that cannot be read, or is not UTF-8, is left as it
/// is (writing it will say why it cannot be read).
pub(crate) fn minify_css(files: &mut [File], site: &SiteRoot) {
    for file in files.iter_mut().filter(|f| f.output().ends_with(".css")) {
        let Ok(bytes) = file.read_in(site) else {
            continue;
        };
        if let Ok(text) = std::str::from_utf8(&bytes) {
            *file = File::text(file.name().clone(), minify(text));
        }
    }
}
