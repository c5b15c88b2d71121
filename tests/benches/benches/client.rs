//! The generated crate's speed, each figure beside a baseline from the same
//! run (divan; `cargo xtask bench` prints the ratios):
//!
//! - `decode_page`: a 100-gateway page of List Gateways (the seed example of
//!   `spec/openapi.yaml`, ids varied) decoded into the generated models, and
//!   decoded then validated; baseline: the hand-written serde structs below,
//!   of the same shape.
//! - `pager`: the generated auto-pager walking 50 pages of 20 gateways from
//!   a local test server, against a hand-written reqwest loop over the same
//!   server that decodes into the same generated model, so the difference is
//!   the pager and the client around it (request building, parameter checks,
//!   retry wrapper, capped body read).

use std::sync::LazyLock;
use std::time::Duration;

use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
use cloudflare_ai_gateway::models::AigConfigListGatewayResponse;
use cloudflare_ai_gateway::{ClientBuilder, Credentials, Validate};
use futures_util::StreamExt;
use serde_json::{json, Value};

#[path = "../../../generator/runtime/tests/support/mod.rs"]
mod support;

fn main() {
    divan::main();
}

/// The seed gateway: the first item of the List Gateways example.
fn seed_gateway() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("spec/openapi.yaml is part of the repository");
    let spec: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    spec.pointer(
        "/paths/~1accounts~1{account_id}~1ai-gateway~1gateways/get/responses/200/content/application~1json/example/result/0",
    )
    .cloned()
    .expect("the spec has the seed example")
}

/// Page `page` of `total_pages`, with `per_page` copies of the seed gateway
/// whose ids differ.
fn page_body(seed: &Value, page: usize, per_page: usize, total_pages: usize) -> String {
    let result: Vec<Value> = (0..per_page)
        .map(|i| {
            let mut gateway = seed.clone();
            gateway["id"] = json!(format!("gateway-{page}-{i}"));
            gateway
        })
        .collect();
    json!({
        "result": result,
        "result_info": {
            "page": page,
            "per_page": per_page,
            "count": per_page,
            "total_count": per_page * total_pages,
            "total_pages": total_pages,
        },
        "success": true,
    })
    .to_string()
}

