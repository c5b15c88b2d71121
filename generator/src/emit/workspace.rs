//! The models of a large API as member crates of the generated folder.
//!
//! One rustc process checking every model of a large API needs more memory
//! than common machines have (9.4 GiB for Cloudflare's). So above the split
//! threshold the model types live in member crates under `crates/`, each
//! checked by its own rustc, and the facade crate (the folder's root
//! package, holding the runtime and the client) re-exports them, so every
//! model is still `models::X` and every method still on `Client`. The
//! member crates hold the types, their serde, `From` and `Display` impls
//! and their `Validate` impls (the trait is in the validation crate,
//! [`super::validation_crate`], which the facade's runtime re-exports);
//! the facade implements its own `V4Page` for the paged envelopes.
//!
//! Which crate a type goes to follows from its reach (the groups whose
//! operations reach it, [`Gating::reach`]), which only grows along
//! references: a type reached by one group goes to a *group crate* holding
//! a run of groups, and one reached by several to a *shared crate*. A
//! shared type holds only shared types, so the shared crates take whole
//! parts of the graph of which type holds which: no shared crate needs
//! another, and rustc checks them side by side. Group crates need only
//! shared ones, so the crates have no cycles.

use super::features::Gating;
use crate::ir::TypeDef;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// About how much model code (in [`weight_of`] units) one group crate
/// holds. Group crates are checked side by side once the shared crates are
/// done; small ones keep every core busy to the end (the last to finish is
/// short). Cloudflare's 2026 API: 13 group crates of 17,000 to 25,000
/// lines, 5 to 15 s each, at most 1.3 GiB (BENCHMARKS.md).
const CRATE_WEIGHT: usize = 6_000;

/// About how much one shared crate holds. Every group crate waits for the
/// shared crates, which are checked side by side: a few about equal ones
/// (Cloudflare's 2026 API: two) keep the cores busy while they are checked.
const SHARED_CRATE_WEIGHT: usize = 12_000;

/// One member crate.
#[derive(Debug)]
pub struct Member<'a> {
    /// Its name in Rust code and the facade's manifest (`shared_1`,
    /// `models_3`): its folder under `crates/` and its dependency key.
    pub name: String,
    /// Its types, in the API's order.
    pub types: Vec<&'a TypeDef>,
    /// The features it declares: every group that reaches one of its
    /// types (indices, as [`Gating::reach`]).
    pub features: BTreeSet<usize>,
    /// The members whose types its own hold (indices into the plan's
    /// members, all before it).
    pub deps: BTreeSet<usize>,
}

impl<'a> Member<'a> {
    /// An empty member, named by [`crate::naming::member_crate`].
    fn numbered(prefix: &str, number: usize) -> Self {
        Member {
            name: crate::naming::member_crate(prefix, number),
            types: Vec::new(),
            features: BTreeSet::new(),
            deps: BTreeSet::new(),
        }
    }

    /// Takes a type, and the features of the groups that reach it.
    fn hold(&mut self, def: &'a TypeDef, reach: &[usize]) {
        self.types.push(def);
        self.features.extend(reach.iter().copied());
    }
}

/// The member crates of a large API, shared crates first.
#[derive(Debug)]
pub struct Plan<'a> {
    pub members: Vec<Member<'a>>,
}

