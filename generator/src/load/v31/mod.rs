//! OpenAPI 3.1 and 3.2 documents lowered, as JSON, into the OpenAPI 3.0
//! shape the rest of the pipeline takes. Each rewrite keeps the meaning, or
//! says with a warning (and its pointer) what is approximated or unenforced.
//! Nothing here refuses a document.

mod anchors;
pub(super) mod schema;

use crate::diagnostics::{child, pointer, Diagnostics};
use crate::ir::METHODS;
use crate::load::EXTRA_OPERATIONS;
use serde_json::{json, Map, Value};

/// Lowers a 3.1 or 3.2 document in place and marks it `3.0.3`.
pub fn lower(raw: &mut Value, diags: &mut Diagnostics) {
    anchors::rewrite_refs(raw, diags);
    inline_querystring_components(raw);
    let Some(doc) = raw.as_object_mut() else {
        return;
    };
    for key in ["jsonSchemaDialect", "$self"] {
        doc.remove(key);
    }
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    if let Some(Value::Array(tags)) = doc.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["parent", "kind", "summary"] {
                tag.remove(key);
            }
        }
    }
    let path_items = doc
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    lower_components(doc, diags);
    let webhooks = doc.remove("webhooks");
    let paths = doc.entry("paths").or_insert_with(|| json!({}));
    if let Some(paths) = paths.as_object_mut() {
        for (path, item) in paths.iter_mut() {
            inline_path_item(item, path_items.as_ref());
            path_item(item, &child("#/paths", path), diags);
        }
    }
    if let Some(Value::Object(hooks)) = webhooks {
        webhook_payloads(doc, hooks, path_items.as_ref(), diags);
    }
    doc.insert("openapi".into(), json!("3.0.3"));
}

/// `in: querystring` parameter components become several query parameters
/// where they are used, so every reference to one is replaced by a copy of
/// it (and the component, which 3.0 cannot hold, removed).
fn inline_querystring_components(raw: &mut Value) {
    let Some(Value::Object(params)) = raw.pointer_mut("/components/parameters") else {
        return;
    };
    let names: Vec<String> = params
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("querystring"))
        .map(|(name, _)| name.clone())
        .collect();
    let mut targets = Map::new();
    for name in names {
        if let Some(p) = params.remove(&name) {
            targets.insert(pointer(&["components", "parameters", &name]), p);
        }
    }
    if !targets.is_empty() {
        replace_refs(raw, &targets);
    }
}

fn replace_refs(v: &mut Value, targets: &Map<String, Value>) {
    match v {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| targets.get(r));
            if let Some(target) = target {
                *v = target.clone();
                return;
            }
            map.values_mut().for_each(|x| replace_refs(x, targets));
        }
        Value::Array(items) => items.iter_mut().for_each(|x| replace_refs(x, targets)),
        _ => {}
    }
}

/// `$ref: '#/components/pathItems/X'` → the path item itself (3.0 has no
/// path-item components), its own siblings kept on top.
fn inline_path_item(item: &mut Value, path_items: Option<&Value>) {
    let Some(Value::String(r)) = item.get("$ref") else {
        return;
    };
    let Some(("pathItems", name)) = crate::diagnostics::component_of(r) else {
        return;
    };
    let Some(Value::Object(target)) = path_items.and_then(|p| p.get(&name)) else {
        return;
    };
    let mut merged = target.clone();
    if let Some(siblings) = item.as_object() {
        for (k, v) in siblings.iter().filter(|(k, _)| k.as_str() != "$ref") {
            merged.insert(k.clone(), v.clone());
        }
    }
    *item = Value::Object(merged);
}

fn lower_components(doc: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let Some(entries) = entries.as_object_mut() else {
            continue;
        };
        for (name, entry) in entries.iter_mut() {
            let at = pointer(&["components", kind, name]);
            match kind.as_str() {
                "schemas" => schema::lower(entry, &at, diags),
                "parameters" => holder(entry, &at, diags),
                "headers" => holder(entry, &at, diags),
                "requestBodies" => content(entry, &at, diags),
                "responses" => response(entry, &at, diags),
                "callbacks" => callback(entry, &at, diags),
                _ => {}
            }
        }
    }
}

