//! Feature, on top of a built site: `utmost campaigns` (each campaign's
//! pages and a tagged link per channel, `campaigns.rs`; a rep's own links,
//! `rep_links.rs`) and `utmost leads report` (exported submissions
//! attributed to campaigns, `leads/`, and the CRM's deals joined to them,
//! `deals/`). Uses the pipeline; nothing below imports it.

pub(crate) mod campaigns;
pub(crate) mod conversion;
pub(crate) mod deals;
pub(crate) mod leads;
pub(crate) mod rep_links;
pub(crate) mod visits;

/// What reading a kind of export found besides its rows.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// Rows that could not be used, with why.
    pub skipped: Vec<crate::util::exports::Skipped>,
    /// Files that lack a column the report needs, and notes.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// Files that could not be opened.
    pub errors: Vec<crate::diagnostic::Diagnostic>,
}
