//! Reading a document: YAML or JSON text into an [`openapiv3::OpenAPI`], with located errors.
//!
//! Both parsers report line and column; `serde_path_to_error` supplies the path of the field
//! that did not fit, which becomes the JSON pointer of the diagnostic.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, push_pointer_segment};

/// A loaded document: its text, digest and parsed form.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the caller gave it; shown in diagnostics and in generated headers.
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the document's bytes.
    pub sha256: String,
    /// The parsed document.
    pub api: openapiv3::OpenAPI,
}

/// Which syntax a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON (also valid YAML, but parsed with the JSON parser for speed and its error messages).
    Json,
    /// YAML 1.2.
    Yaml,
}

impl Syntax {
    /// Guesses the syntax from the text: a document whose first non-blank character is `{` is JSON.
    pub fn detect(text: &str) -> Syntax {
        let first = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next();
        if first == Some('{') {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Reads and parses the document at `path`.
pub fn load(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = line_column(&String::from_utf8_lossy(e.as_bytes()), offset);
        Error::new(ErrorKind::Syntax, "the document is not valid UTF-8")
            .in_file(path)
            .at_location(line, column)
    })?;
    parse(path, &text)
}

/// Parses `text` as the document named `path` (used only in diagnostics and headers).
pub fn parse(path: &Path, text: &str) -> Result<Document, Error> {
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let api = match Syntax::detect(text) {
        Syntax::Json => parse_json(text),
        Syntax::Yaml => parse_yaml(text),
    }
    .map_err(|e| e.or_in_file(path))?;
    check_version(&api.openapi).map_err(|e| e.in_file(path))?;
    Ok(Document {
        path: path.to_owned(),
        sha256,
        api,
    })
}

fn parse_json(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text.trim_start_matches('\u{feff}'));
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.inner();
        let kind = if inner.is_syntax() || inner.is_eof() {
            ErrorKind::Syntax
        } else {
            ErrorKind::Shape
        };
        let error = Error::new(kind, shape_message(&inner.to_string(), kind))
            .at_location(inner.line(), inner.column());
        with_pointer(error, kind, pointer)
    })
}

fn parse_yaml(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
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
            return error;
        }
        let pointer = path_to_pointer(e.path());
        let inner = e.inner();
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
        error
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

fn check_version(version: &str) -> Result<(), Error> {
    if version.starts_with("3.0.") || version == "3.0" {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Shape,
        format!("unsupported OpenAPI version `{version}`"),
    )
    .at_pointer("#/openapi")
    .with_help("this generator reads OpenAPI 3.0.x documents"))
}

/// Converts a `serde_path_to_error` path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
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

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";

    #[test]
    fn parses_yaml_and_json() {
        let yaml = parse(Path::new("a.yaml"), MINIMAL).expect("yaml");
        assert_eq!(yaml.api.info.title, "t");
        let json = parse(
            Path::new("a.json"),
            r#"{"openapi":"3.0.0","info":{"title":"j","version":"1"},"paths":{}}"#,
        )
        .expect("json");
        assert_eq!(json.api.info.title, "j");
        assert_eq!(yaml.sha256.len(), 64);
    }

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let error = parse(Path::new("bad.yaml"), "openapi: 3.0.3\ninfo: a: b\n").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Syntax);
        assert_eq!(error.file(), Some(Path::new("bad.yaml")));
        assert!(error.location().is_some(), "{error}");
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let error = parse(Path::new("bad.json"), "{\n  \"openapi\": \"3.0.0\",\n  ]").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Syntax);
        assert_eq!(error.location().map(|l| l.line), Some(3), "{error}");
    }

    #[test]
    fn shape_error_names_the_pointer() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 5\n          content: nope\n";
        let error = parse(Path::new("s.yaml"), text).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Shape, "{error}");
        let pointer = error.pointer().expect("pointer");
        // openapiv3 reads `paths` with its own visitor, so the pointer stops there; the line
        // and column still lead to the place.
        assert!(pointer.starts_with("#/paths"), "{pointer}");
        assert!(error.location().is_some(), "{error}");
    }

    #[test]
    fn other_versions_are_refused() {
        let text = MINIMAL.replace("3.0.3", "3.1.0");
        let error = parse(Path::new("v.yaml"), &text).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Shape);
        assert_eq!(error.pointer(), Some("#/openapi"));
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
