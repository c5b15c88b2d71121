//! The client against a scripted local server: authentication, retries,
//! timeouts, broken responses, size caps and URL encoding.

mod support;

use std::time::{Duration, Instant};

use runtime::client::DEFAULT_USER_AGENT;
use runtime::{path_param, Body, Client, ClientBuilder, Credentials, Error, Request, RetryPolicy};
use serde::Deserialize;
use support::{Action, Reply, TestServer};

const TOKEN: &str = "tok-SECRET-123";
const KEY: &str = "key-SECRET-456";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(3),
        ..RetryPolicy::default()
    }
}

fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder(&server.url())
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(fast_retries())
}

fn client(server: &TestServer) -> Client {
    builder(server).build().expect("client")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Envelope {
    result: serde_json::Value,
}

const OK: &str = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"abc"}}"#;

async fn get_ok(client: &Client) -> Result<Envelope, Error> {
    client.send_json::<Envelope>(&Request::get("/zones")).await
}

#[tokio::test]
async fn token_auth_sends_only_the_bearer_header() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK));
    let c = client(&server);
    let req = Request::get("/zones")
        .header("X-Auth-Key", "smuggled")
        .header("x-custom", "1");
    let env: Envelope = c.send_json(&req).await.unwrap();
    assert_eq!(env.result["id"], "abc");
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].target, "/zones");
    assert_eq!(
        seen[0].header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert!(!seen[0].has_header("x-auth-email") && !seen[0].has_header("x-auth-key"));
    assert_eq!(seen[0].header("x-custom"), Some("1"));
    assert_eq!(seen[0].header("user-agent"), Some(DEFAULT_USER_AGENT));
    assert_eq!(DEFAULT_USER_AGENT, "runtime/0.1.0");
}

#[tokio::test]
async fn email_key_auth_sends_only_the_two_x_auth_headers() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK));
    let c = builder(&server)
        .credentials(Credentials::email_key("me@example.com", KEY))
        .user_agent("my-tool/1.2")
        .build()
        .unwrap();
    c.send_json::<Envelope>(&Request::get("/zones").header("Authorization", "Bearer smuggled"))
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("x-auth-email"), Some("me@example.com"));
    assert_eq!(seen.header("x-auth-key"), Some(KEY));
    assert!(!seen.has_header("authorization"));
    assert_eq!(seen.header("user-agent"), Some("my-tool/1.2"));
}

#[tokio::test]
async fn environment_token_wins_and_base_url_is_overridden() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK));
    let base = format!("{}/client/v4/", server.url());
    let vars = [
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_EMAIL", "me@example.com"),
        ("CLOUDFLARE_API_KEY", KEY),
        ("CLOUDFLARE_BASE_URL", base.as_str()),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let c = ClientBuilder::from_lookup("https://api.cloudflare.com/client/v4", lookup)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(c.base_url(), format!("{}/client/v4", server.url()));
    get_ok(&c).await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.path, "/client/v4/zones");
    assert_eq!(
        seen.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert!(!seen.has_header("x-auth-email") && !seen.has_header("x-auth-key"));
}

