//! The reload channel: one server-sent event stream per open tab
//! (`/__utmost/events?page=/blog/post/`), each naming the page its tab
//! shows (else its `Referer` does: a browser's `EventSource` sends the
//! page's URL). The pages named by the streams open now are the ones a
//! template edit renders first ([`Tabs`]).
//!
//! Each published snapshot is one event, carrying its version: `reload`
//! (with the version since which its pages are what they are: a page
//! loaded at or after it is current), `css` or `failed` (with the error).

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Change, Shared, Snapshot, current, text};
use crate::preview::access::Allowed;
use crate::util::http::Reply;
use crate::util::http::paths::{output_key, percent_decode};

/// At most this many event streams (open tabs) at once.
const MAX_STREAMS: usize = 32;

/// The pages open tabs show, by output file (`blog/post/index.html`), with
/// how many tabs show each. A closed tab is noticed at the stream's next
/// write (an event, or the keep-alive within 15 s): until then its page is
/// rendered first for nothing, which costs one page.
#[derive(Default)]
pub(super) struct Tabs {
    open: Mutex<HashMap<String, usize>>,
}

impl Tabs {
    fn add(&self, key: &str) {
        if let Ok(mut open) = self.open.lock() {
            *open.entry(key.to_string()).or_default() += 1;
        }
    }

    fn remove(&self, key: &str) {
        if let Ok(mut open) = self.open.lock()
            && let Some(n) = open.get_mut(key)
        {
            *n -= 1;
            if *n == 0 {
                open.remove(key);
            }
        }
    }

    /// The output files open tabs show.
    pub(super) fn pages(&self) -> Vec<String> {
        (self.open.lock())
            .map(|open| open.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The output file a stream's `page` parameter names (the tab's
/// `location.pathname`, URI-encoded), when it names one safely; else the
/// one its `referer` names, when that is a page of this server.
fn page_of(target: &str, referer: Option<&str>, allowed: &Allowed) -> Option<String> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let value = (query.split('#').next().unwrap_or("").split('&'))
        .find_map(|pair| pair.strip_prefix("page="));
    if let Some(value) = value {
        return output_key(&percent_decode(&value.replace('+', " "))?);
    }
    let referer = referer.filter(|r| allowed.same_origin(None, Some(r)))?;
    let path = referer.split_once("://")?.1;
    let path = &path[path.find('/')?..];
    output_key(path.split(['?', '#']).next()?)
}

/// A server-sent event stream: one event per published snapshot, on its
/// own thread (outside the pool of workers), at most [`MAX_STREAMS`] at
/// once. Its page counts as open while the stream is.
pub(super) fn events(shared: &Arc<Shared>, target: &str, referer: Option<&str>) -> Reply {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return Reply::Response(
            text(503, "too many open event streams").header("Retry-After", "5"),
        );
    }
    let shared = shared.clone();
    let page = page_of(target, referer, &shared.allowed);
    Reply::Stream(Box::new(move |stream| {
        if let Some(page) = &page {
            shared.tabs.add(page);
        }
        stream_events(&shared, stream);
        if let Some(page) = &page {
            shared.tabs.remove(page);
        }
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    }))
}

fn stream_events(shared: &Shared, mut out: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    let mut seen = current(shared).map_or(0, |s| s.version);
    if let Some(s) = current(shared)
        && send(&mut out, &s).is_err()
    {
        return;
    }
    loop {
        let Ok(guard) = shared.version.lock() else {
            return;
        };
        let (guard, _) =
            match shared
                .bumped
                .wait_timeout_while(guard, Duration::from_secs(15), |v| *v == seen)
            {
                Ok(r) => r,
                Err(_) => return,
            };
        let version = *guard;
        drop(guard);
        let result = if version == seen {
            out.write_all(b": keep-alive\n\n").and_then(|_| out.flush())
        } else {
            seen = version;
            match current(shared) {
                Some(s) => send(&mut out, &s),
                None => Ok(()),
            }
        };
        if result.is_err() {
            return;
        }
    }
}

/// Writes the snapshot's state as one event: `reload` (with the version
/// its pages date from), `css` or `failed` (with the error text), each
/// carrying the version.
fn send(out: &mut dyn Write, snapshot: &Snapshot) -> std::io::Result<()> {
    let (name, data) = match (&snapshot.error, snapshot.change) {
        (Some(error), _) => ("failed", error.clone()),
        (None, Change::Css) => ("css", String::new()),
        (None, _) => ("reload", snapshot.since.to_string()),
    };
    let mut message = format!("event: {name}\nid: {}\n", snapshot.version);
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    if data.is_empty() {
        message.push_str("data: \n");
    }
    message.push('\n');
    out.write_all(message.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_names_its_tabs_page() {
        let allowed = Allowed::new("127.0.0.1", 1111);
        let page = |t: &str| page_of(t, None, &allowed);
        assert_eq!(
            page("/__utmost/events?page=%2Fblog%2Fpost%2F").as_deref(),
            Some("blog/post/index.html")
        );
        assert_eq!(
            page("/__utmost/events?page=/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            page("/__utmost/events?x=1&page=%2Fnews%2F%25C3%25BC%2F").as_deref(),
            Some("news/ü/index.html"),
            "the pathname keeps its own escapes"
        );
        assert_eq!(page("/__utmost/events?page=%2F..%2Fsecret"), None);
        assert_eq!(page("/__utmost/events"), None);
        let by_referer = |r: &str| page_of("/__utmost/events", Some(r), &allowed);
        assert_eq!(
            by_referer("http://127.0.0.1:1111/blog/?x=1").as_deref(),
            Some("blog/index.html")
        );
        assert_eq!(by_referer("http://elsewhere.example/blog/"), None);
    }

    #[test]
    fn tabs_count_the_streams_showing_each_page() {
        let tabs = Tabs::default();
        tabs.add("a/index.html");
        tabs.add("a/index.html");
        tabs.add("index.html");
        tabs.remove("a/index.html");
        let mut pages = tabs.pages();
        pages.sort();
        assert_eq!(pages, ["a/index.html", "index.html"]);
        tabs.remove("a/index.html");
        assert_eq!(tabs.pages(), ["index.html"]);
    }
}
