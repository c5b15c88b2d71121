//! Hostile input, part 2: the generated client against servers that misbehave
//! without end (endless or trickling bodies, endless headers, pagination that
//! never stops, echoed credentials, odd responses). Part 1 (hostile/) covers
//! the generator.

#[path = "../../generator/runtime/tests/support/mod.rs"]
mod support;
use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
use cloudflare_ai_gateway::runtime::error::MAX_ERROR_BODY;
use cloudflare_ai_gateway::runtime::Request;
use cloudflare_ai_gateway::{Client, ClientBuilder, Credentials, Error, RetryPolicy};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Reply, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ------------------------------------------------- 6. the client vs. servers

const TOKEN: &str = "tok-SECRET-hostile-789";
const KEY: &str = "key-SECRET-hostile-012";
const ACCOUNT: &str = "0123456789abcdef";

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(fast_retries(2))
        .timeout(Duration::from_secs(5))
}

async fn list(
    c: &Client,
) -> Result<cloudflare_ai_gateway::models::AigConfigListGatewayResponse, Error> {
    c.aig_config_list_gateway(ACCOUNT, &AigConfigListGatewayParams::default())
        .await
}

/// What a raw server does after reading a request.
#[derive(Clone, Copy, Debug)]
enum Misbehaviour {
    /// `200`, chunked, and chunks for ever.
    EndlessChunked,
    /// `200` without a length: the body ends when the connection closes,
    /// which never happens.
    EndlessUntilClose,
    /// `200` claiming a terabyte, then data for ever.
    HugeLength,
    /// `503`, chunked, for ever (error bodies are kept, truncated).
    EndlessErrorBody,
    /// A status line, then header lines for ever.
    EndlessHeaders,
    /// A complete `200` whose body arrives one byte at a time.
    Trickle,
}

/// A raw TCP server that misbehaves on every connection. Each connection
/// stops by itself after 256 MiB or 20 s; the counts are for assertions.
struct RawServer {
    url: String,
    written: Arc<AtomicU64>,
    connections: Arc<AtomicUsize>,
}

async fn raw_server(how: Misbehaviour) -> RawServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (w, c) = (written.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let w = w.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|x| x == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head: &[u8] = match how {
                    Misbehaviour::EndlessChunked => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                    Misbehaviour::EndlessUntilClose => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n",
                    Misbehaviour::HugeLength => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000000\r\n\r\n",
                    Misbehaviour::EndlessErrorBody => b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n",
                    Misbehaviour::EndlessHeaders => b"HTTP/1.1 200 OK\r\n",
                    Misbehaviour::Trickle => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n",
                };
                if socket.write_all(head).await.is_err() {
                    return;
                }
                let started = Instant::now();
                let piece: Vec<u8> = match how {
                    Misbehaviour::EndlessChunked | Misbehaviour::EndlessErrorBody => {
                        let data = "[1,2,3,4,5,6,7,8,9],".repeat(3000);
                        format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
                    }
                    Misbehaviour::EndlessUntilClose | Misbehaviour::HugeLength => {
                        b"[1,2,3,4,5,6,7,8,9],".repeat(3000)
                    }
                    Misbehaviour::EndlessHeaders => {
                        b"x-padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                            .repeat(100)
                    }
                    Misbehaviour::Trickle => b" ".to_vec(),
                };
                while w.load(Ordering::SeqCst) < 256 << 20
                    && started.elapsed() < Duration::from_secs(20)
                {
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                    w.fetch_add(piece.len() as u64, Ordering::SeqCst);
                    if let Misbehaviour::Trickle = how {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            });
        }
    });
    RawServer {
        url,
        written,
        connections,
    }
}

#[tokio::test]
async fn endless_bodies_stop_at_the_size_cap() {
    const CAP: usize = 256 * 1024;
    for how in [
        Misbehaviour::EndlessChunked,
        Misbehaviour::EndlessUntilClose,
        Misbehaviour::HugeLength,
    ] {
        let server = raw_server(how).await;
        let c = builder(&server.url)
            .max_response_bytes(CAP)
            .build()
            .unwrap();
        let started = Instant::now();
        let result = tokio::time::timeout(Duration::from_secs(15), list(&c)).await;
        let err = result
            .unwrap_or_else(|_| panic!("{how:?}: the client never gave up"))
            .unwrap_err();
        assert!(
            matches!(err, Error::BodyTooLarge { limit: CAP }),
            "{how:?}: {err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{how:?}: {:.1?}",
            started.elapsed()
        );
        // Not retried, and the client stopped reading: the server could
        // only write what the socket buffers hold beyond the cap.
        assert_eq!(server.connections.load(Ordering::SeqCst), 1, "{how:?}");
        let written = server.written.load(Ordering::SeqCst);
        assert!(
            written < 64 << 20,
            "{how:?}: the server wrote {written} bytes"
        );
    }
}

