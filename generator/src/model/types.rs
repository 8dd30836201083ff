//! The type space: every schema the API uses, as named Rust-shaped types.
//!
//! Component schemas get their names first, in document order, so that a name never depends on
//! which operation happened to use a schema first. Inline object and enum schemas are named
//! from the component (or operation) that owns them and the property they sit in, and are
//! remembered by JSON pointer, so a property inherited through `allOf` by several types still
//! produces one type.
//!
//! Where things are: this file holds the space itself (naming components, defining a schema,
//! resolving a use site to a type); `objects` merges properties through `allOf`; `one_of`
//! makes the enums of `oneOf`/`anyOf` and of discriminator mappings; `enums` reads string
//! enums; `graph` checks and orders the finished definitions as a whole.

mod enums;
mod examples;
mod graph;
mod objects;
mod one_of;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};

use super::view::{Ty, View};
use super::{Field, Struct, TypeDef, TypeId, TypeKind, TypeRef};
use super::{pointers, refs};
use crate::error::{Error, ErrorKind, join_pointer};
use crate::names::{self, Namespace, Role};
pub(crate) use enums::is_string_enum;
use enums::{enum_alternatives, is_open_string, mixed_enum};
use graph::{alias_cycles, mark_boxed_fields, one_of_cycles, order_untagged_variants};
use one_of::{count_real, polymorphic_mapping};

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
    api: &'a OpenAPI,
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
    /// Inline string enums that several operations' parameters repeat: each copy's pointer
    /// to the one that stands for all (see `operations::shared`).
    shared_enums: HashMap<String, SharedEnum<'a>>,
    /// The names a slice's record gives its repeated inline enums, by pointer: those the
    /// whole document gives them.
    recorded_names: HashMap<String, String>,
    /// Whether a property whose schema cannot be expressed becomes any JSON value (with a
    /// warning in `warnings`) rather than failing its whole object.
    lenient: bool,
    warnings: Vec<Error>,
}

/// The copy of a repeated inline enum that names and defines the one type all copies use.
#[derive(Debug, Clone)]
pub struct SharedEnum<'a> {
    pub pointer: String,
    pub schema: &'a Schema,
    pub hint: String,
}

