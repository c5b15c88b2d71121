//! v31/schemas.yaml: the checks OpenAPI 3.1 keywords become — `const`
//! (string, integer, boolean), numeric `exclusiveMinimum`/`exclusiveMaximum`,
//! a closed list's length, `dependentRequired` — each reported with its
//! exact violation; and what is not enforced is indeed let through.

use serde_json::{json, Value};
use v31_schemas_api::models::Reading;
use v31_schemas_api::runtime::validation::{Bound, Constraint};
use v31_schemas_api::{Validate, Violation};

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

/// A reading that satisfies every check, with `changes` merged over it.
fn reading(changes: Value) -> Reading {
    let mut base = json!({"kind": "reading", "version": 2, "celsius": 20.5, "point": [1, 2]});
    if let (Some(base), Some(changes)) = (base.as_object_mut(), changes.as_object()) {
        for (k, val) in changes {
            base.insert(k.clone(), val.clone());
        }
    }
    serde_json::from_value(base).expect("decodes")
}

fn violations(changes: Value) -> Vec<Violation> {
    match reading(changes).validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.0,
    }
}

#[test]
fn const_values_are_single_value_checks() {
    use Constraint::*;
    assert_eq!(violations(json!({})), vec![]);
    assert_eq!(violations(json!({"live": true})), vec![]);
    assert_eq!(
        violations(json!({"kind": "other"})),
        vec![v("kind", Enum(&["reading"]), "\"other\"")]
    );
    assert_eq!(
        violations(json!({"version": 3})),
        vec![v("version", Enum(&["2"]), "3")]
    );
    assert_eq!(
        violations(json!({"live": false})),
        vec![v("live", Enum(&["true"]), "false")]
    );
}

#[test]
fn numeric_exclusive_bounds_exclude_the_bound_itself() {
    use Constraint::*;
    assert_eq!(violations(json!({"celsius": -273.14})), vec![]);
    assert_eq!(violations(json!({"celsius": 999.9})), vec![]);
    assert_eq!(
        violations(json!({"celsius": -273.15})),
        vec![v("celsius", ExclusiveMinimum(Bound::Float(-273.15)), "-273.15")]
    );
    assert_eq!(
        violations(json!({"celsius": 1000})),
        vec![v("celsius", ExclusiveMaximum(Bound::Float(1000.0)), "1000")]
    );
    // `minimum: 1` is tighter than `exclusiveMinimum: 0` and holds alone.
    assert_eq!(violations(json!({"percent": 1})), vec![]);
    assert_eq!(violations(json!({"percent": 99})), vec![]);
    assert_eq!(
        violations(json!({"percent": 0})),
        vec![v("percent", Minimum(Bound::Int(1)), "0")]
    );
    assert_eq!(
        violations(json!({"percent": 100})),
        vec![v("percent", ExclusiveMaximum(Bound::Int(100)), "100")]
    );
}

#[test]
fn a_closed_tuple_holds_at_most_its_length() {
    use Constraint::*;
    assert_eq!(violations(json!({"labelled": [1, "one"]})), vec![]);
    assert_eq!(
        violations(json!({"point": [1, 2, 3]})),
        vec![v("point", MaxItems(2), "3 items")]
    );
    // Positions that differ make a tuple type (v31_tuples.rs), which
    // cannot hold a third item: that is a decoding error.
    let mut three = json!({"kind": "reading", "version": 2, "celsius": 20.5, "point": [1, 2]});
    three["labelled"] = json!([1, "one", true]);
    let err = serde_json::from_value::<Reading>(three).expect_err("does not decode");
    assert_eq!(
        err.to_string(),
        "invalid length 3, expected an array of at most 2 items"
    );
}

#[test]
fn dependent_required_is_checked() {
    assert_eq!(
        violations(json!({"card": {"number": "4242"}})),
        vec![v(
            "card.cvc",
            Constraint::DependentRequired("number"),
            "absent"
        )]
    );
    assert_eq!(violations(json!({"card": {"number": "4242", "cvc": "1"}})), vec![]);
}

#[test]
fn unenforced_keywords_let_values_through() {
    // `unevaluatedProperties: false` reads as `additionalProperties: false`:
    // an unknown property is not kept.
    let r = reading(json!({"card": {"number": "4242", "extra": 1}}));
    let card = serde_json::to_value(&r.card).expect("encodes");
    assert_eq!(card, json!({"number": "4242"}));
}
