//! Emit: IR → the files of a standalone crate.
//!
//! Emitters read only the IR. Rust is built with `quote!` and formatted by
//! [`crate::format`]; the runtime is copied in verbatim.

mod auth;
mod bodies;
mod client;
#[cfg(test)]
mod client_locals;
mod features;
mod guide;
mod markdown;
mod models;
mod pager;
mod paths;
mod runtime;
mod tuple;
pub(crate) mod types;
mod validate;
mod validation_crate;
mod workspace;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Operation, TypeDef};
use crate::naming;
use crate::{format, Settings, GENERATED_MARKER};
use quote::quote;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Time spent emitting and formatting, summed over the Rust files (which
/// are emitted and formatted on several threads, so these may add up to
/// more than the wall time of [`emit`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct EmitTimings {
    /// IR → token streams (`quote!`).
    pub emit: Duration,
    /// Token streams → text (`syn` parse + `prettyplease`).
    pub format: Duration,
}

/// Every file of the crate, by path: the Rust files (emitted and formatted
/// as jobs), then the runtime, the README and the manifests.
pub fn emit(
    api: &Api,
    settings: &Settings,
    timings: &mut EmitTimings,
) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut diags = Diagnostics::default();
    let header = format!(
        "// {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.\n",
        one_line(&settings.command),
        one_line(&settings.spec_name)
    );
    let header = &header;
    let ctx = context(api);
    let ctx = &ctx;
    let plan = match &ctx.gating {
        Some(gating) => Some(workspace::Plan::new(&api.types, gating).map_err(|msg| {
            let mut d = Diagnostics::default();
            d.error("internal", "#", msg);
            d
        })?),
        None => None,
    };
    let mut jobs = if let (Some(plan), Some(gating)) = (&plan, &ctx.gating) {
        workspace_jobs(api, settings, ctx, plan, gating, header, &mut files)
    } else {
        single_crate_jobs(api, ctx)
    };
    jobs.push(Job::new("src/lib.rs", 1, move || {
        vec![lib_rs(api, settings)]
    }));
    jobs.push(Job::new("src/runtime/auth.rs", 1, move || {
        auth::file(&api.auth)
    }));
    for (path, result) in run_jobs(&jobs, header, timings) {
        match result {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(msg) => diags.error("internal", "#", msg),
        }
    }
    for (path, text) in runtime::files(header) {
        // A large API's facade re-exports these from its validation crate.
        if plan.is_some() && validation_crate::replaces(&path) {
            continue;
        }
        files.insert(path, text);
    }
    files.insert("README.md".to_string(), readme(api, settings));
    let workspace = ctx
        .gating
        .as_ref()
        .zip(plan.as_ref())
        .map(|(gating, plan)| {
            (
                workspace::facade_dependencies(plan, &settings.package_name),
                workspace::facade_features(gating, plan),
            )
        });
    files.insert(
        "Cargo.toml".to_string(),
        cargo_toml(api, settings, workspace.as_ref()),
    );
    files.insert("rustfmt.toml".to_string(), rustfmt_toml(settings));
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(files)
    }
}

/// What the emitters need to know about the API: above
/// [`SPLIT_THRESHOLD`], its gating too.
fn context(api: &Api) -> Context<'_> {
    let split = api.types.len() + api.operations.len() > SPLIT_THRESHOLD;
    Context {
        gating: split.then(|| features::Gating::new(api)),
        validating: validate::validating_types(api),
        pages: api
            .operations
            .iter()
            .filter_map(|op| op.pagination.as_ref())
            .map(|p| (p.page_type.as_str(), p))
            .collect(),
        types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
        usage: usage(api),
    }
}

