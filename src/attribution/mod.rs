//! Feature: campaign links and the leads report.

pub(crate) mod campaigns;
pub(crate) mod leads;
