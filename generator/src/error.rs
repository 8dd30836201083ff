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
    /// The document exceeds a resource limit: its size, how deep it nests, how far its YAML
    /// aliases expand, or how long its chains of references are.
    Limit,
    /// A fault of the generator itself (the code it made does not parse, for instance), not
    /// of the document: report it with the document.
    Internal,
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
            ErrorKind::Limit => "limit",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The most diagnostics one error carries: past this many problems in a document, the
/// generator stops looking for more.
pub const MAX_DIAGNOSTICS: usize = 50;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Irregular input the generator read anyway, or left out: the rest was generated.
    Warning,
    /// Nothing was generated.
    Error,
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
/// One error may carry several diagnostics (independent problems found in one document): the
/// accessors describe the first, [`Error::diagnostics`] lists them all, and `Display` renders
/// them one after another.
///
/// Boxed inside, so that `Result<T, Error>` stays one pointer wide on the success path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    level: Level,
    message: String,
    file: Option<PathBuf>,
    location: Option<LineColumn>,
    pointer: Option<String>,
    help: Option<String>,
    /// The source line at `location` (cut to a window around the column) and the 1-based
    /// column of the caret in that window.
    snippet: Option<(String, usize)>,
    /// Further independent diagnostics, each without further diagnostics of its own.
    related: Vec<Error>,
}

impl Error {
    /// A new error of `kind` with `message`; add context with the builder methods.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            level: Level::Error,
            message: message.into(),
            file: None,
            location: None,
            pointer: None,
            help: None,
            snippet: None,
            related: Vec::new(),
        }))
    }

    /// One error carrying every diagnostic in `errors`, in order; `None` when there are none.
    pub fn from_diagnostics(errors: impl IntoIterator<Item = Error>) -> Option<Self> {
        let mut errors = errors.into_iter().flat_map(Error::into_diagnostics);
        let mut first = errors.next()?;
        first.0.related.extend(errors.take(MAX_DIAGNOSTICS - 1));
        Some(first)
    }

    /// Every diagnostic this error carries: itself first (its accessors describe that one),
    /// then the further ones, each with its own kind, message and location.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(self).chain(self.0.related.iter())
    }

    /// How many diagnostics this error carries (at least one).
    pub fn count(&self) -> usize {
        1 + self.0.related.len()
    }

    /// Splits the error into its diagnostics, each on its own.
    pub fn into_diagnostics(mut self) -> Vec<Error> {
        let related = std::mem::take(&mut self.0.related);
        let mut out = Vec::with_capacity(1 + related.len());
        out.push(self);
        out.extend(related);
        out
    }

    /// Applies `f` to every diagnostic this error carries.
    pub fn map_diagnostics(self, mut f: impl FnMut(Error) -> Error) -> Self {
        let mapped: Vec<Error> = self.into_diagnostics().into_iter().map(&mut f).collect();
        match Error::from_diagnostics(mapped) {
            Some(error) => error,
            // `into_diagnostics` always yields at least the error itself.
            None => Error::new(ErrorKind::Invalid, "no diagnostic"),
        }
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

    /// Sets the file, on every diagnostic, unless one is already set.
    pub fn or_in_file(mut self, file: impl Into<PathBuf>) -> Self {
        let file = file.into();
        for error in &mut self.0.related {
            if error.0.file.is_none() {
                error.0.file = Some(file.clone());
            }
        }
        if self.0.file.is_none() {
            self.0.file = Some(file);
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

    /// Shows `line` (the source line at the error's location) under the location, with a caret
    /// at `column` (1-based, in characters). Long lines are cut to a window around the column.
    pub fn with_snippet(mut self, line: &str, column: usize) -> Self {
        self.0.snippet = Some(snippet_window(line, column));
        self
    }

    /// The source line shown under the location and the caret's 1-based column in it.
    pub fn snippet(&self) -> Option<(&str, usize)> {
        self.0
            .snippet
            .as_ref()
            .map(|(line, column)| (line.as_str(), *column))
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Whether this diagnostic is an error or a warning.
    pub fn level(&self) -> Level {
        self.0.level
    }

    /// This diagnostic as a warning: what it reports was read anyway, or left out, and the
    /// rest of the document generated. Further diagnostics it carries are left as they are.
    pub fn into_warning(mut self) -> Self {
        self.0.level = Level::Warning;
        self
    }

    /// This diagnostic as an error (what `deny_warnings` makes of a warning).
    pub fn into_error(mut self) -> Self {
        self.0.level = Level::Error;
        self
    }

    /// Replaces the message (the kind, location and help stay).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.0.message = message.into();
        self
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
        self.render_one(f)?;
        for related in &self.0.related {
            f.write_str("\n\n")?;
            related.render_one(f)?;
        }
        if self.count() >= MAX_DIAGNOSTICS {
            write!(
                f,
                "\n\nerror: stopped after {MAX_DIAGNOSTICS} problems; there may be more"
            )?;
        } else if !self.0.related.is_empty() {
            write!(
                f,
                "\n\nerror: {} problems found in the document",
                self.count()
            )?;
        }
        Ok(())
    }
}

impl Error {
    /// Renders this diagnostic alone. Text from the document is shown with control and
    /// bidirectional characters escaped, so that it cannot move the cursor, recolour the
    /// terminal or reorder what is displayed.
    fn render_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        let level = match inner.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}]: {}",
            inner.kind.as_str(),
            Inert(&inner.message)
        )?;
        // As rustc lays it out: the arrow one column left of the gutter's bar, and the notes
        // under the bar; the gutter is as wide as the line number (two columns at least).
        let number = inner.location.map(|at| at.line.to_string());
        let width = number.as_ref().map_or(2, |n| n.len().max(2));
        let arrow = " ".repeat(width);
        let gutter = " ".repeat(width + 1);
        let file = inner.file.as_ref().map(|file| file.display().to_string());
        match (&file, inner.location) {
            (Some(file), Some(at)) => {
                write!(f, "\n{arrow}--> {}:{}:{}", Inert(file), at.line, at.column)?
            }
            (Some(file), None) => write!(f, "\n{arrow}--> {}", Inert(file))?,
            (None, Some(at)) => write!(f, "\n{arrow}--> {}:{}", at.line, at.column)?,
            (None, None) => {}
        }
        if let (Some((line, column)), Some(number)) = (&inner.snippet, &number) {
            let caret = " ".repeat(column.saturating_sub(1));
            write!(
                f,
                "\n{gutter}|\n{number:>width$} | {line}\n{gutter}| {caret}^",
                width = width,
                line = line.trim_end()
            )?;
        }
        if let Some(pointer) = &inner.pointer {
            write!(f, "\n{gutter}= at {}", Inert(pointer))?;
        }
        if let Some(help) = &inner.help {
            write!(f, "\n{gutter}= help: {}", Inert(help))?;
        }
        Ok(())
    }
}

