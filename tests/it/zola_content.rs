//! Content written for Zola builds as it is: front matter where Zola's
//! themes put it, ASCII slugs, Zola's front-matter keys, shortcode escapes
//! and arguments, Markdown shortcodes, and the template functions Zola's
//! templates call.

use crate::common::TestSite;

#[test]
fn slugs_are_ascii_wherever_they_are_made() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/Café Über.md",
        "+++\ntitle = \"Café\"\n+++\n## Qué tal, señor_x?\n",
    );
    site.write("content/Ünïcode Folder/_index.md", "+++\n+++\n");
    site.write(
        "content/Ünïcode Folder/My_Post.md",
        "+++\nslug = \"Spring Offer!\"\n+++\n",
    );
    site.build();
    let cafe = site.read("public/cafe-uber/index.html");
    assert!(cafe.contains("<h2 id=\"que-tal-senor-x\">"), "{cafe}");
    assert!(site.exists("public/unicode-folder/spring-offer/index.html"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains('é') && !sitemap.contains('Ü'),
        "{sitemap}"
    );
}

#[test]
fn front_matter_after_blank_lines_and_spaces_is_never_body_text() {
    let site = TestSite::built("zola-content");
    for page in [
        "public/index.html",
        "public/themes/index.html",
        "public/themes/cafe-uber/index.html",
        "public/themes/paper-mod/index.html",
    ] {
        let html = site.read(page);
        for leaked in ["+++", "template =", "[extra]", "sort_by"] {
            assert!(!html.contains(leaked), "{page} shows {leaked:?}:\n{html}");
        }
    }
    let theme = site.read("public/themes/cafe-uber/index.html");
    assert!(theme.contains("tpl-theme"), "the front matter's template");
    assert!(
        theme.contains("<h1 id=\"cafe-uber\">Café Über</h1>"),
        "{theme}"
    );
}

#[test]
fn zola_section_keys_mean_what_they_mean_in_zola() {
    let site = TestSite::built("zola-content");
    // transparent: the posts of blog/2025/ and blog/2026/ are the blog's,
    // newest first; render = false: blog/2026/ itself is not written.
    let blog = site.read("public/blog/index.html");
    let newest = blog.find("Roadmap 2026").expect("2026's post listed");
    let older = blog.find("We launched").expect("2025's post listed");
    assert!(newest < older, "{blog}");
    assert!(site.exists("public/blog/2026/roadmap/index.html"));
    assert!(!site.exists("public/blog/2026/index.html"));
    // insert_anchor_links: on the section's pages, not on its subsections'.
    let started = site.read("public/docs/getting-started/index.html");
    assert!(
        started.contains("Install <code>utmost</code><a class=\"zola-anchor\" href=\"#install-utmost\" aria-label=\"Anchor link for: install-utmost\">🔗</a></h2>"),
        "{started}"
    );
    let pages = site.read("public/docs/content/pages/index.html");
    assert!(
        pages.contains("<h2 id=\"front-matter\">Front matter</h2>"),
        "{pages}"
    );
    // page_template: the nearest section's, from two levels up.
    assert!(pages.contains("tpl-doc-page"), "{pages}");
}

