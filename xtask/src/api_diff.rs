//! `cargo xtask api-diff`: what a spec change does to the generated Rust
//! API (generator::diff), as text, Markdown or JSON.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::diff::{self, DiffError, Report};
use generator::Settings;

use crate::generate::workspace_root;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Json,
}

/// Arguments of `cargo xtask api-diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct ApiDiffArgs {
    /// The spec before the change
    #[arg(long, value_name = "PATH", required_unless_present = "old_git_rev")]
    pub old: Option<PathBuf>,
    /// Take the old spec from this git revision: the --new spec's file as it
    /// was committed there
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    pub old_git_rev: Option<String>,
    /// The spec after the change [default: <workspace>/spec/openapi.yaml]
    #[arg(long, value_name = "PATH")]
    pub new: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when any change is breaking
    #[arg(long)]
    pub fail_on_breaking: bool,
    /// Only operations with this tag, in both specs (repeatable)
    #[arg(long = "tag", value_name = "NAME")]
    pub tags: Vec<String>,
    /// Only the operation with this operationId, in both specs (repeatable)
    #[arg(long = "operation", value_name = "ID")]
    pub operations: Vec<String>,
}

pub fn run(args: &ApiDiffArgs) -> Result<(), String> {
    let new_path = match &args.new {
        Some(p) => p.clone(),
        None => workspace_root().join("spec").join("openapi.yaml"),
    };
    let new = read(&new_path)?;
    let (old, old_label) = match (&args.old, &args.old_git_rev) {
        (Some(p), _) => (read(p)?, p.display().to_string()),
        (None, Some(rev)) => (
            at_revision(&new_path, rev)?,
            format!("{} at {rev}", new_path.display()),
        ),
        (None, None) => return Err("pass --old PATH or --old-git-rev REV".into()),
    };
    let settings = Settings {
        tags: args.tags.clone(),
        operations: args.operations.clone(),
        ..Settings::default()
    };
    let report = diff_texts(
        &old,
        &old_label,
        &new,
        &new_path.display().to_string(),
        &settings,
    )?;
    print!(
        "{}",
        match args.format {
            Format::Text => diff::render::text(&report),
            Format::Markdown => diff::render::markdown(&report),
            Format::Json => diff::render::json(&report),
        }
    );
    if args.fail_on_breaking && report.has_breaking() {
        return Err(format!(
            "{} breaking change{}",
            report.counts.breaking,
            if report.counts.breaking == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

/// The report between two spec texts; a spec that does not build is an
/// error naming it and its first errors.
pub fn diff_texts(
    old: &str,
    old_label: &str,
    new: &str,
    new_label: &str,
    settings: &Settings,
) -> Result<Report, String> {
    diff::diff_specs(old, new, settings).map_err(|e| {
        let (label, diags) = match &e {
            DiffError::Old(d) => (old_label, d),
            DiffError::New(d) => (new_label, d),
        };
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == generator::Severity::Error)
            .take(10)
            .map(|d| d.to_string())
            .collect();
        format!("{label} does not build:\n{}", errors.join("\n"))
    })
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read the spec {}: {e}", path.display()))
}

/// The file's content as committed at `rev` in its git repository.
pub fn at_revision(path: &Path, rev: &str) -> Result<String, String> {
    let abs = fs::canonicalize(path).map_err(|e| format!("cannot find {}: {e}", path.display()))?;
    let dir = abs.parent().unwrap_or(Path::new("."));
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        String::from_utf8(out.stdout).map_err(|e| format!("git {}: {e}", args.join(" ")))
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let top = fs::canonicalize(&top).unwrap_or(top);
    let rel = abs
        .strip_prefix(&top)
        .map_err(|_| format!("{} is outside its git repository", path.display()))?;
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    git(&["show", &format!("{rev}:{}", rel.join("/"))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, side: &str) -> PathBuf {
        workspace_root()
            .join("tests/specs/diff")
            .join(name)
            .join(format!("{side}.yaml"))
    }

    fn args(case_name: &str, fail_on_breaking: bool) -> ApiDiffArgs {
        ApiDiffArgs {
            old: Some(case(case_name, "old")),
            old_git_rev: None,
            new: Some(case(case_name, "new")),
            format: Format::Json,
            fail_on_breaking,
            tags: Vec::new(),
            operations: Vec::new(),
        }
    }

    #[test]
    fn fails_on_breaking_changes_only_when_asked() {
        assert!(run(&args("fields", false)).is_ok());
        let err = run(&args("fields", true)).unwrap_err();
        assert!(err.ends_with("breaking changes"), "{err}");
        assert!(run(&args("unchanged", true)).is_ok());
    }

    #[test]
    fn a_spec_that_does_not_build_is_named() {
        let err = diff_texts("{", "old.yaml", "{}", "new.yaml", &Settings::default()).unwrap_err();
        assert!(err.starts_with("old.yaml does not build"), "{err}");
    }

    #[test]
    fn the_old_spec_comes_from_git() {
        let spec = workspace_root().join("spec").join("openapi.yaml");
        let Ok(committed) = at_revision(&spec, "HEAD") else {
            eprintln!("skipped: not a git checkout");
            return;
        };
        assert!(committed.contains("openapi:"), "{committed}");
        assert!(at_revision(&spec, "no-such-revision-xyz").is_err());
    }
}
