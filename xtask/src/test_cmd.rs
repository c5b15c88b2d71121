//! `cargo xtask test`: every check CI runs, as a list of steps run in order.
//!
//! A step may register cleanups in the [`Context`] (e.g. stopping a mock
//! server it started); they run in reverse order after the last step or
//! the first failing one — and, through `Drop`, even if a step panics.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::generate::{self, GenerateArgs};
use crate::prism::{self, PrismServer};

/// The hand-written example the tests run as a binary.
pub const EXAMPLE: &str = "list_gateways";
/// The generated crate's package name.
pub const GENERATED_PACKAGE: &str = "cloudflare-ai-gateway";

/// Arguments of `cargo xtask test`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TestArgs {
    /// Do not install or start the Prism mock server (the tests against it
    /// then skip themselves); for machines without Node.js.
    #[arg(long)]
    pub no_prism: bool,
    /// Extra arguments for `cargo test --workspace` (after `--`), e.g.
    /// `cargo xtask test -- --no-fail-fast -- --nocapture`
    #[arg(last = true, value_name = "CARGO_TEST_ARGS")]
    pub cargo_test_args: Vec<String>,
}

/// Shared state of a run: where commands run, environment variables for
/// later steps (e.g. a mock server's URL), and the pending cleanups.
pub struct Context {
    pub root: PathBuf,
    pub env: Vec<(String, String)>,
    cleanups: Cleanups,
}

impl Context {
    pub fn new(root: PathBuf) -> Context {
        Context {
            root,
            env: Vec::new(),
            cleanups: Cleanups(Vec::new()),
        }
    }

    /// Registers something to undo once the run ends, however it ends.
    pub fn on_cleanup(
        &mut self,
        name: impl Into<String>,
        cleanup: impl FnOnce() -> Result<(), String> + 'static,
    ) {
        self.cleanups.0.push((name.into(), Box::new(cleanup)));
    }

    /// Runs all pending cleanups now, returning the first failure.
    fn finish(&mut self) -> Result<(), String> {
        self.cleanups.run()
    }
}

type CleanupFn = Box<dyn FnOnce() -> Result<(), String>>;

/// Cleanups, run last-registered first; whatever is still pending when this
/// is dropped (a panic, an early return) runs then.
struct Cleanups(Vec<(String, CleanupFn)>);

