//! Constraint changes: each one tightened (a value that validated no
//! longer does), loosened (a value that failed now validates) or changed
//! (both can happen, e.g. a new pattern).

use super::usage::Usage;
use super::{Change, ChangeKind, Severity};
use crate::ir::{Bound, Checks, Kind, Number, Shape};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Tightened,
    Loosened,
    Changed,
}

impl Direction {
    pub fn kind(self) -> ChangeKind {
        match self {
            Direction::Tightened => ChangeKind::ConstraintTightened,
            Direction::Loosened => ChangeKind::ConstraintLoosened,
            Direction::Changed => ChangeKind::ConstraintChanged,
        }
    }

    /// Tightening breaks code that builds requests (values it sends may
    /// now fail); loosening breaks code that reads responses (values it
    /// relied on being in range may now arrive).
    pub fn severity(self, usage: Usage) -> Severity {
        let u = usage.judged();
        let breaks_requests = u.request && self != Direction::Loosened;
        let breaks_responses = u.response && self != Direction::Tightened;
        Severity::breaking_if(breaks_requests || breaks_responses)
    }
}

/// One constraint that differs: where in the shape (`""`, `items`,
/// `items.values`), its direction and what changed (`maxLength 10 → 5`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintChange {
    pub at: String,
    pub direction: Direction,
    pub detail: String,
}

/// The constraint changes between two shapes as report entries on `item`,
/// judged by what the shapes are used for.
pub fn changes(old: &Shape, new: &Shape, usage: Usage, item: &str, pointer: &str) -> Vec<Change> {
    compare(old, new)
        .into_iter()
        .map(|c| Change {
            kind: c.direction.kind(),
            severity: c.direction.severity(usage),
            item: item.to_string(),
            pointer: pointer.to_string(),
            detail: if c.at.is_empty() {
                c.detail
            } else {
                format!("{}: {}", c.at, c.detail)
            },
        })
        .collect()
}

/// The constraint changes between two shapes, following array items and
/// map values while both shapes have them.
fn compare(old: &Shape, new: &Shape) -> Vec<ConstraintChange> {
    let mut out = Vec::new();
    walk(old, new, "", &mut out);
    out
}

fn walk(old: &Shape, new: &Shape, at: &str, out: &mut Vec<ConstraintChange>) {
    if old.checks != new.checks {
        for (direction, detail) in checks(&old.checks, &new.checks) {
            out.push(ConstraintChange {
                at: at.to_string(),
                direction,
                detail,
            });
        }
    }
    let join = |part: &str| {
        if at.is_empty() {
            part.to_string()
        } else {
            format!("{at}.{part}")
        }
    };
    match (&old.kind, &new.kind) {
        (Kind::Array(a), Kind::Array(b)) => walk(a, b, &join("items"), out),
        (Kind::Map(a), Kind::Map(b)) => walk(a, b, &join("values"), out),
        _ => {}
    }
}

/// `Less` when `new` admits fewer values, for a lower bound.
fn lower<T: PartialOrd>(old: Option<T>, new: Option<T>) -> Option<Direction> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(a), Some(b)) => match b.partial_cmp(&a) {
            Some(Ordering::Equal) => None,
            Some(Ordering::Greater) => Some(Direction::Tightened),
            Some(Ordering::Less) => Some(Direction::Loosened),
            None => Some(Direction::Changed),
        },
    }
}

fn upper<T: PartialOrd + Copy>(old: Option<T>, new: Option<T>) -> Option<Direction> {
    lower(old, new).map(|d| match d {
        Direction::Tightened if old.is_some() => Direction::Loosened,
        Direction::Loosened if new.is_some() => Direction::Tightened,
        d => d,
    })
}

fn number(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

fn number_text(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

fn bound_text(b: Option<Bound>) -> String {
    match b {
        None => "none".to_string(),
        Some(b) if b.exclusive => format!("{} (exclusive)", number_text(b.value)),
        Some(b) => number_text(b.value),
    }
}

/// A bound as a comparable key: an exclusive lower bound admits less than
/// an inclusive one at the same value (for upper bounds, the sign flips).
fn bound_key(b: Option<Bound>, sign: f64) -> Option<(f64, i8)> {
    b.map(|b| (sign * number(b.value), i8::from(b.exclusive)))
}

fn option_text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string())
        .unwrap_or_else(|| "none".to_string())
}

