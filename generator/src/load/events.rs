//! One pass over a YAML document: a serde deserializer driven by the event parser's events.
//!
//! The general path reads a YAML document three times: an event pass for the structural checks
//! (nesting, aliases, duplicate keys), `serde_yaml`'s own parse, and the typed parse. This
//! deserializer does the checks and the typed parse in one pass, for the documents it can vouch
//! for: no alias, no tag, every key a scalar written once in its mapping, no deeper than
//! [`MAX_NESTING`], one document, and no character that YAML 1.1 (`serde_yaml`'s parser)
//! reads as a line break and YAML 1.2 does not. Anything else, and anything that does not
//! parse as the type asked for, makes it give up ([`from_str`] returns `None`) and the general
//! path reads the text again, with its located diagnostics: this path never reports an error
//! of its own.
//!
//! The values it gives are those `serde_yaml` gives for the same text: plain scalars are
//! resolved by the same rules (YAML 1.2 core schema as `serde_yaml` implements it, with its
//! choices for `0x`/`0o`/`0b` integers, leading zeros and non-finite floats); quoted and block
//! scalars are strings. `tests` compare the two on every scalar shape and on real documents.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::num::ParseIntError;

use saphyr_parser::{Event, Parser, ScalarStyle, StrInput};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::MAX_NESTING;

/// Reads `text` as one YAML document of type `T`, or `None` when this path cannot vouch for the
/// result (see the module docs).
pub(super) fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    // YAML 1.1, which `serde_yaml`'s parser follows, also breaks lines at NEL and the Unicode
    // line and paragraph separators, and folds them in quoted scalars; YAML 1.2 and the event
    // parser read them as ordinary characters.
    if text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    let mut events = Events {
        parser: Parser::new_from_str(text),
        peeked: None,
        depth: 0,
        text: Source::new(text),
    };
    document(&mut events).ok()
}

/// The stream's one document, read as a `T`.
fn document<'de, T: Deserialize<'de>>(events: &mut Events<'de>) -> Result<T> {
    events.expect(|event| matches!(event, Event::StreamStart))?;
    events.expect(|event| matches!(event, Event::DocumentStart(_)))?;
    let value = T::deserialize(&mut *events)?;
    events.expect(|event| matches!(event, Event::DocumentEnd))?;
    events.expect(|event| matches!(event, Event::StreamEnd))?;
    Ok(value)
}

/// Why the one pass gave up. Never shown: the general path reads the text again and says what
/// is wrong, so this carries nothing.
#[derive(Debug)]
pub(super) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the document needs the general YAML path")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        GiveUp
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

/// The event stream, with one event of lookahead.
struct Events<'de> {
    parser: Parser<'de, StrInput<'de>>,
    peeked: Option<Event<'de>>,
    /// How many collections are open.
    depth: usize,
    text: Source<'de>,
}

/// The document's text, to borrow scalars from.
///
/// Why: the parser gives most scalars as owned strings, even those it copied unchanged. serde
/// buffers a node whose type it cannot tell yet (`openapiv3`'s `ReferenceOr`, at every level of
/// a schema) and copies the buffer again at each level below it; a string borrowed from the
/// text costs nothing to copy.
struct Source<'de> {
    text: &'de str,
    /// Whether every character is one byte, so that character and byte offsets agree.
    ascii: bool,
    /// A character offset and its byte offset, where the last lookup ended: scalars come in
    /// order, so each lookup walks on from the last.
    cursor: (usize, usize),
}

impl<'de> Source<'de> {
    fn new(text: &'de str) -> Self {
        Source {
            text,
            ascii: text.is_ascii(),
            cursor: (0, 0),
        }
    }

    /// The byte offset of the character at offset `chars`, if there is one.
    fn byte_offset(&mut self, chars: usize) -> Option<usize> {
        if self.ascii {
            return (chars <= self.text.len()).then_some(chars);
        }
        if chars < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (mut at_char, mut at_byte) = self.cursor;
        let mut rest = self.text.get(at_byte..)?.chars();
        while at_char < chars {
            at_byte += rest.next()?.len_utf8();
            at_char += 1;
        }
        self.cursor = (at_char, at_byte);
        Some(at_byte)
    }

