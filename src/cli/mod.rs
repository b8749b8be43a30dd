//! Command-line arguments (clap derive) and dispatch to the library; the
//! exit status: 0 success, 1 the site or an input has errors, 2 wrong usage
//! (clap's own exit code for usage errors). One file per command, each
//! with its arguments and what it prints; the work is the library's.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, BuildOptions, Built};
use crate::site::Site;
use crate::util::progress::Progress;

mod build;
mod campaigns;
mod check;
mod init;
mod leads;
mod serve;

/// The command line: the site's folder and what to do with it.
#[derive(Parser, Debug)]
#[command(
    name = "utmost",
    version,
    about = "Campaign-tagged landing pages, forms and sales one-pagers from Markdown"
)]
pub struct Cli {
    /// The site's folder (holding site.toml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new site: site.toml, a landing page, a one-pager, a thanks page and the default theme.
    Init(init::Args),
    /// Build the site into output_dir and write the manifest.
    Build(build::Args),
    /// Run every check of build, writing nothing.
    Check(check::Args),
    /// The campaigns, their pages, and tagged URLs for each channel.
    Campaigns(campaigns::Args),
    /// Form submissions attributed to campaigns.
    Leads {
        #[command(subcommand)]
        command: leads::Command,
    },
    /// Preview the site: build, serve, rebuild on save, reload the browser.
    Serve(serve::Args),
}

/// What every command that builds the site takes.
#[derive(clap::Args, Debug)]
struct SiteArgs {
    /// Include pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

/// Runs the command and says how it went, as the process's exit status.
pub fn run(cli: Cli) -> ExitCode {
    let root = cli.root;
    match cli.command {
        Command::Init(args) => init::run(root, args),
        Command::Build(args) => build::run(root, args),
        Command::Check(args) => check::run(root, args),
        Command::Serve(args) => serve::run(root, args),
        Command::Campaigns(args) => campaigns::run(root, args),
        Command::Leads { command } => leads::run(root, command),
    }
}

/// Whether to colour stderr: a terminal, and NO_COLOR unset or empty.
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A progress bar on a terminal, nothing otherwise.
fn progress() -> Progress {
    Progress::new(std::io::stderr().is_terminal())
}

/// Builds the site in memory for commands that read its output.
fn built_site(root: PathBuf) -> Result<Built, ExitCode> {
    pipeline::build(&site_options(root), &progress()).map_err(|d| report(&d, SITE_ERRORS))
}

/// Assembles the site, unrendered, for commands that read its structure.
fn assembled_site(root: PathBuf) -> Result<Arc<Site>, ExitCode> {
    pipeline::assemble(&site_options(root)).map_err(|d| report(&d, SITE_ERRORS))
}

const SITE_ERRORS: &str = "the site has errors; fix them first";

fn site_options(root: PathBuf) -> BuildOptions {
    BuildOptions {
        root,
        ..BuildOptions::default()
    }
}

/// Prints every diagnostic and their count, and fails.
fn report(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    let color = color();
    for d in diagnostics {
        eprintln!("{}", d.render(color));
    }
    eprintln!("{what}: {}", crate::diagnostic::summary(diagnostics));
    ExitCode::from(1)
}

/// Prints each warning, and a line saying how to make them errors.
fn warn(warnings: &[Diagnostic]) {
    let color = color();
    for w in warnings {
        eprintln!("{}", w.render_warning(color));
    }
    if !warnings.is_empty() {
        eprintln!(
            "{} (`--strict` or `strict = true` in site.toml makes them errors)",
            plural(warnings.len(), "warning", "warnings")
        );
    }
}

/// `1`, `2 files`: a count with its noun, plural when it is not one.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
