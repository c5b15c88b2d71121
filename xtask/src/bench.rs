//! `cargo xtask bench`: the benchmarks of `tests/benches/` (divan, release
//! profile), then what only a separate process can measure — the peak
//! memory and wall time of a `cargo xtask generate` run on the whole 2026
//! spec, and writing its files — and a summary of every figure beside its
//! baseline, with the ratio and the target. See BENCHMARKS.md.
//!
//! Nothing here asserts a time: a missed target is reported, not failed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::corpus::{self, CorpusArgs};
use crate::generate;

/// The whole spec the whole-spec figures use.
const WHOLE_SPEC: &str = "cloudflare-openapi-2026-08-18.json";
/// Rounds of the write measurement (medians reported).
const WRITE_ROUNDS: usize = 3;
/// Above this 1-minute load average the figures are unreliable (2 cores).
const BUSY_LOAD: f64 = 1.5;

/// Arguments of `cargo xtask bench`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BenchArgs {
    /// Only the divan benchmarks matching this (a regex, passed to divan);
    /// the whole-spec, memory and write measurements run only without it
    #[arg(value_name = "FILTER")]
    pub filter: Option<String>,
    /// Also `cargo check` the whole-spec crate (`cargo xtask corpus` on the
    /// 2026 spec: minutes, and gigabytes of memory)
    #[arg(long)]
    pub corpus: bool,
}

pub fn run(args: &BenchArgs) -> Result<(), String> {
    let root = generate::workspace_root();
    let spec = root
        .join("..")
        .join("shared")
        .join("specs")
        .join(WHOLE_SPEC);
    machine();
    let mut figures = Figures::default();

    // 1. The benchmarks, streamed, their figures kept for the summary.
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.current_dir(&root).args(["bench", "-p", "benches"]);
    if let Some(filter) = &args.filter {
        cargo.args(["--", filter]);
    }
    println!("== cargo bench -p benches");
    let output = stream(cargo)?;
    figures.divan = parse_divan(&output);
    figures.reported = parse_reported(&output);

    let whole_spec = args.filter.is_none() && spec.is_file();
    if args.filter.is_none() && !spec.is_file() {
        println!("\nwhole spec: skipped, {} is absent", spec.display());
    }
    if whole_spec {
        // 2. Peak memory and wall time of the command people run.
        println!("\n== cargo xtask generate --spec {WHOLE_SPEC}, under /usr/bin/time -v");
        figures.cli = Some(cli_run(&spec)?);
        // 3. Writing the files.
        println!("\n== writing the whole-spec crate, {WRITE_ROUNDS} rounds");
        figures.write = Some(writing(&spec)?);
    }
    if args.corpus {
        if spec.is_file() {
            // `corpus` checks the crate itself in full (touched, not
            // incremental), its dependencies staying built.
            println!("\n== cargo xtask corpus {WHOLE_SPEC} (CARGO_INCREMENTAL=0, crate touched)");
            corpus::run(&CorpusArgs {
                specs: vec![spec],
                ..CorpusArgs::default()
            })?;
        } else {
            println!("corpus: skipped, {} is absent", spec.display());
        }
    }
    println!("\n{}", summary(&figures));
    Ok(())
}

/// What the machine is, and how busy: the figures mean little on a busy one.
fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = load_average();
    println!(
        "machine: {cpu}, {cores} cores; load average {}",
        load.map_or("unknown".into(), |l| format!("{l:.2}"))
    );
    if load.is_some_and(|l| l > BUSY_LOAD) {
        println!("note: the machine is busy (load above {BUSY_LOAD}); figures will be slower and noisier than on a quiet one");
    }
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs a command with its stdout echoed and returned (stderr passes through).
fn stream(mut cmd: Command) -> Result<String, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let mut all = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| format!("cannot read the benchmarks' output: {e}"))?;
            println!("{line}");
            all.push_str(&line);
            all.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for {cmd:?}: {e}"))?;
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status})"));
    }
    Ok(all)
}

/// Peak memory and wall time of one `xtask generate` run (this binary).
#[derive(Debug, Clone, Copy)]
struct CliRun {
    wall: Duration,
    peak_kib: Option<u64>,
}

