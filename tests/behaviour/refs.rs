//! refs.yaml: constraints reached through $ref chains, pointers into
//! properties and allOf merges.

use refs_api::models::{Combined, Holder, Level3};
use refs_api::runtime::validation::{Bound, Constraint};
use refs_api::{Validate, Violation};
use serde_json::{json, Value};

fn holder(value: Value) -> Holder {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn violations(value: Value) -> Vec<Violation> {
    holder(value)
        .validate()
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
}

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

#[test]
fn chains_and_pointers_keep_their_checks() {
    assert_eq!(
        violations(json!({"chain": {"value": "x".repeat(11)}, "inner": {"label": "a"}})),
        [
            v("chain.value", Constraint::MaxLength(10), "11 characters"),
            v(
                "inner.label",
                Constraint::MinLength(2),
                "\"a\" (1 characters)"
            ),
        ]
    );
}

#[test]
fn all_of_merges_properties_required_and_checks() {
    let c: Combined =
        serde_json::from_value(json!({"id": "i", "name": "n", "extra": 1})).expect("decodes");
    assert_eq!(c.validate(), Ok(()));
    assert!(
        serde_json::from_value::<Combined>(json!({"id": "i"})).is_err(),
        "`name` is required by the inline part"
    );
    assert_eq!(
        violations(json!({"combined": {"id": "i", "name": "x".repeat(21), "extra": -1}})),
        [
            v("combined.name", Constraint::MaxLength(20), "21 characters"),
            v("combined.extra", Constraint::Minimum(Bound::Int(0)), "-1"),
        ]
    );
    let l: Level3 =
        serde_json::from_value(json!({"id": "i", "one": "1", "two": "2", "three": "3"}))
            .expect("decodes");
    assert_eq!(
        (l.one.as_deref(), l.two.as_deref(), l.three.as_str()),
        (Some("1"), Some("2"), "3")
    );
}

#[test]
fn all_of_on_a_string_keeps_the_tighter_lengths_and_the_pattern() {
    assert_eq!(violations(json!({"slug": "abc"})), []);
    assert_eq!(violations(json!({"slug": "a".repeat(16)})), []);
    assert_eq!(
        violations(json!({"slug": "ab"})),
        [v("slug", Constraint::MinLength(3), "\"ab\" (2 characters)")]
    );
    assert_eq!(
        violations(json!({"slug": "a".repeat(17)})),
        [v("slug", Constraint::MaxLength(16), "17 characters")]
    );
    assert_eq!(
        violations(json!({"slug": "AB_C"})),
        [v("slug", Constraint::Pattern("^[a-z0-9-]+$"), "\"AB_C\"")]
    );
}

#[test]
fn all_of_keeps_every_pattern() {
    assert_eq!(violations(json!({"code": "ABC"})), []);
    assert_eq!(
        violations(json!({"code": "abc"})),
        [v("code", Constraint::Pattern("^[A-Z]+$"), "\"abc\"")]
    );
    // The second part's pattern: exactly three characters.
    assert_eq!(
        violations(json!({"code": "ABCD"})),
        [v("code", Constraint::Pattern("^.{3}$"), "\"ABCD\"")]
    );
}

#[test]
fn all_of_on_an_integer_keeps_the_tighter_bound() {
    assert_eq!(violations(json!({"port": 8080})), []);
    assert_eq!(
        violations(json!({"port": 80})),
        [v("port", Constraint::Minimum(Bound::Int(1024)), "80")]
    );
    assert_eq!(
        violations(json!({"port": 70000})),
        [v("port", Constraint::Maximum(Bound::Int(65535)), "70000")]
    );
    assert!(
        serde_json::from_value::<Holder>(json!({"port": "http"})).is_err(),
        "a port is an integer"
    );
}
