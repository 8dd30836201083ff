//! Three-state properties for PATCH (merge-patch) request bodies.
//!
//! In a merge-patch body, a property that is left out keeps its current value,
//! a property set to `null` is cleared, and a property with a value is replaced.
//! `Option<T>` has only two states, so an update model built from it can either
//! never clear a property or always clear every property it does not set.
//! [`Patch`] has all three.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property in a PATCH (merge-patch) body: left out, explicitly `null`, or set.
///
/// Services such as Microsoft Graph treat "absent" (keep the current value) and
/// `null` (clear it) differently. A field of this type must be declared as
///
/// ```ignore
/// #[serde(default, skip_serializing_if = "Patch::is_absent")]
/// pub display_name: Patch<String>,
/// ```
///
/// `skip_serializing_if` leaves [`Patch::Absent`] out of the body, and
/// `default` makes a missing property deserialize as [`Patch::Absent`] (without
/// it, serde would treat a missing property like `null`). Serializing an
/// `Absent` value directly is an error rather than a silent `null`, because
/// `null` would clear the property on the service.
///
/// [`Patch::Null`] serializes as `null`; [`Patch::Value`] serializes as its
/// value. When deserializing, `null` becomes `Null` and anything else `Value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Left out of the body: the service keeps the current value.
    #[default]
    Absent,
    /// Sent as `null`: the service clears the property.
    Null,
    /// Sent as the value: the service replaces the property.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the property is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// Whether the property is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Patch::Null)
    }

    /// Whether the property is sent with a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Patch::Value(_))
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(value) => Some(value),
            Patch::Absent | Patch::Null => None,
        }
    }

    /// The value, if there is one, consuming the patch.
    pub fn into_value(self) -> Option<T> {
        match self {
            Patch::Value(value) => Some(value),
            Patch::Absent | Patch::Null => None,
        }
    }

    /// Borrows the value, keeping the state.
    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(value) => Patch::Value(value),
        }
    }

    /// Transforms the value, keeping the state.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Patch<U> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(value) => Patch::Value(f(value)),
        }
    }
}

/// A value sets the property.
impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Value(value)
    }
}

/// `Some` sets the property, `None` clears it (`null`); use [`Patch::Absent`] to
/// leave it unchanged.
impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Patch::Value(value),
            None => Patch::Null,
        }
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Absent => Err(serde::ser::Error::custom(
                "Patch::Absent cannot be serialized; \
                 mark the field #[serde(skip_serializing_if = \"Patch::is_absent\")]",
            )),
            Patch::Null => serializer.serialize_none(),
            Patch::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Patch::from)
    }
}
