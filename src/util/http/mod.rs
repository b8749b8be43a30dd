//! A small HTTP/1.1 server for the preview, on std's sockets and httparse
//! (hyper's request parser). It exists for what the preview must guarantee
//! and tiny_http could not: a bounded pool of workers, every socket read
//! under a deadline, a body limit enforced before the body is read, and no
//! header that carries CR or LF.
//!
//! - A fixed pool of [`Limits::workers`] threads serves connections, with a
//!   short queue; a connection that finds both full gets 503 at once. So a
//!   few dozen slow or idle connections cannot stop the server answering.
//! - A connection waits at most [`Limits::idle`] for a request to start,
//!   and the request (head and body) must arrive within [`Limits::request`]
//!   of its first byte: a slow client gets 408 and is closed.
//! - The handler sees the head first and reads the body only if it wants
//!   it, through [`Request::body`], which refuses a body over
//!   [`Limits::max_body`] from its Content-Length, before reading it.
//! - [`Response::header`] refuses names and values that are not plain
//!   header text; such a response is sent as a 500 instead.
//! - A handler may take the socket over ([`Reply::Stream`]) for server-sent
//!   events, on its own thread, outside the pool.

pub(crate) mod paths;

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server allows a connection.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub workers: usize,
    /// Accepted connections waiting for a worker.
    pub queue: usize,
    /// How long a connection may wait before sending a request.
    pub idle: Duration,
    /// How long a request may take to arrive, from its first byte.
    pub request: Duration,
    pub max_head: usize,
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 64,
            queue: 64,
            idle: Duration::from_secs(5),
            request: Duration::from_secs(10),
            max_head: 16 * 1024,
            max_body: 64 * 1024,
        }
    }
}

/// Answers requests; called on the pool's threads.
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle(&self, request: &mut Request<'_>) -> Reply;
}

/// What a handler answers.
pub(crate) enum Reply {
    Response(Response),
    /// The handler takes the connection over (it writes its own head).
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// A response to be written.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// A header was refused: the response is sent as a 500.
    refused: Option<String>,
}

impl Response {
    pub(crate) fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
            refused: None,
        }
    }

    /// A plain-text response.
    pub(crate) fn text(status: u16, body: &str) -> Response {
        Response::new(status, body).header("Content-Type", "text/plain; charset=utf-8")
    }

    /// A redirect to `location`, which the caller has checked stays where
    /// it should.
    pub(crate) fn redirect(status: u16, location: &str) -> Response {
        Response::new(status, "").header("Location", location)
    }

    /// Adds a header; one whose name is not a token or whose value holds a
    /// control character (CR, LF, NUL…) turns the response into a 500.
    pub(crate) fn header(mut self, name: &str, value: &str) -> Response {
        let name_ok = !name.is_empty() && name.bytes().all(is_token_byte);
        let value_ok = value
            .bytes()
            .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f));
        if name_ok && value_ok {
            self.headers.push((name.to_string(), value.to_string()));
        } else {
            self.refused = Some(name.escape_debug().to_string());
        }
        self
    }

    fn write(&self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        if let Some(name) = &self.refused {
            let body = format!("refused to send the header `{name}`: it holds a control character");
            let refused = Response::text(500, &body);
            return refused.write(out, head_only, false);
        }
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n\r\n",
            self.body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        ));
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

/// RFC 9110's token characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Its Content-Length is over the limit (nothing of it was read).
    TooLarge(usize),
    /// No Content-Length (a chunked body, say).
    LengthRequired,
    TimedOut,
    Io(io::Error),
}

/// A request whose head has been read.
pub(crate) struct Request<'a> {
    pub method: String,
    /// The request target as sent (`/offer/?utm_source=x`).
    pub target: String,
    /// Names in lowercase, values as sent.
    headers: Vec<(String, Vec<u8>)>,
    connection: &'a mut Connection,
    limits: &'a Limits,
    deadline: Instant,
    body_read: bool,
}

