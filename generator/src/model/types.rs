//! The type space: every schema the API uses, as named Rust-shaped types.
//!
//! Component schemas get their names first, in document order, so that a name never depends on
//! which operation happened to use a schema first. Inline object and enum schemas are named
//! from the component (or operation) that owns them and the property they sit in, and are
//! remembered by JSON pointer, so a property inherited through `allOf` by several types still
//! produces one type.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Discriminator, OpenAPI, ReferenceOr, Schema};

use super::refs;
use super::view::{Ty, View};
use super::{
    DefaultValue, Field, OneOf, OneOfVariant, StringEnum, Struct, TypeDef, TypeId, TypeKind,
    TypeRef, Variant,
};
use crate::error::{Error, ErrorKind, join_pointer};
use crate::names::{self, Namespace};

/// How deep schemas may nest before the document is refused (protects the stack).
const MAX_DEPTH: usize = 64;

/// A type at a use site, with whether the schema admits `null`.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// The type space being built.
pub struct TypeSpace<'a> {
    schemas: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    defs: Vec<TypeDef>,
    components: HashMap<String, TypeId>,
    /// Component schemas by JSON pointer, to name inline types after the schema declaring them.
    component_pointers: HashMap<String, TypeId>,
    inline: HashMap<String, TypeId>,
    patches: HashMap<TypeId, TypeId>,
    /// Polymorphic base types (object schemas with a discriminator mapping) -> their `Any*` enum.
    polymorphic: HashMap<TypeId, TypeId>,
    names: Namespace,
    depth: usize,
}

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
    /// Creates the space and names every component schema.
    pub fn new(api: &'a OpenAPI) -> Result<Self, Error> {
        Self::with_names(api, None)
    }

    /// Creates the space, naming component schemas as if the document held the components
    /// `naming` (in that order): names it lacks only reserve their type names, so a slice of a
    /// larger document keeps the larger document's names. Components missing from `naming`
    /// are named after it.
    pub fn with_names(api: &'a OpenAPI, naming: Option<&[String]>) -> Result<Self, Error> {
        let schemas = api.components.as_ref().map(|c| &c.schemas);
        let mut space = TypeSpace {
            schemas,
            defs: Vec::new(),
            components: HashMap::new(),
            component_pointers: HashMap::new(),
            inline: HashMap::new(),
            patches: HashMap::new(),
            polymorphic: HashMap::new(),
            names: Namespace::new(),
            depth: 0,
        };
        let mut keys: Vec<&String> = schemas.map(|s| s.keys().collect()).unwrap_or_default();
        if let Some(naming) = naming {
            let listed: std::collections::HashSet<&String> = naming.iter().collect();
            keys.retain(|key| !listed.contains(key));
            keys.splice(0..0, naming.iter());
        }
        let mut by_short: HashMap<String, usize> = HashMap::new();
        for key in &keys {
            *by_short
                .entry(names::type_name(names::last_segment(key)))
                .or_default() += 1;
        }
        for key in keys {
            let short = names::type_name(names::last_segment(key));
            // Two components sharing a last segment (`a.Item`, `b.Item`) are both named in full.
            let candidate = if by_short.get(&short).copied().unwrap_or(0) > 1 {
                names::type_name(key)
            } else {
                short
            };
            let name = space.names.claim(&candidate);
            if space.components.contains_key(key) || !schemas.is_some_and(|s| s.contains_key(key)) {
                continue;
            }
            let pointer = join_pointer("#/components/schemas", key);
            let id = space.push(name, pointer.clone());
            space.components.insert(key.clone(), id);
            space.component_pointers.insert(pointer, id);
        }
        Ok(space)
    }

    fn push(&mut self, name: String, pointer: String) -> TypeId {
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            pointer,
            doc: None,
            deprecated: false,
            kind: TypeKind::Alias(TypeRef::Json),
        });
        id
    }

    /// Claims a fresh name in `models` for a type the generator introduces.
    pub fn claim_name(&mut self, candidate: &str) -> String {
        self.names.claim(&names::type_name(candidate))
    }

    /// The definition behind `id`.
    pub fn def(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Defines every component schema, in document order.
    pub fn build_components(&mut self) -> Result<(), Error> {
        let Some(schemas) = self.schemas else {
            return Ok(());
        };
        // Each schema's problems are independent of the others': report them all at once.
        let mut errors = Vec::new();
        for (key, schema) in schemas {
            let id = self.components[key];
            let pointer = self.defs[id.0].pointer.clone();
            let name = self.defs[id.0].name.clone();
            let result = match schema {
                ReferenceOr::Reference { reference } => {
                    self.reference(reference, &pointer).map(|target| {
                        self.defs[id.0].kind = TypeKind::Alias(target.ty);
                    })
                }
                ReferenceOr::Item(schema) => self.define(id, schema, &pointer, &name),
            };
            if let Err(error) = result {
                errors.push(error);
                if errors.len() >= crate::error::MAX_DIAGNOSTICS {
                    break;
                }
            }
        }
        errors.extend(alias_cycles(&mut self.defs));
        errors.extend(one_of_cycles(&mut self.defs));
        Error::from_diagnostics(errors).map_or(Ok(()), Err)
    }

    /// Fills in the definition `id` from `schema`.
    fn define(
        &mut self,
        id: TypeId,
        schema: &'a Schema,
        pointer: &str,
        name: &str,
    ) -> Result<(), Error> {
        let view = View::of(schema);
        let doc = view
            .data
            .description
            .clone()
            .or_else(|| view.data.title.clone());
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        let keyword = if view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let kind = if let Some(string_enum) = self.string_enum(&view, pointer)? {
            TypeKind::StringEnum(string_enum)
        } else if !view.is_object_like() && view.all_of.is_empty() && count_real(alternatives) > 1 {
            let discriminator = view.data.discriminator.as_ref();
            TypeKind::OneOf(self.one_of(alternatives, keyword, discriminator, pointer, name)?)
        } else if view.is_object_like() || self.merges_objects(&view) {
            TypeKind::Struct(self.object(schema, pointer, name)?)
        } else {
            let resolved = self.inline_schema(schema, pointer, name)?;
            let ty = if resolved.nullable {
                TypeRef::Option(Box::new(resolved.ty))
            } else {
                resolved.ty
            };
            TypeKind::Alias(ty)
        };
        let def = &mut self.defs[id.0];
        def.doc = doc;
        def.deprecated = view.data.deprecated;
        def.kind = kind;
        Ok(())
    }

    /// An `allOf` that combines more than a single reference is an object to merge.
    fn merges_objects(&self, view: &View<'_>) -> bool {
        view.all_of.len() > 1
            || view
                .all_of
                .iter()
                .any(|part| matches!(part, ReferenceOr::Item(s) if View::of(s).is_object_like()))
    }

    /// The type of a schema-or-reference at `pointer`; `hint` names inline types.
    pub fn type_of(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> Result<Resolved, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline_schema(schema, pointer, hint),
        }
    }

    /// Same as [`Self::type_of`] for the unboxed references that `allOf`/`oneOf` hold.
    pub fn type_of_unboxed(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Result<Resolved, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline_schema(schema, pointer, hint),
        }
    }

    /// A `$ref` to a component schema.
    fn reference(&mut self, reference: &str, pointer: &str) -> Result<Resolved, Error> {
        let name = refs::component_name(reference, "schemas", pointer)?;
        let Some(&id) = self.components.get(&name) else {
            let names = self
                .schemas
                .map(|s| s.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return Err(refs::dangling(reference, &name, "schemas", names, pointer));
        };
        let target = match self.schemas.and_then(|s| s.get(&name)) {
            Some(ReferenceOr::Item(target)) => Some(target),
            _ => None,
        };
        let nullable = target.is_some_and(|t| t.schema_data.nullable);
        let id = match target.and_then(|t| polymorphic_mapping(t, reference)) {
            Some(discriminator) => self.polymorphic_base(id, discriminator, pointer)?,
            None => id,
        };
        Ok(Resolved {
            ty: TypeRef::Named(id),
            nullable,
        })
    }

    /// The `Any{Name}` enum of a polymorphic base type: one variant per type its discriminator
    /// mapping names, and a fallback that keeps any other value whole.
    fn polymorphic_base(
        &mut self,
        base: TypeId,
        discriminator: &'a Discriminator,
        pointer: &str,
    ) -> Result<TypeId, Error> {
        if let Some(&id) = self.polymorphic.get(&base) {
            return Ok(id);
        }
        let base_name = self.defs[base.0].name.clone();
        let name = self.claim_name(&format!("Any{base_name}"));
        let id = self.push(name, self.defs[base.0].pointer.clone());
        self.polymorphic.insert(base, id);
        let mut variants: Vec<OneOfVariant> = Vec::new();
        // The variant of each target type, so that a mapping of n types costs O(n), not O(n²).
        let mut variant_of: HashMap<TypeId, usize> = HashMap::new();
        let mut names = Namespace::new();
        let at = join_pointer(&self.defs[base.0].pointer, "discriminator");
        for (tag, target) in &discriminator.mapping {
            let reference = normalize_mapping_target(target);
            let target_name = refs::component_name(&reference, "schemas", &at)?;
            let Some(&target_id) = self.components.get(&target_name) else {
                let names = self
                    .schemas
                    .map(|s| s.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                return Err(refs::dangling(
                    &reference,
                    &target_name,
                    "schemas",
                    names,
                    &at,
                ));
            };
            match variant_of.get(&target_id) {
                Some(&existing) => variants[existing].tags.push(tag.clone()),
                None => {
                    variant_of.insert(target_id, variants.len());
                    variants.push(OneOfVariant {
                        name: names.claim(&self.defs[target_id.0].name),
                        ty: TypeRef::Named(target_id),
                        tags: vec![tag.clone()],
                    });
                }
            }
        }
        let fallback = fallback_name(&names);
        let _ = pointer;
        let def = &mut self.defs[id.0];
        def.doc = Some(format!(
            "Any `{base_name}`: the variant is chosen by the `{}` property; a value of a type this API description does not list is kept whole in `{fallback}`.",
            discriminator.property_name
        ));
        def.kind = TypeKind::OneOf(OneOf {
            variants,
            tag: Some(discriminator.property_name.clone()),
            fallback,
        });
        Ok(id)
    }

    /// A `oneOf`/`anyOf` with several real alternatives.
    fn one_of(
        &mut self,
        alternatives: &'a [ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&'a Discriminator>,
        pointer: &str,
        name: &str,
    ) -> Result<OneOf, Error> {
        let mut variants: Vec<OneOfVariant> = Vec::new();
        let mut names = Namespace::new();
        let keyword_at = join_pointer(pointer, keyword);
        for (index, alternative) in alternatives.iter().enumerate() {
            if let ReferenceOr::Item(schema) = alternative {
                if View::of(schema).is_null_placeholder() {
                    continue;
                }
            }
            let at = join_pointer(&keyword_at, &index.to_string());
            let hint = match alternative {
                ReferenceOr::Item(schema) => match &schema.schema_data.title {
                    Some(title) => format!("{name}{}", names::type_name(title)),
                    None => format!("{name}{}", index + 1),
                },
                ReferenceOr::Reference { .. } => name.to_owned(),
            };
            let resolved = self.type_of_unboxed(alternative, &at, &hint)?;
            let ty = wrap_nullable(resolved);
            let tags = match (discriminator, alternative) {
                (Some(discriminator), ReferenceOr::Reference { reference }) => {
                    let mut tags: Vec<String> = discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| normalize_mapping_target(target) == *reference)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        tags.push(refs::component_name(reference, "schemas", &at)?);
                    }
                    tags
                }
                _ => Vec::new(),
            };
            let variant_name = names.claim(&self.variant_label(&ty));
            variants.push(OneOfVariant {
                name: variant_name,
                ty,
                tags,
            });
        }
        let fallback = fallback_name(&names);
        Ok(OneOf {
            variants,
            tag: discriminator.map(|d| d.property_name.clone()),
            fallback,
        })
    }

    /// A variant name that says what the alternative is.
    fn variant_label(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.defs[id.0].name.clone(),
            TypeRef::Option(inner) => self.variant_label(inner),
            TypeRef::Vec(inner) => format!("{}List", self.variant_label(inner)),
            TypeRef::Map(inner) => format!("{}Map", self.variant_label(inner)),
            TypeRef::Bool => String::from("Boolean"),
            TypeRef::I32 | TypeRef::I64 => String::from("Integer"),
            TypeRef::F32 | TypeRef::F64 => String::from("Number"),
            TypeRef::String => String::from("String"),
            TypeRef::DateTime => String::from("DateTime"),
            TypeRef::Date => String::from("Date"),
            TypeRef::Uuid => String::from("Uuid"),
            TypeRef::Bytes => String::from("Bytes"),
            TypeRef::Json => String::from("Value"),
            TypeRef::JsonObject => String::from("Object"),
        }
    }

    fn inline_schema(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<Resolved, Error> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(Error::unsupported(
                pointer,
                format!("schemas nested more than {MAX_DEPTH} levels deep are not supported"),
            ))
        } else {
            self.inline_schema_inner(schema, pointer, hint)
        };
        self.depth -= 1;
        result
    }

    fn inline_schema_inner(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<Resolved, Error> {
        let view = View::of(schema);
        let nullable = view.data.nullable;
        let plain = |ty| Ok(Resolved { ty, nullable });

        if let Some(unknown) = view.unknown_type {
            return Err(Error::unsupported(
                &join_pointer(pointer, "type"),
                format!("unknown schema type `{unknown}`"),
            )
            .with_help("use one of string, number, integer, boolean, object, array"));
        }
        if !view.all_of.is_empty() {
            if view.all_of.len() == 1 && !view.is_object_like() {
                let inner =
                    self.type_of_unboxed(&view.all_of[0], &join_pointer(pointer, "allOf/0"), hint)?;
                return Ok(Resolved {
                    ty: inner.ty,
                    nullable: nullable || inner.nullable,
                });
            }
            return plain(self.named_inline(schema, pointer, hint)?);
        }
        if enum_alternatives(&view).is_some() {
            return plain(self.named_inline(schema, pointer, hint)?);
        }
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !alternatives.is_empty() {
            let keyword = if view.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.alternatives(schema, alternatives, keyword, nullable, pointer, hint);
        }
        if view.has_not {
            return plain(TypeRef::Json);
        }
        if mixed_enum(&view) {
            // Values of several kinds (`"none"`, `1`, ...) have no Rust type closer than JSON.
            return plain(TypeRef::Json);
        }
        if self.string_enum(&view, pointer)?.is_some() {
            let nullable = nullable || view.enumeration.iter().any(serde_json::Value::is_null);
            return Ok(Resolved {
                ty: self.named_inline(schema, pointer, hint)?,
                nullable,
            });
        }
        let ty = match view.ty {
            Some(Ty::String) => match view.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("uuid") => TypeRef::Uuid,
                Some("binary") => TypeRef::Bytes,
                _ => TypeRef::String,
            },
            Some(Ty::Integer) => match view.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some(Ty::Number) => match view.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some(Ty::Boolean) => TypeRef::Bool,
            Some(Ty::Array) => {
                let item_hint = format!("{hint}Item");
                let item = match view.items {
                    Some(items) => {
                        let item =
                            self.type_of(items, &join_pointer(pointer, "items"), &item_hint)?;
                        wrap_nullable(item)
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            Some(Ty::Object) => {
                if !view.properties.is_empty() {
                    self.named_inline(schema, pointer, hint)?
                } else {
                    match view.additional {
                        Some(AdditionalProperties::Schema(value)) => {
                            let value_hint = format!("{hint}Value");
                            let value = self.type_of_unboxed(
                                value,
                                &join_pointer(pointer, "additionalProperties"),
                                &value_hint,
                            )?;
                            TypeRef::Map(Box::new(wrap_nullable(value)))
                        }
                        Some(AdditionalProperties::Any(false)) => TypeRef::JsonObject,
                        Some(AdditionalProperties::Any(true)) | None => TypeRef::JsonObject,
                    }
                }
            }
            None => TypeRef::Json,
        };
        plain(ty)
    }

    /// `oneOf`/`anyOf`: Microsoft Graph writes a nullable reference as
    /// `anyOf: [{$ref: X}, {type: object, nullable: true}]`; a single remaining alternative is
    /// that alternative, made nullable.
    fn alternatives(
        &mut self,
        schema: &'a Schema,
        alternatives: &'a [ReferenceOr<Schema>],
        keyword: &str,
        nullable: bool,
        pointer: &str,
        hint: &str,
    ) -> Result<Resolved, Error> {
        let mut null_branch = false;
        let mut remaining = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            match alternative {
                ReferenceOr::Item(schema) if View::of(schema).is_null_placeholder() => {
                    null_branch = true
                }
                _ => remaining.push((index, alternative)),
            }
        }
        match remaining.as_slice() {
            [(index, only)] => {
                let inner = self.type_of_unboxed(
                    only,
                    &join_pointer(&join_pointer(pointer, keyword), &index.to_string()),
                    hint,
                )?;
                Ok(Resolved {
                    ty: inner.ty,
                    nullable: nullable || null_branch || inner.nullable,
                })
            }
            [] => Ok(Resolved {
                ty: TypeRef::Json,
                nullable: true,
            }),
            _ => Ok(Resolved {
                ty: self.named_inline(schema, pointer, hint)?,
                nullable: nullable || null_branch,
            }),
        }
    }

    /// An inline object or enum: a named type, created once per pointer.
    fn named_inline(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        if let Some(&id) = self.inline.get(pointer) {
            return Ok(TypeRef::Named(id));
        }
        let name = self.claim_name(hint);
        let id = self.push(name.clone(), pointer.to_owned());
        self.inline.insert(pointer.to_owned(), id);
        self.define(id, schema, pointer, &name)?;
        Ok(TypeRef::Named(id))
    }

    /// A string enum, when `view` describes one: an `enum` of strings, or a `oneOf`/`anyOf`
    /// whose alternatives are all string enums (as schema generators write documented values).
    fn string_enum(&self, view: &View<'_>, pointer: &str) -> Result<Option<StringEnum>, Error> {
        let _ = pointer;
        let mut values: Vec<(String, Option<String>)> = Vec::new();
        if let Some(parts) = enum_alternatives(view) {
            for part in parts {
                let descriptions = enum_descriptions(&part);
                for wire in part.enumeration.iter().filter_map(|v| v.as_str()) {
                    let doc = descriptions
                        .get(wire)
                        .cloned()
                        .or_else(|| part.data.description.clone());
                    values.push((wire.to_owned(), doc));
                }
            }
        } else {
            let is_string = matches!(view.ty, Some(Ty::String) | None);
            if !is_string || mixed_enum(view) {
                return Ok(None);
            }
            let descriptions = enum_descriptions(view);
            for wire in view.enumeration.iter().filter_map(|v| v.as_str()) {
                values.push((wire.to_owned(), descriptions.get(wire).cloned()));
            }
        }
        if values.is_empty() {
            return Ok(None);
        }
        let mut namespace = Namespace::new();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (wire, doc) in values {
            if !seen.insert(wire.clone()) {
                continue;
            }
            variants.push(Variant {
                name: namespace.claim(&names::variant_name(&wire)),
                wire,
                doc,
            });
        }
        let fallback = fallback_name(&namespace);
        Ok(Some(StringEnum { variants, fallback }))
    }

    /// Gathers an object's properties, following `allOf` parts.
    fn object(&mut self, schema: &'a Schema, pointer: &str, name: &str) -> Result<Struct, Error> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_object(schema, pointer, name, &mut parts, &mut visiting)?;

        let mut fields = Vec::new();
        let mut field_names = Namespace::new();
        for property in parts.properties {
            let hint = format!("{}{}", property.owner, names::type_name(property.wire));
            let resolved = self.type_of(property.schema, &property.pointer, &hint)?;
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
            fields.push(Field {
                name: field_names.claim(&names::value_name(property.wire)),
                wire: property.wire.to_owned(),
                ty: resolved.ty,
                required,
                nullable: resolved.nullable,
                default: usable_default,
                boxed: false,
                doc,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(value), pointer, owner)) => {
                let value = self.type_of_unboxed(value, &pointer, &format!("{owner}Value"))?;
                Some(wrap_nullable(value))
            }
            Some((AdditionalProperties::Any(true), _, _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Any(false), _, _)) | None => None,
        };
        Ok(Struct {
            fields,
            additional,
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

    /// The merge-patch form of the struct `id` (`{Name}Update`): read-only fields dropped,
    /// every other field three-state.
    pub fn patch_of(&mut self, id: TypeId) -> Option<TypeId> {
        if let Some(&patch) = self.patches.get(&id) {
            return Some(patch);
        }
        let def = &self.defs[id.0];
        let TypeKind::Struct(body) = &def.kind else {
            return None;
        };
        let fields = body
            .fields
            .iter()
            .filter(|f| !f.read_only)
            .cloned()
            .collect();
        let kind = TypeKind::Struct(Struct {
            fields,
            additional: body.additional.clone(),
            patch: true,
        });
        let doc = format!(
            "Changes to a `{}`, for update (PATCH) requests.\n\nEach field is left out of the request (`Patch::Absent`, the default), sent as `null` (`Patch::Null`), or sent with a value (`Patch::Value`); the server changes only what is sent.",
            def.name
        );
        let pointer = def.pointer.clone();
        let deprecated = def.deprecated;
        let name = self.claim_name(&format!("{}Update", def.name));
        let patch = self.push(name, pointer);
        let def = &mut self.defs[patch.0];
        def.doc = Some(doc);
        def.deprecated = deprecated;
        def.kind = kind;
        self.patches.insert(id, patch);
        Some(patch)
    }

    /// Finishes the space: decides which fields must be boxed and returns the definitions.
    pub fn finish(mut self) -> Vec<TypeDef> {
        mark_boxed_fields(&mut self.defs);
        order_untagged_variants(&mut self.defs);
        self.defs
    }
}

/// Type aliases that contain themselves: `A: {$ref: B}` with `B: {$ref: A}` describes no value
/// at all, and `A: {type: array, items: {$ref: A}}` would be `type A = Vec<A>;`, which Rust
/// cannot expand. Also refuses chains of aliases longer than [`MAX_DEPTH`], which later stages
/// follow recursively. A type refers to at most one other type directly, so the aliases form
/// chains: each is followed once, without recursion. Each reported alias is made an alias of
/// `serde_json::Value`, so that later stages never follow a cycle or an endless chain.
fn alias_cycles(defs: &mut [TypeDef]) -> Vec<Error> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        /// Followed; the number of aliases in the chain from here.
        Done(usize),
    }
    /// The alias `id` expands to directly (not through a struct, enum or `oneOf`), and
    /// whether only references (and `nullable`) lead there, or also arrays and maps.
    fn next(defs: &[TypeDef], id: usize) -> Option<(usize, bool)> {
        let TypeKind::Alias(ty) = &defs[id].kind else {
            return None;
        };
        let mut ty: &TypeRef = ty;
        let mut plain = true;
        loop {
            match ty {
                TypeRef::Named(target) => {
                    return matches!(defs[target.0].kind, TypeKind::Alias(_))
                        .then_some((target.0, plain));
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) => {
                    plain = false;
                    ty = inner;
                }
                TypeRef::Option(inner) => ty = inner,
                _ => return None,
            }
        }
    }
    let mut marks = vec![Mark::New; defs.len()];
    let mut errors = Vec::new();
    let mut broken = Vec::new();
    for root in 0..defs.len() {
        if marks[root] != Mark::New || !matches!(defs[root].kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut path: Vec<(usize, bool)> = Vec::new();
        let mut node = root;
        let mut length = 0;
        loop {
            match marks[node] {
                Mark::New => {
                    marks[node] = Mark::Open;
                    match next(defs, node) {
                        Some((target, plain)) => {
                            path.push((node, plain));
                            node = target;
                        }
                        None => {
                            path.push((node, true));
                            break;
                        }
                    }
                }
                Mark::Open => {
                    let start = path.iter().position(|(n, _)| *n == node).unwrap_or(0);
                    let cycle = &path[start..];
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&(node, true)))
                        .map(|(n, _)| defs[*n].name.as_str())
                        .collect();
                    let def = &defs[node];
                    let chain = names.join("` -> `");
                    errors.push(if cycle.iter().all(|(_, plain)| *plain) {
                        Error::new(
                            ErrorKind::Reference,
                            format!("a cycle of references with no base case: `{chain}` describes no value"),
                        )
                        .at_pointer(def.pointer.clone())
                        .with_help("end the chain at a schema that is not a `$ref`, or make one schema of the cycle an object")
                    } else {
                        Error::unsupported(
                            &def.pointer,
                            format!("`{chain}` contains itself through arrays or maps only, which a Rust type alias cannot express"),
                        )
                        .with_help("wrap the recursive array or map in an object schema")
                    });
                    broken.push(node);
                    // The cycle is reported; its length is not a second problem.
                    length = MAX_DEPTH + 1;
                    break;
                }
                Mark::Done(rest) => {
                    length = rest;
                    break;
                }
            }
        }
        let mut reported = false;
        for &(node, _) in path.iter().rev() {
            length += 1;
            marks[node] = Mark::Done(length);
            if length > MAX_DEPTH {
                // Later stages follow aliases recursively: no chain may stay this long.
                broken.push(node);
            }
            if length == MAX_DEPTH + 1 && !reported {
                reported = true;
                errors.push(
                    Error::new(
                        ErrorKind::Limit,
                        format!("a chain of more than {MAX_DEPTH} schemas that each only refer to the next starts here"),
                    )
                    .at_pointer(defs[node].pointer.clone())
                    .with_help("refer to the schema at the end of the chain directly"),
                );
            }
        }
        if errors.len() >= crate::error::MAX_DIAGNOSTICS {
            break;
        }
    }
    for id in broken {
        defs[id].kind = TypeKind::Alias(TypeRef::Json);
    }
    errors
}

/// The first of `Unknown`, `UnknownValue`, `Other` that `names` does not hold.
fn fallback_name(names: &Namespace) -> String {
    ["Unknown", "UnknownValue", "Other", "UnlistedValue"]
        .into_iter()
        .find(|name| !names.contains(name))
        .map_or_else(|| names.clone().claim("Unknown"), str::to_owned)
}

/// Alternatives other than Graph's `{type: object, nullable: true}` null branch.
fn count_real(alternatives: &[ReferenceOr<Schema>]) -> usize {
    alternatives
        .iter()
        .filter(|a| !matches!(a, ReferenceOr::Item(s) if View::of(s).is_null_placeholder()))
        .count()
}

/// The alternatives of a `oneOf`/`anyOf` made only of inline string enums, read as views.
fn enum_alternatives<'v>(view: &View<'v>) -> Option<Vec<View<'v>>> {
    let alternatives = if view.one_of.is_empty() {
        view.any_of
    } else {
        view.one_of
    };
    if alternatives.is_empty() || view.is_object_like() || !view.all_of.is_empty() {
        return None;
    }
    alternatives
        .iter()
        .map(|alternative| match alternative {
            ReferenceOr::Item(schema) => {
                let part = View::of(schema);
                let strings = !part.enumeration.is_empty()
                    && part.enumeration.iter().all(serde_json::Value::is_string);
                (strings && matches!(part.ty, Some(Ty::String) | None)).then_some(part)
            }
            ReferenceOr::Reference { .. } => None,
        })
        .collect()
}

