//! Authentication, client configuration and the one request path.
//!
//! Every generated operation fills in a [`Request`] (method, encoded path, query,
//! headers, body) and hands it to [`Transport::send`], then decodes the
//! [`Response`] with [`Response::json`], [`Response::text`] or
//! [`Response::empty`]. Keeping the HTTP work in one non-generic function keeps
//! the generated code thin and its compile time proportional to the API, and
//! means authentication, header handling, retries, tracing and error mapping
//! exist exactly once.
//!
//! What [`Transport::send`] does for every request, the way Microsoft's own
//! Graph SDKs do it:
//!
//! - a fresh `client-request-id` (a UUID v4) unless the caller set one, so a
//!   request can be found in the service's logs;
//! - `ConsistencyLevel: eventual` when the query uses the OData options
//!   `$search` or `$count=true`, which Microsoft Graph only serves with
//!   eventual consistency (recognised by the option names, never by the
//!   resource; a caller's own `ConsistencyLevel` header wins);
//! - retries of throttled or unavailable responses (`429`, `503`, `504`),
//!   honouring `Retry-After`, and of connection failures of idempotent
//!   requests, within a [`RetryPolicy`];
//! - one `tracing` span with the method, path template, final status, attempt
//!   count and elapsed time, and one event per attempt; neither ever holds the
//!   token, a header value or the query string.
//!
//! Tokens come from a [`TokenProvider`], asked once per attempt so that a
//! provider can refresh a token that expired while a retry waited.
//! [`AccessToken`] keeps the secret out of `Debug` output, and the
//! `Authorization` header is marked sensitive so the HTTP stack does not log or
//! index it.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{body_snippet, retry_after};
use crate::{ApiError, BoxError, DecodeError, Error, Query};

/// A boxed, `Send` future, as returned by [`TokenProvider::token`].
///
/// Boxing keeps the trait object-safe without an `async-trait` dependency.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The media type requested when an operation does not say otherwise.
const DEFAULT_ACCEPT: &str = "application/json";

/// How many bytes of an unparsable plain-text body an error message quotes.
const TEXT_SNIPPET_LEN: usize = 100;

/// The header correlating a request with the service's logs (Microsoft Graph
/// echoes it in responses and in `innerError.client-request-id`).
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// The header Microsoft Graph requires for advanced queries (`$search`,
/// `$count`) on directory objects.
const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// The header naming the library that made a request, as Microsoft Graph's SDKs send it.
const SDK_VERSION: HeaderName = HeaderName::from_static("sdkversion");

/// The header numbering retries (`1` for the first retry), as Microsoft's
/// Graph SDK retry handlers send it, so the service can tell a retry from a
/// new request.
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

mod auth;
mod batch;
mod builder;
mod client_credentials;
mod redirect;
mod request;
mod response;
mod retry;
mod security;

pub use auth::{AccessToken, StaticToken, TokenCache, TokenProvider, TokenSource};
pub use batch::{Batch, BatchItem, BatchResults};
pub use builder::ClientBuilder;
use builder::{BaseUrl, Redacted};
pub use client_credentials::{ClientCredentials, TokenError, TokenFailure};
pub use redirect::RedirectPolicy;
pub use request::Request;
pub use response::Response;
use retry::Failure;
pub use retry::RetryPolicy;
use security::Credentials;
pub use security::{Requirements, Scheme};

/// A configured connection to the service: base URL, HTTP client, token
/// provider, default headers and retry policy.
///
/// Cloning is cheap (two reference counts) and clones share the connection
/// pool, so clone it into tasks rather than building a new one. `Debug` shows
/// the base URL and header names, never a token or a header value.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
    /// Headers of this handle only (see [`Transport::with_header`]).
    extra_headers: Arc<HeaderMap>,
}

