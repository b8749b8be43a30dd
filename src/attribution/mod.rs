//! Feature, on top of a built site: `utmost campaigns` (each campaign's
//! pages and a tagged link per channel, `campaigns.rs`; a rep's own links,
//! `rep_links.rs`) and `utmost leads
//! report` (exported submissions attributed to campaigns, `leads/`). Uses
//! the pipeline; nothing below imports it.

pub(crate) mod campaigns;
pub(crate) mod leads;
pub(crate) mod rep_links;
