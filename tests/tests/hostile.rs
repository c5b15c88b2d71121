//! Hostile input and faults.
//!
//! - Malformed or unsupported specs are diagnostics with a kind and a JSON
//!   pointer; the real `xtask generate` binary exits with 1 (never 101 or a
//!   signal) and creates or changes nothing.
//! - Valid but strange specs (`tests/specs/hostile/strange.yaml`) and specs
//!   whose text tries to become code (`injection.yaml`) give crates that
//!   pass `cargo clippy -D warnings`, and no spec text becomes a token.
//! - A failed or interrupted write leaves the output folder byte for byte
//!   as it was (the `XTASK_TEST_FAIL_POINT` hook of `xtask generate`).
//! - The generated client survives any server: endless bodies stop at the
//!   size cap, endless headers and trickling bodies end, pagination ends
//!   whatever `result_info` claims, and no error shows a credential.
//!
//! The fuzzing of the same surfaces is in `fuzz.rs`; the client against
//! misbehaving servers is in `hostile_client.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use generator::{GeneratedFiles, Settings, Severity};
use proc_macro2::{TokenStream, TokenTree};
use serde_json::{json, Value};
use tests::{read_text, scratch_dir, snapshot_text, sync_tree, tests_dir, workspace_root};

// ------------------------------------------------------------------ helpers

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "hostile-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Every entry below `root` (which need not exist): files with their
/// bytes, directories as `None`. Compares trees byte for byte.
fn tree(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if entry.file_type().unwrap().is_dir() {
                out.insert(rel, None);
                stack.push(path);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        if rel == "target" || rel.starts_with("target/") {
            continue;
        }
        match bytes {
            None => fs::create_dir_all(to.join(&rel)).unwrap(),
            Some(bytes) => {
                fs::create_dir_all(to.join(&rel).parent().unwrap()).unwrap();
                fs::write(to.join(&rel), bytes).unwrap();
            }
        }
    }
}

/// The newest modification time of any file under `paths`.
fn newest(paths: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for path in paths {
        let mut stack = vec![path.clone()];
        while let Some(p) = stack.pop() {
            let Ok(meta) = fs::metadata(&p) else { continue };
            if meta.is_dir() {
                for e in fs::read_dir(&p).unwrap() {
                    stack.push(e.unwrap().path());
                }
            } else if let Ok(m) = meta.modified() {
                newest = newest.max(m);
            }
        }
    }
    newest
}

/// The `xtask` binary. `cargo xtask …` (and so CI) builds
/// `<target>/debug/xtask` before the tests run; when it is missing or older
/// than the sources of xtask and the generator, it is built into a target
/// directory of its own (the build running this test holds the lock on the
/// main one).
fn xtask() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = workspace_root();
        let exe = format!("xtask{}", std::env::consts::EXE_SUFFIX);
        let sources: Vec<PathBuf> = [
            "xtask/src",
            "xtask/Cargo.toml",
            "generator/src",
            "generator/Cargo.toml",
            "generator/runtime/src",
            "generator/runtime/Cargo.toml",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        let source_time = newest(&sources);
        let fresh = |bin: &Path| {
            fs::metadata(bin)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= source_time)
        };
        // <target>/<profile>/deps/hostile-… → <target>/<profile>/xtask, or
        // the dev build `cargo xtask` makes when the tests run in release.
        let profile_dir = std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()));
        let candidates = profile_dir
            .iter()
            .flat_map(|d| [d.join(&exe), d.with_file_name("debug").join(&exe)]);
        for bin in candidates {
            if fresh(&bin) {
                return bin;
            }
        }
        let target = root.join("target").join("hostile-xtask");
        let status = Command::new(tests::cargo())
            .args(["build", "-p", "xtask", "--quiet"])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("run cargo build -p xtask");
        assert!(status.success(), "cargo build -p xtask failed");
        target.join("debug").join(&exe)
    })
}

