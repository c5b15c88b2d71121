//! Schema keywords written with the wrong JSON type, and Swagger 2.0
//! leftovers, rewritten to the 3.0 form whose meaning is clear; a keyword
//! whose meaning is not clear is dropped. Each rewrite and each drop is a
//! warning at the keyword's pointer, so one odd keyword never refuses the
//! document.

use crate::diagnostics::{child, Diagnostics};
use crate::load::v31::schema::{exclusive_bound, type_list};
use crate::load::walk;
use serde_json::{Map, Number, Value};

/// Bounds: any number.
const NUMBERS: &[&str] = &["minimum", "maximum", "multipleOf"];
/// Lengths and counts: non-negative integers. Lower bounds round up and
/// upper bounds down, which keeps their meaning for whole counts.
const COUNTS: &[(&str, Round)] = &[
    ("minLength", Round::Up),
    ("maxLength", Round::Down),
    ("minItems", Round::Up),
    ("maxItems", Round::Down),
    ("minProperties", Round::Up),
    ("maxProperties", Round::Down),
];
/// Booleans.
const FLAGS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];
/// Text.
const TEXTS: &[&str] = &["title", "description", "format", "pattern"];

#[derive(Clone, Copy)]
enum Round {
    Up,
    Down,
}

/// Rewrites every schema and parameter of the document.
pub fn normalise_schemas(raw: &mut Value, diags: &mut Diagnostics) {
    walk::each_schema(raw, &mut Normaliser(diags));
}

struct Normaliser<'d>(&'d mut Diagnostics);

impl walk::Visit for Normaliser<'_> {
    fn schema(&mut self, map: &mut Map<String, Value>, at: &str) {
        schema(map, at, self.0);
    }
    fn parameter(&mut self, map: &mut Map<String, Value>, at: &str) -> bool {
        super::params::parameter(map, at, self.0)
    }
}

fn schema(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    if map.contains_key("$ref") {
        return;
    }
    for key in NUMBERS {
        number(map, key, at, diags);
    }
    for (key, round) in COUNTS {
        count(map, key, *round, at, diags);
    }
    // A numeric exclusive bound is the 3.1 form; its 3.0 twin is known.
    exclusive_bound(map, "exclusiveMinimum", "minimum", at, diags);
    exclusive_bound(map, "exclusiveMaximum", "maximum", at, diags);
    for key in FLAGS {
        flag(map, key, at, diags);
    }
    for key in TEXTS {
        if map.get(*key).is_some_and(|v| !v.is_string()) {
            drop_keyword(map, key, "is not text", at, diags);
        }
    }
    swagger_leftovers(map, at, diags);
    types(map, at, diags);
    enum_list(map, at, diags);
    values_fit(map, at, diags);
    required(map, at, diags);
    if map.get("properties").is_some_and(|p| !p.is_object()) {
        drop_keyword(map, "properties", "is not a map of schemas", at, diags);
    }
    if let Some(Value::String(s)) = map.get("additionalProperties") {
        if let Some(b) = boolean_text(s) {
            rewrite(map, "additionalProperties", Value::Bool(b), at, diags);
        }
    }
    tuple_items(map, at, diags);
}

pub(super) fn rewrite(
    map: &mut Map<String, Value>,
    key: &str,
    to: Value,
    at: &str,
    diags: &mut Diagnostics,
) {
    let from = map.insert(key.into(), to.clone()).unwrap_or(Value::Null);
    diags.warn(
        "normalised-keyword",
        child(at, key),
        format!("`{key}: {from}` read as `{key}: {to}`"),
    );
}

fn drop_keyword(
    map: &mut Map<String, Value>,
    key: &str,
    why: &str,
    at: &str,
    diags: &mut Diagnostics,
) {
    if let Some(v) = map.remove(key) {
        diags.warn(
            "ignored-keyword",
            child(at, key),
            format!("`{key}: {v}` {why}; ignored"),
        );
    }
}

