//! The user documentation agrees with the binary: every command and flag the
//! command line accepts (read from its clap definition, not a list kept by
//! hand) is documented in docs/reference.md under that command, and the
//! reference documents no flag a command does not take. (The keys of
//! site.toml and front matter are checked beside their serde types.)

use clap::CommandFactory;

const REFERENCE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md"));

/// A command that runs something, and the long flags it takes besides the
/// global ones.
#[derive(Debug)]
struct Leaf {
    /// `["leads", "report"]`.
    words: Vec<String>,
    flags: Vec<String>,
}

/// Every command that runs something, and the global flags.
fn commands() -> (Vec<Leaf>, Vec<String>) {
    let root = utmost::cli::Cli::command();
    let global: Vec<String> = long_flags(&root);
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<String>, clap::Command)> = root
        .get_subcommands()
        .map(|c| (vec![c.get_name().to_string()], c.clone()))
        .collect();
    while let Some((words, command)) = stack.pop() {
        if command.has_subcommands() {
            stack.extend(command.get_subcommands().map(|c| {
                let mut w = words.clone();
                w.push(c.get_name().to_string());
                (w, c.clone())
            }));
            continue;
        }
        let flags = long_flags(&command)
            .into_iter()
            .filter(|f| !global.contains(f))
            .collect();
        out.push(Leaf { words, flags });
    }
    (out, global)
}

fn long_flags(command: &clap::Command) -> Vec<String> {
    let mut flags: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    flags.push("--help".into());
    if command.get_version().is_some() {
        flags.push("--version".into());
    }
    flags
}

/// The text under the `### \`utmost WORDS` heading, up to the next heading.
fn section(words: &[String]) -> Option<&'static str> {
    let heading = format!("### `utmost {}", words.join(" "));
    let start = REFERENCE.find(&heading)?;
    let body = &REFERENCE[start + heading.len()..];
    let body = body.split_once('\n').map_or("", |(_, rest)| rest);
    let end = body.find("\n#").unwrap_or(body.len());
    Some(&body[..end])
}

/// Every `` `--flag `` written in `text`.
fn flags_named(text: &str) -> Vec<String> {
    text.match_indices("`--")
        .map(|(i, _)| {
            let rest = &text[i + 1..];
            let end = rest[2..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(rest.len(), |e| e + 2);
            rest[..end].to_string()
        })
        .collect()
}

#[test]
fn every_command_and_flag_is_in_the_reference() {
    let (commands, global) = commands();
    let mut problems = Vec::new();
    let top = REFERENCE
        .split_once("\n### ")
        .map_or(REFERENCE, |(top, _)| top);
    for flag in &global {
        if !top.contains(&format!("`{flag}")) {
            problems.push(format!(
                "global `{flag}` is not in the reference's first table"
            ));
        }
    }
    for Leaf { words, flags } in &commands {
        let name = format!("utmost {}", words.join(" "));
        let Some(text) = section(words) else {
            problems.push(format!("no `### `{name}...` section"));
            continue;
        };
        for flag in flags {
            if !text.contains(&format!("`{flag}")) {
                problems.push(format!(
                    "`{name} {flag}` is not documented under its command"
                ));
            }
        }
        for named in flags_named(text) {
            if !flags.contains(&named) && !global.contains(&named) {
                problems.push(format!(
                    "`{name}` documents `{named}`, which it does not take"
                ));
            }
        }
    }
    assert!(commands.len() >= 6, "{commands:?}");
    assert!(
        problems.is_empty(),
        "docs/reference.md:\n{}",
        problems.join("\n")
    );
}
