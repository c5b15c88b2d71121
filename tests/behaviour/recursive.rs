//! recursive.yaml: deep values decode, encode and validate with full paths.

use recursive_api::models::{Category, Expr, GetGraphResponse, ListNode, TreeNode};
use recursive_api::runtime::validation::{Bound, Constraint};
use recursive_api::{Validate, Violation};
use serde_json::{json, Value};

fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let t: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
    assert_eq!(
        serde_json::to_value(&t).expect("encodes"),
        value,
        "round trip"
    );
    t
}

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

#[test]
fn a_long_list() {
    let mut value = json!({"value": 100});
    for i in (0..100).rev() {
        value = json!({"value": i, "next": value});
    }
    let list: ListNode = decode(value);
    let mut n = 0;
    let mut at = Some(&list);
    while let Some(node) = at {
        n += 1;
        at = node.next.as_deref();
    }
    assert_eq!(n, 101);
    assert_eq!(list.validate(), Ok(()));
    let bad: ListNode = decode(json!({"value": 1, "next": {"value": 2, "next": {"value": 101}}}));
    assert_eq!(
        bad.validate().expect_err("101 > 100").0,
        [v(
            "next.next.value",
            Constraint::Maximum(Bound::Int(100)),
            "101"
        )]
    );
}

#[test]
fn a_tree() {
    let tree: TreeNode = decode(json!({
        "value": "root",
        "children": [
            {"value": "a", "children": []},
            {"value": "b", "children": [{"value": "", "children": []}, {"value": "c", "children": []}]}
        ]
    }));
    assert_eq!(
        tree.validate().expect_err("empty value").0,
        [v(
            "children[1].children[0].value",
            Constraint::MinLength(1),
            "\"\" (0 characters)"
        )]
    );
}

#[test]
fn mutual_recursion_allof_recursion_and_union_recursion() {
    let graph: GetGraphResponse = decode(json!({
        "a": {"name": "a", "b": {"label": "toolong", "a": {"b": {"label": "ok"}}}},
        "category": {"id": "1", "parent": {"id": "0"}, "subcategories": [{"id": "2"}]},
        "expr": {"left": {"value": 1.0}, "right": {"left": {"value": 2.0}, "right": {"oops": true}}}
    }));
    let category: &Category = graph.category.as_ref().expect("category");
    assert_eq!(category.parent.as_ref().map(|p| p.id.as_str()), Some("0"));
    assert!(matches!(graph.expr, Some(Expr::Sum(_))));
    assert_eq!(
        graph.validate().expect_err("invalid").0,
        [
            v("a.b.label", Constraint::MaxLength(5), "7 characters"),
            v("expr.right.right", Constraint::AnyOf, "{\"oops\":true}"),
        ]
    );
}
