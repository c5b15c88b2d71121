//! Builds the IR from a loaded document.

use super::operation::{self, Found};
use super::schema::Lowerer;
use super::{dedup, pagination, recursion, security, Api};
use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::naming::{self, Place, Scope};
use crate::resolve::Resolver;
use crate::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// Methods the runtime's `Client` already has (a test in `emit/runtime.rs`
/// reads them from the runtime's files and checks this list holds them all).
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "base_url",
    "retry_policy",
    "pager_config",
    "send",
    "send_json",
    "send_bytes",
    "send_text",
    "send_empty",
    "send_byte_stream",
    "send_events",
    "send_events_json",
    "send_json_lines",
    "call_json",
    "call_text",
    "call_bytes",
    "call_empty",
    "call_byte_stream",
    "call_events",
    "call_events_json",
    "call_json_lines",
    "raw",
    "with_options",
    "max_response_bytes",
    "decode_json",
    "send_open",
    "send_with_retries",
    "open_stream",
    "open_events",
    "scrub",
    // Private, but an inherent method of the same name still clashes.
    "headers",
    "attempt",
    "clone",
    "fmt",
];

pub fn build(doc: &Document, settings: &Settings, diags: &mut Diagnostics) -> Api {
    let api = &doc.api;
    let mut lowerer = Lowerer::new(api, Resolver::new(api, &doc.pointer_targets));
    lowerer.lower_components();

    let mut found = operation::find(api, &doc.extra_operations, &mut lowerer);
    found.retain(|f| selected(f, settings));
    check_unique_ids(&found, &mut lowerer.diags);
    // Methods are named in id order, so a clash after case conversion
    // suffixes the same operation every time.
    found.sort_by(|a, b| a.id.cmp(&b.id).then(a.pointer.cmp(&b.pointer)));
    let mut fn_names = client_scope();
    let mut operations = lower_operations(api, &found, &mut lowerer, &mut fn_names);
    let mut types: BTreeMap<String, super::TypeDef> = std::mem::take(&mut lowerer.types);
    let merged_types = dedup::dedup(&mut types, &mut operations);
    // Names of the operations' own types live beside the models'.
    let mut params_names = lowerer.names.clone();
    for op in &mut operations {
        name_operation_extras(op, &types, &mut params_names, &mut fn_names);
    }
    operations.sort_by(|a, b| a.fn_name.name.cmp(&b.fn_name.name));

    if !settings.tags.is_empty() || !settings.operations.is_empty() {
        // Part of an API: exactly the types its operations reach.
        let keep = reachable(&operations, &types);
        types.retain(|name, _| keep.contains(name));
    }
    recursion::box_cycles(&mut types);
    diags.extend(std::mem::take(&mut lowerer.diags));
    let auth = security::lower(api, settings, diags);

    let api = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api
            .info
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        base_url: api
            .servers
            .first()
            .map(|s| s.url.clone())
            .unwrap_or_default(),
        types: types.into_values().collect(),
        operations,
        merged_types,
        auth,
    };
    naming::report_invalid(&api, diags);
    api
}

/// A scope for method names that already holds the runtime client's own methods.
fn client_scope() -> Scope {
    let mut fn_names = Scope::new();
    for reserved in CLIENT_METHODS {
        fn_names.reserve(reserved);
    }
    fn_names
}

/// Lowers each found operation under a method name of its own, warning
/// when its id's name is taken.
fn lower_operations<'a>(
    api: &openapiv3::OpenAPI,
    found: &[Found<'a>],
    lowerer: &mut Lowerer<'a>,
    fn_names: &mut Scope,
) -> Vec<super::Operation> {
    let mut operations = Vec::new();
    for f in found {
        let wanted = naming::snake_ident(&f.id);
        let fn_name = fn_names.claim_ident(wanted.clone());
        if fn_name.name != wanted.name {
            lowerer.diags.warn(
                "renamed-operation",
                &f.pointer,
                format!(
                    "operation `{}` is the method `{}`: `{}` is taken by another operation or by the client",
                    f.id, fn_name.name, wanted.name
                ),
            );
        }
        let mut op = lowerer.lower_operation(f, fn_name);
        op.authenticated = security::authenticated(api, f.op);
        operations.push(op);
    }
    operations
}

/// Names what an operation adds beside its method: the params struct, the
/// form type, the byte-stream method and the pager methods.
fn name_operation_extras(
    op: &mut super::Operation,
    types: &BTreeMap<String, super::TypeDef>,
    params_names: &mut Scope,
    fn_names: &mut Scope,
) {
    if op.params.iter().any(|p| !p.required) {
        op.params_type = params_names.claim(&naming::hint(&op.type_stem, Place::Params));
    }
    if let Some(form) = op.body.as_mut().and_then(|b| b.form.as_mut()) {
        form.type_name = params_names.claim(&naming::hint(&op.type_stem, Place::Form));
    }
    if matches!(op.response, super::Response::Bytes) {
        op.bytes_stream_fn = Some(fn_names.claim_ident(naming::stream_fn(&op.fn_name.name)));
    }
    op.pagination = pagination::detect(op, types).map(|mut p| {
        let (pages, stream) = naming::pager_fns(&op.fn_name.name);
        p.pages_fn = fn_names.claim_ident(pages);
        p.stream_fn = fn_names.claim_ident(stream);
        p
    });
}

/// Names of the types the operations use, directly or through other types.
fn reachable(
    operations: &[super::Operation],
    types: &BTreeMap<String, super::TypeDef>,
) -> BTreeSet<String> {
    let mut todo: Vec<&str> = Vec::new();
    for op in operations {
        for shape in op.request_shapes().into_iter().chain(op.response_shape()) {
            shape.named_types(&mut todo);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.to_string()) {
            continue;
        }
        if let Some(def) = types.get(name) {
            for shape in def.shapes() {
                shape.named_types(&mut todo);
            }
        }
    }
    seen
}

fn selected(f: &Found<'_>, settings: &Settings) -> bool {
    let by_tag = settings.tags.is_empty() || f.op.tags.iter().any(|t| settings.tags.contains(t));
    let by_id = settings.operations.is_empty() || settings.operations.contains(&f.id);
    by_tag && by_id
}

fn check_unique_ids(found: &[Found<'_>], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for f in found {
        if let Some(first) = seen.insert(&f.id, &f.pointer) {
            diags.error(
                "duplicate-operation-id",
                &f.pointer,
                format!("operationId `{}` is also used at {first}", f.id),
            );
        }
    }
}
