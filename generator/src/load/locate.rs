//! Where a document that does not deserialize as `openapiv3::OpenAPI` is
//! wrong, found in time linear in its size.
//!
//! `openapiv3`'s untagged enums (`ReferenceOr`, the schema kinds) try each
//! variant in turn and deserialize a schema's sub-schemas again for every
//! one, so a bad keyword at the bottom of `properties` nested n deep costs
//! 2^n sub-parses, and its flattened fields hide the path of the failure.
//! So schemas are checked bottom-up: each is typed alone, its sub-schemas
//! (already checked) replaced by `{}`, which types every schema once; a
//! failing one is narrowed to the keyword that fails. When every schema is
//! good, the parts of the document with its schemas emptied are parsed one
//! by one, then the whole, which track the path themselves.

use super::walk::is_free_json;
use crate::diagnostics::child;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// One typed-parse failure: where, why, and in what part of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The JSON pointer of the value at fault (a keyword where one is).
    pub pointer: String,
    /// serde's message.
    pub message: String,
    /// The part the failure is in.
    pub part: Part,
}

/// The part of a document a failure is in, with that part's pointer: what
/// [`super::degrade`] can leave out instead of refusing the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A schema; the failure is one of its keywords unless it is the schema.
    Schema(String),
    /// An operation (`#/paths/{path}/{method}`).
    Operation(String),
    /// A path item, outside its operations.
    PathItem(String),
    /// A component other than a schema (`#/components/{kind}/{name}`).
    Component(String),
    /// The document itself.
    Document,
}

impl Failure {
    /// A failure of the document itself.
    pub fn document(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Failure::new(pointer, message, Part::Document)
    }

    fn new(pointer: impl Into<String>, message: impl Into<String>, part: Part) -> Self {
        Failure {
            pointer: pointer.into(),
            message: message.into(),
            part,
        }
    }
}

/// Schemas nested deeper than this inside one schema are checked bottom-up
/// before the typed parse: a failure at their bottom would cost the typed
/// parse up to 2^depth sub-parses (2^10: a millisecond for a small schema).
const DIRECT_DEPTH: usize = 10;

/// Every schema that does not deserialize (with each keyword at fault where
/// one is), or else every operation, path item and component that does not,
/// or else the first place of the document that does not; empty only when
/// the document deserializes after all.
pub fn locate(raw: &Value) -> Vec<Failure> {
    let mut hollow = raw.clone();
    let mut failures = Vec::new();
    hollow_schemas(&mut hollow, &mut |schema, at| {
        check_schema(schema, at, &mut failures)
    });
    if !failures.is_empty() {
        return failures;
    }
    // Every schema is good and now `{}`: what is left parses quickly.
    let mut failures = locate_parts(&hollow);
    if failures.is_empty() {
        failures = locate_fields(&hollow);
    }
    if failures.is_empty() {
        failures.extend(parse_error::<openapiv3::OpenAPI>(
            &hollow,
            "#",
            Part::Document,
        ));
    }
    failures
}

/// Every top-level field but `paths` and `components` that fails, each
/// parsed beside `openapi` and `info` alone.
fn locate_fields(raw: &Value) -> Vec<Failure> {
    let Some(doc) = raw.as_object() else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for (key, value) in doc {
        if matches!(key.as_str(), "paths" | "components") {
            continue;
        }
        let mut alone = Map::new();
        for required in ["openapi", "info"] {
            if let Some(v) = doc.get(required) {
                alone.insert(required.into(), v.clone());
            }
        }
        alone.insert("paths".into(), Value::Object(Map::new()));
        alone.insert(key.clone(), value.clone());
        let found = parse_error::<openapiv3::OpenAPI>(&Value::Object(alone), "#", Part::Document);
        failures.extend(found.filter(|f| f.pointer.starts_with(&child("#", key))));
    }
    failures
}

/// The failures of the schemas nested more than [`DIRECT_DEPTH`] deep,
/// checked bottom-up before the typed parse sees them (for every document:
/// a walk of its schemas, without typing the shallow ones).
pub fn deep_schema_failures(raw: &Value) -> Vec<Failure> {
    let mut failures = Vec::new();
    walk_schemas(raw, &mut Vec::new(), &mut |schema, path| {
        if depth_exceeds(schema, DIRECT_DEPTH) {
            check_schema(schema, path, &mut failures);
        }
    });
    failures
}

