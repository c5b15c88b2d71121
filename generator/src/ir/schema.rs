//! Lowering schemas to IR types and shapes.
//!
//! Named components become types named after their key; inline schemas that
//! need a type (objects, string enums, unions) are named from their place
//! (`{Parent}{Field}`, `{Parent}Item`, `{Parent}Variant{n}`). Lowering is
//! memoised by JSON pointer, so a schema reached twice (through `allOf`, or
//! from several operations) yields one type.

use super::checks;
use super::view::{Ty, View};
use super::{EnumVariant, Field, Kind, Shape, StringEnum, Struct, TypeDef, TypeKind};
use crate::diagnostics::{child, Diagnostics};
use crate::naming::{self, Place, Scope};
use crate::resolve::{Origin, Resolver};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// Lowering recurses through nested schemas; a spec can nest them (through
/// `$ref` chains) as deep as it likes, and the stack cannot. Deeper than
/// this, a schema is raw JSON (with a warning); so is an `allOf` nested
/// deeper (`compose.rs`). JSON text itself cannot nest deeper than 128, so
/// only `$ref` chains get here.
pub(super) const MAX_DEPTH: usize = 128;

/// From this depth on, a referenced struct, enum or union component is not
/// lowered where it is referenced but from the top, in key order.
const DEFER_DEPTH: usize = 32;

enum ComponentState {
    InProgress { nominal: bool },
    Done(Box<Shape>),
}

pub struct Lowerer<'a> {
    pub resolver: Resolver<'a>,
    pub diags: Diagnostics,
    /// Every type produced so far, by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    pub names: Scope,
    /// Component key → Rust type name, claimed before anything inline.
    component_names: HashMap<String, String>,
    components: HashMap<String, ComponentState>,
    /// Inline schema pointer → its shape, so one schema gives one type.
    inline: HashMap<String, Shape>,
    /// Components being flattened by `allOf` right now (cycle detection).
    pub(super) all_of_stack: Vec<String>,
    /// Inline schemas (by pointer) being lowered right now, since the last
    /// component: a pointer `$ref` back into one of them is a cycle that no
    /// component breaks.
    lowering: HashSet<String>,
    /// How many schemas deep the current lowering is, through properties,
    /// items and `$ref`s alike (see [`MAX_DEPTH`]).
    depth: usize,
    schemas: Option<&'a indexmap::IndexMap<String, ReferenceOr<Schema>>>,
}

impl<'a> Lowerer<'a> {
    pub fn new(api: &'a openapiv3::OpenAPI, resolver: Resolver<'a>) -> Self {
        let schemas = api.components.as_ref().map(|c| &c.schemas);
        let mut names = Scope::new();
        let mut component_names = HashMap::new();
        if let Some(schemas) = schemas {
            let mut keys: Vec<&String> = schemas.keys().collect();
            keys.sort();
            for key in keys {
                component_names.insert(key.clone(), names.claim(&naming::type_name(key)));
            }
        }
        Lowerer {
            resolver,
            diags: Diagnostics::default(),
            types: BTreeMap::new(),
            names,
            component_names,
            components: HashMap::new(),
            inline: HashMap::new(),
            all_of_stack: Vec::new(),
            lowering: HashSet::new(),
            depth: 0,
            schemas,
        }
    }

    /// The Rust name given to component `key`.
    pub fn component_type_name(&self, key: &str) -> Option<String> {
        self.component_names.get(key).cloned()
    }

    /// Lowers every component schema, in key order.
    pub fn lower_components(&mut self) {
        let Some(schemas) = self.schemas else { return };
        let mut keys: Vec<&String> = schemas.keys().collect();
        keys.sort();
        for key in keys {
            let pointer = crate::diagnostics::pointer(&["components", "schemas", key]);
            match &schemas[key] {
                ReferenceOr::Item(_) => {
                    self.component(key);
                }
                ReferenceOr::Reference { reference } => {
                    // `A: {$ref: B}`: A is another name for B.
                    let shape = self.lower(SchemaRef::Ref(reference), &pointer, "");
                    let name = self.component_names.get(key).cloned().unwrap_or_default();
                    self.types.insert(
                        name.clone(),
                        TypeDef {
                            name,
                            doc: None,
                            pointer,
                            kind: TypeKind::Alias(shape),
                        },
                    );
                }
            }
        }
    }

