//! The generated client against the Prism mock server of `spec/openapi.yaml`.
//!
//! `cargo xtask test` starts two Prisms (with `--errors`, so a request that
//! breaks the spec gets an error status) and exports:
//!
//! - `PRISM_URL` / `PRISM_LOG`: static responses (the spec's example);
//! - `PRISM_DYNAMIC_URL` / `PRISM_DYNAMIC_LOG`: random, schema-valid
//!   responses (`--dynamic`).
//!
//! Without them these tests print why and pass, so a plain `cargo test`
//! works without Node.js. Besides the status code, each request's entry in
//! Prism's log must say it passed request validation, with no violation.
//! Tests hold [`PRISM_LOCK`] while talking to Prism so log entries of
//! different tests do not interleave.
//!
//! Parameter validation runs before any I/O: that part needs no Prism (a
//! counting local server shows nothing is sent) and always runs.

#[path = "../../generator/runtime/tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
use cloudflare_ai_gateway::models::{AigConfigListGatewayResponse, GatewayDlp};
use cloudflare_ai_gateway::runtime::validation::{Bound, Constraint};
use cloudflare_ai_gateway::{Client, Credentials, Error, RetryPolicy, Validate};
use futures_util::StreamExt;
use serde_json::Value;
use support::{Reply, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "prism-token-SECRET-1";
const EMAIL: &str = "someone@example.com";
const KEY: &str = "prism-key-SECRET-2";
const USER_AGENT: &str = "cloudflare-ai-gateway/0.1.0";

/// Serialises the tests that talk to Prism (see the module docs).
static PRISM_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A Prism instance the run started: its URL and, when known, its log.
struct Prism {
    url: String,
    log: Option<PrismLog>,
}

/// `Some` when `<prefix>_URL` is set; else prints why the test is skipped.
fn prism(prefix: &str, test: &str) -> Option<Prism> {
    let get = |name: String| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(url) = get(format!("{prefix}_URL")) else {
        eprintln!(
            "skipping {test}: {prefix}_URL is not set (`cargo xtask test` starts Prism and sets it)"
        );
        return None;
    };
    let log = get(format!("{prefix}_LOG")).map(|path| PrismLog {
        path: PathBuf::from(path),
    });
    if log.is_none() {
        eprintln!("{test}: {prefix}_LOG is not set; Prism's log is not checked");
    }
    Some(Prism {
        url: url.trim_end_matches('/').to_string(),
        log,
    })
}

/// An account id no other test (or run) uses, to find a test's requests
/// in Prism's log.
fn marker(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{test}-{}-{nanos}", std::process::id())
}

fn client(url: &str, credentials: Credentials) -> Client {
    Client::builder(url)
        .credentials(credentials)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Prism's log, read as request blocks: a block starts at the line saying
/// `[HTTP SERVER] get <path> ... Request received` and runs to the next one.
struct PrismLog {
    path: PathBuf,
}

impl PrismLog {
    fn len(&self) -> usize {
        std::fs::metadata(&self.path)
            .map(|m| m.len() as usize)
            .unwrap_or(0)
    }

    fn text_since(&self, offset: usize) -> String {
        let bytes = std::fs::read(&self.path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", self.path.display()));
        String::from_utf8_lossy(&bytes[offset.min(bytes.len())..]).into_owned()
    }

    /// The blocks (after byte `offset`) of requests whose path contains
    /// `/accounts/<account>/`.
    fn blocks(&self, offset: usize, account: &str) -> Vec<Vec<String>> {
        let needle = format!("/accounts/{account}/");
        let mut blocks: Vec<Vec<String>> = Vec::new();
        let mut mine = false;
        for line in self.text_since(offset).lines() {
            if line.contains("[HTTP SERVER]") && line.contains("Request received") {
                mine = line.contains(&needle);
                if mine {
                    blocks.push(Vec::new());
                }
            }
            if mine {
                if let Some(block) = blocks.last_mut() {
                    block.push(line.to_string());
                }
            }
        }
        blocks
    }

    /// Waits (up to 10 s) until `count` complete blocks for `account` are in
    /// the log, and returns them. Prism logs asynchronously, so an entry may
    /// land just after the response.
    async fn wait_for(&self, offset: usize, account: &str, count: usize) -> Vec<Vec<String>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let blocks = self.blocks(offset, account);
            let complete = blocks
                .iter()
                .filter(|b| b.iter().any(|l| l.contains("Responding with")))
                .count();
            if complete >= count || Instant::now() > deadline {
                // Violations are logged after the response line.
                tokio::time::sleep(Duration::from_millis(100)).await;
                return self.blocks(offset, account);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Whether Prism logged exactly `count` requests for `account`, each
    /// passing request validation with no violation, warning or error.
    async fn check_clean(&self, offset: usize, account: &str, count: usize) -> Result<(), String> {
        let blocks = self.wait_for(offset, account, count).await;
        if blocks.len() != count {
            let shown: Vec<String> = blocks.iter().map(|b| b.join("\n")).collect();
            return Err(format!(
                "Prism ({}) logged {} requests for account {account}, expected {count}:\n{}",
                self.path.display(),
                blocks.len(),
                shown.join("\n--\n")
            ));
        }
        for block in &blocks {
            let passed = block
                .iter()
                .any(|l| l.contains("[VALIDATOR]") && l.contains("passed the validation rules"));
            let bad = block.iter().any(|l| {
                l.contains("Violation")
                    || l.contains("did not pass")
                    || l.contains('✖')
                    || l.contains('⚠')
            });
            if !passed || bad {
                return Err(format!(
                    "Prism reported problems with a request:\n{}",
                    block.join("\n")
                ));
            }
        }
        Ok(())
    }

    async fn assert_clean(&self, offset: usize, account: &str, count: usize) {
        if let Err(e) = self.check_clean(offset, account, count).await {
            panic!("{e}");
        }
    }
}

/// A minimal HTTP/1.1 GET, for what the generated client will not send
/// (requests that break the spec) or hide (raw bodies and headers).
async fn raw_get(base: &str, target: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[tokio::test]
async fn token_call_decodes_the_spec_example_and_validates() {
    let Some(prism) = prism("PRISM", "token_call_decodes_the_spec_example_and_validates") else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("token");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let c = client(&prism.url, Credentials::api_token(TOKEN));
    let response = c
        .aig_config_list_gateway(&account, &AigConfigListGatewayParams::default())
        .await
        .unwrap_or_else(|e| panic!("Prism rejected the generated client's request: {e}"));
    response.validate().unwrap();
    assert!(response.success);
    assert_eq!(response.result.len(), 1);
    let gateway = &response.result[0];
    assert_eq!(gateway.id, "my-gateway");
    assert_eq!(gateway.cache_ttl, Some(0));
    assert_eq!(
        gateway.created_at.to_rfc3339(),
        "2019-12-27T18:11:19.117+00:00"
    );
    assert_eq!(gateway.log_management, Some(10000));
    assert!(gateway.otel.as_ref().is_some_and(|o| o.len() == 1));

    // What the client decoded is exactly what Prism sent.
    let (status, _, body) = raw_get(
        &prism.url,
        &format!("/accounts/{account}/ai-gateway/gateways"),
        &[("authorization", &format!("Bearer {TOKEN}"))],
    )
    .await;
    assert_eq!(status, 200);
    let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(serde_json::to_value(&response).unwrap(), sent);

    if let Some(log) = &prism.log {
        log.assert_clean(offset, &account, 2).await;
    }
}

#[tokio::test]
async fn email_and_key_call_succeeds() {
    let Some(prism) = prism("PRISM", "email_and_key_call_succeeds") else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("email-key");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let c = client(&prism.url, Credentials::email_key(EMAIL, KEY));
    let response = c
        .aig_config_list_gateway(&account, &AigConfigListGatewayParams::default())
        .await
        .unwrap_or_else(|e| panic!("Prism rejected email + key authentication: {e}"));
    response.validate().unwrap();
    assert_eq!(response.result[0].id, "my-gateway");
    if let Some(log) = &prism.log {
        log.assert_clean(offset, &account, 1).await;
    }
}

#[tokio::test]
async fn explicit_page_per_page_and_search_are_accepted() {
    let Some(prism) = prism("PRISM", "explicit_page_per_page_and_search_are_accepted") else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("params");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let c = client(&prism.url, Credentials::api_token(TOKEN));
    let cases = [
        AigConfigListGatewayParams::default().page(1).per_page(1),
        AigConfigListGatewayParams::default().page(7).per_page(100),
        AigConfigListGatewayParams::default()
            .per_page(20)
            .search("my-gateway"),
        // Characters that must be percent-encoded in a query.
        AigConfigListGatewayParams::default()
            .page(2)
            .search("a b&c=d/e?f#g%h+ü"),
    ];
    for params in &cases {
        let response = c
            .aig_config_list_gateway(&account, params)
            .await
            .unwrap_or_else(|e| panic!("Prism rejected {params:?}: {e}"));
        response.validate().unwrap();
    }
    if let Some(log) = &prism.log {
        log.assert_clean(offset, &account, cases.len()).await;
    }
}

#[tokio::test]
async fn the_pager_walks_prism_and_stops_after_the_short_page() {
    let Some(prism) = prism(
        "PRISM",
        "the_pager_walks_prism_and_stops_after_the_short_page",
    ) else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("pager");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let c = client(&prism.url, Credentials::api_token(TOKEN));
    let items: Vec<_> = c
        .aig_config_list_gateway_stream(
            &account,
            &AigConfigListGatewayParams::default().per_page(5),
        )
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "my-gateway");
    if let Some(log) = &prism.log {
        log.assert_clean(offset, &account, 1).await;
    }
}

/// The log check must be able to fail: a request breaking the spec is
/// answered with an error status, and its log entry is flagged.
#[tokio::test]
async fn prism_flags_requests_that_break_the_spec() {
    let Some(prism) = prism("PRISM", "prism_flags_requests_that_break_the_spec") else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("invalid");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let target = format!("/accounts/{account}/ai-gateway/gateways?per_page=500");
    let (status, head, _) = raw_get(
        &prism.url,
        &target,
        &[("authorization", &format!("Bearer {TOKEN}"))],
    )
    .await;
    assert_eq!(status, 422, "Prism runs without --errors?\n{head}");
    assert!(head.contains("sl-violations"), "{head}");
    let (status, _, _) = raw_get(
        &prism.url,
        &format!("/accounts/{account}/ai-gateway/gateways"),
        &[],
    )
    .await;
    assert_eq!(status, 401, "Prism does not check security?");

    if let Some(log) = &prism.log {
        let blocks = log.wait_for(offset, &account, 2).await;
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        let all = blocks.concat().join("\n");
        assert!(all.contains("Violation"), "{all}");
        assert!(all.contains("per_page must be <= 100"), "{all}");
        assert!(all.contains("Invalid security scheme"), "{all}");
        assert!(
            log.check_clean(offset, &account, 2).await.is_err(),
            "the log check passed requests breaking the spec"
        );
    }
}

/// 40 random (schema-valid) responses: each decodes and passes `validate()`.
#[tokio::test]
async fn dynamic_responses_decode_and_validate() {
    let Some(prism) = prism("PRISM_DYNAMIC", "dynamic_responses_decode_and_validate") else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let account = marker("dynamic");
    let offset = prism.log.as_ref().map_or(0, PrismLog::len);
    let token = client(&prism.url, Credentials::api_token(TOKEN));
    let email_key = client(&prism.url, Credentials::email_key(EMAIL, KEY));
    const CALLS: usize = 40;
    let (mut gateways, mut with_info, mut dlp) = (0, 0, 0);
    for i in 0..CALLS {
        let c = if i % 3 == 0 { &email_key } else { &token };
        let mut params = AigConfigListGatewayParams::default();
        if i % 2 == 0 {
            params = params.page(1 + (i as i64 % 5));
        }
        if i % 4 != 3 {
            params = params.per_page(1 + (i as i64 * 37) % 100);
        }
        if i % 5 == 0 {
            params = params.search(format!("gw {i}"));
        }
        let response: AigConfigListGatewayResponse =
            match c.aig_config_list_gateway(&account, &params).await {
                Ok(r) => r,
                Err(e) => panic!("call {i} ({params:?}): a dynamic response did not decode: {e}"),
            };
        if let Err(violations) = response.validate() {
            panic!(
                "call {i}: a schema-valid dynamic response fails validate(): {violations}\n{}",
                serde_json::to_string_pretty(&response).unwrap_or_default()
            );
        }
        gateways += response.result.len();
        with_info += usize::from(response.result_info.is_some());
        dlp += response.result.iter().filter(|g| g.dlp.is_some()).count();
    }
    eprintln!("{CALLS} dynamic responses: {gateways} gateways ({dlp} with dlp), {with_info} with result_info");
    if let Some(log) = &prism.log {
        log.assert_clean(offset, &account, CALLS).await;
    }
}

/// Dates as the models write them (`…:07Z`) and as Prism does (`…:07.0Z`).
fn same_json(decoded: &Value, raw: &Value) -> bool {
    fn date(s: &str) -> Option<String> {
        let (main, rest) = s.split_once('.')?;
        let zeros = rest.strip_suffix('Z')?;
        (main.len() == 19 && main.as_bytes()[10] == b'T' && zeros.bytes().all(|b| b == b'0'))
            .then(|| format!("{main}Z"))
    }
    match (decoded, raw) {
        (Value::String(a), Value::String(b)) => a == b || date(b).as_deref() == Some(a.as_str()),
        (a, b) => a == b,
    }
}

/// Whether everything in `decoded` (a model serialized again) is in `raw`
/// (what the server sent, which may have more: unknown fields).
fn is_contained(decoded: &Value, raw: &Value, at: &str, problems: &mut Vec<String>) {
    match (decoded, raw) {
        (Value::Object(d), Value::Object(r)) => {
            for (k, v) in d {
                match r.get(k) {
                    Some(rv) => is_contained(v, rv, &format!("{at}.{k}"), problems),
                    None => problems.push(format!("{at}.{k}: not in the response")),
                }
            }
        }
        (Value::Array(d), Value::Array(r)) if d.len() == r.len() => {
            for (i, (dv, rv)) in d.iter().zip(r).enumerate() {
                is_contained(dv, rv, &format!("{at}[{i}]"), problems);
            }
        }
        (d, r) if same_json(d, r) => {}
        (d, r) => problems.push(format!("{at}: decoded {d} but the response has {r}")),
    }
}

/// Random bodies decode into models that keep every property the spec
/// names: serialized again, a model is contained in the body, and every
/// spec property of a gateway in the body is in the model. A `dlp` with
/// `policies` decodes as the policies variant.
#[tokio::test]
async fn dynamic_bodies_round_trip_through_the_models() {
    let Some(prism) = prism(
        "PRISM_DYNAMIC",
        "dynamic_bodies_round_trip_through_the_models",
    ) else {
        return;
    };
    let _guard = PRISM_LOCK.lock().await;
    let spec = tests::parse_yaml(&tests::read_text(&tests::main_spec_path()));
    let properties: Vec<String> = tests::keys_at(&spec, "/components/schemas/Gateway/properties");
    assert!(properties.len() > 20, "{properties:?}");
    let account = marker("round-trip");
    let auth = format!("Bearer {TOKEN}");
    let mut policies = 0;
    for i in 0..20 {
        let target = format!("/accounts/{account}/ai-gateway/gateways?page={}", i + 1);
        let (status, _, body) = raw_get(&prism.url, &target, &[("authorization", &auth)]).await;
        assert_eq!(status, 200, "{body}");
        let raw: Value = serde_json::from_str(&body).unwrap();
        let decoded: AigConfigListGatewayResponse = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("a dynamic body does not decode: {e}\n{body}"));
        let again = serde_json::to_value(&decoded).unwrap();
        let mut problems = Vec::new();
        is_contained(&again, &raw, "", &mut problems);
        for (n, (gateway, model)) in raw["result"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&decoded.result)
            .enumerate()
        {
            let kept = &again["result"][n];
            for p in &properties {
                if gateway.get(p).is_some() && kept.get(p).is_none() {
                    problems.push(format!(
                        "result[{n}].{p}: in the response, lost by the model"
                    ));
                }
            }
            let has_policies = gateway["dlp"].get("policies").is_some();
            policies += usize::from(has_policies);
            let variant_ok = match &model.dlp {
                None => gateway.get("dlp").is_none(),
                Some(GatewayDlp::Variant1(_)) => has_policies,
                Some(GatewayDlp::Variant0(_)) => !has_policies,
                Some(GatewayDlp::Other(_)) => false,
            };
            if !variant_ok {
                problems.push(format!("result[{n}].dlp decoded as {:?}", model.dlp));
            }
        }
        assert!(problems.is_empty(), "{}\n{body}", problems.join("\n"));
    }
    eprintln!("20 dynamic bodies round-tripped ({policies} gateways with dlp policies)");
}

/// A violation: the parameter, the constraint, the value.
type Expected<'a> = (&'a str, Constraint, &'a str);

/// Invalid parameters fail with `Error::InvalidParameters` naming the
/// parameter, constraint and value, and nothing is sent: a counting server
/// sees no request (and, when Prism runs, neither does Prism).
#[tokio::test]
async fn invalid_parameters_are_rejected_before_any_io() {
    let server = TestServer::start().await;
    server.handler(|_| Reply::json(200, r#"{"result":[],"success":true}"#).into());
    let prism = prism(
        "PRISM",
        "invalid_parameters_are_rejected_before_any_io (Prism part)",
    );
    let _guard = match &prism {
        Some(_) => Some(PRISM_LOCK.lock().await),
        None => None,
    };
    let offset = prism
        .as_ref()
        .and_then(|p| p.log.as_ref())
        .map_or(0, PrismLog::len);
    let account = marker("rejected");

    let p = AigConfigListGatewayParams::default;
    let cases: Vec<(AigConfigListGatewayParams, Vec<Expected>)> = vec![
        (
            p().per_page(0),
            vec![("per_page", Constraint::Minimum(Bound::Int(1)), "0")],
        ),
        (
            p().per_page(101),
            vec![("per_page", Constraint::Maximum(Bound::Int(100)), "101")],
        ),
        (
            p().page(0),
            vec![("page", Constraint::Minimum(Bound::Int(1)), "0")],
        ),
        (
            p().page(-3).per_page(-1).search("x"),
            vec![
                ("page", Constraint::Minimum(Bound::Int(1)), "-3"),
                ("per_page", Constraint::Minimum(Bound::Int(1)), "-1"),
            ],
        ),
    ];
    let mut targets = vec![server.url()];
    if let Some(prism) = &prism {
        targets.push(prism.url.clone());
    }
    for url in &targets {
        let c = client(url, Credentials::api_token(TOKEN));
        for (params, expected) in &cases {
            let err = c
                .aig_config_list_gateway(&account, params)
                .await
                .expect_err("invalid parameters were accepted");
            let text = err.to_string();
            let Error::InvalidParameters(violations) = &err else {
                panic!("{params:?}: expected InvalidParameters, got {err:?}");
            };
            let got: Vec<Expected> = violations
                .iter()
                .map(|v| (v.path.as_str(), v.constraint.clone(), v.actual.as_str()))
                .collect();
            assert_eq!(&got, expected, "{params:?}");
            for (name, constraint, value) in expected {
                assert!(
                    text.contains(&format!("{name}: violates {constraint}, actual {value}")),
                    "{text}"
                );
            }
            // The pager validates too, and sends nothing either.
            let pages: Vec<_> = c
                .aig_config_list_gateway_pages(&account, params)
                .collect()
                .await;
            assert!(
                matches!(pages.as_slice(), [Err(Error::InvalidParameters(_))]),
                "{pages:?}"
            );
        }
    }
    assert_eq!(server.request_count(), 0, "{:?}", server.requests());

    // The counter works: a valid call is seen.
    let c = client(&server.url(), Credentials::api_token(TOKEN));
    c.aig_config_list_gateway(&account, &p().page(1).per_page(100))
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].query_param("page"), Some("1"));
    assert_eq!(seen[0].query_param("per_page"), Some("100"));
    assert_eq!(seen[0].header("user-agent"), Some(USER_AGENT));

    if let Some(log) = prism.as_ref().and_then(|p| p.log.as_ref()) {
        // Prism logs requests in arrival order: once a later request is in
        // its log, an earlier one would be too.
        let later = marker("after-rejected");
        let pc = client(&prism.as_ref().unwrap().url, Credentials::api_token(TOKEN));
        pc.aig_config_list_gateway(&later, &p()).await.unwrap();
        log.assert_clean(offset, &later, 1).await;
        let sent = log.blocks(offset, &account);
        assert!(
            sent.is_empty(),
            "invalid parameters reached Prism: {sent:?}"
        );
    }
}
