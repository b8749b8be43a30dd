//! The integration tests, in one binary: each module below is one area,
//! tested as a user meets it (the real `utmost` binary on a copy of a
//! fixture site in tests/fixtures/, a preview server on a free loopback
//! port, Chromium driven by tests/browser/), with the helpers they share in
//! `common`. One binary links the crate once and runs every test in one
//! parallel pool; `cargo test --test it MODULE::` runs one area.

mod common;

mod adversarial;
mod analytics;
mod assets;
mod attribution;
mod blog;
mod blog_errors;
mod brand;
mod browser;
mod build_site;
mod cli_output;
mod collateral;
mod custom_theme;
mod default_theme;
mod docs;
mod errors;
mod errors_all_at_once;
mod errors_config;
mod errors_templates;
mod forms;
mod fuzz;
mod hostile_input;
mod hosting;
mod hosting_s3;
mod images;
mod incremental;
mod leads_exports;
mod output_safety;
mod preview_boundaries;
mod quality;
mod revenue;
mod revenue_html;
mod serve;
mod serve_template_edits;
mod short_links;
mod symlinks;
mod written_build;
mod zola_content;
mod zola_docs;
