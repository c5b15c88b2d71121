//! The blocking client from plain synchronous tests against the scripted
//! server (run on a thread of its own): calls, retries, pagers, and the
//! refusal inside an async runtime. `cargo test --features blocking`.

#![cfg(feature = "blocking")]

mod support;

use std::time::Duration;

use runtime::{
    BlockingClient, Client, Credentials, Error, PageSpec, PagerConfig, Request, RetryPolicy, V4Page,
};
use serde::Deserialize;
use support::{Reply, ThreadServer};

fn blocking(url: &str) -> BlockingClient {
    let client = Client::builder(url)
        .credentials(Credentials::api_token("t"))
        .retry_policy(RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    BlockingClient::new(client).unwrap()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

#[test]
fn calls_and_retries_work_from_synchronous_code() {
    let server = ThreadServer::start(|s| {
        s.push(Reply::new(503));
        s.push(Reply::json(200, r#"{"id":"a"}"#));
        s.push(Reply::json(404, r#"{"errors":[]}"#));
    });
    let client = blocking(&server.url);
    let thing = client
        .call(|c| async move { c.send_json::<Thing>(&Request::get("/t")).await })
        .unwrap();
    assert_eq!(thing, Thing { id: "a".into() });
    assert_eq!(server.request_count(), 2, "the 503 was retried");
    let err = client
        .call(|c| async move { c.send_json::<Thing>(&Request::get("/t")).await })
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}

#[test]
fn pagers_are_iterators() {
    struct P(Vec<u32>);
    impl V4Page for P {
        type Item = u32;
        fn into_parts(self) -> (Vec<u32>, Option<runtime::PageInfo>) {
            (self.0, None)
        }
    }
    let server = ThreadServer::start(|s| {
        s.push(Reply::json(200, "[1,2]"));
        s.push(Reply::json(200, "[3]"));
    });
    let client = blocking(&server.url);
    let c = client.client().clone();
    let stream = runtime::pager::items::<P, _, _>(
        PageSpec::new(None, Some(2), Some(2)),
        PagerConfig::default(),
        move |n| {
            let c = c.clone();
            async move {
                let req = Request::get("/list").query("page", n);
                c.send_json::<Vec<u32>>(&req).await.map(P)
            }
        },
    );
    let items: Vec<u32> = client.iter(stream).collect::<Result<_, _>>().unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn inside_an_async_runtime_it_refuses_instead_of_stalling() {
    let server = ThreadServer::start(|_| {});
    let client = blocking(&server.url);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt.block_on(async {
        client.call(|c| async move { c.send_empty(&Request::get("/t")).await })
    });
    assert!(
        matches!(&err, Err(Error::InvalidRequest { message }) if message.contains("inside an async runtime")),
        "{err:?}"
    );
}

#[test]
fn streamed_events_are_iterators() {
    let server = ThreadServer::start(|s| {
        s.push(Reply::text(200, "text/event-stream", "data: a\n\n: ping\n\ndata: b\n\n").chunked());
    });
    let client = blocking(&server.url);
    let events = client
        .call(|c| async move { c.send_events(&Request::get("/e")).await })
        .unwrap();
    let data: Vec<String> = client.iter(events).map(|e| e.unwrap().data).collect();
    assert_eq!(data, ["a", "b"]);
}
