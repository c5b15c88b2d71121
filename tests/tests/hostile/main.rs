//! Hostile input and faults.
//!
//! - Malformed or unsupported specs are diagnostics with a kind and a JSON
//!   pointer; the real `xtask generate` binary exits with 1 (never 101 or a
//!   signal) and creates or changes nothing.
//! - Valid but strange specs (`tests/specs/hostile/strange.yaml`) and specs
//!   whose text tries to become code (`injection.yaml`) give crates that
//!   pass `cargo clippy -D warnings`, and no spec text becomes a token.
//! - A failed or interrupted write leaves the output folder byte for byte
//!   as it was (the `XTASK_TEST_FAIL_POINT` hook of `xtask generate`).
//! - The generated client survives any server: endless bodies stop at the
//!   size cap, endless headers and trickling bodies end, pagination ends
//!   whatever `result_info` claims, and no error shows a credential.
//!
//! The fuzzing of the same surfaces is in `fuzz/`; the client against
//! misbehaving servers is in `hostile_client.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use generator::{GeneratedFiles, Settings, Severity};
use proc_macro2::{TokenStream, TokenTree};
use serde_json::{json, Value};
use tests::{read_text, scratch_dir, snapshot_text, sync_tree, tests_dir, workspace_root};

// ------------------------------------------------------------------ helpers

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "hostile-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Every entry below `root` (which need not exist): files with their
/// bytes, directories as `None`. Compares trees byte for byte.
fn tree(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if entry.file_type().unwrap().is_dir() {
                out.insert(rel, None);
                stack.push(path);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        if rel == "target" || rel.starts_with("target/") {
            continue;
        }
        match bytes {
            None => fs::create_dir_all(to.join(&rel)).unwrap(),
            Some(bytes) => {
                fs::create_dir_all(to.join(&rel).parent().unwrap()).unwrap();
                fs::write(to.join(&rel), bytes).unwrap();
            }
        }
    }
}

/// The newest modification time of any file under `paths`.
fn newest(paths: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for path in paths {
        let mut stack = vec![path.clone()];
        while let Some(p) = stack.pop() {
            let Ok(meta) = fs::metadata(&p) else { continue };
            if meta.is_dir() {
                for e in fs::read_dir(&p).unwrap() {
                    stack.push(e.unwrap().path());
                }
            } else if let Ok(m) = meta.modified() {
                newest = newest.max(m);
            }
        }
    }
    newest
}

/// The `xtask` binary. `cargo xtask …` (and so CI) builds
/// `<target>/debug/xtask` before the tests run; when it is missing or older
/// than the sources of xtask and the generator, it is built into a target
/// directory of its own (the build running this test holds the lock on the
/// main one).
fn xtask() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = workspace_root();
        let exe = format!("xtask{}", std::env::consts::EXE_SUFFIX);
        let sources: Vec<PathBuf> = [
            "xtask/src",
            "xtask/Cargo.toml",
            "generator/src",
            "generator/Cargo.toml",
            "generator/runtime/src",
            "generator/runtime/Cargo.toml",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        let source_time = newest(&sources);
        let fresh = |bin: &Path| {
            fs::metadata(bin)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= source_time)
        };
        // <target>/<profile>/deps/hostile-… → <target>/<profile>/xtask, or
        // the dev build `cargo xtask` makes when the tests run in release.
        let profile_dir = std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()));
        let candidates = profile_dir
            .iter()
            .flat_map(|d| [d.join(&exe), d.with_file_name("debug").join(&exe)]);
        for bin in candidates {
            if fresh(&bin) {
                return bin;
            }
        }
        let target = root.join("target").join("hostile-xtask");
        let status = Command::new(tests::cargo())
            .args(["build", "-p", "xtask", "--quiet"])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("run cargo build -p xtask");
        assert!(status.success(), "cargo build -p xtask failed");
        target.join("debug").join(&exe)
    })
}

fn run_xtask(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(xtask());
    cmd.args(args).current_dir(workspace_root());
    cmd.env_remove("XTASK_TEST_FAIL_POINT");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run xtask")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

mod interrupted;
mod malformed;
mod strange;

use malformed::schemas;