impl Cleanups {
    fn run(&mut self) -> Result<(), String> {
        let mut first_error = None;
        while let Some((name, cleanup)) = self.0.pop() {
            eprintln!("==> cleanup: {name}");
            if let Err(e) = cleanup() {
                eprintln!("warning: cleanup `{name}` failed: {e}");
                first_error.get_or_insert(format!("cleanup `{name}` failed: {e}"));
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl Drop for Cleanups {
    fn drop(&mut self) {
        let _ = self.run();
    }
}

type StepFn = Box<dyn FnOnce(&mut Context) -> Result<(), String>>;

/// One named step of the run.
pub struct Step {
    pub name: String,
    run: StepFn,
}

impl Step {
    pub fn new(
        name: impl Into<String>,
        run: impl FnOnce(&mut Context) -> Result<(), String> + 'static,
    ) -> Step {
        Step {
            name: name.into(),
            run: Box::new(run),
        }
    }

    /// A `cargo` subcommand run in the workspace root, output streaming.
    pub fn cargo(args: Vec<String>) -> Step {
        let name = format!("cargo {}", args.join(" "));
        Step::new(name.clone(), move |ctx| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
            let status = Command::new(cargo)
                .args(&args)
                .current_dir(&ctx.root)
                .envs(ctx.env.iter().map(|(k, v)| (k, v)))
                .status()
                .map_err(|e| format!("cannot run `{name}`: {e}"))?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("exited with {status}"))
            }
        })
    }
}

/// The steps of `cargo xtask test`, in order, for the workspace at `root`.
pub fn steps(args: &TestArgs, root: &Path) -> Vec<Step> {
    let example = root
        .join("generated")
        .join("examples")
        .join(format!("{EXAMPLE}.rs"));
    plan(args, example.is_file())
}

/// The steps: `with_example` adds building the example binary the tests run.
fn plan(args: &TestArgs, with_example: bool) -> Vec<Step> {
    let mut test = vec![
        "test".to_string(),
        "--workspace".to_string(),
        "--no-fail-fast".to_string(),
    ];
    test.extend(args.cargo_test_args.iter().cloned());
    let clippy = [
        "clippy",
        "-p",
        GENERATED_PACKAGE,
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    let mut steps = vec![Step::new("cargo xtask generate --check", |_| {
        generate::run(&GenerateArgs {
            check: true,
            ..GenerateArgs::default()
        })
    })];
    if !args.no_prism {
        steps.push(Step::new("npm ci --prefix .tools (Prism)", |ctx| {
            prism::install(&ctx.root)
        }));
        steps.push(Step::new("start the Prism mock servers", start_prism));
    }
    if with_example {
        steps.push(Step::new(
            format!("cargo build -p {GENERATED_PACKAGE} --example {EXAMPLE}"),
            build_example,
        ));
    }
    steps.push(Step::cargo(test));
    // The runtime's optional parts, which `--workspace` leaves off.
    let optional = [
        "test",
        "-p",
        "runtime",
        "--features",
        "tracing,blocking",
        "--test",
        "tracing",
        "--test",
        "blocking",
    ];
    steps.push(Step::cargo(
        optional.iter().map(|s| s.to_string()).collect(),
    ));
    // The crate guide's examples of the optional features (`blocking`).
    let doc = ["test", "-p", GENERATED_PACKAGE, "--all-features", "--doc"];
    steps.push(Step::cargo(doc.iter().map(|s| s.to_string()).collect()));
    steps.push(Step::cargo(clippy.iter().map(|s| s.to_string()).collect()));
    steps
}

/// The cargo target directory: `CARGO_TARGET_DIR` (relative to the
/// workspace root) or `<root>/target`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// Starts a static and a dynamic Prism on free ports; exports
/// `PRISM_URL`/`PRISM_LOG` and `PRISM_DYNAMIC_URL`/`PRISM_DYNAMIC_LOG` to
/// the later steps and registers their shutdown.
fn start_prism(ctx: &mut Context) -> Result<(), String> {
    let target = target_dir(&ctx.root);
    for (dynamic, prefix, log) in [
        (false, "PRISM", "prism.log"),
        (true, "PRISM_DYNAMIC", "prism-dynamic.log"),
    ] {
        let log = target.join(log);
        let server = start_on_a_free_port(&ctx.root, dynamic, &log)?;
        let url = server.url();
        eprintln!(
            "    Prism{} (pid {}) on {url}, log {}",
            if dynamic { " --dynamic" } else { "" },
            server.pid(),
            log.display()
        );
        let mut server = server;
        ctx.on_cleanup(format!("stop Prism on {url}"), move || server.stop());
        ctx.env.push((format!("{prefix}_URL"), url));
        ctx.env
            .push((format!("{prefix}_LOG"), log.to_string_lossy().into_owned()));
    }
    Ok(())
}

/// Starts Prism, trying another port if the chosen one was taken between
/// choosing it and Prism binding it.
fn start_on_a_free_port(root: &Path, dynamic: bool, log: &Path) -> Result<PrismServer, String> {
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = prism::free_ports(1)?[0];
        match PrismServer::start(root, port, dynamic, log) {
            Ok(server) => return Ok(server),
            Err(e) => {
                eprintln!("    Prism did not start on port {port}: {e}");
                last_error = e;
            }
        }
    }
    Err(last_error)
}

/// Builds the example and exports its path as `LIST_GATEWAYS_EXAMPLE`.
fn build_example(ctx: &mut Context) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(cargo)
        .args(["build", "-p", GENERATED_PACKAGE, "--example", EXAMPLE])
        .current_dir(&ctx.root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("exited with {status}"));
    }
    let binary = target_dir(&ctx.root)
        .join("debug")
        .join("examples")
        .join(format!("{EXAMPLE}{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(format!(
            "the example was built but {} is missing",
            binary.display()
        ));
    }
    ctx.env.push((
        "LIST_GATEWAYS_EXAMPLE".to_string(),
        binary.to_string_lossy().into_owned(),
    ));
    Ok(())
}

pub fn run(args: &TestArgs) -> Result<(), String> {
    let mut ctx = Context::new(generate::workspace_root());
    let steps = steps(args, &ctx.root);
    run_steps(steps, &mut ctx)
}

