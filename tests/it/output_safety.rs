//! A build replaces only a folder utmost wrote, and never a source: every
//! way of pointing the output folder or the manifest at the user's files,
//! spelled every way a path can be spelled, is refused with exit 1 and the
//! whole workspace left byte for byte as it was.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::common::tree::{assert_intact, snapshot};
use crate::common::{self, Run, TestSite};

/// `site/` (the custom-theme fixture, built once, with static files and
/// preview leads) and `notes/` (a folder of the user's own), side by side.
struct Workspace {
    root: TestSite,
}

impl Workspace {
    fn new() -> Workspace {
        let ws = Workspace {
            root: TestSite::empty(),
        };
        common::copy_dir(&common::fixture_dir("custom-theme"), &ws.site());
        ws.write("site/static/robots-note.txt", "static file");
        ws.write(
            "site/.utmost/preview-leads.jsonl",
            "{\"email\":\"a@b.example\"}\n",
        );
        ws.write("notes/a.txt", "my notes");
        ws.write("notes/.keep", "");
        ws.run("site", &["build"]).success();
        ws
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    fn write(&self, rel: &str, text: &str) {
        self.root.write(rel, text);
    }

    fn read(&self, rel: &str) -> String {
        self.root.read(rel)
    }

    fn exists(&self, rel: &str) -> bool {
        self.root.exists(rel)
    }

    /// Runs `utmost --root <site> ARGS` in the folder `cwd` of the workspace.
    fn run(&self, cwd: &str, args: &[&str]) -> Run {
        Run::of(
            common::binary()
                .current_dir(self.path().join(cwd))
                .arg("--root")
                .arg(self.site())
                .args(args),
        )
    }

    fn set_config(&self, line: &str) {
        self.root.edit(
            "site/site.toml",
            "theme = \"plain\"\n",
            &format!("theme = \"plain\"\n{line}\n"),
        );
    }
}

/// Runs `args` (then again with `--force` when `force_too`) and checks the
/// refusal: exit 1, every `expected` fragment, and nothing touched.
#[track_caller]
fn refused(ws: &Workspace, cwd: &str, args: &[&str], expected: &[&str], force_too: bool) {
    let before = snapshot(ws.path());
    let what = format!("{args:?} in {cwd}");
    ws.run(cwd, args)
        .fails_with(expected)
        .stderr_has("Nothing was written.");
    assert_intact(ws.path(), &before, &what);
    if force_too {
        let mut forced = args.to_vec();
        forced.push("--force");
        ws.run(cwd, &forced).fails_with(expected);
        assert_intact(ws.path(), &before, &format!("{what} --force"));
    }
}

const SOURCES: &str = "a build would replace its sources";

#[test]
fn output_folders_that_hold_sources_are_refused_however_spelled() {
    // (working folder, --out, expected message)
    let cases: &[(&str, &str, &str)] = &[
        ("site", ".", "`.` is the site's own folder"),
        ("site", "./", "is the site's own folder"),
        ("site", "public/..", "is the site's own folder"),
        ("site", "..", "`..` contains the site"),
        ("site", "/", "`/` contains the site"),
        ("notes", "../site", "`../site` is the site's own folder"),
        (
            "site",
            "content",
            "`content` is content/, which holds the site's Markdown",
        ),
        (
            "site",
            "./content/news",
            "is inside content/, which holds the site's Markdown",
        ),
        ("site", "content/new-folder", "is inside content/"),
        (
            "site",
            "public/../templates",
            "is templates/, which holds the site's templates",
        ),
        (
            "site",
            "static",
            "is static/, which holds the site's static files",
        ),
        (
            "site",
            "themes/plain",
            "is inside themes/, which holds the site's themes",
        ),
        ("site", ".utmost", "is .utmost/, which holds utmost's state"),
        ("notes", "../site/content", "is content/"),
        (
            "notes",
            "../site/./templates/../content/news",
            "is inside content/",
        ),
        (
            "site",
            "site.toml",
            "`site.toml` is site.toml, the site's configuration",
        ),
        (
            "site",
            "utmost-manifest.json",
            "`utmost-manifest.json` is the manifest's path",
        ),
        ("site", "content/offer.md", "is inside content/"),
        ("link-to-content", ".", " is content/"),
        (".", "link-to-content/news", "is inside content/"),
        (".", "link-to-site/public/..", "is the site's own folder"),
    ];
    for (cwd, out, expected) in cases {
        let ws = Workspace::new();
        symlink(ws.site().join("content"), ws.path().join("link-to-content")).unwrap();
        symlink(ws.site(), ws.path().join("link-to-site")).unwrap();
        refused(
            &ws,
            cwd,
            &["build", "--out", out],
            &[expected, "--> --out"],
            true,
        );
    }
}

#[test]
fn absolute_spellings_of_the_site_are_refused() {
    let ws = Workspace::new();
    let site = ws.site();
    let parent = ws.path().to_str().unwrap().to_string();
    for out in [
        site.to_str().unwrap(),
        &format!("{}/content/..", site.display()),
        &parent,
    ] {
        refused(&ws, "notes", &["build", "--out", out], &[SOURCES], true);
    }
}

#[test]
fn the_home_folder_is_never_an_output_folder() {
    let ws = Workspace::new();
    let home = ws.path().join("notes");
    let before = snapshot(ws.path());
    for out in [home.clone(), ws.path().join("notes/../notes/.")] {
        Run::of(
            common::binary()
                .env("HOME", &home)
                .current_dir(ws.site())
                .args(["build", "--force", "--out"])
                .arg(&out),
        )
        .fails_with(&["is or contains your home folder"]);
    }
    assert_intact(ws.path(), &before, "home");
}

#[test]
fn output_dir_in_site_toml_is_checked_the_same_way() {
    let cases: &[(&str, &str)] = &[
        ("output_dir = \".\"", "`.` is the site's own folder"),
        ("output_dir = \"content\"", "`content` is content/"),
        ("output_dir = \"./content\"", "is content/"),
        (
            "output_dir = \"content/news\"",
            "`content/news` is inside content/",
        ),
        (
            "output_dir = \"content/out\"",
            "`content/out` is inside content/",
        ),
        ("output_dir = \"templates\"", "is templates/"),
        ("output_dir = \"static\"", "is static/"),
        ("output_dir = \"themes\"", "is themes/"),
        ("output_dir = \"themes/plain/static\"", "is inside themes/"),
        (
            "output_dir = \"site.toml\"",
            "is site.toml, the site's configuration",
        ),
        ("output_dir = \".utmost\"", "is .utmost/"),
    ];
    for (line, expected) in cases {
        let ws = Workspace::new();
        ws.set_config(line);
        refused(
            &ws,
            "site",
            &["build"],
            &[expected, "--> site.toml:4:14"],
            true,
        );
        let check = ws.run("site", &["check"]);
        check.failure().stderr_has(expected);
    }
}

#[test]
fn the_manifest_never_names_a_source() {
    let cases: &[(&str, &str, bool)] = &[
        (
            "manifest = \"site.toml\"",
            "`site.toml` is site.toml, the site's configuration",
            true,
        ),
        (
            "manifest = \"content/_index.md\"",
            "`content/_index.md` is inside content/",
            true,
        ),
        ("manifest = \"content\"", "`content` is content/", true),
        (
            "manifest = \"templates/page.html\"",
            "is inside templates/",
            true,
        ),
        ("manifest = \"static/data.json\"", "is inside static/", true),
        (
            "manifest = \"themes/plain/theme.json\"",
            "is inside themes/",
            true,
        ),
        (
            "manifest = \".utmost/preview-leads.jsonl\"",
            "is inside .utmost/",
            true,
        ),
        ("manifest = \".\"", "is the site's own folder", true),
        (
            "manifest = \"notes.md\"",
            "`notes.md` exists and is not a manifest utmost wrote",
            false,
        ),
        ("manifest = \"docs\"", "`docs` is a folder", true),
    ];
    for (line, expected, force_too) in cases {
        let ws = Workspace::new();
        ws.write("site/notes.md", "# my notes\n");
        ws.write("site/docs/guide.md", "# guide\n");
        ws.set_config(line);
        refused(
            &ws,
            "site",
            &["build"],
            &[expected, "--> site.toml:4:12"],
            *force_too,
        );
    }
}

#[test]
fn the_manifest_may_not_lie_in_the_output_folder() {
    let ws = Workspace::new();
    ws.write(
        "site/elsewhere/.utmost-output",
        "This folder was written by utmost (`utmost build`).\n",
    );
    symlink(ws.site().join("elsewhere"), ws.site().join("out-link")).unwrap();
    ws.set_config("manifest = \"elsewhere/m.json\"\noutput_dir = \"out-link\"");
    refused(
        &ws,
        "site",
        &["build"],
        &["`elsewhere/m.json` is inside the output folder"],
        true,
    );
}

#[test]
fn a_folder_utmost_did_not_write_is_refused_until_forced() {
    let ws = Workspace::new();
    refused(
        &ws,
        "site",
        &["build", "--out", "../notes"],
        &[
            "`../notes` is not empty and was not written by utmost; a build would replace `a.txt`",
            "help: build into another folder (`--out DIR`, or `output_dir` in site.toml), or pass `--force`",
        ],
        false,
    );
    ws.run("site", &["build", "--out", "../notes", "--force"])
        .success();
    assert!(
        !ws.exists("notes/a.txt"),
        "the user said it may be replaced"
    );
    assert!(ws.exists("notes/.keep"), "dotfiles are kept");
    assert!(ws.exists("notes/offer/index.html"));
    assert!(
        ws.read("notes/.utmost-output")
            .starts_with("This folder was written by utmost")
    );
    ws.run("site", &["build", "--out", "../notes"]).success();
}

#[test]
fn many_files_are_summed_up() {
    let ws = Workspace::new();
    for name in ["b.txt", "c.txt", "d.txt", "e.txt"] {
        ws.write(&format!("notes/{name}"), "x");
    }
    refused(
        &ws,
        "site",
        &["build", "--out", "../notes"],
        &["a build would replace `a.txt`, `b.txt`, `c.txt`, 2 more"],
        false,
    );
}

#[test]
fn an_output_of_an_older_utmost_gets_a_friendly_way_forward() {
    let ws = Workspace::new();
    std::fs::remove_file(ws.site().join("public/.utmost-output")).unwrap();
    refused(
        &ws,
        "site",
        &["build"],
        &[
            "`public` was not written by this version of utmost",
            "run `utmost build --force` once",
        ],
        false,
    );
    ws.run("site", &["check"]).success();
    ws.run("site", &["build", "--force"]).success();
    ws.run("site", &["build"]).success();
}

#[test]
fn empty_folders_and_folders_of_dotfiles_are_taken_over() {
    let ws = Workspace::new();
    std::fs::create_dir(ws.path().join("empty")).unwrap();
    ws.run("site", &["build", "--out", "../empty"]).success();
    ws.write("dots/.nojekyll", "");
    ws.write(
        "dots/.well-known/security.txt",
        "Contact: mailto:sec@example.com\n",
    );
    ws.run("site", &["build", "--out", "../dots"]).success();
    assert_eq!(
        ws.read("dots/.well-known/security.txt"),
        "Contact: mailto:sec@example.com\n"
    );
    assert!(ws.exists("dots/.nojekyll") && ws.exists("dots/offer/index.html"));
}

#[test]
fn dotfiles_survive_unless_the_site_provides_them() {
    let ws = Workspace::new();
    ws.write("site/public/.nojekyll", "");
    ws.write("site/public/.well-known/assetlinks.json", "user's");
    ws.write("site/public/.env.local", "user's");
    ws.write("site/static/.well-known/assetlinks.json", "site's");
    ws.write("site/public/stale.html", "from the last build");
    ws.run("site", &["build"]).success();
    assert!(ws.exists("site/public/.nojekyll"));
    assert_eq!(ws.read("site/public/.env.local"), "user's");
    assert_eq!(
        ws.read("site/public/.well-known/assetlinks.json"),
        "site's",
        "what the site provides wins"
    );
    assert!(!ws.exists("site/public/stale.html"));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_git_checkout_in_the_output_folder_survives_every_build() {
    let ws = Workspace::new();
    let public = ws.site().join("public");
    std::fs::remove_dir_all(&public).unwrap();
    std::fs::create_dir(&public).unwrap();
    git(&public, &["init", "-q", "-b", "gh-pages"]);
    ws.run("site", &["build"]).success();
    git(&public, &["add", "-A"]);
    git(&public, &["commit", "-q", "-m", "first deploy"]);
    let git_dir = snapshot(&public.join(".git"));
    ws.write(
        "site/content/news/item-03.md",
        "+++\ntitle = \"Item 03\"\n+++\nThird.\n",
    );
    ws.run("site", &["build"]).success();
    assert_intact(&public.join(".git"), &git_dir, "second build");
    ws.run("site", &["build"]).success();
    let status = git(&public, &["status", "--porcelain"]);
    assert!(status.contains("?? news/item-03/"), "{status}");
    assert!(!status.contains(" D "), "nothing deleted: {status}");
    assert!(git(&public, &["log", "--oneline"]).contains("first deploy"));
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleaned_and_never_kept() {
    let ws = Workspace::new();
    ws.write("site/.public.utmost-new/half.html", "half a build");
    ws.write("site/.public.utmost-old/index.html", "an old build");
    ws.write("site/public/.inner.utmost-new/x.html", "a nested leftover");
    ws.run("site", &["build"]).success();
    assert!(!ws.exists("site/.public.utmost-new"));
    assert!(!ws.exists("site/.public.utmost-old"));
    assert!(
        !ws.exists("site/public/.inner.utmost-new"),
        "not carried as a dotfile"
    );
    assert!(!ws.exists("site/public/half.html"));
}

#[test]
fn a_build_killed_between_the_renames_loses_nothing() {
    let ws = Workspace::new();
    let site = ws.site();
    ws.write("site/public/.nojekyll", "");
    // The state a build killed after moving `public` aside leaves: the
    // dotfile carried into the new build, which is not in place yet.
    std::fs::rename(site.join("public"), site.join(".public.utmost-old")).unwrap();
    ws.write("site/.public.utmost-new/index.html", "unfinished");
    std::fs::rename(
        site.join(".public.utmost-old/.nojekyll"),
        site.join(".public.utmost-new/.nojekyll"),
    )
    .unwrap();
    ws.write("site/.public.utmost-carry", ".nojekyll\0");
    ws.run("site", &["build"]).success();
    assert!(ws.exists("site/public/.nojekyll"));
    assert!(
        ws.read("site/public/offer/index.html")
            .contains("<h1>Offer</h1>")
    );
    for leftover in [
        ".public.utmost-new",
        ".public.utmost-old",
        ".public.utmost-carry",
    ] {
        assert!(!ws.exists(&format!("site/{leftover}")), "{leftover}");
    }
}

#[test]
fn a_linked_output_folder_is_written_through_its_link() {
    let ws = Workspace::new();
    std::fs::remove_dir_all(ws.site().join("public")).unwrap();
    std::fs::create_dir(ws.path().join("served")).unwrap();
    symlink(ws.path().join("served"), ws.site().join("public")).unwrap();
    ws.run("site", &["build"]).success();
    ws.run("site", &["build"]).success();
    assert!(ws.site().join("public").is_symlink(), "the link is kept");
    assert!(ws.exists("served/offer/index.html") && ws.exists("served/.utmost-output"));
}
