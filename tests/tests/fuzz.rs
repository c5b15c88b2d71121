//! Property-based fuzzing (proptest, stable Rust) of the two places hostile
//! bytes reach the project:
//!
//! - the generator: `generator::generate` on mutated seed specs, on specs
//!   built from a grammar of schema keywords, and on random JSON and text,
//!   must return (`Ok` or `Err`) without panicking, and on `Ok` every
//!   generated `.rs` file must parse with `syn`;
//! - the generated client's models: arbitrary bytes and mutated responses
//!   decoded into `AigConfigListGatewayResponse` and `validate()`d must not
//!   panic.
//!
//! The seeds are the project spec, the focused specs (`tests/specs/`,
//! hostile ones included) and the regression seeds in `tests/fuzz-seeds/`
//! (inputs that once crashed the generator). CI runs a bounded smoke run
//! (the `DEFAULT_CASES_*` below, about 20 s); a long run:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test -p tests --test fuzz --release -- --nocapture
//! ```
//!
//! A panic is caught with `catch_unwind`, and the failing input is written
//! to `target/fuzz/failure-<n>.json` and named in the failure. A stack
//! overflow aborts the process instead; the input being tried is always in
//! `target/fuzz/last-input-<property>.txt`.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cloudflare_ai_gateway::models::AigConfigListGatewayResponse;
use cloudflare_ai_gateway::Validate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use tests::{focused_spec_path, main_spec_path, parse_yaml, read_text, tests_dir, Settings};

/// Cases per property when `PROPTEST_CASES` is not set: together about
/// 20 s of a debug build (the generator itself is optimised in the dev
/// profile) on one core.
const DEFAULT_CASES_MUTATED: u32 = 4000;
const DEFAULT_CASES_GRAMMAR: u32 = 4000;
const DEFAULT_CASES_RANDOM: u32 = 4000;
const DEFAULT_CASES_MODELS: u32 = 20000;

/// A generation that takes longer than this is a finding too (something
/// super-linear); the seeds take milliseconds.
const SLOW: Duration = Duration::from_secs(10);

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default_cases),
        // Failures are kept as explicit seeds in tests/fuzz-seeds/ instead.
        failure_persistence: None,
        // Shrinking a generator input can take long; a bounded number of
        // steps still gives a much smaller spec.
        max_shrink_iters: 2000,
        ..Config::default()
    })
}

fn fuzz_dir() -> PathBuf {
    let dir = tests::workspace_root().join("target").join("fuzz");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Counts for the summary line each property prints.
struct Tally {
    /// Names `target/fuzz/last-input-<name>.txt` (properties run in
    /// parallel, each has its own).
    name: &'static str,
    runs: AtomicUsize,
    ok: AtomicUsize,
    err: AtomicUsize,
    kinds: Mutex<BTreeSet<&'static str>>,
}

impl Tally {
    fn new(name: &'static str) -> Tally {
        Tally {
            name,
            runs: AtomicUsize::new(0),
            ok: AtomicUsize::new(0),
            err: AtomicUsize::new(0),
            kinds: Mutex::new(BTreeSet::new()),
        }
    }

    fn report(&self, started: Instant) {
        let what = self.name;
        let kinds = self.kinds.lock().unwrap();
        println!(
            "fuzz {what}: {} executions in {:.1?} ({} Ok, {} Err; error kinds seen: {})",
            self.runs.load(Ordering::Relaxed),
            started.elapsed(),
            self.ok.load(Ordering::Relaxed),
            self.err.load(Ordering::Relaxed),
            kinds.iter().copied().collect::<Vec<_>>().join(", ")
        );
    }
}

/// Runs the generator on `spec` the way a user would; fails the case on a
/// panic (saving the input), on a generated file that does not parse, or on
/// a very slow run.
fn check_generate(spec: &str, tally: &Tally) -> Result<(), TestCaseError> {
    let _ = std::fs::write(
        fuzz_dir().join(format!("last-input-{}.txt", tally.name)),
        spec,
    );
    tally.runs.fetch_add(1, Ordering::Relaxed);
    let settings = Settings::default();
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| generator::generate(spec, &settings)));
    let took = started.elapsed();
    let result = match outcome {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let path = save_failure(spec);
            return Err(TestCaseError::fail(format!(
                "generate panicked: {message}\ninput saved to {}",
                path.display()
            )));
        }
    };
    if took > SLOW {
        let path = save_failure(spec);
        return Err(TestCaseError::fail(format!(
            "generate took {took:.1?}; input saved to {}",
            path.display()
        )));
    }
    match result {
        Ok(files) => {
            tally.ok.fetch_add(1, Ordering::Relaxed);
            for (name, text) in &files.files {
                // The runtime is copied verbatim; its own tests cover it.
                if !name.ends_with(".rs") || name.starts_with("src/runtime/") {
                    continue;
                }
                if let Err(e) = syn::parse_file(text) {
                    let path = save_failure(spec);
                    return Err(TestCaseError::fail(format!(
                        "{name} does not parse: {e}\ninput saved to {}",
                        path.display()
                    )));
                }
            }
        }
        Err(diags) => {
            tally.err.fetch_add(1, Ordering::Relaxed);
            let mut kinds = tally.kinds.lock().unwrap();
            for d in diags.iter() {
                kinds.insert(d.kind);
            }
            // An `Err` without an error diagnostic would be a silent failure.
            prop_assert!(
                diags.has_errors(),
                "Err without an error diagnostic: {diags}"
            );
        }
    }
    Ok(())
}

