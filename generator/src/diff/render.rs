//! A [`Report`] as text (for a terminal), Markdown (for a pull request) or
//! JSON (for tools).

use super::{Counts, Group, Report, Severity};
use std::fmt::Write as _;

fn counts_text(c: &Counts) -> String {
    format!(
        "{} added, {} removed, {} changed ({} breaking, {} compatible)",
        c.added, c.removed, c.changed, c.breaking, c.compatible
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "breaking",
        Severity::Compatible => "compatible",
    }
}

/// The groups of one section, with the section's counts.
fn sections(report: &Report) -> [(&'static str, &Counts, &[Group]); 2] {
    [
        ("Operations", &report.operation_counts, &report.operations),
        ("Types", &report.type_counts, &report.types),
    ]
}

/// Counts on top, then every operation and type with its changes.
pub fn text(report: &Report) -> String {
    let mut out = format!("API changes: {}\n", counts_text(&report.counts));
    if report.is_empty() {
        out.push_str("\nNo change to the generated API.\n");
        return out;
    }
    for (title, counts, _) in sections(report) {
        let _ = writeln!(out, "  {}: {}", title.to_lowercase(), counts_text(counts));
    }
    for (title, _, groups) in sections(report) {
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for g in groups {
            let used = g.used_in.map(|u| format!(" [{u}]")).unwrap_or_default();
            let _ = writeln!(out, "\n  {}{used}  {}", g.subject, g.pointer);
            for c in &g.changes {
                let _ = writeln!(
                    out,
                    "    {:<10}  {}: {}  {}\n                {}",
                    severity(c.severity),
                    c.kind.label(),
                    c.item,
                    c.detail,
                    c.pointer
                );
            }
        }
    }
    out
}

/// A table cell: pipes escaped, on one line, and `<`/`>` as entities so
/// `Option<String>` is not taken for an HTML tag.
fn cell(text: &str) -> String {
    one_line(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn one_line(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Code in a table cell (backticks in the text become quotes).
fn code(text: &str) -> String {
    format!("`{}`", one_line(&text.replace('`', "'")))
}

/// For a pull request description: counts, then a table per section.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## API changes\n\n");
    let _ = writeln!(out, "**{}**\n", counts_text(&report.counts));
    if report.is_empty() {
        out.push_str("No change to the generated API.\n");
        return out;
    }
    for (title, counts, groups) in sections(report) {
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}: {}\n", counts_text(counts));
        out.push_str("| | Item | Change | Details | Spec |\n|---|---|---|---|---|\n");
        for g in groups {
            for c in &g.changes {
                let mark = match c.severity {
                    Severity::Breaking => "🔴 breaking",
                    Severity::Compatible => "🟢 compatible",
                };
                let _ = writeln!(
                    out,
                    "| {mark} | {} | {} | {} | {} |",
                    code(&c.item),
                    cell(&c.kind.label()),
                    cell(&c.detail),
                    code(&c.pointer)
                );
            }
        }
        out.push('\n');
    }
    out
}

/// The report as pretty-printed JSON.
pub fn json(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(text) => text + "\n",
        // A report is strings, numbers and lists only: this cannot fail.
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}
