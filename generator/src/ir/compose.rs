//! `allOf` (merged into one struct, or one scalar with merged checks) and
//! `oneOf` / `anyOf` (Rust enums).

use super::schema::{Lowerer, SchemaRef, MAX_DEPTH};
use super::view::{Ty, View};
use super::{checks, Discriminator, Kind, Shape, Struct, TypeDef, TypeKind, Union, UnionVariant};
use crate::diagnostics::child;
use crate::naming::{self, Place, Scope};
use crate::resolve::Origin;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use std::collections::HashSet;

/// Why an `allOf` was not flattened.
#[derive(PartialEq, Eq)]
enum Unmerged {
    /// It includes itself (reported where it does).
    Cycle,
    /// Includes nest deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// One flattened `allOf` part: a schema and where it lives.
struct Part<'a> {
    schema: SchemaRef<'a>,
    view: View<'a>,
    pointer: String,
}

impl<'a> Lowerer<'a> {
    /// Flattens nested `allOf`s (through references) into their parts.
    /// Fails after reporting an `allOf` that includes itself.
    ///
    /// A schema reached twice (`C: allOf [A, B]`, both `allOf` the same
    /// base) is taken once, where it first appears: expanding it again adds
    /// nothing, and chains of such diamonds would otherwise take time and
    /// memory exponential in their length. `seen` holds the locations
    /// taken so far.
    ///
    /// `allOf`s nest through references as deep as a spec likes (a chain
    /// of components, each including the previous one); deeper than
    /// [`MAX_DEPTH`] (`depth` counts them), the `allOf` is raw JSON with a
    /// warning, so the stack and the merged struct stay bounded.
    fn flatten(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        out: &mut Vec<Part<'a>>,
        seen: &mut HashSet<String>,
        depth: usize,
    ) -> Result<(), Unmerged> {
        if depth >= MAX_DEPTH {
            return Err(Unmerged::TooDeep);
        }
        for (i, member) in members.iter().enumerate() {
            let member_ptr = child(&child(pointer, "allOf"), &i.to_string());
            let (schema, at, key) = match member {
                ReferenceOr::Item(s) => (s, member_ptr.clone(), None),
                ReferenceOr::Reference { reference } => match self.resolver.schema(reference) {
                    Ok((s, Origin::Component(key))) => (
                        s,
                        crate::diagnostics::pointer(&["components", "schemas", &key]),
                        Some(key),
                    ),
                    // A pointer is a key too, so an `allOf` cannot
                    // include itself through one either.
                    Ok((s, Origin::Pointer(p))) => (s, p.clone(), Some(p)),
                    Err(msg) => {
                        self.diags.error("unresolved-ref", &member_ptr, msg);
                        continue;
                    }
                },
            };
            let view = View::of(schema);
            let cycle = key.as_ref().is_some_and(|k| self.all_of_stack.contains(k));
            if !cycle && !seen.insert(at.clone()) {
                continue;
            }
            if !view.all_of.is_empty() {
                if let Some(key) = &key {
                    if cycle {
                        self.diags.error(
                            "all-of-cycle",
                            &member_ptr,
                            format!(
                                "`allOf` includes `{key}`, which includes itself through `allOf`"
                            ),
                        );
                        return Err(Unmerged::Cycle);
                    }
                    self.all_of_stack.push(key.clone());
                }
                let ok = self.flatten(view.all_of, &at, out, seen, depth + 1);
                if key.is_some() {
                    self.all_of_stack.pop();
                }
                ok?;
                // The nested schema's own properties sit beside its allOf.
                if view.properties.is_some_and(|p| !p.is_empty()) {
                    out.push(Part {
                        schema: SchemaRef::Item(schema),
                        view,
                        pointer: at,
                    });
                }
                continue;
            }
            let schema_ref = match member {
                ReferenceOr::Item(s) => SchemaRef::Item(s),
                ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            };
            out.push(Part {
                schema: schema_ref,
                view,
                pointer: at,
            });
        }
        Ok(())
    }

