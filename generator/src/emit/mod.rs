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
use crate::ir::{Api, Operation, TypeDef};
use crate::naming;
use crate::{format, Settings, GENERATED_MARKER};
use quote::quote;
use std::collections::BTreeMap;
use types::doc;

pub fn emit(api: &Api, settings: &Settings) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut diags = Diagnostics::default();
    let header = format!(
        "// {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.\n",
        one_line(&settings.command), one_line(&settings.spec_name)
    );
    let mut rust = |path: &str, tokens: proc_macro2::TokenStream| match format::rust_file(
        tokens, &header, path,
    ) {
        Ok(text) => {
            files.insert(path.to_string(), text);
        }
        Err(msg) => diags.error("internal", "#", msg),
    };

    let ctx = Context {
        validating: validate::validating_types(api),
        pages: api
            .operations
            .iter()
            .filter_map(|op| op.pagination.as_ref())
            .map(|p| (p.page_type.as_str(), p))
            .collect(),
        types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
    };
    let split = api.types.len() + api.operations.len() > SPLIT_THRESHOLD;
    if split {
        // Large APIs: one file per group, re-exported so every model is
        // still `models::X` and every method still on `Client`.
        let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
        for def in &api.types {
            groups.entry(naming::module_name(naming::first_word(&def.name))).or_default().push(def);
        }
        let names: Vec<&String> = groups.keys().collect();
        let mods = module_decls(&names);
        rust("src/models/mod.rs", quote! {
            //! Models for every schema of the API, with `validate()` for their
            //! constraints, in one module per name prefix and re-exported here.
            #mods
        });
        for (name, defs) in &groups {
            let items = models::module(defs, &ctx, true);
            rust(&format!("src/models/{name}.rs"), items);
        }
        let mut op_groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
        for op in &api.operations {
            let key = op.tags.first().map(String::as_str).unwrap_or("untagged");
            op_groups.entry(naming::module_name(key)).or_default().push(op);
        }
        let names: Vec<&String> = op_groups.keys().collect();
        // Only modules with `…Params` structs have anything to re-export.
        let exported: Vec<&String> = op_groups
            .iter()
            .filter(|(_, ops)| ops.iter().any(|op| op.params.iter().any(|p| !p.required)))
            .map(|(name, _)| name)
            .collect();
        let mods = module_decls_some(&names, &exported);
        let base = client::base(api);
        rust("src/client/mod.rs", quote!(#base #mods));
        for (name, ops) in &op_groups {
            rust(&format!("src/client/{name}.rs"), client::operations(ops, &ctx.validating));
        }
    } else {
        let types: Vec<&TypeDef> = api.types.iter().collect();
        let models = models::module(&types, &ctx, false);
        rust("src/models.rs", quote! {
            //! Models for every schema of the API, with `validate()` for their constraints.
            #models
        });
        let ops: Vec<&Operation> = api.operations.iter().collect();
        let base = client::base(api);
        let ops = client::operations(&ops, &ctx.validating);
        rust("src/client.rs", quote!(#base #ops));
    }
    rust("src/lib.rs", lib_rs(api));
    for (path, text) in runtime::files(&header) {
        files.insert(path, text);
    }
    files.insert("Cargo.toml".to_string(), cargo_toml(api, settings));
    files.insert(
        "rustfmt.toml".to_string(),
        format!(
            "# {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.\n\
             # The generator formats this crate itself; rustfmt leaves it alone so\n\
             # that regenerating never shows formatting-only diffs.\n\
             disable_all_formatting = true\n",
            one_line(&settings.command), one_line(&settings.spec_name)
        ),
    );
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(files)
    }
}

/// Above this many types and operations, models and methods are split into
/// one file per group.
const SPLIT_THRESHOLD: usize = 400;

/// `mod a; mod b; pub use self::a::*; …`
fn module_decls(names: &[&String]) -> proc_macro2::TokenStream {
    module_decls_some(names, names)
}

/// Declares every module in `names`, re-exporting those in `exported`.
fn module_decls_some(names: &[&String], exported: &[&String]) -> proc_macro2::TokenStream {
    let idents: Vec<proc_macro2::Ident> = names.iter().map(|n| types::ident(n)).collect();
    let exported: Vec<proc_macro2::Ident> = exported.iter().map(|n| types::ident(n)).collect();
    quote! {
        #(mod #idents;)*
        #(pub use self::#exported::*;)*
    }
}

/// What every emitter needs to know about the whole API.
pub struct Context<'a> {
    /// Types whose `validate()` can report something.
    pub validating: std::collections::HashSet<String>,
    /// Envelope type name → the pagination it serves.
    pub pages: std::collections::HashMap<&'a str, &'a crate::ir::Pagination>,
    /// Every type by name.
    pub types: std::collections::HashMap<&'a str, &'a TypeDef>,
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
    // Cargo passes the description to rustc in an environment variable,
    // which cannot hold a NUL: one line, no control characters.
    let description = toml_string(&one_line(&format!("Rust client and models for {}", api.title)));
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
         {deps}\n\
         # For examples and tests: an async runtime to drive the client.\n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        command = one_line(&settings.command),
        spec = one_line(&settings.spec_name),
        name = toml_string(&settings.package_name),
        version = toml_string(&settings.package_version),
        deps = runtime::dependencies(),
    )
}

/// Text for a one-line comment: control characters (a newline would end
/// the comment and let the rest become code) are replaced.
fn one_line(text: &str) -> String {
    text.chars()
        .filter(|c| !types::is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
