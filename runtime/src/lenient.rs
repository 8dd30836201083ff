//! Members a document did not promise: the values of `additionalProperties` maps.
//!
//! A document that declares `additionalProperties: {type: object}` (Microsoft Graph does on
//! every entity) still gets answers whose undeclared members are strings, numbers or arrays:
//! `@odata.context`, `@odata.etag`, `property@odata.type`, or the properties of a derived type
//! returned from a base collection. A map typed strictly by the declaration would refuse the
//! whole answer for one such member. [`Lenient`] keeps each value typed when it matches the
//! declaration, and whole, as JSON, when it does not, so decoding never fails on data the
//! document did not promise and encoding gives back what was decoded.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};

/// A value that is the declared type `T` when it matches, and any JSON otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lenient<T> {
    /// The value matched the declared type.
    Typed(T),
    /// The value did not match the declared type; it is kept as it was received.
    Other(serde_json::Value),
}

impl<T> Lenient<T> {
    /// The value, if it matched the declared type.
    pub fn typed(&self) -> Option<&T> {
        match self {
            Lenient::Typed(value) => Some(value),
            Lenient::Other(_) => None,
        }
    }

    /// The value as received, if it did not match the declared type.
    pub fn other(&self) -> Option<&serde_json::Value> {
        match self {
            Lenient::Typed(_) => None,
            Lenient::Other(value) => Some(value),
        }
    }
}

impl<T: Serialize> Lenient<T> {
    /// The value as JSON, whichever form it has.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            // Encoding a value that decoded from JSON cannot fail; `Null` is the fallback for a
            // `T` whose `Serialize` refuses it (a map with non-string keys, say).
            Lenient::Typed(value) => serde_json::to_value(value).unwrap_or_default(),
            Lenient::Other(value) => value.clone(),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Lenient::Typed(value)
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Lenient::Typed(value) => value.serialize(serializer),
            Lenient::Other(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The value is read once, whole, and then offered to `T`: the only way to keep it
        // when `T` refuses it.
        let value = serde_json::Value::deserialize(deserializer)?;
        match T::deserialize(&value) {
            Ok(typed) => Ok(Lenient::Typed(typed)),
            Err(_) => Ok(Lenient::Other(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    type Declared = serde_json::Map<String, serde_json::Value>;

    #[test]
    fn members_that_do_not_match_the_declaration_are_kept_whole() {
        let text = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#places/$entity","nested":{"a":1},"count":3,"list":[1,"x"],"none":null}"#;
        let map: BTreeMap<String, Lenient<Declared>> = serde_json::from_str(text).unwrap();
        assert_eq!(
            map["@odata.context"].other(),
            Some(&serde_json::json!(
                "https://graph.microsoft.com/v1.0/$metadata#places/$entity"
            ))
        );
        assert_eq!(map["nested"].typed().unwrap()["a"], 1);
        assert_eq!(map["count"], Lenient::Other(serde_json::json!(3)));
        assert!(map["none"].typed().is_none());
        let back: serde_json::Value = serde_json::to_value(&map).unwrap();
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn typed_values_encode_as_themselves() {
        let value: Lenient<i64> = 7.into();
        assert_eq!(serde_json::to_string(&value).unwrap(), "7");
        assert_eq!(value.to_json(), serde_json::json!(7));
        let other: Lenient<i64> = serde_json::from_str("\"seven\"").unwrap();
        assert_eq!(other.to_json(), serde_json::json!("seven"));
    }
}