fn checks(old: &Checks, new: &Checks) -> Vec<(Direction, String)> {
    let mut out = Vec::new();
    let mut push = |d: Option<Direction>, name: &str, o: String, n: String| {
        if let Some(d) = d {
            out.push((d, format!("{name} {}", super::arrow(&o, &n))));
        }
    };
    push(
        lower(bound_key(old.minimum, 1.0), bound_key(new.minimum, 1.0)),
        "minimum",
        bound_text(old.minimum),
        bound_text(new.minimum),
    );
    // Negated, so a smaller maximum is a "greater" lower bound.
    push(
        lower(bound_key(old.maximum, -1.0), bound_key(new.maximum, -1.0)),
        "maximum",
        bound_text(old.maximum),
        bound_text(new.maximum),
    );
    let lengths = [
        ("minLength", old.min_length, new.min_length, true),
        ("maxLength", old.max_length, new.max_length, false),
        ("minItems", old.min_items, new.min_items, true),
        ("maxItems", old.max_items, new.max_items, false),
        (
            "minProperties",
            old.min_properties,
            new.min_properties,
            true,
        ),
        (
            "maxProperties",
            old.max_properties,
            new.max_properties,
            false,
        ),
    ];
    for (name, o, n, is_lower) in lengths {
        let d = if is_lower { lower(o, n) } else { upper(o, n) };
        push(d, name, option_text(o), option_text(n));
    }
    push(
        multiple(old.multiple_of, new.multiple_of),
        "multipleOf",
        option_text(old.multiple_of.map(number_text)),
        option_text(new.multiple_of.map(number_text)),
    );
    push(
        lower(Some(old.unique_items), Some(new.unique_items)),
        "uniqueItems",
        old.unique_items.to_string(),
        new.unique_items.to_string(),
    );
    push(
        sets(Some(&old.patterns), Some(&new.patterns)),
        "pattern",
        list(Some(&old.patterns)),
        list(Some(&new.patterns)),
    );
    push(
        sets(old.one_of.as_ref(), new.one_of.as_ref()).map(flip_absent(&old.one_of, &new.one_of)),
        "enum",
        list(old.one_of.as_ref()),
        list(new.one_of.as_ref()),
    );
    out
}

/// `multipleOf`: a multiple of the old factor tightens, a divisor loosens.
fn multiple(old: Option<Number>, new: Option<Number>) -> Option<Direction> {
    match (old.map(number), new.map(number)) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) if a != 0.0 && (b / a).fract() == 0.0 => Some(Direction::Tightened),
        (Some(a), Some(b)) if b != 0.0 && (a / b).fract() == 0.0 => Some(Direction::Loosened),
        _ => Some(Direction::Changed),
    }
}

/// Sets of requirements that all apply (patterns): more is tighter.
fn sets(old: Option<&Vec<String>>, new: Option<&Vec<String>>) -> Option<Direction> {
    let (old, new) = (old.map(Vec::as_slice), new.map(Vec::as_slice));
    let contains = |a: &[String], b: &[String]| b.iter().all(|x| a.contains(x));
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(Direction::Tightened),
        (Some(_), None) => Some(Direction::Loosened),
        (Some(a), Some(b)) => match (contains(a, b), contains(b, a)) {
            (true, true) => None,
            (false, true) => Some(Direction::Tightened),
            (true, false) => Some(Direction::Loosened),
            (false, false) => Some(Direction::Changed),
        },
    }
}

