//! Each pipeline stage on a generated 2,000-page site (divan; `cargo bench`).
//! The site uses the plain test theme so that the numbers measure utmost,
//! not a theme. For peer comparisons at 1k-50k pages see BENCHMARKS.md.

use std::path::{Path, PathBuf};

use utmost::Progress;
use utmost::{BuildOptions, Builder, Changes};

fn main() {
    divan::main();
}

const PAGES: usize = 2_000;

/// A site like a marketing site: 10 sections, pages of ~3 KB with links,
/// lists, a table and front matter, each section's pages linking around.
fn site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("utmost-bench-{PAGES}"));
        // The theme and site.toml are copied on every run, so that a copy
        // left by an older checkout never stands in for the fixture's.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-theme");
        for sub in ["themes/plain/templates/shortcodes", "themes/plain/static", "templates", "content"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for file in ["site.toml", "themes/plain/templates/base.html", "themes/plain/templates/page.html", "themes/plain/templates/section.html", "themes/plain/templates/shortcodes/cta.html", "themes/plain/templates/shortcodes/note.html", "themes/plain/static/plain.css"] {
            std::fs::copy(fixture.join(file), dir.join(file)).unwrap();
        }
        if dir.join("content/_index.md").exists() {
            return dir;
        }
        std::fs::write(dir.join("content/_index.md"), "+++\ntitle = \"Home\"\n+++\n").unwrap();
        for s in 0..10 {
            std::fs::create_dir_all(dir.join(format!("content/s{s}"))).unwrap();
            std::fs::write(dir.join(format!("content/s{s}/_index.md")), format!("+++\ntitle = \"Section {s}\"\ncampaign = \"launch\"\n+++\nIntro.\n")).unwrap();
        }
        for p in 0..PAGES {
            let body = format!(
                "## Why it matters\n\nTeams that plan routes see *fewer* empty miles and [better margins](@/s{}/p{}.md).\n\n- one\n- two\n- three\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{}",
                (p + 1) % 10,
                (p + 1) % PAGES,
                "A paragraph of marketing copy that explains the product in plain words. ".repeat(30)
            );
            let front = format!("+++\ntitle = \"Page {p}\"\ndescription = \"About page {p}\"\ndate = 2026-01-{:02}\n+++\n", p % 28 + 1);
            std::fs::write(dir.join(format!("content/s{}/p{p}.md", p % 10)), front + &body).unwrap();
        }
        dir
    })
}

/// The same pages through the embedded default theme, as a real site
/// builds: forms with their attribution fields and script, JSON-LD, the
/// CSP scan of every page; every tenth page a one-pager with its QR code.
fn default_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("utmost-bench-default-{PAGES}"));
        if dir.join("site.toml").exists() {
            return dir;
        }
        let plain = site();
        for entry in walkdir::WalkDir::new(plain.join("content")) {
            let entry = entry.unwrap();
            let to = dir.join(entry.path().strip_prefix(plain).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
                continue;
            }
            let mut text = std::fs::read_to_string(entry.path()).unwrap();
            let name = entry.file_name().to_string_lossy();
            if name.ends_with("0.md") && name.starts_with('p') {
                text = text.replacen("+++\n", "+++\ntemplate = \"one-pager.html\"\n", 1);
            }
            std::fs::write(to, text).unwrap();
        }
        std::fs::write(dir.join("site.toml"), DEFAULT_SITE_TOML).unwrap();
        dir
    })
}

const DEFAULT_SITE_TOML: &str = r#"title = "Bench"
base_url = "https://www.bench.example"

[campaigns.launch]
name = "Launch"
utm_campaign = "launch_2026"
channels = [ { source = "linkedin", medium = "paid-social" } ]

[forms.contact]
provider = "netlify"
fields = [ { name = "email", type = "email", required = true } ]

[reps.alex]
name = "Alex Example"
"#;

fn options() -> BuildOptions {
    BuildOptions {
        root: site().to_path_buf(),
        ..BuildOptions::default()
    }
}

#[divan::bench(sample_count = 10)]
fn full_build_in_memory() {
    utmost::build(&options(), &Progress::hidden()).unwrap();
}

#[divan::bench(sample_count = 10)]
fn full_build_default_theme() {
    let opts = BuildOptions {
        root: default_site().to_path_buf(),
        ..BuildOptions::default()
    };
    utmost::build(&opts, &Progress::hidden()).unwrap();
}

/// Reading site.toml and content/ and assembling the site: the stage
/// before rendering.
#[divan::bench(sample_count = 10)]
fn assemble_site() -> usize {
    utmost::fuzzing::assemble(default_site()).unwrap()
}

/// What every finished page goes through: its facts (forms, noindex, CSP
/// sources) and the script-URL check, on a default-theme landing page.
#[divan::bench]
fn page_scans(bencher: divan::Bencher) {
    let opts = BuildOptions {
        root: default_site().to_path_buf(),
        ..BuildOptions::default()
    };
    let built = utmost::build(&opts, &Progress::hidden()).unwrap();
    let pages = built.contents().unwrap();
    let html = String::from_utf8(pages["s1/p1/index.html"].clone()).unwrap();
    bencher.bench(|| utmost::fuzzing::page_scans(&html));
}