impl<'a> Plan<'a> {
    /// Places every type; `Err` names a type that would make the crates
    /// depend on each other in a cycle (which the reach rules out).
    pub fn new(types: &'a [TypeDef], gating: &Gating) -> Result<Plan<'a>, String> {
        let groups = gating.unreferenced() + 1;
        // Types several groups reach are shared; the others go by their one
        // group. Each with its reach.
        let mut shared: Vec<(&TypeDef, Vec<usize>)> = Vec::new();
        let mut single: Vec<Vec<(&TypeDef, Vec<usize>)>> = vec![Vec::new(); groups];
        for def in types {
            let reach = gating.reach(&def.name);
            if reach.len() > 1 {
                shared.push((def, reach));
            } else if let Some(list) = single.get_mut(reach.first().copied().unwrap_or(0)) {
                list.push((def, reach));
            }
        }
        let mut members = shared_crates(&shared);
        members.extend(runs(&single, "models"));
        // A member's name is a feature of the facade (its optional
        // dependency's): never a group's or the runtime's.
        let runtime = super::runtime::features();
        let taken: BTreeSet<&str> = gating
            .groups()
            .iter()
            .map(String::as_str)
            .chain(runtime.lines().filter_map(|l| l.split(" = ").next()))
            .collect();
        for member in &mut members {
            while taken.contains(member.name.as_str()) {
                member.name.push_str("_crate");
            }
        }
        let crate_of: HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.types.iter().map(move |t| (t.name.as_str(), i)))
            .collect();
        for (i, member) in members.iter_mut().enumerate() {
            for def in &member.types {
                for held in super::features::held_names(def) {
                    match crate_of.get(held) {
                        Some(&j) if j < i => {
                            member.deps.insert(j);
                        }
                        Some(&j) if j > i => {
                            return Err(format!(
                                "internal: model `{}` holds `{held}`, of a later crate",
                                def.name
                            ))
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(Plan { members })
    }
}

/// The shared types packed into crates of about [`SHARED_CRATE_WEIGHT`] by the
/// parts of the graph of which type holds which: a part is never split, so
/// no shared crate needs another and rustc checks them side by side.
/// Parts go in the order of their first type, each crate's types in the
/// API's order.
fn shared_crates<'a>(shared: &[(&'a TypeDef, Vec<usize>)]) -> Vec<Member<'a>> {
    let index: HashMap<&str, usize> = shared
        .iter()
        .enumerate()
        .map(|(i, (def, _))| (def.name.as_str(), i))
        .collect();
    let mut parts = Parts::new(shared.len());
    for (i, (def, _)) in shared.iter().enumerate() {
        for held in super::features::held_names(def) {
            if let Some(&j) = index.get(held) {
                parts.join(i, j);
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..shared.len() {
        by_root.entry(parts.root(i)).or_default().push(i);
    }
    // The root is a part's smallest index: parts in the order of their first type.
    let parts: Vec<Vec<usize>> = by_root.into_values().collect();
    let weights: Vec<usize> = parts
        .iter()
        .map(|part| part.iter().map(|&i| weight_of(shared[i].0)).sum())
        .collect();
    let mut packed: Vec<Vec<usize>> = Vec::new();
    for (part, run) in parts
        .into_iter()
        .zip(balanced(&weights, SHARED_CRATE_WEIGHT))
    {
        match packed.get_mut(run) {
            Some(held) => held.extend(part),
            None => packed.push(part),
        }
    }
    packed
        .into_iter()
        .enumerate()
        .map(|(n, mut held)| {
            held.sort_unstable();
            let mut member = Member::numbered("shared", n + 1);
            for i in held {
                let (def, reach) = &shared[i];
                member.hold(def, reach);
            }
            member
        })
        .collect()
}

/// Union–find over type indices, each part rooted at its smallest index.
struct Parts {
    parent: Vec<usize>,
}

impl Parts {
    fn new(len: usize) -> Self {
        Parts {
            parent: (0..len).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        let (low, high) = (a.min(b), a.max(b));
        self.parent[high] = low;
    }
}

/// Consecutive groups' types packed into crates of about [`CRATE_WEIGHT`],
/// named by [`crate::naming::member_crate`].
fn runs<'a>(by_group: &[Vec<(&'a TypeDef, Vec<usize>)>], prefix: &str) -> Vec<Member<'a>> {
    let lists: Vec<&Vec<(&TypeDef, Vec<usize>)>> =
        by_group.iter().filter(|l| !l.is_empty()).collect();
    let weights: Vec<usize> = lists
        .iter()
        .map(|list| list.iter().map(|(def, _)| weight_of(def)).sum())
        .collect();
    let mut members: Vec<Member<'a>> = Vec::new();
    for (list, run) in lists.into_iter().zip(balanced(&weights, CRATE_WEIGHT)) {
        if members.len() == run {
            members.push(Member::numbered(prefix, run + 1));
        }
        if let Some(member) = members.last_mut() {
            for (def, reach) in list {
                member.hold(def, reach);
            }
        }
    }
    members
}

/// Splits items of these weights, in order, into as few runs of about
/// equal weight as keep each near `limit`: the run of each item (0, 1, …,
/// none empty). An item goes to the run its middle falls in, so a change
/// moves only items near a boundary.
fn balanced(weights: &[usize], limit: usize) -> Vec<usize> {
    let total: usize = weights.iter().sum();
    let count = total.div_ceil(limit.max(1)).max(1);
    let mut before = 0;
    let mut runs: Vec<usize> = weights
        .iter()
        .map(|w| {
            let middle = before + w / 2;
            before += w;
            (middle * count / total.max(1)).min(count - 1)
        })
        .collect();
    // A heavy item can leave a run empty: number the runs densely.
    let mut dense = 0;
    let mut last = None;
    for run in &mut runs {
        if last.is_some_and(|l| l != *run) {
            dense += 1;
        }
        last = Some(*run);
        *run = dense;
    }
    runs
}

/// A rough measure of a type's code: its fields, values or members.
fn weight_of(def: &TypeDef) -> usize {
    use crate::ir::TypeKind;
    2 + match &def.kind {
        TypeKind::Struct(s) => 2 * s.fields.len(),
        TypeKind::Enum(e) => e.variants.len(),
        TypeKind::Union(u) => 2 * u.variants.len(),
        TypeKind::Tuple(t) => 2 * t.items.len(),
        TypeKind::Alias(_) => 0,
    }
}

/// A member's types by module (their name's first word), as the facade's
/// model modules are.
pub fn modules<'a, 'b>(types: &'b [&'a TypeDef]) -> BTreeMap<String, Vec<&'a TypeDef>> {
    let mut modules: BTreeMap<String, Vec<&'a TypeDef>> = BTreeMap::new();
    for def in types {
        modules
            .entry(crate::naming::module_name(crate::naming::first_word(
                &def.name,
            )))
            .or_default()
            .push(def);
    }
    modules
}

