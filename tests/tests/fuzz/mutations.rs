//! Seed specs with random mutations: values replaced, nodes removed or
//! duplicated, fragments of hostile text inserted.

use super::*;

/// Strings that tend to break things: names, keywords, symbols, escapes,
/// comment markers, control characters, unicode, pointers, regex syntax.
pub(crate) const FRAGMENTS: &[&str] = &[
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

pub(crate) fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(FRAGMENTS), 1..4).prop_map(|v| v.concat()),
        2 => "[a-zA-Z_][a-zA-Z0-9_ -]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(24).collect()),
        1 => (1usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

pub(crate) fn arb_number() -> impl Strategy<Value = Value> {
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

pub(crate) fn arb_json() -> impl Strategy<Value = Value> {
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
pub(crate) enum Mutation {
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

pub(crate) fn arb_mutation() -> impl Strategy<Value = Mutation> {
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
pub(crate) fn locations(value: &Value) -> Vec<Vec<String>> {
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

pub(crate) fn apply(root: &mut Value, m: &Mutation) {
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
pub(crate) fn render(value: &Value, as_yaml: bool) -> String {
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
