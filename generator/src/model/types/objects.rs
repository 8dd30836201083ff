//! Objects: an object schema's properties, gathered through the `allOf` parts it inherits
//! from (a redeclared property keeps its place and takes the new schema), into a `Struct`.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::{MAX_DEPTH, Resolved, TypeSpace, wrap_nullable};
use crate::error::{Error, ErrorKind, join_pointer};
use crate::model::refs;
use crate::model::view::View;
use crate::model::{DefaultValue, Field, Struct, TypeKind, TypeRef};
use crate::names::{self, Namespace, Role};

/// A property gathered from a schema and the `allOf` parts it inherits from.
struct PropertySource<'a> {
    wire: &'a str,
    schema: &'a ReferenceOr<Box<Schema>>,
    pointer: String,
    /// Type name of the schema that declares the property, to name inline types after it.
    owner: String,
}

/// An object schema with its `allOf` parts merged.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<PropertySource<'a>>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, String, String)>,
}

impl<'a> TypeSpace<'a> {
    /// An `allOf` that combines more than a single reference is an object to merge.
    pub(super) fn merges_objects(&self, view: &View<'_>) -> bool {
        view.all_of.len() > 1
            || view
                .all_of
                .iter()
                .any(|part| matches!(part, ReferenceOr::Item(s) if View::of(s).is_object_like()))
    }

    /// Gathers an object's properties, following `allOf` parts.
    pub(super) fn object(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        name: &str,
    ) -> Result<Struct, Error> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_object(schema, pointer, name, &mut parts, &mut visiting)?;

        let mut fields = Vec::new();
        // Every object keeps the members its schema does not declare, so that a value decodes
        // whatever the service adds and encodes back unchanged; only `additionalProperties:
        // false` promises there are none, and then the client cannot send any.
        let catch_all = !matches!(
            parts.additional,
            Some((AdditionalProperties::Any(false), _, _))
        );
        // The catch-all field's name is taken first: a property of that name gets another.
        let mut field_names = if catch_all {
            Namespace::with_reserved([names::ADDITIONAL_FIELD])
        } else {
            Namespace::new()
        };
        for ghost in parts
            .required
            .iter()
            .filter(|name| !parts.properties.iter().any(|p| p.wire == name.as_str()))
        {
            self.tolerate(
                Error::invalid(
                    &join_pointer(pointer, "required"),
                    format!("`required` lists `{ghost}`, which the object does not declare"),
                )
                .with_help("declare the property, or remove it from `required`"),
                "it is not checked",
            )?;
        }
        for property in parts.properties {
            let hint = names::member_type(&property.owner, property.wire);
            let resolved = match self.type_of(property.schema, &property.pointer, &hint) {
                Ok(resolved) => resolved,
                // Only this member falls back: the object keeps its other fields.
                Err(error) if self.lenient => {
                    let message = format!(
                        "{}; property `{}` of `{name}` is any JSON value (`serde_json::Value`)",
                        error.message(),
                        property.wire
                    );
                    self.warnings
                        .push(error.with_message(message).into_warning());
                    Resolved {
                        ty: TypeRef::Json,
                        nullable: true,
                    }
                }
                Err(error) => return Err(error),
            };
            let data = match property.schema {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let required = parts.required.contains(property.wire);
            let mut doc = data.and_then(|d| d.description.clone().or_else(|| d.title.clone()));
            if let ReferenceOr::Item(schema) = property.schema {
                // Values of a non-string enum are not a Rust enum; the docs list them.
                let listed = View::of(schema).enumeration;
                if !listed.is_empty() && !matches!(&resolved.ty, TypeRef::Named(_)) {
                    let values: Vec<String> = listed.iter().map(|v| format!("`{v}`")).collect();
                    let note = format!("One of {}.", values.join(", "));
                    doc =
                        Some(doc.map_or_else(|| note.clone(), |text| format!("{text}\n\n{note}")));
                }
            }
            // Both would leave the property out of requests and of answers alike.
            let both = data.is_some_and(|d| d.read_only && d.write_only);
            if both {
                self.tolerate(
                    Error::invalid(
                        &property.pointer,
                        format!(
                            "property `{}` is both `readOnly` and `writeOnly`",
                            property.wire
                        ),
                    )
                    .with_help("keep the one that is meant"),
                    "it is taken as neither",
                )?;
            }
            let default = data.and_then(|d| d.default.as_ref());
            let usable_default = match default {
                Some(value) if required && !resolved.nullable => {
                    self.default_value(value, &resolved.ty)
                }
                _ => None,
            };
            if let Some(value) = default {
                let note = format!("Defaults to `{value}`.");
                doc = Some(match doc {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note,
                });
            }
            // AutoRest's `x-ms-client-name` names the field; the wire name stays.
            let client_name = data
                .and_then(|d| d.extensions.get("x-ms-client-name"))
                .and_then(serde_json::Value::as_str)
                .filter(|name| !name.trim().is_empty());
            fields.push(Field {
                name: field_names.claim(&names::value_name(client_name.unwrap_or(property.wire))),
                wire: property.wire.to_owned(),
                pointer: property.pointer.clone(),
                ty: resolved.ty,
                required,
                nullable: resolved.nullable,
                default: usable_default,
                boxed: false,
                doc,
                read_only: !both && data.is_some_and(|d| d.read_only),
                write_only: !both && data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(value), pointer, owner)) => {
                let value =
                    self.type_of_unboxed(value, &pointer, &names::derived(&owner, Role::Value))?;
                Some(wrap_nullable(value))
            }
            Some((AdditionalProperties::Any(true), _, _)) | None => Some(TypeRef::Json),
            Some((AdditionalProperties::Any(false), _, _)) => None,
        };
        Ok(Struct {
            fields,
            additional,
            skipped: Vec::new(),
            patch: false,
        })
    }

