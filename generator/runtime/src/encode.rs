//! Turning parameter values into the text a URL, header or form carries.

use super::error::Error;
use super::number::whole;
use super::request::Body;
use serde::Serialize;

/// A parameter value as text: strings (and enums, dates) as they are,
/// whole numbers without a fraction (`2`, not `2.0`), anything else as its
/// JSON text.
pub fn text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Number(n)) => match n.as_f64().and_then(whole) {
            Some(i) if n.is_f64() => i.to_string(),
            _ => n.to_string(),
        },
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// An `application/x-www-form-urlencoded` body from an object's fields;
/// `null` fields are left out.
pub fn form<T: Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(fields)) => Ok(Body::Form(
            fields
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, text(&v)))
                .collect(),
        )),
        Ok(_) => Err(Error::InvalidRequest {
            message: "a form body must be an object".to_string(),
        }),
        Err(e) => Err(Error::InvalidRequest {
            message: format!("the form body does not serialize: {e}"),
        }),
    }
}
