//! Specs that grow in one direction (nesting depth, chain length, width),
//! built in code: the hostile tests (`tests/tests/hostile/`) assert what
//! the generator does with the largest that run quickly, and the scaling
//! benchmark (`tests/benches/benches/scaling.rs`) reports the generation
//! time of each at growing sizes, so that linear growth can be seen.

use serde_json::{json, Map, Value};

/// A spec with these component schemas and no paths.
pub fn with_schemas(schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    })
}

/// The pointer of component schema `key`.
fn schema_ref(key: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{key}")})
}

/// Component `A`: objects nested `depth` deep through properties `p1`,
/// `p2`, …, an integer at the bottom. With `bad_leaf`, the integer's
/// `externalDocs` is a string (no quirk normalisation reads it), so the
/// document is not valid and the error is at [`nested_leaf_pointer`].
pub fn nested_properties(depth: usize, bad_leaf: bool) -> Value {
    let docs = if bad_leaf {
        json!("x")
    } else {
        json!({"url": "https://example.com"})
    };
    let mut schema = json!({"type": "integer", "minimum": 1, "externalDocs": docs});
    for level in (1..=depth).rev() {
        schema = json!({"type": "object", "properties": {format!("p{level}"): schema}});
    }
    with_schemas(Map::from_iter([("A".to_string(), schema)]))
}

/// Where the bad `externalDocs` of [`nested_properties`] is.
pub fn nested_leaf_pointer(depth: usize) -> String {
    let mut pointer = String::from("#/components/schemas/A");
    for level in 1..=depth {
        pointer.push_str(&format!("/properties/p{level}"));
    }
    pointer + "/externalDocs"
}

/// Component `A`: arrays of arrays `depth` deep, strings at the bottom.
pub fn nested_arrays(depth: usize) -> Value {
    let mut schema = json!({"type": "string"});
    for _ in 0..depth {
        schema = json!({"type": "array", "items": schema});
    }
    with_schemas(Map::from_iter([("A".to_string(), schema)]))
}

/// `S0` an object with `p0`; `S{i}`: `allOf: [S{i-1}, {p{i}}]` up to
/// `S{n-1}`, which has every property.
pub fn all_of_chain(n: usize) -> Value {
    chain(n, |i| {
        json!({"allOf": [
            schema_ref(&format!("S{}", i - 1)),
            {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}},
        ]})
    })
}

/// `S0` an object with `p0`; `S{i}`: `oneOf: [S{i-1}, {p{i}}]`.
pub fn one_of_chain(n: usize) -> Value {
    chain(n, |i| {
        json!({"oneOf": [
            schema_ref(&format!("S{}", i - 1)),
            {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}},
        ]})
    })
}

/// `S{i}` an object whose property `x` is `S{i-1}`: each struct holds the
/// previous one.
pub fn struct_chain(n: usize) -> Value {
    chain(
        n,
        |i| json!({"type": "object", "properties": {"x": schema_ref(&format!("S{}", i - 1))}}),
    )
}

/// `S{i}: {$ref: S{i-1}}`: a chain of pure references to `S0`.
pub fn ref_chain(n: usize) -> Value {
    chain(n, |i| schema_ref(&format!("S{}", i - 1)))
}

/// `S{i}: {type: array, items: S{i-1}}`: aliases of arrays of the previous.
pub fn array_alias_chain(n: usize) -> Value {
    chain(
        n,
        |i| json!({"type": "array", "items": schema_ref(&format!("S{}", i - 1))}),
    )
}

fn chain(n: usize, link: impl Fn(usize) -> Value) -> Value {
    let first = json!({"type": "object", "properties": {"p0": {"type": "string"}}});
    with_schemas(
        (0..n)
            .map(|i| {
                (
                    format!("S{i}"),
                    if i == 0 { first.clone() } else { link(i) },
                )
            })
            .collect(),
    )
}

/// Component `E`: a string enum of `n` values.
pub fn long_enum(n: usize) -> Value {
    let values: Vec<String> = (0..n).map(|i| format!("value_{i}")).collect();
    with_schemas(Map::from_iter([(
        "E".to_string(),
        json!({"type": "string", "enum": values}),
    )]))
}

/// `n` paths, each with a GET taking a path parameter and a query
/// parameter and returning an object of its own.
pub fn many_operations(n: usize) -> Value {
    let paths: Map<String, Value> = (0..n)
        .map(|i| {
            let op = json!({
                "operationId": format!("get_thing_{i}"),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "id": {"type": "string"}, "count": {"type": "integer"}}},
                }}}},
            });
            (format!("/things{i}/{{id}}"), json!({"get": op}))
        })
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
    })
}

/// `n` operations spread over tags made of emoji, spaces, digits, other
/// scripts, Rust keywords and cargo's own feature names: above 400 items, a
/// crate with one module and one feature per group.
pub fn hostile_tags(n: usize) -> Value {
    let tags = [
        "🚀",
        "🚀 rockets",
        "123",
        "42 things",
        "hello world",
        "Hello World",
        "hello-world",
        "",
        "   ",
        "Ünïcode",
        "日本語",
        "self",
        "crate",
        "std",
        "default",
        "tracing",
        "blocking",
        "all-groups",
        "mod",
    ];
    let paths: Map<String, Value> = (0..n)
        .map(|i| {
            let op = json!({
                "operationId": format!("op{i}"),
                "tags": [tags[i % tags.len()]],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/T{}", i % 7)},
                }}}},
            });
            (format!("/r{i}"), json!({"get": op}))
        })
        .collect();
    let schemas: Map<String, Value> = (0..7)
        .map(|i| {
            (
                format!("T{i}"),
                json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            )
        })
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}
