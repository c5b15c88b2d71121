//! enums.yaml: every listed value round-trips through its own variant;
//! other values are kept and reported.

use behaviour::{serve_once, Reply};
use enums_api::client::GetHolderParams;
use enums_api::models::{GetHolderKind, Holder, NullableColor, Symbols};
use enums_api::runtime::validation::Constraint;
use enums_api::{Client, Error, Validate, Violation};
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[test]
fn every_symbol_value_has_its_own_variant() {
    let mut seen = BTreeSet::new();
    for value in Symbols::VALUES {
        let symbol = Symbols::from(*value);
        assert!(!matches!(symbol, Symbols::Other(_)), "{value:?} is Other");
        assert_eq!(symbol.as_str(), *value);
        assert!(
            seen.insert(format!("{symbol:?}")),
            "{value:?}: variant used twice"
        );
        let decoded: Symbols = serde_json::from_value(json!(value)).expect("decodes");
        assert_eq!(decoded, symbol);
        assert_eq!(
            serde_json::to_value(&symbol).expect("encodes"),
            json!(value)
        );
        assert_eq!(symbol.validate(), Ok(()));
    }
    assert_eq!(
        Symbols::VALUES.len(),
        21,
        "the spec lists 21 distinct values"
    );
    assert!(Symbols::VALUES.contains(&""));
    assert!(Symbols::VALUES.contains(&"*"));
}

#[test]
fn unknown_values_are_kept_and_reported() {
    let symbol: Symbols = serde_json::from_value(json!("A B")).expect("decodes");
    assert_eq!(symbol, Symbols::Other("A B".into()));
    assert_eq!(
        serde_json::to_value(&symbol).expect("encodes"),
        json!("A B")
    );
    let errors = symbol.validate().expect_err("not listed").0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].constraint, Constraint::Enum(Symbols::VALUES));
    assert_eq!(errors[0].actual, "\"A B\"");
}

fn holder(extra: Value) -> Holder {
    let mut value = json!({"symbol": "*", "color": null});
    for (k, v) in extra.as_object().expect("object") {
        value[k] = v.clone();
    }
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

#[test]
fn nullable_enum_takes_null() {
    let h = holder(json!({"maybe_color": null}));
    assert_eq!(h.color, None);
    assert_eq!(h.maybe_color, Some(None));
    assert_eq!(h.validate(), Ok(()));
    let h = holder(json!({"color": "red", "maybe_color": "green"}));
    assert_eq!(h.color, Some(NullableColor::Red));
    assert_eq!(h.maybe_color, Some(Some(NullableColor::Green)));
    assert_eq!(
        NullableColor::VALUES,
        ["red", "green"],
        "null is not a value"
    );
}

#[test]
fn every_enum_kind_reports_unlisted_values() {
    let h = holder(json!({
        "symbol": "?",
        "color": "blue",
        "maybe_color": "",
        "priority": 4,
        "ratio": 2.5,
        "flag": false,
        "inline_level": 5,
        "mode": "medium",
        "modes": ["read", "exec"],
        "untyped": "z"
    }));
    assert_eq!(
        h.validate().expect_err("all invalid").0,
        [
            v("symbol", Constraint::Enum(Symbols::VALUES), "\"?\""),
            v("color", Constraint::Enum(&["red", "green"]), "\"blue\""),
            v("maybe_color", Constraint::Enum(&["red", "green"]), "\"\""),
            v("priority", Constraint::Enum(&["1", "2", "3"]), "4"),
            v("ratio", Constraint::Enum(&["0.5", "1.5"]), "2.5"),
            v("flag", Constraint::Enum(&["true"]), "false"),
            v("inline_level", Constraint::Enum(&["0", "10"]), "5"),
            v("mode", Constraint::Enum(&["fast", "slow"]), "\"medium\""),
            v("modes[1]", Constraint::Enum(&["read", "write"]), "\"exec\""),
            v("untyped", Constraint::Enum(&["x", "y"]), "\"z\""),
        ]
    );
    let ok = holder(json!({"priority": 3, "ratio": 1.5, "flag": true, "inline_level": 10}));
    assert_eq!(ok.validate(), Ok(()));
}

#[tokio::test]
async fn enum_parameters_are_checked_and_sent_as_their_value() {
    let client = Client::builder("http://127.0.0.1:9")
        .build()
        .expect("client");
    let params = GetHolderParams::default().sort("up").level(7);
    let result = client
        .get_holder(&GetHolderKind::from("huge"), &params)
        .await;
    let Err(Error::InvalidParameters(found)) = result else {
        panic!("expected InvalidParameters, got {result:?}");
    };
    assert_eq!(
        found,
        [
            v("kind", Constraint::Enum(&["small", "large"]), "\"huge\""),
            v("sort", Constraint::Enum(&["asc", "desc"]), "\"up\""),
            v("level", Constraint::Enum(&["1", "2", "3"]), "7"),
        ]
    );

    let (url, server) = serve_once(Reply::json(r#"{"symbol": "", "color": "red"}"#)).await;
    let client = Client::builder(&url)
        .build()
        .expect("client");
    let params = GetHolderParams::default().sort("desc").level(2);
    let h = client
        .get_holder(&GetHolderKind::Large, &params)
        .await
        .expect("200");
    assert_eq!(h.symbol, Symbols::Empty);
    let seen = server.await.expect("server");
    assert_eq!(seen.target(), "/holders/large?sort=desc&level=2");
}
