//! Writing a slice: the document to keep, with its `x-generator-slice` record, and its text
//! on disk.

use std::path::Path;

use openapiv3::OpenAPI;

use super::naming::{naming, naming_for};
use super::select::select;
use super::{EXTENSION, Selection};
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
    if record.is_empty() {
        sliced.extensions.shift_remove(EXTENSION);
    } else {
        sliced
            .extensions
            .insert(EXTENSION.to_owned(), serde_json::Value::Object(record));
    }
    Ok(sliced)
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