/// Hand-written serde structs of the same shape as the generated models:
/// the baseline for decoding. Enums are plain Rust enums (no catch-all),
/// the `dlp` union an untagged serde enum. Fields are decoded, never read.
#[allow(dead_code)]
mod handwritten {
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Deserialize)]
    pub struct Page {
        pub result: Vec<Gateway>,
        #[serde(default)]
        pub result_info: Option<ResultInfo>,
        pub success: bool,
    }

    #[derive(Deserialize)]
    pub struct ResultInfo {
        pub page: Option<i64>,
        pub per_page: Option<i64>,
        pub count: Option<i64>,
        pub total_count: Option<i64>,
        pub total_pages: Option<i64>,
    }

    #[derive(Deserialize)]
    pub struct Gateway {
        pub id: String,
        pub cache_invalidate_on_update: bool,
        pub cache_ttl: Option<i64>,
        pub collect_logs: bool,
        pub created_at: chrono::DateTime<chrono::Utc>,
        pub modified_at: chrono::DateTime<chrono::Utc>,
        pub rate_limiting_interval: Option<i64>,
        pub rate_limiting_limit: Option<i64>,
        pub authentication: Option<bool>,
        pub dlp: Option<Dlp>,
        pub is_default: Option<bool>,
        pub log_management: Option<i64>,
        pub log_management_strategy: Option<LogManagementStrategy>,
        pub logpush: Option<bool>,
        pub logpush_public_key: Option<String>,
        pub otel: Option<Vec<Otel>>,
        pub rate_limiting_technique: Option<RateLimitingTechnique>,
        pub retry_backoff: Option<RetryBackoff>,
        pub retry_delay: Option<i64>,
        pub retry_max_attempts: Option<i64>,
        pub store_id: Option<String>,
        pub stripe: Option<Stripe>,
        pub workers_ai_billing_mode: Option<WorkersAiBillingMode>,
        pub zdr: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Dlp {
        Profiles {
            action: Action,
            enabled: bool,
            profiles: Vec<String>,
        },
        Policies {
            enabled: bool,
            policies: Vec<Policy>,
        },
    }

    #[derive(Deserialize)]
    pub struct Policy {
        pub id: String,
        pub action: Action,
        pub check: Vec<Check>,
        pub enabled: bool,
        pub profiles: Vec<String>,
    }

    #[derive(Deserialize)]
    pub enum Action {
        #[serde(rename = "BLOCK")]
        Block,
        #[serde(rename = "FLAG")]
        Flag,
    }

    #[derive(Deserialize)]
    pub enum Check {
        #[serde(rename = "REQUEST")]
        Request,
        #[serde(rename = "RESPONSE")]
        Response,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum LogManagementStrategy {
        StopInserting,
        DeleteOldest,
    }

    #[derive(Deserialize)]
    pub struct Otel {
        pub authorization: String,
        pub headers: BTreeMap<String, String>,
        pub url: String,
        pub content_type: Option<ContentType>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum ContentType {
        Json,
        Protobuf,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum RateLimitingTechnique {
        Fixed,
        Sliding,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum RetryBackoff {
        Constant,
        Linear,
        Exponential,
    }

    #[derive(Deserialize)]
    pub struct Stripe {
        pub authorization: String,
        pub usage_events: Vec<UsageEvent>,
    }

    #[derive(Deserialize)]
    pub struct UsageEvent {
        pub payload: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum WorkersAiBillingMode {
        Postpaid,
    }
}

mod decode_page {
    use super::*;

    /// 100 gateways, one page.
    static PAGE: LazyLock<String> = LazyLock::new(|| {
        let body = page_body(&seed_gateway(), 1, 100, 1);
        // Both decoders take every item, and the page is valid.
        let generated: AigConfigListGatewayResponse = serde_json::from_str(&body).unwrap();
        let handwritten: handwritten::Page = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (generated.result.len(), handwritten.result.len()),
            (100, 100)
        );
        assert!(generated.validate().is_ok());
        body
    });

    fn bytes() -> divan::counter::BytesCount {
        divan::counter::BytesCount::of_str(PAGE.as_str())
    }

    /// Baseline: the hand-written structs.
    #[divan::bench]
    fn baseline_handwritten(bencher: divan::Bencher) {
        let text = PAGE.as_str();
        bencher.counter(bytes()).bench(|| {
            let page: handwritten::Page = serde_json::from_str(divan::black_box(text)).unwrap();
            page
        });
    }

    /// The generated models.
    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        let text = PAGE.as_str();
        bencher.counter(bytes()).bench(|| {
            let page: AigConfigListGatewayResponse =
                serde_json::from_str(divan::black_box(text)).unwrap();
            page
        });
    }

    /// The generated models, then `validate()`.
    #[divan::bench]
    fn generated_validate(bencher: divan::Bencher) {
        let text = PAGE.as_str();
        bencher.counter(bytes()).bench(|| {
            let page: AigConfigListGatewayResponse =
                serde_json::from_str(divan::black_box(text)).unwrap();
            page.validate().unwrap();
            page
        });
    }
}

/// A pattern that takes a backtracking engine exponential time
/// (`^(a+)+$` on `aaa…ab`), checked on a 100 KB value: the generated
/// crate's engine is linear for it (asserted), and the time shows it.
mod pathological_pattern {
    use cloudflare_ai_gateway::runtime::pattern::Engine;
    use cloudflare_ai_gateway::runtime::validation::{self, Path, Pattern};

    static EVIL: Pattern = Pattern::new(r"^(a+)+$");

    #[divan::bench(args = [1_000, 10_000, 100_000])]
    fn linear_engine(bencher: divan::Bencher, len: usize) {
        assert_eq!(EVIL.engine(), Some(Engine::Linear));
        let mut value = "a".repeat(len);
        value.push('b');
        bencher
            .counter(divan::counter::BytesCount::of_str(&value))
            .bench(|| {
                let mut out = Vec::new();
                validation::pattern(divan::black_box(&value), &EVIL, &Path::Root, &mut out);
                assert_eq!(out.len(), 1);
                out
            });
    }
}

mod pager {
    use super::support::{Reply, TestServer};
    use super::*;

    const PAGES: usize = 50;
    const PER_PAGE: usize = 20;
    const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";

    struct Fixture {
        runtime: tokio::runtime::Runtime,
        server: TestServer,
    }

    /// One server for every sample: a current-thread runtime that serves
    /// while a walk runs on it, answering page `n` from bodies made once.
    static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let seed = seed_gateway();
        let bodies: Vec<String> = (1..=PAGES)
            .map(|n| page_body(&seed, n, PER_PAGE, PAGES))
            .collect();
        let server = runtime.block_on(async { TestServer::start().await });
        server.handler(move |request| {
            let n: usize = request
                .query_param("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            match bodies.get(n.wrapping_sub(1)) {
                Some(body) => Reply::json(200, body.clone()).into(),
                None => Reply::json(404, "{}").into(),
            }
        });
        Fixture { runtime, server }
    });

    /// The runtime's defaults, so both sides run the same reqwest set-up.
    const TIMEOUT: Duration = Duration::from_secs(60);
    const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Baseline: a hand-written loop of GETs with reqwest, decoding into the
    /// generated model, stopping at `result_info.total_pages`.
    #[divan::bench]
    fn baseline_reqwest_loop(bencher: divan::Bencher) {
        let fixture = &*FIXTURE;
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = fixture.server.url();
        bencher.bench_local(|| {
            fixture.runtime.block_on(async {
                let mut items = 0;
                let mut page = 1;
                loop {
                    let url = format!(
                        "{base}/accounts/{ACCOUNT}/ai-gateway/gateways?page={page}&per_page={PER_PAGE}"
                    );
                    let response = http
                        .get(url)
                        .header("authorization", "Bearer token")
                        .header("user-agent", "bench")
                        .send()
                        .await
                        .unwrap();
                    assert!(response.status().is_success());
                    let body = response.bytes().await.unwrap();
                    let parsed: AigConfigListGatewayResponse = serde_json::from_slice(&body).unwrap();
                    items += parsed.result.len();
                    let total = parsed.result_info.and_then(|i| i.total_pages).unwrap_or(0);
                    if page >= total {
                        break;
                    }
                    page += 1;
                }
                assert_eq!(items, PAGES * PER_PAGE);
                items
            })
        });
    }

    /// The generated `aig_config_list_gateway_pages` stream.
    #[divan::bench]
    fn generated_pager(bencher: divan::Bencher) {
        let fixture = &*FIXTURE;
        let client = ClientBuilder::new(&fixture.server.url())
            .credentials(Credentials::api_token("token"))
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .unwrap();
        let params = AigConfigListGatewayParams::default().per_page(PER_PAGE as i64);
        bencher.bench_local(|| {
            fixture.runtime.block_on(async {
                let mut pages = client.aig_config_list_gateway_pages(ACCOUNT, &params);
                let mut items = 0;
                while let Some(page) = pages.next().await {
                    items += page.unwrap().items.len();
                }
                assert_eq!(items, PAGES * PER_PAGE);
                items
            })
        });
    }
}
