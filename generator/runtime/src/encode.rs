//! Turning parameter values into the text a URL, header or form carries.

use super::error::Error;
use super::request::Body;
use serde::Serialize;

/// A parameter value as text: strings (and enums, dates) as they are,
/// whole numbers without a fraction (`2`, not `2.0`), anything else as its
/// JSON text.
pub fn text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                format!("{}", f as i64)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_strings_and_renders_the_rest_as_json() {
        assert_eq!(text("a b"), "a b");
        assert_eq!(text(&5), "5");
        assert_eq!(text(&2.0), "2");
        assert_eq!(text(&2.5), "2.5");
        assert_eq!(text(&true), "true");
        assert_eq!(text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }

    #[test]
    fn form_skips_nulls() {
        let body = form(&serde_json::json!({"a": "x", "b": null, "c": 2})).ok();
        assert_eq!(
            body,
            Some(Body::Form(vec![
                ("a".into(), "x".into()),
                ("c".into(), "2".into())
            ]))
        );
        assert!(form(&5).is_err());
    }
}
