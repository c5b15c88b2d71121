//! The seed example (the 200 example of List Gateways) decodes into the
//! generated models, validates, and matches the reference page; decoding is
//! lenient and `validate()` reports what leniency let through.

use cloudflare_ai_gateway::models::{
    AigConfigListGatewayResponse, Gateway, GatewayDlp, GatewayDlpVariant0Action,
    GatewayDlpVariant1PoliciesItemCheckItem, GatewayLogManagementStrategy,
    GatewayOtelItemContentType, GatewayRateLimitingTechnique, GatewayRetryBackoff,
    GatewayWorkersAiBillingMode,
};
use cloudflare_ai_gateway::runtime::validation::Constraint;
use cloudflare_ai_gateway::{Validate, Violation};
use serde_json::{json, Value};
use tests::{read_text, seed_example, workspace_root};

fn decode(value: Value) -> AigConfigListGatewayResponse {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("does not decode: {e}"))
}

#[test]
fn seed_example_decodes_and_validates() {
    let response = decode(seed_example());
    assert_eq!(response.validate(), Ok(()));
    assert!(response.success);
    assert_eq!(response.result_info, None);
    assert_eq!(response.result.len(), 1);
    let g: &Gateway = &response.result[0];

    assert_eq!(g.id, "my-gateway");
    assert!(g.cache_invalidate_on_update && g.collect_logs);
    assert_eq!(g.cache_ttl, Some(0));
    assert_eq!(g.rate_limiting_interval, Some(0));
    assert_eq!(g.rate_limiting_limit, Some(0));
    assert_eq!(g.authentication, Some(true));
    assert_eq!(g.is_default, Some(true));
    assert_eq!(g.logpush, Some(true));
    assert_eq!(g.zdr, Some(true));

    // Dates: 2019-12-27T18:11:19.117Z, milliseconds kept.
    assert_eq!(g.created_at.timestamp_millis(), 1_577_470_279_117);
    assert_eq!(g.modified_at.timestamp_millis(), 1_577_470_279_117);
    assert_eq!(g.created_at.to_rfc3339(), "2019-12-27T18:11:19.117+00:00");

    // The DLP union picked the first member (action/enabled/profiles).
    match &g.dlp {
        Some(GatewayDlp::Variant0(dlp)) => {
            assert_eq!(dlp.action, GatewayDlpVariant0Action::Block);
            assert!(dlp.enabled);
            assert_eq!(dlp.profiles, ["string"]);
        }
        other => panic!("dlp decoded as {other:?}"),
    }

    assert_eq!(g.log_management, Some(10_000));
    assert_eq!(
        g.log_management_strategy,
        Some(GatewayLogManagementStrategy::StopInserting)
    );
    assert_eq!(g.logpush_public_key.as_deref(), Some("xxxxxxxxxxxxxxxx"));

    let otel = g.otel.as_deref().expect("otel");
    assert_eq!(otel.len(), 1);
    assert_eq!(otel[0].authorization, "authorization");
    assert_eq!(otel[0].url, "url");
    assert_eq!(otel[0].headers.len(), 1);
    assert_eq!(
        otel[0].headers.get("foo").map(String::as_str),
        Some("string")
    );
    assert_eq!(otel[0].content_type, Some(GatewayOtelItemContentType::Json));

    assert_eq!(
        g.rate_limiting_technique,
        Some(GatewayRateLimitingTechnique::Fixed)
    );
    assert_eq!(g.retry_backoff, Some(GatewayRetryBackoff::Constant));
    assert_eq!(g.retry_delay, Some(0));
    assert_eq!(g.retry_max_attempts, Some(1));
    assert_eq!(g.store_id.as_deref(), Some("store_id"));

    let stripe = g.stripe.as_ref().expect("stripe");
    assert_eq!(stripe.authorization, "authorization");
    assert_eq!(stripe.usage_events.len(), 1);
    assert_eq!(stripe.usage_events[0].payload, "payload");
    assert_eq!(
        g.workers_ai_billing_mode,
        Some(GatewayWorkersAiBillingMode::Postpaid)
    );
}

#[test]
fn seed_example_round_trips() {
    let example = seed_example();
    let encoded = serde_json::to_value(decode(example.clone())).expect("encodes");
    assert_eq!(encoded, example);
}

