//! `src/runtime/auth.rs`: the one runtime file generated from the spec. It
//! tells the hand-written runtime (`credentials.rs`, `client.rs`) how this
//! API authenticates: its ways to authenticate in precedence order, their
//! environment variables, and a `Credentials` constructor for each.

use crate::ir::{Alternative, Auth, KeyLocation, SchemeKind, SecurityScheme};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The items of `src/runtime/auth.rs`.
pub fn file(auth: &Auth) -> Vec<TokenStream> {
    let env_base_url = &auth.env_base_url;
    let alternatives = auth.alternatives.iter().map(alternative);
    let ctors = auth
        .alternatives
        .iter()
        .enumerate()
        .map(|(i, a)| ctor(i, a));
    let import = if auth.alternatives.is_empty() {
        quote!(
            use super::credentials::Auth;
        )
    } else {
        quote!(
            use super::credentials::{Alternative, Auth, Credentials, Placement, Scheme, Secret};
        )
    };
    let head = quote! {
        //! How this API authenticates, from its security schemes (generated).

        #import
    };
    let base = quote! {
        /// The environment variable that overrides the base URL.
        pub const ENV_BASE_URL: &str = #env_base_url;
    };
    let table = quote! {
        /// The ways to authenticate, in precedence order: from the
        /// environment, the first whose variables are all set is used.
        pub static AUTH: Auth = Auth {
            alternatives: &[#(#alternatives),*],
        };
    };
    let mut items = vec![head, base, table];
    if !auth.alternatives.is_empty() {
        items.push(quote! {
            impl Credentials {
                #(#ctors)*
            }
        });
    }
    items
}

fn alternative(a: &Alternative) -> TokenStream {
    let schemes = a.schemes.iter().map(|s| {
        let name = &s.key;
        let placement = match &s.kind {
            SchemeKind::Bearer => quote!(Placement::Bearer),
            SchemeKind::Basic => quote!(Placement::Basic),
            SchemeKind::ApiKey { location, name } => match location {
                KeyLocation::Header => quote!(Placement::Header(#name)),
                KeyLocation::Query => quote!(Placement::Query(#name)),
                KeyLocation::Cookie => quote!(Placement::Cookie(#name)),
            },
        };
        let env = &s.env;
        quote!(Scheme { name: #name, placement: #placement, env: &[#(#env),*] })
    });
    quote!(Alternative { schemes: &[#(#schemes),*] })
}

/// Where a scheme's value goes, for the constructor's doc.
pub fn placement_text(s: &SecurityScheme) -> String {
    match &s.kind {
        SchemeKind::Bearer => "`Authorization: Bearer …`".to_string(),
        SchemeKind::Basic => "`Authorization: Basic …` (user and password)".to_string(),
        SchemeKind::ApiKey { location, name } => {
            // Only a query parameter's name may hold control characters.
            let name = super::types::inline_text(&name.replace('`', "'"));
            match location {
                KeyLocation::Header => format!("header `{name}`"),
                KeyLocation::Query => format!("query parameter `{name}`"),
                KeyLocation::Cookie => format!("cookie `{name}`"),
            }
        }
    }
}

fn ctor(index: usize, a: &Alternative) -> TokenStream {
    let name = a.ctor.to_ident();
    let index = Literal::usize_unsuffixed(index);
    let args: Vec<_> = a
        .schemes
        .iter()
        .flat_map(|s| s.args.iter().map(|a| a.to_ident()))
        .collect();
    let mut text = String::from("Credentials of ");
    let parts: Vec<String> = a
        .schemes
        .iter()
        .map(|s| {
            format!(
                "`{}` ({}; environment: `{}`)",
                s.key.replace('`', "'"),
                placement_text(s),
                s.env.join("`, `")
            )
        })
        .collect();
    text.push_str(&parts.join(" and "));
    text.push('.');
    for s in &a.schemes {
        if let Some(d) = &s.doc {
            text.push_str("\n\n");
            text.push_str(d.trim());
        }
    }
    let doc = super::types::doc(Some(&text));
    quote! {
        #doc
        pub fn #name(#(#args: impl Into<String>),*) -> Self {
            Credentials::new(#index, vec![#(Secret::new(#args)),*])
        }
    }
}
