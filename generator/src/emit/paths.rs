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

/// Whether `tokens` name `name` on its own or as a path's first segment
/// (`name`, `name::…`, not `other::name`), at any depth.
pub fn uses_name(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(g) => uses_name(&g.stream(), name),
        TokenTree::Ident(id) => id == name && !(i >= 2 && is_path_sep(&trees, i - 2)),
        _ => false,
    })
}

/// Whether `tokens` call the method `name` anywhere (`.name(`): a field or
/// a setter of that name (a parameter called `validate_at`) is no call.
pub fn uses_method(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(g) => uses_method(&g.stream(), name),
        TokenTree::Ident(id) => {
            id == name
                && i > 0
                && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.')
                && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis)
        }
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
        assert!(!uses_method(&doc, "validate_at"));
        let field = quote!(
            pub fn validate_at(mut self) -> Self {
                self.validate_at = None;
                x(params.validate_at)
            }
        );
        assert!(!uses_method(&field, "validate_at"));
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
        assert!(uses_method(
            &quote!(self.a.validate_at(&p, out);),
            "validate_at"
        ));
    }
}
