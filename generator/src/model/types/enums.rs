//! String enums: an `enum` of strings, or a `oneOf`/`anyOf` of them, with the per-value
//! descriptions the document's extensions give; and the enums that stay plain JSON.

use std::collections::{BTreeSet, HashMap};

use openapiv3::ReferenceOr;

use super::{TypeSpace, fallback_name};
use crate::error::Error;
use crate::model::view::{Ty, View};
use crate::model::{StringEnum, Variant};
use crate::names::{self, Namespace};

impl TypeSpace<'_> {
    /// A string enum, when `view` describes one: an `enum` of strings, or a `oneOf`/`anyOf`
    /// whose alternatives are all string enums (as schema generators write documented values).
    pub(super) fn string_enum(
        &self,
        view: &View<'_>,
        pointer: &str,
    ) -> Result<Option<StringEnum>, Error> {
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
}

/// The alternatives of a `oneOf`/`anyOf` made only of inline string enums, read as views.
pub(super) fn enum_alternatives<'v>(view: &View<'v>) -> Option<Vec<View<'v>>> {
    let alternatives = if view.one_of.is_empty() {
        view.any_of
    } else {
        view.one_of
    };
    if alternatives.is_empty() || view.is_object_like() || !view.all_of.is_empty() {
        return None;
    }
    // An alternative that allows any string (`anyOf: [{enum: [...]}, {type: string}]`, the
    // "extensible enum" of TypeSpec and AutoRest) adds no value: the enum's fallback variant
    // already holds any other string, so it would be a variant that is never reached.
    let parts: Option<Vec<Option<View<'v>>>> = alternatives
        .iter()
        .map(|alternative| match alternative {
            ReferenceOr::Item(schema) => {
                let part = View::of(schema);
                if is_open_string(&part) {
                    return Some(None);
                }
                let strings = !part.enumeration.is_empty()
                    && part.enumeration.iter().all(serde_json::Value::is_string);
                (strings && matches!(part.ty, Some(Ty::String) | None)).then_some(Some(part))
            }
            ReferenceOr::Reference { .. } => None,
        })
        .collect();
    let parts: Vec<View<'v>> = parts?.into_iter().flatten().collect();
    (!parts.is_empty()).then_some(parts)
}

/// Whether `view` allows any string: `type: string` with no `enum` and no `format`.
pub(super) fn is_open_string(view: &View<'_>) -> bool {
    matches!(view.ty, Some(Ty::String))
        && view.enumeration.is_empty()
        && view.format.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
}

/// Whether `view` is a string enum: every value a string.
pub(crate) fn is_string_enum(view: &View<'_>) -> bool {
    matches!(view.ty, Some(Ty::String) | None)
        && !view.enumeration.is_empty()
        && view.enumeration.iter().all(serde_json::Value::is_string)
}

/// An `enum` whose values are of several JSON kinds (strings and numbers, say).
pub(super) fn mixed_enum(view: &View<'_>) -> bool {
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
