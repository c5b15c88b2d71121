//! Validation of decoded values against the constraints their schema states.
//!
//! Decoding is lenient: a value outside its constraints still decodes, and
//! [`Validate::validate`] reports *every* violation, each with the path of the
//! offending value (`result[3].retry_delay`), the constraint and the value.
//! Paths are built lazily on the stack and rendered only when something fails,
//! so validating a valid value allocates nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use super::pattern::{Compiled, Engine, BACKTRACKING_MAX_CHARS};

/// Where a value sits inside the value being validated.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The value `validate()` was called on.
    Root,
    /// A named field of an object.
    Field(&'a Path<'a>, &'static str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    pub fn field(&self, name: &'static str) -> Path<'_> {
        Path::Field(self, name)
    }

    pub fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path::Key(self, key)
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Field(parent, name) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Index(parent, index) => {
                parent.write(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('[');
                out.push_str(&format!("{key:?}"));
                out.push(']');
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// A number bound as the schema wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i64),
    Float(f64),
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Int(v) => write!(f, "{v}"),
            Bound::Float(v) => write!(f, "{v}"),
        }
    }
}

/// One constraint from the schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    Minimum(Bound),
    ExclusiveMinimum(Bound),
    Maximum(Bound),
    ExclusiveMaximum(Bound),
    MultipleOf(Bound),
    /// Minimum length in characters (Unicode scalar values).
    MinLength(u64),
    /// Maximum length in characters (Unicode scalar values).
    MaxLength(u64),
    /// An ECMA-262 regular expression the value must match somewhere.
    Pattern(&'static str),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    MinProperties(u64),
    MaxProperties(u64),
    /// One of the listed values (as JSON text).
    Enum(&'static [&'static str]),
    /// One of the schemas an `anyOf` / `oneOf` lists.
    AnyOf,
    /// Present because the named property is (`dependentRequired`).
    DependentRequired(&'static str),
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Minimum(b) => write!(f, "minimum {b}"),
            Constraint::ExclusiveMinimum(b) => write!(f, "exclusive minimum {b}"),
            Constraint::Maximum(b) => write!(f, "maximum {b}"),
            Constraint::ExclusiveMaximum(b) => write!(f, "exclusive maximum {b}"),
            Constraint::MultipleOf(b) => write!(f, "multiple of {b}"),
            Constraint::MinLength(n) => write!(f, "minLength {n}"),
            Constraint::MaxLength(n) => write!(f, "maxLength {n}"),
            Constraint::Pattern(p) => write!(f, "pattern {p:?}"),
            Constraint::MinItems(n) => write!(f, "minItems {n}"),
            Constraint::MaxItems(n) => write!(f, "maxItems {n}"),
            Constraint::UniqueItems => write!(f, "uniqueItems"),
            Constraint::MinProperties(n) => write!(f, "minProperties {n}"),
            Constraint::MaxProperties(n) => write!(f, "maxProperties {n}"),
            Constraint::Enum(values) => write!(f, "enum [{}]", values.join(", ")),
            Constraint::AnyOf => write!(f, "anyOf/oneOf (matches none of the listed schemas)"),
            Constraint::DependentRequired(p) => {
                write!(f, "dependentRequired (required when `{p}` is present)")
            }
        }
    }
}

/// One value that breaks one constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where the value is, e.g. `result[3].retry_delay` (empty for the root).
    pub path: String,
    pub constraint: Constraint,
    /// The offending value, rendered for humans (a length or count where the
    /// constraint is about one).
    pub actual: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "value"
        } else {
            &self.path
        };
        write!(
            f,
            "{path}: violates {}, actual {}",
            self.constraint, self.actual
        )
    }
}

/// Every violation found in one value.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationErrors(pub Vec<Violation>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Types whose values can be checked against their schema's constraints.
pub trait Validate {
    /// Appends every violation found in `self`, located under `path`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>);

