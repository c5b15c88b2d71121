//! Lowering operations: parameters, request bodies and success responses.

use super::schema::{Lowerer, SchemaRef};
use super::{Body, Kind, Media, Operation, Param, ParamLocation, PathSegment, Response, Shape};
use crate::diagnostics::child;
use crate::naming::{self, Place, Scope};
use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operation_of<'a>(item: &'a PathItem, method: &str) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

/// An operation found in the spec, before lowering.
pub struct Found<'a> {
    pub id: String,
    pub path: &'a str,
    /// Lower case for 3.0's methods; as sent for the others (`QUERY`).
    pub method: &'a str,
    pub item: &'a PathItem,
    pub op: &'a openapiv3::Operation,
    pub pointer: String,
}

/// Every operation, with an id (declared, or derived from method and path):
/// those of 3.0's methods, then those of other methods (`extra`).
pub fn find<'a>(
    api: &'a openapiv3::OpenAPI,
    extra: &'a [crate::load::ExtraOperation],
    lowerer: &mut Lowerer<'a>,
) -> Vec<Found<'a>> {
    let mut out = standard(api, lowerer);
    for e in extra {
        let Some(ReferenceOr::Item(item)) = api.paths.paths.get(&e.path) else {
            continue;
        };
        let id = match &e.op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => derive_id(&e.method.to_ascii_lowercase(), &e.path),
        };
        out.push(Found {
            id,
            path: &e.path,
            method: &e.method,
            item,
            op: &e.op,
            pointer: e.pointer.clone(),
        });
    }
    out
}

fn standard<'a>(api: &'a openapiv3::OpenAPI, lowerer: &mut Lowerer<'a>) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_ptr = child("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                lowerer.diags.warn(
                    "skipped-path",
                    &item_ptr,
                    "an external, dangling or circular path item `$ref` is not supported; path skipped",
                );
                continue;
            }
        };
        for method in METHODS {
            let Some(op) = operation_of(item, method) else {
                continue;
            };
            let id = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => id.clone(),
                _ => derive_id(method, path),
            };
            out.push(Found {
                id,
                path,
                method,
                item,
                op,
                pointer: child(&item_ptr, method),
            });
        }
    }
    out
}

/// The request body's media type to send, in order of preference: JSON, a
/// URL-encoded form, multipart, else the first listed (as bytes).
fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, Media)> {
    content
        .iter()
        .find(|(ct, _)| is_json(ct))
        .map(|(ct, m)| (ct, m, Media::Json))
        .or_else(|| {
            content
                .iter()
                .find(|(ct, _)| ct.starts_with("application/x-www-form-urlencoded"))
                .map(|(ct, m)| (ct, m, Media::Form))
        })
        .or_else(|| {
            content
                .iter()
                .find(|(ct, _)| super::media::is_multipart(ct))
                .map(|(ct, m)| (ct, m, Media::Multipart))
        })
        .or_else(|| content.iter().next().map(|(ct, m)| (ct, m, Media::Bytes)))
}

/// `get /accounts/{account_id}/tokens` → `get_accounts_account_id_tokens`.
pub fn derive_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        id.push('_');
        id.push_str(part.trim_start_matches('{').trim_end_matches('}'));
    }
    id
}

impl<'a> Lowerer<'a> {
    pub fn lower_operation(&mut self, found: &Found<'a>, fn_name: naming::Ident) -> Operation {
        let op = found.op;
        let stem = naming::type_name(&found.id);
        let mut scope = Scope::new();
        // Names the generated method and its pagers use for themselves.
        for reserved in naming::OPERATION_LOCALS
            .iter()
            .chain(naming::PARAMS_METHODS)
        {
            scope.reserve(reserved);
        }
        let mut params: Vec<Param> = Vec::new();
        for (param, ptr) in self.resolved_params(found) {
            params.push(self.lower_param(param, ptr, &stem, &mut scope));
        }
        self.match_template_case(found, &mut params);
        self.drop_unused_path_params(found, &mut params);
        let segments = self.segments(found, &mut params, &mut scope);
        let body = self.body(found, &stem);
        let response = self.response(found, &stem);
        Operation {
            id: found.id.clone(),
            fn_name,
            params_type: String::new(),
            type_stem: stem,
            method: if METHODS.contains(&found.method) {
                found.method.to_uppercase()
            } else {
                found.method.to_string()
            },
            path: found.path.to_string(),
            segments,
            summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            params,
            body,
            response,
            pagination: None,
            bytes_stream_fn: None,
            // Set by the build from the security requirements.
            authenticated: false,
            pointer: found.pointer.clone(),
        }
    }

