//! What a document that does not deserialize gives up so that the rest of
//! it generates: each failure [`super::locate`] found is left out of the
//! document, the smallest part that holds it, with a warning at its
//! pointer. A schema keyword that cannot be read is dropped from its schema
//! (`ignored-keyword`); a schema that fails as a whole becomes `{}`, raw
//! JSON (`fallback-json`); an operation, a path item or a component is left
//! out (`skipped-operation`, `skipped-path`, `skipped-component`), and so is
//! every operation that uses a component left out; an optional top-level
//! field is dropped. What none of these covers (`info`, `paths` or the
//! document itself) stays an error.

use super::locate::{Failure, Part};
use crate::diagnostics::{split_last, Diagnostics};
use serde_json::Value;

/// Leaves each failure out of `raw` (with a warning); returns the failures
/// it could not leave out.
pub fn degrade(raw: &mut Value, failures: Vec<Failure>, diags: &mut Diagnostics) -> Vec<Failure> {
    let mut left = Vec::new();
    let mut gone = Vec::new();
    for failure in failures {
        match leave_out(raw, &failure) {
            Some((kind, what, then)) => {
                let message = format!("{what} cannot be read ({}): {then}", failure.message);
                diags.warn(kind, &failure.pointer, message);
                if let Part::Component(at) = failure.part {
                    gone.push(at);
                }
            }
            None => left.push(failure),
        }
    }
    drop_users(raw, gone, diags);
    left
}

/// Removes (or empties) the part holding one failure: the warning's kind,
/// what could not be read and what became of it; `None` when the part
/// cannot go.
fn leave_out(raw: &mut Value, failure: &Failure) -> Option<(&'static str, String, &'static str)> {
    let pointer = &failure.pointer;
    match &failure.part {
        Part::Schema(at) if at == pointer => {
            *value_at(raw, at)? = Value::Object(serde_json::Map::new());
            Some(("fallback-json", "this schema".into(), "raw JSON"))
        }
        Part::Schema(_) => {
            let key = remove(raw, pointer)?;
            Some(("ignored-keyword", format!("`{key}`"), "left out"))
        }
        Part::Document => {
            let key = remove(raw, &optional_field(pointer)?)?;
            Some(("ignored-keyword", format!("`{key}`"), "left out"))
        }
        Part::Operation(at) => {
            remove(raw, at)?;
            let then = "the operation is left out";
            Some(("skipped-operation", operation_name(at), then))
        }
        Part::PathItem(at) => {
            let path = remove(raw, at)?;
            let then = "its operations are left out";
            Some(("skipped-path", format!("the path item `{path}`"), then))
        }
        Part::Component(at) => {
            remove(raw, at)?;
            let then = "left out, with the operations using it";
            Some(("skipped-component", format!("`{at}`"), then))
        }
    }
}

/// The field holding a failure of the document itself that the document is
/// whole without: a top-level field, or one kind of `components` (whose
/// `$ref`s are then errors). `openapi`, `info` and `paths` are required.
fn optional_field(pointer: &str) -> Option<String> {
    let mut segments = pointer.strip_prefix("#/")?.split('/');
    match segments.next()? {
        "openapi" | "info" | "paths" | "" => None,
        "components" => Some(format!("#/components/{}", segments.next()?)),
        top => Some(format!("#/{top}")),
    }
}

/// The value a pointer names.
fn value_at<'v>(raw: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    raw.pointer_mut(pointer.trim_start_matches('#'))
}

/// Removes the object member a pointer names, returning its key.
fn remove(raw: &mut Value, pointer: &str) -> Option<String> {
    let (parent, key) = split_last(pointer)?;
    let removed = value_at(raw, parent)?.as_object_mut()?.shift_remove(&key);
    removed.map(|_| key)
}

/// `#/paths/~1a/get` → ``GET `/a` ``.
fn operation_name(at: &str) -> String {
    match split_last(at).and_then(|(item, method)| Some((split_last(item)?.1, method))) {
        Some((path, method)) => format!("`{} {path}`", method.to_uppercase()),
        None => format!("`{at}`"),
    }
}

