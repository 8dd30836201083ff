//! What parses as OpenAPI 3.0 but is not read by this generator: another version of OpenAPI
//! (or Swagger 2.0), and a schema's `enum` with no values.

use super::Syntax;
use crate::error::{Error, ErrorKind};

/// `api`, parsed from `text`, once the checks of what parses but is not supported pass, with
/// warnings about what was read past.
pub(super) fn check(
    api: openapiv3::OpenAPI,
    text: &str,
) -> Result<(openapiv3::OpenAPI, Vec<Error>), Error> {
    check_version(Some(&serde_json::Value::String(api.openapi.clone())), false)?;
    Ok((api, empty_enums(text)))
}

/// A warning for each `enum: []` in a schema: it admits no value, which no document means;
/// `openapiv3` reads it as no `enum` at all (any value of the schema's type), and so does the
/// generator. Only text that contains an empty list after `enum` is walked.
fn empty_enums(text: &str) -> Vec<Error> {
    if !text.match_indices("enum").any(|(index, _)| {
        let rest = text[index + 4..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        rest.strip_prefix(':')
            .map(|rest| rest.trim_start())
            .and_then(|rest| rest.strip_prefix('['))
            .is_some_and(|rest| rest.trim_start().starts_with(']'))
    }) {
        return Vec::new();
    }
    // An `enum` member inside example values, defaults or extensions is data, not a schema
    // keyword; one inside `properties` or `schemas` is a name.
    let is_keyword = |pointer: &str| {
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        let Some((_, parents)) = segments.split_last() else {
            return false;
        };
        let named =
            |index: usize| index > 0 && matches!(segments[index - 1], "properties" | "schemas");
        let in_data = parents.iter().enumerate().any(|(index, segment)| {
            let data = matches!(
                *segment,
                "example" | "examples" | "default" | "enum" | "const"
            ) || segment.starts_with("x-");
            data && !named(index)
        });
        !in_data && !named(segments.len() - 1)
    };
    crate::span::empty_lists(text, "enum")
        .into_iter()
        .filter(|(pointer, _)| is_keyword(pointer))
        .map(|(pointer, at)| {
            Error::invalid(
                &pointer,
                "`enum` lists no values, so no value would be valid; it is read as any value of the schema's type",
            )
            .at_location(at.line, at.column)
            .with_help("list the values the schema accepts, or remove `enum` to accept any")
            .into_warning()
        })
        .collect()
}

/// The top-level `openapi` value and whether there is a `swagger` field, when the top level
/// can be read at all.
pub(super) fn version_fields(
    text: &str,
    syntax: Syntax,
) -> Option<(Option<serde_json::Value>, bool)> {
    #[derive(serde::Deserialize)]
    struct Fields {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde::de::IgnoredAny>,
    }
    let fields = match syntax {
        Syntax::Json => serde_json::from_str::<Fields>(text.trim_start_matches('\u{feff}')).ok(),
        Syntax::Yaml => serde_yaml::from_str::<Fields>(text).ok(),
    }?;
    Some((fields.openapi, fields.swagger.is_some()))
}

/// Checks the `openapi` value (and Swagger 2.0's `swagger` field): only 3.0.x is read.
pub(super) fn check_version(
    openapi: Option<&serde_json::Value>,
    swagger: bool,
) -> Result<(), Error> {
    let help = "this generator reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x documents: convert the document to one of these first";
    let version = match openapi {
        Some(serde_json::Value::String(version)) => version,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::Shape,
                format!("`openapi` must be a string such as \"3.0.3\", not `{other}`"),
            )
            .at_pointer("#/openapi")
            .with_help("quote the version: `openapi: \"3.0.3\"`"));
        }
        None if swagger => {
            return Err(Error::new(
                ErrorKind::Shape,
                "this is a Swagger document, but not of version 2.0",
            )
            .at_pointer("#/swagger")
            .with_help(help));
        }
        None => {
            return Err(Error::new(
                ErrorKind::Shape,
                "the document has no `openapi` field: it is not an OpenAPI document",
            )
            .at_pointer("#")
            .with_help("an OpenAPI document starts with `openapi: 3.0.3`"));
        }
    };
    if version.starts_with("3.0.") || version == "3.0" {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Shape,
        format!("unsupported OpenAPI version `{version}`"),
    )
    .at_pointer("#/openapi")
    .with_help(help))
}
