//! Changes to the model types: added, removed, renamed, and what changed
//! inside the ones both APIs have.

use super::usage::{Usage, Uses};
use super::{
    arrow, checks, field_type, inner_type, rust_type, wrap, Change, ChangeKind, Group, Severity,
};
use crate::ir::{Api, Field, Presence, StringEnum, Struct, TypeDef, TypeKind, Union};
use std::collections::BTreeMap;

/// `models::Gateway`.
fn path(name: &str) -> String {
    format!("models::{name}")
}

/// One group per type that was added, removed, renamed or changed.
pub fn diff(old: &Api, new: &Api, uses: &Uses) -> Vec<Group> {
    let olds: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let news: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut removed: Vec<&TypeDef> = old
        .types
        .iter()
        .filter(|t| !news.contains_key(t.name.as_str()))
        .collect();
    let mut added: Vec<&TypeDef> = new
        .types
        .iter()
        .filter(|t| !olds.contains_key(t.name.as_str()))
        .collect();
    let renamed = renames(&mut removed, &mut added);

    let mut groups = Vec::new();
    for n in &new.types {
        if let Some(o) = olds.get(n.name.as_str()) {
            groups.push(changed(o, n, uses, None));
        }
    }
    for (o, n) in renamed {
        groups.push(changed(o, n, uses, Some(o)));
    }
    let whole = |t: &TypeDef, kind, severity| {
        let used_in = Some(uses.get(&t.name).label());
        Group::single(
            path(&t.name),
            &t.pointer,
            used_in,
            kind,
            severity,
            describe(t),
        )
    };
    for t in removed {
        groups.push(whole(t, ChangeKind::TypeRemoved, Severity::Breaking));
    }
    for t in added {
        groups.push(whole(t, ChangeKind::TypeAdded, Severity::Compatible));
    }
    groups
}

/// `struct, 3 fields`, `enum, 2 values`, …
fn describe(t: &TypeDef) -> String {
    match &t.kind {
        TypeKind::Struct(s) => format!("struct, {}", count(s.fields.len(), "field")),
        TypeKind::Enum(e) => format!("enum, {}", count(e.variants.len(), "value")),
        TypeKind::Union(u) => format!("union, {}", count(u.variants.len(), "variant")),
        TypeKind::Alias(shape) => format!("alias of {}", rust_type(shape, false)),
        TypeKind::Tuple(t) => format!("tuple, {}", count(t.items.len(), "position")),
    }
}

/// `1 field`, `2 fields`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Removed and added types that are the same type under a new name: the
/// same schema (pointer), else the only pair with the same structure.
/// Matched pairs leave both lists.
fn renames<'a>(
    removed: &mut Vec<&'a TypeDef>,
    added: &mut Vec<&'a TypeDef>,
) -> Vec<(&'a TypeDef, &'a TypeDef)> {
    let mut pairs = Vec::new();
    let keys: [fn(&TypeDef) -> String; 2] = [|t| t.pointer.clone(), structure];
    for key in keys {
        let mut by_key: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (i, t) in removed.iter().enumerate() {
            by_key.entry(key(t)).or_default().0.push(i);
        }
        for (i, t) in added.iter().enumerate() {
            by_key.entry(key(t)).or_default().1.push(i);
        }
        let mut matched: Vec<(usize, usize)> = by_key
            .into_values()
            .filter_map(|(r, a)| (r.len() == 1 && a.len() == 1).then(|| (r[0], a[0])))
            .collect();
        matched.sort_unstable();
        let (mut gone_r, mut gone_a): (Vec<usize>, Vec<usize>) = matched.iter().copied().unzip();
        for (r, a) in &matched {
            pairs.push((removed[*r], added[*a]));
        }
        gone_r.sort_unstable();
        gone_a.sort_unstable();
        for r in gone_r.into_iter().rev() {
            removed.remove(r);
        }
        for a in gone_a.into_iter().rev() {
            added.remove(a);
        }
    }
    pairs
}

/// What a type is, without docs or its name: equal for a renamed copy.
fn structure(t: &TypeDef) -> String {
    match &t.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("{}:{}:{:?}", f.wire_name, field_type(f), f.shape.checks))
                .collect();
            let extra = s.additional.as_ref().map(|a| rust_type(a, false));
            format!("struct {fields:?} {extra:?} {:?}", s.dependencies)
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
            format!("enum {values:?}")
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| rust_type(&v.shape, v.boxed))
                .collect();
            format!("union {variants:?}")
        }
        TypeKind::Alias(shape) => format!("alias {} {:?}", rust_type(shape, false), shape.checks),
        TypeKind::Tuple(t) => {
            let items: Vec<String> = t
                .items
                .iter()
                .map(|p| format!("{}:{:?}", rust_type(&p.shape, p.boxed), p.shape.checks))
                .collect();
            let rest = t.rest.as_ref().map(|r| rust_type(r, false));
            let counts = (t.required, t.min_items, t.max_items);
            format!("tuple {items:?} {rest:?} {counts:?}")
        }
    }
}

