//! What a build writes for Amazon S3 (`--host s3`): the website
//! configuration `aws s3api put-bucket-website` reads, with a `302`
//! routing rule per short link, and the object redirects for the rest,
//! each checked against the shape AWS documents; nothing of it for other
//! hosts, and none of it over a file of the site's own.

use serde_json::Value;

use crate::common::TestSite;

/// The keys PutBucketWebsite's `WebsiteConfiguration` has
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_WebsiteConfiguration.html>).
const WEBSITE_KEYS: [&str; 4] = [
    "ErrorDocument",
    "IndexDocument",
    "RedirectAllRequestsTo",
    "RoutingRules",
];
/// A `Redirect`'s keys
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Redirect.html>).
const REDIRECT_KEYS: [&str; 5] = [
    "HostName",
    "HttpRedirectCode",
    "Protocol",
    "ReplaceKeyPrefixWith",
    "ReplaceKeyWith",
];

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn keys(value: &Value) -> Vec<&str> {
    let object = value.as_object().expect("an object");
    object.keys().map(String::as_str).collect()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} a string in {value}"))
}

/// The website configuration in the documented shape, each rule as
/// `(KeyPrefixEquals, the URL it redirects to, HttpRedirectCode)`.
fn routing_rules(website: &Value) -> Vec<(String, String, String)> {
    assert!(keys(website).iter().all(|k| WEBSITE_KEYS.contains(k)));
    assert_eq!(keys(&website["IndexDocument"]), ["Suffix"]);
    // S3: the suffix may not be empty nor hold a slash.
    assert_eq!(text(&website["IndexDocument"], "Suffix"), "index.html");
    let Some(rules) = website.get("RoutingRules") else {
        return Vec::new();
    };
    let rules = rules.as_array().expect("RoutingRules an array");
    assert!(!rules.is_empty(), "an empty RoutingRules is left out");
    assert!(rules.len() <= 50, "S3 takes at most 50 routing rules");
    (rules.iter())
        .map(|rule| {
            assert_eq!(keys(rule), ["Condition", "Redirect"]);
            assert_eq!(keys(&rule["Condition"]), ["KeyPrefixEquals"]);
            let redirect = &rule["Redirect"];
            assert!(keys(redirect).iter().all(|k| REDIRECT_KEYS.contains(k)));
            let prefix = text(&rule["Condition"], "KeyPrefixEquals");
            let key = text(redirect, "ReplaceKeyWith");
            assert!(!prefix.starts_with('/') && !key.starts_with('/'), "{rule}");
            let protocol = text(redirect, "Protocol");
            assert!(["http", "https"].contains(&protocol), "{rule}");
            let code = text(redirect, "HttpRedirectCode");
            let to = format!("{protocol}://{}/{key}", text(redirect, "HostName"));
            (prefix.to_string(), to, code.to_string())
        })
        .collect()
}

/// The object redirects, as `(Key, WebsiteRedirectLocation)`, each key
/// an object the build wrote (the redirect page, which stays its content).
fn object_redirects(site: &TestSite) -> Vec<(String, String)> {
    let objects = json(site, "public/_s3/object-redirects.json");
    (objects.as_array().expect("an array").iter())
        .map(|o| {
            assert_eq!(keys(o), ["Key", "WebsiteRedirectLocation"]);
            let (key, to) = (text(o, "Key"), text(o, "WebsiteRedirectLocation"));
            assert!(!key.starts_with('/'), "{o}");
            assert!(site.exists(&format!("public/{key}")), "{key} is written");
            // S3: another object's key from `/`, or a URL.
            assert!(to.starts_with("https://"), "{o}");
            (key.to_string(), to.to_string())
        })
        .collect()
}