fn cli_run(spec: &Path) -> Result<CliRun, String> {
    // A copy of this binary: a build running beside (the target folder is
    // shared) may have replaced the original while the benchmarks ran;
    // `/proc/self/exe` is still this one.
    let out = scratch("cli")?;
    let exe = out.with_file_name("xtask");
    let own = Path::new("/proc/self/exe");
    let from = if own.exists() {
        own.to_path_buf()
    } else {
        std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?
    };
    std::fs::copy(&from, &exe)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), exe.display()))?;
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.exists() {
        let mut c = Command::new(timer);
        c.arg("-v").arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(&out);
    let started = Instant::now();
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let wall = started.elapsed();
    let _ = std::fs::remove_dir_all(out.parent().unwrap_or(&out));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{cmd:?} failed:\n{stderr}"));
    }
    let peak_kib = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    println!(
        "wall {:.2} s, peak RSS {}",
        wall.as_secs_f64(),
        peak_kib.map_or("n/a (no /usr/bin/time)".into(), kib)
    );
    Ok(CliRun { wall, peak_kib })
}

/// Medians of writing the generated files.
#[derive(Debug, Clone, Copy)]
struct Writing {
    files: usize,
    bytes: usize,
    /// Baseline: `create_dir_all` + `fs::write` per file, nothing else.
    plain: Duration,
    /// `write_tree` into an empty folder: staged, fsynced, swapped in.
    fresh: Duration,
    /// `write_tree` again, nothing changed: compared, hard-linked, swapped.
    unchanged: Duration,
}

fn writing(spec: &Path) -> Result<Writing, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let settings = generator::Settings {
        package_name: "cloudflare-openapi-2026-08-18".into(),
        spec_name: WHOLE_SPEC.into(),
        ..generator::Settings::default()
    };
    let files = generator::generate(&text, &settings)
        .map_err(|d| format!("{WHOLE_SPEC} does not generate:\n{d}"))?
        .files;
    let (mut plain, mut fresh, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..WRITE_ROUNDS {
        let dir = scratch(&format!("write-{round}"))?;
        let started = Instant::now();
        for (key, content) in &files {
            let path = dir.join("plain").join(key);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, content)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        plain.push(started.elapsed());
        let out = dir.join("tree");
        let started = Instant::now();
        crate::write::write_tree(&out, &files, &Default::default())?;
        fresh.push(started.elapsed());
        let started = Instant::now();
        let again = crate::write::write_tree(&out, &files, &Default::default())?;
        unchanged.push(started.elapsed());
        if !again.written.is_empty() {
            return Err("writing the same files twice rewrote some".into());
        }
        let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
    }
    let w = Writing {
        files: files.len(),
        bytes: files.values().map(String::len).sum(),
        plain: median(plain),
        fresh: median(fresh),
        unchanged: median(unchanged),
    };
    println!(
        "{} files, {:.1} MB: plain fs::write {}, write_tree {} (into an empty folder), {} (unchanged)",
        w.files,
        w.bytes as f64 / 1e6,
        ms(w.plain),
        ms(w.fresh),
        ms(w.unchanged)
    );
    Ok(w)
}

