//! Boundary values for every constraint of `Gateway`, each asserting the
//! exact violations `validate()` reports (path, constraint, actual value).

use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
use cloudflare_ai_gateway::models::{AigConfigListGatewayResponse, Gateway};
use cloudflare_ai_gateway::runtime::validation::{Bound, Constraint};
use cloudflare_ai_gateway::{Client, Credentials, Error, Validate, Violation};
use serde_json::{json, Value};
use tests::seed_example;

const STRATEGIES: &[&str] = &["STOP_INSERTING", "DELETE_OLDEST"];
const TECHNIQUES: &[&str] = &["fixed", "sliding"];
const BACKOFFS: &[&str] = &["constant", "linear", "exponential"];
const BILLING: &[&str] = &["postpaid"];
const DLP_ACTIONS: &[&str] = &["BLOCK", "FLAG"];
const DLP_POLICY_ACTIONS: &[&str] = &["FLAG", "BLOCK"];
const DLP_CHECKS: &[&str] = &["REQUEST", "RESPONSE"];
const CONTENT_TYPES: &[&str] = &["json", "protobuf"];

/// A valid gateway: the seed example's.
fn valid_gateway() -> Value {
    seed_example()["result"][0].clone()
}

fn min(n: i64) -> Constraint {
    Constraint::Minimum(Bound::Int(n))
}

fn max(n: i64) -> Constraint {
    Constraint::Maximum(Bound::Int(n))
}

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.to_string(),
        constraint,
        actual: actual.to_string(),
    }
}

/// One case: set the value at `pointer` (in a valid gateway) and expect
/// exactly these violations.
struct Case {
    pointer: &'static str,
    value: Value,
    expect: Vec<Violation>,
}

fn ok(pointer: &'static str, value: Value) -> Case {
    Case {
        pointer,
        value,
        expect: Vec::new(),
    }
}

fn bad(pointer: &'static str, value: Value, expect: Violation) -> Case {
    Case {
        pointer,
        value,
        expect: vec![expect],
    }
}

