//! Changes to the client's methods: operations added, removed, renamed,
//! and their parameters, bodies, responses and pagers.

use super::usage::Usage;
use super::{arrow, checks, rust_type, Change, ChangeKind, Group, Severity};
use crate::ir::{Api, Body, Media, Operation, Param, ParamLocation, PathSegment, Response};
use std::collections::BTreeMap;

/// Parameters and bodies are what users' code builds.
const REQUEST: Usage = Usage {
    request: true,
    response: false,
};

fn method(op: &Operation) -> String {
    format!("Client::{}", op.fn_name.name)
}

/// Method and path, with path parameters' names left out: an operation
/// keeps its place when only its id or a parameter's name changes.
fn place(op: &Operation) -> String {
    let mut out = format!("{} ", op.method);
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

pub fn diff(old: &Api, new: &Api) -> Vec<Group> {
    let olds: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let news: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let removed: Vec<&Operation> = old
        .operations
        .iter()
        .filter(|o| !news.contains_key(o.id.as_str()))
        .collect();
    let added: Vec<&Operation> = new
        .operations
        .iter()
        .filter(|o| !olds.contains_key(o.id.as_str()))
        .collect();
    // Renamed: the only removed and the only added operation at a place.
    let mut places: BTreeMap<String, (Vec<&Operation>, Vec<&Operation>)> = BTreeMap::new();
    for o in &removed {
        places.entry(place(o)).or_default().0.push(o);
    }
    for o in &added {
        places.entry(place(o)).or_default().1.push(o);
    }
    let mut groups = Vec::new();
    for n in &new.operations {
        if let Some(o) = olds.get(n.id.as_str()) {
            groups.push(changed(o, n, false));
        }
    }
    for (_, (r, a)) in places {
        if let ([o], [n]) = (r.as_slice(), a.as_slice()) {
            groups.push(changed(o, n, true));
            continue;
        }
        for o in r {
            groups.push(single(o, ChangeKind::OperationRemoved, Severity::Breaking));
        }
        for n in a {
            groups.push(single(n, ChangeKind::OperationAdded, Severity::Compatible));
        }
    }
    groups
}

fn single(op: &Operation, kind: ChangeKind, severity: Severity) -> Group {
    let detail = format!("{} {} (`{}`)", op.method, op.path, op.id);
    Group::single(method(op), &op.pointer, None, kind, severity, detail)
}

struct Cx<'a> {
    old: &'a Operation,
    new: &'a Operation,
    changes: Vec<Change>,
}

