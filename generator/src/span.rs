//! Where a JSON pointer is in the source text: line, column and the line itself.
//!
//! The document is parsed into `openapiv3` types with serde, which forgets where each value
//! came from; the model's errors know only a JSON pointer. On the error path (never on success)
//! the text is read once more as a stream of YAML events with positions (`saphyr-parser`; JSON
//! is YAML 1.2 for this purpose) and the pointers are matched against the path of every node.
//! The walk keeps no tree, only the current path, and never expands aliases, so it is linear in
//! the size of the text and needs no recursion however deep the document nests.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use crate::error::{Error, push_pointer_segment};

/// A position in the text: 1-based line and column (in characters), and the line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One open collection while walking the events.
enum Frame {
    /// A mapping: whether its next node is a key, a collection used as a key, or a value.
    Map(MapState),
    /// A sequence and the index of its next item.
    Seq { next: usize },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MapState {
    Key,
    ComplexKey,
    Value,
}

/// A segment no pointer contains (not even escaped): the path of a collection used as a key.
const UNNAMED: &str = "\u{0}";

/// Finds each of `pointers` (`#/a/b`, RFC 6901 escaped) in `text`. A pointer that names no
/// node is located at its closest ancestor that does. Members of a mapping are located at
/// their key, items of a sequence where they start.
pub fn locate(text: &str, pointers: &[&str]) -> Vec<Option<Position>> {
    // Every prefix of every pointer is looked for, so that the closest ancestor is known.
    let mut wanted: HashMap<String, Option<Position>> = HashMap::new();
    for pointer in pointers {
        for prefix in prefixes(pointer) {
            wanted.insert(prefix.to_owned(), None);
        }
    }
    let mut walk = Walk {
        wanted,
        remaining: 0,
        frames: Vec::new(),
        current: String::from("#"),
        lengths: Vec::new(),
        empty_key: None,
        pending: None,
        empty: Vec::new(),
        key_position: None,
    };
    walk.remaining = walk.wanted.len();
    let text = without_surrogate_escapes(text);
    let mut parser = Parser::new_from_str(&text);
    while walk.remaining > 0 {
        let Some(Ok((event, span))) = parser.next_event() else {
            break;
        };
        let position = Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        if walk.event(&event, position) {
            break;
        }
    }
    pointers
        .iter()
        .map(|pointer| {
            prefixes(pointer)
                .rev()
                .find_map(|prefix| walk.wanted.get(prefix).cloned().flatten())
        })
        .collect()
}

/// Every member named `key` whose value is an empty list (`key: []`), as its pointer and the
/// position of its key, in document order.
pub fn empty_lists(text: &str, key: &str) -> Vec<(String, Position)> {
    let mut walk = Walk {
        wanted: HashMap::new(),
        remaining: usize::MAX,
        frames: Vec::new(),
        current: String::from("#"),
        lengths: Vec::new(),
        empty_key: Some(key.to_owned()),
        pending: None,
        empty: Vec::new(),
        key_position: None,
    };
    let text = without_surrogate_escapes(text);
    let mut parser = Parser::new_from_str(&text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let position = Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        if walk.event(&event, position) {
            break;
        }
    }
    walk.empty
}

/// The state of the walk over the events.
struct Walk {
    wanted: HashMap<String, Option<Position>>,
    remaining: usize,
    frames: Vec<Frame>,
    /// The pointer of the node being read.
    current: String,
    /// The length `current` had before each open member's segment was appended.
    lengths: Vec<usize>,
    /// The key whose empty lists [`empty_lists`] looks for.
    empty_key: Option<String>,
    /// A list just opened under that key: its pointer and the key's position.
    pending: Option<(String, Position)>,
    /// The empty lists found.
    empty: Vec<(String, Position)>,
    /// The position of the key of the member being read.
    key_position: Option<Position>,
}

impl Walk {
    /// Handles one event; returns `true` when the first document has ended.
    fn event(&mut self, event: &Event<'_>, position: Position) -> bool {
        if let Some((pointer, at)) = self.pending.take() {
            if matches!(event, Event::SequenceEnd) {
                self.empty.push((pointer, at));
            }
        }
        if let (Some(key), Event::SequenceStart(..), Some(Frame::Map(MapState::Value))) =
            (&self.empty_key, event, self.frames.last())
        {
            let under_key = self
                .current
                .rsplit('/')
                .next()
                .is_some_and(|last| last == key.as_str());
            if under_key {
                let at = self.key_position.clone().unwrap_or(position.clone());
                self.pending = Some((self.current.clone(), at));
            }
        }
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node {
            match self.frames.last_mut() {
                Some(Frame::Map(state @ MapState::Key)) => match event {
                    Event::Scalar(value, ..) => {
                        *state = MapState::Value;
                        self.enter(value);
                        self.key_position = Some(position.clone());
                        self.found(position);
                        return false;
                    }
                    Event::Alias(_) => {
                        *state = MapState::Value;
                        self.enter(UNNAMED);
                        return false;
                    }
                    _ => {
                        *state = MapState::ComplexKey;
                        self.enter(UNNAMED);
                    }
                },
                Some(Frame::Seq { next }) => {
                    let index = next.to_string();
                    *next += 1;
                    self.enter(&index);
                    self.found(position);
                }
                Some(Frame::Map(_)) => {}
                None => self.found(position),
            }
        }
        match event {
            Event::MappingStart(..) => self.frames.push(Frame::Map(MapState::Key)),
            Event::SequenceStart(..) => self.frames.push(Frame::Seq { next: 0 }),
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
                self.end_node();
            }
            Event::Scalar(..) | Event::Alias(_) => self.end_node(),
            // Only the first document counts.
            Event::DocumentEnd => return true,
            _ => {}
        }
        false
    }

