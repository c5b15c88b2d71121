//! `generate --check`: compare the would-be output with what is on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use similar::TextDiff;

use crate::tree::{self, Kind};

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;
/// Diff lines shown per file before the rest is elided.
pub const MAX_DIFF_LINES: usize = 120;
/// Files whose diff is shown; further changed files are only listed.
const MAX_DIFFS: usize = 20;

/// One way the directory on disk differs from the generator's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file exists with other content; `old` is what is on disk (lossy
    /// UTF-8, line endings normalised), or `None` when it is not a file.
    Changed {
        key: String,
        old: Option<String>,
        new: String,
    },
    /// The generator produces the file; it is not on disk.
    Missing(String),
    /// A generated (`@generated`) file on disk the generator no longer produces.
    Stale(String),
}

/// The result of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub differences: Vec<Difference>,
    pub unchanged: usize,
}

impl Report {
    pub fn is_up_to_date(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Compares `files` (relative `/`-separated path → content) with `out`.
pub fn compare(out: &Path, files: &BTreeMap<String, String>) -> Result<Report, String> {
    for key in files.keys() {
        tree::validate_key(key)?;
    }
    let existing = tree::scan(out)?;
    let mut report = Report::default();
    let mut seen = BTreeSet::new();
    for entry in &existing {
        match files.get(&entry.key) {
            Some(new) => {
                seen.insert(entry.key.as_str());
                let old = match entry.kind {
                    Kind::File => {
                        let path = out.join(&entry.rel);
                        let bytes = fs::read(&path)
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                        if tree::same_content(&bytes, new) {
                            report.unchanged += 1;
                            continue;
                        }
                        Some(tree::normalize(&String::from_utf8_lossy(&bytes)).into_owned())
                    }
                    Kind::Dir | Kind::Other => None,
                };
                report.differences.push(Difference::Changed {
                    key: entry.key.clone(),
                    old,
                    new: new.clone(),
                });
            }
            None if tree::is_owned(out, entry)? => report
                .differences
                .push(Difference::Stale(entry.key.clone())),
            None => {}
        }
    }
    for key in files.keys() {
        if !seen.contains(key.as_str()) {
            report.differences.push(Difference::Missing(key.clone()));
        }
    }
    report
        .differences
        .sort_by(|a, b| sort_key(a).cmp(sort_key(b)));
    Ok(report)
}

fn sort_key(d: &Difference) -> &str {
    match d {
        Difference::Changed { key, .. } | Difference::Missing(key) | Difference::Stale(key) => key,
    }
}

/// Human-readable account of a report: a unified diff per changed file
/// (capped at `max_lines` lines each), then missing and stale files. `label`
/// names the directory in diff headers, e.g. `generated`.
pub fn render(report: &Report, label: &str, max_lines: usize) -> String {
    let mut text = String::new();
    let mut shown = 0;
    let mut not_shown = Vec::new();
    for d in &report.differences {
        let Difference::Changed { key, old, new } = d else {
            continue;
        };
        if shown == MAX_DIFFS {
            not_shown.push(key.as_str());
            continue;
        }
        shown += 1;
        match old {
            Some(old) => text.push_str(&unified(
                old,
                &tree::normalize(new),
                &format!("{label}/{key}"),
                max_lines,
            )),
            None => {
                let _ = writeln!(text, "{label}/{key}: not a regular file on disk");
            }
        }
    }
    if !not_shown.is_empty() {
        let _ = writeln!(text, "changed (diff not shown):");
        for key in not_shown {
            let _ = writeln!(text, "    {label}/{key}");
        }
    }
    list(
        &mut text,
        "missing (would be created)",
        label,
        report,
        |d| match d {
            Difference::Missing(key) => Some(key),
            _ => None,
        },
    );
    list(
        &mut text,
        "stale (would be removed)",
        label,
        report,
        |d| match d {
            Difference::Stale(key) => Some(key),
            _ => None,
        },
    );
    text
}

fn list(
    text: &mut String,
    title: &str,
    label: &str,
    report: &Report,
    pick: fn(&Difference) -> Option<&String>,
) {
    let keys: Vec<&String> = report.differences.iter().filter_map(pick).collect();
    if !keys.is_empty() {
        let _ = writeln!(text, "{title}:");
        for key in keys {
            let _ = writeln!(text, "    {label}/{key}");
        }
    }
}

/// A unified diff of `old` → `new`, cut after `max_lines` lines.
fn unified(old: &str, new: &str, name: &str, max_lines: usize) -> String {
    let diff = TextDiff::from_lines(old, new);
    let full = diff
        .unified_diff()
        .context_radius(CONTEXT)
        .header(
            &format!("a/{name} (on disk)"),
            &format!("b/{name} (generated)"),
        )
        .to_string();
    let mut lines = full.lines();
    let mut text: String = lines
        .by_ref()
        .take(max_lines)
        .flat_map(|l| [l, "\n"])
        .collect();
    let rest = lines.count();
    if rest > 0 {
        let _ = writeln!(text, "... {rest} more diff lines for {name} not shown");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("xtask-check-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn put(&self, key: &str, content: &str) {
            let path = tree::path_of(&self.0, key);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equal_trees_are_up_to_date_even_with_crlf() {
        let tmp = TempDir::new("equal");
        tmp.put("src/lib.rs", "// @generated\r\npub mod a;\r\n");
        tmp.put("examples/hand.rs", "fn main() {}\n");
        let report = compare(
            &tmp.0,
            &files(&[("src/lib.rs", "// @generated\npub mod a;\n")]),
        )
        .unwrap();
        assert!(report.is_up_to_date(), "{report:?}");
        assert_eq!(report.unchanged, 1);
    }

    #[test]
    fn finds_changed_missing_and_stale_files() {
        let tmp = TempDir::new("diff");
        tmp.put("src/lib.rs", "// @generated\npub mod a;\npub mod old;\n");
        tmp.put("src/old.rs", "// @generated\n");
        tmp.put("target/gen.rs", "// @generated\n");
        tmp.put("examples/hand.rs", "fn main() {}\n");
        let wanted = files(&[
            ("src/lib.rs", "// @generated\npub mod a;\npub mod new;\n"),
            ("src/new.rs", "// @generated\n"),
        ]);
        let report = compare(&tmp.0, &wanted).unwrap();
        assert_eq!(report.differences.len(), 3, "{report:?}");
        assert!(
            matches!(&report.differences[0], Difference::Changed { key, .. } if key == "src/lib.rs")
        );
        assert_eq!(
            report.differences[1],
            Difference::Missing("src/new.rs".into())
        );
        assert_eq!(
            report.differences[2],
            Difference::Stale("src/old.rs".into())
        );

        let text = render(&report, "generated", MAX_DIFF_LINES);
        assert!(
            text.contains("--- a/generated/src/lib.rs (on disk)"),
            "{text}"
        );
        assert!(text.contains("-pub mod old;\n+pub mod new;\n"), "{text}");
        assert!(
            text.contains("missing (would be created):\n    generated/src/new.rs\n"),
            "{text}"
        );
        assert!(
            text.contains("stale (would be removed):\n    generated/src/old.rs\n"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_directory_means_every_file_is_missing() {
        let tmp = TempDir::new("missing");
        let report = compare(&tmp.0.join("nope"), &files(&[("a.rs", "x")])).unwrap();
        assert_eq!(report.differences, [Difference::Missing("a.rs".into())]);
    }

    #[test]
    fn long_diffs_are_capped() {
        let old: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..500).map(|i| format!("line {}\n", i * 2)).collect();
        let text = unified(&old, &new, "generated/x.rs", 50);
        assert_eq!(text.lines().count(), 51, "{text}");
        assert!(
            text.ends_with("more diff lines for generated/x.rs not shown\n"),
            "{text}"
        );
    }
}
