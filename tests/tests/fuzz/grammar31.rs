//! OpenAPI 3.1 and 3.2 documents built from their own keywords (type lists,
//! `const`, numeric exclusive bounds, tuples, boolean schemas, `$defs`,
//! `$id`/`$anchor` references, `$ref` with siblings, webhooks, path-item
//! components, `in: querystring`, the `query` method), mixed with the 3.0
//! habits real 3.1 files keep. Besides not panicking, none of them may be
//! refused as a whole (`invalid-document`).

use super::*;

/// References a 3.1 document may hold: components, `$defs`, an `$id`, an
/// anchor, and ones that name nothing.
fn arb_ref31() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "#/components/schemas/A",
        "#/components/schemas/B",
        "#/components/schemas/A/$defs/D",
        "#/components/schemas/A/prefixItems/0",
        "https://example.com/b",
        "https://example.com/b#/properties/x",
        "https://example.com/b#anchor",
        "#anchor",
        "#missing",
        "https://example.com/none",
    ])
    .prop_map(str::to_string)
}

fn arb_leaf31() -> impl Strategy<Value = Value> {
    let ty = prop::sample::select(vec![
        "string", "integer", "number", "boolean", "object", "array", "null",
    ]);
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        arb_ref31().prop_map(|r| json!({ "$ref": r })),
        (arb_ref31(), arb_string(), proptest::option::of(0u64..4)).prop_map(|(r, d, max)| {
            let mut o = json!({"$ref": r, "description": d, "summary": d});
            if let Some(m) = max {
                o["maxLength"] = json!(m);
            }
            o
        }),
        prop::collection::vec(ty.clone(), 0..4).prop_map(|t| json!({ "type": t })),
        prop_oneof![
            arb_number(),
            arb_string().prop_map(Value::String),
            Just(Value::Null)
        ]
        .prop_map(|c| json!({ "const": c })),
        (
            arb_number(),
            arb_number(),
            proptest::option::of(arb_number())
        )
            .prop_map(|(lo, hi, min)| {
                let mut o =
                    json!({"type": "number", "exclusiveMinimum": lo, "exclusiveMaximum": hi});
                if let Some(m) = min {
                    o["minimum"] = m;
                }
                o
            }),
        prop::sample::select(vec!["base64", "base64url", "7bit", ""]).prop_map(|e| {
            json!({"type": "string", "contentEncoding": e, "contentMediaType": "image/png"})
        }),
        prop::collection::vec(arb_json(), 0..3).prop_map(|e| json!({ "examples": e })),
        Just(json!({"$anchor": "anchor", "type": "integer"})),
        Just(json!({"type": "string", "nullable": true, "exclusiveMinimum": true})),
    ]
}

fn arb_schema31() -> impl Strategy<Value = Value> {
    arb_leaf31().prop_recursive(4, 32, 4, |inner| {
        let map = prop::collection::vec(
            (prop::sample::select(vec!["x", "y", "^x-", "D"]), inner.clone()),
            0..3,
        )
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
        let keyword = prop::sample::select(vec![
            "properties",
            "patternProperties",
            "$defs",
            "dependentSchemas",
        ]);
        prop_oneof![
            (keyword, map.clone(), any::<bool>()).prop_map(|(k, m, closed)| {
                json!({"type": ["object", "null"], k: m, "unevaluatedProperties": !closed,
                       "dependentRequired": {"x": ["y"]}})
            }),
            (prop::collection::vec(inner.clone(), 0..4), proptest::option::of(inner.clone()))
                .prop_map(|(p, items)| json!({"prefixItems": p, "items": items.unwrap_or(Value::Bool(false))})),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(i, t, e)| json!({"if": i, "then": t, "else": e, "not": i})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({"oneOf": v, "$id": "https://example.com/b"})),
            (map, inner).prop_map(|(m, i)| json!({"allOf": [i], "properties": m, "$schema": "x"})),
        ]
    })
}

fn arb_spec31() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["3.1.0", "3.1.1", "3.2.0"]),
        arb_schema31(),
        arb_schema31(),
        arb_schema31(),
        any::<(bool, bool, bool)>(),
    )
        .prop_map(|(version, a, b, body, (paths, hooks, query))| {
            let op = json!({
                "parameters": [
                    {"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": b}}},
                    {"$ref": "#/components/parameters/Q"},
                    {"name": "p", "in": "query", "schema": a}],
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": a},
                    "text/event-stream": {"itemSchema": b}}}}});
            let mut doc = json!({
                "openapi": version, "jsonSchemaDialect": "d",
                "info": {"title": "t", "summary": "s", "version": "1", "license": {"name": "l", "identifier": "MIT"}},
                "tags": [{"name": "a"}, {"name": "b", "parent": "a"}],
                "components": {
                    "schemas": {"A": a, "B": b},
                    "parameters": {"Q": {"name": "r", "in": "querystring", "content": {}}},
                    "pathItems": {"P": {"post": op.clone()}}}});
            if paths {
                let mut item = json!({"get": op.clone(), "additionalOperations": {"LINK": op.clone()}});
                if query {
                    item["query"] = op.clone();
                }
                doc["paths"] = json!({"/a": item, "/b": {"$ref": "#/components/pathItems/P"}});
            }
            if hooks {
                doc["webhooks"] = json!({"w": {"post": op}, "v": {"$ref": "#/components/pathItems/P"}});
            }
            doc
        })
}

#[test]
fn specs_built_from_3_1_keywords_never_panic_the_generator() {
    let tally = Tally::new("grammar31");
    let started = Instant::now();
    let result = runner(DEFAULT_CASES_GRAMMAR31)
        .run(&(arb_spec31(), any::<bool>()), |(spec, as_yaml)| {
            check_generate(&render(&spec, as_yaml), &tally)
        });
    tally.report(started);
    if let Err(e) = result {
        panic!("{e}");
    }
    // Lowering always yields a document the 3.0 model takes: whatever is
    // wrong with one of these is reported where it is, never as a refusal
    // of the whole document.
    let kinds = tally.kinds.lock().map(|k| k.clone()).unwrap_or_default();
    assert!(!kinds.contains("invalid-document"), "{kinds:?}");
    assert!(
        tally.ok.load(Ordering::Relaxed) > 0,
        "no 3.1 document generated"
    );
}
