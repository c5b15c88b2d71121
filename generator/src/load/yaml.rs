//! YAML text → JSON value, read the way JSON tooling reads numbers.
//!
//! `serde_yaml` hands integers beyond 64 bits (e.g. `9223372036854776000`,
//! how JavaScript prints 2^63) to the visitor as 128-bit integers, which a
//! plain `serde_json::Value` refuses. Here they become floats, as
//! `serde_json` reads the same text in a JSON spec, each with a warning
//! carrying its pointer.

use crate::diagnostics::{child, Diagnostics};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML into a JSON value. YAML-only constructs that JSON cannot hold
/// (non-string keys, tags) are rejected with their location; integers
/// beyond 64 bits are read as floats, with a warning.
pub fn parse_yaml(text: &str, diags: &mut Diagnostics) -> Result<Value, String> {
    let mut found = Vec::new();
    let de = serde_yaml::Deserializer::from_str(text);
    let value = Node {
        pointer: "#".to_string(),
        found: &mut found,
    }
    .deserialize(de)
    .map_err(|e| match e.location() {
        Some(loc) => format!(
            "invalid YAML at line {}, column {}: {e}",
            loc.line(),
            loc.column()
        ),
        None => format!("invalid YAML: {e}"),
    })?;
    for (pointer, message) in found {
        diags.warn("normalised-number", pointer, message);
    }
    Ok(value)
}

/// One value of the document, at `pointer`; big integers met on the way go
/// to `found` as (pointer, message).
struct Node<'a> {
    pointer: String,
    found: &'a mut Vec<(String, String)>,
}

impl Node<'_> {
    fn big(self, text: String, f: f64) -> Result<Value, String> {
        let number = Number::from_f64(f).ok_or_else(|| format!("number {text} out of range"))?;
        self.found.push((
            self.pointer,
            format!("integer {text} is beyond the 64-bit range; read as the float {number}"),
        ));
        Ok(Value::Number(number))
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
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
        self.big(v.to_string(), v as f64).map_err(E::custom)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        self.big(v.to_string(), v as f64).map_err(E::custom)
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
            let node = Node {
                pointer: child(&self.pointer, &out.len().to_string()),
                found: &mut *self.found,
            };
            match seq.next_element_seed(node)? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let node = Node {
                pointer: child(&self.pointer, &key),
                found: &mut *self.found,
            };
            let value = map.next_value_seed(node)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Result<Value, String>, Vec<String>) {
        let mut d = Diagnostics::default();
        let v = parse_yaml(text, &mut d);
        (
            v,
            d.iter()
                .map(|d| format!("{} {}", d.pointer, d.message))
                .collect(),
        )
    }

    #[test]
    fn integers_beyond_64_bits_become_floats_with_a_warning() {
        let (v, w) =
            read("a:\n  - {min: -9223372036854776000, max: 18446744073709551616}\n  - 7\n");
        let v = v.unwrap();
        assert_eq!(v["a"][0]["min"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(v["a"][0]["max"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(v["a"][1].as_u64(), Some(7));
        assert_eq!(
            w,
            vec![
                "#/a/0/min integer -9223372036854776000 is beyond the 64-bit range; read as the float -9.223372036854776e+18",
                "#/a/0/max integer 18446744073709551616 is beyond the 64-bit range; read as the float 1.8446744073709552e+19",
            ]
        );
    }

    /// The same text as JSON gives the same value: `serde_json` reads such
    /// integers as floats too.
    #[test]
    fn yaml_reads_numbers_as_json_does() {
        let text = r#"{"a": [1, -2, 1e3, 100.0, 9223372036854776000, -9223372036854776000, "x", null, true]}"#;
        let json: Value = serde_json::from_str(text).unwrap();
        assert_eq!(read(text).0.unwrap(), json);
    }

    #[test]
    fn yaml_errors_keep_their_location() {
        let (v, _) = read("a: [\n");
        assert!(v.unwrap_err().starts_with("invalid YAML at line"));
        let (v, _) = read("? [1, 2]\n: x\n");
        assert!(v.is_err());
    }
}