/// Displays text with every control character but newline and tab, and every bidirectional
/// formatting character, written as a `\u{..}` escape.
struct Inert<'a>(&'a str);

impl fmt::Display for Inert<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if is_unsafe_to_display(c) {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// Characters that must not reach a terminal raw: controls (escape sequences, carriage
/// returns), bidirectional overrides and isolates, and line or paragraph separators.
pub(crate) fn is_unsafe_to_display(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// How many characters of a source line a snippet shows at most.
const SNIPPET_WIDTH: usize = 100;

/// The part of `line` shown in a snippet, made displayable (tabs become spaces, unsafe
/// characters `?`), and the caret's column in it.
fn snippet_window(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .trim_end_matches(['\n', '\r'])
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if is_unsafe_to_display(c) => '?',
            c => c,
        })
        .collect();
    let column = column.clamp(1, chars.len() + 1);
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), column);
    }
    let start = column
        .saturating_sub(SNIPPET_WIDTH / 2)
        .min(chars.len() - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut out = String::new();
    let mut caret = column - start;
    if start > 0 {
        out.push_str("...");
        caret += 3;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push_str("...");
    }
    (out, caret)
}

impl std::error::Error for Error {}

/// Builds a JSON pointer (RFC 6901) in URI-fragment form from its segments.
#[cfg(test)]
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
    fn several_diagnostics_render_one_after_another() {
        let first = Error::invalid("#/a", "first")
            .at_location(2, 3)
            .with_snippet("  ab: c", 3);
        let second = Error::new(ErrorKind::Reference, "second\u{1b}[2J\u{202E}");
        let error = Error::from_diagnostics([first, second])
            .expect("two diagnostics")
            .or_in_file("d.yaml");
        assert_eq!(error.count(), 2);
        assert_eq!(error.kind(), ErrorKind::Invalid);
        assert_eq!(
            error.diagnostics().map(Error::kind).collect::<Vec<_>>(),
            [ErrorKind::Invalid, ErrorKind::Reference]
        );
        assert_eq!(
            error.to_string(),
            "error[invalid]: first\n  --> d.yaml:2:3\n   |\n 2 |   ab: c\n   |   ^\n   = at #/a\n\nerror[reference]: second\\u{1b}[2J\\u{202e}\n  --> d.yaml\n\nerror: 2 problems found in the document"
        );
        assert!(Error::from_diagnostics(Vec::new()).is_none());
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let error = Error::invalid("#", "m")
            .at_location(1, 301)
            .with_snippet(&line, 301);
        let (shown, caret) = error.snippet().expect("snippet");
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert_eq!(shown.chars().nth(caret - 1), Some('X'));
        let short = Error::invalid("#", "m").with_snippet("\tkey:\u{202E} v", 2);
        assert_eq!(short.snippet(), Some((" key:? v", 2)));
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
