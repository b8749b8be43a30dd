//! `@/` links, parsed in one place: `@/` then a content file relative to
//! content/, perhaps with a `#fragment` (`[prices](@/pricing.md#team)`),
//! wherever one is written: Markdown, `get_url` and `campaign_url` in
//! templates, a one-pager's `landing`, a form's `redirect`. What a link
//! leads to is the site's to say (`site/links.rs`).

/// An `@/` link as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AtLink<'a> {
    /// All that follows `@/`.
    rest: &'a str,
}

impl<'a> AtLink<'a> {
    /// `written` as an `@/` link; `None` when it is not one.
    pub(crate) fn parse(written: &'a str) -> Option<AtLink<'a>> {
        written.strip_prefix("@/").map(|rest| AtLink { rest })
    }

    /// The content file it names: `pricing.md` for `@/pricing.md#team`.
    pub(crate) fn file(self) -> &'a str {
        self.rest
            .split_once('#')
            .map_or(self.rest, |(file, _)| file)
    }

    /// Its `#fragment`, without the `#`.
    pub(crate) fn fragment(self) -> Option<&'a str> {
        self.rest.split_once('#').map(|(_, fragment)| fragment)
    }

    /// All that follows `@/`, fragment included (where no fragment may be
    /// given, the whole of it names the file).
    pub(crate) fn rest(self) -> &'a str {
        self.rest
    }

    /// `url` with the link's fragment, if it has one.
    pub(crate) fn with_fragment(self, url: String) -> String {
        match self.fragment() {
            Some(fragment) => format!("{url}#{fragment}"),
            None => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_and_its_fragment() {
        let link = AtLink::parse("@/blog/pricing.md#team").unwrap();
        assert_eq!(link.file(), "blog/pricing.md");
        assert_eq!(link.fragment(), Some("team"));
        assert_eq!(
            link.with_fragment("/blog/pricing/".into()),
            "/blog/pricing/#team"
        );
        assert_eq!(link.rest(), "blog/pricing.md#team");
        let plain = AtLink::parse("@/x.md").unwrap();
        assert_eq!((plain.file(), plain.fragment()), ("x.md", None));
        assert_eq!(AtLink::parse("/x/"), None);
        assert_eq!(AtLink::parse("https://a.example/@/x.md"), None);
    }
}
