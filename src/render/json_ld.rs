//! Structured data (schema.org, as JSON-LD) for the page being rendered,
//! for themes to print in a `<script type="application/ld+json">`
//! (`page.json_ld`): the site's `Organization` on the home page, a
//! `BreadcrumbList` of the sections above every other page, a
//! `BlogPosting` for a dated page, and a `Product` with its `Offer` for a
//! page whose `[extra]` has a `price` (and `currency`, checked with the
//! front matter).
//!
//! It is serialized as JSON, never by pasting text into a template, so
//! every value is escaped as JSON; and `<`, `>` and `&` are written as
//! `\u003c`, `\u003e` and `\u0026` (which only ever occur inside JSON
//! strings), so a title holding `</script>` cannot end the script element.
//! Every page has it, so it is written straight from borrowed fields
//! (serde structs, one string), not built as a tree of values.

use serde::Serialize;
use serde_json::Value;

use super::views::PageView;
use crate::site::{Output, Site};

/// The page's structured data, escaped for a `<script>` element.
pub(super) fn of(site: &Site, output: &Output, page: &PageView<'_>) -> String {
    let entry = &site.entries[output.entry];
    let mut graph = Vec::with_capacity(3);
    if output.entry == site.home() {
        let description = Some(site.config.description.as_str()).filter(|d| !d.is_empty());
        graph.push(Node::Organization(Organization {
            description,
            ..organization(site)
        }));
    } else {
        graph.push(Node::Breadcrumbs(breadcrumbs(site, output.entry)));
    }
    let is_post = !entry.doc.is_section() && !entry.generated;
    if let Some(date) = page.date.filter(|_| is_post) {
        graph.push(Node::Posting(blog_posting(site, page, date)));
    }
    if let Some(product) = product(site, page) {
        graph.push(Node::Product(product));
    }
    let data = Data {
        context: "https://schema.org",
        graph,
    };
    // Serializing borrowed strings into a String cannot fail.
    let json = serde_json::to_string(&data).unwrap_or_default();
    escape_for_script(json)
}

#[derive(Serialize)]
struct Data<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Node<'a> {
    Organization(Organization<'a>),
    Breadcrumbs(BreadcrumbList<'a>),
    Posting(BlogPosting<'a>),
    Product(Product<'a>),
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlogPosting<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    author: Author<'a>,
    publisher: Organization<'a>,
    url: &'a str,
    main_entity_of_page: &'a str,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

/// A post's `authors` as people, else the site as its author.
#[derive(Serialize)]
#[serde(untagged)]
enum Author<'a> {
    Site(Organization<'a>),
    People(Vec<Person<'a>>),
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Product<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    offers: Offer<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Offer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    price: String,
    price_currency: &'a str,
    url: &'a str,
}

/// `<`, `>` and `&` as JSON escapes: they occur only inside strings.
fn escape_for_script(json: String) -> String {
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The site as an organization: its name and home page.
fn organization(site: &Site) -> Organization<'_> {
    Organization {
        kind: "Organization",
        name: &site.config.title,
        url: site.permalink("/"),
        description: None,
    }
}

/// The home page, the sections above entry `i`, and `i` itself.
fn breadcrumbs(site: &Site, i: usize) -> BreadcrumbList<'_> {
    let mut chain = vec![i];
    let mut parent = site.entries[i].parent;
    while let Some(p) = parent.filter(|p| !chain.contains(p)) {
        chain.push(p);
        parent = site.entries[p].parent;
    }
    let home = site.home();
    if chain.last() != Some(&home) {
        chain.push(home);
    }
    let items = (chain.iter().rev().enumerate())
        .map(|(n, &e)| {
            let entry = &site.entries[e];
            ListItem {
                kind: "ListItem",
                position: n + 1,
                name: &entry.title,
                item: site.permalink(&entry.path),
            }
        })
        .collect();
    BreadcrumbList {
        kind: "BreadcrumbList",
        items,
    }
}

/// A dated page as a blog post.
fn blog_posting<'a>(site: &'a Site, page: &'a PageView<'_>, date: &'a str) -> BlogPosting<'a> {
    BlogPosting {
        kind: "BlogPosting",
        headline: page.title,
        description: page.description,
        date_published: date,
        date_modified: page.updated.unwrap_or(date),
        author: match page.authors {
            [] => Author::Site(organization(site)),
            people => Author::People(
                (people.iter())
                    .map(|name| Person {
                        kind: "Person",
                        name,
                    })
                    .collect(),
            ),
        },
        publisher: organization(site),
        url: &page.permalink,
        main_entity_of_page: &page.permalink,
        in_language: &site.config.language,
        image: image(site, page),
        keywords: (!page.tags.is_empty()).then(|| page.tags.join(", ")),
    }
}

/// A page with a `price` in `[extra]` as a product with its offer.
fn product<'a>(site: &Site, page: &'a PageView<'_>) -> Option<Product<'a>> {
    let price = match page.extra.get("price")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let currency = page.extra.get("currency")?.as_str()?;
    Some(Product {
        kind: "Product",
        name: page.title,
        description: page.description,
        url: &page.permalink,
        image: image(site, page),
        offers: Offer {
            kind: "Offer",
            price,
            price_currency: currency,
            url: &page.permalink,
        },
    })
}

/// `extra.hero_image` as an absolute URL, as the default theme's
/// `og:image` makes it: a URL as it is, a root-relative path on the site,
/// anything else relative to the page.
fn image(site: &Site, page: &PageView<'_>) -> Option<String> {
    let hero = page
        .extra
        .get("hero_image")?
        .as_str()
        .filter(|h| !h.is_empty())?;
    Some(if hero.starts_with("http") {
        hero.to_string()
    } else if hero.starts_with('/') {
        site.permalink(hero)
    } else {
        format!("{}{hero}", page.permalink)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_a_string_can_end_the_script() {
        let data = serde_json::json!({ "name": "</script><script>alert(1)</script> & more" });
        let escaped = escape_for_script(data.to_string());
        assert!(
            !escaped.contains('<') && !escaped.contains('>'),
            "{escaped}"
        );
        let back: Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, data, "the escapes are JSON: it reads back the same");
        assert_eq!(escape_for_script("{\"a\":1}".into()), "{\"a\":1}");
    }
}
