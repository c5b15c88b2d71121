//! `cargo xtask test`: every check CI runs, as a list of steps run in order.
//!
//! A step may register cleanups in the [`Context`] (e.g. stopping a mock
//! server it started); they run in reverse order after the last step or
//! the first failing one — and, through `Drop`, even if a step panics.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::generate::{self, GenerateArgs};

/// Arguments of `cargo xtask test`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TestArgs {
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
    #[allow(dead_code)] // for steps that start things, such as a mock server
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

/// The steps of `cargo xtask test`, in order.
pub fn steps(args: &TestArgs) -> Vec<Step> {
    let mut test = vec!["test".to_string(), "--workspace".to_string()];
    test.extend(args.cargo_test_args.iter().cloned());
    let clippy = [
        "clippy",
        "-p",
        "cloudflare-ai-gateway",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    vec![
        Step::new("cargo xtask generate --check", |_| {
            generate::run(&GenerateArgs {
                check: true,
                ..GenerateArgs::default()
            })
        }),
        Step::cargo(test),
        Step::cargo(clippy.iter().map(|s| s.to_string()).collect()),
    ]
}

pub fn run(args: &TestArgs) -> Result<(), String> {
    let mut ctx = Context::new(generate::workspace_root());
    run_steps(steps(args), &mut ctx)
}

/// Runs `steps` in order, stopping at the first failure; cleanups run in
/// every case before this returns.
pub fn run_steps(steps: Vec<Step>, ctx: &mut Context) -> Result<(), String> {
    let total = steps.len();
    let mut result = Ok(());
    for (i, step) in steps.into_iter().enumerate() {
        eprintln!("==> [{}/{total}] {}", i + 1, step.name);
        if let Err(e) = (step.run)(ctx) {
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
            cargo_test_args: vec!["--no-fail-fast".into()],
        };
        let names: Vec<String> = steps(&args).into_iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "cargo xtask generate --check",
                "cargo test --workspace --no-fail-fast",
                "cargo clippy -p cloudflare-ai-gateway --all-targets -- -D warnings"
            ]
        );
    }
}
