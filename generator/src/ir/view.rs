//! A single flat view over `openapiv3`'s schema variants, so lowering has one
//! path for typed schemas and for the untyped (`AnySchema`) ones real specs
//! are full of.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// The JSON type a schema declares or implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

/// A number as written in the spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

pub struct View<'a> {
    pub data: &'a SchemaData,
    /// The declared type, if any (`None` for untyped schemas).
    pub declared: Option<Ty>,
    /// A `type` the crate does not know (e.g. `null`, `file`).
    pub unknown_type: Option<&'a str>,
    pub format: Option<&'a str>,
    pub enum_values: Vec<Value>,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
    pub minimum: Option<Num>,
    pub maximum: Option<Num>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<Num>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<&'a str>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

const NO_REFS: &[ReferenceOr<Schema>] = &[];

impl<'a> View<'a> {
    fn empty(data: &'a SchemaData) -> Self {
        View {
            data,
            declared: None,
            unknown_type: None,
            format: None,
            enum_values: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: NO_REFS,
            any_of: NO_REFS,
            all_of: NO_REFS,
            has_not: false,
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            multiple_of: None,
            min_length: None,
            max_length: None,
            pattern: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            min_properties: None,
            max_properties: None,
        }
    }

    pub fn of(schema: &'a Schema) -> Self {
        let mut v = View::empty(&schema.schema_data);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => v.read_string(s),
            SchemaKind::Type(Type::Number(n)) => v.read_number(n),
            SchemaKind::Type(Type::Integer(n)) => v.read_integer(n),
            SchemaKind::Type(Type::Boolean(b)) => {
                v.declared = Some(Ty::Boolean);
                v.enum_values = b
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.declared = Some(Ty::Object);
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
                v.min_properties = o.min_properties;
                v.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.declared = Some(Ty::Array);
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => v.read_any(a),
        }
        v
    }

    /// Takes in the keywords of a `type: string` schema.
    fn read_string(&mut self, s: &'a openapiv3::StringType) {
        self.declared = Some(Ty::String);
        self.format = string_format(&s.format);
        self.pattern = s.pattern.as_deref();
        self.min_length = s.min_length;
        self.max_length = s.max_length;
        self.enum_values = s
            .enumeration
            .iter()
            .map(|e| e.clone().map_or(Value::Null, Value::String))
            .collect();
    }

    /// Takes in the keywords of a `type: number` schema.
    fn read_number(&mut self, n: &'a openapiv3::NumberType) {
        self.declared = Some(Ty::Number);
        self.format = unknown_or(&n.format);
        self.minimum = n.minimum.map(Num::Float);
        self.maximum = n.maximum.map(Num::Float);
        self.exclusive_minimum = n.exclusive_minimum;
        self.exclusive_maximum = n.exclusive_maximum;
        self.multiple_of = n.multiple_of.map(Num::Float);
        self.enum_values = n
            .enumeration
            .iter()
            .map(|e| e.map_or(Value::Null, Value::from))
            .collect();
    }

    /// Takes in the keywords of a `type: integer` schema.
    fn read_integer(&mut self, n: &'a openapiv3::IntegerType) {
        self.declared = Some(Ty::Integer);
        self.format = match &n.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Some("int32"),
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => Some("int64"),
            VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
            VariantOrUnknownOrEmpty::Empty => None,
        };
        self.minimum = n.minimum.map(Num::Int);
        self.maximum = n.maximum.map(Num::Int);
        self.exclusive_minimum = n.exclusive_minimum;
        self.exclusive_maximum = n.exclusive_maximum;
        self.multiple_of = n.multiple_of.map(Num::Int);
        self.enum_values = n
            .enumeration
            .iter()
            .map(|e| e.map_or(Value::Null, Value::from))
            .collect();
    }

    /// Takes in the keywords of an untyped (or unknown-typed) schema, which
    /// may carry any of them. Whole bounds of an integer stay integers.
    fn read_any(&mut self, a: &'a openapiv3::AnySchema) {
        match a.typ.as_deref() {
            Some("string") => self.declared = Some(Ty::String),
            Some("number") => self.declared = Some(Ty::Number),
            Some("integer") => self.declared = Some(Ty::Integer),
            Some("boolean") => self.declared = Some(Ty::Boolean),
            Some("object") => self.declared = Some(Ty::Object),
            Some("array") => self.declared = Some(Ty::Array),
            Some(other) => self.unknown_type = Some(other),
            None => {}
        }
        self.format = a.format.as_deref();
        self.pattern = a.pattern.as_deref();
        self.min_length = a.min_length;
        self.max_length = a.max_length;
        let int = self.declared == Some(Ty::Integer);
        let num = |x: f64| {
            if int && x.fract() == 0.0 && x.abs() < 9.0e15 {
                Num::Int(x as i64)
            } else {
                Num::Float(x)
            }
        };
        self.minimum = a.minimum.map(num);
        self.maximum = a.maximum.map(num);
        self.multiple_of = a.multiple_of.map(num);
        self.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
        self.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
        self.enum_values = a.enumeration.clone();
        if !a.properties.is_empty() || self.declared == Some(Ty::Object) {
            self.properties = Some(&a.properties);
        }
        self.required = &a.required;
        self.additional = a.additional_properties.as_ref();
        self.min_properties = a.min_properties;
        self.max_properties = a.max_properties;
        self.items = a.items.as_ref();
        self.min_items = a.min_items;
        self.max_items = a.max_items;
        self.unique_items = a.unique_items.unwrap_or(false);
        self.one_of = &a.one_of;
        self.any_of = &a.any_of;
        self.all_of = &a.all_of;
        self.has_not = a.not.is_some();
    }

    /// The type this schema has, declared or inferred from its keywords.
    pub fn ty(&self) -> Option<Ty> {
        if self.declared.is_some() {
            return self.declared;
        }
        if self.properties.is_some_and(|p| !p.is_empty()) || self.additional.is_some() {
            return Some(Ty::Object);
        }
        if self.items.is_some() || self.min_items.is_some() || self.max_items.is_some() {
            return Some(Ty::Array);
        }
        let non_null: Vec<&Value> = self.enum_values.iter().filter(|v| !v.is_null()).collect();
        if !non_null.is_empty() {
            if non_null.iter().all(|v| v.is_string()) {
                return Some(Ty::String);
            }
            if non_null.iter().all(|v| v.is_boolean()) {
                return Some(Ty::Boolean);
            }
            if non_null.iter().all(|v| v.is_i64() || v.is_u64()) {
                return Some(Ty::Integer);
            }
            if non_null.iter().all(|v| v.is_number()) {
                return Some(Ty::Number);
            }
            return None;
        }
        if self.pattern.is_some() || self.min_length.is_some() || self.max_length.is_some() {
            return Some(Ty::String);
        }
        if self.minimum.is_some() || self.maximum.is_some() || self.multiple_of.is_some() {
            return Some(Ty::Number);
        }
        None
    }

    /// `nullable: true`, or `null` among the enum values.
    pub fn nullable(&self) -> bool {
        self.data.nullable || self.enum_values.iter().any(Value::is_null)
    }

    pub fn doc(&self) -> Option<String> {
        let title = self
            .data
            .title
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let desc = self
            .data
            .description
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (title, desc) {
            (Some(t), Some(d)) if t != d => Some(format!("{t}\n\n{d}")),
            (_, Some(d)) => Some(d.to_string()),
            (Some(t), None) => Some(t.to_string()),
            (None, None) => None,
        }
    }
}

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn unknown_or<T>(f: &VariantOrUnknownOrEmpty<T>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        _ => None,
    }
}
