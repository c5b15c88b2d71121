//! Merges inline types that are structurally identical.
//!
//! Real specs repeat the same inline schema many times (the same enum of
//! `FLAG`/`BLOCK` under thirteen properties, the same object in every
//! response of a resource). Each copy would be its own Rust type, with its
//! own serde and validation code. This pass keeps one type per structure —
//! the one with the shortest name, then alphabetically first — and points
//! every use at it. Component schemas are never merged: their names are
//! the spec's own.

use super::{Operation, Shape, TypeDef, TypeKind};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

fn is_component(def: &TypeDef) -> bool {
    super::is_component_pointer(&def.pointer)
}

/// What makes two types the same: their kind with docs left out.
fn structure(def: &TypeDef) -> Option<String> {
    match &def.kind {
        TypeKind::Struct(s) => {
            // Every part of every field but its doc, each written by
            // `Debug` (strings quoted), so different structures never
            // write the same key.
            let mut key = String::with_capacity(64 * s.fields.len() + 16);
            for f in &s.fields {
                // Destructured, so a new member of `Field` must be placed here.
                let super::Field {
                    wire_name,
                    ident,
                    doc: _,
                    shape,
                    required,
                    boxed,
                    // Identical types sit at different places.
                    pointer: _,
                } = f;
                let _ = write!(key, "{wire_name:?}{ident:?}{required}{boxed}");
                shape_key(shape, &mut key);
                key.push(';');
            }
            if let Some(additional) = &s.additional {
                shape_key(additional, &mut key);
            }
            if !s.dependencies.is_empty() {
                let _ = write!(key, "{:?}", s.dependencies);
            }
            Some(key)
        }
        TypeKind::Enum(e) => Some(format!("{e:?}")),
        TypeKind::Union(u) => Some(format!("{u:?}")),
        TypeKind::Tuple(t) => Some(format!("{t:?}")),
        TypeKind::Alias(_) => None,
    }
}

/// A shape's part of a structure key: short, since keys are hashed and
/// compared in every round (its checks are written only when it has some).
fn shape_key(shape: &Shape, key: &mut String) {
    // Destructured, so a new member of `Shape` must be placed here.
    let Shape {
        kind,
        nullable,
        checks,
        alias,
    } = shape;
    key.push('(');
    match kind {
        super::Kind::Named(n) => {
            let _ = write!(key, "{n:?}");
        }
        super::Kind::Array(inner) => {
            key.push('[');
            shape_key(inner, key);
        }
        super::Kind::Map(inner) => {
            key.push('{');
            shape_key(inner, key);
        }
        other => {
            let _ = write!(key, "{other:?}");
        }
    }
    if *nullable {
        key.push('?');
    }
    if !checks.is_empty() {
        let _ = write!(key, "{checks:?}");
    }
    if let Some(alias) = alias {
        let _ = write!(key, "={alias:?}");
    }
    key.push(')');
}

/// Points a shape at the merged types; `true` if it changed.
fn rename(shape: &mut Shape, renames: &HashMap<String, String>) -> bool {
    match &mut shape.kind {
        super::Kind::Named(n) => match renames.get(n) {
            Some(to) => {
                *n = to.clone();
                true
            }
            None => false,
        },
        super::Kind::Array(inner) | super::Kind::Map(inner) => rename(inner, renames),
        _ => false,
    }
}

/// The shapes of a type, mutably: where renames apply.
fn shapes_mut(def: &mut TypeDef) -> Vec<&mut Shape> {
    match &mut def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .map(|f| &mut f.shape)
            .chain(s.additional.as_mut())
            .collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.shape).collect(),
        TypeKind::Alias(shape) => vec![shape],
        TypeKind::Tuple(t) => t
            .items
            .iter_mut()
            .map(|p| &mut p.shape)
            .chain(t.rest.as_mut())
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The names a shape refers to (through arrays and maps too).
fn named<'s>(shape: &'s Shape, out: &mut Vec<&'s str>) {
    match &shape.kind {
        super::Kind::Named(n) => out.push(n),
        super::Kind::Array(inner) | super::Kind::Map(inner) => named(inner, out),
        _ => {}
    }
}

