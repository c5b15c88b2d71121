//! Diagnostics: what the generator has to say about a spec, each with a
//! severity, a kind (for summaries) and a JSON pointer into the document.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something was approximated (e.g. a schema fell back to raw JSON).
    Warning,
    /// The spec cannot be turned into a correct crate.
    Error,
}

/// One finding about the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short, stable machine-readable category, e.g. `invalid-pattern`.
    pub kind: &'static str,
    /// JSON pointer (RFC 6901) into the spec, e.g. `#/components/schemas/Gateway`.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{level}[{}]: {} (at {})",
            self.kind,
            printable(&self.message),
            printable(&self.pointer)
        )
    }
}

/// Spec text quoted in a message can hold anything; shown on a terminal,
/// escape sequences (`ESC [ …`, `ESC ] …`) or bidi overrides would act
/// instead of showing. They are printed escaped (`\u{1b}`, `\n`).
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A collection of diagnostics, kept in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn warn(
        &mut self,
        kind: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, kind, pointer, message);
    }

    pub fn error(
        &mut self,
        kind: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, kind, pointer, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        kind: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic {
            severity,
            kind,
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Every warning made an error (`Settings::strict`).
    pub fn warnings_as_errors(mut self) -> Self {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
        self
    }

    /// Sorted, de-duplicated copy: the order users see does not depend on
    /// the order in which the pipeline happened to find things.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }

    /// Counts per (severity, kind), sorted, for the end-of-run summary.
    pub fn summary(&self) -> Vec<(Severity, &'static str, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for d in &self.0 {
            *counts
                .entry((std::cmp::Reverse(d.severity), d.kind))
                .or_insert(0usize) += 1;
        }
        counts.into_iter().map(|((s, k), n)| (s.0, k, n)).collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Builds JSON pointers (RFC 6901), escaping `~` and `/` in each segment.
pub fn pointer(segments: &[&str]) -> String {
    let mut out = String::from("#");
    for s in segments {
        out.push('/');
        push_escaped(&mut out, s);
    }
    out
}

/// Appends one segment to an existing pointer.
pub fn child(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, segment);
    out
}

/// One pointer segment as the key it names (`~1` → `/`, `~0` → `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `#/components/<kind>/<name>` → its kind and its name (unescaped); `None`
/// for any other pointer, a place inside a component included. The one
/// test of "is this a component" for references and pointers alike.
pub fn component_of(pointer: &str) -> Option<(&str, String)> {
    let (kind, name) = pointer.strip_prefix("#/components/")?.split_once('/')?;
    (!name.contains('/')).then(|| (kind, unescape(name)))
}

/// A pointer's parent and its last segment, unescaped
/// (`#/a/b~1c` → `#/a`, `b/c`).
pub fn split_last(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, unescape(last)))
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slash_and_tilde() {
        assert_eq!(
            pointer(&["paths", "/accounts/{account_id}/ai-gateway/gateways", "get"]),
            "#/paths/~1accounts~1{account_id}~1ai-gateway~1gateways/get"
        );
        assert_eq!(child("#/a", "x~y"), "#/a/x~0y");
        let p = child("#/a", "~1/b");
        assert_eq!(split_last(&p), Some(("#/a", "~1/b".to_string())));
        assert_eq!(split_last("#"), None);
        assert_eq!(
            component_of("#/components/schemas/a~1b"),
            Some(("schemas", "a/b".to_string()))
        );
        assert_eq!(component_of("#/components/schemas/A/properties/x"), None);
        assert_eq!(component_of("#/components/schemas"), None);
    }

    #[test]
    fn display_escapes_terminal_control_characters() {
        let mut d = Diagnostics::default();
        d.error(
            "unresolved-ref",
            "#/a\u{1b}]0;x\u{7}",
            "`$ref` to `\u{1b}[2J\n\u{202e}`",
        );
        assert_eq!(
            d.0[0].to_string(),
            "error[unresolved-ref]: `$ref` to `\\u{1b}[2J\\n\\u{202e}` (at #/a\\u{1b}]0;x\\u{7})"
        );
    }

    #[test]
    fn summary_counts_by_kind_errors_first() {
        let mut d = Diagnostics::default();
        d.warn("fallback-json", "#/a", "m");
        d.warn("fallback-json", "#/b", "m");
        d.error("invalid-pattern", "#/c", "m");
        assert_eq!(
            d.summary(),
            vec![
                (Severity::Error, "invalid-pattern", 1),
                (Severity::Warning, "fallback-json", 2)
            ]
        );
    }
}
