//! Alternatives: the enum of a `oneOf`/`anyOf` (tagged by its discriminator, or untagged),
//! and the `Any{Name}` enum a reference to a polymorphic base type (an object with a
//! discriminator mapping) stands for.

use std::collections::{HashMap, HashSet};

use openapiv3::{Discriminator, ReferenceOr, Schema};

use super::{MAX_DEPTH, TypeSpace, fallback_name, wrap_nullable};
use crate::error::{Error, join_pointer};
use crate::model::refs;
use crate::model::view::View;
use crate::model::{OneOf, OneOfVariant, TypeId, TypeKind, TypeRef};
use crate::names::{self, Namespace};

impl<'a> TypeSpace<'a> {
    /// The `Any{Name}` enum of a polymorphic base type: one variant per type its discriminator
    /// mapping names, and a fallback that keeps any other value whole.
    pub(super) fn polymorphic_base(
        &mut self,
        base: TypeId,
        discriminator: &'a Discriminator,
        pointer: &str,
    ) -> Result<TypeId, Error> {
        if let Some(&id) = self.polymorphic.get(&base) {
            return Ok(id);
        }
        let base_name = self.defs[base.0].name.clone();
        let name = self.claim_name(&names::polymorphic(&base_name));
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
    pub(super) fn one_of(
        &mut self,
        alternatives: &'a [ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&'a Discriminator>,
        pointer: &str,
        name: &str,
    ) -> Result<OneOf, Error> {
        let mut variants: Vec<OneOfVariant> = Vec::new();
        let mut names = Namespace::new();
        let mut used_tags: HashSet<String> = HashSet::new();
        let keyword_at = join_pointer(pointer, keyword);
        for (index, alternative) in alternatives.iter().enumerate() {
            if let ReferenceOr::Item(schema) = alternative {
                if View::of(schema).is_null_placeholder() {
                    continue;
                }
            }
            let at = join_pointer(&keyword_at, &index.to_string());
            let hint = match alternative {
                ReferenceOr::Item(schema) => {
                    names::alternative(name, schema.schema_data.title.as_deref(), index)
                }
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
                        // Without a mapping entry, the variant's own definition of the tag
                        // property says which value selects it; the schema's name is the
                        // rule of last resort (OpenAPI's implicit mapping).
                        let declared = refs::resolve(self.schemas, "schemas", reference, &at)
                            .ok()
                            .and_then(|(schema, _)| {
                                self.declared_tag(schema, &discriminator.property_name)
                            })
                            .filter(|tag| !used_tags.contains(tag));
                        match declared {
                            Some(tag) => tags.push(tag),
                            None => tags.push(refs::component_name(reference, "schemas", &at)?),
                        }
                    }
                    tags
                }
                (Some(discriminator), ReferenceOr::Item(schema)) => self
                    .declared_tag(schema, &discriminator.property_name)
                    .filter(|tag| !used_tags.contains(tag))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            // A value selects one variant: a document that gives two variants the same tag
            // has the later one fall back to its name.
            used_tags.extend(tags.iter().cloned());
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

    /// The one value `schema` allows for its property `property` (a single-value `enum`, as
    /// `type: {enum: [track]}` is written), looking through `allOf` and references to the
    /// schemas it is built from; `None` when it allows any other number of values.
    fn declared_tag(&self, schema: &'a Schema, property: &str) -> Option<String> {
        let mut pending: Vec<&'a Schema> = vec![schema];
        // Each schema is looked at once, so a cycle of `allOf` references ends.
        let mut seen: Vec<*const Schema> = Vec::new();
        while let Some(schema) = pending.pop() {
            if seen.contains(&(schema as *const Schema)) || seen.len() > MAX_DEPTH {
                continue;
            }
            seen.push(schema);
            let view = View::of(schema);
            let declared = view.properties.iter().find(|(name, _)| *name == property);
            if let Some((_, property_schema)) = declared {
                let property_schema = match property_schema {
                    ReferenceOr::Item(item) => item.as_ref(),
                    ReferenceOr::Reference { reference } => {
                        refs::resolve(self.schemas, "schemas", reference, "")
                            .ok()?
                            .0
                    }
                };
                return match View::of(property_schema).enumeration.as_slice() {
                    [serde_json::Value::String(only)] => Some(only.clone()),
                    _ => None,
                };
            }
            for part in view.all_of {
                match part {
                    ReferenceOr::Item(item) => pending.push(item),
                    ReferenceOr::Reference { reference } => {
                        if let Ok((item, _)) = refs::resolve(self.schemas, "schemas", reference, "")
                        {
                            pending.push(item);
                        }
                    }
                }
            }
        }
        None
    }

    /// A variant name that says what the alternative is.
    fn variant_label(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.defs[id.0].name.clone(),
            TypeRef::Option(inner) => self.variant_label(inner),
            TypeRef::Vec(inner) => names::list_variant(&self.variant_label(inner)),
            TypeRef::Map(inner) => names::map_variant(&self.variant_label(inner)),
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
}

/// Alternatives other than Graph's `{type: object, nullable: true}` null branch.
pub(super) fn count_real(alternatives: &[ReferenceOr<Schema>]) -> usize {
    alternatives
        .iter()
        .filter(|a| !matches!(a, ReferenceOr::Item(s) if View::of(s).is_null_placeholder()))
        .count()
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
pub(super) fn polymorphic_mapping<'s>(
    schema: &'s Schema,
    own_reference: &str,
) -> Option<&'s Discriminator> {
    let discriminator = schema.schema_data.discriminator.as_ref()?;
    let view = View::of(schema);
    let object = view.is_object_like() || !view.all_of.is_empty();
    let others = discriminator
        .mapping
        .values()
        .any(|target| normalize_mapping_target(target) != own_reference);
    (object && view.one_of.is_empty() && view.any_of.is_empty() && others).then_some(discriminator)
}
