//! The [`Builder`]: the pipeline's stages, each redone only when what it
//! reads changed since the last run, and what it keeps for the next one.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::diagnostic::{self, Diagnostic};
use crate::images::Images;
use crate::output;
use crate::render::engine::Engine;
use crate::render::media::{self, Media};
use crate::render::staged::{Mode, Sink, Staged};
use crate::render::templates::Parsed;
use crate::render::{self, Global, RenderCache};
use crate::site;
use crate::site::Site;
use crate::source::config::{self, SiteConfig, missing_brand_files};
use crate::source::content::{self, Files};
use crate::source::theme::{self, Theme};
use crate::util::layout::{
    CONFIG_FILE, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, is_template,
};
use crate::util::progress::Progress;

use super::kept::{self, Kept};
use super::prepared::{Prepared, Ready};
use super::{BuildOptions, Built, Changes, Clock, dispose, keys, sorted};

/// site.toml as last read: its text, the configuration as far as it could
/// be read (with the build's options applied), and its errors. Shared, as
/// every rebuild asks for it: only assembling a site anew takes a copy.
#[derive(Clone)]
struct LoadedConfig {
    text: Arc<str>,
    config: Option<Arc<SiteConfig>>,
    errors: Vec<Diagnostic>,
}

/// The theme as last read: `None` when it is not found, and the errors
/// reading it. Shared: every rebuild asks for it, and each took a copy
/// of every template's text and the static files' list, to free it again.
#[derive(Clone, Default)]
struct LoadedTheme {
    theme: Option<Arc<Theme>>,
    errors: Vec<Diagnostic>,
}

/// The pipeline with what it computed last time.
pub struct Builder {
    options: BuildOptions,
    config: Option<LoadedConfig>,
    /// The theme as last read.
    theme: Option<LoadedTheme>,
    /// Its templates as last parsed, and the theme they are of.
    parsed: Option<(Arc<Theme>, Arc<Parsed>)>,
    files: Option<Files>,
    renders: Option<Arc<RenderCache>>,
    /// What all pages shared in the last render begun (finished or not).
    global: Option<Global>,
    /// The last successfully built site.
    site: Option<Arc<Site>>,
    /// The files the last build made from the site, for a rebuild that
    /// leaves them as they were.
    kept: Kept,
    /// Whether more builds will follow (serve), so that what only helps a
    /// rebuild is worth keeping.
    rebuilds: bool,
    /// The images of the last build (what it read of each is kept).
    images: Option<Arc<Images>>,
    /// Bumped by every change to a file that is not Markdown, which pages
    /// may show (an image's size and content-hashed name): part of what
    /// all pages share.
    files_generation: u64,
    /// Whether the content's code highlighting is made ready while the
    /// site is assembled (see `markdown/warm_up.rs`): not for a command
    /// that renders nothing.
    warms_up: bool,
}

impl Builder {
    /// A builder that has built nothing yet.
    pub fn new(options: BuildOptions) -> Builder {
        Builder {
            options,
            config: None,
            theme: None,
            parsed: None,
            files: None,
            renders: None,
            global: None,
            site: None,
            kept: Kept::default(),
            rebuilds: true,
            images: None,
            files_generation: 0,
            warms_up: true,
        }
    }

    /// A builder for one build: it keeps nothing for a next one.
    pub(super) fn once(options: BuildOptions) -> Builder {
        Builder {
            rebuilds: false,
            ..Builder::new(options)
        }
    }

    /// A builder for one build that renders nothing (see `warms_up`).
    pub(super) fn assembling_only(options: BuildOptions) -> Builder {
        Builder {
            warms_up: false,
            ..Builder::once(options)
        }
    }

    /// What it builds.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Brings the build up to date with `changes`, without writing anything.
    pub fn build(
        &mut self,
        changes: &Changes<'_>,
        progress: &Progress,
    ) -> Result<Built, Vec<Diagnostic>> {
        let prepared = self.prepare(changes, progress)?;
        self.finish(prepared, progress, &AtomicBool::new(false), None)
    }

