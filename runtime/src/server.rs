//! The serving side of an API description (cargo feature `server`): what the generated
//! `server::router` uses to decode requests and encode responses with axum.
//!
//! Requests are checked against the API description: a path or query parameter that does not
//! parse, a missing required parameter, malformed JSON, a missing required property or a value
//! an enum does not list is answered with `400 Bad Request` and an OData-style error body whose
//! `target` names the parameter or the JSON path of the property, as Microsoft Graph does.

use std::collections::HashMap;
use std::fmt::Display;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How a value is read from a path segment, query string, header or cookie; the counterpart
/// of [`ParamValue`](crate::ParamValue).
pub trait FromParam: Sized {
    /// Parses `text`; the error says what was expected.
    fn from_param(text: &str) -> Result<Self, String>;
}

impl FromParam for String {
    fn from_param(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl FromParam for bool {
    fn from_param(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("`{other}` is not `true` or `false`")),
        }
    }
}

/// A parameter written as JSON text (`content: application/json`), the counterpart of
/// [`JsonText`](crate::JsonText).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonParam<T>(pub T);

impl<T> JsonParam<T> {
    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromParam for JsonParam<T> {
    fn from_param(text: &str) -> Result<Self, String> {
        crate::enums::strictly(|| serde_json::from_str(text))
            .map(JsonParam)
            .map_err(|e| format!("invalid JSON: {e}"))
    }
}

macro_rules! from_param_by_from_str {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl FromParam for $ty {
            fn from_param(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| format!("`{text}` is not {}", $what))
            }
        }
    )*};
}

from_param_by_from_str!(
    i8 => "an integer", i16 => "an integer", i32 => "a 32-bit integer", i64 => "an integer",
    u8 => "a non-negative integer", u16 => "a non-negative integer",
    u32 => "a non-negative integer", u64 => "a non-negative integer",
    f32 => "a number", f64 => "a number",
    chrono::NaiveDate => "a date (YYYY-MM-DD)",
    uuid::Uuid => "a UUID",
);

impl FromParam for chrono::DateTime<chrono::FixedOffset> {
    fn from_param(text: &str) -> Result<Self, String> {
        chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|_| format!("`{text}` is not an RFC 3339 date-time"))
    }
}

/// A request that does not match the API description: answered with `400` and an OData error
/// body naming the parameter or property at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The parameter name or the JSON path of the property.
    pub target: String,
    /// What is wrong.
    pub message: String,
    /// `400`; `404` for a path that has the route's shape but not the document's form;
    /// `415` for a body whose `Content-Type` is not the one the operation reads.
    pub status: u16,
}

impl Rejection {
    /// A rejection of `target` because of `message`.
    pub fn new(target: impl Into<String>, message: impl Into<String>) -> Self {
        Rejection {
            target: target.into(),
            message: message.into(),
            status: 400,
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        if self.status == 404 {
            return odata_error(StatusCode::NOT_FOUND, "NotFound", &self.message, None);
        }
        if self.status == 415 {
            return odata_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                &self.message,
                Some(&self.target),
            );
        }
        odata_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &self.message,
            Some(&self.target),
        )
    }
}

/// The deepest nesting of arrays and objects a JSON request body may have: serde_json's
/// own limit for the values it builds, applied to the whole body (its typed decoding skips
/// unknown members without a limit, unread).
pub const MAX_JSON_DEPTH: usize = 128;

/// How deeply the arrays and objects of a JSON text nest (brackets outside strings),
/// without parsing it: a single pass with no recursion.
fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in bytes {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Whether a `Content-Type` is JSON: `application/json` or `application/*+json`, with
/// any parameters.
fn is_json_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json") || subtype.to_ascii_lowercase().ends_with("+json"))
}

/// The property serde reports missing (its message is "missing field `name` ...").
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(field, _)| field)
}

