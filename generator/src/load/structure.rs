//! The pass over a YAML document's events (`saphyr-parser`, which gives positions) that runs
//! before `serde_yaml` reads it: how deep it nests, how far its aliases expand, and whether a
//! mapping has a key twice, each refused at its line, column and JSON pointer.
//!
//! It keeps no tree and never expands an alias, so it is linear in the size of the text,
//! whereas libyaml's scanner slows with the depth of flow collections at every token and reads
//! a whole document before `serde_yaml` counts a level: this pass refuses ten thousand levels
//! in a millisecond where libyaml would take seconds, and a billion laughs before a node is
//! expanded.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser};

use super::{MAX_ALIAS_EXPANSION, MAX_NESTING};
use crate::error::{Error, ErrorKind, push_pointer_segment};

/// Whether [`check`] settled that no mapping has a key twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keys {
    /// The whole document was read and every key was a scalar written out: no key repeats.
    Checked,
    /// The event parser stopped early, or a key was an alias or a collection, whose equality
    /// `serde_yaml` decides differently: `unique::check` must look.
    Unsettled,
}

/// Flow collections (`[...]`, `{...}`) nested at most this deep cost libyaml's scanner little
/// (its work per token grows with the flow depth), so [`check`] may wait until there is
/// something to report. Real documents nest flow collections two or three levels.
const SHALLOW_FLOW_DEPTH: usize = 16;

/// Whether `text` certainly nests flow collections no deeper than [`SHALLOW_FLOW_DEPTH`], from
/// one scan of its bytes: every `[` and `{` counts as an opening, every `]` and `}` as a
/// closing. The count never falls below the true depth: a bracket that closes nothing can only
/// come from a quoted scalar, a comment or a tag inside a flow collection (plain scalars cannot
/// hold brackets there), so a quote, `#` or `!` met while the count is above zero answers
/// `false`, as does a count above the limit. Block nesting needs no such care: libyaml reads
/// it in linear time and `serde_yaml` stops at its recursion limit.
pub(super) fn shallow_flow(text: &str) -> bool {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > SHALLOW_FLOW_DEPTH {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\'' | b'"' | b'#' | b'!' if depth > 0 => return false,
            _ => {}
        }
    }
    true
}

/// Refuses YAML nested deeper than [`MAX_NESTING`] levels, or whose aliases would expand it
/// beyond [`MAX_ALIAS_EXPANSION`] nodes, or with a key twice in a mapping, at the place, in one
/// linear pass over its events. Counts aliases without expanding them: each anchor's size is
/// measured once, each alias adds that size. Text the event parser cannot read is left to
/// `serde_yaml` to diagnose.
pub(super) fn check(text: &str) -> Result<Keys, Error> {
    /// An open collection: its anchor (0 for none), the node count when it started, and for
    /// a mapping the keys seen so far and whether the next node is a key.
    struct Open {
        anchor: usize,
        start: u64,
        keys: Option<(HashSet<String>, bool)>,
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
    let mut sizes: HashMap<usize, u64> = HashMap::new();
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
                let keys = matches!(event, Event::MappingStart(..)).then(|| (HashSet::new(), true));
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
pub(super) fn duplicate_key(key: &str) -> Error {
    Error::new(
        ErrorKind::Syntax,
        format!("the key `{key}` appears twice in one mapping"),
    )
    .with_help(
        "a key may appear only once in a mapping (an object): merge the two entries or rename one",
    )
}

/// The error for a document nested deeper than [`MAX_NESTING`] levels.
pub(super) fn too_deep() -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("the document nests more than {MAX_NESTING} levels deep"),
    )
    .with_help("no OpenAPI document needs this depth: look for runaway nesting around this line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bracket_scan_passes_what_real_documents_write() {
        let typical = "openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths: {}\n\
                       components:\n  schemas:\n    A:\n      required: [id, name]\n      \
                       description: \"Items [1] and {braces} in a quoted scalar\" # [comment\n";
        assert!(shallow_flow(typical));
        assert!(shallow_flow(&"[".repeat(SHALLOW_FLOW_DEPTH)));
        // A quote inside a flow collection is where the scan gives up, not an error.
        assert!(!shallow_flow("enum: ['a', 'b']"));
    }

    #[test]
    fn the_bracket_scan_never_undercounts_flow_depth() {
        let deep = "[".repeat(SHALLOW_FLOW_DEPTH + 1);
        assert!(!shallow_flow(&deep));
        // Closing brackets that close nothing, hidden where the scanner cannot see them, must
        // send the document to the event pass rather than lower the count.
        for hiding in ["'", "\"", "#", "!"] {
            let mut text = String::new();
            for _ in 0..SHALLOW_FLOW_DEPTH {
                text.push_str(&format!("[{hiding}]]]]{hiding} "));
            }
            text.push_str(&deep);
            assert!(!shallow_flow(&text), "{text}");
        }
        // Closings in block text before any flow collection cannot lower the count below zero.
        let text = format!("description: ]]]]]]]]\nvalue: {deep}");
        assert!(!shallow_flow(&text));
    }
}
