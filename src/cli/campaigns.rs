//! `utmost campaigns`: the campaigns with their tagged links, printed.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::attribution::{campaigns, rep_links};
use crate::util::tabular::Format;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// table, csv or json.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// One rep's own links instead: a link to each campaign's landing
    /// pages tagged for the rep's emails, and the rep's printed copies.
    #[arg(long, value_name = "ID")]
    rep: Option<String>,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let built = match super::built_site(root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if let Some(rep) = &args.rep {
        return match rep_links::render(&built, rep, args.format) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    let (text, warnings) = campaigns::render(&built, args.format, &campaigns::today());
    print!("{text}");
    for w in warnings {
        eprintln!("note: {w}");
    }
    ExitCode::SUCCESS
}