fn path_item(item: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Some(map) = item.as_object_mut() else {
        return;
    };
    parameters(map, at, diags);
    additional_operations(map, at, diags);
    for (method, op) in map.iter_mut() {
        if METHODS.contains(&method.as_str()) {
            operation(op, &child(at, method), diags);
        }
    }
}

/// 3.2's `query` method and `additionalOperations` (any other method):
/// 3.0 has no place for them, so they move to the path item's extension
/// [`EXTRA_OPERATIONS`] (method as sent → operation, each lowered here at
/// its own pointer), which `load` reads into the document's extra
/// operations. A name that is no HTTP method token, or one a fixed field
/// holds, is skipped with a warning.
fn additional_operations(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let mut extra = Map::new();
    if let Some(mut op) = map.remove("query") {
        operation(&mut op, &child(at, "query"), diags);
        extra.insert("QUERY".into(), op);
    }
    if let Some(Value::Object(ops)) = map.remove("additionalOperations") {
        let here = child(at, "additionalOperations");
        for (method, mut op) in ops {
            let pointer = child(&here, &method);
            let fixed = METHODS.contains(&method.to_ascii_lowercase().as_str())
                || method.eq_ignore_ascii_case("query");
            if fixed || !is_method_token(&method) || extra.contains_key(&method) {
                diags.warn(
                    "unsupported-method",
                    pointer,
                    format!("`{method}` is not a method `additionalOperations` may hold (an HTTP token, no fixed field's); operation skipped"),
                );
                continue;
            }
            operation(&mut op, &pointer, diags);
            extra.insert(method, op);
        }
    }
    if !extra.is_empty() {
        map.insert(EXTRA_OPERATIONS.into(), Value::Object(extra));
    }
}

/// An HTTP method is a token (RFC 9110): visible ASCII but delimiters.
fn is_method_token(method: &str) -> bool {
    !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn operation(op: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Some(map) = op.as_object_mut() else {
        return;
    };
    parameters(map, at, diags);
    if let Some(body) = map.get_mut("requestBody") {
        content(body, &child(at, "requestBody"), diags);
    }
    if let Some(Value::Object(responses)) = map.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            response(r, &child(&child(at, "responses"), status), diags);
        }
    }
    if let Some(Value::Object(callbacks)) = map.get_mut("callbacks") {
        for (name, c) in callbacks.iter_mut() {
            callback(c, &child(&child(at, "callbacks"), name), diags);
        }
    }
}

fn callback(c: &mut Value, at: &str, diags: &mut Diagnostics) {
    if let Some(items) = c.as_object_mut() {
        for (expr, item) in items.iter_mut() {
            path_item(item, &child(at, expr), diags);
        }
    }
}

fn parameters(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(list)) = map.get_mut("parameters") else {
        return;
    };
    let at = child(at, "parameters");
    let mut out = Vec::with_capacity(list.len());
    for (i, mut p) in std::mem::take(list).into_iter().enumerate() {
        let here = child(&at, &i.to_string());
        if p.get("in").and_then(Value::as_str) == Some("querystring") {
            out.extend(querystring(&p, &here, diags));
        } else {
            holder(&mut p, &here, diags);
            out.push(p);
        }
    }
    *list = out;
}

/// 3.2's `in: querystring`: the whole query string as one form-encoded
/// object. Its properties are the query parameters 3.0 would list one by
/// one (`required` as the object says), so that is what they become.
fn querystring(p: &Value, at: &str, diags: &mut Diagnostics) -> Vec<Value> {
    let schema = p.pointer("/content/application~1x-www-form-urlencoded/schema");
    let Some(Value::Object(props)) = schema.and_then(|s| s.get("properties")) else {
        diags.warn(
            "unsupported-parameter",
            at,
            "an `in: querystring` parameter without an inline form-encoded object schema is not generated; skipped",
        );
        return Vec::new();
    };
    let required: Vec<&str> = schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let at = [
        "content",
        "application/x-www-form-urlencoded",
        "schema",
        "properties",
    ]
    .iter()
    .fold(at.to_string(), |at, key| child(&at, key));
    props
        .iter()
        .map(|(name, prop)| {
            let mut prop = prop.clone();
            schema::lower(&mut prop, &child(&at, name), diags);
            json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": prop,
            })
        })
        .collect()
}

