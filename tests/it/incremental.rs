//! The invariant that keeps preview honest: after any kind of edit, a
//! builder that rebuilds incrementally produces exactly what a fresh full
//! build produces, byte for byte (pages, static files, sitemap, manifest).

use std::path::PathBuf;

use crate::common::{TestSite, assert_same_files, fixture_text, replaced};
use utmost::{BuildOptions, Builder, Changes};

struct Edit {
    name: &'static str,
    /// (path relative to the root, new text; None deletes).
    files: Vec<(&'static str, Option<String>)>,
}

fn edit(name: &'static str, files: Vec<(&'static str, Option<String>)>) -> Edit {
    Edit { name, files }
}

fn options(site: &TestSite) -> BuildOptions {
    BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    }
}

#[track_caller]
fn assert_same(site: &TestSite, builder: &mut Builder, changed: &[PathBuf], what: &str) {
    let progress = utmost::Progress::hidden();
    let incremental = builder.build(&Changes::Paths(changed), &progress);
    let fresh = utmost::build(&options(site), &progress);
    match (incremental, fresh) {
        (Ok(mut a), Ok(mut b)) => {
            // Processed images are read from the cache: made first.
            a.process_images().expect("images made");
            b.process_images().expect("images made");
            let (a_files, b_files) = (a.contents().unwrap(), b.contents().unwrap());
            assert_same_files(
                &a_files,
                &b_files,
                &format!("{what}, against a fresh build"),
            );
            assert_eq!(
                a.manifest().unwrap(),
                b.manifest().unwrap(),
                "{what}: manifest"
            );
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{what}: same errors"),
        (a, b) => panic!(
            "{what}: incremental ok={} but fresh ok={}",
            a.is_ok(),
            b.is_ok()
        ),
    }
}

fn run_edits(fixture: &str, edits: Vec<Edit>) {
    run_edits_on(&TestSite::fixture(fixture), edits);
}

fn run_edits_on(site: &TestSite, edits: Vec<Edit>) {
    let mut builder = Builder::new(options(site));
    let progress = utmost::Progress::hidden();
    builder
        .build(&Changes::Everything, &progress)
        .expect("fixture builds");
    for e in edits {
        let mut changed = Vec::new();
        for (path, text) in &e.files {
            match text {
                Some(t) => {
                    site.write(path, t);
                }
                None => {
                    site.remove(path);
                }
            }
            changed.push(PathBuf::from(path));
        }
        assert_same(site, &mut builder, &changed, e.name);
    }
}

/// Fixture `name`'s `path` as the fixture has it, with `from` replaced.
fn replace(name: &str, path: &str, from: &str, to: &str) -> String {
    replaced(&fixture_text(name, path), from, to)
}

#[test]
fn every_kind_of_edit_matches_a_fresh_build() {
    let f = "custom-theme";
    run_edits(
        f,
        vec![
            edit("body edit", vec![("content/offer.md", Some(replace(f, "content/offer.md", "{{ cta", "New paragraph.\n\n{{ cta")))]),
            edit("summary edit shows in listings", vec![("content/news/item-01.md", Some(replace(f, "content/news/item-01.md", "Summary 01.", "A new summary.")))]),
            edit("title edit shows in listings", vec![("content/news/item-01.md", Some(replace(f, "content/news/item-01.md", "Item 01", "First item")))]),
            edit("section campaign is inherited", vec![("content/news/_index.md", Some("+++\ntitle = \"News\"\ncampaign = \"launch\"\n+++\n".into()))]),
            edit("new page", vec![("content/news/item-03.md", Some("+++\ntitle = \"Item 03\"\ndate = 2026-01-03\n+++\nThree.\n".into()))]),
            edit("slug change", vec![("content/news/item-03.md", Some("+++\ntitle = \"Item 03\"\nslug = \"third\"\ndate = 2026-01-03\n+++\nThree.\n".into()))]),
            edit("deleted page", vec![("content/news/item-03.md", None)]),
            edit("template edit", vec![("themes/plain/templates/base.html", Some(replace(f, "themes/plain/templates/base.html", "<body>", "<body class=\"x\">")))]),
            edit("shortcode edit", vec![("themes/plain/templates/shortcodes/note.html", Some("<aside>{{ body | markdown | safe }}</aside>\n".into()))]),
            edit("shortcode includes a partial", vec![("themes/plain/templates/shortcodes/note.html", Some("<aside>{% include \"parts/mark.html\" %}{{ body | markdown | safe }}</aside>\n".into())), ("themes/plain/templates/parts/mark.html", Some("<b>!</b>".into()))]),
            edit("the partial a shortcode includes", vec![("themes/plain/templates/parts/mark.html", Some("<i>note</i>".into()))]),
            edit("a page template, bodies kept", vec![("themes/plain/templates/page.html", Some(replace(f, "themes/plain/templates/page.html", "{% block body %}", "{% block body %}<p>page</p>")))]),
            edit("site template added", vec![("templates/section.html", Some("{% extends \"base.html\" %}{% block body %}SITE {{ section.title }}{% endblock body %}".into()))]),
            edit("site template removed", vec![("templates/section.html", None)]),
            edit("config edit", vec![("site.toml", Some(replace(f, "site.toml", "title = \"Plain\"", "title = \"Plainer\"")))]),
            edit("static edit", vec![("themes/plain/static/plain.css", Some("body { color: red; }\n".into()))]),
            edit("asset added", vec![("content/news/photo.txt", Some("not really a photo".into()))]),
            edit("draft", vec![("content/news/item-02.md", Some("+++\ntitle = \"Item 02\"\ndraft = true\n+++\n".into()))]),
            edit("variant added", vec![("content/offer.md", Some("+++\ntitle = \"Offer\"\ncampaign = \"launch\"\n[[variants]]\nid = \"c\"\ntitle = \"C\"\n+++\nBody\n".into()))]),
            edit("broken edit", vec![("content/offer.md", Some("+++\ntitle = \"Offer\"\nstage = \"nope\"\n+++\n".into()))]),
            edit("fixed again", vec![("content/offer.md", Some("+++\ntitle = \"Offer fixed\"\ncampaign = \"launch\"\n+++\nBack.\n".into()))]),
            edit("two files at once", vec![
                ("content/news/item-01.md", Some("+++\ntitle = \"One\"\ndate = 2026-01-01\n+++\n1\n".into())),
                ("content/offer.md", Some("+++\ntitle = \"Offer again\"\n+++\n[news](@/news/_index.md)\n".into())),
            ]),
        ],
    );
}

/// A page's edit reuses the templates as parsed, with what was found in
/// them: a broken template stays reported until it is fixed.
#[test]
fn a_broken_template_stays_reported_through_page_edits() {
    let f = "custom-theme";
    let section = "themes/plain/templates/section.html";
    let item = "content/news/item-01.md";
    run_edits(
        f,
        vec![
            edit(
                "template broken",
                vec![(section, Some(replace(f, section, "<h1>", "{% if %}<h1>")))],
            ),
            edit(
                "page edited",
                vec![(item, Some(replace(f, item, "Summary 01.", "Edited.")))],
            ),
            edit(
                "page edited again",
                vec![(item, Some(replace(f, item, "Summary 01.", "Again.")))],
            ),
            edit(
                "template fixed",
                vec![(section, Some(fixture_text(f, section)))],
            ),
            edit(
                "page edited once more",
                vec![(item, Some(replace(f, item, "Summary 01.", "Once more.")))],
            ),
        ],
    );
}

#[test]
fn an_edit_re_renders_only_the_pages_it_touches() {
    let site = TestSite::fixture("custom-theme");
    let progress = utmost::Progress::hidden();
    let mut builder = Builder::new(options(&site));
    let first = builder.build(&Changes::Everything, &progress).unwrap();
    assert_eq!(first.rendered, 6, "home, offer, offer/b, news, two items");
    site.write(
        "content/news/item-01.md",
        &replace(
            "custom-theme",
            "content/news/item-01.md",
            "Rest 01.",
            "Rest one.",
        ),
    );
    let changed = [PathBuf::from("content/news/item-01.md")];
    let again = builder.build(&Changes::Paths(&changed), &progress).unwrap();
    assert_eq!(
        again.rendered, 2,
        "the item and the news section that lists it"
    );
    let nothing = builder.build(&Changes::Paths(&[]), &progress).unwrap();
    assert_eq!(nothing.rendered, 0);
    site.write(
        "themes/plain/templates/base.html",
        "<html><head></head><body>{% block body %}{% endblock body %}</body></html>",
    );
    let changed = [PathBuf::from("themes/plain/templates/base.html")];
    assert_eq!(
        builder
            .build(&Changes::Paths(&changed), &progress)
            .unwrap()
            .rendered,
        6,
        "a template edit renders everything"
    );
}

/// The blog's derived pages follow every edit as a fresh build makes them:
/// term pages, taxonomy lists, feeds, paginated listings and redirects.
#[test]
fn blog_edits_match_a_fresh_build() {
    let f = "blog";
    let first = "content/blog/first.md";
    run_edits(
        f,
        vec![
            // Edits in place: the feeds, the alias pages and _redirects kept
            // while no feed lists the page, remade when one does.
            edit("a body edit of a page no feed lists", vec![("content/about.md", Some(replace(f, "content/about.md", "in no feed.", "in no feed, still.")))]),
            edit("a body edit shows in the feeds at once", vec![(first, Some(replace(f, first, "The rest of it.", "The rest, at once.")))]),
            edit("and again on a page no feed lists", vec![("content/about.md", Some(replace(f, "content/about.md", "in no feed.", "in no feed, again.")))]),
            // What a page runs and loads changes the CSP in _headers.
            edit("an inline style added in place", vec![("content/about.md", Some(replace(f, "content/about.md", "in no feed.", "in no feed.\n\n<p style=\"color: teal\">Teal.</p>")))]),
            edit("and taken away", vec![("content/about.md", Some(fixture_text(f, "content/about.md")))]),
            edit("a tag added", vec![(first, Some(replace(f, first, "tags = [\"Über\", \"News\"]", "tags = [\"Über\", \"News\", \"Fresh\"]")))]),
            edit("a body edit shows in the feeds", vec![(first, Some(replace(f, first, "The rest of it.", "The rest, rewritten.")))]),
            edit("a summary edit shows in term pages", vec![(first, Some(replace(f, first, "Its summary.", "A new summary.")))]),
            edit("a tag removed", vec![(first, Some(replace(f, first, "tags = [\"Über\", \"News\"]", "tags = [\"News\"]")))]),
            edit("a new post moves the pagination", vec![("content/blog/fourth.md", Some("+++\ntitle = \"Fourth\"\ndate = 2026-04-10\ntags = [\"news\"]\n+++\nFour.\n".into()))]),
            edit("an alias added", vec![("content/blog/fourth.md", Some("+++\ntitle = \"Fourth\"\ndate = 2026-04-10\naliases = [\"/4/\"]\n+++\nFour.\n".into()))]),
            edit("a post's date changes the feed's order", vec![("content/blog/fourth.md", Some("+++\ntitle = \"Fourth\"\ndate = 2025-04-10\n+++\nFour.\n".into()))]),
            edit("the post deleted", vec![("content/blog/fourth.md", None)]),
            edit("a section's title shows in its pages' breadcrumbs", vec![("content/edges/one/_index.md", Some(replace(f, "content/edges/one/_index.md", "title = \"One\"", "title = \"Just one\"")))]),
            edit("paginate_by changed", vec![("content/blog/_index.md", Some("+++\ntitle = \"Blog\"\npaginate_by = 1\n+++\n".into()))]),
            edit("a taxonomy's settings", vec![("site.toml", Some(replace(f, "site.toml", "{ name = \"series\" }", "{ name = \"series\", feed = true, paginate_by = 1 }")))]),
            edit("feeds in one format", vec![("site.toml", Some(replace(f, "site.toml", "feed_filenames = [\"atom.xml\", \"rss.xml\"]", "feed_filenames = [\"rss.xml\"]")))]),
        ],
    );
}

/// A page whose template lists a taxonomy's pages (`get_taxonomy`) shows
/// other pages' titles and summaries: an edit in place of one of those
/// pages changes it too, though it is neither a listing nor the page edited.
#[test]
fn a_page_listing_a_taxonomy_follows_edits_in_place() {
    let f = "blog";
    let site = TestSite::fixture(f);
    site.write(
        "templates/tagged.html",
        "{% extends \"page.html\" %}{% block main %}{% set tags = get_taxonomy(kind=\"tags\") %}\
         {% for term in tags.items %}<h2>{{ term.name }}</h2>{% for p in term.pages %}\
         <p>{{ p.title }}: {{ p.summary | safe }}</p>{% endfor %}{% endfor %}{% endblock main %}",
    );
    let about = "content/about.md";
    site.write(
        about,
        &replace(f, about, "+++\n\n", "template = \"tagged.html\"\n+++\n\n"),
    );
    let first = "content/blog/first.md";
    let new_summary = replace(f, first, "Its summary.", "A new summary.");
    let new_title = replaced(&new_summary, "First post", "The first post");
    run_edits_on(
        &site,
        vec![
            edit("a summary edit", vec![(first, Some(new_summary))]),
            edit("then a title edit", vec![(first, Some(new_title))]),
        ],
    );
    let html = site.build().read("public/about/index.html");
    assert!(
        html.contains("The first post: <p>The first post. A new summary."),
        "{html}"
    );
}

/// Edits in place on a site with short links (every one-pager's QR code
/// has one) and printed pages: their pages and `_redirects` follow.
#[test]
fn collateral_edits_in_place_match_a_fresh_build() {
    let f = "collateral";
    let (brief, spring) = ("content/collateral/brief.md", "content/spring.md");
    run_edits(
        f,
        vec![
            edit(
                "a one-pager's body",
                vec![(
                    brief,
                    Some(replace(
                        f,
                        brief,
                        "Empty miles cost money.",
                        "Empty miles cost more.",
                    )),
                )],
            ),
            edit(
                "a landing page's body",
                vec![(
                    spring,
                    Some(replace(f, spring, "Spring.", "Spring, in bloom.")),
                )],
            ),
            edit(
                "a one-pager's short code",
                vec![(
                    brief,
                    Some(replace(
                        f,
                        brief,
                        "personalize = true",
                        "personalize = true\nshort = \"brief\"",
                    )),
                )],
            ),
            edit(
                "its body after",
                vec![(
                    brief,
                    Some(
                        replace(
                            f,
                            brief,
                            "personalize = true",
                            "personalize = true\nshort = \"brief\"",
                        )
                        .replace("Empty miles", "Full miles"),
                    ),
                )],
            ),
        ],
    );
}

/// Edits in place that drop an image and bring it back: the processed
/// images the output lists follow (they are kept while the same).
#[test]
fn image_edits_in_place_match_a_fresh_build() {
    let f = "images";
    let trip = "content/blog/trip/index.md";
    let chart = "![Monthly signups](/images/chart.png)";
    run_edits_on(
        &crate::images::site(),
        vec![
            edit(
                "a word",
                vec![(trip, Some(replace(f, trip, "A hiker", "A walker")))],
            ),
            edit(
                "an image dropped",
                vec![(trip, Some(replace(f, trip, chart, "")))],
            ),
            edit("and back", vec![(trip, Some(fixture_text(f, trip)))]),
        ],
    );
}

#[test]
fn pages_that_read_other_pages_and_data_files_follow_their_edits() {
    let f = "zola-content";
    let reader = "{% extends \"page.html\" %}{% block main %}\
        {% set launch = get_page(path=\"blog/2025/launch.md\") %}{{ launch.content | safe }}\
        {% set blog = get_section(path=\"blog/_index.md\") %}{% for p in blog.pages %}{{ p.title }};{% endfor %}\
        {% set plans = load_data(path=\"data/plans.toml\") %}[{{ plans.team.price }}]{% endblock main %}";
    run_edits(
        f,
        vec![
            edit(
                "data file and a template reading it",
                vec![
                    ("data/plans.toml", Some("[team]\nprice = 49\n".into())),
                    ("templates/doc-page.html", Some(reader.into())),
                ],
            ),
            edit(
                "data edit",
                vec![("data/plans.toml", Some("[team]\nprice = 59\n".into()))],
            ),
            edit(
                "body of a page read elsewhere",
                vec![(
                    "content/blog/2025/launch.md",
                    Some(replace(
                        f,
                        "content/blog/2025/launch.md",
                        "The launch post.",
                        "Launched!",
                    )),
                )],
            ),
            edit(
                "title in a transparent section",
                vec![(
                    "content/blog/2026/roadmap.md",
                    Some(replace(
                        f,
                        "content/blog/2026/roadmap.md",
                        "Roadmap 2026",
                        "Plans for 2026",
                    )),
                )],
            ),
            edit(
                "insert_anchor_links changed",
                vec![(
                    "content/docs/_index.md",
                    Some(replace(
                        f,
                        "content/docs/_index.md",
                        "\"right\"",
                        "\"left\"",
                    )),
                )],
            ),
        ],
    );
    // The edits above were compared on successful builds.
    let site = TestSite::fixture(f);
    site.write("data/plans.toml", "[team]\nprice = 59\n");
    site.write("templates/doc-page.html", reader);
    let html = site.build().read("public/docs/getting-started/index.html");
    assert!(
        html.contains("The launch post.") && html.contains("Roadmap 2026;We launched;[59]"),
        "{html}"
    );
}
