//! Walking a document: every place that can hold a `$ref` or a schema, visited to collect the
//! references it holds or to prune discriminator mappings of types left out.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Example, Header, MediaType, Operation, Parameter,
    ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SchemaData, SchemaKind, Type,
};

/// The sections of `components` a `$ref` can point into, and which ones slicing keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Schemas,
    Responses,
    Parameters,
    Examples,
    RequestBodies,
    Headers,
    Links,
}

impl Kind {
    fn from_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schemas,
            "responses" => Kind::Responses,
            "parameters" => Kind::Parameters,
            "examples" => Kind::Examples,
            "requestBodies" => Kind::RequestBodies,
            "headers" => Kind::Headers,
            "links" => Kind::Links,
            _ => return None,
        })
    }
}

/// Splits a local component reference into its section and (unescaped) name.
fn parse_reference(reference: &str) -> Option<(Kind, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    Some((
        Kind::from_section(section)?,
        name.replace("~1", "/").replace("~0", "~"),
    ))
}

/// A discriminator mapping target may be a bare schema name or a reference.
fn mapping_reference(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// A reference found while walking: where it points, and whether the target is used as the
/// declared type of a value (which brings a polymorphic base's mapped types along).
pub(super) type Found = (Kind, String, bool);

/// What a walk does besides visiting: collect references, or remove mapping entries whose
/// types were not kept.
pub(super) enum Pass<'a> {
    Collect,
    Prune { schemas: &'a HashSet<String> },
}

/// Visits every place of a document that can hold a reference or a schema.
pub(super) struct Walker<'a> {
    pub(super) pass: Pass<'a>,
    pub(super) found: Vec<Found>,
}

impl Walker<'_> {
    pub(super) fn reference(&mut self, reference: &str, value: bool) {
        if let Pass::Collect = self.pass {
            if let Some((kind, name)) = parse_reference(reference) {
                self.found.push((kind, name, value));
            }
        }
    }

    pub(super) fn path_item(&mut self, item: &mut PathItem) {
        for parameter in &mut item.parameters {
            self.parameter(parameter);
        }
        for operation in operations_mut(item).into_iter().flatten() {
            self.operation(operation);
        }
    }

    fn operation(&mut self, operation: &mut Operation) {
        for parameter in &mut operation.parameters {
            self.parameter(parameter);
        }
        if let Some(body) = &mut operation.request_body {
            self.request_body(body);
        }
        if let Some(response) = &mut operation.responses.default {
            self.response(response);
        }
        for response in operation.responses.responses.values_mut() {
            self.response(response);
        }
        for callback in operation.callbacks.values_mut() {
            for item in callback.values_mut() {
                self.path_item(item);
            }
        }
    }

    pub(super) fn parameter(&mut self, parameter: &mut ReferenceOr<Parameter>) {
        match parameter {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(parameter) => self.parameter_data(parameter_data_mut(parameter)),
        }
    }

    fn parameter_data(&mut self, data: &mut ParameterData) {
        self.schema_or_content(&mut data.format);
        self.examples(&mut data.examples);
    }

    fn schema_or_content(&mut self, format: &mut ParameterSchemaOrContent) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.schema(schema, true),
            ParameterSchemaOrContent::Content(content) => self.content(content),
        }
    }

    fn examples(&mut self, examples: &mut IndexMap<String, ReferenceOr<Example>>) {
        for example in examples.values() {
            if let ReferenceOr::Reference { reference } = example {
                self.reference(reference, false);
            }
        }
    }

    fn content(&mut self, content: &mut IndexMap<String, MediaType>) {
        for media in content.values_mut() {
            if let Some(schema) = &mut media.schema {
                self.schema(schema, true);
            }
            self.examples(&mut media.examples);
            for encoding in media.encoding.values_mut() {
                for header in encoding.headers.values_mut() {
                    self.header(header);
                }
            }
        }
    }

    pub(super) fn request_body(&mut self, body: &mut ReferenceOr<RequestBody>) {
        match body {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(body) => self.content(&mut body.content),
        }
    }

    pub(super) fn response(&mut self, response: &mut ReferenceOr<Response>) {
        match response {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(response) => {
                for header in response.headers.values_mut() {
                    self.header(header);
                }
                self.content(&mut response.content);
                for link in response.links.values() {
                    if let ReferenceOr::Reference { reference } = link {
                        self.reference(reference, false);
                    }
                }
            }
        }
    }

    pub(super) fn header(&mut self, header: &mut ReferenceOr<Header>) {
        match header {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(header) => {
                self.schema_or_content(&mut header.format);
                self.examples(&mut header.examples);
            }
        }
    }

    /// A schema at a position; `value` says whether a reference here is the declared type of
    /// a value (everywhere but the parts of an `allOf` that merges objects, and `not`).
    pub(super) fn schema(&mut self, schema: &mut ReferenceOr<Schema>, value: bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, value),
            ReferenceOr::Item(schema) => self.schema_item(schema),
        }
    }

    fn boxed_schema(&mut self, schema: &mut ReferenceOr<Box<Schema>>, value: bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, value),
            ReferenceOr::Item(schema) => self.schema_item(schema),
        }
    }

    fn schema_item(&mut self, schema: &mut Schema) {
        if let Pass::Prune { schemas } = self.pass {
            prune_mapping(&mut schema.schema_data, schemas);
        }
        let merges = merges_objects(schema);
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for property in object.properties.values_mut() {
                    self.boxed_schema(property, true);
                }
                if let Some(AdditionalProperties::Schema(additional)) =
                    &mut object.additional_properties
                {
                    self.schema(additional, true);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(items) = &mut array.items {
                    self.boxed_schema(items, true);
                }
            }
            SchemaKind::Type(_) => {}
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                for part in parts {
                    self.schema(part, true);
                }
            }
            SchemaKind::AllOf { all_of } => {
                for part in all_of {
                    self.schema(part, !merges);
                }
            }
            SchemaKind::Not { not } => self.schema(not, false),
            SchemaKind::Any(any) => self.any_schema(any, merges),
        }
    }

    fn any_schema(&mut self, any: &mut AnySchema, merges: bool) {
        for property in any.properties.values_mut() {
            self.boxed_schema(property, true);
        }
        if let Some(AdditionalProperties::Schema(additional)) = &mut any.additional_properties {
            self.schema(additional, true);
        }
        if let Some(items) = &mut any.items {
            self.boxed_schema(items, true);
        }
        for part in any.one_of.iter_mut().chain(any.any_of.iter_mut()) {
            self.schema(part, true);
        }
        for part in &mut any.all_of {
            self.schema(part, !merges);
        }
        if let Some(not) = &mut any.not {
            self.schema(not, false);
        }
    }
}

