//! validation.yaml: every constraint kind at its boundary, parameter checks
//! before I/O, and what the operations put on the wire.

use behaviour::{serve_once, Reply};
use serde_json::{json, Value};
use validation_api::client::PutItemParams;
use validation_api::models::{Form, Limits};
use validation_api::runtime::validation::{Bound, Constraint};
use validation_api::{Client, Error, Validate, Violation};

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

fn int(n: i64) -> Bound {
    Bound::Int(n)
}

fn float(x: f64) -> Bound {
    Bound::Float(x)
}

#[test]
fn every_constraint_kind_at_its_boundary() {
    use Constraint::*;
    let cases: Vec<(Value, Vec<Violation>)> = vec![
        (json!({"int_min": 1, "int_max": 10}), vec![]),
        (
            json!({"int_min": 0}),
            vec![v("int_min", Minimum(int(1)), "0")],
        ),
        (
            json!({"int_max": 11}),
            vec![v("int_max", Maximum(int(10)), "11")],
        ),
        (
            json!({"int_exclusive_min": 1, "int_exclusive_max": 99}),
            vec![],
        ),
        (
            json!({"int_exclusive_min": 0}),
            vec![v("int_exclusive_min", ExclusiveMinimum(int(0)), "0")],
        ),
        (
            json!({"int_exclusive_max": 100}),
            vec![v("int_exclusive_max", ExclusiveMaximum(int(100)), "100")],
        ),
        (json!({"int32_range": -5}), vec![]),
        (json!({"int32_range": 5}), vec![]),
        (
            json!({"int32_range": -6}),
            vec![v("int32_range", Minimum(int(-5)), "-6")],
        ),
        (
            json!({"int32_range": 6}),
            vec![v("int32_range", Maximum(int(5)), "6")],
        ),
        (json!({"num_min": 0.5, "num_max": 99.5}), vec![]),
        (
            json!({"num_min": 0.49}),
            vec![v("num_min", Minimum(float(0.5)), "0.49")],
        ),
        (
            json!({"num_max": 99.51}),
            vec![v("num_max", Maximum(float(99.5)), "99.51")],
        ),
        (json!({"num_exclusive": 0.5}), vec![]),
        (
            json!({"num_exclusive": 0}),
            vec![v("num_exclusive", ExclusiveMinimum(float(0.0)), "0")],
        ),
        (
            json!({"num_exclusive": 1}),
            vec![v("num_exclusive", ExclusiveMaximum(float(1.0)), "1")],
        ),
        (json!({"int_multiple": -10}), vec![]),
        (json!({"int_multiple": 0}), vec![]),
        (
            json!({"int_multiple": 12}),
            vec![v("int_multiple", MultipleOf(int(5)), "12")],
        ),
        (json!({"num_multiple": 0.3}), vec![]),
        (json!({"num_multiple": 19.99}), vec![]),
        (
            json!({"num_multiple": 0.015}),
            vec![v("num_multiple", MultipleOf(float(0.01)), "0.015")],
        ),
        (json!({"name": "ab"}), vec![]),
        (json!({"name": "abcdefgh"}), vec![]),
        (
            json!({"name": "a"}),
            vec![v("name", MinLength(2), "\"a\" (1 characters)")],
        ),
        (
            json!({"name": "abcdefghi"}),
            vec![v("name", MaxLength(8), "9 characters")],
        ),
        (json!({"code": "ABC-12"}), vec![]),
        (
            json!({"code": "xx ABC-1"}),
            vec![v("code", Pattern(r"^[A-Z]{3}-\d+$"), "\"xx ABC-1\"")],
        ),
        (
            json!({"code": "abc-12"}),
            vec![v("code", Pattern(r"^[A-Z]{3}-\d+$"), "\"abc-12\"")],
        ),
        (json!({"tags": ["a"]}), vec![]),
        (json!({"tags": ["a", "b", "c"]}), vec![]),
        (json!({"tags": []}), vec![v("tags", MinItems(1), "0 items")]),
        (
            json!({"tags": ["a", "b", "c", "d"]}),
            vec![v("tags", MaxItems(3), "4 items")],
        ),
        (
            json!({"tags": ["a", "b", "a"]}),
            vec![v("tags", UniqueItems, "item 2 repeats an earlier item")],
        ),
        (
            json!({"tags": ["a", ""]}),
            vec![v("tags[1]", MinLength(1), "\"\" (0 characters)")],
        ),
        (json!({"labels": {"a": "x"}}), vec![]),
        (
            json!({"labels": {}}),
            vec![v("labels", MinProperties(1), "0 properties")],
        ),
        (
            json!({"labels": {"a": "1", "b": "2", "c": "3"}}),
            vec![v("labels", MaxProperties(2), "3 properties")],
        ),
        (
            json!({"labels": {"k\"ey": "toolong"}}),
            vec![v(r#"labels["k\"ey"]"#, MaxLength(4), "7 characters")],
        ),
        (json!({"level": "high"}), vec![]),
        (
            json!({"level": "mid"}),
            vec![v("level", Enum(&["low", "high"]), "\"mid\"")],
        ),
        (json!({"int_enum": 3}), vec![]),
        (
            json!({"int_enum": 4}),
            vec![v("int_enum", Enum(&["1", "2", "3"]), "4")],
        ),
        (json!({"num_enum": 0.5}), vec![]),
        (json!({"num_enum": 1}), vec![]),
        (json!({"num_enum": 1.0}), vec![]),
        (json!({"bool_enum": false}), vec![]),
        (
            json!({"bool_enum": true}),
            vec![v("bool_enum", Enum(&["false"]), "true")],
        ),
        (json!({"matrix": [[0, 1], []]}), vec![]),
        (
            json!({"matrix": [[], [1, 2, 3]]}),
            vec![v("matrix[1]", MaxItems(2), "3 items")],
        ),
        (
            json!({"matrix": [[0, -1]]}),
            vec![v("matrix[0][1]", Minimum(int(0)), "-1")],
        ),
    ];
    let mut failures = Vec::new();
    for (input, expected) in &cases {
        let limits: Limits = match serde_json::from_value(input.clone()) {
            Ok(l) => l,
            Err(e) => {
                failures.push(format!("{input}: does not decode: {e}"));
                continue;
            }
        };
        let found = limits.validate().err().map(|e| e.0).unwrap_or_default();
        if &found != expected {
            failures.push(format!(
                "{input}:\n    expected {expected:?}\n    found    {found:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_number_enum_reports_a_value_it_does_not_list() {
    let limits: Limits = serde_json::from_value(json!({"num_enum": 0.75})).expect("decodes");
    let errors = limits.validate().expect_err("0.75 is not listed").0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "num_enum");
    assert_eq!(errors[0].actual, "0.75");
    assert!(matches!(errors[0].constraint, Constraint::Enum(_)));
}

fn client(url: &str) -> Client {
    Client::builder(url)
        .build()
        .expect("client")
}

#[tokio::test]
async fn invalid_parameters_are_all_reported_before_any_request() {
    // Nothing listens on port 9: a request would be a transport error.
    let client = client("http://127.0.0.1:9");
    let body: Limits = serde_json::from_value(json!({"int_min": 0})).expect("decodes");
    let params = PutItemParams::default()
        .ids(vec![1, -1, 1, 2, 3, 4])
        .filter("ABC");
    let result = client.put_item(0, &vec![], &body, &params).await;
    let Err(Error::InvalidParameters(found)) = result else {
        panic!("expected InvalidParameters, got {result:?}");
    };
    assert_eq!(
        found,
        [
            v("id", Constraint::Minimum(int(1)), "0"),
            v("X-Tags", Constraint::MinItems(1), "0 items"),
            v("ids", Constraint::MaxItems(5), "6 items"),
            v(
                "ids",
                Constraint::UniqueItems,
                "item 2 repeats an earlier item"
            ),
            v("ids[1]", Constraint::Minimum(int(0)), "-1"),
            v("filter", Constraint::Pattern("^[a-z]+$"), "\"ABC\""),
            v("body.int_min", Constraint::Minimum(int(1)), "0"),
        ]
    );
}

#[tokio::test]
async fn put_item_sends_path_query_header_and_json_body() {
    let (url, server) = serve_once(Reply::no_content()).await;
    let body: Limits = serde_json::from_value(json!({"name": "widget"})).expect("decodes");
    let params = PutItemParams::default().ids(vec![3, 1]).filter("abc");
    client(&url)
        .put_item(7, &vec!["a".to_string(), "b c".to_string()], &body, &params)
        .await
        .expect("204 is success");
    let seen = server.await.expect("server");
    assert!(
        seen.request_line.starts_with("PUT "),
        "{}",
        seen.request_line
    );
    assert_eq!(seen.target(), "/items/7?ids=3&ids=1&filter=abc");
    assert_eq!(seen.header_values("content-type"), ["application/json"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&seen.body).expect("JSON body"),
        json!({"name": "widget"})
    );
    // A header array is sent in the `simple` style (OpenAPI's only style for
    // headers): the items joined by commas.
    assert_eq!(seen.header_values("x-tags"), ["a,b c"]);
}

#[tokio::test]
async fn submit_form_sends_a_urlencoded_body() {
    let (url, server) = serve_once(Reply::no_content()).await;
    let form: Form = serde_json::from_value(json!({"name": "a b&c", "count": 3})).expect("decodes");
    client(&url).submit_form(&form).await.expect("204");
    let seen = server.await.expect("server");
    assert_eq!(seen.target(), "/forms");
    assert_eq!(
        seen.header_values("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    // Field order carries no meaning in a form.
    let mut fields: Vec<String> = seen.body_text().split('&').map(str::to_string).collect();
    fields.sort();
    assert_eq!(fields, ["count=3", "name=a%20b%26c"]);
}

#[tokio::test]
async fn upload_sends_and_returns_raw_bytes() {
    let reply: Vec<u8> = vec![0, 159, 146, 150, 255];
    let (url, server) = serve_once(Reply::bytes(&reply)).await;
    let sent = vec![1u8, 2, 3, 0, 255];
    let got = client(&url).upload(sent.clone()).await.expect("200");
    assert_eq!(got, reply);
    let seen = server.await.expect("server");
    assert_eq!(
        seen.header_values("content-type"),
        ["application/octet-stream"]
    );
    assert_eq!(seen.body, sent);
}