fn save_failure(spec: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = fuzz_dir().join(format!(
        "failure-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::write(&path, spec);
    path
}

// ------------------------------------------------------------------ seeds

/// Every seed spec as a JSON value: the project spec, the focused specs,
/// the hostile specs and the regression seeds.
fn seeds() -> Vec<(String, Value)> {
    let mut out = vec![(
        "spec/openapi.yaml".to_string(),
        parse_yaml(&read_text(&main_spec_path())),
    )];
    for stem in tests::FOCUSED_SPECS {
        out.push((
            format!("tests/specs/{stem}.yaml"),
            parse_yaml(&read_text(&focused_spec_path(stem))),
        ));
    }
    for dir in ["specs/hostile", "fuzz-seeds"] {
        let dir = tests_dir().join(dir);
        let mut files = tests::list_files(&dir).expect("list seeds");
        files.retain(|f| f.ends_with(".yaml") || f.ends_with(".json"));
        for f in files {
            out.push((
                format!("{}/{f}", dir.display()),
                parse_yaml(&read_text(&dir.join(&f))),
            ));
        }
    }
    out
}

#[test]
fn every_seed_generates_without_panicking() {
    let tally = Tally::new("seeds");
    let seeds = seeds();
    assert!(seeds.len() >= 12, "{} seeds", seeds.len());
    for (name, seed) in &seeds {
        let text = serde_json::to_string_pretty(seed).unwrap();
        if let Err(e) = check_generate(&text, &tally) {
            panic!("seed {name}: {e}");
        }
    }
}

// -------------------------------------------------------------- mutations

/// Strings that tend to break things: names, keywords, symbols, escapes,
/// comment markers, control characters, unicode, pointers, regex syntax.
const FRAGMENTS: &[&str] = &[
    "",
    " ",
    "a",
    "A",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "r#type",
    "fn",
    "Option",
    "String",
    "Client",
    "Error",
    "Result",
    "Other",
    "$ref",
    "#/components/schemas/A",
    "#/components/schemas/",
    "#/paths",
    "#",
    "~0",
    "~1",
    "/",
    "{",
    "}",
    "{id}",
    "*/",
    "/*",
    "//!",
    "\"",
    "\\",
    "'",
    "`",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{1b}",
    "\u{202e}",
    "\u{2028}",
    "\u{feff}",
    "fn evil() {}",
    "😀",
    "日本",
    "ü",
    "object",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "null",
    "int32",
    "int64",
    "date-time",
    "date",
    "binary",
    "byte",
    "^[a-z]+$",
    "(",
    "[",
    "\\d{",
    "(?<n>a)\\k<n>",
    "1",
    "-1",
    "0",
    "1e309",
    "NaN",
    "application/json",
    "*/*",
    "text/plain",
    "application/x-www-form-urlencoded",
    "page",
    "per_page",
    "result",
    "result_info",
    "total_pages",
];

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(FRAGMENTS), 1..4).prop_map(|v| v.concat()),
        2 => "[a-zA-Z_][a-zA-Z0-9_ -]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(24).collect()),
        1 => (1usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

fn arb_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(vec![0.5, -0.0, 1e300, -1e300, 9.007_199_254_740_993e15])
            .prop_map(Value::from),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        arb_number(),
        arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((arb_string(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Which node a mutation touches: taken modulo the number of nodes.
type Index = usize;

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node (an object entry or an array element).
    Delete(Index),
    /// Copy node `a` into container `b` (a new key, or appended).
    Duplicate(Index, Index, String),
    /// Replace the node with a random value.
    Replace(Index, Value),
    /// Rename the key under which the node sits.
    Rename(Index, String),
    /// Replace the node with a random string.
    SetString(Index, String),
    /// Give the object node a `type` (maybe a wrong one).
    SetType(Index, String),
    /// Make the object node a `$ref` to the location of node `b`.
    PointRef(Index, Index),
    /// Swap two nodes.
    Swap(Index, Index),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    let ty = prop::sample::select(vec![
        "string", "integer", "number", "boolean", "object", "array", "null", "file", "",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Delete),
        2 => (any::<Index>(), any::<Index>(), arb_string())
            .prop_map(|(a, b, k)| Mutation::Duplicate(a, b, k)),
        3 => (any::<Index>(), arb_json()).prop_map(|(a, v)| Mutation::Replace(a, v)),
        2 => (any::<Index>(), arb_string()).prop_map(|(a, k)| Mutation::Rename(a, k)),
        2 => (any::<Index>(), arb_string()).prop_map(|(a, s)| Mutation::SetString(a, s)),
        2 => (any::<Index>(), ty).prop_map(|(a, t)| Mutation::SetType(a, t)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::PointRef(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

/// Every node's location, as JSON-pointer segments (the root is empty).
fn locations(value: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(value, Vec::new())];
    while let Some((v, at)) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let mut p = at.clone();
                    p.push(k.clone());
                    stack.push((child, p));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut p = at.clone();
                    p.push(i.to_string());
                    stack.push((child, p));
                }
            }
            _ => {}
        }
        out.push(at);
    }
    out.sort();
    out
}

fn pointer_text(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn node_mut<'v>(root: &'v mut Value, at: &[String]) -> Option<&'v mut Value> {
    root.pointer_mut(&pointer_text(at))
}

fn pick<'a>(all: &'a [Vec<String>], i: &Index) -> &'a [String] {
    &all[i % all.len()]
}

