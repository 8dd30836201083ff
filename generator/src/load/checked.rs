//! The checks a document must pass, made while its parser (`serde_yaml` or `serde_json`) reads
//! it into `openapiv3`, in the same pass: no key twice in a mapping, and no more nodes than a
//! cap that bounds what YAML aliases can make of a small text.
//!
//! serde gives no positions, so this module only says whether the read may stand: [`read`]
//! returns `None` when the parser failed or a check stopped it, and the caller then reads the
//! text again with the passes that locate the problem (`located`).
//! A read that stands is the parser's own reading; this module changes no value.
//!
//! The wrapper forwards every call to the parser's deserializer and wraps what comes back
//! (visitors, maps, sequences, enums), as `serde_path_to_error` does to track the path. It
//! sees every node of the document: a value the type ignores is read as
//! [`serde::de::IgnoredAny`] through the wrapper rather than skipped inside the parser.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Reads a `T` from `deserializer`, refusing a key a mapping already has. `None` when the
/// parser failed, a key repeated, a key was not a scalar (whose equality the located pass
/// decides), or more than `max_nodes` nodes were read (aliases expanded).
pub(super) fn read<'de, D, T>(deserializer: D, max_nodes: u64) -> Option<T>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    let state = State {
        nodes: Cell::new(1),
        max_nodes,
        key: Cell::new(None),
    };
    T::deserialize(Checked {
        inner: deserializer,
        state: &state,
        key: false,
    })
    .ok()
}

/// What the wrapped deserializers share while one document is read.
struct State<'de> {
    nodes: Cell<u64>,
    max_nodes: u64,
    /// The scalar a mapping key was read as, taken by the mapping once the key is read.
    key: Cell<Option<Key<'de>>>,
}

/// A mapping key as the parser read it.
enum Key<'de> {
    /// A string: the key's text.
    Text(Cow<'de, str>),
    /// A null, a boolean or a number, written as Rust writes the value (`200`, `true`).
    Value(String),
}

impl<'de> State<'de> {
    /// Counts one more node; an error beyond the cap.
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let nodes = self.nodes.get().saturating_add(1);
        self.nodes.set(nodes);
        if nodes > self.max_nodes {
            return Err(stop());
        }
        Ok(())
    }

    /// Records the scalar a node was read as, when the node is a mapping key.
    fn record(&self, key: bool, read: impl FnOnce() -> Key<'de>) {
        if key {
            self.key.set(Some(read()));
        }
    }
}

/// The error that stops a read; never shown, as the read is made again to locate the problem.
fn stop<E: de::Error>() -> E {
    E::custom("the document needs the located checks")
}

/// A deserializer that makes the checks on what `inner` reads.
struct Checked<'s, 'de, D> {
    inner: D,
    state: &'s State<'de>,
    /// Whether the node is a mapping key, whose scalar is recorded.
    key: bool,
}

/// A visitor, map, sequence or enum of the parser's, with the state of the read.
struct Wrap<'s, 'de, X> {
    inner: X,
    state: &'s State<'de>,
    key: bool,
}

impl<'s, 'de, X> Wrap<'s, 'de, X> {
    fn new(inner: X, state: &'s State<'de>, key: bool) -> Self {
        Wrap { inner, state, key }
    }
}

/// Forwards `deserialize_*` methods, wrapping the visitor.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* Wrap::new(visitor, self.state, self.key))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<'_, 'de, D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    /// Reads the ignored value node by node, so that its keys are checked and its nodes
    /// counted (the parser would skip it unseen), and then tells the visitor it was ignored,
    /// as the parsers do.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_any(Wrap::new(de::IgnoredAny, self.state, self.key))?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Forwards `visit_*` methods of a scalar, recording it with `$text` when it is a key.
macro_rules! visit_scalar {
    ($($method:ident($value:ident: $ty:ty) => $text:expr;)*) => {$(
        fn $method<E: de::Error>(self, $value: $ty) -> Result<V::Value, E> {
            self.state.record(self.key, || $text);
            self.inner.$method($value)
        }
    )*};
}

