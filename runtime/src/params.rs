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
use serde::Serialize;
use serde_json::Value;

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

/// Characters left literal in the value of a parameter with `allowReserved: true`: the
/// [`QUERY_COMPONENT`] set, and RFC 3986's reserved characters but `#`, which would end the
/// query and start the fragment.
const QUERY_RESERVED: &AsciiSet = &QUERY_COMPONENT
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'!')
    .remove(b'&')
    .remove(b'+')
    .remove(b';')
    .remove(b'=');

/// A member name inside the brackets of a `deepObject` pair: like [`QUERY_COMPONENT`], with
/// the brackets that delimit it encoded.
const QUERY_MEMBER: &AsciiSet = &QUERY_COMPONENT.add(b'[').add(b']');

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

/// A value written as its JSON text: a parameter described with `content` and a JSON media
/// type (`?filter={"state":"open"}`), or an item of a query array of objects.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> ParamValue for JsonText<'_, T> {
    fn to_param(&self) -> Cow<'_, str> {
        // Generated types always encode: their maps have string keys and their numbers are
        // finite or written as null.
        Cow::Owned(serde_json::to_string(self.0).unwrap_or_default())
    }
}

/// How an object is written in the query string (OpenAPI's styles for objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `deepObject`: one pair per member, `name[member]=value`. OpenAPI leaves nesting open;
    /// this follows the bracket syntax of Rails, PHP and Node's `qs`: a nested object is
    /// `name[member][inner]=value`, an array of scalars `name[member][]=value` per item, and an
    /// array of objects (or the parameter itself being an array) indexed,
    /// `name[member][0][inner]=value`.
    DeepObject,
    /// `form`: exploded, one pair per member (`state=open&limit=5`); otherwise one pair with
    /// the members and values joined by commas (`name=state,open,limit,5`). A member that is
    /// itself an object is written as its JSON text.
    Form {
        /// `explode`.
        explode: bool,
    },
}

/// The text of a scalar JSON value; `None` for `null`, which is left out, and for objects
/// and arrays.
fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Bool(flag) => Some(Cow::Borrowed(if *flag { "true" } else { "false" })),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The text of a member of a `form` object: scalars as text, objects and arrays as JSON.
fn member_text(value: &Value) -> Cow<'_, str> {
    scalar_text(value).unwrap_or_else(|| Cow::Owned(value.to_string()))
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

    /// Appends `name=value` for a parameter with `allowReserved: true`: RFC 3986's reserved
    /// characters (`:/?[]@!$&'()*+,;=`) stay as they are, but `#`, which would end the query.
    pub fn push_reserved<T: ParamValue + ?Sized>(&mut self, name: &str, value: &T) {
        self.start_pair(name);
        self.encoded
            .extend(utf8_percent_encode(&value.to_param(), QUERY_RESERVED));
    }

    /// Appends an array of objects in `form` style with explode: one pair per item, whose
    /// value is the item's JSON text. OpenAPI leaves arrays of objects open; this is how
    /// Swagger UI sends them.
    pub fn push_json_items<T: Serialize>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.push(name, &JsonText(value));
        }
    }

    /// Appends an object (or an array of objects, in `deepObject` style) in `style`. Members
    /// that are `null` are left out; nothing is appended for a value that is not an object
    /// or array.
    pub fn push_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: ObjectStyle,
    ) {
        let Ok(value) = serde_json::to_value(value) else {
            return;
        };
        match (style, &value) {
            (ObjectStyle::DeepObject, Value::Object(_) | Value::Array(_)) => {
                let mut prefix = String::new();
                prefix.extend(utf8_percent_encode(name, QUERY_MEMBER));
                self.push_deep(&mut prefix, &value);
            }
            (ObjectStyle::Form { explode: true }, Value::Object(members)) => {
                for (member, value) in members {
                    match value {
                        Value::Null => {}
                        Value::Array(items) => {
                            for item in items.iter().filter(|item| !item.is_null()) {
                                self.push(member, &member_text(item));
                            }
                        }
                        _ => self.push(member, &member_text(value)),
                    }
                }
            }
            (ObjectStyle::Form { explode: false }, Value::Object(members)) => {
                let mut first = true;
                for (member, value) in members.iter().filter(|(_, value)| !value.is_null()) {
                    if first {
                        self.start_pair(name);
                        first = false;
                    } else {
                        self.encoded.push(',');
                    }
                    self.encoded
                        .extend(utf8_percent_encode(member, QUERY_LIST_ITEM));
                    self.encoded.push(',');
                    self.encoded
                        .extend(utf8_percent_encode(&member_text(value), QUERY_LIST_ITEM));
                }
            }
            _ => {}
        }
    }

    /// Writes `value` under the already-encoded `prefix` in `deepObject` style, restoring
    /// `prefix` afterwards.
    fn push_deep(&mut self, prefix: &mut String, value: &Value) {
        let length = prefix.len();
        match value {
            Value::Object(members) => {
                for (member, value) in members {
                    prefix.push('[');
                    prefix.extend(utf8_percent_encode(member, QUERY_MEMBER));
                    prefix.push(']');
                    self.push_deep(prefix, value);
                    prefix.truncate(length);
                }
            }
            Value::Array(items) if items.iter().all(|item| scalar_text(item).is_some()) => {
                prefix.push_str("[]");
                for item in items {
                    self.push_deep(prefix, item);
                }
                prefix.truncate(length);
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    prefix.push('[');
                    prefix.push_str(&index.to_string());
                    prefix.push(']');
                    self.push_deep(prefix, item);
                    prefix.truncate(length);
                }
            }
            Value::Null => {}
            scalar => {
                if let Some(text) = scalar_text(scalar) {
                    if !self.encoded.is_empty() {
                        self.encoded.push('&');
                    }
                    self.encoded.push_str(prefix);
                    self.encoded.push('=');
                    self.encoded
                        .extend(utf8_percent_encode(&text, QUERY_COMPONENT));
                }
            }
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