/// The facade's `[dependencies]` entries for the members: optional, each
/// an implicit feature of its name that the group features turn on.
pub fn facade_dependencies(plan: &Plan<'_>, package: &str) -> String {
    let validation = super::validation_crate::NAME;
    let mut text = super::validation_crate::dependency(package, &format!("crates/{validation}"));
    for m in &plan.members {
        text.push_str(&format!(
            "{name} = {{ package = {package}, path = \"crates/{name}\", optional = true }}\n",
            name = m.name,
            package = super::toml_string(&package_of(package, m)),
        ));
    }
    text
}

/// The group entries of the facade's `[features]` (the runtime's own
/// features come before them): each group turns on the members holding
/// its types, and the same feature of each.
pub fn facade_features(gating: &Gating, plan: &Plan<'_>) -> String {
    use super::features::{ALL_GROUPS, BOTH_DIRECTIONS, UNREFERENCED};
    let forward = |index: usize| -> String {
        let feature = gating.feature(index);
        list(
            plan.members
                .iter()
                .filter(|m| m.features.contains(&index))
                .map(|m| format!("{}/{feature}", m.name)),
        )
    };
    let mut text = format!("default = [\"{ALL_GROUPS}\"]\n{ALL_GROUPS} = [\n");
    for group in gating.groups() {
        text.push_str(&format!("    \"{group}\",\n"));
    }
    text.push_str(&format!("    \"{UNREFERENCED}\",\n]\n"));
    text.push_str(&format!(
        "{UNREFERENCED} = {}\n",
        forward(gating.unreferenced())
    ));
    let both = plan
        .members
        .iter()
        .map(|m| format!("{}?/{BOTH_DIRECTIONS}", m.name));
    text.push_str(&format!("{BOTH_DIRECTIONS} = {}\n", list(both)));
    for (index, group) in gating.groups().iter().enumerate() {
        text.push_str(&format!("{group} = {}\n", forward(index)));
    }
    text
}

/// A TOML array of strings, one a line.
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items
        .map(|i| format!("    {},\n", super::toml_string(&i)))
        .collect();
    if items.is_empty() {
        "[]".to_string()
    } else {
        format!("[\n{}]", items.concat())
    }
}

