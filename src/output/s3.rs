//! What an Amazon S3 website needs to answer the site's redirects with
//! real HTTP redirects (`[deploy] host = "s3"`), in two files under
//! [`S3_FOLDER`] at the output root, which the upload leaves out:
//!
//! - `website.json`, the `--website-configuration` of
//!   `aws s3api put-bucket-website`, in the shape of the PutBucketWebsite
//!   API's `WebsiteConfiguration`
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html>):
//!   the index and error documents, and a routing rule per short link
//!   (`KeyPrefixEquals` `go/<code>/`, a `302` to its tagged URL, the query
//!   string written into `ReplaceKeyWith`). S3 takes at most
//!   [`MAX_ROUTING_RULES`] rules, so only that many short links get one;
//! - `object-redirects.json`, every other redirect as an object redirect
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html>):
//!   a `Key` (the redirect page's object) and the
//!   `WebsiteRedirectLocation` to set on it, which the website endpoint
//!   answers with a `301`. The redirect page stays the object's content,
//!   which is what the REST endpoint (CloudFront with an S3 origin)
//!   serves: there, the redirect pages do the work.
//!
//! Keys are the bucket's, `base_url`'s path included (a site at
//! `https://x.example/docs` lives under `docs/`).

use serde::Serialize;

use super::File;
use crate::site::Site;

/// The folder of the S3 files, at the output root.
pub(crate) const S3_FOLDER: &str = "_s3";
/// S3 refuses a website configuration with more routing rules.
pub(crate) const MAX_ROUTING_RULES: usize = 50;

/// `WebsiteConfiguration`, as `put-bucket-website` reads it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WebsiteConfiguration {
    index_document: IndexDocument,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_document: Option<ErrorDocument>,
    /// Left out when empty: S3 refuses an empty `RoutingRules`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    routing_rules: Vec<RoutingRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct IndexDocument {
    suffix: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorDocument {
    key: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RoutingRule {
    condition: Condition,
    redirect: RuleRedirect,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Condition {
    key_prefix_equals: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RuleRedirect {
    protocol: String,
    host_name: String,
    replace_key_with: String,
    /// A string, as the API has it.
    http_redirect_code: &'static str,
}

/// One object redirect: PutObject's and CopyObject's names.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ObjectRedirect {
    key: String,
    website_redirect_location: String,
}

/// The S3 files of a build whose files are `files`.
pub(crate) fn files(site: &Site, files: &[File]) -> Vec<File> {
    let key = |path: &str| site.url(path).trim_start_matches('/').to_string();
    let (protocol, host) = scheme_and_host(&site.config.base_url);
    let links = &site.short_links.links;
    let (ruled, rest) = links.split_at(links.len().min(MAX_ROUTING_RULES));
    let routing_rules = (ruled.iter())
        .map(|link| RoutingRule {
            condition: Condition {
                key_prefix_equals: key(link.path().as_str()),
            },
            redirect: RuleRedirect {
                protocol: protocol.to_string(),
                host_name: host.to_string(),
                replace_key_with: key(&link.to),
                http_redirect_code: "302",
            },
        })
        .collect();
    let has_404 = files.iter().any(|f| &**f.name() == "404.html");
    let website = WebsiteConfiguration {
        index_document: IndexDocument {
            suffix: "index.html",
        },
        error_document: has_404.then(|| ErrorDocument {
            key: key("/404.html"),
        }),
        routing_rules,
    };
    let short = rest.iter().map(|link| ObjectRedirect {
        key: key(&format!("/{}", link.path().index_file())),
        website_redirect_location: site.permalink(&link.to),
    });
    let moved = site.redirects.iter().map(|r| ObjectRedirect {
        key: key(&format!("/{}", r.file())),
        website_redirect_location: site.redirect_url(r),
    });
    let objects: Vec<ObjectRedirect> = short.chain(moved).collect();
    vec![
        File::text(format!("{S3_FOLDER}/website.json"), json(&website)),
        File::text(format!("{S3_FOLDER}/object-redirects.json"), json(&objects)),
    ]
}

/// Pretty JSON with a final newline.
fn json(value: &impl Serialize) -> String {
    // Plain structs of strings: serializing them cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `https://x.example:8080/docs` → (`https`, `x.example:8080`).
fn scheme_and_host(base_url: &str) -> (&str, &str) {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
    (scheme, rest.split('/').next().unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_what_comes_before_the_path() {
        assert_eq!(
            scheme_and_host("https://x.example/docs"),
            ("https", "x.example")
        );
        assert_eq!(
            scheme_and_host("http://localhost:1111"),
            ("http", "localhost:1111")
        );
    }
}
