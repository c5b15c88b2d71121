//! Bodies that are not one JSON value: the parts of a `multipart/form-data`
//! request body, and streamed responses (server-sent events, JSON lines).

use openapiv3::{MediaType, Response as SpecResponse};

use super::schema::{Lowerer, SchemaRef};
use super::view::{Ty, View};
use super::{Form, FormPart, Kind, PartKind, Response, Shape};
use crate::diagnostics::child;
use crate::load::ITEM_SCHEMA_MARK;
use crate::naming::{self, Place, Scope};

/// `text/event-stream`.
pub fn is_event_stream(content_type: &str) -> bool {
    super::operation::media_type(content_type) == "text/event-stream"
}

/// JSON lines in any of their names.
pub fn is_json_lines(content_type: &str) -> bool {
    matches!(
        super::operation::media_type(content_type).as_str(),
        "application/x-ndjson"
            | "application/jsonl"
            | "application/json-seq"
            | "application/jsonlines"
    )
}

pub fn is_multipart(content_type: &str) -> bool {
    super::operation::media_type(content_type) == "multipart/form-data"
}

impl<'a> Lowerer<'a> {
    /// The schema a `$ref` or inline schema stands for, as a view.
    fn view_of(&self, r: SchemaRef<'a>) -> Option<View<'a>> {
        match r {
            SchemaRef::Item(s) => Some(View::of(s)),
            SchemaRef::Ref(reference) => self
                .resolver
                .schema(reference)
                .ok()
                .map(|(s, _)| View::of(s)),
        }
    }

    /// The parts of a multipart body, one per property of its schema
    /// (`None` when the schema lists none: the caller builds the parts).
    pub fn form(&mut self, media: &'a MediaType, at: &str, stem: &str) -> Option<Form> {
        let schema = SchemaRef::from(media.schema.as_ref()?);
        let view = self.view_of(schema)?;
        let properties = view.properties.filter(|p| !p.is_empty())?;
        let mut scope = Scope::new();
        let mut parts = Vec::new();
        for (name, prop) in properties {
            let ptr = child(&child(&child(at, "schema"), "properties"), name);
            let prop_view = self.view_of(SchemaRef::from(prop));
            let kind = match &prop_view {
                Some(v) if is_file(v) => PartKind::File,
                Some(v) if v.ty() == Some(Ty::Array) && self.items_are_files(v) => PartKind::Files,
                Some(v) if matches!(v.ty(), Some(Ty::Object | Ty::Array) | None) => PartKind::Json,
                Some(_) => PartKind::Text,
                None => PartKind::Json,
            };
            let shape = match kind {
                PartKind::File | PartKind::Files => Shape::new(Kind::Bytes),
                _ => self.lower(
                    SchemaRef::from(prop),
                    &ptr,
                    &naming::hint(stem, Place::FormField(name)),
                ),
            };
            let content_type = media
                .encoding
                .get(name)
                .and_then(|e| e.content_type.as_deref())
                .map(str::trim)
                .filter(|ct| !ct.is_empty() && !ct.contains(',') && !ct.contains(['\r', '\n']))
                .map(str::to_string);
            parts.push(FormPart {
                name: name.clone(),
                ident: scope.claim_ident(naming::snake_ident(name)),
                kind,
                required: view.required.contains(name),
                shape,
                content_type,
                doc: prop_view.and_then(|v| v.doc()),
            });
        }
        Some(Form {
            type_name: String::new(),
            parts,
        })
    }

    fn items_are_files(&self, array: &View<'a>) -> bool {
        let items = array.items.map(SchemaRef::from);
        items
            .and_then(|i| self.view_of(i))
            .is_some_and(|v| is_file(&v))
    }

    /// A streamed response (events or JSON lines) when the response has
    /// one of those media types.
    pub fn streamed(&mut self, resp: &'a SpecResponse, at: &str, stem: &str) -> Option<Response> {
        let (ct, media) = resp
            .content
            .iter()
            .find(|(ct, _)| is_event_stream(ct) || is_json_lines(ct))?;
        let items = media.extensions.contains_key(ITEM_SCHEMA_MARK);
        let shape = media.schema.as_ref().map(|s| {
            let ptr = child(&child(&child(at, "content"), ct), "schema");
            self.lower(SchemaRef::from(s), &ptr, &format!("{stem}Item"))
        });
        if is_event_stream(ct) {
            // Data a schema types as text (or not at all) stays text.
            return Some(Response::Events(
                shape.filter(|s| s.kind != Kind::String).map(Box::new),
            ));
        }
        let item = match shape {
            Some(shape) if items => shape,
            // A 3.0 spec describes the whole body: its items, or, for a
            // string (the text of the lines), untyped JSON values.
            Some(Shape {
                kind: Kind::Array(item),
                ..
            }) => *item,
            Some(shape) if shape.kind != Kind::String => shape,
            _ => Shape::new(Kind::Json),
        };
        Some(Response::JsonLines(Box::new(item)))
    }
}

/// A string of `format: binary` or `byte`: a file part.
fn is_file(view: &View<'_>) -> bool {
    view.ty() == Some(Ty::String) && matches!(view.format, Some("binary" | "byte"))
}
