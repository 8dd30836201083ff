//! Decoding and encoding of `oneOf`/`anyOf` values, shared by every generated enum.
//!
//! A tagged enum (the schema has a `discriminator`) picks its variant from the tag property;
//! a tag the API description does not list keeps the whole value in the enum's fallback
//! variant, so a new server-side type never breaks a client. An untagged enum tries every
//! variant and keeps the most specific match: the one that recognises the most of the
//! object's properties, not merely the first that happens to parse.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The string value of the tag `property` of `value`, if it is an object that has one.
pub fn tag(value: &Value, property: &str) -> Option<String> {
    value
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Decodes `value` into a variant's type, reporting a failure as the caller's error type.
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Encodes a tagged variant: `inner`'s own fields, with `property` set to the variant's tag.
/// The variant decides: a tag property the inner value carries is kept only when it is one of
/// `tags` (the values that select this variant), so a value always decodes back to the
/// variant it was encoded from.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    inner: &T,
    property: &str,
    tags: &[&str],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(inner).map_err(S::Error::custom)?;
    if let (Value::Object(map), Some(first)) = (&mut value, tags.first()) {
        let carried = map.get(property).and_then(Value::as_str);
        if !carried.is_some_and(|tag| tags.contains(&tag)) {
            map.insert(property.to_owned(), Value::String((*first).to_owned()));
        }
    }
    value.serialize(serializer)
}

/// How the error for a value that fits no alternative begins (the server recognises it).
pub(crate) const NO_ALTERNATIVE: &str = "the value matches none of the";

/// One candidate of an untagged enum: the property names its type declares (empty for
/// non-object types) and how to decode it.
pub type Candidate<T> = (
    &'static [&'static str],
    fn(Value) -> Result<T, serde_json::Error>,
);

/// Decodes `value` as the best of `candidates`: among those that decode without error, the
/// one whose declared properties cover most of the object's keys, with fewest keys it does
/// not know; ties go to the earlier candidate (the generator orders them from the most to
/// the least specific type).
pub fn best_match<T, E: serde::de::Error>(
    value: Value,
    candidates: &[Candidate<T>],
) -> Result<T, E> {
    let keys: Vec<&String> = match &value {
        Value::Object(map) => map.keys().collect(),
        _ => Vec::new(),
    };
    let mut best: Option<(i64, T)> = None;
    let mut failures = Vec::new();
    for (known, decode) in candidates {
        // A type with declared properties is an object: serde would also build it from an
        // array of its field values, which the document does not allow.
        if !known.is_empty() && !value.is_object() {
            failures.push(String::from("an object was expected"));
            continue;
        }
        match decode(value.clone()) {
            Ok(decoded) => {
                let matched = keys.iter().filter(|k| known.contains(&k.as_str())).count();
                let unknown = keys.len() - matched;
                let score = i64::try_from(matched).unwrap_or(i64::MAX)
                    - i64::try_from(unknown).unwrap_or(i64::MAX);
                if best.as_ref().is_none_or(|(top, _)| score > *top) {
                    best = Some((score, decoded));
                }
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    match best {
        Some((_, decoded)) => Ok(decoded),
        None => Err(E::custom(format!(
            "{NO_ALTERNATIVE} {} alternatives ({})",
            candidates.len(),
            failures.join("; ")
        ))),
    }
}