    pub(super) fn lower_all_of(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        is_component: bool,
    ) -> Shape {
        let nullable = view.nullable();
        let outer_has_props = view.properties.is_some_and(|p| !p.is_empty());
        // `allOf: [X]` (often just to attach a description): X itself.
        if view.all_of.len() == 1 && !outer_has_props {
            let member = SchemaRef::from(&view.all_of[0]);
            let shape = self.lower(member, &child(&child(pointer, "allOf"), "0"), hint);
            return Shape {
                nullable: nullable || shape.nullable,
                ..shape
            };
        }
        let mut parts = Vec::new();
        let flat = self.flatten(view.all_of, pointer, &mut parts, &mut HashSet::new(), 0);
        if let Err(unmerged) = flat {
            if unmerged == Unmerged::TooDeep {
                self.diags.warn(
                    "fallback-json",
                    pointer,
                    format!("`allOf` nested more than {MAX_DEPTH} deep (through `$ref`s) is represented as raw JSON"),
                );
            }
            return Shape {
                nullable,
                ..Shape::new(Kind::Json)
            };
        }
        if outer_has_props || parts.iter().all(|p| object_like(&p.view)) {
            let name = self.type_name(hint, is_component);
            let def = self.merged_struct(&name, view, &parts, pointer);
            self.types.insert(name.clone(), def);
            return Shape {
                nullable,
                ..Shape::new(Kind::Named(name))
            };
        }
        if let Some(mut shape) = self.merged_scalar(&parts, hint) {
            shape.nullable |= nullable;
            return shape;
        }
        self.diags.warn(
            "fallback-json",
            pointer,
            "`allOf` of incompatible schemas cannot be merged into one Rust type; represented as raw JSON",
        );
        Shape {
            nullable,
            ..Shape::new(Kind::Json)
        }
    }

    /// The scalar an `allOf` of scalars is: the one typed part, with every
    /// other part's checks added (`None` when the parts' types disagree).
    ///
    /// The part that declares a type leads (else the first with an inferred
    /// one); every other part must agree with it, and adds its checks.
    /// Integer and number agree: constraint-only parts such as
    /// `{minimum: 1024}` are inferred as numbers.
    fn merged_scalar(&mut self, parts: &[Part<'a>], hint: &str) -> Option<Shape> {
        let lead = parts
            .iter()
            .position(|p| p.view.declared.is_some())
            .or_else(|| parts.iter().position(|p| p.view.ty().is_some()))?;
        let ty = parts[lead].view.ty();
        let numeric = |t: Option<Ty>| matches!(t, Some(Ty::Integer | Ty::Number));
        let agrees = |p: &Part<'_>| {
            let t = p.view.declared.or(p.view.ty());
            t.is_none() || t == ty || (numeric(t) && numeric(ty))
        };
        let ty = ty.filter(|_| parts.iter().all(agrees))?;
        let mut shape = self.lower(parts[lead].schema, &parts[lead].pointer, hint);
        for (i, part) in parts.iter().enumerate() {
            if i != lead {
                let extra = checks::checks(&part.view, ty, &part.pointer, &mut self.diags);
                checks::merge(&mut shape.checks, extra);
            }
        }
        Some(shape)
    }

