//! The `list_gateways` example of the generated crate
//! (`generated/examples/list_gateways.rs`) against a fake server with two
//! pages of gateways.
//!
//! Its listing logic is compiled in here and run in-process; the binary
//! itself (built by `cargo xtask test`, which exports its path as
//! `LIST_GATEWAYS_EXAMPLE`) is run for the environment handling and exit
//! codes. Without that variable the binary tests print why and pass.

#[path = "../../generator/runtime/tests/support/mod.rs"]
mod support;

#[allow(dead_code)]
#[path = "../../generated/examples/list_gateways.rs"]
mod example;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use cloudflare_ai_gateway::{Client, Credentials, Error, RetryPolicy};
use serde_json::{json, Value};
use support::{Recorded, Reply, TestServer};

const TOKEN: &str = "example-token-SECRET";
const ACCOUNT: &str = "acc-example-1";
const USER_AGENT: &str = "cloudflare-ai-gateway/0.1.0";

fn gateway(id: &str, cache_ttl: Value) -> Value {
    json!({
        "id": id,
        "cache_invalidate_on_update": true,
        "cache_ttl": cache_ttl,
        "collect_logs": true,
        "created_at": "2024-03-04T05:06:07Z",
        "modified_at": "2024-03-05T05:06:07Z",
        "rate_limiting_interval": null,
        "rate_limiting_limit": null
    })
}

/// Page 1: `gw-a`, `gw-b`; page 2: `gw-c` (total_pages 2, per_page 2).
/// Anything else, or a page listed in `fail`, is a 403.
fn serve_two_pages(server: &TestServer, fail: Option<&'static str>) {
    server.handler(move |r| {
        let page = r.query_param("page").unwrap_or("1");
        let items = match page {
            _ if Some(page) == fail => None,
            "1" => Some(vec![gateway("gw-a", json!(60)), gateway("gw-b", Value::Null)]),
            "2" => Some(vec![gateway("gw-c", json!(0))]),
            _ => None,
        };
        match items {
            Some(items) => {
                let count = items.len();
                Reply::json(
                    200,
                    json!({
                        "result": items,
                        "result_info": {"page": page.parse::<u64>().unwrap_or(0), "per_page": 2, "count": count, "total_count": 3, "total_pages": 2},
                        "success": true, "errors": [], "messages": []
                    })
                    .to_string(),
                )
                .into()
            }
            None => Reply::json(
                403,
                r#"{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}"#,
            )
            .into(),
        }
    });
}

fn assert_pages_requested(seen: &[Recorded], pages: &[&str]) {
    let got: Vec<Option<&str>> = seen.iter().map(|r| r.query_param("page")).collect();
    let want: Vec<Option<&str>> = pages.iter().map(|p| Some(*p)).collect();
    assert_eq!(got, want);
    for r in seen {
        assert_eq!(r.path, format!("/accounts/{ACCOUNT}/ai-gateway/gateways"));
        assert_eq!(r.header("user-agent"), Some(USER_AGENT));
    }
}

