//! `utmost init`: create a new site, never overwriting a file.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Where to create it (default: --root).
    dir: Option<PathBuf>,
    /// Write into a folder that is not empty.
    #[arg(long)]
    force: bool,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let dir = args.dir.unwrap_or(root);
    let created = match crate::scaffold::init(&dir, args.force) {
        Ok(created) => created,
        Err(e) => {
            let d = Diagnostic::file(&dir, e.to_string());
            eprintln!("{}", d.render(super::color()));
            return ExitCode::from(1);
        }
    };
    println!(
        "Created a site in {} ({} files).",
        dir.display(),
        created.written.len()
    );
    if !created.kept.is_empty() {
        let one = created.kept.len() == 1;
        println!(
            "Kept {} as {} (init never overwrites a file):",
            super::plural(created.kept.len(), "existing file", "existing files"),
            if one { "it was" } else { "they were" },
        );
        for kept in &created.kept {
            println!("  {kept}");
        }
    }
    println!("Next: cd {} && utmost serve", dir.display());
    ExitCode::SUCCESS
}
