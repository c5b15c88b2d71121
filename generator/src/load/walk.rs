//! Every place a schema sits in an OpenAPI 3.0 document, and every
//! schema inside a schema, visited in one walk over the JSON value.
//!
//! Schemas are visited parent first, so a visit may rewrite a child before
//! the walk reaches it. `$ref` objects are visited as schemas too (they are
//! one), but nothing is followed: every schema is visited where it is
//! written, once. Nesting is bounded by the parsers' own depth limit.

use crate::diagnostics::child;
use crate::ir::METHODS;
use serde_json::{Map, Value};

/// Schema keywords whose value is one schema.
pub const ONE: &[&str] = &[
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalProperties",
];
/// Schema keywords whose value is a list of schemas.
pub const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Schema keywords whose value is a map of schemas.
pub const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keys whose values are free JSON (examples, defaults, enum values,
/// extensions, link values), never searched for schemas or parameters.
pub fn is_free_json(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "links") || key.starts_with("x-")
}

/// What a walk does at each schema and each parameter object.
pub trait Visit {
    /// One schema object at its pointer.
    fn schema(&mut self, map: &mut Map<String, Value>, at: &str);
    /// One parameter object (not a `$ref`) at its pointer, before its
    /// schema is visited; `false` takes it out of its list.
    fn parameter(&mut self, _map: &mut Map<String, Value>, _at: &str) -> bool {
        true
    }
}

/// Visits every schema object of a 3.0 document (and every parameter
/// object): components, parameters and headers, request and response bodies, callbacks, and the schemas
/// inside each of them.
/// A component parameter the visit takes out is removed from the
/// components, and every `$ref` to it from the parameter lists.
pub fn each_schema(doc: &mut Value, visit: &mut dyn Visit) {
    let mut dropped = Vec::new();
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            entries.retain(|name, entry| {
                let at = child(&child("#/components", kind), name);
                match kind.as_str() {
                    "schemas" => schema(entry, &at, visit),
                    "parameters" if parameter(entry, &at, visit) => holder(entry, &at, visit),
                    "parameters" => {
                        dropped.push(at);
                        return false;
                    }
                    "headers" => holder(entry, &at, visit),
                    "requestBodies" => content(entry, &at, visit),
                    "responses" => response(entry, &at, visit),
                    "callbacks" => callback(entry, &at, visit),
                    _ => {}
                }
                true
            });
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &child("#/paths", path), visit);
        }
    }
    if !dropped.is_empty() {
        drop_references(doc, &dropped);
    }
}

/// Takes every `$ref` to one of `dropped` out of the parameter lists.
/// Recursion follows the text's nesting, which the parsers bound.
fn drop_references(v: &mut Value, dropped: &[String]) {
    let refers = |p: &Value| {
        p.get("$ref")
            .and_then(Value::as_str)
            .is_some_and(|r| dropped.iter().any(|d| d == r))
    };
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_free_json(key) {
                    continue;
                }
                if let (Value::Array(list), "parameters") = (&mut *value, key.as_str()) {
                    list.retain(|p| !refers(p));
                }
                drop_references(value, dropped);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| drop_references(v, dropped)),
        _ => {}
    }
}

/// Visits `v` when it is a schema object, then every schema inside it.
pub fn schema(v: &mut Value, at: &str, visit: &mut dyn Visit) {
    let Value::Object(map) = v else {
        return;
    };
    visit.schema(map, at);
    for (key, value) in map.iter_mut() {
        let here = child(at, key);
        if let Value::Array(items) = value {
            // `items` as a list is a tuple (3.0 has no such form; visited so
            // that it can be rewritten).
            if LIST.contains(&key.as_str()) || key == "items" {
                for (i, item) in items.iter_mut().enumerate() {
                    schema(item, &child(&here, &i.to_string()), visit);
                }
            }
        } else if ONE.contains(&key.as_str()) {
            schema(value, &here, visit);
        } else if MAP.contains(&key.as_str()) {
            if let Value::Object(entries) = value {
                for (name, item) in entries.iter_mut() {
                    schema(item, &child(&here, name), visit);
                }
            }
        }
    }
}

