//! `utmost init`: create a new site, never overwriting a file.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::scaffold::InitOptions;

#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Where to create it (default: --root).
    dir: Option<PathBuf>,
    /// Write into a folder that is not empty.
    #[arg(long)]
    force: bool,
    /// Copy the default theme into themes/default/ to edit it (into an
    /// existing site, the theme alone).
    #[arg(long)]
    eject_theme: bool,
}

pub(super) fn run(root: PathBuf, args: Args) -> ExitCode {
    let dir = args.dir.unwrap_or(root);
    let options = InitOptions {
        force: args.force,
        eject_theme: args.eject_theme,
    };
    let created = match crate::scaffold::init(&dir, options) {
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
    if args.eject_theme {
        println!(
            "The default theme is in themes/default/: edit it freely; a new utmost no longer changes it."
        );
    } else {
        println!(
            "It uses the default theme built into utmost: `[brand]` in site.toml sets its logo, colour and font; `utmost init --eject-theme` copies it to edit."
        );
    }
    println!("Next: cd {} && utmost serve", dir.display());
    ExitCode::SUCCESS
}
