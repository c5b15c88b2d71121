//! Streamed responses and multipart bodies against the scripted server:
//! events, JSON lines and bytes arrive typed and in order, retries happen
//! before the first item and never after, and the body cap and timeout
//! end a stream with an error.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use runtime::{Client, Credentials, Error, Event, FilePart, Multipart, Request, RetryPolicy};
use serde::Deserialize;
use support::{Action, Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder(&server.url())
        .credentials(Credentials::api_token("t"))
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Row {
    n: u32,
}

const EVENTS: &str = ": hello\r\nevent: row\r\nid: 1\r\ndata: {\"n\":1}\r\n\r\ndata: {\"n\":\r\ndata: 2}\r\n\r\ndata: not json\n\n";

#[tokio::test]
async fn events_arrive_typed_after_a_retried_503() {
    let server = TestServer::start().await;
    server.push(Reply::new(503));
    server.push(Reply::text(200, "text/event-stream", EVENTS).chunked());
    let events: Vec<Result<Event<Row>, Error>> = client(&server)
        .send_events_json(&Request::get("/e"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(server.request_count(), 2);
    let first = events[0].as_ref().unwrap();
    assert_eq!(
        (first.event.as_deref(), first.id.as_deref(), &first.data),
        (Some("row"), Some("1"), &Row { n: 1 })
    );
    assert_eq!(events[1].as_ref().unwrap().data, Row { n: 2 });
    // Data that does not decode is an item error; the stream goes on to its end.
    assert!(
        matches!(events[2], Err(Error::Decode { status: 200, .. })),
        "{events:?}"
    );
    assert_eq!(events.len(), 3);

    server.push(Reply::text(200, "text/event-stream", EVENTS));
    let text: Vec<String> = client(&server)
        .send_events(&Request::get("/e"))
        .await
        .unwrap()
        .map(|e| e.unwrap().data)
        .collect()
        .await;
    assert_eq!(text, ["{\"n\":1}", "{\"n\":\n2}", "not json"]);
}

#[tokio::test]
async fn an_error_status_fails_before_the_stream() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        404,
        r#"{"errors":[{"code":7,"message":"gone"}]}"#,
    ));
    let Err(err) = client(&server).send_events(&Request::get("/e")).await else {
        panic!("a 404 opens no stream")
    };
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}

#[tokio::test]
async fn json_lines_arrive_typed() {
    let server = TestServer::start().await;
    server.push(
        Reply::text(
            200,
            "application/x-ndjson",
            "{\"n\":1}\n\n{\"n\":2}\r\n{\"n\":3}",
        )
        .chunked(),
    );
    let rows: Vec<Row> = client(&server)
        .send_json_lines(&Request::get("/l"))
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(rows, [Row { n: 1 }, Row { n: 2 }, Row { n: 3 }]);
}

#[tokio::test]
async fn bytes_stream_whole_and_the_cap_ends_the_stream() {
    let server = TestServer::start().await;
    let body: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
    server.push(Reply::text(200, "application/octet-stream", body.clone()).chunked());
    let mut got = Vec::new();
    let mut chunks = client(&server)
        .send_byte_stream(&Request::get("/b"))
        .await
        .unwrap();
    while let Some(chunk) = chunks.next().await {
        got.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(got, body);

    // Chunked (no declared length): the cap ends the stream mid-way.
    let capped = || {
        let c = client(&server);
        c.with_options(runtime::RequestOptions::new().max_response_bytes(40_000))
    };
    server.push(Reply::text(200, "application/octet-stream", body.clone()).chunked());
    let items: Vec<_> = capped()
        .send_byte_stream(&Request::get("/b"))
        .await
        .unwrap()
        .collect()
        .await;
    let read: usize = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|c| c.len())
        .sum();
    assert!(read <= 40_000, "{read}");
    assert!(matches!(
        items.last(),
        Some(Err(Error::BodyTooLarge { limit: 40_000 }))
    ));
    // A declared length over the cap fails before the stream.
    server.push(Reply::text(200, "application/octet-stream", body));
    let Err(err) = capped().send_byte_stream(&Request::get("/b")).await else {
        panic!("too large")
    };
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn a_broken_or_stalled_stream_ends_with_an_error_and_is_not_retried() {
    let server = TestServer::start().await;
    let reply = Reply::text(200, "text/event-stream", "data: a\n\ndata: b\n\n");
    server.push(Action::Truncated {
        reply: reply.clone(),
        send: 10,
    });
    let items: Vec<_> = client(&server)
        .send_events(&Request::get("/e"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "a");
    assert!(matches!(items[1], Err(Error::Transport(_))), "{items:?}");
    assert_eq!(server.request_count(), 1);

    server.push(Action::Stall {
        reply,
        send: 10,
        hold: Duration::from_secs(5),
    });
    let quick = client(&server)
        .with_options(runtime::RequestOptions::new().timeout(Duration::from_millis(300)));
    let items: Vec<_> = quick
        .send_events(&Request::get("/e"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items[0].as_ref().unwrap().data, "a");
    assert!(
        matches!(items.last(), Some(Err(Error::Timeout))),
        "{items:?}"
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn multipart_bodies_reach_the_server_and_retries_resend_them() {
    let server = TestServer::start().await;
    server.push(Reply::new(503));
    server.push(Reply::json(200, "{}"));
    let script = FilePart::new("export default {}")
        .file_name("worker.js")
        .content_type("application/javascript+module");
    let body = Multipart::new()
        .file("files", &script, None)
        .json(
            "metadata",
            &serde_json::json!({"main_module": "worker.js"}),
            None,
        )
        .unwrap()
        .into_body()
        .unwrap();
    client(&server)
        .send_empty(&Request::put("/workers/scripts/w").body(body))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retry sends the same bytes"
    );
    let content_type = requests[1].header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let text = requests[1].body_text();
    assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"worker.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport default {{}}\r\n")), "{text}");
    assert!(
        text.ends_with(&format!(
            "{{\"main_module\":\"worker.js\"}}\r\n--{boundary}--\r\n"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn an_event_that_never_ends_stops_at_the_cap() {
    let server = TestServer::start().await;
    // 4 MiB of one `data:` line with no line break: nothing to dispatch,
    // and the parser's buffer can only grow up to the cap.
    let mut body = b"data: ".to_vec();
    body.resize(4 << 20, b'x');
    server.push(Reply::text(200, "text/event-stream", body).chunked());
    let capped =
        client(&server).with_options(runtime::RequestOptions::new().max_response_bytes(256 * 1024));
    let items: Vec<_> = capped
        .send_events(&Request::get("/e"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(matches!(
        items[0],
        Err(Error::BodyTooLarge { limit: 262_144 })
    ));
}