fn apply(root: &mut Value, m: &Mutation) {
    let all = locations(root);
    match m {
        Mutation::Delete(i) => {
            let at = pick(&all, i);
            if let Some((last, parent)) = at.split_last() {
                match node_mut(root, parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(n) = last.parse::<usize>() {
                            if n < items.len() {
                                items.remove(n);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Duplicate(a, b, key) => {
            let Some(copy) = root.pointer(&pointer_text(pick(&all, a))).cloned() else {
                return;
            };
            match node_mut(root, pick(&all, b)) {
                Some(Value::Object(map)) => {
                    map.insert(key.clone(), copy);
                }
                Some(Value::Array(items)) => items.push(copy),
                _ => {}
            }
        }
        Mutation::Replace(i, v) => {
            if let Some(node) = node_mut(root, pick(&all, i)) {
                *node = v.clone();
            }
        }
        Mutation::Rename(i, key) => {
            let at = pick(&all, i);
            if let Some((last, parent)) = at.split_last() {
                if let Some(Value::Object(map)) = node_mut(root, parent) {
                    if let Some(v) = map.shift_remove(last) {
                        map.insert(key.clone(), v);
                    }
                }
            }
        }
        Mutation::SetString(i, s) => {
            if let Some(node) = node_mut(root, pick(&all, i)) {
                *node = Value::String(s.clone());
            }
        }
        Mutation::SetType(i, t) => {
            if let Some(Value::Object(map)) = node_mut(root, pick(&all, i)) {
                map.insert("type".into(), Value::String(t.clone()));
            }
        }
        Mutation::PointRef(a, b) => {
            let target = format!("#{}", pointer_text(pick(&all, b)));
            if let Some(node) = node_mut(root, pick(&all, a)) {
                *node = json!({ "$ref": target });
            }
        }
        Mutation::Swap(a, b) => {
            let (pa, pb) = (pick(&all, a).to_vec(), pick(&all, b).to_vec());
            // A node cannot swap with its own ancestor or descendant.
            if pa.starts_with(&pb) || pb.starts_with(&pa) {
                return;
            }
            let (Some(va), Some(vb)) = (
                root.pointer(&pointer_text(&pa)).cloned(),
                root.pointer(&pointer_text(&pb)).cloned(),
            ) else {
                return;
            };
            if let Some(n) = node_mut(root, &pa) {
                *n = vb;
            }
            if let Some(n) = node_mut(root, &pb) {
                *n = va;
            }
        }
    }
}

/// The spec as JSON text, or as YAML text (both loaders get fuzzed).
fn render(value: &Value, as_yaml: bool) -> String {
    if as_yaml {
        serde_yaml::to_string(value).unwrap_or_else(|_| value.to_string())
    } else {
        serde_json::to_string_pretty(value).unwrap()
    }
}

#[test]
fn mutated_seed_specs_never_panic_the_generator() {
    let seeds = seeds();
    let n = seeds.len();
    let tally = Tally::new("mutated");
    let started = Instant::now();
    let strategy = (
        0..n,
        prop::collection::vec(arb_mutation(), 1..8),
        any::<bool>(),
    );
    let result = runner(DEFAULT_CASES_MUTATED).run(&strategy, |(seed, mutations, as_yaml)| {
        let mut spec = seeds[seed].1.clone();
        for m in &mutations {
            apply(&mut spec, m);
        }
        check_generate(&render(&spec, as_yaml), &tally)
    });
    tally.report(started);
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------- grammar

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

// --------------------------------------------------- the generated models

fn decode_and_validate(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let outcome = catch_unwind(|| {
        serde_json::from_slice::<AigConfigListGatewayResponse>(bytes).map(|r| {
            // Every rendering of a decoded value must work too.
            let _ = format!("{r:?}");
            let _ = serde_json::to_vec(&r);
            r.validate().err().map(|e| e.to_string())
        })
    });
    match outcome {
        Ok(decoded) => Ok(decoded.is_ok()),
        Err(_) => {
            let path = save_failure(&String::from_utf8_lossy(bytes));
            Err(TestCaseError::fail(format!(
                "decoding or validating panicked; body saved to {}",
                path.display()
            )))
        }
    }
}

#[test]
fn any_server_body_decodes_or_fails_without_panicking() {
    let example = tests::seed_example();
    let decoded = AtomicUsize::new(0);
    let started = Instant::now();
    let body = prop_oneof![
        // Mutations of the spec's own example: mostly well-formed envelopes
        // with wrong types, missing fields, odd values and unknown enums.
        prop::collection::vec(arb_mutation(), 0..6).prop_map(move |ms| {
            let mut v = example.clone();
            for m in &ms {
                apply(&mut v, m);
            }
            serde_json::to_vec(&v).unwrap()
        }),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::collection::vec(any::<u8>(), 0..300),
    ];
    let runs = AtomicUsize::new(0);
    let result = runner(DEFAULT_CASES_MODELS).run(&body, |bytes| {
        runs.fetch_add(1, Ordering::Relaxed);
        if decode_and_validate(&bytes)? {
            decoded.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    println!(
        "fuzz models: {} bodies in {:.1?}, {} decoded (and validated)",
        runs.load(Ordering::Relaxed),
        started.elapsed(),
        decoded.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    // The mutations keep many bodies decodable, so validate() really ran.
    assert!(decoded.load(Ordering::Relaxed) > 0);
}

#[test]
fn the_mutation_engine_changes_specs() {
    // A fuzzer whose mutations do nothing would pass forever.
    let mut v = json!({"a": {"b": [1, 2, {"c": "d"}]}, "e": "f"});
    let all = locations(&v);
    assert_eq!(all.len(), 8, "{all:?}");
    let before = v.clone();
    apply(&mut v, &Mutation::PointRef(7, 3));
    assert_ne!(v, before);
    let mut w = before.clone();
    apply(&mut w, &Mutation::Delete(4));
    assert_ne!(w, before);
}