    /// The first half of [`Builder::build`]: the site assembled, its
    /// templates parsed and every body rendered; its pages are rendered as
    /// they are asked for ([`Prepared::staged`]), all of them by
    /// [`Builder::finish`].
    pub(crate) fn prepare(
        &mut self,
        changes: &Changes<'_>,
        progress: &Progress,
    ) -> Result<Prepared, Vec<Diagnostic>> {
        let ready = self.ready(changes)?;
        Ok(self.stage(ready, progress, None))
    }

    /// The site assembled and its templates parsed, ready to render.
    pub(crate) fn ready(&mut self, changes: &Changes<'_>) -> Result<Ready, Vec<Diagnostic>> {
        let mut clock = Clock::new();
        let Assembled {
            site,
            edited_in_place,
            theme,
            mut diagnostics,
            config_text,
        } = self.assembled(changes, &mut clock)?;
        // Without its theme, the site cannot be rendered.
        let Some(theme) = theme else {
            return Err(sorted(diagnostics));
        };
        let media = self.media(&site, &theme, &mut diagnostics);
        // The theme's templates as last parsed, while it is the same theme.
        let parsed = (self.parsed.as_ref())
            .filter(|(parsed_theme, _)| Arc::ptr_eq(parsed_theme, &theme))
            .map(|(_, parsed)| parsed.clone());
        let engine = Engine::new(
            &theme,
            site.clone(),
            &self.options.root,
            &self.options.render,
            media.clone(),
            parsed,
        );
        diagnostics.extend(engine.parsed().diagnostics.iter().cloned());
        if self.rebuilds {
            self.parsed = Some((theme.clone(), engine.parsed().clone()));
        }
        clock.lap("templates parsed");
        // An edit in place changes nothing all pages share, unless a
        // template lists a taxonomy's pages (`get_taxonomy`).
        let global = match self.global {
            Some(global) if edited_in_place && !engine.lists_taxonomies() => global,
            _ => keys::global(
                &self.options,
                self.files_generation,
                &config_text,
                &theme,
                &site,
            ),
        };
        self.global = Some(global);
        Ok(Ready {
            site,
            engine,
            global,
            theme,
            media,
            edited_in_place,
            diagnostics,
            clock,
        })
    }

    /// Renders every body of `ready`. A one-off build with a `sink` writes
    /// there, as soon as their body is rendered, the pages that show no
    /// other page's body (see [`Mode::Once`]).
    pub(crate) fn stage(
        &mut self,
        ready: Ready,
        progress: &Progress,
        sink: Option<Sink<'_>>,
    ) -> Prepared {
        let mode = match self.rebuilds {
            true => Mode::Rebuilds,
            false => Mode::Once(sink),
        };
        let staged = Staged::new(
            &ready.site,
            Arc::new(ready.engine),
            progress,
            ready.global,
            self.renders.as_ref(),
            mode,
            &self.options.render,
        );
        let mut clock = ready.clock;
        clock.lap("bodies rendered");
        Prepared {
            staged: Arc::new(staged),
            theme: ready.theme,
            media: ready.media,
            edited_in_place: ready.edited_in_place,
            diagnostics: ready.diagnostics,
            clock,
        }
    }