impl<'s, 'de, V: Visitor<'de>> Visitor<'de> for Wrap<'s, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    visit_scalar! {
        visit_bool(v: bool) => Key::Value(v.to_string());
        visit_i8(v: i8) => Key::Value(v.to_string());
        visit_i16(v: i16) => Key::Value(v.to_string());
        visit_i32(v: i32) => Key::Value(v.to_string());
        visit_i64(v: i64) => Key::Value(v.to_string());
        visit_i128(v: i128) => Key::Value(v.to_string());
        visit_u8(v: u8) => Key::Value(v.to_string());
        visit_u16(v: u16) => Key::Value(v.to_string());
        visit_u32(v: u32) => Key::Value(v.to_string());
        visit_u64(v: u64) => Key::Value(v.to_string());
        visit_u128(v: u128) => Key::Value(v.to_string());
        visit_f32(v: f32) => Key::Value(v.to_string());
        visit_f64(v: f64) => Key::Value(v.to_string());
        visit_char(v: char) => Key::Text(Cow::Owned(v.to_string()));
        visit_str(v: &str) => Key::Text(Cow::Owned(v.to_owned()));
        visit_string(v: String) => Key::Text(Cow::Owned(v.clone()));
    }

    /// A key borrowed from the text is recorded without a copy.
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.state
            .record(self.key, || Key::Text(Cow::Borrowed(value)));
        self.inner.visit_borrowed_str(value)
    }

    // Bytes are no key the checks can compare: left unrecorded, so the mapping stops the read.
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(value)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(value)
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        self.inner.visit_byte_buf(value)
    }

    /// A null key, however it is written, is recorded as one key.
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.state
            .record(self.key, || Key::Value(String::from("null")));
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.state
            .record(self.key, || Key::Value(String::from("null")));
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Checked {
            inner: deserializer,
            state: self.state,
            key: self.key,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Checked {
            inner: deserializer,
            state: self.state,
            key: self.key,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Wrap::new(seq, self.state, false))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Members {
            inner: map,
            state: self.state,
            keys: HashSet::new(),
            values: false,
            texts_like_values: false,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Wrap::new(data, self.state, false))
    }
}

/// A seed whose value is read through the checks.
struct Seed<'s, 'de, T> {
    inner: T,
    state: &'s State<'de>,
    key: bool,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, 'de, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(Checked {
            inner: deserializer,
            state: self.state,
            key: self.key,
        })
    }
}