fn number(map: &mut Map<String, Value>, key: &str, at: &str, diags: &mut Diagnostics) {
    match map.get(key) {
        None | Some(Value::Number(_)) => {}
        Some(Value::String(s)) => match number_text(s) {
            Some(n) => rewrite(map, key, Value::Number(n), at, diags),
            None => drop_keyword(map, key, "is not a number", at, diags),
        },
        Some(_) => drop_keyword(map, key, "is not a number", at, diags),
    }
}

/// Text that spells a finite number, as a JSON number (an integer when it
/// is one).
fn number_text(s: &str) -> Option<Number> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(i.into());
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
}

fn count(map: &mut Map<String, Value>, key: &str, round: Round, at: &str, diags: &mut Diagnostics) {
    let value = match map.get(key) {
        None => return,
        Some(Value::Number(n)) if n.is_u64() => return,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => number_text(s).and_then(|n| n.as_f64()),
        Some(_) => None,
    };
    let Some(x) = value else {
        return drop_keyword(map, key, "is not a whole number", at, diags);
    };
    let whole = match round {
        Round::Up => x.ceil(),
        Round::Down => x.floor(),
    };
    // Integers beyond 2^53 are not exact as f64; such a count bounds
    // nothing a client holds in memory.
    if !(0.0..=9_007_199_254_740_992.0).contains(&whole) {
        let why = "is not a count a value can have";
        return drop_keyword(map, key, why, at, diags);
    }
    // In range and whole: the cast is exact.
    rewrite(map, key, Value::from(whole as u64), at, diags);
}

fn flag(map: &mut Map<String, Value>, key: &str, at: &str, diags: &mut Diagnostics) {
    match map.get(key) {
        None | Some(Value::Bool(_)) => {}
        // A number here is the 3.1 form of an exclusive bound (handled
        // before); anything else is no flag.
        Some(Value::String(s)) => match boolean_text(s) {
            Some(b) => rewrite(map, key, Value::Bool(b), at, diags),
            None => drop_keyword(map, key, "is not a boolean", at, diags),
        },
        Some(_) => drop_keyword(map, key, "is not a boolean", at, diags),
    }
}

pub(super) fn boolean_text(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Swagger 2.0 forms: `type: file`, `x-nullable`, a discriminator given as
/// the property's name.
fn swagger_leftovers(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), Value::from("string"));
        map.insert("format".into(), Value::from("binary"));
        diags.warn(
            "normalised-keyword",
            child(at, "type"),
            "Swagger 2.0 `type: file` read as `type: string, format: binary`",
        );
    }
    if let Some(Value::Bool(nullable)) = map.get("x-nullable").cloned() {
        if !map.contains_key("nullable") {
            map.insert("nullable".into(), Value::Bool(nullable));
            diags.warn(
                "normalised-keyword",
                child(at, "x-nullable"),
                format!("Swagger 2.0 `x-nullable: {nullable}` read as `nullable: {nullable}`"),
            );
        }
    }
    if let Some(Value::String(name)) = map.get("discriminator").cloned() {
        let to = serde_json::json!({ "propertyName": name });
        rewrite(map, "discriminator", to, at, diags);
    }
}

/// `type` as a list (the 3.1 form) or of another JSON type.
fn types(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    match map.get("type") {
        None | Some(Value::String(_)) => {}
        Some(Value::Array(_)) => type_list(map, at, diags),
        Some(_) => drop_keyword(map, "type", "is not a type name", at, diags),
    }
}

/// An `enum` that is one value rather than a list of them.
fn enum_list(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    match map.get("enum") {
        None | Some(Value::Array(_)) => {}
        Some(Value::Null) => drop_keyword(map, "enum", "is no list of values", at, diags),
        Some(one) => {
            let to = Value::Array(vec![one.clone()]);
            rewrite(map, "enum", to, at, diags);
        }
    }
}