/// An `enum` whose values are of several JSON kinds (strings and numbers, say).
fn mixed_enum(view: &View<'_>) -> bool {
    let kinds: BTreeSet<u8> = view
        .enumeration
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            serde_json::Value::String(_) => 0,
            serde_json::Value::Number(_) => 1,
            serde_json::Value::Bool(_) => 2,
            _ => 3,
        })
        .collect();
    kinds.len() > 1
}

/// Mapping targets may be written as a bare schema name or as a reference.
fn normalize_mapping_target(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// The discriminator of an object schema that maps to other schemas: a polymorphic base type
/// (as Microsoft Graph's `@odata.type` hierarchies are written).
fn polymorphic_mapping<'s>(schema: &'s Schema, own_reference: &str) -> Option<&'s Discriminator> {
    let discriminator = schema.schema_data.discriminator.as_ref()?;
    let view = View::of(schema);
    let object = view.is_object_like() || !view.all_of.is_empty();
    let others = discriminator
        .mapping
        .values()
        .any(|target| normalize_mapping_target(target) != own_reference);
    (object && view.one_of.is_empty() && view.any_of.is_empty() && others).then_some(discriminator)
}

/// A nullable type inside a container becomes `Option<T>`.
fn wrap_nullable(resolved: Resolved) -> TypeRef {
    if resolved.nullable {
        TypeRef::Option(Box::new(resolved.ty))
    } else {
        resolved.ty
    }
}

