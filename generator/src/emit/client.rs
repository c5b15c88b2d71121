//! The client: one method per operation, returning the runtime's `Call`, and its optional parameters
//! in a `…Params` struct (the streams of V4-paginated list operations are
//! in [`super::pager`]).

use super::types::{doc, ident, value_type, Models};
use super::validate::{delegates, located, shape_needs, Value};
use crate::ir::{
    Api, Body, Kind, Media, Operation, Param, ParamLocation, PathSegment, Response, Shape,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;

/// The operation methods (and their types) of one module, in order: the
/// imports, then one token stream per operation.
pub fn operations(ops: &[&Operation], validating: &HashSet<String>) -> Vec<TokenStream> {
    let ops: Vec<TokenStream> = ops.iter().map(|op| operation(op, validating)).collect();
    // What the operations use, to import only that (read from their
    // tokens, one item at a time, no look further once all are found).
    let (mut uses_models, mut uses_validation, mut uses_validate) = (false, false, false);
    let mut uses_error = false;
    for op in &ops {
        if uses_models && uses_validation && uses_validate {
            break;
        }
        uses_models |= super::paths::uses_path_root(op, "models");
        uses_validation |= super::paths::uses_path_root(op, "validation");
        uses_validate |= super::paths::uses_method(op, "validate_at");
        uses_error = uses_error || super::paths::uses_name(op, "Error");
    }
    let models_import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let validation_import = match (uses_validation, uses_validate) {
        (true, true) => quote!(
            use crate::runtime::validation::{self, Validate};
        ),
        (true, false) => quote!(
            use crate::runtime::validation;
        ),
        (false, true) => quote!(
            use crate::runtime::validation::Validate;
        ),
        (false, false) => quote!(),
    };
    let error_import = uses_error.then(|| quote!(Error,));
    let request_import = (!ops.is_empty()).then(|| {
        quote!(
            use crate::runtime::{Call, Client, #error_import Request};
        )
    });
    let mut chunks = Vec::with_capacity(ops.len() + 1);
    chunks.push(quote! {
        #models_import
        #request_import
        #validation_import
    });
    chunks.extend(ops);
    chunks
}

/// The client's constructors and the spec's base URL.
pub fn base(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let auth = &api.auth;
    let module_doc = super::inner(super::types::doc(Some(&module_doc(auth))));
    let env_base_url = &auth.env_base_url;
    let from_env_doc = format!(
        " A client with credentials from the environment (the first of the ways listed in the [module docs](self) whose variables are all set); `{}` overrides [`DEFAULT_BASE_URL`].",
        env_base_url
    );
    let new = if auth.alternatives.is_empty() {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`] (the API needs no credentials).
            pub fn new() -> Result<Self, crate::runtime::Error> {
                crate::runtime::ClientBuilder::new(DEFAULT_BASE_URL).build()
            }
        }
    } else {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`] with these credentials.
            pub fn new(credentials: crate::runtime::Credentials) -> Result<Self, crate::runtime::Error> {
                crate::runtime::ClientBuilder::new(DEFAULT_BASE_URL).credentials(credentials).build()
            }
        }
    };
    quote! {
        #module_doc

        /// The base URL the API description names (its first server).
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl crate::runtime::Client {
            #new

            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Self, crate::runtime::Error> {
                crate::runtime::ClientBuilder::from_env(DEFAULT_BASE_URL).build()
            }
        }
    }
}

/// The client module's doc: one method per operation, and how requests
/// authenticate.
fn module_doc(auth: &crate::ir::Auth) -> String {
    format!(
        "One method on the [client](crate::Client) per operation of the API.\n\n# Credentials\n\n{}",
        credentials_text(auth)
    )
}