#[tokio::test]
async fn missing_credentials_fail_before_any_request() {
    let server = TestServer::start().await;
    let err = ClientBuilder::from_lookup(&server.url(), |_| None)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::MissingCredentials), "{err:?}");
    assert!(err.to_string().contains("CLOUDFLARE_API_TOKEN"));
    let err = Client::builder(&server.url()).build().unwrap_err();
    assert!(matches!(err, Error::MissingCredentials));
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn nothing_formats_the_secrets() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        403,
        r#"{"errors":[{"code":10000,"message":"Authentication error"}]}"#,
    ));
    let token_builder = builder(&server);
    let key_builder = builder(&server).credentials(Credentials::email_key("me@example.com", KEY));
    let c = token_builder.clone().build().unwrap();
    let api_err = get_ok(&c).await.unwrap_err();
    let transport_err = {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dead = Client::builder(&format!("http://127.0.0.1:{port}"))
            .credentials(Credentials::api_token(TOKEN))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        get_ok(&dead).await.unwrap_err()
    };
    let bad_url = Client::builder("https://user:pass-SECRET@example.com")
        .credentials(Credentials::api_token(TOKEN))
        .build()
        .unwrap_err();
    let bad_token = Client::builder(&server.url())
        .credentials(Credentials::api_token("x\nSECRET"))
        .build()
        .unwrap_err();
    let texts = [
        format!("{:?} {:#?}", token_builder, key_builder),
        format!("{:?} {:#?}", c, key_builder.build().unwrap()),
        format!(
            "{:?} {}",
            Credentials::api_token(TOKEN),
            Credentials::api_token(TOKEN)
        ),
        format!(
            "{:?} {}",
            Credentials::email_key("me@example.com", KEY),
            Credentials::email_key("e", KEY)
        ),
        format!("{api_err:?} {api_err}"),
        format!("{transport_err:?} {transport_err}"),
        format!("{bad_url:?} {bad_url}"),
        format!("{bad_token:?} {bad_token}"),
        format!("{:?}", Request::get("/x").header("x-secret", "hdr-SECRET")),
    ];
    for text in texts {
        assert!(!text.contains("SECRET"), "{text}");
    }
    assert!(
        matches!(transport_err, Error::Transport(_)),
        "{transport_err:?}"
    );
    assert!(matches!(bad_url, Error::InvalidBaseUrl { .. }));
    assert!(matches!(bad_token, Error::InvalidCredentials { .. }));
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = TestServer::start().await;
    server.push(Reply::json(429, "{}").header("retry-after-ms", "150"));
    server.push(Reply::json(200, OK));
    let start = Instant::now();
    get_ok(&client(&server)).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(150),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = TestServer::start().await;
    server.push(Reply::json(429, "{}").header("Retry-After", "1"));
    server.push(Reply::json(200, OK));
    get_ok(&client(&server)).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].received_at - seen[0].received_at;
    assert!(waited >= Duration::from_millis(990), "{waited:?}");
}

