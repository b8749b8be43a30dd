//! Feature: printed collateral.

pub mod pdf;
