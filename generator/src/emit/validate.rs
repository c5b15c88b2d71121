//! `Validate` impls: every constraint on every field, recursing into
//! arrays, maps and nested types, reporting all violations with their paths.

use super::types::ident;
use crate::ir::{Api, Bound, Checks, Kind, Number, Presence, Shape, TypeDef, TypeKind};
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
                    let has_other = !u
                        .variants
                        .iter()
                        .any(|v| v.shape.kind == Kind::Json && v.shape.alias.is_none());
                    has_other || u.variants.iter().any(|v| shape_needs(&v.shape, &set))
                }
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| shape_needs(&f.shape, &set))
                        || s.additional.as_ref().is_some_and(|a| shape_needs(a, &set))
                }
                TypeKind::Alias(shape) => shape_needs(shape, &set),
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

fn body(def: &TypeDef, validating: &HashSet<String>) -> Option<TokenStream> {
    match &def.kind {
        TypeKind::Enum(_) => Some(quote! {
            if let Self::Other(value) = self {
                validation::unknown_variant(value, Self::VALUES, path, out);
            }
        }),
        TypeKind::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .filter(|f| shape_needs(&f.shape, validating))
                .map(|f| {
                    let name = f.ident.to_ident();
                    let wire = &f.wire_name;
                    let inner = Shape {
                        nullable: false,
                        ..f.shape.clone()
                    };
                    let check = value_checks(&inner, validating);
                    let check = match Presence::of(f) {
                        Presence::Required => check,
                        Presence::RequiredNullable | Presence::Optional => {
                            quote!(if let Some(value) = value { #check })
                        }
                        Presence::OptionalNullable => {
                            quote!(if let Some(Some(value)) = value { #check })
                        }
                    };
                    quote! {
                        {
                            let path = path.field(#wire);
                            let value = &self.#name;
                            #check
                        }
                    }
                });
            let additional = s
                .additional
                .as_ref()
                .filter(|a| shape_needs(a, validating))
                .map(|a| {
                    let field = if s
                        .fields
                        .iter()
                        .any(|f| f.ident.name == "additional_properties")
                    {
                        ident("additional_properties_")
                    } else {
                        ident("additional_properties")
                    };
                    let check = checks_maybe_null(a, validating);
                    quote! {
                        for (key, value) in &self.#field {
                            let path = path.key(key);
                            #check
                        }
                    }
                });
            Some(quote!(#(#fields)* #additional))
        }
        TypeKind::Union(u) => {
            let arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                if shape_needs(&v.shape, validating) {
                    let check = checks_maybe_null(&v.shape, validating);
                    quote!(Self::#vname(value) => { let path = *path; #check })
                } else {
                    quote!(Self::#vname(_) => {})
                }
            });
            let has_other = !u
                .variants
                .iter()
                .any(|v| v.shape.kind == Kind::Json && v.shape.alias.is_none());
            let other = has_other.then(|| {
                quote! {
                    Self::Other(value) => validation::no_variant(value, path, out),
                }
            });
            Some(quote! {
                match self {
                    #(#arms)*
                    #other
                }
            })
        }
        TypeKind::Alias(_) => None,
    }
}

/// Checks on `value: &T` (or `&Option<T>` when the shape is nullable), at `path`.
fn checks_maybe_null(shape: &Shape, validating: &HashSet<String>) -> TokenStream {
    let inner = Shape {
        nullable: false,
        ..shape.clone()
    };
    let check = value_checks(&inner, validating);
    if shape.nullable && shape.kind != Kind::Json {
        quote!(if let Some(value) = value { #check })
    } else {
        check
    }
}

/// Checks on `value: &T` where `T` is the shape's non-null type, with a
/// `path: Path` and `out` in scope.
pub fn value_checks(shape: &Shape, validating: &HashSet<String>) -> TokenStream {
    let c = &shape.checks;
    let mut out = TokenStream::new();
    match &shape.kind {
        Kind::Integer { bits } => {
            let as_i64 = if *bits == 32 {
                quote!(i64::from(*value))
            } else {
                quote!(*value)
            };
            let as_f64 = if *bits == 32 {
                quote!(f64::from(*value))
            } else {
                quote!(*value as f64)
            };
            out.extend(number_checks(c, Some(as_i64), as_f64));
            if let Some(values) = &c.one_of {
                out.extend(
                    quote!(validation::one_of(&value.to_string(), &[#(#values),*], &path, out);),
                );
            }
        }
        Kind::Number => {
            out.extend(number_checks(c, None, quote!(*value)));
            if let Some(values) = &c.one_of {
                out.extend(quote!(validation::one_of(&validation::number_text(*value), &[#(#values),*], &path, out);));
            }
        }
        Kind::Boolean => {
            if let Some(values) = &c.one_of {
                out.extend(quote!(validation::one_of(if *value { "true" } else { "false" }, &[#(#values),*], &path, out);));
            }
        }
        Kind::String => {
            if let Some(n) = c.min_length {
                let n = Literal::u64_unsuffixed(n);
                out.extend(quote!(validation::min_length(value, #n, &path, out);));
            }
            if let Some(n) = c.max_length {
                let n = Literal::u64_unsuffixed(n);
                out.extend(quote!(validation::max_length(value, #n, &path, out);));
            }
            for (i, p) in c.patterns.iter().enumerate() {
                let name = quote::format_ident!("PATTERN_{}", i);
                out.extend(quote! {
                    static #name: validation::Pattern = validation::Pattern::new(#p);
                    validation::pattern(value, &#name, &path, out);
                });
            }
        }
        Kind::Array(item) => {
            out.extend(count_checks(
                c.min_items,
                c.max_items,
                "min_items",
                "max_items",
            ));
            if c.unique_items {
                out.extend(quote!(validation::unique_items(value, &path, out);));
            }
            if shape_needs(item, validating) {
                let check = checks_maybe_null(item, validating);
                out.extend(quote! {
                    for (index, value) in value.iter().enumerate() {
                        let path = path.index(index);
                        #check
                    }
                });
            }
        }
        Kind::Map(item) => {
            out.extend(count_checks(
                c.min_properties,
                c.max_properties,
                "min_properties",
                "max_properties",
            ));
            if shape_needs(item, validating) {
                let check = checks_maybe_null(item, validating);
                out.extend(quote! {
                    for (key, value) in value {
                        let path = path.key(key);
                        #check
                    }
                });
            }
        }
        Kind::Named(n) if validating.contains(n) => {
            out.extend(quote!(Validate::validate_at(value, &path, out);));
        }
        Kind::Named(_) | Kind::DateTime | Kind::Date | Kind::Bytes | Kind::Json => {}
    }
    out
}

fn count_checks(min: Option<u64>, max: Option<u64>, min_fn: &str, max_fn: &str) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(n) = min {
        let f = ident(min_fn);
        let n = Literal::u64_unsuffixed(n);
        out.extend(quote!(validation::#f(value.len(), #n, &path, out);));
    }
    if let Some(n) = max {
        let f = ident(max_fn);
        let n = Literal::u64_unsuffixed(n);
        out.extend(quote!(validation::#f(value.len(), #n, &path, out);));
    }
    out
}

/// Bound checks: integer bounds on integer values (`as_i64` given) compare
/// as `i64`; everything else compares as `f64`.
fn number_checks(c: &Checks, as_i64: Option<TokenStream>, as_f64: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
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
                out.extend(quote!(validation::#f(#as_i64, #n, #exclusive, &path, out);));
            }
            Number::Float(x) => {
                let f = ident(num_fn);
                let x = float(x);
                out.extend(quote!(validation::#f(#as_f64, #x, #exclusive, &path, out);));
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
            out.extend(quote!(validation::multiple_of_int(#as_i64, #n, &path, out);));
        }
        Some(Number::Float(x)) => {
            let x = float(x);
            out.extend(quote!(validation::multiple_of_num(#as_f64, #x, &path, out);));
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