    /// The shape of a reference to component `key`, lowering it on first use.
    fn component(&mut self, key: &str) -> Shape {
        let name = self.component_names.get(key).cloned().unwrap_or_default();
        match self.components.get(key) {
            Some(ComponentState::Done(shape)) => return (**shape).clone(),
            Some(ComponentState::InProgress { nominal: true }) => {
                return Shape::new(Kind::Named(name))
            }
            Some(ComponentState::InProgress { nominal: false }) => {
                let pointer = crate::diagnostics::pointer(&["components", "schemas", key]);
                self.diags.warn(
                    "fallback-json",
                    pointer,
                    format!("`{key}` contains itself without an object in between; represented as raw JSON"),
                );
                return Shape::new(Kind::Json);
            }
            None => {}
        }
        let Some(ReferenceOr::Item(schema)) = self.schemas.and_then(|s| s.get(key)) else {
            return Shape::new(Kind::Json);
        };
        let pointer = crate::diagnostics::pointer(&["components", "schemas", key]);
        let view = View::of(schema);
        let nominal = self.is_nominal(&view, 0);
        if nominal && self.depth >= DEFER_DEPTH {
            // A reference to a struct, enum or union needs only its name;
            // the type itself is lowered from the top (`lower_components`
            // reaches every key), so long chains of components never nest
            // deeper than this.
            return Shape::new(Kind::Named(name));
        }
        self.components
            .insert(key.to_string(), ComponentState::InProgress { nominal });
        // A component breaks every cycle through it: inline schemas in
        // progress outside it are not ancestors for the cycle check.
        let outer = std::mem::take(&mut self.lowering);
        let shape = self.lower_view(&view, &pointer, &name, true);
        self.lowering = outer;
        let result = match &shape.kind {
            Kind::Named(n) if *n == name => shape.clone(),
            _ => {
                // Not a type of its own: a `type` alias, which references
                // see through (they get its checks, and print its name).
                let mut alias_target = shape.clone();
                alias_target.nullable = false;
                self.types.insert(
                    name.clone(),
                    TypeDef {
                        name: name.clone(),
                        doc: view.doc(),
                        pointer,
                        kind: TypeKind::Alias(alias_target),
                    },
                );
                Shape {
                    alias: Some(name),
                    ..shape
                }
            }
        };
        self.components.insert(
            key.to_string(),
            ComponentState::Done(Box::new(result.clone())),
        );
        result
    }

