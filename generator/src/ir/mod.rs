//! The intermediate representation: what the emitters see.
//!
//! Everything here is already named (via [`crate::naming`]), de-duplicated
//! and sorted; nothing here refers to `openapiv3`. Emitters read the IR and
//! never look back at the spec.

mod build;
#[cfg(test)]
pub(crate) use build::CLIENT_METHODS;
mod checks;
mod compose;
mod dedup;
mod dependent;
mod media;
mod operation;
mod pagination;
mod recursion;
mod schema;
mod security;
mod tuple;
mod view;

pub use build::build;
pub use dependent::DEPENDENT_REQUIRED_EXTENSION;
pub use operation::METHODS;
pub use tuple::TUPLE_EXTENSION;

use crate::naming::Ident;

/// A whole API, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, the client's default base URL.
    pub base_url: String,
    /// Sorted by name; names are unique.
    pub types: Vec<TypeDef>,
    /// Sorted by function name; names are unique.
    pub operations: Vec<Operation>,
    /// How many inline types were merged into identical ones.
    pub merged_types: usize,
    /// How requests authenticate.
    pub auth: Auth,
}

/// The API's ways to authenticate, from `components/securitySchemes` and
/// the `security` requirements.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// Each a security requirement (schemes sent together), in precedence
    /// order: one holding a bearer token (HTTP bearer, OAuth2, OpenID
    /// Connect) first, then HTTP basic, then API keys only; ties in the
    /// order the spec first lists them (top-level `security`, then the
    /// operations in path order).
    pub alternatives: Vec<Alternative>,
    /// `{PREFIX}_BASE_URL`.
    pub env_base_url: String,
}

