//! Rust types for IR shapes, and doc attributes for spec text.

use crate::ir::{Kind, Shape};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn ident(name: &str) -> Ident {
    // Names come from `naming`, which only makes valid identifiers, and
    // `naming::report_invalid` warns about any that is not; should one be
    // malformed, the generated code fails to compile with this name in it
    // rather than the generator panicking.
    let valid = crate::naming::is_identifier(name);
    Ident::new(
        if valid {
            name
        } else {
            "__invalid_generated_name"
        },
        Span::call_site(),
    )
}

/// Where model types are, as seen from the module being emitted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Models {
    /// In the `models` module itself.
    Here,
    /// Elsewhere: named as `models::X`.
    Qualified,
}

fn model(name: &str, at: Models) -> TokenStream {
    let id = ident(name);
    match at {
        Models::Here => quote!(#id),
        Models::Qualified => quote!(models::#id),
    }
}

/// The Rust type of a value of this shape, without the `Option` that
/// nullability adds.
pub fn base_type(shape: &Shape, at: Models) -> TokenStream {
    if let Some(alias) = &shape.alias {
        return model(alias, at);
    }
    match &shape.kind {
        Kind::Named(n) => model(n, at),
        Kind::String => quote!(String),
        Kind::Integer { bits: 32 } => quote!(i32),
        Kind::Integer { .. } => quote!(i64),
        Kind::Number => quote!(f64),
        Kind::Boolean => quote!(bool),
        Kind::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Kind::Date => quote!(chrono::NaiveDate),
        Kind::Bytes => quote!(Vec<u8>),
        Kind::Json => quote!(serde_json::Value),
        Kind::Array(item) => {
            let t = value_type(item, false, at);
            quote!(Vec<#t>)
        }
        Kind::Map(value) => {
            let t = value_type(value, false, at);
            quote!(std::collections::BTreeMap<String, #t>)
        }
    }
}

/// The type of a value that may be null (`Option<T>` when nullable), boxed
/// when it closes a cycle of types.
pub fn value_type(shape: &Shape, boxed: bool, at: Models) -> TokenStream {
    let mut t = base_type(shape, at);
    if boxed {
        t = quote!(Box<#t>);
    }
    // `Json` already holds `null`.
    if shape.is_option() {
        t = quote!(Option<#t>);
    }
    t
}

/// `#[doc = "…"]` lines for spec text. Each line is its own string literal,
/// so nothing in the text can end the comment or become code. Control
/// characters are dropped, and code blocks become `text` blocks so rustdoc
/// never compiles spec examples as doctests.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Unicode's bidirectional overrides and isolates: rustc rejects them in
/// comments (`text_direction_codepoint_in_comment`, deny by default), and
/// they can make a comment read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Spec text for a one-line doc comment: control characters and bidi
/// controls are shown escaped (`\n`, `\u{202e}`), so the line stays one
/// line and compiles, and nothing is hidden.
pub fn inline_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The lines of spec text as doc comment lines: control characters and
/// bidi controls dropped, tabs as spaces (clippy's `tabs_in_doc_comments`),
/// the Markdown made safe for rustdoc ([`super::markdown`]), each line
/// after a space as `///` would give it.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => clean.push('\n'),
            '\t' => clean.push_str("    "),
            c if c.is_control() || is_bidi_control(c) => {}
            c => clean.push(c),
        }
    }
    let markdown = super::markdown::to_rustdoc(&clean);
    let mut out: Vec<String> = markdown
        .split('\n')
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect();
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_neutralise_code_and_control_characters() {
        assert_eq!(doc_lines("a\r\nb\u{7}c"), vec![" a", " bc"]);
        assert_eq!(
            doc_lines("```\nfn x() {}\n```"),
            vec![" ```text", " fn x() {}", " ```"]
        );
        assert_eq!(doc_lines("```json\n{}"), vec![" ```text", " {}", " ```"]);
        assert_eq!(
            doc_lines("    indented"),
            vec![" ```text", " indented", " ```"]
        );
        assert_eq!(doc_lines("a\tb"), vec![" a    b"]);
        assert_eq!(doc_lines("*/ #[x] \"q\" \\"), vec![" */ #\\[x\\] \"q\" \\"]);
        assert_eq!(doc_lines("a\u{202E}b\u{2066}c"), vec![" abc"]);
        assert_eq!(inline_text("a\nb\r\0\u{202e}"), "a\\nb\\r\\u{0}\\u{202e}");
    }
}
