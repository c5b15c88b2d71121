//! The client side of bodies that are not one JSON value: the struct of a
//! multipart body's parts and the code that sends it, and the return types
//! of streamed responses.

use super::types::{doc, ident, value_type, Models};
use super::validate::{member_check, shape_needs};
use crate::ir::{Body, Form, FormPart, Operation, PartKind, Presence, Response, Shape};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;

/// The type a multipart body is passed as: the operation's parts struct,
/// or the runtime's `Multipart` when the spec lists no parts.
pub fn multipart_type(body: &Body) -> TokenStream {
    match &body.form {
        Some(form) => {
            let name = ident(&form.type_name);
            quote!(#name)
        }
        None => quote!(crate::runtime::Multipart),
    }
}

/// A text or JSON part's shape as its field holds it: never null (an
/// optional part is an `Option`, and null is not sent).
fn part_shape(part: &FormPart) -> Shape {
    Shape {
        nullable: false,
        ..part.shape.clone()
    }
}

/// A part's value type, without the `Option` of an optional part.
fn part_type(part: &FormPart) -> TokenStream {
    match part.kind {
        PartKind::File => quote!(crate::runtime::FilePart),
        PartKind::Files => quote!(Vec<crate::runtime::FilePart>),
        PartKind::Text | PartKind::Json => value_type(&part_shape(part), false, Models::Qualified),
    }
}

/// Whether a part's value can violate its schema (files cannot).
fn part_validates(part: &FormPart, validating: &HashSet<String>) -> bool {
    matches!(part.kind, PartKind::Text | PartKind::Json)
        && shape_needs(&part_shape(part), validating)
}

/// Whether any part of the form can violate its schema.
pub fn form_validates(form: &Form, validating: &HashSet<String>) -> bool {
    form.parts.iter().any(|p| part_validates(p, validating))
}

/// The form's `Validate` impl (`None` when no part can violate anything):
/// each text or JSON part's checks, located at its name.
fn form_validate(form: &Form, validating: &HashSet<String>) -> Option<TokenStream> {
    if !form_validates(form, validating) {
        return None;
    }
    let name = ident(&form.type_name);
    let checks = form
        .parts
        .iter()
        .filter(|p| part_validates(p, validating))
        .map(|p| {
            let presence = if p.required {
                Presence::Required
            } else {
                Presence::Optional
            };
            member_check(&p.ident, &p.name, &part_shape(p), presence, validating)
        });
    Some(quote! {
        impl validation::Validate for #name {
            fn validate_at(&self, path: &validation::Path<'_>, out: &mut Vec<validation::Violation>) {
                #(#checks)*
            }
        }
    })
}

/// The struct holding a multipart body's parts (`None` without one), with
/// `Default` when every part is optional, and its `Validate` impl when a
/// part can violate its schema.
pub fn form_struct(op: &Operation, validating: &HashSet<String>) -> Option<TokenStream> {
    let form = op.body.as_ref()?.form.as_ref()?;
    let name = ident(&form.type_name);
    let struct_doc = format!(
        " The parts of the `multipart/form-data` body of [`Client::{}`].",
        op.fn_name.name
    );
    let fields = form.parts.iter().map(|part| {
        let f = part.ident.to_ident();
        let t = part_type(part);
        let d = doc(part.doc.as_deref());
        let wire = format!(
            " The part `{}`{}.",
            super::types::inline_text(&part.name.replace('`', "'")),
            match part.kind {
                PartKind::Files => " (one part per file)",
                PartKind::Json => " (sent as JSON)",
                _ => "",
            }
        );
        let t = if part.required || part.kind == PartKind::Files {
            t
        } else {
            quote!(Option<#t>)
        };
        let gap = (!d.is_empty()).then(|| quote!(#[doc = ""]));
        quote!(#d #gap #[doc = #wire] pub #f: #t,)
    });
    let default = form
        .parts
        .iter()
        .all(|p| !p.required)
        .then(|| quote!(Default,));
    let validate = form_validate(form, validating);
    Some(quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        #validate
    })
}

/// The statements that set a multipart body from `body`.
pub fn set_multipart(body: &Body) -> TokenStream {
    let Some(form) = &body.form else {
        return quote!(request = request.body(body.into_body()?););
    };
    let parts = form.parts.iter().map(|part| {
        let f = part.ident.to_ident();
        let wire = &part.name;
        let ct = match &part.content_type {
            Some(ct) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let add = match (part.kind, &part.content_type) {
            (PartKind::File | PartKind::Files, _) => quote!(form = form.file(#wire, value, #ct);),
            (PartKind::Json, _) => quote!(form = form.json(#wire, value, #ct)?;),
            (PartKind::Text, Some(ct)) => {
                quote!(form = form.text_as(#wire, crate::runtime::encode::text(value), #ct);)
            }
            (PartKind::Text, None) => {
                quote!(form = form.text(#wire, crate::runtime::encode::text(value));)
            }
        };
        match (part.kind, part.required) {
            (PartKind::Files, _) => quote!(for value in &body.#f { #add }),
            (_, true) => quote!({ let value = &body.#f; #add }),
            (_, false) => quote!(if let Some(value) = &body.#f { #add }),
        }
    });
    quote! {
        let mut form = crate::runtime::Multipart::new();
        #(#parts)*
        request = request.body(form.into_body()?);
    }
}

/// The result type and the runtime's `call_…` method of a streamed response (of no
/// response for any other).
pub fn streamed(response: &Response) -> (TokenStream, TokenStream) {
    let stream =
        |item: TokenStream| quote!(crate::runtime::pager::BoxStream<'static, Result<#item, Error>>);
    match response {
        Response::Events(None) => (stream(quote!(crate::runtime::Event)), quote!(call_events)),
        Response::Events(Some(shape)) => {
            let t = value_type(shape, false, Models::Qualified);
            (
                stream(quote!(crate::runtime::Event<#t>)),
                quote!(call_events_json),
            )
        }
        Response::JsonLines(shape) => {
            let t = value_type(shape, false, Models::Qualified);
            (stream(t), quote!(call_json_lines))
        }
        _ => (quote!(()), quote!(call_empty)),
    }
}

/// For a binary response, the method returning it as a stream of chunks:
/// the operation's arguments, `attrs` and request `build`ing, then
/// `call_byte_stream`.
pub fn byte_stream_method(
    op: &Operation,
    args: &[TokenStream],
    attrs: &TokenStream,
    build: &TokenStream,
) -> Option<TokenStream> {
    let stream_fn = op.bytes_stream_fn.as_ref()?.to_ident();
    let call_body = super::client::call_body(&quote!(call_byte_stream), build);
    let d = format!(
        " [`Client::{}`] with the response body as a stream of chunks, for large downloads (the body cap and timeout still apply: raise them with [`Client::with_options`]).",
        op.fn_name.name
    );
    Some(quote! {
        #[doc = #d]
        #attrs
        pub fn #stream_fn(&self, #(#args),*) -> Call<'_, crate::runtime::ByteStream> {
            #call_body
        }
    })
}