/// A one-pager's QR code: a short link, as the one-pagers print.
#[divan::bench]
fn qr_code() -> String {
    utmost::fuzzing::qr_code("https://www.tailwind-cargo-co.example/go/k7m2xq/").unwrap()
}

#[divan::bench(sample_count = 10)]
fn full_build_and_write(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        out: Some(out.path().join("public")),
        ..options()
    };
    bencher.bench(|| utmost::build_and_write(&opts, &Progress::hidden()).unwrap());
}

#[divan::bench(sample_count = 20)]
fn rebuild_after_one_edit(bencher: divan::Bencher) {
    let mut builder = Builder::new(options());
    builder
        .build(&Changes::Everything, &Progress::hidden())
        .unwrap();
    let file = site().join("content/s3/p3.md");
    let changed = [PathBuf::from("content/s3/p3.md")];
    let original = std::fs::read_to_string(&file).unwrap();
    let mut n = 0;
    bencher.bench_local(|| {
        n += 1;
        std::fs::write(&file, format!("{original}\nEdit {n}.\n")).unwrap();
        builder
            .build(&Changes::Paths(&changed), &Progress::hidden())
            .unwrap()
    });
    std::fs::write(&file, original).unwrap();
}

/// The preview after a template edit no shortcode reaches: every page is
/// rendered again, every Markdown body reused (`serve` serves the open
/// page before this finishes; this is its edit → settled).
#[divan::bench(sample_count = 10)]
fn rebuild_after_a_template_edit(bencher: divan::Bencher) {
    let mut builder = Builder::new(options());
    builder
        .build(&Changes::Everything, &Progress::hidden())
        .unwrap();
    let rel = "themes/plain/templates/page.html";
    let (file, changed) = (site().join(rel), [PathBuf::from(rel)]);
    let original = std::fs::read_to_string(&file).unwrap();
    assert!(
        original.contains("{% block body %}"),
        "{rel} has the block this edits"
    );
    let mut n = 0;
    bencher.bench_local(|| {
        n += 1;
        let edited = original.replace("{% block body %}", &format!("{{% block body %}}<i>{n}</i>"));
        std::fs::write(&file, edited).unwrap();
        builder
            .build(&Changes::Paths(&changed), &Progress::hidden())
            .unwrap()
    });
    std::fs::write(&file, original).unwrap();
}

#[divan::bench]
fn parse_front_matter_and_body(bencher: divan::Bencher) {
    let text = std::fs::read_to_string(site().join("content/s1/p1.md")).unwrap();
    bencher.bench(|| utmost::fuzzing::front_matter(&text).unwrap());
}

#[divan::bench]
fn markdown_page(bencher: divan::Bencher) {
    let text = std::fs::read_to_string(site().join("content/s1/p1.md")).unwrap();
    bencher.bench(|| utmost::fuzzing::markdown(&text));
}

/// Fenced code in four languages, highlighted (the grammars are loaded
/// and their patterns compiled in the first iterations; what a first use
/// costs is in BENCHMARKS.md, measured on the binary with hyperfine).
#[divan::bench]
fn markdown_with_highlighted_code(bencher: divan::Bencher) {
    let text = "\
        ```bash\nfor f in *.md; do echo \"$f\" | sed -e 's/a/b/'; done\n```\n\n\
        ```json\n{\"a\": [1, 2, {\"b\": null}], \"c\": \"d\"}\n```\n\n\
        ```rust\nfn main() {\n    let x: Vec<u8> = vec![1, 2];\n    println!(\"{x:?}\");\n}\n```\n\n\
        ```python\ndef f(x):\n    return [i for i in x if i]\n```\n";
    bencher.bench(|| utmost::fuzzing::markdown(text));
}

/// Code that makes a backtracking engine stall: a 20,000-character word in
/// a TOML block (Oniguruma: 4.6 s) and nested Makefile expansions. What
/// keeps the regex engine fancy-regex (see src/markdown/highlight.rs).
#[divan::bench(sample_count = 10)]
fn markdown_with_hostile_code(bencher: divan::Bencher) {
    let make = "FOO:=$($(A_PATH) $(A_PATH)) $($(B_PATH) $($(C_PATH) $(D_PATH)))\n".repeat(30);
    let text = format!(
        "```toml\n{}\n```\n\n```makefile\n{make}```\n",
        "a".repeat(20_000)
    );
    bencher.bench(|| utmost::fuzzing::markdown(&text));
}

#[divan::bench]
fn parse_site_toml(bencher: divan::Bencher) {
    let text = std::fs::read_to_string(site().join("site.toml")).unwrap();
    bencher.bench(|| utmost::fuzzing::site_toml(&text));
}
