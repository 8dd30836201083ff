//! The located read: a document the checked read could not vouch for is read again by the
//! passes that say where its problem is, and the problem is reported at its line, column and
//! JSON pointer (`serde_path_to_error` gives the path of the field that did not fit).
//!
//! The passes run in a fixed order, so that a document with several problems is always
//! refused for the same one: the YAML event pass (nesting, aliases, keys; run before any
//! read), the parser's own duplicate-key check, the typed parse with its path, and last the
//! version, whose diagnostic explains a 3.1 or Swagger 2.0 document better than the parse
//! error it causes.

use super::structure::too_deep;
use super::{Syntax, supported, unique};
use crate::error::{Error, ErrorKind, push_pointer_segment};

/// Reads `text` with every check located. `keys_settled` says that the YAML event pass found
/// no key twice and needs no second opinion; `panicked` that `openapiv3` panicked on the text
/// already, so that the typed parse is not tried again.
pub(super) fn read(
    text: &str,
    syntax: Syntax,
    keys_settled: bool,
    panicked: bool,
) -> Result<(openapiv3::OpenAPI, Vec<Error>), Error> {
    // The event pass's duplicate-key check is final when it read the whole document and every
    // key was a plain scalar; otherwise the parser `openapiv3` reads with checks again.
    if !keys_settled {
        unique::check(text, syntax)?;
    }
    let parsed = if panicked {
        Err(parse_via_value(text, syntax))
    } else {
        std::panic::catch_unwind(|| match syntax {
            Syntax::Json => parse_json(text),
            Syntax::Yaml => parse_yaml(text),
        })
        .unwrap_or_else(|_| Err(parse_via_value(text, syntax)))
    };
    match parsed {
        Ok(api) => supported::check(api, text),
        Err(error) if error.kind() == ErrorKind::Limit => Err(error),
        // A 3.1 or Swagger 2.0 document fails to parse as 3.0 too, and its version is the
        // better diagnostic.
        Err(error) => match supported::version_fields(text, syntax) {
            Some((openapi, swagger)) => {
                supported::check_version(openapi.as_ref(), swagger).and(Err(error))
            }
            None => Err(error),
        },
    }
}

fn parse_json(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    let body = text.trim_start_matches('\u{feff}');
    // As for YAML: the path is tracked only to report an error.
    if let Ok(api) = serde_json::from_str(body) {
        return Ok(api);
    }
    let mut deserializer = serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.inner();
        let message = inner.to_string();
        if message.starts_with("recursion limit exceeded") {
            return too_deep().at_location(inner.line(), json_column(text, inner));
        }
        let kind = if inner.is_syntax() || inner.is_eof() {
            ErrorKind::Syntax
        } else {
            ErrorKind::Shape
        };
        let error = Error::new(kind, shape_message(&message, kind))
            .at_location(inner.line(), json_column(text, inner));
        let error = with_pointer(error, kind, pointer);
        if kind == ErrorKind::Syntax {
            error.with_help(syntax_help(&message, Syntax::Json))
        } else {
            error
        }
    })
}

/// The error `openapiv3` meant to report when it panicked instead. It reads a `ReferenceOr`
/// twice, from serde's buffered form and then from a `serde_json::Value`, and panics when the
/// two readings disagree (a `Value` sorts keys, so a parameter with both `schema` and
/// `content` can fail once and pass once). Read from a `Value` to begin with, both readings
/// agree, and the error is the real one (located by its pointer, as parsers give no line).
fn parse_via_value(text: &str, syntax: Syntax) -> Error {
    let value = match syntax {
        Syntax::Json => {
            serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
                .map_err(|e| e.to_string())
        }
        Syntax::Yaml => serde_yaml::from_str::<serde_json::Value>(text).map_err(|e| e.to_string()),
    };
    let error = match value {
        Ok(value) => match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value) {
            Err(e) => {
                let message = shape_message(&e.inner().to_string(), ErrorKind::Shape);
                return with_pointer(
                    Error::new(ErrorKind::Shape, message),
                    ErrorKind::Shape,
                    path_to_pointer(e.path()),
                );
            }
            Ok(_) => String::from(
                "a part of it reads as OpenAPI 3.0 only when its keys are taken in another order, such as a parameter with both `schema` and `content` (it must have one of them)",
            ),
        },
        Err(message) => message,
    };
    Error::new(
        ErrorKind::Shape,
        format!("not a valid OpenAPI 3.0 document: {error}"),
    )
    .with_help("see the OpenAPI 3.0 specification for the fields each object accepts")
}