impl<'s, 'de, X> Wrap<'s, 'de, X> {
    fn seed<T>(&self, inner: T, key: bool) -> Seed<'s, 'de, T> {
        Seed {
            inner,
            state: self.state,
            key,
        }
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Wrap<'_, 'de, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let seed = self.seed(seed, false);
        let element = self.inner.next_element_seed(seed)?;
        if element.is_some() {
            self.state.count::<A::Error>()?;
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A mapping's members, with the keys read so far.
///
/// Keys are compared as the locating pass compares them, by their text. A string's text is
/// the string; a key read as a null, a boolean or a number is compared by the value written
/// out, which is its text when two such keys share one. A string and such a key may share a
/// text the value does not show (`'+1'` and `+1`): a mapping with both kinds stops the read
/// when one of its strings could be written as such a value.
struct Members<'s, 'de, A> {
    inner: A,
    state: &'s State<'de>,
    keys: HashSet<Cow<'de, str>>,
    /// Whether a key was read as a null, a boolean or a number.
    values: bool,
    /// Whether a string key could be the text of one.
    texts_like_values: bool,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Members<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.state.key.set(None);
        let seed = Seed {
            inner: seed,
            state: self.state,
            key: true,
        };
        let Some(key) = self.inner.next_key_seed(seed)? else {
            return Ok(None);
        };
        self.state.count::<A::Error>()?;
        // A key read as a collection is not recorded: the locating pass decides on it.
        let text = match self.state.key.take() {
            Some(Key::Text(text)) => {
                self.texts_like_values |= could_be_a_value(&text);
                text
            }
            Some(Key::Value(value)) => {
                self.values = true;
                Cow::Owned(value)
            }
            None => return Err(stop()),
        };
        if (self.values && self.texts_like_values) || !self.keys.insert(text) {
            return Err(stop());
        }
        Ok(Some(key))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.state.count::<A::Error>()?;
        self.inner.next_value_seed(Seed {
            inner: seed,
            state: self.state,
            key: false,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'s, 'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Wrap<'s, 'de, A> {
    type Error = A::Error;
    type Variant = Wrap<'s, 'de, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let state = self.state;
        let seed = self.seed(seed, false);
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((value, Wrap::new(variant, state, false)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<'_, 'de, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.state.count::<A::Error>()?;
        let seed = self.seed(seed, false);
        self.inner.newtype_variant_seed(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.state.count::<A::Error>()?;
        self.inner
            .tuple_variant(len, Wrap::new(visitor, self.state, false))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.state.count::<A::Error>()?;
        self.inner
            .struct_variant(fields, Wrap::new(visitor, self.state, false))
    }
}

/// Whether `text`, written as a plain scalar, could read as a null, a boolean or a number: a
/// superset of what the YAML 1.2 core schema reads so (empty, `~`, the words `null`, `true`
/// and `false`, anything with a digit, `.inf` and `.nan` with or without a sign), kept coarse
/// because a wrong "yes" costs only the located read.
fn could_be_a_value(text: &str) -> bool {
    text.is_empty()
        || text.starts_with(['~', '.', '+', '-'])
        || text.bytes().any(|b| b.is_ascii_digit())
        || ["null", "true", "false"]
            .iter()
            .any(|word| text.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    fn yaml<T: de::DeserializeOwned>(text: &str) -> Option<T> {
        read(serde_yaml::Deserializer::from_str(text), u64::MAX)
    }

    fn json<T: de::DeserializeOwned>(text: &str) -> Option<T> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        read(&mut deserializer, u64::MAX)
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Typed {
        name: Option<String>,
        #[serde(default)]
        list: Vec<serde_json::Value>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u8),
        Typed(Typed),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Strict {
        name: String,
    }

    #[test]
    fn a_document_reads_as_its_parser_reads_it() {
        let text = "name: n\nlist: [1, {a: ~}, '2']\nx-a: {b: [true, 0x1f]}\ndefault: d\n";
        let ours: Typed = yaml(text).expect("reads");
        assert_eq!(
            Some(&ours),
            serde_yaml::from_str::<Typed>(text).ok().as_ref()
        );
        let either: Either = yaml(text).expect("reads");
        assert_eq!(either, Either::Typed(ours));
        let json_text = r#"{"name": "n", "list": [1, {"a": null}], "x-a": {"b": 2}}"#;
        let ours: Typed = json(json_text).expect("reads");
        assert_eq!(Some(ours), serde_json::from_str::<Typed>(json_text).ok());
    }

    #[test]
    fn a_key_twice_stops_the_read_wherever_it_is() {
        for text in [
            "name: a\nname: b\n",         // a field of the type
            "x-a: 1\nx-a: 2\n",           // members kept by `flatten`
            "name: a\nx: {b: 1, b: 2}\n", // inside a kept value
            "name: a\n'name': b\n",       // quoted once
        ] {
            assert_eq!(yaml::<Typed>(text), None, "{text:?}");
            assert_eq!(yaml::<Either>(text), None, "{text:?}");
        }
        // Members the type ignores are checked too, their keys read as values.
        assert_eq!(yaml::<Strict>("name: a\nother: {b: 1, b: 2}\n"), None);
        assert!(yaml::<Strict>("name: a\nother: {b: 1, c: 2}\n").is_some());
        for text in [
            "200: a\n'200': b\n", // a number and a string of the same text
            "+1: a\n'+1': b\n",   // the same text, a different value
            "1: a\n0x1: b\n",     // the same value, a different text
            "~: a\nnull: b\n",    // two nulls
        ] {
            assert_eq!(yaml::<de::IgnoredAny>(text), None, "{text:?}");
        }
        assert!(yaml::<de::IgnoredAny>("1: a\n2: b\nx: c\n").is_some());
        assert_eq!(json::<Typed>(r#"{"x": {"a": 1, "\u0061": 2}}"#), None);
        assert_eq!(
            json::<Strict>(r#"{"name": "a", "o": {"b": 1, "b": 2}}"#),
            None
        );
    }

    #[test]
    fn keys_the_checks_cannot_compare_stop_the_read() {
        // A collection as a key; an alias as a key reads as its scalar.
        assert_eq!(yaml::<de::IgnoredAny>("? [a]\n: 1\n"), None);
        assert!(yaml::<Typed>("x-k: &k key\n*k : 1\n").is_some());
        // A number beside a string that could be written as one.
        assert_eq!(yaml::<de::IgnoredAny>("200: a\n'404': b\n"), None);
        assert!(yaml::<de::IgnoredAny>("200: a\ndefault: b\n").is_some());
    }

    #[test]
    fn every_node_is_counted_aliases_expanded() {
        let fits = |text: &str, max_nodes: u64| {
            read::<_, de::IgnoredAny>(serde_yaml::Deserializer::from_str(text), max_nodes).is_some()
        };
        // The mapping, two keys, two values, three items.
        assert!(fits("a: [1, 2, 3]\nb: x\n", 8));
        assert!(!fits("a: [1, 2, 3]\nb: x\n", 7));
        // The alias stands for the list and its three items.
        assert!(fits("a: &l [1, 2, 3]\nb: *l\n", 11));
        assert!(!fits("a: &l [1, 2, 3]\nb: *l\n", 10));
    }
}