/// Per-value descriptions from `x-ms-enum.values` or `x-enum-descriptions`.
fn enum_descriptions(view: &View<'_>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let extensions = &view.data.extensions;
    if let Some(values) = extensions
        .get("x-ms-enum")
        .and_then(|e| e.get("values"))
        .and_then(|v| v.as_array())
    {
        for value in values {
            if let (Some(wire), Some(doc)) = (
                value.get("value").and_then(|v| v.as_str()),
                value.get("description").and_then(|v| v.as_str()),
            ) {
                out.insert(wire.to_owned(), doc.to_owned());
            }
        }
    }
    if let Some(docs) = extensions
        .get("x-enum-descriptions")
        .and_then(|v| v.as_array())
    {
        for (wire, doc) in view.enumeration.iter().zip(docs) {
            if let (Some(wire), Some(doc)) = (wire.as_str(), doc.as_str()) {
                out.entry(wire.to_owned()).or_insert_with(|| doc.to_owned());
            }
        }
    }
    out
}

/// The named type a field or alias holds directly (through `Option` or another alias, but not
/// through `Vec` or `Map`, which already put the value behind a pointer).
fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Option(inner) => direct_target(inner),
        _ => None,
    }
}

/// The types `def` holds directly (see [`direct_target`]): its alternatives, the type it
/// names, and with `fields` the types of its fields.
fn held_directly(def: &TypeDef, fields: bool) -> Vec<usize> {
    let held: Vec<&TypeRef> = match &def.kind {
        TypeKind::Struct(s) if fields => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::OneOf(one_of) => one_of.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Struct(_) | TypeKind::StringEnum(_) => Vec::new(),
    };
    held.into_iter()
        .filter_map(direct_target)
        .map(|t| t.0)
        .collect()
}