#[tokio::test]
async fn an_endless_error_body_is_kept_truncated() {
    let server = raw_server(Misbehaviour::EndlessErrorBody).await;
    let c = builder(&server.url).build().unwrap();
    let err = tokio::time::timeout(Duration::from_secs(15), list(&c))
        .await
        .expect("the client gave up")
        .unwrap_err();
    match &err {
        Error::Api {
            status: 503, body, ..
        } => assert!(body.len() <= MAX_ERROR_BODY, "{}", body.len()),
        other => panic!("{other:?}"),
    }
    // Retried as a 503, a bounded number of times.
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn endless_headers_and_trickling_bodies_end() {
    let server = raw_server(Misbehaviour::EndlessHeaders).await;
    let c = builder(&server.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(15), list(&c))
        .await
        .expect("endless headers: the client never gave up")
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(_) | Error::Timeout),
        "{err:?}"
    );

    let server = raw_server(Misbehaviour::Trickle).await;
    let c = builder(&server.url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = tokio::time::timeout(Duration::from_secs(15), list(&c))
        .await
        .expect("trickle: the client never gave up")
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:.1?}",
        started.elapsed()
    );
}

fn gateway(id: &str) -> Value {
    json!({
        "id": id, "cache_invalidate_on_update": false, "cache_ttl": 0, "collect_logs": false,
        "created_at": "2024-01-01T00:00:00Z", "modified_at": "2024-01-01T00:00:00Z",
        "rate_limiting_interval": 0, "rate_limiting_limit": 0,
    })
}

/// Serves every page with `per_page` items (an empty page when 0) and the
/// given `result_info`.
fn serve(server: &TestServer, per_page: usize, info: Value) {
    server.handler(move |r| {
        let page = r.query_param("page").unwrap_or("1").to_string();
        let items: Vec<Value> = (0..per_page).map(|i| gateway(&format!("p{page}-{i}"))).collect();
        Reply::json(200, json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info}).to_string()).into()
    });
}

