//! What a spec change does to the generated Rust API, computed from the IR
//! of both specs (not from a text diff of the output).
//!
//! [`diff_specs`] (spec texts) and [`diff_apis`] (IRs) are pure: they
//! return a [`Report`] of every change to an operation's method or a
//! model type, each classified as breaking or compatible for code that
//! builds requests and reads responses, with the Rust item it touches and
//! the spec pointer it comes from. [`render`] writes the report as text,
//! Markdown or JSON.

mod checks;
mod operations;
pub mod render;
mod types;
mod usage;

use crate::emit::types::{value_type, Models};
use crate::ir::{Api, Presence, Shape};
use crate::{Diagnostics, Settings};
use serde::Serialize;

/// Whether a change breaks users' code (it stops compiling, or a value it
/// sends or relies on no longer passes validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Breaking,
    Compatible,
}

impl Severity {
    fn breaking_if(breaking: bool) -> Severity {
        if breaking {
            Severity::Breaking
        } else {
            Severity::Compatible
        }
    }
}

/// What a change does to the item: adds it, removes it, or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Added,
    Removed,
    Changed,
}

/// Every kind of change the report knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationDeprecated,
    ParameterAdded,
    ParameterRemoved,
    ParameterRenamed,
    ParameterMadeRequired,
    ParameterMadeOptional,
    ParameterTypeChanged,
    ParamsArgumentAdded,
    ParamsArgumentRemoved,
    ParamsTypeRenamed,
    BodyAdded,
    BodyRemoved,
    BodyMadeRequired,
    BodyMadeOptional,
    BodyTypeChanged,
    ResponseTypeChanged,
    PagerGained,
    PagerLost,
    StreamMethodGained,
    StreamMethodLost,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    FieldMadeRequired,
    FieldMadeOptional,
    FieldNullabilityChanged,
    DefaultGained,
    DefaultLost,
    AdditionalPropertiesAdded,
    AdditionalPropertiesRemoved,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionVariantChanged,
    AliasTargetChanged,
    ConstraintTightened,
    ConstraintLoosened,
    ConstraintChanged,
}

impl ChangeKind {
    pub fn category(self) -> Category {
        use ChangeKind::*;
        match self {
            OperationAdded
            | ParameterAdded
            | ParamsArgumentAdded
            | BodyAdded
            | PagerGained
            | StreamMethodGained
            | TypeAdded
            | FieldAdded
            | DefaultGained
            | AdditionalPropertiesAdded
            | EnumValueAdded
            | UnionVariantAdded => Category::Added,
            OperationRemoved
            | ParameterRemoved
            | ParamsArgumentRemoved
            | BodyRemoved
            | PagerLost
            | StreamMethodLost
            | TypeRemoved
            | FieldRemoved
            | DefaultLost
            | AdditionalPropertiesRemoved
            | EnumValueRemoved
            | UnionVariantRemoved => Category::Removed,
            _ => Category::Changed,
        }
    }

    /// The kind in words: `field added`.
    pub fn label(self) -> String {
        let json = serde_json::to_value(self).unwrap_or_default();
        json.as_str().unwrap_or_default().replace('-', " ")
    }
}

/// One change to one Rust item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub severity: Severity,
    /// The Rust item, e.g. `models::Gateway::cache_ttl` or `Client::list(zone)`.
    pub item: String,
    /// JSON pointer into the spec (the new one; the old one for removals).
    pub pointer: String,
    /// What changed, e.g. `Option<i64> → i64`.
    pub detail: String,
}

/// The changes of one operation or one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// `Client::method` or `models::Type`.
    pub subject: String,
    pub pointer: String,
    /// What the type is used for (`request`, `response`, …); none for operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_in: Option<&'static str>,
    pub changes: Vec<Change>,
}

impl Change {
    pub(crate) fn new(
        kind: ChangeKind,
        severity: Severity,
        item: String,
        pointer: &str,
        detail: String,
    ) -> Change {
        Change {
            kind,
            severity,
            item,
            pointer: pointer.to_string(),
            detail,
        }
    }
}

impl Group {
    /// A group of one change, to the subject itself (an operation or a type
    /// added or removed).
    pub(crate) fn single(
        subject: String,
        pointer: &str,
        used_in: Option<&'static str>,
        kind: ChangeKind,
        severity: Severity,
        detail: String,
    ) -> Group {
        Group {
            changes: vec![Change::new(
                kind,
                severity,
                subject.clone(),
                pointer,
                detail,
            )],
            subject,
            pointer: pointer.to_string(),
            used_in,
        }
    }
}