    /// `value`, read from the characters `start..end` of the text, borrowed from the text when
    /// they hold it as it is (inside the quotes of a quoted scalar).
    fn borrow(
        &mut self,
        value: String,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Cow<'de, str> {
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let (start, end) = if quoted {
            (start + 1, end.saturating_sub(1))
        } else {
            (start, end)
        };
        let slice = match (self.byte_offset(start), self.byte_offset(end)) {
            (Some(start), Some(end)) => self.text.get(start..end),
            _ => None,
        };
        match slice {
            Some(slice) if slice == value => Cow::Borrowed(slice),
            _ => Cow::Owned(value),
        }
    }
}

/// A scalar's text and style, as the parser gave it.
struct Scalar<'de> {
    value: Cow<'de, str>,
    style: ScalarStyle,
}

impl Scalar<'_> {
    /// Written without quotes or block indicators: its type is resolved from its text.
    fn plain(&self) -> Option<&str> {
        (self.style == ScalarStyle::Plain).then_some(&*self.value)
    }
}

/// A scalar that reads as null: plain, and empty, `~` or `null`.
fn reads_as_null(value: &str, style: ScalarStyle) -> bool {
    style == ScalarStyle::Plain && (value.is_empty() || is_null(value))
}

impl<'de> Events<'de> {
    fn next(&mut self) -> Result<Event<'de>> {
        let event = match self.peeked.take() {
            Some(event) => event,
            None => match self.parser.next_event() {
                Some(Ok((Event::Scalar(Cow::Owned(value), style, anchor, tag), span))) => {
                    let value =
                        self.text
                            .borrow(value, style, span.start.index(), span.end.index());
                    Event::Scalar(value, style, anchor, tag)
                }
                Some(Ok((event, _))) => event,
                _ => return Err(GiveUp),
            },
        };
        match &event {
            // Aliases expand nodes (and are bounded by the general path's checks); tags change
            // how a node reads.
            Event::Alias(_)
            | Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => Err(GiveUp),
            _ => Ok(event),
        }
    }

    fn peek(&mut self) -> Result<&Event<'de>> {
        if self.peeked.is_none() {
            self.peeked = Some(self.next()?);
        }
        self.peeked.as_ref().ok_or(GiveUp)
    }

    fn expect(&mut self, wanted: impl Fn(&Event<'de>) -> bool) -> Result<()> {
        if wanted(&self.next()?) {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// The next node, which must be a scalar.
    fn scalar(&mut self) -> Result<Scalar<'de>> {
        match self.next()? {
            Event::Scalar(value, style, _, _) => Ok(Scalar { value, style }),
            _ => Err(GiveUp),
        }
    }

    /// The next node, which must be a plain scalar that `parse` reads.
    fn plain<T>(&mut self, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
        self.scalar()?.plain().and_then(parse).ok_or(GiveUp)
    }

    /// Visits the collection whose start event was just read, then reads its end.
    fn collection<V: Visitor<'de>>(&mut self, kind: Collection, visitor: V) -> Result<V::Value> {
        if self.depth >= MAX_NESTING {
            return Err(GiveUp);
        }
        self.depth += 1;
        let value = match kind {
            Collection::Mapping => visitor.visit_map(Members {
                events: self,
                keys: HashSet::new(),
            })?,
            Collection::Sequence => visitor.visit_seq(Items { events: self })?,
        };
        // A visitor that stopped before the end leaves members unread.
        self.expect(|event| match kind {
            Collection::Mapping => matches!(event, Event::MappingEnd),
            Collection::Sequence => matches!(event, Event::SequenceEnd),
        })?;
        self.depth -= 1;
        Ok(value)
    }

    /// Visits a collection of the kind asked for, or an empty one for an empty plain scalar (as
    /// `serde_yaml` does for a key with no value where a list or map is expected).
    fn collection_or_empty<V: Visitor<'de>>(
        &mut self,
        kind: Collection,
        visitor: V,
    ) -> Result<V::Value> {
        match (self.next()?, kind) {
            (Event::MappingStart(..), Collection::Mapping)
            | (Event::SequenceStart(..), Collection::Sequence) => self.collection(kind, visitor),
            (Event::Scalar(value, ScalarStyle::Plain, _, _), _) if value.is_empty() => match kind {
                Collection::Mapping => visitor.visit_map(
                    de::value::MapDeserializer::<_, GiveUp>::new(std::iter::empty::<((), ())>()),
                ),
                Collection::Sequence => visitor.visit_seq(
                    de::value::SeqDeserializer::<_, GiveUp>::new(std::iter::empty::<()>()),
                ),
            },
            _ => Err(GiveUp),
        }
    }
}

