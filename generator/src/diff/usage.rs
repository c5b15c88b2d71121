//! What each type is used for: building requests (parameters, bodies),
//! reading responses, or both, derived from the operations of the IR.

use crate::ir::Api;
use std::collections::{BTreeMap, BTreeSet};

/// Where a type appears, in the old or the new API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

impl Usage {
    /// How a change is judged: a type no operation uses is still public,
    /// so it counts as both built and read.
    pub fn judged(self) -> Usage {
        if self.request || self.response {
            self
        } else {
            Usage {
                request: true,
                response: true,
            }
        }
    }

    pub fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request and response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "no operation",
        }
    }
}

/// The usage of every type name, over the old and the new API together
/// (users' code was written against the old one and must work with the new).
pub struct Uses {
    by_name: BTreeMap<String, Usage>,
}

impl Uses {
    pub fn of(old: &Api, new: &Api) -> Uses {
        let mut by_name: BTreeMap<String, Usage> = BTreeMap::new();
        for api in [old, new] {
            let (request, response) = reached(api);
            for name in request {
                by_name.entry(name.to_string()).or_default().request = true;
            }
            for name in response {
                by_name.entry(name.to_string()).or_default().response = true;
            }
        }
        Uses { by_name }
    }

    pub fn get(&self, name: &str) -> Usage {
        self.by_name.get(name).copied().unwrap_or_default()
    }
}

/// Names reached from the request side (parameters, bodies) and from the
/// response side (responses, pager items) of every operation.
fn reached(api: &Api) -> (BTreeSet<&str>, BTreeSet<&str>) {
    let mut request: Vec<&str> = Vec::new();
    let mut response: Vec<&str> = Vec::new();
    for op in &api.operations {
        for shape in op.request_shapes() {
            shape.named_types(&mut request);
        }
        if let Some(shape) = op.response_shape() {
            shape.named_types(&mut response);
        }
        if let Some(p) = &op.pagination {
            p.item.named_types(&mut response);
        }
    }
    (closure(api, request), closure(api, response))
}

fn closure<'a>(api: &'a Api, mut todo: Vec<&'a str>) -> BTreeSet<&'a str> {
    let types: BTreeMap<&str, &crate::ir::TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
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
