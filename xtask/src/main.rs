//! Project automation, run as `cargo xtask <command>`.
//!
//! Exit codes: 0 success, 1 failure (spec errors, stale output, a failing
//! step), 2 usage errors (reported by clap).

mod api_diff;
mod bench;
mod check;
mod corpus;
mod generate;
mod prism;
mod test_cmd;
mod tree;
mod write;

use std::process::ExitCode;

/// See `xtask/Cargo.toml` and BENCHMARKS.md: a third less time for a whole spec.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Project automation for the OpenAPI generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the client crate from the OpenAPI spec (or check it is up to date)
    Generate(generate::GenerateArgs),
    /// Run every check: generate --check, cargo test --workspace, clippy on the generated crate
    Test(test_cmd::TestArgs),
    /// Generate and `cargo check` crates from Cloudflare's whole API descriptions (slow)
    Corpus(corpus::CorpusArgs),
    /// Benchmarks of the generator and the generated crate, beside baselines (BENCHMARKS.md)
    Bench(bench::BenchArgs),
    /// What a spec change does to the generated Rust API: breaking and compatible changes
    ApiDiff(api_diff::ApiDiffArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Test(args) => test_cmd::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Bench(args) => bench::run(args),
        Command::ApiDiff(args) => api_diff::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_generate_options() {
        let cli = Cli::try_parse_from([
            "xtask",
            "generate",
            "--spec",
            "a.yaml",
            "--out",
            "out",
            "--check",
            "--tag",
            "t1",
            "--tag",
            "t2",
            "--operation",
            "op",
            "--package-name",
            "p",
            "--verbose",
            "--report",
            "r.txt",
        ])
        .unwrap();
        let Command::Generate(args) = cli.command else {
            panic!("not generate")
        };
        assert_eq!(args.spec.as_deref(), Some(std::path::Path::new("a.yaml")));
        assert!(args.check && args.verbose);
        assert_eq!(args.tags, ["t1", "t2"]);
        assert_eq!(args.operations, ["op"]);
        assert_eq!(args.package_name.as_deref(), Some("p"));
    }

    #[test]
    fn test_passes_everything_after_the_separator() {
        let cli = Cli::try_parse_from(["xtask", "test", "--", "-p", "tests", "--", "--nocapture"])
            .unwrap();
        let Command::Test(args) = cli.command else {
            panic!("not test")
        };
        assert_eq!(args.cargo_test_args, ["-p", "tests", "--", "--nocapture"]);
    }

    #[test]
    fn parses_api_diff_options() {
        let cli = Cli::try_parse_from([
            "xtask",
            "api-diff",
            "--old",
            "a.yaml",
            "--new",
            "b.yaml",
            "--format",
            "markdown",
            "--fail-on-breaking",
        ])
        .unwrap();
        let Command::ApiDiff(args) = cli.command else {
            panic!("not api-diff")
        };
        assert_eq!(args.old.as_deref(), Some(std::path::Path::new("a.yaml")));
        assert_eq!(args.format, api_diff::Format::Markdown);
        assert!(args.fail_on_breaking);
        let cli = Cli::try_parse_from(["xtask", "api-diff", "--old-git-rev", "HEAD~1"]).unwrap();
        let Command::ApiDiff(args) = cli.command else {
            panic!("not api-diff")
        };
        assert_eq!(args.old_git_rev.as_deref(), Some("HEAD~1"));
        assert_eq!(args.format, api_diff::Format::Text);
        // One old spec, from a file or from git, never both or neither.
        let both = ["xtask", "api-diff", "--old", "a", "--old-git-rev", "HEAD"];
        assert_eq!(Cli::try_parse_from(both).unwrap_err().exit_code(), 2);
        let neither = Cli::try_parse_from(["xtask", "api-diff"]).unwrap_err();
        assert_eq!(neither.exit_code(), 2);
    }

    #[test]
    fn usage_errors_exit_with_2() {
        let err = Cli::try_parse_from(["xtask", "generate", "--bogus"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = Cli::try_parse_from(["xtask", "test", "extra"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}