struct Inner {
    base_url: BaseUrl,
    http: reqwest::Client,
    credentials: Credentials,
    default_headers: HeaderMap,
    retry_policy: RetryPolicy,
    /// The most bytes of a success body read (see [`ClientBuilder::max_response_size`]).
    max_response_size: usize,
    /// The deadline of a whole call (see [`ClientBuilder::total_timeout`]).
    total_timeout: Option<Duration>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.text)
            .field("credentials", &self.inner.credentials)
            .field(
                "default_headers",
                &self.inner.default_headers.keys().collect::<Vec<_>>(),
            )
            .field(
                "extra_headers",
                &self.extra_headers.keys().collect::<Vec<_>>(),
            )
            .field("retry_policy", &self.inner.retry_policy)
            .field("max_response_size", &self.inner.max_response_size)
            .field("total_timeout", &self.inner.total_timeout)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The base URL operation paths are appended to, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url.text
    }

    /// The retry policy requests are sent with.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry_policy
    }

    /// A handle that sends `name: value` with every request, in addition to
    /// what this one sends; it shares the connection pool, token provider and
    /// configuration, and this handle is unchanged.
    ///
    /// This is how to add a header to the calls of one part of a program, such
    /// as Microsoft Graph's `Prefer` options:
    ///
    /// ```ignore
    /// let preferring = Client::from(client.transport().with_header("Prefer", "return=minimal")?);
    /// ```
    ///
    /// The header replaces a [default header](ClientBuilder::default_header)
    /// of the same name; calling this again with the same name adds another
    /// value. `Accept`, `Content-Type` and header parameters set by an
    /// operation, and the `Authorization` header of a token provider, take
    /// precedence. A header given this way also stops the transport from
    /// adding its own `client-request-id` or `ConsistencyLevel`.
    ///
    /// Fails with [`Error::Config`] when the name or the value is not valid in
    /// HTTP (the message never quotes the value).
    pub fn with_header(&self, name: &str, value: &str) -> Result<Transport, Error> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("invalid header name `{name}`")))?;
        let header_value = HeaderValue::from_str(value)
            .map_err(|_| Error::Config(format!("invalid value for header `{name}`")))?;
        let mut extra_headers = HeaderMap::clone(&self.extra_headers);
        extra_headers.append(header_name, header_value);
        Ok(Transport {
            inner: Arc::clone(&self.inner),
            extra_headers: Arc::new(extra_headers),
        })
    }

    /// Sends a request, retrying as the [`RetryPolicy`] allows, and reads the
    /// whole response.
    ///
    /// The URL is the base URL, the request's path and, when not empty, `?` and
    /// its query; or, for [`Request::from_url`], that URL, which must have the
    /// base URL's scheme, host and port. Headers, from lowest to highest
    /// precedence: the builder's default headers; headers of
    /// [`with_header`](Self::with_header); `Accept` and, with a body,
    /// `Content-Type`; the request's own headers; `Authorization: Bearer
    /// <token>` when a token provider is configured. Then, unless one of those
    /// set it: `client-request-id` with a new UUID v4 (the same for all
    /// attempts of the request) and `ConsistencyLevel: eventual` when the query
    /// has `$search` or `$count=true`. Retries carry `Retry-Attempt: <n>`.
    ///
    /// A `2xx` status gives a [`Response`], whose body is read while it
    /// arrives and no further than the
    /// [`max_response_size`](ClientBuilder::max_response_size)
    /// ([`Error::ResponseTooLarge`] beyond it). Any other status gives
    /// [`Error::Api`] with the first [`ApiError::MAX_BODY`] bytes of the body.
    /// Redirects are followed as the [`RedirectPolicy`] says; one it does not
    /// follow is [`Error::Redirect`]. The whole call, retries and their waits
    /// included, ends with [`Error::Timeout`] at the
    /// [`total_timeout`](ClientBuilder::total_timeout); a retry whose wait
    /// would end past it is not made (the last attempt's error is returned at
    /// once).
    ///
    /// The call is traced with one `INFO` span named `request` (fields
    /// `method`; `path`, the [path template](Request::template) or else the
    /// operation name; `operation`; and, when it ends, `status`, `attempts`,
    /// `elapsed_ms` and, for a request that got no response, `error`: one of
    /// `timeout`, `connect`, `transport`, `token`, `invalid_request`). Each
    /// attempt ends with an event: `INFO` "attempt failed; retrying" with
    /// `attempt`, `status` or `error`, and `delay_ms`; otherwise `DEBUG`
    /// "attempt succeeded" or "attempt failed". URLs, query strings and header
    /// values are never recorded: they can hold identifiers, search terms or
    /// secrets.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "request",
            method = %request.method,
            path = request.template.unwrap_or(request.operation),
            operation = request.operation,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let started = Instant::now();
        let operation = request.operation;
        let deadline = self
            .inner
            .total_timeout
            .and_then(|limit| started.checked_add(limit));
        let attempts = std::sync::atomic::AtomicU32::new(0);
        let sending = self
            .send_attempts(request, deadline, &attempts)
            .instrument(span.clone());
        let result = match (self.inner.total_timeout, deadline) {
            (Some(limit), Some(deadline)) => {
                match tokio::time::timeout_at(deadline.into(), sending).await {
                    Ok(result) => result,
                    Err(_) => Err(Error::Timeout {
                        operation,
                        limit,
                        attempts: attempts.load(std::sync::atomic::Ordering::Relaxed),
                    }),
                }
            }
            _ => sending.await,
        };
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("elapsed_ms", elapsed_ms);
        match &result {
            Ok(response) => {
                span.record("status", response.status);
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                } else {
                    span.record("error", error_kind(error));
                }
            }
        }
        let attempts = match &result {
            Ok(response) => Some(response.attempts),
            Err(error) => error.attempts(),
        };
        if let Some(attempts) = attempts {
            span.record("attempts", attempts);
        }
        result
    }

    /// The attempts of [`send`](Self::send), inside its span.
    ///
    /// `deadline` is when the call's total timeout ends, `attempts` counts
    /// the attempts started.
    async fn send_attempts(
        &self,
        mut request: Request,
        deadline: Option<Instant>,
        attempts: &std::sync::atomic::AtomicU32,
    ) -> Result<Response, Error> {
        let inner = &*self.inner;
        let operation = request.operation;
        let policy = inner.retry_policy;
        // A byte buffer behind a reference count: every attempt sends it without a copy.
        let body = request
            .body
            .take()
            .map(|body| (body.content_type, bytes::Bytes::from(body.bytes)));
        let content_type = body.as_ref().map(|(content_type, _)| *content_type);
        let mut request_id = None;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 1;
        // The token is refreshed, and the request sent again, once per call.
        let mut reauthenticated = false;
        loop {
            // Each attempt is prepared afresh (with the first attempt's request id) rather
            // than copied from a kept original: the usual single attempt copies nothing.
            let mut prepared = self.prepare(&request, content_type, &mut request_id)?;
            if let Some((_, bytes)) = &body {
                *prepared.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            }
            attempts.store(attempt, std::sync::atomic::Ordering::Relaxed);
            let (outcome, token) = self
                .attempt(prepared, operation, request.security, attempt)
                .await?;
            let (delay, result) = match outcome {
                Attempt::Success(response) => {
                    tracing::debug!(attempt, status = response.status, "attempt succeeded");
                    return Ok(response);
                }
                Attempt::Status(status, headers, body, truncated) => {
                    let mut error = ApiError::new(operation, status.as_u16(), headers, body)
                        .truncated(truncated);
                    error.attempts = attempt;
                    if let Some(rejected) = token.filter(|_| !reauthenticated)
                        && let Some(challenge) =
                            auth::challenge(status, &error.headers, error.code.as_deref())
                    {
                        tracing::info!(
                            attempt,
                            status = status.as_u16(),
                            "token refused; refreshing it"
                        );
                        reauthenticated = true;
                        let renewed = inner
                            .credentials
                            .refresh(&rejected, challenge.claims.as_deref(), operation)
                            .await?;
                        // The same token again (a fixed one) would be refused again.
                        if renewed {
                            attempt = attempt.saturating_add(1);
                            continue;
                        }
                    }
                    let delay = policy.next_delay(
                        attempt,
                        waited,
                        Failure::Status(status, &error.headers),
                        &request.method,
                    );
                    (delay, Error::from(error))
                }
                Attempt::Final(error) => {
                    tracing::debug!(attempt, error = error_kind(&error), "attempt failed");
                    return Err(error);
                }
                Attempt::Transport(source) => {
                    let delay = policy.next_delay(
                        attempt,
                        waited,
                        Failure::Transport(&source),
                        &request.method,
                    );
                    let error = Error::Transport {
                        operation,
                        attempts: attempt,
                        source,
                    };
                    (delay, error)
                }
            };
            let status = result.status();
            let kind = error_kind(&result);
            // A wait that would end past the call's deadline is not started: the
            // caller gets the last error now rather than a timeout later.
            let delay = delay.filter(|delay| {
                deadline.is_none_or(|deadline| {
                    Instant::now()
                        .checked_add(*delay)
                        .is_some_and(|end| end < deadline)
                })
            });
            match delay {
                Some(delay) => {
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    tracing::info!(
                        attempt,
                        status,
                        error = kind,
                        delay_ms,
                        "attempt failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    waited = waited.saturating_add(delay);
                    attempt = attempt.saturating_add(1);
                }
                None => {
                    tracing::debug!(attempt, status, error = kind, "attempt failed");
                    return Err(result);
                }
            }
        }
    }

    /// The URL a request is sent to: the base URL with the request's path
    /// and query, or the request's absolute URL (which must be on the base
    /// URL's origin) with its query.
    pub(crate) fn url(&self, request: &Request) -> Result<reqwest::Url, Error> {
        let inner = &*self.inner;
        let operation = request.operation;
        let invalid = |message: String| Error::InvalidRequest { operation, message };
        let url = if request.absolute {
            let mut url = reqwest::Url::parse(&request.path)
                .map_err(|error| invalid(format!("the URL is invalid: {error}")))?;
            if url.origin() != inner.base_url.url.origin() {
                // Only the origins are quoted: the rest of a next link may carry
                // opaque state that does not belong in logs.
                return Err(invalid(format!(
                    "the URL points to {}, not to the base URL's {}; the request was not sent, \
                     so the access token was not disclosed",
                    url.origin().ascii_serialization(),
                    inner.base_url.url.origin().ascii_serialization()
                )));
            }
            if !request.query.is_empty() {
                let query = match url.query() {
                    Some(existing) if !existing.is_empty() => {
                        format!("{existing}&{}", request.query.as_str())
                    }
                    _ => request.query.as_str().to_owned(),
                };
                url.set_query(Some(&query));
            }
            url
        } else {
            if let Some(segment) = request
                .path
                .split('/')
                .find(|segment| is_dot_segment(segment))
            {
                return Err(invalid(format!(
                    "the path segment `{segment}` would be removed by URL normalization"
                )));
            }
            // The base URL is parsed once, when the client is built: each request copies it
            // and parses only its own path and query.
            let mut url = inner.base_url.url.clone();
            // A path template may end in a fixed query (`/blobs/{digest}?mode=chunk`, as
            // Azure's `x-ms-paths` describe operations): it goes first in the query.
            let (own_path, fixed_query) = match request.path.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (request.path.as_str(), None),
            };
            let base_path = url.path().trim_end_matches('/');
            let mut path = String::with_capacity(base_path.len() + own_path.len() + 1);
            path.push_str(base_path);
            if !own_path.starts_with('/') {
                path.push('/');
            }
            path.push_str(own_path);
            url.set_path(&path);
            match (fixed_query, request.query.is_empty()) {
                (Some(fixed), true) => url.set_query(Some(fixed)),
                (Some(fixed), false) => {
                    url.set_query(Some(&format!("{fixed}&{}", request.query.as_str())));
                }
                (None, false) => url.set_query(Some(request.query.as_str())),
                (None, true) => {}
            }
            url
        };
        Ok(url)
    }

    /// Checks a request and turns it into what an attempt sends, without its
    /// body: the URL and all headers but `Authorization` and `Retry-Attempt`.
    /// The `client-request-id` generated for the first attempt is kept in
    /// `request_id` for the others.
    fn prepare(
        &self,
        request: &Request,
        content_type: Option<&'static str>,
        request_id: &mut Option<HeaderValue>,
    ) -> Result<reqwest::Request, Error> {
        let inner = &*self.inner;
        let operation = request.operation;
        let invalid = |message: String| Error::InvalidRequest { operation, message };
        let url = self.url(request)?;

        let mut headers = inner.default_headers.clone();
        if !self.extra_headers.is_empty() {
            // `extend` replaces values of the same names and keeps repeated new ones.
            headers.extend(HeaderMap::clone(&self.extra_headers));
        }
        let accept = HeaderValue::from_str(request.accept)
            .map_err(|_| invalid(format!("invalid Accept media type `{}`", request.accept)))?;
        headers.insert(ACCEPT, accept);
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                invalid(format!("invalid Content-Type media type `{content_type}`"))
            })?;
            headers.insert(CONTENT_TYPE, value);
        }
        let mut request_headers = HeaderMap::new();
        for (name, value) in &request.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("invalid header name `{name}`")))?;
            let header_value = HeaderValue::from_str(value).map_err(|_| {
                invalid(format!(
                    "the value of header `{name}` contains characters not allowed in HTTP headers"
                ))
            })?;
            request_headers.append(header_name, header_value);
        }
        if !request_headers.is_empty() {
            headers.extend(request_headers);
        }
        if !headers.contains_key(CLIENT_REQUEST_ID) {
            if request_id.is_none() {
                let mut buffer = uuid::Uuid::encode_buffer();
                let id = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buffer);
                *request_id = HeaderValue::from_str(id).ok();
            }
            if let Some(id) = request_id {
                headers.insert(CLIENT_REQUEST_ID, id.clone());
            }
        }
        if needs_eventual_consistency(&url) && !headers.contains_key(CONSISTENCY_LEVEL) {
            headers.insert(CONSISTENCY_LEVEL, HeaderValue::from_static("eventual"));
        }

        let mut prepared = reqwest::Request::new(request.method.clone(), url);
        *prepared.headers_mut() = headers;
        Ok(prepared)
    }

    /// Sends attempt number `attempt` (1-based) of a prepared request and
    /// reads the response. `Err` is for failures that end the request at once
    /// (no token); the outcomes a retry may follow are in [`Attempt`]. Also
    /// returns the bearer token sent, if any.
    async fn attempt(
        &self,
        request: reqwest::Request,
        operation: &'static str,
        security: Option<Requirements>,
        attempt: u32,
    ) -> Result<(Attempt, Option<AccessToken>), Error> {
        let mut request = request;
        if attempt > 1 {
            request
                .headers_mut()
                .insert(RETRY_ATTEMPT, HeaderValue::from(attempt - 1));
        }
        let (secret_in_url, token) = self
            .inner
            .credentials
            .apply(&mut request, security, operation)
            .await?;
        Ok((
            self.exchange(request, operation, secret_in_url, attempt)
                .await,
            token,
        ))
    }

    /// Sends an authenticated request and reads the response.
    async fn exchange(
        &self,
        request: reqwest::Request,
        operation: &'static str,
        secret_in_url: bool,
        attempt: u32,
    ) -> Attempt {
        let inner = &*self.inner;
        let mut response = match inner.http.execute(request).await {
            Ok(response) => response,
            // An API key in the query must not reach logs through the error's URL.
            Err(error) if secret_in_url => return Attempt::Transport(error.without_url()),
            Err(error) => return Attempt::Transport(error),
        };
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status.is_redirection() {
            if let Some(location) = headers.get(reqwest::header::LOCATION) {
                // A redirect the policy stopped: on the base URL's origin it was one
                // too many, elsewhere it left the origin.
                let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
                let cross_origin = response.url().join(&location).map_or(true, |target| {
                    target.origin() != inner.base_url.url.origin()
                });
                return Attempt::Final(Error::Redirect {
                    operation,
                    status: status.as_u16(),
                    location: Some(location),
                    cross_origin,
                });
            }
        }
        if status.is_success() {
            let limit = inner.max_response_size;
            let body = match read_body(&mut response, limit, true).await {
                Ok((body, false)) => body,
                Ok((_, true)) => {
                    return Attempt::Final(Error::ResponseTooLarge {
                        operation,
                        status: status.as_u16(),
                        limit,
                    });
                }
                Err(error) => return Attempt::Transport(error),
            };
            Attempt::Success(Response {
                operation,
                status: status.as_u16(),
                headers,
                body,
                attempts: attempt,
            })
        } else {
            match read_body(&mut response, ApiError::MAX_BODY, false).await {
                Ok((body, truncated)) => Attempt::Status(status, headers, body, truncated),
                Err(error) => Attempt::Transport(error),
            }
        }
    }
}