fn run_xtask(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(xtask());
    cmd.args(args).current_dir(workspace_root());
    cmd.env_remove("XTASK_TEST_FAIL_POINT");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run xtask")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// ------------------------------------------------ 1. malformed input specs

/// A spec that cannot be generated, and exactly what the generator says.
struct Bad {
    name: &'static str,
    /// The file name (the loader decides JSON or YAML from the content).
    file: &'static str,
    text: String,
    /// Every error diagnostic as (kind, pointer), in the sorted order.
    errors: &'static [(&'static str, &'static str)],
    /// A phrase of the first error's message.
    message: &'static str,
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn with_head(rest: &str) -> String {
    format!("{HEAD}{rest}")
}

fn schemas(yaml: &str) -> String {
    with_head(&format!("paths: {{}}\ncomponents:\n  schemas:\n{yaml}"))
}

fn malformed() -> Vec<Bad> {
    let laughs: String = {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            s.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        s + "openapi: 3.0.3\n"
    };
    vec![
        Bad { name: "empty file", file: "empty.yaml", text: String::new(), errors: &[("empty-spec", "#")], message: "the spec is empty" },
        Bad { name: "byte-order mark and blanks", file: "blank.yaml", text: "\u{feff}  \n\t\n".into(), errors: &[("empty-spec", "#")], message: "the spec is empty" },
        Bad { name: "invalid YAML", file: "bad.yaml", text: "openapi: 3.0.3\ninfo: [\n  title: t\n".into(), errors: &[("parse-error", "#")], message: "invalid YAML at line 4, column 1" },
        Bad { name: "invalid JSON", file: "bad.json", text: "{\"openapi\": \"3.0.3\",\n  \"info\": }\n".into(), errors: &[("parse-error", "#")], message: "invalid JSON at line 2, column 11" },
        Bad { name: "JSON nested beyond the parser's limit", file: "deep.json", text: format!("{{\"openapi\":\"3.0.3\",\"x\":{}{}}}", "[".repeat(5000), "]".repeat(5000)), errors: &[("parse-error", "#")], message: "recursion limit exceeded" },
        Bad { name: "YAML alias bomb", file: "laughs.yaml", text: laughs, errors: &[("parse-error", "#")], message: "repetition limit exceeded" },
        Bad { name: "YAML key that is not a string", file: "key.yaml", text: with_head("paths: {}\n? [a, b]\n: c\n"), errors: &[("parse-error", "#")], message: "invalid YAML at line 4, column 3" },
        Bad { name: "YAML tag", file: "tag.yaml", text: "openapi: 3.0.3\ninfo: !custom {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("parse-error", "#")], message: "invalid YAML at line 2, column 7" },
        Bad { name: "not an object", file: "list.yaml", text: "- openapi\n- 3.0.3\n".into(), errors: &[("invalid-document", "#")], message: "must be a JSON or YAML object" },
        Bad { name: "Swagger 2.0", file: "swagger.yaml", text: "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("unsupported-version", "#/swagger")], message: "Swagger 2.0 is not supported" },
        Bad { name: "OpenAPI 3.1", file: "v31.yaml", text: "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("unsupported-version", "#/openapi")], message: "OpenAPI 3.1.0 is not supported" },
        Bad { name: "version that is not a string", file: "vernum.yaml", text: "openapi: [3, 0]\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("invalid-document", "#/openapi")], message: "`openapi` version field" },
        Bad { name: "missing info", file: "noinfo.yaml", text: "openapi: 3.0.3\npaths: {}\n".into(), errors: &[("invalid-document", "#")], message: "missing the required `info` object" },
        Bad { name: "missing paths", file: "nopaths.yaml", text: HEAD.into(), errors: &[("invalid-document", "#")], message: "missing the required `paths` object" },
        Bad { name: "typed parse failure", file: "typed.yaml", text: with_head("paths:\n  /a:\n    get:\n      responses: 7\n"), errors: &[("invalid-document", "#/paths/~1a/get/responses")], message: "expected struct Responses" },
        Bad { name: "dangling $ref", file: "dangling.yaml", text: schemas("    A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}\n"), errors: &[("unresolved-ref", "#/components/schemas/A/properties/b")], message: "points at nothing" },
        Bad { name: "external $ref", file: "external.yaml", text: schemas("    A: {type: object, properties: {b: {$ref: 'other.yaml#/components/schemas/B'}}}\n"), errors: &[("unresolved-ref", "#/components/schemas/A/properties/b")], message: "external `$ref` `other.yaml#/components/schemas/B` is not supported" },
        Bad { name: "$ref cycle without a schema", file: "refloop.yaml", text: schemas("    L1: {$ref: '#/components/schemas/L2'}\n    L2: {$ref: '#/components/schemas/L1'}\n"), errors: &[("unresolved-ref", "#/components/schemas/L1"), ("unresolved-ref", "#/components/schemas/L2")], message: "does not end (a cycle?)" },
        Bad { name: "invalid pattern", file: "pattern.yaml", text: schemas("    A: {type: string, pattern: '(unclosed'}\n"), errors: &[("invalid-pattern", "#/components/schemas/A")], message: "not a valid ECMA-262 regular expression" },
        Bad { name: "minimum above maximum", file: "minmax.yaml", text: schemas("    A: {type: integer, minimum: 10, maximum: 1}\n"), errors: &[("invalid-bounds", "#/components/schemas/A")], message: "minimum 10 and maximum 1 leave no valid value" },
        Bad { name: "equal exclusive bounds", file: "exclusive.yaml", text: schemas("    A: {type: number, minimum: 1, maximum: 1, exclusiveMaximum: true}\n"), errors: &[("invalid-bounds", "#/components/schemas/A")], message: "leave no valid value" },
        Bad { name: "minLength above maxLength", file: "minlen.yaml", text: schemas("    A: {type: string, minLength: 5, maxLength: 1}\n"), errors: &[("invalid-bounds", "#/components/schemas/A")], message: "minLength 5 is greater than maxLength 1" },
        Bad { name: "duplicate operationIds", file: "dupop.yaml", text: with_head("paths:\n  /a:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n"), errors: &[("duplicate-operation-id", "#/paths/~1b/get")], message: "operationId `same` is also used at #/paths/~1a/get" },
        Bad { name: "allOf including itself", file: "allofself.yaml", text: schemas("    A: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {a: {type: string}}}]}\n"), errors: &[("all-of-cycle", "#/components/schemas/A/allOf/0")], message: "`allOf` includes `A`, which includes itself" },
        Bad {
            name: "allOf including itself through other allOfs",
            file: "allofring.yaml",
            text: schemas("    A: {allOf: [{$ref: '#/components/schemas/B'}, {type: object, properties: {a: {type: string}}}]}\n    B: {allOf: [{$ref: '#/components/schemas/C'}, {type: object, properties: {b: {type: string}}}]}\n    C: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {c: {type: string}}}]}\n"),
            errors: &[("all-of-cycle", "#/components/schemas/A/allOf/0"), ("all-of-cycle", "#/components/schemas/B/allOf/0"), ("all-of-cycle", "#/components/schemas/C/allOf/0")],
            message: "which includes itself through `allOf`",
        },
        Bad {
            name: "allOf including itself through a pointer $ref",
            file: "allofptr.yaml",
            text: schemas("    A: {allOf: [{$ref: '#/components/schemas/A/allOf/1'}, {allOf: [{$ref: '#/components/schemas/A/allOf/1'}, {type: object, properties: {a: {type: string}}}]}]}\n"),
            errors: &[("all-of-cycle", "#/components/schemas/A/allOf/1/allOf/0")],
            message: "`allOf` includes `#/components/schemas/A/allOf/1`",
        },
    ]
}

#[test]
fn malformed_specs_are_diagnostics_with_kind_and_pointer() {
    let mut failures = Vec::new();
    for bad in malformed() {
        let diags = match generator::generate(&bad.text, &Settings::default()) {
            Ok(_) => {
                failures.push(format!("{}: generated", bad.name));
                continue;
            }
            Err(diags) => diags,
        };
        let errors: Vec<&generator::Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.kind, d.pointer.as_str()))
            .collect();
        if got != bad.errors {
            failures.push(format!(
                "{}: errors {got:?}, expected {:?}\n{diags}",
                bad.name, bad.errors
            ));
        } else if !errors[0].message.contains(bad.message) {
            failures.push(format!(
                "{}: message {:?} lacks {:?}",
                bad.name, errors[0].message, bad.message
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn malformed_specs_exit_1_and_write_nothing() {
    let tmp = TempDir::new("malformed");
    // An existing output folder with generated and hand-written files.
    let existing = tmp.path().join("existing");
    fs::create_dir_all(existing.join("src")).unwrap();
    fs::write(existing.join("src/lib.rs"), "// @generated by hand\n").unwrap();
    fs::write(existing.join("NOTES.md"), "mine\n").unwrap();
    let mut failures = Vec::new();
    for bad in malformed() {
        let spec = tmp.path().join(bad.file);
        fs::write(&spec, &bad.text).unwrap();
        let before = tree(tmp.path());
        for out in [
            tmp.path().join(format!("new-{}", bad.file)),
            existing.clone(),
        ] {
            let o = run_xtask(
                &[
                    "generate",
                    "--spec",
                    spec.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--package-name",
                    "x",
                ],
                &[],
            );
            let err = stderr(&o);
            let (kind, pointer) = bad.errors[0];
            if o.status.code() != Some(1) {
                failures.push(format!("{}: exit {:?}\n{err}", bad.name, o.status));
            } else if !err.contains(&format!("error[{kind}]"))
                || !err.contains(&format!("(at {pointer})"))
            {
                failures.push(format!(
                    "{}: stderr lacks error[{kind}] at {pointer}:\n{err}",
                    bad.name
                ));
            }
            // Nothing created, nothing changed, no staging folder left.
            if tree(tmp.path()) != before {
                failures.push(format!(
                    "{}: the run changed {}",
                    bad.name,
                    tmp.path().display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn unreadable_specs_and_bad_options_exit_1() {
    let tmp = TempDir::new("unreadable");
    let out = tmp.path().join("out");
    let binary = tmp.path().join("binary.yaml");
    fs::write(&binary, b"openapi: 3.0.3\n\xff\xfe\x00\n").unwrap();
    let good = tests::main_spec_path();
    let fail_point = [("XTASK_TEST_FAIL_POINT", "sometimes")];
    let cases = [
        (
            "missing spec",
            tmp.path().join("nope.yaml"),
            &[][..],
            "cannot read the spec",
        ),
        (
            "spec is a folder",
            tmp.path().to_path_buf(),
            &[],
            "cannot read the spec",
        ),
        ("spec is not UTF-8", binary, &[], "cannot read the spec"),
        (
            "unknown fail point",
            good,
            &fail_point,
            "is not a fail point",
        ),
    ];
    for (name, spec, envs, message) in cases {
        let o = run_xtask(
            &[
                "generate",
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            envs,
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{name}: {}", stderr(&o));
        assert!(!out.exists(), "{name}: created {}", out.display());
    }
}

#[test]
fn diagnostics_never_send_control_characters_to_the_terminal() {
    // Spec text in a message (a key, a `$ref`) could clear the screen, set
    // the window title or reverse text if printed as it is.
    let tmp = TempDir::new("terminal");
    let spec = tmp.path().join("spec.yaml");
    fs::write(
        &spec,
        schemas(
            "    \"\\e]0;owned\\a\":\n      type: object\n      properties:\n        x: {$ref: \"#/components/schemas/\\e[2J\\e[31mred\\u202Eevil\\r\\n\"}\n",
        ),
    )
    .unwrap();
    let o = run_xtask(
        &[
            "generate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            tmp.path().join("out").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error[unresolved-ref]"), "{err}");
    assert!(
        err.contains("\\u{1b}[2J"),
        "the escape is shown escaped: {err}"
    );
    let hidden: Vec<char> = err
        .chars()
        .filter(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?} in {err:?}");
}

// ------------------------------------- 2, 3. strange specs, injected text

fn hostile_spec(stem: &str) -> String {
    read_text(
        &tests_dir()
            .join("specs")
            .join("hostile")
            .join(format!("{stem}.yaml")),
    )
}

/// Settings for the hostile crates; `injection` also gets a spec name and
/// a command that try to break out of the header comment.
fn hostile_settings(stem: &str) -> Settings {
    let mut s = tests::snapshot_settings(stem, &format!("hostile/{stem}.yaml"));
    if stem == "injection" {
        s.spec_name = "hostile/injection.yaml\n}\nfn evil() {}\r\u{202e}*/".into();
        s.command = "cargo xtask test \"*/\n#![cfg(any())]\nfn evil() {}".into();
    }
    s
}

fn generate_hostile(stem: &str) -> GeneratedFiles {
    tests::generate_ok(&hostile_spec(stem), &hostile_settings(stem), stem)
}

/// Every identifier in a Rust file, at any depth. Comments are not tokens
/// and doc comments become string literals, so spec text shows up here
/// only if it became code.
fn identifiers(text: &str) -> Vec<String> {
    fn walk(tokens: TokenStream, out: &mut Vec<String>) {
        for t in tokens {
            match t {
                TokenTree::Ident(i) => out.push(i.to_string().trim_start_matches("r#").to_string()),
                TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(TokenStream::from_str(text).expect("lexes"), &mut out);
    out
}

#[test]
fn the_identifier_scan_sees_code_and_only_code() {
    let ids = identifiers("/// fn evil() {}\n// fn evil() {}\n/* fn evil() {} */ const X: &str = \"fn evil() {}\";\n#[doc = \"evil\"] fn r#evil() {}");
    assert_eq!(ids.iter().filter(|i| *i == "evil").count(), 1, "{ids:?}");
}

#[test]
fn spec_text_never_becomes_code() {
    let generated = generate_hostile("injection");
    let mut rust = 0;
    for (name, text) in &generated.files {
        if !name.ends_with(".rs") {
            continue;
        }
        rust += 1;
        if let Err(e) = syn::parse_file(text) {
            panic!("{name} does not parse: {e}");
        }
        let ids = identifiers(text);
        assert!(
            !ids.iter().any(|i| i == "evil"),
            "{name}: spec text became code:\n{text}"
        );
        let header = text.lines().next().unwrap_or("");
        assert!(
            header.starts_with("// @generated by `cargo xtask test")
                && text.lines().nth(1) == Some(""),
            "{name}: the header is not one comment line: {:?}",
            text.lines().take(3).collect::<Vec<_>>()
        );
    }
    assert!(rust >= 12, "{rust} Rust files");
    // The hostile text is there, as data: string literals and doc text.
    let models = &generated.files["src/models.rs"];
    for literal in [
        r#""}\nfn evil() {}""#,
        r#""*/""#,
        r#""r#\"""#,
        r#""\u{202e}""#,
        r#""\0""#,
    ] {
        assert!(
            models.contains(literal),
            "models.rs lacks the literal {literal}"
        );
    }
    let client = &generated.files["src/client.rs"];
    assert!(
        client.contains(
            r#"DEFAULT_BASE_URL: &str = "https://api.example.com/\"; fn evil() {} /*\n*/";"#
        ),
        "{client}"
    );
    // Cargo.toml: every line is a comment, a section or one `key = value`.
    for line in generated.files["Cargo.toml"].lines() {
        let t = line.trim();
        let is_key = t.split_once(" = ").is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
        });
        assert!(
            t.is_empty()
                || t.starts_with('#')
                || (t.starts_with('[') && t.ends_with(']'))
                || is_key,
            "Cargo.toml line {line:?}"
        );
        assert!(!t.chars().any(|c| c.is_control() && c != '\t'), "{line:?}");
    }
}

#[test]
fn injection() {
    insta::assert_snapshot!("injection", snapshot_text(&generate_hostile("injection")));
}

#[test]
fn strange() {
    insta::assert_snapshot!("strange", snapshot_text(&generate_hostile("strange")));
}

/// `target/snapshot-check/hostile/`: a workspace of the hostile crates,
/// built in the focused crates' target directory (same dependencies, so
/// nothing is built twice).
fn prepare_hostile_workspace() -> PathBuf {
    let ws = scratch_dir().join("hostile");
    let mut files = BTreeMap::new();
    let mut members = String::new();
    for stem in ["strange", "injection"] {
        for (path, text) in generate_hostile(stem).files {
            files.insert(format!("{stem}-api/{path}"), text);
        }
        members.push_str(&format!("    \"{stem}-api\",\n"));
    }
    files.insert(
        "Cargo.toml".into(),
        format!("# Written by tests/tests/hostile.rs.\n[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n"),
    );
    files.insert(
        "Cargo.lock".into(),
        read_text(&workspace_root().join("Cargo.lock")),
    );
    sync_tree(&ws, &files).expect("write the hostile workspace");
    ws
}

#[test]
fn strange_and_hostile_specs_compile_clippy_clean() {
    let started = Instant::now();
    let ws = prepare_hostile_workspace();
    let output = Command::new(tests::cargo())
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--offline",
            "--keep-going",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", scratch_dir().join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo clippy");
    let text = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| {
            ![
                "Compiling ",
                "Checking ",
                "Blocking ",
                "Locking ",
                "Adding ",
                "Removing ",
                "Updating ",
                "Finished ",
            ]
            .iter()
            .any(|p| l.trim_start().starts_with(p))
        })
        .collect();
    assert!(
        output.status.success(),
        "clippy -D warnings failed on the hostile crates in {} ({:.0?}):\n{}",
        ws.display(),
        started.elapsed(),
        problems.join("\n")
    );
}

#[test]
fn specs_nested_to_the_parsers_limit_do_not_overflow_the_stack() {
    // Runs on a test thread (2 MiB of stack unless RUST_MIN_STACK says
    // otherwise): the deepest nesting the JSON parser lets through must not
    // overflow it anywhere in the pipeline.
    fn nest(depth: usize, wrap: impl Fn(Value) -> Value) -> Value {
        (0..depth).fold(json!({"type": "string", "pattern": "^a$"}), |v, _| wrap(v))
    }
    let shapes: Vec<(&str, Value)> = vec![
        ("items", nest(120, |v| json!({"type": "array", "items": v}))),
        (
            "properties",
            nest(60, |v| json!({"type": "object", "properties": {"x": v}})),
        ),
        ("allOf", nest(60, |v| json!({"allOf": [v]}))),
        (
            "oneOf",
            nest(60, |v| json!({"oneOf": [v, {"type": "integer"}]})),
        ),
        (
            "additionalProperties",
            nest(
                120,
                |v| json!({"type": "object", "additionalProperties": v}),
            ),
        ),
    ];
    for (name, schema) in shapes {
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Deep": schema}},
        });
        let text = serde_json::to_string(&spec).unwrap();
        match generator::generate(&text, &Settings::default()) {
            Ok(files) => {
                for (f, t) in &files.files {
                    if f.ends_with(".rs") {
                        syn::parse_file(t).unwrap_or_else(|e| panic!("{name}: {f}: {e}"));
                    }
                }
            }
            Err(d) => assert!(d.iter().all(|d| d.kind == "parse-error"), "{name}: {d}"),
        }
    }
}

#[test]
fn long_ref_chains_do_not_overflow_the_stack() {
    // 1 500 components, each referring to the next: lowering followed the
    // chain recursively and overflowed the stack (2 000 did on the 8 MiB
    // main thread, 500 on a test thread). Structs, aliases of arrays, and
    // pointers into other components.
    let n = 1500;
    /// Schema `i` of a chain of `n`.
    type Link = fn(usize, usize) -> Value;
    let chains: [(&str, Link); 3] = [
        ("structs", |i, n| {
            if i + 1 < n {
                json!({"type": "object", "properties": {"x": {"$ref": format!("#/components/schemas/S{}", i + 1)}}})
            } else {
                json!({"type": "object", "properties": {"x": {"type": "string", "minLength": 1}}})
            }
        }),
        ("aliases", |i, n| {
            if i + 1 < n {
                json!({"type": "array", "items": {"$ref": format!("#/components/schemas/S{}", i + 1)}})
            } else {
                json!({"type": "string"})
            }
        }),
        ("pointers", |i, n| {
            let items = if i + 1 < n {
                json!({"$ref": format!("#/components/schemas/S{}/properties/x", i + 1)})
            } else {
                json!({"type": "string"})
            };
            json!({"type": "object", "properties": {"x": {"type": "array", "items": items}}})
        }),
    ];
    for (name, schema) in chains {
        let schemas: serde_json::Map<String, Value> =
            (0..n).map(|i| (format!("S{i}"), schema(i, n))).collect();
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        });
        let generated = tests::generate_ok(&spec.to_string(), &Settings::default(), name);
        if name == "structs" {
            // Every struct is still a struct, holding the next one.
            assert_eq!(generated.stats.component_types, n, "{name}");
            let all: String = generated.files.values().map(String::as_str).collect();
            assert!(all.contains("pub x: Option<S1>,"), "{name}");
            assert!(
                all.contains(&format!("pub x: Option<S{}>,", n - 1)),
                "{name}"
            );
        }
    }
}

#[test]
fn chains_of_allof_diamonds_take_linear_time() {
    // `A{i}: allOf [A{i-1}, A{i-2}, …]`: expanding every include again made
    // 40 lines of spec take time and memory exponential in their number.
    let mut spec = schemas(
        "    A0: {type: object, properties: {p0: {type: string}}}\n    A1: {type: object, properties: {p1: {type: string}}}\n",
    );
    for i in 2..60 {
        spec.push_str(&format!(
            "    A{i}: {{allOf: [{{$ref: '#/components/schemas/A{}'}}, {{$ref: '#/components/schemas/A{}'}}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}\n",
            i - 1,
            i - 2
        ));
    }
    let started = Instant::now();
    let generated = tests::generate_ok(&spec, &Settings::default(), "diamonds");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:.1?}",
        started.elapsed()
    );
    // Each struct still has every property of its ancestors, once.
    let models = &generated.files["src/models.rs"];
    let a59 = models.split("pub struct A59 {").nth(1).unwrap();
    let a59 = &a59[..a59.find('}').unwrap()];
    assert_eq!(a59.matches("pub p").count(), 60, "{a59}");
}

#[test]
fn many_colliding_names_take_linear_time() {
    // 20 000 enum values that all become the variant name `A` (the
    // punctuation is dropped): each took every suffix from 2 up again.
    let marks: Vec<char> = "!#$%&()*,.:;<=>?@[]^`{|}~".chars().collect();
    let values: Vec<String> = (0..20_000usize)
        .map(|i| {
            let mut v = String::from("a");
            let mut n = i;
            for _ in 0..4 {
                v.push(marks[n % marks.len()]);
                n /= marks.len();
            }
            v
        })
        .collect();
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"E": {"type": "string", "enum": values}}},
    });
    let started = Instant::now();
    let generated = tests::generate_ok(&spec.to_string(), &Settings::default(), "collisions");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:.1?}",
        started.elapsed()
    );
    let models = &generated.files["src/models.rs"];
    assert!(models.contains("    A20000,"), "the last value's variant");
}

// ------------------------------------------- 4. failed and interrupted runs

#[test]
fn a_failed_or_interrupted_write_leaves_the_output_as_it_was() {
    let tmp = TempDir::new("write");
    let out = tmp.path().join("generated");
    copy_tree(&workspace_root().join("generated"), &out);
    // Give the run work to do: a changed, a missing and a stale generated
    // file, beside a hand-written one it must keep.
    let models = out.join("src/models.rs");
    let mut text = fs::read_to_string(&models).unwrap();
    text.push_str("// a local edit\n");
    fs::write(&models, text).unwrap();
    fs::remove_file(out.join("src/client.rs")).unwrap();
    fs::write(out.join("src/stale.rs"), "// @generated by an older spec\n").unwrap();
    fs::write(out.join("NOTES.md"), "hand-written\n").unwrap();
    let args = [
        "generate",
        "--out",
        out.to_str().unwrap(),
        "--package-name",
        "cloudflare-ai-gateway",
    ];
    let before = tree(tmp.path());

    // Fails once the new tree is staged: the staging tree is removed and
    // the output is untouched.
    let o = run_xtask(&args, &[("XTASK_TEST_FAIL_POINT", "after-staging")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("injected failure after staging"),
        "{}",
        stderr(&o)
    );
    assert!(
        tree(tmp.path()) == before,
        "the failed run changed {}",
        tmp.path().display()
    );

    // Killed between the two renames: the output is gone (moved aside)...
    let o = run_xtask(&args, &[("XTASK_TEST_FAIL_POINT", "between-renames")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
    // ...and the next run restores it before writing.
    let o = run_xtask(&args, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("restored"), "{}", stderr(&o));
    let after = tree(tmp.path());
    let names: Vec<&String> = after.keys().filter(|k| !k.contains('/')).collect();
    assert_eq!(names, ["generated"], "leftovers next to the output");
    assert_eq!(
        after["generated/NOTES.md"].as_deref(),
        Some(&b"hand-written\n"[..])
    );
    assert!(!after.contains_key("generated/src/stale.rs"));
    assert!(after.contains_key("generated/src/client.rs"));

    // A spec with errors leaves the folder untouched.
    let bad = tmp.path().join("bad.yaml");
    fs::write(&bad, schemas("    A: {type: string, pattern: '('}\n")).unwrap();
    let before = tree(tmp.path());
    let o = run_xtask(
        &[
            "generate",
            "--spec",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        tree(tmp.path()) == before,
        "a failing spec changed the output"
    );
}