fn repeat(c: &str, n: usize) -> Value {
    Value::String(c.repeat(n))
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // id: 1..=64 characters, counted as characters, not bytes.
        bad(
            "/id",
            json!(""),
            v("id", Constraint::MinLength(1), "\"\" (0 characters)"),
        ),
        ok("/id", json!("a")),
        ok("/id", json!("é")),
        ok("/id", repeat("a", 64)),
        bad(
            "/id",
            repeat("a", 65),
            v("id", Constraint::MaxLength(64), "65 characters"),
        ),
        ok("/id", repeat("é", 64)),
        bad(
            "/id",
            repeat("é", 65),
            v("id", Constraint::MaxLength(64), "65 characters"),
        ),
        ok("/id", repeat("🦀", 64)),
        bad(
            "/id",
            repeat("🦀", 65),
            v("id", Constraint::MaxLength(64), "65 characters"),
        ),
        // logpush_public_key: 16..=1024 characters.
        bad(
            "/logpush_public_key",
            repeat("x", 15),
            v(
                "logpush_public_key",
                Constraint::MinLength(16),
                &format!("{} (15 characters)", quoted(&"x".repeat(15))),
            ),
        ),
        ok("/logpush_public_key", repeat("x", 16)),
        ok("/logpush_public_key", repeat("x", 1024)),
        bad(
            "/logpush_public_key",
            repeat("x", 1025),
            v(
                "logpush_public_key",
                Constraint::MaxLength(1024),
                "1025 characters",
            ),
        ),
        // 15 two-byte characters are 30 bytes, still too short.
        bad(
            "/logpush_public_key",
            repeat("é", 15),
            v(
                "logpush_public_key",
                Constraint::MinLength(16),
                &format!("{} (15 characters)", quoted(&"é".repeat(15))),
            ),
        ),
        ok("/logpush_public_key", repeat("é", 16)),
        ok("/logpush_public_key", repeat("é", 1024)),
        bad(
            "/logpush_public_key",
            repeat("é", 1025),
            v(
                "logpush_public_key",
                Constraint::MaxLength(1024),
                "1025 characters",
            ),
        ),
        // log_management: 10000..=10000000.
        bad(
            "/log_management",
            json!(9_999),
            v("log_management", min(10_000), "9999"),
        ),
        ok("/log_management", json!(10_000)),
        ok("/log_management", json!(10_000_000)),
        bad(
            "/log_management",
            json!(10_000_001),
            v("log_management", max(10_000_000), "10000001"),
        ),
        bad(
            "/log_management",
            json!(i64::MIN),
            v("log_management", min(10_000), &i64::MIN.to_string()),
        ),
        // retry_delay: 0..=5000.
        bad("/retry_delay", json!(-1), v("retry_delay", min(0), "-1")),
        ok("/retry_delay", json!(0)),
        ok("/retry_delay", json!(5_000)),
        bad(
            "/retry_delay",
            json!(5_001),
            v("retry_delay", max(5_000), "5001"),
        ),
        // retry_max_attempts: 1..=5.
        bad(
            "/retry_max_attempts",
            json!(0),
            v("retry_max_attempts", min(1), "0"),
        ),
        ok("/retry_max_attempts", json!(1)),
        ok("/retry_max_attempts", json!(5)),
        bad(
            "/retry_max_attempts",
            json!(6),
            v("retry_max_attempts", max(5), "6"),
        ),
        // Enums: every listed value is fine; anything else (even another
        // case, or empty) is reported with the listed values.
        ok("/log_management_strategy", json!("DELETE_OLDEST")),
        bad(
            "/log_management_strategy",
            json!("DELETE_NEWEST"),
            v(
                "log_management_strategy",
                Constraint::Enum(STRATEGIES),
                "\"DELETE_NEWEST\"",
            ),
        ),
        ok("/rate_limiting_technique", json!("sliding")),
        bad(
            "/rate_limiting_technique",
            json!("Fixed"),
            v(
                "rate_limiting_technique",
                Constraint::Enum(TECHNIQUES),
                "\"Fixed\"",
            ),
        ),
        ok("/retry_backoff", json!("linear")),
        ok("/retry_backoff", json!("exponential")),
        bad(
            "/retry_backoff",
            json!(""),
            v("retry_backoff", Constraint::Enum(BACKOFFS), "\"\""),
        ),
        bad(
            "/workers_ai_billing_mode",
            json!("prepaid"),
            v(
                "workers_ai_billing_mode",
                Constraint::Enum(BILLING),
                "\"prepaid\"",
            ),
        ),
        ok("/dlp/action", json!("FLAG")),
        bad(
            "/dlp/action",
            json!("ALLOW"),
            v("dlp.action", Constraint::Enum(DLP_ACTIONS), "\"ALLOW\""),
        ),
        ok("/otel/0/content_type", json!("protobuf")),
        bad(
            "/otel/0/content_type",
            json!("xml"),
            v(
                "otel[0].content_type",
                Constraint::Enum(CONTENT_TYPES),
                "\"xml\"",
            ),
        ),
        Case {
            pointer: "/dlp",
            value: json!({
                "enabled": true,
                "policies": [
                    {"id": "a", "action": "BLOCK", "check": ["RESPONSE"], "enabled": true, "profiles": []},
                    {"id": "b", "action": "ALLOW", "check": ["REQUEST", "HEADERS"], "enabled": true, "profiles": []}
                ]
            }),
            expect: vec![
                v(
                    "dlp.policies[1].action",
                    Constraint::Enum(DLP_POLICY_ACTIONS),
                    "\"ALLOW\"",
                ),
                v(
                    "dlp.policies[1].check[1]",
                    Constraint::Enum(DLP_CHECKS),
                    "\"HEADERS\"",
                ),
            ],
        },
    ];
    // cache_ttl, rate_limiting_interval, rate_limiting_limit: >= 0, nullable.
    for (pointer, path) in [
        ("/cache_ttl", "cache_ttl"),
        ("/rate_limiting_interval", "rate_limiting_interval"),
        ("/rate_limiting_limit", "rate_limiting_limit"),
    ] {
        cases.push(bad(pointer, json!(-1), v(path, min(0), "-1")));
        cases.push(ok(pointer, json!(0)));
        cases.push(ok(pointer, json!(i64::MAX)));
        cases.push(ok(pointer, Value::Null));
    }
    cases
}

fn gateway_with(pointer: &str, value: &Value) -> Gateway {
    let mut json = valid_gateway();
    *json
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the seed gateway has no {pointer}")) = value.clone();
    serde_json::from_value(json)
        .unwrap_or_else(|e| panic!("{pointer} = {value}: does not decode: {e}"))
}