/// An OData error response: `{"error": {"code", "message", "target"}}`.
pub fn odata_error(
    status: StatusCode,
    code: &str,
    message: &str,
    target: Option<&str>,
) -> Response {
    let mut error = serde_json::json!({ "code": code, "message": message });
    if let Some(target) = target {
        error["target"] = serde_json::Value::String(target.to_owned());
    }
    (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
}

/// The answer to a path no operation serves: `404` with an OData error body.
pub async fn not_found() -> Response {
    odata_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        "no operation of this API serves the requested path",
        None,
    )
}

/// How the values of an array parameter are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// One value per occurrence (`form`, `explode: true`).
    Exploded,
    /// Values joined with this separator (`,` for `form`/`simple` with `explode: false`,
    /// `' '` for `spaceDelimited`, `|` for `pipeDelimited`).
    Delimited(char),
}

/// Everything a generated handler reads from a request.
#[derive(Debug)]
pub struct Incoming {
    path: HashMap<String, String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Incoming {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let path = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?
            .iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let query =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or_default()).map_err(|e| {
                Rejection::new("query", format!("the query string is malformed: {e}"))
                    .into_response()
            })?;
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Incoming {
            path,
            query,
            headers: parts.headers,
            body,
        })
    }
}

fn parse<T: FromParam>(name: &str, text: &str) -> Result<T, Rejection> {
    T::from_param(text)
        .map_err(|message| Rejection::new(name, format!("parameter `{name}`: {message}")))
}

fn parse_list<T: FromParam>(
    name: &str,
    texts: &[&str],
    style: ListStyle,
) -> Result<Vec<T>, Rejection> {
    let mut values = Vec::new();
    for text in texts {
        match style {
            ListStyle::Exploded => values.push(parse(name, text)?),
            ListStyle::Delimited(separator) => {
                for item in text.split(separator).filter(|item| !item.is_empty()) {
                    values.push(parse(name, item)?);
                }
            }
        }
    }
    Ok(values)
}

fn missing(name: &str) -> Rejection {
    Rejection::new(name, format!("the required parameter `{name}` is missing"))
}

impl Incoming {
    /// The path parameter at `position` (routes name them `p0`, `p1`, ...: parameter names in
    /// documents may hold characters a router does not accept); `name` is the document's name
    /// for it, used in errors.
    pub fn path_at<T: FromParam>(&self, position: usize, name: &str) -> Result<T, Rejection> {
        let text = self
            .path
            .get(&format!("p{position}"))
            .ok_or_else(|| missing(name))?;
        parse(name, text)
    }

    /// A path parameter that shares its segment with literal text or other parameters
    /// (`{name}.{format}`): the segment at `position` is split at `literals` (the text before,
    /// between and after the parameters) and piece `piece` is parsed.
    pub fn path_piece<T: FromParam>(
        &self,
        position: usize,
        literals: &[&str],
        piece: usize,
        name: &str,
    ) -> Result<T, Rejection> {
        let segment = self
            .path
            .get(&format!("p{position}"))
            .ok_or_else(|| missing(name))?;
        // A segment without the document's literal text is a path no operation serves.
        let mismatch = || Rejection {
            status: 404,
            ..Rejection::new(
                name,
                format!("no operation serves a path segment `{segment}` here"),
            )
        };
        let (first, rest) = literals.split_first().ok_or_else(mismatch)?;
        let mut remaining = segment.strip_prefix(first).ok_or_else(mismatch)?;
        let mut pieces = Vec::with_capacity(rest.len());
        for (index, literal) in rest.iter().enumerate() {
            let last = index + 1 == rest.len();
            let end = if last {
                remaining.strip_suffix(literal).map(str::len)
            } else if literal.is_empty() {
                None
            } else {
                remaining.find(literal)
            }
            .ok_or_else(mismatch)?;
            pieces.push(&remaining[..end]);
            remaining = &remaining[end + literal.len()..];
        }
        let text = pieces.get(piece).ok_or_else(mismatch)?;
        parse(name, text)
    }

