//! Variant ids. A page may declare `[[variants]]`, each built at
//! `<path>/<id>/` with its overrides; the page itself is variant `a`
//! (DESIGN.md's "Variants"). The id is what the `variant` hidden field, the
//! `utm_content` of tagged links and the manifest carry.

use serde::{Serialize, Serializer};

use crate::util::slug::is_slug;

/// The id the page itself goes by.
const PAGE_ITSELF: &str = "a";

/// Which version of a page an output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VariantId<'a> {
    /// The page itself, variant `a`.
    Page,
    /// One of the variants its front matter declares.
    Declared(&'a str),
}

impl<'a> VariantId<'a> {
    /// The id as written: `a` for the page itself.
    pub(crate) fn as_str(self) -> &'a str {
        match self {
            VariantId::Page => PAGE_ITSELF,
            VariantId::Declared(id) => id,
        }
    }

    /// What the links tagged for this version carry as `utm_content`:
    /// nothing for the page itself, which ads link to untagged by variant.
    pub(crate) fn utm_content(self) -> Option<&'a str> {
        match self {
            VariantId::Page => None,
            VariantId::Declared(id) => Some(id),
        }
    }

    /// Whether front matter may declare a variant `id`: a lowercase slug,
    /// and not the page's own `a`.
    pub(crate) fn is_declarable(id: &str) -> bool {
        is_slug(id) && id != PAGE_ITSELF
    }
}

impl Serialize for VariantId<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_itself_is_a_and_carries_no_utm_content() {
        assert_eq!(VariantId::Page.as_str(), "a");
        assert_eq!(VariantId::Page.utm_content(), None);
        assert_eq!(VariantId::Declared("b").utm_content(), Some("b"));
        assert!(VariantId::is_declarable("b-2"));
        assert!(!VariantId::is_declarable("a"));
        assert!(!VariantId::is_declarable("B"));
    }
}
