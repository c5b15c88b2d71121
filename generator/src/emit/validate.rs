//! `Validate` impls: every constraint on every field, recursing into
//! arrays, maps and nested types, reporting all violations with their paths.

use super::types::ident;
use crate::ir::{
    Api, Bound, Checks, Field, Kind, Number, Presence, Shape, Struct, TypeDef, TypeKind, Union,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::HashSet;

/// Names of the types whose values can violate something (directly or
/// through what they contain). Others get an empty `validate_at`.
pub fn validating_types(api: &Api) -> HashSet<String> {
    let mut set = HashSet::new();
    loop {
        let before = set.len();
        for def in &api.types {
            if set.contains(&def.name) {
                continue;
            }
            let needs = match &def.kind {
                TypeKind::Enum(_) => true,
                TypeKind::Union(u) => {
                    let has_other = !u.has_raw_json_member();
                    has_other || u.variants.iter().any(|v| shape_needs(&v.shape, &set))
                }
                TypeKind::Struct(s) => {
                    !dependency_checks(s).is_empty()
                        || s.fields.iter().any(|f| shape_needs(&f.shape, &set))
                        || s.additional.as_ref().is_some_and(|a| shape_needs(a, &set))
                }
                TypeKind::Alias(shape) => shape_needs(shape, &set),
                TypeKind::Tuple(t) => super::tuple::needs(t, &set),
            };
            if needs {
                set.insert(def.name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

pub fn shape_needs(shape: &Shape, validating: &HashSet<String>) -> bool {
    // Exactly the checks `value_checks` emits for each kind.
    let c = &shape.checks;
    match &shape.kind {
        Kind::Integer { .. } | Kind::Number => {
            c.minimum.is_some()
                || c.maximum.is_some()
                || c.multiple_of.is_some()
                || c.one_of.is_some()
        }
        Kind::Boolean => c.one_of.is_some(),
        Kind::String => c.min_length.is_some() || c.max_length.is_some() || !c.patterns.is_empty(),
        Kind::Array(item) => {
            c.min_items.is_some()
                || c.max_items.is_some()
                || c.unique_items
                || shape_needs(item, validating)
        }
        Kind::Map(item) => {
            c.min_properties.is_some()
                || c.max_properties.is_some()
                || shape_needs(item, validating)
        }
        Kind::Named(n) => validating.contains(n),
        Kind::DateTime | Kind::Date | Kind::Bytes | Kind::Json => false,
    }
}

pub fn impl_validate(def: &TypeDef, validating: &HashSet<String>) -> TokenStream {
    let name = ident(&def.name);
    let body = if validating.contains(&def.name) {
        body(def, validating)
    } else {
        None
    };
    let (path, out, body) = match body {
        Some(body) => (quote!(path), quote!(out), body),
        None => (quote!(_path), quote!(_out), TokenStream::new()),
    };
    quote! {
        impl Validate for #name {
            fn validate_at(&self, #path: &Path<'_>, #out: &mut Vec<Violation>) {
                #body
            }
        }
    }
}

/// The statements of a validating type's `validate_at`, by kind (`None`
/// for an alias, which has no impl body of its own).
fn body(def: &TypeDef, validating: &HashSet<String>) -> Option<TokenStream> {
    match &def.kind {
        TypeKind::Enum(_) => Some(quote! {
            if let Self::Other(value) = self {
                validation::unknown_variant(value, Self::VALUES, path, out);
            }
        }),
        TypeKind::Struct(s) => Some(struct_body(s, validating)),
        TypeKind::Union(u) => Some(union_body(u, validating)),
        TypeKind::Tuple(t) => Some(super::tuple::validate_body(t, validating)),
        TypeKind::Alias(_) => None,
    }
}

/// A struct's checks: each field that can violate something, the
/// additional properties, then `dependentRequired`.
fn struct_body(s: &Struct, validating: &HashSet<String>) -> TokenStream {
    let fields = s
        .fields
        .iter()
        .filter(|f| shape_needs(&f.shape, validating))
        .map(|f| field_check(f, validating));
    let additional = s
        .additional
        .as_ref()
        .filter(|a| shape_needs(a, validating))
        .map(|a| additional_check(s, a, validating));
    let dependencies = dependency_checks(s);
    quote!(#(#fields)* #additional #(#dependencies)*)
}

/// The checks on one field, located at its wire name; a field that may be
/// absent or null is checked only when it holds a value.
fn field_check(f: &Field, validating: &HashSet<String>) -> TokenStream {
    member_check(
        &f.ident,
        &f.wire_name,
        &f.shape,
        Presence::of(f),
        validating,
    )
}

/// The checks on the member `name` of `self` (a struct's field, a form's
/// part), located at its wire name, of the given shape and presence.
pub fn member_check(
    name: &crate::naming::Ident,
    wire: &str,
    shape: &Shape,
    presence: Presence,
    validating: &HashSet<String>,
) -> TokenStream {
    let name = name.to_ident();
    if delegates(shape, validating) {
        return quote!(self.#name.validate_at(&path.field(#wire), out););
    }
    let at = quote!(path.field(#wire));
    if presence == Presence::Required {
        let value = Value::place(quote!(self.#name));
        return match located(shape, validating, &value, &at) {
            (check, false) => check,
            (check, true) => quote!({ #check }),
        };
    }
    let (check, _) = located(shape, validating, &Value::binding(), &at);
    match presence {
        Presence::Required => check,
        Presence::RequiredNullable | Presence::Optional => {
            quote!(if let Some(value) = &self.#name { #check })
        }
        Presence::OptionalNullable => {
            quote!(if let Some(Some(value)) = &self.#name { #check })
        }
    }
}

/// The checks on each additional property (of shape `a`), located at its
/// key.
fn additional_check(s: &Struct, a: &Shape, validating: &HashSet<String>) -> TokenStream {
    let field = if s
        .fields
        .iter()
        .any(|f| f.ident.name == "additional_properties")
    {
        ident("additional_properties_")
    } else {
        ident("additional_properties")
    };
    if delegates(a, validating) {
        return quote!(self.#field.validate_at(path, out););
    }
    let (check, _) = located(a, validating, &Value::binding(), &quote!(path.key(key)));
    let check = maybe_null(a, check);
    quote! {
        for (key, value) in &self.#field {
            #check
        }
    }
}

/// A union's checks: a `match` with the checks of the member it holds,
/// and a violation for a value that matched no member.
fn union_body(u: &Union, validating: &HashSet<String>) -> TokenStream {
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        if !shape_needs(&v.shape, validating) {
            quote!(Self::#vname(_) => {})
        } else if delegates(&v.shape, validating) {
            quote!(Self::#vname(value) => value.validate_at(path, out),)
        } else {
            let checks = value_checks(&v.shape, validating, &Value::binding(), &quote!(path));
            let check = maybe_null(&v.shape, quote!(#(#checks)*));
            quote!(Self::#vname(value) => { #check })
        }
    });
    let has_other = !u.has_raw_json_member();
    let other = has_other.then(|| {
        quote! {
            Self::Other(value) => validation::no_variant(value, path, out),
        }
    });
    quote! {
        match self {
            #(#arms)*
            #other
        }
    }
}

/// `dependentRequired`: for each property that may be absent, the
/// properties that may be absent too and must be there when it is.
/// (A required property is always there.)
fn dependency_checks(s: &Struct) -> Vec<TokenStream> {
    let optional = |wire: &str| {
        s.fields.iter().find(|f| f.wire_name == wire).filter(|f| {
            matches!(
                Presence::of(f),
                Presence::Optional | Presence::OptionalNullable
            )
        })
    };
    s.dependencies
        .iter()
        .filter_map(|d| {
            let required = s.fields.iter().find(|f| f.wire_name == d.property)?;
            let checks: Vec<TokenStream> = d
                .requires
                .iter()
                .filter_map(|r| optional(r))
                .map(|f| {
                    let name = f.ident.to_ident();
                    let wire = &f.wire_name;
                    let because = &d.property;
                    quote! {
                        validation::dependent_required(#because, self.#name.is_some(), &path.field(#wire), out);
                    }
                })
                .collect();
            if checks.is_empty() {
                return None;
            }
            let name = required.ident.to_ident();
            Some(match Presence::of(required) {
                Presence::Optional | Presence::OptionalNullable => {
                    quote!(if self.#name.is_some() { #(#checks)* })
                }
                Presence::Required | Presence::RequiredNullable => quote!(#(#checks)*),
            })
        })
        .collect()
}

/// Whether checking a value of this shape is only a matter of calling
/// `validate_at` on it: no constraints of its own, only named types that
/// validate, possibly inside arrays, maps, `Option`s and `Box`es — which
/// the runtime's `Validate` impls walk, locating items by index and key.
pub fn delegates(shape: &Shape, validating: &HashSet<String>) -> bool {
    shape.checks.is_empty()
        && match &shape.kind {
            Kind::Named(n) => validating.contains(n),
            Kind::Array(item) | Kind::Map(item) => delegates(item, validating),
            _ => false,
        }
}

/// `check` (on `value: &T`) for a shape that may be null: then `value` is
/// an `&Option<T>`, and only a present value is checked.
pub(super) fn maybe_null(shape: &Shape, check: TokenStream) -> TokenStream {
    if shape.is_option() {
        quote!(if let Some(value) = value { #check })
    } else {
        check
    }
}

/// How emitted checks reach the value they check: through a reference
/// (`value`, or `&self.name`), as a place (`*value`, or `self.name`), and
/// as a method receiver (`value`, or `self.name`).
pub struct Value {
    reference: TokenStream,
    place: TokenStream,
    receiver: TokenStream,
}

impl Value {
    /// A `value: &T` binding.
    pub fn binding() -> Value {
        Value {
            reference: quote!(value),
            place: quote!(*value),
            receiver: quote!(value),
        }
    }

    /// A place of type `T` (a field, or an argument taken by value).
    pub fn place(place: TokenStream) -> Value {
        Value {
            reference: quote!(&#place),
            receiver: place.clone(),
            place,
        }
    }

    /// An argument of type `&T`.
    pub fn reference(name: TokenStream) -> Value {
        Value {
            place: quote!(*#name),
            receiver: name.clone(),
            reference: name,
        }
    }
}

/// The checks on `value` (of the shape's non-null type) located at `at`,
/// an expression making the `Path`: a single check takes it inline, several
/// share a `path` binding. The flag says whether the statements bind
/// `path` (and so need a block of their own).
pub fn located(
    shape: &Shape,
    validating: &HashSet<String>,
    value: &Value,
    at: &TokenStream,
) -> (TokenStream, bool) {
    let inline = value_checks(shape, validating, value, &quote!(&#at));
    if inline.len() == 1 && !loops(shape, validating) {
        return (quote!(#(#inline)*), false);
    }
    let checks = value_checks(shape, validating, value, &quote!(&path));
    (quote!(let path = #at; #(#checks)*), true)
}

/// Whether the checks of this shape walk its items with a `for` loop (which
/// needs its path bound: an item's path borrows it).
fn loops(shape: &Shape, validating: &HashSet<String>) -> bool {
    match &shape.kind {
        Kind::Array(item) | Kind::Map(item) => {
            shape_needs(item, validating) && !delegates(item, validating)
        }
        _ => false,
    }
}

/// The statements that check `value: &T`, where `T` is the shape's
/// non-null type, each locating its violations at `path` (an expression of
/// type `&Path`), with `out` in scope.
pub fn value_checks(
    shape: &Shape,
    validating: &HashSet<String>,
    value: &Value,
    path: &TokenStream,
) -> Vec<TokenStream> {
    let c = &shape.checks;
    let Value {
        reference,
        place,
        receiver,
    } = value;
    let mut out = Vec::new();
    match &shape.kind {
        Kind::Integer { bits } => out.extend(integer_checks(c, *bits, value, path)),
        Kind::Number => {
            out.extend(number_checks(c, None, place.clone(), path));
            if let Some(values) = &c.one_of {
                out.push(quote!(validation::one_of(&validation::number_text(#place), &[#(#values),*], #path, out);));
            }
        }
        Kind::Boolean => {
            if let Some(values) = &c.one_of {
                out.push(quote!(validation::one_of_bool(#place, &[#(#values),*], #path, out);));
            }
        }
        Kind::String => out.extend(string_checks(c, reference, path)),
        Kind::Array(item) => {
            out.extend(count_checks(
                c.min_items,
                c.max_items,
                "min_items",
                "max_items",
                receiver,
                path,
            ));
            if c.unique_items {
                out.push(quote!(validation::unique_items(#reference, #path, out);));
            }
            out.extend(item_checks(item, validating, value, path, Items::Array));
        }
        Kind::Map(item) => {
            out.extend(count_checks(
                c.min_properties,
                c.max_properties,
                "min_properties",
                "max_properties",
                receiver,
                path,
            ));
            out.extend(item_checks(item, validating, value, path, Items::Map));
        }
        Kind::Named(n) if validating.contains(n) => {
            out.push(quote!(#receiver.validate_at(#path, out);));
        }
        Kind::Named(_) | Kind::DateTime | Kind::Date | Kind::Bytes | Kind::Json => {}
    }
    out
}

/// An integer's checks: its bounds and multiple (a 32-bit value widened
/// first), then its allowed values, compared as text.
fn integer_checks(c: &Checks, bits: u8, value: &Value, path: &TokenStream) -> Vec<TokenStream> {
    let Value {
        place, receiver, ..
    } = value;
    let as_i64 = if bits == 32 {
        quote!(i64::from(#place))
    } else {
        quote!(#place)
    };
    let as_f64 = if bits == 32 {
        quote!(f64::from(#place))
    } else {
        quote!(#place as f64)
    };
    let mut out = number_checks(c, Some(as_i64), as_f64, path);
    if let Some(values) = &c.one_of {
        out.push(quote!(validation::one_of(&#receiver.to_string(), &[#(#values),*], #path, out);));
    }
    out
}

/// A string's checks: its length bounds, then each pattern (a `static`
/// compiled once, and its check).
fn string_checks(c: &Checks, reference: &TokenStream, path: &TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(n) = c.min_length {
        let n = Literal::u64_unsuffixed(n);
        out.push(quote!(validation::min_length(#reference, #n, #path, out);));
    }
    if let Some(n) = c.max_length {
        let n = Literal::u64_unsuffixed(n);
        out.push(quote!(validation::max_length(#reference, #n, #path, out);));
    }
    for (i, p) in c.patterns.iter().enumerate() {
        let name = crate::naming::pattern_static(i);
        out.push(quote! {
            static #name: validation::Pattern = validation::Pattern::new(#p);
        });
        out.push(quote!(validation::pattern(#reference, &#name, #path, out);));
    }
    out
}

/// Which container [`item_checks`] walks: an array's items are located by
/// index, a map's values by key.
#[derive(Clone, Copy)]
enum Items {
    Array,
    Map,
}

/// The checks on an array's or a map's items: one `validate_at` call on
/// the container when its items only delegate, else a `for` loop checking
/// each item; nothing when no item can violate anything.
fn item_checks(
    item: &Shape,
    validating: &HashSet<String>,
    value: &Value,
    path: &TokenStream,
    items: Items,
) -> Option<TokenStream> {
    let Value {
        reference,
        receiver,
        ..
    } = value;
    if delegates(item, validating) {
        return Some(quote!(#receiver.validate_at(#path, out);));
    }
    if !shape_needs(item, validating) {
        return None;
    }
    let at = match items {
        Items::Array => quote!(path.index(index)),
        Items::Map => quote!(path.key(key)),
    };
    let (check, _) = located(item, validating, &Value::binding(), &at);
    let check = maybe_null(item, check);
    Some(match items {
        Items::Array => quote! {
            for (index, value) in #receiver.iter().enumerate() {
                #check
            }
        },
        Items::Map => quote! {
            for (key, value) in #reference {
                #check
            }
        },
    })
}

fn count_checks(
    min: Option<u64>,
    max: Option<u64>,
    min_fn: &str,
    max_fn: &str,
    receiver: &TokenStream,
    path: &TokenStream,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(n) = min {
        let f = ident(min_fn);
        let n = Literal::u64_unsuffixed(n);
        out.push(quote!(validation::#f(#receiver.len(), #n, #path, out);));
    }
    if let Some(n) = max {
        let f = ident(max_fn);
        let n = Literal::u64_unsuffixed(n);
        out.push(quote!(validation::#f(#receiver.len(), #n, #path, out);));
    }
    out
}

/// Bound checks: integer bounds on integer values (`as_i64` given) compare
/// as `i64`; everything else compares as `f64`.
fn number_checks(
    c: &Checks,
    as_i64: Option<TokenStream>,
    as_f64: TokenStream,
    path: &TokenStream,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let as_f = |n: Number| match n {
        Number::Int(i) => Number::Float(i as f64),
        f => f,
    };
    let integer = as_i64.is_some();
    let as_i64 = as_i64.unwrap_or_default();
    let mut bound = |b: &Bound, int_fn: &str, num_fn: &str| {
        let exclusive = b.exclusive;
        match if integer { b.value } else { as_f(b.value) } {
            Number::Int(n) => {
                let f = ident(int_fn);
                let n = Literal::i64_unsuffixed(n);
                out.push(quote!(validation::#f(#as_i64, #n, #exclusive, #path, out);));
            }
            Number::Float(x) => {
                let f = ident(num_fn);
                let x = float(x);
                out.push(quote!(validation::#f(#as_f64, #x, #exclusive, #path, out);));
            }
        }
    };
    if let Some(b) = &c.minimum {
        bound(b, "min_int", "min_num");
    }
    if let Some(b) = &c.maximum {
        bound(b, "max_int", "max_num");
    }
    match c.multiple_of.map(|m| if integer { m } else { as_f(m) }) {
        Some(Number::Int(n)) => {
            let n = Literal::i64_unsuffixed(n);
            out.push(quote!(validation::multiple_of_int(#as_i64, #n, #path, out);));
        }
        Some(Number::Float(x)) => {
            let x = float(x);
            out.push(quote!(validation::multiple_of_num(#as_f64, #x, #path, out);));
        }
        None => {}
    }
    out
}

/// A float literal; the IR only holds finite numbers.
pub fn float(x: f64) -> Literal {
    if x.is_finite() {
        Literal::f64_unsuffixed(x)
    } else {
        Literal::f64_unsuffixed(0.0)
    }
}
