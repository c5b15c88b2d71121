//! Cargo features of a large API: one per group of operations, and for
//! every model type the groups that reach it and the directions it travels.
//!
//! A group is a tag together with the tags that extend its name by more
//! words ("AI Gateway" and "AI Gateway Logs" are one group), named by the
//! tag's module name. A type is compiled when any group that reaches it is
//! enabled (shared types are compiled once), and derives `Serialize` only
//! when some operation sends it, `Deserialize` only when some operation
//! receives it; the feature [`BOTH_DIRECTIONS`] adds the other direction.

use crate::ir::{Api, Kind, Operation, Shape, TypeDef, TypeKind};
use crate::naming;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Enables every group (and the types no operation reaches): the default.
pub const ALL_GROUPS: &str = "all-groups";
/// Types that no operation reaches.
pub const UNREFERENCED: &str = "unreferenced-types";
/// Both serde derives on every model, whichever way it travels.
pub const BOTH_DIRECTIONS: &str = "both-directions";

/// Which serde impls a type gets unconditionally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serde {
    Both,
    /// Sent, never received: `Deserialize` only under [`BOTH_DIRECTIONS`].
    SerializeOnly,
    /// Received, never sent: `Serialize` only under [`BOTH_DIRECTIONS`].
    DeserializeOnly,
}

#[derive(Debug, Default)]
struct Reach {
    groups: BTreeSet<usize>,
    /// Held by a type that no operation reaches (and so has both impls).
    unreferenced: bool,
    sent: bool,
    received: bool,
}

/// The features of an API and what each type needs.
#[derive(Debug)]
pub struct Gating {
    /// Feature names, sorted; a group is an index into this.
    groups: Vec<String>,
    /// Tag (first tag of an operation, `untagged` without one) → group.
    group_of_tag: HashMap<String, usize>,
    reach: HashMap<String, Reach>,
}

impl Gating {
    pub fn new(api: &Api) -> Gating {
        let tags: BTreeSet<&str> = api.operations.iter().map(first_tag).collect();
        let family = |tag: &str| -> String {
            let shortest = tags
                .iter()
                .filter(|t| {
                    tag.strip_prefix(**t)
                        .is_some_and(|rest| rest.starts_with(' '))
                })
                .min_by_key(|t| t.len());
            naming::feature_name(shortest.copied().unwrap_or(tag))
        };
        let by_tag: BTreeMap<&str, String> = tags.iter().map(|t| (*t, family(t))).collect();
        let groups: Vec<String> = by_tag
            .values()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index: HashMap<&str, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        let group_of_tag: HashMap<String, usize> = by_tag
            .iter()
            .filter_map(|(t, g)| Some((t.to_string(), *index.get(g.as_str())?)))
            .collect();
        let types: HashMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut reach: HashMap<String, Reach> = HashMap::new();
        for op in &api.operations {
            let Some(&group) = group_of_tag.get(first_tag(op)) else {
                continue;
            };
            let mut sent = HashSet::new();
            for shape in op.request_shapes() {
                walk(shape, &types, &mut sent);
            }
            let mut received = HashSet::new();
            if let Some(shape) = op.response_shape() {
                walk(shape, &types, &mut received);
            }
            for name in sent {
                let r = reach.entry(name.to_string()).or_default();
                r.groups.insert(group);
                r.sent = true;
            }
            for name in received {
                let r = reach.entry(name.to_string()).or_default();
                r.groups.insert(group);
                r.received = true;
            }
        }
        // Types no operation reaches have both impls, and so does every
        // type they hold.
        let mut held = HashSet::new();
        for def in &api.types {
            if !reach.contains_key(&def.name) {
                visit(&def.name, &types, &mut held);
            }
        }
        for name in held {
            let r = reach.entry(name.to_string()).or_default();
            r.unreferenced = true;
            r.sent = true;
            r.received = true;
        }
        Gating {
            groups,
            group_of_tag,
            reach,
        }
    }

    /// Every group's feature name, sorted.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The feature of an operation's group.
    pub fn feature_of(&self, op: &Operation) -> Option<&str> {
        let group = *self.group_of_tag.get(first_tag(op))?;
        self.groups.get(group).map(String::as_str)
    }