/// `enum` values, `default` and `example` of another JSON type than the
/// schema's (a text default on an integer): each is left out, so none ends
/// up in code that could not hold it.
fn values_fit(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let Some(ty) = map.get("type").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    for (key, kind) in [("default", "ignored-value"), ("example", "ignored-example")] {
        if let Some(v) = map.get(key).filter(|v| !fits(&ty, v, nullable)).cloned() {
            map.remove(key);
            diags.warn(
                kind,
                child(at, key),
                format!("`{key}: {v}` is not of type `{ty}`; ignored"),
            );
        }
    }
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let before = values.len();
    let mut index = 0;
    values.retain(|v| {
        let keep = fits(&ty, v, nullable);
        if !keep {
            diags.warn(
                "ignored-value",
                child(&child(at, "enum"), &index.to_string()),
                format!("enum value `{v}` is not of type `{ty}`; left out"),
            );
        }
        index += 1;
        keep
    });
    if values.is_empty() && before > 0 {
        map.remove("enum");
    }
}

/// Whether a JSON value is one of a schema `type`'s.
fn fits(ty: &str, v: &Value, nullable: bool) -> bool {
    match (ty, v) {
        (_, Value::Null) => nullable,
        ("integer", Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        // A type no one defined says nothing a value could break.
        (other, _) => {
            !["integer", "number", "string", "boolean", "array", "object"].contains(&other)
        }
    }
}

/// `required`: a list of distinct names. A property's own `required: true`
/// (the Swagger 2.0 habit for parameters) is read as its parent's list.
fn required(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let mut hoisted: Vec<String> = Vec::new();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            let Some(Value::Bool(flag)) = prop.get("required").cloned() else {
                continue;
            };
            if let Value::Object(prop) = prop {
                prop.remove("required");
            }
            let here = child(&child(&child(at, "properties"), name), "required");
            diags.warn(
                "normalised-required",
                here,
                format!("`required: {flag}` on a property read as its parent's `required` list"),
            );
            if flag {
                hoisted.push(name.clone());
            }
        }
    }
    let list = match map.get("required") {
        None if hoisted.is_empty() => return,
        None => Vec::new(),
        Some(Value::Array(list)) => list.clone(),
        Some(_) => {
            drop_keyword(map, "required", "is not a list of names", at, diags);
            Vec::new()
        }
    };
    let mut names: Vec<Value> = Vec::new();
    for name in list.into_iter().chain(hoisted.into_iter().map(Value::from)) {
        if name.is_string() && !names.contains(&name) {
            names.push(name);
        }
    }
    warn_undeclared(map, &names, at, diags);
    let names = Value::Array(names);
    match map.get("required") {
        Some(list) if *list == names => {}
        Some(_) => {
            let msg = "names repeated or not text; read as the distinct names";
            diags.warn("normalised-required", child(at, "required"), msg);
            map.insert("required".into(), names);
        }
        None => {
            map.insert("required".into(), names);
        }
    }
}

/// Required names that `properties` does not declare, in a schema that
/// composes nothing (an `allOf` member may name its siblings' properties).
fn warn_undeclared(map: &Map<String, Value>, names: &[Value], at: &str, diags: &mut Diagnostics) {
    let composed = at.contains("/allOf/")
        || ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| map.contains_key(*k));
    let Some(Value::Object(props)) = map.get("properties") else {
        return;
    };
    if composed {
        return;
    }
    for name in names.iter().filter_map(Value::as_str) {
        if !props.contains_key(name) {
            diags.warn(
                "undeclared-required",
                child(at, "required"),
                format!(
                    "`required` names `{name}`, which `properties` does not declare; not checked"
                ),
            );
        }
    }
}

/// `items` as a list (a tuple, which 3.0 cannot say): its one schema when
/// it holds one, else any value.
fn tuple_items(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(list)) = map.get("items") else {
        return;
    };
    let to = match list.as_slice() {
        [one] => one.clone(),
        _ => Value::Object(Map::new()),
    };
    let why = if list.len() == 1 {
        "a one-schema list read as that schema"
    } else {
        "a tuple, which OpenAPI 3.0 cannot say; the items are raw JSON"
    };
    map.insert("items".into(), to);
    diags.warn("normalised-keyword", child(at, "items"), why);
}

#[cfg(test)]
mod tests;