/// How the client authenticates, from the spec's security schemes (the
/// one text the client module and the crate guide both show).
pub fn credentials_text(auth: &crate::ir::Auth) -> String {
    if auth.alternatives.is_empty() {
        return "The API declares no security requirements: requests carry no credentials.".into();
    }
    let mut text = String::from(
        "Ways to authenticate, in precedence order (a bearer token first, then HTTP basic, then API keys; ties in the order the spec lists them). [`Client::from_env`](crate::Client::from_env) uses the first whose environment variables are all set and ignores the others, so ways never mix:\n\n",
    );
    for a in &auth.alternatives {
        let schemes: Vec<String> = a
            .schemes
            .iter()
            .map(|s| {
                format!(
                    "{} from `{}`",
                    super::auth::placement_text(s),
                    s.env.join("` and `")
                )
            })
            .collect();
        text.push_str(&format!(
            "- [`Credentials::{}`](crate::Credentials::{}): {}\n",
            a.ctor.name,
            a.ctor.name,
            schemes.join(", ")
        ));
    }
    text.push_str(&format!(
        "\nThe chosen credentials go with every operation that has a security requirement; operations whose spec says `security: []` are sent without any. `{}` overrides the base URL.",
        auth.env_base_url
    ));
    text
}

/// Whether [`arg_type`] takes the value by reference (`&T` or
/// `Option<&T>`): everything but numbers and booleans.
pub(super) fn arg_is_borrowed(shape: &Shape) -> bool {
    !matches!(
        shape.kind,
        Kind::Integer { .. } | Kind::Number | Kind::Boolean
    )
}

