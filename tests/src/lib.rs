//! Helpers shared by the integration tests in `tests/tests/`.
//!
//! The tests exercise the generator end to end:
//!
//! - `snapshots`: the focused specs in `tests/specs/` and `spec/openapi.yaml`
//!   are generated and their models, client and diagnostics snapshotted;
//! - `compile`: every focused spec's crate passes `cargo clippy -D warnings`
//!   in a scratch workspace under `target/snapshot-check/`;
//! - `behaviour`: the tests in `tests/behaviour/` run against those crates
//!   in the same scratch workspace (decoding, validation, what goes on the
//!   wire);
//! - `freshness`: `generated/` is what `cargo xtask generate` makes today,
//!   and output depends only on the spec's content;
//! - `seed`, `gateway_bounds`: the checked-in crate decodes the seed example
//!   and reports every constraint violation of `Gateway` exactly.

pub mod growing;
mod large31;
pub use large31::{large_31_document, KINDS as LARGE_31_KINDS};

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

pub use generator::{Diagnostics, GeneratedFiles, Settings};
use serde_json::Value;

/// The focused specs at the top of `tests/specs/`, by file stem; each has
/// a snapshot test of its own in `tests/tests/snapshots.rs`.
pub const FOCUSED_SPECS: &[&str] = &[
    "keywords",
    "collisions",
    "enums",
    "nullable",
    "unions",
    "refs",
    "recursive",
    "validation",
    "auth",
];

/// Folders of `tests/specs/` that are not focused specs: `hostile/` has its
/// own tests (tests/tests/hostile/), `diff/` holds pairs of specs.
pub const NOT_FOCUSED_FOLDERS: &[&str] = &["hostile", "diff"];

/// Every focused spec: the top-level ones ([`FOCUSED_SPECS`]) and every
/// `.yaml` or `.json` file in the other folders of `tests/specs/` (one level
/// deep, e.g. `quirks/numbers`), by name without extension, sorted. Each is
/// snapshotted, compiled under clippy and fuzzed as a seed.
pub fn focused_specs() -> Vec<String> {
    let root = tests_dir().join("specs");
    let mut out: Vec<String> = FOCUSED_SPECS.iter().map(|s| s.to_string()).collect();
    let mut nested = Vec::new();
    for file in list_files(&root).expect("list tests/specs") {
        let Some((folder, rest)) = file.split_once('/') else {
            continue;
        };
        if NOT_FOCUSED_FOLDERS.contains(&folder) || rest.contains('/') {
            continue;
        }
        if let Some(stem) = file
            .strip_suffix(".yaml")
            .or_else(|| file.strip_suffix(".json"))
        {
            nested.push(stem.to_string());
        }
    }
    nested.sort();
    out.extend(nested);
    out
}

/// The crate stem of a focused spec: its name with `/` as `-`
/// (`quirks/numbers` → `quirks-numbers`, package `quirks-numbers-api`).
pub fn crate_stem(name: &str) -> String {
    name.replace('/', "-")
}

/// The JSON pointer of the seed example in `spec/openapi.yaml`.
pub const SEED_EXAMPLE_POINTER: &str = "/paths/~1accounts~1{account_id}~1ai-gateway~1gateways/get/responses/200/content/application~1json/example";

