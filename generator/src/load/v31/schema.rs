//! One JSON Schema 2020-12 schema (OpenAPI 3.1/3.2) → the OpenAPI 3.0
//! schema that means the same, or the nearest one with a warning.

use crate::diagnostics::{child, Diagnostics};
use crate::ir::{DEPENDENT_REQUIRED_EXTENSION, TUPLE_EXTENSION};
use crate::load::walk::{LIST, MAP, ONE};
use serde_json::{json, Map, Value};

/// Keywords that only annotate: beside a `$ref` they override the target's
/// (`description`, `title`) or say nothing about the value's shape.
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "$comment",
    "externalDocs",
    "xml",
];

/// Identifier and dialect keywords: meaningful only to a JSON Schema
/// processor, dropped once references have been rewritten to pointers.
const IDENTIFIERS: &[&str] = &["$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary"];

/// Keywords no Rust type states and no check enforces: each is dropped with a
/// warning saying so.
const NOT_ENFORCED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "$dynamicRef",
];

/// Lowers the schema at `v` (and every schema inside it) in place.
pub fn lower(v: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    match v {
        Value::Bool(true) => *v = json!({}),
        Value::Bool(false) => {
            diags.warn(
                "false-schema",
                pointer,
                "schema `false` admits no value; typed as raw JSON",
            );
            *v = json!({"not": {}});
        }
        Value::Object(map) => lower_object(map, pointer, diags),
        _ => {}
    }
}

fn lower_object(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if map.contains_key("$ref") && map.len() > 1 {
        ref_with_siblings(map, pointer, diags);
        return;
    }
    // `items: false` after `prefixItems` closes the tuple; it is no schema
    // of its own.
    let closed = map.contains_key("prefixItems") && map.get("items") == Some(&Value::Bool(false));
    if closed {
        map.remove("items");
    }
    lower_children(map, pointer, diags);
    for key in IDENTIFIERS {
        map.remove(*key);
    }
    type_list(map, pointer, diags);
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum", pointer, diags);
    exclusive_bound(map, "exclusiveMaximum", "maximum", pointer, diags);
    first_example(map);
    content_keywords(map);
    prefix_items(map, closed);
    pattern_properties(map, pointer, diags);
    unevaluated_properties(map, pointer, diags);
    if let Some(dependent) = map.remove("dependentRequired") {
        // Checked by the generated `validate()` (`ir/dependent.rs`).
        map.insert(DEPENDENT_REQUIRED_EXTENSION.into(), dependent);
    }
    for key in NOT_ENFORCED {
        if map.remove(*key).is_some() {
            diags.warn(
                "not-enforced",
                child(pointer, key),
                format!("`{key}` is not enforced by the generated code; ignored"),
            );
        }
    }
}

/// Lowers every subschema first, so the rules below see 3.0 shapes.
fn lower_children(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    for (key, value) in map.iter_mut() {
        let at = child(pointer, key);
        let key = key.as_str();
        if ONE.contains(&key) {
            // `additionalProperties: true/false` is already 3.0, and
            // `unevaluatedProperties: false` is read as it (below).
            if !(key.ends_with("Properties") && value.is_boolean()) {
                lower(value, &at, diags);
            }
        } else if LIST.contains(&key) || (key == "items" && value.is_array()) {
            if let Value::Array(items) = value {
                for (i, item) in items.iter_mut().enumerate() {
                    lower(item, &child(&at, &i.to_string()), diags);
                }
            }
        } else if MAP.contains(&key) {
            if let Value::Object(entries) = value {
                for (name, item) in entries.iter_mut() {
                    lower(item, &child(&at, name), diags);
                }
            }
        }
    }
}

/// `examples: [a, …]` → `example: a` (unless an `example` is there).
fn first_example(map: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = map.remove("examples") {
        if let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next()) {
            map.insert("example".into(), first);
        }
    }
}

/// A `$ref` with siblings: the target, with the siblings applied on top of
/// it. In 3.0 terms, `allOf: [target, {constraints}]` beside the annotations
/// (`allOf` of one reference is the target itself, with its own doc). The
/// constraints are a schema of their own, lowered as one.
fn ref_with_siblings(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let mut constraints = Map::new();
    let mut annotations = Map::new();
    for (key, value) in std::mem::take(map) {
        if ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") {
            annotations.insert(key, value);
        } else if !IDENTIFIERS.contains(&key.as_str()) {
            constraints.insert(key, value);
        }
    }
    let mut all_of = vec![json!({ "$ref": reference })];
    if !constraints.is_empty() {
        let mut constraints = Value::Object(constraints);
        lower(&mut constraints, pointer, diags);
        all_of.push(constraints);
    }
    first_example(&mut annotations);
    annotations.remove("summary");
    *map = annotations;
    map.insert("allOf".into(), Value::Array(all_of));
}

