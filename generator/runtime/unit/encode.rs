//! Unit tests of `src/encode.rs`.

use crate::runtime::encode::*;
use crate::runtime::request::Body;

#[test]
fn text_keeps_strings_and_renders_the_rest_as_json() {
    assert_eq!(text("a b"), "a b");
    assert_eq!(text(&5), "5");
    assert_eq!(text(&2.0), "2");
    assert_eq!(text(&2.5), "2.5");
    assert_eq!(text(&true), "true");
    assert_eq!(text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
}

#[test]
fn form_skips_nulls() {
    let body = form(&serde_json::json!({"a": "x", "b": null, "c": 2})).ok();
    assert_eq!(
        body,
        Some(Body::Form(vec![
            ("a".into(), "x".into()),
            ("c".into(), "2".into())
        ]))
    );
    assert!(form(&5).is_err());
}
