//! An OpenAPI 3.0, 3.1 and 3.2 to Rust code generator.
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
pub mod diff;
mod emit;
mod format;
pub mod ir;
mod load;
pub mod naming;
/// The number-to-text rule the generated `validate()` uses, compiled from
/// the runtime's own file so that both sides agree.
#[path = "../runtime/src/number.rs"]
mod number;
mod parallel;
mod resolve;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use load::parse_yaml;

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
    /// Every warning is an error: a spec that needed any normalisation or
    /// fallback generates nothing (for CI that wants a clean spec).
    pub strict: bool,
    /// Prefix of the generated client's environment variables; `None`:
    /// derived from the spec's title (`naming::env_prefix`).
    pub env_prefix: Option<String>,
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
            strict: false,
            env_prefix: None,
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
    generate_timed(spec, settings).0
}

/// How long each stage of one [`generate_timed`] run took.
///
/// `$ref`s are resolved lazily while the IR is built, so resolution counts
/// under [`ir`](StageTimings::ir). The Rust files are emitted and formatted
/// on several threads (one file per thread at a time): [`emit`] and
/// [`format`] are summed over the files, and [`render`] is the wall time of
/// both together.
///
/// [`emit`]: StageTimings::emit
/// [`format`]: StageTimings::format
/// [`render`]: StageTimings::render
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimings {
    /// Spec text → JSON value (`serde_json`, or YAML).
    pub parse: Duration,
    /// Version checks, normalisation, JSON value → typed `openapiv3`
    /// document, and the targets of non-component `$ref`s.
    pub load: Duration,
    /// `$ref` resolution and lowering to the IR, merging identical types,
    /// pagination, recursion, sorting.
    pub ir: Duration,
    /// IR → token streams (`quote!`), summed over the files.
    pub emit: Duration,
    /// Token streams → text (`syn` + `prettyplease`), summed over the files.
    pub format: Duration,
    /// Wall time of emitting and formatting every file, plus the runtime
    /// files and `Cargo.toml`.
    pub render: Duration,
    /// Wall time of the whole run.
    pub total: Duration,
}

/// [`generate`], also telling how long each stage took. It is the same
/// pure function (it reads only the clock): `generate` calls it.
pub fn generate_timed(
    spec: &str,
    settings: &Settings,
) -> (Result<GeneratedFiles, Diagnostics>, StageTimings) {
    let started = Instant::now();
    let mut timings = StageTimings::default();
    let result = match run(spec, settings, &mut timings) {
        Ok(files) if settings.strict && !files.diagnostics.is_empty() => {
            Err(files.diagnostics.warnings_as_errors())
        }
        Err(diags) if settings.strict => Err(diags.warnings_as_errors()),
        other => other,
    };
    timings.total = started.elapsed();
    (result, timings)
}

/// The IR of a spec (what the emitters see), with the warnings found on
/// the way; every diagnostic when any of them is an error.
pub fn build_api(spec: &str, settings: &Settings) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut timings = StageTimings::default();
    match lower(spec, settings, &mut diags, &mut |_| {}, &mut timings) {
        Some(api) => Ok((api, diags.sorted())),
        None => Err(diags.sorted()),
    }
}

/// Parse, load and build the IR, timing each stage with `lap`; `None` once
/// there is an error.
fn lower(
    spec: &str,
    settings: &Settings,
    diags: &mut Diagnostics,
    lap: &mut dyn FnMut(&mut Duration),
    timings: &mut StageTimings,
) -> Option<ir::Api> {
    let raw = load::parse(spec, diags);
    lap(&mut timings.parse);
    let doc = load::load_value(raw?, diags);
    lap(&mut timings.load);
    let api = ir::build(&doc?, settings, diags);
    lap(&mut timings.ir);
    (!diags.has_errors()).then_some(api)
}

fn run(
    spec: &str,
    settings: &Settings,
    timings: &mut StageTimings,
) -> Result<GeneratedFiles, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut clock = Instant::now();
    let mut lap = |stage: &mut Duration| {
        let now = Instant::now();
        *stage = now - clock;
        clock = now;
    };
    let Some(api) = lower(spec, settings, &mut diags, &mut lap, timings) else {
        return Err(diags.sorted());
    };
    let mut spent = emit::EmitTimings::default();
    let files = emit::emit(&api, settings, &mut spent);
    lap(&mut timings.render);
    timings.emit = spent.emit;
    timings.format = spent.format;
    let files = match files {
        Ok(files) => files,
        Err(d) => {
            diags.extend(d);
            return Err(diags.sorted());
        }
    };
    let stats = Stats {
        operations: api.operations.len(),
        paginated: api
            .operations
            .iter()
            .filter(|op| op.pagination.is_some())
            .count(),
        types: api.types.len(),
        component_types: api
            .types
            .iter()
            .filter(|t| ir::is_component_pointer(&t.pointer))
            .count(),
        merged_types: api.merged_types,
    };
    Ok(GeneratedFiles {
        files,
        diagnostics: diags.sorted(),
        stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: list-things
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string, maxLength: 3}}}
"##;

    #[test]
    fn generate_timed_is_generate_with_a_clock() {
        let settings = Settings::default();
        let plain = generate(SPEC, &settings).unwrap();
        let (timed, timings) = generate_timed(SPEC, &settings);
        let timed = timed.unwrap();
        assert_eq!(timed.files, plain.files);
        assert_eq!(timed.stats, plain.stats);
        // The stages happen one after another within the run (no figures
        // are asserted: they depend on the machine).
        let stages = timings.parse + timings.load + timings.ir + timings.render;
        assert!(stages <= timings.total, "{timings:?}");
        let (failed, _) = generate_timed("{", &settings);
        assert!(failed.is_err());
    }

    /// `strict` turns every warning into an error and generates nothing; a
    /// spec without warnings generates the same files either way.
    #[test]
    fn strict_makes_every_warning_an_error() {
        let strict = Settings {
            strict: true,
            ..Settings::default()
        };
        let quirky = SPEC.replace("\"200\":", "\"2xx\":");
        let lenient = generate(&quirky, &Settings::default()).unwrap();
        let kinds: Vec<_> = lenient.diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, ["normalised-status-range"]);
        let refused = generate(&quirky, &strict).unwrap_err();
        assert!(refused.has_errors());
        assert_eq!(refused.len(), 1);
        assert_eq!(refused.iter().next().map(|d| d.kind), Some(kinds[0]));
        assert_eq!(
            generate(SPEC, &strict).unwrap().files,
            generate(SPEC, &Settings::default()).unwrap().files
        );
    }
}
