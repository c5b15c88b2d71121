//! What generated items refer to, read from their tokens (never their
//! text): spec text reaches tokens only as string literals, so it cannot
//! make an item look as if it used a module.

use proc_macro2::{Spacing, TokenStream, TokenTree};

/// Whether `tokens` use `root` as the first segment of a path (`root::…`,
/// not `other::root::…`), at any depth.
pub fn uses_path_root(tokens: &TokenStream, root: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(g) => uses_path_root(&g.stream(), root),
        TokenTree::Ident(id) => {
            id == root && is_path_sep(&trees, i + 1) && !(i >= 2 && is_path_sep(&trees, i - 2))
        }
        _ => false,
    })
}

/// Whether `tokens` hold the identifier `name` anywhere.
pub fn uses_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Group(g) => uses_ident(&g.stream(), name),
        TokenTree::Ident(id) => id == name,
        _ => false,
    })
}

/// `::` starting at `at`.
fn is_path_sep(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn path_roots_come_from_tokens_not_from_doc_text() {
        let doc = quote! {
            #[doc = " See validation :: rules and models :: Thing; validate_at."]
            pub struct A;
        };
        assert!(!uses_path_root(&doc, "validation"));
        assert!(!uses_path_root(&doc, "models"));
        assert!(!uses_ident(&doc, "validate_at"));
        let used = quote! {
            fn f() { if x { validation::min_int(1, 2, false, &p, out); } }
        };
        assert!(uses_path_root(&used, "validation"));
        let nested = quote!(
            fn g() -> crate::models::validation::X {
                x()
            }
        );
        assert!(!uses_path_root(&nested, "validation"));
        assert!(uses_path_root(&quote!(let a: models::A;), "models"));
        assert!(uses_ident(
            &quote!(self.a.validate_at(&p, out);),
            "validate_at"
        ));
    }
}
