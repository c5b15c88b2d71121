//! With the `tracing` feature: a span per request and events for attempts,
//! retries (delay and why) and pages, captured by a small subscriber, and
//! never a secret in them. `cargo test --features tracing`.

#![cfg(feature = "tracing")]

mod support;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtime::{Client, Credentials, Request, RetryPolicy};
use support::{Reply, TestServer};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TOKEN: &str = "tok-SECRET-trace-123";

/// Every span and event as one line of text: `span request method=GET …`,
/// `event INFO retrying retry=1 …` (the dependencies' own events too, so
/// that a secret is looked for in everything a subscriber would see).
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = match field.name() {
            "message" => write!(self.0, " {value:?}"),
            name => write!(self.0, " {name}={value:?}"),
        };
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields("record".to_string());
        values.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().level()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

#[tokio::test]
async fn requests_attempts_and_retries_are_traced_without_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = TestServer::start().await;
    // The server echoes the token in its error body: it must not reach the
    // trace (the error is scrubbed before it is traced).
    server.push(
        Reply::json(
            503,
            format!(r#"{{"errors":[{{"code":1,"message":"bad {TOKEN}"}}]}}"#),
        )
        .header("retry-after-ms", "5"),
    );
    server.push(Reply::json(200, r#"{"result":1}"#));
    let client = Client::builder(&server.url())
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let request = Request::get("/zones").query("secret_query", "q-value");
    client.send_empty(&request).await.unwrap();
    server.push(Reply::json(
        400,
        format!(r#"{{"errors":[{{"code":2,"message":"no {TOKEN}"}}]}}"#),
    ));
    client
        .send_empty(&Request::post("/zones"))
        .await
        .unwrap_err();

    let text = capture.text();
    assert!(
        text.contains("span request method=GET path=/zones"),
        "{text}"
    );
    assert!(
        text.contains("event INFO retrying retry=1 delay_ms=5 reason=Some(Status { status: 503, retry_after: true }) server_asked=true"),
        "{text}"
    );
    assert!(
        text.contains("event DEBUG response attempt=2 status=200"),
        "{text}"
    );
    assert!(
        text.contains("span request method=POST path=/zones"),
        "{text}"
    );
    assert!(
        text.contains(
            "event WARN request failed attempts=1 error=API error (HTTP 400): [2] no [redacted]"
        ),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains("q-value"), "the query is not traced: {text}");
}

#[tokio::test]
async fn pages_are_traced() {
    use futures_util::StreamExt;
    use runtime::{PageSpec, PagerConfig, V4Page};

    struct P(Vec<u32>);
    impl V4Page for P {
        type Item = u32;
        fn into_parts(self) -> (Vec<u32>, Option<runtime::PageInfo>) {
            (self.0, None)
        }
    }
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let spec = PageSpec::new(None, Some(2), Some(2));
    let pages: Vec<_> =
        runtime::pager::pages::<P, _, _>(spec, PagerConfig::default(), |n| async move {
            Ok(P(if n < 3 { vec![1, 2] } else { vec![3] }))
        })
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    let text = capture.text();
    for n in 1..=3 {
        assert!(
            text.contains(&format!("event DEBUG fetching page page={n}")),
            "{text}"
        );
    }
}
