//! Format: token streams to source text with `prettyplease`, behind the
//! header every generated file carries.

use proc_macro2::TokenStream;

/// Formats one Rust file. A token stream that does not parse is a bug in an
/// emitter, reported as an error rather than written out.
pub fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("internal error: generated {what} is not valid Rust: {e}"))?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}
