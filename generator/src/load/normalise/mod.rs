//! Rewrites real-world quirks that `openapiv3` refuses into their standard
//! form before typed parsing, with a warning for each rewrite.

mod params;
mod refs;
mod schemas;

pub use params::is_http_token;

use crate::diagnostics::{child, Diagnostics};
use serde_json::Value;

pub fn normalise(raw: &mut Value, diags: &mut Diagnostics) {
    info_texts(raw, diags);
    inline_path_item_refs(raw);
    refs::normalise_cross_kind_refs(raw, diags);
    refs::normalise_schema_refs_to_holders(raw, diags);
    schemas::normalise_schemas(raw, diags);
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let base = child("#/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    let op_ptr = child(&child(&base, method), "responses");
                    normalise_status_keys(responses, &op_ptr, diags);
                }
            }
        }
    }
}

/// `info: {version: 1.0}` (a YAML number) → `"1.0"`; the same for `title`.
fn info_texts(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(info) = raw.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    for key in ["title", "version"] {
        if let Some(v @ (Value::Number(_) | Value::Bool(_))) = info.get(key) {
            let text = Value::String(v.to_string());
            schemas::rewrite(info, key, text, "#/info", diags);
        }
    }
}

/// A path item that is a local `$ref` (in 3.0, to another path item, or to
/// `components/pathItems` as 3.1 allows and some 3.0 files already do) is
/// replaced by its target, its own siblings kept on top; chains are
/// followed, at most 64 links. Valid input, so no warning; an external,
/// dangling or circular one is left for the IR to skip with a warning.
/// (3.1 and 3.2 input arrives here with its `pathItems` already inlined.)
fn inline_path_item_refs(raw: &mut Value) {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut inlined = Vec::new();
    for (path, item) in paths {
        let mut target = item;
        let mut links = 0;
        while let Some(r) = target.get("$ref").and_then(Value::as_str) {
            let next = r
                .strip_prefix('#')
                .filter(|_| links < 64)
                .and_then(|pointer| raw.pointer(pointer));
            match next {
                Some(next) => target = next,
                None => break,
            }
            links += 1;
        }
        if links == 0 || target.get("$ref").is_some() || !target.is_object() {
            continue;
        }
        let mut merged = target.clone();
        if let (Some(merged), Some(siblings)) = (merged.as_object_mut(), item.as_object()) {
            for (k, v) in siblings.iter().filter(|(k, _)| k.as_str() != "$ref") {
                merged.insert(k.clone(), v.clone());
            }
        }
        inlined.push((path.clone(), merged));
    }
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in inlined {
            paths.insert(path, item);
        }
    }
}

/// `4xx` → `4XX`: the spec says ranges are upper case; some specs disagree.
fn normalise_status_keys(
    responses: &mut serde_json::Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let lower: Vec<String> = responses
        .keys()
        .filter(|k| {
            k.len() == 3 && k.ends_with("xx") && k.starts_with(|c: char| ('1'..='5').contains(&c))
        })
        .cloned()
        .collect();
    for key in lower {
        let upper = key.to_uppercase();
        if let Some(v) = responses.shift_remove(&key) {
            diags.warn(
                "normalised-status-range",
                child(pointer, &key),
                format!("response key `{key}` read as `{upper}`"),
            );
            if !responses.contains_key(&upper) {
                responses.insert(upper, v);
            }
        }
    }
}
