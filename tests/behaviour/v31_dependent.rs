//! v31/dependent.yaml: `dependentRequired` checked by `validate()`, each
//! missing property reported at its own path, naming the one that
//! requires it; through `allOf` too.

use serde_json::{from_value, json};
use v31_dependent_api::models::{Card, Payment};
use v31_dependent_api::runtime::validation::Constraint;
use v31_dependent_api::{Validate, Violation};

fn missing(path: &str, because: &'static str) -> Violation {
    Violation {
        path: path.into(),
        constraint: Constraint::DependentRequired(because),
        actual: "absent".into(),
    }
}

fn violations(value: &impl Validate) -> Vec<Violation> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.0,
    }
}

#[test]
fn a_present_property_requires_its_dependents() {
    let card: Card = from_value(json!({"holder": "A"})).expect("decodes");
    assert_eq!(violations(&card), vec![]);
    let card: Card =
        from_value(json!({"holder": "A", "number": "4242", "cvc": "1", "expiry": "12/30"}))
            .expect("decodes");
    assert_eq!(violations(&card), vec![]);
    let card: Card = from_value(json!({"holder": "A", "number": "4242"})).expect("decodes");
    assert_eq!(
        violations(&card),
        vec![missing("cvc", "number"), missing("expiry", "number")]
    );
    // `cvc: [pin]` names an undeclared property: warned about, not checked.
    let card: Card = from_value(json!({"holder": "A", "cvc": "1"})).expect("decodes");
    assert_eq!(violations(&card), vec![]);
}

#[test]
fn every_part_of_an_all_of_keeps_its_dependencies() {
    let payment: Payment =
        from_value(json!({"holder": "A", "number": "4242", "expiry": "12/30", "amount": 5}))
            .expect("decodes");
    assert_eq!(
        violations(&payment),
        vec![missing("cvc", "number"), missing("currency", "amount")]
    );
    // Present means present, even as null.
    let payment: Payment =
        from_value(json!({"holder": "A", "amount": 5, "currency": null})).expect("decodes");
    assert_eq!(violations(&payment), vec![]);
    let err = payment.validate().err().map(|e| e.to_string());
    assert_eq!(err, None);
    let card: Card = from_value(json!({"holder": "A", "number": "1"})).expect("decodes");
    assert_eq!(
        card.validate().expect_err("invalid").to_string(),
        "cvc: violates dependentRequired (required when `number` is present), actual absent; \
         expiry: violates dependentRequired (required when `number` is present), actual absent"
    );
}
