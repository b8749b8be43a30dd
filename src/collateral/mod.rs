//! Feature: printed collateral.

pub(crate) mod pdf;