/// `type: [T, "null"]` → `type: T, nullable: true`; `type: ["null"]` and
/// `type: "null"` → an untyped, nullable schema; several non-null types →
/// untyped (raw JSON) with a warning.
pub(in crate::load) fn type_list(
    map: &mut Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    map.remove("type");
    let (nulls, rest): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
    if !nulls.is_empty() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match rest.as_slice() {
        [] => {}
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        several => diags.warn(
            "type-list",
            child(pointer, "type"),
            format!(
                "a value of any of the types {}; typed as raw JSON",
                several.join(", ")
            ),
        ),
    }
}

/// A numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`,
/// or, beside a tighter inclusive `minimum`, nothing (that one holds). A
/// boolean one (the 3.0 form, common in 3.1 files) is kept as it is.
pub(in crate::load) fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
        return;
    };
    map.remove(exclusive);
    let (Some(x), lower_is_min) = (bound.as_f64(), inclusive == "minimum") else {
        return;
    };
    let tighter = match map.get(inclusive) {
        Some(Value::Number(n)) => n
            .as_f64()
            .is_some_and(|n| if lower_is_min { n > x } else { n < x }),
        Some(_) => {
            diags.warn(
                "ignored-constraint",
                child(pointer, inclusive),
                format!("`{inclusive}` is not a number; ignored"),
            );
            false
        }
        None => false,
    };
    if !tighter {
        map.insert(inclusive.into(), Value::Number(bound));
        map.insert(exclusive.into(), Value::Bool(true));
    }
}

/// `contentEncoding: base64` → `format: byte`; a string of a non-JSON
/// `contentMediaType` → `format: binary`.
fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    map.remove("contentSchema");
    if map.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media) {
        (Some("base64" | "base64url"), _) => "byte",
        (_, Some(Value::String(m))) if !m.contains("json") => "binary",
        _ => return,
    };
    map.insert("format".into(), json!(format));
}

/// `prefixItems` (a tuple): a list of its one item schema when every
/// position (and the rest) has the same one; else an array of `anyOf` the
/// positions (then the rest, when `items` gives one), marked with
/// [`TUPLE_EXTENSION`] for the IR, which makes it a tuple type. Either way
/// `items: false` closes it: `maxItems` is at most the positions' count.
fn prefix_items(map: &mut Map<String, Value>, closed: bool) {
    let Some(Value::Array(prefix)) = map.remove("prefixItems") else {
        return;
    };
    let rest = map.remove("items");
    let count = prefix.len();
    let mut all = prefix.clone();
    all.extend(rest.clone());
    map.insert("type".into(), json!("array"));
    match &all[..] {
        [] => {}
        [first, ..] if all.windows(2).all(|w| w[0] == w[1]) => {
            map.insert("items".into(), first.clone());
        }
        _ => {
            let has_rest = rest.is_some();
            map.insert("items".into(), json!({ "anyOf": all }));
            map.insert(
                TUPLE_EXTENSION.into(),
                json!({ "count": count, "rest": has_rest }),
            );
        }
    }
    if closed {
        let len = count as u64;
        let max = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(len, |m| m.min(len));
        map.insert("maxItems".into(), json!(max));
    }
}

/// `patternProperties`: their one schema becomes the map's value type
/// (`additionalProperties`), the patterns themselves unenforced.
fn pattern_properties(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Object(patterns)) = map.remove("patternProperties") else {
        return;
    };
    let at = child(pointer, "patternProperties");
    let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, s)| s).collect();
    schemas.dedup();
    let value = match (schemas.len(), map.contains_key("additionalProperties")) {
        (1, false) => schemas.remove(0),
        _ => json!({}),
    };
    diags.warn(
        "not-enforced",
        &at,
        "property-name patterns are not enforced; the properties are a map",
    );
    if !map.contains_key("additionalProperties")
        || map.get("additionalProperties") == Some(&json!(false))
    {
        map.insert("additionalProperties".into(), value);
    }
}

/// `unevaluatedProperties: false` beside no `additionalProperties` reads as
/// `additionalProperties: false` (exact for a schema without `allOf`);
/// anything else is not enforced.
fn unevaluated_properties(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(value) = map.remove("unevaluatedProperties") else {
        return;
    };
    let composed = ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| map.contains_key(*k));
    if !composed && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), value);
    } else {
        diags.warn(
            "not-enforced",
            child(pointer, "unevaluatedProperties"),
            "`unevaluatedProperties` beside composition is not enforced; ignored",
        );
    }
}
