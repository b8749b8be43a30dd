//! `utmost leads report`: exported submissions attributed and counted,
//! the report on stdout, what could not be read on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::attribution::leads::{self, Model};
use crate::util::tabular::Format;
use crate::util::terminal_text::visible;

#[derive(Subcommand, Debug)]
pub(super) enum Command {
    /// Attribute exported submissions to campaigns, pages and variants.
    Report(ReportArgs),
}

#[derive(clap::Args, Debug)]
pub(super) struct ReportArgs {
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
}

pub(super) fn run(root: PathBuf, command: Command) -> ExitCode {
    let Command::Report(args) = command;
    let site = match super::assembled_site(root) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let read = leads::report_files(&site, &args.files, args.model);
    let report = read.report;
    print!("{}", leads::output::render(&report, args.format));
    let color = super::color();
    for w in &read.warnings {
        eprintln!("{}", w.render(color).replacen("error", "warning", 1));
    }
    for e in &read.errors {
        eprintln!("{}", e.render(color));
    }
    if args.format != Format::Table {
        for s in &report.skipped {
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
        eprintln!("{} could not be read", super::plural(n, "file", "files"));
        return ExitCode::from(1);
    }
    if args.strict && !report.skipped.is_empty() {
        eprintln!("--strict: {} unreadable row(s)", report.skipped.len());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
