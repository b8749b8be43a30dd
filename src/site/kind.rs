//! A page's role: what utmost does with it beyond rendering its template,
//! decided once from the template it renders with, as DESIGN.md has it: a
//! page whose template is `one-pager.html` is printed collateral, pages of
//! `landing.html` are where a one-pager's QR code leads by default, and
//! `collateral.html` lists the collateral. Taxonomies' list and term pages
//! are made by utmost and have their kind from the start.

/// The template that makes a page printed collateral.
const ONE_PAGER_TEMPLATE: &str = "one-pager.html";
/// The template of the collateral library.
pub(crate) const COLLATERAL_TEMPLATE: &str = "collateral.html";
/// The template of landing pages.
const LANDING_TEMPLATE: &str = "landing.html";

/// What a page is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PageKind {
    /// A page or section like any other.
    Page,
    /// A landing page: where the QR code of a one-pager of its campaign
    /// leads, unless the one-pager names its own `landing`.
    Landing,
    /// Printed collateral: a QR code, a copy per rep with `personalize`,
    /// a PDF with `build --pdf`; never advertised by campaign links.
    OnePager,
    /// The collateral library: every one-pager, with each rep's copy.
    CollateralLibrary,
    /// The page listing a taxonomy's terms (`/tags/`), by its index in
    /// `Site::taxonomies`. Made by utmost, not a file.
    TaxonomyList(usize),
    /// The page of one term (`/tags/pricing/`): the taxonomy's index in
    /// `Site::taxonomies` and the term's in its `terms`.
    Term(usize, usize),
}

impl PageKind {
    /// The role of a page rendered with `template`.
    pub(crate) fn of_template(template: &str) -> PageKind {
        match template {
            ONE_PAGER_TEMPLATE => PageKind::OnePager,
            COLLATERAL_TEMPLATE => PageKind::CollateralLibrary,
            LANDING_TEMPLATE => PageKind::Landing,
            _ => PageKind::Page,
        }
    }
}
