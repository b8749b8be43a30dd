//! A blog as Zola builds one, on tests/fixtures/blog: paginated sections
//! at every edge, taxonomy list and term pages (terms equal but for case
//! are one), feeds read back by a maintained feed parser (`feed-rs`), the
//! redirect pages of aliases, listings' first pages and `redirect_to`, and
//! the JSON-LD of each kind of page. The mistakes a user can make with
//! them are in `blog_errors`.

use crate::common::{TestSite, replaced};

/// The root-relative paths a listing page links its posts to, in order.
fn listed(html: &str) -> Vec<&str> {
    html.split("<h2 class=\"post-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The value of `<link rel="{rel}" href="…">` in a page's head.
fn head_link<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let at = html.find(&format!("<link rel=\"{rel}\" href=\""))?;
    let rest = &html[at..].split_once("href=\"")?.1;
    rest.split('"').next()
}

/// The path of the page of a term, found on the taxonomy's list page by
/// its name (its slug is the slug rule's to decide).
fn term_path(site: &TestSite, taxonomy: &str, name: &str) -> String {
    let list = site.read(&format!("public/{taxonomy}/index.html"));
    let link = format!("\">{name}</a>");
    let end = list
        .find(&link)
        .unwrap_or_else(|| panic!("no term {name}:\n{list}"));
    let start = list[..end].rfind("href=\"").expect("a link") + "href=\"".len();
    list[start..end].to_string()
}

#[test]
fn paginated_sections_at_every_edge() {
    let site = TestSite::built("blog");
    let written = site.written();
    let pages = |prefix: &str| -> Vec<&str> {
        (written.iter().map(String::as_str))
            .filter(|f| f.starts_with(prefix) && f.ends_with("index.html"))
            .collect()
    };
    // N+1 posts at N = 2: two pages, and page 1 redirects to the first.
    let blog = site.read("public/blog/index.html");
    assert_eq!(listed(&blog), ["/blog/third/", "/blog/second/"]);
    assert_eq!(
        head_link(&blog, "next"),
        Some("https://blog.example/blog/page/2/")
    );
    assert_eq!(head_link(&blog, "prev"), None);
    assert!(blog.contains("Two posts a page."), "the intro on page 1");
    let second = site.read("public/blog/page/2/index.html");
    assert_eq!(listed(&second), ["/blog/first/"]);
    assert_eq!(
        head_link(&second, "prev"),
        Some("https://blog.example/blog/")
    );
    assert_eq!(
        head_link(&second, "canonical"),
        Some("https://blog.example/blog/page/2/")
    );
    assert!(second.contains("<title>Blog · Blog &amp; Co · Page 2</title>"));
    assert!(second.contains("Page 2 of 2"), "{second}");
    assert!(
        !second.contains("Two posts a page."),
        "the intro only on page 1"
    );
    assert!(!site.exists("public/blog/page/3/index.html"));
    let redirect = site.read("public/blog/page/1/index.html");
    assert!(redirect.contains("<link rel=\"canonical\" href=\"https://blog.example/blog/\">"));
    // 0 pages: one page, saying so; 1 page: one page, no pager links.
    assert_eq!(
        pages("edges/zero/"),
        ["edges/zero/index.html", "edges/zero/page/1/index.html"]
    );
    assert!(
        site.read("public/edges/zero/index.html")
            .contains("Nothing here yet")
    );
    let one = site.read("public/edges/one/index.html");
    assert_eq!(listed(&one), ["/edges/one/only/"]);
    assert!(!one.contains("class=\"pagination\"") && head_link(&one, "next").is_none());
    // Exactly N, reversed, under `paginate_path = "seite"`: one page.
    let exact = site.read("public/edges/exact/index.html");
    assert_eq!(
        listed(&exact),
        ["/edges/exact/beta/", "/edges/exact/alpha/"]
    );
    assert!(site.exists("public/edges/exact/seite/1/index.html"));
    assert!(!site.exists("public/edges/exact/seite/2/index.html"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://blog.example/blog/page/2/</loc>"));
    assert!(
        !sitemap.contains("/page/1/") && !sitemap.contains("seite"),
        "{sitemap}"
    );
}

#[test]
fn taxonomies_have_a_list_page_and_a_page_per_term() {
    let site = TestSite::built("blog");
    let tags = site.read("public/tags/index.html");
    assert!(tags.contains("<h1>Tags</h1>"), "{tags}");
    // `Über` and `über` are one term, named as sorted first; `News` and
    // `news` too.
    let uber = term_path(&site, "tags", "Über");
    assert!(!tags.contains(">über</a>"), "{tags}");
    let news = term_path(&site, "tags", "News");
    assert_eq!(news, "/tags/news/");
    let term = site.read(&format!("public{uber}index.html"));
    assert_eq!(
        listed(&term),
        ["/blog/second/", "/blog/first/"],
        "newest first"
    );
    assert!(
        term.contains("<a href=\"/tags/\">Tags</a>"),
        "back to the list"
    );
    // `paginate_by = 2` on tags: news has 2 pages, so one page of them.
    let news_page = site.read("public/tags/news/index.html");
    assert_eq!(listed(&news_page), ["/blog/third/", "/blog/first/"]);
    assert!(site.exists("public/tags/news/page/1/index.html"));
    // A declared taxonomy from `[taxonomies]`, with the default templates.
    let series = site.read("public/series/getting-started/index.html");
    assert_eq!(listed(&series), ["/blog/third/", "/blog/second/"]);
    // Tag chips on a page link to their term's page.
    let first = site.read("public/blog/first/index.html");
    assert!(
        first.contains(&format!("<a class=\"tag\" href=\"{uber}\">Über</a>")),
        "{first}"
    );
    assert!(first.contains("<a class=\"tag\" href=\"/tags/news/\">News</a>"));
    let manifest = site.manifest();
    let term_record = (manifest["pages"].as_array().unwrap().iter())
        .find(|p| p["path"] == "/tags/news/")
        .expect("the term's page is in the manifest");
    assert_eq!(term_record["source"], serde_json::Value::Null);
    assert_eq!(term_record["template"], "taxonomy_single.html");
}

/// A feed of fixture blog, parsed by feed-rs: its entries' titles and
/// links.
fn read_feed(site: &TestSite, path: &str) -> Vec<(String, String)> {
    let xml = site.read(&format!("public/{path}"));
    let feed = feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{path} is no valid feed: {e}\n{xml}"));
    (feed.entries.iter())
        .map(|e| {
            let title = e
                .title
                .as_ref()
                .map_or(String::new(), |t| t.content.clone());
            (title, e.links[0].href.clone())
        })
        .collect()
}

#[test]
fn feeds_are_valid_and_their_links_carry_the_campaign() {
    let site = TestSite::built("blog");
    let tagged = |path: &str, campaign: &str| {
        format!("https://blog.example{path}?utm_source=feed&utm_medium=rss&utm_campaign={campaign}")
    };
    let expected = vec![
        (
            "Third post".to_string(),
            tagged("/blog/third/", "content_2026"),
        ),
        (
            "Second <post> & \"more\"".into(),
            tagged("/blog/second/", "launch"),
        ),
        ("First post".into(), tagged("/blog/first/", "content_2026")),
    ];
    for format in ["atom.xml", "rss.xml"] {
        assert_eq!(read_feed(&site, format), expected, "{format}");
        assert_eq!(read_feed(&site, &format!("blog/{format}")), expected);
        let news = read_feed(&site, &format!("tags/news/{format}"));
        assert_eq!(news, [expected[0].clone(), expected[2].clone()]);
    }
    let atom = feed_rs::parser::parse(site.read("public/atom.xml").as_bytes()).unwrap();
    let third = &atom.entries[0];
    assert_eq!(
        third.updated.unwrap().to_rfc3339(),
        "2026-03-20T00:00:00+00:00"
    );
    assert_eq!(
        third.published.unwrap().to_rfc3339(),
        "2026-03-10T00:00:00+00:00"
    );
    assert_eq!(third.authors[0].name.as_deref(), Some("Ana Lima"));
    assert_eq!(
        atom.updated.unwrap().to_rfc3339(),
        "2026-03-20T00:00:00+00:00"
    );
    let first = &atom.entries[2];
    assert_eq!(
        first.id, "https://blog.example/blog/first/",
        "ids stay bare"
    );
    let summary = first.summary.as_ref().expect("a summary").content.clone();
    assert!(summary.contains("Its summary.") && !summary.contains("The rest"));
    let content = first.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("The rest of it."), "{content}");
    let second = atom.entries[1]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(
        second.contains("<a href=\"https://blog.example/about/\">about us</a>"),
        "links are absolute, for readers and newsletters: {second}"
    );
    let categories: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, ["Über", "News"]);
    // Every page's head links the site's feeds; a post its section's too.
    let post = site.read("public/blog/first/index.html");
    for href in [
        "https://blog.example/atom.xml",
        "https://blog.example/rss.xml",
        "https://blog.example/blog/atom.xml",
    ] {
        assert!(post.contains(&format!("href=\"{href}\">")), "{href}");
    }
    let about = site.read("public/about/index.html");
    assert!(!about.contains("blog/atom.xml"), "not in the blog section");
    assert!(
        !site.exists("public/series/getting-started/atom.xml"),
        "no `feed`"
    );
}

#[test]
fn feed_limit_and_switching_feeds_off() {
    let site = TestSite::fixture("blog");
    site.edit("site.toml", "feed_limit = 3", "feed_limit = 1");
    site.build();
    let titles: Vec<String> = read_feed(&site, "rss.xml")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(titles, ["Third post"]);
    site.edit("site.toml", "feed_limit = 1", "feed = false");
    site.build();
    let feeds: Vec<String> = (site.written().into_iter())
        .filter(|f| f.ends_with(".xml") && f != "sitemap.xml")
        .collect();
    assert!(feeds.is_empty(), "{feeds:?}");
    let home = site.read("public/index.html");
    assert!(
        !home.contains("application/atom+xml"),
        "no link to a feed not written"
    );
}

#[test]
fn aliases_and_redirecting_sections_are_redirect_pages() {
    let site = TestSite::built("blog");
    for (file, to) in [
        ("about-us/index.html", "https://blog.example/about/"),
        ("old/about.html", "https://blog.example/about/"),
        (
            "2026/second/index.html",
            "https://blog.example/blog/second/",
        ),
        ("old-blog/index.html", "https://blog.example/blog/"),
        ("blog/page/1/index.html", "https://blog.example/blog/"),
    ] {
        let html = site.read(&format!("public/{file}"));
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{to}\">")),
            "{file}"
        );
        assert!(
            html.contains(&format!("content=\"0; url={to}\"")),
            "{file}: meta refresh"
        );
        assert!(
            html.contains(&format!("<a href=\"{to}\">")),
            "{file}: a plain link"
        );
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{file}"
        );
    }
    let second = site.read("public/2026/second/index.html");
    assert!(second.contains("<meta name=\"campaign\" content=\"launch\">"));
    let sitemap = site.read("public/sitemap.xml");
    for gone in ["about-us", "old/about", "/2026/", "old-blog"] {
        assert!(!sitemap.contains(gone), "{gone} in the sitemap");
    }
    let manifest = site.manifest();
    let redirects: Vec<(&str, &str, &str)> = (manifest["redirects"].as_array().unwrap().iter())
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap();
            (s("from"), s("to"), s("kind"))
        })
        .collect();
    let blog = "https://blog.example/blog/";
    let about = "https://blog.example/about/";
    assert_eq!(
        redirects,
        [
            ("/blog/page/1/", blog, "first-page"),
            (
                "/edges/exact/seite/1/",
                "https://blog.example/edges/exact/",
                "first-page"
            ),
            (
                "/edges/one/page/1/",
                "https://blog.example/edges/one/",
                "first-page"
            ),
            (
                "/edges/zero/page/1/",
                "https://blog.example/edges/zero/",
                "first-page"
            ),
            ("/old-blog/", blog, "section"),
            (
                "/tags/news/page/1/",
                "https://blog.example/tags/news/",
                "first-page"
            ),
            (
                &*format!("{}page/1/", term_path(&site, "tags", "Über")),
                &*format!("https://blog.example{}", term_path(&site, "tags", "Über")),
                "first-page"
            ),
            ("/about-us/", about, "alias"),
            ("/old/about.html", about, "alias"),
            (
                "/2026/second/",
                "https://blog.example/blog/second/",
                "alias"
            ),
        ]
    );
    let pages = manifest["pages"].as_array().unwrap();
    assert!(
        !pages.iter().any(|p| p["path"] == "/old-blog/"),
        "a redirect is no page"
    );
}

