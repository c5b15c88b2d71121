//! `generator::diff`: the report between the pairs of specs in
//! `tests/specs/diff/<case>/{old,new}.yaml`, one snapshot per case
//! (`diff__<case>`), and Cloudflare's 2024 and 2026 descriptions as a corpus
//! case with pinned counts (skipped, saying so, without `../shared`).

use generator::diff::{diff_specs, render, Report};
use generator::Settings;
use std::collections::BTreeSet;
use tests::{read_text, tests_dir};

fn cases() -> Vec<String> {
    let dir = tests_dir().join("specs").join("diff");
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn report(case: &str) -> Report {
    let dir = tests_dir().join("specs").join("diff").join(case);
    let old = read_text(&dir.join("old.yaml"));
    let new = read_text(&dir.join("new.yaml"));
    diff_specs(&old, &new, &Settings::default())
        .unwrap_or_else(|e| panic!("case {case} does not build: {e:?}"))
}

#[test]
fn every_case_is_snapshotted() {
    let cases = cases();
    assert!(cases.len() >= 8, "{cases:?}");
    for case in cases {
        let report = report(&case);
        insta::assert_snapshot!(format!("diff__{case}"), render::text(&report));
    }
}

#[test]
fn the_same_api_in_another_order_has_no_change() {
    let report = report("unchanged");
    assert!(report.is_empty(), "{}", render::text(&report));
    assert_eq!(
        report.summary_line(),
        "0 added, 0 removed, 0 changed, 0 breaking"
    );
}

#[test]
fn a_spec_against_itself_has_no_change() {
    for case in cases() {
        let dir = tests_dir().join("specs").join("diff").join(&case);
        for side in ["old.yaml", "new.yaml"] {
            let text = read_text(&dir.join(side));
            let report = diff_specs(&text, &text, &Settings::default()).unwrap();
            assert!(
                report.is_empty(),
                "{case}/{side}: {}",
                render::text(&report)
            );
        }
    }
}

/// Every kind of change is shown by at least one case.
#[test]
fn the_cases_cover_every_kind_of_change() {
    let mut seen = BTreeSet::new();
    for case in cases() {
        for g in report(&case).operations.iter().chain(&report(&case).types) {
            for c in &g.changes {
                seen.insert(c.kind.label());
            }
        }
    }
    let missing: Vec<&str> = ALL_KINDS
        .iter()
        .copied()
        .filter(|k| !seen.contains(*k))
        .collect();
    assert!(missing.is_empty(), "no case shows: {missing:?}");
}

/// The kinds of change the cases must show. Not here: the ones that need a
/// second change of the same item to show alone (a union variant whose type
/// changes under the same name, a parameter made optional, a body removed
/// or made optional, a pager or a stream method lost, a params argument removed or renamed,
/// a field renamed by a name collision, additional properties).
const ALL_KINDS: &[&str] = &[
    "operation added",
    "operation removed",
    "operation renamed",
    "operation deprecated",
    "parameter added",
    "parameter removed",
    "parameter renamed",
    "parameter made required",
    "parameter type changed",
    "params argument added",
    "body added",
    "body made required",
    "body type changed",
    "response type changed",
    "pager gained",
    "stream method gained",
    "type added",
    "type removed",
    "type renamed",
    "type kind changed",
    "field added",
    "field removed",
    "field type changed",
    "field made required",
    "field made optional",
    "field nullability changed",
    "default gained",
    "default lost",
    "enum value added",
    "enum value removed",
    "union variant added",
    "union variant removed",
    "alias target changed",
    "constraint tightened",
    "constraint loosened",
    "constraint changed",
];

#[test]
fn markdown_and_json_carry_the_same_changes() {
    let report = report("fields");
    let md = render::markdown(&report);
    insta::assert_snapshot!("diff_markdown__fields", md);
    let json: serde_json::Value = serde_json::from_str(&render::json(&report)).unwrap();
    assert_eq!(json["counts"]["breaking"], report.counts.breaking);
    let changes: usize = json["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["changes"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        changes,
        report.type_counts.added + report.type_counts.removed + report.type_counts.changed
    );
    let first = &json["types"][0]["changes"][0];
    assert!(first["kind"].is_string() && first["item"].as_str().unwrap().starts_with("models::"));
    // Every change of the report is one table row.
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| 🔴") || l.starts_with("| 🟢"))
        .count();
    assert_eq!(rows, report.counts.breaking + report.counts.compatible);
}

/// Cloudflare's 2024 → 2026 descriptions: the counts are pinned, so any
/// change to what the diff finds on a real API shows here (re-pinned when
/// multipart bodies became typed parts, and when plural acronyms such as
/// `URLs` became one word in names).
#[test]
fn cloudflare_2024_to_2026() {
    let (Some(old), Some(new)) = (
        tests::shared_spec("cloudflare-openapi-2024-08-06.json"),
        tests::shared_spec("cloudflare-openapi-2026-08-18.json"),
    ) else {
        return;
    };
    let report = diff_specs(&old, &new, &Settings::default()).unwrap_or_else(|e| panic!("{e:?}"));
    let c = report.counts;
    assert_eq!(
        (c.added, c.removed, c.changed, c.breaking, c.compatible),
        (10333, 1959, 5171, 6731, 10732),
        "{}",
        report.summary_line()
    );
    assert_eq!(report.operation_counts.added, 2407);
    assert_eq!(report.type_counts.added, 7926);
}
