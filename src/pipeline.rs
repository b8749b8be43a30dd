//! The build pipeline shared by `build`, `check` and `serve`:
//! site.toml → config, themes → templates, content/ → documents, then the
//! assembled site, rendered in memory, and finally written atomically.
//!
//! Every stage that can run despite an earlier stage's errors does, so one
//! run reports every problem it can find.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{self, Diagnostic};
use crate::engine::{Engine, RenderOptions};
use crate::output::{self, File};
use crate::progress::Progress;
use crate::site::Site;
use crate::{config, content, manifest, render, site, theme};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Replaces site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Replaces site.toml's `output_dir` (relative to the current directory).
    pub out: Option<PathBuf>,
    pub render: RenderOptions,
}

/// A build held in memory.
pub struct Built {
    pub site: Arc<Site>,
    /// Rendered HTML by output path (`blog/post/index.html`).
    pub pages: Vec<render::Page>,
    pub files: Vec<File>,
    pub manifest: String,
    /// Output path → the forms rendered on it.
    pub forms_on: BTreeMap<String, Vec<String>>,
}

impl Built {
    pub fn output_dir(&self, options: &BuildOptions) -> PathBuf {
        options
            .out
            .clone()
            .unwrap_or_else(|| options.root.join(&self.site.config.output_dir))
    }
}

/// Loads, checks and renders the site, without writing anything.
pub fn build(options: &BuildOptions, progress: &Progress) -> Result<Built, Vec<Diagnostic>> {
    let root = options.root.as_path();
    let mut config = config::load(root).map_err(sorted)?;
    if let Some(url) = &options.base_url {
        if !config::is_absolute_http(url) {
            return Err(vec![
                Diagnostic::file(
                    "--base-url",
                    format!("`{url}` is not an absolute http(s) URL"),
                )
                .with_help("for example `--base-url https://staging.example.com`"),
            ]);
        }
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let mut diagnostics = Vec::new();
    let theme = theme::load(root, &config).unwrap_or_else(|d| {
        diagnostics.extend(d);
        theme::Theme::default()
    });
    let (content, content_errors) = content::load(root, options.drafts);
    diagnostics.extend(content_errors);
    let (site, site_errors) = site::assemble(config, content, &theme);
    diagnostics.extend(site_errors);
    let site = Arc::new(site);
    let engine = match Engine::new(&theme, site.clone(), &options.render) {
        Ok(engine) => Some(engine),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    let Some(engine) = engine.filter(|_| diagnostics.is_empty()) else {
        return Err(sorted(diagnostics));
    };
    let pages = render::render_site(&site, &engine, progress).map_err(sorted)?;
    progress.finish();
    let forms_on: BTreeMap<String, Vec<String>> = pages
        .iter()
        .map(|(file, html)| (page_path(file), manifest::forms_in(html)))
        .collect();
    let manifest =
        serde_json::to_string_pretty(&manifest::build(&site, &forms_on)).map_err(|e| {
            vec![Diagnostic::file(
                &site.config.manifest,
                format!("cannot encode the manifest: {e}"),
            )]
        })?;
    let files = collect_files(&site, &theme, &pages);
    Ok(Built {
        site,
        pages,
        files,
        manifest,
        forms_on,
    })
}

/// Builds and writes the output directory and the manifest.
pub fn build_and_write(
    options: &BuildOptions,
    progress: &Progress,
) -> Result<Built, Vec<Diagnostic>> {
    let built = build(options, progress)?;
    let out = built.output_dir(options);
    let shown = out
        .strip_prefix(&options.root)
        .unwrap_or(&out)
        .to_path_buf();
    output::write_atomically(&out, &built.files).map_err(|e| {
        vec![Diagnostic::file(
            &shown,
            format!("cannot write the output: {e}"),
        )]
    })?;
    let manifest_path = options.root.join(&built.site.config.manifest);
    output::write_file_atomically(&manifest_path, built.manifest.as_bytes()).map_err(|e| {
        vec![Diagnostic::file(
            &built.site.config.manifest,
            format!("cannot write the manifest: {e}"),
        )]
    })?;
    Ok(built)
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// `blog/post/index.html` → `/blog/post/`.
fn page_path(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// Everything the output directory will hold. Rendered pages win over
/// static files of the same name; the site's static files over the theme's.
fn collect_files(site: &Site, theme: &theme::Theme, pages: &[render::Page]) -> Vec<File> {
    let mut taken: std::collections::HashSet<&str> =
        pages.iter().map(|(p, _)| p.as_str()).collect();
    let mut files: Vec<File> =
        Vec::with_capacity(pages.len() + theme.statics.len() + site.assets.len() + 2);
    for (path, source) in &theme.statics {
        if taken.insert(path) {
            files.push(File::from_static(path, source));
        }
    }
    for asset in &site.assets {
        if taken.insert(&asset.output) {
            files.push(File::Copy(asset.output.clone(), asset.source.clone()));
        }
    }
    if !taken.contains("robots.txt") {
        files.push(File::Text("robots.txt".into(), robots(site)));
    }
    files.push(File::Text("sitemap.xml".into(), sitemap(site)));
    files.extend(
        pages
            .iter()
            .map(|(p, html)| File::Text(p.clone(), html.clone())),
    );
    files
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink("/sitemap.xml")
    )
}

/// Every page and section (not variants, which point at their page).
fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for output in site.outputs.iter().filter(|o| o.variant.is_none()) {
        let entry = &site.entries[output.entry];
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&crate::html::escape(&site.permalink(&output.path)));
        xml.push_str("</loc>\n");
        if let Some(date) = &entry.front().date {
            xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