/// How a required parameter is passed to the method.
/// Scalars go by value (strings as `&str`, even through a `type` alias),
/// everything else by reference.
pub(super) fn arg_type(shape: &Shape) -> TokenStream {
    let plain = Shape {
        alias: None,
        nullable: false,
        ..shape.clone()
    };
    let t = match &shape.kind {
        Kind::String => quote!(&str),
        Kind::Integer { .. } | Kind::Number | Kind::Boolean => {
            value_type(&plain, false, Models::Qualified)
        }
        Kind::Array(item) if shape.alias.is_none() => {
            let t = value_type(item, false, Models::Qualified);
            quote!(&[#t])
        }
        _ => {
            let t = value_type(
                &Shape {
                    nullable: false,
                    ..shape.clone()
                },
                false,
                Models::Qualified,
            );
            quote!(&#t)
        }
    };
    if shape.is_option() {
        quote!(Option<#t>)
    } else {
        t
    }
}

/// One operation's method and what comes with it: its `…Params` struct, its
/// form type, its byte-stream variant and its pagers.
fn operation(op: &Operation, validating: &HashSet<String>) -> TokenStream {
    let fn_name = op.fn_name.to_ident();
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let has_params_struct = !optional.is_empty();
    let args = method_args(op, &required, has_params_struct);
    let (ret, call) = response_call(&op.response);

    let docs = op_doc(op);
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let params_struct = has_params_struct.then(|| params_struct(op, &optional));
    let pager = op
        .pagination
        .as_ref()
        .map(|p| super::pager::pager(op, p, &required));
    let form_struct = super::bodies::form_struct(op, validating);
    let build = request_build(op, validating);
    let call_body = call_body(&call, &build);
    let attrs = quote!(#too_many #deprecated);
    let bytes_stream = super::bodies::byte_stream_method(op, &args, &attrs, &build);

    quote! {
        #params_struct

        #form_struct

        impl Client {
            #docs
            #too_many
            #deprecated
            pub fn #fn_name(&self, #(#args),*) -> Call<'_, #ret> {
                #call_body
            }

            #bytes_stream
        }

        #pager
    }
}

/// The method's arguments: the required parameters, then the body, then
/// `params` when the operation has optional parameters.
fn method_args(op: &Operation, required: &[&Param], has_params_struct: bool) -> Vec<TokenStream> {
    let mut args = Vec::new();
    for p in required {
        let name = p.ident.to_ident();
        let t = arg_type(&p.shape);
        args.push(quote!(#name: #t));
    }
    args.extend(op.body.as_ref().map(body_arg));
    if has_params_struct {
        let params_type = ident(&op.params_type);
        args.push(quote!(params: &#params_type));
    }
    args
}

/// The `body` argument: bytes, text, the parts of a multipart body or a
/// reference to the model, in an `Option` when the body is optional.
fn body_arg(b: &Body) -> TokenStream {
    let t = match b.media {
        Media::Bytes => quote!(Vec<u8>),
        Media::Text => quote!(&str),
        Media::Multipart => super::bodies::multipart_type(b),
        _ => {
            let t = value_type(&b.shape, false, Models::Qualified);
            quote!(&#t)
        }
    };
    if b.required {
        quote!(body: #t)
    } else {
        quote!(body: Option<#t>)
    }
}

/// A method's body: the runtime's `call` method (`call_json`, …) given a
/// closure that runs `build` and returns the request.
pub fn call_body(call: &TokenStream, build: &TokenStream) -> TokenStream {
    quote! {
        self.#call(|| {
            #build
            Ok(request)
        })
    }
}

/// The method body before the sending call: the checks, then the request
/// built from the path, the parameters and the body.
fn request_build(op: &Operation, validating: &HashSet<String>) -> TokenStream {
    let validation = validation(op, validating);
    let path = request_path(op);
    let method = method(&op.method);
    let params_to_request = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(param_to_request);
    let body = op.body.as_ref().map(set_body);
    let anonymous = (!op.authenticated).then(|| quote!(request = request.without_credentials();));
    let mut_request = (op.params.iter().any(|p| p.location != ParamLocation::Path)
        || op.body.is_some()
        || !op.authenticated)
        .then(|| quote!(mut));
    quote! {
        #validation
        let path = #path;
        let #mut_request request = Request::new(#method, path);
        #(#params_to_request)*
        #body
        #anonymous
    }
}

/// The checks run before any I/O, and the early return with the
/// violations they find; `None` when no argument can violate anything.
fn validation(op: &Operation, validating: &HashSet<String>) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| shape_needs(&p.shape, validating))
        .map(|p| param_check(p, validating))
        .collect();
    let body_check = op.body.as_ref().and_then(|b| body_check(b, validating));
    (!checks.is_empty() || body_check.is_some()).then(|| {
        quote! {
            let out = &mut Vec::new();
            let root = validation::Path::Root;
            #(#checks)*
            #body_check
            if !out.is_empty() {
                return Err(Error::InvalidParameters(std::mem::take(out)));
            }
        }
    })
}

/// The checks on one parameter, reached as it is passed: by value or by
/// reference when required, through `params` when optional, and only
/// when present.
fn param_check(p: &Param, validating: &HashSet<String>) -> TokenStream {
    let name = p.ident.to_ident();
    let wire = &p.name;
    let at = quote!(root.field(#wire));
    if delegates(&p.shape, validating) {
        return if p.required {
            quote!(#name.validate_at(&#at, out);)
        } else {
            quote!(params.#name.validate_at(&#at, out);)
        };
    }
    let nullable = p.shape.is_option();
    let scalar = !arg_is_borrowed(&p.shape);
    if p.required && !nullable {
        // Scalars are taken by value, everything else by reference.
        let value = if scalar {
            Value::place(quote!(#name))
        } else {
            Value::reference(quote!(#name))
        };
        return match located(&p.shape, validating, &value, &at) {
            (check, false) => check,
            (check, true) => quote!({ #check }),
        };
    }
    let (check, _) = located(&p.shape, validating, &Value::binding(), &at);
    match (p.required, &p.shape.kind, nullable) {
        (true, _, false) => check,
        (true, _, true) if scalar => quote!(if let Some(value) = &#name { #check }),
        (true, _, true) => quote!(if let Some(value) = #name { #check }),
        (false, _, false) => quote!(if let Some(value) = &params.#name { #check }),
        (false, _, true) => quote!(if let Some(Some(value)) = &params.#name { #check }),
    }
}

/// The checks on the body, located at `body` and only when it is there
/// (`None` when it cannot violate anything). A multipart body's parts are
/// checked by its form's `Validate` impl; raw bytes are not checked.
fn body_check(b: &Body, validating: &HashSet<String>) -> Option<TokenStream> {
    let delegated = quote!(body.validate_at(&root.field("body"), out););
    match b.media {
        Media::Bytes => return None,
        Media::Multipart => {
            let form = b.form.as_ref()?;
            return super::bodies::form_validates(form, validating).then_some(delegated);
        }
        _ if !shape_needs(&b.shape, validating) => return None,
        _ if delegates(&b.shape, validating) => return Some(delegated),
        _ => {}
    }
    let nullable = b.shape.is_option();
    let at = quote!(root.field("body"));
    if b.required && !nullable {
        return Some(
            match located(&b.shape, validating, &Value::reference(quote!(body)), &at) {
                (check, false) => check,
                (check, true) => quote!({ #check }),
            },
        );
    }
    let (check, _) = located(&b.shape, validating, &Value::binding(), &at);
    Some(match (b.required, nullable) {
        (true, false) => check,
        (true, true) | (false, false) => quote!(if let Some(value) = body { #check }),
        (false, true) => quote!(if let Some(Some(value)) = body { #check }),
    })
}

/// The request's path: a literal when it has no parameters, else its
/// template formatted with each parameter encoded in its place.
fn request_path(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut path_args = Vec::new();
    for segment in &op.segments {
        match segment {
            // A literal brace in a format string is written twice.
            PathSegment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(i) => {
                let p = &op.params[*i];
                let name = p.ident.to_ident();
                let wire = &p.name;
                let text = match &p.shape.kind {
                    Kind::String if !p.shape.nullable => quote!(#name),
                    _ => quote!(&crate::runtime::encode::text(&#name)),
                };
                template.push_str("{}");
                path_args.push(quote!(crate::runtime::path_param(#wire, #text)?));
            }
        }
    }
    if path_args.is_empty() {
        let text: String = op
            .segments
            .iter()
            .map(|s| match s {
                PathSegment::Literal(text) => text.as_str(),
                PathSegment::Param(_) => "",
            })
            .collect();
        quote!(#text)
    } else {
        quote!(format!(#template, #(#path_args),*))
    }
}

/// How a query, header or cookie parameter goes on the request (nothing
/// for an absent or null one).
fn param_to_request(p: &Param) -> TokenStream {
    if p.location == ParamLocation::Query {
        return query_param(p);
    }
    let name = p.ident.to_ident();
    let wire = &p.name;
    // Headers and cookies: arrays are comma-separated (`simple`,
    // and `form` unexploded for cookies).
    let add = match p.location {
        ParamLocation::Cookie => quote!(cookie),
        _ => quote!(header),
    };
    let set = if matches!(p.shape.kind, Kind::Array(_)) {
        quote! {
            let joined: Vec<String> = value.iter().map(crate::runtime::encode::text).collect();
            request = request.#add(#wire, joined.join(","));
        }
    } else {
        quote!(request = request.#add(#wire, crate::runtime::encode::text(value));)
    };
    match (p.required, p.shape.is_option()) {
        (true, false) => quote!({ let value = &#name; #set }),
        (true, true) => quote!(if let Some(value) = &#name { #set }),
        (false, false) => quote!(if let Some(value) = &params.#name { #set }),
        (false, true) => quote!(if let Some(Some(value)) = &params.#name { #set }),
    }
}

/// A query parameter's values, added as an iterator: nothing for an absent
/// or null parameter, each item of an array (`form`, exploded: the name
/// repeats).
fn query_param(p: &Param) -> TokenStream {
    let name = p.ident.to_ident();
    let wire = &p.name;
    let nullable = p.shape.is_option();
    let array = matches!(p.shape.kind, Kind::Array(_));
    let values = match (p.required, nullable, array) {
        (true, false, false) => quote!([#name]),
        (true, false, true) | (true, true, false) => quote!(#name),
        (true, true, true) => quote!(#name.into_iter().flatten()),
        (false, false, false) => quote!(params.#name.iter()),
        (false, false, true) | (false, true, false) => {
            quote!(params.#name.iter().flatten())
        }
        (false, true, true) => quote!(params.#name.iter().flatten().flatten()),
    };
    quote!(request = request.query_each(#wire, #values);)
}

/// How the body goes on the request, by media type; an optional body
/// only when given.
fn set_body(b: &Body) -> TokenStream {
    let set = match b.media {
        Media::Json => quote!(request = request.body(crate::runtime::Body::json(body)?);),
        Media::Form => quote!(request = request.body(crate::runtime::encode::form(body)?);),
        Media::Bytes => {
            let ct = &b.content_type;
            quote!(request = request.body(crate::runtime::Body::Bytes { content_type: #ct.to_string(), data: body });)
        }
        Media::Text => {
            let ct = &b.content_type;
            quote!(request = request.body(crate::runtime::Body::Bytes { content_type: #ct.to_string(), data: body.as_bytes().to_vec() });)
        }
        Media::Multipart => super::bodies::set_multipart(b),
    };
    if b.required {
        set
    } else {
        quote!(if let Some(body) = body { #set })
    }
}

/// The method's result type and the runtime's `call_…` method that sends
/// the request and reads the response as that type.
fn response_call(response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::Json(shape) => (
            value_type(shape, false, Models::Qualified),
            quote!(call_json),
        ),
        Response::Text => (quote!(String), quote!(call_text)),
        Response::Bytes => (quote!(Vec<u8>), quote!(call_bytes)),
        Response::Empty => (quote!(()), quote!(call_empty)),
        Response::Events(_) | Response::JsonLines(_) => super::bodies::streamed(response),
    }
}

/// The request's method: `reqwest`'s constant for 3.0's eight, else one
/// made from its name (`QUERY`, an `additionalOperations` key), which the
/// loader checked is an HTTP token.
fn method(name: &str) -> TokenStream {
    let known = [
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
    ];
    if known.contains(&name) {
        let m = ident(name);
        return quote!(crate::runtime::Method::#m);
    }
    let bytes = proc_macro2::Literal::byte_string(name.as_bytes());
    quote! {
        crate::runtime::Method::from_bytes(#bytes).map_err(|e| Error::InvalidRequest {
            message: e.to_string(),
        })?
    }
}

/// A method's doc comment: the summary, the description when it says more,
/// the method and path, and a line per documented required parameter.
fn op_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(s) = &op.summary {
        text.push_str(s.trim());
        text.push_str("\n\n");
    }
    if let Some(d) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
            text.push_str(d.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`)",
        op.method,
        op.path.replace('`', "'"),
        op.id.replace('`', "'")
    ));
    let docs = doc(Some(&text));
    let params: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required && p.doc.is_some())
        .map(|p| {
            let line = format!(
                "- `{}`: {}",
                p.ident.name,
                p.doc.as_deref().unwrap_or("").replace('\n', " ")
            );
            doc(Some(&line))
        })
        .collect();
    if params.is_empty() {
        docs
    } else {
        quote!(#docs #[doc = ""] #(#params)*)
    }
}

/// The `…Params` struct of an operation's optional parameters, with a
/// builder method per parameter.
fn params_struct(op: &Operation, optional: &[&Param]) -> TokenStream {
    let name = ident(&op.params_type);
    let struct_doc = format!(" Optional parameters of [`Client::{}`].", op.fn_name.name);
    let fields = optional.iter().map(|p| {
        let f = p.ident.to_ident();
        let t = value_type(&p.shape, false, Models::Qualified);
        let d = doc(p.doc.as_deref());
        quote!(#d pub #f: Option<#t>,)
    });
    let setters = optional.iter().map(|p| {
        let f = p.ident.to_ident();
        let t = value_type(&p.shape, false, Models::Qualified);
        let d = format!(
            " Sets `{}`.",
            super::types::inline_text(&p.name.replace('`', "'"))
        );
        quote! {
            #[doc = #d]
            pub fn #f(mut self, value: impl Into<#t>) -> Self {
                self.#f = Some(value.into());
                self
            }
        }
    });
    quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#setters)*
        }
    }
}
