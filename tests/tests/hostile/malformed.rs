//! Part 1: malformed input specs are diagnostics with a kind and a
//! pointer; the CLI exits with 1 and writes nothing.

use super::*;

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

pub(crate) fn schemas(yaml: &str) -> String {
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
        Bad { name: "OpenAPI 4.0", file: "v40.yaml", text: "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("unsupported-version", "#/openapi")], message: "OpenAPI 4.0.0 is not supported" },
        Bad { name: "version that is not a string", file: "vernum.yaml", text: "openapi: [3, 0]\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), errors: &[("invalid-document", "#/openapi")], message: "`openapi` version field" },
        Bad { name: "missing info", file: "noinfo.yaml", text: "openapi: 3.0.3\npaths: {}\n".into(), errors: &[("invalid-document", "#")], message: "missing the required `info` object" },
        Bad { name: "missing paths", file: "nopaths.yaml", text: HEAD.into(), errors: &[("invalid-document", "#")], message: "missing the required `paths` object" },
        Bad { name: "typed parse failure in what cannot be left out", file: "typed.yaml", text: "openapi: 3.0.3\ninfo: {title: t, version: '1', contact: 7}\npaths: {}\n".into(), errors: &[("invalid-document", "#/info/contact")], message: "expected struct Contact" },
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

#[test]
fn strict_refuses_what_the_default_leaves_out_and_writes_nothing() {
    let tmp = TempDir::new("strict");
    let spec = workspace_root().join("tests/specs/quirks/unreadable.yaml");
    let out = tmp.path().join("out");
    let args = |strict: bool| {
        let mut args = vec![
            "generate".to_string(),
            "--spec".into(),
            spec.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ];
        if strict {
            args.push("--strict".into());
        }
        args
    };
    let run = |strict: bool| {
        let args = args(strict);
        run_xtask(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[])
    };
    let o = run(true);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[skipped-operation]")
            && err.contains("(at #/paths/~1broken/get/responses)"),
        "{err}"
    );
    assert!(!out.exists(), "--strict wrote {}", out.display());
    let o = run(false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("2 × skipped-operation"), "{err}");
    assert!(out.join("src/client.rs").exists());
}
