//! `cargo xtask generate`: spec file → generator → output directory.

use std::fs;
use std::path::{Component, Path, PathBuf};

use generator::{Diagnostics, Settings, Severity};

use crate::{check, write};

/// Package name of the crate generated from the default spec.
const DEFAULT_PACKAGE: &str = "cloudflare-ai-gateway";
const DEFAULT_SPEC: &str = "spec/openapi.yaml";
const DEFAULT_OUT: &str = "generated";

/// Arguments of `cargo xtask generate`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GenerateArgs {
    /// OpenAPI 3.0, 3.1 or 3.2 spec, YAML or JSON [default: <workspace>/spec/openapi.yaml]
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Directory of the generated crate [default: <workspace>/generated]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail with a diff if the output directory is not up to date
    #[arg(long)]
    pub check: bool,
    /// Only operations with this tag (repeatable)
    #[arg(long = "tag", value_name = "NAME")]
    pub tags: Vec<String>,
    /// Only the operation with this operationId (repeatable)
    #[arg(long = "operation", value_name = "ID")]
    pub operations: Vec<String>,
    /// Cargo package name [default: cloudflare-ai-gateway for the default spec,
    /// else the output directory's name in kebab-case]
    #[arg(long, value_name = "NAME")]
    pub package_name: Option<String>,
    /// Prefix of the generated client's environment variables
    /// (`{PREFIX}_API_TOKEN`, `{PREFIX}_BASE_URL`, …) [default: derived from
    /// the spec's title, e.g. CLOUDFLARE for "Cloudflare API"]
    #[arg(long, value_name = "PREFIX")]
    pub env_prefix: Option<String>,
    /// Treat every warning as an error: generate nothing if the spec needed
    /// any normalisation or fallback
    #[arg(long)]
    pub strict: bool,
    /// Print every warning, not only the counts per kind
    #[arg(long, short)]
    pub verbose: bool,
    /// Write every diagnostic to this file
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// The workspace root: the parent of this package's directory.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where a run reads and writes, resolved, and how it shows them.
struct Places {
    spec_path: PathBuf,
    out: PathBuf,
    out_label: String,
}

/// Runs the command; `Err` carries the message for a failure (exit code 1).
pub fn run(args: &GenerateArgs) -> Result<(), String> {
    let (places, settings) = plan(args)?;
    let spec = fs::read_to_string(&places.spec_path)
        .map_err(|e| format!("cannot read the spec {}: {e}", places.spec_path.display()))?;
    let generated = match generator::generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(diagnostics) => return Err(refused(args, &settings, &diagnostics)),
    };
    report(args, &generated)?;
    if args.check {
        return check_only(&places, &generated, &settings.command);
    }
    if write_out(args, &places, &generated)? {
        if let Some(line) = api_change_line(&places.spec_path, &spec, &settings) {
            println!("{line}");
        }
    }
    Ok(())
}

/// The paths and settings of a run, from its arguments.
fn plan(args: &GenerateArgs) -> Result<(Places, Settings), String> {
    let root = resolve(&workspace_root())?;
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let (default_spec, default_out) = (
        resolve(&root.join(DEFAULT_SPEC))?,
        resolve(&root.join(DEFAULT_OUT))?,
    );
    let user_path = |given: &Option<PathBuf>, default: &PathBuf| match given {
        Some(p) => resolve(&cwd.join(p)),
        None => Ok(default.clone()),
    };
    let spec_path = user_path(&args.spec, &default_spec)?;
    let out = user_path(&args.out, &default_out)?;
    let spec_is_default = spec_path == default_spec;
    let spec_name = relative_to(&spec_path, &root).unwrap_or_else(|| file_name(&spec_path));
    let out_label = relative_to(&out, &root).unwrap_or_else(|| shown_outside(&args.out, &out));
    let package_name = match &args.package_name {
        Some(name) => name.clone(),
        None if spec_is_default => DEFAULT_PACKAGE.to_string(),
        None => {
            let derived = kebab_case(&file_name(&out));
            if derived.is_empty() {
                return Err(format!(
                    "cannot derive a package name from {}: pass --package-name",
                    out.display()
                ));
            }
            derived
        }
    };
    let spec_shown = (!spec_is_default).then(|| {
        relative_to(&spec_path, &root).unwrap_or_else(|| shown_outside(&args.spec, &spec_path))
    });
    let out_shown = (out != default_out).then(|| out_label.clone());
    let settings = Settings {
        package_name,
        spec_name,
        command: command_line(args, spec_shown, out_shown),
        tags: args.tags.clone(),
        operations: args.operations.clone(),
        strict: args.strict,
        env_prefix: args.env_prefix.clone(),
        ..Settings::default()
    };
    let places = Places {
        spec_path,
        out,
        out_label,
    };
    Ok((places, settings))
}

