//! A running `utmost serve` on a free loopback port, and a minimal HTTP
//! client (std only) to talk to it. The server is killed when dropped.
//!
//! Nothing here sleeps: a test waits for the event itself (a line the
//! server prints, an event on its stream, its reply), and fails only if
//! the event has not come after [`PATIENCE`].

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::TestSite;

/// How long a test waits for what must happen before it calls the run
/// broken: far longer than a rebuild or a reply takes on a loaded machine.
pub const PATIENCE: Duration = Duration::from_secs(60);

pub struct Preview {
    child: Child,
    pub port: u16,
    /// Every line the server printed after its address, as it comes.
    printed: Arc<Printed>,
}

/// The lines a server printed, and a signal for each new one.
#[derive(Default)]
struct Printed {
    lines: Mutex<Vec<String>>,
    added: Condvar,
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Drop for Preview {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A failing test shows what the server said it did.
            if let Ok(lines) = self.printed.lines.lock() {
                eprintln!("utmost serve printed:\n{}", lines.join("\n"));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of fixture `name` and `utmost serve` running on it.
pub fn serving(name: &str) -> (TestSite, Preview) {
    let site = TestSite::fixture(name);
    let preview = Preview::start(&site);
    (site, preview)
}

impl Preview {
    /// Starts `utmost serve --port 0` and waits for its address.
    pub fn start(site: &TestSite) -> Preview {
        Preview::start_with(site, &[])
    }

    /// [`Preview::start`] with environment variables set for the server.
    pub fn start_with(site: &TestSite, env: &[(&str, &str)]) -> Preview {
        Preview::spawn(site.path(), env)
    }

    /// `utmost serve --root ROOT --port 0` (a site reached another way
    /// than by its own path: a link to it).
    pub fn start_at(root: &std::path::Path) -> Preview {
        Preview::spawn(root, &[])
    }

    fn spawn(root: &std::path::Path, env: &[(&str, &str)]) -> Preview {
        let mut child = super::binary()
            .envs(env.iter().copied())
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start utmost serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("utf-8 output");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        let printed = Arc::new(Printed::default());
        let keep = printed.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Ok(mut all) = keep.lines.lock() {
                    all.push(line);
                    keep.added.notify_all();
                }
            }
        });
        Preview {
            child,
            port,
            printed,
        }
    }

    /// Waits until the server has printed a line containing `needle` and
    /// returns everything it printed so far.
    #[track_caller]
    pub fn printed_until(&self, needle: &str) -> String {
        let lines = self.printed.lines.lock().expect("lines");
        let (lines, _) = self
            .printed
            .added
            .wait_timeout_while(lines, PATIENCE, |l| !l.iter().any(|l| l.contains(needle)))
            .expect("lines");
        let text = lines.join("\n");
        assert!(
            text.contains(needle),
            "the server never printed {needle:?}:\n{text}"
        );
        text
    }

    pub fn request(&self, method: &str, path: &str, body: &str) -> Reply {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        self.raw(request.as_bytes())
    }

    /// Sends `bytes` as they are on a new connection and reads the reply
    /// until the server closes it.
    pub fn raw(&self, bytes: &[u8]) -> Reply {
        let mut stream = self.connect();
        stream.write_all(bytes).unwrap();
        Reply::read(&mut stream)
    }

    /// A new connection to the server (a read times out after
    /// [`PATIENCE`], so that a server that never answers fails the test
    /// rather than hanging it).
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }
}

impl Reply {
    /// Reads a reply until the server closes the connection.
    pub fn read(stream: &mut TcpStream) -> Reply {
        let mut raw = Vec::new();
        // A reset after the reply (the server dropping an unread body) ends it too.
        let _ = stream.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            headers: head.to_string(),
            body: body.to_string(),
        }
    }
}

impl Preview {
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, "")
    }

    /// Asks for `path` until `pred` holds for the reply: at once, then
    /// after each build the server publishes (its event stream says when).
    #[track_caller]
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
        let mut events = self.events();
        let deadline = Instant::now() + PATIENCE;
        loop {
            // The first event is the state when the stream opened.
            let event = events.next_before(deadline);
            let reply = self.get(path);
            if pred(&reply) {
                return reply;
            }
            assert!(
                event.is_some(),
                "no new build in {PATIENCE:?} and {path} is still not {what}:\n{}",
                reply.body
            );
        }
    }

    /// Opens the server's event stream (a build published is an event).
    pub fn events(&self) -> EventStream {
        self.tab("")
    }

    /// Opens the event stream of a tab showing `page` (as the reload
    /// script does: `?page=` and the URI-encoded pathname).
    pub fn tab(&self, page: &str) -> EventStream {
        let query = match page {
            "" => String::new(),
            page => format!("?page={}", page.replace('/', "%2F")),
        };
        let mut stream = self.connect();
        stream
            .write_all(
                format!(
                    "GET /__utmost/events{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
                    self.port
                )
                .as_bytes(),
            )
            .unwrap();
        EventStream {
            reader: BufReader::new(stream),
        }
    }
}

pub struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    /// The next event, (name, data), waiting for it at most [`PATIENCE`].
    #[track_caller]
    pub fn next(&mut self) -> (String, String) {
        self.next_before(Instant::now() + PATIENCE)
            .unwrap_or_else(|| panic!("no event from the server in {PATIENCE:?}"))
    }

    /// The next event, or `None` once `deadline` has passed without one.
    pub fn next_before(&mut self, deadline: Instant) -> Option<(String, String)> {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let socket = self.reader.get_ref();
            socket
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return None;
                }
                Err(e) => panic!("the event stream broke: {e}"),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
                data.push('\n');
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }
}
