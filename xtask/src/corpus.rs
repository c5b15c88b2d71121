//! `cargo xtask corpus`: generates a crate from each of Cloudflare's whole
//! API descriptions (in `../shared/specs`) and `cargo check`s it with every
//! group enabled, reporting the size of the output and the time and peak
//! memory (of the biggest `rustc`) of the check, then `cargo doc`s it with
//! rustdoc's warnings denied; `--groups` also checks groups alone. Too slow
//! for every CI run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::generate::{self, GenerateArgs};

/// Arguments of `cargo xtask corpus`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CorpusArgs {
    /// Spec files to take [default: every *.json in ../shared/specs]
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// Only generate; skip `cargo check`
    #[arg(long)]
    pub no_check: bool,
    /// Also check groups alone (`--no-default-features --features G`):
    /// `all`, or names separated by commas
    #[arg(long, value_name = "GROUPS")]
    pub groups: Option<String>,
}

pub fn run(args: &CorpusArgs) -> Result<(), String> {
    let root = generate::workspace_root();
    let specs = if args.specs.is_empty() {
        default_specs(&root)?
    } else {
        args.specs.clone()
    };
    let corpus = root.join("target").join("corpus");
    // The crates sit inside this repository's folder tree, so they need a
    // workspace of their own (with this repository's lock file, for the
    // same dependency versions).
    let members: Vec<String> = specs.iter().map(|s| format!("{:?}", stem_of(s))).collect();
    std::fs::create_dir_all(&corpus)
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    std::fs::write(
        corpus.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| format!("cannot write the corpus workspace: {e}"))?;
    std::fs::copy(root.join("Cargo.lock"), corpus.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    // Every crate first (the workspace lists them all), then the checks.
    let mut generated = Vec::new();
    for spec in &specs {
        let stem = stem_of(spec);
        let out = corpus.join(&stem);
        println!("== {stem}");
        let started = Instant::now();
        generate::run(&GenerateArgs {
            spec: Some(spec.clone()),
            out: Some(out.clone()),
            package_name: Some(generate::kebab_case(&stem)),
            ..GenerateArgs::default()
        })?;
        generated.push((stem, out, started.elapsed()));
    }
    let target = corpus.join("target");
    let mut rows = Vec::new();
    for (stem, out, generated_in) in generated {
        // The whole folder: a large API's members are under `crates/`.
        let (lines, bytes) = size_of_rust(&out);
        let mut checks = Vec::new();
        if !args.no_check {
            println!("== cargo check {stem}");
            checks.push(("all".to_string(), check(&out, &target, &[])?));
            println!("== cargo doc {stem} (warnings denied)");
            let seconds = doc(&out, &target)?;
            println!("   documented in {seconds:.0} s, no warnings");
            for group in groups_to_check(&out, args.groups.as_deref())? {
                println!("== cargo check {stem} --features {group}");
                let features = ["--no-default-features", "--features", group.as_str()];
                checks.push((group.clone(), check(&out, &target, &features)?));
            }
        }
        rows.push((stem, generated_in, lines, bytes, checks));
    }
    print_table(&rows);
    Ok(())
}

type Row = (
    String,
    std::time::Duration,
    usize,
    u64,
    Vec<(String, CheckResult)>,
);

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| spec | generate | lines | MB | features | cargo check | peak rustc memory | warnings |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (stem, generated_in, lines, bytes, checks) in rows {
        let head = format!(
            "| {stem} | {:.1} s | {lines} | {:.1} |",
            generated_in.as_secs_f64(),
            *bytes as f64 / 1e6
        );
        if checks.is_empty() {
            println!("{head} – | – | – | – |");
        }
        for (features, c) in checks {
            println!(
                "{head} {features} | {:.0} s | {} | {} |",
                c.seconds,
                c.peak_kib.map_or("n/a".to_string(), |k| format!(
                    "{:.2} GiB",
                    k as f64 / 1048576.0
                )),
                c.warnings
            );
        }
    }
}

