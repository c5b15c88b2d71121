//! Detects Cloudflare V4 page-style list operations from their shape (never
//! from their name): numeric `page` and `per_page` query parameters, and a
//! response envelope with a `result` array and, optionally, `result_info`.

use super::{
    Kind, Operation, Pagination, ParamLocation, Presence, Response, ResultInfo, TypeDef, TypeKind,
};
use std::collections::BTreeMap;

const COUNTERS: [&str; 5] = ["page", "per_page", "count", "total_count", "total_pages"];

pub fn detect(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<Pagination> {
    // A pager repeats the call with only the page changed; one with a
    // request body would have to hold the body too: such lists are plain
    // methods.
    if op.body.is_some() {
        return None;
    }
    let query_int = |name: &str| {
        op.params.iter().position(|p| {
            p.location == ParamLocation::Query
                && p.name == name
                && !p.required
                && !p.shape.nullable
                && matches!(p.shape.kind, Kind::Integer { .. } | Kind::Number)
        })
    };
    let page_param = query_int("page")?;
    let per_page_param = query_int("per_page")?;
    let Response::Json(shape) = &op.response else {
        return None;
    };
    let Kind::Named(page_type) = &shape.kind else {
        return None;
    };
    let TypeKind::Struct(envelope) = &types.get(page_type)?.kind else {
        return None;
    };
    let result = envelope.fields.iter().find(|f| f.wire_name == "result")?;
    let Kind::Array(item) = &result.shape.kind else {
        return None;
    };
    let result_info = envelope
        .fields
        .iter()
        .find(|f| f.wire_name == "result_info")
        .and_then(|f| {
            let Kind::Named(info_type) = &f.shape.kind else {
                return None;
            };
            let TypeKind::Struct(info) = &types.get(info_type)?.kind else {
                return None;
            };
            let counters = COUNTERS
                .iter()
                .filter_map(|c| {
                    let field = info.fields.iter().find(|f| f.wire_name == *c)?;
                    let integer = matches!(field.shape.kind, Kind::Integer { .. })
                        && field.shape.alias.is_none();
                    integer.then(|| (c.to_string(), field.ident.clone(), Presence::of(field)))
                })
                .collect();
            Some(ResultInfo {
                field: f.ident.clone(),
                presence: Presence::of(f),
                counters,
            })
        });
    let default_per_page = op.params[per_page_param].default_int;
    Some(Pagination {
        page_type: page_type.clone(),
        result_field: result.ident.clone(),
        result_presence: Presence::of(result),
        item: (**item).clone(),
        result_info,
        page_param,
        per_page_param,
        default_per_page,
        pages_fn: op.fn_name.clone(),
        stream_fn: op.fn_name.clone(),
    })
}
