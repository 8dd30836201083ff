//! One flat view of a schema, whichever of `openapiv3`'s `SchemaKind` variants it parsed into.
//!
//! `openapiv3` splits schemas into typed variants and a catch-all (`Any`) for mixtures such as
//! `type: object` together with `allOf`. The model only asks questions ("which properties?",
//! "which enum values?", "which `allOf` parts?"), so it reads every schema through this view.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// The JSON Schema `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

/// A schema read as one flat record.
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub ty: Option<Ty>,
    /// Unrecognised `type` text, for the error message.
    pub unknown_type: Option<&'a str>,
    pub format: Option<String>,
    pub enumeration: Vec<serde_json::Value>,
    pub properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>,
    pub required: Vec<&'a str>,
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
}

fn format_of<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn number_format(format: &NumberFormat) -> &'static str {
    match format {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

fn integer_format(format: &IntegerFormat) -> &'static str {
    match format {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

const NO_SCHEMAS: &[ReferenceOr<Schema>] = &[];

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            ty: None,
            unknown_type: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: NO_SCHEMAS,
            all_of: NO_SCHEMAS,
            any_of: NO_SCHEMAS,
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                view.ty = Some(Ty::String);
                view.format = format_of(&t.format, string_format);
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| {
                        v.clone()
                            .map_or(serde_json::Value::Null, serde_json::Value::String)
                    })
                    .collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                view.ty = Some(Ty::Number);
                view.format = format_of(&t.format, number_format);
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                view.ty = Some(Ty::Integer);
                view.format = format_of(&t.format, integer_format);
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                view.ty = Some(Ty::Boolean);
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(serde_json::Value::Null, serde_json::Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                view.ty = Some(Ty::Object);
                view.properties = t.properties.iter().map(|(k, v)| (k.as_str(), v)).collect();
                view.required = t.required.iter().map(String::as_str).collect();
                view.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                view.ty = Some(Ty::Array);
                view.items = t.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.ty = match any.typ.as_deref() {
                    None => None,
                    Some("string") => Some(Ty::String),
                    Some("number") => Some(Ty::Number),
                    Some("integer") => Some(Ty::Integer),
                    Some("boolean") => Some(Ty::Boolean),
                    Some("object") => Some(Ty::Object),
                    Some("array") => Some(Ty::Array),
                    Some(other) => {
                        view.unknown_type = Some(other);
                        None
                    }
                };
                view.format = any.format.clone();
                view.enumeration = any.enumeration.clone();
                view.properties = any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v))
                    .collect();
                view.required = any.required.iter().map(String::as_str).collect();
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.one_of = &any.one_of;
                view.all_of = &any.all_of;
                view.any_of = &any.any_of;
                view.has_not = any.not.is_some();
                // Properties or additionalProperties without `type` describe an object.
                if view.ty.is_none()
                    && view.unknown_type.is_none()
                    && (!view.properties.is_empty() || view.additional.is_some())
                {
                    view.ty = Some(Ty::Object);
                }
                if view.ty.is_none() && view.unknown_type.is_none() && view.items.is_some() {
                    view.ty = Some(Ty::Array);
                }
            }
        }
        view
    }

    /// Whether the schema has object structure of its own (properties or additionalProperties).
    pub fn is_object_like(&self) -> bool {
        self.ty == Some(Ty::Object) || !self.properties.is_empty() || self.additional.is_some()
    }

    /// A schema with nothing in it but `nullable` (and maybe `type: object`): the "null branch"
    /// of Microsoft Graph's `anyOf: [{$ref: X}, {type: object, nullable: true}]` idiom.
    pub fn is_null_placeholder(&self) -> bool {
        self.data.nullable
            && matches!(self.ty, None | Some(Ty::Object))
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
    }
}
