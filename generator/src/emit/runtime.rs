//! The hand-written runtime (`generator/runtime`): the files of its `src/`
//! folder are carried into every generated crate, as they are, under
//! `src/runtime/`, and its manifest's `[dependencies]` and `[features]` are
//! the generated crate's. Its tests live beside `src/` and are not carried.

/// One carried file: its path in a generated crate, and its text.
macro_rules! carried {
    ($file:literal) => {
        (
            concat!("src/runtime/", $file),
            include_str!(concat!("../../runtime/src/", $file)),
        )
    };
}

/// Every file of `runtime/src/` but `auth.rs` (generated from the spec,
/// `emit/auth.rs`); a test checks that the list and the folder agree.
const FILES: &[(&str, &str)] = &[
    carried!("mod.rs"),
    carried!("blocking.rs"),
    carried!("call.rs"),
    carried!("client.rs"),
    carried!("credentials.rs"),
    carried!("de.rs"),
    carried!("encode.rs"),
    carried!("error.rs"),
    carried!("multipart.rs"),
    carried!("number.rs"),
    carried!("options.rs"),
    carried!("pager.rs"),
    carried!("pattern.rs"),
    carried!("redact.rs"),
    carried!("request.rs"),
    carried!("retry.rs"),
    carried!("stream.rs"),
    carried!("validation.rs"),
];

/// The runtime's manifest, parsed once. It is part of the generator
/// (`include_str!`) and a test reads it, so should it not parse, it reads
/// as empty rather than failing a generation.
static MANIFEST: std::sync::LazyLock<toml::Table> = std::sync::LazyLock::new(|| {
    include_str!("../../runtime/Cargo.toml")
        .parse()
        .unwrap_or_default()
});

/// The runtime's files, each behind `header`.
pub fn files(header: &str) -> Vec<(String, String)> {
    FILES
        .iter()
        .map(|(path, text)| (path.to_string(), format!("{header}\n{text}")))
        .collect()
}

/// The text of one carried file (`validation.rs`), without a header.
pub fn carried(file: &str) -> &'static str {
    let path = format!("src/runtime/{file}");
    FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, text)| text)
}

/// The crates the checks use (JSON values, patterns), from the runtime's `[dependencies]`:
/// a large API's validation crate's dependencies.
pub fn validation_dependencies() -> String {
    table("dependencies", |name| PATTERN_CRATES.contains(&name))
}

const PATTERN_CRATES: &[&str] = &["serde_json", "regex-lite", "regress"];

/// The `[dependencies]` table of the runtime crate, which is exactly what a
/// generated crate needs.
pub fn dependencies() -> String {
    table("dependencies", |_| true)
}

/// The crates model types name (serde and the types of some formats),
/// from the runtime's `[dependencies]`: a models crate's dependencies.
pub fn model_dependencies() -> String {
    table("dependencies", |name| MODEL_CRATES.contains(&name))
}

const MODEL_CRATES: &[&str] = &["serde", "serde_json", "chrono"];

/// `src/runtime/de.rs` (the serde helpers models use), behind `header`.
pub fn de_file(header: &str) -> (String, String) {
    (
        "src/runtime/de.rs".to_string(),
        format!("{header}\n{}", carried("de.rs")),
    )
}

/// The `[features]` table of the runtime crate (optional parts such as
/// `tracing`), which a generated crate offers the same.
pub fn features() -> String {
    table("features", |_| true)
}

/// The entries of one table of the runtime's manifest whose keys `keep`
/// accepts, a `key = value` line each, in the manifest's order; empty when
/// the table is missing.
fn table(name: &str, keep: impl Fn(&str) -> bool) -> String {
    let Some(toml::Value::Table(entries)) = MANIFEST.get(name) else {
        return String::new();
    };
    entries
        .iter()
        .filter(|(key, _)| keep(key))
        .map(|(key, value)| format!("{key} = {value}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_is_carried() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        // `auth.rs` is generated from the spec (`emit/auth.rs`), not carried.
        on_disk.retain(|f| f != "auth.rs");
        on_disk.sort();
        let mut carried: Vec<String> = FILES
            .iter()
            .map(|(p, _)| p.trim_start_matches("src/runtime/").to_string())
            .collect();
        carried.sort();
        assert_eq!(carried, on_disk);
    }

    /// Every method of the runtime's `Client` (in an `impl Client` block, or
    /// made by its `call_methods!`), so no operation can be named as one.
    fn runtime_client_methods() -> Vec<String> {
        fn call_names(tokens: proc_macro2::TokenStream, names: &mut Vec<String>) {
            for tree in tokens {
                match tree {
                    proc_macro2::TokenTree::Ident(id) if id.to_string().starts_with("call_") => {
                        names.push(id.to_string())
                    }
                    proc_macro2::TokenTree::Group(g) => call_names(g.stream(), names),
                    _ => {}
                }
            }
        }
        let mut names = Vec::new();
        for (path, text) in FILES {
            let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            for item in file.items {
                match item {
                    syn::Item::Impl(i) if i.trait_.is_none() => {
                        let self_ty = &i.self_ty;
                        if quote::quote!(#self_ty).to_string() != "Client" {
                            continue;
                        }
                        for member in i.items {
                            if let syn::ImplItem::Fn(f) = member {
                                names.push(f.sig.ident.to_string());
                            }
                        }
                    }
                    syn::Item::Macro(m) if m.mac.path.is_ident("call_methods") => {
                        call_names(m.mac.tokens, &mut names)
                    }
                    _ => {}
                }
            }
        }
        names
    }

    #[test]
    fn no_operation_can_be_named_as_a_runtime_method() {
        let methods = runtime_client_methods();
        assert!(methods.iter().any(|m| m == "call_json"), "{methods:?}");
        assert!(methods.iter().any(|m| m == "send_open"), "{methods:?}");
        for m in methods {
            assert!(crate::ir::CLIENT_METHODS.contains(&m.as_str()), "{m}");
        }
    }

    #[test]
    fn no_test_is_carried() {
        for (path, text) in FILES {
            assert!(!text.contains("#[cfg(test)]"), "{path} holds tests");
        }
    }

    #[test]
    fn tables_are_read_from_the_manifest() {
        assert_eq!(
            model_dependencies(),
            "serde = { version = \"1\", features = [\"derive\"] }\n\
             serde_json = \"1\"\n\
             chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\", \"clock\"] }\n"
        );
        assert!(dependencies().starts_with("reqwest = { version = \"0.12\""));
        assert!(!dependencies().contains("macros"));
        assert!(!dependencies().contains('#'));
        assert!(features().starts_with("tracing = [\"dep:tracing\"]\nblocking = "));
    }

    #[test]
    fn no_group_can_be_named_as_a_runtime_feature() {
        for line in features().lines() {
            let name = line.split('=').next().unwrap_or_default().trim();
            assert!(
                crate::naming::RESERVED_FEATURES.contains(&name),
                "`{name}` is missing from naming::RESERVED_FEATURES"
            );
            assert_ne!(crate::naming::feature_name(name), name);
        }
        assert_eq!(crate::naming::feature_name("Default"), "default_");
    }
}