    /// Checks `self`, reporting all violations at once.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut out = Vec::new();
        self.validate_at(&Path::Root, &mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(out))
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate_at(path, out);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        for (i, v) in self.iter().enumerate() {
            v.validate_at(&path.index(i), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        self.as_slice().validate_at(path, out);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        for (k, v) in self {
            v.validate_at(&path.key(k), out);
        }
    }
}

fn push(out: &mut Vec<Violation>, path: &Path<'_>, constraint: Constraint, actual: String) {
    out.push(Violation {
        path: path.to_string(),
        constraint,
        actual,
    });
}

/// `minimum` / `exclusiveMinimum` on an integer.
pub fn min_int(value: i64, min: i64, exclusive: bool, path: &Path<'_>, out: &mut Vec<Violation>) {
    if exclusive && value <= min {
        push(
            out,
            path,
            Constraint::ExclusiveMinimum(Bound::Int(min)),
            value.to_string(),
        );
    } else if !exclusive && value < min {
        push(
            out,
            path,
            Constraint::Minimum(Bound::Int(min)),
            value.to_string(),
        );
    }
}

/// `maximum` / `exclusiveMaximum` on an integer.
pub fn max_int(value: i64, max: i64, exclusive: bool, path: &Path<'_>, out: &mut Vec<Violation>) {
    if exclusive && value >= max {
        push(
            out,
            path,
            Constraint::ExclusiveMaximum(Bound::Int(max)),
            value.to_string(),
        );
    } else if !exclusive && value > max {
        push(
            out,
            path,
            Constraint::Maximum(Bound::Int(max)),
            value.to_string(),
        );
    }
}

/// `minimum` / `exclusiveMinimum` on a number.
pub fn min_num(value: f64, min: f64, exclusive: bool, path: &Path<'_>, out: &mut Vec<Violation>) {
    if exclusive && value <= min {
        push(
            out,
            path,
            Constraint::ExclusiveMinimum(Bound::Float(min)),
            value.to_string(),
        );
    } else if !exclusive && value < min {
        push(
            out,
            path,
            Constraint::Minimum(Bound::Float(min)),
            value.to_string(),
        );
    }
}

/// `maximum` / `exclusiveMaximum` on a number.
pub fn max_num(value: f64, max: f64, exclusive: bool, path: &Path<'_>, out: &mut Vec<Violation>) {
    if exclusive && value >= max {
        push(
            out,
            path,
            Constraint::ExclusiveMaximum(Bound::Float(max)),
            value.to_string(),
        );
    } else if !exclusive && value > max {
        push(
            out,
            path,
            Constraint::Maximum(Bound::Float(max)),
            value.to_string(),
        );
    }
}

/// `multipleOf` on an integer (a zero divisor is never generated).
pub fn multiple_of_int(value: i64, divisor: i64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if divisor != 0 && value.checked_rem(divisor).is_some_and(|r| r != 0) {
        push(
            out,
            path,
            Constraint::MultipleOf(Bound::Int(divisor)),
            value.to_string(),
        );
    }
}

/// `multipleOf` on a number, with a relative tolerance for binary fractions.
pub fn multiple_of_num(value: f64, divisor: f64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if divisor == 0.0 || !value.is_finite() {
        return;
    }
    let q = value / divisor;
    if (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
        push(
            out,
            path,
            Constraint::MultipleOf(Bound::Float(divisor)),
            value.to_string(),
        );
    }
}

/// `minLength`, counted in characters as JSON Schema counts them.
pub fn min_length(value: &str, min: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    // A string of fewer bytes than `min` certainly has fewer characters;
    // only count characters when it matters.
    if (value.len() as u64) < min || (value.chars().count() as u64) < min {
        let n = value.chars().count();
        push(
            out,
            path,
            Constraint::MinLength(min),
            format!("{value:?} ({n} characters)"),
        );
    }
}

/// `maxLength`, counted in characters as JSON Schema counts them.
pub fn max_length(value: &str, max: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if (value.len() as u64) > max && (value.chars().count() as u64) > max {
        let n = value.chars().count();
        push(
            out,
            path,
            Constraint::MaxLength(max),
            format!("{n} characters"),
        );
    }
}

/// An ECMA-262 pattern, compiled on first use and then reused: with the
/// linear-time engine whenever the pattern allows it (see
/// [`pattern`](super::pattern)).
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Compiled>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    fn compiled(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| Compiled::new(self.source))
            .as_ref()
    }

    /// The engine that checks this pattern; `None` if it does not compile
    /// (the generator rejects such patterns, so this is a defence in depth).
    pub fn engine(&self) -> Option<Engine> {
        self.compiled().map(Compiled::engine)
    }

    /// Whether `value` matches. `None` if the pattern does not compile, or
    /// needs the backtracking engine and `value` is longer than
    /// [`BACKTRACKING_MAX_CHARS`].
    pub fn is_match(&self, value: &str) -> Option<bool> {
        self.compiled()?.is_match(value)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// `pattern`: the value must match somewhere (patterns are not anchored).
/// A value too long to check safely does not match.
pub fn pattern(value: &str, pattern: &Pattern, path: &Path<'_>, out: &mut Vec<Violation>) {
    let actual = match pattern.is_match(value) {
        Some(true) => return,
        Some(false) => format!("{value:?}"),
        None if pattern.engine() == Some(Engine::Backtracking) => format!(
            "{} characters (a value over {BACKTRACKING_MAX_CHARS} is not checked against a pattern that needs backtracking)",
            value.chars().count()
        ),
        None => format!("{value:?}"),
    };
    push(out, path, Constraint::Pattern(pattern.source), actual);
}

/// `minItems`.
pub fn min_items(len: usize, min: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if (len as u64) < min {
        push(out, path, Constraint::MinItems(min), format!("{len} items"));
    }
}

/// `maxItems`.
pub fn max_items(len: usize, max: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if (len as u64) > max {
        push(out, path, Constraint::MaxItems(max), format!("{len} items"));
    }
}

/// `minProperties`.
pub fn min_properties(len: usize, min: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if (len as u64) < min {
        push(
            out,
            path,
            Constraint::MinProperties(min),
            format!("{len} properties"),
        );
    }
}

/// `maxProperties`.
pub fn max_properties(len: usize, max: u64, path: &Path<'_>, out: &mut Vec<Violation>) {
    if (len as u64) > max {
        push(
            out,
            path,
            Constraint::MaxProperties(max),
            format!("{len} properties"),
        );
    }
}

/// `uniqueItems`: reports the first repeated element's index.
pub fn unique_items<T: PartialEq>(items: &[T], path: &Path<'_>, out: &mut Vec<Violation>) {
    for (i, a) in items.iter().enumerate() {
        if items[..i].iter().any(|b| a == b) {
            push(
                out,
                path,
                Constraint::UniqueItems,
                format!("item {i} repeats an earlier item"),
            );
            return;
        }
    }
}

/// `enum` on a value whose Rust type cannot rule out other values (numbers,
/// JSON): `rendered` is the value as JSON text.
pub fn one_of(
    rendered: &str,
    allowed: &'static [&'static str],
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if !allowed.contains(&rendered) {
        push(out, path, Constraint::Enum(allowed), rendered.to_string());
    }
}

/// `enum` on a boolean: `allowed` holds `"true"` and/or `"false"`.
pub fn one_of_bool(
    value: bool,
    allowed: &'static [&'static str],
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    one_of(if value { "true" } else { "false" }, allowed, path, out);
}

pub use super::number::number_text;

/// A string enum value that decoded into the catch-all variant.
pub fn unknown_variant(
    value: &str,
    allowed: &'static [&'static str],
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    push(out, path, Constraint::Enum(allowed), format!("{value:?}"));
}

/// `dependentRequired`: the property at `path` must be present, since
/// `because` is.
pub fn dependent_required(
    because: &'static str,
    present: bool,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if !present {
        push(
            out,
            path,
            Constraint::DependentRequired(because),
            "absent".to_string(),
        );
    }
}

/// A union value that decoded into its catch-all variant: it matched none
/// of the listed schemas.
pub fn no_variant(value: &serde_json::Value, path: &Path<'_>, out: &mut Vec<Violation>) {
    let mut text = value.to_string();
    if text.len() > 80 {
        let mut cut = 77;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    push(out, path, Constraint::AnyOf, text);
}
