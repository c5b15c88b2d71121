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

/// A JSON array read as a tuple (a model with one field per position):
/// its length checked once, then each position taken in turn, an error
/// naming the position that does not decode.
pub struct Tuple<E> {
    items: std::vec::IntoIter<serde_json::Value>,
    index: usize,
    error: std::marker::PhantomData<E>,
}

impl<E: Error> Tuple<E> {
    /// Reads the array: at least `required` items, and at most `most`
    /// when the tuple is closed.
    pub fn read<'de, D>(deserializer: D, required: usize, most: Option<usize>) -> Result<Self, E>
    where
        D: Deserializer<'de, Error = E>,
    {
        let items = Vec::<serde_json::Value>::deserialize(deserializer)?;
        let len = items.len();
        if len < required {
            let expected = format!("an array of at least {required} items");
            return Err(E::invalid_length(len, &expected.as_str()));
        }
        if let Some(most) = most.filter(|most| len > *most) {
            let expected = format!("an array of at most {most} items");
            return Err(E::invalid_length(len, &expected.as_str()));
        }
        Ok(Tuple {
            items: items.into_iter(),
            index: 0,
            error: std::marker::PhantomData,
        })
    }

    /// The next position, which `read` made sure is there.
    pub fn item<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, E> {
        let value = self.items.next().unwrap_or_default();
        self.decode(value)
    }

    /// The next position, if the array reaches it.
    pub fn optional<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<T>, E> {
        match self.items.next() {
            Some(value) => self.decode(value).map(Some),
            None => Ok(None),
        }
    }

    /// The items after the positions.
    pub fn rest<T: serde::de::DeserializeOwned>(&mut self) -> Result<Vec<T>, E> {
        let mut rest = Vec::with_capacity(self.items.len());
        while let Some(value) = self.items.next() {
            rest.push(self.decode(value)?);
        }
        Ok(rest)
    }

    fn decode<T: serde::de::DeserializeOwned>(&mut self, value: serde_json::Value) -> Result<T, E> {
        let index = self.index;
        self.index += 1;
        serde_json::from_value(value).map_err(|e| E::custom(format_args!("item {index}: {e}")))
    }
}