/// Lines and bytes of the generated Rust files under `dir`.
fn size_of_rust(dir: &Path) -> (usize, u64) {
    let mut total = (0, 0);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return total;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            let (l, b) = size_of_rust(&path);
            total = (total.0 + l, total.1 + b);
        } else if path.extension().is_some_and(|x| x == "rs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                total = (total.0 + text.lines().count(), total.1 + text.len() as u64);
            }
        }
    }
    total
}

/// The groups `--groups` names: for `all`, every feature `all-groups`
/// lists but `unreferenced-types`; else the listed ones.
fn groups_to_check(crate_dir: &Path, wanted: Option<&str>) -> Result<Vec<String>, String> {
    let Some(wanted) = wanted else {
        return Ok(Vec::new());
    };
    if wanted != "all" {
        return Ok(wanted.split(',').map(|g| g.trim().to_string()).collect());
    }
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .map_err(|e| format!("cannot read {}: {e}", crate_dir.display()))?;
    Ok(manifest
        .lines()
        .skip_while(|l| *l != "all-groups = [")
        .skip(1)
        .take_while(|l| *l != "]")
        .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\","))
        .filter(|g| !g.contains('-'))
        .map(str::to_string)
        .collect())
}

fn stem_of(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn default_specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("..").join("shared").join("specs");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        format!(
            "no specs to take: cannot read {} ({e}); pass spec files as arguments",
            dir.display()
        )
    })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    Ok(specs)
}

struct CheckResult {
    seconds: f64,
    peak_kib: Option<u64>,
    warnings: usize,
}

/// `cargo check -j2` of a generated crate (its `lib.rs` files touched and
/// without incremental state, so the crate itself is checked again in
/// full), under `/usr/bin/time -v` when that exists, so the peak memory of
/// the biggest child process, a `rustc`, can be read.
/// `cargo doc --no-deps --all-features` with rustdoc's warnings denied:
/// the docs of a whole crate are warning-free. Returns the seconds taken.
fn doc(crate_dir: &Path, target: &Path) -> Result<f64, String> {
    let started = Instant::now();
    let output = Command::new("cargo")
        .args(["doc", "-j2", "--no-deps", "--all-features", "--quiet"])
        .args(["--message-format=short"])
        .current_dir(crate_dir)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo doc: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let problems: Vec<&str> = stderr.lines().take(50).collect();
        return Err(format!(
            "cargo doc failed in {}:\n{}",
            crate_dir.display(),
            problems.join("\n")
        ));
    }
    Ok(started.elapsed().as_secs_f64())
}

fn check(crate_dir: &Path, target: &Path, features: &[&str]) -> Result<CheckResult, String> {
    // A large API's member crates (`crates/*`) are checked again too.
    let members = std::fs::read_dir(crate_dir.join("crates"))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    for dir in std::iter::once(crate_dir.to_path_buf()).chain(members) {
        let lib = dir.join("src").join("lib.rs");
        if let Ok(file) = std::fs::File::options().append(true).open(&lib) {
            // Ignored on failure: the check is then possibly a no-op, no worse.
            let _ = file.set_modified(std::time::SystemTime::now());
        }
    }
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.exists() {
        let mut c = Command::new(timer);
        c.arg("-v").arg("cargo");
        c
    } else {
        Command::new("cargo")
    };
    cmd.args(["check", "-j2", "--quiet", "--message-format=short"])
        .args(features)
        .current_dir(crate_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", target);
    let started = Instant::now();
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings = stderr.lines().filter(|l| l.contains(": warning")).count();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error")).collect();
    let peak_kib = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    for line in stderr
        .lines()
        .filter(|l| l.contains(": warning") || l.contains(": error"))
        .take(50)
    {
        eprintln!("{line}");
    }
    if !output.status.success() || !errors.is_empty() {
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "cargo check of {} failed with {} errors:\n{}",
            crate_dir.display(),
            errors.len(),
            tail.join("\n")
        ));
    }
    Ok(CheckResult {
        seconds,
        peak_kib,
        warnings,
    })
}
