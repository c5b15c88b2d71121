//! How a number reads as text where two places must agree: the generator
//! writes a numeric `enum`'s values as text when it generates, and
//! `validate()` compares a value's text with them at run time. The generator
//! compiles this same file (`generator/src/lib.rs`), so the rule has one
//! definition.

/// The whole number a float holds, if it holds one that converts without
/// loss (below 9 × 10¹⁵ in size, where every whole float is exact).
pub fn whole(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// A number as `enum` checks compare it: whole numbers without a fraction
/// (`1`, not `1.0`), others in their shortest form.
pub fn number_text(value: f64) -> String {
    match whole(value) {
        Some(i) => i.to_string(),
        None => value.to_string(),
    }
}