/// The command that regenerates the output, as the header shows it: the
/// options that change the output, with the paths that are not defaults.
fn command_line(args: &GenerateArgs, spec: Option<String>, out: Option<String>) -> String {
    let mut words: Vec<String> = ["cargo", "xtask", "generate"].map(String::from).into();
    let options = [("--spec", spec.as_slice()), ("--out", out.as_slice())];
    let repeated = [
        ("--tag", &args.tags[..]),
        ("--operation", &args.operations[..]),
    ];
    let named = [
        ("--package-name", args.package_name.as_slice()),
        ("--env-prefix", args.env_prefix.as_slice()),
    ];
    for (flag, values) in options.into_iter().chain(repeated).chain(named) {
        for value in values {
            words.extend([flag.to_string(), value.clone()]);
        }
    }
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints the diagnostics of a refused spec, errors first, and returns the
/// failure's message.
fn refused(args: &GenerateArgs, settings: &Settings, diagnostics: &Diagnostics) -> String {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let others = diagnostics.iter().filter(|d| d.severity != Severity::Error);
    for d in errors.iter().copied().chain(others) {
        eprintln!("{d}");
    }
    if let Err(e) = write_report(args, diagnostics) {
        return e;
    }
    let plural = if errors.len() == 1 { "" } else { "s" };
    format!(
        "{} could not be generated: {} error{plural}",
        settings.spec_name,
        errors.len()
    )
}

/// Prints the warnings (each, or their counts) and the figures of a run.
fn report(args: &GenerateArgs, generated: &generator::GeneratedFiles) -> Result<(), String> {
    let diagnostics = &generated.diagnostics;
    if args.verbose {
        eprint!("{diagnostics}");
    }
    for (severity, kind, count) in diagnostics.summary() {
        let level = if severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        eprintln!("{level}: {count} × {kind}");
    }
    write_report(args, diagnostics)?;
    let stats = &generated.stats;
    if !args.check {
        println!(
            "{} operations ({} paginated), {} types ({} component schemas, {} identical inline types merged)",
            stats.operations, stats.paginated, stats.types, stats.component_types, stats.merged_types
        );
    }
    Ok(())
}

/// `--check`: compares, writes nothing.
fn check_only(
    places: &Places,
    generated: &generator::GeneratedFiles,
    command: &str,
) -> Result<(), String> {
    let label = &places.out_label;
    let report = check::compare(&places.out, &generated.files)?;
    if report.is_up_to_date() {
        println!("{label}/ is up to date ({} files)", report.unchanged);
        return Ok(());
    }
    print!("{}", check::render(&report, label, check::MAX_DIFF_LINES));
    Err(format!("{label}/ is stale: run `{command}`"))
}

/// Writes the tree atomically and says what changed. `Ok(false)` when
/// nothing did.
fn write_out(
    args: &GenerateArgs,
    places: &Places,
    generated: &generator::GeneratedFiles,
) -> Result<bool, String> {
    let label = &places.out_label;
    let options = write::WriteOptions {
        fail_point: fail_point_from_env()?,
    };
    let summary = write::write_tree(&places.out, &generated.files, &options)?;
    for note in &summary.recovery {
        eprintln!("note: {note}");
    }
    for key in &summary.replaced_unowned {
        eprintln!(
            "note: replaced {label}/{key}, which had no `{}` marker",
            generator::GENERATED_MARKER
        );
    }
    if args.verbose {
        for key in &summary.written {
            eprintln!("wrote {label}/{key}");
        }
        for key in &summary.removed {
            eprintln!("removed {label}/{key}");
        }
    }
    println!("{label}: {}", summary.line());
    Ok(!summary.written.is_empty() || !summary.removed.is_empty())
}

/// The one-line count summary of what the spec change does to the Rust
/// API, against the spec as committed at git `HEAD`: `None` when the spec
/// is not committed there or did not change since.
fn api_change_line(spec_path: &Path, spec: &str, settings: &Settings) -> Option<String> {
    let old = crate::api_diff::at_revision(spec_path, "HEAD").ok()?;
    if old == spec {
        return None;
    }
    let label = format!("{} at HEAD", settings.spec_name);
    Some(
        match crate::api_diff::diff_texts(&old, &label, spec, &settings.spec_name, settings) {
            Ok(report) => format!(
                "API change since {label}: {} (details: cargo xtask api-diff --old-git-rev HEAD)",
                report.summary_line()
            ),
            Err(e) => format!("API change since {label}: not computed, {e}"),
        },
    )
}

/// Test-only: the environment variable that makes a run fail on purpose
/// while writing, so end-to-end tests (`tests/tests/hostile/`) can check
/// that an interrupted run leaves the output as it was. `after-staging`
/// fails once the new tree is staged, before anything is swapped in;
/// `between-renames` stops dead after the old tree was moved aside, as if
/// killed there (the next run restores it). Never set it otherwise.
pub const FAIL_POINT_ENV: &str = "XTASK_TEST_FAIL_POINT";

fn fail_point_from_env() -> Result<Option<write::FailPoint>, String> {
    match std::env::var(FAIL_POINT_ENV).ok().as_deref() {
        None | Some("") => Ok(None),
        Some("after-staging") => Ok(Some(write::FailPoint::AfterStaging)),
        Some("between-renames") => Ok(Some(write::FailPoint::BetweenRenames)),
        Some(other) => Err(format!(
            "{FAIL_POINT_ENV}={other:?} is not a fail point (after-staging, between-renames)"
        )),
    }
}

fn write_report(args: &GenerateArgs, diagnostics: &Diagnostics) -> Result<(), String> {
    match &args.report {
        Some(path) => fs::write(path, diagnostics.to_string())
            .map_err(|e| format!("cannot write the report {}: {e}", path.display())),
        None => Ok(()),
    }
}

/// An absolute, normalised form of `path` (which must be absolute): `.` and
/// `..` resolved, and symlinks resolved in the part that exists.
fn resolve(path: &Path) -> Result<PathBuf, String> {
    let mut lexical = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return Ok(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(lexical),
        }
    }
}