async fn walk(c: &Client, per_page: i64) -> (usize, Option<Error>) {
    let params = AigConfigListGatewayParams::default().per_page(per_page);
    let mut stream = c.aig_config_list_gateway_stream(ACCOUNT, &params);
    let mut n = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => n += 1,
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

#[tokio::test]
async fn pagination_ends_whatever_result_info_claims() {
    // A billion pages, but the first is empty: an empty page ends the list.
    let server = TestServer::start().await;
    serve(
        &server,
        0,
        json!({"page": 1, "per_page": 2, "count": 0, "total_pages": 1_000_000_000, "total_count": 2_000_000_000i64}),
    );
    let c = builder(&server.url()).max_pages(5).build().unwrap();
    let (items, err) = walk(&c, 2).await;
    assert_eq!((items, err.is_none()), (0, true), "{err:?}");
    assert_eq!(server.request_count(), 1);

    // A billion full pages: the page cap ends it, with an error saying so.
    let server = TestServer::start().await;
    serve(
        &server,
        2,
        json!({"page": 1, "per_page": 2, "count": 2, "total_pages": 1_000_000_000}),
    );
    let c = builder(&server.url()).max_pages(5).build().unwrap();
    let (items, err) = walk(&c, 2).await;
    assert_eq!(items, 10);
    assert!(
        matches!(err, Some(Error::TooManyPages { limit: 5 })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 5);

    // Nonsense counters, full pages: never more than the cap, never a panic.
    for info in [
        json!({"page": -1, "per_page": 0, "count": -5, "total_pages": -3, "total_count": -1}),
        json!({"page": i64::MAX, "per_page": i64::MAX, "count": i64::MAX, "total_pages": i64::MAX, "total_count": i64::MAX}),
        json!({"page": 0, "per_page": 1, "total_pages": 0}),
        json!({"per_page": 1_000_000_000_000i64}),
        json!({"total_pages": 1.5}),
        json!({"total_pages": "many"}),
        json!(null),
        json!([]),
    ] {
        let server = TestServer::start().await;
        serve(&server, 2, info.clone());
        let c = builder(&server.url()).max_pages(5).build().unwrap();
        let walked = tokio::time::timeout(Duration::from_secs(10), walk(&c, 2)).await;
        let (items, err) = walked.unwrap_or_else(|_| panic!("{info}: paging did not end"));
        assert!(
            server.request_count() <= 5,
            "{info}: {} requests",
            server.request_count()
        );
        assert!(items <= 10, "{info}: {items} items");
        if let Some(e) = &err {
            assert!(
                matches!(e, Error::TooManyPages { limit: 5 } | Error::Decode { .. }),
                "{info}: {e:?}"
            );
        }
    }
}

/// The variants the other credential tests do not produce: a timeout, a
/// decode error, an oversized body, the page cap and an unsendable request.
#[tokio::test]
async fn no_error_variant_shows_a_credential() {
    let server = TestServer::start().await;
    let token = builder(&server.url()).build().unwrap();
    let key = builder(&server.url())
        .credentials(Credentials::email_key("ops@example.com", KEY))
        .build()
        .unwrap();
    let mut errors = Vec::new();
    for c in [&token, &key] {
        server.push(Reply::json(200, r#"{"result": [{"id": 1}]"#).delay(Duration::ZERO));
        errors.push(list(c).await.unwrap_err());
        let slow = builder(&server.url())
            .credentials(Credentials::email_key("ops@example.com", KEY))
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        server.push(Reply::json(200, "{}").delay(Duration::from_secs(2)));
        errors.push(list(&slow).await.unwrap_err());
        let small = builder(&server.url())
            .max_response_bytes(10)
            .build()
            .unwrap();
        server.push(Reply::json(200, "x".repeat(100)));
        errors.push(list(&small).await.unwrap_err());
        errors.push(
            c.send(&Request::get("/x").header("x-bad", "a\nb"))
                .await
                .unwrap_err(),
        );
    }
    serve(&server, 1, json!({"total_pages": 1_000_000}));
    let capped = builder(&server.url()).max_pages(1).build().unwrap();
    errors.push(walk(&capped, 1).await.1.expect("the cap"));
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Decode { .. } => "decode",
            Error::Timeout => "timeout",
            Error::BodyTooLarge { .. } => "too-large",
            Error::InvalidRequest { .. } => "invalid-request",
            Error::TooManyPages { .. } => "pages",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "decode",
            "timeout",
            "too-large",
            "invalid-request",
            "decode",
            "timeout",
            "too-large",
            "invalid-request",
            "pages"
        ],
        "{errors:?}"
    );
    let mut texts = vec![format!("{token:?} {token:#?} {key:?} {key:#?}")];
    texts.extend(errors.iter().map(|e| format!("{e} {e:?} {e:#?}")));
    for text in texts {
        assert!(!text.contains("SECRET"), "{text}");
    }
    // The server saw the credentials, so they were there to leak.
    let seen = server.requests();
    assert!(seen
        .iter()
        .any(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))));
    assert!(seen.iter().any(|r| r.header("x-auth-key") == Some(KEY)));
}

