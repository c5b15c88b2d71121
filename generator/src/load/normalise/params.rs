//! Parameters in their Swagger 2.0 form: the schema's keywords on the
//! parameter itself (`type: integer, minimum: 1`), `collectionFormat`, and
//! the places 3.0 moved elsewhere (`in: body`, `in: formData`).

use super::schemas::boolean_text;
use crate::diagnostics::{child, Diagnostics};
use serde_json::{json, Map, Value};

/// Schema keywords Swagger 2.0 wrote on the parameter itself.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// The places a 3.0 parameter can be.
const PLACES: &[&str] = &["path", "query", "header", "cookie"];

/// Rewrites one parameter object; `false` when it must be left out.
pub fn parameter(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) -> bool {
    let place = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !PLACES.contains(&place.as_str()) {
        let name = map.get("name").and_then(Value::as_str).unwrap_or("");
        let why = match place.as_str() {
            "body" | "formData" => "a Swagger 2.0 body parameter; OpenAPI 3.0 says `requestBody`",
            _ => "not a place a parameter can be",
        };
        let component = crate::diagnostics::component_of(at).is_some();
        let also = if component {
            " (and every `$ref` to it)"
        } else {
            ""
        };
        diags.warn(
            "ignored-parameter",
            child(at, "in"),
            format!("parameter `{name}` is `in: {place}`, {why}; left out{also}"),
        );
        return false;
    }
    let name = map.get("name").and_then(Value::as_str).unwrap_or("");
    if matches!(place.as_str(), "header" | "cookie") && !is_http_token(name) {
        diags.warn(
            "ignored-parameter",
            child(at, "name"),
            format!(
                "{place} parameter {name:?} is not a valid {place} name (an HTTP token); left out"
            ),
        );
        return false;
    }
    if let Some(Value::String(s)) = map.get("required").cloned() {
        if let Some(b) = boolean_text(&s) {
            map.insert("required".into(), Value::Bool(b));
            diags.warn(
                "normalised-keyword",
                child(at, "required"),
                format!("`required: \"{s}\"` read as `required: {b}`"),
            );
        }
    }
    if !map.contains_key("schema") && !map.contains_key("content") {
        schema_on_parameter(map, at, diags);
    }
    collection_format(map, at, diags);
    true
}

/// Whether `name` can be sent as a header or cookie name: a non-empty
/// HTTP token (RFC 9110 `tchar`s only), which excludes spaces, control
/// characters and separators.
pub fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Moves the schema keywords into `schema` (a string when there are none).
fn schema_on_parameter(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(v) = map.remove(*key) {
            schema.insert((*key).to_string(), v);
        }
    }
    let msg = if schema.is_empty() {
        schema.insert("type".into(), json!("string"));
        "a parameter with neither `schema` nor `content`; taken as a string"
    } else {
        "Swagger 2.0 schema keywords on the parameter read as its `schema`"
    };
    map.insert("schema".into(), Value::Object(schema));
    diags.warn("normalised-parameter", at, msg);
}

/// `collectionFormat` → `style`/`explode` (`csv`, `multi`), or dropped.
fn collection_format(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let Some(format) = map.remove("collectionFormat") else {
        return;
    };
    let (style, explode) = match format.as_str() {
        Some("csv") => ("form", false),
        Some("multi") => ("form", true),
        Some("ssv") => ("spaceDelimited", false),
        Some("pipes") => ("pipeDelimited", false),
        _ => {
            diags.warn(
                "ignored-keyword",
                child(at, "collectionFormat"),
                format!("`collectionFormat: {format}` has no OpenAPI 3.0 form; ignored"),
            );
            return;
        }
    };
    map.entry("style").or_insert_with(|| json!(style));
    map.entry("explode").or_insert_with(|| json!(explode));
    diags.warn(
        "normalised-parameter",
        child(at, "collectionFormat"),
        format!(
            "Swagger 2.0 `collectionFormat: {format}` read as `style: {style}, explode: {explode}`"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(p: Value) -> (Option<Value>, Vec<String>) {
        let Value::Object(mut map) = p else {
            return (None, Vec::new());
        };
        let mut diags = Diagnostics::default();
        let keep = parameter(&mut map, "#/p", &mut diags);
        let w = diags
            .iter()
            .map(|d| format!("{} {}", d.kind, d.pointer))
            .collect();
        (keep.then_some(Value::Object(map)), w)
    }

    #[test]
    fn swagger_parameters_get_a_schema() {
        let (p, w) = normalised(json!({
            "name": "ids", "in": "query", "required": "true", "type": "array",
            "items": {"type": "integer"}, "collectionFormat": "csv", "maxItems": 3
        }));
        assert_eq!(
            p,
            Some(json!({
                "name": "ids", "in": "query", "required": true,
                "schema": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
                "style": "form", "explode": false
            }))
        );
        assert_eq!(
            w,
            [
                "normalised-keyword #/p/required",
                "normalised-parameter #/p",
                "normalised-parameter #/p/collectionFormat"
            ]
        );
        let (p, _) = normalised(json!({"name": "q", "in": "query"}));
        assert_eq!(
            p.map(|p| p["schema"].clone()),
            Some(json!({"type": "string"}))
        );
    }

    #[test]
    fn body_parameters_are_left_out() {
        let (p, w) = normalised(json!({"name": "b", "in": "body", "schema": {}}));
        assert_eq!(p, None);
        assert_eq!(w, ["ignored-parameter #/p/in"]);
    }

    #[test]
    fn header_and_cookie_parameters_need_a_token_name() {
        for place in ["header", "cookie"] {
            for bad in ["\r", "", "a b", "x:y", "é"] {
                let (p, w) = normalised(json!({"name": bad, "in": place, "schema": {}}));
                assert_eq!(
                    (p, w),
                    (None, vec!["ignored-parameter #/p/name".to_string()])
                );
            }
            let (p, w) = normalised(json!({"name": "X-Rate_Limit.2~", "in": place, "schema": {}}));
            assert!(p.is_some() && w.is_empty(), "{w:?}");
        }
        // A query parameter's name is percent-encoded: anything goes.
        let (p, _) = normalised(json!({"name": "a b\r", "in": "query", "schema": {}}));
        assert!(p.is_some());
    }
}
