//! `utmost serve`: the live preview, until the process is stopped.

use std::path::PathBuf;
use std::process::ExitCode;

use super::SiteArgs;
use crate::diagnostic::Diagnostic;
use crate::preview::ServeOptions;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
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
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let options = ServeOptions {
        root,
        bind: args.bind,
        port: args.port,
        drafts: args.site.drafts,
        open: args.open,
        color: super::color(),
    };
    match crate::preview::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let d = Diagnostic::file("serve", message);
            eprintln!("{}", d.render(super::color()));
            ExitCode::from(1)
        }
    }
}