/// What a collection start event opens.
#[derive(Debug, Clone, Copy)]
enum Collection {
    Sequence,
    Mapping,
}

fn visit_text<'de, V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value> {
    match text {
        Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
        Cow::Owned(text) => visitor.visit_string(text),
    }
}

impl<'de> de::Deserializer<'de> for &mut Events<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.next()? {
            Event::Scalar(value, ScalarStyle::Plain, _, _) => visit_plain(visitor, value),
            Event::Scalar(value, ..) => visit_text(visitor, value),
            Event::SequenceStart(..) => self.collection(Collection::Sequence, visitor),
            Event::MappingStart(..) => self.collection(Collection::Mapping, visitor),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_bool(self.plain(parse_bool)?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i64(self.plain(|text| signed(text, i64::from_str_radix))?)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i128(self.plain(|text| signed(text, i128::from_str_radix))?)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.plain(|text| unsigned(text, u64::from_str_radix))?)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u128(self.plain(|text| unsigned(text, u128::from_str_radix))?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.plain(float)?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// Any scalar, whatever its style, reads as its text.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_text(visitor, self.scalar()?.value)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let null = match self.peek()? {
            Event::Scalar(value, style, ..) => reads_as_null(value, *style),
            _ => false,
        };
        if null {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let scalar = self.scalar()?;
        if reads_as_null(&scalar.value, scalar.style) {
            visitor.visit_unit()
        } else {
            Err(GiveUp)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.collection_or_empty(Collection::Sequence, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.collection_or_empty(Collection::Mapping, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    /// A unit variant, written as its name; variants with content are written with tags,
    /// which this path leaves to the general one.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let name = self.scalar()?.value;
        visitor.visit_enum(name.into_deserializer())
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// Read like any other node, so that the checks cover what the type skips.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }
}

/// The items of a sequence.
struct Items<'a, 'de> {
    events: &'a mut Events<'de>,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if matches!(self.events.peek()?, Event::SequenceEnd) {
            return Ok(None);
        }
        seed.deserialize(&mut *self.events).map(Some)
    }
}

/// The members of a mapping, with the keys read so far.
struct Members<'a, 'de> {
    events: &'a mut Events<'de>,
    keys: HashSet<Cow<'de, str>>,
}

impl<'de> de::MapAccess<'de> for Members<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.events.peek()? {
            Event::MappingEnd => return Ok(None),
            // A key written twice: YAML forbids it, and the general path locates it.
            Event::Scalar(key, ..) if self.keys.insert(key.clone()) => {}
            // A collection as a key, or a key written twice.
            _ => return Err(GiveUp),
        }
        seed.deserialize(&mut *self.events).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.events)
    }
}

/// A plain scalar as `deserialize_any` reads it: null, a boolean, an integer, a float, or else
/// its text.
fn visit_plain<'de, V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value> {
    if text.is_empty() || is_null(&text) {
        return visitor.visit_unit();
    }
    if let Some(boolean) = parse_bool(&text) {
        return visitor.visit_bool(boolean);
    }
    if let Some(int) = unsigned(&text, u64::from_str_radix) {
        return visitor.visit_u64(int);
    }
    if let Some(int) = negative(&text, i64::from_str_radix) {
        return visitor.visit_i64(int);
    }
    if let Some(int) = unsigned(&text, u128::from_str_radix) {
        return visitor.visit_u128(int);
    }
    if let Some(int) = negative(&text, i128::from_str_radix) {
        return visitor.visit_i128(int);
    }
    if !leading_zero_digits(&text) {
        if let Some(float) = float(&text) {
            return visitor.visit_f64(float);
        }
    }
    visit_text(visitor, text)
}

fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

type FromRadix<T> = fn(&str, u32) -> std::result::Result<T, ParseIntError>;

/// The radix of a `0x`, `0o` or `0b` prefix, and the digits after it.
fn radix_digits(text: &str) -> Option<(u32, &str)> {
    [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| text.strip_prefix(prefix).map(|digits| (radix, digits)))
}

/// Digits with a leading zero, such as `007` or `-01`: a string, not a number, in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A non-negative integer: decimal, or `0x`/`0o`/`0b` with digits, after at most one `+`.
fn unsigned<T>(text: &str, from_radix: FromRadix<T>) -> Option<T> {
    let magnitude = text.strip_prefix('+').unwrap_or(text);
    if let Some((radix, digits)) = radix_digits(magnitude) {
        if digits.starts_with(['+', '-']) {
            return None;
        }
        if let Ok(int) = from_radix(digits, radix) {
            return Some(int);
        }
    }
    if magnitude.starts_with(['+', '-']) || leading_zero_digits(text) {
        return None;
    }
    from_radix(magnitude, 10).ok()
}

/// A negative integer (or a decimal one with its own sign): `-` then decimal digits, or `-0x`,
/// `-0o`, `-0b` and digits.
fn negative<T>(text: &str, from_radix: FromRadix<T>) -> Option<T> {
    if let Some((radix, digits)) = text.strip_prefix('-').and_then(radix_digits) {
        if let Ok(int) = from_radix(&format!("-{digits}"), radix) {
            return Some(int);
        }
    }
    if leading_zero_digits(text) {
        return None;
    }
    from_radix(text, 10).ok()
}

/// An integer of either sign, for a field typed as a signed integer: what [`unsigned`] or
/// [`negative`] reads.
fn signed<T>(text: &str, from_radix: FromRadix<T>) -> Option<T> {
    unsigned(text, from_radix).or_else(|| negative(text, from_radix))
}

