//! Each 3.1/3.2 keyword and what it becomes in 3.0 terms.

use super::lower;
use crate::diagnostics::Diagnostics;
use serde_json::{json, Value};

/// Lowers `schema` as `components/schemas/S` of a 3.1 document; returns it
/// and the diagnostics as `kind pointer`.
fn schema(schema: Value) -> (Value, Vec<String>) {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"S": schema}}});
    let (doc, diags) = document(&mut doc);
    (doc["components"]["schemas"]["S"].clone(), diags)
}

fn document(doc: &mut Value) -> (Value, Vec<String>) {
    let mut d = Diagnostics::default();
    lower(doc, &mut d);
    let diags = d
        .iter()
        .map(|d| format!("{} {}", d.kind, d.pointer))
        .collect();
    (doc.clone(), diags)
}

#[test]
fn type_lists_become_nullable() {
    assert_eq!(
        schema(json!({"type": ["integer", "null"], "minimum": 0})),
        (
            json!({"type": "integer", "nullable": true, "minimum": 0}),
            vec![]
        )
    );
    assert_eq!(
        schema(json!({"type": "null"})),
        (json!({"nullable": true}), vec![])
    );
    let (s, d) = schema(json!({"type": ["string", "number", "null"]}));
    assert_eq!(s, json!({"nullable": true}));
    assert_eq!(d, vec!["type-list #/components/schemas/S/type"]);
}

#[test]
fn const_examples_and_exclusive_bounds() {
    assert_eq!(schema(json!({"const": "a"})).0, json!({"enum": ["a"]}));
    assert_eq!(
        schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5})).0,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
               "maximum": 1.5, "exclusiveMaximum": true})
    );
    // The tighter bound holds: inclusive 5 over exclusive 0; exclusive 9
    // over inclusive 10.
    assert_eq!(
        schema(json!({"minimum": 5, "exclusiveMinimum": 0, "maximum": 10, "exclusiveMaximum": 9}))
            .0,
        json!({"minimum": 5, "maximum": 9, "exclusiveMaximum": true})
    );
    // The 3.0 boolean form stays as it is.
    assert_eq!(
        schema(json!({"minimum": 1, "exclusiveMinimum": true})).0,
        json!({"minimum": 1, "exclusiveMinimum": true})
    );
    assert_eq!(
        schema(json!({"examples": ["x", "y"]})).0,
        json!({"example": "x"})
    );
}

#[test]
fn refs_with_siblings_apply_on_top_of_the_target() {
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/T", "description": "d", "summary": "s"})).0,
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"})
    );
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/T", "maxLength": 3})).0,
        json!({"allOf": [{"$ref": "#/components/schemas/T"}, {"maxLength": 3}]})
    );
    // The constraints are lowered as a schema of their own.
    assert_eq!(
        schema(
            json!({"$ref": "#/components/schemas/T", "type": ["object", "null"],
            "examples": [1], "properties": {"a": {"const": 1}}})
        )
        .0,
        json!({"allOf": [{"$ref": "#/components/schemas/T"},
            {"type": "object", "nullable": true, "properties": {"a": {"enum": [1]}}}], "example": 1})
    );
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/T"})).0,
        json!({"$ref": "#/components/schemas/T"})
    );
}