/// The JSON-LD of a built page, parsed.
fn json_ld(site: &TestSite, page: &str) -> serde_json::Value {
    let html = site.read(&format!("public/{page}"));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("{page}: {e}"))
}

fn types(data: &serde_json::Value) -> Vec<&str> {
    (data["@graph"].as_array().unwrap().iter())
        .map(|n| n["@type"].as_str().unwrap())
        .collect()
}

#[test]
fn json_ld_says_what_each_page_is() {
    let site = TestSite::fixture("blog");
    site.write(
        "content/pricing.md",
        "+++\ntitle = \"Team plan\"\ndescription = \"</script><b>\"\n[extra]\nprice = \"49.90\"\ncurrency = \"EUR\"\n+++\n",
    );
    site.build();
    let home = json_ld(&site, "index.html");
    assert_eq!(types(&home), ["Organization"]);
    assert_eq!(home["@graph"][0]["name"], "Blog & Co");
    assert_eq!(home["@graph"][0]["description"], "Posts, tags and feeds.");
    let post = json_ld(&site, "blog/second/index.html");
    assert_eq!(types(&post), ["BreadcrumbList", "BlogPosting"]);
    let crumbs: Vec<&str> = (post["@graph"][0]["itemListElement"]
        .as_array()
        .unwrap()
        .iter())
    .map(|i| i["name"].as_str().unwrap())
    .collect();
    assert_eq!(crumbs, ["Blog & Co", "Blog", "Second <post> & \"more\""]);
    let posting = &post["@graph"][1];
    assert_eq!(posting["headline"], "Second <post> & \"more\"");
    assert_eq!(posting["datePublished"], "2026-02-10");
    assert_eq!(posting["url"], "https://blog.example/blog/second/");
    assert_eq!(
        posting["author"]["@type"], "Organization",
        "no authors: the site"
    );
    let third = json_ld(&site, "blog/third/index.html");
    assert_eq!(third["@graph"][1]["dateModified"], "2026-03-20");
    assert_eq!(
        third["@graph"][1]["author"][0],
        serde_json::json!({ "@type": "Person", "name": "Ana Lima" })
    );
    let pricing = json_ld(&site, "pricing/index.html");
    assert_eq!(types(&pricing), ["BreadcrumbList", "Product"]);
    let offer = &pricing["@graph"][1]["offers"];
    assert_eq!(
        (&offer["price"], &offer["priceCurrency"]),
        (&"49.90".into(), &"EUR".into())
    );
    assert_eq!(pricing["@graph"][1]["description"], "</script><b>");
    let html = site.read("public/pricing/index.html");
    assert!(!html.contains("</script><b>"), "escaped inside the script");
    assert_eq!(
        types(&json_ld(&site, "about/index.html")),
        ["BreadcrumbList"]
    );
}

