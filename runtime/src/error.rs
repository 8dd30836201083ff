//! The one error type every generated operation returns.
//!
//! A caller of a generated client needs to tell apart a handful of situations that
//! call for different reactions: the client was configured wrongly (fix the code),
//! no access token could be obtained (re-authenticate), the request never got an
//! answer (retry later), the service said no (look at [`ApiError`]: status, OData
//! error code, request id for support), or the answer did not match the
//! description the client was generated from (report a spec mismatch). Each of
//! those is one variant of [`Error`], and every variant that belongs to a request
//! names the operation it came from.
//!
//! Requests that were retried (see
//! [`RetryPolicy`](crate::RetryPolicy)) say how many times they were
//! sent: [`ApiError::attempts`] and the `attempts` of [`Error::Transport`],
//! also shown by `Display` as `(after N attempts)`, so a log line tells a
//! first failure from a retry budget that ran out.
//!
//! Secrets never reach this module: the bearer token is added to the request
//! only at the last moment and is not stored in any error, so printing an
//! [`Error`] with `{}` or `{:?}` is always safe to log.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// A boxed error that can cross threads, as returned by a
/// [`TokenProvider`](crate::TokenProvider).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when calling an operation.
///
/// `Display` gives a one-line summary that names the operation; the underlying
/// cause (a [`reqwest::Error`], a [`serde_json::Error`], the token provider's
/// error) is available through [`std::error::Error::source`], so an error
/// reporter that walks the source chain shows the whole story without
/// repeating it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client builder was given something unusable: a malformed base URL,
    /// an invalid header name or value, an HTTP client that could not be built.
    /// The message says which input was wrong (never the value of a header,
    /// which may be a secret).
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// A request could not be formed from the arguments of an operation, for
    /// example a header parameter containing a line break, or a path parameter
    /// that is `.` or `..` (which URL normalization would silently remove,
    /// sending the request to a different resource).
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation that was called.
        operation: &'static str,
        /// What was wrong with the request.
        message: String,
    },

    /// The [`TokenProvider`](crate::TokenProvider) failed to supply a
    /// usable access token; the request was not sent.
    #[error("{operation}: could not obtain an access token")]
    Token {
        /// The operation that was called.
        operation: &'static str,
        /// The token provider's error.
        #[source]
        source: BoxError,
    },

    /// The request did not complete: connection refused, DNS or TLS failure,
    /// timeout ([`Error::is_timeout`]), or the connection broke before the
    /// whole response was read.
    ///
    /// The transport has already retried what was safe to retry (connection
    /// failures of idempotent requests, see
    /// [`RetryPolicy`](crate::RetryPolicy)); `attempts` says how many
    /// times the request was sent, and `Display` shows it when it is more
    /// than one.
    #[error(
        "{operation}: {}{}",
        transport_summary(source),
        attempts_suffix(*attempts)
    )]
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// How many times the request was sent (1 when it was not retried).
        attempts: u32,
        /// The HTTP client's error of the last attempt.
        #[source]
        source: reqwest::Error,
    },

    /// The service answered with a status outside `200..=299`.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The response body grew beyond the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size): the
    /// body was read no further than `limit` bytes (or not at all, when its
    /// `Content-Length` already said so) and the connection was dropped.
    #[error(
        "{operation}: the {status} response body is larger than the limit of {limit} bytes \
         (ClientBuilder::max_response_size)"
    )]
    ResponseTooLarge {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// The limit in bytes.
        limit: usize,
    },

    /// The call did not complete within the client's
    /// [`total_timeout`](crate::ClientBuilder::total_timeout), which covers
    /// every attempt and every wait between them. A wait that would end past
    /// the deadline is not started: the error of the last attempt is returned
    /// instead.
    #[error(
        "{operation}: the call did not complete within its total timeout of {}{}",
        DurationText(*limit),
        attempts_suffix(*attempts)
    )]
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// The total timeout.
        limit: Duration,
        /// How many attempts had been started when the time ran out.
        attempts: u32,
    },

    /// The service answered with a redirect that the client's
    /// [`RedirectPolicy`](crate::RedirectPolicy) does not follow: by default
    /// one to another origin (scheme, host or port), which would carry the
    /// request's headers and body to a host the caller never named, or one
    /// beyond the limit of redirects. `location` is the `Location` header as
    /// sent (lossy UTF-8); `Display` shows it escaped and shortened.
    #[error(
        "{operation}: the service redirected ({status}) to `{}`, which the redirect policy \
         does not follow ({})",
        Escaped::new(location.as_deref().unwrap_or(""), LOCATION_DISPLAY_LEN),
        if *cross_origin { "another origin" } else { "too many redirects" }
    )]
    Redirect {
        /// The operation that was called.
        operation: &'static str,
        /// The `3xx` status of the redirect.
        status: u16,
        /// The `Location` header, when there was one.
        location: Option<String>,
        /// Whether the redirect leads to another origin than the base URL's.
        cross_origin: bool,
    },

    /// A [paging](crate::paging) stream stopped because the service's next
    /// links would never end: see [`PagingError`].
    #[error("{operation}: paging stopped: {reason}")]
    Paging {
        /// The operation that was called.
        operation: &'static str,
        /// Why paging stopped.
        reason: PagingError,
    },

    /// The service answered with success, but the body did not match the type
    /// the operation declares. `path` is where in the JSON document decoding
    /// failed (for example `value[1].state`; `.` is the document itself).
    #[error(
        "{operation}: the {status} response body does not match the expected type{}",
        AtPath(path)
    )]
    Decode {
        /// The operation that was called.
        operation: &'static str,
        /// The (successful) HTTP status of the response.
        status: u16,
        /// Where decoding failed, in `serde_path_to_error` notation.
        path: String,
        /// What was wrong at that place.
        #[source]
        source: DecodeError,
    },

    /// The request body could not be serialized to JSON (for example a map
    /// whose keys are not strings); the request was not sent.
    #[error("{operation}: could not encode the request body as JSON")]
    Encode {
        /// The operation that was called.
        operation: &'static str,
        /// The serializer's error.
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    /// The HTTP status of the response, when there was one: for
    /// [`Error::Api`], [`Error::Decode`], [`Error::ResponseTooLarge`] and
    /// [`Error::Redirect`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's error response, when the service rejected the request.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// How many times the request was sent, for errors that come from the
    /// service or the connection ([`Error::Api`], [`Error::Transport`]); more
    /// than one when the transport retried.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => Some(api.attempts),
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether the request failed because a timeout configured on the client
    /// (total or connect) elapsed.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The operation the error belongs to; `None` for [`Error::Config`], which
    /// happens before any operation is called.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Config(_) => None,
            Error::InvalidRequest { operation, .. }
            | Error::Token { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Encode { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::Paging { operation, .. } => Some(operation),
            Error::Api(api) => Some(api.operation),
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

/// Why a successful response body could not be decoded; the source of
/// [`Error::Decode`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The JSON body is malformed or does not match the declared schema.
    ///
    /// `Display` shows the parser's message escaped and shortened: it can
    /// quote the service's text (an unknown enum value, a field name).
    #[error("{}", Escaped::new(&.0.to_string(), MESSAGE_DISPLAY_LEN))]
    Json(#[source] serde_json::Error),
    /// A plain-text body (such as an OData `$count`) could not be parsed.
    #[error("{}", Escaped::new(.0, MESSAGE_DISPLAY_LEN))]
    Text(String),
}

impl From<serde_json::Error> for DecodeError {
    fn from(error: serde_json::Error) -> Self {
        DecodeError::Json(error)
    }
}

/// Why a [paging](crate::paging) stream ended with [`Error::Paging`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// A page's next link leads to a page this stream already fetched: the
    /// service would repeat the same pages forever. `page` is the (1-based)
    /// number of the page that carried the link; its items were yielded, and
    /// no item is yielded twice.
    #[error("page {page} links back to a page already read; the stream would never end")]
    RepeatedLink {
        /// The page that carried the link.
        page: usize,
    },
    /// More than `limit` pages in a row held no item but offered a next
    /// link (see [`MAX_EMPTY_PAGES`](crate::paging::MAX_EMPTY_PAGES)).
    #[error("more than {limit} pages in a row held no item")]
    TooManyEmptyPages {
        /// The number of empty pages in a row tolerated.
        limit: usize,
    },
}

/// A non-success response from the service.
///
/// Microsoft Graph and other OData services describe failures with a body of the
/// shape `{"error": {"code", "message", "target", "innerError": {"request-id",
/// "client-request-id", "date"}}}`. That shape is recognised structurally (no
/// service name is involved) and its fields are lifted into `code`, `message`,
/// `target`, `request_id`, `client_request_id` and `date`; the ids fall back to
/// the `request-id` and `client-request-id` response headers, and the date to
/// the `Date` header. Whatever the body is, it is kept whole in `body`, and an
/// operation's declared error model can be decoded from it with
/// [`ApiError::body_json`].
///
/// `Display` reads `<operation>: <status> <code>: <message> (request-id <id>)`,
/// or, for a body of another shape, the status, its reason phrase and the first
/// 200 bytes of the body; a request that was retried ends with `after N
/// attempts` inside the parentheses.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// The OData error code (`error.code`), such as `itemNotFound`.
    pub code: Option<String>,
    /// The human-readable error message (`error.message`).
    pub message: Option<String>,
    /// The element the error refers to (`error.target`), if the service said.
    pub target: Option<String>,
    /// The id the service assigned to the request; quote it to its support.
    pub request_id: Option<String>,
    /// The id the client sent, echoed back by the service.
    pub client_request_id: Option<String>,
    /// When the service handled the request, as the service wrote it.
    pub date: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The first [`MAX_BODY`](Self::MAX_BODY) bytes of the response body.
    body: Vec<u8>,
    /// Whether the body was longer than what `body` holds.
    body_truncated: bool,
    /// How many times the request was sent: 1, or more when the transport
    /// retried a throttled or unavailable service (`429`, `503`, `504`) and
    /// every attempt failed.
    pub attempts: u32,
}

/// How many bytes of a body that is not an OData error `Display` shows.
const BODY_SNIPPET_LEN: usize = 200;

/// How many characters of the service's error code and request id `Display` shows.
const CODE_DISPLAY_LEN: usize = 100;

/// How many characters of the service's error message (and of a parser's
/// message) `Display` shows.
const MESSAGE_DISPLAY_LEN: usize = 500;

/// How many characters of a redirect's `Location` `Display` shows.
const LOCATION_DISPLAY_LEN: usize = 200;

/// How many characters of a JSON path `Display` shows.
const PATH_DISPLAY_LEN: usize = 200;

/// How many characters of the body `Debug` of an [`ApiError`] shows.
const BODY_DEBUG_LEN: usize = 2_000;

impl ApiError {
    /// How many bytes of an error response body the transport reads and
    /// keeps (64 KiB): error bodies of Microsoft Graph and other OData
    /// services are well under 4 KiB; the rest of a longer body is not read.
    pub const MAX_BODY: usize = 64 * 1024;

    /// Builds the error for a non-success response to a single attempt,
    /// recognising an OData error body and falling back to the `request-id`,
    /// `client-request-id` and `Date` headers for the ids and the date.
    ///
    /// A body longer than [`MAX_BODY`](Self::MAX_BODY) is cut to it and
    /// [`body_truncated`](Self::body_truncated) is set.
    pub fn new(
        operation: &'static str,
        status: u16,
        headers: HeaderMap,
        mut body: Vec<u8>,
    ) -> Self {
        let body_truncated = body.len() > Self::MAX_BODY;
        if body_truncated {
            body.truncate(Self::MAX_BODY);
            body.shrink_to_fit();
        }
        let odata = ODataError::parse(&body).unwrap_or_default();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        ApiError {
            operation,
            status,
            request_id: odata.request_id.or_else(|| header("request-id")),
            client_request_id: odata
                .client_request_id
                .or_else(|| header("client-request-id")),
            date: odata.date.or_else(|| header("date")),
            code: odata.code,
            message: odata.message,
            target: odata.target,
            headers,
            body,
            body_truncated,
            attempts: 1,
        }
    }

    /// Marks the body as cut short by whoever read it (the transport stops
    /// reading an error body at [`MAX_BODY`](Self::MAX_BODY)).
    pub(crate) fn truncated(mut self, truncated: bool) -> Self {
        self.body_truncated |= truncated;
        self
    }

    /// The response body as received: all of it, or its first
    /// [`MAX_BODY`](Self::MAX_BODY) bytes when
    /// [`body_truncated`](Self::body_truncated).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the service sent more than [`body`](Self::body) holds.
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// The wait the service asked for with `Retry-After`, in delta-seconds
    /// (`Retry-After: 30`) or as an HTTP-date, measured from now; `None` when
    /// the header is absent, malformed or names a time that has passed.
    ///
    /// The transport already honours it when retrying; this is for callers
    /// that schedule work themselves after the retry budget ran out.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers, SystemTime::now())
    }

    /// Decodes the body into the error model the operation declares (or any
    /// other type), for details that the common fields do not cover.
    pub fn body_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body as text, with invalid UTF-8 replaced by `U+FFFD`.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.status)?;
        if self.code.is_some() || self.message.is_some() {
            if let Some(code) = &self.code {
                write!(f, " {}", Escaped::new(code, CODE_DISPLAY_LEN))?;
            }
            if let Some(message) = &self.message {
                write!(f, ": {}", Escaped::new(message, MESSAGE_DISPLAY_LEN))?;
            }
        } else {
            let reason = reqwest::StatusCode::from_u16(self.status)
                .ok()
                .and_then(|status| status.canonical_reason());
            if let Some(reason) = reason {
                write!(f, " {reason}")?;
            }
            let snippet = body_snippet(&self.body, BODY_SNIPPET_LEN);
            if !snippet.is_empty() {
                write!(f, ": {snippet}")?;
            }
        }
        let request_id = self
            .request_id
            .as_deref()
            .map(|id| Escaped::new(id, CODE_DISPLAY_LEN));
        match (request_id, self.attempts > 1) {
            (Some(request_id), false) => write!(f, " (request-id {request_id})"),
            (Some(request_id), true) => write!(
                f,
                " (request-id {request_id}, after {} attempts)",
                self.attempts
            ),
            (None, true) => write!(f, " (after {} attempts)", self.attempts),
            (None, false) => Ok(()),
        }
    }
}