#[test]
fn boolean_schemas_tuples_and_content() {
    let (s, d) = schema(json!({"properties": {"a": true, "b": false}}));
    assert_eq!(s, json!({"properties": {"a": {}, "b": {"not": {}}}}));
    assert_eq!(d, vec!["false-schema #/components/schemas/S/properties/b"]);
    assert_eq!(
        schema(json!({"prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})),
        (
            json!({"type": "array", "items": {"type": "number"}, "maxItems": 2}),
            vec![]
        )
    );
    // Positions that differ: an `anyOf` of them (then of the rest), marked
    // as a tuple for the IR.
    let (s, d) = schema(json!({"prefixItems": [{"type": "number"}, {"type": "string"}]}));
    assert_eq!(
        s,
        json!({"type": "array", "items": {"anyOf": [{"type": "number"}, {"type": "string"}]},
            "x-prefix-items": {"count": 2, "rest": false}})
    );
    assert_eq!(d, Vec::<String>::new());
    let (s, _) = schema(json!({"prefixItems": [{"type": "number"}, {"const": "a"}],
        "items": {"type": "boolean"}, "minItems": 1}));
    assert_eq!(
        s,
        json!({"type": "array", "minItems": 1,
            "items": {"anyOf": [{"type": "number"}, {"enum": ["a"]}, {"type": "boolean"}]},
            "x-prefix-items": {"count": 2, "rest": true}})
    );
    let (s, _) = schema(
        json!({"prefixItems": [{"type": "number"}, {"type": "string"}],
        "items": false, "maxItems": 5}),
    );
    assert_eq!(s["maxItems"], json!(2));
    assert_eq!(
        schema(json!({"type": "string", "contentEncoding": "base64"})).0,
        json!({"type": "string", "format": "byte"})
    );
    assert_eq!(
        schema(json!({"type": "string", "contentMediaType": "image/png"})).0,
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        schema(json!({"type": "string", "contentMediaType": "application/json"})).0,
        json!({"type": "string"})
    );
}

#[test]
fn unenforced_keywords_are_warned_about_with_their_pointer() {
    let (s, d) = schema(json!({
        "patternProperties": {"^x-": {"type": "string"}},
        "dependentRequired": {"a": ["b"]},
        "if": {"required": ["a"]}, "then": {"required": ["b"]},
        "$defs": {"D": {"type": ["string", "null"]}},
        "unevaluatedProperties": false
    }));
    assert_eq!(
        s,
        json!({"additionalProperties": {"type": "string"},
               "$defs": {"D": {"type": "string", "nullable": true}},
               // Kept for the IR, which checks it (`ir/dependent.rs`).
               "x-dependent-required": {"a": ["b"]}})
    );
    assert_eq!(
        d,
        vec![
            "not-enforced #/components/schemas/S/patternProperties",
            // Beside `patternProperties` it means "only names matching
            // them": not enforced either.
            "not-enforced #/components/schemas/S/unevaluatedProperties",
            "not-enforced #/components/schemas/S/if",
            "not-enforced #/components/schemas/S/then",
        ]
    );
    // Beside composition, `unevaluatedProperties` is not read as
    // `additionalProperties`.
    let (s, d) = schema(json!({"allOf": [{}], "unevaluatedProperties": false}));
    assert_eq!(s, json!({"allOf": [{}]}));
    assert_eq!(
        d,
        vec!["not-enforced #/components/schemas/S/unevaluatedProperties"]
    );
}

#[test]
fn ids_and_anchors_become_pointers() {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {
            "A": {"$id": "https://x/a", "properties": {"n": {"$anchor": "n", "type": "integer"}}},
            "B": {"properties": {
                "by_id": {"$ref": "https://x/a"},
                "by_anchor": {"$ref": "#n"},
                "by_id_anchor": {"$ref": "https://x/a#n"},
                "by_id_pointer": {"$ref": "https://x/a#/properties/n"},
                "elsewhere": {"$ref": "https://y/z"}}}}}});
    let (doc, d) = document(&mut doc);
    let b = &doc["components"]["schemas"]["B"]["properties"];
    let n = "#/components/schemas/A/properties/n";
    assert_eq!(b["by_id"]["$ref"], "#/components/schemas/A");
    assert_eq!(b["by_anchor"]["$ref"], n);
    assert_eq!(b["by_id_anchor"]["$ref"], n);
    assert_eq!(b["by_id_pointer"]["$ref"], n);
    assert_eq!(b["elsewhere"]["$ref"], "https://y/z");
    assert_eq!(
        doc["components"]["schemas"]["A"],
        json!({"properties": {"n": {"type": "integer"}}})
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn document_level_features() {
    let item = json!({"get": {"operationId": "g", "responses": {"200": {"description": "ok"}}}});
    let mut doc = json!({"openapi": "3.2.0", "jsonSchemaDialect": "d",
        "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
        "tags": [{"name": "a"}, {"name": "b", "parent": "a", "kind": "nav"}],
        "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"a": {"const": 1}}}}}}}}},
        "components": {"pathItems": {"P": item}}});
    let (doc, d) = document(&mut doc);
    assert_eq!(
        doc,
        json!({"openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "license": {"name": "MIT"}},
        "tags": [{"name": "a"}, {"name": "b"}],
        "paths": {},
        "components": {"schemas": {"hook post payload":
            {"type": "object", "properties": {"a": {"enum": [1]}}}}}})
    );
    assert!(d.is_empty(), "{d:?}");
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/p": {"$ref": "#/components/pathItems/P", "summary": "here"}},
        "components": {"pathItems": {"P": item}}});
    let (doc, _) = document(&mut doc);
    let mut expected = item.clone();
    expected["summary"] = json!("here");
    assert_eq!(doc["paths"]["/p"], expected);
}

