use super::normalise_schemas;
use crate::diagnostics::Diagnostics;
use serde_json::{json, Value};

/// One component schema normalised: what it became, and the warnings as
/// `kind pointer`.
fn normalised(schema: Value) -> (Value, Vec<String>) {
    let mut doc = json!({"components": {"schemas": {"S": schema}}});
    let mut diags = Diagnostics::default();
    normalise_schemas(&mut doc, &mut diags);
    let warnings = diags
        .iter()
        .map(|d| format!("{} {}", d.kind, d.pointer))
        .collect();
    (doc["components"]["schemas"]["S"].take(), warnings)
}

#[test]
fn numbers_written_as_text_become_numbers_or_are_dropped() {
    let (s, w) = normalised(json!({
        "type": "integer", "minimum": "0", "maximum": " 1e3 ", "multipleOf": "every"
    }));
    assert_eq!(
        s,
        json!({"type": "integer", "minimum": 0, "maximum": 1000.0})
    );
    assert_eq!(
        w,
        [
            "normalised-keyword #/components/schemas/S/minimum",
            "normalised-keyword #/components/schemas/S/maximum",
            "ignored-keyword #/components/schemas/S/multipleOf",
        ]
    );
}

#[test]
fn counts_round_towards_their_meaning_and_impossible_ones_go() {
    let (s, w) = normalised(json!({
        "type": "string", "minLength": 1.5, "maxLength": "10.0",
        "minItems": -1, "maxItems": 1e300, "minProperties": 3
    }));
    assert_eq!(
        s,
        json!({"type": "string", "minLength": 2, "maxLength": 10, "minProperties": 3})
    );
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w[2].starts_with("ignored-keyword") && w[2].ends_with("/minItems"));
}

#[test]
fn flags_text_and_types_of_the_wrong_kind() {
    let (s, w) = normalised(json!({
        "type": ["string", "null"], "nullable": "TRUE", "readOnly": 1,
        "description": 42, "additionalProperties": "false", "exclusiveMinimum": 5
    }));
    assert_eq!(
        s,
        json!({
            "type": "string", "nullable": true, "additionalProperties": false,
            "minimum": 5, "exclusiveMinimum": true
        })
    );
    assert!(w
        .iter()
        .any(|w| w == "ignored-keyword #/components/schemas/S/readOnly"));
    assert!(w
        .iter()
        .any(|w| w == "ignored-keyword #/components/schemas/S/description"));
}

#[test]
fn swagger_leftovers() {
    let (s, w) = normalised(json!({
        "type": "object",
        "discriminator": "kind",
        "properties": {
            "kind": {"type": "string", "required": true},
            "file": {"type": "file", "required": false},
            "maybe": {"type": "string", "x-nullable": true}
        }
    }));
    assert_eq!(s["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(s["required"], json!(["kind"]));
    assert_eq!(
        s["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(s["properties"]["maybe"]["nullable"], json!(true));
    assert_eq!(w.len(), 5, "{w:?}");
}

#[test]
fn required_lists_hold_distinct_names() {
    let (s, w) = normalised(json!({"required": ["a", "a", 3, "b"]}));
    assert_eq!(s["required"], json!(["a", "b"]));
    assert_eq!(w, ["normalised-required #/components/schemas/S/required"]);
    let (s, w) = normalised(json!({"required": ["a", "b"], "enum": "only"}));
    assert_eq!(s, json!({"required": ["a", "b"], "enum": ["only"]}));
    assert_eq!(w, ["normalised-keyword #/components/schemas/S/enum"]);
}

#[test]
fn tuples_and_nested_schemas() {
    let (s, w) = normalised(json!({
        "type": "array",
        "items": [{"type": "array", "items": [{"type": "integer", "maximum": "9"}]}, {}]
    }));
    // The outer tuple holds two schemas: raw JSON items, and the inner one
    // (no longer a schema of the document) is not visited.
    assert_eq!(s, json!({"type": "array", "items": {}}));
    assert_eq!(w, ["normalised-keyword #/components/schemas/S/items"]);
    let (s, _) = normalised(json!({"type": "array", "items": [{"maximum": "9"}]}));
    assert_eq!(s, json!({"type": "array", "items": {"maximum": 9}}));
}

#[test]
fn references_and_well_formed_schemas_are_left_alone() {
    let schema = json!({
        "type": "object", "required": ["a"],
        "properties": {"a": {"type": "integer", "minimum": 1, "maxLength": 3}},
        "additionalProperties": {"$ref": "#/components/schemas/T", "minimum": "x"}
    });
    let (s, w) = normalised(schema.clone());
    assert_eq!(s, schema);
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn values_of_another_type_are_left_out() {
    let (s, w) = normalised(json!({
        "type": "integer", "enum": [10, "20", 30.5, 40.0, null], "default": "20", "example": 7
    }));
    assert_eq!(
        s,
        json!({"type": "integer", "enum": [10, 40.0], "example": 7})
    );
    assert_eq!(
        w,
        [
            "ignored-value #/components/schemas/S/default",
            "ignored-value #/components/schemas/S/enum/1",
            "ignored-value #/components/schemas/S/enum/2",
            "ignored-value #/components/schemas/S/enum/4",
        ]
    );
    let (s, w) = normalised(json!({
        "type": "string", "nullable": true, "enum": [1, true], "default": null
    }));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "default": null})
    );
    assert_eq!(w.len(), 2, "{w:?}");
}
