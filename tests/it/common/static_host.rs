//! A static host for tests, as Netlify and Cloudflare Pages serve a built
//! site: files from public/ (`/x/` is `x/index.html`), with the headers of
//! every `_headers` rule whose path matches (`/*` splats and exact paths,
//! as their docs describe), on a free loopback port. GET only; a browser
//! test sees the site under its own Content-Security-Policy.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

/// A running host; it stops with the test process.
pub struct StaticHost {
    pub port: u16,
}

/// `_headers` as rules: a path pattern and its `(name, value)` pairs.
pub fn parse_headers(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (name, value) = line.trim().split_once(':').expect("`Name: value`");
            let rule = rules.last_mut().expect("a header belongs to a path");
            rule.1
                .push((name.trim().to_string(), value.trim().to_string()));
        } else {
            assert!(line.starts_with('/'), "a rule starts with a path: {line}");
            rules.push((line.trim().to_string(), Vec::new()));
        }
    }
    rules
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

impl StaticHost {
    /// Serves `public` with its `_headers`.
    pub fn start(public: &Path) -> StaticHost {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("address").port();
        let public = public.to_path_buf();
        let rules =
            parse_headers(&std::fs::read_to_string(public.join("_headers")).expect("_headers"));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (public, rules) = (public.clone(), rules.clone());
                std::thread::spawn(move || answer(stream, &public, &rules));
            }
        });
        StaticHost { port }
    }
}

fn answer(mut stream: TcpStream, public: &Path, rules: &[(String, Vec<(String, String)>)]) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = match path.ends_with('/') {
        true => public.join(&path[1..]).join("index.html"),
        false => public.join(&path[1..]),
    };
    let (status, body) = match std::fs::read(&file) {
        Ok(bytes) if !path.contains("..") => ("200 OK", bytes),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (_, headers) in rules.iter().filter(|(p, _)| matches(p, path)) {
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