impl fmt::Debug for ApiError {
    /// Like a derived `Debug`, but bounded: the service's texts are escaped
    /// and shortened like in `Display`, and the body is shown as (lossy) text,
    /// shortened, with its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn short(text: &Option<String>, max: usize) -> Option<Quoted<'_>> {
            text.as_deref().map(|text| Quoted(Escaped::new(text, max)))
        }
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &short(&self.code, CODE_DISPLAY_LEN))
            .field("message", &short(&self.message, MESSAGE_DISPLAY_LEN))
            .field("target", &short(&self.target, CODE_DISPLAY_LEN))
            .field("request_id", &short(&self.request_id, CODE_DISPLAY_LEN))
            .field(
                "client_request_id",
                &short(&self.client_request_id, CODE_DISPLAY_LEN),
            )
            .field("date", &short(&self.date, CODE_DISPLAY_LEN))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "body",
                &Quoted(Escaped::new(&self.body_text(), BODY_DEBUG_LEN)),
            )
            .field("body_len", &self.body.len())
            .field("body_truncated", &self.body_truncated)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// The fields of an OData error body; all optional, because services fill in
/// what they have.
#[derive(Debug, Default)]
struct ODataError {
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
}

impl ODataError {
    /// Recognises `{"error": {...}}` by its shape. Anything else (HTML from a
    /// proxy, an empty body, another JSON shape) yields `None`.
    fn parse(body: &[u8]) -> Option<Self> {
        let document: serde_json::Value = serde_json::from_slice(body).ok()?;
        let error = document.get("error")?.as_object()?;
        let text = |object: &serde_json::Map<String, serde_json::Value>, key: &str| {
            match object.get(key)? {
                serde_json::Value::String(text) => Some(text.clone()),
                // OData v3 / older services: "message": {"lang": "en", "value": "..."}.
                serde_json::Value::Object(inner) => inner.get("value")?.as_str().map(str::to_owned),
                _ => None,
            }
        };
        let inner = error
            .get("innerError")
            .or_else(|| error.get("innererror"))
            .and_then(serde_json::Value::as_object);
        let inner_text = |key: &str| inner.and_then(|inner| text(inner, key));
        Some(ODataError {
            code: text(error, "code"),
            message: text(error, "message"),
            target: text(error, "target"),
            request_id: inner_text("request-id"),
            client_request_id: inner_text("client-request-id"),
            date: inner_text("date"),
        })
    }
}

