//! Every focused spec's generated crate compiles, clippy-clean under
//! `-D warnings`, and documents with rustdoc's warnings denied, in a scratch
//! workspace under `target/snapshot-check/`.
//!
//! The scratch workspace is kept between runs (files are rewritten only when
//! their content changes), and it has its own target directory, so this test
//! never waits for the lock of the build that runs it.

use tests::{cargo_in_scratch, cargo_in_with, prepare_scratch_workspace, scratch_dir};

#[test]
fn every_focused_crate_passes_clippy_with_warnings_denied() {
    let started = std::time::Instant::now();
    // `--keep-going`: report every crate's problems, not the first crate's.
    let (ok, output) = cargo_in_scratch(&[
        "clippy",
        "--workspace",
        "--exclude",
        "behaviour",
        "--all-targets",
        "--offline",
        "--keep-going",
        "--message-format=short",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        ok,
        "`cargo clippy -- -D warnings` failed on the focused crates in {} ({:.0?}):\n{output}",
        scratch_dir().join("ws").display(),
        started.elapsed(),
    );
}

/// Spec Markdown (links, bare URLs, brackets, code blocks, HTML, lists)
/// becomes docs rustdoc takes without a warning, and the crate guide's
/// links resolve: one `cargo doc` over every focused crate.
#[test]
fn every_focused_crate_documents_with_warnings_denied() {
    let ws = prepare_scratch_workspace();
    let (ok, output) = cargo_in_with(
        &ws,
        &[
            "doc",
            "--workspace",
            "--exclude",
            "behaviour",
            "--no-deps",
            "--all-features",
            "--offline",
            "--keep-going",
            "--message-format=short",
        ],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(
        ok,
        "`cargo doc` with warnings denied failed on the focused crates in {}:\n{output}",
        ws.display(),
    );
}
