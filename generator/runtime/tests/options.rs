//! Per-call options (`Client::with_options`) and responses with their status
//! and headers (`Client::raw`), against the scripted server.

mod support;

use std::time::{Duration, Instant};

use runtime::{Client, Credentials, Error, Request, RequestOptions, RetryPolicy};
use serde::Deserialize;
use support::{Reply, TestServer};

const TOKEN: &str = "tok-SECRET-789";

fn client(server: &TestServer) -> Client {
    Client::builder(&server.url())
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

#[tokio::test]
async fn a_timeout_for_some_calls_leaves_the_client_as_it_was() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, r#"{"id":"slow"}"#).delay(Duration::from_secs(3)));
    server.push(Reply::json(200, r#"{"id":"a"}"#).delay(Duration::from_millis(300)));
    let base = client(&server);
    let hasty = base.with_options(RequestOptions::new().timeout(Duration::from_millis(100)));
    let started = Instant::now();
    let err = hasty
        .send_json::<Thing>(&Request::get("/t"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The client it came from keeps its own (60 s) timeout.
    let thing = base.send_json::<Thing>(&Request::get("/t")).await.unwrap();
    assert_eq!(thing.id, "a");
}

#[tokio::test]
async fn extra_headers_are_sent_but_never_replace_the_credentials() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, r#"{"id":"a"}"#));
    let view = client(&server)
        .with_options(
            RequestOptions::new()
                .header("x-trace", "1")
                .header("Authorization", "Bearer stolen")
                .header("X-Auth-Key", "stolen"),
        )
        .with_options(RequestOptions::new().header("x-trace", "2"));
    view.send_json::<Thing>(&Request::get("/t")).await.unwrap();
    let seen = &server.requests()[0];
    let traces: Vec<&str> = seen
        .headers
        .iter()
        .filter(|(k, _)| k == "x-trace")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(traces, ["1", "2"]);
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(!seen.has_header("x-auth-key"));
    let shown = format!("{view:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("stolen"),
        "{shown}"
    );
    assert!(shown.contains("x-trace"), "{shown}");
}

#[tokio::test]
async fn a_body_cap_and_a_retry_policy_for_some_calls() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        200,
        format!(r#"{{"id":"{}"}}"#, "x".repeat(100)),
    ));
    let capped = client(&server).with_options(RequestOptions::new().max_response_bytes(64));
    let err = capped
        .send_json::<Thing>(&Request::get("/t"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 64 }), "{err:?}");

    server.push(Reply::new(500));
    server.push(Reply::json(200, r#"{"id":"b"}"#));
    let patient = client(&server).with_options(RequestOptions::new().retry_policy(RetryPolicy {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    }));
    assert_eq!(patient.retry_policy().max_retries, 1);
    let thing = patient
        .send_json::<Thing>(&Request::get("/t"))
        .await
        .unwrap();
    assert_eq!(thing.id, "b");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn raw_gives_status_headers_and_the_decoded_body_from_one_request() {
    let server = TestServer::start().await;
    server.push(
        Reply::json(201, r#"{"id":"a"}"#)
            .header("cf-ray", "8a1b2c3d-AMS")
            .header("x-ratelimit-remaining", "99"),
    );
    let c = client(&server);
    let raw = c
        .raw(|c| async move { c.send_json::<Thing>(&Request::get("/t")).await })
        .await
        .unwrap();
    assert_eq!(raw.status, 201);
    assert_eq!(raw.headers["cf-ray"], "8a1b2c3d-AMS");
    assert_eq!(raw.headers["x-ratelimit-remaining"], "99");
    assert_eq!(raw.body, Thing { id: "a".into() });
    assert_eq!(raw.map(|t| t.id).body, "a");
    assert_eq!(server.request_count(), 1);

    // Options and raw compose; an error stays the error.
    server.push(Reply::json(
        404,
        r#"{"errors":[{"code":7,"message":"gone"}]}"#,
    ));
    let err = c
        .with_options(RequestOptions::new().header("x-a", "1"))
        .raw(|c| async move { c.send_json::<Thing>(&Request::get("/t")).await })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
    assert_eq!(server.requests()[1].header("x-a"), Some("1"));

    // A call that sends nothing has no response to show.
    let err = c.raw(|_| async { Ok(()) }).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}