/// A large API's jobs: the models in member crates (re-exported, so every
/// model is still `models::X`), the runtime's impls for them and the
/// methods in one file per group (every method still on `Client`). The
/// members' manifests and `de.rs` go straight into `files`.
fn workspace_jobs<'a>(
    api: &'a Api,
    settings: &Settings,
    ctx: &'a Context<'a>,
    plan: &'a workspace::Plan<'a>,
    gating: &'a features::Gating,
    header: &str,
    files: &mut BTreeMap<String, String>,
) -> Vec<Job<'a>> {
    let mut jobs = workspace::member_jobs(plan, ctx, gating, header, settings, files);
    validation_crate::files(
        header,
        &settings.package_name,
        &settings.package_version,
        files,
    );
    let package = settings.package_name.clone();
    jobs.push(Job::new(
        format!("crates/{}/src/lib.rs", validation_crate::NAME),
        1,
        move || vec![validation_crate::lib(&package)],
    ));
    for module in validation_crate::REEXPORTED {
        jobs.push(Job::new(format!("src/runtime/{module}.rs"), 1, move || {
            vec![validation_crate::reexport(module)]
        }));
    }
    // The facade implements only `V4Page` (its own trait) for the models.
    let paged: Vec<&TypeDef> = api
        .types
        .iter()
        .filter(|t| ctx.pages.contains_key(t.name.as_str()))
        .collect();
    let impls = workspace::modules(&paged);
    let names: Vec<String> = impls.keys().cloned().collect();
    jobs.push(Job::new("src/models/mod.rs", 1, move || {
        vec![workspace::facade_models(plan, &names)]
    }));
    for (name, defs) in impls {
        jobs.push(Job::new(
            format!("src/models/{name}.rs"),
            defs.len(),
            move || models::module(&defs, ctx, true, models::Part::Impls),
        ));
    }
    jobs.extend(client_module_jobs(api, ctx));
    jobs
}

/// A large API's client: `client/mod.rs` (the base, and each group's
/// module behind its features) and one file of methods per group (its
/// operations' first tag).
fn client_module_jobs<'a>(api: &'a Api, ctx: &'a Context<'a>) -> Vec<Job<'a>> {
    let mut op_groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        let key = op.tags.first().map(String::as_str).unwrap_or("untagged");
        op_groups
            .entry(naming::module_name(key))
            .or_default()
            .push(op);
    }
    let names: Vec<String> = op_groups.keys().cloned().collect();
    // Only modules with `…Params` structs have anything to re-export.
    let exported: Vec<String> = op_groups
        .iter()
        .filter(|(_, ops)| ops.iter().any(|op| op.params.iter().any(|p| !p.required)))
        .map(|(name, _)| name.clone())
        .collect();
    let cfgs = group_features(&op_groups, ctx.gating.as_ref());
    let mut jobs = vec![Job::new("src/client/mod.rs", 1, move || {
        let mods = names.iter().zip(&cfgs).map(|(name, features)| {
            let cfg = features::cfg_any(features);
            let module = types::ident(name);
            let export = exported
                .contains(name)
                .then(|| quote!(#cfg pub use self::#module::*;));
            quote!(#cfg mod #module; #export)
        });
        vec![client::base(api), quote!(#(#mods)*)]
    })];
    for (name, ops) in op_groups {
        jobs.push(Job::new(
            format!("src/client/{name}.rs"),
            ops.len(),
            move || client::operations(&ops, &ctx.validating),
        ));
    }
    jobs
}

/// A small API's two Rust files: every model in `models.rs`, every method
/// in `client.rs`.
fn single_crate_jobs<'a>(api: &'a Api, ctx: &'a Context<'a>) -> Vec<Job<'a>> {
    vec![
        Job::new("src/models.rs", api.types.len(), move || {
            let types: Vec<&TypeDef> = api.types.iter().collect();
            let mut chunks = vec![quote! {
                //! Models for every schema of the API, with `validate()` for their constraints.
            }];
            chunks.extend(models::module(&types, ctx, false, models::Part::All));
            chunks
        }),
        Job::new("src/client.rs", api.operations.len(), move || {
            let ops: Vec<&Operation> = api.operations.iter().collect();
            let mut chunks = vec![client::base(api)];
            chunks.extend(client::operations(&ops, &ctx.validating));
            chunks
        }),
    ]
}

/// `rustfmt.toml`: rustfmt leaves the crate alone (the generator formats
/// it itself).
fn rustfmt_toml(settings: &Settings) -> String {
    format!(
        "# {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand.\n\
         # The generator formats this crate itself; rustfmt leaves it alone so\n\
         # that regenerating never shows formatting-only diffs.\n\
         disable_all_formatting = true\n",
        one_line(&settings.command),
        one_line(&settings.spec_name)
    )
}

/// Above this many types and operations, models and methods are split into
/// one file per group.
const SPLIT_THRESHOLD: usize = 400;

/// One Rust file: its path, a rough measure of its size (to start the big
/// ones first), and what builds its tokens: the file's items in order, a
/// few at a time, so no token stream of a whole file is ever built, copied
/// or parsed. Token streams are not `Send`, so each is built on the thread
/// that formats it.
struct Job<'a> {
    path: String,
    weight: usize,
    tokens: Box<dyn Fn() -> Vec<proc_macro2::TokenStream> + Send + Sync + 'a>,
}

impl<'a> Job<'a> {
    fn new(
        path: impl Into<String>,
        weight: usize,
        tokens: impl Fn() -> Vec<proc_macro2::TokenStream> + Send + Sync + 'a,
    ) -> Self {
        Job {
            path: path.into(),
            weight,
            tokens: Box::new(tokens),
        }
    }
}

/// Emits and formats every job, on all cores (the files are independent);
/// results come back in job order, so the output does not depend on which
/// thread did what.
fn run_jobs(
    jobs: &[Job<'_>],
    header: &str,
    timings: &mut EmitTimings,
) -> Vec<(String, Result<String, String>)> {
    let done = crate::parallel::map(
        jobs,
        |job| job.weight,
        |job| {
            let started = Instant::now();
            let tokens = (job.tokens)();
            let emitted = Instant::now();
            let text = format::rust_file(tokens, header, &job.path);
            (text, emitted - started, emitted.elapsed())
        },
    );
    jobs.iter()
        .zip(done)
        .map(|(job, (text, emit, format))| {
            timings.emit += emit;
            timings.format += format;
            (job.path.clone(), text)
        })
        .collect()
}

/// The features of each client module: those of its operations' groups.
fn group_features<'a>(
    op_groups: &BTreeMap<String, Vec<&Operation>>,
    gating: Option<&'a features::Gating>,
) -> Vec<Vec<&'a str>> {
    op_groups
        .values()
        .map(|ops| {
            let features: std::collections::BTreeSet<&str> =
                ops.iter().filter_map(|op| gating?.feature_of(op)).collect();
            features.into_iter().collect()
        })
        .collect()
}

