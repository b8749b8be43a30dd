//! Where each entry's URL comes from: its slug, its folder, or a `path`
//! from its front matter, every segment checked to stay inside the site.

use crate::diagnostic::Diagnostic;
use crate::source::content::{Document, FileKind};
use crate::util::slug::slugify;
use crate::util::url_safety::is_safe_segment;

use super::{Entry, UrlPath};

/// The entry's slug: its front matter's, slugified, when that is one
/// segment with a letter or digit (another is reported by [`place`]),
/// else its file or folder name's, slugified.
pub(super) fn slug_of(doc: &Document) -> String {
    if let Some(slug) = doc.front.slug().and_then(|s| slug_from_front(s.get_ref())) {
        return slug;
    }
    let name = if doc.is_folder() {
        doc.folder().rsplit('/').next().unwrap_or("")
    } else {
        let file = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
        file.strip_suffix(".md").unwrap_or(file)
    };
    slugify(name)
}

/// A front matter `slug`, slugified as Zola does (`"Spring Offer"` →
/// `spring-offer`); `None` when it is not one segment or has no letter or
/// digit.
fn slug_from_front(slug: &str) -> Option<String> {
    if slug.contains(['/', '\\']) {
        return None;
    }
    Some(slugify(slug)).filter(|s| !s.is_empty())
}

pub(super) fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The URL path of one entry. An unsafe `path` or `slug` is reported, and
/// the entry placed as if it had none (so that it collides with nothing).
pub(super) fn place(entry: &Entry, diagnostics: &mut Vec<Diagnostic>) -> UrlPath {
    let doc = &entry.doc;
    if let Some(path) = &doc.front.path() {
        match clean_path(path.get_ref()) {
            Some(p) => return p,
            None => {
                diagnostics.push(
                    doc.error(
                        path.span(),
                        format!("`path` `{}` is not a safe URL path", path.get_ref()),
                    )
                    .with_help(
                        "use segments of letters, digits, `-` and `_`, like `/offers/spring/`",
                    ),
                );
            }
        }
    }
    if let Some(slug) = &doc.front.slug()
        && slug_from_front(slug.get_ref()).is_none()
    {
        diagnostics.push(
            doc.error(
                slug.span(),
                format!("`slug` `{}` is not a safe URL segment", slug.get_ref()),
            )
            .with_help(
                "a slug is one path segment with a letter or digit, like `spring-offer`; no `/`",
            ),
        );
    }
    if doc.is_section() {
        return folder_url(doc.folder());
    }
    let folder = if doc.kind == FileKind::Bundle {
        parent_folder(doc.folder())
    } else {
        doc.folder()
    };
    folder_url(folder).child(&entry.slug)
}

/// `blog/Case Studies` → `/blog/case-studies/`.
pub(crate) fn folder_url(folder: &str) -> UrlPath {
    let segments: Vec<String> = (folder.split('/'))
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    UrlPath::folder(segments.iter().map(String::as_str))
}

/// A front-matter `path` as `/a/b/`, or `None` if any segment is unsafe.
fn clean_path(path: &str) -> Option<UrlPath> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (segments.iter().all(|s| is_safe_segment(s))).then(|| UrlPath::folder(segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_urls_and_paths() {
        assert_eq!(folder_url("").as_str(), "/");
        assert_eq!(
            folder_url("blog/Case Studies").as_str(),
            "/blog/case-studies/"
        );
        let spring = clean_path("offers/spring");
        assert_eq!(spring.as_deref(), Some("/offers/spring/"));
        assert_eq!(clean_path("/../etc"), None);
    }
}