/// The first `max` bytes of a body as one line of text: cut at a character
/// boundary, invalid UTF-8 replaced, control characters (line breaks, terminal
/// escapes) turned into spaces so a hostile or verbose body cannot break up a
/// log line, and `…` appended when something was cut.
pub(crate) fn body_snippet(body: &[u8], max: usize) -> String {
    let mut end = body.len().min(max);
    if end < body.len() {
        // Do not split a UTF-8 sequence: back off over continuation bytes.
        let start = end.saturating_sub(3);
        while end > start && body.get(end).is_some_and(|byte| byte & 0xC0 == 0x80) {
            end -= 1;
        }
    }
    let head = body.get(..end).unwrap_or(body);
    let mut snippet: String = String::from_utf8_lossy(head)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed_len = snippet.trim_end().len();
    snippet.truncate(trimmed_len);
    let leading = snippet.len() - snippet.trim_start().len();
    snippet.drain(..leading);
    if end < body.len() {
        snippet.push('…');
    }
    snippet
}

/// The `Display` text of [`Error::Transport`]: what kind of failure it was, so
/// that a log line without the source chain still says "timed out" or "could
/// not connect".
fn transport_summary(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "the request timed out"
    } else if error.is_connect() {
        "could not connect to the service"
    } else if error.is_body() || error.is_decode() {
        "could not read the response body"
    } else {
        "the HTTP request failed"
    }
}

