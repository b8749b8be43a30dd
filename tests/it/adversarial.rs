//! Hostile and broken inputs: each gives a clear error or a correct build,
//! never a panic, a hang or a half-written output directory.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, Run, TestSite};

/// A build that has not ended after this long is hung, not slow (the
/// largest here, a 50 MB page, takes seconds): it is killed and the test
/// fails, rather than hanging the suite. Speed itself is measured by the
/// benchmarks, never asserted here.
const HUNG: Duration = Duration::from_secs(600);

/// Builds, asserting the run ends and does not panic, and that no staging
/// folder is left behind.
#[track_caller]
fn build_ends(site: &TestSite) -> Run {
    let child = common::binary()
        .arg("--root")
        .arg(site.path())
        .arg("build")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run utmost");
    let pid = child.id().to_string();
    let (sender, ended) = mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let Ok(out) = ended.recv_timeout(HUNG) else {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
        panic!("the build has not ended after {HUNG:?}: it hangs");
    };
    let run = Run::from(out.expect("utmost ran"));
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(
        !site.exists(".public.utmost-new") && !site.exists(".public.utmost-old"),
        "staging left behind"
    );
    run
}

#[test]
fn deeply_nested_folders_and_markdown() {
    let site = TestSite::fixture("custom-theme");
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect();
    site.write(
        &format!("content/{deep}page.md"),
        "+++\ntitle = \"Deep\"\n+++\nDeep.\n",
    );
    let nested = format!(
        "{}x\n\n{}y{}\n",
        ">".repeat(20_000),
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    site.write(
        "content/nested.md",
        &format!("+++\ntitle = \"Nested\"\n+++\n{nested}"),
    );
    build_ends(&site).success();
    assert!(site.exists(&format!("public/{deep}page/index.html")));
}

#[test]
fn huge_page_and_huge_front_matter() {
    let site = TestSite::fixture("custom-theme");
    let paragraph = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, [a link](https://example.com).\n\n";
    let body = paragraph.repeat(50 * 1024 * 1024 / paragraph.len());
    site.write(
        "content/huge.md",
        &format!("+++\ntitle = \"Huge\"\n+++\n{body}"),
    );
    let extra: String = (0..100_000).map(|i| format!("k{i} = {i}\n")).collect();
    site.write(
        "content/long-front.md",
        &format!("+++\ntitle = \"Long\"\n[extra]\n{extra}+++\nBody.\n"),
    );
    build_ends(&site).success();
    let huge = std::fs::metadata(site.path().join("public/huge/index.html"))
        .unwrap()
        .len();
    assert!(huge > 50 * 1024 * 1024, "the whole page was rendered");
    assert!(site.read("public/long-front/index.html").contains("Body."));
}

#[test]
fn nul_bytes_and_control_characters() {
    let site = TestSite::fixture("custom-theme");
    site.write(
        "content/nul.md",
        "+++\ntitle = \"N\\u0000ul\"\n+++\nBody \u{0} with NUL \u{1b}[31m and escapes.\n",
    );
    build_ends(&site).success();
    let html = site.read("public/nul/index.html");
    assert!(!html.contains('\u{0}'), "NUL never reaches the page");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_site() {
    let site = TestSite::fixture("custom-theme");
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/news/loop"),
    )
    .unwrap();
    build_ends(&site).success();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\n+++\nsecret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/secret.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/nonexistent/file.md",
        site.path().join("content/dangling.md"),
    )
    .unwrap();
    let run = build_ends(&site);
    run.failure()
        .stderr_has("--> content/secret.md")
        .stderr_has("symbolic link points outside the site")
        .stderr_has("--> content/dangling.md");
}

#[test]
fn unwritable_output_keeps_the_previous_build() {
    let site = TestSite::fixture("custom-theme");
    site.build();
    let before = site.read("public/offer/index.html");
    site.write("blocker", "a file where a folder must go");
    let out = site.path().join("blocker/public");
    let run = site.run(&["build", "--out", out.to_str().unwrap()]);
    run.failure().stderr_has("cannot write the output");
    assert_eq!(site.read("public/offer/index.html"), before);
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_gives_an_error_and_keeps_the_previous_build() {
    let site = TestSite::fixture("custom-theme");
    let disk = site.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=128k", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here (needs root); skipping the full-disk case");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&disk);
    let out = disk.join("public");
    site.run(&["build", "--out", out.to_str().unwrap()])
        .success();
    let before = std::fs::read_to_string(out.join("offer/index.html")).unwrap();
    site.write(
        "content/big.md",
        &format!("+++\ntitle = \"Big\"\n+++\n{}", "x".repeat(200_000)),
    );
    let run = site.run(&["build", "--out", out.to_str().unwrap()]);
    run.failure()
        .stderr_has("cannot write the output")
        .stderr_has("No space left on device");
    assert_eq!(
        std::fs::read_to_string(out.join("offer/index.html")).unwrap(),
        before,
        "previous output intact"
    );
    assert!(
        !disk.join(".public.utmost-new").exists(),
        "the partial build was removed"
    );
}

#[test]
fn files_that_vanish_mid_build() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = TestSite::fixture("custom-theme");
    let root = site.path().to_path_buf();
    std::fs::create_dir_all(root.join("static/churn")).unwrap();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Pages, static files, templates and a bundle appear and vanish while builds run.
        scope.spawn(|| {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let page = root.join(format!("content/churn-{}.md", n % 7));
                let file = root.join(format!("static/churn/{}.txt", n % 5));
                let bundle = root.join(format!("content/bundle-{}", n % 3));
                let template = root.join(format!("templates/churn-{}.html", n % 3));
                if n.is_multiple_of(2) {
                    let _ = std::fs::write(&page, "+++\ntitle = \"Churn\"\n+++\nbody\n");
                    let _ = std::fs::write(&file, "x");
                    let _ = std::fs::write(&template, "<p>{{ page.title }}</p>");
                    let _ = std::fs::create_dir_all(&bundle);
                    let _ = std::fs::write(bundle.join("index.md"), "+++\ntitle = \"B\"\n+++\n");
                    let _ = std::fs::write(bundle.join("photo.txt"), "photo");
                } else {
                    let _ = std::fs::remove_file(&page);
                    let _ = std::fs::remove_file(&file);
                    let _ = std::fs::remove_file(&template);
                    let _ = std::fs::remove_dir_all(&bundle);
                }
                n += 1;
            }
        });
        // A file deleted after the walk listed it is simply absent: every
        // build succeeds, with complete output.
        for _ in 0..30 {
            build_ends(&site).success();
            assert!(site.exists("public/offer/index.html"), "complete output");
        }
        stop.store(true, Ordering::Relaxed);
    });
    build_ends(&site).success();
    assert!(site.exists("public/offer/index.html"));
}
