//! nullable.yaml: absent, null and present values, decoded and encoded.

use nullable_api::models::{Address, Person};
use nullable_api::runtime::validation::{Bound, Constraint};
use nullable_api::{Validate, Violation};
use serde_json::{json, Value};

fn minimal() -> Value {
    json!({
        "name": "n",
        "nickname": null,
        "tags": null,
        "meta": null,
        "address": null,
        "home": null,
        "spouse_name": null
    })
}

fn person(extra: Value) -> Person {
    let mut value = minimal();
    for (k, v) in extra.as_object().expect("object") {
        value[k] = v.clone();
    }
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

#[test]
fn required_nullable_fields_take_null() {
    let p = person(json!({}));
    assert_eq!(p.nickname, None);
    assert_eq!(p.tags, None);
    assert_eq!(p.meta, None);
    assert_eq!(p.address, None);
    assert_eq!(p.home, None);
    assert_eq!(p.spouse_name, None);
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn optional_nullable_fields_tell_absent_from_null() {
    let p = person(json!({}));
    assert_eq!(p.email, None);
    assert_eq!(p.previous_address, None);
    assert_eq!(p.work, None);
    assert_eq!(p.extra, None);
    let p = person(json!({"email": null, "previous_address": null, "work": null, "extra": null}));
    assert_eq!(p.email, Some(None));
    assert_eq!(p.previous_address, Some(None));
    assert_eq!(p.work, Some(None));
    assert_eq!(p.extra, Some(None));
    let p = person(json!({"email": "a@b", "previous_address": {"street": "s"}}));
    assert_eq!(p.email, Some(Some("a@b".into())));
    assert_eq!(
        p.previous_address,
        Some(Some(Address { street: "s".into() }))
    );
}

#[test]
fn nullable_items_and_values() {
    let p = person(json!({"aliases": [null, "x"], "meta": {"k": "v"}, "tags": ["t"]}));
    assert_eq!(p.aliases, Some(Some(vec![None, Some("x".to_string())])));
    assert_eq!(
        p.meta.as_ref().and_then(|m| m.get("k")).map(String::as_str),
        Some("v")
    );
    assert_eq!(p.tags, Some(vec!["t".to_string()]));
}

#[test]
fn encoding_sends_required_nulls_and_keeps_absent_absent() {
    let value = json!({
        "name": "n",
        "nickname": null,
        "email": null,
        "tags": null,
        "meta": null,
        "address": null,
        "home": null,
        "spouse_name": null
    });
    let p: Person = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&p).expect("encodes"), value);
}

#[test]
fn checks_apply_to_present_values_only() {
    let p = person(json!({
        "nickname": "a",
        "age": -1,
        "email": "no-at",
        "tags": ["a", "b", "c", "d"],
        "spouse_name": "x".repeat(51),
        "score": 1.5
    }));
    assert_eq!(
        p.validate().expect_err("invalid").0,
        [
            Violation {
                path: "nickname".into(),
                constraint: Constraint::MinLength(2),
                actual: "\"a\" (1 characters)".into()
            },
            Violation {
                path: "age".into(),
                constraint: Constraint::Minimum(Bound::Int(0)),
                actual: "-1".into()
            },
            Violation {
                path: "email".into(),
                constraint: Constraint::Pattern("@"),
                actual: "\"no-at\"".into()
            },
            Violation {
                path: "tags".into(),
                constraint: Constraint::MaxItems(3),
                actual: "4 items".into()
            },
            Violation {
                path: "spouse_name".into(),
                constraint: Constraint::MaxLength(50),
                actual: "51 characters".into()
            },
            Violation {
                path: "score".into(),
                constraint: Constraint::Maximum(Bound::Float(1.0)),
                actual: "1.5".into()
            },
        ]
    );
}
