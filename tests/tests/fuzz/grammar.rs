//! Specs built from a grammar of schema keywords, and random JSON and text.

use super::*;

/// Names specs built from the grammar use, so that `$ref`s often resolve.
const NAMES: &[&str] = &["A", "B", "C", "Self", "Client", "a b", "type", "", "日本"];

fn arb_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(NAMES).prop_map(|n| format!("#/components/schemas/{n}")),
        1 => (prop::sample::select(NAMES), prop::sample::select(vec![
            "/properties/x", "/items", "/allOf/0", "/oneOf/1", "/additionalProperties",
            "/properties/x/items", "/properties/x/properties/x", "",
        ]))
            .prop_map(|(n, rest)| format!("#/components/schemas/{n}{rest}")),
        1 => prop::sample::select(vec![
            "#/components/parameters/P", "#/components/responses/R", "#/paths/~1a/get",
            "other.yaml#/A", "#", "#/", "", "#/components/schemas/A/",
        ]).prop_map(str::to_string),
    ]
}

/// A schema from OpenAPI's keywords, with values of (mostly) the right kind.
fn arb_schema() -> impl Strategy<Value = Value> {
    let ty = prop::sample::select(vec![
        "string", "integer", "number", "boolean", "object", "array", "null",
    ]);
    let format = prop::sample::select(vec![
        "int32",
        "int64",
        "date-time",
        "date",
        "binary",
        "byte",
        "uuid",
        "float",
    ]);
    let leaf = prop_oneof![
        arb_ref().prop_map(|r| json!({ "$ref": r })),
        (ty.clone(), proptest::option::of(format.clone())).prop_map(|(t, f)| match f {
            Some(f) => json!({"type": t, "format": f}),
            None => json!({ "type": t }),
        }),
        prop::collection::vec(
            prop_oneof![
                arb_string().prop_map(Value::String),
                arb_number(),
                Just(Value::Null)
            ],
            0..5
        )
        .prop_map(|e| json!({ "enum": e })),
        (arb_number(), arb_number(), any::<bool>()).prop_map(|(lo, hi, ex)| {
            json!({"type": "integer", "minimum": lo, "maximum": hi, "exclusiveMinimum": ex})
        }),
        (arb_string(), 0u64..5, 0u64..5).prop_map(|(p, lo, hi)| {
            json!({"type": "string", "pattern": p, "minLength": lo, "maxLength": hi})
        }),
        Just(json!({})),
        Just(json!({"nullable": true})),
    ];
    leaf.prop_recursive(5, 40, 4, move |inner| {
        let props = prop::collection::vec(
            (prop_oneof![prop::sample::select(vec!["x", "y", "type", "self"]).prop_map(str::to_string), arb_string()], inner.clone()),
            0..4,
        )
        .prop_map(|kv| Value::Object(kv.into_iter().collect()));
        prop_oneof![
            (props.clone(), prop::collection::vec(arb_string(), 0..3), proptest::option::of(inner.clone()), any::<bool>())
                .prop_map(|(p, req, add, nullable)| {
                    let mut o = json!({"type": "object", "properties": p, "required": req, "nullable": nullable});
                    if let Some(a) = add {
                        o["additionalProperties"] = a;
                    }
                    o
                }),
            (inner.clone(), proptest::option::of(0u64..3)).prop_map(|(i, min)| match min {
                Some(m) => json!({"type": "array", "items": i, "minItems": m, "uniqueItems": true}),
                None => json!({"items": i}),
            }),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({ "allOf": v })),
            (prop::collection::vec(inner.clone(), 0..4), proptest::option::of((arb_string(), prop::collection::vec((arb_string(), arb_ref()), 0..3))))
                .prop_map(|(v, d)| {
                    let mut o = json!({ "oneOf": v });
                    if let Some((prop, mapping)) = d {
                        let mapping: Map<String, Value> =
                            mapping.into_iter().map(|(k, r)| (k, Value::String(r))).collect();
                        o["discriminator"] = json!({"propertyName": prop, "mapping": mapping});
                    }
                    o
                }),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "anyOf": v })),
            inner.clone().prop_map(|i| json!({ "not": i })),
            (props, prop::collection::vec(inner, 1..3)).prop_map(|(p, v)| {
                json!({"properties": p, "allOf": v})
            }),
        ]
    })
}