/// `mod a; mod b; pub use self::a::*; …`; `gated`: a module's types may
/// all be behind features that are off, so a re-export may be empty.
fn module_decls(names: &[&String], gated: bool) -> proc_macro2::TokenStream {
    let idents: Vec<proc_macro2::Ident> = names.iter().map(|n| types::ident(n)).collect();
    let allow = gated.then(|| quote!(#[allow(unused_imports)]));
    quote! {
        #(mod #idents;)*
        #(#allow pub use self::#idents::*;)*
    }
}

/// What every emitter needs to know about the whole API.
pub struct Context<'a> {
    /// Large APIs: the cargo features and what each type needs.
    pub gating: Option<features::Gating>,
    /// Types whose `validate()` can report something.
    pub validating: std::collections::HashSet<String>,
    /// Envelope type name → the pagination it serves.
    pub pages: std::collections::HashMap<&'a str, &'a crate::ir::Pagination>,
    /// Every type by name.
    pub types: std::collections::HashMap<&'a str, &'a TypeDef>,
    /// Type name → the methods that return it and that send it (as the
    /// response or body itself, or its items), in method order.
    pub usage: std::collections::HashMap<&'a str, (Vec<&'a str>, Vec<&'a str>)>,
}

/// [`Context::usage`]: which methods return and send each named type.
fn usage(api: &Api) -> std::collections::HashMap<&str, (Vec<&str>, Vec<&str>)> {
    fn named(shape: &crate::ir::Shape) -> Option<&str> {
        if let Some(alias) = &shape.alias {
            return Some(alias);
        }
        match &shape.kind {
            crate::ir::Kind::Named(n) => Some(n),
            crate::ir::Kind::Array(item) => named(item),
            _ => None,
        }
    }
    let mut usage: std::collections::HashMap<&str, (Vec<&str>, Vec<&str>)> = Default::default();
    for op in &api.operations {
        let f = op.fn_name.name.as_str();
        if let crate::ir::Response::Json(shape) = &op.response {
            if let Some(n) = named(shape) {
                usage.entry(n).or_default().0.push(f);
            }
        }
        if let Some(n) = op.body.as_ref().and_then(|b| named(&b.shape)) {
            usage.entry(n).or_default().1.push(f);
        }
    }
    usage
}

fn lib_rs(api: &Api, settings: &Settings) -> proc_macro2::TokenStream {
    let lines = guide::crate_docs(api, settings).into_iter().map(|l| {
        if l.is_empty() {
            l
        } else {
            format!(" {l}")
        }
    });
    quote! {
        #(#![doc = #lines])*
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod client;
        pub mod models;
        pub mod runtime;

        pub use runtime::{
            ApiMessage, Client, ClientBuilder, Credentials, Error, PageInfo, PagerConfig, Raw, RequestOptions,
            RetryPolicy, Validate, ValidationErrors, Violation,
        };
        #[cfg(feature = "blocking")]
        #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
        pub use runtime::BlockingClient;
    }
}

/// `README.md`, its header an HTML comment (`--` cannot be in one).
fn readme(api: &Api, settings: &Settings) -> String {
    let header = format!(
        "<!-- {GENERATED_MARKER} by `{}` from `{}`. Do not edit by hand. -->\n",
        one_line(&settings.command).replace("--", "- -"),
        one_line(&settings.spec_name).replace("--", "- -")
    );
    guide::readme(api, settings, &header)
}

/// Turns outer `#[doc]` attributes into inner `#![doc]` ones for crate docs.
pub(crate) fn inner(outer: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Punct, Spacing, TokenTree};
    let mut out = proc_macro2::TokenStream::new();
    for tt in outer {
        let is_pound = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#');
        out.extend([tt]);
        if is_pound {
            out.extend([TokenTree::Punct(Punct::new('!', Spacing::Alone))]);
        }
    }
    out
}