/// `oneOf`/`anyOf` schemas that are alternatives of themselves, directly or through other
/// such schemas and plain references, with no object, array or map in between (those end a
/// recursion; see [`mark_boxed_fields`]). No value has such a type: decoding one means trying
/// the schema itself as an alternative first, and the Rust enum would contain itself. One
/// error per cycle, at the first of its schemas in document order. The schemas of a reported
/// cycle become aliases of any JSON value, so that later stages never follow it.
fn one_of_cycles(defs: &mut [TypeDef]) -> Vec<Error> {
    let edges: Vec<Vec<usize>> = defs.iter().map(|def| held_directly(def, false)).collect();
    let component = strongly_connected_components(&edges);
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (index, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(index);
    }
    let mut errors = Vec::new();
    let mut reported = std::collections::HashSet::new();
    let mut broken = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        let cycle = &members[&component[index]];
        let cyclic = cycle.len() > 1 || edges[index].contains(&index);
        let has_one_of = cycle
            .iter()
            .any(|&m| matches!(defs[m].kind, TypeKind::OneOf(_)));
        if !cyclic || !has_one_of || !reported.insert(component[index]) {
            continue;
        }
        broken.extend(cycle.iter().copied());
        let names: Vec<&str> = cycle.iter().map(|&m| defs[m].name.as_str()).collect();
        let message = match names.as_slice() {
            [one] => format!("`{one}` is one of its own alternatives, with no base case"),
            _ => format!(
                "`{}` are alternatives of one another, with no base case",
                names.join("`, `")
            ),
        };
        errors.push(
            Error::new(ErrorKind::Reference, message)
                .at_pointer(def.pointer.clone())
                .with_help(
                    "remove the alternative that refers back, or wrap it in an object schema",
                ),
        );
    }
    for id in broken {
        defs[id].kind = TypeKind::Alias(TypeRef::Json);
    }
    errors.truncate(crate::error::MAX_DIAGNOSTICS);
    errors
}