impl Cx<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        severity: Severity,
        item: String,
        pointer: &str,
        detail: String,
    ) {
        self.changes
            .push(Change::new(kind, severity, item, pointer, detail));
    }

    /// `Client::list(zone)` for an argument, `client::ListParams::page` for
    /// an optional parameter.
    fn param_item(op: &Operation, p: &Param) -> String {
        if p.required {
            format!("{}({})", method(op), p.ident.name)
        } else {
            format!("client::{}::{}", op.params_type, p.ident.name)
        }
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn changed(o: &Operation, n: &Operation, renamed: bool) -> Group {
    let mut cx = Cx {
        old: o,
        new: n,
        changes: Vec::new(),
    };
    let m = method(n);
    if renamed || o.fn_name != n.fn_name {
        let detail = format!("was `{}` (`{}`)", method(o), o.id);
        cx.push(
            ChangeKind::OperationRenamed,
            Severity::Breaking,
            m.clone(),
            &n.pointer,
            detail,
        );
    }
    if !o.deprecated && n.deprecated {
        cx.push(
            ChangeKind::OperationDeprecated,
            Severity::Compatible,
            m.clone(),
            &n.pointer,
            "now `#[deprecated]`".into(),
        );
    }
    params(&mut cx);
    body(&mut cx, o.body.as_ref(), n.body.as_ref());
    let (ra, rb) = (response(&o.response), response(&n.response));
    if ra != rb {
        cx.push(
            ChangeKind::ResponseTypeChanged,
            Severity::Breaking,
            m.clone(),
            &n.pointer,
            arrow(&ra, &rb),
        );
    }
    match (&o.pagination, &n.pagination) {
        (None, Some(p)) => {
            let detail = format!("`{}` and `{}`", p.pages_fn.name, p.stream_fn.name);
            cx.push(
                ChangeKind::PagerGained,
                Severity::Compatible,
                m.clone(),
                &n.pointer,
                detail,
            );
        }
        (Some(p), None) => {
            let detail = format!("`{}` and `{}`", p.pages_fn.name, p.stream_fn.name);
            cx.push(
                ChangeKind::PagerLost,
                Severity::Breaking,
                m.clone(),
                &o.pointer,
                detail,
            );
        }
        _ => {}
    }
    stream_method(&mut cx, &m);
    Group {
        subject: m,
        pointer: n.pointer.clone(),
        used_in: None,
        changes: cx.changes,
    }
}

/// The `…_stream` method beside a binary response, gained or lost.
fn stream_method(cx: &mut Cx, m: &str) {
    let (o, n) = (cx.old, cx.new);
    match (&o.bytes_stream_fn, &n.bytes_stream_fn) {
        (None, Some(f)) => cx.push(
            ChangeKind::StreamMethodGained,
            Severity::Compatible,
            m.to_string(),
            &n.pointer,
            format!("`{}`", f.name),
        ),
        (Some(f), None) => cx.push(
            ChangeKind::StreamMethodLost,
            Severity::Breaking,
            m.to_string(),
            &o.pointer,
            format!("`{}`", f.name),
        ),
        _ => {}
    }
}

fn response(r: &Response) -> String {
    match r {
        Response::Json(shape) => rust_type(shape, false),
        Response::Text => "String".to_string(),
        Response::Bytes => "Vec<u8>".to_string(),
        Response::Empty => "()".to_string(),
        Response::Events(None) => "Stream<Event>".to_string(),
        Response::Events(Some(shape)) => format!("Stream<Event<{}>>", rust_type(shape, false)),
        Response::JsonLines(shape) => format!("Stream<{}>", rust_type(shape, false)),
    }
}

/// How parameters are matched: path parameters by their place in the
/// template (they are positional arguments), others by location and name.
fn param_keys(op: &Operation) -> Vec<(&'static str, String)> {
    let mut keys: Vec<(&'static str, String)> = op
        .params
        .iter()
        .map(|p| (location(p.location), p.name.clone()))
        .collect();
    let places = op.segments.iter().filter_map(|s| match s {
        PathSegment::Param(i) => Some(*i),
        PathSegment::Literal(_) => None,
    });
    for (n, i) in places.enumerate() {
        if let Some(key) = keys.get_mut(i) {
            *key = ("path", format!("#{n}"));
        }
    }
    keys
}

fn params(cx: &mut Cx<'_>) {
    let (o, n) = (cx.old, cx.new);
    let olds: BTreeMap<_, &Param> = param_keys(o).into_iter().zip(&o.params).collect();
    let news: BTreeMap<_, &Param> = param_keys(n).into_iter().zip(&n.params).collect();
    params_argument(cx);
    for (key, p) in param_keys(n).into_iter().zip(&n.params) {
        let item = Cx::param_item(n, p);
        let what = format!("{} parameter `{}`", location(p.location), p.name);
        match olds.get(&key) {
            None if p.required => {
                let detail = format!(
                    "required {what}: a new argument, {}",
                    rust_type(&p.shape, false)
                );
                cx.push(
                    ChangeKind::ParameterAdded,
                    Severity::Breaking,
                    item,
                    &p.pointer,
                    detail,
                );
            }
            None => {
                let detail = format!("optional {what}: {}", rust_type(&p.shape, false));
                cx.push(
                    ChangeKind::ParameterAdded,
                    Severity::Compatible,
                    item,
                    &p.pointer,
                    detail,
                );
            }
            Some(old) => param(cx, old, p, item),
        }
    }
    for (key, p) in param_keys(o).into_iter().zip(&o.params) {
        if !news.contains_key(&key) {
            let item = Cx::param_item(o, p);
            let detail = format!("{} parameter `{}`", location(p.location), p.name);
            cx.push(
                ChangeKind::ParameterRemoved,
                Severity::Breaking,
                item,
                &p.pointer,
                detail,
            );
        }
    }
}

/// The `params: &…Params` argument: there while any parameter is optional.
fn params_argument(cx: &mut Cx<'_>) {
    let (o, n) = (cx.old, cx.new);
    let has_struct = |op: &Operation| op.params.iter().any(|p| !p.required);
    let m = method(n);
    match (has_struct(o), has_struct(n)) {
        (false, true) => {
            let detail = format!("`params: &client::{}`", n.params_type);
            cx.push(
                ChangeKind::ParamsArgumentAdded,
                Severity::Breaking,
                m,
                &n.pointer,
                detail,
            );
        }
        (true, false) => {
            let detail = format!("`params: &client::{}`", o.params_type);
            cx.push(
                ChangeKind::ParamsArgumentRemoved,
                Severity::Breaking,
                m,
                &n.pointer,
                detail,
            );
        }
        (true, true) if o.params_type != n.params_type => {
            let detail = arrow(
                &format!("client::{}", o.params_type),
                &format!("client::{}", n.params_type),
            );
            cx.push(
                ChangeKind::ParamsTypeRenamed,
                Severity::Breaking,
                m,
                &n.pointer,
                detail,
            );
        }
        _ => {}
    }
}

fn param(cx: &mut Cx<'_>, a: &Param, b: &Param, item: String) {
    if a.name != b.name {
        // Only path parameters match under another name: a positional
        // argument's name is not part of a call.
        let detail = format!("was `{}`; callers pass it by position", a.name);
        cx.push(
            ChangeKind::ParameterRenamed,
            Severity::Compatible,
            item.clone(),
            &b.pointer,
            detail,
        );
    }
    if a.required != b.required {
        let (kind, detail) = if b.required {
            (
                ChangeKind::ParameterMadeRequired,
                "moved from the params struct to an argument",
            )
        } else {
            (
                ChangeKind::ParameterMadeOptional,
                "moved from an argument to the params struct",
            )
        };
        cx.push(
            kind,
            Severity::Breaking,
            item.clone(),
            &b.pointer,
            detail.into(),
        );
    }
    let (ta, tb) = (rust_type(&a.shape, false), rust_type(&b.shape, false));
    if ta != tb {
        cx.push(
            ChangeKind::ParameterTypeChanged,
            Severity::Breaking,
            item.clone(),
            &b.pointer,
            arrow(&ta, &tb),
        );
    }
    let found = checks::changes(&a.shape, &b.shape, REQUEST, &item, &b.pointer);
    cx.changes.extend(found);
}

fn body_type(b: &Body) -> String {
    match b.media {
        Media::Text => "&str".to_string(),
        Media::Bytes => "Vec<u8>".to_string(),
        Media::Multipart => match &b.form {
            Some(form) => form.type_name.clone(),
            None => "Multipart".to_string(),
        },
        _ => rust_type(&b.shape, false),
    }
}

fn body(cx: &mut Cx<'_>, a: Option<&Body>, b: Option<&Body>) {
    let item = format!("{}(body)", method(cx.new));
    let ptr = format!("{}/requestBody", cx.new.pointer);
    match (a, b) {
        (None, Some(b)) => {
            let detail = format!(
                "{}: {}",
                if b.required { "required" } else { "optional" },
                body_type(b)
            );
            cx.push(
                ChangeKind::BodyAdded,
                Severity::Breaking,
                item,
                &ptr,
                detail,
            );
        }
        (Some(a), None) => {
            let ptr = format!("{}/requestBody", cx.old.pointer);
            cx.push(
                ChangeKind::BodyRemoved,
                Severity::Breaking,
                item,
                &ptr,
                body_type(a),
            );
        }
        (Some(a), Some(b)) => body_changed(cx, a, b, item, &ptr),
        (None, None) => {}
    }
}

fn body_changed(cx: &mut Cx<'_>, a: &Body, b: &Body, item: String, ptr: &str) {
    if a.required != b.required {
        let kind = if b.required {
            ChangeKind::BodyMadeRequired
        } else {
            ChangeKind::BodyMadeOptional
        };
        let t = body_type(b);
        let (was, now) = if b.required {
            (format!("Option<&{t}>"), format!("&{t}"))
        } else {
            (format!("&{t}"), format!("Option<&{t}>"))
        };
        cx.push(
            kind,
            Severity::Breaking,
            item.clone(),
            ptr,
            arrow(&was, &now),
        );
    }
    let (ta, tb) = (body_type(a), body_type(b));
    if ta != tb || a.content_type != b.content_type {
        let detail = arrow(
            &format!("{ta} ({})", a.content_type),
            &format!("{tb} ({})", b.content_type),
        );
        cx.push(
            ChangeKind::BodyTypeChanged,
            Severity::breaking_if(ta != tb),
            item.clone(),
            ptr,
            detail,
        );
    }
    let found = checks::changes(&a.shape, &b.shape, REQUEST, &item, ptr);
    cx.changes.extend(found);
}