impl Request<'_> {
    /// The value of a header, when the request has exactly one of that
    /// name and it is text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let (_, value) = values.next()?;
        if values.next().is_some() {
            return None;
        }
        std::str::from_utf8(value).ok().map(str::trim)
    }

    /// How many headers of that name the request has.
    pub(crate) fn count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n == name).count()
    }

    /// The path of the target, without query or fragment.
    pub(crate) fn path(&self) -> &str {
        let target = self.target.as_str();
        // An absolute-form target (`http://host/path`) names its path after the authority.
        let target = match target.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => target,
        };
        target.split(['?', '#']).next().unwrap_or("/")
    }

    /// Reads the body, refusing one over the limit before reading it.
    pub(crate) fn body(&mut self) -> Result<Vec<u8>, BodyError> {
        if self.count("transfer-encoding") > 0 {
            return Err(BodyError::LengthRequired);
        }
        let length = match self.count("content-length") {
            0 => 0,
            1 => self
                .header("content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or(BodyError::LengthRequired)?,
            _ => return Err(BodyError::LengthRequired),
        };
        if length > self.limits.max_body {
            return Err(BodyError::TooLarge(self.limits.max_body));
        }
        let body = self.connection.take(length, self.deadline)?;
        self.body_read = true;
        Ok(body)
    }

    /// Whether the connection can carry another request: the client did
    /// not ask to close it, and this request's body, if any, was read whole.
    fn keep_alive(&self) -> bool {
        let close = self
            .header("connection")
            .is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
        let no_body = self.count("transfer-encoding") == 0
            && (self.count("content-length") == 0 || self.header("content-length") == Some("0"));
        !close && (self.body_read || no_body)
    }
}

/// A connection and the bytes read from it but not yet used.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    /// Reads more bytes before `deadline`; `Ok(0)` at the end of the stream.
    fn fill(&mut self, deadline: Instant) -> io::Result<usize> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut chunk = [0u8; 8192];
        let n = match self.stream.read(&mut chunk) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }?;
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Takes the next `n` bytes, reading them before `deadline`.
    fn take(&mut self, n: usize, deadline: Instant) -> Result<Vec<u8>, BodyError> {
        while self.buffer.len() < n {
            match self.fill(deadline) {
                Ok(0) => return Err(BodyError::Io(io::ErrorKind::UnexpectedEof.into())),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::TimedOut => return Err(BodyError::TimedOut),
                Err(e) => return Err(BodyError::Io(e)),
            }
        }
        Ok(self.buffer.drain(..n).collect())
    }
}

/// Why no request head could be read.
enum HeadError {
    /// The connection ended, or stayed idle: close it without a word.
    Closed,
    Answer(u16, &'static str),
}

/// A parsed head: method, target, headers, and the deadline of its body.
type Head = (String, String, Vec<(String, Vec<u8>)>, Instant);

fn read_head(connection: &mut Connection, limits: &Limits) -> Result<Head, HeadError> {
    let idle_until = Instant::now() + limits.idle;
    let mut deadline = None;
    loop {
        if !connection.buffer.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut parsed = httparse::Request::new(&mut headers);
            match parsed.parse(&connection.buffer) {
                Ok(httparse::Status::Complete(len)) => {
                    let method = parsed.method.unwrap_or_default().to_string();
                    let target = parsed.path.unwrap_or_default().to_string();
                    let headers = parsed
                        .headers
                        .iter()
                        .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                        .collect();
                    connection.buffer.drain(..len);
                    let started: Instant =
                        deadline.unwrap_or_else(|| Instant::now() + limits.request);
                    return Ok((method, target, headers, started));
                }
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => {
                    return Err(HeadError::Answer(431, "too many headers"));
                }
                Err(_) => return Err(HeadError::Answer(400, "malformed request")),
            }
            if connection.buffer.len() > limits.max_head {
                return Err(HeadError::Answer(431, "the request head is too large"));
            }
        }
        let until = if connection.buffer.is_empty() {
            idle_until
        } else {
            *deadline.get_or_insert_with(|| Instant::now() + limits.request)
        };
        match connection.fill(until) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::TimedOut && !connection.buffer.is_empty() => {
                return Err(HeadError::Answer(
                    408,
                    "the request took too long to arrive",
                ));
            }
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

/// Serves one connection until it closes, idles out or misbehaves.
fn serve_connection(stream: TcpStream, limits: &Limits, handler: &dyn Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.request));
    let mut connection = Connection {
        stream,
        buffer: Vec::new(),
    };
    loop {
        let (method, target, headers, deadline) = match read_head(&mut connection, limits) {
            Ok(head) => head,
            Err(HeadError::Closed) => return,
            Err(HeadError::Answer(status, text)) => {
                let _ = Response::text(status, text).write(&mut connection.stream, false, false);
                return linger(connection.stream);
            }
        };
        let head_only = method == "HEAD";
        let mut request = Request {
            method,
            target,
            headers,
            connection: &mut connection,
            limits,
            deadline,
            body_read: false,
        };
        let reply = handler.handle(&mut request);
        let keep_alive = request.keep_alive();
        match reply {
            Reply::Stream(take_over) => {
                let stream = connection.stream;
                std::thread::spawn(move || take_over(stream));
                return;
            }
            Reply::Response(response) => {
                let written = response.write(&mut connection.stream, head_only, keep_alive);
                if written.is_err() || !keep_alive {
                    return linger(connection.stream);
                }
            }
        }
    }
}