/// For an `enum` list, fewer allowed values is tighter: the opposite of
/// [`sets`] once both lists exist (an absent list allows everything).
fn flip_absent<'a>(
    old: &'a Option<Vec<String>>,
    new: &'a Option<Vec<String>>,
) -> impl Fn(Direction) -> Direction + 'a {
    move |d| match (old.is_some() && new.is_some(), d) {
        (true, Direction::Tightened) => Direction::Loosened,
        (true, Direction::Loosened) => Direction::Tightened,
        _ => d,
    }
}

fn list(values: Option<&Vec<String>>) -> String {
    match values {
        None => "none".to_string(),
        Some(v) if v.is_empty() => "none".to_string(),
        Some(v) => v
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directions(old: Checks, new: Checks) -> Vec<(Direction, String)> {
        checks(&old, &new)
    }

    fn int(value: i64, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: Number::Int(value),
            exclusive,
        })
    }

    #[test]
    fn bounds_tighten_towards_each_other() {
        let d = directions(
            Checks {
                minimum: int(0, false),
                maximum: int(10, false),
                ..Checks::default()
            },
            Checks {
                minimum: int(0, true),
                maximum: int(20, false),
                ..Checks::default()
            },
        );
        assert_eq!(
            d,
            [
                (Direction::Tightened, "minimum 0 → 0 (exclusive)".into()),
                (Direction::Loosened, "maximum 10 → 20".into()),
            ]
        );
        let added = directions(
            Checks::default(),
            Checks {
                max_length: Some(3),
                ..Checks::default()
            },
        );
        assert_eq!(added, [(Direction::Tightened, "maxLength none → 3".into())]);
        let dropped = directions(
            Checks {
                min_items: Some(1),
                ..Checks::default()
            },
            Checks::default(),
        );
        assert_eq!(dropped, [(Direction::Loosened, "minItems 1 → none".into())]);
    }

    #[test]
    fn multiples_patterns_and_value_lists() {
        let m = |a: i64, b: i64| multiple(Some(Number::Int(a)), Some(Number::Int(b)));
        assert_eq!(m(2, 4), Some(Direction::Tightened));
        assert_eq!(m(4, 2), Some(Direction::Loosened));
        assert_eq!(m(2, 3), Some(Direction::Changed));
        assert_eq!(m(2, 2), None);
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = |a: &[&str], b: &[&str]| {
            directions(
                Checks {
                    patterns: strings(a),
                    ..Checks::default()
                },
                Checks {
                    patterns: strings(b),
                    ..Checks::default()
                },
            )[0]
            .0
        };
        assert_eq!(p(&[], &["a"]), Direction::Tightened);
        assert_eq!(p(&["a", "b"], &["a"]), Direction::Loosened);
        assert_eq!(p(&["a"], &["b"]), Direction::Changed);
        let e = |a: Option<&[&str]>, b: Option<&[&str]>| {
            directions(
                Checks {
                    one_of: a.map(strings),
                    ..Checks::default()
                },
                Checks {
                    one_of: b.map(strings),
                    ..Checks::default()
                },
            )[0]
            .0
        };
        assert_eq!(e(Some(&["1"]), Some(&["1", "2"])), Direction::Loosened);
        assert_eq!(e(Some(&["1", "2"]), Some(&["1"])), Direction::Tightened);
        assert_eq!(e(None, Some(&["1"])), Direction::Tightened);
        assert_eq!(e(Some(&["1"]), None), Direction::Loosened);
    }

    #[test]
    fn severity_follows_the_side_a_shape_is_on() {
        let request = Usage {
            request: true,
            response: false,
        };
        let response = Usage {
            request: false,
            response: true,
        };
        let unused = Usage::default();
        assert_eq!(Direction::Tightened.severity(request), Severity::Breaking);
        assert_eq!(
            Direction::Tightened.severity(response),
            Severity::Compatible
        );
        assert_eq!(Direction::Loosened.severity(request), Severity::Compatible);
        assert_eq!(Direction::Loosened.severity(response), Severity::Breaking);
        assert_eq!(Direction::Changed.severity(request), Severity::Breaking);
        assert_eq!(Direction::Tightened.severity(unused), Severity::Breaking);
        assert_eq!(Direction::Loosened.severity(unused), Severity::Breaking);
    }
}
