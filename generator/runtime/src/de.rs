//! Deserialisation helpers the generated models use.

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use std::fmt;

/// Decodes a string enum: a listed value becomes its variant, any other
/// string the catch-all variant, so a new value from the server never breaks
/// decoding. Borrows the input where it can, allocating only for unknown values.
pub fn string_enum<'de, D, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<T> {
        known: fn(&str) -> Option<T>,
        other: fn(String) -> T,
    }
    impl<T> Visitor<'_> for V<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
            Ok((self.known)(v).unwrap_or_else(|| (self.other)(v.to_string())))
        }

        fn visit_string<E: Error>(self, v: String) -> Result<T, E> {
            match (self.known)(&v) {
                Some(t) => Ok(t),
                None => Ok((self.other)(v)),
            }
        }
    }
    deserializer.deserialize_str(V { known, other })
}

/// For optional, nullable fields (`Option<Option<T>>`): a present `null`
/// becomes `Some(None)`; an absent field stays `None` (through `#[serde(default)]`).
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
