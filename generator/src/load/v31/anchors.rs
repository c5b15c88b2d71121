//! References by `$id` and `$anchor` inside the document → JSON pointers,
//! the only references the rest of the pipeline follows.

use crate::diagnostics::{child, Diagnostics};
use serde_json::Value;
use std::collections::HashMap;

/// Rewrites every `$ref` that names a schema of this document by its `$id`
/// (`$ref: https://x/schemas/pet`, or `…/pet#/properties/a`) or its anchor
/// (`$ref: '#pet'`, `$ref: https://x/schemas/pet#pet`) into a pointer to it.
/// Other references are left as they are (and reported later if dangling).
pub fn rewrite_refs(raw: &mut Value, diags: &mut Diagnostics) {
    let mut names = HashMap::new();
    collect(raw, "#", &mut names, diags);
    if names.is_empty() {
        return;
    }
    rewrite(raw, &names);
}

/// `$id` values and anchors (`#name`, and `<id>#name` for an anchor under an
/// `$id`) → the pointer of the schema that declares them.
fn collect(v: &Value, at: &str, names: &mut HashMap<String, String>, diags: &mut Diagnostics) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("$id") {
                declare(names, id.trim_end_matches('#').to_string(), at, diags);
            }
            if let Some(Value::String(anchor)) = map.get("$anchor") {
                declare(names, format!("#{anchor}"), at, diags);
            }
            for (key, value) in map {
                if key != "enum" && key != "const" && key != "example" && key != "examples" {
                    collect(value, &child(at, key), names, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &child(at, &i.to_string()), names, diags);
            }
        }
        _ => {}
    }
}

fn declare(names: &mut HashMap<String, String>, name: String, at: &str, diags: &mut Diagnostics) {
    if let Some(first) = names.get(&name) {
        diags.warn(
            "duplicate-anchor",
            at,
            format!("`{name}` is also declared at {first}; references go there"),
        );
        return;
    }
    names.insert(name, at.to_string());
}

fn rewrite(v: &mut Value, names: &HashMap<String, String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(target) = target(r, names) {
                    *r = target;
                }
            }
            for value in map.values_mut() {
                rewrite(value, names);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, names)),
        _ => {}
    }
}

/// The pointer a reference by name means, if it names something here.
fn target(r: &str, names: &HashMap<String, String>) -> Option<String> {
    if r.starts_with("#/") || r == "#" {
        return None;
    }
    if let Some(p) = names.get(r) {
        return Some(p.clone());
    }
    let (base, fragment) = r.split_once('#')?;
    if base.is_empty() {
        return None;
    }
    let at = names.get(base)?;
    if fragment.starts_with('/') {
        return Some(format!("{at}{fragment}"));
    }
    names.get(&format!("#{fragment}")).cloned()
}
