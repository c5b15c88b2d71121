//! A large API's validation crate, `crates/validation`: the runtime's
//! `Validate` trait and its checks (`validation.rs`, `pattern.rs` and
//! `number.rs`, carried as they are). With it each models crate implements
//! `Validate` for its own types, so rustc checks those impls in the
//! members, side by side, instead of all of them in the facade after every
//! member is done. The facade's `runtime::validation` and
//! `runtime::pattern` re-export the crate's modules, so every path a user
//! names stays the same.

use super::types::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// Its folder under `crates/` and its dependency key in every manifest (a
/// plain dependency, never optional, so never a feature's name).
pub const NAME: &str = "validation";

/// The carried runtime files it holds.
const HELD: &[&str] = &["number.rs", "pattern.rs", "validation.rs"];

/// The carried runtime files that the facade replaces by re-exports of the
/// crate's modules (`number.rs` stays: the runtime's encoders use it too).
pub const REEXPORTED: &[&str] = &["pattern", "validation"];

/// Whether the facade's file at `path` is one of [`REEXPORTED`], written
/// by [`reexport`] rather than carried.
pub fn replaces(path: &str) -> bool {
    REEXPORTED
        .iter()
        .any(|module| path.strip_prefix("src/runtime/") == Some(&format!("{module}.rs")))
}

/// Its package name: the facade's, then `-validation`.
fn package(facade: &str) -> String {
    format!("{facade}-{NAME}")
}

/// The `[dependencies]` line naming it, from a manifest whose folder is
/// `path` away from it (`crates/validation`, `../validation`).
pub fn dependency(facade: &str, path: &str) -> String {
    format!(
        "{NAME} = {{ package = {}, path = \"{path}\" }}\n",
        super::toml_string(&package(facade))
    )
}

/// Its manifest and carried files, into `files`; `header` is the Rust
/// files' first line.
pub fn files(header: &str, facade: &str, version: &str, files: &mut BTreeMap<String, String>) {
    let dir = format!("crates/{NAME}");
    let package_table = super::package_table(
        &package(facade),
        version,
        &format!("The validation runtime of `{facade}`, which re-exports it"),
    );
    files.insert(
        format!("{dir}/Cargo.toml"),
        format!(
            "{}{package_table}\n[dependencies]\n{}\n{}",
            header.replacen("//", "#", 1),
            super::runtime::validation_dependencies(),
            super::DOCS_RS_AND_LINTS,
        ),
    );
    for file in HELD {
        files.insert(
            format!("{dir}/src/{file}"),
            format!("{header}\n{}", super::runtime::carried(file)),
        );
    }
}

/// Its `lib.rs`: the carried modules, at the root, where they find each
/// other through `super::` as in the runtime.
pub fn lib(facade: &str) -> TokenStream {
    let docs = [
        format!(" The validation runtime of `{facade}`: the `Validate` trait, which its"),
        " models crates implement, and the checks. Depend on that crate, which".to_string(),
        " re-exports this one as `runtime::validation`, not on this one.".to_string(),
    ];
    let modules = HELD.iter().map(|file| ident(file.trim_end_matches(".rs")));
    quote! {
        #(#![doc = #docs])*

        #(pub mod #modules;)*
    }
}

/// The facade's `src/runtime/<module>.rs`: the crate's module re-exported.
pub fn reexport(module: &str) -> TokenStream {
    let doc = format!(
        " The runtime's `{module}` module, from the `{NAME}` member crate (the models \
         crates implement `Validate` for their own types)."
    );
    let (krate, module) = (ident(NAME), ident(module));
    quote! {
        #![doc = #doc]
        pub use ::#krate::#module::*;
    }
}
