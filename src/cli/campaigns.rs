//! `utmost campaigns`: the campaigns with their tagged links, printed.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::attribution::campaigns;
use crate::util::tabular::Format;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// table, csv or json.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let built = match super::built_site(root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (text, warnings) = campaigns::render(&built, args.format, &campaigns::today());
    print!("{text}");
    for w in warnings {
        eprintln!("note: {w}");
    }
    ExitCode::SUCCESS
}
