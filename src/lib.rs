//! utmost: Markdown and Tera themes in, campaign-tagged landing pages, forms
//! and sales one-pagers out.
//!
//! The pipeline (see `pipeline.rs`): site.toml → [`source::config::SiteConfig`],
//! themes → [`source::theme::Theme`], content/ → [`source::content::Content`], assembled into
//! a [`site::Site`], rendered in memory by `render/`, written atomically by
//! `output/`, with the manifest beside it.
//!
//! Layers, lowest first: util ← diagnostic ← model ← markdown, images ← source ← site ← render ← output ← pipeline ← attribution, collateral, preview, scaffold ← cli, fuzzing

pub mod cli;
pub mod diagnostic;
#[doc(hidden)]
pub mod fuzzing;
pub mod pipeline;
pub mod scaffold;
pub mod site;
pub mod source;

pub mod attribution;
pub mod collateral;
pub mod markdown;
pub mod model;
pub mod output;
pub mod preview;
pub mod render;
pub mod util;

#[cfg(test)]
mod layers;

pub use util::progress::Progress;