    fn query_texts(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// An optional query parameter.
    pub fn query<T: FromParam>(&self, name: &str) -> Result<Option<T>, Rejection> {
        match self.query_texts(name).first() {
            Some(text) => parse(name, text).map(Some),
            None => Ok(None),
        }
    }

    /// A required query parameter.
    pub fn query_required<T: FromParam>(&self, name: &str) -> Result<T, Rejection> {
        self.query(name)?.ok_or_else(|| missing(name))
    }

    /// An array query parameter (empty when absent).
    pub fn query_list<T: FromParam>(
        &self,
        name: &str,
        style: ListStyle,
    ) -> Result<Vec<T>, Rejection> {
        parse_list(name, &self.query_texts(name), style)
    }

    /// A required array query parameter.
    pub fn query_list_required<T: FromParam>(
        &self,
        name: &str,
        style: ListStyle,
    ) -> Result<Vec<T>, Rejection> {
        if self.query_texts(name).is_empty() {
            return Err(missing(name));
        }
        self.query_list(name, style)
    }

    /// An object in the query, written in `style` as
    /// [`Query::push_object`](crate::Query::push_object) writes it; `None` when no pair
    /// belongs to it. For `form` with explode the object's members are pairs of their own, so
    /// every pair counts but those of the operation's other parameters, `others`.
    pub fn query_object<T: DeserializeOwned>(
        &self,
        name: &str,
        style: crate::ObjectStyle,
        others: &[&str],
    ) -> Result<Option<T>, Rejection> {
        let invalid =
            |message: String| Rejection::new(name, format!("parameter `{name}`: {message}"));
        let mut tree = crate::query_objects::Node::default();
        let mut found = false;
        match style {
            crate::ObjectStyle::DeepObject => {
                for (key, value) in &self.query {
                    if let Some(path) = crate::query_objects::bracket_path(name, key) {
                        tree.insert(&path, value.clone()).map_err(invalid)?;
                        found = true;
                    }
                }
            }
            crate::ObjectStyle::Form { explode: true } => {
                for (key, value) in self
                    .query
                    .iter()
                    .filter(|(key, _)| !others.contains(&key.as_str()))
                {
                    tree.insert(&[key], value.clone()).map_err(invalid)?;
                    found = true;
                }
            }
            crate::ObjectStyle::Form { explode: false } => {
                if let Some(text) = self.query_texts(name).first() {
                    let texts: Vec<&str> = text.split(',').collect();
                    for pair in texts.chunks(2) {
                        let [key, value] = pair else {
                            return Err(invalid(String::from("a member has no value")));
                        };
                        tree.insert(&[key], (*value).to_owned()).map_err(invalid)?;
                    }
                    found = true;
                }
            }
        }
        if !found {
            return Ok(None);
        }
        crate::enums::strictly(|| crate::query_objects::decode(tree.settle()))
            .map(Some)
            .map_err(invalid)
    }

    /// A required object in the query (see [`Incoming::query_object`]).
    pub fn query_object_required<T: DeserializeOwned>(
        &self,
        name: &str,
        style: crate::ObjectStyle,
        others: &[&str],
    ) -> Result<T, Rejection> {
        self.query_object(name, style, others)?
            .ok_or_else(|| missing(name))
    }

    fn header_texts(&self, name: &str) -> Result<Vec<&str>, Rejection> {
        self.headers
            .get_all(name)
            .iter()
            .map(|value| {
                value
                    .to_str()
                    .map_err(|_| Rejection::new(name, format!("header `{name}` is not text")))
            })
            .collect()
    }

    /// An optional header.
    pub fn header<T: FromParam>(&self, name: &str) -> Result<Option<T>, Rejection> {
        match self.header_texts(name)?.first() {
            Some(text) => parse(name, text).map(Some),
            None => Ok(None),
        }
    }

    /// A required header.
    pub fn header_required<T: FromParam>(&self, name: &str) -> Result<T, Rejection> {
        self.header(name)?.ok_or_else(|| missing(name))
    }

    /// An array header (comma-separated).
    pub fn header_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, Rejection> {
        parse_list(name, &self.header_texts(name)?, ListStyle::Delimited(','))
    }

    /// An optional cookie.
    pub fn cookie<T: FromParam>(&self, name: &str) -> Result<Option<T>, Rejection> {
        for text in self.header_texts(header::COOKIE.as_str())? {
            for pair in text.split(';') {
                if let Some((key, value)) = pair.trim().split_once('=')
                    && key == name
                {
                    let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                    return parse(name, &value).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// A required cookie.
    pub fn cookie_required<T: FromParam>(&self, name: &str) -> Result<T, Rejection> {
        self.cookie(name)?.ok_or_else(|| missing(name))
    }

    /// An array cookie (comma-separated).
    pub fn cookie_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, Rejection> {
        match self.cookie::<String>(name)? {
            Some(text) => parse_list(name, &[text.as_str()], ListStyle::Delimited(',')),
            None => Ok(Vec::new()),
        }
    }

    /// Whether the request has a body.
    pub fn has_body(&self) -> bool {
        !self.body.is_empty()
    }

    /// A JSON body, decoded strictly (unlisted enum values are errors); a mismatch names the
    /// JSON path of the property at fault. A body whose `Content-Type` is not JSON
    /// (`application/json`, `application/*+json`) is refused with `415`, one nested more than
    /// [`MAX_JSON_DEPTH`] levels with `400`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        if self.body.is_empty() {
            return Err(Rejection::new("body", "the request body is required"));
        }
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        if !content_type.as_deref().is_some_and(is_json_media_type) {
            let shown: String = content_type
                .as_deref()
                .unwrap_or("none")
                .chars()
                .take(100)
                .collect();
            return Err(Rejection {
                status: 415,
                ..Rejection::new(
                    "Content-Type",
                    format!("the request body must be JSON (application/json), not `{shown}`"),
                )
            });
        }
        if json_depth(&self.body) > MAX_JSON_DEPTH {
            return Err(Rejection::new(
                "body",
                format!("the request body is nested more than {MAX_JSON_DEPTH} levels deep"),
            ));
        }
        crate::enums::strictly(|| {
            let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
            let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                let whole_value = e
                    .inner()
                    .to_string()
                    .contains(crate::variants::NO_ALTERNATIVE);
                // At the root, name the property at fault when one is; a body that matches
                // no alternative as a whole is the body's fault.
                let target = match (
                    path.as_str(),
                    whole_value,
                    missing_field(&e.inner().to_string()),
                ) {
                    // A required property is absent: name it, below the object that lacks it.
                    (".", false, Some(field)) => field.to_owned(),
                    (_, false, Some(field)) => format!("{path}.{field}"),
                    (".", true, _) => String::from("body"),
                    (".", false, None) => self
                        .culprit_property::<T>()
                        .unwrap_or_else(|| String::from("body")),
                    _ => path.clone(),
                };
                Rejection::new(
                    target,
                    format!("invalid request body at `{path}`: {}", e.inner()),
                )
            })?;
            deserializer
                .end()
                .map_err(|e| Rejection::new("body", format!("invalid request body: {e}")))?;
            Ok(value)
        })
    }

    /// When decoding fails without a path (serde buffers flattened maps, such as
    /// `additionalProperties`, and loses where it was), the top-level property whose removal
    /// makes the body decode is the one at fault. Only runs on the error path.
    fn culprit_property<T: DeserializeOwned>(&self) -> Option<String> {
        let serde_json::Value::Object(object) = serde_json::from_slice(&self.body).ok()? else {
            return None;
        };
        object.keys().find_map(|key| {
            let mut without = object.clone();
            without.remove(key);
            serde_json::from_value::<T>(serde_json::Value::Object(without))
                .is_ok()
                .then(|| key.clone())
        })
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        crate::enums::strictly(|| {
            serde_urlencoded::from_bytes(&self.body)
                .map_err(|e| Rejection::new("body", format!("invalid form body: {e}")))
        })
    }

    /// A `multipart/form-data` body: text parts become string properties, the parts named in
    /// `files` byte arrays.
    pub fn multipart<T: DeserializeOwned>(&self, files: &[&str]) -> Result<T, Rejection> {
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let boundary = content_type
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))
            .map(|b| b.trim_matches('"').to_owned())
            .ok_or_else(|| {
                Rejection::new(
                    "body",
                    "a multipart body needs a boundary in its Content-Type",
                )
            })?;
        let mut object = serde_json::Map::new();
        for (name, content) in multipart_parts(&self.body, &boundary)? {
            let value = if files.contains(&name.as_str()) {
                serde_json::Value::Array(
                    content
                        .iter()
                        .map(|b| serde_json::Value::from(*b))
                        .collect(),
                )
            } else {
                let text = String::from_utf8(content)
                    .map_err(|_| Rejection::new(name.as_str(), "a text part is not UTF-8"))?;
                serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
            };
            object.insert(name, value);
        }
        crate::enums::strictly(|| {
            serde_json::from_value(serde_json::Value::Object(object))
                .map_err(|e| Rejection::new("body", format!("invalid multipart body: {e}")))
        })
    }

    /// The raw body.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// A text body.
    pub fn text(&self) -> Result<String, Rejection> {
        String::from_utf8(self.body.to_vec())
            .map_err(|_| Rejection::new("body", "the body is not UTF-8 text"))
    }
}

