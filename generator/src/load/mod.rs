//! Load: spec text → JSON value → normalised → typed `openapiv3` document.
//!
//! Only this stage parses text. YAML parsing is kept behind [`parse_yaml`]
//! because `serde_yaml` is deprecated upstream and may be swapped out.

mod degrade;
mod locate;
mod normalise;
mod v31;
mod walk;
mod yaml;

pub use normalise::is_http_token;
pub use yaml::parse_yaml;

/// The extension a lowered 3.2 media type carries when its `schema` came
/// from `itemSchema`: the schema of each streamed item, not of the body.
pub const ITEM_SCHEMA_MARK: &str = "x-item-schema";

use crate::diagnostics::Diagnostics;
use serde_json::Value;

/// The path-item extension holding operations of methods 3.0 has no field
/// for (3.2's `query` and `additionalOperations`): method as sent →
/// operation.
pub const EXTRA_OPERATIONS: &str = "x-additional-operations";

/// An operation of a method the path item has no field for.
pub struct ExtraOperation {
    pub path: String,
    /// As sent: `QUERY`, or an `additionalOperations` key.
    pub method: String,
    /// Where the spec has it (`…/query`, `…/additionalOperations/<method>`).
    pub pointer: String,
    pub op: openapiv3::Operation,
}

/// A loaded spec: the typed document plus what non-component `$ref`s reach.
pub struct Document {
    pub api: openapiv3::OpenAPI,
    /// Operations of other methods than 3.0's, in path order.
    pub extra_operations: Vec<ExtraOperation>,
    /// Targets of `$ref`s that point somewhere other than a component.
    pub pointer_targets: crate::resolve::PointerTargets,
    #[cfg(test)]
    pub raw: Value,
}

/// Parses and checks a spec. Returns `None` after recording errors.
#[cfg(test)]
pub fn load(text: &str, diags: &mut Diagnostics) -> Option<Document> {
    let raw = parse(text, diags)?;
    load_value(raw, diags)
}

/// Spec text → JSON value (the first stage of [`load`]). Returns `None`
/// after recording errors.
pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        diags.error("empty-spec", "#", "the spec is empty");
        return None;
    }
    let parsed = if trimmed.starts_with('{') {
        serde_json::from_str::<Value>(trimmed).map_err(|e| {
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        })
    } else {
        parse_yaml(trimmed)
    };
    match parsed {
        Ok(v) => Some(v),
        Err(msg) => {
            diags.error("parse-error", "#", msg);
            None
        }
    }
}

/// JSON value → checked, normalised, typed document (the rest of [`load`]).
/// Returns `None` after recording errors.
pub fn load_value(mut raw: Value, diags: &mut Diagnostics) -> Option<Document> {
    match check_version(&raw, diags) {
        Some(Version::V30) => {}
        Some(Version::V31) => v31::lower(&mut raw, diags),
        None => return None,
    }
    normalise::normalise(&mut raw, diags);
    // Each round leaves out what failed (`degrade`) and tries again; a
    // round fixes every failure it finds, so a second one is rare.
    for round in 0..=DEGRADE_ROUNDS {
        let failures = typed_failures(&raw);
        let failures = match failures {
            Ok(api) => return Some(document(api, raw, diags)),
            Err(failures) if round == DEGRADE_ROUNDS => failures,
            Err(failures) => degrade::degrade(&mut raw, failures, diags),
        };
        if !failures.is_empty() {
            return invalid(failures, diags);
        }
    }
    None
}

/// How many times the failures of the typed parse are left out and the
/// parse tried again before they are errors.
const DEGRADE_ROUNDS: usize = 3;

/// The typed document, or every place that keeps it from deserializing.
fn typed_failures(raw: &Value) -> Result<openapiv3::OpenAPI, Vec<locate::Failure>> {
    // A bad keyword deep inside a schema would make the typed parse below
    // take time exponential in the depth: such schemas are checked first.
    let deep = locate::deep_schema_failures(raw);
    if !deep.is_empty() {
        return Err(deep);
    }
    // Straight to the typed document, in parts on all cores; only when that
    // fails, the failures are located (in linear time), and only when none
    // is found, the whole is parsed with its path tracked.
    if let Some(api) = typed_in_parts(raw) {
        return Ok(api);
    }
    let failures = locate::locate(raw);
    if !failures.is_empty() {
        return Err(failures);
    }
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw)
        .map_err(|e| vec![locate::Failure::document("#", e.inner().to_string())])
}

fn invalid(failures: Vec<locate::Failure>, diags: &mut Diagnostics) -> Option<Document> {
    for failure in failures {
        diags.error(
            "invalid-document",
            failure.pointer,
            format!("not a valid OpenAPI 3.0 document: {}", failure.message),
        );
    }
    None
}

fn document(api: openapiv3::OpenAPI, raw: Value, diags: &mut Diagnostics) -> Document {
    let pointer_targets = crate::resolve::pointer_targets(&raw);
    Document {
        extra_operations: extra_operations(&api, diags),
        api,
        pointer_targets,
        #[cfg(test)]
        raw,
    }
}

