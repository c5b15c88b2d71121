//! The compile property: specs built from names the generated code uses
//! for itself (Rust keywords, its own locals, prelude and runtime names)
//! and doc text that reads like Rust paths generate crates that pass
//! `cargo clippy -D warnings`. All of a run's crates are built in one
//! scratch workspace (`target/snapshot-check/fuzz-compile/`, sharing the
//! compile test's target directory, so dependencies are built once).
//!
//! CI builds [`DEFAULT_SPECS`] specs from a fixed seed; a long run:
//!
//! ```sh
//! FUZZ_COMPILE_SPECS=64 FUZZ_COMPILE_SEED=7 cargo test -p tests --test fuzz compile -- --nocapture
//! ```

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Specs per run when `FUZZ_COMPILE_SPECS` is not set.
const DEFAULT_SPECS: usize = 8;
/// The seed when `FUZZ_COMPILE_SEED` is not set (CI is deterministic).
const DEFAULT_SEED: u64 = 15;

/// Names for parameters, properties and operations.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "async",
    "await",
    "match",
    "loop",
    "move",
    "ref",
    "dyn",
    "gen",
    "try",
    "union",
    "_",
    "client",
    "params",
    "request",
    "path",
    "out",
    "root",
    "keep_page",
    "page_number",
    "start",
    "spec",
    "value",
    "body",
    "joined",
    "index",
    "key",
    "item",
    "errors",
    "at",
    "info",
    "v",
    "f",
    "w",
    "weak",
    "Option",
    "Result",
    "Some",
    "None",
    "Vec",
    "String",
    "Box",
    "Ok",
    "Err",
    "Default",
    "serde",
    "std",
    "core",
    "crate",
    "models",
    "runtime",
    "validation",
    "clone",
    "default",
    "into",
    "add",
    "next",
    "u64",
    "str",
    "validate_at",
    "additional_properties",
    "1st",
    "a b",
    "x-y",
];

/// Names for types.
const TYPES: &[&str] = &[
    "Client",
    "Error",
    "Request",
    "Validate",
    "Pager",
    "Page",
    "PageInfo",
    "V4Page",
    "Body",
    "Method",
    "Response",
    "Path",
    "Violation",
    "Value",
    "Credentials",
    "D",
    "S",
    "Option",
    "Result",
    "Self",
    "String",
    "Default",
    "serde",
    "std",
    "crate",
    "Models",
    "Thing",
];

/// Doc text that looks like Rust paths and code.
const DOCS: &[&str] = &[
    "See validation :: rules.",
    "Like crate::models::Thing and models :: Other.",
    "Calls validate_at and `std::mem::take`.",
    "*/ #[doc] use super::*; fn main() {}",
    "```\nlet x = crate::runtime::Client::new();\n```",
    "serde :: Deserialize, Validate, Path<'_>",
];

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same specs everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    /// Up to `n` distinct names.
    fn names(&mut self, from: &[&'static str], n: usize) -> Vec<&'static str> {
        let mut out = BTreeSet::new();
        for _ in 0..n {
            out.insert(self.pick(from));
        }
        out.into_iter().collect()
    }
}

fn value_schema(rng: &mut Rng, types: &[&str]) -> Value {
    let mut s = match rng.below(6) {
        0 => json!({"type": "string", "minLength": 1, "maxLength": 40}),
        1 => json!({"type": "integer", "minimum": 0, "maximum": 100}),
        2 => json!({"type": "string", "enum": rng.names(NAMES, 3)}),
        3 => {
            json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{}", rng.pick(types))}})
        }
        4 => json!({"$ref": format!("#/components/schemas/{}", rng.pick(types))}),
        _ => json!({"type": "boolean"}),
    };
    if rng.chance(3) && s.get("$ref").is_none() {
        s["nullable"] = json!(true);
    }
    if rng.chance(2) && s.get("$ref").is_none() {
        s["description"] = json!(rng.pick(DOCS));
    }
    s
}

fn component(rng: &mut Rng, types: &[&str]) -> Value {
    let mut props = Map::new();
    let names = rng.names(NAMES, 5);
    for name in &names {
        props.insert(name.to_string(), value_schema(rng, types));
    }
    let required: Vec<&str> = names.iter().copied().filter(|_| rng.chance(2)).collect();
    json!({"type": "object", "description": rng.pick(DOCS), "properties": props, "required": required})
}

fn param(rng: &mut Rng, name: &str, location: &str, required: bool) -> Value {
    let schema = match rng.below(3) {
        0 => json!({"type": "string", "minLength": 1, "maxLength": 9}),
        1 => json!({"type": "integer", "minimum": 1}),
        _ => json!({"type": "array", "items": {"type": "string", "minLength": 1}}),
    };
    let schema = if location == "path" {
        json!({"type": "string", "minLength": 1})
    } else {
        schema
    };
    json!({"name": name, "in": location, "required": required, "description": rng.pick(DOCS), "schema": schema})
}

fn operation(rng: &mut Rng, n: usize, id: &str, types: &[&str]) -> (String, Value) {
    let path_names = rng.names(NAMES, 2);
    let mut path = format!("/op{n}");
    let mut params: Vec<Value> = Vec::new();
    for name in &path_names {
        path.push_str(&format!("/{{{name}}}"));
        params.push(param(rng, name, "path", true));
    }
    for name in rng.names(NAMES, 4) {
        let required = rng.chance(2);
        params.push(param(rng, name, "query", required));
    }
    for name in rng.names(NAMES, 1) {
        let required = rng.chance(2);
        params.push(param(rng, name, "header", required));
    }
    let item = json!({"$ref": format!("#/components/schemas/{}", rng.pick(types))});
    let schema = if rng.chance(2) {
        params.push(json!({"name": "page", "in": "query", "schema": {"type": "integer"}}));
        params.push(json!({"name": "per_page", "in": "query", "schema": {"type": "integer"}}));
        json!({"type": "object", "required": ["result"], "properties": {
            "result": {"type": "array", "items": item},
            "result_info": {"type": "object", "properties": {"page": {"type": "integer"}, "total_pages": {"type": "integer"}}}}})
    } else {
        item
    };
    let mut op = json!({
        "operationId": id, "description": rng.pick(DOCS), "parameters": params,
        "responses": {"200": {"description": rng.pick(DOCS), "content": {"application/json": {"schema": schema}}}}});
    let method = if rng.chance(2) {
        op["requestBody"] = json!({"required": rng.chance(2), "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{}", rng.pick(types))}}}});
        "post"
    } else {
        "get"
    };
    (path, json!({ method: op }))
}