/// Leaves out every component (other than a schema) and every operation
/// that refers into a component left out, until none does; a path item
/// whose own fields refer to one goes whole.
fn drop_users(raw: &mut Value, mut gone: Vec<String>, diags: &mut Diagnostics) {
    let mut seen = 0;
    while seen < gone.len() {
        seen = gone.len();
        let mut users = Vec::new();
        let components = raw.get("components").and_then(Value::as_object);
        for (kind, entries) in components.into_iter().flatten() {
            if kind == "schemas" {
                continue;
            }
            for (name, entry) in entries.as_object().into_iter().flatten() {
                if let Some(used) = refers_into(entry, &gone) {
                    let at = crate::diagnostics::pointer(&["components", kind, name]);
                    users.push((at, used.to_string()));
                }
            }
        }
        for (at, used) in users {
            if remove(raw, &at).is_some() {
                diags.warn(
                    "skipped-component",
                    &at,
                    format!("uses `{used}`, which cannot be read: left out"),
                );
                gone.push(at);
            }
        }
    }
    let mut users = Vec::new();
    for (path, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let base = crate::diagnostics::child("#/paths", path);
        for (key, value) in item.as_object().into_iter().flatten() {
            if let Some(used) = refers_into(value, &gone) {
                let operation = crate::ir::METHODS.contains(&key.as_str());
                let at = operation.then(|| crate::diagnostics::child(&base, key));
                users.push((at.unwrap_or_else(|| base.clone()), operation, used));
            }
        }
    }
    for (at, operation, used) in users {
        if remove(raw, &at).is_none() {
            continue;
        }
        let what = match operation {
            true => format!("{} is left out", operation_name(&at)),
            false => "the path item's operations are left out".to_string(),
        };
        let kind = if operation {
            "skipped-operation"
        } else {
            "skipped-path"
        };
        diags.warn(
            kind,
            &at,
            format!("uses `{used}`, which cannot be read: {what}"),
        );
    }
}

/// The first `$ref` inside `v` that names one of `gone` or a place inside
/// one. Recursion follows the text's nesting, which the parsers bound.
fn refers_into<'g>(v: &Value, gone: &'g [String]) -> Option<&'g str> {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let hit = gone.iter().find(|g| {
                    r.strip_prefix(g.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                });
                if let Some(hit) = hit {
                    return Some(hit);
                }
            }
            map.values().find_map(|v| refers_into(v, gone))
        }
        Value::Array(items) => items.iter().find_map(|v| refers_into(v, gone)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failure(pointer: &str, part: Part) -> Failure {
        Failure {
            pointer: pointer.into(),
            message: "bad".into(),
            part,
        }
    }

    fn kinds(diags: &Diagnostics) -> Vec<String> {
        diags
            .iter()
            .map(|d| format!("{} {}", d.kind, d.pointer))
            .collect()
    }

    #[test]
    fn a_schema_failing_as_a_whole_becomes_raw_json() {
        let mut raw = json!({"components": {"schemas": {"A": {"type": "object", "odd": 1}}}});
        let mut diags = Diagnostics::default();
        let at = "#/components/schemas/A";
        let left = degrade(
            &mut raw,
            vec![failure(at, Part::Schema(at.into()))],
            &mut diags,
        );
        assert!(left.is_empty());
        assert_eq!(raw, json!({"components": {"schemas": {"A": {}}}}));
        assert_eq!(kinds(&diags), ["fallback-json #/components/schemas/A"]);
    }

    #[test]
    fn required_fields_stay_errors_and_optional_ones_go() {
        let mut raw = json!({"openapi": "3.0.3", "info": {"title": 5}, "servers": 5,
            "components": {"securitySchemes": []}});
        let mut diags = Diagnostics::default();
        let failures = vec![
            failure("#/info/title", Part::Document),
            failure("#/servers/0/url", Part::Document),
            failure("#/components/securitySchemes", Part::Document),
            failure("#", Part::Document),
        ];
        let left = degrade(&mut raw, failures, &mut diags);
        let left: Vec<&str> = left.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(left, ["#/info/title", "#"]);
        assert_eq!(
            raw,
            json!({"openapi": "3.0.3", "info": {"title": 5}, "components": {}})
        );
        assert_eq!(
            kinds(&diags),
            [
                "ignored-keyword #/servers/0/url",
                "ignored-keyword #/components/securitySchemes"
            ]
        );
    }

    #[test]
    fn what_uses_a_component_left_out_goes_too() {
        let mut raw = json!({
            "paths": {
                "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}},
                       "put": {"responses": {}}},
                "/b": {"parameters": [{"$ref": "#/components/headers/H/schema"}],
                       "get": {"responses": {}}},
            },
            "components": {
                "headers": {"H": {"schema": {}}},
                "responses": {"R": {"description": "d", "headers": {"h": {"$ref": "#/components/headers/H"}}}},
                "schemas": {"S": {"$ref": "#/components/headers/H/schema"}},
            },
        });
        let mut diags = Diagnostics::default();
        let at = "#/components/headers/H";
        let left = degrade(
            &mut raw,
            vec![failure(at, Part::Component(at.into()))],
            &mut diags,
        );
        assert!(left.is_empty());
        assert_eq!(
            raw,
            json!({
                "paths": {"/a": {"put": {"responses": {}}}},
                "components": {"headers": {}, "responses": {},
                    "schemas": {"S": {"$ref": "#/components/headers/H/schema"}}},
            })
        );
        assert_eq!(
            kinds(&diags),
            [
                "skipped-component #/components/headers/H",
                "skipped-component #/components/responses/R",
                "skipped-operation #/paths/~1a/get",
                "skipped-path #/paths/~1b",
            ]
        );
        assert!(diags
            .iter()
            .any(|d| d.message.contains("`GET /a` is left out")));
    }
}