/// Marks the fields that close a containment cycle (a type that holds itself, directly or
/// through other types) as boxed. Two types are on a cycle when they are in the same strongly
/// connected component of the "holds directly" graph.
fn mark_boxed_fields(defs: &mut [TypeDef]) {
    let edges: Vec<Vec<usize>> = defs.iter().map(|def| held_directly(def, true)).collect();
    let component = strongly_connected_components(&edges);
    for (index, def) in defs.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                if let Some(target) = direct_target(&field.ty) {
                    field.boxed = component[target.0] == component[index];
                }
            }
        }
    }
}

/// Orders the variants of untagged enums from the most to the least specific type, so that
/// among equally good matches the more specific one wins (see `runtime::variants`).
fn order_untagged_variants(defs: &mut [TypeDef]) {
    let ranks: Vec<Vec<(u8, i64, i64)>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::OneOf(one_of) if one_of.tag.is_none() => one_of
                .variants
                .iter()
                .map(|v| specificity(defs, &v.ty, 0))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, ranks) in defs.iter_mut().zip(ranks) {
        if let TypeKind::OneOf(one_of) = &mut def.kind {
            if one_of.tag.is_none() {
                let mut ranked: Vec<_> = std::mem::take(&mut one_of.variants)
                    .into_iter()
                    .zip(ranks)
                    .collect();
                ranked.sort_by_key(|(_, rank)| *rank);
                one_of.variants = ranked.into_iter().map(|(v, _)| v).collect();
            }
        }
    }
}

