//! An OpenAPI 3.0 to Rust code generator.
//!
//! The pipeline is one pure function, [`generate`]: spec text in, crate files
//! and diagnostics out. It reads no files and writes none; `xtask` does the IO.
//!
//! ```text
//! load (text → JSON value → normalised → openapiv3)
//!   → resolve (local $refs, type ids)
//!   → ir (types and operations, sorted, named)
//!   → emit (quote! token streams)
//!   → format (prettyplease)
//!   → files
//! ```

pub mod diagnostics;
mod emit;
mod format;
pub mod ir;
mod load;
pub mod naming;
mod resolve;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

/// What to generate and how to label it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cargo package name of the generated crate, e.g. `cloudflare-ai-gateway`.
    pub package_name: String,
    /// Version written into the generated `Cargo.toml`.
    pub package_version: String,
    /// The spec's file name as shown in generated headers (no absolute paths:
    /// the header must not change from machine to machine).
    pub spec_name: String,
    /// The command that regenerates the output, shown in generated headers.
    pub command: String,
    /// Only operations carrying one of these tags (empty: no tag filter).
    pub tags: Vec<String>,
    /// Only operations with one of these operation ids (empty: no id filter).
    pub operations: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            package_name: "generated-api".into(),
            package_version: "0.1.0".into(),
            spec_name: "openapi.yaml".into(),
            command: "cargo xtask generate".into(),
            tags: Vec::new(),
            operations: Vec::new(),
        }
    }
}

/// The generated crate: relative path (with `/` separators) → file contents,
/// plus the warnings found on the way.
#[derive(Debug, Clone, Default)]
pub struct GeneratedFiles {
    pub files: BTreeMap<String, String>,
    pub diagnostics: Diagnostics,
    pub stats: Stats,
}

/// What the generated crate holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Client methods, one per operation.
    pub operations: usize,
    /// Operations with V4 pagination (they also get page and item streams).
    pub paginated: usize,
    /// Rust types (structs, enums, unions, aliases).
    pub types: usize,
    /// Component schemas of the spec that have a type of their own.
    pub component_types: usize,
    /// Inline types merged into an identical one.
    pub merged_types: usize,
}

/// The marker every generated file carries on its first line; xtask uses it
/// to tell files it owns (and may delete when stale) from files it does not.
pub const GENERATED_MARKER: &str = "@generated";

/// Generates a crate from spec text (YAML or JSON, detected from content).
///
/// Returns every diagnostic as an error when any of them is an error;
/// otherwise the files and the warnings.
pub fn generate(spec: &str, settings: &Settings) -> Result<GeneratedFiles, Diagnostics> {
    let mut diags = Diagnostics::default();
    let doc = match load::load(spec, &mut diags) {
        Some(doc) => doc,
        None => return Err(diags.sorted()),
    };
    let api = ir::build(&doc, settings, &mut diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let files = match emit::emit(&api, settings) {
        Ok(files) => files,
        Err(d) => {
            diags.extend(d);
            return Err(diags.sorted());
        }
    };
    let stats = Stats {
        operations: api.operations.len(),
        paginated: api.operations.iter().filter(|op| op.pagination.is_some()).count(),
        types: api.types.len(),
        component_types: api.types.iter().filter(|t| ir::is_component_pointer(&t.pointer)).count(),
        merged_types: api.merged_types,
    };
    Ok(GeneratedFiles { files, diagnostics: diags.sorted(), stats })
}
