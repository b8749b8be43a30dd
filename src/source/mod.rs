//! Stage 1: reading the site's sources.

pub mod config;
pub mod confine;
pub mod content;
pub mod theme;
pub mod toml_util;
