//! Runs the behaviour tests of `tests/behaviour/` against the crates
//! generated from the focused specs, in the scratch workspace (see
//! `tests::prepare_scratch_workspace`).

use tests::{cargo_in_scratch, scratch_dir};

#[test]
fn focused_crates_behave() {
    let started = std::time::Instant::now();
    let (ok, output) = cargo_in_scratch(&[
        "test",
        "-p",
        "behaviour",
        "--offline",
        "--no-fail-fast",
        "--message-format=short",
    ]);
    // On failure, show the failing tests first: the list cargo prints last.
    let summary: Vec<&str> = output
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with("FAILED") || l.starts_with("error"))
        .collect();
    assert!(
        ok,
        "behaviour tests failed in {} ({:.0?}):\n{}\n\n--- output ---\n{output}",
        scratch_dir().join("ws").display(),
        started.elapsed(),
        summary.join("\n"),
    );
}