/// Reads a response body as it arrives, keeping at most `limit` bytes: the
/// body, and whether there was more (then the rest is not read, and the
/// connection is dropped with the response). With `give_up_early`, a
/// `Content-Length` beyond the limit ends the reading before it starts.
async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    give_up_early: bool,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    /// The most memory reserved up front on the word of `Content-Length`.
    const MAX_RESERVE: usize = 1 << 20;
    let declared = response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit).min(MAX_RESERVE));
    if give_up_early && declared.is_some_and(|length| length > limit) {
        return Ok((body, true));
    }
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// The outcome of one attempt that got as far as the network.
enum Attempt {
    /// A `2xx` response.
    Success(Response),
    /// Another status, with the response headers, the first
    /// [`ApiError::MAX_BODY`] bytes of the body and whether there was more.
    Status(StatusCode, HeaderMap, Vec<u8>, bool),
    /// A response that ends the request without a retry: too large, or a
    /// redirect the policy does not follow.
    Final(Error),
    /// No (complete) response.
    Transport(reqwest::Error),
}

/// A short, secret-free name for why a request got no response, for tracing;
/// `None` for errors that carry a status.
fn error_kind(error: &Error) -> Option<&'static str> {
    match error {
        Error::Transport { source, .. } if source.is_timeout() => Some("timeout"),
        Error::Transport { source, .. } if source.is_connect() => Some("connect"),
        Error::Transport { .. } => Some("transport"),
        Error::Token { .. } => Some("token"),
        Error::InvalidRequest { .. } | Error::Config(_) | Error::Encode { .. } => {
            Some("invalid_request")
        }
        Error::Timeout { .. } => Some("timeout"),
        Error::ResponseTooLarge { .. } => Some("too_large"),
        Error::Redirect { .. } => Some("redirect"),
        Error::Paging { .. } => Some("paging"),
        Error::Api(_) | Error::Decode { .. } => None,
    }
}

/// Whether a query uses the OData options that Microsoft Graph serves only
/// with `ConsistencyLevel: eventual`: `$search` (any value) or `$count=true`.
/// Option names are compared without regard to case, as OData 4.01 allows.
fn needs_eventual_consistency(url: &reqwest::Url) -> bool {
    url.query_pairs().any(|(name, value)| {
        name.eq_ignore_ascii_case("$search")
            || (name.eq_ignore_ascii_case("$count") && value.trim().eq_ignore_ascii_case("true"))
    })
}

/// Whether a path segment is one that URL parsers remove or resolve (`.`,
/// `..`, also percent-encoded, in any case).
fn is_dot_segment(segment: &str) -> bool {
    if segment.len() > 6 {
        return false;
    }
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

/// A request body with its media type.
#[derive(Clone)]
struct Body {
    bytes: Vec<u8>,
    content_type: &'static str,
}