/// `path` relative to `root` with `/` separators, when it lies inside it.
fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// How a path outside the workspace is shown: as given when relative (it is
/// then machine-independent), else only its file name.
fn shown_outside(given: &Option<PathBuf>, resolved: &Path) -> String {
    match given {
        Some(p) if p.is_relative() => p
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        _ => file_name(resolved),
    }
}

/// `My_API.Client` → `my-api-client`: lowercase words joined by `-`.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        prev = Some(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_of_directory_names() {
        assert_eq!(kebab_case("generated"), "generated");
        assert_eq!(kebab_case("My_API.client"), "my-api-client");
        assert_eq!(kebab_case("petStore2Api"), "pet-store2-api");
        assert_eq!(kebab_case("--x--"), "x");
        assert_eq!(kebab_case("___"), "");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("spec/openapi.yaml"), "spec/openapi.yaml");
        assert_eq!(shell_quote("AI Gateway Gateways"), "'AI Gateway Gateways'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn paths_are_normalised_and_shown_relative() {
        let root = resolve(&std::env::temp_dir()).unwrap();
        let p = resolve(&root.join("a/./b/../c/spec.yaml")).unwrap();
        assert_eq!(p, root.join("a/c/spec.yaml"));
        assert_eq!(relative_to(&p, &root).as_deref(), Some("a/c/spec.yaml"));
        assert_eq!(relative_to(Path::new("/elsewhere/x.yaml"), &root), None);
        assert_eq!(
            shown_outside(&Some(PathBuf::from("../x/api.yaml")), &p),
            "../x/api.yaml"
        );
        assert_eq!(
            shown_outside(
                &Some(PathBuf::from("/abs/x/api.yaml")),
                Path::new("/abs/x/api.yaml")
            ),
            "api.yaml"
        );
    }

    #[test]
    fn the_workspace_root_holds_the_default_spec_location() {
        assert!(workspace_root().join("xtask").join("Cargo.toml").is_file());
    }
}
