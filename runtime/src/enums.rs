//! Shared implementations for generated string enums.
//!
//! Each generated enum defines its variants, `as_str` and `From<String>` (the parts that differ
//! per enum); this macro adds the rest, so the generated code stays small.

use std::cell::Cell;

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with strict enums: a value an enum does not list is an error instead of the
/// fallback variant. A client accepts new values (a service may add them); a server checks
/// what it is sent against its own API description.
pub fn strictly<R>(decode: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            STRICT.with(|strict| strict.set(self.0));
        }
    }
    let _reset = Reset(STRICT.with(|strict| strict.replace(true)));
    decode()
}

/// Whether [`strictly`] is in effect on this thread.
#[doc(hidden)]
pub fn strict() -> bool {
    STRICT.with(Cell::get)
}

/// Implements `Display`, `FromStr`, `From<&str>`, `Serialize`, `Deserialize` and
/// [`ParamValue`](crate::ParamValue) for a string enum with `as_str` and
/// `From<String>`, whose variant `$fallback` keeps unlisted values.
///
/// Plumbing for generated code, which calls it as `crate::runtime::string_enum!`.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $fallback:ident) => {
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
                let value = Self::from(
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?,
                );
                match value {
                    Self::$fallback(unlisted) if $crate::enums::strict() => {
                        Err(<D::Error as ::serde::de::Error>::custom(format!(
                            "`{unlisted}` is not one of the values of {}",
                            stringify!($name)
                        )))
                    }
                    value => Ok(value),
                }
            }
        }

        impl $crate::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        #[cfg(feature = "server")]
        impl $crate::server::FromParam for $name {
            fn from_param(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                match Self::from(text.to_owned()) {
                    Self::$fallback(unlisted) => Err(format!(
                        "`{unlisted}` is not one of the values of {}",
                        stringify!($name)
                    )),
                    value => Ok(value),
                }
            }
        }
    };
}