#[derive(Debug, Clone)]
pub struct Alternative {
    /// The `Credentials` constructor.
    pub ctor: Ident,
    pub schemes: Vec<SecurityScheme>,
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Its key under `components/securitySchemes`.
    pub key: String,
    pub kind: SchemeKind,
    pub doc: Option<String>,
    /// Its environment variables: user and password for basic, else one.
    pub env: Vec<String>,
    /// The constructor's argument(s) for it, matching `env`.
    pub args: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// HTTP bearer, OAuth2 or OpenID Connect: a token the user supplies.
    Bearer,
    Basic,
    ApiKey {
        location: KeyLocation,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// Whether a type's pointer is a component schema's own
/// (`#/components/schemas/<name>`), rather than a place inside one.
pub fn is_component_pointer(pointer: &str) -> bool {
    crate::diagnostics::component_of(pointer).is_some_and(|(kind, _)| kind == "schemas")
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// JSON pointer of the schema this type came from.
    pub pointer: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum with a catch-all variant for values the spec does not list.
    Enum(StringEnum),
    /// `anyOf` / `oneOf`.
    Union(Union),
    /// A named schema that is not an object, enum or union: `type X = …;`.
    Alias(Shape),
    /// A JSON array whose positions have types of their own (3.1
    /// `prefixItems`): a tuple struct, one field per position.
    Tuple(Tuple),
}

/// A tuple: the schemas of its first positions, then of the rest.
#[derive(Debug, Clone)]
pub struct Tuple {
    /// One per position, in order.
    pub items: Vec<Position>,
    /// How many leading positions every value has (`minItems`, at most
    /// the positions' count); the others are `Option`s.
    pub required: usize,
    /// The items after the positions; `None` when there may be none
    /// (`items: false`, or `maxItems` reached by the positions).
    pub rest: Option<Shape>,
    /// `minItems` beyond the positions (the rest must hold some), and
    /// `maxItems` beyond them: the length checks the type cannot state.
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

/// One position of a [`Tuple`].
#[derive(Debug, Clone)]
pub struct Position {
    pub shape: Shape,
    /// Set by the recursion pass, as for fields.
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to named properties: kept in a flattened map.
    pub additional: Option<Shape>,
    /// `dependentRequired`, over the fields' wire names.
    pub dependencies: Vec<Dependency>,
}

/// When `property` is present, every one of `requires` must be too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub property: String,
    pub requires: Vec<String>,
}

impl Struct {
    /// Whether the struct derives `Default`: every field is optional or
    /// nullable (so `None` is a value for each).
    pub fn derives_default(&self) -> bool {
        self.fields.iter().all(|f| !f.required || f.shape.nullable)
    }
}

impl TypeDef {
    /// The shapes this type holds: fields, additional properties, union
    /// variants, an alias's target.
    pub fn shapes(&self) -> Vec<&Shape> {
        match &self.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.shape)
                .chain(s.additional.as_ref())
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
            TypeKind::Alias(shape) => vec![shape],
            TypeKind::Tuple(t) => t
                .items
                .iter()
                .map(|p| &p.shape)
                .chain(t.rest.as_ref())
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    pub ident: Ident,
    pub doc: Option<String>,
    pub shape: Shape,
    pub required: bool,
    /// Set by the recursion pass: the field must be boxed to have a finite size.
    pub boxed: bool,
    /// JSON pointer of the property's schema.
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

impl Union {
    /// Whether a member is raw JSON (not behind an alias): it takes every
    /// value, so the union needs no catch-all `Other` variant of its own.
    pub fn has_raw_json_member(&self) -> bool {
        self.variants
            .iter()
            .any(|v| v.shape.kind == Kind::Json && v.shape.alias.is_none())
    }
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub shape: Shape,
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
    /// Discriminator value → index into `Union::variants`, sorted by value.
    pub mapping: Vec<(String, usize)>,
}

/// The shape of a value: its Rust type plus the constraints on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub kind: Kind,
    pub nullable: bool,
    pub checks: Checks,
    /// The name of the `type` alias this shape was reached through, if any:
    /// emitted as the Rust type, while checks come from the shape itself.
    pub alias: Option<String>,
}

impl Shape {
    /// Whether its Rust type is an `Option` for `null`: nullable, and not
    /// raw JSON (whose `Value` holds `null` itself).
    pub fn is_option(&self) -> bool {
        self.nullable && self.kind != Kind::Json
    }

    /// The named types this shape refers to directly: its alias, a
    /// `Named` kind, and those of array items and map values.
    pub fn named_types<'s>(&'s self, out: &mut Vec<&'s str>) {
        if let Some(alias) = &self.alias {
            out.push(alias);
        }
        match &self.kind {
            Kind::Named(n) => out.push(n),
            Kind::Array(inner) | Kind::Map(inner) => inner.named_types(out),
            _ => {}
        }
    }

    pub fn new(kind: Kind) -> Self {
        Shape {
            kind,
            nullable: false,
            checks: Checks::default(),
            alias: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A struct, enum or union defined in [`Api::types`].
    Named(String),
    String,
    /// `integer`; `bits` is 32 for `format: int32`, else 64.
    Integer {
        bits: u8,
    },
    Number,
    Boolean,
    DateTime,
    Date,
    /// Raw bytes (`format: binary` bodies).
    Bytes,
    /// Anything: no schema, or one that cannot be represented precisely.
    Json,
    Array(Box<Shape>),
    /// An object with arbitrary keys.
    Map(Box<Shape>),
}

/// Constraints from the schema, checked by the generated `validate()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// ECMA-262 patterns; a value must match every one (an `allOf` may add more).
    pub patterns: Vec<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// `enum` on a value that is not a string enum type, as JSON texts.
    pub one_of: Option<Vec<String>>,
}

impl Checks {
    pub fn is_empty(&self) -> bool {
        *self == Checks::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: Number,
    pub exclusive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// One HTTP operation, one client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    pub fn_name: Ident,
    /// UpperCamelCase stem for the operation's own types.
    pub type_stem: String,
    /// The struct holding the operation's optional parameters.
    pub params_type: String,
    /// Upper case: `GET`, `POST`, …
    pub method: String,
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    pub pagination: Option<Pagination>,
    /// For a binary response, the method returning it as a stream of
    /// chunks (beside the one returning it whole).
    pub bytes_stream_fn: Option<Ident>,
    /// Whether the client's credentials are sent (`false` for
    /// `security: []`, or no requirement at all).
    pub authenticated: bool,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ident: Ident,
    pub location: ParamLocation,
    pub required: bool,
    pub doc: Option<String>,
    pub shape: Shape,
    /// The schema's `default`, when it is an integer (used by the pager).
    pub default_int: Option<i64>,
    /// JSON pointer of the parameter (the operation's, for one only the
    /// path template declares).
    pub pointer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub media: Media,
    pub content_type: String,
    pub shape: Shape,
    pub required: bool,
    pub doc: Option<String>,
    /// The typed parts of a `multipart/form-data` body whose schema lists
    /// properties (`None`: the caller builds the parts).
    pub form: Option<Form>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Json,
    Form,
    /// `text/*`: sent as UTF-8 text.
    Text,
    /// octet-stream and any other type: sent as raw bytes.
    Bytes,
    /// `multipart/form-data`: file and text parts.
    Multipart,
}

/// A multipart body's parts, one per property of its schema.
#[derive(Debug, Clone)]
pub struct Form {
    /// The struct holding the parts (beside the models' names).
    pub type_name: String,
    pub parts: Vec<FormPart>,
}

#[derive(Debug, Clone)]
pub struct FormPart {
    /// The part's name on the wire (the property's).
    pub name: String,
    pub ident: Ident,
    pub kind: PartKind,
    pub required: bool,
    /// The value's shape (for `Text` and `Json` parts).
    pub shape: Shape,
    /// The `encoding` object's `contentType`, when it names one type.
    pub content_type: Option<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `format: binary` or `byte`: a file (bytes, file name, type).
    File,
    /// An array of those: one part per file, all with the property's name.
    Files,
    /// A scalar, sent as its text.
    Text,
    /// An object, array or anything else, sent as JSON.
    Json,
}

#[derive(Debug, Clone)]
pub enum Response {
    Json(Box<Shape>),
    /// A `text/*` body, as text.
    Text,
    Bytes,
    Empty,
    /// `text/event-stream`: a stream of events, their data as text
    /// (`None`) or decoded from JSON into the shape.
    Events(Option<Box<Shape>>),
    /// JSON lines (`application/x-ndjson`, `application/jsonl`,
    /// `application/json-seq`): a stream of items of the shape.
    JsonLines(Box<Shape>),
}

impl Operation {
    /// Every shape the request carries: parameters, the body and its parts.
    pub fn request_shapes(&self) -> Vec<&Shape> {
        let mut out: Vec<&Shape> = self.params.iter().map(|p| &p.shape).collect();
        if let Some(b) = &self.body {
            out.push(&b.shape);
            out.extend(b.form.iter().flat_map(|f| f.parts.iter().map(|p| &p.shape)));
        }
        out
    }

    /// The shape of a typed response body or of its streamed items.
    pub fn response_shape(&self) -> Option<&Shape> {
        match &self.response {
            Response::Json(shape) | Response::JsonLines(shape) | Response::Events(Some(shape)) => {
                Some(shape)
            }
            _ => None,
        }
    }

    /// [`Operation::request_shapes`] and [`Operation::response_shape`], to edit.
    pub fn shapes_mut(&mut self) -> Vec<&mut Shape> {
        let mut out: Vec<&mut Shape> = self.params.iter_mut().map(|p| &mut p.shape).collect();
        if let Some(b) = &mut self.body {
            out.push(&mut b.shape);
            out.extend(
                b.form
                    .iter_mut()
                    .flat_map(|f| f.parts.iter_mut().map(|p| &mut p.shape)),
            );
        }
        match &mut self.response {
            Response::Json(shape) | Response::JsonLines(shape) | Response::Events(Some(shape)) => {
                out.push(shape)
            }
            _ => {}
        }
        out
    }
}

/// Cloudflare V4 page-style pagination, detected from the operation's shape.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The envelope struct returned for each page.
    pub page_type: String,
    pub result_field: Ident,
    pub result_presence: Presence,
    pub item: Shape,
    /// The `result_info` field, when the envelope has one, and which of the
    /// standard counters its type carries.
    pub result_info: Option<ResultInfo>,
    /// Index into [`Operation::params`].
    pub page_param: usize,
    pub per_page_param: usize,
    /// The spec's default for `per_page`, if it states one.
    pub default_per_page: Option<i64>,
    /// Client methods returning a stream of pages and a stream of items.
    pub pages_fn: Ident,
    pub stream_fn: Ident,
}

#[derive(Debug, Clone)]
pub struct ResultInfo {
    pub field: Ident,
    pub presence: Presence,
    /// Counter name (`page`, `per_page`, `count`, `total_count`,
    /// `total_pages`) → its field in the `result_info` type.
    pub counters: Vec<(String, Ident, Presence)>,
}

/// How a struct field holds its value: `T`, `Option<T>` (null or absent),
/// or `Option<Option<T>>` (absent, null, or a value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    RequiredNullable,
    Optional,
    OptionalNullable,
}

impl Presence {
    pub fn of(field: &Field) -> Presence {
        let nullable = field.shape.is_option();
        match (field.required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}
