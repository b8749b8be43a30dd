//! `utmost build`: build and write the site and its manifest, and with
//! `--pdf` print the collateral.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::{SiteArgs, report};
use crate::pipeline::{self, BuildOptions, Built};
use crate::source::config::Host;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Use this base URL instead of site.toml's.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Write the site here instead of output_dir.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also print every one-pager (and each rep's copy) to PDF with Chromium.
    #[arg(long)]
    pdf: bool,
    /// The Chromium or Chrome to print with (default: found on PATH).
    #[arg(long, value_name = "PATH", requires = "pdf")]
    chromium: Option<PathBuf>,
    /// Replace an output folder that utmost did not write (its dotfiles are kept).
    #[arg(long)]
    force: bool,
    /// The host the site is published on, which picks the files written
    /// for it (default: site.toml's `[deploy] host`).
    #[arg(long, value_enum, value_name = "HOST")]
    host: Option<Host>,
    /// Treat warnings (an image without alt text, a missing image) as errors.
    #[arg(long)]
    strict: bool,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let options = BuildOptions {
        root,
        drafts: args.site.drafts,
        base_url: args.base_url,
        out: args.out,
        pdf: args.pdf,
        force: args.force,
        host: args.host,
        strict: args.strict,
        production: true,
        ..BuildOptions::default()
    };
    let started = Instant::now();
    let built = match pipeline::build_and_write(&options, &super::progress()) {
        Ok(built) => built,
        Err(diagnostics) => {
            let code = report(&diagnostics, "build failed");
            eprintln!("Nothing was written.");
            return code;
        }
    };
    super::warn(&built.warnings);
    let out = built.output_dir(&options);
    let manifest = if options.writes_manifest() {
        let path = options.root.join(&built.site.config.manifest);
        format!("manifest: {}", path.display())
    } else {
        "no manifest: a build with --out or --base-url is not the production site".to_string()
    };
    println!(
        "Built {} pages into {} in {} ms ({manifest}).",
        built.pages.len(),
        out.display(),
        started.elapsed().as_millis(),
    );
    if built.images_encoded + built.images_reused > 0 {
        println!(
            "Images: {} made, {} from the cache (.utmost/cache/images/).",
            built.images_encoded, built.images_reused
        );
    }
    let code = if args.pdf {
        print_pdfs(&built, &out, args.chromium.as_deref())
    } else {
        ExitCode::SUCCESS
    };
    // Memory tuning: the process ends as soon as this returns, and the
    // system takes back its memory whole. Dropping the build first would
    // walk every page's strings and maps to free them one by one after the
    // work is done (a clean build of 10,000 pages took 1.02 s with the
    // drop, 0.93 s without, with parallel folder creation; f406533). Only
    // memory is leaked: every file was written and closed above.
    std::mem::forget(built);
    code
}

fn print_pdfs(built: &Built, out: &Path, chromium: Option<&Path>) -> ExitCode {
    let chromium = match crate::collateral::pdf::find_chromium(chromium) {
        Ok(c) => c,
        Err(d) => return report(&[d], "PDFs not printed"),
    };
    match crate::collateral::pdf::print_collateral(built, out, &chromium) {
        Ok(n) => {
            println!(
                "Printed {} with {}.",
                super::plural(n, "one-pager PDF", "one-pager PDFs"),
                chromium.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report(&diagnostics, "PDF printing failed"),
    }
}