/// The changes inside a type both APIs have (`from`: its old self under an
/// old name).
fn changed(o: &TypeDef, n: &TypeDef, uses: &Uses, from: Option<&TypeDef>) -> Group {
    let usage = uses.get(&o.name);
    let usage = Usage {
        request: usage.request || uses.get(&n.name).request,
        response: usage.response || uses.get(&n.name).response,
    };
    let mut cx = Cx {
        usage,
        type_path: path(&n.name),
        changes: Vec::new(),
    };
    if let Some(from) = from {
        cx.push(
            ChangeKind::TypeRenamed,
            Severity::Breaking,
            cx.type_path.clone(),
            &n.pointer,
            format!("was `{}`", path(&from.name)),
        );
    }
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => cx.structs(a, b, &n.pointer),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => cx.enums(a, b, &n.pointer),
        (TypeKind::Union(a), TypeKind::Union(b)) => cx.unions(a, b, &n.pointer),
        // Positions have no names to match changes by: a tuple that
        // changed in any way changed as a whole (below).
        (TypeKind::Tuple(_), TypeKind::Tuple(_)) if structure(o) == structure(n) => {}
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            let (ta, tb) = (rust_type(a, false), rust_type(b, false));
            if ta != tb {
                let item = cx.type_path.clone();
                cx.push(
                    ChangeKind::AliasTargetChanged,
                    Severity::Breaking,
                    item,
                    &n.pointer,
                    arrow(&ta, &tb),
                );
            }
            let item = cx.type_path.clone();
            cx.constraints(a, b, &item, &n.pointer);
        }
        _ => {
            let item = cx.type_path.clone();
            cx.push(
                ChangeKind::TypeKindChanged,
                Severity::Breaking,
                item,
                &n.pointer,
                arrow(&describe(o), &describe(n)),
            );
        }
    }
    Group {
        subject: cx.type_path,
        pointer: n.pointer.clone(),
        used_in: Some(usage.label()),
        changes: cx.changes,
    }
}

/// The changes of one type being collected.
struct Cx {
    usage: Usage,
    type_path: String,
    changes: Vec<Change>,
}

impl Cx {
    fn push(
        &mut self,
        kind: ChangeKind,
        severity: Severity,
        item: String,
        pointer: &str,
        detail: String,
    ) {
        self.changes
            .push(Change::new(kind, severity, item, pointer, detail));
    }

    fn member(&self, name: &str) -> String {
        format!("{}::{name}", self.type_path)
    }

    fn constraints(&mut self, a: &crate::ir::Shape, b: &crate::ir::Shape, item: &str, ptr: &str) {
        let found = checks::changes(a, b, self.usage, item, ptr);
        self.changes.extend(found);
    }

    fn structs(&mut self, a: &Struct, b: &Struct, ptr: &str) {
        let olds: BTreeMap<&str, &Field> =
            a.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let news: BTreeMap<&str, &Field> =
            b.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let built = self.usage.judged().request;
        for f in &b.fields {
            match olds.get(f.wire_name.as_str()) {
                Some(old) => self.field(old, f),
                None => {
                    // A struct literal must name every field, unless the
                    // struct has `Default` to fill the rest from.
                    let required = f.required;
                    let breaks = built && (required || !a.derives_default());
                    let why = match (required, built) {
                        (true, _) => "required",
                        (false, true) if !a.derives_default() => {
                            "optional, but the struct has no `Default`: struct literals must name it"
                        }
                        (false, _) => "optional",
                    };
                    let detail = format!("{why}: {}", field_type(f));
                    let item = self.member(&f.ident.name);
                    self.push(
                        ChangeKind::FieldAdded,
                        Severity::breaking_if(breaks),
                        item,
                        &f.pointer,
                        detail,
                    );
                }
            }
        }
        for f in &a.fields {
            if !news.contains_key(f.wire_name.as_str()) {
                let item = self.member(&f.ident.name);
                self.push(
                    ChangeKind::FieldRemoved,
                    Severity::Breaking,
                    item,
                    &f.pointer,
                    field_type(f),
                );
            }
        }
        match (a.derives_default(), b.derives_default()) {
            (true, false) => {
                let item = self.type_path.clone();
                let severity = Severity::breaking_if(built);
                self.push(
                    ChangeKind::DefaultLost,
                    severity,
                    item,
                    ptr,
                    "a field became required".into(),
                );
            }
            (false, true) => {
                let item = self.type_path.clone();
                self.push(
                    ChangeKind::DefaultGained,
                    Severity::Compatible,
                    item,
                    ptr,
                    "every field is optional".into(),
                );
            }
            _ => {}
        }
        self.additional(a, b, ptr);
    }