#[test]
fn pages_that_are_not_rendered_are_not_written_nor_linked() {
    let site = TestSite::built("zola-content");
    assert!(!site.exists("public/snippets"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains("snippets") && !sitemap.contains("/blog/2026/<"),
        "{sitemap}"
    );
    let manifest = site.manifest().to_string();
    assert!(!manifest.contains("snippets/footer"), "{manifest}");
    site.write(
        "content/docs/getting-started.md",
        "+++\ntitle = \"Getting started\"\n+++\nSee [the footer](@/snippets/footer.md).\n",
    );
    insta::assert_snapshot!(site.build_errors(), @r"
    error: `@/snippets/footer.md` is not written: its front matter says `render = false`
     --> content/docs/getting-started.md:4:5
      |
    4 | See [the footer](@/snippets/footer.md).
      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      = help: link to a page that is written, or let this one be (remove `render = false`)

    build failed: 1 broken link
    Nothing was written.
    ");
}

#[test]
fn updated_and_authors_reach_templates_and_the_sitemap() {
    let site = TestSite::fixture("zola-content");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block body_class %}p{% endblock body_class %}{% block main %}\
         {{ page.authors | join(sep=\" & \") }} / {% if page.updated %}{{ page.updated }}{% else %}never{% endif %}\
         {% endblock main %}",
    );
    site.build();
    let launch = site.read("public/blog/2025/launch/index.html");
    assert!(
        launch.contains("Ana Lima &amp; Bo Chen / 2025-07-15"),
        "{launch}"
    );
    let roadmap = site.read("public/blog/2026/roadmap/index.html");
    assert!(roadmap.contains("Ana Lima / never"), "{roadmap}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("/blog/2025/launch/</loc>\n    <lastmod>2025-07-15</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn shortcode_escapes_arrays_and_markdown_shortcodes_work_as_in_zola() {
    let site = TestSite::built("zola-content");
    let html = site.read("public/docs/content/shortcodes/index.html");
    // Escapes print the call, in text and in code, and never run it.
    assert!(
        html.contains("<code>{{ gif(sources=[\"a.mp4\"]) }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("{% tip(title=\"Careful\") %}\nText.\n{% end %}\n</code>"),
        "{html}"
    );
    // Arrays, nested too, reach the template as lists.
    assert!(
        html.contains("<source src=\"/clip.mp4\"><source src=\"/clip.webm\"></video>"),
        "{html}"
    );
    assert!(html.contains("640x360 320x180"), "{html}");
    // A Markdown shortcode's output is Markdown, parsed with the page;
    // `nth` counts the calls of each shortcode.
    assert!(
        html.contains("<blockquote>\n<p><strong>Careful (1):</strong> Shortcodes are <em>Markdown</em> here, and {{ gif() }} stays literal.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>Again (2):</strong> Second."),
        "{html}"
    );
}

#[test]
fn zola_template_functions_read_the_site() {
    let site = TestSite::fixture("zola-content");
    site.write("data/plans.toml", "[team]\nprice = 49\n");
    site.write("data/rows.csv", "plan,price\nteam,49\n\"big, co\",99\n");
    site.write("data/team.yml", "people:\n  - name: Ana\n");
    site.write("content/docs/data.json", "{\"tags\": [\"a\", \"b\"]}");
    site.write("static/app.js", "console.log(1);\n");
    site.write(
        "templates/doc-page.html",
        "{% extends \"page.html\" %}{% block main %}\
         {% set launch = get_page(path=\"blog/2025/launch.md\") %}[{{ launch.title }}|{{ launch.content | safe }}|{{ launch.content | striptags | trim }}|{{ launch.title | urlencode }}]\
         {% set docs = get_section(path=\"@/docs/_index.md\") %}[{% for p in docs.pages %}{{ p.title }};{% endfor %}]\
         {% set meta = get_section(path=\"docs/_index.md\", metadata_only=true) %}[{{ meta.pages | length }}]\
         {% set plans = load_data(path=\"data/plans.toml\") %}[{{ plans.team.price }}]\
         {% set rows = load_data(path=\"data/rows.csv\") %}[{{ rows.headers | join(sep=\",\") }}|{{ rows.records[1][0] }}]\
         {% set tags = load_data(path=\"@/docs/data.json\") %}[{{ tags.tags | join(sep=\"+\") }}]\
         {% set team = load_data(path=\"data/team.yml\") %}[{{ team.people[0].name }}]\
         {% set gone = load_data(path=\"data/nope.toml\", required=false) %}[{{ gone is none }}]\
         [{{ now() | date(format=\"%Y\") | length }}|{{ now(timestamp=true) > 1700000000 }}]\
         [{{ \"Hi *there*\" | markdown(inline=true) }}|{{ \"Hi\" | markdown }}]\
         [{{ get_url(path=\"app.js\", cachebust=true) }}]\
         {% endblock main %}",
    );
    site.build();
    let html = site.read("public/docs/getting-started/index.html");
    assert!(
        html.contains("[We launched|<p>The launch post.</p>\n|The launch post.|We%20launched]"),
        "{html}"
    );
    assert!(
        html.contains("[Getting started;]") || html.contains("[Getting started;"),
        "{html}"
    );
    assert!(
        html.contains("[0][49][plan,price|big, co][a+b][Ana][true][4|true]"),
        "{html}"
    );
    assert!(html.contains("[Hi <em>there</em>|<p>Hi</p>\n]"), "{html}");
    let bust = html.split("[/app.js?h=").nth(1).expect("cachebust query");
    assert!(bust.starts_with(|c: char| c.is_ascii_hexdigit()), "{html}");
    // Each names what is wrong, where.
    for (call, message) in [
        (
            "get_page(path=\"blog/lanch.md\")",
            "unknown page `@/blog/lanch.md`",
        ),
        (
            "get_page(path=\"docs/_index.md\")",
            "is a section: use `get_section`",
        ),
        (
            "load_data(path=\"../x.toml\")",
            "is not a path inside the site",
        ),
        (
            "load_data(path=\"data/none.toml\")",
            "no file `data/none.toml` in the site",
        ),
        (
            "load_data(url=\"https://x.example/a.json\")",
            "utmost builds offline",
        ),
    ] {
        site.write(
            "templates/doc-page.html",
            &format!("{{% extends \"page.html\" %}}{{% block main %}}{{{{ {call} }}}}{{% endblock main %}}"),
        );
        let errors = site.build_errors();
        assert!(errors.contains(message), "{call}: {errors}");
    }
}

#[test]
fn shortcodes_nest_in_bodies_and_errors_point_into_them() {
    let site = TestSite::fixture("zola-content");
    site.write(
        "templates/shortcodes/box.html",
        "<div class=\"box\">{{ body | markdown | safe }}</div>",
    );
    site.write("templates/shortcodes/mark.html", "<mark>{{ body }}</mark>");
    site.write(
        "content/docs/getting-started.md",
        "+++\ntitle = \"Getting started\"\n+++\n{% box() %}\nSee {% mark() %}this{% end %} and {{/* mark() */}}.\n{% end %}\n",
    );
    site.build();
    let html = site.read("public/docs/getting-started/index.html");
    assert!(
        html.contains("<div class=\"box\"><p>See <mark>this</mark> and {{ mark() }}.</p>\n</div>"),
        "{html}"
    );
    site.write(
        "content/docs/getting-started.md",
        "+++\ntitle = \"Getting started\"\n+++\n{% box() %}\nSee {{ marc() }}.\n{% end %}\n",
    );
    insta::assert_snapshot!(site.build_errors(), @r"
    error: unknown shortcode `marc`
     --> content/docs/getting-started.md:5:5
      |
    5 | See {{ marc() }}.
      |     ^^^^^^^^^^^^
      = help: did you mean `mark`?

    build failed: 1 shortcode error
    Nothing was written.
    ");
}
