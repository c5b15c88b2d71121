//! Resolve: follows local `$ref`s to what they point at.
//!
//! `#/components/<kind>/<name>` references resolve through the typed
//! document; any other local pointer was parsed from the raw JSON once by
//! [`pointer_targets`]. External references are reported, never fetched:
//! `generate()` does no IO.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde_json::Value;
use std::collections::HashMap;

/// How deep a chain of `$ref → $ref → …` may go before it is called a cycle.
const MAX_CHAIN: usize = 64;

/// Where a resolved schema lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `#/components/schemas/<name>`: a named type.
    Component(String),
    /// Any other local pointer: lowered like an inline schema.
    Pointer(String),
}

/// Schemas that `$ref`s reach through pointers other than
/// `#/components/schemas/<name>`, parsed once (or the reason they cannot be).
pub type PointerTargets = HashMap<String, Result<Schema, String>>;

/// Finds every `$ref` in the document that is local but not a plain
/// component reference, and parses its target as a schema.
pub fn pointer_targets(raw: &Value) -> PointerTargets {
    let mut out = PointerTargets::new();
    let mut stack = vec![raw];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let plain = crate::diagnostics::component_of(r).is_some();
                    if r.starts_with('#') && !plain && !out.contains_key(r) {
                        let parsed = match raw.pointer(&r[1..]) {
                            None => Err(dangling(r)),
                            Some(t) if t.get("$ref").is_some() => Err(format!(
                                "`$ref` to `{r}`, which is itself a reference, is not supported"
                            )),
                            Some(t) => serde_json::from_value::<Schema>(t.clone())
                                .map_err(|e| format!("`$ref` target `{r}` is not a schema: {e}")),
                        };
                        out.insert(r.clone(), parsed);
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

pub struct Resolver<'a> {
    api: &'a OpenAPI,
    extra: &'a PointerTargets,
}

impl<'a> Resolver<'a> {
    pub fn new(api: &'a OpenAPI, extra: &'a PointerTargets) -> Self {
        Resolver { api, extra }
    }

    /// Follows a schema reference (and any chain of them) to a schema.
    pub fn schema(&self, reference: &str) -> Result<(&'a Schema, Origin), String> {
        let mut current = reference.to_string();
        for _ in 0..MAX_CHAIN {
            check_local(&current)?;
            if let Some(name) = component_name(&current, "schemas") {
                match self
                    .api
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name))
                {
                    Some(ReferenceOr::Item(s)) => return Ok((s, Origin::Component(name))),
                    Some(ReferenceOr::Reference { reference }) => {
                        current = reference.clone();
                        continue;
                    }
                    None => return Err(dangling(&current)),
                }
            }
            return self
                .pointer_schema(&current)
                .map(|s| (s, Origin::Pointer(current.clone())));
        }
        Err(format!(
            "`$ref` chain starting at `{reference}` does not end (a cycle?)"
        ))
    }

    fn pointer_schema(&self, reference: &str) -> Result<&'a Schema, String> {
        match self.extra.get(reference) {
            Some(Ok(s)) => Ok(s),
            Some(Err(e)) => Err(e.clone()),
            None => Err(dangling(reference)),
        }
    }

    /// Follows parameter references.
    pub fn parameter(&self, r: &'a ReferenceOr<Parameter>) -> Result<&'a Parameter, String> {
        self.component(r, "parameters", |c| &c.parameters)
    }

    pub fn request_body(&self, r: &'a ReferenceOr<RequestBody>) -> Result<&'a RequestBody, String> {
        self.component(r, "requestBodies", |c| &c.request_bodies)
    }

    pub fn response(&self, r: &'a ReferenceOr<Response>) -> Result<&'a Response, String> {
        self.component(r, "responses", |c| &c.responses)
    }

    fn component<T>(
        &self,
        r: &'a ReferenceOr<T>,
        kind: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'a T, String> {
        let mut current = r;
        for _ in 0..MAX_CHAIN {
            match current {
                ReferenceOr::Item(t) => return Ok(t),
                ReferenceOr::Reference { reference } => {
                    check_local(reference)?;
                    let name = component_name(reference, kind).ok_or_else(|| {
                        format!("`$ref` to `{reference}` is not supported here: expected `#/components/{kind}/…`")
                    })?;
                    current = self
                        .api
                        .components
                        .as_ref()
                        .and_then(|c| map(c).get(&name))
                        .ok_or_else(|| dangling(reference))?;
                }
            }
        }
        Err(format!("`$ref` chain of {kind} does not end (a cycle?)"))
    }
}

fn check_local(reference: &str) -> Result<(), String> {
    if reference.starts_with('#') {
        Ok(())
    } else {
        Err(format!(
            "external `$ref` `{reference}` is not supported: only local references (`#/…`) are"
        ))
    }
}

fn dangling(reference: &str) -> String {
    format!("`$ref` to `{reference}` points at nothing")
}

/// `#/components/<kind>/<name>` → `name` (unescaped).
fn component_name(reference: &str, kind: &str) -> Option<String> {
    let (of, name) = crate::diagnostics::component_of(reference)?;
    (of == kind).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> (OpenAPI, PointerTargets) {
        let raw = crate::load::parse_yaml(yaml).unwrap_or_default();
        let targets = pointer_targets(&raw);
        (
            serde_json::from_value(raw).unwrap_or_else(|_| OpenAPI::default()),
            targets,
        )
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {$ref: "#/components/schemas/B"}
    B: {type: object, properties: {x: {type: string}}}
    Loop1: {$ref: "#/components/schemas/Loop2"}
    Loop2: {$ref: "#/components/schemas/Loop1"}
    C: {type: array, items: {$ref: "#/components/schemas/B/properties/x"}}
"##;

    #[test]
    fn follows_chains_to_the_last_component() {
        let (api, raw) = doc(SPEC);
        let r = Resolver::new(&api, &raw);
        let (_, origin) = r
            .schema("#/components/schemas/A")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(origin, Origin::Component("B".into()));
    }

    #[test]
    fn resolves_pointers_into_schemas() {
        let (api, raw) = doc(SPEC);
        let r = Resolver::new(&api, &raw);
        let (_, origin) = r
            .schema("#/components/schemas/B/properties/x")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            origin,
            Origin::Pointer("#/components/schemas/B/properties/x".into())
        );
    }

    #[test]
    fn reports_dangling_external_and_cyclic_refs() {
        let (api, raw) = doc(SPEC);
        let r = Resolver::new(&api, &raw);
        assert!(r
            .schema("#/components/schemas/Nope")
            .unwrap_err()
            .contains("points at nothing"));
        assert!(r.schema("other.yaml#/X").unwrap_err().contains("external"));
        assert!(r
            .schema("#/components/schemas/Loop1")
            .unwrap_err()
            .contains("cycle"));
    }
}
