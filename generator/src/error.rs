//! The generator's one error type.
//!
//! Every error says what went wrong, where (file, line and column when the parser knows them,
//! and the JSON pointer into the document), and, where there is one, what would be accepted
//! instead. It renders like a compiler diagnostic so that it reads well in `cargo build` output.

use std::fmt;
use std::path::PathBuf;

/// What kind of problem an [`Error`] reports; stable, so callers can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// The document is not well-formed YAML or JSON.
    Syntax,
    /// The document is YAML or JSON but not an OpenAPI 3.0 document (a field has the wrong type,
    /// a required field is missing, the version is not 3.0.x).
    Shape,
    /// A `$ref` points at nothing, or outside the document.
    Reference,
    /// The document is valid OpenAPI but uses a feature the generator does not support.
    Unsupported,
    /// The document is inconsistent (for example a path parameter missing from its path).
    Invalid,
    /// `check` found generated files that differ from what the spec produces.
    Stale,
}

impl ErrorKind {
    /// The short name used in rendered diagnostics, such as `error[unsupported]`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Shape => "shape",
            ErrorKind::Reference => "reference",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Stale => "stale",
        }
    }
}

/// A line and column in a source document, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// An error from loading, modelling, emitting or writing.
///
/// Boxed inside, so that `Result<T, Error>` stays one pointer wide on the success path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    file: Option<PathBuf>,
    location: Option<LineColumn>,
    pointer: Option<String>,
    help: Option<String>,
}

impl Error {
    /// A new error of `kind` with `message`; add context with the builder methods.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            file: None,
            location: None,
            pointer: None,
            help: None,
        }))
    }

    /// An unsupported-feature error at `pointer`.
    pub fn unsupported(pointer: &str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, message).at_pointer(pointer)
    }

    /// An inconsistent-document error at `pointer`.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, message).at_pointer(pointer)
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: &std::io::Error) -> Self {
        let path = path.into();
        Error::new(
            ErrorKind::Io,
            format!("cannot access `{}`: {source}", path.display()),
        )
        .in_file(path)
    }

    /// Sets the file the error is about.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.0.file = Some(file.into());
        self
    }

    /// Sets the file unless one is already set.
    pub fn or_in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.0.file.is_none() {
            self.0.file = Some(file.into());
        }
        self
    }

    /// Sets the line and column (1-based).
    pub fn at_location(mut self, line: usize, column: usize) -> Self {
        self.0.location = Some(LineColumn { line, column });
        self
    }

    /// Sets the JSON pointer (`#/components/schemas/foo`).
    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.0.pointer = Some(pointer.into());
        self
    }

    /// Adds a hint saying what would be accepted.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without location.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The file, when known.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.0.file.as_deref()
    }

    /// Line and column, when known.
    pub fn location(&self) -> Option<LineColumn> {
        self.0.location
    }

    /// The JSON pointer into the document, when known.
    pub fn pointer(&self) -> Option<&str> {
        self.0.pointer.as_deref()
    }

    /// The hint, when there is one.
    pub fn help(&self) -> Option<&str> {
        self.0.help.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.0.kind.as_str(), self.0.message)?;
        match (&self.0.file, self.0.location) {
            (Some(file), Some(at)) => {
                write!(f, "\n  --> {}:{}:{}", file.display(), at.line, at.column)?
            }
            (Some(file), None) => write!(f, "\n  --> {}", file.display())?,
            (None, Some(at)) => write!(f, "\n  --> {}:{}", at.line, at.column)?,
            (None, None) => {}
        }
        if let Some(pointer) = &self.0.pointer {
            write!(f, "\n   = at {pointer}")?;
        }
        if let Some(help) = &self.0.help {
            write!(f, "\n   = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Builds a JSON pointer (RFC 6901) in URI-fragment form from its segments.
pub fn pointer<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("#");
    for segment in segments {
        push_pointer_segment(&mut out, segment);
    }
    out
}

/// Appends one segment to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn push_pointer_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Returns `pointer` with `segment` appended.
pub fn join_pointer(pointer: &str, segment: &str) -> String {
    let mut out = pointer.to_owned();
    push_pointer_segment(&mut out, segment);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer(["paths", "/a/{b}", "get"]), "#/paths/~1a~1{b}/get");
        assert_eq!(join_pointer("#/x", "a~b"), "#/x/a~0b");
    }

    #[test]
    fn renders_like_a_compiler_diagnostic() {
        let error = Error::unsupported("#/paths/~1a/get", "cookie parameters are not supported")
            .in_file("spec.yaml")
            .at_location(12, 7)
            .with_help("pass the cookie as a default header");
        assert_eq!(
            error.to_string(),
            "error[unsupported]: cookie parameters are not supported\n  --> spec.yaml:12:7\n   = at #/paths/~1a/get\n   = help: pass the cookie as a default header"
        );
    }
}
