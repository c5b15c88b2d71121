//! Rewrites real-world quirks that `openapiv3` refuses into their standard
//! form before typed parsing, with a warning for each rewrite.

mod params;
mod refs;
mod schemas;

use crate::diagnostics::{child, Diagnostics};
use serde_json::Value;

pub fn normalise(raw: &mut Value, diags: &mut Diagnostics) {
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