    fn collect_object(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        owner: &str,
        parts: &mut ObjectParts<'a>,
        visiting: &mut Vec<String>,
    ) -> Result<(), Error> {
        let view = View::of(schema);
        for (index, part) in view.all_of.iter().enumerate() {
            let part_pointer = join_pointer(&join_pointer(pointer, "allOf"), &index.to_string());
            match part {
                ReferenceOr::Reference { reference } => {
                    let (target, target_pointer) =
                        refs::resolve(self.schemas, "schemas", reference, &part_pointer)?;
                    if visiting.len() >= MAX_DEPTH {
                        return Err(Error::new(
                            ErrorKind::Limit,
                            format!("`allOf` inherits through more than {MAX_DEPTH} schemas"),
                        )
                        .at_pointer(part_pointer)
                        .with_help("flatten the chain of `allOf` references"));
                    }
                    if visiting.contains(&target_pointer) {
                        return Err(Error::new(
                            ErrorKind::Invalid,
                            format!("`allOf` inherits from `{reference}`, which inherits from this schema"),
                        )
                        .at_pointer(part_pointer));
                    }
                    let owner = self.owner_name(&target_pointer, owner);
                    visiting.push(target_pointer.clone());
                    self.collect_object(target, &target_pointer, &owner, parts, visiting)?;
                    visiting.pop();
                }
                ReferenceOr::Item(inline) => {
                    self.collect_object(inline, &part_pointer, owner, parts, visiting)?;
                }
            }
        }
        for (wire, property) in &view.properties {
            let source = PropertySource {
                wire,
                schema: property,
                pointer: join_pointer(&join_pointer(pointer, "properties"), wire),
                owner: owner.to_owned(),
            };
            // A property redeclared by a derived schema keeps its place and takes the new schema.
            match parts.properties.iter_mut().find(|p| p.wire == *wire) {
                Some(existing) => *existing = source,
                None => parts.properties.push(source),
            }
        }
        parts
            .required
            .extend(view.required.iter().map(|r| (*r).to_owned()));
        if let Some(additional) = view.additional {
            parts.additional = Some((
                additional,
                join_pointer(pointer, "additionalProperties"),
                owner.to_owned(),
            ));
        }
        Ok(())
    }

    /// The type name of the component at `pointer`, or `fallback` for inline schemas.
    fn owner_name(&self, pointer: &str, fallback: &str) -> String {
        self.component_pointers
            .get(pointer)
            .map_or_else(|| fallback.to_owned(), |id| self.defs[id.0].name.clone())
    }

    fn default_value(&self, value: &serde_json::Value, ty: &TypeRef) -> Option<DefaultValue> {
        match (ty, value) {
            (TypeRef::String, serde_json::Value::String(s)) => {
                Some(DefaultValue::String(s.clone()))
            }
            (TypeRef::Bool, serde_json::Value::Bool(b)) => Some(DefaultValue::Bool(*b)),
            (TypeRef::I32 | TypeRef::I64, serde_json::Value::Number(n)) => {
                n.as_i64().map(DefaultValue::Integer)
            }
            (TypeRef::F32 | TypeRef::F64, serde_json::Value::Number(n)) => {
                n.as_f64().map(DefaultValue::Float)
            }
            (TypeRef::Named(id), serde_json::Value::String(s)) => match &self.defs[id.0].kind {
                TypeKind::StringEnum(e) => e
                    .variants
                    .iter()
                    .position(|v| &v.wire == s)
                    .map(|index| DefaultValue::Variant(*id, index)),
                _ => None,
            },
            _ => None,
        }
    }
}