#[test]
fn every_gateway_constraint_at_its_boundaries() {
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let gateway = gateway_with(case.pointer, &case.value);
        let found = gateway.validate().err().map(|e| e.0).unwrap_or_default();
        if found != case.expect {
            let shown = match &case.value {
                Value::String(s) if s.chars().count() > 20 => {
                    format!(
                        "{:?}… ({} characters)",
                        s.chars().take(3).collect::<String>(),
                        s.chars().count()
                    )
                }
                other => other.to_string(),
            };
            failures.push(format!(
                "{} = {shown}:\n    expected {:?}\n    found    {:?}",
                case.pointer, case.expect, found
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_cases_cover_every_constrained_field() {
    // Every Gateway property with a constraint (or an enum) has a case that
    // breaks it; a new constraint in the spec needs a new case here.
    let breaking: Vec<&str> = cases()
        .iter()
        .filter(|c| !c.expect.is_empty())
        .map(|c| c.pointer)
        .collect();
    for field in [
        "/id",
        "/cache_ttl",
        "/rate_limiting_interval",
        "/rate_limiting_limit",
        "/dlp/action",
        "/dlp",
        "/log_management",
        "/log_management_strategy",
        "/logpush_public_key",
        "/otel/0/content_type",
        "/rate_limiting_technique",
        "/retry_backoff",
        "/retry_delay",
        "/retry_max_attempts",
        "/workers_ai_billing_mode",
    ] {
        assert!(breaking.contains(&field), "no violating case for {field}");
    }
}

#[test]
fn every_violation_inside_one_list_item_is_reported_with_its_path() {
    let mut bad = valid_gateway();
    bad["id"] = json!("");
    bad["cache_ttl"] = json!(-5);
    bad["log_management"] = json!(1);
    bad["log_management_strategy"] = json!("KEEP");
    bad["logpush_public_key"] = json!("short");
    bad["otel"][0]["content_type"] = json!("xml");
    bad["retry_delay"] = json!(6_000);
    bad["retry_max_attempts"] = json!(0);
    let mut items = vec![valid_gateway(); 5];
    items[3] = bad;
    let mut response = seed_example();
    response["result"] = Value::Array(items);
    let response: AigConfigListGatewayResponse = serde_json::from_value(response).expect("decodes");

    let errors = response.validate().expect_err("result[3] is invalid");
    assert_eq!(
        errors.0,
        [
            v(
                "result[3].id",
                Constraint::MinLength(1),
                "\"\" (0 characters)"
            ),
            v("result[3].cache_ttl", min(0), "-5"),
            v("result[3].log_management", min(10_000), "1"),
            v(
                "result[3].log_management_strategy",
                Constraint::Enum(STRATEGIES),
                "\"KEEP\""
            ),
            v(
                "result[3].logpush_public_key",
                Constraint::MinLength(16),
                "\"short\" (5 characters)"
            ),
            v(
                "result[3].otel[0].content_type",
                Constraint::Enum(CONTENT_TYPES),
                "\"xml\""
            ),
            v("result[3].retry_delay", max(5_000), "6000"),
            v("result[3].retry_max_attempts", min(1), "0"),
        ]
    );
    let text = errors.to_string();
    assert!(
        text.contains("result[3].retry_delay: violates maximum 5000, actual 6000"),
        "{text}"
    );
}

#[tokio::test]
async fn list_parameters_are_checked_before_any_request() {
    // Port 9 (discard) on localhost: if the client sent anything, the error
    // would be a transport error, not InvalidParameters.
    let client = Client::builder("http://127.0.0.1:9")
        .credentials(Credentials::api_token("token"))
        .build()
        .expect("client");
    let cases: [(AigConfigListGatewayParams, Vec<Violation>); 3] = [
        (
            AigConfigListGatewayParams::default().page(0).per_page(0),
            vec![v("page", min(1), "0"), v("per_page", min(1), "0")],
        ),
        (
            AigConfigListGatewayParams::default().per_page(101),
            vec![v("per_page", max(100), "101")],
        ),
        (
            AigConfigListGatewayParams::default().page(-3).per_page(100),
            vec![v("page", min(1), "-3")],
        ),
    ];
    for (params, expected) in cases {
        match client.aig_config_list_gateway("account", &params).await {
            Err(Error::InvalidParameters(found)) => assert_eq!(found, expected, "{params:?}"),
            other => panic!("{params:?}: expected InvalidParameters, got {other:?}"),
        }
    }
}
