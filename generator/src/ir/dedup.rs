//! Merges inline types that are structurally identical.
//!
//! Real specs repeat the same inline schema many times (the same enum of
//! `FLAG`/`BLOCK` under thirteen properties, the same object in every
//! response of a resource). Each copy would be its own Rust type, with its
//! own serde and validation code. This pass keeps one type per structure —
//! the one with the shortest name, then alphabetically first — and points
//! every use at it. Component schemas are never merged: their names are
//! the spec's own.

use super::{Operation, Response, Shape, TypeDef, TypeKind};
use std::collections::{BTreeMap, HashMap};

fn is_component(def: &TypeDef) -> bool {
    super::is_component_pointer(&def.pointer)
}

/// What makes two types the same: their kind with docs left out.
fn structure(def: &TypeDef) -> Option<String> {
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut s = s.clone();
            for f in &mut s.fields {
                f.doc = None;
            }
            Some(format!("{s:?}"))
        }
        TypeKind::Enum(e) => Some(format!("{e:?}")),
        TypeKind::Union(u) => Some(format!("{u:?}")),
        TypeKind::Alias(_) => None,
    }
}

fn rename(shape: &mut Shape, renames: &HashMap<String, String>) {
    match &mut shape.kind {
        super::Kind::Named(n) => {
            if let Some(to) = renames.get(n) {
                *n = to.clone();
            }
        }
        super::Kind::Array(inner) | super::Kind::Map(inner) => rename(inner, renames),
        _ => {}
    }
}

/// Merges identical inline types until none are left; returns how many
/// types were merged away.
pub fn dedup(types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) -> usize {
    let mut merged = 0;
    loop {
        let mut names: Vec<&String> = types.iter().filter(|(_, d)| !is_component(d)).map(|(n, _)| n).collect();
        names.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        let mut canonical: HashMap<String, &String> = HashMap::new();
        let mut renames: HashMap<String, String> = HashMap::new();
        for name in names {
            let Some(key) = types.get(name).and_then(structure) else { continue };
            match canonical.get(&key) {
                Some(keep) => {
                    renames.insert(name.clone(), (*keep).clone());
                }
                None => {
                    canonical.insert(key, name);
                }
            }
        }
        if renames.is_empty() {
            return merged;
        }
        merged += renames.len();
        types.retain(|name, _| !renames.contains_key(name));
        for def in types.values_mut() {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    for f in &mut s.fields {
                        rename(&mut f.shape, &renames);
                    }
                    if let Some(a) = &mut s.additional {
                        rename(a, &renames);
                    }
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.shape, &renames)),
                TypeKind::Alias(shape) => rename(shape, &renames),
                TypeKind::Enum(_) => {}
            }
        }
        for op in operations.iter_mut() {
            for p in &mut op.params {
                rename(&mut p.shape, &renames);
            }
            if let Some(b) = &mut op.body {
                rename(&mut b.shape, &renames);
            }
            if let Response::Json(shape) = &mut op.response {
                rename(shape, &renames);
            }
        }
    }
}
