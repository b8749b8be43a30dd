//! `[deploy]` in site.toml: where the site is published, which decides the
//! files the build writes for that host (`--host` on the command line
//! overrides it).

use serde::Deserialize;

/// The static host or CDN the site is published on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Host {
    /// Netlify: `_redirects` and `_headers` at the output root.
    Netlify,
    /// Cloudflare Pages: `_redirects` and `_headers`, as Netlify's.
    Cloudflare,
    /// Amazon S3 (with CloudFront): no header file; each page carries its
    /// Content-Security-Policy in a `<meta>` tag, and `_s3/` holds the
    /// bucket's redirect rules (`output/s3.rs`).
    S3,
    /// GitHub Pages: no header file; each page carries its policy in a
    /// `<meta>` tag.
    Github,
}

impl Host {
    /// Whether the host reads `_headers` and `_redirects` files.
    pub(crate) fn reads_header_files(self) -> bool {
        matches!(self, Host::Netlify | Host::Cloudflare)
    }
}

/// `[deploy]` as written.
#[derive(Deserialize, Default)]
pub(super) struct RawDeploy {
    pub(super) host: Option<Host>,
}
