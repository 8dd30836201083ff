//! Other versions at the door: a Swagger 2.0 or OpenAPI 3.1 document is read as a tree,
//! rewritten into the OpenAPI 3.0 document the rest of the generator reads, and parsed from
//! that. Nothing after `load` knows which version the document was written in.
//!
//! What the rewrite moves is recorded in [`Moves`], so that every diagnostic, the converter's
//! own and those of later stages, names the JSON pointer and the line of the file the user
//! wrote. What 3.0 cannot say is approximated with a located warning.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_yaml::{Mapping, Value};

use super::Syntax;
use crate::error::{Error, ErrorKind, join_pointer};

mod openapi31;
mod swagger2;

/// The versions converted at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.1.x`.
    OpenApi31,
}

/// Where converted nodes came from: pairs of a pointer in the converted document and the
/// pointer of the node it was made from in the original. A pointer under a recorded one maps
/// with it (`#/components/schemas/Pet/properties/id` to `#/definitions/Pet/properties/id`).
#[derive(Debug, Clone, Default)]
pub struct Moves {
    moved: Vec<(String, String)>,
    /// `moved` by converted pointer (a later record of one pointer wins), built on the first
    /// lookup: every diagnostic and every item of the API surface is looked up.
    index: OnceLock<HashMap<String, String>>,
}

impl Moves {
    /// Records that the node at `converted` was made from the one at `original`.
    pub(crate) fn record(&mut self, converted: String, original: String) {
        if converted != original {
            self.moved.push((converted, original));
            self.index = OnceLock::new();
        }
    }

    /// Moves the converted pointers under `from` (a prefix, `/` included) under `to`.
    pub(crate) fn rename_prefix(&mut self, from: &str, to: &str) {
        for (converted, _) in &mut self.moved {
            if let Some(rest) = converted.strip_prefix(from) {
                *converted = format!("{to}/{rest}");
            }
        }
        self.index = OnceLock::new();
    }