/// Calls `f` on each schema of the document outside schemas (a `schema`
/// key, or an entry of `components/schemas`), with the path to it.
/// Recursion follows the text's nesting, which the parsers bound (128).
fn walk_schemas<'v>(
    v: &'v Value,
    path: &mut Vec<Cow<'v, str>>,
    f: &mut impl FnMut(&'v Value, &str),
) {
    match v {
        Value::Object(map) => {
            let in_components = path.len() == 1 && path[0] == "components";
            for (key, value) in map {
                if is_free_json(key) {
                    continue;
                }
                path.push(Cow::Borrowed(key));
                if key == "schema" && value.is_object() {
                    f(value, &pointer(path));
                } else if in_components && key == "schemas" {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        path.push(Cow::Borrowed(name));
                        f(schema, &pointer(path));
                        path.pop();
                    }
                } else {
                    walk_schemas(value, path, f);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Cow::Owned(i.to_string()));
                walk_schemas(item, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The pointer of a path of segments.
fn pointer(path: &[Cow<'_, str>]) -> String {
    let segments: Vec<&str> = path.iter().map(|s| s.as_ref()).collect();
    crate::diagnostics::pointer(&segments)
}

/// [`walk_schemas`], each schema replaced by `{}` once `f` has seen it.
fn hollow_schemas(v: &mut Value, f: &mut impl FnMut(&Value, &str)) {
    let mut pointers = Vec::new();
    walk_schemas(v, &mut Vec::new(), &mut |schema, at| {
        f(schema, at);
        pointers.push(at.trim_start_matches('#').to_string());
    });
    for at in pointers {
        if let Some(schema) = v.pointer_mut(&at) {
            *schema = Value::Object(Map::new());
        }
    }
}

/// Calls `f` on each sub-schema of a schema, with the key holding it and,
/// inside a map or list, its name or index: `properties` (a map of
/// schemas), `allOf`/`oneOf`/`anyOf` (lists), `items`,
/// `additionalProperties` and `not` (one schema). A reference has none:
/// `openapiv3` reads only its `$ref`.
fn for_each_sub_schema<'v>(
    schema: &'v Value,
    f: &mut impl FnMut(&'v str, Option<Entry<'v>>, &'v Value),
) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties", Value::Object(props)) => {
                for (name, p) in props {
                    f(key, Some(Entry::Name(name)), p);
                }
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(members)) => {
                for (i, m) in members.iter().enumerate() {
                    f(key, Some(Entry::Index(i)), m);
                }
            }
            ("items" | "additionalProperties" | "not", value) if value.is_object() => {
                f(key, None, value)
            }
            _ => {}
        }
    }
}

/// Where in its holder a sub-schema is.
enum Entry<'v> {
    Name(&'v str),
    Index(usize),
}

/// The sub-schemas of a schema, each with its JSON pointer relative to it.
fn sub_schemas(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for_each_sub_schema(schema, &mut |key, entry, sub| {
        let at = child("", key);
        let at = match entry {
            Some(Entry::Name(name)) => child(&at, name),
            Some(Entry::Index(i)) => child(&at, &i.to_string()),
            None => at,
        };
        out.push((at, sub));
    });
    out
}

/// A copy of a schema object with each of its [`sub_schemas`] `{}`
/// (copying only its own keywords).
fn hollow_copy(schema: &Value) -> Value {
    let empty = || Value::Object(Map::new());
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut holders: Vec<&str> = Vec::new();
    for_each_sub_schema(schema, &mut |key, _, _| holders.push(key));
    let copy = map.iter().map(|(key, value)| {
        let value = match value {
            _ if !holders.contains(&key.as_str()) => value.clone(),
            Value::Object(props) if key == "properties" => {
                Value::Object(props.keys().map(|k| (k.clone(), empty())).collect())
            }
            Value::Array(members) => Value::Array(members.iter().map(|_| empty()).collect()),
            _ => empty(),
        };
        (key.clone(), value)
    });
    Value::Object(copy.collect())
}

/// Whether schemas nest more than `limit` deep inside this one.
fn depth_exceeds(schema: &Value, limit: usize) -> bool {
    let mut deeper = false;
    for_each_sub_schema(schema, &mut |_, _, sub| {
        deeper = deeper || limit == 0 || depth_exceeds(sub, limit - 1);
    });
    deeper
}

/// Checks one schema bottom-up: its sub-schemas first, then itself, typed
/// with them replaced by `{}`, so each schema is typed once. Recursion
/// follows the text's nesting, which the parsers bound.
fn check_schema(schema: &Value, pointer: &str, failures: &mut Vec<Failure>) {
    let subs = sub_schemas(schema);
    for (at, sub) in &subs {
        check_schema(sub, &format!("{pointer}{at}"), failures);
    }
    let hollow;
    let own = if subs.is_empty() {
        schema
    } else {
        hollow = hollow_copy(schema);
        &hollow
    };
    if let Some(message) = schema_error(own) {
        let culprits = culprits(own, pointer);
        if culprits.is_empty() {
            failures.push(Failure::new(pointer, message, Part::Schema(pointer.into())));
        }
        failures.extend(culprits);
    }
}

/// Why a schema (its sub-schemas empty) does not deserialize, if it does not.
fn schema_error(schema: &Value) -> Option<String> {
    <openapiv3::ReferenceOr<openapiv3::Schema> as serde::Deserialize>::deserialize(schema)
        .err()
        .map(|e| e.to_string())
}

/// The keywords at fault in a schema that does not deserialize: `type`
/// alone, else every keyword that fails beside the schema's `type`.
fn culprits(schema: &Value, pointer: &str) -> Vec<Failure> {
    let Some(map) = schema.as_object() else {
        return Vec::new();
    };
    let ty = map.get("type");
    let alone = |key: &str, value: &Value| {
        let mut one = Map::new();
        if let Some(ty) = ty {
            one.insert("type".into(), ty.clone());
        }
        one.insert(key.into(), value.clone());
        schema_error(&Value::Object(one))
            .map(|message| Failure::new(child(pointer, key), message, Part::Schema(pointer.into())))
    };
    if let Some(found) = ty.and_then(|ty| alone("type", ty)) {
        return vec![found];
    }
    map.iter()
        .filter(|(key, _)| *key != "type")
        .filter_map(|(key, value)| alone(key, value))
        .collect()
}

/// The first failure of a part, with the path the parse tracked.
fn parse_error<T: serde::de::DeserializeOwned>(
    v: &Value,
    base: &str,
    part: Part,
) -> Option<Failure> {
    serde_path_to_error::deserialize::<_, T>(v).err().map(|e| {
        let mut pointer = base.to_string();
        let inner = path_to_pointer(e.path());
        pointer.push_str(inner.trim_start_matches('#'));
        Failure::new(pointer, e.inner().to_string(), part)
    })
}

/// `openapiv3`'s flattened and untagged types hide where a typed parse
/// failed; parsing the document's parts one by one finds the deepest place
/// in each: every operation, path item (outside its operations) and
/// component that fails.
fn locate_parts(raw: &Value) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (path, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let base = child("#/paths", path);
        let mut item = item.clone();
        if let Some(ops) = item.as_object_mut() {
            for method in crate::ir::METHODS {
                let Some(op) = ops.get(method) else { continue };
                let at = child(&base, method);
                if let Some(found) =
                    parse_error::<openapiv3::Operation>(op, &at, Part::Operation(at.clone()))
                {
                    failures.push(found);
                    // The path item is checked without the bad operation.
                    ops.shift_remove(method);
                }
            }
        }
        failures.extend(parse_error::<openapiv3::PathItem>(
            &item,
            &base,
            Part::PathItem(base.clone()),
        ));
    }
    let components = raw.get("components").and_then(Value::as_object);
    for (kind, entries) in components.into_iter().flatten() {
        for (name, entry) in entries.as_object().into_iter().flatten() {
            let base = crate::diagnostics::pointer(&["components", kind, name]);
            let part = Part::Component(base.clone());
            use openapiv3::{
                Callback, Example, Header, Link, Parameter, ReferenceOr, RequestBody, Response,
                SecurityScheme,
            };
            let found = match kind.as_str() {
                "parameters" => parse_error::<ReferenceOr<Parameter>>(entry, &base, part),
                "responses" => parse_error::<ReferenceOr<Response>>(entry, &base, part),
                "requestBodies" => parse_error::<ReferenceOr<RequestBody>>(entry, &base, part),
                "headers" => parse_error::<ReferenceOr<Header>>(entry, &base, part),
                "examples" => parse_error::<ReferenceOr<Example>>(entry, &base, part),
                "links" => parse_error::<ReferenceOr<Link>>(entry, &base, part),
                "callbacks" => parse_error::<ReferenceOr<Callback>>(entry, &base, part),
                "securitySchemes" => parse_error::<ReferenceOr<SecurityScheme>>(entry, &base, part),
                // Schemas were checked (and are `{}` here).
                _ => None,
            };
            failures.extend(found);
        }
    }
    failures
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for seg in path.iter() {
        let s = match seg {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out = child(&out, &s);
    }
    out
}
