//! Snapshots of the generated models and client (plus the sorted
//! diagnostics) for every focused spec and for `spec/openapi.yaml`.
//!
//! Review changes with `INSTA_UPDATE=always cargo test -p tests --test
//! snapshots` and `git diff tests/tests/snapshots`; CI (`CI=true`) fails on
//! any mismatch.

use tests::{
    generate_focused, generate_ok, main_spec_path, read_text, snapshot_settings, snapshot_text,
};

macro_rules! focused {
    ($($stem:ident),* $(,)?) => {$(
        #[test]
        fn $stem() {
            let generated = generate_focused(stringify!($stem));
            insta::assert_snapshot!(stringify!($stem), snapshot_text(&generated));
        }
    )*};
}

focused!(keywords, collisions, enums, nullable, unions, refs, recursive, validation, auth);

#[test]
fn every_focused_spec_has_a_snapshot_test() {
    // The macro list above and FOCUSED_SPECS must not drift apart.
    let listed = [
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
    assert_eq!(tests::FOCUSED_SPECS, listed);
    let mut on_disk: Vec<String> = std::fs::read_dir(tests::tests_dir().join("specs"))
        .expect("tests/specs")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| {
            n.strip_suffix(".yaml")
                .or_else(|| n.strip_suffix(".json"))
                .map(str::to_string)
        })
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "every spec in tests/specs/ is snapshotted"
    );
}

/// The specs in the folders of `tests/specs/` (`quirks/`, …), one snapshot
/// each, named `<folder>__<stem>`.
#[test]
fn focused_specs_in_folders() {
    let nested: Vec<String> = tests::focused_specs()
        .into_iter()
        .filter(|name| name.contains('/'))
        .collect();
    for name in nested {
        let generated = generate_focused(&name);
        insta::assert_snapshot!(name.replace('/', "__"), snapshot_text(&generated));
    }
}

#[test]
fn openapi() {
    let spec = read_text(&main_spec_path());
    let generated = generate_ok(
        &spec,
        &snapshot_settings("openapi", "openapi.yaml"),
        "spec/openapi.yaml",
    );
    insta::assert_snapshot!("openapi", snapshot_text(&generated));
}