#[test]
fn methods_and_parameters_of_3_2() {
    let ok = json!({"200": {"description": "ok"}});
    let mut doc = json!({"openapi": "3.2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/p": {
            "query": {"responses": ok}, "additionalOperations": {"LINK": {"responses": ok}},
            "get": {"parameters": [
                {"in": "querystring", "name": "q", "content": {"application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "required": ["b"], "properties": {
                        "a": {"type": ["string", "null"]}, "b": {"type": "integer"}}}}}},
                {"$ref": "#/components/parameters/Q"}],
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {
                    "itemSchema": {"type": "object"}}}}}}}},
        "components": {"parameters": {"Q": {"in": "querystring", "name": "q", "content": {}}}}});
    let (doc, d) = document(&mut doc);
    let p = &doc["paths"]["/p"];
    assert_eq!(
        p["get"]["parameters"],
        json!([
            {"name": "a", "in": "query", "required": false, "schema": {"type": "string", "nullable": true}},
            {"name": "b", "in": "query", "required": true, "schema": {"type": "integer"}}])
    );
    assert!(p.get("query").is_none() && p.get("additionalOperations").is_none());
    assert_eq!(doc["components"]["parameters"], json!({}));
    assert_eq!(
        p["get"]["responses"]["200"]["content"]["text/event-stream"],
        json!({"x-item-schema": true})
    );
    // `query` and `additionalOperations` are carried for the client.
    let extra = &p[crate::load::EXTRA_OPERATIONS];
    assert!(
        extra["QUERY"].is_object() && extra["LINK"].is_object(),
        "{extra}"
    );
    assert_eq!(
        d,
        vec!["unsupported-parameter #/paths/~1p/get/parameters/1"]
    );
}

#[test]
fn item_schemas_become_marked_schemas_of_the_items_or_of_the_event_data() {
    let tick = json!({"$ref": "#/components/schemas/Tick"});
    let event = |data: serde_json::Value| {
        json!({"text/event-stream": {"itemSchema": {
        "type": "object", "properties": {"data": data}}}})
    };
    let mut doc = json!({"openapi": "3.2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/p": {"get": {"responses": {
            "200": {"description": "ok", "content": {"application/jsonl": {
                "schema": {"type": "string"}, "itemSchema": {"type": ["integer", "null"]}}}},
            "201": {"description": "ok", "content": event(json!({
                "type": "string", "contentMediaType": "application/json", "contentSchema": tick}))},
            "202": {"description": "ok", "content": event(json!({
                "type": "string", "contentMediaType": "application/json"}))},
            "203": {"description": "ok", "content": event(json!({"type": "string"}))}}}}},
        "components": {"schemas": {"Tick": {"type": "object"}}}});
    let (doc, d) = document(&mut doc);
    let content = |code: &str| doc["paths"]["/p"]["get"]["responses"][code]["content"].clone();
    assert_eq!(
        content("200"),
        json!({"application/jsonl": {"schema": {"type": "integer", "nullable": true}, "x-item-schema": true}})
    );
    assert_eq!(
        content("201"),
        json!({"text/event-stream": {"schema": tick, "x-item-schema": true}})
    );
    assert_eq!(
        content("202"),
        json!({"text/event-stream": {"schema": {}, "x-item-schema": true}})
    );
    assert_eq!(
        content("203"),
        json!({"text/event-stream": {"x-item-schema": true}})
    );
    assert!(d.is_empty(), "{d:?}");
}
