//! `dependentRequired` (JSON Schema 2020-12): when one property is present,
//! others must be too. The 3.1 lowering keeps the keyword as the extension
//! [`DEPENDENT_REQUIRED_EXTENSION`] (3.0 has no such keyword); here it
//! becomes each struct's [`super::Dependency`] list, over its declared
//! properties.

use super::view::View;
use super::{Dependency, Field};
use crate::diagnostics::{child, Diagnostics};
use serde_json::Value;

/// The extension keyword the lowering writes `dependentRequired` as.
pub const DEPENDENT_REQUIRED_EXTENSION: &str = "x-dependent-required";

/// The dependencies of a struct with these fields, in the spec's order;
/// one naming a property the struct does not declare is warned about
/// (its presence cannot be told), and left out.
pub fn dependencies(
    view: &View<'_>,
    fields: &[Field],
    pointer: &str,
    diags: &mut Diagnostics,
) -> Vec<Dependency> {
    let Some(Value::Object(map)) = view.data.extensions.get(DEPENDENT_REQUIRED_EXTENSION) else {
        return Vec::new();
    };
    let at = child(pointer, "dependentRequired");
    let declared = |name: &str| fields.iter().any(|f| f.wire_name == name);
    let mut out = Vec::new();
    for (property, required) in map {
        let names: Vec<String> = required
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let (known, unknown): (Vec<String>, Vec<String>) = names
            .into_iter()
            .filter(|n| n != property)
            .partition(|n| declared(n));
        if !declared(property) || !unknown.is_empty() {
            diags.warn(
                "not-enforced",
                child(&at, property),
                "`dependentRequired` over a property the object does not declare is not enforced",
            );
        }
        if declared(property) && !known.is_empty() {
            out.push(Dependency {
                property: property.clone(),
                requires: known,
            });
        }
    }
    out
}