/// A member's package name: the facade's, then its own.
fn package_of(package: &str, member: &Member<'_>) -> String {
    format!("{package}-{}", member.name.replace('_', "-"))
}

/// A member's `Cargo.toml`: serde and the crates the models name, the
/// members it uses, and its features, each forwarded to those members.
pub fn member_manifest(
    plan: &Plan<'_>,
    member: &Member<'_>,
    gating: &Gating,
    header: &str,
    package: &str,
    version: &str,
) -> String {
    use super::features::BOTH_DIRECTIONS;
    let deps_of = |index: usize| {
        member
            .deps
            .iter()
            .filter_map(move |d| plan.members.get(*d))
            .filter(move |d| d.features.contains(&index))
    };
    let mut deps = super::runtime::model_dependencies();
    let validation = super::validation_crate::NAME;
    deps.push_str(&super::validation_crate::dependency(
        package,
        &format!("../{validation}"),
    ));
    for dep in member.deps.iter().filter_map(|d| plan.members.get(*d)) {
        deps.push_str(&format!(
            "{name} = {{ package = {package}, path = \"../{name}\" }}\n",
            name = dep.name,
            package = super::toml_string(&package_of(package, dep)),
        ));
    }
    let both = member
        .deps
        .iter()
        .filter_map(|d| plan.members.get(*d))
        .map(|d| format!("{}/{BOTH_DIRECTIONS}", d.name));
    let mut features = format!("{BOTH_DIRECTIONS} = {}\n", list(both));
    for index in &member.features {
        let feature = gating.feature(*index);
        let forward = deps_of(*index).map(|d| format!("{}/{feature}", d.name));
        features.push_str(&format!("{feature} = {}\n", list(forward)));
    }
    let package_table = super::package_table(
        &package_of(package, member),
        version,
        &format!("Models of `{package}`, which re-exports them"),
    );
    format!(
        "{header}\
         {package_table}\n\
         [dependencies]\n\
         {deps}\n\
         [features]\n\
         {features}\n\
         {tail}",
        tail = super::DOCS_RS_AND_LINTS,
    )
}

/// The jobs of every member's Rust files; its manifest and `de.rs` go
/// straight into `files`.
pub(super) fn member_jobs<'a>(
    plan: &'a Plan<'a>,
    ctx: &'a super::Context<'a>,
    gating: &'a Gating,
    header: &str,
    settings: &crate::Settings,
    files: &mut BTreeMap<String, String>,
) -> Vec<super::Job<'a>> {
    let mut jobs = Vec::new();
    for member in &plan.members {
        let dir = format!("crates/{}", member.name);
        files.insert(
            format!("{dir}/Cargo.toml"),
            member_manifest(
                plan,
                member,
                gating,
                &header.replacen("//", "#", 1),
                &settings.package_name,
                &settings.package_version,
            ),
        );
        let (de_path, de_text) = super::runtime::de_file(header);
        files.insert(format!("{dir}/{de_path}"), de_text);
        let modules = modules(&member.types);
        let names: Vec<String> = modules.keys().cloned().collect();
        let package = settings.package_name.clone();
        jobs.push(super::Job::new(format!("{dir}/src/lib.rs"), 1, move || {
            vec![member_lib(plan, member, &package, &names)]
        }));
        for (name, defs) in modules {
            jobs.push(super::Job::new(
                format!("{dir}/src/{name}.rs"),
                defs.len(),
                move || super::models::module(&defs, ctx, true, super::models::Part::Data),
            ));
        }
    }
    jobs
}

/// A member's `lib.rs`: the members it uses, glob-imported so its modules
/// name their types as one crate's would, the serde helpers, its modules.
fn member_lib(
    plan: &Plan<'_>,
    member: &Member<'_>,
    package: &str,
    names: &[String],
) -> TokenStream {
    let docs = [
        format!(
            " Models of `{package}` (`{}`), which re-exports them as `{package}::models`:",
            member.name
        ),
        " depend on that crate, not on this one.".to_string(),
    ];
    let deps = member
        .deps
        .iter()
        .filter_map(|d| plan.members.get(*d))
        .map(|d| super::types::ident(&d.name));
    let names: Vec<&String> = names.iter().collect();
    let mods = super::module_decls(&names, true);
    let validation = super::types::ident(super::validation_crate::NAME);
    quote! {
        #(#![doc = #docs])*
        #![cfg_attr(docsrs, feature(doc_cfg))]

        #(
            #[allow(unused_imports)]
            use ::#deps::*;
        )*

        #[allow(dead_code)]
        mod runtime {
            pub mod de;
            pub use ::#validation::validation;
        }

        #mods
    }
}

