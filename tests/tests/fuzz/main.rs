//! Property-based fuzzing (proptest, stable Rust) of the two places hostile
//! bytes reach the project:
//!
//! - the generator: `generator::generate` on mutated seed specs, on specs
//!   built from a grammar of schema keywords (OpenAPI 3.0's, and 3.1's and
//!   3.2's), and on random JSON and text,
//!   must return (`Ok` or `Err`) without panicking, and on `Ok` every
//!   generated `.rs` file must parse with `syn`;
//! - the generated client's models: arbitrary bytes and mutated responses
//!   decoded into `AigConfigListGatewayResponse` and `validate()`d must not
//!   panic.
//!
//! The seeds are the project spec, the focused specs (`tests/specs/`,
//! hostile ones included) and the regression seeds in `tests/fuzz-seeds/`
//! (inputs that once crashed the generator). CI runs a bounded smoke run
//! (the `DEFAULT_CASES_*` below, about 20 s); a long run:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test -p tests --test fuzz --release -- --nocapture
//! ```
//!
//! A panic is caught with `catch_unwind`, and the failing input is written
//! to `target/fuzz/failure-<n>.json` and named in the failure. A stack
//! overflow aborts the process instead; the input being tried is always in
//! `target/fuzz/last-input-<property>.txt`.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cloudflare_ai_gateway::models::AigConfigListGatewayResponse;
use cloudflare_ai_gateway::Validate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use tests::{focused_spec_path, main_spec_path, parse_yaml, read_text, tests_dir, Settings};

/// Cases per property when `PROPTEST_CASES` is not set: together about
/// 20 s of a debug build (the generator itself is optimised in the dev
/// profile) on one core.
const DEFAULT_CASES_MUTATED: u32 = 4000;
const DEFAULT_CASES_GRAMMAR: u32 = 4000;
const DEFAULT_CASES_RANDOM: u32 = 4000;
const DEFAULT_CASES_GRAMMAR31: u32 = 2000;
const DEFAULT_CASES_MODELS: u32 = 20000;

/// A generation that takes longer than this is a finding too (something
/// super-linear); the seeds take milliseconds.
const SLOW: Duration = Duration::from_secs(10);

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default_cases),
        // Failures are kept as explicit seeds in tests/fuzz-seeds/ instead.
        failure_persistence: None,
        // Shrinking a generator input can take long; a bounded number of
        // steps still gives a much smaller spec.
        max_shrink_iters: 2000,
        ..Config::default()
    })
}

fn fuzz_dir() -> PathBuf {
    let dir = tests::workspace_root().join("target").join("fuzz");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Counts for the summary line each property prints.
struct Tally {
    /// Names `target/fuzz/last-input-<name>.txt` (properties run in
    /// parallel, each has its own).
    name: &'static str,
    runs: AtomicUsize,
    ok: AtomicUsize,
    err: AtomicUsize,
    kinds: Mutex<BTreeSet<&'static str>>,
}

impl Tally {
    fn new(name: &'static str) -> Tally {
        Tally {
            name,
            runs: AtomicUsize::new(0),
            ok: AtomicUsize::new(0),
            err: AtomicUsize::new(0),
            kinds: Mutex::new(BTreeSet::new()),
        }
    }

    fn report(&self, started: Instant) {
        let what = self.name;
        let kinds = self.kinds.lock().unwrap();
        println!(
            "fuzz {what}: {} executions in {:.1?} ({} Ok, {} Err; error kinds seen: {})",
            self.runs.load(Ordering::Relaxed),
            started.elapsed(),
            self.ok.load(Ordering::Relaxed),
            self.err.load(Ordering::Relaxed),
            kinds.iter().copied().collect::<Vec<_>>().join(", ")
        );
    }
}

/// Runs the generator on `spec` the way a user would; fails the case on a
/// panic (saving the input), on a generated file that does not parse, or on
/// a very slow run.
fn check_generate(spec: &str, tally: &Tally) -> Result<(), TestCaseError> {
    let _ = std::fs::write(
        fuzz_dir().join(format!("last-input-{}.txt", tally.name)),
        spec,
    );
    tally.runs.fetch_add(1, Ordering::Relaxed);
    let settings = Settings::default();
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| generator::generate(spec, &settings)));
    let took = started.elapsed();
    let result = match outcome {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let path = save_failure(spec);
            return Err(TestCaseError::fail(format!(
                "generate panicked: {message}\ninput saved to {}",
                path.display()
            )));
        }
    };
    if took > SLOW {
        let path = save_failure(spec);
        return Err(TestCaseError::fail(format!(
            "generate took {took:.1?}; input saved to {}",
            path.display()
        )));
    }
    match result {
        Ok(files) => {
            tally.ok.fetch_add(1, Ordering::Relaxed);
            for (name, text) in &files.files {
                // The runtime is copied verbatim; its own tests cover it.
                if !name.ends_with(".rs") || name.starts_with("src/runtime/") {
                    continue;
                }
                if let Err(e) = syn::parse_file(text) {
                    let path = save_failure(spec);
                    return Err(TestCaseError::fail(format!(
                        "{name} does not parse: {e}\ninput saved to {}",
                        path.display()
                    )));
                }
            }
        }
        Err(diags) => {
            tally.err.fetch_add(1, Ordering::Relaxed);
            let mut kinds = tally.kinds.lock().unwrap();
            for d in diags.iter() {
                kinds.insert(d.kind);
            }
            // An `Err` without an error diagnostic would be a silent failure.
            prop_assert!(
                diags.has_errors(),
                "Err without an error diagnostic: {diags}"
            );
        }
    }
    Ok(())
}

fn save_failure(spec: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = fuzz_dir().join(format!(
        "failure-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::write(&path, spec);
    path
}

// ------------------------------------------------------------------ seeds

/// Every seed spec as a JSON value: the project spec, the focused specs,
/// the hostile specs and the regression seeds.
fn seeds() -> Vec<(String, Value)> {
    let mut out = vec![(
        "spec/openapi.yaml".to_string(),
        parse_yaml(&read_text(&main_spec_path())),
    )];
    for name in tests::focused_specs() {
        let path = focused_spec_path(&name);
        out.push((format!("tests/specs/{name}"), parse_yaml(&read_text(&path))));
    }
    for dir in ["specs/hostile", "fuzz-seeds"] {
        let dir = tests_dir().join(dir);
        let mut files = tests::list_files(&dir).expect("list seeds");
        files.retain(|f| f.ends_with(".yaml") || f.ends_with(".json"));
        for f in files {
            out.push((
                format!("{}/{f}", dir.display()),
                parse_yaml(&read_text(&dir.join(&f))),
            ));
        }
    }
    out
}

#[test]
fn every_seed_generates_without_panicking() {
    let tally = Tally::new("seeds");
    let seeds = seeds();
    assert!(seeds.len() >= 12, "{} seeds", seeds.len());
    for (name, seed) in &seeds {
        let text = serde_json::to_string_pretty(seed).unwrap();
        if let Err(e) = check_generate(&text, &tally) {
            panic!("seed {name}: {e}");
        }
    }
}

mod compile;
mod grammar;
mod grammar31;
mod models;
mod mutations;

use mutations::{
    apply, arb_json, arb_mutation, arb_number, arb_string, locations, render, Mutation, FRAGMENTS,
};
