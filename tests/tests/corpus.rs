//! Cloudflare's whole API descriptions (`../shared/specs`), generated end to
//! end: the diagnostic summary is pinned, every operation becomes a method
//! and every component schema a type; and the AI Gateway part of the 2026
//! description compiles clippy-clean. Skips, saying so, where `../shared`
//! is absent. The full crates are compiled by `cargo xtask corpus`.

use generator::{Settings, Severity};
use std::collections::BTreeMap;
use tests::{cargo, read_text, scratch_dir, sync_tree, workspace_root};

fn settings(package: &str) -> Settings {
    Settings {
        package_name: package.into(),
        spec_name: "corpus.json".into(),
        ..Settings::default()
    }
}

/// `kind: count` lines of the warnings, sorted.
fn summary(spec_text: &str, settings: &Settings) -> (Vec<String>, generator::Stats) {
    let generated = match generator::generate(spec_text, settings) {
        Ok(g) => g,
        Err(diags) => panic!("the corpus spec does not generate:\n{diags}"),
    };
    let lines = generated
        .diagnostics
        .summary()
        .into_iter()
        .map(|(severity, kind, n)| {
            assert_eq!(severity, Severity::Warning, "no errors expected");
            format!("{kind}: {n}")
        })
        .collect();
    (lines, generated.stats)
}

#[test]
fn cloudflare_2026_generates_every_operation_and_schema() {
    let Some(text) = tests::shared_spec("cloudflare-openapi-2026-08-18.json") else {
        return;
    };
    let (warnings, stats) = summary(&text, &settings("cf-2026"));
    assert_eq!(
        warnings,
        [
            "fallback-json: 2",
            // Mostly `enum: [null]` on schemas that are not nullable.
            "ignored-value: 454",
            // `required` lists naming a property twice.
            "normalised-required: 818",
            "normalised-status-range: 4",
            "renamed-operation: 1",
            // `pages_upload_token` and `assets_jwt`: named by requirements,
            // never declared.
            "security-scheme: 2",
            "several-success-types: 16",
            "undeclared-path-parameter: 11",
            "undeclared-required: 67",
            "unused-path-parameter: 11",
        ]
    );
    assert_eq!(stats.operations, 3207);
    assert_eq!(stats.component_types, 6743);
    assert!(stats.paginated >= 160, "{stats:?}");
}

#[test]
fn cloudflare_2024_generates_every_operation_and_schema() {
    let Some(text) = tests::shared_spec("cloudflare-openapi-2024-08-06.json") else {
        return;
    };
    let (warnings, stats) = summary(&text, &settings("cf-2024"));
    assert_eq!(
        warnings,
        [
            "fallback-json: 7",
            // Examples of another type than their schema (`"EU,NA"` on
            // an array).
            "ignored-example: 1633",
            "ignored-value: 52",
            "normalised-status-range: 18",
            "several-success-types: 5",
            "undeclared-required: 19",
        ]
    );
    assert_eq!(stats.operations, 1533);
    assert_eq!(stats.component_types, 3716);
    assert!(stats.paginated >= 40, "{stats:?}");
}

