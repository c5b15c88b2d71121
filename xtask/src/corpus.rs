//! `cargo xtask corpus`: generates a crate from each of Cloudflare's whole
//! API descriptions (in `../shared/specs`) and `cargo check`s it, reporting
//! the time and peak memory of the check. Too slow for every CI run.

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
    let mut rows = Vec::new();
    for (stem, out, generated_in) in generated {
        let check = if args.no_check {
            None
        } else {
            println!("== cargo check {stem}");
            Some(check(&out, &corpus.join("target"))?)
        };
        rows.push((stem, generated_in, check));
    }
    println!();
    println!("| spec | generate | cargo check | peak memory | warnings |");
    println!("|---|---|---|---|---|");
    for (stem, generated_in, check) in rows {
        match check {
            Some(c) => println!(
                "| {stem} | {:.1} s | {:.0} s | {} | {} |",
                generated_in.as_secs_f64(),
                c.seconds,
                c.peak_kib.map_or("n/a".to_string(), |k| format!(
                    "{:.2} GiB",
                    k as f64 / 1048576.0
                )),
                c.warnings
            ),
            None => println!(
                "| {stem} | {:.1} s | – | – | – |",
                generated_in.as_secs_f64()
            ),
        }
    }
    Ok(())
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

/// `cargo check` of a generated crate, under `/usr/bin/time -v` when that
/// exists, so its peak memory can be read.
fn check(crate_dir: &Path, target: &Path) -> Result<CheckResult, String> {
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.exists() {
        let mut c = Command::new(timer);
        c.arg("-v").arg("cargo");
        c
    } else {
        Command::new("cargo")
    };
    cmd.args(["check", "--quiet", "--message-format=short"])
        .current_dir(crate_dir)
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
