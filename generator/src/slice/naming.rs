//! Stable names: the component names that decide a slice's type names, so that a slice names
//! its types as the document it came from does, and the `names` list of its
//! `x-generator-slice` record.

use std::collections::{HashMap, HashSet};

use openapiv3::{AnySchema, Components, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind};

use super::EXTENSION;
use crate::error::{Error, join_pointer};
use crate::names;

/// The component schema names that decide the type names of `api`, in naming order: the
/// document's own; in a slice written by [`slice()`](super::slice()), the names its
/// `x-generator-slice` extension records, then its own schemas not among them (as
/// [`crate::model::build_named`] names them).
pub fn naming(api: &OpenAPI) -> Result<Vec<String>, Error> {
    let own = api.components.as_ref().map(|c| c.schemas.keys());
    match recorded_naming(api)? {
        Some(mut names) => {
            let listed: HashSet<String> = names.iter().cloned().collect();
            names.extend(
                own.into_iter()
                    .flatten()
                    .filter(|k| !listed.contains(*k))
                    .cloned(),
            );
            Ok(names)
        }
        None => Ok(own.into_iter().flatten().cloned().collect()),
    }
}

/// The names list of the document's `x-generator-slice` extension, when it has one.
pub fn recorded_naming(api: &OpenAPI) -> Result<Option<Vec<String>>, Error> {
    let Some(extension) = api.extensions.get(EXTENSION) else {
        return Ok(None);
    };
    let at = join_pointer("#", EXTENSION);
    let Some(object) = extension.as_object() else {
        return Err(
            Error::invalid(&at, format!("`{EXTENSION}` must be an object"))
                .with_help("it is written by `clientsmith slice`; slice the source document again"),
        );
    };
    let Some(names) = object.get("names") else {
        return Ok(None);
    };
    let at = join_pointer(&at, "names");
    let Some(names) = names.as_array() else {
        return Err(
            Error::invalid(&at, "the names of a slice must be a list of schema names")
                .with_help("it is written by `clientsmith slice`; slice the source document again"),
        );
    };
    let mut out = Vec::with_capacity(names.len());
    let mut seen = HashSet::new();
    for (index, name) in names.iter().enumerate() {
        let Some(name) = name.as_str() else {
            return Err(Error::invalid(
                &join_pointer(&at, &index.to_string()),
                "a schema name must be a string",
            ));
        };
        if seen.insert(name) {
            out.push(name.to_owned());
        }
    }
    Ok(Some(out))
}

/// The type names the model gives the component schemas `present` when naming them as the
/// components `naming`, by schema name.
fn type_names(present: &[String], naming: &[String]) -> Result<HashMap<String, String>, Error> {
    let schemas = present
        .iter()
        .map(|key| {
            (
                key.clone(),
                ReferenceOr::Item(Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Any(AnySchema::default()),
                }),
            )
        })
        .collect();
    let names_only = OpenAPI {
        openapi: String::from("3.0.3"),
        components: Some(Components {
            schemas,
            ..Components::default()
        }),
        ..OpenAPI::default()
    };
    let api = crate::model::build_named(&names_only, Some(naming))?;
    let by_pointer: HashMap<&str, &str> = api
        .types
        .iter()
        .map(|def| (def.pointer.as_str(), def.name.as_str()))
        .collect();
    Ok(present
        .iter()
        .filter_map(|key| {
            let pointer = join_pointer("#/components/schemas", key);
            by_pointer
                .get(pointer.as_str())
                .map(|name| (key.clone(), (*name).to_owned()))
        })
        .collect())
}

/// Case and underscores ignored, trailing digits dropped: the key under which two type names
/// may collide (or one was suffixed because of the other).
fn collision_key(name: &str) -> String {
    name.trim_end_matches(|c: char| c.is_ascii_digit())
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many times [`naming_for`] looks for further names before it settles for all of them.
const NAMING_ROUNDS: usize = 8;

/// The names a written slice records so that its schemas keep the type names `full` (the
/// component schema names of the source document, in naming order) gives them; `None` when
/// the slice's own schemas already do. The model names the listed components first, in list
/// order, then the slice's other schemas; so the list holds the left-out components that
/// decide a kept schema's name (sharing its last segment, or, case, underscores and numeric
/// suffixes aside, its type name or that of a type the slice generates) and the kept schemas
/// they collide with. The result is checked with the model; when the short list does not give
/// the same names, the longer ones are tried, up to all of `full`.
pub fn naming_for(full: &[String], sliced: &OpenAPI) -> Result<Option<Vec<String>>, Error> {
    let kept: Vec<String> = sliced
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    let kept_set: HashSet<&String> = kept.iter().collect();
    if full.iter().all(|key| kept_set.contains(key)) {
        return Ok(None);
    }
    let full_names = type_names(full, full)?;
    let short: HashMap<&String, String> = full
        .iter()
        .map(|key| {
            (
                key,
                collision_key(&names::type_name(names::last_segment(key))),
            )
        })
        .collect();
    let named: HashMap<&String, String> = full
        .iter()
        .filter_map(|key| full_names.get(key).map(|name| (key, collision_key(name))))
        .collect();
    let kept_short: HashSet<&String> = kept.iter().filter_map(|k| short.get(k)).collect();
    let kept_named: HashSet<&String> = kept.iter().filter_map(|k| named.get(k)).collect();
    let left_out = || full.iter().filter(|key| !kept_set.contains(key));
    let mut extra: HashSet<&String> = left_out()
        .filter(|key| {
            short.get(key).is_some_and(|s| kept_short.contains(s))
                || named.get(key).is_some_and(|n| kept_named.contains(n))
        })
        .collect();
    let matches = |list: &[String]| -> Result<bool, Error> {
        let names = type_names(&kept, list)?;
        Ok(kept.iter().all(|key| names.get(key) == full_names.get(key)))
    };
    for _ in 0..NAMING_ROUNDS {
        let extra_short: HashSet<&String> = extra.iter().filter_map(|k| short.get(*k)).collect();
        let extra_named: HashSet<&String> = extra.iter().filter_map(|k| named.get(*k)).collect();
        let compact: Vec<String> = full
            .iter()
            .filter(|key| {
                extra.contains(key)
                    || (kept_set.contains(key)
                        && (short.get(key).is_some_and(|s| extra_short.contains(s))
                            || named.get(key).is_some_and(|n| extra_named.contains(n))))
            })
            .cloned()
            .collect();
        let complete: Vec<String> = full
            .iter()
            .filter(|key| extra.contains(key) || kept_set.contains(key))
            .cloned()
            .collect();
        let list = if matches(&compact)? {
            compact
        } else if matches(&complete)? {
            complete
        } else {
            return Ok(Some(full.to_vec()));
        };
        // Types the slice generates besides its components (inline types, `Any*`, `*Update`)
        // must not take a name the source document gives a left-out schema.
        let Ok(model) = crate::model::build_named(sliced, Some(&list)) else {
            return Ok(Some(list).filter(|list| !list.is_empty()));
        };
        let generated: HashSet<String> = model
            .types
            .iter()
            .map(|def| collision_key(&def.name))
            .collect();
        let more: Vec<&String> = left_out()
            .filter(|key| !extra.contains(key))
            .filter(|key| named.get(key).is_some_and(|n| generated.contains(n)))
            .collect();
        if more.is_empty() {
            return Ok(Some(list).filter(|list| !list.is_empty()));
        }
        extra.extend(more);
    }
    Ok(Some(full.to_vec()))
}