/// Closes a connection whose request may not have been read whole: stops
/// writing, then reads and drops a little of what the client still sends,
/// so that the answer is not lost to a reset.
fn linger(stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = (&stream).take(256 * 1024).read_to_end(&mut Vec::new());
}

/// A server running on its own threads; dropping it stops it.
pub(crate) struct Running {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which sees the flag and ends.
        let _ = TcpStream::connect(self.address);
    }
}

/// Serves `listener` with `handler` on a pool of `limits.workers` threads
/// until the returned handle is dropped.
pub(crate) fn spawn(
    listener: TcpListener,
    limits: Limits,
    handler: Arc<dyn Handler>,
) -> io::Result<Running> {
    let address = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new()
        .name("utmost-accept".into())
        .spawn(move || run(listener, &limits, handler, &flag))?;
    Ok(Running { address, stop })
}

/// Accepts connections and hands them to the workers until `stop` is set.
fn run(listener: TcpListener, limits: &Limits, handler: Arc<dyn Handler>, stop: &AtomicBool) {
    let (queue, waiting): (SyncSender<TcpStream>, Receiver<TcpStream>) =
        std::sync::mpsc::sync_channel(limits.queue);
    let waiting = Arc::new(Mutex::new(waiting));
    for _ in 0..limits.workers {
        let (waiting, limits, handler) = (waiting.clone(), limits.clone(), handler.clone());
        let _ = std::thread::Builder::new()
            .name("utmost-http".into())
            .stack_size(512 * 1024)
            .spawn(move || {
                loop {
                    let next = match waiting.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    match next {
                        Ok(stream) => serve_connection(stream, &limits, handler.as_ref()),
                        Err(_) => return,
                    }
                }
            });
    }
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let stream = match stream {
            Ok(stream) => stream,
            // Out of file descriptors, say: let connections end, then go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if let Err(TrySendError::Full(stream)) = queue.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let busy = Response::text(503, "the preview server is busy; try again")
                .header("Retry-After", "1");
            let _ = busy.write(&mut &stream, false, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_control_characters_are_never_sent() {
        let injected = Response::new(303, "").header("Location", "/x\r\nSet-Cookie: a=b");
        let mut out = Vec::new();
        injected.write(&mut out, false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 500 "), "{text}");
        assert!(!text.contains("Set-Cookie"), "{text}");
        assert!(text.contains("Connection: close"));
        let bad_name = Response::new(200, "").header("X\nY", "v");
        assert!(bad_name.refused.is_some());
        let fine = Response::new(200, "ok").header("Location", "/a b\té");
        let mut out = Vec::new();
        fine.write(&mut out, true, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Location: /a b\té\r\n"));
        assert!(text.ends_with(
            "Content-Length: 2\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n"
        ));
    }
}