    /// The operation's parameters, path-level ones first, each with its
    /// pointer. Operation parameters override path-level ones with the same
    /// name and place; unresolved references are reported and left out.
    fn resolved_params(&mut self, found: &Found<'a>) -> Vec<(&'a Parameter, String)> {
        let mut all: Vec<(&'a ReferenceOr<Parameter>, String)> = Vec::new();
        let item_ptr = child("#/paths", found.path);
        for (i, p) in found.item.parameters.iter().enumerate() {
            all.push((p, child(&child(&item_ptr, "parameters"), &i.to_string())));
        }
        for (i, p) in found.op.parameters.iter().enumerate() {
            all.push((
                p,
                child(&child(&found.pointer, "parameters"), &i.to_string()),
            ));
        }
        let mut resolved: Vec<(&'a Parameter, String)> = Vec::new();
        for (p, ptr) in all {
            match self.resolver.parameter(p) {
                Ok(param) => {
                    let data = param.parameter_data_ref();
                    let same = |q: &(&Parameter, String)| {
                        q.0.parameter_data_ref().name == data.name
                            && std::mem::discriminant(q.0) == std::mem::discriminant(param)
                    };
                    resolved.retain(|q| !same(q));
                    resolved.push((param, ptr));
                }
                Err(msg) => self.diags.error("unresolved-ref", &ptr, msg),
            }
        }
        resolved
    }

    /// One parameter: its place, its argument name (unique in `scope`) and
    /// its shape, with an integer default kept for the params struct.
    fn lower_param(
        &mut self,
        param: &'a Parameter,
        ptr: String,
        stem: &str,
        scope: &mut Scope,
    ) -> Param {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let hint = naming::hint(stem, Place::Member(&data.name));
        let (shape, default_int) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                let default = match s {
                    ReferenceOr::Item(s) => s.schema_data.default.as_ref().and_then(|d| d.as_i64()),
                    ReferenceOr::Reference { .. } => None,
                };
                (
                    self.lower(SchemaRef::from(s), &child(&ptr, "schema"), &hint),
                    default,
                )
            }
            ParameterSchemaOrContent::Content(_) => (Shape::new(Kind::String), None),
        };
        Param {
            name: data.name.clone(),
            ident: scope.claim_ident(naming::snake_ident(&data.name)),
            location,
            required: data.required || location == ParamLocation::Path,
            doc: data.description.clone().filter(|d| !d.trim().is_empty()),
            shape,
            default_int,
            pointer: ptr,
        }
    }

    /// Leaves out, with a warning, each path parameter the template does not
    /// mention: it cannot be sent.
    fn drop_unused_path_params(&mut self, found: &Found<'a>, params: &mut Vec<Param>) {
        let template = found.path;
        params.retain(|p| {
            let used =
                p.location != ParamLocation::Path || template.contains(&format!("{{{}}}", p.name));
            if !used {
                self.diags.warn(
                    "unused-path-parameter",
                    &found.pointer,
                    format!(
                        "path parameter `{}` does not appear in the path; left out",
                        p.name
                    ),
                );
            }
            used
        });
    }