/// A fresh folder under `target/bench/<pid>/`.
fn scratch(name: &str) -> Result<PathBuf, String> {
    let base = generate::workspace_root()
        .join("target")
        .join("bench")
        .join(std::process::id().to_string());
    let dir = base.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Everything measured in one run.
#[derive(Debug, Default)]
struct Figures {
    /// Divan's medians by `group/name`.
    divan: BTreeMap<String, Duration>,
    /// The `=> name nanoseconds` lines of the benchmarks.
    reported: BTreeMap<String, u128>,
    cli: Option<CliRun>,
    write: Option<Writing>,
}

/// Divan's medians, by the benchmark's path below the binary's name
/// (`decode_page/generated`). Lines without figures (groups) only name
/// the path; throughput lines carry no `─`.
pub fn parse_divan(output: &str) -> BTreeMap<String, Duration> {
    let mut found = BTreeMap::new();
    let mut path: Vec<String> = Vec::new();
    for line in output.lines() {
        let Some(at) = line.find("─ ") else {
            continue;
        };
        let depth = line[..at].chars().count() / 3;
        let rest = &line[at + "─ ".len()..];
        let columns: Vec<&str> = rest.split('│').collect();
        let mut first = columns[0].split_whitespace();
        let Some(name) = first.next() else { continue };
        path.truncate(depth);
        path.push(name.to_string());
        if let Some(median) = columns.get(2).and_then(|c| parse_time(c.trim())) {
            found.insert(path.join("/"), median);
        }
    }
    found
}

/// `157 µs` → 157 µs; `2.208 s`; `5.3 ns`.
fn parse_time(text: &str) -> Option<Duration> {
    let (number, unit) = text.split_once(' ')?;
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "ns" => 1e-9,
        "µs" | "μs" | "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(number * scale))
}

/// The `=> name nanoseconds` lines.
pub fn parse_reported(output: &str) -> BTreeMap<String, u128> {
    output
        .lines()
        .filter_map(|l| l.strip_prefix("=> "))
        .filter_map(|l| {
            let (name, value) = l.rsplit_once(' ')?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect()
}

fn ms(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn kib(k: u64) -> String {
    format!("{:.0} MiB", k as f64 / 1024.0)
}

/// A target a figure is held to.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// At most this many times the baseline.
    Ratio(f64),
    /// Below this, whatever the baseline.
    Under(Duration),
    /// Reported only.
    None,
}

/// One row of the summary: the figure, its baseline, the ratio, the target
/// and whether it is met (nothing when either figure is missing).
fn row(
    rows: &mut Vec<[String; 6]>,
    what: &str,
    (subject, baseline_name, baseline): (Option<Duration>, &str, Option<Duration>),
    target: Target,
) {
    let (Some(s), Some(b)) = (subject, baseline) else {
        return;
    };
    let ratio = s.as_secs_f64() / b.as_secs_f64();
    let (shown, met) = match target {
        Target::Ratio(max) => (format!("≤ {max}×"), Some(ratio <= max)),
        Target::Under(max) => (format!("< {}", ms(max)), Some(s < max)),
        Target::None => (String::new(), None),
    };
    rows.push([
        what.into(),
        ms(s),
        format!("{baseline_name} {}", ms(b)),
        format!("{ratio:.2}×"),
        shown,
        met.map_or("", |m| if m { "met" } else { "MISSED" }).into(),
    ]);
}

/// The summary table: every figure beside its baseline.
fn summary(f: &Figures) -> String {
    let mut rows: Vec<[String; 6]> = Vec::new();
    generation_rows(f, &mut rows);
    client_rows(f, &mut rows);
    write_rows(f, &mut rows);
    let peaks = peak_lines(f);
    let mut out = String::from("== summary (medians; ratio = figure / baseline)\n");
    out.push_str(
        "| measurement | figure | baseline | ratio | target | |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    for line in peaks {
        out.push_str(&format!("\n{line}"));
    }
    out.push('\n');
    out
}

/// A divan median by name.
fn divan(f: &Figures, key: &str) -> Option<Duration> {
    f.divan.get(key).copied()
}

/// A figure of the whole-spec loop by name.
fn reported(f: &Figures, key: &str) -> Option<Duration> {
    f.reported.get(key).map(|n| Duration::from_nanos(*n as u64))
}

/// The whole spec end to end, by stage, and the formatter's floor.
fn generation_rows(f: &Figures, rows: &mut Vec<[String; 6]>) {
    let r = |k: &str| reported(f, k);
    let json = r("whole_spec/baseline_json_parse");
    row(
        rows,
        "whole spec, end to end",
        (r("whole_spec/generate"), "bare JSON parse", json),
        Target::Ratio(10.0),
    );
    for (stage, label) in [
        ("parse", "parse"),
        ("load", "load"),
        ("ir", "IR"),
        ("render", "emit + format (wall)"),
    ] {
        let figure = r(&format!("whole_spec/stage/{stage}"));
        row(
            rows,
            &format!("  stage: {label}"),
            (figure, "bare JSON parse", json),
            Target::None,
        );
    }
    row(
        rows,
        "  floor: syn + prettyplease alone, / cores",
        (r("whole_spec/format_floor_wall"), "bare JSON parse", json),
        Target::None,
    );
}

/// The small spec, decoding, validation and paging.
fn client_rows(f: &Figures, rows: &mut Vec<[String; 6]>) {
    let d = |k: &str| divan(f, k);
    row(
        rows,
        "List Gateways spec, end to end",
        (
            d("list_gateways/generate"),
            "bare YAML parse",
            d("list_gateways/baseline_yaml_parse"),
        ),
        Target::Under(Duration::from_millis(50)),
    );
    row(
        rows,
        "decode a 100-gateway page",
        (
            d("decode_page/generated"),
            "hand-written serde",
            d("decode_page/baseline_handwritten"),
        ),
        Target::Ratio(1.2),
    );
    row(
        rows,
        "decode + validate()",
        (
            d("decode_page/generated_validate"),
            "decode",
            d("decode_page/generated"),
        ),
        Target::Ratio(1.1),
    );
    row(
        rows,
        "auto-pager, 50 pages",
        (
            d("pager/generated_pager"),
            "reqwest loop",
            d("pager/baseline_reqwest_loop"),
        ),
        Target::Ratio(1.05),
    );
}

/// Writing the whole spec's tree.
fn write_rows(f: &Figures, rows: &mut Vec<[String; 6]>) {
    if let Some(w) = &f.write {
        let what = format!("write {} files (empty folder)", w.files);
        row(
            rows,
            &what,
            (Some(w.fresh), "plain fs::write", Some(w.plain)),
            Target::None,
        );
        let what = "write again (unchanged)";
        row(
            rows,
            what,
            (Some(w.unchanged), "plain fs::write", Some(w.plain)),
            Target::None,
        );
    }
}

/// Peak memory lines under the table.
fn peak_lines(f: &Figures) -> Vec<String> {
    let mut peaks = Vec::new();
    if let (Some(peak), Some(hwm)) = (
        f.reported.get("whole_spec/peak_generate_kib"),
        f.reported.get("whole_spec/peak_parse_kib"),
    ) {
        peaks.push(format!(
            "peak RSS, generate in-process: {} (bare JSON parse: {}; target ≤ 1 GiB: {})",
            kib(*peak as u64),
            kib(*hwm as u64),
            if *peak <= 1 << 20 { "met" } else { "MISSED" }
        ));
    }
    if let Some(cli) = &f.cli {
        peaks.push(format!(
            "`cargo xtask generate` of the whole spec: {} wall, peak RSS {}{}",
            ms(cli.wall),
            cli.peak_kib.map_or("n/a".into(), kib),
            cli.peak_kib.map_or(String::new(), |k| format!(
                " (target ≤ 1 GiB: {})",
                if k <= 1 << 20 { "met" } else { "MISSED" }
            ))
        ));
    }
    peaks
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIVAN: &str = "\
Timer precision: 16 ns
client                       fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ decode_page                             │               │               │               │         │
│  ├─ baseline_handwritten   140 µs        │ 363.6 µs      │ 157 µs        │ 161.4 µs      │ 100     │ 100
│  │                         572.5 MB/s    │ 220.5 MB/s    │ 510.6 MB/s    │ 496.8 MB/s    │         │
│  ╰─ generated              158.8 µs      │ 332.4 µs      │ 174.1 µs      │ 178 µs        │ 100     │ 100
╰─ pager                                   │               │               │               │         │
   ╰─ generated_pager        2.199 s       │ 2.363 s       │ 2.263 s       │ 2.266 s       │ 100     │ 100
generate                   fastest       │ slowest       │ median        │ mean          │ samples │ iters
╰─ list_gateways                         │               │               │               │         │
   ├─ baseline_yaml_parse  252.5 µs      │ 4.449 ms      │ 265.9 ns      │ 313.8 µs      │ 100     │ 100
=> whole_spec/generate 7059902903
";

    #[test]
    fn divan_medians_by_path() {
        let found = parse_divan(DIVAN);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(
            found["decode_page/baseline_handwritten"],
            Duration::from_micros(157)
        );
        assert_eq!(
            found["decode_page/generated"],
            Duration::from_secs_f64(174.1e-6)
        );
        assert_eq!(
            found["pager/generated_pager"],
            Duration::from_secs_f64(2.263)
        );
        assert_eq!(
            found["list_gateways/baseline_yaml_parse"],
            Duration::from_secs_f64(265.9e-9)
        );
    }

    #[test]
    fn reported_lines() {
        let found = parse_reported(DIVAN);
        assert_eq!(found.len(), 1);
        assert_eq!(found["whole_spec/generate"], 7_059_902_903);
    }

    #[test]
    fn the_summary_sets_figures_beside_baselines() {
        let mut f = Figures {
            divan: parse_divan(DIVAN),
            ..Figures::default()
        };
        f.divan
            .insert("pager/baseline_reqwest_loop".into(), Duration::from_secs(2));
        let text = summary(&f);
        assert!(text.contains("| decode a 100-gateway page | 174.1 µs | hand-written serde 157.0 µs | 1.11× | ≤ 1.2× | met |"), "{text}");
        assert!(text.contains("| auto-pager, 50 pages | 2.26 s | reqwest loop 2.00 s | 1.13× | ≤ 1.05× | MISSED |"), "{text}");
        assert!(!text.contains("whole spec"), "{text}");
    }
}