    /// Whether a schema becomes a struct, enum or union (as opposed to an
    /// alias of a scalar, array or map). Decided before lowering so that
    /// recursive references know what they point at.
    fn is_nominal(&self, view: &View<'_>, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        if !view.all_of.is_empty() {
            if view.all_of.len() == 1 && view.properties.is_none_or(|p| p.is_empty()) {
                return self.member_is_nominal(SchemaRef::from(&view.all_of[0]), depth);
            }
            return true;
        }
        let members = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !members.is_empty() {
            return members.len() > 1
                || self.member_is_nominal(SchemaRef::from(&members[0]), depth);
        }
        match view.ty() {
            Some(Ty::Object) => view.properties.is_some_and(|p| !p.is_empty()),
            Some(Ty::String) => view.enum_values.iter().any(Value::is_string),
            Some(Ty::Array) => super::tuple::is_tuple(view),
            _ => false,
        }
    }

    fn member_is_nominal(&self, r: SchemaRef<'_>, depth: usize) -> bool {
        match r {
            SchemaRef::Item(s) => self.is_nominal(&View::of(s), depth + 1),
            SchemaRef::Ref(_) => false,
        }
    }

    /// Lowers a schema or reference found at `pointer`; `hint` names the
    /// type it becomes, if it becomes one.
    pub fn lower(&mut self, r: SchemaRef<'a>, pointer: &str, hint: &str) -> Shape {
        match r {
            SchemaRef::Item(s) => self.lower_schema(s, pointer, hint),
            SchemaRef::Ref(reference) => match self.resolver.schema(reference) {
                Ok((_, Origin::Component(key))) => self.component(&key),
                Ok((schema, Origin::Pointer(target))) => self.lower_schema(schema, &target, hint),
                Err(msg) => {
                    self.diags.error("unresolved-ref", pointer, msg);
                    Shape::new(Kind::Json)
                }
            },
        }
    }

    pub fn lower_schema(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Shape {
        if let Some(shape) = self.inline.get(pointer) {
            return shape.clone();
        }
        if !self.lowering.insert(pointer.to_string()) {
            self.diags.warn(
                "fallback-json",
                pointer,
                "the schema contains itself through a `$ref` that is not a component; represented as raw JSON",
            );
            return Shape::new(Kind::Json);
        }
        let view = View::of(schema);
        let shape = self.lower_view(&view, pointer, hint, false);
        self.lowering.remove(pointer);
        if matches!(shape.kind, Kind::Named(_)) {
            self.inline.insert(pointer.to_string(), shape.clone());
        }
        shape
    }

    /// Claims a type name: a component's own name, or a fresh one from a hint.
    pub(super) fn type_name(&mut self, hint: &str, is_component: bool) -> String {
        if is_component {
            hint.to_string()
        } else {
            self.names.claim(&naming::type_name(hint))
        }
    }

    /// Adds the type `name` of `kind`, with `view`'s doc and `pointer` as its
    /// origin, and returns the shape that names it.
    pub(super) fn add_type(
        &mut self,
        name: String,
        view: &View<'a>,
        pointer: &str,
        kind: TypeKind,
    ) -> Shape {
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: view.doc(),
                pointer: pointer.to_string(),
                kind,
            },
        );
        Shape::new(Kind::Named(name))
    }

    pub(super) fn lower_view(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        is_component: bool,
    ) -> Shape {
        if self.depth >= MAX_DEPTH {
            self.diags.warn(
                "fallback-json",
                pointer,
                format!("schemas nested more than {MAX_DEPTH} deep (through properties, items and `$ref`s) are represented as raw JSON"),
            );
            return Shape {
                nullable: view.nullable(),
                ..Shape::new(Kind::Json)
            };
        }
        self.depth += 1;
        let shape = self.lower_view_at_depth(view, pointer, hint, is_component);
        self.depth -= 1;
        shape
    }

    fn lower_view_at_depth(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        is_component: bool,
    ) -> Shape {
        if view.has_not {
            self.diags.warn(
                "fallback-json",
                pointer,
                "`not` cannot be expressed as a Rust type; represented as raw JSON",
            );
            return Shape {
                nullable: view.nullable(),
                ..Shape::new(Kind::Json)
            };
        }
        if !view.all_of.is_empty() {
            return self.lower_all_of(view, pointer, hint, is_component);
        }
        let members = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !members.is_empty() && !self.members_only_require(members) {
            let key = if view.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.lower_union(view, members, key, pointer, hint, is_component);
        }
        let nullable = view.nullable();
        let Some(ty) = view.ty() else {
            if let Some(t) = view.unknown_type {
                self.diags.warn(
                    "fallback-json",
                    pointer,
                    format!("type `{t}` is not supported; represented as raw JSON"),
                );
            }
            return Shape {
                nullable,
                ..Shape::new(Kind::Json)
            };
        };
        self.lower_typed(view, ty, pointer, hint, is_component)
    }

    /// The shape of a schema of type `ty` with no composition: a scalar, an
    /// array, a map, or a named string enum, tuple or struct.
    fn lower_typed(
        &mut self,
        view: &View<'a>,
        ty: Ty,
        pointer: &str,
        hint: &str,
        is_component: bool,
    ) -> Shape {
        let nullable = view.nullable();
        if ty == Ty::Array {
            if let Some(tuple) = self.lower_tuple(view, pointer, hint, is_component) {
                return tuple;
            }
        }
        let checks = checks::checks(view, ty, pointer, &mut self.diags);
        let kind = match ty {
            Ty::Boolean => Kind::Boolean,
            Ty::Integer => Kind::Integer {
                bits: if view.format == Some("int32") { 32 } else { 64 },
            },
            Ty::Number => Kind::Number,
            Ty::String => {
                let values: Vec<&str> = view.enum_values.iter().filter_map(Value::as_str).collect();
                if !values.is_empty() {
                    let name = self.type_name(hint, is_component);
                    self.add_enum(&name, view, &values, pointer);
                    return Shape {
                        nullable,
                        ..Shape::new(Kind::Named(name))
                    };
                }
                match view.format {
                    Some("date-time") => Kind::DateTime,
                    Some("date") => Kind::Date,
                    _ => Kind::String,
                }
            }
            Ty::Array => {
                let item_hint = naming::hint(hint, Place::Item);
                let items = match view.items {
                    Some(items) => {
                        self.lower(SchemaRef::from(items), &child(pointer, "items"), &item_hint)
                    }
                    None => Shape::new(Kind::Json),
                };
                Kind::Array(Box::new(items))
            }
            Ty::Object => {
                if view.properties.is_some_and(|p| !p.is_empty()) {
                    let name = self.type_name(hint, is_component);
                    let def = self.lower_struct(&name, view, pointer);
                    self.types.insert(name.clone(), def);
                    return Shape {
                        nullable,
                        checks,
                        ..Shape::new(Kind::Named(name))
                    };
                }
                Kind::Map(Box::new(self.additional(
                    view.additional,
                    pointer,
                    &naming::hint(hint, Place::Value),
                )))
            }
        };
        Shape {
            kind,
            nullable,
            checks,
            alias: None,
        }
    }

    /// The value shape of `additionalProperties` (raw JSON when unstated).
    fn additional(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> Shape {
        match additional {
            Some(AdditionalProperties::Schema(s)) => self.lower(
                SchemaRef::from(s.as_ref()),
                &child(pointer, "additionalProperties"),
                hint,
            ),
            _ => Shape::new(Kind::Json),
        }
    }

    /// `oneOf: [{required: [a]}, {required: [b]}]` next to `properties`: the
    /// members only say which properties must appear; the object is the type.
    fn members_only_require(&self, members: &[ReferenceOr<Schema>]) -> bool {
        members.iter().all(|m| match m {
            ReferenceOr::Item(s) => {
                let v = View::of(s);
                v.ty().is_none()
                    && v.all_of.is_empty()
                    && v.any_of.is_empty()
                    && v.one_of.is_empty()
                    && !v.required.is_empty()
            }
            ReferenceOr::Reference { .. } => false,
        })
    }

    pub(super) fn lower_struct(&mut self, name: &str, view: &View<'a>, pointer: &str) -> TypeDef {
        let mut fields = Vec::new();
        let mut scope = Scope::new();
        if let Some(props) = view.properties {
            let props_ptr = child(pointer, "properties");
            for (wire_name, prop) in props {
                let field_ptr = child(&props_ptr, wire_name);
                let hint = naming::hint(name, Place::Member(wire_name));
                fields.push(self.field(
                    wire_name,
                    SchemaRef::from(prop),
                    &field_ptr,
                    &hint,
                    view.required,
                    &mut scope,
                ));
            }
        }
        let additional = match view.additional {
            Some(AdditionalProperties::Schema(_)) => {
                Some(self.additional(view.additional, pointer, &naming::hint(name, Place::Value)))
            }
            _ => None,
        };
        TypeDef {
            name: name.to_string(),
            doc: view.doc(),
            pointer: pointer.to_string(),
            kind: TypeKind::Struct(Struct {
                dependencies: super::dependent::dependencies(
                    view,
                    &fields,
                    pointer,
                    &mut self.diags,
                ),
                fields,
                additional,
            }),
        }
    }

    pub(super) fn field(
        &mut self,
        wire_name: &str,
        prop: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
        required: &[String],
        scope: &mut Scope,
    ) -> Field {
        let shape = self.lower(prop, pointer, hint);
        let doc = match prop {
            SchemaRef::Item(s) => View::of(s).doc(),
            SchemaRef::Ref(_) => None,
        };
        Field {
            wire_name: wire_name.to_string(),
            ident: scope.claim_ident(naming::snake_ident(wire_name)),
            doc,
            shape,
            required: required.iter().any(|r| r == wire_name),
            boxed: false,
            pointer: pointer.to_string(),
        }
    }

    fn add_enum(&mut self, name: &str, view: &View<'_>, values: &[&str], pointer: &str) {
        let mut scope = Scope::new();
        // The catch-all variant's name is taken first so no value can claim it.
        scope.reserve("Other");
        let mut seen = HashSet::new();
        let mut variants = Vec::new();
        for value in values {
            if !seen.insert(*value) {
                continue;
            }
            variants.push(EnumVariant {
                name: scope.claim(&naming::variant_name(value)),
                value: value.to_string(),
            });
        }
        self.types.insert(
            name.to_string(),
            TypeDef {
                name: name.to_string(),
                doc: view.doc(),
                pointer: pointer.to_string(),
                kind: TypeKind::Enum(StringEnum { variants }),
            },
        );
    }
}