/// One spec of the property, from `rng`.
fn spec(rng: &mut Rng) -> Value {
    let types = rng.names(TYPES, 3);
    let mut schemas = Map::new();
    for t in &types {
        schemas.insert(t.to_string(), component(rng, &types));
    }
    let mut paths = Map::new();
    // Distinct ids: a duplicate is an error of the spec.
    let ids = rng.names(NAMES, 2);
    for (n, id) in ids.iter().enumerate() {
        let (path, item) = operation(rng, n, id, &types);
        paths.insert(path, item);
    }
    json!({"openapi": "3.0.3", "info": {"title": "Fuzz", "version": "1", "description": rng.pick(DOCS)},
        "servers": [{"url": "https://fuzz.example.com"}], "paths": paths, "components": {"schemas": schemas}})
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_crates_of_hostile_names_pass_clippy() {
    let count = env_number("FUZZ_COMPILE_SPECS", DEFAULT_SPECS as u64) as usize;
    let seed = env_number("FUZZ_COMPILE_SEED", DEFAULT_SEED);
    let started = std::time::Instant::now();
    let mut rng = Rng(seed);
    let mut files = BTreeMap::new();
    let mut members = Vec::new();
    for i in 0..count {
        let spec = serde_json::to_string_pretty(&spec(&mut rng)).unwrap();
        let dir = format!("fuzz-{i}-api");
        let settings = tests::Settings {
            package_name: dir.clone(),
            ..Default::default()
        };
        let generated = match generator::generate(&spec, &settings) {
            Ok(g) => g,
            Err(diags) => panic!("spec {i} (seed {seed}) does not generate: {diags}\n{spec}"),
        };
        files.insert(format!("{dir}/spec.json"), spec);
        for (path, text) in generated.files {
            files.insert(format!("{dir}/{path}"), text);
        }
        members.push(format!("    {dir:?},\n"));
    }
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# Written by tests/tests/fuzz/compile.rs.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}]\n",
            members.concat()
        ),
    );
    files.insert(
        "Cargo.lock".to_string(),
        tests::read_text(&tests::workspace_root().join("Cargo.lock")),
    );
    let ws = tests::scratch_dir().join("fuzz-compile");
    tests::sync_tree(&ws, &files).expect("write the fuzz workspace");
    let (ok, output) = tests::cargo_in(
        &ws,
        &[
            "clippy",
            "--workspace",
            "--offline",
            "--keep-going",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ],
    );
    println!(
        "fuzz compile: {count} crates (seed {seed}) checked in {:.1?}",
        started.elapsed()
    );
    assert!(
        ok,
        "clippy failed on fuzzed crates in {} (each crate's spec.json is its input):\n{output}",
        ws.display()
    );
}
