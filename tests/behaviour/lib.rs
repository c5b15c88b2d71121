//! A one-shot HTTP/1.1 server on localhost that records the request it
//! receives and answers with a fixed response.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The request the server received.
#[derive(Debug, Clone)]
pub struct Captured {
    /// `PUT /items/7?ids=1 HTTP/1.1`
    pub request_line: String,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    /// Every value of a header (name compared case-insensitively).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The request target: path and query.
    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or("")
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A response to send back.
pub struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            content_type: None,
            body: Vec::new(),
        }
    }

    pub fn json(text: &str) -> Reply {
        Reply {
            status: 200,
            content_type: Some("application/json"),
            body: text.as_bytes().to_vec(),
        }
    }

    pub fn bytes(data: &[u8]) -> Reply {
        Reply {
            status: 200,
            content_type: Some("application/octet-stream"),
            body: data.to_vec(),
        }
    }
}

/// Starts the server; returns its base URL and the request it will record.
pub async fn serve_once(reply: Reply) -> (String, JoinHandle<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut data = Vec::new();
        let mut buf = [0u8; 4096];
        let head_end = loop {
            let n = socket.read(&mut buf).await.expect("read");
            assert!(n > 0, "connection closed before the request head ended");
            data.extend_from_slice(&buf[..n]);
            if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
        };
        let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or("").to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = data[head_end + 4..].to_vec();
        while body.len() < length {
            let n = socket.read(&mut buf).await.expect("read body");
            assert!(n > 0, "connection closed before the body ended");
            body.extend_from_slice(&buf[..n]);
        }
        let mut response = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
            reply.status,
            reply.body.len()
        );
        if let Some(ct) = reply.content_type {
            response.push_str(&format!("content-type: {ct}\r\n"));
        }
        response.push_str("\r\n");
        let mut out = response.into_bytes();
        out.extend_from_slice(&reply.body);
        socket.write_all(&out).await.expect("write");
        let _ = socket.shutdown().await;
        Captured {
            request_line,
            headers,
            body,
        }
    });
    (url, handle)
}
