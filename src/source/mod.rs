//! Stage 1, reading the site: site.toml into a `SiteConfig` (`config/`),
//! content/ into `Document`s (`content/`), templates and static files into
//! a `Theme`; every read kept inside the site (`confine.rs`), TOML read
//! with every unknown key reported (`toml_util.rs`). Each file is checked
//! on its own; what files say about each other is `site/`'s.

pub(crate) mod config;
pub(crate) mod confine;
pub(crate) mod content;
pub(crate) mod theme;
pub(crate) mod toml_util;
