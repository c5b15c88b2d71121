//! `$ref`s to a component of another kind whose shape fits: a response that
//! refers to `#/components/requestBodies/…` (or a request body that refers
//! to `#/components/responses/…`). Both are `content` → media type →
//! schema; the reference is replaced by a copy of what it names, read as
//! the kind its place expects.

use crate::diagnostics::{child, Diagnostics};
use crate::load::walk;
use serde_json::{Map, Value};

/// What a place expects, and the other kind whose shape fits it.
#[derive(Clone, Copy)]
enum Kind {
    Response,
    RequestBody,
}

impl Kind {
    fn other(self) -> &'static str {
        match self {
            Kind::Response => "requestBodies",
            Kind::RequestBody => "responses",
        }
    }
}

/// Rewrites every response and request body of `raw` that refers to the
/// other kind.
pub fn normalise_cross_kind_refs(raw: &mut Value, diags: &mut Diagnostics) {
    let Some(components) = raw.get("components") else {
        return;
    };
    let mut places: Vec<(String, Kind)> = Vec::new();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = child("#/paths", path);
            let Some(ops) = item.as_object() else {
                continue;
            };
            for (method, op) in ops {
                if !crate::ir::METHODS.contains(&method.as_str()) {
                    continue;
                }
                let op_ptr = child(&base, method);
                if op.get("requestBody").is_some() {
                    places.push((child(&op_ptr, "requestBody"), Kind::RequestBody));
                }
                let responses = op.get("responses").and_then(Value::as_object);
                for status in responses.into_iter().flat_map(|r| r.keys()) {
                    places.push((child(&child(&op_ptr, "responses"), status), Kind::Response));
                }
            }
        }
    }
    for (section, kind) in [
        ("responses", Kind::Response),
        ("requestBodies", Kind::RequestBody),
    ] {
        let names = components.get(section).and_then(Value::as_object);
        for name in names.into_iter().flat_map(|m| m.keys()) {
            let base = crate::diagnostics::pointer(&["components", section, name]);
            places.push((base, kind));
        }
    }
    let copies: Vec<(String, Map<String, Value>)> = places
        .into_iter()
        .filter_map(|(pointer, kind)| {
            let place = raw.pointer(pointer.strip_prefix('#')?)?;
            let copy = cross_kind_copy(place, kind, components, &pointer, diags)?;
            Some((pointer, copy))
        })
        .collect();
    for (pointer, copy) in copies {
        if let Some(place) = pointer.strip_prefix('#').and_then(|p| raw.pointer_mut(p)) {
            *place = Value::Object(copy);
        }
    }
}

/// The replacement for `place` when it is a `$ref` to the other kind's
/// component, which exists and has `content`.
fn cross_kind_copy(
    place: &Value,
    kind: Kind,
    components: &Value,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<Map<String, Value>> {
    let reference = place.get("$ref")?.as_str()?;
    let (of, name) = crate::diagnostics::component_of(reference)?;
    if of != kind.other() {
        return None;
    }
    let target = components.get(kind.other())?.get(&name)?.as_object()?;
    let content = target.get("content")?;
    let mut copy = Map::new();
    let description = target.get("description").cloned();
    match kind {
        Kind::Response => {
            copy.insert(
                "description".into(),
                description.unwrap_or_else(|| Value::String(String::new())),
            );
        }
        Kind::RequestBody => {
            copy.extend(description.map(|d| ("description".to_string(), d)));
        }
    }
    copy.insert("content".into(), content.clone());
    let (expected, found) = match kind {
        Kind::Response => ("response", "request body"),
        Kind::RequestBody => ("request body", "response"),
    };
    diags.warn(
        "normalised-ref-kind",
        pointer,
        format!("`$ref` to the {found} `{reference}` where a {expected} belongs: read as a {expected} with its content"),
    );
    Some(copy)
}

/// A schema `$ref` to a parameter or header component (which holds a
/// schema) → a reference to that component's `schema`.
pub fn normalise_schema_refs_to_holders(raw: &mut Value, diags: &mut Diagnostics) {
    let holders: std::collections::HashSet<String> = ["parameters", "headers"]
        .iter()
        .flat_map(|kind| {
            let entries = raw
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object);
            entries
                .into_iter()
                .flat_map(|m| m.iter())
                .filter(|(_, h)| h.get("schema").is_some())
                .map(move |(name, _)| crate::diagnostics::pointer(&["components", kind, name]))
        })
        .collect();
    if holders.is_empty() {
        return;
    }
    walk::each_schema(raw, &mut HolderRefs { holders, diags });
}

struct HolderRefs<'d> {
    holders: std::collections::HashSet<String>,
    diags: &'d mut Diagnostics,
}

impl walk::Visit for HolderRefs<'_> {
    fn schema(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::String(reference)) = map.get("$ref") else {
            return;
        };
        if !self.holders.contains(reference) {
            return;
        }
        let to = child(reference, "schema");
        self.diags.warn(
            "normalised-ref-kind",
            child(at, "$ref"),
            format!("schema `$ref` to the component `{reference}`, which is no schema: read as its schema `{to}`"),
        );
        map.insert("$ref".into(), Value::String(to));
    }
}
