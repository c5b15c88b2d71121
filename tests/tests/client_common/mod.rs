//! Shared by the client test files: a generated client pointed at the
//! fault-injecting test server, and builders for Cloudflare envelopes.

#![allow(dead_code, unused_imports)]

#[path = "../../../generator/runtime/tests/support/mod.rs"]
pub mod support;

pub use std::time::{Duration, Instant};

pub use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
pub use cloudflare_ai_gateway::models::{
    AigConfigListGatewayResponse, GatewayDlp, GatewayDlpVariant0Action,
    GatewayLogManagementStrategy, GatewayOtelItemContentType, GatewayRateLimitingTechnique,
};
pub use cloudflare_ai_gateway::runtime::validation::Constraint;
pub use cloudflare_ai_gateway::{Client, ClientBuilder, Credentials, Error, RetryPolicy, Validate};
pub use futures_util::StreamExt;
pub use serde_json::{json, Value};
pub use support::{Action, Recorded, Reply, TestServer, ThreadServer};

pub const TOKEN: &str = "tok-SECRET-behaviour-123";
pub const EMAIL: &str = "ops@example.com";
pub const KEY: &str = "key-SECRET-behaviour-456";
pub const ACCOUNT: &str = "0123456789abcdef";
pub const USER_AGENT: &str = "cloudflare-ai-gateway/0.1.0";
pub const PATH: &str = "/accounts/0123456789abcdef/ai-gateway/gateways";

pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

pub fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder(&server.url())
        .credentials(Credentials::api_token(TOKEN))
        .retry_policy(fast_retries(2))
        .timeout(Duration::from_secs(5))
}

pub fn client(server: &TestServer) -> Client {
    builder(server).build().unwrap()
}

pub fn params() -> AigConfigListGatewayParams {
    AigConfigListGatewayParams::default()
}

pub async fn list(
    c: &Client,
    p: &AigConfigListGatewayParams,
) -> Result<AigConfigListGatewayResponse, Error> {
    c.aig_config_list_gateway(ACCOUNT, p).await
}

/// A gateway with every required field and nothing else.
pub fn gateway(id: &str) -> Value {
    json!({
        "id": id,
        "cache_invalidate_on_update": false,
        "cache_ttl": 300,
        "collect_logs": true,
        "created_at": "2024-05-01T10:00:00Z",
        "modified_at": "2024-05-02T11:30:00.5Z",
        "rate_limiting_interval": null,
        "rate_limiting_limit": 10
    })
}

/// A list envelope with gateways `ids` and, if given, `result_info`.
pub fn envelope(ids: &[String], info: Option<Value>) -> String {
    let mut body = json!({
        "result": ids.iter().map(|id| gateway(id)).collect::<Vec<_>>(),
        "success": true,
        "errors": [],
        "messages": []
    });
    if let Some(info) = info {
        body["result_info"] = info;
    }
    body.to_string()
}

pub fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

pub fn ok_body() -> String {
    envelope(&ids("gw", 2), None)
}

/// What every request of the client carries: the operation's method and
/// path, token authentication only, and the crate's User-Agent.
pub fn assert_client_request(r: &Recorded) {
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, PATH);
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(!r.has_header("x-auth-email") && !r.has_header("x-auth-key"));
    assert_eq!(r.header("user-agent"), Some(USER_AGENT));
}

pub fn pages_requested(seen: &[Recorded]) -> Vec<Option<String>> {
    seen.iter()
        .map(|r| r.query_param("page").map(str::to_string))
        .collect()
}

pub fn per_pages_requested(seen: &[Recorded]) -> Vec<Option<String>> {
    seen.iter()
        .map(|r| r.query_param("per_page").map(str::to_string))
        .collect()
}

pub fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}