fn path_item(item: &mut Value, at: &str, visit: &mut dyn Visit) {
    let Value::Object(map) = item else {
        return;
    };
    for (key, value) in map.iter_mut() {
        let here = child(at, key);
        if key == "parameters" {
            parameters(value, &here, visit);
        } else if METHODS.contains(&key.as_str()) {
            operation(value, &here, visit);
        } else if key == super::EXTRA_OPERATIONS {
            if let Value::Object(ops) = value {
                for (method, op) in ops.iter_mut() {
                    operation(op, &child(&here, method), visit);
                }
            }
        }
    }
}

fn operation(op: &mut Value, at: &str, visit: &mut dyn Visit) {
    let Value::Object(map) = op else {
        return;
    };
    for (key, value) in map.iter_mut() {
        let here = child(at, key);
        match key.as_str() {
            "parameters" => parameters(value, &here, visit),
            "requestBody" => content(value, &here, visit),
            "responses" => {
                if let Value::Object(responses) = value {
                    for (status, r) in responses.iter_mut() {
                        response(r, &child(&here, status), visit);
                    }
                }
            }
            "callbacks" => {
                if let Value::Object(callbacks) = value {
                    for (name, c) in callbacks.iter_mut() {
                        callback(c, &child(&here, name), visit);
                    }
                }
            }
            _ => {}
        }
    }
}

fn parameters(list: &mut Value, at: &str, visit: &mut dyn Visit) {
    let Value::Array(list) = list else {
        return;
    };
    let mut i = 0;
    list.retain_mut(|p| {
        let here = child(at, &i.to_string());
        i += 1;
        let keep = parameter(p, &here, visit);
        if keep {
            holder(p, &here, visit);
        }
        keep
    });
}

/// Visits a parameter object; a `$ref` or non-object is kept as it is.
fn parameter(p: &mut Value, at: &str, visit: &mut dyn Visit) -> bool {
    match p {
        Value::Object(map) if !map.contains_key("$ref") => visit.parameter(map, at),
        _ => true,
    }
}

fn callback(c: &mut Value, at: &str, visit: &mut dyn Visit) {
    if let Value::Object(items) = c {
        for (expression, item) in items.iter_mut() {
            path_item(item, &child(at, expression), visit);
        }
    }
}

fn response(r: &mut Value, at: &str, visit: &mut dyn Visit) {
    content(r, at, visit);
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            holder(h, &child(&child(at, "headers"), name), visit);
        }
    }
}

/// A parameter or header: a `schema`, or `content` like a body.
fn holder(p: &mut Value, at: &str, visit: &mut dyn Visit) {
    if let Some(s) = p.get_mut("schema") {
        schema(s, &child(at, "schema"), visit);
    }
    content(p, at, visit);
}

/// `content` → media type → `schema`.
fn content(holder: &mut Value, at: &str, visit: &mut dyn Visit) {
    let Some(Value::Object(media)) = holder.get_mut("content") else {
        return;
    };
    let at = child(at, "content");
    for (name, m) in media.iter_mut() {
        if let Some(s) = m.get_mut("schema") {
            schema(s, &child(&child(&at, name), "schema"), visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_every_place_a_schema_sits_once_parent_first() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"x": {"items": {"type": "integer"}}},
                        "example": {"properties": {"not": "a schema"}}
                    }}}},
                    "responses": {"200": {
                        "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/x"}]}}}
                    }},
                    "callbacks": {"done": {"{$url}": {"post": {"parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}}
                    ]}}}}
                }
            }},
            "components": {"schemas": {"S": {"additionalProperties": {"type": "string"}}}}
        });
        struct Seen(Vec<String>);
        impl Visit for Seen {
            fn schema(&mut self, _: &mut Map<String, Value>, at: &str) {
                self.0.push(at.to_string());
            }
        }
        let mut seen = Seen(Vec::new());
        each_schema(&mut doc, &mut seen);
        let seen = seen.0;
        let body = "#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema";
        let ok = "#/paths/~1a~1{id}/post/responses/200";
        assert_eq!(
            seen,
            [
                "#/components/schemas/S",
                "#/components/schemas/S/additionalProperties",
                "#/paths/~1a~1{id}/parameters/0/schema",
                body,
                &format!("{body}/properties/x"),
                &format!("{body}/properties/x/items"),
                &format!("{ok}/content/application~1json/schema"),
                &format!("{ok}/content/application~1json/schema/allOf/0"),
                &format!("{ok}/headers/X-Rate/schema"),
                "#/paths/~1a~1{id}/post/callbacks/done/{$url}/post/parameters/0/schema",
            ]
        );
    }
}
