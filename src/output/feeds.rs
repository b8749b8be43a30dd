//! The feeds' files: each feed of [`Site::feeds`] as Atom 1.0 (RFC 4287,
//! `atom.xml`) and RSS 2.0 (`rss.xml`), as `feed_filenames` asks, beside
//! what it lists.
//!
//! An Atom entry holds the page's whole content, and its summary (the
//! text before `<!-- more -->`) when it has one; an RSS item's
//! description is the summary, else the whole content (as Zola writes
//! them). Both are HTML with root-relative links made absolute (a feed is
//! read away from the site), Atom's with `xml:base` set to the page for
//! any other relative link. Its link carries the page's
//! campaign tags, `utm_source` and `utm_medium` from `feed_utm` (what a
//! reader, or a newsletter built from the feed, clicks), while its id
//! stays the bare permalink, so readers never see one post twice.
//! Dates are days: a feed says midnight UTC.

use std::fmt::Write as _;
use std::sync::Arc;

use super::File;
use crate::markdown::Body;
use crate::model::campaign::{Tags, tag_url};
use crate::site::{Feed, Site};
use crate::source::config::FeedFormat;
use crate::util::xml::escape;

/// What the generator element names.
const GENERATOR: &str = "utmost";

/// Every feed in every format, `bodies` by entry.
pub(crate) fn files(site: &Site, bodies: &[Option<Arc<Body>>]) -> Vec<File> {
    let formats = &site.config.feeds.formats;
    site.feeds
        .iter()
        .flat_map(|feed| {
            formats.iter().map(move |&format| {
                let path = feed.folder.file(format.file_name());
                let xml = match format {
                    FeedFormat::Atom => atom(site, feed, &path, bodies),
                    FeedFormat::Rss => rss(site, feed, &path, bodies),
                };
                File::text(&path[1..], xml)
            })
        })
        .collect()
}

/// One page of a feed, as its formats need it.
struct Item<'a> {
    title: &'a str,
    /// `YYYY-MM-DD`.
    date: &'a str,
    /// `updated` in its front matter, else `date`.
    updated: &'a str,
    /// Its `authors`; none: the site is the author.
    authors: &'a [String],
    permalink: String,
    /// The permalink with the page's campaign tags.
    link: String,
    tags: &'a [String],
    /// The whole content, as HTML, its links absolute.
    content: String,
    /// The text before `<!-- more -->`, its links absolute; empty without
    /// one.
    summary: String,
}

fn items<'a>(site: &'a Site, feed: &Feed, bodies: &'a [Option<Arc<Body>>]) -> Vec<Item<'a>> {
    let feeds = &site.config.feeds;
    let base = &site.config.base_url;
    let origin = &base[..base.len() - site.base_path().len()];
    (feed.pages.iter())
        .filter_map(|&i| {
            let entry = &site.entries[i];
            let permalink = site.permalink(&entry.path);
            let campaign = (entry.campaign.as_ref()).and_then(|c| site.config.campaigns.get(c));
            let link = match campaign {
                Some(c) => tag_url(
                    &permalink,
                    &Tags {
                        source: &feeds.source,
                        medium: &feeds.medium,
                        campaign: &c.utm_campaign,
                        content: None,
                    },
                ),
                None => permalink.clone(),
            };
            let body = bodies.get(i).and_then(Option::as_deref);
            Some(Item {
                title: &entry.title,
                date: entry.front().date.as_deref()?,
                updated: (entry.front().updated()).or(entry.front().date.as_deref())?,
                authors: entry.front().authors(),
                permalink,
                link,
                tags: &entry.front().tags,
                content: body.map_or(String::new(), |b| absolute(&b.html, origin)),
                summary: body.map_or(String::new(), |b| absolute(&b.summary, origin)),
            })
        })
        .collect()
}

fn atom(site: &Site, feed: &Feed, path: &str, bodies: &[Option<Arc<Body>>]) -> String {
    let config = &site.config;
    let items = items(site, feed, bodies);
    let url = escape(&site.permalink(path));
    let mut xml = String::with_capacity(1024 + items.len() * 2048);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape(&config.language),
        escape(&feed.title)
    );
    if !config.description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle>{}</subtitle>",
            escape(&config.description)
        );
    }
    let _ = write!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{url}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <generator>{GENERATOR}</generator>\n  <updated>{}</updated>\n  <id>{url}</id>\n  <author><name>{}</name></author>\n",
        escape(&site.permalink(&feed.folder)),
        (items.iter().map(|i| i.updated).max()).map_or(String::new(), rfc3339),
        escape(&config.title),
    );
    for item in &items {
        let permalink = escape(&item.permalink);
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <published>{}</published>\n    <updated>{}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{permalink}</id>\n",
            escape(item.title),
            rfc3339(item.date),
            rfc3339(item.updated),
            escape(&item.link),
        );
        for author in item.authors {
            let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(author));
        }
        for tag in item.tags {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", escape(tag));
        }
        if !item.summary.is_empty() {
            let summary = escape(&item.summary);
            let _ = writeln!(
                xml,
                "    <summary type=\"html\" xml:base=\"{permalink}\">{summary}</summary>"
            );
        }
        let _ = write!(
            xml,
            "    <content type=\"html\" xml:base=\"{permalink}\">{}</content>\n  </entry>\n",
            escape(&item.content)
        );
    }
    xml.push_str("</feed>\n");
    xml
}

