//! Tuples (`ir::Tuple`): a tuple struct with one field per position (an
//! `Option` for a position a value may stop before) and a last `Vec` for
//! the items after them when there may be some, read and written as one
//! JSON array, its checks per position and on the whole length.

use super::features::Serde;
use super::types::{ident, value_type, Models};
use super::validate::{delegates, located, maybe_null, shape_needs, Value};
use crate::ir::{Shape, Tuple, TypeDef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::HashSet;

/// The struct and its serde impls.
pub fn tuple(def: &TypeDef, t: &Tuple, serde: Serde, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let fields = t.items.iter().enumerate().map(|(i, p)| {
        let mut ty = value_type(&p.shape, p.boxed, Models::Here);
        if i >= t.required {
            ty = quote!(Option<#ty>);
        }
        let text = if i < t.required {
            format!(" Item {i}.")
        } else {
            format!(" Item {i}, when the array has it.")
        };
        quote!(#[doc = #text] pub #ty)
    });
    let rest = t.rest.as_ref().map(|r| {
        let ty = value_type(r, false, Models::Here);
        quote!(#[doc = " The items after those."] pub Vec<#ty>)
    });
    let ser_gate = super::models::only_if(serde != Serde::DeserializeOnly);
    let de_gate = super::models::only_if(serde != Serde::SerializeOnly);
    let serialize = serialize(t);
    let reads = (0..t.items.len()).map(|i| {
        if i < t.required {
            quote!(items.item()?)
        } else {
            quote!(items.optional()?)
        }
    });
    let rest_read = t.rest.as_ref().map(|_| quote!(items.rest()?));
    let required = Literal::usize_unsuffixed(t.required);
    let most = match &t.rest {
        Some(_) => quote!(None),
        None => {
            let n = Literal::usize_unsuffixed(t.items.len());
            quote!(Some(#n))
        }
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#(#fields,)* #rest);

        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq as _;
                let mut seq = serializer.serialize_seq(None)?;
                #serialize
                seq.end()
            }
        }

        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut items = crate::runtime::de::Tuple::read(deserializer, #required, #most)?;
                Ok(Self(#(#reads,)* #rest_read))
            }
        }
    }
}

/// Writes the positions a value has, in order, stopping at the first it
/// lacks; the rest only after all of them.
fn serialize(t: &Tuple) -> TokenStream {
    let rest = t.rest.as_ref().map(|_| {
        let i = syn_index(t.items.len());
        quote! {
            for value in &self.#i {
                seq.serialize_element(value)?;
            }
        }
    });
    let mut inner = quote!(#rest);
    for i in (t.required..t.items.len()).rev() {
        let index = syn_index(i);
        inner = quote! {
            if let Some(value) = &self.#index {
                seq.serialize_element(value)?;
                #inner
            }
        };
    }
    let leading = (0..t.required).map(|i| {
        let index = syn_index(i);
        quote!(seq.serialize_element(&self.#index)?;)
    });
    quote!(#(#leading)* #inner)
}

fn syn_index(i: usize) -> syn::Index {
    syn::Index::from(i)
}

/// Whether a value of the tuple can violate something.
pub fn needs(t: &Tuple, validating: &HashSet<String>) -> bool {
    t.min_items.is_some()
        || t.max_items.is_some()
        || t.items.iter().any(|p| shape_needs(&p.shape, validating))
        || t.rest.as_ref().is_some_and(|r| shape_needs(r, validating))
}

/// The body of `validate_at`: each position's checks at its index, the
/// rest's at theirs, and the length checks the type does not state.
pub fn validate_body(t: &Tuple, validating: &HashSet<String>) -> TokenStream {
    let positions = t
        .items
        .iter()
        .enumerate()
        .map(|(i, p)| position_checks(&p.shape, i, i >= t.required, validating));
    let after = t.items.len();
    let rest = t
        .rest
        .as_ref()
        .filter(|r| shape_needs(r, validating))
        .map(|r| {
            let field = syn_index(after);
            let offset = Literal::usize_unsuffixed(after);
            let (check, _) = located(
                r,
                validating,
                &Value::binding(),
                &quote!(path.index(#offset + index)),
            );
            let check = maybe_null(r, check);
            quote! {
                for (index, value) in self.#field.iter().enumerate() {
                    #check
                }
            }
        });
    let lengths = (t.min_items.is_some() || t.max_items.is_some()).then(|| {
        let required = Literal::usize_unsuffixed(t.required);
        let optional = (t.required..t.items.len()).map(|i| {
            let index = syn_index(i);
            quote!(+ usize::from(self.#index.is_some()))
        });
        let rest = t.rest.as_ref().map(|_| {
            let field = syn_index(after);
            quote!(+ self.#field.len())
        });
        let min = t.min_items.map(|n| {
            let n = Literal::u64_unsuffixed(n);
            quote!(validation::min_items(len, #n, path, out);)
        });
        let max = t.max_items.map(|n| {
            let n = Literal::u64_unsuffixed(n);
            quote!(validation::max_items(len, #n, path, out);)
        });
        quote! {
            let len = #required #(#optional)* #rest;
            #min
            #max
        }
    });
    quote!(#(#positions)* #rest #lengths)
}

/// The checks of position `i`: on the field itself when every value has
/// it and it is not null, else on what it holds.
fn position_checks(
    shape: &Shape,
    i: usize,
    optional: bool,
    validating: &HashSet<String>,
) -> TokenStream {
    if !shape_needs(shape, validating) {
        return TokenStream::new();
    }
    let index = syn_index(i);
    let at_lit = Literal::usize_unsuffixed(i);
    let at = quote!(path.index(#at_lit));
    if delegates(shape, validating) {
        return quote!(self.#index.validate_at(&#at, out););
    }
    let nullable = shape.is_option();
    if !optional && !nullable {
        let (check, block) = located(shape, validating, &Value::place(quote!(self.#index)), &at);
        return if block { quote!({ #check }) } else { check };
    }
    let (check, _) = located(shape, validating, &Value::binding(), &at);
    match (optional, nullable) {
        (true, true) => quote!(if let Some(Some(value)) = &self.#index { #check }),
        _ => quote!(if let Some(value) = &self.#index { #check }),
    }
}
