//! utmost: Markdown and Tera themes in, campaign-tagged landing pages, forms
//! and sales one-pagers out.
//!
//! The folders are the architecture. The build is four stages, each a
//! function from one type to the next, run in order by `pipeline/`:
//! `source/` reads site.toml, content/ and the theme (`SiteConfig`,
//! `Content`, `Theme`); `site/` assembles them into a `Site` where every
//! page knows its URL, role, campaign and template; `render/` turns it
//! into HTML in memory; `output/` writes it atomically, with the sitemap
//! and the manifest. Below the stages: `util/` (leaves that know nothing
//! of sites), `diagnostic/` (errors with their place, and the one "did you
//! mean"), `model/` (campaigns, forms, providers: pure rules used by every
//! stage) and `markdown/` (Markdown and shortcodes, links resolved through
//! a callback). Above the pipeline, the features that use it and that it
//! never uses: `attribution/` (`campaigns`, `leads report`), `collateral/`
//! (PDFs), `preview/` (`serve`), `scaffold/` (`init`); and `cli/`, one file
//! per command.
//!
//! A folder imports only from the layers below its own, never from its own
//! layer's other folders nor from above; the files and sub-folders of one
//! folder import each other without a cycle. A test (`layers.rs`) reads
//! this line and every `crate::` and `super::` path of `src/`, so the rule
//! stays true:
//!
//! Layers, lowest first: util ← diagnostic ← model ← markdown, images ← source ← site ← render ← output ← pipeline ← attribution, collateral, preview, scaffold ← cli, fuzzing
//!
//! (`images` is kept for image processing: a library that, like
//! `markdown`, knows no stage and is used by `render`.)
//!
//! The public API is what a program that builds sites needs: a [`Builder`]
//! with its [`BuildOptions`], the [`Built`] site, and [`Diagnostic`]s.

#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod attribution;
pub mod cli;
mod collateral;
mod diagnostic;
#[doc(hidden)]
pub mod fuzzing;
mod images;
mod markdown;
mod model;
mod output;
mod pipeline;
mod preview;
mod render;
mod scaffold;
mod site;
mod source;
mod util;

#[cfg(test)]
mod layers;

pub use diagnostic::{Diagnostic, Kind};
pub use pipeline::{BuildOptions, Builder, Built, Changes, build, build_and_write, check_output};
pub use render::engine::RenderOptions;
pub use source::config::Host;
pub use util::progress::Progress;
