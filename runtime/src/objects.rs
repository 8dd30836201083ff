//! Shared encoding and decoding for generated structs.
//!
//! A generated struct implements [`Members`], one statement per field, and the
//! `serialize_members!` macro adds `Serialize`, which calls the one [`serialize`] here. Most
//! of an API's objects have only optional fields (or fields with a default); those also
//! implement [`Fields`], one `match` from member name to field, and the `deserialize_fields!`
//! macro adds `Deserialize`, which calls [`deserialize`].
//!
//! Both behave as serde's derives do for such a struct (fields in order, absent optional
//! members left out; absent members keep their default, the error for a non-object names the
//! struct), at a fraction of their compile time. A member no field declares is the struct's
//! to keep: generated structs keep it in their map of undeclared members, and write those
//! after their fields; one that [`Fields::read_field`] does not take is skipped. The derives
//! expand to a field enum, its visitor, two decoding paths and a branch per field for every
//! struct, and type-checking that is most of the cost of checking a large generated crate.
//! Unlike the derive, a member given twice is not an error: the last one counts, as in
//! `serde_json::Value`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};

/// A struct encoded member by member, as an object.
pub trait Members {
    /// Writes each member that is present, in the order of the fields.
    fn write_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// Encodes `value` as an object of its [`Members`].
pub fn serialize<S: Serializer, T: Members>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_members(&mut map)?;
    map.end()
}

/// A struct decoded member by member onto its [`Default`].
pub trait Fields: Default {
    /// Decodes the value of the member `key` into its field, and says whether a field has that
    /// name; the value of an unknown member is left for the caller to skip.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Decodes an object into `T`, starting from `T::default()`; `name` names `T` in errors.
pub fn deserialize<'de, D: Deserializer<'de>, T: Fields>(
    deserializer: D,
    name: &'static str,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor {
        name,
        target: PhantomData,
    })
}

struct ObjectVisitor<T> {
    name: &'static str,
    target: PhantomData<T>,
}

impl<'de, T: Fields> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(Key(key)) = map.next_key()? {
            if !value.read_field(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(value)
    }
}

/// A member name, borrowed from the input when the format allows.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Implements `Serialize` for a struct that implements [`Members`].
///
/// Plumbing for generated code, which calls it as `crate::runtime::serialize_members!`.
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_members {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::objects::serialize(self, serializer)
            }
        }
    };
}

/// Implements `Deserialize` for a struct that implements [`Fields`].
///
/// Plumbing for generated code, which calls it as `crate::runtime::deserialize_fields!`.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_fields {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::objects::deserialize(deserializer, stringify!($name))
            }
        }
    };
}
