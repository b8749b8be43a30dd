//! Feature: campaign links and the leads report.

pub mod campaigns;
pub mod leads;
