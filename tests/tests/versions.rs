//! OpenAPI 3.1 and 3.2 input: the project spec rewritten by hand as 3.1
//! (`type: [T, 'null']` for `nullable`, `examples` arrays for `example`) and
//! as 3.2 generates the same crate body as `spec/openapi.yaml`, with the
//! same diagnostics; only the header line naming the spec differs. So does
//! each focused 3.0 spec that has a 3.1 twin in `tests/equivalence/`.

use tests::{
    focused_spec_path, generate_ok, main_spec_path, read_text, snapshot_settings, tests_dir,
    xtask_settings, Settings,
};

/// Every generated file without its first line (the header naming the spec).
fn bodies(spec: &str, settings: &Settings, label: &str) -> Vec<(String, String)> {
    let generated = generate_ok(spec, settings, label);
    let diagnostics: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut out: Vec<(String, String)> = generated
        .files
        .into_iter()
        .map(|(name, text)| {
            let body = match text.split_once('\n') {
                Some((first, rest)) if first.contains("@generated") => rest.to_string(),
                _ => text,
            };
            (name, body)
        })
        .collect();
    out.push(("<diagnostics>".into(), diagnostics.join("\n")));
    out
}

/// Asserts that `twin` (in tests/equivalence/) gives the crate `expected`.
fn assert_same(twin: &str, expected: &[(String, String)], settings: &Settings) {
    let text = read_text(&tests_dir().join("equivalence").join(twin));
    assert!(
        !text.contains("openapi: 3.0"),
        "{twin} is not a 3.1/3.2 document"
    );
    let got = bodies(&text, settings, twin);
    assert_eq!(got.len(), expected.len(), "{twin}: the files differ");
    for ((name, body), (want_name, want)) in got.iter().zip(expected) {
        assert_eq!(name, want_name, "{twin}");
        assert!(
            body == want,
            "{twin}: {name} differs:\n{}",
            tests::first_difference(body, twin, want, "the 3.0 spec")
        );
    }
}

#[test]
fn focused_specs_and_their_3_1_twins_generate_the_same_crate() {
    for name in ["nullable", "validation"] {
        let settings = snapshot_settings(name, &format!("{name}.yaml"));
        let expected = bodies(&read_text(&focused_spec_path(name)), &settings, name);
        assert_same(&format!("{name}-3.1.yaml"), &expected, &settings);
    }
}

#[test]
fn the_project_spec_as_3_1_and_3_2_generates_the_same_crate() {
    let settings = xtask_settings();
    let expected = bodies(
        &read_text(&main_spec_path()),
        &settings,
        "spec/openapi.yaml",
    );
    for twin in ["openapi-3.1.yaml", "openapi-3.2.yaml"] {
        assert_same(twin, &expected, &settings);
    }
}