/// A parameter or header: its `schema`, or the schemas of its `content`.
fn holder(p: &mut Value, at: &str, diags: &mut Diagnostics) {
    if let Some(s) = p.get_mut("schema") {
        schema::lower(s, &child(at, "schema"), diags);
    }
    content(p, at, diags);
}

fn response(r: &mut Value, at: &str, diags: &mut Diagnostics) {
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            holder(h, &child(&child(at, "headers"), name), diags);
        }
    }
    content(r, at, diags);
}

/// The media types of a request body, response, parameter or header.
fn content(holder: &mut Value, at: &str, diags: &mut Diagnostics) {
    let Some(Value::Object(media)) = holder.get_mut("content") else {
        return;
    };
    let at = child(at, "content");
    for (name, m) in media.iter_mut() {
        let here = child(&at, name);
        let Some(m) = m.as_object_mut() else {
            continue;
        };
        if let Some(items) = m.remove("itemSchema") {
            item_schema(m, name, items);
        }
        if let Some(s) = m.get_mut("schema") {
            schema::lower(s, &child(&here, "schema"), diags);
        }
    }
}

/// 3.2 `itemSchema` (the schema of each item of a streamed body) becomes
/// the media type's `schema`, marked as an item schema. For server-sent
/// events the item is the event, so the schema kept is that of its data:
/// the `contentSchema` of its `data` property when the data is JSON, else
/// none (text).
fn item_schema(m: &mut Map<String, Value>, media_type: &str, items: Value) {
    let event_stream = media_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"));
    let schema = if event_stream {
        let data = items.get("properties").and_then(|p| p.get("data"));
        let json = data
            .and_then(|d| d.get("contentMediaType"))
            .and_then(Value::as_str)
            .is_some_and(|t| t == "application/json" || t.ends_with("+json"));
        match data.and_then(|d| d.get("contentSchema")) {
            Some(schema) => Some(schema.clone()),
            None if json => Some(Value::Object(Map::new())),
            None => None,
        }
    } else {
        Some(items)
    };
    m.remove("schema");
    if let Some(schema) = schema {
        m.insert("schema".to_string(), schema);
    }
    m.insert(crate::load::ITEM_SCHEMA_MARK.to_string(), Value::Bool(true));
}

/// Webhooks: no client methods, but the schemas of their request bodies
/// become models — a `$ref`'d one is a component already; an inline one is
/// added to `components/schemas` as `<webhook><Method>Payload` (when that
/// key is free).
fn webhook_payloads(
    doc: &mut Map<String, Value>,
    hooks: Map<String, Value>,
    path_items: Option<&Value>,
    diags: &mut Diagnostics,
) {
    let mut payloads = Vec::new();
    for (name, mut item) in hooks {
        let at = child("#/webhooks", &name);
        inline_path_item(&mut item, path_items);
        path_item(&mut item, &at, diags);
        let Some(map) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(media)) = map
                .get(method)
                .and_then(|o| o.pointer("/requestBody/content"))
            else {
                continue;
            };
            let inline = media
                .values()
                .filter_map(|m| m.get("schema"))
                .find(|s| s.get("$ref").is_none());
            if let Some(schema) = inline {
                payloads.push((format!("{name} {method} payload"), schema.clone()));
            }
        }
    }
    if payloads.is_empty() {
        return;
    }
    let components = doc.entry("components").or_insert_with(|| json!({}));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        for (key, schema) in payloads {
            schemas.entry(key).or_insert(schema);
        }
    }
}

#[cfg(test)]
mod tests;
