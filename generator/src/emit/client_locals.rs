//! The locals emitted operation methods and pagers bind are exactly the
//! ones `naming::OPERATION_LOCALS` reserves: read from the emitted tokens,
//! so a new `let` in `client.rs` or `validate.rs` cannot go unreserved.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::BTreeSet;

/// A spec that reaches every kind of statement an operation method and a
/// pager emit; its parameters are all named `p_…`, so what is not a
/// parameter is a name of the generated code's own.
const SPEC: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {
  "/a/{p_path}": {"get": {"operationId": "list", "parameters": [
    {"name": "p_path", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 9}},
    {"name": "p_int", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 9}},
    {"name": "p_list", "in": "header", "required": true, "schema": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}},
    {"name": "p_null", "in": "query", "required": true, "schema": {"type": "string", "nullable": true, "minLength": 1}},
    {"name": "p_map", "in": "query", "schema": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}},
    {"name": "p_head", "in": "header", "schema": {"type": "string", "minLength": 1}},
    {"name": "page", "in": "query", "schema": {"type": "integer"}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer"}}],
   "responses": {"200": {"description": "d", "content": {"application/json": {"schema":
     {"type": "object", "required": ["result"], "properties": {"result": {"type": "array", "items": {"type": "string"}},
      "result_info": {"type": "object", "properties": {"page": {"type": "integer"}}}}}}}}}},
   "post": {"operationId": "send", "requestBody": {"content": {"application/json": {"schema":
     {"type": "array", "nullable": true, "items": {"type": "string", "minLength": 1}}}}},
    "responses": {"204": {"description": "d"}}},
   "put": {"operationId": "put", "requestBody": {"required": true, "content": {"application/json": {"schema":
     {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}}}}},
    "responses": {"204": {"description": "d"}}}}}}"#;

/// Every name a `let`, `for`, closure, `if let` pattern or `fn` argument
/// list in `tokens` binds.
fn bindings(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let word = |at: usize| match trees.get(at) {
            Some(TokenTree::Ident(id)) => Some(id.to_string()),
            _ => None,
        };
        let punct = |at: usize, c: char| matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == c);
        match tree {
            TokenTree::Ident(id) if id == "let" || id == "for" => {
                let at = if word(i + 1).as_deref() == Some("mut") {
                    i + 2
                } else {
                    i + 1
                };
                match trees.get(at) {
                    Some(TokenTree::Ident(name)) if name != "Some" => {
                        out.insert(name.to_string());
                    }
                    // `let Some(x) =`, `for (a, b) in`
                    Some(TokenTree::Ident(_)) | Some(TokenTree::Group(_)) => {
                        pattern(&trees[at..], out);
                    }
                    _ => {}
                }
            }
            TokenTree::Punct(p) if p.as_char() == '|' && punct(i + 2, '|') => {
                if let Some(name) = word(i + 1) {
                    out.insert(name);
                }
            }
            TokenTree::Group(g)
                if g.delimiter() == Delimiter::Parenthesis
                    && i >= 2
                    && word(i - 2).as_deref() == Some("fn") =>
            {
                arguments(g.stream(), out);
            }
            _ => {}
        }
        if let TokenTree::Group(g) = tree {
            bindings(g.stream(), out);
        }
    }
}

/// The identifiers of a pattern (`Some(Some(x))`, `(a, b)`), up to its `=`
/// or `in`.
fn pattern(trees: &[TokenTree], out: &mut BTreeSet<String>) {
    for tree in trees {
        match tree {
            TokenTree::Ident(id) if id == "in" => return,
            TokenTree::Punct(p) if p.as_char() == '=' => return,
            TokenTree::Ident(id) if id != "Some" && id != "mut" => {
                out.insert(id.to_string());
            }
            TokenTree::Group(g) => pattern(&g.stream().into_iter().collect::<Vec<_>>(), out),
            _ => {}
        }
    }
}

/// The names of a `fn`'s arguments: each identifier before a lone `:`.
fn arguments(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let lone_colon = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            && !matches!(trees.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            && !(i > 0
                && matches!(trees.get(i - 1), Some(TokenTree::Punct(p)) if p.as_char() == ':'));
        if let (TokenTree::Ident(id), true) = (tree, lone_colon) {
            out.insert(id.to_string());
        }
    }
}

#[test]
fn every_local_of_an_operation_is_reserved() {
    let (api, _) = crate::build_api(SPEC, &crate::Settings::default()).expect("the spec builds");
    let validating = super::validate::validating_types(&api);
    let ops: Vec<&crate::ir::Operation> = api.operations.iter().collect();
    assert!(
        ops.iter().any(|op| op.pagination.is_some()),
        "a pager is emitted"
    );
    let mut bound = BTreeSet::new();
    for tokens in super::client::operations(&ops, &validating) {
        bindings(tokens, &mut bound);
    }
    let params: BTreeSet<String> = ops
        .iter()
        .flat_map(|op| op.params.iter().map(|p| p.ident.name.clone()))
        .collect();
    bound.retain(|name| !params.contains(name));
    let reserved: BTreeSet<String> = crate::naming::OPERATION_LOCALS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let unreserved: Vec<&String> = bound.difference(&reserved).collect();
    assert!(
        unreserved.is_empty(),
        "bound but not reserved: {unreserved:?}"
    );
    // The scan sees what it should: the pager's and the checks' bindings.
    for local in [
        "start",
        "keep_page",
        "page_number",
        "out",
        "root",
        "index",
        "joined",
    ] {
        assert!(bound.contains(local), "{local} not seen in {bound:?}");
    }
}
