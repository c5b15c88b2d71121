//! Unit tests of `src/de.rs`.

use crate::runtime::de::*;
use serde::de::{Deserialize, Deserializer};

/// `[number, string?, boolean…]`, and the same closed after two.
fn open(text: &str) -> Result<(f64, Option<String>, Vec<bool>), String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut t = Tuple::read(&mut de, 1, None).map_err(|e| e.to_string())?;
    let first = t.item().map_err(|e| e.to_string())?;
    let second = t.optional().map_err(|e| e.to_string())?;
    Ok((first, second, t.rest().map_err(|e| e.to_string())?))
}

fn closed(text: &str) -> Result<(f64, String), String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut t = Tuple::read(&mut de, 2, Some(2)).map_err(|e| e.to_string())?;
    let first = t.item().map_err(|e| e.to_string())?;
    Ok((first, t.item().map_err(|e| e.to_string())?))
}

#[test]
fn tuples_read_their_positions_and_check_their_length() {
    assert_eq!(open("[1]"), Ok((1.0, None, vec![])));
    assert_eq!(
        open(r#"[1, "a", true, false]"#),
        Ok((1.0, Some("a".into()), vec![true, false]))
    );
    assert_eq!(
        open("[]"),
        Err("invalid length 0, expected an array of at least 1 items".into())
    );
    assert_eq!(
        open(r#"[1, "a", 3]"#),
        Err("item 2: invalid type: integer `3`, expected a boolean".into())
    );
    assert_eq!(closed(r#"[1, "a"]"#), Ok((1.0, "a".into())));
    assert_eq!(
        closed(r#"[1, "a", null]"#),
        Err("invalid length 3, expected an array of at most 2 items".into())
    );
    assert_eq!(
        closed("[1]"),
        Err("invalid length 1, expected an array of at least 2 items".into())
    );
}

#[derive(Debug, PartialEq)]
enum Mode {
    Fixed,
    Other(String),
}

impl<'de> Deserialize<'de> for Mode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_enum(d, |s| (s == "fixed").then_some(Mode::Fixed), Mode::Other)
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Row {
    #[serde(default, deserialize_with = "nullable")]
    limit: Option<Option<i64>>,
}

#[test]
fn string_enums_keep_unknown_values() {
    let v: Vec<Mode> =
        serde_json::from_str(r#"["fixed", "sliding", "fix\u0065d"]"#).unwrap_or_default();
    assert_eq!(
        v,
        vec![Mode::Fixed, Mode::Other("sliding".into()), Mode::Fixed]
    );
    assert!(serde_json::from_str::<Mode>("3").is_err());
}

#[test]
fn nullable_tells_absent_from_null() {
    let rows: Vec<Row> =
        serde_json::from_str(r#"[{}, {"limit": null}, {"limit": 5}]"#).unwrap_or_default();
    assert_eq!(
        rows,
        vec![
            Row { limit: None },
            Row { limit: Some(None) },
            Row {
                limit: Some(Some(5))
            }
        ]
    );
}
