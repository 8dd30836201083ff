//! Writing a slice: the document to keep, with its `x-generator-slice` record, and its text
//! on disk.

use std::path::Path;

use openapiv3::OpenAPI;

use super::naming::{naming, naming_for};
use super::select::select;
use super::{EXTENSION, INLINE_NAMES, Selection};
use crate::error::{Error, ErrorKind};

/// The slice of `api` as a document to keep: [`select`], then the `x-generator-slice`
/// extension recording the patterns and, when they matter, the names (see [`naming_for`]).
pub fn slice(api: &OpenAPI, selection: &Selection) -> Result<OpenAPI, Error> {
    let full = naming(api)?;
    let mut sliced = select(api, selection)?;
    let names = naming_for(&full, &sliced)?;
    let mut record = serde_json::Map::new();
    if !selection.include.is_empty() {
        record.insert(String::from("include"), selection.include.clone().into());
    }
    if !selection.exclude.is_empty() {
        record.insert(String::from("exclude"), selection.exclude.clone().into());
    }
    if !selection.mapped_subtypes {
        record.insert(String::from("mapped-subtypes"), false.into());
    }
    if let Some(names) = names {
        record.insert(String::from("names"), names.into());
    }
    if let Some(inline) = inline_names(api, &sliced) {
        record.insert(String::from(INLINE_NAMES), inline);
    }
    if record.is_empty() {
        sliced.extensions.shift_remove(EXTENSION);
    } else {
        sliced
            .extensions
            .insert(EXTENSION.to_owned(), serde_json::Value::Object(record));
    }
    Ok(sliced)
}

/// Adds to the record of `sliced` (made from `full` in memory) the names of the repeated
/// inline enums it keeps, so that it names them as `full` does.
pub fn record_inline_names(full: &OpenAPI, sliced: &mut OpenAPI) {
    let Some(inline) = inline_names(full, sliced) else {
        return;
    };
    let record = sliced
        .extensions
        .entry(EXTENSION.to_owned())
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let Some(record) = record.as_object_mut() {
        record.insert(String::from(INLINE_NAMES), inline);
    }
}

/// The names `full` gives the repeated inline enums of the operations `sliced` keeps; `None`
/// when it keeps none.
fn inline_names(full: &OpenAPI, sliced: &OpenAPI) -> Option<serde_json::Value> {
    let mut names: std::collections::BTreeMap<String, serde_json::Value> =
        crate::model::shared_enum_names(full)
            .into_iter()
            .map(|(pointer, name)| (pointer, name.into()))
            .collect();
    // A slice of a slice names them as the first slice's document did.
    if let Some(recorded) = full
        .extensions
        .get(EXTENSION)
        .and_then(|record| record.get(INLINE_NAMES))
        .and_then(serde_json::Value::as_object)
    {
        names.extend(recorded.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let kept: serde_json::Map<String, serde_json::Value> = names
        .into_iter()
        .filter(|(pointer, _)| keeps(sliced, pointer))
        .collect();
    (!kept.is_empty()).then_some(serde_json::Value::Object(kept))
}

/// Whether `sliced` keeps the operation (or path item) that `pointer`
/// (`#/paths/{path}/{method or parameters}/...`) lies in.
fn keeps(sliced: &OpenAPI, pointer: &str) -> bool {
    let mut segments = pointer
        .strip_prefix("#/paths/")
        .unwrap_or_default()
        .split('/');
    let (Some(path), Some(member)) = (segments.next(), segments.next()) else {
        return false;
    };
    let path = path.replace("~1", "/").replace("~0", "~");
    let Some(openapiv3::ReferenceOr::Item(item)) = sliced.paths.paths.get(&path) else {
        return false;
    };
    member == "parameters" || item.iter().any(|(method, _)| method == member)
}

/// Writes `api` as YAML, or as JSON when `path` ends in `.json`.
pub fn to_text(api: &OpenAPI, path: &Path) -> Result<String, Error> {
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let text = if json {
        serde_json::to_string_pretty(api)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|e| e.to_string())
    } else {
        serde_yaml::to_string(api).map_err(|e| e.to_string())
    };
    text.map_err(|e| {
        Error::new(
            ErrorKind::Invalid,
            format!(
                "cannot write the slice as {}: {e}",
                if json { "JSON" } else { "YAML" }
            ),
        )
        .in_file(path)
    })
}

/// Writes `text` to `path` through a temporary file and a rename, only when the bytes
/// differ; returns whether it wrote.
pub fn write_text(path: &Path, text: &str) -> Result<bool, Error> {
    if std::fs::read(path).is_ok_and(|existing| existing == text.as_bytes()) {
        return Ok(false);
    }
    crate::output::write_atomically(path, text.as_bytes())?;
    Ok(true)
}
