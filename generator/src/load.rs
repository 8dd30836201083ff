//! Reading a document: YAML or JSON text into an [`openapiv3::OpenAPI`], with located errors.
//!
//! Both parsers report line and column; `serde_path_to_error` supplies the path of the field
//! that did not fit, which becomes the JSON pointer of the diagnostic.
//!
//! Most YAML documents are read in one pass (`load/events.rs`): a deserializer over the event
//! parser's events, which makes the structural checks as it goes. A document it cannot vouch
//! for (an alias, a tag, a key twice, anything that does not parse) is read by the general
//! path: the checks over the events, then `serde_yaml`, which gives the diagnostics.
//!
//! Limits keep hostile input from exhausting the machine: the size of the file
//! ([`DEFAULT_MAX_INPUT_BYTES`] unless the caller says otherwise), how deep it nests
//! ([`MAX_NESTING`] levels, enforced by both parsers before any recursion could overflow the
//! stack) and how far YAML aliases expand ([`MAX_ALIAS_EXPANSION`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};

use crate::error::{Error, ErrorKind, push_pointer_segment};

mod events;

/// The largest document read unless [`crate::Config::max_input_bytes`] says otherwise:
/// 128 MiB, well above the largest real-world descriptions (Microsoft Graph's full API is tens
/// of megabytes), and small enough that parsing it stays within a few gigabytes of memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 128 * 1024 * 1024;

/// How deep a document may nest (maps and lists inside one another): the recursion limit of
/// both `serde_json` and `serde_yaml`, which refuse deeper input before it can exhaust a
/// thread's stack.
pub const MAX_NESTING: usize = 128;

/// How many nodes YAML aliases may add to a document, beyond the nodes written in it: at most
/// this many, or ten times the written nodes when that is more. A "billion laughs" document
/// of a few hundred bytes would expand to a billion nodes.
pub const MAX_ALIAS_EXPANSION: u64 = 1_000_000;

/// A loaded document: its text and parsed form.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the caller gave it; shown in diagnostics and in generated headers.
    pub path: PathBuf,
    /// The parsed document.
    pub api: openapiv3::OpenAPI,
    /// The document's text, kept to point at lines in diagnostics.
    pub text: String,
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

/// Reads and parses the document at `path`, refusing files over [`DEFAULT_MAX_INPUT_BYTES`].
pub fn load(path: &Path) -> Result<Document, Error> {
    load_with_limit(path, DEFAULT_MAX_INPUT_BYTES)
}

/// Reads and parses the document at `path`, refusing files over `max_bytes`.
pub fn load_with_limit(path: &Path, max_bytes: u64) -> Result<Document, Error> {
    let text = read_text(path, max_bytes)?;
    parse(path, &text)
}

/// Reads the file at `path` as UTF-8 text of at most `max_bytes` bytes. The size is checked
/// before reading, and the read stops past the limit should the file grow meanwhile.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let declared = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    if declared > max_bytes {
        return Err(too_large(declared, max_bytes).in_file(path));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, &e))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        return Err(too_large(read, max_bytes).in_file(path));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let (line, column) = line_column(&valid, valid.len());
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let mut error = Error::new(
            ErrorKind::Syntax,
            "the document is not valid UTF-8: the byte here starts no UTF-8 character",
        )
        .in_file(path)
        .at_location(line, column)
        .with_help("save the document as UTF-8");
        if let Some(text) = crate::span::line_text(&lossy, line) {
            error = error.with_snippet(text, column);
        }
        error
    })
}

/// The error for a document of `size` bytes over a limit of `max_bytes`.
pub fn too_large(size: u64, max_bytes: u64) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("the document is {size} bytes, more than the limit of {max_bytes} bytes"),
    )
    .with_help("raise the limit with `Config::max_input_bytes` if the document is trusted")
}

