//! Writing operation parameters into paths, query strings and headers.
//!
//! OpenAPI describes parameters with "styles"; the generated client uses the
//! defaults, `simple` for path and header parameters and `form` for query
//! parameters, and this module implements them: [`ParamValue`] turns a value
//! into its text, [`path_segment`] encodes that text for a path segment, and
//! [`Query`] builds the query string.
//!
//! The encoding is chosen for OData services such as Microsoft Graph: the
//! characters of the OData query syntax (`$`, `@`, `'`, `(`, `)`, `,`, `:`, `*`,
//! `/`) stay literal, so `$filter=startswith(displayName,'a')` and
//! `$select=id,displayName` read as the service documents them, while
//! everything that could change how the query string is split or decoded (`&`,
//! `=`, `+`, `#`, `%`, quotes, angle brackets, spaces, controls and non-ASCII)
//! is percent-encoded. A space is always `%20`, never `+`, because OData
//! services do not treat `+` as a space.
//!
//! One caveat belongs to the HTTP client rather than to this module: the URL
//! parser used by `reqwest` follows the WHATWG URL standard, which
//! percent-encodes `'` in the query of `http`/`https` URLs. The wire therefore
//! carries `%27` where [`Query::as_str`] shows `'`; the two are equivalent to any
//! server, since query strings are percent-decoded before they are interpreted.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left literal in a path segment: RFC 3986 `pchar` minus
/// percent-encoded octets, i.e. unreserved characters, sub-delimiters, `:` and
/// `@`. Everything else, notably `/`, `?`, `#`, `%`, space and `\` (which URL
/// parsers treat as `/`), is encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Characters left literal in a query parameter name or value: unreserved
/// characters plus the OData syntax characters `$ @ ' ( ) , : * /`.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'@')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'*')
    .remove(b'/');

/// An item of a comma-separated query list: like [`QUERY_COMPONENT`], but a
/// comma inside the item is encoded so that it cannot split the list.
const QUERY_LIST_ITEM: &AsciiSet = &QUERY_COMPONENT.add(b',');

/// How a value is written in a path segment, a query string or a header (the
/// OpenAPI `simple` and `form` styles for primitive values).
///
/// The text returned is not encoded yet; [`path_segment`] and [`Query`] encode
/// it for where it goes. Generated enums implement this trait with their wire
/// names.
pub trait ParamValue {
    /// The value's text.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for Cow<'_, str> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for char {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

// Integers and floats are written with their `Display` form (`-12`, `0.5`;
// floats never use exponent notation, and non-finite floats are written as
// `NaN`, `inf` and `-inf`).
macro_rules! display_param_value {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ParamValue for $ty {
                fn to_param(&self) -> Cow<'_, str> {
                    Cow::Owned(self.to_string())
                }
            }
        )*
    };
}

display_param_value!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

/// RFC 3339 with the value's own offset (`2024-05-01T10:00:00+02:00`) and as
/// many fraction digits as needed (none, 3, 6 or 9).
impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
    }
}

/// RFC 3339 in UTC, with the `Z` designator (`2024-05-01T08:00:00Z`) and as
/// many fraction digits as needed.
impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// The RFC 3339 `full-date` form, `YYYY-MM-DD` (OpenAPI `format: date`).
impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Box<T> {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for std::sync::Arc<T> {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

/// Encodes a value as one path segment.
///
/// Everything that is not an RFC 3986 unreserved character, a sub-delimiter,
/// `:` or `@` is percent-encoded (non-ASCII as its UTF-8 bytes), so `/`, `?`,
/// `#`, `%` and space can never change the shape of the path.
///
/// A value of `.` or `..` cannot be sent at all: URL parsers remove such
/// segments (even when percent-encoded), which would send the request to a
/// different resource. [`Transport::send`](crate::Transport::send)
/// therefore rejects paths containing them with
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
pub fn path_segment<T: ParamValue + ?Sized>(value: &T) -> String {
    utf8_percent_encode(&value.to_param(), PATH_SEGMENT).to_string()
}

/// A query string under construction: an ordered list of already-encoded
/// `name=value` pairs.
///
/// Pairs keep the order in which they were pushed and repeated names are
/// allowed. `Display` and [`Query::as_str`] give the encoded string without the
/// leading `?`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `name=value`.
    pub fn push<T: ParamValue + ?Sized>(&mut self, name: &str, value: &T) {
        self.start_pair(name);
        self.encoded
            .extend(utf8_percent_encode(&value.to_param(), QUERY_COMPONENT));
    }

    /// Appends `name=value` when there is a value; an optional parameter that
    /// was not given is left out entirely.
    pub fn push_opt<T: ParamValue + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// Appends an array in `form` style without explode: one pair whose value is
    /// the comma-separated items (`$select=id,displayName`). A comma inside an
    /// item is encoded as `%2C`. Nothing is appended for an empty slice, since
    /// `name=` would mean "one empty item".
    pub fn push_csv<T: ParamValue>(&mut self, name: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        self.start_pair(name);
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.encoded.push(',');
            }
            self.encoded
                .extend(utf8_percent_encode(&value.to_param(), QUERY_LIST_ITEM));
        }
    }

    /// Appends an array in `form` style with explode: one `name=value` pair per
    /// item (`id=1&id=2`). Nothing is appended for an empty slice.
    pub fn push_exploded<T: ParamValue>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// Whether no pair has been pushed.
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }

    /// The encoded query string, without the leading `?`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// Writes the separator and the encoded name and `=` of a new pair.
    fn start_pair(&mut self, name: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded
            .extend(utf8_percent_encode(name, QUERY_COMPONENT));
        self.encoded.push('=');
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

impl ParamValue for uuid::Uuid {
    /// The hyphenated lowercase form, as RFC 9562 writes it.
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.hyphenated().to_string())
    }
}