/// This package's directory (`<workspace>/tests`).
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root: the parent of `tests/`.
pub fn workspace_root() -> PathBuf {
    let manifest = tests_dir();
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `tests/specs/<name>.yaml` (or `.json` when only that exists).
pub fn focused_spec_path(name: &str) -> PathBuf {
    let specs = tests_dir().join("specs");
    let yaml = specs.join(format!("{name}.yaml"));
    let json = specs.join(format!("{name}.json"));
    if !yaml.exists() && json.exists() {
        json
    } else {
        yaml
    }
}

/// The text of `../shared/specs/<name>` (a whole Cloudflare spec), or
/// `None`, saying so, when `../shared` is not beside the checkout.
pub fn shared_spec(name: &str) -> Option<String> {
    let path = workspace_root()
        .join("..")
        .join("shared")
        .join("specs")
        .join(name);
    if !path.exists() {
        eprintln!(
            "skipped: {} is absent (the corpus lives in ../shared)",
            path.display()
        );
        return None;
    }
    Some(read_text(&path))
}

/// `<workspace>/spec/openapi.yaml`.
pub fn main_spec_path() -> PathBuf {
    workspace_root().join("spec").join("openapi.yaml")
}

/// Reads a text file, panicking with its path on failure.
pub fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `\r\n` → `\n`, so a checkout with Windows line endings compares equal.
pub fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Settings for snapshots: stable headers that name the test command.
pub fn snapshot_settings(stem: &str, file_name: &str) -> Settings {
    Settings {
        package_name: format!("{stem}-api"),
        spec_name: file_name.to_string(),
        command: "cargo xtask test".to_string(),
        ..Default::default()
    }
}

/// Exactly what `cargo xtask generate` (no arguments) passes to the generator
/// (see `xtask/src/generate.rs`).
pub fn xtask_settings() -> Settings {
    Settings {
        package_name: "cloudflare-ai-gateway".to_string(),
        spec_name: "spec/openapi.yaml".to_string(),
        command: "cargo xtask generate".to_string(),
        tags: Vec::new(),
        operations: Vec::new(),
        ..Settings::default()
    }
}

/// Generates, panicking with every diagnostic if generation fails.
pub fn generate_ok(spec: &str, settings: &Settings, label: &str) -> GeneratedFiles {
    match generator::generate(spec, settings) {
        Ok(files) => files,
        Err(diags) => panic!(
            "{label} could not be generated:\n{}",
            diagnostics_text(&diags)
        ),
    }
}

/// Generates the crate of `tests/specs/<stem>.yaml` with [`snapshot_settings`].
pub fn generate_focused(name: &str) -> GeneratedFiles {
    let path = focused_spec_path(name);
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let spec = read_text(&path);
    generate_ok(&spec, &snapshot_settings(&crate_stem(name), &file), &file)
}

/// Every diagnostic on its own line, sorted; `(none)` when there are none.
pub fn diagnostics_text(diags: &Diagnostics) -> String {
    let mut lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    lines.sort();
    if lines.is_empty() {
        "(none)\n".to_string()
    } else {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// The files a snapshot shows: the models and the client, whether each is
/// one file (`src/models.rs`) or split into a module directory
/// (`src/models/mod.rs`, `src/models/<group>.rs`).
pub fn snapshot_files(generated: &GeneratedFiles) -> Vec<&str> {
    let mut out = Vec::new();
    for stem in ["src/models", "src/client"] {
        let single = format!("{stem}.rs");
        let dir = format!("{stem}/");
        out.extend(
            generated
                .files
                .keys()
                .map(String::as_str)
                .filter(|k| *k == single || k.starts_with(&dir)),
        );
    }
    // The one runtime file generated from the spec.
    out.extend(
        generated
            .files
            .get_key_value("src/runtime/auth.rs")
            .map(|(k, _)| k.as_str()),
    );
    out
}

/// What a snapshot holds: the sorted diagnostics, then the models and the
/// client (see [`snapshot_files`]), each file behind a marker line.
pub fn snapshot_text(generated: &GeneratedFiles) -> String {
    let mut out = String::from("===== diagnostics =====\n");
    out.push_str(&diagnostics_text(&generated.diagnostics));
    let files = snapshot_files(generated);
    for want in ["src/models", "src/client"] {
        if !files.iter().any(|f| f.starts_with(want)) {
            out.push_str(&format!("\n===== {want}.rs =====\n(missing)\n"));
        }
    }
    for file in files {
        out.push_str(&format!("\n===== {file} =====\n"));
        out.push_str(&normalise_newlines(&generated.files[file]));
    }
    out
}

/// Parses YAML (or JSON) into a JSON value, keeping key order.
pub fn parse_yaml(text: &str) -> Value {
    generator::parse_yaml(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The example response of the seed operation in `spec/openapi.yaml`.
pub fn seed_example() -> Value {
    let spec = parse_yaml(&read_text(&main_spec_path()));
    spec.pointer(SEED_EXAMPLE_POINTER)
        .cloned()
        .unwrap_or_else(|| panic!("spec/openapi.yaml has no example at {SEED_EXAMPLE_POINTER}"))
}

fn reverse_object(value: &mut Value) {
    if let Value::Object(map) = value {
        let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().rev().collect();
        map.extend(entries);
    }
}

/// The same spec with the order of every map whose order carries no meaning
/// reversed: top-level keys, `paths`, the methods of each path item, and
/// every `components` section (schemas, parameters, …). Property order is
/// kept: it is the field order of the generated structs.
pub fn reorder_spec(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(paths) = spec.get_mut("paths") {
        if let Value::Object(items) = paths {
            for item in items.values_mut() {
                reverse_object(item);
            }
        }
        reverse_object(paths);
    }
    if let Some(components) = spec.get_mut("components") {
        if let Value::Object(sections) = components {
            for section in sections.values_mut() {
                reverse_object(section);
            }
        }
        reverse_object(components);
    }
    reverse_object(&mut spec);
    spec
}

/// The keys of the object at `pointer`, in order (empty if there is none).
pub fn keys_at(value: &Value, pointer: &str) -> Vec<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Differences between two generated file sets, for assertion messages:
/// files only in one, and the first differing line of files in both.
pub fn describe_differences(
    left_label: &str,
    left: &BTreeMap<String, String>,
    right_label: &str,
    right: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, l) in left {
        match right.get(path) {
            None => out.push(format!("{path}: only in {left_label}")),
            Some(r) => {
                let (l, r) = (normalise_newlines(l), normalise_newlines(r));
                if l != r {
                    out.push(format!(
                        "{path}: differs; {}",
                        first_difference(&l, left_label, &r, right_label)
                    ));
                }
            }
        }
    }
    for path in right.keys() {
        if !left.contains_key(path) {
            out.push(format!("{path}: only in {right_label}"));
        }
    }
    out
}

/// Where two texts first differ, as `line N: left "…" / right "…"`.
pub fn first_difference(left: &str, left_label: &str, right: &str, right_label: &str) -> String {
    let mut l = left.lines();
    let mut r = right.lines();
    let mut n = 1;
    loop {
        match (l.next(), r.next()) {
            (None, None) => return "only in line endings or trailing newlines".to_string(),
            (a, b) if a != b => {
                return format!(
                    "first at line {n}: {left_label} {:?} / {right_label} {:?}",
                    a.unwrap_or("<end of file>"),
                    b.unwrap_or("<end of file>")
                )
            }
            _ => n += 1,
        }
    }
}

/// Writes `files` under `dir`, touching only files whose content changed
/// (so cargo's fingerprints survive), and deletes files under `dir` that are
/// not in `files`.
pub fn sync_tree(dir: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
    }
    for rel in list_files(dir)? {
        if !files.contains_key(&rel) {
            fs::remove_file(dir.join(&rel))?;
        }
    }
    Ok(())
}

/// Every file under `dir` as a `/`-separated relative path, sorted; `target`
/// directories are skipped. A missing `dir` has no files.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((at, prefix)) = stack.pop() {
        let entries = match fs::read_dir(&at) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && at == dir => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                if name != "target" {
                    stack.push((entry.path(), rel));
                }
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Focused crates the behaviour tests (`tests/behaviour/`) depend on: all
/// but `keywords`, which does not compile yet (see the compile check).
pub const BEHAVIOUR_DEPENDENCIES: &[&str] = &[
    "collisions",
    "enums",
    "nullable",
    "unions",
    "refs",
    "recursive",
    "validation",
    "v31-schemas",
    "v31-tuples",
    "v31-dependent",
    "v32-methods",
    "auth",
    "quirks-multipart",
];

/// `<workspace>/target/snapshot-check`: the scratch workspace (`ws/`) and
/// its own target directory (`target/`).
pub fn scratch_dir() -> PathBuf {
    workspace_root().join("target").join("snapshot-check")
}

/// Writes the scratch workspace: one crate per focused spec
/// (`<stem>-api/`), the `behaviour` crate made from `tests/behaviour/`, a
/// root `Cargo.toml` listing them, and the main workspace's `Cargo.lock`
/// (so versions match it and nothing needs the network). Files are written
/// only when their content changed. Returns the workspace directory.
pub fn prepare_scratch_workspace() -> PathBuf {
    let ws = scratch_dir().join("ws");
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut members = Vec::new();
    for name in focused_specs() {
        let dir = format!("{}-api", crate_stem(&name));
        for (path, text) in generate_focused(&name).files {
            files.insert(format!("{dir}/{path}"), text);
        }
        members.push(dir);
    }

    let behaviour = tests_dir().join("behaviour");
    let mut sources = list_files(&behaviour).expect("list tests/behaviour");
    sources.retain(|f| f.ends_with(".rs") && !f.contains('/'));
    for file in sources {
        let text = read_text(&behaviour.join(&file));
        let target = if file == "lib.rs" {
            "behaviour/src/lib.rs".to_string()
        } else {
            format!("behaviour/tests/{file}")
        };
        files.insert(target, text);
    }
    let deps: String = BEHAVIOUR_DEPENDENCIES
        .iter()
        .map(|stem| format!("{}-api = {{ path = \"../{stem}-api\" }}\n", stem))
        .collect();
    files.insert(
        "behaviour/Cargo.toml".to_string(),
        format!(
            "# Written by tests/src/lib.rs from tests/behaviour/.\n\
             [package]\nname = \"behaviour\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\"] }}\n\n\
             [dev-dependencies]\n{deps}\
             serde = \"1\"\nserde_json = \"1\"\n"
        ),
    );
    members.push("behaviour".to_string());

    let member_list: String = members.iter().map(|m| format!("    {m:?},\n")).collect();
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# Written by tests/src/lib.rs: one crate per focused spec, and their behaviour tests.\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n{member_list}]\n"
        ),
    );
    // Cargo adds the member crates to the lock file (and prunes what they
    // do not use), so it differs from the main one and is rewritten on every
    // run; resolving it offline takes a moment.
    files.insert(
        "Cargo.lock".to_string(),
        read_text(&workspace_root().join("Cargo.lock")),
    );
    sync_tree(&ws, &files).expect("write the scratch workspace");
    ws
}

/// Runs `cargo <args>` in the scratch workspace with its own target
/// directory. Returns whether it succeeded, and its output without cargo's
/// progress lines.
pub fn cargo_in_scratch(args: &[&str]) -> (bool, String) {
    cargo_in(&prepare_scratch_workspace(), args)
}

/// Runs `cargo <args>` in a workspace under the scratch folder, built in
/// the scratch target directory (shared, so nothing is built twice).
/// Returns whether it succeeded, and its output without cargo's progress
/// lines.
pub fn cargo_in(ws: &Path, args: &[&str]) -> (bool, String) {
    cargo_in_with(ws, args, &[])
}

/// [`cargo_in`] with extra environment variables (`RUSTDOCFLAGS`).
pub fn cargo_in_with(ws: &Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let output = std::process::Command::new(cargo())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", scratch_dir().join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let progress = [
        "Compiling ",
        "Checking ",
        "Blocking ",
        "Locking ",
        "Adding ",
        "Removing ",
        "Updating ",
        "Finished ",
        "Running ",
        "Doc-tests ",
        "Documenting ",
        "Generated ",
    ];
    let text: Vec<&str> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| {
            let t = l.trim_start();
            !progress.iter().any(|p| t.starts_with(p))
        })
        .collect();
    (output.status.success(), text.join("\n"))
}

