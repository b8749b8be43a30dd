//! `utmost leads report`: exported submissions attributed and counted,
//! the report on stdout, what could not be read on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::attribution::leads::{self, Model};
use crate::util::layout::STATE_DIR;
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
    /// Deals exported from the CRM (HubSpot, Salesforce; CSV, JSON or
    /// XLSX), joined to the leads by contact email.
    #[arg(long, value_name = "FILE")]
    deals: Vec<PathBuf>,
    /// Visits per landing page exported from the analytics tool (GA4,
    /// Plausible, Matomo), for conversion by page and variant.
    #[arg(long, value_name = "FILE")]
    visits: Vec<PathBuf>,
    /// Which touch a lead is credited to.
    #[arg(long, value_enum, default_value = "last")]
    model: Model,
    /// table, csv, json, or html (a self-contained report page).
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Write the report to this file instead of printing it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Open the HTML report in the browser (written to `--out`, else to
    /// `.utmost/leads-report.html` in the site).
    #[arg(long)]
    open: bool,
    /// Exit 1 when a row cannot be read.
    #[arg(long)]
    strict: bool,
}

/// The report's output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Table,
    Csv,
    Json,
    Html,
}

/// Where the HTML report goes for `--open` without `--out`.
const OPENED_REPORT: &str = "leads-report.html";

pub(super) fn run(root: PathBuf, command: Command) -> ExitCode {
    let Command::Report(args) = command;
    if args.open && args.format != ReportFormat::Html {
        eprintln!("error: --open opens the HTML report: add --format html");
        return ExitCode::from(2);
    }
    let site = match super::assembled_site(root.clone()) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let read = leads::report_files(
        &site,
        &leads::Inputs {
            leads: &args.files,
            model: args.model,
            deals: &args.deals,
            visits: &args.visits,
        },
    );
    let report = read.report;
    let text = match args.format {
        ReportFormat::Html => leads::html::render(&report, &site.config.title),
        ReportFormat::Table => leads::output::render(&report, Format::Table),
        ReportFormat::Csv => leads::output::render(&report, Format::Csv),
        ReportFormat::Json => leads::output::render(&report, Format::Json),
    };
    let target = match (&args.out, args.open) {
        (Some(out), _) => Some(out.clone()),
        (None, true) => Some(root.join(STATE_DIR).join(OPENED_REPORT)),
        (None, false) => None,
    };
    match &target {
        Some(path) => {
            if let Err(e) = write_report(path, &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
            if args.open && !crate::util::open::in_browser(&path.display().to_string()) {
                eprintln!("no browser found to open {}", path.display());
            }
        }
        None => print!("{text}"),
    }
    let color = super::color();
    for w in &read.warnings {
        eprintln!("{}", w.render(color).replacen("error", "warning", 1));
    }
    for e in &read.errors {
        eprintln!("{}", e.render(color));
    }
    if args.format != ReportFormat::Table {
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

/// Writes the report whole or not at all: into a temporary file beside
/// `path`, then renamed over it. It is readable as any file the user
/// makes (a temporary file is the owner's alone), or keeps the mode of
/// the report it replaces.
fn write_report(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As a new file: the umask takes off what it takes off.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(&dir)?;
    if let Ok(old) = std::fs::metadata(path) {
        file.as_file().set_permissions(old.permissions())?;
    }
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