/// What would be accepted where a parser stopped, for the syntax errors people make.
fn syntax_help(message: &str, syntax: Syntax) -> &'static str {
    let rules: &[(&str, &str)] = match syntax {
        Syntax::Json => &[
            (
                "trailing comma",
                "JSON allows no comma after the last member: remove it",
            ),
            ("expected `:`", "write a `:` between each key and its value"),
            (
                "expected `,` or `}`",
                "separate members with `,` and close the object with `}`; a string before this may be missing its closing quote",
            ),
            (
                "expected `,` or `]`",
                "separate items with `,` and close the array with `]`",
            ),
            (
                "key must be a string",
                "JSON keys are strings in double quotes",
            ),
            (
                "EOF while parsing",
                "the document ends too early: close every string, object and array",
            ),
            (
                "control character",
                "write control characters in strings as escapes such as `\\n`",
            ),
            (
                "invalid escape",
                "JSON strings accept only the escapes \\\\ \\\" \\/ \\b \\f \\n \\r \\t \\uXXXX",
            ),
            (
                "trailing characters",
                "a JSON document is one value: remove what follows it",
            ),
        ],
        Syntax::Yaml => &[
            (
                "mapping values are not allowed",
                "quote a value that contains `: `, or put a nested mapping on its own lines",
            ),
            (
                "cannot start any token",
                "YAML indents with spaces, never tabs; quote values that start with `@` or a backtick",
            ),
            (
                "did not find expected ',' or '}'",
                "separate the items of a `{...}` mapping with `,` and close it with `}`",
            ),
            (
                "did not find expected ',' or ']'",
                "separate the items of a `[...]` list with `,` and close it with `]`",
            ),
            (
                "did not find expected key",
                "align the keys of a mapping at the same indentation",
            ),
            (
                "did not find expected '-'",
                "align the items of a list at the same indentation",
            ),
            (
                "found unexpected end of stream",
                "close every quoted string and every `[...]` or `{...}`",
            ),
            (
                "found undefined alias",
                "define the anchor (`&name`) before the alias (`*name`) uses it",
            ),
            ("duplicate", "a key may appear only once in a mapping"),
        ],
    };
    rules
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or(
            match syntax {
                Syntax::Json => "the document must be JSON (RFC 8259) or YAML",
                Syntax::Yaml => "the document must be YAML 1.2 or JSON",
            },
            |(_, help)| help,
        )
}

/// `serde_json` counts columns in bytes; diagnostics count characters.
pub(super) fn json_column(text: &str, error: &serde_json::Error) -> usize {
    let Some(line) = crate::span::line_text(text, error.line()) else {
        return error.column();
    };
    let bytes = error.column().min(line.len());
    let mut end = bytes;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].chars().count() + 1 + usize::from(end < bytes)
}

fn parse_yaml(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    // Tracking the path of every value costs a third of the parse, and only an error needs
    // it: a document that parses is read once without it.
    if let Ok(api) = serde_yaml::from_str(text) {
        return Ok(api);
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let inner = e.inner();
        if inner.to_string().starts_with("recursion limit exceeded") {
            let mut error = too_deep();
            if let Some(location) = inner.location() {
                error = error.at_location(location.line(), location.column());
            }
            return error;
        }
        // serde_yaml does not classify its errors: text that does not even parse into an
        // untyped value is a syntax error, anything else is a shape error.
        if let Err(syntax) = serde_yaml::from_str::<serde::de::IgnoredAny>(text) {
            let mut error = Error::new(
                ErrorKind::Syntax,
                shape_message(&syntax.to_string(), ErrorKind::Syntax),
            );
            if let Some(location) = syntax.location() {
                error = error.at_location(location.line(), location.column());
            }
            return with_pointer(error, ErrorKind::Syntax, path_to_pointer(e.path()))
                .with_help(syntax_help(&syntax.to_string(), Syntax::Yaml));
        }
        let pointer = path_to_pointer(e.path());
        let mut error = Error::new(
            ErrorKind::Shape,
            shape_message(&inner.to_string(), ErrorKind::Shape),
        );
        if let Some(location) = inner.location() {
            error = error.at_location(location.line(), location.column());
        }
        with_pointer(error, ErrorKind::Shape, pointer)
    })
}

fn with_pointer(error: Error, kind: ErrorKind, pointer: String) -> Error {
    if kind == ErrorKind::Shape {
        error
            .at_pointer(pointer)
            .with_help("see the OpenAPI 3.0 specification for the fields this object accepts")
    } else {
        // Where the parser was when the text stopped making sense.
        error.at_pointer(pointer)
    }
}

/// Drops the parser's own " at line X column Y" suffix: the location is rendered separately.
fn shape_message(message: &str, kind: ErrorKind) -> String {
    let trimmed = match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    match kind {
        ErrorKind::Syntax => format!("the document is not well-formed: {trimmed}"),
        _ => format!("not a valid OpenAPI 3.0 document: {trimmed}"),
    }
}

/// Converts a `serde_path_to_error` path into a JSON pointer.
pub(super) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => push_pointer_segment(&mut pointer, &index.to_string()),
            Segment::Map { key } => push_pointer_segment(&mut pointer, key),
            Segment::Enum { variant } => push_pointer_segment(&mut pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}
