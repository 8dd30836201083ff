//! Reading a document: YAML or JSON text into an [`openapiv3::OpenAPI`], with located errors.
//!
//! One parser reads each syntax: `serde_yaml` reads YAML and `serde_json` reads JSON, straight
//! into `openapiv3`, with no key twice in a mapping checked in the same pass, through a
//! wrapper around the parser (`checked`) that knows no positions. Before `serde_yaml` reads a
//! YAML document whose flow collections may nest deeply (a scan of its brackets decides), one
//! linear pass over its events (`structure`) refuses what would make libyaml or the memory
//! suffer: deep nesting, and aliases that expand too far; other documents meet that pass only
//! when there is something to report. A document
//! the wrapper cannot vouch for is read again by the located passes (`located`), which find
//! what is wrong and say where: they run only when there is something to report.
//!
//! Limits keep hostile input from exhausting the machine: the size of the file
//! ([`DEFAULT_MAX_INPUT_BYTES`] unless the caller says otherwise), how deep it nests
//! ([`MAX_NESTING`] levels, enforced by both parsers before any recursion could overflow the
//! stack) and how far YAML aliases expand ([`MAX_ALIAS_EXPANSION`]).
//!
//! Rooms: `text` reads the file within the size limit; `structure` is the YAML event pass;
//! `checked` the read with the duplicate-key check; `located` the read that locates a problem,
//! with `unique` (keys, by the parser); `supported` refuses the versions and schemas this
//! generator does not read.

use std::path::Path;

use crate::error::{Error, ErrorKind};
use structure::Keys;

mod checked;
pub mod convert;
mod located;
mod repair;
mod structure;
mod supported;
mod text;
mod unique;

pub use text::{read_text, too_large};

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
    /// The parsed document.
    pub api: openapiv3::OpenAPI,
    /// The document's text, kept to point at lines in diagnostics.
    pub text: String,
    /// What was read past to parse it (see `repair`), located.
    pub warnings: Vec<Error>,
    /// For a document converted from another version, where converted nodes came from.
    pub moves: convert::Moves,
}

impl Document {
    /// `error` (from any stage) pointing into the file the user wrote, with line and column.
    pub fn locate(&self, error: Error, path: &Path) -> Error {
        crate::span::attach(self.moves.translate(error.or_in_file(path)), &self.text)
    }
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
#[cfg(any(test, feature = "internals"))]
pub fn load(path: &Path) -> Result<Document, Error> {
    load_with_limit(path, DEFAULT_MAX_INPUT_BYTES)
}

/// Reads and parses the document at `path`, refusing files over `max_bytes`.
pub fn load_with_limit(path: &Path, max_bytes: u64) -> Result<Document, Error> {
    let text = read_text(path, max_bytes)?;
    parse(path, &text)
}

/// Parses `text` as the document named `path` (used only in diagnostics and headers).
pub fn parse(path: &Path, text: &str) -> Result<Document, Error> {
    // Deserializing `openapiv3` recurses at every level of nesting, with large frames in a
    // debug build: run it on a stack that fits the deepest document the parsers accept.
    let (api, warnings, moves) = crate::threads::with_stack(|| parse_api(text))
        .map_err(|e| crate::span::attach(e.or_in_file(path), text))?;
    let document = Document {
        api,
        text: text.to_owned(),
        warnings: Vec::new(),
        moves,
    };
    let warnings = warnings
        .into_iter()
        .map(|w| document.locate(w, path))
        .collect();
    Ok(Document {
        warnings,
        ..document
    })
}

/// A parsed document, what was read past, and (for another version) the moves of its
/// conversion.
type Parsed = (openapiv3::OpenAPI, Vec<Error>, convert::Moves);

fn parse_api(text: &str) -> Result<Parsed, Error> {
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(Error::new(ErrorKind::Shape, "the document is empty")
            .at_location(1, 1)
            .with_help("an OpenAPI document is a mapping that starts with `openapi: 3.0.3`"));
    }
    let syntax = Syntax::detect(text);
    // YAML that nests flow collections deeply has its structure checked before `serde_yaml`
    // sees the text: libyaml's scanner does work proportional to the depth of flow collections
    // for every token (20,000 levels in 100 KB take it over five seconds, and it reads the
    // whole document before `serde_yaml` counts a level), and the event pass refuses them in
    // linear time. Other documents meet the pass only when there is something to report.
    let yaml = syntax == Syntax::Yaml;
    let checked_early = yaml && !structure::shallow_flow(text);
    let keys = if checked_early {
        structure::check(text)?
    } else {
        Keys::Unsettled
    };
    // `openapiv3` panics on input its two readings of a value disagree on (duplicate keys are
    // refused for that reason; see `located::parse_via_value` for another): no document may
    // crash the caller, so the panic becomes the error `openapiv3` meant to report.
    let outcome = std::panic::catch_unwind(|| read(text, syntax));
    let unconverted = |(api, warnings)| (api, warnings, convert::Moves::default());
    match &outcome {
        Ok(Some(api)) if !api.openapi.starts_with("3.1.") => {
            return supported::check(api.clone(), text).map(unconverted);
        }
        _ => {}
    }
    // Swagger 2.0 and OpenAPI 3.1 are converted at the door.
    if let Some(version) = convert::version(text, syntax) {
        return read_converted(text, syntax, version);
    }
    // Something to report: the located reads rely on the event pass's limits (nesting,
    // aliases) and its settling of keys.
    let keys = if yaml && !checked_early {
        structure::check(text)?
    } else {
        keys
    };
    // Keys twice are refused before anything is mended: readers disagree on which counts.
    if keys != Keys::Checked {
        unique::check(text, syntax)?;
    }
    // What real documents get wrong without leaving doubt about what they mean is read past.
    if let Ok(Some((api, mut warnings))) = std::panic::catch_unwind(|| repair::read(text, syntax)) {
        let (api, more) = supported::check(api, text)?;
        warnings.extend(more);
        return Ok((api, warnings, convert::Moves::default()));
    }
    located::read(text, syntax, true, outcome.is_err()).map(unconverted)
}

