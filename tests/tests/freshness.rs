//! `generated/` is what the generator makes of `spec/openapi.yaml` today,
//! and the generator's output depends only on the spec's content.

use std::collections::BTreeMap;

use generator::GENERATED_MARKER;
use tests::{
    crate_stem, describe_differences, focused_spec_path, focused_specs, generate_ok, keys_at,
    list_files, main_spec_path, normalise_newlines, parse_yaml, read_text, reorder_spec,
    snapshot_settings, workspace_root, xtask_settings,
};

#[test]
fn generated_crate_matches_the_spec() {
    let spec = read_text(&main_spec_path());
    let expected = generate_ok(&spec, &xtask_settings(), "spec/openapi.yaml").files;
    let out = workspace_root().join("generated");

    let mut on_disk = BTreeMap::new();
    let mut stale = Vec::new();
    for rel in list_files(&out).expect("list generated/") {
        let text = read_text(&out.join(&rel));
        if expected.contains_key(&rel) {
            on_disk.insert(rel, text);
        } else if text
            .lines()
            .next()
            .is_some_and(|l| l.contains(GENERATED_MARKER))
        {
            stale.push(format!(
                "{rel}: carries `{GENERATED_MARKER}` but the generator no longer produces it"
            ));
        }
    }
    let mut problems = describe_differences("generator", &expected, "generated/", &on_disk);
    for p in &mut problems {
        if p.ends_with("only in generator") {
            *p = p.replace("only in generator", "missing from generated/");
        }
    }
    problems.extend(stale);
    assert!(
        problems.is_empty(),
        "generated/ is stale: run `cargo xtask generate`\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_freshness_settings_are_the_ones_in_the_headers() {
    // Guards the test above against comparing with the wrong settings: the
    // checked-in files name the command and spec xtask passed.
    let lib = normalise_newlines(&read_text(&workspace_root().join("generated/src/lib.rs")));
    let s = xtask_settings();
    let header = format!(
        "// {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.",
        s.command, s.spec_name
    );
    assert_eq!(lib.lines().next(), Some(header.as_str()));
    let toml = read_text(&workspace_root().join("generated/Cargo.toml"));
    assert!(
        toml.contains(&format!("name = \"{}\"", s.package_name)),
        "generated/Cargo.toml names package {}",
        s.package_name
    );
}

/// Every spec the determinism tests run over: (label, file name, text).
fn all_specs() -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = focused_specs()
        .iter()
        .map(|name| {
            let path = focused_spec_path(name);
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            (crate_stem(name), file, read_text(&path))
        })
        .collect();
    out.push((
        "openapi".to_string(),
        "openapi.yaml".to_string(),
        read_text(&main_spec_path()),
    ));
    out
}

#[test]
fn generating_twice_gives_the_same_output() {
    for (stem, file, text) in all_specs() {
        let settings = snapshot_settings(&stem, &file);
        let first = generate_ok(&text, &settings, &file);
        let second = generate_ok(&text, &settings, &file);
        let diff = describe_differences("first run", &first.files, "second run", &second.files);
        assert!(diff.is_empty(), "{file}: {}", diff.join("\n"));
        assert_eq!(first.diagnostics, second.diagnostics, "{file}: diagnostics");
    }
}

#[test]
fn key_order_and_format_of_the_spec_do_not_matter() {
    for (stem, file, text) in all_specs() {
        let settings = snapshot_settings(&stem, &file);
        let original = generate_ok(&text, &settings, &file);
        let value = parse_yaml(&text);
        let reordered = reorder_spec(&value);
        if keys_at(&value, "/components/schemas").len() > 1 {
            assert_ne!(
                keys_at(&value, "/components/schemas"),
                keys_at(&reordered, "/components/schemas"),
                "{file}: the reordering changed nothing"
            );
        }
        let variants = [
            (
                "reordered YAML",
                serde_yaml::to_string(&reordered).expect("YAML"),
            ),
            (
                "reordered JSON",
                serde_json::to_string_pretty(&reordered).expect("JSON"),
            ),
            ("JSON", serde_json::to_string(&value).expect("JSON")),
        ];
        for (label, variant) in variants {
            let other = generate_ok(&variant, &settings, &format!("{file} ({label})"));
            let diff = describe_differences("original", &original.files, label, &other.files);
            assert!(diff.is_empty(), "{file} vs {label}:\n{}", diff.join("\n"));
            assert_eq!(
                original.diagnostics, other.diagnostics,
                "{file} vs {label}: diagnostics"
            );
        }
    }
}

/// The runtime crate's own `auth.rs` (what its tests run against) is
/// exactly what the generator writes for the project spec, so the runtime
/// is tested with Cloudflare's real table, not a hand-made look-alike.
#[test]
fn the_runtime_auth_table_is_the_project_specs() {
    let root = tests::workspace_root();
    let generated = std::fs::read_to_string(root.join("generated/src/runtime/auth.rs"))
        .expect("generated/src/runtime/auth.rs");
    let body = generated
        .split_once("\n\n")
        .map(|(_, body)| body)
        .expect("a header line");
    let runtime = std::fs::read_to_string(root.join("generator/runtime/src/auth.rs"))
        .expect("generator/runtime/src/auth.rs");
    assert!(
        body == runtime,
        "generator/runtime/src/auth.rs differs from generated/src/runtime/auth.rs: copy the generated one (without its header)"
    );
}