/// The `Display` suffix of [`Error::Transport`] for a retried request.
fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// Reads `Retry-After` (RFC 9110, section 10.2.3): delta-seconds, or an
/// HTTP-date in any of the three formats recipients must accept. A date that
/// is not in the future relative to `now` (or a clock that is off) yields
/// `None`, so the caller falls back to its own backoff rather than retrying
/// at once.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        // More digits than fit in a u64 is still "a very long time".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    date.duration_since(now)
        .ok()
        .filter(|delay| !delay.is_zero())
}

/// The `Display` suffix of [`Error::Decode`] naming the JSON path (escaped and
/// shortened: its keys come from the service), omitted for the document root.
struct AtPath<'a>(&'a str);

impl fmt::Display for AtPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() || self.0 == "." {
            Ok(())
        } else {
            write!(f, " at `{}`", Escaped::new(self.0, PATH_DISPLAY_LEN))
        }
    }
}

/// A duration as `Display` shows it: whole seconds when it is a number of
/// seconds (`100 s`), otherwise `Debug` (`1.5s`, `250ms`).
struct DurationText(Duration);

impl fmt::Display for DurationText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.subsec_nanos() == 0 {
            write!(f, "{} s", self.0.as_secs())
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

/// Text from the service as `Display` shows it: at most `max` characters
/// (then `…`), with control characters and Unicode direction overrides
/// written as escapes (`\r`, `\n`, `\t`, `\u{1b}`, `\u{202e}`), so that it
/// can neither break a log line nor send a terminal sequence.
pub(crate) struct Escaped<'a> {
    text: &'a str,
    max: usize,
}

impl<'a> Escaped<'a> {
    pub(crate) fn new(text: &'a str, max: usize) -> Self {
        Escaped { text, max }
    }
}

/// Escaped text in quotes, as `Debug` shows a string.
struct Quoted<'a>(Escaped<'a>);

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

/// Whether `c` must not reach a log line or terminal as it is.
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for (index, c) in self.text.chars().enumerate() {
            if index == self.max {
                return f.write_char('…');
            }
            match c {
                '\r' => f.write_str("\\r")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                c if is_unsafe_char(c) => write!(f, "{}", c.escape_unicode())?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}
