//! The generator's speed, each figure beside a baseline from the same run:
//!
//! - `list_gateways`: the project's own spec (`spec/openapi.yaml`) end to
//!   end, against a bare `serde_yaml` parse of the same text (divan).
//! - the whole 2026 Cloudflare spec (`../shared/specs/…`), end to end and
//!   per stage ([`generator::generate_timed`]), against a bare
//!   `serde_json::from_str::<serde_json::Value>` of the same text. A run
//!   takes seconds, so this is a plain loop after divan's table: one
//!   warm-up round, then [`ROUNDS`] rounds, each parsing and generating
//!   once (interleaved, so both see the same machine), medians reported.
//!   Skipped, saying so, when the spec is absent.
//!
//! It runs with mimalloc, xtask's allocator. `cargo xtask bench` runs this
//! and reads the `=> name value` lines.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::{Settings, StageTimings};

/// The allocator `cargo xtask generate` runs the generator with (see
/// `xtask/Cargo.toml`), so these figures are the command's; the baselines
/// run with it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Measured rounds of the whole-spec loop (after one warm-up round).
const ROUNDS: usize = 5;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn settings(spec_name: &str, package: &str) -> Settings {
    Settings {
        package_name: package.into(),
        spec_name: spec_name.into(),
        ..Settings::default()
    }
}

/// A figure for `cargo xtask bench` to pick up.
fn report(name: &str, value: Duration) {
    println!("=> {name} {}", value.as_nanos());
}

mod list_gateways {
    use std::sync::LazyLock;

    static SPEC: LazyLock<String> = LazyLock::new(|| {
        super::read(&super::workspace().join("spec/openapi.yaml"))
            .expect("spec/openapi.yaml is part of the repository")
    });

    /// Baseline: the YAML text to a JSON value, nothing else.
    #[divan::bench]
    fn baseline_yaml_parse(bencher: divan::Bencher) {
        let text = SPEC.as_str();
        bencher
            .bench(|| serde_yaml::from_str::<serde_json::Value>(divan::black_box(text)).unwrap());
    }

    /// `generator::generate`: parse, load, IR, emit, format.
    #[divan::bench]
    fn generate(bencher: divan::Bencher) {
        let text = SPEC.as_str();
        let settings = super::settings("spec/openapi.yaml", "cloudflare-ai-gateway");
        bencher.bench(|| generator::generate(divan::black_box(text), &settings).unwrap());
    }
}

fn main() {
    divan::main();
    whole_spec();
}

/// The peak resident memory of this process while `f` runs, in KiB: the
/// high-water mark is reset first (`/proc/self/clear_refs`), so it starts
/// from what the process holds now. `None` where Linux's `/proc` is not.
fn peak_kib_of(f: impl FnOnce()) -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    f();
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

/// How long `syn` takes to parse the generated Rust files' tokens and
/// `prettyplease` to print them again, on one thread: what the generator's
/// format stage cannot go below while emitters build tokens with `quote!`
/// (the text is tokenized first, untimed, since the generator starts from
/// tokens too).
fn format_floor(files: &std::collections::BTreeMap<String, String>) -> (Duration, Duration) {
    let tokens: Vec<proc_macro2::TokenStream> = files
        .iter()
        // The runtime's files are copied, not formatted.
        .filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"))
        .map(|(_, text)| text.parse().expect("generated files are Rust"))
        .collect();
    let (mut parse, mut print) = (Duration::ZERO, Duration::ZERO);
    for stream in tokens {
        let started = Instant::now();
        let file: syn::File = syn::parse2(stream).expect("generated files parse");
        let parsed = Instant::now();
        divan::black_box(prettyplease::unparse(&file));
        drop(file);
        parse += parsed - started;
        print += parsed.elapsed();
    }
    (parse, print)
}

