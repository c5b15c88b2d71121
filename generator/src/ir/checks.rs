//! Constraints: from a schema view to [`Checks`], rejecting contradictory or
//! uncompilable ones at generation time rather than at run time.

use super::view::{Num, Ty, View};
use super::{Bound, Checks, Number};
use crate::diagnostics::Diagnostics;

fn number(n: Num, ty: Ty) -> Number {
    match (n, ty) {
        (Num::Int(i), _) => Number::Int(i),
        // An integer field with a float bound such as `minimum: 0.5`: keep it
        // as a float so nothing is rounded away.
        // Whole bounds beyond the `i64` range saturate: no `i64` is past them.
        (Num::Float(f), Ty::Integer) if f.fract() == 0.0 => Number::Int(f as i64),
        (Num::Float(f), _) => Number::Float(f),
    }
}

fn as_f64(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

fn count(n: Option<usize>) -> Option<u64> {
    n.map(|n| n as u64)
}

/// The checks a view states for a value of type `ty`.
pub fn checks(view: &View<'_>, ty: Ty, pointer: &str, diags: &mut Diagnostics) -> Checks {
    let mut c = Checks::default();
    match ty {
        Ty::Integer | Ty::Number => number_checks(&mut c, view, ty, pointer, diags),
        Ty::String => string_checks(&mut c, view, pointer, diags),
        Ty::Array => array_checks(&mut c, view, pointer, diags),
        Ty::Object => {
            c.min_properties = count(view.min_properties).filter(|&n| n > 0);
            c.max_properties = count(view.max_properties);
        }
        Ty::Boolean => c.one_of = boolean_one_of(view),
    }
    c
}

/// Fills in the bounds, `multipleOf` and `enum` of a number, rejecting
/// bounds that leave no value and ignoring a `multipleOf` that is not positive.
fn number_checks(c: &mut Checks, view: &View<'_>, ty: Ty, pointer: &str, diags: &mut Diagnostics) {
    c.minimum = view.minimum.map(|m| Bound {
        value: number(m, ty),
        exclusive: view.exclusive_minimum,
    });
    c.maximum = view.maximum.map(|m| Bound {
        value: number(m, ty),
        exclusive: view.exclusive_maximum,
    });
    if let (Some(lo), Some(hi)) = (c.minimum, c.maximum) {
        let (l, h) = (as_f64(lo.value), as_f64(hi.value));
        if l > h || (l == h && (lo.exclusive || hi.exclusive)) {
            diags.error(
                "invalid-bounds",
                pointer,
                format!("minimum {l} and maximum {h} leave no valid value"),
            );
        }
    }
    c.multiple_of = match view.multiple_of.map(|m| number(m, ty)) {
        Some(m) if as_f64(m) > 0.0 => Some(m),
        Some(m) => {
            diags.warn(
                "ignored-constraint",
                pointer,
                format!("multipleOf {} is not positive; ignored", as_f64(m)),
            );
            None
        }
        None => None,
    };
    let values: Vec<String> = view.enum_values.iter().filter_map(number_text).collect();
    if !values.is_empty() {
        c.one_of = Some(values);
    }
}

/// Fills in the lengths and pattern of a string, rejecting crossed lengths
/// and a pattern that is not a valid regular expression.
fn string_checks(c: &mut Checks, view: &View<'_>, pointer: &str, diags: &mut Diagnostics) {
    c.min_length = count(view.min_length).filter(|&n| n > 0);
    c.max_length = count(view.max_length);
    let lengths = (c.min_length, c.max_length);
    check_crossed(lengths, ("minLength", "maxLength"), pointer, diags);
    if let Some(p) = view.pattern {
        match regress::Regex::new(p) {
            Ok(_) => c.patterns.push(p.to_string()),
            Err(e) => diags.error(
                "invalid-pattern",
                pointer,
                format!("pattern {p:?} is not a valid ECMA-262 regular expression: {e}"),
            ),
        }
    }
}

/// Fills in the item counts and uniqueness of an array, rejecting crossed counts.
fn array_checks(c: &mut Checks, view: &View<'_>, pointer: &str, diags: &mut Diagnostics) {
    c.min_items = count(view.min_items).filter(|&n| n > 0);
    c.max_items = count(view.max_items);
    c.unique_items = view.unique_items;
    let items = (c.min_items, c.max_items);
    check_crossed(items, ("minItems", "maxItems"), pointer, diags);
}

/// Rejects a lower count above the upper one (`minItems` over `maxItems`);
/// `names` are the two keywords, as the error spells them.
fn check_crossed(
    (lo, hi): (Option<u64>, Option<u64>),
    (lo_name, hi_name): (&str, &str),
    pointer: &str,
    diags: &mut Diagnostics,
) {
    if let (Some(lo), Some(hi)) = (lo, hi) {
        if lo > hi {
            diags.error(
                "invalid-bounds",
                pointer,
                format!("{lo_name} {lo} is greater than {hi_name} {hi}"),
            );
        }
    }
}

/// The one boolean an `enum` allows, if it allows only one.
fn boolean_one_of(view: &View<'_>) -> Option<Vec<String>> {
    let values: Vec<String> = view
        .enum_values
        .iter()
        .filter(|v| v.is_boolean())
        .map(|v| v.to_string())
        .collect();
    // `enum: [true, false]` says nothing.
    (!values.is_empty() && values.len() < 2).then_some(values)
}

/// Adds the constraints of `extra` (another `allOf` member) to `base`,
/// keeping the tighter bound where both state one.
pub fn merge(base: &mut Checks, extra: Checks) {
    fn tighter<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>, pick_max: bool) -> Option<T> {
        match (a, b) {
            (Some(x), Some(y)) => Some(if (x < y) == pick_max { y } else { x }),
            (x, y) => x.or(y),
        }
    }
    base.min_length = tighter(base.min_length, extra.min_length, true);
    base.max_length = tighter(base.max_length, extra.max_length, false);
    base.min_items = tighter(base.min_items, extra.min_items, true);
    base.max_items = tighter(base.max_items, extra.max_items, false);
    base.min_properties = tighter(base.min_properties, extra.min_properties, true);
    base.max_properties = tighter(base.max_properties, extra.max_properties, false);
    base.unique_items |= extra.unique_items;
    base.minimum = tighter_bound(base.minimum, extra.minimum, true);
    base.maximum = tighter_bound(base.maximum, extra.maximum, false);
    base.multiple_of = base.multiple_of.or(extra.multiple_of);
    for p in extra.patterns {
        if !base.patterns.contains(&p) {
            base.patterns.push(p);
        }
    }
    base.one_of = base.one_of.take().or(extra.one_of);
}

/// The stricter of two bounds: the larger minimum or the smaller maximum;
/// at the same value, an exclusive bound is the stricter.
fn tighter_bound(a: Option<Bound>, b: Option<Bound>, is_min: bool) -> Option<Bound> {
    match (a, b) {
        (Some(x), Some(y)) => {
            let (vx, vy) = (as_f64(x.value), as_f64(y.value));
            Some(if vx == vy {
                Bound {
                    exclusive: x.exclusive || y.exclusive,
                    ..x
                }
            } else if (vx < vy) == is_min {
                y
            } else {
                x
            })
        }
        (x, y) => x.or(y),
    }
}

/// A JSON number as the generated code renders numbers for `enum` checks:
/// whole numbers without a fraction, others in Rust's shortest form.
fn number_text(v: &serde_json::Value) -> Option<String> {
    if let Some(i) = v.as_i64() {
        return Some(i.to_string());
    }
    v.as_f64().map(crate::number::number_text)
}