/// The AI Gateway tags of the 2026 description: a realistic slice of the
/// whole API (inline unions, enums, pagination), compiled under clippy.
#[test]
fn cloudflare_2026_ai_gateway_compiles_without_warnings() {
    let Some(text) = tests::shared_spec("cloudflare-openapi-2026-08-18.json") else {
        return;
    };
    let tags = [
        "AI Gateway",
        "AI Gateway Account Provider Costs",
        "AI Gateway Account Providers",
        "AI Gateway Custom Domains",
        "AI Gateway Datasets",
        "AI Gateway Dynamic Routes",
        "AI Gateway Evaluations",
        "AI Gateway Gateways",
        "AI Gateway Logs",
        "AI Gateway Provider Configs",
    ];
    let settings = Settings {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..settings("cf-ai-gateway")
    };
    let generated = generator::generate(&text, &settings).unwrap_or_else(|d| panic!("{d}"));
    assert!(generated.stats.operations >= 40, "{:?}", generated.stats);

    let ws = scratch_workspace("corpus", "cf-ai-gateway", generated.files);
    let output = std::process::Command::new(cargo())
        .args([
            "clippy",
            "--all-targets",
            "--offline",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&ws)
        // Shares the compiled dependencies of the snapshot compile check.
        .env("CARGO_TARGET_DIR", scratch_dir().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": warning") || l.contains(": error"))
        .collect();
    assert!(
        output.status.success() && problems.is_empty(),
        "{}",
        problems.join("\n")
    );
    // Its docs, spec Markdown and all, with rustdoc's warnings denied.
    let (ok, output) = tests::cargo_in_with(
        &ws,
        &["doc", "--no-deps", "--offline", "--message-format=short"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(ok, "cargo doc on the AI Gateway slice:\n{output}");
}

/// A large OpenAPI 3.1 document built from the 3.1 keywords
/// (`tests::large_31_document`: 15 kinds of schema × 40, every feature
/// mixed) generates without errors: a type for every component schema and
/// for every inline webhook payload, a method for every operation, and the
/// warnings its construction implies, each kind once per schema that has it.
#[test]
fn a_large_3_1_document_generates_every_operation_and_schema() {
    let per_kind = 40;
    let doc = tests::large_31_document(per_kind);
    let (warnings, stats) = summary(&doc.to_string(), &settings("large-31"));
    let n = per_kind;
    let kinds = tests::LARGE_31_KINDS.len();
    assert_eq!(
        warnings,
        [
            // `Bool.none` (`false`, i.e. `not: {}`) is raw JSON
            // (`Conditional`'s `else: {not: …}` goes with `if`).
            format!("fallback-json: {n}"),
            format!("false-schema: {n}"),
            // `patternProperties`, `if`/`then`/`else` (`dependentRequired`
            // and tuples are checked).
            format!("not-enforced: {}", n + 3 * n),
        ]
    );
    // One operation per schema, and the shared path item's.
    assert_eq!(stats.operations, kinds * n + 1);
    // Every component (and `Name`) and every webhook's inline payload.
    assert_eq!(stats.component_types, kinds * n + 1 + kinds);
}

/// Groups of the 2026 crate checked alone: AI Gateway's tags, and two
/// other families.
const SAMPLE_GROUPS: [&str; 3] = ["ai_gateway", "r2_bucket", "workers"];

/// The whole 2026 crate with one group's feature alone (default features
/// off), under clippy: each group must pull in every type it reaches, from
/// the member crates that hold them.
/// A sample of groups; `cargo xtask corpus --groups all` checks them all.
#[test]
fn cloudflare_2026_single_groups_compile_alone() {
    let Some(text) = tests::shared_spec("cloudflare-openapi-2026-08-18.json") else {
        return;
    };
    let generated =
        generator::generate(&text, &settings("cf-2026-whole")).unwrap_or_else(|d| panic!("{d}"));
    let manifest = &generated.files["Cargo.toml"];
    for group in SAMPLE_GROUPS {
        assert!(
            manifest.contains(&format!("\n{group} = [\n")),
            "no feature {group}"
        );
    }
    // The models are in member crates (`crates/*`, members of the scratch
    // workspace as path dependencies inside it), checked as the features
    // of each group turn them on.
    assert!(
        generated.files.contains_key("crates/shared_1/Cargo.toml"),
        "no member crates"
    );
    let ws = scratch_workspace("corpus-whole", "cf-2026-whole", generated.files);
    for group in SAMPLE_GROUPS {
        let output = std::process::Command::new(cargo())
            .args([
                "clippy",
                "--offline",
                "--message-format=short",
                "--no-default-features",
                "--features",
                group,
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", scratch_dir().join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(": warning") || l.contains(": error"))
            .take(30)
            .collect();
        assert!(
            output.status.success() && problems.is_empty(),
            "group {group}:\n{}",
            problems.join("\n")
        );
    }
}

/// Writes a scratch workspace `scratch/<name>` holding the generated crate
/// `files` as its one member `crate_dir`, with the main lock file (so
/// nothing needs the network). Returns the workspace directory.
fn scratch_workspace(
    name: &str,
    crate_dir: &str,
    files: BTreeMap<String, String>,
) -> std::path::PathBuf {
    let ws = scratch_dir().join(name);
    let mut tree: BTreeMap<String, String> = files
        .into_iter()
        .map(|(path, text)| (format!("{crate_dir}/{path}"), text))
        .collect();
    tree.insert(
        "Cargo.toml".into(),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"{crate_dir}\"]\n"),
    );
    tree.insert(
        "Cargo.lock".into(),
        read_text(&workspace_root().join("Cargo.lock")),
    );
    sync_tree(&ws, &tree).unwrap_or_else(|e| panic!("write {}: {e}", ws.display()));
    ws
}