/// Merges identical inline types until none are left; returns how many
/// types were merged away.
///
/// Each round merges the types that are identical now, then points every
/// use at the kept ones, which can make more types identical (a dozen
/// rounds on a large spec). Rounds cost what they change, not the size of
/// the API: a type's structure is computed once and again only after a
/// rename in it, structures are numbered so comparing them is cheap, and
/// renames visit only the types that refer to a merged one.
pub fn dedup(types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) -> usize {
    let mut merged = 0;
    let mut order = inline_order(types);
    // Structure → its number; inline type → the number of its structure
    // (`None`: never merged).
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut structure_of: HashMap<String, Option<usize>> = HashMap::new();
    let mut users = users_of(types);
    // Types whose structure must be (re)computed.
    let mut stale: Vec<String> = order.clone();
    loop {
        for name in stale.drain(..) {
            let Some(def) = types.get(&name) else {
                continue;
            };
            if is_component(def) {
                continue;
            }
            let number = structure(def).map(|key| {
                let next = numbers.len();
                *numbers.entry(key).or_insert(next)
            });
            structure_of.insert(name, number);
        }
        let renames = duplicates(&order, &structure_of);
        if renames.is_empty() {
            return merged;
        }
        merged += renames.len();
        types.retain(|name, _| !renames.contains_key(name));
        order.retain(|name| !renames.contains_key(name));
        structure_of.retain(|name, _| !renames.contains_key(name));
        stale = rename_in_users(types, &mut users, &renames);
        for op in operations.iter_mut() {
            for shape in op.shapes_mut() {
                rename(shape, &renames);
            }
        }
    }
}

/// The inline types in the order that decides which copy is kept: shortest
/// name first, then alphabetical.
fn inline_order(types: &BTreeMap<String, TypeDef>) -> Vec<String> {
    let mut order: Vec<String> = types
        .iter()
        .filter(|(_, d)| !is_component(d))
        .map(|(n, _)| n.clone())
        .collect();
    order.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    order
}

/// Type name → the types whose shapes refer to it.
fn users_of(types: &mut BTreeMap<String, TypeDef>) -> HashMap<String, Vec<String>> {
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    for (name, def) in types.iter_mut() {
        let mut refs = Vec::new();
        for shape in shapes_mut(def) {
            named(shape, &mut refs);
        }
        for r in refs {
            users.entry(r.to_string()).or_default().push(name.clone());
        }
    }
    users
}

/// Each inline type whose structure an earlier one in `order` already has,
/// mapped to that earlier (kept) type.
fn duplicates(
    order: &[String],
    structure_of: &HashMap<String, Option<usize>>,
) -> HashMap<String, String> {
    let mut canonical: HashMap<usize, &String> = HashMap::new();
    let mut renames: HashMap<String, String> = HashMap::new();
    for name in order {
        let Some(Some(number)) = structure_of.get(name) else {
            continue;
        };
        match canonical.get(number) {
            Some(keep) => {
                renames.insert(name.clone(), (*keep).clone());
            }
            None => {
                canonical.insert(*number, name);
            }
        }
    }
    renames
}

/// Points the users of merged types at the kept ones, moving them to the
/// kept type's users; returns the types that changed, in name order.
fn rename_in_users(
    types: &mut BTreeMap<String, TypeDef>,
    users: &mut HashMap<String, Vec<String>>,
    renames: &HashMap<String, String>,
) -> Vec<String> {
    let mut visit: Vec<String> = Vec::new();
    for (from, to) in renames {
        if let Some(list) = users.remove(from) {
            visit.extend(list.iter().cloned());
            users.entry(to.clone()).or_default().extend(list);
        }
    }
    visit.sort();
    visit.dedup();
    let mut touched_types = Vec::new();
    for name in visit {
        let Some(def) = types.get_mut(&name) else {
            continue;
        };
        let mut touched = false;
        for shape in shapes_mut(def) {
            touched |= rename(shape, renames);
        }
        if touched {
            touched_types.push(name);
        }
    }
    touched_types
}
