//! A scriptable, fault-injecting HTTP/1.1 server for tests, built on tokio
//! alone (features `net`, `io-util`, `time`, `rt`, `macros`).
//!
//! ```ignore
//! let server = TestServer::start().await;
//! server.push(Reply::json(429, "{}").header("retry-after-ms", "10"));
//! server.push(Reply::json(200, r#"{"result":1}"#));
//! server.push(Action::Reset);
//! // ... point a client at server.url() ...
//! assert_eq!(server.requests()[0].header("authorization"), Some("Bearer t"));
//! ```
//!
//! Each request takes the next scripted [`Action`]; when the script is empty
//! the handler set with [`TestServer::handler`] answers, else a 500 saying
//! so. Every request is logged before its action runs. Connections are kept
//! alive unless an action ends them; each connection is served by its own
//! task, so a delayed reply does not hold up other connections.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A canned response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long after reading the request before answering.
    pub delay: Duration,
    /// Send the body with `Transfer-Encoding: chunked` (in 16 KiB chunks).
    pub chunked: bool,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            chunked: false,
        }
    }

    /// A JSON reply.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::new(status)
            .header("content-type", "application/json")
            .body(body.into())
    }

    /// A reply with an arbitrary content type.
    pub fn text(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status)
            .header("content-type", content_type)
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answer (after the reply's delay).
    Reply(Reply),
    /// Close the connection without answering.
    Close,
    /// Reset the connection (RST) without answering.
    Reset,
    /// Send the reply's head declaring its full body length, then only the
    /// first `send` bytes of the body, then close.
    Truncated { reply: Reply, send: usize },
    /// Like `Truncated`, but wait `hold` before closing (a stalled stream).
    Stall {
        reply: Reply,
        send: usize,
        hold: Duration,
    },
}

impl From<Reply> for Action {
    fn from(reply: Reply) -> Self {
        Action::Reply(reply)
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent: path and query, still encoded.
    pub target: String,
    /// The decoded path.
    pub path: String,
    /// The decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which connection (numbered from 0 in accept order) carried it.
    pub connection: usize,
    pub received_at: Instant,
}

impl Recorded {
    /// The first value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// The first value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

type Handler = Box<dyn FnMut(&Recorded) -> Action + Send>;

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Action>>,
    log: Mutex<Vec<Recorded>>,
    handler: Mutex<Option<Handler>>,
}

/// Locks, shrugging off poisoning (a panicking test thread must not hide
/// the log from the assertions that follow).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl TestServer {
    /// Binds 127.0.0.1 on a free port and starts serving.
    pub async fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind test server");
        TestServer::serve_on(listener)
    }

    /// Binds `addr` (a port known to be free, e.g. one that refused a
    /// connection a moment ago) and starts serving.
    pub async fn start_on(addr: SocketAddr) -> io::Result<TestServer> {
        Ok(TestServer::serve_on(TcpListener::bind(addr).await?))
    }

    fn serve_on(listener: TcpListener) -> TestServer {
        let addr = listener.local_addr().expect("test server address");
        let shared = Arc::new(Shared::default());
        let accept_shared = shared.clone();
        let accept = tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                // Replies go out at once: a head and a body written apart
                // would otherwise wait for the client's delayed ACK (~40 ms).
                let _ = stream.set_nodelay(true);
                let shared = accept_shared.clone();
                tokio::spawn(serve(stream, shared, connection));
                connection += 1;
            }
        });
        TestServer {
            addr,
            shared,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends an action to the script.
    pub fn push(&self, action: impl Into<Action>) -> &Self {
        lock(&self.shared.script).push_back(action.into());
        self
    }

    /// Appends `n` copies of an action.
    pub fn push_n(&self, n: usize, action: impl Into<Action>) -> &Self {
        let action = action.into();
        let mut script = lock(&self.shared.script);
        for _ in 0..n {
            script.push_back(action.clone());
        }
        drop(script);
        self
    }

    /// Answers requests once the script is used up.
    pub fn handler(&self, f: impl FnMut(&Recorded) -> Action + Send + 'static) -> &Self {
        *lock(&self.shared.handler) = Some(Box::new(f));
        self
    }

    /// Every request seen so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    pub fn request_count(&self) -> usize {
        lock(&self.shared.log).len()
    }

    /// Scripted actions not used yet.
    pub fn remaining(&self) -> usize {
        lock(&self.shared.script).len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>, connection: usize) {
    let mut buf = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buf, connection).await {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => return,
        };
        lock(&shared.log).push(request.clone());
        let scripted = lock(&shared.script).pop_front();
        let action = match scripted {
            Some(action) => action,
            None => match lock(&shared.handler).as_mut() {
                Some(handler) => handler(&request),
                None => {
                    Reply::text(500, "text/plain", "test server: no scripted response left").into()
                }
            },
        };
        let keep_open = match action {
            Action::Reply(reply) => {
                tokio::time::sleep(reply.delay).await;
                let close = reply.headers.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close")
                });
                write_reply(&mut stream, &reply, None).await.is_ok() && !close
            }
            Action::Truncated { reply, send } => {
                tokio::time::sleep(reply.delay).await;
                let _ = write_reply(&mut stream, &reply, Some(send)).await;
                false
            }
            Action::Stall { reply, send, hold } => {
                tokio::time::sleep(reply.delay).await;
                let _ = write_reply(&mut stream, &reply, Some(send)).await;
                tokio::time::sleep(hold).await;
                false
            }
            Action::Close => {
                let _ = stream.shutdown().await;
                false
            }
            Action::Reset => {
                let _ = stream.set_zero_linger();
                false
            }
        };
        if !keep_open {
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads more bytes into `buf`; `false` at end of stream.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    connection: usize,
) -> io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(pos) = find(buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > 1 << 20 {
            return Err(bad("request head too large"));
        }
        if !fill(stream, buf).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let body = if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(stream, buf).await?
    } else {
        let len: usize = get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < len {
            if !fill(stream, buf).await? {
                return Err(bad("body ended early"));
            }
        }
        buf.drain(..len).collect()
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (target.as_str(), ""),
    };
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true), decode(v, true))
        })
        .collect();
    Ok(Some(Recorded {
        method,
        path: decode(path, false),
        target,
        query,
        headers,
        body,
        connection,
        received_at: Instant::now(),
    }))
}

