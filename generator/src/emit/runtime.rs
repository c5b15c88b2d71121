//! The hand-written runtime (`generator/runtime`), carried into every
//! generated crate verbatim under `src/runtime/`, minus its unit tests (they
//! need the runtime crate's dev-dependencies).

const FILES: &[(&str, &str)] = &[
    (
        "src/runtime/mod.rs",
        include_str!("../../runtime/src/lib.rs"),
    ),
    (
        "src/runtime/blocking.rs",
        include_str!("../../runtime/src/blocking.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../runtime/src/client.rs"),
    ),
    (
        "src/runtime/credentials.rs",
        include_str!("../../runtime/src/credentials.rs"),
    ),
    ("src/runtime/de.rs", include_str!("../../runtime/src/de.rs")),
    (
        "src/runtime/encode.rs",
        include_str!("../../runtime/src/encode.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../runtime/src/error.rs"),
    ),
    (
        "src/runtime/multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    (
        "src/runtime/options.rs",
        include_str!("../../runtime/src/options.rs"),
    ),
    (
        "src/runtime/pager.rs",
        include_str!("../../runtime/src/pager.rs"),
    ),
    (
        "src/runtime/pattern.rs",
        include_str!("../../runtime/src/pattern.rs"),
    ),
    (
        "src/runtime/redact.rs",
        include_str!("../../runtime/src/redact.rs"),
    ),
    (
        "src/runtime/request.rs",
        include_str!("../../runtime/src/request.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../runtime/src/retry.rs"),
    ),
    (
        "src/runtime/stream.rs",
        include_str!("../../runtime/src/stream.rs"),
    ),
    (
        "src/runtime/validation.rs",
        include_str!("../../runtime/src/validation.rs"),
    ),
];

const CARGO_TOML: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime's files, each behind `header`.
pub fn files(header: &str) -> Vec<(String, String)> {
    FILES
        .iter()
        .map(|(path, text)| {
            (
                path.to_string(),
                format!("{header}\n{}", without_tests(text)),
            )
        })
        .collect()
}

/// Cuts the trailing `#[cfg(test)] mod tests { … }` block, by convention the
/// last item of a runtime file.
fn without_tests(text: &str) -> &str {
    match text.find("\n#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i + 1],
        None => text,
    }
}

/// The `[dependencies]` table of the runtime crate, which is exactly what a
/// generated crate needs.
pub fn dependencies() -> String {
    table("[dependencies]")
}

/// The crates model types name (serde and the types of some formats),
/// from the runtime's `[dependencies]`: a models crate's dependencies.
pub fn model_dependencies() -> String {
    dependencies()
        .lines()
        .filter(|l| {
            MODEL_CRATES
                .iter()
                .any(|c| l.starts_with(&format!("{c} = ")))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

const MODEL_CRATES: &[&str] = &["serde", "serde_json", "chrono"];

/// `src/runtime/de.rs` (the serde helpers models use), behind `header`.
pub fn de_file(header: &str) -> (String, String) {
    let text = FILES
        .iter()
        .find(|(path, _)| *path == "src/runtime/de.rs")
        .map_or("", |(_, text)| text);
    (
        "src/runtime/de.rs".to_string(),
        format!("{header}\n{}", without_tests(text)),
    )
}

/// The `[features]` table of the runtime crate (optional parts such as
/// `tracing`), which a generated crate offers the same.
pub fn features() -> String {
    table("[features]")
}

/// The entries of one table of the runtime's manifest, comments left out.
fn table(header: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in CARGO_TOML.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == header;
            continue;
        }
        if inside && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push_str(trimmed);
            out.push('\n');
        }
    }
    out
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
            .map(|(p, _)| {
                p.trim_start_matches("src/runtime/")
                    .replace("mod.rs", "lib.rs")
            })
            .collect();
        carried.sort();
        assert_eq!(carried, on_disk);
    }

    #[test]
    fn tests_are_cut_and_dependencies_listed() {
        assert!(!without_tests("a\n#[cfg(test)]\nmod tests {\n}\n").contains("tests"));
        assert!(dependencies().contains("reqwest"));
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