#[test]
fn spec_example_is_the_reference_page_example() {
    let page = workspace_root().join("../shared/seed/list-gateways.txt");
    if !page.is_file() {
        println!(
            "SKIPPED: {} is absent; the spec example is not compared with the reference page",
            page.display()
        );
        return;
    }
    let text = read_text(&page);
    let marker = text
        .lines()
        .position(|l| l.trim() == "Returns Examples")
        .expect("the reference page has a `Returns Examples` line");
    let after: String = text
        .lines()
        .skip(marker + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    // The first JSON value after the marker; anything after it is ignored.
    let mut values = serde_json::Deserializer::from_str(&after).into_iter::<Value>();
    let page_example = values
        .next()
        .expect("a JSON example after `Returns Examples`")
        .expect("the page's example is valid JSON");
    assert_eq!(seed_example(), page_example);
}

#[test]
fn unknown_enum_values_and_extra_fields_decode_and_enums_are_reported() {
    let mut example = seed_example();
    let gateway = &mut example["result"][0];
    gateway["retry_backoff"] = json!("quadratic");
    gateway["otel"][0]["content_type"] = json!("xml");
    gateway["dlp"]["action"] = json!("WARN");
    gateway["a_field_from_the_future"] = json!({"nested": [1, 2, 3]});
    gateway["stripe"]["unexpected"] = json!(true);
    example["also_new"] = json!("top level");

    let response = decode(example);
    let g = &response.result[0];
    assert_eq!(
        g.retry_backoff,
        Some(GatewayRetryBackoff::Other("quadratic".into()))
    );
    assert_eq!(
        g.otel.as_ref().map(|o| o[0].content_type.clone()),
        Some(Some(GatewayOtelItemContentType::Other("xml".into())))
    );
    // Extra fields are allowed by the schema (no `additionalProperties:
    // false`): only the enum values are violations.
    let errors = response.validate().expect_err("unknown enum values");
    assert_eq!(
        errors.0,
        [
            Violation {
                path: "result[0].dlp.action".into(),
                constraint: Constraint::Enum(&["BLOCK", "FLAG"]),
                actual: "\"WARN\"".into(),
            },
            Violation {
                path: "result[0].otel[0].content_type".into(),
                constraint: Constraint::Enum(&["json", "protobuf"]),
                actual: "\"xml\"".into(),
            },
            Violation {
                path: "result[0].retry_backoff".into(),
                constraint: Constraint::Enum(&["constant", "linear", "exponential"]),
                actual: "\"quadratic\"".into(),
            },
        ]
    );
    // Unknown values survive a round trip unchanged.
    let encoded = serde_json::to_value(&response).expect("encodes");
    assert_eq!(encoded["result"][0]["retry_backoff"], "quadratic");
    assert_eq!(encoded["result"][0]["dlp"]["action"], "WARN");
}

#[test]
fn a_value_matching_no_union_member_is_kept_and_reported() {
    let mut example = seed_example();
    example["result"][0]["dlp"] = json!("not an object");
    let response = decode(example);
    assert_eq!(
        response.result[0].dlp,
        Some(GatewayDlp::Other(json!("not an object")))
    );
    let errors = response.validate().expect_err("dlp matches no member");
    assert_eq!(
        errors.0,
        [Violation {
            path: "result[0].dlp".into(),
            constraint: Constraint::AnyOf,
            actual: "\"not an object\"".into(),
        }]
    );
}

#[test]
fn the_second_dlp_member_decodes_with_its_nested_enums() {
    let mut example = seed_example();
    example["result"][0]["dlp"] = json!({
        "enabled": true,
        "policies": [{
            "id": "p1",
            "action": "FLAG",
            "check": ["REQUEST", "BODY"],
            "enabled": false,
            "profiles": []
        }]
    });
    let response = decode(example);
    let Some(GatewayDlp::Variant1(dlp)) = &response.result[0].dlp else {
        panic!("dlp decoded as {:?}", response.result[0].dlp);
    };
    assert_eq!(
        dlp.policies[0].check,
        [
            GatewayDlpVariant1PoliciesItemCheckItem::Request,
            GatewayDlpVariant1PoliciesItemCheckItem::Other("BODY".into()),
        ]
    );
    assert_eq!(
        response.validate().expect_err("BODY is unknown").0,
        [Violation {
            path: "result[0].dlp.policies[0].check[1]".into(),
            constraint: Constraint::Enum(&["REQUEST", "RESPONSE"]),
            actual: "\"BODY\"".into(),
        }]
    );
}

#[test]
fn missing_required_fields_do_not_decode() {
    // Leniency is about values, not shape: a gateway without an id is an error.
    let mut example = seed_example();
    example["result"][0]
        .as_object_mut()
        .expect("object")
        .remove("id");
    let err = serde_json::from_value::<AigConfigListGatewayResponse>(example)
        .expect_err("id is required");
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}