fn arb_parameter() -> impl Strategy<Value = Value> {
    (
        prop_oneof![prop::sample::select(vec!["page", "per_page", "id", "type", "self"]).prop_map(str::to_string), arb_string()],
        prop::sample::select(vec!["query", "path", "header", "cookie", "body"]),
        any::<bool>(),
        arb_schema(),
    )
        .prop_map(|(name, place, required, schema)| {
            json!({"name": name, "in": place, "required": required, "schema": schema})
        })
}

fn arb_operation() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(prop_oneof![
            prop::sample::select(vec!["op", "list", "send", "headers", "new"])
                .prop_map(str::to_string),
            arb_string()
        ]),
        prop::collection::vec(arb_parameter(), 0..4),
        proptest::option::of((
            prop::sample::select(vec![
                "application/json",
                "application/x-www-form-urlencoded",
                "application/octet-stream",
                "text/plain; charset=utf-8",
                "*/*",
            ]),
            arb_schema(),
        )),
        prop::sample::select(vec!["200", "201", "204", "2XX", "default", "404"]),
        proptest::option::of(arb_schema()),
    )
        .prop_map(|(id, params, body, code, response)| {
            let mut op = json!({"parameters": params, "responses": {}});
            if let Some(id) = id {
                op["operationId"] = Value::String(id);
            }
            if let Some((ct, schema)) = body {
                op["requestBody"] = json!({"content": {ct: {"schema": schema}}});
            }
            op["responses"][code] = match response {
                Some(schema) => {
                    json!({"description": "r", "content": {"application/json": {"schema": schema}}})
                }
                None => json!({"description": "r"}),
            };
            op
        })
}

fn arb_spec() -> impl Strategy<Value = Value> {
    let path = prop_oneof![
        prop::sample::select(vec![
            "/a",
            "/a/{id}",
            "/{type}/{self}",
            "/a/{id",
            "/",
            "/a/{}"
        ])
        .prop_map(str::to_string),
        arb_string().prop_map(|s| format!("/{s}")),
    ];
    let method = prop::sample::select(vec![
        "get", "post", "put", "delete", "patch", "head", "options", "trace",
    ]);
    (
        prop::collection::vec((prop::sample::select(NAMES), arb_schema()), 0..6),
        prop::collection::vec((path, method, arb_operation()), 0..4),
        arb_string(),
    )
        .prop_map(|(schemas, ops, title)| {
            let schemas: Map<String, Value> = schemas
                .into_iter()
                .map(|(n, s)| (n.to_string(), s))
                .collect();
            let mut paths = Map::new();
            for (path, method, op) in ops {
                let item = paths.entry(path).or_insert_with(|| json!({}));
                item[method] = op;
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": title, "version": "1"},
                "servers": [{"url": "https://api.example.com/v4"}],
                "paths": paths,
                "components": {"schemas": schemas},
            })
        })
}

#[test]
fn specs_built_from_schema_keywords_never_panic_the_generator() {
    let tally = Tally::new("grammar");
    let started = Instant::now();
    let result = runner(DEFAULT_CASES_GRAMMAR)
        .run(&(arb_spec(), any::<bool>()), |(spec, as_yaml)| {
            check_generate(&render(&spec, as_yaml), &tally)
        });
    tally.report(started);
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn random_json_and_text_never_panic_the_generator() {
    let tally = Tally::new("random");
    let started = Instant::now();
    let input = prop_oneof![
        // A random document, sometimes with a valid header so it gets past
        // the version check.
        (arb_json(), any::<bool>()).prop_map(|(mut v, header)| {
            if header {
                if let Value::Object(map) = &mut v {
                    map.insert("openapi".into(), json!("3.0.0"));
                    map.entry("info")
                        .or_insert(json!({"title": "t", "version": "1"}));
                    map.entry("paths").or_insert(json!({}));
                }
            }
            v.to_string()
        }),
        any::<String>(),
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..20).prop_map(|v| v.concat()),
        prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| format!("openapi: 3.0.3\n{}", String::from_utf8_lossy(&b))),
    ];
    let result = runner(DEFAULT_CASES_RANDOM).run(&input, |text| check_generate(&text, &tally));
    tally.report(started);
    if let Err(e) = result {
        panic!("{e}");
    }
}