    fn additional(&mut self, a: &Struct, b: &Struct, ptr: &str) {
        let item = self.member("additional_properties");
        match (&a.additional, &b.additional) {
            (None, Some(s)) => {
                let breaks = self.usage.judged().request && !a.derives_default();
                let detail = format!("BTreeMap<String, {}>", rust_type(s, false));
                self.push(
                    ChangeKind::AdditionalPropertiesAdded,
                    Severity::breaking_if(breaks),
                    item,
                    ptr,
                    detail,
                );
            }
            (Some(s), None) => {
                let detail = format!("BTreeMap<String, {}>", rust_type(s, false));
                self.push(
                    ChangeKind::AdditionalPropertiesRemoved,
                    Severity::Breaking,
                    item,
                    ptr,
                    detail,
                );
            }
            (Some(x), Some(y)) => {
                let (tx, ty) = (rust_type(x, false), rust_type(y, false));
                if tx != ty {
                    self.push(
                        ChangeKind::FieldTypeChanged,
                        Severity::Breaking,
                        item.clone(),
                        ptr,
                        arrow(&tx, &ty),
                    );
                }
                self.constraints(x, y, &item, ptr);
            }
            (None, None) => {}
        }
    }

    fn field(&mut self, a: &Field, b: &Field) {
        if a.shape == b.shape
            && a.required == b.required
            && a.boxed == b.boxed
            && a.ident == b.ident
        {
            return;
        }
        let item = self.member(&b.ident.name);
        let ptr = &b.pointer;
        if a.ident != b.ident {
            let detail = format!("was `{}`", self.member(&a.ident.name));
            self.push(
                ChangeKind::FieldRenamed,
                Severity::Breaking,
                item.clone(),
                ptr,
                detail,
            );
        }
        let (ia, ib) = (inner_type(a), inner_type(b));
        if ia != ib {
            self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                item.clone(),
                ptr,
                arrow(&ia, &ib),
            );
        }
        // Presence and nullability break code only when the options around
        // the value change (`Option<T>` both as optional and as nullable).
        let (pa, pb) = (Presence::of(a), Presence::of(b));
        if pa != pb {
            let severity = Severity::breaking_if(wrap(pa, "T") != wrap(pb, "T"));
            let detail = arrow(&wrap(pa, &ia), &wrap(pb, &ib));
            if a.required != b.required {
                let kind = if b.required {
                    ChangeKind::FieldMadeRequired
                } else {
                    ChangeKind::FieldMadeOptional
                };
                self.push(kind, severity, item.clone(), ptr, detail.clone());
            }
            if super::nullable(&a.shape) != super::nullable(&b.shape) {
                let which = if super::nullable(&b.shape) {
                    "now nullable"
                } else {
                    "no longer nullable"
                };
                self.push(
                    ChangeKind::FieldNullabilityChanged,
                    severity,
                    item.clone(),
                    ptr,
                    format!("{which}: {detail}"),
                );
            }
        }
        self.constraints(&a.shape, &b.shape, &item, ptr);
    }

    fn enums(&mut self, a: &StringEnum, b: &StringEnum, ptr: &str) {
        let olds: BTreeMap<&str, &str> = a
            .variants
            .iter()
            .map(|v| (v.value.as_str(), v.name.as_str()))
            .collect();
        let news: BTreeMap<&str, &str> = b
            .variants
            .iter()
            .map(|v| (v.value.as_str(), v.name.as_str()))
            .collect();
        for v in &b.variants {
            match olds.get(v.value.as_str()) {
                None => {
                    let detail = format!("`{}`; older code sees it as `Other`", v.value);
                    let item = self.member(&v.name);
                    self.push(
                        ChangeKind::EnumValueAdded,
                        Severity::Compatible,
                        item,
                        ptr,
                        detail,
                    );
                }
                Some(name) if *name != v.name => {
                    let detail = format!("`{}`: was `{}`", v.value, self.member(name));
                    let item = self.member(&v.name);
                    self.push(
                        ChangeKind::EnumVariantRenamed,
                        Severity::Breaking,
                        item,
                        ptr,
                        detail,
                    );
                }
                Some(_) => {}
            }
        }
        for v in &a.variants {
            if !news.contains_key(v.value.as_str()) {
                let detail = format!("`{}`; it now decodes as `Other`", v.value);
                let item = self.member(&v.name);
                self.push(
                    ChangeKind::EnumValueRemoved,
                    Severity::Breaking,
                    item,
                    ptr,
                    detail,
                );
            }
        }
    }

    fn unions(&mut self, a: &Union, b: &Union, ptr: &str) {
        let olds: BTreeMap<&str, String> = a
            .variants
            .iter()
            .map(|v| (v.name.as_str(), rust_type(&v.shape, v.boxed)))
            .collect();
        let news: BTreeMap<&str, String> = b
            .variants
            .iter()
            .map(|v| (v.name.as_str(), rust_type(&v.shape, v.boxed)))
            .collect();
        for (name, t) in &news {
            let item = self.member(name);
            match olds.get(name) {
                None => self.push(
                    ChangeKind::UnionVariantAdded,
                    Severity::Compatible,
                    item,
                    ptr,
                    t.clone(),
                ),
                Some(old) if old != t => self.push(
                    ChangeKind::UnionVariantChanged,
                    Severity::Breaking,
                    item,
                    ptr,
                    arrow(old, t),
                ),
                Some(_) => {}
            }
        }
        for (name, t) in &olds {
            if !news.contains_key(name) {
                let item = self.member(name);
                self.push(
                    ChangeKind::UnionVariantRemoved,
                    Severity::Breaking,
                    item,
                    ptr,
                    t.clone(),
                );
            }
        }
    }
}