/// Runs `steps` in order, stopping at the first failure; cleanups run in
/// every case before this returns.
pub fn run_steps(steps: Vec<Step>, ctx: &mut Context) -> Result<(), String> {
    let total = steps.len();
    let mut result = Ok(());
    for (i, step) in steps.into_iter().enumerate() {
        eprintln!("==> [{}/{total}] {}", i + 1, step.name);
        let started = std::time::Instant::now();
        let outcome = (step.run)(ctx);
        eprintln!(
            "    ({}: {:.1} s)",
            if outcome.is_ok() { "done" } else { "failed" },
            started.elapsed().as_secs_f64()
        );
        if let Err(e) = outcome {
            result = Err(format!(
                "step {}/{total} `{}` failed: {e}",
                i + 1,
                step.name
            ));
            break;
        }
    }
    let cleaned = ctx.finish();
    result?;
    cleaned?;
    eprintln!("==> all {total} steps passed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    type Log = Rc<RefCell<Vec<String>>>;

    fn logging_step(log: &Log, name: &'static str, fail: bool) -> Step {
        let log = log.clone();
        Step::new(name, move |ctx| {
            log.borrow_mut().push(format!("run {name}"));
            let cleanup_log = log.clone();
            ctx.on_cleanup(name, move || {
                cleanup_log.borrow_mut().push(format!("cleanup {name}"));
                Ok(())
            });
            if fail {
                Err("boom".into())
            } else {
                Ok(())
            }
        })
    }

    #[test]
    fn stops_at_the_first_failure_and_still_cleans_up() {
        let log = Log::default();
        let steps = vec![
            logging_step(&log, "a", false),
            logging_step(&log, "b", true),
            logging_step(&log, "c", false),
        ];
        let err = run_steps(steps, &mut Context::new(PathBuf::from("."))).unwrap_err();
        assert_eq!(err, "step 2/3 `b` failed: boom");
        assert_eq!(*log.borrow(), ["run a", "run b", "cleanup b", "cleanup a"]);
    }

    #[test]
    fn cleanups_run_even_when_a_step_panics() {
        let log = Log::default();
        let cleanup_log = log.clone();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut ctx = Context::new(PathBuf::from("."));
            let steps = vec![
                Step::new("server", move |ctx: &mut Context| {
                    ctx.on_cleanup("stop server", move || {
                        cleanup_log.borrow_mut().push("stopped".to_string());
                        Ok(())
                    });
                    Ok(())
                }),
                Step::new("explodes", |_: &mut Context| panic!("step panicked")),
            ];
            run_steps(steps, &mut ctx)
        }));
        assert!(outcome.is_err());
        assert_eq!(*log.borrow(), ["stopped"]);
    }

    #[test]
    fn a_failing_cleanup_fails_the_run() {
        let mut ctx = Context::new(PathBuf::from("."));
        let steps = vec![Step::new("s", |ctx: &mut Context| {
            ctx.on_cleanup("c", || Err("nope".into()));
            Ok(())
        })];
        assert_eq!(
            run_steps(steps, &mut ctx).unwrap_err(),
            "cleanup `c` failed: nope"
        );
    }

    #[test]
    fn extra_arguments_go_to_cargo_test() {
        let args = TestArgs {
            cargo_test_args: vec!["--release".into()],
            ..TestArgs::default()
        };
        let names: Vec<String> = plan(&args, true).into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "cargo xtask generate --check",
                "npm ci --prefix .tools (Prism)",
                "start the Prism mock servers",
                "cargo build -p cloudflare-ai-gateway --example list_gateways",
                "cargo test --workspace --no-fail-fast --release",
                "cargo test -p runtime --features tracing,blocking --test tracing --test blocking",
                "cargo test -p cloudflare-ai-gateway --all-features --doc",
                "cargo clippy -p cloudflare-ai-gateway --all-targets --all-features -- -D warnings"
            ]
        );
    }

    #[test]
    fn no_prism_and_no_example_leave_only_the_cargo_steps() {
        let args = TestArgs {
            no_prism: true,
            ..TestArgs::default()
        };
        let names: Vec<String> = plan(&args, false).into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "cargo xtask generate --check",
                "cargo test --workspace --no-fail-fast",
                "cargo test -p runtime --features tracing,blocking --test tracing --test blocking",
                "cargo test -p cloudflare-ai-gateway --all-features --doc",
                "cargo clippy -p cloudflare-ai-gateway --all-targets --all-features -- -D warnings"
            ]
        );
    }

    #[test]
    fn the_target_dir_defaults_to_target_under_the_root() {
        if std::env::var_os("CARGO_TARGET_DIR").is_none() {
            assert_eq!(target_dir(Path::new("/r")), PathBuf::from("/r/target"));
        }
    }
}
