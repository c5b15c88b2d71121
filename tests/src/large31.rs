//! A large OpenAPI 3.1 document built from the 3.1 keywords, every feature
//! mixed: `schemas_per_kind` component schemas of each of the kinds below,
//! each referring to the one before it, an operation per group of kinds,
//! webhooks and path-item components. The corpus test generates it.

use serde_json::{json, Value};

/// The kinds of component schema, by name prefix; each uses a different mix
/// of 3.1 keywords (and 3.0 habits, as real 3.1 files keep them).
pub const KINDS: &[&str] = &[
    "Nullable",
    "Const",
    "Bounds",
    "Tuple",
    "Pair",
    "Sibling",
    "Defs",
    "Anchored",
    "Bool",
    "Content",
    "Pattern",
    "Dependent",
    "Conditional",
    "Union",
    "Legacy",
];

/// The schema of kind `kind`, number `i`; `prev` is the name of a schema it
/// refers to.
fn schema(kind: &str, i: usize, prev: &str) -> Value {
    let r = format!("#/components/schemas/{prev}");
    match kind {
        "Nullable" => json!({"type": ["object", "null"], "required": ["id"], "properties": {
            "id": {"type": "integer"}, "name": {"type": ["string", "null"], "maxLength": 40},
            "next": {"$ref": r}}}),
        "Const" => json!({"type": "object", "required": ["kind"], "properties": {
            "kind": {"const": format!("k{i}")}, "version": {"type": "integer", "const": i},
            "on": {"type": "boolean", "const": true}}}),
        "Bounds" => json!({"type": "object", "properties": {
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "count": {"type": "integer", "minimum": 1, "exclusiveMinimum": 0, "examples": [i]}}}),
        "Tuple" => {
            json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})
        }
        "Pair" => json!({"type": "array", "prefixItems": [{"type": "string"}, {"$ref": r}]}),
        "Sibling" => json!({"type": "object", "properties": {
            "doc": {"$ref": r, "description": format!("Overrides {prev}'s doc.")},
            "short": {"$ref": "#/components/schemas/Name", "maxLength": 5}}}),
        "Defs" => {
            json!({"type": "object", "$defs": {"Id": {"type": "string", "pattern": "^[a-z]+$"}},
            "properties": {"id": {"$ref": format!("#/components/schemas/Defs{i}/$defs/Id")}}})
        }
        "Anchored" => {
            json!({"$id": format!("https://large.example.com/anchored/{i}"), "type": "object",
            "properties": {"n": {"$anchor": format!("n{i}"), "type": "integer", "minimum": 0},
                "again": {"$ref": format!("#n{i}")},
                "by_id": {"$ref": format!("https://large.example.com/anchored/{i}#/properties/n")}}})
        }
        "Bool" => json!({"type": "object", "properties": {"any": true, "none": false}}),
        "Content" => json!({"type": "object", "properties": {
            "png": {"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"},
            "raw": {"type": "string", "contentMediaType": "application/octet-stream"}}}),
        "Pattern" => json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
        "Dependent" => {
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "dependentRequired": {"a": ["b"]}, "unevaluatedProperties": false})
        }
        "Conditional" => json!({"type": "object", "properties": {"a": {"type": "string"}},
            "if": {"required": ["a"]}, "then": {"properties": {"a": {"minLength": 1}}},
            "else": {"not": {"required": ["a"]}}}),
        "Union" => json!({"oneOf": [{"$ref": r}, {"type": "null"}]}),
        _ => {
            json!({"type": "string", "nullable": true, "minimum": 0, "exclusiveMinimum": true, "example": "x"})
        }
    }
}

/// The document: `schemas_per_kind` × [`KINDS`] component schemas (plus
/// `Name`), one operation per schema under `/items/{kind}{i}` (on a shared
/// path item component for the first kind), and a webhook per kind.
pub fn large_31_document(schemas_per_kind: usize) -> Value {
    let mut schemas = serde_json::Map::new();
    schemas.insert("Name".into(), json!({"type": "string", "maxLength": 100}));
    let mut paths = serde_json::Map::new();
    let mut hooks = serde_json::Map::new();
    for kind in KINDS {
        for i in 0..schemas_per_kind {
            let name = format!("{kind}{i}");
            let prev = match i {
                0 => "Name".to_string(),
                _ => format!("{kind}{}", i - 1),
            };
            schemas.insert(name.clone(), schema(kind, i, &prev));
            let op = json!({"operationId": format!("get{name}"), "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}}});
            paths.insert(
                format!("/items/{}", name.to_lowercase()),
                json!({"get": op}),
            );
        }
        hooks.insert(
            format!("{}Changed", kind.to_lowercase()),
            json!({"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"id": {"type": ["integer", "null"]},
                "kind": {"const": kind}}}}}}, "responses": {"200": {"description": "ok"}}}}),
        );
    }
    paths.insert(
        "/shared".into(),
        json!({"$ref": "#/components/pathItems/Shared"}),
    );
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "Large 3.1", "summary": "Every 3.1 feature, mixed.", "version": "1",
            "license": {"name": "MIT", "identifier": "MIT"}},
        "servers": [{"url": "https://large.example.com"}],
        "paths": paths,
        "webhooks": hooks,
        "components": {
            "schemas": schemas,
            "pathItems": {"Shared": {"get": {"operationId": "getShared", "responses": {
                "200": {"description": "ok", "content": {"application/octet-stream": {
                    "schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}}}}
        }
    })
}