    fn merged_struct(
        &mut self,
        name: &str,
        outer: &View<'a>,
        parts: &[Part<'a>],
        pointer: &str,
    ) -> TypeDef {
        // Later parts refine earlier ones: a property defined twice takes the
        // last definition but keeps the position of the first.
        let mut props: IndexMap<&'a str, (SchemaRef<'a>, String)> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional: Option<(&'a AdditionalProperties, String)> = None;
        let mut doc = outer.doc();
        let outer_part = outer
            .properties
            .map(|p| (p, pointer.to_string(), outer.required, outer.additional));
        let part_props = parts.iter().map(|p| {
            (
                p.view.properties,
                p.pointer.clone(),
                p.view.required,
                p.view.additional,
            )
        });
        for (properties, at, req, add) in
            part_props.chain(outer_part.map(|(p, a, r, ad)| (Some(p), a, r, ad)))
        {
            if let Some(properties) = properties {
                for (k, v) in properties {
                    let ptr = child(&child(&at, "properties"), k);
                    props.insert(k.as_str(), (SchemaRef::from(v), ptr));
                }
            }
            required.extend(req.iter().cloned());
            if let Some(a) = add {
                additional = Some((a, at.clone()));
            }
        }
        if doc.is_none() {
            doc = parts.iter().find_map(|p| p.view.doc());
        }
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for (wire_name, (schema, ptr)) in props {
            let hint = naming::hint(name, Place::Member(wire_name));
            fields.push(self.field(wire_name, schema, &ptr, &hint, &required, &mut scope));
        }
        let additional = match additional {
            Some((AdditionalProperties::Schema(s), at)) => Some(self.lower(
                SchemaRef::from(s.as_ref()),
                &child(&at, "additionalProperties"),
                &naming::hint(name, Place::Value),
            )),
            _ => None,
        };
        // Every part's `dependentRequired` holds for the merged value.
        let mut dependencies = Vec::new();
        for (view, at) in parts
            .iter()
            .map(|p| (&p.view, p.pointer.as_str()))
            .chain([(outer, pointer)])
        {
            dependencies.extend(super::dependent::dependencies(
                view,
                &fields,
                at,
                &mut self.diags,
            ));
        }
        TypeDef {
            name: name.to_string(),
            doc,
            pointer: pointer.to_string(),
            kind: TypeKind::Struct(Struct {
                fields,
                additional,
                dependencies,
            }),
        }
    }

    pub(super) fn lower_union(
        &mut self,
        view: &View<'a>,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        pointer: &str,
        hint: &str,
        is_component: bool,
    ) -> Shape {
        let list_ptr = child(pointer, keyword);
        let (kept, null_member) = non_null_members(members);
        let mut nullable = view.nullable() || null_member;
        if kept.len() == 1 {
            let (i, m) = kept[0];
            let shape = self.lower(SchemaRef::from(m), &child(&list_ptr, &i.to_string()), hint);
            return Shape {
                nullable: nullable || shape.nullable,
                ..shape
            };
        }
        let name = self.type_name(hint, is_component);
        let variants = self.union_variants(&kept, &list_ptr, &name, &mut nullable);
        let discriminator = view
            .data
            .discriminator
            .as_ref()
            .map(|d| self.discriminator(d, &variants, &kept, pointer))
            .filter(|d| !d.mapping.is_empty());
        let union = Union {
            variants,
            discriminator,
        };
        let shape = self.add_type(name, view, pointer, TypeKind::Union(union));
        Shape { nullable, ..shape }
    }

    /// One variant per kept member, each named for its type and unique in
    /// the union. A nullable member sets `nullable` instead of being optional.
    fn union_variants(
        &mut self,
        kept: &[(usize, &'a ReferenceOr<Schema>)],
        list_ptr: &str,
        name: &str,
        nullable: &mut bool,
    ) -> Vec<UnionVariant> {
        let mut scope = Scope::new();
        scope.reserve("Other");
        let mut variants = Vec::new();
        for (n, (i, m)) in kept.iter().enumerate() {
            let member_ptr = child(list_ptr, &i.to_string());
            let mut shape = self.lower(
                SchemaRef::from(*m),
                &member_ptr,
                &naming::hint(name, Place::Variant(n)),
            );
            // A nullable member makes the union nullable instead.
            if shape.is_option() {
                *nullable = true;
                shape.nullable = false;
            }
            let base = variant_base(&shape, name);
            variants.push(UnionVariant {
                name: scope.claim(&base),
                shape,
                boxed: false,
            });
        }
        variants
    }

    /// The discriminator's values, each with the index of the variant it
    /// selects: from the mapping, or else from the referenced schemas' names.
    /// A mapping to no member of the union is warned about and left out.
    fn discriminator(
        &mut self,
        d: &openapiv3::Discriminator,
        variants: &[UnionVariant],
        kept: &[(usize, &'a ReferenceOr<Schema>)],
        pointer: &str,
    ) -> Discriminator {
        let mut mapping: Vec<(String, usize)> = Vec::new();
        for (value, target) in &d.mapping {
            let target_name = self
                .resolver
                .schema(target)
                .ok()
                .and_then(|(_, o)| match o {
                    Origin::Component(k) => self.component_type_name(&k),
                    Origin::Pointer(_) => None,
                });
            match variants.iter().position(|v| {
                Some(&v.name) == target_name.as_ref()
                    || matches!(&v.shape.kind, Kind::Named(n) if Some(n) == target_name.as_ref())
            }) {
                Some(idx) => mapping.push((value.clone(), idx)),
                None => self.diags.warn(
                    "ignored-discriminator-mapping",
                    child(&child(pointer, "discriminator"), "mapping"),
                    format!("mapping `{value}` → `{target}` names no member of the union"),
                ),
            }
        }
        if d.mapping.is_empty() {
            // Implicit mapping: the value is the referenced schema's name.
            for (i, (_, m)) in kept.iter().enumerate() {
                if let ReferenceOr::Reference { reference } = m {
                    if let Some(key) = reference.rsplit('/').next() {
                        mapping.push((key.to_string(), i));
                    }
                }
            }
        }
        mapping.sort();
        mapping.dedup_by(|a, b| a.0 == b.0);
        Discriminator {
            property: d.property_name.clone(),
            mapping,
        }
    }
}

/// Whether an `allOf` part can merge into a struct: an object, or untyped,
/// with no `oneOf`, `anyOf` or `not` of its own.
fn object_like(v: &View<'_>) -> bool {
    matches!(v.ty(), Some(Ty::Object) | None)
        && v.one_of.is_empty()
        && v.any_of.is_empty()
        && !v.has_not
}

/// The union's members with their indexes, leaving out `{nullable: true}` /
/// `{enum: [null]}` members, which only make the union nullable; the flag
/// says whether there was one.
fn non_null_members(members: &[ReferenceOr<Schema>]) -> (Vec<(usize, &ReferenceOr<Schema>)>, bool) {
    let mut nullable = false;
    let mut kept = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if let ReferenceOr::Item(s) = m {
            let v = View::of(s);
            if v.ty().is_none() && v.nullable() && v.properties.is_none() && v.all_of.is_empty() {
                nullable = true;
                continue;
            }
        }
        kept.push((i, m));
    }
    (kept, nullable)
}

/// The name a variant starts from: the member's alias, its type's name
/// (without the union's name in front), or a word for its kind.
fn variant_base(shape: &Shape, union_name: &str) -> String {
    match (&shape.alias, &shape.kind) {
        (Some(alias), _) => alias.clone(),
        // `GatewayDlpVariant0` in `GatewayDlp` is just `Variant0`.
        (None, Kind::Named(n)) => match n.strip_prefix(union_name) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_string(),
            _ => n.clone(),
        },
        (None, kind) => kind_word(kind).to_string(),
    }
}

/// The variant name for a member that is not a named type.
fn kind_word(kind: &Kind) -> &'static str {
    match kind {
        Kind::Named(_) => "Named",
        Kind::String => "String",
        Kind::Integer { .. } => "Integer",
        Kind::Number => "Number",
        Kind::Boolean => "Boolean",
        Kind::DateTime => "DateTime",
        Kind::Date => "Date",
        Kind::Bytes => "Bytes",
        Kind::Json => "Json",
        Kind::Array(_) => "Array",
        Kind::Map(_) => "Map",
    }
}