/// Splits a multipart body into (name, content) pairs.
fn multipart_parts(body: &[u8], boundary: &str) -> Result<Vec<(String, Vec<u8>)>, Rejection> {
    let delimiter = format!("--{boundary}");
    let malformed = || Rejection::new("body", "the multipart body is malformed");
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).ok_or_else(malformed)?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or_else(malformed)?;
        let headers_end = find(rest, b"\r\n\r\n").ok_or_else(malformed)?;
        let headers = String::from_utf8_lossy(&rest[..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let next = find(
            &rest[content_start..],
            format!("\r\n{delimiter}").as_bytes(),
        )
        .ok_or_else(malformed)?;
        let content = rest[content_start..content_start + next].to_vec();
        let name = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .and_then(|l| l.split(';').find_map(|p| p.trim().strip_prefix("name=")))
            .map(|n| n.trim_matches('"').to_owned())
            .ok_or_else(malformed)?;
        parts.push((name, content));
        rest = &rest[content_start + next + 2 + delimiter.len()..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A JSON response.
pub fn json<T: Serialize>(code: u16, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_body(code, "application/json", bytes),
        Err(e) => odata_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            &format!("the response could not be encoded: {e}"),
            None,
        ),
    }
}

/// A response without a body.
pub fn empty(code: u16) -> Response {
    status(code).into_response()
}

/// A `text/plain` response.
pub fn text<T: Display>(code: u16, body: &T) -> Response {
    with_body(
        code,
        "text/plain; charset=utf-8",
        body.to_string().into_bytes(),
    )
}

/// A response with raw bytes of `content_type`.
pub fn bytes(code: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    with_body(code, content_type, body)
}

/// Sets the response header `name` to `value`, written as a parameter is (`None` sets
/// nothing). A value no header can carry (a line break, a control character) turns the
/// response into a `500` that says so, rather than an answer without the header.
pub fn set_header<T: crate::ParamValue + ?Sized>(
    response: &mut Response,
    name: &str,
    value: Option<&T>,
) {
    let Some(value) = value else {
        return;
    };
    match (
        header::HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&value.to_param()),
    ) {
        (Ok(header_name), Ok(value)) => {
            response.headers_mut().append(header_name, value);
        }
        _ => {
            *response = odata_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                &format!(
                    "the response header `{name}` cannot carry the value the implementation gave"
                ),
                None,
            );
        }
    }
}

fn with_body(code: u16, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (status(code), body).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}
