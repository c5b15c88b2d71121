//! V4 pagination: the `V4Page` impl of a paginated operation's envelope
//! type, and the client's two streams over its pages and their items.

use super::client::{arg_is_borrowed, arg_type};
use super::types::{ident, value_type, Models};
use crate::ir::{Kind, Operation, Pagination, Param, Presence};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `V4Page` for a paginated operation's envelope type, emitted once per
/// type beside the type itself.
pub fn page_impl(p: &Pagination) -> TokenStream {
    let page_type = ident(&p.page_type);
    let item = value_type(&p.item, false, Models::Here);
    let result = p.result_field.to_ident();
    let items = match p.result_presence {
        Presence::Required => quote!(self.#result),
        Presence::RequiredNullable | Presence::Optional => quote!(self.#result.unwrap_or_default()),
        Presence::OptionalNullable => quote!(self.#result.flatten().unwrap_or_default()),
    };
    let info = p.result_info.as_ref().map(|ri| {
        let field = ri.field.to_ident();
        let counters = ri.counters.iter().map(|(counter, f, presence)| {
            let key = ident(counter);
            let f = f.to_ident();
            let value = as_option(quote!(info.#f), *presence);
            quote!(#key: #value.and_then(|v| u64::try_from(v).ok()),)
        });
        let rest = (ri.counters.len() < 5).then(|| quote!(..Default::default()));
        let build = quote!(crate::runtime::PageInfo { #(#counters)* #rest });
        let binding = if ri.counters.is_empty() {
            quote!(_)
        } else {
            quote!(info)
        };
        let info = as_option(quote!(self.#field), ri.presence);
        quote!(#info.map(|#binding| #build))
    });
    let info = info.unwrap_or_else(|| quote!(None));
    quote! {
        impl crate::runtime::V4Page for #page_type {
            type Item = #item;

            fn into_parts(self) -> (Vec<Self::Item>, Option<crate::runtime::PageInfo>) {
                let info = #info;
                (#items, info)
            }
        }
    }
}

/// A field's value as an `Option<T>` expression, whatever its presence.
fn as_option(expr: TokenStream, presence: Presence) -> TokenStream {
    match presence {
        Presence::Required => quote!(Some(#expr)),
        Presence::RequiredNullable | Presence::Optional => expr,
        Presence::OptionalNullable => quote!(#expr.flatten()),
    }
}

/// The required arguments of a pager, as each piece of it uses them.
/// Required parameters are moved into the stream as owned values.
#[derive(Default)]
struct PagerArgs {
    /// The pager's own arguments, typed as the operation takes them.
    args: Vec<TokenStream>,
    /// Owned copies of the borrowed ones, made before the stream starts.
    owned: Vec<TokenStream>,
    /// Each page's clones of those copies.
    clones: Vec<TokenStream>,
    /// The arguments of each page's call of the operation.
    call_args: Vec<TokenStream>,
    /// The arguments passed on unchanged (from the item stream to the
    /// page stream).
    plain_args: Vec<TokenStream>,
}

/// The pieces of [`PagerArgs`] for the operation's required parameters:
/// values taken by reference are owned and cloned, the rest copied.
fn pager_args(required: &[&Param]) -> PagerArgs {
    let mut a = PagerArgs::default();
    for param in required {
        let name = param.ident.to_ident();
        let t = arg_type(&param.shape);
        a.args.push(quote!(#name: #t));
        a.plain_args.push(quote!(#name));
        let borrowed = arg_is_borrowed(&param.shape);
        let nullable = param.shape.is_option();
        if borrowed && !nullable {
            a.owned.push(quote!(let #name = #name.to_owned();));
            a.clones.push(quote!(let #name = #name.clone();));
            a.call_args.push(quote!(&#name));
        } else if borrowed {
            // `Option<&T>`: moved into the stream as `Option<T::Owned>`.
            a.owned
                .push(quote!(let #name = #name.map(ToOwned::to_owned);));
            a.clones.push(quote!(let #name = #name.clone();));
            let deref = matches!(param.shape.kind, Kind::String)
                || (matches!(param.shape.kind, Kind::Array(_)) && param.shape.alias.is_none());
            a.call_args.push(if deref {
                quote!(#name.as_deref())
            } else {
                quote!(#name.as_ref())
            });
        } else {
            a.call_args.push(quote!(#name));
        }
    }
    a
}

/// A page or page-size parameter of `params` as an `Option<u64>`: `None`
/// when absent or no whole, positive number.
fn as_u64(param: &Param) -> TokenStream {
    let f = param.ident.to_ident();
    match param.shape.kind {
        // A page number given as a JSON number: whole and positive only.
        Kind::Number => {
            quote!(params.#f.filter(|v| v.fract() == 0.0 && *v >= 0.0).map(|v| v as u64))
        }
        _ => quote!(params.#f.and_then(|v| u64::try_from(v).ok())),
    }
}

/// `page_number` (a `u64`) as the page parameter's type, saturating.
fn page_value(param: &Param) -> TokenStream {
    match param.shape.kind {
        Kind::Integer { bits: 32 } => quote!(i32::try_from(page_number).unwrap_or(i32::MAX)),
        Kind::Number => quote!(page_number as f64),
        _ => quote!(i64::try_from(page_number).unwrap_or(i64::MAX)),
    }
}

/// The page size the spec defaults to, as an `Option<u64>` expression.
fn default_per_page(p: &Pagination) -> TokenStream {
    match p.default_per_page.and_then(|d| u64::try_from(d).ok()) {
        Some(d) => {
            let d = Literal::u64_unsuffixed(d);
            quote!(Some(#d))
        }
        None => quote!(None),
    }
}

/// A paginated operation's two client methods: the stream of its pages,
/// and the stream of their items.
pub(super) fn pager(op: &Operation, p: &Pagination, required: &[&Param]) -> TokenStream {
    // A deprecated operation's pagers are deprecated too, and may call it.
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let item = value_type(&p.item, false, Models::Qualified);
    let fn_name = op.fn_name.to_ident();
    let pages_fn = p.pages_fn.to_ident();
    let stream_fn = p.stream_fn.to_ident();
    let params_type = ident(&op.params_type);
    let page_field = op.params[p.page_param].ident.to_ident();
    let default_per_page = default_per_page(p);
    let PagerArgs {
        args,
        owned,
        clones,
        call_args,
        plain_args,
    } = pager_args(required);
    let page_start = as_u64(&op.params[p.page_param]);
    let per_page_start = as_u64(&op.params[p.per_page_param]);
    let page_value = page_value(&op.params[p.page_param]);
    let pages_doc = format!(
        " Every page of [`Client::{}`], requested one after another from `params.page` (or 1) until `result_info.total_pages` is reached, or a page comes back short or empty; never a page past `total_pages`. Stops with [`Error::TooManyPages`] at the client's page cap.",
        op.fn_name.name
    );
    let stream_doc = format!(
        " Every item of every page of [`Client::{}`] (see [`Client::{}`]).",
        op.fn_name.name, p.pages_fn.name
    );
    // `self`, the required parameters and `params`.
    let too_many = (required.len() > 5).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl Client {
            #[doc = #pages_doc]
            #deprecated
            #too_many
            pub fn #pages_fn(
                &self,
                #(#args,)*
                params: &#params_type,
            ) -> crate::runtime::pager::BoxStream<'static, Result<crate::runtime::Page<#item>, Error>> {
                let start = #page_start;
                // A `page` that is no page number is sent as given, so the
                // first request reports it (and nothing is fetched).
                let keep_page = params.#page_field.is_some() && start.is_none();
                let spec = crate::runtime::PageSpec::new(start, #per_page_start, #default_per_page);
                let client = self.clone();
                let params = params.clone();
                #(#owned)*
                crate::runtime::pager::pages(spec, self.pager_config(), move |page_number| {
                    let client = client.clone();
                    let mut params = params.clone();
                    if !keep_page {
                        params.#page_field = Some(#page_value);
                    }
                    #(#clones)*
                    async move { client.#fn_name(#(#call_args,)* &params).await }
                })
            }

            #[doc = #stream_doc]
            #deprecated
            #too_many
            pub fn #stream_fn(
                &self,
                #(#args,)*
                params: &#params_type,
            ) -> crate::runtime::pager::BoxStream<'static, Result<#item, Error>> {
                crate::runtime::pager::flatten(self.#pages_fn(#(#plain_args,)* params))
            }
        }
    }
}