/// The operations [`EXTRA_OPERATIONS`] holds, typed; one that is no valid
/// operation is skipped with a warning at its pointer.
fn extra_operations(api: &openapiv3::OpenAPI, diags: &mut Diagnostics) -> Vec<ExtraOperation> {
    use crate::diagnostics::child;
    let mut out = Vec::new();
    for (path, item) in &api.paths.paths {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        let Some(Value::Object(ops)) = item.extensions.get(EXTRA_OPERATIONS) else {
            continue;
        };
        let base = child("#/paths", path);
        for (method, op) in ops {
            let pointer = if method == "QUERY" {
                child(&base, "query")
            } else {
                child(&child(&base, "additionalOperations"), method)
            };
            match serde_json::from_value::<openapiv3::Operation>(op.clone()) {
                Ok(op) => out.push(ExtraOperation {
                    path: path.clone(),
                    method: method.clone(),
                    pointer,
                    op,
                }),
                Err(e) => diags.warn(
                    "unsupported-method",
                    pointer,
                    format!("not a valid operation ({e}); skipped"),
                ),
            }
        }
    }
    out
}

/// The typed document, deserialized in parts on all cores: each path item
/// and `components` on their own, and the rest (small) as a document with
/// no paths, put together as deserializing the whole would (path items are
/// the keys starting with `/`, extensions those starting with `x-`).
/// `None` if any part fails: the caller then locates the failures.
fn typed_in_parts(raw: &Value) -> Option<openapiv3::OpenAPI> {
    use openapiv3::{Components, OpenAPI, PathItem, Paths, ReferenceOr};
    use serde::Deserialize;

    enum Part<'a> {
        Item(&'a str, &'a Value),
        Components(&'a Value),
    }
    enum Typed {
        Item(Box<ReferenceOr<PathItem>>),
        Components(Box<Option<Components>>),
    }
    let doc = raw.as_object()?;
    let paths = doc.get("paths")?.as_object()?;
    let mut rest = serde_json::Map::new();
    for (key, value) in doc {
        match key.as_str() {
            "paths" => {
                rest.insert(key.clone(), Value::Object(serde_json::Map::new()));
            }
            "components" => {}
            _ => {
                rest.insert(key.clone(), value.clone());
            }
        }
    }
    let mut parts: Vec<Part<'_>> = doc
        .get("components")
        .map(Part::Components)
        .into_iter()
        .collect();
    parts.extend(
        paths
            .iter()
            .filter(|(k, _)| k.starts_with('/'))
            .map(|(k, v)| Part::Item(k, v)),
    );
    let typed = crate::parallel::map(
        &parts,
        // `components` first: it is the biggest part.
        |part| match part {
            Part::Components(_) => usize::MAX,
            Part::Item(..) => 1,
        },
        |part| match part {
            Part::Item(_, v) => ReferenceOr::<PathItem>::deserialize(*v)
                .ok()
                .map(|item| Typed::Item(Box::new(item))),
            Part::Components(v) => Option::<Components>::deserialize(*v)
                .ok()
                .map(|c| Typed::Components(Box::new(c))),
        },
    );
    let mut api = OpenAPI::deserialize(&Value::Object(rest)).ok()?;
    let mut items = indexmap::IndexMap::new();
    for (part, typed) in parts.iter().zip(typed) {
        match (part, typed?) {
            (Part::Item(key, _), Typed::Item(item)) => {
                items.insert(key.to_string(), *item);
            }
            (_, Typed::Components(components)) => api.components = *components,
            _ => return None,
        }
    }
    api.paths = Paths {
        paths: items,
        extensions: paths
            .iter()
            .filter(|(k, _)| k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    Some(api)
}

/// The OpenAPI versions taken: 3.0 as it is, 3.1 and 3.2 lowered to 3.0
/// first ([`v31::lower`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

fn check_version(raw: &Value, diags: &mut Diagnostics) -> Option<Version> {
    let Some(obj) = raw.as_object() else {
        diags.error(
            "invalid-document",
            "#",
            "the spec must be a JSON or YAML object",
        );
        return None;
    };
    if let Some(v) = obj.get("swagger") {
        diags.error(
            "unsupported-version",
            "#/swagger",
            format!(
                "Swagger {} is not supported; convert it to OpenAPI 3.0 first",
                display(v)
            ),
        );
        return None;
    }
    let version = match obj.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Version::V30,
        Some(v) if v.starts_with("3.1") || v.starts_with("3.2") => Version::V31,
        Some(v) => {
            diags.error(
                "unsupported-version",
                "#/openapi",
                format!("OpenAPI {v} is not supported; 3.0.x, 3.1.x and 3.2.x are"),
            );
            return None;
        }
        None => {
            diags.error(
                "invalid-document",
                "#/openapi",
                "missing the `openapi` version field",
            );
            return None;
        }
    };
    let mut ok = true;
    // From 3.1 on, `paths` is optional (a document may hold only webhooks
    // or components).
    let required: &[&str] = match version {
        Version::V30 => &["info", "paths"],
        Version::V31 => &["info"],
    };
    for required in required {
        if !obj.contains_key(*required) {
            diags.error(
                "invalid-document",
                "#",
                format!("missing the required `{required}` object"),
            );
            ok = false;
        }
    }
    ok.then_some(version)
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed document in parts is the whole one, whatever the spec has
    /// (and the checked-in spec, and the whole Cloudflare specs when
    /// `../shared` is there).
    #[test]
    fn typed_in_parts_is_the_whole_document() {
        let whole = |raw: &Value| <openapiv3::OpenAPI as serde::Deserialize>::deserialize(raw).ok();
        let mut specs = vec![
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1", "x-info": 1},
                "x-top": {"a": [1, 2.5, null]}, "servers": [{"url": "https://x"}],
                "paths": {
                  "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}},
                  "x-paths": true, "other": 3,
                  "/b": {"$ref": "#/components/pathItems/b"}},
                "components": {"schemas": {"S": {"type": "string", "x-s": 1}}, "x-c": 2}}"##
                .to_string(),
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": null}"#
                .to_string(),
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {}}}"#.to_string(),
            include_str!("../../../spec/openapi.yaml").to_string(),
        ];
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs");
        for name in [
            "cloudflare-openapi-2024-08-06.json",
            "cloudflare-openapi-2026-08-18.json",
        ] {
            specs.extend(std::fs::read_to_string(format!("{shared}/{name}")));
        }
        for text in specs {
            let mut d = Diagnostics::default();
            let mut raw = parse(&text, &mut d).unwrap();
            normalise::normalise(&mut raw, &mut d);
            let expected = whole(&raw);
            assert!(expected.is_some(), "{text:.80}");
            assert!(typed_in_parts(&raw) == expected, "{text:.80}");
        }
        // A part that does not deserialize fails the whole.
        let bad: Value = serde_json::from_str(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": 7}}}"#,
        )
        .unwrap();
        assert_eq!((whole(&bad), typed_in_parts(&bad)), (None, None));
    }

    fn errors(text: &str) -> Vec<String> {
        let mut d = Diagnostics::default();
        assert!(load(text, &mut d).is_none());
        d.iter()
            .map(|d| format!("{} {} {}", d.kind, d.pointer, d.message))
            .collect()
    }

    #[test]
    fn rejects_empty_and_malformed_input_with_location() {
        assert_eq!(errors("  \n"), vec!["empty-spec # the spec is empty"]);
        let e = errors("{\"openapi\": \"3.0.0\",,}");
        assert!(e[0].contains("line 1, column"), "{e:?}");
        let e = errors("openapi: 3.0.0\ninfo: [\n");
        assert!(
            e[0].starts_with("parse-error # invalid YAML at line"),
            "{e:?}"
        );
    }

    #[test]
    fn rejects_other_versions() {
        assert!(errors("swagger: '2.0'\ninfo: {}\npaths: {}")[0]
            .contains("Swagger 2.0 is not supported"));
        assert!(errors("openapi: 4.0.0\ninfo: {}\npaths: {}")[0]
            .contains("OpenAPI 4.0.0 is not supported; 3.0.x, 3.1.x and 3.2.x are"));
        assert_eq!(errors("openapi: 3.0.3\n").len(), 2);
    }

    #[test]
    fn takes_3_1_and_3_2_without_paths_but_not_without_info() {
        for v in ["3.1.0", "3.1.1", "3.2.0"] {
            let mut d = Diagnostics::default();
            let doc = load(
                &format!("openapi: {v}\ninfo: {{title: t, version: '1'}}\n"),
                &mut d,
            );
            assert!(doc.is_some_and(|doc| doc.api.paths.paths.is_empty()), "{v}");
            assert!(d.is_empty(), "{v}");
            assert_eq!(
                errors(&format!("openapi: {v}\n")),
                vec!["invalid-document # missing the required `info` object"]
            );
        }
    }

    #[test]
    fn typed_parse_failures_are_left_out_or_errors_with_a_pointer() {
        let mut d = Diagnostics::default();
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n    put:\n      responses: {}\n";
        let doc = load(text, &mut d).map(|doc| doc.raw);
        assert_eq!(
            doc.and_then(|raw| raw.pointer("/paths/~1a").cloned()),
            Some(serde_json::json!({"put": {"responses": {}}}))
        );
        let w: Vec<_> = d.iter().map(|d| (d.kind, d.pointer.as_str())).collect();
        assert_eq!(w, [("skipped-operation", "#/paths/~1a/get/responses")]);
        // `info` cannot be left out.
        let e = errors("openapi: 3.0.3\ninfo: {title: t, version: '1', contact: 5}\npaths: {}\n");
        assert!(e[0].starts_with("invalid-document #/info/contact"), "{e:?}");
    }

    #[test]
    fn json_and_yaml_load_the_same() {
        let mut d = Diagnostics::default();
        let y = load(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            &mut d,
        )
        .map(|d| d.raw);
        let j = load(
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#,
            &mut d,
        )
        .map(|d| d.raw);
        assert!(y.is_some());
        assert_eq!(y, j);
    }
}
