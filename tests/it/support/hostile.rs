//! A hostile ARM server for end-to-end tests: a small HTTP/1.1 server on loopback that each
//! test programs with a handler, answering as an attacker who controls ARM's answers would
//! (redirects elsewhere, huge bodies, odd `generateCredentials` shapes, 429 with a huge
//! `Retry-After`). It can also stand in front of the emulator and forward what the handler
//! leaves alone, so only the request under attack is tampered with.
//!
//! It records every request (with its headers), counts the body bytes it sent, answers with
//! `Connection: close`, listens on 127.0.0.1 only and stops when dropped or after
//! `MAX_LIFETIME`, whichever comes first.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// No hostile server outlives this, even if a test forgets to drop it.
const MAX_LIFETIME: Duration = Duration::from_secs(180);

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or(&self.target)
    }
}

/// A body the server sends.
pub enum Body {
    Bytes(Vec<u8>),
    /// `prefix` followed by filler up to `len` bytes in all, generated while it is sent (never
    /// held in memory). With `declared`, a `Content-Length` announces it; without, the body
    /// ends when the connection closes.
    Huge {
        prefix: Vec<u8>,
        len: u64,
        declared: bool,
    },
}

/// An answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::text(status, &value.to_string()).header("Content-Type", "application/json")
    }

    pub fn text(status: u16, text: &str) -> Self {
        Self {
            body: Body::Bytes(text.as_bytes().to_vec()),
            ..Self::status(status)
        }
    }

    pub fn huge(status: u16, prefix: &str, len: u64, declared: bool) -> Self {
        Self {
            body: Body::Huge {
                prefix: prefix.as_bytes().to_vec(),
                len,
                declared,
            },
            ..Self::status(status)
        }
    }

    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// What the handler decides for one request.
pub enum Answer {
    Reply(Reply),
    /// Pass the request on to the upstream server (the emulator), as is.
    Forward,
}

type Handler = dyn Fn(&Request, &str) -> Answer + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    upstream: Option<String>,
    url: String,
    requests: Mutex<Vec<Request>>,
    body_bytes_sent: AtomicU64,
    stop: AtomicBool,
}

/// A running hostile server.
pub struct Hostile {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Hostile {
    /// A server that answers every request with `handler(request, own_url)`.
    pub fn start(handler: impl Fn(&Request, &str) -> Answer + Send + Sync + 'static) -> Self {
        Self::spawn(None, Box::new(handler))
    }

    /// A server in front of `upstream` (the emulator's URL): what `handler` answers `Forward`
    /// goes there, and the upstream's own URL in headers and bodies is rewritten to this
    /// server's, as if this server were ARM.
    pub fn proxy(
        upstream: &str,
        handler: impl Fn(&Request, &str) -> Answer + Send + Sync + 'static,
    ) -> Self {
        Self::spawn(Some(upstream.to_owned()), Box::new(handler))
    }

    fn spawn(upstream: Option<String>, handler: Box<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Shared {
            handler,
            upstream,
            url,
            requests: Mutex::new(Vec::new()),
            body_bytes_sent: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(&listener, &shared))
        };
        Self {
            shared,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: also this server's origin.
    pub fn url(&self) -> &str {
        &self.shared.url
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Body bytes written to clients so far (what a huge body got out before the client hung
    /// up).
    pub fn body_bytes_sent(&self) -> u64 {
        self.shared.body_bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    let started = Instant::now();
    while !shared.stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(shared);
                // Connections are not joined: each ends with its request, or when the client
                // goes away; a huge body stops at the first failed write.
                std::thread::spawn(move || serve(stream, &shared));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => return,
        }
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    shared
        .requests
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(request.clone());
    let reply = match (shared.handler)(&request, &shared.url) {
        Answer::Reply(reply) => reply,
        Answer::Forward => forward(&request, shared),
    };
    let _ = write_reply(stream, reply, shared);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn forward(request: &Request, shared: &Shared) -> Reply {
    let upstream = shared
        .upstream
        .as_deref()
        .expect("a handler answered Forward on a server with no upstream");
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let mut outgoing = client.request(
        request.method.parse().expect("method"),
        format!("{upstream}{}", request.target),
    );
    for (name, value) in &request.headers {
        if !["host", "content-length", "connection"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            outgoing = outgoing.header(name, value);
        }
    }
    let response = match outgoing.body(request.body.clone()).send() {
        Ok(response) => response,
        Err(e) => return Reply::text(502, &format!("upstream failed: {e}")),
    };
    let rewrite = |text: &str| text.replace(upstream, &shared.url);
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| {
            !["content-length", "connection", "transfer-encoding"].contains(&name.as_str())
        })
        .filter_map(|(name, value)| Some((name.to_string(), rewrite(value.to_str().ok()?))))
        .collect();
    let body = response.text().unwrap_or_default();
    Reply {
        status,
        headers,
        body: Body::Bytes(rewrite(&body).into_bytes()),
    }
}

fn write_reply(mut stream: TcpStream, reply: Reply, shared: &Shared) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} Hostile\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    match &reply.body {
        Body::Bytes(bytes) => {
            let _ = write!(head, "Content-Length: {}\r\n", bytes.len());
        }
        Body::Huge { len, declared, .. } => {
            if *declared {
                let _ = write!(head, "Content-Length: {len}\r\n");
            }
        }
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    let count = |n: usize| {
        shared.body_bytes_sent.fetch_add(n as u64, Ordering::SeqCst);
    };
    match reply.body {
        Body::Bytes(bytes) => {
            stream.write_all(&bytes)?;
            count(bytes.len());
        }
        Body::Huge { prefix, len, .. } => {
            stream.write_all(&prefix)?;
            count(prefix.len());
            let chunk = vec![b'A'; 64 * 1024];
            let mut left = len.saturating_sub(prefix.len() as u64);
            while left > 0 {
                let n = usize::try_from(left.min(chunk.len() as u64)).expect("chunk size");
                stream.write_all(&chunk[..n])?;
                count(n);
                left -= n as u64;
            }
        }
    }
    stream.flush()
}

/// What a bounded run printed, how it exited, and how long it took.
pub struct BoundedRun {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// Whether the guard had to kill it.
    pub killed: bool,
}

impl BoundedRun {
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for BoundedRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?} after {:.1}s{}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            self.elapsed.as_secs_f64(),
            if self.killed { " (killed)" } else { "" },
            self.stdout,
            self.stderr
        )
    }
}

/// Runs `command`, killing it if it is still running after `guard` (a guard against a hang,
/// not a performance bound).
pub fn run_bounded(mut command: Command, guard: Duration) -> BoundedRun {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start scopeform");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for scopeform") {
            break status;
        }
        if started.elapsed() > guard {
            let _ = child.kill();
            killed = true;
            break child.wait().expect("wait for scopeform");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    BoundedRun {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed: started.elapsed(),
        killed,
    }
}