    /// Appends `segment` to the current pointer.
    fn enter(&mut self, segment: &str) {
        self.lengths.push(self.current.len());
        push_pointer_segment(&mut self.current, segment);
    }

    /// Records `position` for the current pointer if it is wanted and not found yet.
    fn found(&mut self, position: Position) {
        if let Some(slot @ None) = self.wanted.get_mut(&self.current) {
            *slot = Some(position);
            self.remaining -= 1;
        }
    }

    /// A node has been read completely: the member or item it was ends, except that a
    /// collection used as a key is followed by its value.
    fn end_node(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map(state @ MapState::ComplexKey)) => *state = MapState::Value,
            Some(Frame::Map(state)) => {
                *state = MapState::Key;
                self.leave();
            }
            Some(Frame::Seq { .. }) => self.leave(),
            None => {}
        }
    }

    fn leave(&mut self) {
        let length = self.lengths.pop().unwrap_or(1);
        self.current.truncate(length);
    }
}

/// JSON writes characters outside the Basic Multilingual Plane as two `\uD8xx\uDCxx` escapes,
/// which YAML refuses. Each such escape is replaced by `\u003F` (`?`), of the same length, so
/// that the text reads as YAML and every position stays where it was.
fn without_surrogate_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find('\\') {
        out.push_str(&rest[..index]);
        let escape = &rest[index..];
        let surrogate = escape
            .get(2..6)
            .filter(|_| escape.as_bytes().get(1) == Some(&b'u'))
            .and_then(|hex| u16::from_str_radix(hex, 16).ok())
            .is_some_and(|unit| (0xD800..=0xDFFF).contains(&unit));
        // An escape is the backslash and the character after it (`\\` escapes a backslash).
        let length = if surrogate {
            out.push_str("\\u003F");
            6
        } else {
            let next = escape[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&escape[..1 + next]);
            1 + next
        };
        rest = &escape[length..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `#`, `#/a`, `#/a/b` for `#/a/b`, shortest first.
fn prefixes(pointer: &str) -> impl DoubleEndedIterator<Item = &str> {
    let ends: Vec<usize> = pointer
        .match_indices('/')
        .map(|(index, _)| index)
        .chain(std::iter::once(pointer.len()))
        .collect();
    ends.into_iter().map(move |end| &pointer[..end])
}

/// The text of line `line` (1-based), without its line break.
pub fn line_text(text: &str, line: usize) -> Option<&str> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r'))
}

/// Completes every diagnostic of `error` from the source `text`: a diagnostic with a pointer
/// but no line gets the line and column of the pointer (for a reference error, of the `$ref`
/// itself when there is one), and every located diagnostic gets its source line as a snippet.
pub fn attach(error: Error, text: &str) -> Error {
    let lookups: Vec<String> = error
        .diagnostics()
        .filter(|e| e.location().is_none())
        .filter_map(|e| e.pointer())
        .flat_map(|pointer| [format!("{pointer}/$ref"), pointer.to_owned()])
        .collect();
    let positions: HashMap<&str, Position> = if lookups.is_empty() {
        HashMap::new()
    } else {
        let refs: Vec<&str> = lookups.iter().map(String::as_str).collect();
        refs.iter()
            .copied()
            .zip(locate(text, &refs))
            .filter_map(|(pointer, position)| Some((pointer, position?)))
            .collect()
    };
    error.map_diagnostics(|mut diagnostic| {
        if diagnostic.location().is_none() {
            if let Some(pointer) = diagnostic.pointer() {
                let with_ref = format!("{pointer}/$ref");
                // The `$ref` member itself when the pointer names a reference, else the node.
                let exact = positions
                    .get(with_ref.as_str())
                    .filter(|_| diagnostic.kind() == crate::ErrorKind::Reference)
                    .or_else(|| positions.get(pointer))
                    .cloned();
                if let Some(position) = exact {
                    diagnostic = diagnostic.at_location(position.line, position.column);
                }
            }
        }
        if diagnostic.snippet().is_none() {
            if let Some(at) = diagnostic.location() {
                if let Some(line) = line_text(text, at.line) {
                    diagnostic = diagnostic.with_snippet(line, at.column);
                }
            }
        }
        diagnostic
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n        - $ref: '#/x'\n";

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn finds_members_at_their_key_and_items_where_they_start() {
        let found = locate(
            YAML,
            &[
                "#/paths/~1a~1{b}/get",
                "#/paths/~1a~1{b}/get/parameters/0",
                "#/paths/~1a~1{b}/get/parameters/1/$ref",
                "#/openapi",
                "#",
            ],
        );
        assert_eq!(
            found,
            vec![at(4, 5), at(6, 11), at(8, 11), at(1, 1), at(1, 1)]
        );
    }

    #[test]
    fn a_missing_pointer_falls_back_to_its_closest_ancestor() {
        let found = locate(YAML, &["#/paths/~1a~1{b}/get/nothing/here"]);
        assert_eq!(found, vec![at(4, 5)]);
    }

    #[test]
    fn json_is_read_as_yaml() {
        let json = "{\n\t\"openapi\": \"3.0.0\",\n\t\"paths\": {\"/a\": {\"get\":{\"x\":\"\\/\\ud83d\\ude00\"}}}\n}";
        let found = locate(json, &["#/paths/~1a/get/x", "#/paths/~1a"]);
        assert_eq!(found, vec![at(3, 26), at(3, 12)]);
        assert_eq!(
            without_surrogate_escapes(r#""\\u\ud83d\uDE00\\ud83d""#),
            r#""\\u\u003F\u003F\\ud83d""#
        );
    }

    #[test]
    fn deep_documents_need_no_recursion() {
        // Deeper than any document that parses (128 levels); the parser stops at 255 levels.
        let depth = 200;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let pointer = format!("#{}", "/0".repeat(depth));
        assert_eq!(locate(&text, &[&pointer]), vec![at(1, depth + 1)]);
    }

    #[test]
    fn line_text_strips_line_breaks() {
        assert_eq!(line_text("a\r\nb\n", 1), Some("a"));
        assert_eq!(line_text("a\r\nb\n", 2), Some("b"));
        assert_eq!(line_text("a", 3), None);
    }
}