/// How many changes of each category and severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub breaking: usize,
    pub compatible: usize,
}

impl Counts {
    fn of<'c>(changes: impl Iterator<Item = &'c Change>) -> Counts {
        let mut c = Counts::default();
        for change in changes {
            match change.kind.category() {
                Category::Added => c.added += 1,
                Category::Removed => c.removed += 1,
                Category::Changed => c.changed += 1,
            }
            match change.severity {
                Severity::Breaking => c.breaking += 1,
                Severity::Compatible => c.compatible += 1,
            }
        }
        c
    }
}

/// Every change between two versions of the generated API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub counts: Counts,
    /// Counts of the operations' changes alone.
    pub operation_counts: Counts,
    /// Counts of the types' changes alone.
    pub type_counts: Counts,
    /// Sorted by subject.
    pub operations: Vec<Group>,
    /// Sorted by subject.
    pub types: Vec<Group>,
}

impl Report {
    /// `3 added, 0 removed, 1 changed, 0 breaking`.
    pub fn summary_line(&self) -> String {
        let c = &self.counts;
        format!(
            "{} added, {} removed, {} changed, {} breaking",
            c.added, c.removed, c.changed, c.breaking
        )
    }

    pub fn has_breaking(&self) -> bool {
        self.counts.breaking > 0
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.types.is_empty()
    }
}

/// Which spec of a [`diff_specs`] call failed to build.
#[derive(Debug, Clone)]
pub enum DiffError {
    Old(Diagnostics),
    New(Diagnostics),
}

/// The report between two spec texts (YAML or JSON), each built to the IR
/// with `settings` (so `tags` and `operations` select a part of both).
pub fn diff_specs(old: &str, new: &str, settings: &Settings) -> Result<Report, DiffError> {
    let (old, _) = crate::build_api(old, settings).map_err(DiffError::Old)?;
    let (new, _) = crate::build_api(new, settings).map_err(DiffError::New)?;
    Ok(diff_apis(&old, &new))
}

/// The report between two IRs.
pub fn diff_apis(old: &Api, new: &Api) -> Report {
    let uses = usage::Uses::of(old, new);
    let mut operations = operations::diff(old, new);
    let mut types = types::diff(old, new, &uses);
    operations.retain(|g| !g.changes.is_empty());
    types.retain(|g| !g.changes.is_empty());
    operations.sort_by(|a, b| a.subject.cmp(&b.subject));
    types.sort_by(|a, b| a.subject.cmp(&b.subject));
    let all = |groups: &[Group]| Counts::of(groups.iter().flat_map(|g| g.changes.iter()));
    let operation_counts = all(&operations);
    let type_counts = all(&types);
    Report {
        counts: Counts::of(
            operations
                .iter()
                .chain(&types)
                .flat_map(|g| g.changes.iter()),
        ),
        operation_counts,
        type_counts,
        operations,
        types,
    }
}

/// The Rust type of a value of this shape, as users write it
/// (`Option<Vec<models::Gateway>>`).
fn rust_type(shape: &Shape, boxed: bool) -> String {
    let tokens = value_type(shape, boxed, Models::Qualified).to_string();
    // Types are paths, generics and commas only: no space is significant.
    tokens
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ", ")
}

/// The type of a struct field: its value type under its [`Presence`]'s
/// options (`T`, `Option<T>`, `Option<Option<T>>`).
fn field_type(field: &crate::ir::Field) -> String {
    wrap(Presence::of(field), &inner_type(field))
}

/// A field's value type, without the options of its presence.
fn inner_type(field: &crate::ir::Field) -> String {
    rust_type(
        &Shape {
            nullable: false,
            ..field.shape.clone()
        },
        field.boxed,
    )
}

/// The options a presence puts around a field's value type.
fn wrap(presence: Presence, inner: &str) -> String {
    match presence {
        Presence::Required => inner.to_string(),
        Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
        Presence::OptionalNullable => format!("Option<Option<{inner}>>"),
    }
}

/// Whether a shape is nullable in its Rust type (`Json` holds `null` itself).
fn nullable(shape: &Shape) -> bool {
    shape.is_option()
}

/// `a → b`.
fn arrow(old: &str, new: &str) -> String {
    format!("{old} → {new}")
}