#[tokio::test]
async fn huge_retry_after_is_capped() {
    let server = TestServer::start().await;
    server.push(Reply::json(503, "{}").header("Retry-After", "99999"));
    server.push(Reply::json(200, OK));
    let policy = RetryPolicy {
        max_retry_after: Duration::from_millis(100),
        ..fast_retries()
    };
    let c = builder(&server).retry_policy(policy).build().unwrap();
    let start = Instant::now();
    get_ok(&c).await.unwrap();
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(100) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn retryable_statuses_are_retried_until_the_policy_gives_up() {
    let server = TestServer::start().await;
    server.push(Reply::json(500, "{}"));
    server.push(Reply::json(409, "{}"));
    server.push(Reply::json(200, OK));
    get_ok(&client(&server)).await.unwrap();
    assert_eq!(server.request_count(), 3);

    let server = TestServer::start().await;
    server.push_n(
        5,
        Reply::json(503, r#"{"errors":[{"code":1,"message":"busy"}]}"#),
    );
    let err = get_ok(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    assert_eq!(err.api_errors()[0].message, "busy");
    assert_eq!(
        server.request_count(),
        3,
        "default policy: one try and two retries"
    );

    let server = TestServer::start().await;
    server.push_n(5, Reply::json(503, "{}"));
    let c = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(get_ok(&c).await.unwrap_err().status(), Some(503));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_envelopes_are_decoded() {
    let server = TestServer::start().await;
    server.push(Reply::json(
        403,
        r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}"#,
    ));
    let err = get_ok(&client(&server)).await.unwrap_err();
    let Error::Api {
        status,
        errors,
        body,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 403);
    assert_eq!(errors[0].code, Some(10000));
    assert_eq!(errors[0].message, "Authentication error");
    assert!(body.contains("\"success\":false"));
    assert_eq!(
        err.to_string(),
        "API error (HTTP 403): [10000] Authentication error"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn html_error_pages_keep_their_body_after_retries() {
    let server = TestServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>";
    server.push_n(3, Reply::text(502, "text/html", page));
    let err = get_ok(&client(&server)).await.unwrap_err();
    let Error::Api {
        status: 502,
        errors,
        body,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(errors.is_empty());
    assert_eq!(body, page);
    assert!(err.to_string().contains("502 Bad Gateway"));
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn undecodable_bodies_are_decode_errors_with_an_excerpt() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, "this is not json"));
    server.push(Reply::json(200, r#"{"success":true,"result":{"id":"ab"#));
    let c = client(&server);
    for expected in ["this is not json", r#""id":"ab"#] {
        let err = get_ok(&c).await.unwrap_err();
        let Error::Decode {
            status: 200,
            excerpt,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert!(excerpt.contains(expected), "{excerpt}");
        assert!(err.to_string().contains("could not decode"));
    }
    assert_eq!(server.request_count(), 2, "decode errors are not retried");
}

#[tokio::test]
async fn truncated_bodies_are_retried_then_reported_as_transport_errors() {
    let server = TestServer::start().await;
    server.push(Action::Truncated {
        reply: Reply::json(200, OK),
        send: 20,
    });
    server.push(Reply::json(200, OK));
    get_ok(&client(&server)).await.unwrap();
    assert_eq!(server.request_count(), 2);

    let server = TestServer::start().await;
    server.push_n(
        3,
        Action::Truncated {
            reply: Reply::json(200, OK),
            send: 20,
        },
    );
    let err = get_ok(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn closed_and_reset_connections_are_retried_then_transport_errors() {
    for action in [Action::Close, Action::Reset] {
        let server = TestServer::start().await;
        server.push(action.clone());
        server.push(Reply::json(200, OK));
        get_ok(&client(&server)).await.unwrap();
        assert_eq!(server.request_count(), 2);

        let server = TestServer::start().await;
        server.push_n(3, action.clone());
        let err = get_ok(&client(&server)).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{action:?}: {err:?}");
        assert!(err.to_string().starts_with("transport error"));
        assert!(std::error::Error::source(&err).is_some());
        assert_eq!(server.request_count(), 3, "{action:?}");
    }
}

#[tokio::test]
async fn slow_responses_time_out_and_are_retried() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK).delay(Duration::from_secs(5)));
    let c = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = get_ok(&c).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(server.request_count(), 1);

    let server = TestServer::start().await;
    server.push(Reply::json(200, OK).delay(Duration::from_secs(5)));
    server.push(Reply::json(200, OK));
    let c = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    get_ok(&c).await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let big = format!(r#"{{"result":"{}"}}"#, "x".repeat(200_000));
    for reply in [
        Reply::json(200, big.clone()),
        Reply::json(200, big.clone()).chunked(),
    ] {
        let server = TestServer::start().await;
        server.push_n(3, reply);
        let c = builder(&server)
            .max_response_bytes(100_000)
            .build()
            .unwrap();
        let err = get_ok(&c).await.unwrap_err();
        assert!(
            matches!(err, Error::BodyTooLarge { limit: 100_000 }),
            "{err:?}"
        );
        assert_eq!(server.request_count(), 1, "not retried");
    }
    // Under the cap, chunked bodies are read whole.
    let server = TestServer::start().await;
    server.push(Reply::json(200, big.clone()).chunked());
    let c = builder(&server)
        .max_response_bytes(big.len())
        .build()
        .unwrap();
    assert_eq!(
        c.send_bytes(&Request::get("/big")).await.unwrap(),
        big.as_bytes()
    );
}

#[tokio::test]
async fn path_segments_query_and_bodies_are_encoded() {
    let server = TestServer::start().await;
    server.push_n(3, Reply::json(200, OK));
    let c = client(&server);
    let id = "a/b?c#d e%f";
    let path = format!("/zones/{}/dns_records", path_param("zone_id", id).unwrap());
    let req = Request::post(path)
        .query("name", "x y&z=1")
        .query("tag", "a")
        .query("tag", "b")
        .query_opt("page", Some(2))
        .query_opt::<u32>("absent", None)
        .json(&serde_json::json!({"type": "A"}))
        .unwrap();
    c.send_json::<Envelope>(&req).await.unwrap();
    let form = Request::put("/form").body(Body::Form(vec![("k 1".into(), "v&=2".into())]));
    c.send_empty(&form).await.unwrap();
    let raw = Request::put("/raw").body(Body::Bytes {
        content_type: "text/plain".into(),
        data: b"hello".to_vec(),
    });
    c.send_empty(&raw).await.unwrap();

    let seen = server.requests();
    assert_eq!(
        seen[0].target,
        "/zones/a%2Fb%3Fc%23d%20e%25f/dns_records?name=x%20y%26z%3D1&tag=a&tag=b&page=2"
    );
    assert_eq!(seen[0].path, format!("/zones/{id}/dns_records"));
    assert_eq!(seen[0].query_param("name"), Some("x y&z=1"));
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[0].body_text(), r#"{"type":"A"}"#);
    assert_eq!(seen[1].method, "PUT");
    assert_eq!(
        seen[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[1].body_text(), "k%201=v%26%3D2");
    assert_eq!(seen[2].header("content-type"), Some("text/plain"));
    assert_eq!(seen[2].body_text(), "hello");
}

#[tokio::test]
async fn unsafe_paths_are_refused_before_sending() {
    let server = TestServer::start().await;
    let c = client(&server);
    for path in [
        "/zones/../accounts",
        "/zones/%2E%2e/x",
        "/zones/.",
        "zones",
        "/a?b=c",
    ] {
        let err = c.send_empty(&Request::delete(path)).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{path}: {err:?}"
        );
    }
    let err = c
        .send_empty(&Request::get("/x").header("x-bad", "a\r\nb: c"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    for value in ["", ".", ".."] {
        let Err(Error::InvalidParameters(v)) = path_param("record_id", value) else {
            panic!("{value:?}")
        };
        assert_eq!(v[0].path, "record_id");
    }
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn empty_and_raw_responses() {
    let server = TestServer::start().await;
    server.push(Reply::new(204));
    server.push(Reply::text(
        200,
        "application/octet-stream",
        vec![0u8, 159, 146, 150],
    ));
    let c = client(&server);
    c.send_empty(&Request::delete("/zones/1")).await.unwrap();
    assert_eq!(
        c.send_bytes(&Request::get("/blob")).await.unwrap(),
        vec![0u8, 159, 146, 150]
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn text_responses_are_text_even_when_not_utf8() {
    let server = TestServer::start().await;
    server.push(Reply::text(200, "text/plain", "héllo"));
    server.push(Reply::text(200, "text/plain", vec![b'a', 0xff, b'b']));
    let c = client(&server);
    assert_eq!(c.send_text(&Request::get("/t")).await.unwrap(), "héllo");
    assert_eq!(
        c.send_text(&Request::get("/t")).await.unwrap(),
        "a\u{fffd}b"
    );
}

#[tokio::test]
async fn invalid_base_urls_are_rejected() {
    for url in [
        "not a url",
        "ftp://example.com",
        "https://example.com/?q=1",
        "mailto:a@b",
    ] {
        let err = Client::builder(url)
            .credentials(Credentials::api_token(TOKEN))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidBaseUrl { .. }),
            "{url}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_reqwest_client_of_your_own_sends_the_requests() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK));
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-proxy-tag", "mine".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let c = builder(&server)
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    get_ok(&c).await.unwrap();
    let seen = &server.requests()[0];
    // The client's own default header arrived, beside the credentials.
    assert_eq!(seen.header("x-proxy-tag"), Some("mine"));
    assert_eq!(
        seen.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    // The builder's timeout still applies to a client it did not build.
    server.push(Reply::json(200, OK).delay(Duration::from_secs(3)));
    let err = get_ok(&c).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
}

#[tokio::test]
async fn credentials_stay_off_requests_that_say_so() {
    let server = TestServer::start().await;
    server.push(Reply::json(200, OK));
    let c = builder(&server).build().unwrap();
    c.send_json::<Envelope>(
        &Request::get("/zones")
            .cookie("tenant", "a b")
            .without_credentials(),
    )
    .await
    .unwrap();
    let seen = &server.requests()[0];
    assert!(!seen.has_header("authorization"));
    assert_eq!(seen.header("cookie"), Some("tenant=a%20b"));
}