    /// Renames a declared path parameter to the template's spelling when
    /// they differ only by case (`userid` declared, `{userId}` written).
    fn match_template_case(&mut self, found: &Found<'a>, params: &mut [Param]) {
        let names = template_names(found.path);
        let declared = |name: &str, params: &[Param]| {
            params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == name)
        };
        for i in 0..params.len() {
            let p = &params[i];
            if p.location != ParamLocation::Path || names.contains(&p.name.as_str()) {
                continue;
            }
            let Some(spelled) = names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(&p.name) && !declared(n, params))
            else {
                continue;
            };
            self.diags.warn(
                "path-parameter-case",
                &p.pointer,
                format!(
                    "path parameter `{}` is written `{{{spelled}}}` in the path; read as that one",
                    p.name
                ),
            );
            params[i].name = spelled.to_string();
        }
    }

    /// Splits the path template; a `{name}` with no declared parameter gets a
    /// string parameter (and a warning).
    fn segments(
        &mut self,
        found: &Found<'a>,
        params: &mut Vec<Param>,
        scope: &mut Scope,
    ) -> Vec<PathSegment> {
        let mut out = Vec::new();
        let mut rest = found.path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                out.push(PathSegment::Literal(rest[..open].to_string()));
            }
            let name = &rest[open + 1..close];
            let idx = match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.name == name)
            {
                Some(i) => i,
                None => {
                    self.diags.warn(
                        "undeclared-path-parameter",
                        &found.pointer,
                        format!("path parameter `{name}` is not declared; taken as a string"),
                    );
                    params.push(Param {
                        name: name.to_string(),
                        ident: scope.claim_ident(naming::snake_ident(name)),
                        location: ParamLocation::Path,
                        required: true,
                        doc: None,
                        shape: Shape::new(Kind::String),
                        default_int: None,
                        pointer: found.pointer.clone(),
                    });
                    params.len() - 1
                }
            };
            out.push(PathSegment::Param(idx));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            out.push(PathSegment::Literal(rest.to_string()));
        }
        out
    }

    fn body(&mut self, found: &Found<'a>, stem: &str) -> Option<Body> {
        let r = found.op.request_body.as_ref()?;
        let ptr = child(&found.pointer, "requestBody");
        let body = match self.resolver.request_body(r) {
            Ok(b) => b,
            Err(msg) => {
                self.diags.error("unresolved-ref", &ptr, msg);
                return None;
            }
        };
        let content_ptr = child(&ptr, "content");
        let (content_type, media, kind) = pick_media(&body.content)?;
        let at = child(&content_ptr, content_type);
        if kind == Media::Multipart {
            return Some(Body {
                media: kind,
                content_type: content_type.clone(),
                shape: Shape::new(Kind::Bytes),
                required: body.required,
                doc: body.description.clone().filter(|d| !d.trim().is_empty()),
                form: self.form(media, &at, stem),
            });
        }
        let (kind, shape) = self.body_shape(kind, media, content_type, &at, stem);
        Some(Body {
            media: kind,
            content_type: content_type.clone(),
            shape,
            required: body.required,
            doc: body.description.clone().filter(|d| !d.trim().is_empty()),
            form: None,
        })
    }

    /// How a non-multipart body is sent and its shape: a form that is not an
    /// object goes as raw bytes (with a warning), and bytes of a text media
    /// type as text.
    fn body_shape(
        &mut self,
        kind: Media,
        media: &'a openapiv3::MediaType,
        content_type: &str,
        at: &str,
        stem: &str,
    ) -> (Media, Shape) {
        let shape = match (kind, &media.schema) {
            (Media::Bytes, _) => Shape::new(Kind::Bytes),
            (_, Some(s)) => self.lower(
                SchemaRef::from(s),
                &child(at, "schema"),
                &naming::hint(stem, Place::Body),
            ),
            (_, None) => Shape::new(Kind::Json),
        };
        let kind = if kind == Media::Form && !matches!(shape.kind, Kind::Named(_)) {
            self.diags.warn(
                "form-body-as-bytes",
                at,
                "a form body that is not an object is sent as raw bytes",
            );
            Media::Bytes
        } else {
            kind
        };
        let kind = if kind == Media::Bytes && is_text(content_type) {
            Media::Text
        } else {
            kind
        };
        let shape = match kind {
            Media::Bytes => Shape::new(Kind::Bytes),
            Media::Text => Shape::new(Kind::String),
            _ => shape,
        };
        (kind, shape)
    }

    /// The method returns the first success response's type; other success
    /// responses with another body are read as it, which the user is told.
    fn warn_other_successes(
        &mut self,
        success: &[(String, &'a ReferenceOr<openapiv3::Response>)],
        ptr: &str,
    ) {
        let Some(((code, first), rest)) = success.split_first() else {
            return;
        };
        let expected = json_body(&self.resolver, first);
        let differ: Vec<&str> = rest
            .iter()
            .filter(|(_, r)| json_body(&self.resolver, r) != expected)
            .map(|(c, _)| c.as_str())
            .collect();
        if !differ.is_empty() {
            self.diags.warn(
                "several-success-types",
                child(ptr, code),
                format!(
                    "success responses {} have another body than {code}; the method returns {code}'s",
                    differ.join(", ")
                ),
            );
        }
    }

    fn response(&mut self, found: &Found<'a>, stem: &str) -> Response {
        let responses = &found.op.responses;
        let ptr = child(&found.pointer, "responses");
        let mut success: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((c.to_string(), r)),
                StatusCode::Range(2) => Some(("2XX".to_string(), r)),
                _ => None,
            })
            .collect();
        success.sort_by(|a, b| a.0.cmp(&b.0));
        let chosen = match success.first() {
            Some((code, r)) => Some((code.clone(), *r)),
            None => responses
                .default
                .as_ref()
                .map(|r| ("default".to_string(), r)),
        };
        let Some((code, r)) = chosen else {
            return Response::Empty;
        };
        self.warn_other_successes(&success, &ptr);
        let at = child(&ptr, &code);
        let resp = match self.resolver.response(r) {
            Ok(resp) => resp,
            Err(msg) => {
                self.diags.error("unresolved-ref", &at, msg);
                return Response::Empty;
            }
        };
        let json = resp.content.iter().find(|(ct, _)| is_json(ct));
        match (json, resp.content.is_empty()) {
            (Some((ct, media)), _) => match &media.schema {
                Some(s) => {
                    let schema_ptr = child(&child(&child(&at, "content"), ct), "schema");
                    Response::Json(Box::new(self.lower(
                        SchemaRef::from(s),
                        &schema_ptr,
                        &naming::hint(stem, Place::Response),
                    )))
                }
                None => Response::Json(Box::new(Shape::new(Kind::Json))),
            },
            (None, true) => Response::Empty,
            (None, false) => match self.streamed(resp, &at, stem) {
                Some(streamed) => streamed,
                None if resp.content.keys().any(|ct| is_text(ct)) => Response::Text,
                None => Response::Bytes,
            },
        }
    }
}

/// The JSON body schema a response declares (`None` inside: JSON of no
/// stated schema), or `None` for no JSON body or an unresolved one.
fn json_body<'a>(
    resolver: &crate::resolve::Resolver<'a>,
    r: &'a ReferenceOr<openapiv3::Response>,
) -> Option<Option<&'a ReferenceOr<openapiv3::Schema>>> {
    let resp = resolver.response(r).ok()?;
    let (_, media) = resp.content.iter().find(|(ct, _)| is_json(ct))?;
    Some(media.schema.as_ref())
}

/// The parameter names a path template holds (`/a/{id}` → `id`).
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `text/plain`, `text/csv`, … (any `text/` type): a body of text.
fn is_text(content_type: &str) -> bool {
    media_type(content_type).starts_with("text/")
}

/// The media type without parameters, lower case.
pub(super) fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(content_type: &str) -> bool {
    let ct = media_type(content_type);
    ct == "application/json" || ct.ends_with("+json") || ct == "*/*"
}