/// Parses `text` as the document named `path` (used only in diagnostics and headers).
pub fn parse(path: &Path, text: &str) -> Result<Document, Error> {
    // Deserializing `openapiv3` recurses at every level of nesting, with large frames in a
    // debug build: run it on a stack that fits the deepest document the parsers accept.
    let api = crate::threads::with_stack(|| parse_api(text))
        .map_err(|e| crate::span::attach(e.or_in_file(path), text))?;
    Ok(Document {
        path: path.to_owned(),
        api,
        text: text.to_owned(),
    })
}

fn parse_api(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(Error::new(ErrorKind::Shape, "the document is empty")
            .at_location(1, 1)
            .with_help("an OpenAPI document is a mapping that starts with `openapi: 3.0.3`"));
    }
    let syntax = Syntax::detect(text);
    // `openapiv3` panics on input its two readings of a value disagree on (duplicate keys are
    // refused for that reason; see `parse_via_value` for another): no document may crash the
    // caller, so the panic becomes the error `openapiv3` meant to report.
    //
    // Most YAML documents are read in one pass over their events, checks included; the
    // documents that pass cannot vouch for are read by the general path below, which also
    // gives every diagnostic.
    let one_pass = match syntax {
        Syntax::Yaml => std::panic::catch_unwind(|| events::from_str(text)),
        Syntax::Json => Ok(None),
    };
    if let Ok(Some(api)) = one_pass {
        return checked(api, text);
    }
    // The event parser's duplicate-key check is final when it read the whole document and
    // every key was a plain scalar; otherwise the parser `openapiv3` reads with checks again.
    let keys_checked = syntax == Syntax::Yaml && check_structure(text)? == Keys::Checked;
    if !keys_checked {
        check_unique_keys(text, syntax)?;
    }
    let parsed = match one_pass {
        // The general path would panic the same way.
        Err(_) => Err(parse_via_value(text, syntax)),
        Ok(_) => std::panic::catch_unwind(|| match syntax {
            Syntax::Json => parse_json(text),
            Syntax::Yaml => parse_yaml(text),
        })
        .unwrap_or_else(|_| Err(parse_via_value(text, syntax))),
    };
    match parsed {
        Ok(api) => checked(api, text),
        Err(error) if error.kind() == ErrorKind::Limit => Err(error),
        // A 3.1 or Swagger 2.0 document fails to parse as 3.0 too, and its version is the
        // better diagnostic.
        Err(error) => match version_fields(text, syntax) {
            Some((openapi, swagger)) => check_version(openapi.as_ref(), swagger).and(Err(error)),
            None => Err(error),
        },
    }
}

