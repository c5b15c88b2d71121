//! Finds types that contain themselves by value (directly or through other
//! types) and boxes the fields and variants that close each cycle. Arrays and
//! maps already put their elements on the heap, so they break cycles.

use super::{Kind, Shape, TypeDef, TypeKind};
use std::collections::BTreeMap;

/// The named type a value of this shape holds inline, if any.
fn inline_target(shape: &Shape) -> Option<&str> {
    match &shape.kind {
        Kind::Named(n) => Some(n),
        _ => None,
    }
}

fn edges(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| inline_target(&f.shape))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| inline_target(&v.shape))
            .collect(),
        TypeKind::Alias(shape) => inline_target(shape).into_iter().collect(),
        TypeKind::Tuple(t) => t
            .items
            .iter()
            .filter_map(|p| inline_target(&p.shape))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Strongly connected components (Tarjan, iterative), as a component id per type.
fn components(types: &BTreeMap<String, TypeDef>) -> BTreeMap<&str, usize> {
    let names: Vec<&str> = types.keys().map(String::as_str).collect();
    let index_of: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adj: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            types
                .get(*n)
                .map(edges)
                .unwrap_or_default()
                .iter()
                .filter_map(|t| index_of.get(t).copied())
                .collect()
        })
        .collect();
    let n = names.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next = 0;
    let mut comps = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
        }
    }
    names.into_iter().zip(comp).collect()
}

/// Marks `boxed` on every field and variant whose target is in its own
/// type's component, i.e. on a cycle.
pub fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let comp: BTreeMap<String, usize> = components(types)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for (name, def) in types.iter_mut() {
        let own = comp.get(name);
        let on_cycle = |shape: &Shape| inline_target(shape).is_some_and(|t| comp.get(t) == own);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = on_cycle(&f.shape);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = on_cycle(&v.shape);
                }
            }
            TypeKind::Tuple(t) => {
                for p in &mut t.items {
                    p.boxed = on_cycle(&p.shape);
                }
            }
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}