pub(super) fn operations_mut(item: &mut PathItem) -> [Option<&mut Operation>; 8] {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
}

pub(super) fn operation_slots(item: &mut PathItem) -> [&mut Option<Operation>; 8] {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
}

fn parameter_data_mut(parameter: &mut Parameter) -> &mut ParameterData {
    match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    }
}

/// Whether a schema has object structure of its own (properties, additionalProperties, or
/// `type: object`).
fn object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => true,
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("object")
                || !any.properties.is_empty()
                || any.additional_properties.is_some()
        }
        _ => false,
    }
}

/// Whether the schema's `allOf` merges the properties of its parts into one object (the parts
/// are inherited), rather than naming a single other type.
fn merges_objects(schema: &Schema) -> bool {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return false,
    };
    all_of.len() > 1
        || object_like(schema)
        || all_of
            .iter()
            .any(|part| matches!(part, ReferenceOr::Item(part) if object_like(part)))
}

/// The schemas a polymorphic base type's discriminator maps to: an object (or `allOf`) schema
/// with a discriminator mapping and no `oneOf`/`anyOf`.
pub(super) fn mapped_subtypes(schema: &ReferenceOr<Schema>) -> Vec<String> {
    let ReferenceOr::Item(schema) = schema else {
        return Vec::new();
    };
    let Some(discriminator) = &schema.schema_data.discriminator else {
        return Vec::new();
    };
    let polymorphic = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => {
            (object_like(schema) || !any.all_of.is_empty())
                && any.one_of.is_empty()
                && any.any_of.is_empty()
        }
        _ => false,
    };
    if !polymorphic {
        return Vec::new();
    }
    discriminator
        .mapping
        .values()
        .filter_map(|target| match parse_reference(&mapping_reference(target)) {
            Some((Kind::Schemas, name)) => Some(name),
            _ => None,
        })
        .collect()
}

/// Removes the mapping entries whose schema was not kept.
fn prune_mapping(data: &mut SchemaData, kept: &HashSet<String>) {
    if let Some(discriminator) = &mut data.discriminator {
        discriminator.mapping.retain(|_, target| {
            match parse_reference(&mapping_reference(target)) {
                Some((Kind::Schemas, name)) => kept.contains(&name),
                _ => true,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_split_and_unescaped() {
        assert_eq!(
            parse_reference("#/components/schemas/a~1b~0c"),
            Some((Kind::Schemas, String::from("a/b~c")))
        );
        assert_eq!(
            parse_reference("#/components/requestBodies/x"),
            Some((Kind::RequestBodies, String::from("x")))
        );
        assert_eq!(parse_reference("other.yaml#/components/schemas/x"), None);
        assert_eq!(parse_reference("#/components/callbacks/x"), None);
        assert_eq!(parse_reference("#/components/schemas/a/b"), None);
    }
}
