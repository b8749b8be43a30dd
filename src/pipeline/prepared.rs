//! A build between its stages: [`Ready`] once the site is assembled and
//! its templates parsed, [`Prepared`] once its bodies are rendered (its
//! pages rendered as they are asked for). `utmost build` begins writing
//! between the two; `serve` serves the open pages of a prepared build.

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::render::Global;
use crate::render::engine::Engine;
use crate::render::media::Media;
use crate::render::staged::Staged;
use crate::site::Site;
use crate::source::theme::Theme;

use super::Clock;

/// A build under way: its site assembled, its bodies rendered, its pages
/// rendered as they are asked for; [`super::Builder::finish`] completes it.
pub(crate) struct Prepared {
    pub(crate) staged: Arc<Staged>,
    pub(super) theme: Arc<Theme>,
    pub(super) media: Arc<Media>,
    pub(super) edited_in_place: bool,
    /// The errors found so far: the build will fail.
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(super) clock: Clock,
}

/// A build whose site is assembled and whose templates are parsed: what
/// [`super::Builder::stage`] renders.
pub(crate) struct Ready {
    pub(super) site: Arc<Site>,
    pub(super) engine: Engine,
    pub(super) global: Global,
    pub(crate) theme: Arc<Theme>,
    pub(super) media: Arc<Media>,
    pub(super) edited_in_place: bool,
    /// The errors found so far: the build will fail.
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(super) clock: Clock,
}

impl Ready {
    /// The site to render.
    pub(crate) fn site(&self) -> &Arc<Site> {
        &self.site
    }
}