    /// Renders every page of `prepared` not rendered yet and lists the
    /// output's files. `stop`, set by another thread, ends it early with
    /// no diagnostics (the preview has a newer edit to build). With a
    /// `sink`, every page goes there as it is rendered, and the build holds
    /// none of their HTML (see [`Staged::finish`]).
    pub(crate) fn finish(
        &mut self,
        prepared: Prepared,
        progress: &Progress,
        stop: &AtomicBool,
        sink: Option<Sink<'_>>,
    ) -> Result<Built, Vec<Diagnostic>> {
        let Prepared {
            staged,
            theme,
            media,
            edited_in_place,
            mut diagnostics,
            mut clock,
        } = prepared;
        let rendered = staged.finish(progress, stop, sink);
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Vec::new());
        }
        let site = staged.site().clone();
        let strict = self.options.strict || site.config.strict;
        let rendered = match rendered {
            Ok(mut r) if strict && !r.warnings.is_empty() => {
                diagnostics.append(&mut r.warnings);
                return Err(sorted(diagnostics));
            }
            Ok(r) if diagnostics.is_empty() => r,
            Ok(_) => return Err(sorted(diagnostics)),
            Err(d) => {
                diagnostics.extend(d);
                return Err(sorted(diagnostics));
            }
        };
        progress.finish();
        clock.lap("rendered");
        media.images.retain(&rendered.uses);
        let built = self.keep(site, &theme, rendered, edited_in_place, &media);
        // The render holds the last reference to the previous one (every
        // page's body, HTML and listing view): freed off the rebuild's path.
        dispose((staged, theme));
        clock.lap("files listed");
        Ok(built)
    }

    /// The build's images and assets (the images of the last build are
    /// kept when the settings are the same); a brand file that neither
    /// static/ holds is an error.
    fn media(
        &mut self,
        site: &Site,
        theme: &Theme,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Arc<Media> {
        let config = &site.config;
        let published = |out: &str| theme.statics.contains_key(out);
        diagnostics.extend(missing_brand_files(&config.brand, &config.text, published));
        let settings = media::image_settings(&self.options.root, site);
        let images = media::images_for(self.images.as_ref(), settings);
        self.images = Some(images.clone());
        let fingerprint = self.options.production;
        let root = &self.options.root;
        Arc::new(Media::new(images, root, (site, theme), fingerprint))
    }

    /// The stages up to the assembled site: site.toml, the theme and the
    /// content, and the diagnostics they gave; `Err` when site.toml cannot
    /// be read or understood, as nothing can be assembled without it.
    pub(super) fn assembled(
        &mut self,
        changes: &Changes<'_>,
        clock: &mut Clock,
    ) -> Result<Assembled, Vec<Diagnostic>> {
        let touched = |dir: &str| match changes {
            Changes::Everything => true,
            Changes::Paths(paths) => paths.iter().any(|p| p.starts_with(dir)),
        };
        if let Changes::Paths(paths) = changes
            && paths.iter().any(|p| self.shown_by_pages(p))
        {
            self.files_generation += 1;
        }
        let loaded = self.load_config(touched(CONFIG_FILE))?;
        let mut diagnostics = loaded.errors;
        let config = loaded.config;
        let structural = self.refresh_content(changes);
        clock.lap("config and content read");
        let Some(config) = config else {
            // site.toml cannot be read: its errors, and the content's own.
            if let Some(files) = &self.files {
                diagnostics.extend(files.content(self.options.drafts).1);
            }
            return Err(sorted(diagnostics));
        };
        let theme_touched = [TEMPLATES_DIR, THEMES_DIR, STATIC_DIR, CONFIG_FILE]
            .into_iter()
            .any(touched);
        let names_before = self.template_names();
        let theme = self.load_theme(theme_touched, &config, &mut diagnostics);
        // The site depends on the theme only through its templates' names.
        let same_site = matches!(changes, Changes::Paths(paths) if paths.iter().all(|p| is_template(p)))
            && names_before.is_some()
            && names_before == self.template_names();
        clock.lap("theme");
        let kept = if same_site { self.site.take() } else { None };
        let (site, edited_in_place) = match kept {
            // A template edited in place: the last site, with all it knew.
            Some(site) => (site, false),
            None => self.assemble(
                config,
                theme.as_deref(),
                changes,
                structural,
                &mut diagnostics,
            ),
        };
        clock.lap("site assembled");
        Ok(Assembled {
            site,
            edited_in_place,
            theme,
            diagnostics,
            config_text: loaded.text,
        })
    }

    /// The names of the theme's templates as last read.
    fn template_names(&self) -> Option<Vec<String>> {
        let theme = self.theme.as_ref()?.theme.as_ref()?;
        Some(theme.templates.keys().cloned().collect())
    }

    /// Whether a change to `path` can change what pages show of it: a
    /// file that is neither Markdown (read as content), a template (part of
    /// what all pages share) nor site.toml; an image's size and name are.
    fn shown_by_pages(&self, path: &std::path::Path) -> bool {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        path != std::path::Path::new(CONFIG_FILE) && !matches!(ext, "md" | "html")
    }

    /// site.toml, read again when it changed; `Err` only when there is none.
    fn load_config(&mut self, touched: bool) -> Result<LoadedConfig, Vec<Diagnostic>> {
        if touched || self.config.is_none() {
            let text = config::read(&self.options.root).map_err(sorted)?;
            let (parsed, mut errors) = config::check(&text);
            let config = parsed.map(|c| Arc::new(self.options.apply(c, &mut errors)));
            self.config = Some(LoadedConfig {
                text: text.into(),
                config,
                errors,
            });
        }
        self.config.clone().ok_or_else(Vec::new)
    }

    /// The theme, read again when it changed; `None` when it is not found.
    fn load_theme(
        &mut self,
        touched: bool,
        config: &SiteConfig,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Theme>> {
        if touched || self.theme.is_none() {
            let text = self.config.as_ref().map_or("", |c| &*c.text);
            let (theme, errors) = theme::load(&self.options.root, config, text);
            let theme = theme.map(Arc::new);
            self.theme = Some(LoadedTheme { theme, errors });
        }
        let LoadedTheme { theme, errors } = self.theme.clone().unwrap_or_default();
        if !errors.is_empty() {
            // Read again next time: the files may be readable by then.
            self.theme = None;
        }
        diagnostics.extend(errors);
        theme
    }

    /// The site: the last one with the edited bodies swapped in when the
    /// edit allows it (and `true`), else assembled anew.
    fn assemble(
        &mut self,
        config: Arc<SiteConfig>,
        theme: Option<&Theme>,
        changes: &Changes<'_>,
        structural: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Arc<Site>, bool) {
        let same_structure = (self.site.take())
            .filter(|_| !structural)
            .and_then(|s| self.with_new_bodies(&s, changes));
        if let Some(site) = same_structure {
            return (Arc::new(site), true);
        }
        let (content, content_errors) = (self.files.as_ref())
            .map(|f| f.content(self.options.drafts))
            .unwrap_or_default();
        diagnostics.extend(content_errors);
        let templates: &dyn site::Templates = match theme {
            Some(theme) => theme,
            None => &site::AnyTemplate,
        };
        let (site, site_errors) = site::assemble(Arc::unwrap_or_clone(config), content, templates);
        diagnostics.extend(site_errors);
        (Arc::new(site), false)
    }

    /// Keeps what the next build may reuse and lists the output's files.
    fn keep(
        &mut self,
        site: Arc<Site>,
        theme: &Theme,
        rendered: render::Rendered,
        edited_in_place: bool,
        media: &Media,
    ) -> Built {
        // Memory tuning: the previous render holds every page's body, HTML
        // and listing view (10,000 of each at 10,000 pages), and freeing it
        // was part of the time between a save and the reloaded page (a
        // rebuild after one edit went from 44 ms to 20 ms with this and the
        // other O(edit) changes of ac09403). Nothing refers to it any more,
        // so it is dropped on a thread of its own, while the page is served.
        // A build that no other follows keeps nothing: its bodies go now,
        // before the manifest and the writing, which need none of them.
        let kept = self.rebuilds.then(|| Arc::new(rendered.cache));
        if let Some(previous) = std::mem::replace(&mut self.renders, kept) {
            dispose(previous);
        }
        self.site = Some(site.clone());
        let made = self.kept.made(
            &site,
            &rendered.facts,
            &rendered.bodies,
            edited_in_place,
            self.rebuilds,
        );
        let mut processed = self.kept.images(&media.images, self.rebuilds);
        let assets = output::assets::fingerprinted(&media.fingerprints, &rendered.uses);
        let pages = &rendered.pages;
        let host_key = (edited_in_place && self.rebuilds).then(|| {
            let page_404 = pages.iter().rev().find(|p| &*p.file == "404.html");
            let page_404 = page_404.and_then(|p| p.html.as_deref());
            kept::host_key(media.images.version(), &assets, &rendered.facts, page_404)
        });
        processed.extend(assets);
        let mut files = output::files(&site, theme, pages, made.files, made.sitemap, processed);
        if self.options.production {
            output::assets::minify_css(
                &mut files,
                &crate::source::confine::SiteRoot::new(&self.options.root),
            );
        }
        let mut warnings = rendered.warnings;
        let (host_files, host_warnings) = self.kept.host(host_key, self.rebuilds, |warnings| {
            let made = std::slice::from_ref(&made.sources);
            let root = &self.options.root;
            output::host::files(&site, &rendered.facts, made, &files, root, warnings)
        });
        warnings.extend(host_warnings);
        files.extend(host_files);
        diagnostic::sort(&mut warnings);
        Built {
            site,
            pages: rendered.pages,
            files,
            facts: rendered.facts,
            rendered: rendered.fresh,
            warnings,
            images: media.images.clone(),
            images_encoded: 0,
            images_reused: 0,
        }
    }

    /// Re-reads the content files that changed (all of them the first
    /// time). Returns whether the change can alter the site's structure:
    /// anything but Markdown files of content/ that were edited in place.
    fn refresh_content(&mut self, changes: &Changes<'_>) -> bool {
        let root = self.options.root.clone();
        let (Some(files), Changes::Paths(paths)) = (&mut self.files, changes) else {
            let files = content::walk(&root, &Files::default());
            if self.warms_up {
                let docs = (files.markdown.values()).filter_map(|d| d.as_ref().ok());
                let built = docs.filter(|d| !d.front.draft || self.options.drafts);
                crate::markdown::warm_up::warm_up(built.cloned().collect(), |d| d.body());
            }
            self.files = Some(files);
            return true;
        };
        let mut walk_again = false;
        let mut structural = false;
        for path in paths.iter() {
            let Ok(rel) = path.strip_prefix(CONTENT_DIR) else {
                structural = true;
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let existed = files.markdown.contains_key(&rel);
            walk_again |= !files.refresh(&root, &rel);
            structural |= !existed || !files.markdown.contains_key(&rel);
        }
        if walk_again {
            let fresh = content::walk(&root, files);
            *files = fresh;
        }
        structural || walk_again
    }

    /// The previous site with the edited documents swapped in, when every
    /// edit left its front matter as it was (so no URL, section, campaign,
    /// template or order can have changed). `None` when that is not so.
    fn with_new_bodies(&self, previous: &Site, changes: &Changes<'_>) -> Option<Site> {
        let (Changes::Paths(paths), Some(files)) = (changes, &self.files) else {
            return None;
        };
        let mut site = previous.clone();
        for path in paths.iter() {
            let rel = path
                .strip_prefix(CONTENT_DIR)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let Ok(doc) = files.markdown.get(&rel)? else {
                return None;
            };
            let entry = &mut site.entries[previous.index_of(&rel)?];
            if entry.doc.text[..entry.doc.body_start] != doc.text[..doc.body_start] {
                return None;
            }
            let entry = Arc::make_mut(entry);
            entry.doc = doc.clone();
            entry.rekey();
        }
        Some(site)
    }
}

/// The site as assembled, with what it took to get there.
pub(super) struct Assembled {
    pub(super) site: Arc<Site>,
    /// The previous site with edited bodies swapped in.
    edited_in_place: bool,
    /// `None` when the theme cannot be found.
    theme: Option<Arc<Theme>>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// site.toml as read.
    config_text: Arc<str>,
}
