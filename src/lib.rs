//! utmost: Markdown and Tera themes in, campaign-tagged landing pages, forms
//! and sales one-pagers out.
//!
//! The pipeline (see `pipeline.rs`): site.toml → [`config::SiteConfig`],
//! themes → [`theme::Theme`], content/ → [`content::Content`], assembled into
//! a [`site::Site`], rendered in memory by `render.rs`, written atomically by
//! `output.rs`, with the manifest beside it.

pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod pipeline;
pub mod serve;
pub mod site;

mod attribution_script;
mod body;
mod campaign;
mod campaign_list;
mod confine;
mod exports;
mod fnv;
mod form_data;
mod forms;
mod html;
mod http;
mod images;
mod leads;
mod leads_output;
mod manifest;
mod markdown;
mod markdown_html;
pub mod output;
mod output_guard;
mod output_swap;
mod pdf;
mod preview_access;
mod preview_leads;
mod preview_paths;
pub mod progress;
mod providers;
mod qr;
mod render;
#[cfg(test)]
mod serde_keys;
mod shortcode;
mod slots;
mod suggest;
mod tabular;
mod template_errors;
mod terminal_text;
mod theme;
mod toml_util;
mod url_safety;
mod views;
mod watch;
