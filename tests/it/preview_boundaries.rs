//! The preview server's boundaries, against the real server on a free
//! loopback port: no header injection or open redirect, no lead from
//! another site, no answer to another host name (DNS rebinding), a body
//! limit and form encodings only, and slow clients that neither freeze nor
//! exhaust it. Nothing here waits on a clock to pass.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

use crate::common::TestSite;
use crate::common::preview::{Preview, Reply, serving};

const LEADS: &str = ".utmost/preview-leads.jsonl";

fn recorded(site: &TestSite) -> usize {
    if site.exists(LEADS) {
        site.read(LEADS).lines().count()
    } else {
        0
    }
}

/// A POST to the lead endpoint with `headers` (each ending in CRLF) and `body`.
fn post(preview: &Preview, headers: &str, body: &[u8]) -> Reply {
    let mut request = format!(
        "POST /__utmost/lead HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        preview.port,
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    preview.raw(&request)
}

const FORM: &str = "Content-Type: application/x-www-form-urlencoded\r\n";

fn origin(preview: &Preview) -> String {
    format!("Origin: http://127.0.0.1:{}\r\n", preview.port)
}

#[test]
fn redirects_after_a_lead_stay_on_the_preview_and_never_carry_cr_or_lf() {
    let (site, preview) = serving("custom-theme");
    // (the posted `page`, form-encoded; where the browser is sent)
    let cases = [
        ("%2Foffer%2F", "/offer/"),
        ("%2Fx%0D%0ASet-Cookie%3A+session%3Dstolen", "/"),
        ("%2Fx%0ALocation%3A+%2F%2Fevil.example", "/"),
        ("%2F%2Fevil.example%2F", "/"),
        ("%2F%5Cevil.example", "/"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
        ("javascript%3Aalert(1)", "/"),
        ("%2Fcaf%C3%A9%2F", "/caf%C3%A9/"),
        ("%2Fa%E2%80%A8b", "/"),
    ];
    for (page, location) in cases {
        let body = format!("email=a%40x.example&page={page}");
        let reply = post(
            &preview,
            &format!("{FORM}{}", origin(&preview)),
            body.as_bytes(),
        );
        assert_eq!(reply.status, 303, "{page}");
        let lines: Vec<&str> = reply.headers.lines().collect();
        assert!(
            lines.contains(&format!("Location: {location}").as_str()),
            "{page}: {lines:?}"
        );
        assert!(
            !reply.headers.to_ascii_lowercase().contains("set-cookie"),
            "{page}"
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("Location:")).count(),
            1,
            "{page}"
        );
    }
    assert_eq!(recorded(&site), cases.len(), "each lead is still recorded");
}

#[test]
fn posts_from_other_sites_are_refused_and_not_recorded() {
    let (site, preview) = serving("custom-theme");
    let port = preview.port;
    // (Origin and Referer headers, the status expected)
    let cases: Vec<(String, u16)> = vec![
        (format!("Origin: http://127.0.0.1:{port}\r\n"), 303),
        (format!("Origin: http://localhost:{port}\r\n"), 303),
        (
            format!("Referer: http://127.0.0.1:{port}/offer/?utm_source=x\r\n"),
            303,
        ),
        (String::new(), 303),
        ("Origin: http://evil.example\r\n".into(), 403),
        ("Origin: null\r\n".into(), 403),
        (format!("Origin: https://127.0.0.1:{port}\r\n"), 403),
        (
            format!("Origin: http://127.0.0.1:{}\r\n", port.wrapping_add(1)),
            403,
        ),
        (
            format!("Origin: http://127.0.0.1:{port}.evil.example\r\n"),
            403,
        ),
        ("Referer: http://evil.example/landing/\r\n".into(), 403),
        (
            format!("Origin: http://evil.example\r\nReferer: http://127.0.0.1:{port}/\r\n"),
            403,
        ),
        (
            format!("Origin: http://127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n"),
            403,
        ),
    ];
    let mut expected = 0;
    for (headers, status) in &cases {
        let reply = post(
            &preview,
            &format!("{FORM}{headers}"),
            b"email=a%40x.example&form_id=contact",
        );
        assert_eq!(reply.status, *status, "{headers:?}: {}", reply.body);
        if *status == 403 {
            assert!(
                reply.body.contains("posted from another site"),
                "{}",
                reply.body
            );
        } else {
            expected += 1;
        }
        assert_eq!(recorded(&site), expected, "{headers:?}");
    }
}

#[test]
fn requests_for_another_host_are_refused() {
    let (site, preview) = serving("custom-theme");
    let port = preview.port;
    // (the Host header lines, the status expected)
    let cases: Vec<(String, u16)> = vec![
        (format!("Host: 127.0.0.1:{port}\r\n"), 200),
        (format!("Host: localhost:{port}\r\n"), 200),
        (format!("Host: LocalHost:{port}\r\n"), 200),
        (format!("Host: [::1]:{port}\r\n"), 200),
        (format!("Host: rebind.evil.example:{port}\r\n"), 421),
        ("Host: evil.example\r\n".into(), 421),
        ("Host: 127.0.0.1\r\n".into(), 421),
        (format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)), 421),
        (format!("Host: 192.168.1.20:{port}\r\n"), 421),
        (String::new(), 400),
        (
            format!("Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n"),
            400,
        ),
    ];
    for (host, status) in &cases {
        let get = preview
            .raw(format!("GET /offer/ HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes());
        assert_eq!(get.status, *status, "GET {host:?}");
        if *status != 200 {
            assert!(!get.body.contains("<h1>Offer</h1>"), "{host:?}");
        }
        let body = "email=a%40x.example";
        let form = format!(
            "POST /__utmost/lead HTTP/1.1\r\n{host}Connection: close\r\n{FORM}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let posted = preview.raw(form.as_bytes());
        let expected = if *status == 200 { 303 } else { *status };
        assert_eq!(posted.status, expected, "POST {host:?}");
    }
    assert_eq!(
        recorded(&site),
        4,
        "only the posts to the preview's own names"
    );
}

#[test]
fn only_form_encodings_within_the_limit_are_recorded() {
    let (site, preview) = serving("custom-theme");
    let origin = origin(&preview);
    let big = format!("email=a%40x.example&note={}", "x".repeat(64 * 1024));
    let exact = {
        let head = "email=a%40x.example&note=";
        format!("{head}{}", "x".repeat(64 * 1024 - head.len()))
    };
    let boundary = "----WebKitFormBoundaryePkpFF7tjBAqx29L";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nmulti@x.example\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--{boundary}--\r\n"
    );
    let multipart_type = format!("Content-Type: multipart/form-data; boundary={boundary}\r\n");
    // (extra headers, body, status, recorded)
    let cases: Vec<(String, Vec<u8>, u16, bool)> = vec![
        (FORM.into(), b"email=a%40x.example".to_vec(), 303, true),
        (FORM.into(), exact.into_bytes(), 303, true),
        (multipart_type.clone(), multipart.into_bytes(), 303, true),
        (FORM.into(), big.into_bytes(), 413, false),
        (
            "Content-Type: application/json\r\n".into(),
            b"{\"email\":\"a@x.example\"}".to_vec(),
            415,
            false,
        ),
        (
            "Content-Type: text/plain\r\n".into(),
            b"email=a@x.example".to_vec(),
            415,
            false,
        ),
        (String::new(), b"email=a%40x.example".to_vec(), 415, false),
        (FORM.into(), Vec::new(), 400, false),
        (FORM.into(), b"&&&".to_vec(), 400, false),
        (multipart_type, b"--nope\r\n".to_vec(), 400, false),
        (
            "Content-Type: multipart/form-data\r\n".into(),
            b"x".to_vec(),
            400,
            false,
        ),
        (FORM.into(), b"email=%ff%fe".to_vec(), 400, false),
    ];
    let mut expected = 0;
    for (headers, body, status, kept) in &cases {
        let reply = post(&preview, &format!("{headers}{origin}"), body);
        assert_eq!(
            reply.status,
            *status,
            "{headers:?} {} bytes: {}",
            body.len(),
            reply.body
        );
        expected += usize::from(*kept);
        assert_eq!(recorded(&site), expected, "{headers:?}");
    }
    let lead = site.read(LEADS);
    let multi: serde_json::Value = serde_json::from_str(lead.lines().nth(2).unwrap()).unwrap();
    assert_eq!(multi["email"], "multi@x.example");
    assert!(multi.get("cv").is_none(), "file parts are not recorded");
    // 50 MB announced, a few bytes sent: refused before the rest is read.
    let huge = format!(
        "POST /__utmost/lead HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{FORM}{origin}Content-Length: 52428800\r\n\r\nemail=a",
        preview.port
    );
    let reply = preview.raw(huge.as_bytes());
    assert_eq!(reply.status, 413);
    assert!(reply.body.contains("over 64 KiB"), "{}", reply.body);
    let chunked = format!(
        "POST /__utmost/lead HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{FORM}{origin}Transfer-Encoding: chunked\r\n\r\n7\r\nemail=a\r\n0\r\n\r\n",
        preview.port
    );
    assert_eq!(preview.raw(chunked.as_bytes()).status, 411);
    assert_eq!(recorded(&site), expected);
}

/// A connection that has sent `bytes` and then nothing more.
fn stalled(preview: &Preview, bytes: &[u8]) -> TcpStream {
    let mut stream = preview.connect();
    stream.write_all(bytes).unwrap();
    stream
}

#[test]
fn fifty_slow_clients_do_not_stop_the_server() {
    let (site, preview) = serving("custom-theme");
    let host = format!("Host: 127.0.0.1:{}\r\n", preview.port);
    let mut slow = Vec::new();
    for i in 0..50 {
        let bytes = match i % 3 {
            0 => Vec::new(),
            1 => format!("GET /offer/ HTTP/1.1\r\n{host}X-Slow: ").into_bytes(),
            _ => format!(
                "POST /__utmost/lead HTTP/1.1\r\n{host}{FORM}Content-Length: 1000\r\n\r\nemail="
            )
            .into_bytes(),
        };
        slow.push(stalled(&preview, &bytes));
    }
    let page = preview.get("/offer/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Offer</h1>"));
    let lead = post(
        &preview,
        &format!("{FORM}{}", origin(&preview)),
        b"email=a%40x.example",
    );
    assert_eq!(lead.status, 303);
    assert_eq!(recorded(&site), 1, "the stalled posts recorded nothing");
    drop(slow);
}

