//! The `utmost` binary: parse arguments, run, exit. Everything else lives in
//! the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    utmost::cli::run(utmost::cli::Cli::parse())
}