/// The `cargo` that runs the tests (cargo sets `CARGO`), else `cargo` on PATH.
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorder_reverses_unordered_maps_only() {
        let spec = parse_yaml(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {}, post: {}}\n  /b: {}\ncomponents:\n  schemas:\n    X: {properties: {p: {}, q: {}}}\n    Y: {}\n",
        );
        let r = reorder_spec(&spec);
        assert_eq!(keys_at(&r, ""), ["components", "paths", "info", "openapi"]);
        assert_eq!(keys_at(&r, "/paths"), ["/b", "/a"]);
        assert_eq!(keys_at(&r, "/paths/~1a"), ["post", "get"]);
        assert_eq!(keys_at(&r, "/components/schemas"), ["Y", "X"]);
        assert_eq!(keys_at(&r, "/components/schemas/X/properties"), ["p", "q"]);
        assert_eq!(r, spec, "same content, other order");
    }

    #[test]
    fn first_difference_names_the_line() {
        assert_eq!(
            first_difference("a\nb\n", "disk", "a\nc\n", "generator"),
            "first at line 2: disk \"b\" / generator \"c\""
        );
        assert_eq!(
            first_difference("a\n", "x", "a\nb", "y"),
            "first at line 2: x \"<end of file>\" / y \"b\""
        );
    }
}
