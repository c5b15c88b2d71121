//! v31/tuples.yaml: `prefixItems` tuples read and written as JSON arrays,
//! their lengths held by the type where it can (a decoding error naming
//! the length), else checked (`minItems`/`maxItems` beyond the positions),
//! and each position's own checks reported at its index.

use serde_json::{from_value, json, to_value};
use v31_tuples_api::models::{Coded, Entry, Loose, Pair, Row};
use v31_tuples_api::runtime::validation::{Bound, Constraint};
use v31_tuples_api::{Validate, Violation};

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

fn violations(value: &impl Validate) -> Vec<Violation> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.0,
    }
}

fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: serde_json::Value) -> String {
    from_value::<T>(value).expect_err("does not decode").to_string()
}

#[test]
fn a_closed_tuple_is_a_struct_of_its_positions() {
    let pair: Pair = from_value(json!([2.5, "kg"])).expect("decodes");
    assert_eq!(pair, Pair(2.5, "kg".into()));
    assert_eq!(to_value(&pair).expect("encodes"), json!([2.5, "kg"]));
    assert_eq!(violations(&pair), vec![]);
    assert_eq!(
        violations(&Pair(-1.0, String::new())),
        vec![
            v("[0]", Constraint::Minimum(Bound::Float(0.0)), "-1"),
            v("[1]", Constraint::MinLength(1), "\"\" (0 characters)"),
        ]
    );
    assert_eq!(
        decode_error::<Pair>(json!([2.5, "kg", 3])),
        "invalid length 3, expected an array of at most 2 items"
    );
    assert_eq!(
        decode_error::<Pair>(json!([2.5])),
        "invalid length 1, expected an array of at least 2 items"
    );
    assert_eq!(
        decode_error::<Pair>(json!([2.5, 3])),
        "item 1: invalid type: integer `3`, expected a string"
    );
}

#[test]
fn an_open_tuple_keeps_its_rest_and_checks_its_length() {
    let row: Row = from_value(json!(["a", 7, true, false])).expect("decodes");
    assert_eq!(row, Row("a".into(), Some(7), vec![true, false]));
    assert_eq!(to_value(&row).expect("encodes"), json!(["a", 7, true, false]));
    assert_eq!(violations(&row), vec![]);
    let short: Row = from_value(json!(["a"])).expect("decodes");
    assert_eq!(short, Row("a".into(), None, vec![]));
    assert_eq!(to_value(&short).expect("encodes"), json!(["a"]));
    let long: Row = from_value(json!(["a", 11, true, false, true])).expect("decodes");
    assert_eq!(
        violations(&long),
        vec![
            v("[1]", Constraint::Maximum(Bound::Int(10)), "11"),
            v("", Constraint::MaxItems(4), "5 items"),
        ]
    );
    assert_eq!(
        decode_error::<Row>(json!([])),
        "invalid length 0, expected an array of at least 1 items"
    );
}

#[test]
fn the_rest_is_checked_at_its_own_indexes_and_counted() {
    let coded: Coded = from_value(json!(["x", 1, "ab", "abcd"])).expect("decodes");
    assert_eq!(
        violations(&coded),
        vec![v("[3]", Constraint::MaxLength(3), "4 characters")]
    );
    let bare: Coded = from_value(json!(["x", 1])).expect("decodes");
    assert_eq!(violations(&bare), vec![v("", Constraint::MinItems(3), "2 items")]);
}

#[test]
fn positions_are_optional_without_min_items_and_nested_tuples_validate() {
    let loose: Loose = from_value(json!([])).expect("decodes");
    assert_eq!(loose, Loose(None, None, vec![]));
    let loose: Loose = from_value(json!(["n", [-1, "kg"], {"any": 1}])).expect("decodes");
    assert_eq!(loose.2, vec![json!({"any": 1})]);
    assert_eq!(
        violations(&loose),
        vec![v("[1][0]", Constraint::Minimum(Bound::Float(0.0)), "-1")]
    );
    let entry: Entry =
        from_value(json!({"at": ["2026-01-02T03:04:05Z", null], "point": [1, 2]})).expect("decodes");
    assert_eq!(entry.at.1, None);
    assert_eq!(violations(&entry), vec![]);
    let entry: Entry = from_value(json!({"at": ["2026-01-02T03:04:05Z", 0]})).expect("decodes");
    assert_eq!(
        violations(&entry),
        vec![v("at[1]", Constraint::ExclusiveMinimum(Bound::Float(0.0)), "0")]
    );
}