/// The facade's manifest; `workspace`: a large API's member dependencies
/// and group features.
fn cargo_toml(api: &Api, settings: &Settings, workspace: Option<&(String, String)>) -> String {
    // Cargo passes the description to rustc in an environment variable,
    // which cannot hold a NUL: one line, no control characters.
    let description = one_line(&format!("Rust client and models for {}", api.title));
    let package = package_table(
        &settings.package_name,
        &settings.package_version,
        &description,
    );
    format!(
        "# {GENERATED_MARKER} by `{command}` from `{spec}`. Do not edit by hand.\n\
         {package}\n\
         [dependencies]\n\
         {deps}{members}\n\
         # Off by default: `tracing` spans and events for requests, retries and\n\
         # pages; `blocking`, the client from synchronous code.\n\
         [features]\n\
         {runtime_features}{groups}\n\
         # For examples and tests: an async runtime to drive the client.\n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         \n\
         # docs.rs documents every feature and marks what needs which.\n\
         {DOCS_RS_AND_LINTS}",
        command = one_line(&settings.command),
        spec = one_line(&settings.spec_name),
        deps = runtime::dependencies(),
        runtime_features = runtime::features(),
        members = workspace.map_or("", |w| w.0.as_str()),
        groups = workspace.map_or("", |w| w.1.as_str()),
    )
}

/// The end of every manifest: docs.rs documents every feature (and marks
/// what needs which), and the `docsrs` cfg it sets is declared.
const DOCS_RS_AND_LINTS: &str = "[package.metadata.docs.rs]\n\
    all-features = true\n\
    rustdoc-args = [\"--cfg\", \"docsrs\"]\n\
    \n\
    [lints.rust]\n\
    unexpected_cfgs = { level = \"warn\", check-cfg = ['cfg(docsrs)'] }\n";

/// A manifest's `[package]` table (the facade's and each member's): its
/// name, version and description, each written as a TOML string.
fn package_table(name: &str, version: &str, description: &str) -> String {
    format!(
        "[package]\n\
         name = {name}\n\
         version = {version}\n\
         edition = \"2021\"\n\
         rust-version = \"1.80\"\n\
         description = {description}\n\
         publish = false\n",
        name = toml_string(name),
        version = toml_string(version),
        description = toml_string(description),
    )
}

/// Text for a one-line comment: control characters (a newline would end
/// the comment and let the rest become code) are replaced.
fn one_line(text: &str) -> String {
    text.chars()
        .filter(|c| !types::is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