#[test]
fn s3_gets_routing_rules_and_object_redirects_in_the_shape_aws_documents() {
    // every-template has short links, aliases, listings' first pages and
    // a `redirect_to` section.
    let site = TestSite::fixture("every-template");
    site.run(&["build", "--host", "s3"]).success();
    let website = json(&site, "public/_s3/website.json");
    assert_eq!(website["ErrorDocument"]["Key"], "404.html");
    let rules = routing_rules(&website);
    let manifest = site.manifest();
    let links = manifest["short_links"].as_array().unwrap();
    assert_eq!(rules.len(), links.len());
    for link in links {
        let prefix = format!("go/{}/", link["code"].as_str().unwrap());
        let to = link["to"].as_str().unwrap();
        let rule = (prefix.clone(), to.to_string(), "302".to_string());
        assert!(rules.contains(&rule), "{rule:?} in {rules:?}");
    }
    // S3 matches a key's prefix and follows the first rule that matches:
    // a folder's prefix (`go/spring/`, not `go/spring`, which would catch
    // `go/spring-jane/`) catches no other rule's short link.
    for (a, _, _) in &rules {
        assert!(a.ends_with('/'), "{a}");
        let catches = rules.iter().filter(|(b, _, _)| b.starts_with(a.as_str()));
        assert_eq!(catches.count(), 1, "{a} is the prefix of one rule's key");
    }
    let objects = object_redirects(&site);
    let redirects = manifest["redirects"].as_array().unwrap();
    assert_eq!(objects.len(), redirects.len());
    for r in redirects {
        let from = r["from"].as_str().unwrap();
        let key = match from.strip_suffix('/') {
            Some(folder) => format!("{}/index.html", &folder[1..]),
            None => from[1..].to_string(),
        };
        let object = (key, r["to"].as_str().unwrap().to_string());
        assert!(objects.contains(&object), "{object:?} in {objects:?}");
    }
    insta::assert_snapshot!("website.json", site.read("public/_s3/website.json"));
    insta::assert_snapshot!(
        "object-redirects.json",
        site.read("public/_s3/object-redirects.json")
    );
    assert!(!site.exists("public/_redirects") && !site.exists("public/_headers"));
}

#[test]
fn beyond_fifty_short_links_the_rest_are_object_redirects() {
    // 30 reps, each with an outreach link to both landing pages: 60 more
    // short links than S3 takes rules for.
    let site = TestSite::fixture("every-template");
    let mut config = site.read("site.toml");
    for i in 0..30 {
        config.push_str(&format!("\n[reps.rep{i}]\nname = \"Rep {i}\"\n"));
    }
    site.write("site.toml", &config);
    site.run(&["build", "--host", "s3"]).success();
    let rules = routing_rules(&json(&site, "public/_s3/website.json"));
    assert_eq!(rules.len(), 50);
    let objects = object_redirects(&site);
    let manifest = site.manifest();
    let links = manifest["short_links"].as_array().unwrap();
    assert!(links.len() > 60);
    for link in links {
        let code = link["code"].as_str().unwrap();
        let to = link["to"].as_str().unwrap().to_string();
        let ruled = rules
            .iter()
            .any(|r| r.0 == format!("go/{code}/") && r.1 == to);
        let object = (format!("go/{code}/index.html"), to);
        assert!(
            ruled != objects.contains(&object),
            "{code}: a routing rule or else an object redirect"
        );
    }
}

#[test]
fn keys_are_under_the_base_urls_path() {
    let site = TestSite::fixture("every-template");
    let base = "https://www.every.example/docs";
    site.run(&["build", "--host", "s3", "--base-url", base])
        .success();
    let website = json(&site, "public/_s3/website.json");
    assert_eq!(website["ErrorDocument"]["Key"], "docs/404.html");
    for (prefix, to, _) in routing_rules(&website) {
        assert!(prefix.starts_with("docs/go/"), "{prefix}");
        assert!(to.starts_with("https://www.every.example/docs/"), "{to}");
    }
    let objects = json(&site, "public/_s3/object-redirects.json");
    for o in objects.as_array().unwrap() {
        assert!(text(o, "Key").starts_with("docs/"), "{o}");
    }
}

#[test]
fn other_hosts_get_no_s3_files() {
    let site = TestSite::fixture("every-template");
    site.run(&["build", "--host", "s3"]).success();
    assert!(site.exists("public/_s3/website.json"));
    for host in [None, Some("netlify"), Some("cloudflare"), Some("github")] {
        let mut args = vec!["build"];
        args.extend(host.iter().flat_map(|h| ["--host", h]));
        site.run(&args).success();
        assert!(!site.exists("public/_s3"), "{host:?}");
    }
    // `[deploy] host` picks them as `--host` does.
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}\n[deploy]\nhost = \"s3\"\n"));
    site.build();
    assert!(site.exists("public/_s3/object-redirects.json"));
}

#[test]
fn a_file_of_the_sites_own_is_never_replaced() {
    let site = TestSite::fixture("every-template");
    site.write("static/_s3/website.json", "{\"IndexDocument\": {}}\n");
    let run = site.run(&["build", "--host", "s3"]);
    run.success()
        .stderr_has("the site has its own `_s3/website.json`")
        .stderr_has("--> static/_s3/website.json");
    assert_eq!(
        site.read("public/_s3/website.json"),
        "{\"IndexDocument\": {}}\n"
    );
    assert!(site.exists("public/_s3/object-redirects.json"));
}