    /// The groups whose operations reach a type (indices into
    /// [`Gating::groups`]), with [`Gating::unreferenced`] for a type no
    /// operation reaches or one held by such a type; never empty.
    pub fn reach(&self, type_name: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(r) = self.reach.get(type_name) {
            out.extend(r.groups.iter().copied());
            if r.unreferenced {
                out.push(self.unreferenced());
            }
        }
        if out.is_empty() {
            out.push(self.unreferenced());
        }
        out
    }

    /// The index [`Gating::reach`] gives [`UNREFERENCED`]: after every group.
    pub fn unreferenced(&self) -> usize {
        self.groups.len()
    }

    /// The feature of a group index, [`UNREFERENCED`] past the groups.
    pub fn feature(&self, index: usize) -> &str {
        self.groups.get(index).map_or(UNREFERENCED, String::as_str)
    }

    /// The `#[cfg(…)]` a type is compiled under: any group that reaches it.
    pub fn cfg(&self, type_name: &str) -> TokenStream {
        let names: Vec<&str> = self
            .reach(type_name)
            .into_iter()
            .map(|i| self.feature(i))
            .collect();
        cfg_any(&names)
    }

    /// Which serde impls the type gets without [`BOTH_DIRECTIONS`].
    pub fn serde(&self, type_name: &str) -> Serde {
        match self.reach.get(type_name) {
            Some(r) if r.sent && !r.received => Serde::SerializeOnly,
            Some(r) if r.received && !r.sent => Serde::DeserializeOnly,
            _ => Serde::Both,
        }
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]` for several.
pub fn cfg_any(features: &[&str]) -> TokenStream {
    // `docsrs` (set by docs.rs, declared in the crate's `[lints]`): the
    // docs show which features an item needs.
    match features {
        [one] => quote!(#[cfg(feature = #one)] #[cfg_attr(docsrs, doc(cfg(feature = #one)))]),
        many => quote! {
            #[cfg(any(#(feature = #many),*))]
            #[cfg_attr(docsrs, doc(cfg(any(#(feature = #many),*))))]
        },
    }
}

/// Puts `cfg` in front of every top-level item of `items` (an item ends
/// with a `;` or a `{ … }` block at the top level).
pub fn gate(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut at_start = true;
    for tt in items {
        if at_start {
            out.extend(cfg.clone());
        }
        at_start = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        out.extend([tt]);
    }
    out
}

fn first_tag(op: &Operation) -> &str {
    op.tags.first().map(String::as_str).unwrap_or("untagged")
}

/// Adds every type a value of `shape` holds, directly or through others.
fn walk<'a>(shape: &'a Shape, types: &HashMap<&str, &'a TypeDef>, seen: &mut HashSet<&'a str>) {
    let mut names = Vec::new();
    shape_names(shape, &mut names);
    for name in names {
        visit(name, types, seen);
    }
}

fn visit<'a>(name: &str, types: &HashMap<&str, &'a TypeDef>, seen: &mut HashSet<&'a str>) {
    let Some(def) = types.get(name).copied() else {
        return;
    };
    if !seen.insert(def.name.as_str()) {
        return;
    }
    for held in held_names(def) {
        visit(held, types, seen);
    }
}

/// The named types a value of type `def` holds directly (fields, the
/// map of other properties, union members, an alias's target).
pub fn held_names(def: &TypeDef) -> Vec<&str> {
    let mut names = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                shape_names(&field.shape, &mut names);
            }
            if let Some(extra) = &s.additional {
                shape_names(extra, &mut names);
            }
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                shape_names(&variant.shape, &mut names);
            }
        }
        TypeKind::Alias(shape) => shape_names(shape, &mut names),
        TypeKind::Tuple(_) => {
            for shape in def.shapes() {
                shape_names(shape, &mut names);
            }
        }
        TypeKind::Enum(_) => {}
    }
    names
}

/// The named types a value of `shape` is made of directly.
fn shape_names<'a>(shape: &'a Shape, out: &mut Vec<&'a str>) {
    if let Some(alias) = &shape.alias {
        out.push(alias);
    }
    match &shape.kind {
        Kind::Named(name) => out.push(name),
        Kind::Array(inner) | Kind::Map(inner) => shape_names(inner, out),
        _ => {}
    }
}
