//! Unit tests of `src/validation.rs`.

use crate::runtime::validation::*;
use std::collections::BTreeMap;

#[test]
fn paths_render_fields_indices_and_keys() {
    let root = Path::Root;
    let result = root.field("result");
    let third = result.index(3);
    let delay = third.field("retry_delay");
    assert_eq!(delay.to_string(), "result[3].retry_delay");
    let headers = root.field("headers");
    assert_eq!(headers.key("a\"b").to_string(), "headers[\"a\\\"b\"]");
    assert_eq!(Path::Root.to_string(), "");
}

/// A type that always reports one violation, where it is.
struct Bad;

impl Validate for Bad {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        min_int(0, 1, false, path, out);
    }
}

#[test]
fn containers_locate_what_they_hold() {
    let mut out = Vec::new();
    let items = vec![Bad, Bad];
    items.validate_at(&Path::Root.field("items"), &mut out);
    items[..1].validate_at(&Path::Root.field("slice"), &mut out);
    Validate::validate_at(&&Bad, &Path::Root.field("ref"), &mut out);
    Some(Some(Box::new(Bad))).validate_at(&Path::Root.field("opt"), &mut out);
    None::<Bad>.validate_at(&Path::Root.field("none"), &mut out);
    BTreeMap::from([("k".to_string(), Bad)]).validate_at(&Path::Root.field("map"), &mut out);
    let paths: Vec<&str> = out.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "items[0]",
            "items[1]",
            "slice[0]",
            "ref",
            "opt",
            "map[\"k\"]"
        ]
    );
}

#[test]
fn boolean_enums_compare_as_text() {
    let mut out = Vec::new();
    one_of_bool(true, &["true"], &Path::Root, &mut out);
    assert!(out.is_empty());
    one_of_bool(false, &["true"], &Path::Root.field("success"), &mut out);
    assert_eq!(
        (
            out[0].path.as_str(),
            &out[0].constraint,
            out[0].actual.as_str()
        ),
        ("success", &Constraint::Enum(&["true"]), "false")
    );
}

#[test]
fn bounds_inclusive_and_exclusive() {
    let mut out = Vec::new();
    min_int(0, 0, false, &Path::Root, &mut out);
    max_int(5, 5, false, &Path::Root, &mut out);
    assert!(out.is_empty());
    min_int(0, 0, true, &Path::Root, &mut out);
    max_int(5, 5, true, &Path::Root, &mut out);
    min_num(-0.5, 0.0, false, &Path::Root, &mut out);
    assert_eq!(
        out.iter().map(|v| v.constraint.clone()).collect::<Vec<_>>(),
        vec![
            Constraint::ExclusiveMinimum(Bound::Int(0)),
            Constraint::ExclusiveMaximum(Bound::Int(5)),
            Constraint::Minimum(Bound::Float(0.0)),
        ]
    );
}

#[test]
fn lengths_count_characters_not_bytes() {
    let mut out = Vec::new();
    max_length("ééé", 3, &Path::Root, &mut out);
    min_length("ééé", 3, &Path::Root, &mut out);
    assert!(out.is_empty());
    max_length("éééé", 3, &Path::Root, &mut out);
    min_length("éé", 3, &Path::Root, &mut out);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].actual, "4 characters");
}

#[test]
fn multiple_of_tolerates_binary_fractions() {
    let mut out = Vec::new();
    multiple_of_num(0.3, 0.1, &Path::Root, &mut out);
    multiple_of_int(10, 5, &Path::Root, &mut out);
    assert!(out.is_empty());
    multiple_of_num(0.35, 0.1, &Path::Root, &mut out);
    multiple_of_int(11, 5, &Path::Root, &mut out);
    assert_eq!(out.len(), 2);
}

#[test]
fn patterns_are_unanchored_ecma() {
    static P: Pattern = Pattern::new(r"^[a-z]+(?=-)");
    let mut out = Vec::new();
    pattern("abc-d", &P, &Path::Root, &mut out);
    assert!(out.is_empty());
    pattern("ABC", &P, &Path::Root, &mut out);
    assert_eq!(out[0].constraint, Constraint::Pattern(r"^[a-z]+(?=-)"));
}

#[test]
fn unique_items_and_counts() {
    let mut out = Vec::new();
    unique_items(&[1, 2, 1], &Path::Root, &mut out);
    min_items(0, 1, &Path::Root, &mut out);
    max_items(3, 2, &Path::Root, &mut out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].actual, "item 2 repeats an earlier item");
}

#[test]
fn dependent_required_names_the_property_that_requires() {
    let mut out = Vec::new();
    let root = Path::Root;
    dependent_required("number", true, &root.field("cvc"), &mut out);
    dependent_required("number", false, &root.field("cvc"), &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].to_string(),
        "cvc: violates dependentRequired (required when `number` is present), actual absent"
    );
}