/// `render = false` keeps a taxonomy for templates only: no pages, and
/// the default theme's tag chips are plain text.
#[test]
fn a_taxonomy_that_is_not_rendered() {
    let site = TestSite::fixture("blog");
    site.edit(
        "site.toml",
        "{ name = \"tags\", feed = true, paginate_by = 2 }",
        "{ name = \"tags\", render = false }",
    );
    site.build();
    assert!(!site.written().iter().any(|f| f.starts_with("tags/")));
    let first = site.read("public/blog/first/index.html");
    assert!(first.contains("<span class=\"tag\">News</span>"), "{first}");
}

#[test]
fn a_moved_page_is_named_until_it_has_an_alias() {
    // A page's URL is in ads, emails and search results: moving it without
    // an alias is worth a warning, once, naming the line that fixes it.
    let site = TestSite::fixture("blog");
    site.build();
    let about = site.read("content/about.md");
    site.remove("content/about.md");
    site.write("content/company.md", &about);
    site.edit("content/blog/second.md", "@/about.md", "@/company.md");
    // Under --strict it is an error, found before anything is written.
    site.run(&["build", "--strict"])
        .failure()
        .stderr_has("/about/ is gone since the last build");
    assert!(site.exists("public/about/index.html"), "nothing written");
    let moved = site.run(&["build"]);
    moved.success();
    moved
        .stderr_has("warning: /about/ is gone since the last build")
        .stderr_has("give it `aliases = [\"/about/\"]`");
    // Back where it was, then moved with the alias: no warning.
    site.remove("content/company.md");
    site.write("content/about.md", &about);
    site.edit("content/blog/second.md", "@/company.md", "@/about.md");
    site.build();
    site.remove("content/about.md");
    site.write(
        "content/company.md",
        &replaced(&about, "aliases = [", "aliases = [\"/about/\", "),
    );
    site.edit("content/blog/second.md", "@/about.md", "@/company.md");
    let run = site.run(&["build"]);
    run.success();
    assert!(!run.stderr.contains("is gone"), "{}", run.stderr);
}
