//! Which requests are sent again after which failures: every method ×
//! failure cell against the scripted server, with the policy's default and
//! with non-idempotent retries opted into per client and per request.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use runtime::{
    Client, ClientBuilder, Credentials, Error, Method, Request, RequestOptions, RetryPolicy,
};
use support::{Action, Reply, TestServer};

const METHODS: &[&str] = &["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"];

/// A failure the server (or the network) can produce once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Timeout,
    Reset,
    Closed,
    Status(u16),
    /// 503 asking for a wait.
    Unavailable,
}

const FAULTS: &[Fault] = &[
    Fault::Timeout,
    Fault::Reset,
    Fault::Closed,
    Fault::Status(500),
    Fault::Status(502),
    Fault::Status(503),
    Fault::Unavailable,
    Fault::Status(429),
    Fault::Status(408),
    Fault::Status(409),
    Fault::Status(400),
];

impl Fault {
    fn action(self) -> Action {
        match self {
            Fault::Timeout => Reply::new(200).delay(Duration::from_secs(2)).into(),
            Fault::Reset => Action::Reset,
            Fault::Closed => Action::Close,
            Fault::Status(status) => Reply::new(status).into(),
            Fault::Unavailable => Reply::new(503).header("retry-after", "0").into(),
        }
    }

    /// Whether the server cannot have acted on the request.
    fn harmless(self) -> bool {
        matches!(self, Fault::Status(429) | Fault::Unavailable)
    }

    /// Whether an idempotent request is retried after it.
    fn retried_when_idempotent(self) -> bool {
        !matches!(self, Fault::Status(400))
    }
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
        .credentials(Credentials::api_token("t"))
        .timeout(Duration::from_millis(300))
        .retry_policy(policy())
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("method")
}

/// How many requests the server saw when `client` sent `method` and the
/// first attempt met `fault` (a second attempt succeeds).
async fn attempts(make: impl Fn(&str) -> Client, name: &str, fault: Fault) -> usize {
    let server = TestServer::start().await;
    server.push(fault.action());
    server.push(Reply::new(200));
    let client = make(&server.url());
    let result = client.send_empty(&Request::new(method(name), "/x")).await;
    let count = server.request_count();
    assert_eq!(result.is_ok(), count == 2, "{name} {fault:?}: {result:?}");
    count
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_any_transient_failure() {
    for name in METHODS.iter().filter(|m| !matches!(**m, "POST" | "PATCH")) {
        for &fault in FAULTS {
            let expected = if fault.retried_when_idempotent() {
                2
            } else {
                1
            };
            let seen = attempts(|url| builder(url).build().unwrap(), name, fault).await;
            assert_eq!(seen, expected, "{name} {fault:?}");
        }
    }
}

#[tokio::test]
async fn non_idempotent_requests_are_retried_only_when_the_server_cannot_have_acted() {
    for name in ["POST", "PATCH"] {
        for &fault in FAULTS {
            let expected = if fault.harmless() { 2 } else { 1 };
            let seen = attempts(|url| builder(url).build().unwrap(), name, fault).await;
            assert_eq!(seen, expected, "{name} {fault:?}");
        }
    }
}

#[tokio::test]
async fn non_idempotent_retries_can_be_opted_into_per_client_and_per_request() {
    let per_client = |url: &str| {
        builder(url)
            .retry_policy(policy().retrying_non_idempotent())
            .build()
            .unwrap()
    };
    let per_request = |url: &str| {
        builder(url)
            .build()
            .unwrap()
            .with_options(RequestOptions::new().retry_policy(policy().retrying_non_idempotent()))
    };
    for name in ["POST", "PATCH"] {
        for &fault in FAULTS {
            let expected = if fault.retried_when_idempotent() {
                2
            } else {
                1
            };
            assert_eq!(
                attempts(per_client, name, fault).await,
                expected,
                "{name} {fault:?}"
            );
            assert_eq!(
                attempts(per_request, name, fault).await,
                expected,
                "{name} {fault:?}"
            );
        }
    }
}

/// A loopback address nothing listens on (bound, then released).
async fn refusing_address() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn every_method_is_retried_when_the_connection_was_refused() {
    for name in METHODS {
        let addr = refusing_address().await;
        // The first attempt is refused; the server is up before the retry.
        let client = Client::builder(&format!("http://{addr}"))
            .credentials(Credentials::api_token("t"))
            .retry_policy(RetryPolicy {
                max_retries: 1,
                initial_backoff: Duration::from_millis(400),
                max_backoff: Duration::from_millis(400),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        let started = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let server = TestServer::start_on(addr).await.expect("rebind");
            server.push(Reply::new(200));
            server
        });
        let result = client.send_empty(&Request::new(method(name), "/x")).await;
        let server = started.await.unwrap();
        assert!(result.is_ok(), "{name}: {result:?}");
        assert_eq!(server.request_count(), 1, "{name}");
    }
    // Without retries the refusal is the error.
    let addr = refusing_address().await;
    let client = Client::builder(&format!("http://{addr}"))
        .credentials(Credentials::api_token("t"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.send_empty(&Request::post("/x")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