/// A server (or a proxy in front of it) that echoes the request's
/// credentials into its answers must not get them into errors, which end up
/// in logs.
#[tokio::test]
async fn credentials_a_server_echoes_never_reach_an_error() {
    let server = TestServer::start().await;
    let echo = |secret: &str| {
        vec![
            Reply::json(
                401,
                format!(
                    r#"{{"success":false,"errors":[{{"code":10000,"message":"bad token {secret}"}}]}}"#
                ),
            ),
            Reply::text(
                502,
                "text/html",
                format!("<html>Authorization: Bearer {secret}</html>"),
            ),
            Reply::json(200, format!(r#"{{"result": [], "success": "{secret}"}}"#)),
            Reply::json(200, format!("not json {secret} at all")),
        ]
    };
    let token = builder(&server.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let key = builder(&server.url())
        .credentials(Credentials::email_key("ops@example.com", KEY))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut errors = Vec::new();
    for (c, secret) in [(&token, TOKEN), (&key, KEY)] {
        for reply in echo(secret) {
            server.push(reply);
            errors.push(list(c).await.unwrap_err());
        }
    }
    assert_eq!(server.request_count(), 8);
    for e in &errors {
        assert!(
            matches!(e, Error::Api { .. } | Error::Decode { .. }),
            "{e:?}"
        );
        let text = format!("{e} {e:?} {e:#?}");
        assert!(!text.contains("SECRET"), "{text}");
        // What the server said is still there, redacted.
        assert!(text.contains("[redacted]"), "{text}");
    }
}

/// Odd but finite answers: each ends in a value or the error it should be,
/// quickly, with the number of requests the retry policy allows.
#[tokio::test]
async fn odd_responses_end_in_a_value_or_the_right_error() {
    let ok = json!({"success": true, "errors": [], "messages": [], "result": [gateway("g")]});
    // Deep nesting in an ignored field is skipped without recursion; in a
    // field whose catch-all holds raw JSON it meets the parser's limit.
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_ignored = format!(
        r#"{{"success": true, "result": [], "x": {}}}"#,
        nest(100_000)
    );
    let deep_kept = {
        let mut g = gateway("g");
        g["dlp"] = json!("PLACEHOLDER");
        json!({"success": true, "result": [g]})
            .to_string()
            .replace("\"PLACEHOLDER\"", &nest(100_000))
    };
    let mut invalid_utf8 = br#"{"success": true, "result": [{"id": ""#.to_vec();
    invalid_utf8.extend_from_slice(b"\xff\xfe");
    invalid_utf8.extend_from_slice(br#""}]}"#);
    let far_future = "Fri, 31 Dec 9999 23:59:59 GMT";
    type Check =
        fn(&Result<cloudflare_ai_gateway::models::AigConfigListGatewayResponse, Error>) -> bool;
    let decode: Check = |r| matches!(r, Err(Error::Decode { .. }));
    let fine: Check = |r| matches!(r, Ok(page) if page.result.len() == 1);
    let cases: Vec<(&str, Vec<Reply>, Check, usize)> = vec![
        ("204 without a body", vec![Reply::new(204)], decode, 1),
        ("JSON `null`", vec![Reply::json(200, "null")], decode, 1),
        ("an array", vec![Reply::json(200, "[]")], decode, 1),
        ("an empty object", vec![Reply::json(200, "{}")], decode, 1),
        (
            "invalid UTF-8 in a string",
            vec![Reply::new(200).body(invalid_utf8)],
            decode,
            1,
        ),
        (
            "deep nesting in an unknown field",
            vec![Reply::json(200, deep_ignored)],
            |r| matches!(r, Ok(p) if p.result.is_empty()),
            1,
        ),
        (
            "deep nesting in a raw JSON catch-all",
            vec![Reply::json(200, deep_kept)],
            decode,
            1,
        ),
        (
            "gzip the client never asked for",
            vec![Reply::json(200, "\u{1f}\u{8b}garbage").header("content-encoding", "gzip")],
            decode,
            1,
        ),
        (
            "JSON sent as text/html",
            vec![Reply::text(200, "text/html", ok.to_string())],
            fine,
            1,
        ),
        (
            "a megabyte of unknown field",
            vec![Reply::json(200, {
                let mut v = ok.clone();
                v["unknown"] = json!("x".repeat(1 << 20));
                v.to_string()
            })],
            fine,
            1,
        ),
        (
            "a redirect to another host",
            vec![Reply::new(302).header("location", "http://example.invalid/steal")],
            |r| matches!(r, Err(Error::Api { status: 302, .. })),
            1,
        ),
        (
            "status 600",
            vec![Reply::json(600, "{}")],
            |r| matches!(r, Err(Error::Api { status: 600, .. })),
            1,
        ),
        (
            "conflicting content lengths",
            // Retried: a broken response is a transport failure.
            vec![
                Reply::json(200, ok.to_string())
                    .header("content-length", "5")
                    .header("content-length", "7");
                3
            ],
            |r| matches!(r, Err(Error::Transport(_))),
            3,
        ),
        (
            "429 until a far-future date",
            vec![
                Reply::json(429, "{}").header("retry-after", far_future),
                Reply::json(200, ok.to_string()),
            ],
            fine,
            2,
        ),
        (
            "503 for 1e308 milliseconds",
            vec![
                Reply::json(503, "{}").header("retry-after-ms", "1e308"),
                Reply::json(200, ok.to_string()),
            ],
            fine,
            2,
        ),
        (
            "Retry-After that is no number or date",
            vec![
                Reply::json(503, "{}").header("retry-after", "soon\u{7f}"),
                Reply::json(200, ok.to_string()),
            ],
            fine,
            2,
        ),
    ];
    for (name, replies, check, requests) in cases {
        let server = TestServer::start().await;
        for r in replies {
            server.push(r);
        }
        let c = builder(&server.url()).build().unwrap();
        let started = Instant::now();
        let result = tokio::time::timeout(Duration::from_secs(10), list(&c))
            .await
            .unwrap_or_else(|_| panic!("{name}: no answer in 10 s"));
        assert!(check(&result), "{name}: {result:?}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{name}: {:.1?}",
            started.elapsed()
        );
        assert_eq!(server.request_count(), requests, "{name}");
    }
}