/// Lower is more specific: objects with more required and declared properties first, then
/// maps, arrays, numbers, booleans, formatted strings, strings, and any JSON last.
fn specificity(defs: &[TypeDef], ty: &TypeRef, depth: usize) -> (u8, i64, i64) {
    let count = |n: usize| -i64::try_from(n).unwrap_or(i64::MAX);
    match ty {
        TypeRef::Named(id) if depth < 16 => match &defs[id.0].kind {
            TypeKind::Struct(s) => (
                0,
                count(s.fields.iter().filter(|f| f.required).count()),
                count(s.fields.len()),
            ),
            TypeKind::OneOf(_) => (1, 0, 0),
            TypeKind::StringEnum(_) => (6, 0, 0),
            TypeKind::Alias(inner) => specificity(defs, inner, depth + 1),
        },
        TypeRef::Option(inner) => specificity(defs, inner, depth + 1),
        TypeRef::Map(_) | TypeRef::JsonObject => (2, 0, 0),
        TypeRef::Vec(_) => (3, 0, 0),
        TypeRef::I32 | TypeRef::I64 => (4, 0, 0),
        TypeRef::F32 | TypeRef::F64 => (5, 0, 0),
        TypeRef::Bool => (7, 0, 0),
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid => (8, 0, 0),
        TypeRef::String | TypeRef::Bytes => (9, 0, 0),
        TypeRef::Json | TypeRef::Named(_) => (10, 0, 0),
    }
}

/// Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack. Returns the
/// component number of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame: node and position in its edge list.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = frames.last_mut() {
            if let Some(&next) = edges[node].get(*position) {
                *position += 1;
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_cycle_and_a_chain() {
        // 0 -> 1 -> 0 is a cycle; 2 -> 0 is not part of it; 3 -> 3 holds itself.
        let components = strongly_connected_components(&[vec![1], vec![0], vec![0], vec![3]]);
        assert_eq!(components[0], components[1]);
        assert_ne!(components[2], components[0]);
        assert_ne!(components[3], components[0]);
    }
}