fn rss(site: &Site, feed: &Feed, path: &str, bodies: &[Option<Arc<Body>>]) -> String {
    let config = &site.config;
    let items = items(site, feed, bodies);
    let description = match config.description.is_empty() {
        true => &feed.title,
        false => &config.description,
    };
    let mut xml = String::with_capacity(1024 + items.len() * 2048);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n  <title>{}</title>\n  <link>{}</link>\n  <description>{}</description>\n  <language>{}</language>\n  <generator>{GENERATOR}</generator>\n  <lastBuildDate>{}</lastBuildDate>\n  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&feed.title),
        escape(&site.permalink(&feed.folder)),
        escape(description),
        escape(&config.language),
        items.first().map_or(String::new(), |i| rfc822(i.date)),
        escape(&site.permalink(path)),
    );
    for item in &items {
        let _ = write!(
            xml,
            "  <item>\n    <title>{}</title>\n    <link>{}</link>\n    <guid isPermaLink=\"true\">{}</guid>\n    <pubDate>{}</pubDate>\n",
            escape(item.title),
            escape(&item.link),
            escape(&item.permalink),
            rfc822(item.date),
        );
        for tag in item.tags {
            let _ = writeln!(xml, "    <category>{}</category>", escape(tag));
        }
        let _ = write!(
            xml,
            "    <description>{}</description>\n  </item>\n",
            escape(match item.summary.as_str() {
                "" => &item.content,
                summary => summary,
            })
        );
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// `html` (as utmost renders it: attributes in double quotes) with its
/// root-relative links and sources made absolute on `origin`
/// (`https://x.example`): a feed is read away from the site, in a reader
/// or an RSS-to-email newsletter, where `/pricing/` leads nowhere.
fn absolute(html: &str, origin: &str) -> String {
    const ATTRIBUTES: [&str; 4] = [" href=\"", " src=\"", " srcset=\"", " poster=\""];
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, attribute)) = (ATTRIBUTES.iter())
        .filter_map(|a| rest.find(a).map(|at| (at, *a)))
        .min()
    {
        let value_start = at + attribute.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let candidates: Vec<&str> = match attribute {
            " srcset=\"" => value.split(',').collect(),
            _ => vec![value],
        };
        for (n, candidate) in candidates.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let trimmed = candidate.trim_start();
            out.push_str(&candidate[..candidate.len() - trimmed.len()]);
            if trimmed.starts_with('/') && !trimmed.starts_with("//") {
                out.push_str(origin);
            }
            out.push_str(trimmed);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `2026-03-01` → `2026-03-01T00:00:00Z`.
fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// `2026-03-01` → `Sun, 01 Mar 2026 00:00:00 +0000` (RFC 822, as RSS
/// wants it).
fn rfc822(date: &str) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let part = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (part(0..4), part(5..7), part(8..10)) else {
        return String::new();
    };
    // Days since 1970-01-01, a Thursday (Howard Hinnant's algorithm).
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS.get((m - 1) as usize).copied().unwrap_or("Jan");
    format!("{weekday}, {d:02} {month} {y} 00:00:00 +0000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_become_absolute() {
        let html = "<a href=\"/pricing/\">p</a> <a href=\"https://o.example/\">o</a> \
            <a href=\"//cdn.example/x\">c</a> <a href=\"#top\">t</a> \
            <img src=\"/a.webp\" srcset=\"/a.webp 480w, /b.webp 960w\" alt=\"\"> href=&quot;/text/&quot;";
        assert_eq!(
            absolute(html, "https://x.example"),
            "<a href=\"https://x.example/pricing/\">p</a> <a href=\"https://o.example/\">o</a> \
            <a href=\"//cdn.example/x\">c</a> <a href=\"#top\">t</a> \
            <img src=\"https://x.example/a.webp\" srcset=\"https://x.example/a.webp 480w, https://x.example/b.webp 960w\" alt=\"\"> href=&quot;/text/&quot;"
        );
        assert_eq!(
            absolute("<a href=\"/x", "https://x.example"),
            "<a href=\"https://x.example/x"
        );
    }

    #[test]
    fn dates_in_both_formats() {
        assert_eq!(rfc3339("2026-03-01"), "2026-03-01T00:00:00Z");
        assert_eq!(rfc822("2026-03-01"), "Sun, 01 Mar 2026 00:00:00 +0000");
        assert_eq!(rfc822("1970-01-01"), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc822("2024-02-29"), "Thu, 29 Feb 2024 00:00:00 +0000");
        assert_eq!(rfc822("2000-12-31"), "Sun, 31 Dec 2000 00:00:00 +0000");
    }
}