/// `api`, parsed from `text`, once the checks of what parses but is not supported pass.
fn checked(api: openapiv3::OpenAPI, text: &str) -> Result<openapiv3::OpenAPI, Error> {
    check_version(Some(&serde_json::Value::String(api.openapi.clone())), false)?;
    check_empty_enums(text)?;
    Ok(api)
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
fn json_column(text: &str, error: &serde_json::Error) -> usize {
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

/// The error for a document nested deeper than [`MAX_NESTING`] levels.
fn too_deep() -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("the document nests more than {MAX_NESTING} levels deep"),
    )
    .with_help("no OpenAPI document needs this depth: look for runaway nesting around this line")
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

/// Refuses `enum: []` in a schema: it admits no value, and `openapiv3` would read it as no
/// `enum` at all (any value). Only text that contains an empty list after `enum` is walked.
fn check_empty_enums(text: &str) -> Result<(), Error> {
    if !text.match_indices("enum").any(|(index, _)| {
        let rest = text[index + 4..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        rest.strip_prefix(':')
            .map(|rest| rest.trim_start())
            .and_then(|rest| rest.strip_prefix('['))
            .is_some_and(|rest| rest.trim_start().starts_with(']'))
    }) {
        return Ok(());
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
    let errors = crate::span::empty_lists(text, "enum")
        .into_iter()
        .filter(|(pointer, _)| is_keyword(pointer))
        .take(crate::error::MAX_DIAGNOSTICS)
        .map(|(pointer, at)| {
            Error::invalid(
                &pointer,
                "`enum` lists no values, so no value would be valid",
            )
            .at_location(at.line, at.column)
            .with_help("list the values the schema accepts, or remove `enum` to accept any")
        });
    Error::from_diagnostics(errors).map_or(Ok(()), Err)
}

/// The top-level `openapi` value and whether there is a `swagger` field, when the top level
/// can be read at all.
fn version_fields(text: &str, syntax: Syntax) -> Option<(Option<serde_json::Value>, bool)> {
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
fn check_version(openapi: Option<&serde_json::Value>, swagger: bool) -> Result<(), Error> {
    let help =
        "this generator reads OpenAPI 3.0.x documents: convert the document to OpenAPI 3.0.3 first";
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
                "this is a Swagger 2.0 document, not OpenAPI 3.0",
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

/// Whether [`check_structure`] settled that no mapping has a key twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// The whole document was read and every key was a scalar written out: no key repeats.
    Checked,
    /// The event parser stopped early, or a key was an alias or a collection, whose equality
    /// `serde_yaml` decides differently: [`check_unique_keys`] must look.
    Unsettled,
}

/// Refuses YAML nested deeper than [`MAX_NESTING`] levels, or whose aliases would expand it
/// beyond [`MAX_ALIAS_EXPANSION`] nodes, or with a key twice in a mapping, in one linear pass
/// over its events, before `serde_yaml` reads it: libyaml's scanner does work proportional to
/// the nesting depth for every token, so ten thousand levels would take it minutes to refuse.
/// Counts aliases without expanding them: each anchor's size is measured once, each alias adds
/// that size. Text the event parser cannot read is left to `serde_yaml` to diagnose.
fn check_structure(text: &str) -> Result<Keys, Error> {
    /// An open collection: its anchor (0 for none), the node count when it started, and for
    /// a mapping the keys seen so far and whether the next node is a key.
    struct Open {
        anchor: usize,
        start: u64,
        keys: Option<(std::collections::HashSet<String>, bool)>,
        /// The member being read: its key, or its index in a sequence (for diagnostics).
        member: String,
        items: usize,
    }
    /// The pointer of the member being read in each open collection, ending with `last`.
    fn pointer_to(open: &[Open], last: Option<&str>) -> String {
        let mut pointer = String::from("#");
        for frame in open {
            push_pointer_segment(&mut pointer, &frame.member);
        }
        if let Some(last) = last {
            push_pointer_segment(&mut pointer, last);
        }
        pointer
    }
    /// A node starts: in a sequence it is the next item.
    fn node_starts(open: &mut [Open]) {
        if let Some(frame @ Open { keys: None, .. }) = open.last_mut() {
            frame.member = frame.items.to_string();
            frame.items += 1;
        }
    }
    /// A node has been read: in a mapping, a key is followed by a value and a value by a key.
    fn node_done(open: &mut [Open]) {
        if let Some(Open {
            keys: Some((_, expecting_key)),
            ..
        }) = open.last_mut()
        {
            *expecting_key = !*expecting_key;
        }
    }
    let mut written: u64 = 0;
    let mut added: u64 = 0;
    let mut sizes: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    let mut open: Vec<Open> = Vec::new();
    let mut first_alias: Option<((usize, usize), String)> = None;
    let mut keys_settled = false;
    let mut plain_keys = true;
    let expecting_key = |open: &[Open]| {
        matches!(
            open.last(),
            Some(Open {
                keys: Some((_, true)),
                ..
            })
        )
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let total = written.saturating_add(added);
        let at = (span.start.line(), span.start.col() + 1);
        match event {
            Event::Scalar(value, _, anchor, _) => {
                written += 1;
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
                node_starts(&mut open);
                let mut duplicate = false;
                if let Some(Open {
                    keys: Some((keys, true)),
                    member,
                    ..
                }) = open.last_mut()
                {
                    // Two equal keys: YAML forbids them, and the parsers would disagree on
                    // which one counts.
                    duplicate = !keys.insert(value.to_string());
                    *member = value.to_string();
                }
                if duplicate {
                    let pointer = pointer_to(&open[..open.len().saturating_sub(1)], Some(&value));
                    return Err(duplicate_key(&value)
                        .at_location(at.0, at.1)
                        .at_pointer(pointer));
                }
                node_done(&mut open);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                written += 1;
                plain_keys &= !expecting_key(&open);
                node_starts(&mut open);
                if open.len() >= MAX_NESTING {
                    return Err(too_deep()
                        .at_location(at.0, at.1)
                        .at_pointer(pointer_to(&open, None)));
                }
                let keys = matches!(event, Event::MappingStart(..))
                    .then(|| (std::collections::HashSet::new(), true));
                open.push(Open {
                    anchor,
                    start: total,
                    keys,
                    member: String::new(),
                    items: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Open { anchor, start, .. }) = open.pop() {
                    if anchor > 0 {
                        sizes.insert(anchor, total.saturating_sub(start));
                    }
                }
                node_done(&mut open);
            }
            Event::Alias(anchor) => {
                plain_keys &= !expecting_key(&open);
                added = added.saturating_add(sizes.get(&anchor).copied().unwrap_or(1));
                node_starts(&mut open);
                if first_alias.is_none() {
                    first_alias = Some((at, pointer_to(&open, None)));
                }
                node_done(&mut open);
            }
            Event::DocumentEnd => {
                keys_settled = plain_keys;
                break;
            }
            _ => {}
        }
    }
    let limit = MAX_ALIAS_EXPANSION.max(written.saturating_mul(10));
    if added <= limit {
        return Ok(if keys_settled {
            Keys::Checked
        } else {
            Keys::Unsettled
        });
    }
    let mut error = Error::new(
        ErrorKind::Limit,
        format!(
            "YAML aliases expand the document by {added} nodes, more than the limit of {limit} (it has {written} nodes of its own)"
        ),
    )
    .with_help("this looks like an alias bomb (\"billion laughs\"); write the repeated parts out, or refer to shared schemas with `$ref`");
    if let Some(((line, column), pointer)) = first_alias {
        error = error.at_location(line, column).at_pointer(pointer);
    }
    Err(error)
}

/// The error for a key that a mapping (a JSON object) already has.
fn duplicate_key(key: &str) -> Error {
    Error::new(
        ErrorKind::Syntax,
        format!("the key `{key}` appears twice in one mapping"),
    )
    .with_help(
        "a key may appear only once in a mapping (an object): merge the two entries or rename one",
    )
}

/// Refuses mappings (objects) with a key twice, before `openapiv3` reads the document: it
/// would reject one copy and then accept the other, and panics when that happens. Reads the
/// text with the parser the document is then read with, so both see the same mappings;
/// visits every value once, within the parser's recursion limit.
fn check_unique_keys(text: &str, syntax: Syntax) -> Result<(), Error> {
    struct UniqueKeys;
    struct Visitor;
    impl<'de> serde::Deserialize<'de> for UniqueKeys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(Visitor)
        }
    }
    /// A key, borrowed from the text when the parser can (no escapes in it).
    struct Key<'de>(std::borrow::Cow<'de, str>);
    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl<'de> serde::de::Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a string")
                }
                fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Borrowed(key)))
                }
                fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
                }
            }
            deserializer.deserialize_str(KeyVisitor)
        }
    }
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = UniqueKeys;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
            Ok(UniqueKeys)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<UniqueKeys, A::Error> {
            while seq.next_element::<UniqueKeys>()?.is_some() {}
            Ok(UniqueKeys)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<UniqueKeys, A::Error> {
            let mut keys = std::collections::HashSet::new();
            while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                if keys.contains(&key) {
                    return Err(serde::de::Error::custom(DuplicateKey(key.into_owned())));
                }
                map.next_value::<UniqueKeys>()?;
                keys.insert(key);
            }
            Ok(UniqueKeys)
        }
    }
    /// Carries the key through `serde_json`'s error, which keeps only the message.
    struct DuplicateKey(String);
    impl std::fmt::Display for DuplicateKey {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{DUPLICATE_MARK}{}", self.0)
        }
    }
    const DUPLICATE_MARK: &str = "\u{0}duplicate key\u{0}";
    let duplicate = |message: &str, pointer: String| {
        // serde_yaml puts the path before the message.
        let rest = &message[message.find(DUPLICATE_MARK)? + DUPLICATE_MARK.len()..];
        let key = rest.find(" at line ").map_or(rest, |index| &rest[..index]);
        Some(duplicate_key(key).at_pointer(pointer))
    };
    // Anything but a duplicate key the typed parse reports better. Most documents have none:
    // a first pass without the path finds that out at half the cost.
    let unique = match syntax {
        Syntax::Json => {
            serde_json::from_str::<UniqueKeys>(text.trim_start_matches('\u{feff}')).is_ok()
        }
        Syntax::Yaml => serde_yaml::from_str::<UniqueKeys>(text).is_ok(),
    };
    if unique {
        return Ok(());
    }
    match syntax {
        Syntax::Json => {
            let mut deserializer =
                serde_json::Deserializer::from_str(text.trim_start_matches('\u{feff}'));
            match serde_path_to_error::deserialize::<_, UniqueKeys>(&mut deserializer) {
                Ok(_) => Ok(()),
                Err(e) => {
                    let inner = e.inner();
                    match duplicate(&inner.to_string(), path_to_pointer(e.path())) {
                        Some(error) => {
                            Err(error.at_location(inner.line(), json_column(text, inner)))
                        }
                        None => Ok(()),
                    }
                }
            }
        }
        Syntax::Yaml => {
            let deserializer = serde_yaml::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, UniqueKeys>(deserializer) {
                Ok(_) => Ok(()),
                Err(e) => {
                    let inner = e.inner();
                    match duplicate(&inner.to_string(), path_to_pointer(e.path())) {
                        Some(mut error) => {
                            if let Some(location) = inner.location() {
                                error = error.at_location(location.line(), location.column());
                            }
                            Err(error)
                        }
                        None => Ok(()),
                    }
                }
            }
        }
    }
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

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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
    }

    #[test]
    fn a_key_twice_is_found_in_large_mappings_and_escaped_keys() {
        // A duplicate after twenty keys, and one spelled with an escape.
        let many: Vec<String> = (0..20).map(|i| format!("\"x-k{i}\": {i}")).collect();
        let cases = [
            (format!("{},\"x-k3\": 0", many.join(",")), "x-k3"),
            (String::from("\"x-\\u0061\": 1, \"x-a\": 2"), "x-a"),
        ];
        for (members, key) in cases {
            let text = format!(
                "{{\"openapi\":\"3.0.0\",\"info\":{{\"title\":\"j\",\"version\":\"1\",{members}}},\"paths\":{{}}}}"
            );
            let error = parse(Path::new("a.json"), &text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Syntax, "{error}");
            assert!(
                error
                    .to_string()
                    .contains(&format!("`{key}` appears twice")),
                "{error}"
            );
            assert_eq!(error.pointer(), Some("#/info"), "{error}");
        }
        // The same keys once each are fine.
        let text = format!(
            "{{\"openapi\":\"3.0.0\",\"info\":{{\"title\":\"j\",\"version\":\"1\",{}}},\"paths\":{{}}}}",
            many.join(",")
        );
        assert!(parse(Path::new("a.json"), &text).is_ok());
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
    fn a_key_repeated_through_an_alias_is_refused() {
        // The event parser sees an alias where `serde_yaml` sees the anchored text, so the
        // second check decides.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-name: &name title\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        *name : {type: string}\n        title: {type: integer}\n";
        let error = parse(Path::new("alias.yaml"), text).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Syntax, "{error}");
        assert!(
            error.to_string().contains("`title` appears twice"),
            "{error}"
        );
        let distinct = text.replace(
            "        title: {type: integer}",
            "        other: {type: integer}",
        );
        parse(Path::new("alias.yaml"), &distinct).expect("distinct keys through an alias");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
        assert_eq!(line_column("é\nçé!", 7), (2, 3));
    }
}
