//! Shared implementations for generated string enums.
//!
//! Each generated enum defines its variants, `as_str` and `From<String>` (the parts that differ
//! per enum); this macro adds the rest, so the generated code stays small.

/// Implements `Display`, `FromStr`, `From<&str>`, `Serialize`, `Deserialize` and
/// [`ParamValue`](crate::runtime::ParamValue) for a string enum with `as_str` and `From<String>`.
// Unused in a crate whose API description has no string enum.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value.to_owned()))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;
