//! Symbolic links that leave the site are refused in every input folder
//! (content, static, templates, themes), at build and in serve, with an
//! error naming the link; links that stay inside the site keep working.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::TestSite;
use crate::common::preview::Preview;
use crate::common::tree::{assert_intact, snapshot};

const OUTSIDE: &str = "symbolic link points outside the site (or nowhere); it is not followed";
const FOLDER: &str = "this folder is a symbolic link to a place outside the site; it is not read";

/// A folder outside the site with a secret file and a secret folder.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::write(
        dir.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\n+++\nTOP SECRET\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    std::fs::write(dir.path().join("folder/inner.txt"), "TOP SECRET").unwrap();
    dir
}

/// Moves the site's folder `rel` outside and leaves a link in its place.
fn move_out(site: &TestSite, rel: &str, away: &Path) {
    let target = away.join(rel.replace('/', "-"));
    std::fs::rename(site.path().join(rel), &target).unwrap();
    symlink(&target, site.path().join(rel)).unwrap();
}

#[test]
fn links_leaving_the_site_are_refused_in_every_input_folder() {
    // (link, what it points at outside: a file, a folder, or the site's own folder moved out, the message)
    let cases: &[(&str, &str, &str)] = &[
        ("static/leak.txt", "secret.txt", OUTSIDE),
        ("static/leak", "folder", OUTSIDE),
        ("templates/leak.html", "secret.txt", OUTSIDE),
        ("themes/plain/static/leak.css", "secret.txt", OUTSIDE),
        (
            "themes/plain/templates/shortcodes/leak.html",
            "secret.txt",
            OUTSIDE,
        ),
        ("content/leak.md", "secret.md", OUTSIDE),
        ("content/news/photo.txt", "secret.txt", OUTSIDE),
        ("content/away", "folder", OUTSIDE),
        ("content/dangling.md", "missing.md", OUTSIDE),
        ("static", "MOVED", FOLDER),
        ("templates", "MOVED", FOLDER),
        ("themes/plain", "MOVED", FOLDER),
        ("themes", "MOVED", FOLDER),
        ("content", "MOVED", FOLDER),
    ];
    for (link, target, message) in cases {
        let site = TestSite::fixture("custom-theme");
        std::fs::create_dir_all(site.path().join("static")).unwrap();
        site.build();
        let away = outside();
        if *target == "MOVED" {
            move_out(&site, link, away.path());
        } else {
            symlink(away.path().join(target), site.path().join(link)).unwrap();
        }
        let (site_before, away_before) = (snapshot(site.path()), snapshot(away.path()));
        let run = site.run(&["build"]);
        run.failure()
            .stderr_has(&format!("--> {link}\n"))
            .stderr_has(message)
            .stderr_has("Nothing was written.");
        assert_intact(site.path(), &site_before, link);
        assert_intact(away.path(), &away_before, link);
        let check = site.run(&["check"]);
        check.failure().stderr_has(&format!("--> {link}\n"));
        assert!(!check.stdout.contains("TOP SECRET") && !run.stdout.contains("TOP SECRET"));
    }
}

#[test]
fn links_inside_the_site_keep_working() {
    let site = TestSite::fixture("custom-theme");
    site.write("static/real.txt", "shared text");
    symlink("real.txt", site.path().join("static/alias.txt")).unwrap();
    site.write("shared/box.html", "<aside>{{ body }}</aside>");
    symlink(
        site.path().join("shared/box.html"),
        site.path()
            .join("themes/plain/templates/shortcodes/box.html"),
    )
    .unwrap();
    site.write(
        "content/boxed.md",
        "+++\ntitle = \"Boxed\"\n+++\n{% box() %}inside{% end %}\n",
    );
    site.build();
    assert_eq!(site.read("public/alias.txt"), "shared text");
    assert!(
        site.read("public/boxed/index.html")
            .contains("<aside>inside</aside>")
    );
}

#[test]
fn serve_never_serves_a_link_swapped_in_while_serving() {
    let site = TestSite::fixture("custom-theme");
    site.write("static/notes.txt", "public notes");
    site.write("content/news/photo.txt", "public photo");
    let preview = Preview::start(&site);
    assert_eq!(preview.get("/notes.txt").body, "public notes");
    assert_eq!(preview.get("/news/photo.txt").body, "public photo");
    let mut events = preview.events();
    assert_eq!(events.next().0, "reload");
    let away = outside();
    for served in ["static/notes.txt", "content/news/photo.txt"] {
        // Swapped in one step, as `ln -sf` or a checkout would.
        let tmp = site.path().join(".swap");
        symlink(away.path().join("secret.txt"), &tmp).unwrap();
        std::fs::rename(&tmp, site.path().join(served)).unwrap();
    }
    // Served from the last good build until the rebuild fails, and after:
    // neither ever reads through the link.
    for path in ["/notes.txt", "/news/photo.txt"] {
        let reply = preview.get(path);
        assert!(!reply.body.contains("TOP SECRET"), "{path}: {}", reply.body);
    }
    let (name, data) = events.next();
    assert_eq!(name, "failed", "{data}");
    assert!(data.contains(OUTSIDE), "{data}");
    for path in ["/notes.txt", "/news/photo.txt"] {
        let reply = preview.get(path);
        assert_eq!(reply.status, 403, "{path}");
        assert!(!reply.body.contains("TOP SECRET"), "{path}");
    }
}
