//! How generation time grows with a spec's depth and size: inputs built by
//! `tests::growing` (the same the hostile tests use), each at growing
//! sizes, so that a time growing faster than the size shows in divan's
//! table. Nothing here asserts a time (BENCHMARKS.md).
//!
//! - `nested_invalid`: properties nested n deep, a bad keyword at the
//!   bottom (the degrading path: locating the failure, leaving it out,
//!   generating the rest);
//! - `nested_valid`, `nested_arrays`: the same depths, valid;
//! - `all_of_chain`, `one_of_chain`, `struct_chain`, `ref_chain`: n
//!   components each including, uniting, holding or naming the previous;
//! - `long_enum`, `many_operations`: n enum values, n operations.

use generator::Settings;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn run(bencher: divan::Bencher, spec: serde_json::Value) {
    let text = spec.to_string();
    let settings = Settings::default();
    bencher.bench(|| drop(generator::generate(divan::black_box(&text), &settings)));
}

#[divan::bench(args = [8, 16, 32, 60], sample_count = 10)]
fn nested_invalid(bencher: divan::Bencher, depth: usize) {
    run(bencher, tests::growing::nested_properties(depth, true));
}

#[divan::bench(args = [8, 16, 32, 60], sample_count = 10)]
fn nested_valid(bencher: divan::Bencher, depth: usize) {
    run(bencher, tests::growing::nested_properties(depth, false));
}

#[divan::bench(args = [15, 30, 60, 120], sample_count = 10)]
fn nested_arrays(bencher: divan::Bencher, depth: usize) {
    run(bencher, tests::growing::nested_arrays(depth));
}

#[divan::bench(args = [100, 1_000, 10_000, 20_000], sample_count = 3)]
fn all_of_chain(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::all_of_chain(n));
}

#[divan::bench(args = [100, 1_000, 10_000, 20_000], sample_count = 3)]
fn one_of_chain(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::one_of_chain(n));
}

#[divan::bench(args = [100, 1_000, 10_000, 20_000], sample_count = 3)]
fn struct_chain(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::struct_chain(n));
}

#[divan::bench(args = [100, 1_000, 10_000, 20_000], sample_count = 3)]
fn ref_chain(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::ref_chain(n));
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 3)]
fn long_enum(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::long_enum(n));
}

#[divan::bench(args = [100, 1_000, 5_000], sample_count = 3)]
fn many_operations(bencher: divan::Bencher, n: usize) {
    run(bencher, tests::growing::many_operations(n));
}
