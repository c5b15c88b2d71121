//! YAML text → JSON value, read the way JSON tooling reads numbers.
//!
//! `serde_yaml` hands integers beyond 64 bits (e.g. `-9223372036854776000`,
//! how JavaScript prints -2^63) to the visitor as 128-bit integers, which a
//! plain `serde_json::Value` refuses. Here they become floats, exactly as
//! `serde_json` reads the same text in a JSON spec, so a spec means the
//! same in either format (and gives the same diagnostics: a bound that the
//! float puts beyond a Rust type's range is clamped later, as for JSON).

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML into a JSON value. YAML-only constructs that JSON cannot hold
/// (non-string keys, tags) are rejected with their location; integers
/// beyond 64 bits are read as floats, as `serde_json` reads them.
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    Node.deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| match e.location() {
            Some(loc) => format!(
                "invalid YAML at line {}, column {}: {e}",
                loc.line(),
                loc.column()
            ),
            None => format!("invalid YAML: {e}"),
        })
}

/// One value of the document.
struct Node;

fn big(text: String, f: f64) -> Result<Value, String> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| format!("number {text} out of range"))
}

impl<'de> DeserializeSeed<'de> for Node {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        big(v.to_string(), v as f64).map_err(E::custom)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        big(v.to_string(), v as f64).map_err(E::custom)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // YAML's `.inf` and `.nan` have no JSON form: null, as serde_json has it.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            match seq.next_element_seed(Node)? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Node)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let v =
            parse_yaml("a:\n  - {min: -9223372036854776000, max: 18446744073709551616}\n  - 7\n")
                .unwrap();
        assert_eq!(v["a"][0]["min"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(v["a"][0]["max"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(v["a"][1].as_u64(), Some(7));
    }

    /// The same text as JSON gives the same value: `serde_json` reads such
    /// integers as floats too.
    #[test]
    fn yaml_reads_numbers_as_json_does() {
        let text = r#"{"a": [1, -2, 1e3, 100.0, 9223372036854776000, -9223372036854776000, 18446744073709551616, "x", null, true]}"#;
        let json: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse_yaml(text).unwrap(), json);
    }

    #[test]
    fn yaml_errors_keep_their_location() {
        assert!(parse_yaml("a: [\n")
            .unwrap_err()
            .starts_with("invalid YAML at line"));
        assert!(parse_yaml("? [1, 2]\n: x\n").is_err());
    }
}
