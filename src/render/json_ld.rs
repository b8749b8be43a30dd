//! Structured data (schema.org, as JSON-LD) for the page being rendered,
//! for themes to print in a `<script type="application/ld+json">`
//! (`page.json_ld`): the site's `Organization` on the home page, a
//! `BreadcrumbList` of the sections above every other page, a
//! `BlogPosting` for a dated page, and a `Product` with its `Offer` for a
//! page whose `[extra]` has a `price` (and `currency`, checked with the
//! front matter).
//!
//! It is built as JSON, never by pasting text into a template, so every
//! value is escaped as JSON; and `<`, `>` and `&` are written as `\u003c`,
//! `\u003e` and `\u0026` (which only ever occur inside JSON strings), so a
//! title holding `</script>` cannot end the script element.

use serde_json::{Map, Value, json};

use super::views::PageView;
use crate::site::{Output, Site};

/// The page's structured data, escaped for a `<script>` element.
pub(super) fn of(site: &Site, output: &Output, page: &PageView<'_>) -> String {
    let entry = &site.entries[output.entry];
    let mut graph = Vec::new();
    if output.entry == site.home() {
        let mut org = organization(site);
        if let Some(description) = Some(&site.config.description).filter(|d| !d.is_empty()) {
            org.insert("description".into(), json!(description));
        }
        graph.push(Value::Object(org));
    } else {
        graph.push(breadcrumbs(site, output.entry));
    }
    let is_post = !entry.doc.is_section() && !entry.generated;
    if let Some(date) = page.date.filter(|_| is_post) {
        graph.push(blog_posting(site, page, date));
    }
    if let Some(product) = product(site, page) {
        graph.push(product);
    }
    let data = json!({ "@context": "https://schema.org", "@graph": graph });
    escape_for_script(&data.to_string())
}

/// `<`, `>` and `&` as JSON escapes: they occur only inside strings.
fn escape_for_script(json: &str) -> String {
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
fn organization(site: &Site) -> Map<String, Value> {
    let mut org = Map::new();
    org.insert("@type".into(), json!("Organization"));
    org.insert("name".into(), json!(site.config.title));
    org.insert("url".into(), json!(site.permalink("/")));
    org
}

/// The home page, the sections above entry `i`, and `i` itself.
fn breadcrumbs(site: &Site, i: usize) -> Value {
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
    let items: Vec<Value> = (chain.iter().rev().enumerate())
        .map(|(n, &e)| {
            let entry = &site.entries[e];
            json!({
                "@type": "ListItem",
                "position": n + 1,
                "name": entry.title,
                "item": site.permalink(&entry.path),
            })
        })
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// A dated page as a blog post.
fn blog_posting(site: &Site, page: &PageView<'_>, date: &str) -> Value {
    let mut post = Map::new();
    post.insert("@type".into(), json!("BlogPosting"));
    post.insert("headline".into(), json!(page.title));
    post.insert("description".into(), json!(page.description));
    post.insert("datePublished".into(), json!(date));
    // Issue 15 part A's `updated` and `authors`, once they exist, go here
    // (`dateModified`, `author`); until then the date and the site.
    post.insert("dateModified".into(), json!(date));
    post.insert("author".into(), Value::Object(organization(site)));
    post.insert("publisher".into(), Value::Object(organization(site)));
    post.insert("url".into(), json!(page.permalink));
    post.insert("mainEntityOfPage".into(), json!(page.permalink));
    post.insert("inLanguage".into(), json!(site.config.language));
    if let Some(image) = image(site, page) {
        post.insert("image".into(), json!(image));
    }
    if !page.tags.is_empty() {
        post.insert("keywords".into(), json!(page.tags.join(", ")));
    }
    Value::Object(post)
}

/// A page with a `price` in `[extra]` as a product with its offer.
fn product(site: &Site, page: &PageView<'_>) -> Option<Value> {
    let price = match page.extra.get("price")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let currency = page.extra.get("currency")?.as_str()?;
    let mut product = Map::new();
    product.insert("@type".into(), json!("Product"));
    product.insert("name".into(), json!(page.title));
    product.insert("description".into(), json!(page.description));
    product.insert("url".into(), json!(page.permalink));
    if let Some(image) = image(site, page) {
        product.insert("image".into(), json!(image));
    }
    let offer = json!({
        "@type": "Offer",
        "price": price,
        "priceCurrency": currency,
        "url": page.permalink,
    });
    product.insert("offers".into(), offer);
    Some(Value::Object(product))
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
        let data = json!({ "name": "</script><script>alert(1)</script> & more" });
        let escaped = escape_for_script(&data.to_string());
        assert!(
            !escaped.contains('<') && !escaped.contains('>'),
            "{escaped}"
        );
        let back: Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, data, "the escapes are JSON: it reads back the same");
    }
}