/// A document of another version, converted and then read as a 3.0 document.
fn read_converted(text: &str, syntax: Syntax, version: convert::Version) -> Result<Parsed, Error> {
    let convert::Converted {
        mut tree,
        mut warnings,
        moves,
        ..
    } = convert::convert(text, syntax, version)?;
    warnings.extend(repair::mend_tree(&mut tree));
    let api: openapiv3::OpenAPI = serde_path_to_error::deserialize(tree).map_err(|error| {
        let pointer = located::path_to_pointer(error.path());
        moves.translate(
            Error::new(
                ErrorKind::Shape,
                format!(
                    "the converted document is not valid OpenAPI 3.0: {}",
                    error.inner()
                ),
            )
            .at_pointer(pointer),
        )
    })?;
    let (api, more) = supported::check(api, text)?;
    warnings.extend(more);
    Ok((api, warnings, moves))
}

/// Reads `text` with its parser, the duplicate-key check made in the same pass; `None` when
/// the check cannot vouch for the result or the parser refused the text: the located read
/// then says what is wrong (or, for a document the check was unsure of, reads it).
fn read(text: &str, syntax: Syntax) -> Option<openapiv3::OpenAPI> {
    match syntax {
        Syntax::Json => {
            let body = text.trim_start_matches('\u{feff}');
            let mut deserializer = serde_json::Deserializer::from_str(body);
            // JSON has no aliases: every node is written out, and the count needs no cap.
            let api = checked::read(&mut deserializer, u64::MAX)?;
            deserializer.end().ok()?;
            Some(api)
        }
        Syntax::Yaml => {
            // The event pass bounded what aliases add when it read the whole document; when
            // it could not, this cap bounds the memory until the located read refuses the
            // text. Written nodes take a byte or more each (two at most share one, as in
            // `-`), so a document without aliases stays under it.
            let bytes = u64::try_from(text.len()).unwrap_or(u64::MAX);
            let cap = MAX_ALIAS_EXPANSION.saturating_add(bytes.saturating_mul(2));
            checked::read(serde_yaml::Deserializer::from_str(text), cap)
        }
    }
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
    fn versions_other_than_2_0_3_0_and_3_1_are_refused() {
        for version in ["3.2.0", "2.0", "4.0.0"] {
            let text = MINIMAL.replace("3.0.3", version);
            let error = parse(Path::new("v.yaml"), &text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Shape, "{version}");
            assert_eq!(error.pointer(), Some("#/openapi"), "{version}");
        }
        let swagger = "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let error = parse(Path::new("v.yaml"), swagger).unwrap_err();
        assert_eq!(error.pointer(), Some("#/swagger"), "{error}");
        assert!(parse(Path::new("v.yaml"), &MINIMAL.replace("3.0.3", "3.1.0")).is_ok());
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
}
