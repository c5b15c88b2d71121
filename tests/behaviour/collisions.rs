//! collisions.yaml: names that collide in Rust still map to their own
//! properties and values on the wire.

use collisions_api::models::{
    FooBar, FooBar2, FooBar3, Letter, Widget, WidgetDetails, WidgetDetails2,
};
use collisions_api::Validate;
use serde_json::json;

#[test]
fn colliding_properties_keep_their_wire_names() {
    let value = json!({
        "foo_bar": "s",
        "fooBar": 1,
        "FooBar": true,
        "foo-bar": 1.5,
        "details": {"x": "inline"},
        "letter": "A B",
        "ref": {"b": 2}
    });
    let w: Widget = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(w.foo_bar, "s");
    assert_eq!(w.foo_bar2, Some(1));
    assert_eq!(w.foo_bar3, Some(true));
    assert_eq!(w.foo_bar4, Some(1.5));
    let details: Option<WidgetDetails2> = w.details.clone();
    assert_eq!(details.and_then(|d| d.x).as_deref(), Some("inline"));
    assert_eq!(w.r#ref.as_ref().and_then(|r| r.b), Some(2));
    assert_eq!(serde_json::to_value(&w).expect("encodes"), value);
    assert_eq!(w.validate(), Ok(()));
}

#[test]
fn colliding_components_are_distinct_types() {
    let a: FooBar3 = serde_json::from_value(json!({"a": "x"})).expect("foo_bar");
    let b: FooBar2 = serde_json::from_value(json!({"b": 1})).expect("fooBar");
    let c: FooBar = serde_json::from_value(json!({"c": true})).expect("FooBar");
    let d: WidgetDetails = serde_json::from_value(json!({"y": 3})).expect("WidgetDetails");
    assert_eq!(
        (a.a.as_deref(), b.b, c.c, d.y),
        (Some("x"), Some(1), Some(true), Some(3))
    );
}

#[test]
fn colliding_enum_values_are_distinct_variants() {
    let mut variants = std::collections::BTreeSet::new();
    for value in Letter::VALUES {
        let letter = Letter::from(*value);
        assert!(
            !matches!(letter, Letter::Other(_)),
            "{value:?} decoded as the catch-all"
        );
        assert_eq!(letter.as_str(), *value);
        assert!(
            variants.insert(format!("{letter:?}")),
            "{value:?} shares a variant"
        );
    }
    assert_eq!(
        Letter::VALUES,
        ["a-b", "a_b", "A B", "aB", "Other", "other"]
    );
    assert_eq!(Letter::from("OTHER"), Letter::Other("OTHER".into()));
}