async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(pos) = find(buf, b"\r\n") {
                break pos;
            }
            if !fill(stream, buf).await? {
                return Err(bad("chunked body ended early"));
            }
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // Skip trailers up to the blank line.
            loop {
                if let Some(pos) = find(buf, b"\r\n") {
                    buf.drain(..pos + 2);
                    if pos == 0 {
                        return Ok(body);
                    }
                } else if !fill(stream, buf).await? {
                    return Ok(body);
                }
            }
        }
        while buf.len() < size + 2 {
            if !fill(stream, buf).await? {
                return Err(bad("chunk ended early"));
            }
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

/// Percent-decoding (and `+` as space in queries).
fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes `reply`; with `truncate_at`, only that much of the body.
async fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    truncate_at: Option<usize>,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let has = |name: &str| {
        reply
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if reply.chunked {
        head.push_str("transfer-encoding: chunked\r\n");
    } else if !has("content-length") {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let body = &reply.body[..truncate_at
        .unwrap_or(reply.body.len())
        .min(reply.body.len())];
    if reply.chunked {
        for chunk in body.chunks(16 * 1024) {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            stream.write_all(chunk).await?;
            stream.write_all(b"\r\n").await?;
        }
        if truncate_at.is_none() {
            stream.write_all(b"0\r\n\r\n").await?;
        }
    } else {
        stream.write_all(body).await?;
    }
    stream.flush().await
}

/// A [`TestServer`] on a thread with a runtime of its own, for tests of
/// synchronous code (the blocking client). It serves until dropped.
pub struct ThreadServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    ask: std::sync::mpsc::Sender<std::sync::mpsc::Sender<usize>>,
}

impl ThreadServer {
    /// Starts the server; `script` runs on its thread before any request.
    pub fn start(script: impl FnOnce(&TestServer) + Send + 'static) -> ThreadServer {
        use std::sync::mpsc;
        let (url_tx, url_rx) = mpsc::channel();
        let (ask, asked) = mpsc::channel::<mpsc::Sender<usize>>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            rt.block_on(async move {
                let server = TestServer::start().await;
                script(&server);
                let _ = url_tx.send(server.url());
                loop {
                    match asked.try_recv() {
                        Ok(reply) => {
                            let _ = reply.send(server.request_count());
                        }
                        Err(mpsc::TryRecvError::Disconnected) => return,
                        Err(mpsc::TryRecvError::Empty) => {}
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            });
        });
        let url = url_rx.recv().expect("test server thread");
        ThreadServer { url, ask }
    }

    /// How many requests the server has seen.
    pub fn request_count(&self) -> usize {
        let (tx, rx) = std::sync::mpsc::channel();
        self.ask.send(tx).expect("test server thread");
        rx.recv().expect("test server thread")
    }
}
