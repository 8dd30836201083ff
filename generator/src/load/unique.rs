//! The located check that no mapping has a key twice, made by the parser the document is read
//! with (`serde_json`, or `serde_yaml` where the event pass could not settle it), with the
//! path of the mapping as its JSON pointer.

use super::Syntax;
use super::located::{json_column, path_to_pointer};
use super::structure::duplicate_key;
use crate::error::Error;

/// Refuses mappings (objects) with a key twice, before `openapiv3` reads the document: it
/// would reject one copy and then accept the other, and panics when that happens. Reads the
/// text with the parser the document is then read with, so both see the same mappings;
/// visits every value once, within the parser's recursion limit.
pub(super) fn check(text: &str, syntax: Syntax) -> Result<(), Error> {
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