/// The facade's `models/mod.rs`: every member's types re-exported (when
/// some feature turns it on), and the modules of the runtime's impls.
pub(super) fn facade_models(plan: &Plan<'_>, names: &[String]) -> TokenStream {
    let members = plan.members.iter().map(|m| {
        let name = m.name.as_str();
        let ident = super::types::ident(name);
        quote! {
            #[cfg(feature = #name)]
            #[allow(unused_imports)]
            pub use ::#ident::*;
        }
    });
    let mods = names.iter().map(|n| super::types::ident(n));
    quote! {
        //! Models for every schema of the API, with `validate()` for their
        //! constraints. The types are defined in the member crates under
        //! `crates/` (one rustc each, so no one process checks them all) and
        //! re-exported here; their `Validate` impls are in the modules below.
        #(#members)*
        #(mod #mods;)*
    }
}

#[cfg(test)]
mod tests {
    use crate::{generate, Settings};
    use serde_json::json;

    /// Three tags of 150 operations, each returning a type of its own that
    /// holds one of five types all three reach; one schema no operation
    /// reaches.
    fn large_spec() -> String {
        let mut paths = serde_json::Map::new();
        let mut schemas = serde_json::Map::new();
        for i in 0..5 {
            schemas.insert(
                format!("Common{i}"),
                json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
            );
        }
        schemas.insert("Orphan".into(), json!({"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Common0"}}}));
        for tag in ["Alpha", "Beta", "Gamma"] {
            for i in 0..150 {
                let name = format!("{tag}Thing{i}");
                schemas.insert(
                    name.clone(),
                    json!({"type": "object", "properties": {
                        "shared": {"$ref": format!("#/components/schemas/Common{}", i % 5)},
                        "label": {"type": "string", "maxLength": 9}
                    }}),
                );
                paths.insert(
                    format!("/{tag}/{i}"),
                    json!({"get": {
                        "operationId": format!("get{name}"), "tags": [tag],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"$ref": format!("#/components/schemas/{name}")}}}}}
                    }}),
                );
            }
        }
        json!({"openapi": "3.0.3", "info": {"title": "Big", "version": "1"},
               "paths": paths, "components": {"schemas": schemas}})
        .to_string()
    }

    fn section<'a>(manifest: &'a str, key: &str) -> Vec<&'a str> {
        let start = format!("{key} = [");
        manifest
            .lines()
            .skip_while(|l| *l != start)
            .skip(1)
            .take_while(|l| *l != "]")
            .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
            .collect()
    }

    #[test]
    fn a_large_api_puts_its_models_in_member_crates_without_cycles() {
        let settings = Settings {
            package_name: "big".into(),
            ..Settings::default()
        };
        let files = generate(&large_spec(), &settings).unwrap().files;
        assert_eq!(files, generate(&large_spec(), &settings).unwrap().files);
        let manifest = &files["Cargo.toml"];
        // Types all three groups reach are shared; the others go with their group.
        let shared = &files["crates/shared_1/src/common0.rs"];
        assert!(shared.contains("pub struct Common0"), "{shared}");
        assert!(shared.contains("feature = \"unreferenced-types\""));
        let models = &files["crates/models_1/src/alpha.rs"];
        assert!(models.contains("pub struct AlphaThing0"));
        // Each member implements `Validate` from the validation crate, which
        // the facade's runtime re-exports; the facade re-exports the types.
        assert!(models.contains("impl Validate for AlphaThing0"));
        assert!(files["crates/validation/src/validation.rs"].contains("pub trait Validate"));
        assert!(files["src/runtime/validation.rs"].contains("pub use ::validation::validation::*;"));
        assert!(
            !files.contains_key("src/models/alpha.rs"),
            "no page, no facade impls"
        );
        assert!(files["src/models/mod.rs"].contains("pub use ::models_1::*;"));
        assert!(manifest.contains(
            "validation = { package = \"big-validation\", path = \"crates/validation\" }"
        ));
        assert_eq!(
            section(manifest, "alpha"),
            ["shared_1/alpha", "models_1/alpha"]
        );
        assert!(manifest.contains(
            "models_1 = { package = \"big-models-1\", path = \"crates/models_1\", optional = true }"
        ));
        let member = &files["crates/models_1/Cargo.toml"];
        assert!(
            member.contains("shared_1 = { package = \"big-shared-1\", path = \"../shared_1\" }")
        );
        assert!(member
            .contains("validation = { package = \"big-validation\", path = \"../validation\" }"));
        assert_eq!(section(member, "alpha"), ["shared_1/alpha"]);
        // No member names a later one: no cycles.
        let order: Vec<&str> = files
            .keys()
            .filter_map(|k| k.strip_prefix("crates/")?.strip_suffix("/Cargo.toml"))
            .collect();
        for (i, name) in order.iter().enumerate() {
            let text = &files[&format!("crates/{name}/Cargo.toml")];
            for later in order.iter().skip(i + 1).filter(|l| l.starts_with("shared")) {
                if name.starts_with("shared") {
                    assert!(
                        !text.contains(&format!("path = \"../{later}\"")),
                        "{name} → {later}"
                    );
                }
            }
            for other in order.iter().filter(|o| o.starts_with("models")) {
                assert!(
                    !text.contains(&format!("path = \"../{other}\"")),
                    "{name} → {other}"
                );
            }
        }
    }

    /// Two families of types that two groups reach, each a chain of 40
    /// types of 80 fields (more than a shared crate holds), declared
    /// interleaved: each family is one shared crate, and neither needs the
    /// other.
    #[test]
    fn shared_crates_hold_whole_families_and_need_no_other() {
        let mut spec: serde_json::Value = serde_json::from_str(&large_spec()).unwrap();
        for i in 0..40 {
            for family in ["Left", "Right"] {
                let mut props = serde_json::Map::new();
                for f in 0..80 {
                    props.insert(format!("f{f}"), json!({"type": "integer"}));
                }
                if i < 39 {
                    let next = format!("#/components/schemas/{family}{}", i + 1);
                    props.insert("next".into(), json!({"$ref": next}));
                }
                spec["components"]["schemas"][format!("{family}{i}")] =
                    json!({"type": "object", "properties": props});
            }
        }
        for (tag, family) in [
            ("Alpha", "Left"),
            ("Beta", "Left"),
            ("Alpha", "Right"),
            ("Beta", "Right"),
        ] {
            spec["paths"][format!("/{tag}/{family}")] = json!({"get": {
                "operationId": format!("get{tag}{family}"), "tags": [tag],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{family}0")}}}}}
            }});
        }
        let files = generate(&spec.to_string(), &Settings::default())
            .unwrap()
            .files;
        let holding = |name: &str| -> Vec<String> {
            files
                .iter()
                .filter(|(path, text)| {
                    path.starts_with("crates/shared_")
                        && text.contains(&format!("pub struct {name} "))
                })
                .filter_map(|(path, _)| path.split('/').nth(1).map(str::to_string))
                .collect()
        };
        let (left, right) = (holding("Left0"), holding("Right0"));
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(right.len(), 1, "{right:?}");
        assert_ne!(left, right);
        assert_eq!(holding("Left39"), left);
        assert_eq!(holding("Right39"), right);
        for (path, text) in &files {
            if path.starts_with("crates/shared_") && path.ends_with("Cargo.toml") {
                assert!(!text.contains("path = \"../shared_"), "{path}: {text}");
            }
        }
    }

    #[test]
    fn a_small_api_has_no_member_crates() {
        let spec = r#"{"openapi": "3.0.3", "info": {"title": "S", "version": "1"}, "paths": {}}"#;
        let files = generate(spec, &Settings::default()).unwrap().files;
        assert!(files.keys().all(|k| !k.starts_with("crates/")));
        assert!(files.contains_key("src/models.rs"));
    }
}