/// A finite float after at most one `+`, or `.inf`, `-.inf`, `.nan` in any of their three
/// spellings.
fn float(text: &str) -> Option<f64> {
    let magnitude = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match magnitude {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    match text {
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN.copysign(1.0)),
        _ => {}
    }
    magnitude
        .parse::<f64>()
        .ok()
        .filter(|float| float.is_finite())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Scalars of every shape the resolution rules tell apart.
    const SCALARS: &[&str] = &[
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nul",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "no",
        "yes",
        "on",
        "0",
        "-0",
        "+0",
        "7",
        "+7",
        "-7",
        "++7",
        "+-7",
        "--7",
        "007",
        "-007",
        "+007",
        "0.5",
        "00.5",
        "-0.5",
        "+0.5",
        ".5",
        "5.",
        "1e3",
        "1E3",
        "-1e-3",
        "1e400",
        "-1e400",
        "0x1f",
        "0X1f",
        "+0x1f",
        "-0x1f",
        "0x+1f",
        "0x-1f",
        "0x",
        "0xg",
        "0o17",
        "-0o17",
        "0o8",
        "0b101",
        "-0b101",
        "0b2",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456",
        "-170141183460469231731687303715884105728",
        "-170141183460469231731687303715884105729",
        ".inf",
        ".Inf",
        ".INF",
        "+.inf",
        "-.inf",
        "-.Inf",
        "inf",
        "infinity",
        "-inf",
        ".nan",
        ".NaN",
        ".NAN",
        "+.nan",
        "nan",
        "NaN",
        "1_000",
        "1,000",
        "12:30",
        "2024-01-01",
        "v1",
        "'quoted'",
        "\"7\"",
        "'true'",
        "\"\"",
        "|\n  block\n",
        ">\n  folded\n  text\n",
        "[1, a]",
        "{a: 1}",
        "é",
        "3.0.3",
    ];

    fn serde_yaml_reads<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
        serde_yaml::from_str(text).ok()
    }

    #[test]
    fn scalars_the_parser_copied_unchanged_are_borrowed_from_the_text() {
        // `&str` fields deserialize only from strings borrowed from the text.
        #[derive(Debug, Deserialize, PartialEq)]
        struct Borrowed<'a> {
            #[serde(borrow)]
            words: Vec<&'a str>,
            plain: &'a str,
            single: &'a str,
            double: &'a str,
        }
        // Characters of two, three and four bytes before the scalars, so that character and
        // byte offsets differ.
        let text =
            "words: [é, 'ü€', \"𝄞\"]\nplain: a plain scalar\nsingle: 'single'\ndouble: \"d\"\n";
        let read: Borrowed<'_> = from_str(text).expect("every scalar is borrowed");
        assert_eq!(read.words, ["é", "ü€", "𝄞"]);
        assert_eq!(
            (read.plain, read.single, read.double),
            ("a plain scalar", "single", "d")
        );
        // Scalars the parser changed (escapes, folded lines, doubled quotes) cannot be.
        for changed in ["\"a\\tb\"", "'it''s'", "|\n  block\n", "two\n  lines"] {
            let text = format!("value: {changed}\n");
            assert!(from_str::<HashMap<&str, &str>>(&text).is_none(), "{text:?}");
            let owned: HashMap<String, String> = from_str(&text).expect("read as owned");
            assert_eq!(Some(owned), serde_yaml_reads(&text), "{text:?}");
        }
    }

    #[test]
    fn untyped_scalars_read_as_serde_yaml_reads_them() {
        for scalar in SCALARS {
            let text = format!("value: {scalar}\n");
            let ours: Option<serde_json::Value> = from_str(&text);
            let theirs: Option<serde_json::Value> = serde_yaml_reads(&text);
            // Both give up on integers beyond 64 bits, which a JSON value cannot hold.
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn typed_scalars_read_as_serde_yaml_reads_them() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Kind {
            Null,
            True,
            Seven,
        }
        #[derive(Debug, PartialEq, Deserialize)]
        struct Typed {
            signed: Option<i32>,
            wide: Option<i128>,
            unsigned: Option<u8>,
            big: Option<u128>,
            float: Option<f64>,
            boolean: Option<bool>,
            text: Option<String>,
            kind: Option<Kind>,
            unit: Option<()>,
            #[serde(default)]
            list: Vec<serde_json::Value>,
            #[serde(default)]
            map: std::collections::BTreeMap<String, serde_json::Value>,
        }
        for field in [
            "signed", "wide", "unsigned", "big", "float", "boolean", "text", "kind", "unit",
            "list", "map",
        ] {
            let mut read = 0;
            for scalar in SCALARS {
                let text = format!("{field}: {scalar}\n");
                let ours: Option<Typed> = from_str(&text);
                let theirs: Option<Typed> = serde_yaml_reads(&text);
                // NaN is unequal to itself: compare what is printed.
                assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{text:?}");
                read += usize::from(ours.is_some());
            }
            // Every field reads some of the shapes (at least its null ones) and refuses others.
            assert!(read > 0 && read < SCALARS.len(), "{field}: {read}");
        }
    }

    #[test]
    fn nested_collections_and_keys_read_as_serde_yaml_reads_them() {
        let text = "a:\n  - {b: [1, {c: ~}], 'd': \"e\"}\n  - []\n  - {}\n1: one\n? f\n: g\n";
        let ours: Option<serde_json::Value> = from_str(text);
        assert_eq!(ours, serde_yaml_reads(text));
        assert!(ours.is_some());
    }

    #[test]
    fn what_the_checks_must_see_is_left_to_the_general_path() {
        for text in [
            "a: &x 1\nb: *x\n",    // an alias
            "a: !!str 1\n",        // a tag
            "a: !custom {b: 1}\n", // a local tag
            "a: 1\nb: 2\na: 3\n",  // a key twice
            "a: 1\n'a': 2\n",      // the same key, quoted once
            "? [a]\n: 1\n",        // a collection as a key
            "a: 1\n---\nb: 2\n",   // two documents
            "a: 'x\u{2028}  y'\n", // a line break in YAML 1.1 only
            "a: x\u{85}y\n",       // another
            "a: [1\n",             // not well-formed
            "",                    // no document
        ] {
            assert_eq!(from_str::<serde_json::Value>(text), None, "{text:?}");
        }
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_NESTING + 1),
            "]".repeat(MAX_NESTING + 1)
        );
        assert_eq!(from_str::<serde_json::Value>(&deep), None);
        let deepest = format!("{}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(from_str::<serde_json::Value>(&deepest).is_some());
    }

    #[test]
    fn a_key_twice_in_a_skipped_mapping_is_left_to_the_general_path() {
        #[derive(Debug, Deserialize)]
        struct Only {
            #[allow(dead_code)]
            kept: u8,
        }
        assert!(from_str::<Only>("kept: 1\nskipped: {a: 1}\n").is_some());
        assert!(from_str::<Only>("kept: 1\nskipped: {a: 1, a: 2}\n").is_none());
    }

    #[test]
    fn a_type_that_does_not_fit_is_left_to_the_general_path() {
        assert!(from_str::<openapiv3::OpenAPI>("openapi: 3.0.3\ninfo: 7\npaths: {}\n").is_none());
        assert!(from_str::<Vec<u8>>("[1, 2, 300]\n").is_none());
    }

    /// A number below `n` from `seed`'s stream (xorshift64*: deterministic, and enough to vary
    /// the shapes).
    fn pick(seed: &mut u64, n: usize) -> usize {
        *seed ^= *seed >> 12;
        *seed ^= *seed << 25;
        *seed ^= *seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    /// A pseudo-random YAML node from `seed`'s stream: block and flow collections, keys that
    /// repeat now and then, every scalar shape, and the odd anchor, alias or tag.
    fn random_node(seed: &mut u64, depth: usize, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match if depth > 3 { 0 } else { pick(seed, 6) } {
            0 | 1 => {
                let scalar = SCALARS[pick(seed, SCALARS.len())];
                let scalar = if scalar.contains('\n') || scalar.starts_with(['[', '{']) {
                    "x"
                } else {
                    scalar
                };
                match pick(seed, 20) {
                    0 => out.push_str(&format!("&a{} {scalar}\n", pick(seed, 3))),
                    1 => out.push_str(&format!("*a{}\n", pick(seed, 3))),
                    2 => out.push_str(&format!("!!str {scalar}\n")),
                    _ => out.push_str(&format!("{scalar}\n")),
                }
            }
            2 => out.push_str(&format!(
                "[{}, {}]\n",
                SCALARS[pick(seed, 20)],
                SCALARS[pick(seed, 40)]
            )),
            3 => out.push_str(&format!(
                "{{k{}: {}, k{}: v}}\n",
                pick(seed, 3),
                SCALARS[pick(seed, 30)],
                pick(seed, 3)
            )),
            4 => {
                out.push('\n');
                for _ in 0..=pick(seed, 3) {
                    out.push_str(&format!("{pad}- "));
                    random_node(seed, depth + 1, indent + 2, out);
                }
            }
            _ => {
                out.push('\n');
                for _ in 0..=pick(seed, 4) {
                    let key = ["a", "b", "'a'", "1", "true", "~", "x y"][pick(seed, 7)];
                    out.push_str(&format!("{pad}{key}: "));
                    random_node(seed, depth + 1, indent + 2, out);
                }
            }
        }
    }

    #[test]
    fn random_documents_read_as_serde_yaml_reads_them_or_are_left_alone() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut read = 0;
        for _ in 0..3000 {
            let mut text = String::from("root: ");
            random_node(&mut seed, 0, 2, &mut text);
            let ours: Option<serde_json::Value> = from_str(&text);
            if ours.is_some() {
                read += 1;
                assert_eq!(ours, serde_yaml_reads(&text), "{text}");
            }
        }
        // Most are read in one pass; the rest have aliases, tags or repeated keys.
        assert!(read > 1000, "{read}");
    }

    #[test]
    fn openapi_documents_read_as_serde_yaml_reads_them() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/connectors.yaml");
        let documents = [
            std::fs::read_to_string(spec).expect("read the spec"),
            crate::synthetic::document(100),
        ];
        for text in &documents {
            let ours: Option<openapiv3::OpenAPI> = from_str(text);
            assert!(ours.is_some());
            assert_eq!(ours, serde_yaml_reads(text));
        }
    }
}
