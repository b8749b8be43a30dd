//! Command-line arguments (clap derive) and dispatch to the library; the
//! exit status: 0 success, 1 the site or an input has errors, 2 wrong usage
//! (clap's own exit code for usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::attribution::leads::Model;
use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, BuildOptions};
use crate::util::progress::Progress;
use crate::util::tabular::Format;

#[derive(Parser, Debug)]
#[command(
    name = "utmost",
    version,
    about = "Campaign-tagged landing pages, forms and sales one-pagers from Markdown"
)]
pub struct Cli {
    /// The site's folder (holding site.toml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new site: site.toml, a landing page, a one-pager, a thanks page and the default theme.
    Init {
        /// Where to create it (default: --root).
        dir: Option<PathBuf>,
        /// Write into a folder that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// Build the site into output_dir and write the manifest.
    Build {
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
    },
    /// Run every check of build, writing nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// The campaigns, their pages, and tagged URLs for each channel.
    Campaigns {
        /// table, csv or json.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Form submissions attributed to campaigns.
    Leads {
        #[command(subcommand)]
        command: LeadsCommand,
    },
    /// Preview the site: build, serve, rebuild on save, reload the browser.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on (loopback unless told otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum LeadsCommand {
    /// Attribute exported submissions to campaigns, pages and variants.
    Report {
        /// Export files: CSV (`,` `;` or tab), JSON Lines, JSON (an array,
        /// Formspree's or Netlify's export) or a spreadsheet (XLSX).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Which touch a lead is credited to.
        #[arg(long, value_enum, default_value = "last")]
        model: Model,
        /// table, csv or json.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Exit 1 when a row cannot be read.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Whether to colour stderr: a terminal, and NO_COLOR unset or empty.
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Init { dir, force } => {
            let dir = dir.unwrap_or(cli.root);
            match crate::scaffold::init(&dir, force) {
                Ok(created) => {
                    println!(
                        "Created a site in {} ({} files).",
                        dir.display(),
                        created.written.len()
                    );
                    if !created.kept.is_empty() {
                        println!(
                            "Kept {} existing file{} as {} (init never overwrites a file):",
                            created.kept.len(),
                            if created.kept.len() == 1 { "" } else { "s" },
                            if created.kept.len() == 1 {
                                "it was"
                            } else {
                                "they were"
                            },
                        );
                        for kept in &created.kept {
                            println!("  {kept}");
                        }
                    }
                    println!("Next: cd {} && utmost serve", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}", Diagnostic::file(&dir, e.to_string()).render(color()));
                    ExitCode::from(1)
                }
            }
        }
        Command::Build {
            site,
            base_url,
            out,
            pdf,
            chromium,
            force,
        } => {
            let options = BuildOptions {
                root: cli.root,
                drafts: site.drafts,
                base_url,
                out,
                pdf,
                force,
                ..BuildOptions::default()
            };
            let started = Instant::now();
            let progress = Progress::new(std::io::stderr().is_terminal());
            match pipeline::build_and_write(&options, &progress) {
                Ok(built) => {
                    let out = built.output_dir(&options);
                    let manifest = if options.writes_manifest() {
                        let path = options.root.join(&built.site.config.manifest);
                        format!("manifest: {}", path.display())
                    } else {
                        "no manifest: a build with --out or --base-url is not the production site"
                            .to_string()
                    };
                    println!(
                        "Built {} pages into {} in {} ms ({manifest}).",
                        built.pages.len(),
                        out.display(),
                        started.elapsed().as_millis(),
                    );
                    let code = if pdf {
                        print_pdfs(&built, &out, chromium.as_deref())
                    } else {
                        ExitCode::SUCCESS
                    };
                    // The process ends here: the system takes back the whole
                    // site at once, faster than 10,000 pages' destructors.
                    std::mem::forget(built);
                    code
                }
                Err(diagnostics) => {
                    let code = report(&diagnostics, "build failed");
                    eprintln!("The previous output was left as it was.");
                    code
                }
            }
        }
        Command::Check { site } => {
            let options = BuildOptions {
                root: cli.root,
                drafts: site.drafts,
                ..BuildOptions::default()
            };
            let checked =
                pipeline::build(&options, &Progress::new(std::io::stderr().is_terminal()))
                    .and_then(|built| pipeline::check_output(&options, &built).map(|()| built));
            match checked {
                Ok(built) => {
                    println!("No problems found in {} pages.", built.pages.len());
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => report(&diagnostics, "check failed"),
            }
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => serve(cli.root, site, port, bind, open),
        Command::Campaigns { format } => campaigns(cli.root, format),
        Command::Leads {
            command:
                LeadsCommand::Report {
                    files,
                    model,
                    format,
                    strict,
                },
        } => leads_report(cli.root, &files, model, format, strict),
    }
}

fn print_pdfs(
    built: &pipeline::Built,
    out: &std::path::Path,
    chromium: Option<&std::path::Path>,
) -> ExitCode {
    let chromium = match crate::collateral::pdf::find_chromium(chromium) {
        Ok(c) => c,
        Err(d) => return report(&[d], "PDFs not printed"),
    };
    match crate::collateral::pdf::print_collateral(built, out, &chromium) {
        Ok(n) => {
            println!(
                "Printed {n} one-pager PDF{} with {}.",
                if n == 1 { "" } else { "s" },
                chromium.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report(&diagnostics, "PDF printing failed"),
    }
}

/// Builds the site in memory for commands that read it.
fn built_site(root: PathBuf) -> Result<pipeline::Built, ExitCode> {
    let options = BuildOptions {
        root,
        ..BuildOptions::default()
    };
    pipeline::build(&options, &Progress::new(std::io::stderr().is_terminal()))
        .map_err(|d| report(&d, "the site has errors; fix them first"))
}

fn campaigns(root: PathBuf, format: Format) -> ExitCode {
    let built = match built_site(root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (text, warnings) = crate::attribution::campaigns::render(
        &built,
        format,
        &crate::attribution::campaigns::today(),
    );
    print!("{text}");
    for w in warnings {
        eprintln!("note: {w}");
    }
    ExitCode::SUCCESS
}

fn leads_report(
    root: PathBuf,
    files: &[PathBuf],
    model: Model,
    format: Format,
    strict: bool,
) -> ExitCode {
    let built = match built_site(root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let read = crate::attribution::leads::report_files(&built.site, files, model);
    let report = read.report;
    print!(
        "{}",
        crate::attribution::leads::output::render(&report, format)
    );
    let color = color();
    for w in &read.warnings {
        eprintln!("{}", w.render(color).replacen("error", "warning", 1));
    }
    for e in &read.errors {
        eprintln!("{}", e.render(color));
    }
    if format != Format::Table {
        for s in &report.skipped {
            let visible = crate::util::terminal_text::visible;
            eprintln!(
                "skipped {}:{}: {}",
                visible(&s.file),
                s.line,
                visible(&s.reason)
            );
        }
    }
    if !read.errors.is_empty() {
        let n = read.errors.len();
        eprintln!(
            "{n} file{} could not be read",
            if n == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    if strict && !report.skipped.is_empty() {
        eprintln!("--strict: {} unreadable row(s)", report.skipped.len());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn serve(root: PathBuf, site: SiteArgs, port: u16, bind: String, open: bool) -> ExitCode {
    let options = crate::preview::ServeOptions {
        root,
        bind,
        port,
        drafts: site.drafts,
        open,
        color: color(),
    };
    match crate::preview::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", Diagnostic::file("serve", message).render(color()));
            ExitCode::from(1)
        }
    }
}

fn report(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    let color = color();
    for d in diagnostics {
        eprintln!("{}", d.render(color));
    }
    eprintln!("{what}: {}", crate::diagnostic::summary(diagnostics));
    ExitCode::from(1)
}
