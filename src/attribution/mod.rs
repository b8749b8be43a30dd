//! Feature, on top of a built site: `utmost campaigns` (each campaign's
//! pages and a tagged link per channel, `campaigns.rs`) and `utmost leads
//! report` (exported submissions attributed to campaigns, `leads/`, and
//! the CRM's deals joined to them, `deals/`). Uses
//! the pipeline; nothing below imports it.

pub(crate) mod campaigns;
pub(crate) mod deals;
pub(crate) mod leads;
