//! Pagination, as Zola has it: a section with `paginate_by = N` (or a
//! term of a taxonomy with `paginate_by`) lists its pages N at a time: the
//! first N at its own URL, the next at `<path>/page/2/`, and so on
//! (`paginate_path` names the folder). There is always a first page, even
//! with no page to list. `<path>/page/1/` is a redirect to `<path>`
//! (`site/redirects.rs`).

use super::{PageKind, Site, UrlPath};
use crate::source::config::DEFAULT_PAGINATE_PATH;

/// How an entry's listing is paginated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging<'a> {
    /// Pages listed on each page of the listing.
    pub by: usize,
    /// The folder of the later pages (`page`); empty for `<path>/2/`.
    pub folder: &'a str,
    /// The pages in the opposite order, before they are split.
    pub reversed: bool,
}

impl Paging<'_> {
    /// How many pages of the listing `pages` entries take: at least one.
    pub(crate) fn pagers(&self, pages: usize) -> usize {
        pages.div_ceil(self.by).max(1)
    }

    /// The path of page `n` of the listing at `base` (`n` > 1; page 1 is
    /// `base` itself, and this path for it is a redirect there).
    pub(crate) fn path(&self, base: &UrlPath, n: usize) -> UrlPath {
        match self.folder {
            "" => base.child(&n.to_string()),
            folder => base.child(folder).child(&n.to_string()),
        }
    }
}

impl Site {
    /// How entry `i` paginates its listing, if it does: a section by its
    /// front matter (not one that is a redirect), a term by its taxonomy.
    pub(crate) fn paging(&self, i: usize) -> Option<Paging<'_>> {
        let entry = &self.entries[i];
        if let PageKind::Term(t, _) = entry.kind {
            let config = &self.taxonomies[t].config;
            return config.paginate_by.map(|by| Paging {
                by,
                folder: &config.paginate_path,
                reversed: false,
            });
        }
        let listing = &entry.front().blog.listing;
        if !entry.doc.is_section() || listing.redirect_to.is_some() {
            return None;
        }
        listing.paginate_by.map(|by| Paging {
            by,
            folder: listing
                .paginate_path
                .as_deref()
                .unwrap_or(DEFAULT_PAGINATE_PATH),
            reversed: listing.paginate_reversed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_always_a_first_page_and_the_rest_are_below_the_listing() {
        let paging = Paging {
            by: 3,
            folder: "page",
            reversed: false,
        };
        let counts: Vec<usize> = [0, 1, 3, 4, 7].map(|n| paging.pagers(n)).into();
        assert_eq!(counts, [1, 1, 1, 2, 3]);
        let blog = UrlPath::folder(["blog"]);
        assert_eq!(paging.path(&blog, 2).as_str(), "/blog/page/2/");
        let bare = Paging {
            folder: "",
            ..paging
        };
        assert_eq!(bare.path(&blog, 3).as_str(), "/blog/3/");
        assert_eq!(paging.path(&UrlPath::folder([]), 2).as_str(), "/page/2/");
    }
}
