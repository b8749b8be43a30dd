//! Stage 1: reading the site's sources.

pub(crate) mod config;
pub(crate) mod confine;
pub(crate) mod content;
pub(crate) mod theme;
pub(crate) mod toml_util;
