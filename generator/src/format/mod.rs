//! Format: token streams to source text with `prettyplease`, behind the
//! header every generated file carries.

use proc_macro2::TokenStream;

/// Formats one Rust file, with a blank line between top-level items (which
/// `prettyplease` does not add) so files read well and diffs stay local. A
/// token stream that does not parse is a bug in an emitter, reported as an
/// error rather than written out.
///
/// The file comes as `chunks`: its items in order, a few per token stream
/// (the file's inner attributes, such as `//!` docs, before any item).
/// Each chunk is parsed and printed on its own, so no token stream or
/// syntax tree of a whole file is ever built; the text is the same as for
/// the whole file at once.
pub fn rust_file(chunks: Vec<TokenStream>, header: &str, what: &str) -> Result<String, String> {
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    let mut attrs = Vec::new();
    let mut items = 0usize;
    let mut previous_was_use = false;
    for tokens in chunks {
        let file: syn::File = syn::parse2(tokens)
            .map_err(|e| format!("internal error: generated {what} is not valid Rust: {e}"))?;
        if !file.attrs.is_empty() && items > 0 {
            return Err(format!(
                "internal error: generated {what} has inner attributes after its first item"
            ));
        }
        attrs.extend(file.attrs);
        for item in file.items {
            if items == 0 {
                print_attrs(&mut out, std::mem::take(&mut attrs));
            }
            let is_use = matches!(item, syn::Item::Use(_) | syn::Item::Mod(_));
            // Consecutive `use` / `mod` lines stay together.
            if items > 0 && !(is_use && previous_was_use) {
                out.push('\n');
            }
            previous_was_use = is_use;
            items += 1;
            out.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![item],
            }));
        }
    }
    print_attrs(&mut out, attrs);
    Ok(out)
}

/// The file's inner attributes, followed by a blank line (nothing if none).
fn print_attrs(out: &mut String, attrs: Vec<syn::Attribute>) {
    if !attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs,
            items: Vec::new(),
        }));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn whole() -> TokenStream {
        quote! {
            //! Docs.
            #![allow(dead_code)]
            use a::b;
            use c::d;
            pub struct S { x: u8 }
            impl S { fn f(&self) -> u8 { self.x } }
            mod m;
        }
    }

    #[test]
    fn chunks_format_exactly_like_the_whole_file() {
        let one = rust_file(vec![whole()], "// h", "t").unwrap();
        let chunks = vec![
            quote!(#![doc = " Docs."]),
            quote!(#![allow(dead_code)]),
            quote!(),
            quote!(
                use a::b;
            ),
            quote!(
                use c::d;
                pub struct S {
                    x: u8,
                }
            ),
            quote!(impl S { fn f(&self) -> u8 { self.x } } mod m;),
        ];
        assert_eq!(rust_file(chunks, "// h", "t").unwrap(), one);
        assert!(
            one.starts_with(
                "// h\n//! Docs.\n#![allow(dead_code)]\n\nuse a::b;\nuse c::d;\n\npub struct S"
            ),
            "{one}"
        );
        // Only attributes, and nothing at all.
        assert_eq!(
            rust_file(vec![quote!(#![doc = " Only."])], "// h", "t").unwrap(),
            "// h\n//! Only.\n\n"
        );
        assert_eq!(rust_file(Vec::new(), "// h", "t").unwrap(), "// h\n");
    }

    #[test]
    fn inner_attributes_after_an_item_and_invalid_tokens_are_errors() {
        let late = rust_file(
            vec![
                quote!(
                    struct A;
                ),
                quote!(#![doc = " Late."]),
            ],
            "",
            "x.rs",
        )
        .unwrap_err();
        assert!(
            late.contains("x.rs has inner attributes after its first item"),
            "{late}"
        );
        let bad = rust_file(
            vec![
                quote!(
                    struct A;
                ),
                quote!(fn),
            ],
            "",
            "x.rs",
        )
        .unwrap_err();
        assert!(
            bad.starts_with("internal error: generated x.rs is not valid Rust"),
            "{bad}"
        );
    }
}
