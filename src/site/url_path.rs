//! The URL path of an output: root-relative, starting with `/`. A page's
//! ends with `/` too (`/blog/post/`, served by `blog/post/index.html`);
//! the 404 page's is its file (`/404.html`). What `base_url` adds in front
//! of it is the site's to add ([`super::Site::url`], [`super::Site::permalink`]).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// The URL path of an output.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct UrlPath(String);

impl UrlPath {
    /// The path of the folder `segments` name, each already checked to be
    /// a safe URL segment: `["blog", "post"]` → `/blog/post/`.
    pub(crate) fn folder<'a>(segments: impl IntoIterator<Item = &'a str>) -> UrlPath {
        let mut path = String::from("/");
        for segment in segments {
            path.push_str(segment);
            path.push('/');
        }
        UrlPath(path)
    }

    /// The path of a file at the top of the site: `404.html` → `/404.html`.
    pub(crate) fn top_file(name: &str) -> UrlPath {
        UrlPath(format!("/{name}"))
    }

    /// The page one folder down: `/offer/` and `b` give `/offer/b/`.
    pub(crate) fn child(&self, segment: &str) -> UrlPath {
        UrlPath(format!("{}{segment}/", self.0))
    }

    /// A file in the page's folder: `/offer/` and `offer.pdf` give
    /// `/offer/offer.pdf`.
    pub(crate) fn file(&self, name: &str) -> String {
        format!("{}{name}", self.0)
    }

    /// The file that serves a page, relative to the output folder:
    /// `/blog/post/` → `blog/post/index.html`.
    pub(crate) fn index_file(&self) -> String {
        format!("{}index.html", &self.0[1..])
    }

    /// The path as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for UrlPath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for UrlPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_end_with_a_slash_and_are_served_by_their_index() {
        let offer = UrlPath::folder(["offers", "spring"]);
        assert_eq!(offer.as_str(), "/offers/spring/");
        assert_eq!(offer.child("b").as_str(), "/offers/spring/b/");
        assert_eq!(offer.index_file(), "offers/spring/index.html");
        assert_eq!(offer.file("spring.pdf"), "/offers/spring/spring.pdf");
        assert_eq!(UrlPath::folder([]).index_file(), "index.html");
        assert_eq!(UrlPath::top_file("404.html").as_str(), "/404.html");
    }
}