/// The median of some durations.
fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn whole_spec() {
    let name = "cloudflare-openapi-2026-08-18.json";
    let path = workspace().join("../shared/specs").join(name);
    let Some(text) = read(&path) else {
        println!(
            "\nwhole spec: skipped, {} is absent (it comes with ../shared beside the clone)",
            path.display()
        );
        return;
    };
    // `cargo bench -- <filter>` narrows divan's benchmarks; the loop below
    // runs unless the filter is set and does not mention it.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filter.is_empty() && !filter.iter().any(|f| "whole_spec".contains(f.as_str())) {
        return;
    }
    let settings = settings(name, "cloudflare-openapi-2026-08-18");
    println!(
        "\nwhole spec: {name}, {:.1} MB; 1 warm-up round, then {ROUNDS} rounds",
        text.len() as f64 / 1e6
    );
    // Peak memory first, while the process holds little else: the high
    // water mark of this process (Linux), reset before each of the two.
    if let (Some(parse_kib), Some(generate_kib)) = (
        peak_kib_of(|| drop(serde_json::from_str::<serde_json::Value>(&text))),
        peak_kib_of(|| drop(generator::generate(&text, &settings))),
    ) {
        println!(
            "peak RSS: bare JSON parse {} MiB, generate {} MiB",
            parse_kib / 1024,
            generate_kib / 1024
        );
        println!("=> whole_spec/peak_parse_kib {parse_kib}");
        println!("=> whole_spec/peak_generate_kib {generate_kib}");
    }
    let mut parse = Vec::new();
    let mut stages: Vec<StageTimings> = Vec::new();
    let mut floor = Vec::new();
    let mut files = 0;
    for round in 0..=ROUNDS {
        let started = Instant::now();
        let value = serde_json::from_str::<serde_json::Value>(&text).expect("the spec is JSON");
        let parsed = started.elapsed();
        drop(value);
        let (result, timings) = generator::generate_timed(&text, &settings);
        let generated = result.unwrap_or_else(|d| panic!("the spec does not generate:\n{d}"));
        files = generated.files.len();
        let formatting = format_floor(&generated.files);
        drop(generated);
        if round > 0 {
            parse.push(parsed);
            stages.push(timings);
            floor.push(formatting);
        }
    }
    let baseline = median(parse);
    let stage = |f: fn(&StageTimings) -> Duration| median(stages.iter().map(f).collect());
    let total = stage(|t| t.total);
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!("{files} files; medians:");
    let rows: [(&str, &str, Duration); 9] = [
        (
            "whole_spec/baseline_json_parse",
            "baseline: serde_json::from_str::<Value>",
            baseline,
        ),
        ("whole_spec/generate", "generate, end to end", total),
        (
            "whole_spec/stage/parse",
            "  parse (text → JSON value)",
            stage(|t| t.parse),
        ),
        (
            "whole_spec/stage/load",
            "  load (checks, normalise, openapiv3)",
            stage(|t| t.load),
        ),
        (
            "whole_spec/stage/ir",
            "  ir (resolve, lower, dedup, …)",
            stage(|t| t.ir),
        ),
        (
            "whole_spec/stage/render",
            "  emit + format (wall)",
            stage(|t| t.render),
        ),
        (
            "whole_spec/stage/emit",
            "    emit (summed over files)",
            stage(|t| t.emit),
        ),
        (
            "whole_spec/stage/format",
            "    format (summed over files)",
            stage(|t| t.format),
        ),
        (
            "whole_spec/stage/other",
            "  other (freeing the document and IR)",
            total.saturating_sub(stage(|t| t.parse + t.load + t.ir + t.render)),
        ),
    ];
    // The floor of the format stage: `syn` and `prettyplease` alone on the
    // output's tokens, on one thread, spread over the cores this machine has.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parse_only = median(floor.iter().map(|f| f.0).collect());
    let print_only = median(floor.iter().map(|f| f.1).collect());
    let floor = median(floor.iter().map(|f| f.0 + f.1).collect());
    println!(
        "  formatter floor: syn::parse2 + prettyplease of the generated Rust files, \
         one thread {:.1} ms (parse {:.1} ms, print and free {:.1} ms), \
         / {cores} cores = {:.1} ms ({:.2}×)",
        floor.as_secs_f64() * 1e3,
        parse_only.as_secs_f64() * 1e3,
        print_only.as_secs_f64() * 1e3,
        floor.as_secs_f64() * 1e3 / cores as f64,
        ratio(floor) / cores as f64
    );
    report("whole_spec/format_floor_print_thread", print_only);
    report("whole_spec/format_floor_thread", floor);
    report("whole_spec/format_floor_wall", floor / cores as u32);
    for (_, label, value) in &rows {
        println!(
            "  {label:<42} {:>10.1} ms {:>7.2}×",
            value.as_secs_f64() * 1e3,
            ratio(*value)
        );
    }
    for (key, _, value) in rows {
        report(key, value);
    }
}
