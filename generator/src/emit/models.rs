//! Models: one Rust item per IR type, with serde attributes that keep
//! decoding lenient (unknown fields ignored, unknown enum values kept).

use super::features::{self, Serde};
use super::types::{base_type, doc, ident, value_type, Models};
use super::validate;
use crate::ir::{
    Discriminator, Field, Kind, StringEnum, Struct, TypeDef, TypeKind, Union, UnionVariant,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;

/// Which items of each type a module holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The type with every impl: one crate.
    All,
    /// The type and its impls but `V4Page`: a models crate of a large
    /// API's workspace (`Validate` comes from its validation crate).
    Data,
    /// The impls of the facade's own trait, `V4Page`, for types of a
    /// models crate: the facade crate, which holds the client.
    Impls,
}

/// The model items of a module, in order: the imports, then one token
/// stream per type (its item and impls); `nested` modules see the others
/// through `use super::*`.
pub fn module(
    types: &[&TypeDef],
    ctx: &super::Context<'_>,
    nested: bool,
    part: Part,
) -> Vec<TokenStream> {
    let validating = &ctx.validating;
    let items = types.iter().map(|def| {
        if let TypeKind::Alias(shape) = &def.kind {
            if part == Part::Impls {
                return TokenStream::new();
            }
            let name = ident(&def.name);
            let docs = type_doc(def, ctx);
            let target = base_type(shape, Models::Here);
            return gated(ctx, def, quote! { #docs pub type #name = #target; });
        }
        let item = (part != Part::Impls).then(|| {
            let validation = validate::impl_validate(def, validating);
            let item = item(def, ctx);
            quote! { #item #validation }
        });
        let page = (part != Part::Data)
            .then(|| ctx.pages.get(def.name.as_str()))
            .flatten()
            .map(|p| super::pager::page_impl(p));
        gated(ctx, def, quote! { #item #page })
    });
    let items: Vec<TokenStream> = items.filter(|item| !item.is_empty()).collect();
    // `validation::` prefixes the check functions; import it only when used.
    let uses_checks = items
        .iter()
        .any(|item| super::paths::uses_path_root(item, "validation"));
    // A module whose types are all behind features not enabled imports
    // for nothing.
    let allow = ctx
        .gating
        .is_some()
        .then(|| quote!(#[allow(unused_imports)]));
    let glob = nested.then(|| {
        quote!(
            #[allow(unused_imports)]
            use super::*;
        )
    });
    let only_aliases = types.iter().all(|d| matches!(d.kind, TypeKind::Alias(_)));
    let imports = match (only_aliases || part == Part::Impls, uses_checks) {
        (true, _) => quote!(),
        (false, false) => quote!(
            #allow
            use crate::runtime::validation::{Path, Validate, Violation};
        ),
        (false, true) => quote!(
            #allow
            use crate::runtime::validation::{self, Path, Validate, Violation};
        ),
    };
    let mut chunks = Vec::with_capacity(items.len() + 1);
    chunks.push(quote! { #glob #imports });
    chunks.extend(items);
    chunks
}

/// A type's definition and the impls that go with it wherever it is
/// (serde, inherent methods, `From`, `Display`); not an alias's.
fn item(def: &TypeDef, ctx: &super::Context<'_>) -> TokenStream {
    let serde = ctx
        .gating
        .as_ref()
        .map_or(Serde::Both, |g| g.serde(&def.name));
    match &def.kind {
        TypeKind::Struct(s) => structure(def, s, serde, type_doc(def, ctx)),
        TypeKind::Enum(e) => string_enum(def, e, serde, type_doc(def, ctx)),
        TypeKind::Union(u) => union(def, u, ctx, serde),
        TypeKind::Tuple(t) => super::tuple::tuple(def, t, serde, type_doc(def, ctx)),
        TypeKind::Alias(_) => TokenStream::new(),
    }
}

/// A type's items, behind the features that reach it in a large API.
fn gated(ctx: &super::Context<'_>, def: &TypeDef, items: TokenStream) -> TokenStream {
    match &ctx.gating {
        Some(g) => features::gate(&g.cfg(&def.name), items),
        None => items,
    }
}

fn derives(extra_default: bool, serde: Serde) -> TokenStream {
    let default = extra_default.then(|| quote!(Default,));
    let (always, optional) = match serde {
        Serde::Both => (quote!(serde::Serialize, serde::Deserialize), None),
        Serde::SerializeOnly => (quote!(serde::Serialize), Some(quote!(serde::Deserialize))),
        Serde::DeserializeOnly => (quote!(serde::Deserialize), Some(quote!(serde::Serialize))),
    };
    let optional = optional.map(|d| other_direction(quote!(derive(#d))));
    quote! {
        #[derive(Debug, Clone, PartialEq, #default #always)]
        #optional
    }
}

/// `#[cfg_attr(feature = "both-directions", …)]`: the serde impl of the
/// direction a type does not travel in, for users who want it anyway.
fn other_direction(attrs: TokenStream) -> TokenStream {
    let feature = features::BOTH_DIRECTIONS;
    quote!(#[cfg_attr(feature = #feature, #attrs)])
}

/// `#[cfg(feature = "both-directions")]` on a hand-written serde impl of
/// the direction the type does not travel in.
pub(super) fn only_if(wanted: bool) -> Option<TokenStream> {
    let feature = features::BOTH_DIRECTIONS;
    (!wanted).then(|| quote!(#[cfg(feature = #feature)]))
}

/// How many methods a type's docs name as returning or sending it.
const USAGE_LINKS: usize = 8;

/// A type's doc comment: the spec's text, then the client methods that
/// return it and that send it (intra-doc links, so the docs go both ways;
/// plain names in a large API, whose models crates cannot see the client).
fn type_doc(def: &TypeDef, ctx: &super::Context<'_>) -> TokenStream {
    let docs = doc(def.doc.as_deref());
    let Some((returned, sent)) = ctx.usage.get(def.name.as_str()) else {
        return docs;
    };
    let list = |label: &str, fns: &[&str]| {
        (!fns.is_empty()).then(|| {
            // A type shared by many methods names the first few.
            let links: Vec<String> = fns
                .iter()
                .take(USAGE_LINKS)
                .map(|f| match ctx.gating {
                    None => format!("[`Client::{f}`](crate::Client::{f})"),
                    Some(_) => format!("`Client::{f}`"),
                })
                .collect();
            let more = fns.len().saturating_sub(USAGE_LINKS);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let line = format!(" {label} {}{more}.", links.join(", "));
            quote!(#[doc = ""] #[doc = #line])
        })
    };
    let returned = list("Returned by", returned);
    let sent = list("Sent by", sent);
    quote!(#docs #returned #sent)
}

fn structure(def: &TypeDef, s: &Struct, serde: Serde, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let all_optional = s.derives_default();
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|shape| {
        let t = value_type(shape, false, Models::Here);
        let taken: HashSet<&str> = s.fields.iter().map(|f| f.ident.name.as_str()).collect();
        let field_name = ident(if taken.contains("additional_properties") {
            "additional_properties_"
        } else {
            "additional_properties"
        });
        quote! {
            /// Properties not named in the schema.
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #t>,
        }
    });
    let derive = derives(all_optional, serde);
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let docs = doc(f.doc.as_deref());
    let name = f.ident.to_ident();
    let rename = (f.ident.name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let inner = value_type(
        &crate::ir::Shape {
            nullable: false,
            ..f.shape.clone()
        },
        f.boxed,
        Models::Here,
    );
    let nullable = f.shape.is_option();
    let (ty, attrs) = match (f.required, nullable) {
        (true, false) => (inner, quote!()),
        // Required but nullable: always sent, as `null` when `None`; a
        // missing value decodes as `None` too (decoding stays lenient).
        (true, true) => (quote!(Option<#inner>), quote!(#[serde(default)])),
        (false, false) => (
            quote!(Option<#inner>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
        ),
        // Optional and nullable: absent (`None`), `null` (`Some(None)`), or a value.
        (false, true) => (
            quote!(Option<Option<#inner>>),
            quote!(#[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::runtime::de::nullable"
            )]),
        ),
    };
    quote! {
        #docs
        #rename
        #attrs
        pub #name: #ty,
    }
}

fn string_enum(def: &TypeDef, e: &StringEnum, serde: Serde, docs: TokenStream) -> TokenStream {
    let ser_gate = only_if(serde != Serde::DeserializeOnly);
    let de_gate = only_if(serde != Serde::SerializeOnly);
    let name = ident(&def.name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| {
        let text = if v.is_empty() {
            " The empty string.".to_string()
        } else {
            format!(" `{}`", super::types::inline_text(&v.replace('`', "'")))
        };
        quote!(#[doc = #text])
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know.
            Other(String),
        }

        impl #name {
            /// The values the spec lists.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Other(value) => value,
                }
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#values => Some(Self::#variants),)*
                    _ => None,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Other(value.to_string()))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::de::string_enum(deserializer, Self::known, Self::Other)
            }
        }
    }
}

/// A union: an enum of its members, decoded by trying the members a
/// discriminator maps, then the others in order, else kept as JSON.
fn union(def: &TypeDef, u: &Union, ctx: &super::Context<'_>, serde: Serde) -> TokenStream {
    let docs = type_doc(def, ctx);
    let name = ident(&def.name);
    let has_json = u.has_raw_json_member();
    let variants = u.variants.iter().map(union_variant);
    // Lenient decoding: a value that matches no member is kept as JSON.
    let other = (!has_json).then(|| {
        quote! {
            /// A value that matches none of the schemas the spec lists.
            Other(serde_json::Value),
        }
    });
    let tagged = u.discriminator.as_ref().map(|d| tagged_decode(u, d));
    let (untagged, any_weak) = untagged_decode(u, ctx);
    let (weak_decl, weak_use) = if any_weak {
        (
            quote!(let mut weak: Option<Self> = None;),
            quote!(if let Some(w) = weak {
                return Ok(w);
            }),
        )
    } else {
        (quote!(), quote!())
    };
    let no_match = format!("no member of `{}` matches the value", def.name);
    let fallback = if has_json {
        quote!(Err(serde::de::Error::custom(#no_match)))
    } else {
        quote!(Ok(Self::Other(value)))
    };
    let is_known = (!has_json).then(|| {
        quote! {
            impl #name {
                /// Whether the value matched one of the schemas the spec lists.
                pub fn is_known(&self) -> bool {
                    !matches!(self, Self::Other(_))
                }
            }
        }
    });
    let derive = union_derives(serde);
    let de_gate = only_if(serde != Serde::SerializeOnly);
    quote! {
        #docs
        #derive
        pub enum #name {
            #(#variants)*
            #other
        }

        #is_known

        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #tagged
                #weak_decl
                #(#untagged)*
                #weak_use
                #fallback
            }
        }
    }
}

/// A union member's variant, linked to the type it holds when it has a
/// name.
fn union_variant(v: &UnionVariant) -> TokenStream {
    let vname = ident(&v.name);
    let t = value_type(&v.shape, v.boxed, Models::Here);
    let named = v.shape.alias.as_deref().or(match &v.shape.kind {
        Kind::Named(n) => Some(n.as_str()),
        _ => None,
    });
    // The generator's own link (a type name), not spec text.
    let vdoc = named.map(|n| {
        let line = format!(" A [`{n}`].");
        quote!(#[doc = #line])
    });
    quote!(#vdoc #vname(#t),)
}

/// The decoding of the members the discriminator maps: the one its tag
/// value names is tried first (nothing when it maps none).
fn tagged_decode(u: &Union, d: &Discriminator) -> TokenStream {
    let property = &d.property;
    let pairs: Vec<(&String, proc_macro2::Ident)> = d
        .mapping
        .iter()
        .filter_map(|(value, idx)| Some((value, ident(&u.variants.get(*idx)?.name))))
        .collect();
    let tag = quote!(value.get(#property).and_then(serde_json::Value::as_str));
    match &pairs[..] {
        [] => quote!(),
        // One mapping: `if let`, as clippy (`single_match`) wants.
        [(value, vname)] => {
            let arm = try_member(vname);
            quote!(if let Some(#value) = #tag { #arm })
        }
        _ => {
            let arms = pairs.iter().map(|(value, vname)| {
                let arm = try_member(vname);
                quote!(Some(#value) => { #arm })
            });
            quote! {
                match #tag {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    }
}

/// The tries of the members no discriminator mapping names, in order, and
/// whether any of them matches only "weakly".
///
/// Members a discriminator mapping names were tried before. A member
/// that has a catch-all of its own (a string enum, a union) matches
/// "weakly" when it lands in it: a later member that matches for real
/// wins over it.
fn untagged_decode(u: &Union, ctx: &super::Context<'_>) -> (Vec<TokenStream>, bool) {
    let mapped: HashSet<usize> = u
        .discriminator
        .iter()
        .flat_map(|d| d.mapping.iter().map(|(_, i)| *i))
        .collect();
    let mut any_weak = false;
    let untagged = u
        .variants
        .iter()
        .enumerate()
        .filter(|(i, _)| !mapped.contains(i))
        .map(|(_, v)| {
            let vname = ident(&v.name);
            if has_catch_all(&v.shape, ctx) {
                any_weak = true;
                let t = value_type(&v.shape, v.boxed, Models::Here);
                quote! {
                    if let Ok(v) = <#t as serde::Deserialize>::deserialize(&value) {
                        if v.is_known() {
                            return Ok(Self::#vname(v));
                        }
                        weak = weak.or(Some(Self::#vname(v)));
                    }
                }
            } else {
                try_member(&vname)
            }
        })
        .collect();
    (untagged, any_weak)
}

/// Decoding the value as one member, returned when it fits.
fn try_member(vname: &proc_macro2::Ident) -> TokenStream {
    quote! {
        if let Ok(v) = serde::Deserialize::deserialize(&value) {
            return Ok(Self::#vname(v));
        }
    }
}

/// A union's derives: `Serialize` (untagged) unless it is only received.
fn union_derives(serde: Serde) -> TokenStream {
    if serde == Serde::DeserializeOnly {
        let optional = other_direction(quote!(derive(serde::Serialize), serde(untagged)));
        quote!(#[derive(Debug, Clone, PartialEq)] #optional)
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)] #[serde(untagged)])
    }
}

/// Whether values of this shape decode into a catch-all variant rather
/// than fail (string enums, and unions without a raw-JSON member).
fn has_catch_all(shape: &crate::ir::Shape, ctx: &super::Context<'_>) -> bool {
    match &shape.kind {
        Kind::Named(n) => match ctx.types.get(n.as_str()).map(|d| &d.kind) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Union(u)) => !u.has_raw_json_member(),
            _ => false,
        },
        _ => false,
    }
}