#[test]
fn slow_clients_time_out() {
    let site = TestSite::fixture("custom-theme");
    // Each case waits for the server's own timeout. A second, not less: a
    // test stalled that long between connecting and sending its first
    // bytes would be an idle client, not a slow one.
    let preview = Preview::start_with(&site, &[("UTMOST_PREVIEW_TIMEOUT_MS", "1000")]);
    let host = format!("Host: 127.0.0.1:{}\r\n", preview.port);
    let mut head = stalled(&preview, format!("GET / HTTP/1.1\r\n{host}").as_bytes());
    let reply = Reply::read(&mut head);
    assert_eq!(reply.status, 408, "a head that never ends");
    let body = format!(
        "POST /__utmost/lead HTTP/1.1\r\n{host}{FORM}Content-Length: 100\r\n\r\nemail=a%40x.example"
    );
    let mut post = stalled(&preview, body.as_bytes());
    assert_eq!(Reply::read(&mut post).status, 408, "a body that never ends");
    assert_eq!(recorded(&site), 0);
    let mut idle = stalled(&preview, b"");
    let reply = Reply::read(&mut idle);
    assert_eq!(
        reply.status, 0,
        "an idle connection is closed without a word"
    );
}

/// A connection that has had one page and is kept alive: a worker holds
/// it, waiting for its next request.
fn kept_alive(preview: &Preview) -> TcpStream {
    use std::io::{BufRead, BufReader};
    let mut stream = stalled(
        preview,
        format!(
            "GET /offer/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            preview.port
        )
        .as_bytes(),
    );
    let mut reader = BufReader::new(&mut stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    reader
        .by_ref()
        .take(length)
        .read_to_end(&mut Vec::new())
        .unwrap();
    drop(reader);
    stream
}

#[test]
fn a_full_pool_refuses_at_once_instead_of_growing() {
    let site = TestSite::fixture("custom-theme");
    let preview = Preview::start_with(&site, &[("UTMOST_PREVIEW_TIMEOUT_MS", "60000")]);
    // Every worker holds a kept-alive connection (64), and the queue is full
    // of connections waiting for one (64): the next is refused, not queued
    // and not given a thread of its own.
    let held: Vec<TcpStream> = (0..64).map(|_| kept_alive(&preview)).collect();
    let queued: Vec<TcpStream> = (0..64).map(|_| stalled(&preview, b"")).collect();
    let busy = preview.get("/offer/");
    assert_eq!(busy.status, 503);
    assert!(busy.headers.contains("Retry-After: 1"), "{}", busy.headers);
    // Each connection ended is let go (the server reads its end and closes
    // it): once all are, every worker is free and the queue empty.
    for stream in held.into_iter().chain(queued) {
        let mut stream = stream;
        stream.shutdown(Shutdown::Write).unwrap();
        let rest = stream.read_to_end(&mut Vec::new());
        assert!(rest.is_ok(), "the server let a connection go: {rest:?}");
    }
    assert_eq!(preview.get("/offer/").status, 200, "the pool is free again");
}