    /// The original pointer of the converted `pointer`: the longest recorded prefix (at a
    /// segment boundary) replaced by its original.
    pub fn original(&self, pointer: &str) -> Option<String> {
        if self.moved.is_empty() {
            return None;
        }
        let index = self
            .index
            .get_or_init(|| self.moved.iter().cloned().collect());
        let mut prefix = pointer;
        loop {
            if let Some(original) = index.get(prefix) {
                return Some(format!("{original}{}", &pointer[prefix.len()..]));
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }

    /// `error` with every pointer that names a converted node made to name its original.
    pub fn translate(&self, error: Error) -> Error {
        if self.moved.is_empty() {
            return error;
        }
        error.map_diagnostics(|diagnostic| {
            match diagnostic.pointer().and_then(|p| self.original(p)) {
                Some(original) => diagnostic.at_pointer(original),
                None => diagnostic,
            }
        })
    }
}

/// A document converted to OpenAPI 3.0: the tree, the warnings of what was approximated, and
/// the moves.
pub struct Converted {
    /// The OpenAPI 3.0 document.
    pub tree: Value,
    /// What 3.0 could not say, located in the original.
    pub warnings: Vec<Error>,
    /// Where converted nodes came from.
    pub moves: Moves,
}

/// The version of a document that is not 3.0, from the top of its text: `None` for 3.0 and
/// for anything else, which the typed read judges.
pub(super) fn version(text: &str, syntax: Syntax) -> Option<Version> {
    // A cheap look first: most documents are 3.0, and say nothing of another version.
    if !text.contains("swagger") && !text.contains("3.1") {
        return None;
    }
    let (openapi, swagger) = super::supported::version_fields(text, syntax)?;
    if swagger && openapi.is_none() {
        return Some(Version::Swagger2);
    }
    match openapi {
        Some(serde_json::Value::String(version)) if version.starts_with("3.1.") => {
            Some(Version::OpenApi31)
        }
        _ => None,
    }
}

/// The document `text`, written in `version`, converted to OpenAPI 3.0.
pub(super) fn convert(text: &str, syntax: Syntax, version: Version) -> Result<Converted, Error> {
    let body = text.trim_start_matches('\u{feff}');
    let tree: Value = match syntax {
        Syntax::Json => serde_json::from_str(body).map_err(|e| {
            Error::new(ErrorKind::Syntax, format!("invalid JSON: {e}"))
                .at_location(e.line(), e.column())
        })?,
        Syntax::Yaml => serde_yaml::from_str(body).map_err(|e| {
            let error = Error::new(ErrorKind::Syntax, format!("invalid YAML: {e}"));
            match e.location() {
                Some(at) => error.at_location(at.line(), at.column()),
                None => error,
            }
        })?,
    };
    let Value::Mapping(root) = tree else {
        return Err(Error::new(ErrorKind::Shape, "the document is not a mapping").at_pointer("#"));
    };
    let mut converted = Converted {
        tree: Value::Null,
        warnings: Vec::new(),
        moves: Moves::default(),
    };
    let root = match version {
        Version::Swagger2 => swagger2::convert(root, &mut converted)?,
        Version::OpenApi31 => openapi31::convert(root, &mut converted),
    };
    converted.tree = Value::Mapping(root);
    Ok(converted)
}

/// The text key `key` of a mapping.
pub(crate) fn key(key: &str) -> Value {
    Value::String(key.to_owned())
}

/// The member `name` of `mapping`, taken out.
pub(crate) fn take(mapping: &mut Mapping, name: &str) -> Option<Value> {
    mapping.shift_remove(name)
}

/// A warning of `kind` at `pointer`, saying what was approximated.
pub(crate) fn approximated(kind: ErrorKind, pointer: &str, message: String, help: &str) -> Error {
    Error::new(kind, message)
        .at_pointer(pointer)
        .with_help(help)
        .into_warning()
}

/// Rewrites each `$ref` that starts with a renamed pointer.
pub(crate) fn rewrite_references(node: &mut Value, renamed: &[(String, String)]) {
    match node {
        Value::Mapping(mapping) => {
            for (name, value) in mapping.iter_mut() {
                if name.as_str() == Some("$ref") {
                    if let Value::String(reference) = value {
                        for (from, to) in renamed {
                            if let Some(rest) = reference.strip_prefix(from.as_str()) {
                                if rest.is_empty() || rest.starts_with('/') {
                                    *reference = format!("{to}{rest}");
                                    break;
                                }
                            }
                        }
                    }
                } else {
                    rewrite_references(value, renamed);
                }
            }
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|item| rewrite_references(item, renamed)),
        _ => {}
    }
}

/// `{type: "null"}` among a schema's `oneOf`/`anyOf` alternatives taken out, the schema made
/// `nullable`; a union left with one alternative is an `allOf` of it.
pub(crate) fn nullable_unions(schema: &mut Mapping) {
    for union in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(choices)) = schema.get_mut(union) else {
            continue;
        };
        let before = choices.len();
        choices.retain(|choice| !is_null_schema(choice));
        if choices.len() < before {
            let remaining = std::mem::take(choices);
            schema.insert(key("nullable"), Value::Bool(true));
            if remaining.len() == 1 {
                take(schema, union);
                let parts = match take(schema, "allOf") {
                    Some(Value::Sequence(mut parts)) => {
                        parts.extend(remaining);
                        parts
                    }
                    _ => remaining,
                };
                schema.insert(key("allOf"), Value::Sequence(parts));
            } else {
                schema.insert(key(union), Value::Sequence(remaining));
            }
        }
    }
}

/// `{type: "null"}`, possibly with a description: an alternative that only allows `null`.
fn is_null_schema(choice: &Value) -> bool {
    let Some(mapping) = choice.as_mapping() else {
        return false;
    };
    mapping.get("type").is_some_and(is_null_type)
        && mapping
            .keys()
            .all(|k| matches!(k.as_str(), Some("type" | "description" | "title")))
}

/// Whether `value` is `"null"` (or YAML's null, which `type: null` is).
pub(crate) fn is_null_type(value: &Value) -> bool {
    matches!(value, Value::Null) || value.as_str() == Some("null")
}

/// `pointer` with `segment` appended.
pub(crate) fn child(pointer: &str, segment: &str) -> String {
    join_pointer(pointer, segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_map_the_longest_recorded_prefix() {
        let mut moves = Moves::default();
        moves.record("#/components/schemas".into(), "#/definitions".into());
        moves.record(
            "#/paths/~1a/post/requestBody/content/application~1json/schema".into(),
            "#/paths/~1a/post/parameters/0/schema".into(),
        );
        assert_eq!(
            moves
                .original("#/components/schemas/Pet/properties/id")
                .as_deref(),
            Some("#/definitions/Pet/properties/id")
        );
        assert_eq!(moves.original("#/components/schemasX"), None);
        assert_eq!(
            moves
                .original("#/paths/~1a/post/requestBody/content/application~1json/schema/items")
                .as_deref(),
            Some("#/paths/~1a/post/parameters/0/schema/items")
        );
        assert_eq!(moves.original("#/paths/~1a/post"), None);
    }
}