fn client(server: &TestServer) -> Client {
    Client::builder(&server.url())
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

// ------------------------------------------------------------- in-process

#[tokio::test]
async fn the_listing_prints_one_line_per_gateway_across_pages() {
    let server = TestServer::start().await;
    serve_two_pages(&server, None);
    let mut out = Vec::new();
    let count = example::list_gateways(&client(&server), ACCOUNT, &mut out)
        .await
        .unwrap();
    assert_eq!(count, 3);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "gw-a\tcreated 2024-03-04\tlogs on\tcache 60s\n\
         gw-b\tcreated 2024-03-04\tlogs on\tcache off\n\
         gw-c\tcreated 2024-03-04\tlogs on\tcache 0s\n"
    );
    let seen = server.requests();
    assert_pages_requested(&seen, &["1", "2"]);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_failing_page_keeps_the_lines_so_far_and_explains_the_error() {
    let server = TestServer::start().await;
    serve_two_pages(&server, Some("2"));
    let mut out = Vec::new();
    let err = example::list_gateways(&client(&server), ACCOUNT, &mut out)
        .await
        .unwrap_err();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    assert!(matches!(
        &err,
        example::ListError::Api {
            listed: 2,
            source: Error::Api { status: 403, .. },
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!("listing the gateways of account {ACCOUNT} failed after 2 gateway(s): API error (HTTP 403): [9109] Unauthorized to access requested resource")
    );
    assert_pages_requested(&server.requests(), &["1", "2"]);
}

// ------------------------------------------------------------------ binary

/// The example binary `cargo xtask test` built, if any.
fn example_binary(test: &str) -> Option<PathBuf> {
    match std::env::var_os("LIST_GATEWAYS_EXAMPLE") {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "LIST_GATEWAYS_EXAMPLE={} does not exist",
                path.display()
            );
            Some(path)
        }
        _ => {
            eprintln!("skipping {test}: LIST_GATEWAYS_EXAMPLE is not set (`cargo xtask test` builds the example and sets it)");
            None
        }
    }
}

/// Runs the binary with only `env` in its environment (so no credentials
/// or proxy settings leak in from the test's own).
async fn run(binary: PathBuf, env: Vec<(&'static str, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(binary);
        command.env_clear().envs(env);
        command.output().unwrap()
    })
    .await
    .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_lists_every_gateway_and_exits_0() {
    let Some(binary) = example_binary("the_binary_lists_every_gateway_and_exits_0") else {
        return;
    };
    let server = TestServer::start().await;
    serve_two_pages(&server, None);
    let out = tokio::time::timeout(
        Duration::from_secs(30),
        run(
            binary,
            vec![
                ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_string()),
                ("CLOUDFLARE_API_TOKEN", TOKEN.to_string()),
                ("CLOUDFLARE_BASE_URL", server.url()),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, ["gw-a", "gw-b", "gw-c"], "stdout: {}", stdout(&out));
    assert!(stderr(&out).contains("3 gateway(s)"), "{}", stderr(&out));
    let seen = server.requests();
    assert_pages_requested(&seen, &["1", "2"]);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_takes_email_and_key_from_the_environment() {
    let Some(binary) = example_binary("the_binary_takes_email_and_key_from_the_environment") else {
        return;
    };
    let server = TestServer::start().await;
    serve_two_pages(&server, None);
    let out = run(
        binary,
        vec![
            ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_string()),
            ("CLOUDFLARE_EMAIL", "me@example.com".to_string()),
            ("CLOUDFLARE_API_KEY", "key-SECRET".to_string()),
            ("CLOUDFLARE_BASE_URL", format!("{}/", server.url())),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("x-auth-email"), Some("me@example.com"));
    assert_eq!(seen[0].header("x-auth-key"), Some("key-SECRET"));
    assert!(!seen[0].has_header("authorization"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_without_credentials_explains_and_fails() {
    let Some(binary) = example_binary("the_binary_without_credentials_explains_and_fails") else {
        return;
    };
    let server = TestServer::start().await;
    serve_two_pages(&server, None);
    let out = run(
        binary,
        vec![
            ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_string()),
            ("CLOUDFLARE_BASE_URL", server.url()),
            // An email without a key is not enough.
            ("CLOUDFLARE_EMAIL", "me@example.com".to_string()),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out).trim(),
        "error: no credentials: set CLOUDFLARE_API_TOKEN (preferred), or both CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_without_an_account_id_explains_and_fails() {
    let Some(binary) = example_binary("the_binary_without_an_account_id_explains_and_fails") else {
        return;
    };
    let out = run(binary, vec![("CLOUDFLARE_API_TOKEN", TOKEN.to_string())]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("set CLOUDFLARE_ACCOUNT_ID"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reports_an_api_error_after_the_lines_so_far() {
    let Some(binary) = example_binary("the_binary_reports_an_api_error_after_the_lines_so_far")
    else {
        return;
    };
    let server = TestServer::start().await;
    serve_two_pages(&server, Some("2"));
    let out = run(
        binary,
        vec![
            ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_string()),
            ("CLOUDFLARE_API_TOKEN", TOKEN.to_string()),
            ("CLOUDFLARE_BASE_URL", server.url()),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("failed after 2 gateway(s): API error (HTTP 403): [9109] Unauthorized"),
        "{err}"
    );
    assert!(!err.contains(TOKEN), "{err}");
    // 403 is not retried.
    assert_pages_requested(&server.requests(), &["1", "2"]);
}
