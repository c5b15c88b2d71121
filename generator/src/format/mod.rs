//! Format: token streams to source text with `prettyplease`, behind the
//! header every generated file carries.

use proc_macro2::TokenStream;

/// Formats one Rust file, with a blank line between top-level items (which
/// `prettyplease` does not add) so files read well and diffs stay local. A
/// token stream that does not parse is a bug in an emitter, reported as an
/// error rather than written out.
pub fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("internal error: generated {what} is not valid Rust: {e}"))?;
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    let inner = syn::File {
        shebang: None,
        attrs: file.attrs,
        items: Vec::new(),
    };
    if !inner.attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&inner));
        out.push('\n');
    }
    let mut previous_was_use = false;
    for (i, item) in file.items.into_iter().enumerate() {
        let is_use = matches!(item, syn::Item::Use(_) | syn::Item::Mod(_));
        // Consecutive `use` / `mod` lines stay together.
        if i > 0 && !(is_use && previous_was_use) {
            out.push('\n');
        }
        previous_was_use = is_use;
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}
