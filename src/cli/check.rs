//! `utmost check`: every check of a build, writing nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use super::SiteArgs;
use crate::pipeline::{self, BuildOptions};

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Treat warnings (an image without alt text, a missing image) as errors.
    #[arg(long)]
    strict: bool,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let options = BuildOptions {
        root,
        drafts: args.site.drafts,
        strict: args.strict,
        ..BuildOptions::default()
    };
    let checked = pipeline::build(&options, &super::progress())
        .and_then(|built| pipeline::check_output(&options, &built).map(|()| built));
    match checked {
        Ok(built) if !built.warnings.is_empty() => {
            super::warn(&built.warnings);
            println!(
                "No errors in {} pages; {}.",
                built.pages.len(),
                super::plural(built.warnings.len(), "warning", "warnings")
            );
            ExitCode::SUCCESS
        }
        Ok(built) => {
            println!("No problems found in {} pages.", built.pages.len());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => super::report(&diagnostics, "check failed"),
    }
}
