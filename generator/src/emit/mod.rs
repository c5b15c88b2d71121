//! Emit: IR → the files of a standalone crate.
//!
//! Emitters read only the IR. Rust is built with `quote!` and formatted by
//! [`crate::format`]; the runtime is copied in verbatim.

mod client;
mod models;
mod runtime;
mod types;
mod validate;

use crate::diagnostics::Diagnostics;
use crate::ir::Api;
use crate::{format, Settings, GENERATED_MARKER};
use quote::quote;
use std::collections::BTreeMap;
use types::doc;

pub fn emit(api: &Api, settings: &Settings) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut diags = Diagnostics::default();
    let header = format!(
        "// {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.\n",
        settings.command, settings.spec_name
    );
    let mut rust = |path: &str, tokens: proc_macro2::TokenStream| match format::rust_file(
        tokens, &header, path,
    ) {
        Ok(text) => {
            files.insert(path.to_string(), text);
        }
        Err(msg) => diags.error("internal", "#", msg),
    };

    let types: Vec<&crate::ir::TypeDef> = api.types.iter().collect();
    let models = models::models(api, &types);
    rust(
        "src/models.rs",
        quote! {
            //! Models for every schema of the API, with `validate()` for their constraints.
            #models
        },
    );
    let client = client::client(api);
    rust("src/client.rs", client);
    rust("src/lib.rs", lib_rs(api));
    for (path, text) in runtime::files(&header) {
        files.insert(path, text);
    }
    files.insert("Cargo.toml".to_string(), cargo_toml(api, settings));
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(files)
    }
}

fn lib_rs(api: &Api) -> proc_macro2::TokenStream {
    let title = format!("{} (version {})", api.title, api.version);
    let title = doc(Some(&title));
    let description = doc(api.description.as_deref());
    let title = inner(title);
    let description = inner(description);
    quote! {
        #title
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = " Generated from the API's OpenAPI description: [`models`] holds a type"]
        #![doc = " per schema, [`Client`] a method per operation."]

        pub mod client;
        pub mod models;
        pub mod runtime;

        pub use runtime::{
            ApiMessage, Client, ClientBuilder, Credentials, Error, PageInfo, PagerConfig, RetryPolicy, Validate,
            ValidationErrors, Violation,
        };
    }
}

/// Turns outer `#[doc]` attributes into inner `#![doc]` ones for crate docs.
fn inner(outer: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Punct, Spacing, TokenTree};
    let mut out = proc_macro2::TokenStream::new();
    for tt in outer {
        let is_pound = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#');
        out.extend([tt]);
        if is_pound {
            out.extend([TokenTree::Punct(Punct::new('!', Spacing::Alone))]);
        }
    }
    out
}

fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let description = toml_string(&format!("Rust client and models for {}", api.title));
    format!(
        "# {GENERATED_MARKER} by `{command}` from `{spec}`. Do not edit by hand.\n\
         [package]\n\
         name = {name}\n\
         version = {version}\n\
         edition = \"2021\"\n\
         rust-version = \"1.80\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         {deps}",
        command = settings.command,
        spec = settings.spec_name,
        name = toml_string(&settings.package_name),
        version = toml_string(&settings.package_version),
        deps = runtime::dependencies(),
    )
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