impl<'a> TypeSpace<'a> {
    /// Creates the space, naming component schemas as if the document held the components
    /// `naming` (in that order): names it lacks only reserve their type names, so a slice of a
    /// larger document keeps the larger document's names. Components missing from `naming`
    /// are named after it.
    pub fn with_names(api: &'a OpenAPI, naming: Option<&[String]>) -> Result<Self, Error> {
        let schemas = api.components.as_ref().map(|c| &c.schemas);
        let mut space = TypeSpace {
            api,
            schemas,
            defs: Vec::new(),
            components: HashMap::new(),
            component_pointers: HashMap::new(),
            inline: HashMap::new(),
            patches: HashMap::new(),
            polymorphic: HashMap::new(),
            names: Namespace::new(),
            depth: 0,
            shared_enums: HashMap::new(),
            recorded_names: recorded_inline_names(api),
            lenient: false,
            warnings: Vec::new(),
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

    /// Makes a property whose schema cannot be expressed any JSON value, with a warning,
    /// instead of an error for its whole object.
    pub fn lenient(&mut self) {
        self.lenient = true;
    }

    /// A problem the generator can read past: in a lenient space a warning that says what was
    /// done instead (`instead`), otherwise the error itself.
    pub fn tolerate(&mut self, problem: Error, instead: &str) -> Result<(), Error> {
        if !self.lenient {
            return Err(problem);
        }
        let message = format!("{}; {instead}", problem.message());
        self.warnings
            .push(problem.with_message(message).into_warning());
        Ok(())
    }

    /// How many warnings there are so far.
    pub fn warning_count(&self) -> usize {
        self.warnings.len()
    }

    /// Drops the warnings after the first `count`.
    pub fn forget_warnings_after(&mut self, count: usize) {
        self.warnings.truncate(count);
    }

    /// The warnings about what was read past, leaving none.
    pub fn take_warnings(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.warnings)
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
                // What stands in for it, said where a reader of the generated code looks.
                let def = &mut self.defs[id.0];
                def.kind = TypeKind::Alias(TypeRef::Json);
                def.doc = Some(format!(
                    "Any JSON value: the generator could not express this schema ({}).",
                    error.message()
                ));
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
        } else if let Some((index, reference)) = self.extensible_enum(alternatives) {
            let at = join_pointer(&join_pointer(pointer, keyword), &index.to_string());
            let mut inner = self.type_of_unboxed(reference, &at, name)?;
            inner.nullable |= alternatives.len() > count_real(alternatives);
            TypeKind::Alias(wrap_nullable(inner))
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
        let name = match refs::component_name(reference, "schemas", pointer) {
            Ok(name) => name,
            Err(error) => return self.inner_reference(reference, pointer, error),
        };
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

    /// A `$ref` to a schema inside another part of the document (see `pointers`): the schema
    /// there is one type wherever it is referred to, named after its location. `error` is the
    /// reason the reference names no component, reported when it names no schema either.
    fn inner_reference(
        &mut self,
        reference: &str,
        pointer: &str,
        error: Error,
    ) -> Result<Resolved, Error> {
        // A whole response, request body or parameter is the schema it holds, if it holds one.
        let (target, component) = match pointers::schema_at(self.api, reference) {
            Some(target) => (target, None),
            None => match pointers::schema_of_component(self.api, reference) {
                Some((target, what)) => (target, Some(what)),
                None => return Err(error),
            },
        };
        if self.depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "references inside the document lead through more than {MAX_DEPTH} schemas"
                ),
            )
            .at_pointer(pointer));
        }
        let target_pointer = pointers::normalize(reference);
        self.depth += 1;
        let resolved = match target {
            pointers::Target::Reference(next) => self.reference(next, &target_pointer),
            pointers::Target::Schema(schema) => {
                let hint = pointers::name_from_location(reference);
                self.inline_schema(schema, &target_pointer, &hint)
            }
        };
        self.depth -= 1;
        let resolved = resolved?;
        let instead = match (&resolved.ty, component) {
            (TypeRef::Named(id), Some(_)) => {
                format!("its schema, `{}`, is used", self.defs[id.0].name)
            }
            (_, Some(_)) => String::from("its schema is used"),
            (TypeRef::Named(id), None) => format!(
                "the schema there is generated once, as `{}`",
                self.defs[id.0].name
            ),
            (_, None) => String::from("the schema there is used where it is referred to"),
        };
        let problem = match component {
            Some(what) => Error::new(
                ErrorKind::Reference,
                format!("`{reference}` is {what}, not a schema"),
            )
            .with_help("refer to the schema it holds, under `components/schemas`"),
            None => Error::new(
                ErrorKind::Reference,
                format!("`{reference}` points inside the document, not at a component"),
            )
            .with_help("move the schema to `components/schemas` and refer to it there"),
        };
        self.tolerate(problem.at_pointer(pointer), &instead)?;
        Ok(resolved)
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
            self.check_example(schema, pointer)
                .and_then(|()| self.inline_schema_inner(schema, pointer, hint))
        };
        self.depth -= 1;
        result
    }

    /// A warning when the schema's `example` does not match it.
    fn check_example(&mut self, schema: &'a Schema, pointer: &str) -> Result<(), Error> {
        let Some(example) = &schema.schema_data.example else {
            return Ok(());
        };
        let Some(why) = examples::mismatch(self.api, schema, example) else {
            return Ok(());
        };
        self.tolerate(
            Error::invalid(
                &join_pointer(pointer, "example"),
                format!("the example does not match its schema: {why}"),
            )
            .with_help("correct the example, or the schema if answers look like it"),
            "the generated code does not use examples",
        )
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
                let inner = self.type_of_unboxed(
                    &view.all_of[0],
                    &join_pointer(&join_pointer(pointer, "allOf"), "0"),
                    hint,
                )?;
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
            // An inline enum is named by its `x-ms-enum` name where it has one, as AutoRest
            // names it.
            let named = view
                .data
                .extensions
                .get("x-ms-enum")
                .and_then(|e| e.get("name"))
                .and_then(serde_json::Value::as_str)
                .filter(|name| !name.trim().is_empty())
                .map(names::type_name);
            return Ok(Resolved {
                ty: self.named_inline(schema, pointer, named.as_deref().unwrap_or(hint))?,
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
                let item_hint = names::derived(hint, Role::Item);
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
                            let value_hint = names::derived(hint, Role::Value);
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
        if let Some((index, reference)) = self.extensible_enum(alternatives) {
            let at = join_pointer(&join_pointer(pointer, keyword), &index.to_string());
            let inner = self.type_of_unboxed(reference, &at, hint)?;
            return Ok(Resolved {
                ty: inner.ty,
                nullable: nullable || null_branch || inner.nullable,
            });
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

    /// The reference to a string enum of an "extensible enum" written as `anyOf: [{$ref: Enum},
    /// {type: string}]` (in either order, beside a null branch or not), with its index: the
    /// referenced enum is the type, since its fallback variant already holds any other string.
    fn extensible_enum(
        &self,
        alternatives: &'a [ReferenceOr<Schema>],
    ) -> Option<(usize, &'a ReferenceOr<Schema>)> {
        let mut reference = None;
        let mut open = 0;
        for (index, alternative) in alternatives.iter().enumerate() {
            match alternative {
                ReferenceOr::Item(schema) => {
                    let view = View::of(schema);
                    if is_open_string(&view) {
                        open += 1;
                    } else if !view.is_null_placeholder() {
                        return None;
                    }
                }
                ReferenceOr::Reference { reference: target } => {
                    let (schema, _) = refs::resolve(self.schemas, "schemas", target, "").ok()?;
                    let view = View::of(schema);
                    if reference.is_some() || !is_string_enum(&view) || mixed_enum(&view) {
                        return None;
                    }
                    reference = Some((index, alternative));
                }
            }
        }
        reference.filter(|_| open == 1)
    }

    /// Makes the inline enum at `copy` the same type as the one at `shared.pointer`.
    pub fn share_enum(&mut self, copy: String, shared: SharedEnum<'a>) {
        self.shared_enums.insert(copy, shared);
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
        if let Some(shared) = self.shared_enums.get(pointer).cloned() {
            return self.named_inline(shared.schema, &shared.pointer, &shared.hint);
        }
        let recorded = self.recorded_names.get(pointer).cloned();
        let hint = recorded.as_deref().unwrap_or(hint);
        let name = self.claim_name(hint);
        let id = self.push(name.clone(), pointer.to_owned());
        self.inline.insert(pointer.to_owned(), id);
        self.define(id, schema, pointer, &name)?;
        Ok(TypeRef::Named(id))
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
        let (read_only, fields): (Vec<Field>, Vec<Field>) =
            body.fields.iter().cloned().partition(|f| f.read_only);
        let kind = TypeKind::Struct(Struct {
            fields,
            additional: body.additional.clone(),
            skipped: read_only.into_iter().map(|f| f.wire).collect(),
            patch: true,
        });
        let doc = format!(
            "Changes to a `{}`, for update (PATCH) requests.\n\nEach field is left out of the request (`Patch::Absent`, the default), sent as `null` (`Patch::Null`), or sent with a value (`Patch::Value`); the server changes only what is sent.",
            def.name
        );
        let pointer = def.pointer.clone();
        let deprecated = def.deprecated;
        let name = self.claim_name(&names::derived(&def.name, Role::Update));
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

/// The first of `Unknown`, `UnknownValue`, `Other` that `names` does not hold.
fn fallback_name(names: &Namespace) -> String {
    ["Unknown", "UnknownValue", "Other", "UnlistedValue"]
        .into_iter()
        .find(|name| !names.contains(name))
        .map_or_else(|| names.clone().claim("Unknown"), str::to_owned)
}

/// A nullable type inside a container becomes `Option<T>`.
fn wrap_nullable(resolved: Resolved) -> TypeRef {
    if resolved.nullable {
        TypeRef::Option(Box::new(resolved.ty))
    } else {
        resolved.ty
    }
}

/// The `inline-names` of a slice's `x-generator-slice` record: pointer → type name. A record
/// that is not of that shape names nothing (the slice's other checks report it).
fn recorded_inline_names(api: &OpenAPI) -> HashMap<String, String> {
    api.extensions
        .get(crate::slice::EXTENSION)
        .and_then(|record| record.get(crate::slice::INLINE_NAMES))
        .and_then(serde_json::Value::as_object)
        .map(|names| {
            names
                .iter()
                .filter_map(|(pointer, name)| Some((pointer.clone(), name.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}
