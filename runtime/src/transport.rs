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

/// The header numbering retries (`1` for the first retry), as Microsoft's
/// Graph SDK retry handlers send it, so the service can tell a retry from a
/// new request.
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

/// Supplies bearer tokens for requests.
///
/// The transport asks for a token before every request, so an implementation
/// that caches a token should check its expiry and refresh it when needed; the
/// call happens on the request's task, so it may await network I/O. An error
/// aborts the request with [`Error::Token`].
///
/// The trait is object-safe; the future is boxed. An implementation looks like:
///
/// ```ignore
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
///         Box::pin(async {
///             let token = std::env::var("GRAPH_TOKEN")?;
///             Ok(AccessToken::new(token))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns a token that is valid for at least the duration of one request.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>>;
}

/// A provider shared with other parts of an application.
impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        (**self).token()
    }
}

/// A bearer token.
///
/// The secret is only reachable through [`AccessToken::expose_secret`]: `Debug`
/// prints `AccessToken(<redacted>)` and there is deliberately no `Display`, so
/// the token cannot end up in a log line by accident.
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself, for the one place that needs to send it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// A [`TokenProvider`] that always returns the same token, for tokens obtained
/// elsewhere and scripts that run for less than the token's lifetime.
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider returning `token` (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl From<AccessToken> for StaticToken {
    fn from(token: AccessToken) -> Self {
        StaticToken(token)
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// When and how long [`Transport::send`] retries a request that failed in a
/// way that may go away by itself.
///
/// What is retried:
///
/// - responses `429 Too Many Requests`, `503 Service Unavailable` and
///   `504 Gateway Timeout`, for every method: Microsoft Graph answers with
///   them when it throttles or is briefly unavailable, and Microsoft's Graph
///   SDKs retry them the same way;
/// - connection failures (the connection could not be opened, or it closed
///   before a response arrived) of idempotent requests only: `GET`, `HEAD`,
///   `PUT`, `DELETE`, `OPTIONS` and `TRACE`. A `POST` or `PATCH` whose
///   connection broke may have been carried out, so it is never sent twice.
///
/// A request whose [total timeout](ClientBuilder::timeout) elapsed is not
/// retried: the service may still be working on it.
///
/// How long to wait: the `Retry-After` of the response when it has one
/// (delta-seconds, or an HTTP-date that is still in the future), otherwise
/// exponential backoff with jitter:
/// before retry `n` (1-based) a random wait between half of and the full
/// `base_delay × 2^(n-1)`. The waits of one request add up to at most
/// `max_total_delay`; when the next wait would go beyond it (for example a
/// `Retry-After` longer than what is left), the last error is returned at
/// once instead, with the number of attempts made.
///
/// The defaults are those of Microsoft's Graph SDK retry handler
/// (`RetryHandlerOption` in Kiota): a 3 s base delay and 3 retries, i.e. 4
/// attempts; its 180 s ceiling is the default and the maximum of the total
/// delay here. At most [`RetryPolicy::MAX_ATTEMPTS`] attempts can be
/// configured.
///
/// ```ignore
/// let client = Client::builder()
///     .bearer_token(token)
///     .retry_policy(RetryPolicy::default().with_max_attempts(6))
///     .build()?;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_delay: Duration,
    base_delay: Duration,
}

impl RetryPolicy {
    /// The most attempts (first try included) a policy can allow.
    pub const MAX_ATTEMPTS: u32 = 10;

    /// The longest total wait between the attempts of one request a policy
    /// can allow: the 180 s ceiling of Microsoft's Graph SDK retry handler.
    pub const MAX_TOTAL_DELAY: Duration = Duration::from_secs(180);

    /// The default number of attempts: the first try and the Graph SDK's
    /// default of 3 retries.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;

    /// The default base of the exponential backoff: the Graph SDK's default
    /// delay of 3 s.
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_secs(3);

    /// A policy that sends every request once and never waits.
    pub const fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            max_total_delay: Duration::ZERO,
            base_delay: Duration::ZERO,
        }
    }

    /// Allows `attempts` attempts in all (the first try included), clamped to
    /// `1..=`[`MAX_ATTEMPTS`](Self::MAX_ATTEMPTS); 1 disables retries.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.clamp(1, Self::MAX_ATTEMPTS);
        self
    }

    /// Limits the sum of the waits between the attempts of one request,
    /// clamped to [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY). The time spent
    /// in the attempts themselves is bounded by the
    /// [timeout](ClientBuilder::timeout), which applies per attempt.
    pub fn with_max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay.min(Self::MAX_TOTAL_DELAY);
        self
    }

    /// Sets the base of the exponential backoff used when a response has no
    /// `Retry-After`: the wait before the first retry is between half of it
    /// and all of it, and it doubles for each further retry. Clamped to
    /// [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY).
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay.min(Self::MAX_TOTAL_DELAY);
        self
    }

    /// The number of attempts allowed, the first try included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest total wait between the attempts of one request.
    pub fn max_total_delay(&self) -> Duration {
        self.max_total_delay
    }

    /// The base of the exponential backoff.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The wait before the retry that follows failed attempt `attempt`
    /// (1-based), without `Retry-After`: `base × 2^(attempt-1)`, of which the
    /// upper half is random (`random` is uniform over `u32`), so that clients
    /// throttled together do not come back together.
    fn backoff(&self, attempt: u32, random: u32) -> Duration {
        let factor = 1_u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self
            .base_delay
            .saturating_mul(factor)
            .min(Self::MAX_TOTAL_DELAY);
        // At most 180 s, so the nanoseconds fit in a u64 and the product in a u128.
        let full_nanos = u64::try_from(full.as_nanos()).unwrap_or(u64::MAX);
        let half = full_nanos / 2;
        let jitter = (u128::from(full_nanos - half) * u128::from(random)) >> 32;
        Duration::from_nanos(half.saturating_add(u64::try_from(jitter).unwrap_or(0)))
    }

    /// Decides whether failed attempt `attempt` (1-based) is retried, and
    /// after which wait, given the waits of this request so far.
    fn next_delay(
        &self,
        attempt: u32,
        waited: Duration,
        failure: Failure<'_>,
        method: &Method,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match failure {
            Failure::Status(status, headers) => {
                if !is_retryable_status(status) {
                    return None;
                }
                retry_after(headers, SystemTime::now())
                    .unwrap_or_else(|| self.backoff(attempt, random_u32()))
            }
            Failure::Transport(error) => {
                if !is_idempotent(method) || !is_connection_failure(error) {
                    return None;
                }
                self.backoff(attempt, random_u32())
            }
        };
        (waited.saturating_add(delay) <= self.max_total_delay).then_some(delay)
    }
}

impl Default for RetryPolicy {
    /// [`DEFAULT_MAX_ATTEMPTS`](Self::DEFAULT_MAX_ATTEMPTS) attempts,
    /// [`DEFAULT_BASE_DELAY`](Self::DEFAULT_BASE_DELAY) and at most
    /// [`MAX_TOTAL_DELAY`](Self::MAX_TOTAL_DELAY) of waiting in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            max_total_delay: Self::MAX_TOTAL_DELAY,
            base_delay: Self::DEFAULT_BASE_DELAY,
        }
    }
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy)]
enum Failure<'a> {
    /// The service answered with a non-success status.
    Status(StatusCode, &'a HeaderMap),
    /// No (complete) response arrived.
    Transport(&'a reqwest::Error),
}

/// The statuses Microsoft Graph uses for throttling (`429`) and transient
/// unavailability (`503`, `504`), and that its SDKs retry.
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// The methods RFC 9110 (section 9.2.2) defines as idempotent: sending them
/// twice has the effect of sending them once.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether the connection failed, as opposed to the total timeout elapsing
/// or the request being refused by the HTTP client: the connection could not
/// be opened (a connect timeout included), or it closed or reset before the
/// whole response was read.
fn is_connection_failure(error: &reqwest::Error) -> bool {
    if error.is_timeout() {
        // The connect timeout is a connect error; the total timeout is not,
        // and may have fired while the service was working on the request.
        return error.is_connect();
    }
    error.is_connect() || error.is_request() || error.is_body()
}

/// 32 random bits for backoff jitter, from the operating system's generator
/// through the `uuid` crate that the client already uses for request ids (the
/// low 32 bits of a version 4 UUID are all random).
fn random_u32() -> u32 {
    // Truncation keeps exactly the low 32 bits.
    uuid::Uuid::new_v4().as_u128() as u32
}
/// Configures and builds a client.
///
/// `C` is what [`ClientBuilder::build`] returns: the generated `Client` (which
/// implements `From<Transport>`), or a bare [`Transport`]. Inputs are checked in
/// `build`, so the setters can be chained without intermediate `?`.
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C = Transport> {
    base_url: String,
    token_provider: Option<Arc<dyn TokenProvider>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
    retry_policy: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// A builder for a client of the service at `default_base_url` (the
    /// description's server URL), with no authentication, no timeouts, the
    /// default [`RetryPolicy`] and the user agent `generator-runtime/<version>`
    /// (generated clients set their own crate's name and version instead).
    pub fn new(default_base_url: &str) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_owned(),
            token_provider: None,
            timeout: None,
            connect_timeout: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            default_headers: Vec::new(),
            http_client: None,
            retry_policy: RetryPolicy::default(),
            client: PhantomData,
        }
    }

    /// Sends requests to `base_url` instead of the default, for a national cloud,
    /// a proxy or a test server. Operation paths are appended to it; a trailing
    /// `/` is ignored. It must be an `http` or `https` URL without query,
    /// fragment or credentials.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticates every request with this bearer token (without the `Bearer `
    /// prefix). Shorthand for `token_provider(StaticToken::new(token))`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Authenticates every request with a token from `provider`, asked once per
    /// request. Replaces any token set before.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// Fails an attempt with a timeout error ([`Error::is_timeout`]) when it
    /// has not completed, response body included, within `timeout`. No
    /// timeout by default.
    ///
    /// The timeout applies to each attempt separately, and a timed-out
    /// attempt is not retried (the service may still be carrying it out). A
    /// call that is retried after throttling can therefore take up to
    /// `max_attempts × timeout` plus the waits of the [`RetryPolicy`]; wrap
    /// the call in your runtime's timeout (`tokio::time::timeout`) for a
    /// deadline on the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails an attempt when no connection could be established within
    /// `timeout`. No connect timeout by default. Nothing has been sent when it
    /// fires, so idempotent requests are retried after it.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header. Defaults to `generator-runtime/<version>`;
    /// generated clients' `builder` sets the generated crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends this header with every request. A header of the same name set by
    /// an operation (a header parameter, `Accept`, `Content-Type`) or the
    /// `Authorization` header from a token provider takes precedence; calling
    /// this again with the same name adds another value.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Retries throttled, unavailable and unreachable requests as `policy`
    /// says; [`RetryPolicy::default`] unless set, [`RetryPolicy::none`] to
    /// send every request once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Uses this HTTP client instead of building one, for proxies, custom TLS
    /// roots or connection pool tuning.
    ///
    /// The client is used as it is: [`timeout`](Self::timeout),
    /// [`connect_timeout`](Self::connect_timeout) and
    /// [`user_agent`](Self::user_agent) given to this builder are **not**
    /// applied (configure them on the `reqwest::Client` instead). The base URL,
    /// the token provider, default headers and the retry policy still are.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL, a default header or the
    /// user agent is invalid, or the HTTP client cannot be built.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Transport>,
    {
        let base_url = validate_base_url(&self.base_url)?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid default header name `{name}`")))?;
            // The value is not quoted: default headers often carry keys.
            let header_value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for default header `{name}`")))?;
            default_headers.append(header_name, header_value);
        }
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
                    Error::Config(format!("invalid user agent `{}`", self.user_agent))
                })?;
                let mut builder = reqwest::Client::builder()
                    .default_headers(HeaderMap::from_iter([(USER_AGENT, user_agent)]));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|error| {
                    Error::Config(format!("could not build the HTTP client: {error}"))
                })?
            }
        };
        let transport = Transport {
            inner: Arc::new(Inner {
                base_url,
                http,
                token_provider: self.token_provider,
                default_headers,
                retry_policy: self.retry_policy,
            }),
            extra_headers: Arc::new(HeaderMap::new()),
        };
        Ok(C::from(transport))
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            token_provider: self.token_provider.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent.clone(),
            default_headers: self.default_headers.clone(),
            http_client: self.http_client.clone(),
            retry_policy: self.retry_policy,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    /// Shows the configuration without secrets: whether a token provider is set
    /// (not the token) and the names of default headers (not their values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "token_provider",
                &self.token_provider.as_ref().map(|_| Redacted),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

/// Checks a base URL and returns it parsed, without trailing `/`.
fn validate_base_url(base_url: &str) -> Result<BaseUrl, Error> {
    let invalid = |reason: &str| Error::Config(format!("invalid base URL `{base_url}`: {reason}"));
    let url = reqwest::Url::parse(base_url).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Refused rather than redacted: a URL is printed in Debug and errors.
        return Err(Error::Config(
            "invalid base URL: it must not contain credentials; use a token provider or a default header"
                .to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(BaseUrl {
        text: url.as_str().trim_end_matches('/').to_owned(),
        url,
    })
}

/// A checked base URL.
struct BaseUrl {
    /// What operation paths are appended to, without trailing `/`.
    text: String,
    /// The parsed form, whose origin absolute request URLs must share.
    url: reqwest::Url,
}

/// Placeholder printed instead of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

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
    token_provider: Option<Arc<dyn TokenProvider>>,
    default_headers: HeaderMap,
    retry_policy: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.text)
            .field(
                "token_provider",
                &self.inner.token_provider.as_ref().map(|_| Redacted),
            )
            .field(
                "default_headers",
                &self.inner.default_headers.keys().collect::<Vec<_>>(),
            )
            .field(
                "extra_headers",
                &self.extra_headers.keys().collect::<Vec<_>>(),
            )
            .field("retry_policy", &self.inner.retry_policy)
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
    /// A `2xx` status gives a [`Response`]; any other status gives
    /// [`Error::Api`] with the body kept whole. Redirects are followed by the
    /// HTTP client, which drops `Authorization` when a redirect leaves the host.
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
        let result = self.send_attempts(request).instrument(span.clone()).await;
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
    async fn send_attempts(&self, mut request: Request) -> Result<Response, Error> {
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
        loop {
            // Each attempt is prepared afresh (with the first attempt's request id) rather
            // than copied from a kept original: the usual single attempt copies nothing.
            let mut prepared = self.prepare(&request, content_type, &mut request_id)?;
            if let Some((_, bytes)) = &body {
                *prepared.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            }
            let outcome = self.attempt(prepared, operation, attempt).await?;
            let (delay, result) = match outcome {
                Attempt::Success(response) => {
                    tracing::debug!(attempt, status = response.status, "attempt succeeded");
                    return Ok(response);
                }
                Attempt::Status(status, headers, body) => {
                    let delay = policy.next_delay(
                        attempt,
                        waited,
                        Failure::Status(status, &headers),
                        &request.method,
                    );
                    let mut error = ApiError::new(operation, status.as_u16(), headers, body);
                    error.attempts = attempt;
                    (delay, Error::from(error))
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
            let base_path = url.path().trim_end_matches('/');
            let mut path = String::with_capacity(base_path.len() + request.path.len() + 1);
            path.push_str(base_path);
            if !request.path.starts_with('/') {
                path.push('/');
            }
            path.push_str(&request.path);
            url.set_path(&path);
            if !request.query.is_empty() {
                url.set_query(Some(request.query.as_str()));
            }
            url
        };

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
    /// (no token); the outcomes a retry may follow are in [`Attempt`].
    async fn attempt(
        &self,
        mut request: reqwest::Request,
        operation: &'static str,
        attempt: u32,
    ) -> Result<Attempt, Error> {
        let inner = &*self.inner;
        if attempt > 1 {
            request
                .headers_mut()
                .insert(RETRY_ATTEMPT, HeaderValue::from(attempt - 1));
        }
        if let Some(provider) = &inner.token_provider {
            let token = provider
                .token()
                .await
                .map_err(|source| Error::Token { operation, source })?;
            let mut authorization = HeaderValue::try_from(format!(
                "Bearer {}",
                token.expose_secret()
            ))
            .map_err(|_| Error::Token {
                operation,
                source: "the access token contains characters not allowed in HTTP headers".into(),
            })?;
            authorization.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, authorization);
        }

        let mut response = match inner.http.execute(request).await {
            Ok(response) => response,
            Err(error) => return Ok(Attempt::Transport(error)),
        };
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = match response.bytes().await {
            Ok(body) => body.to_vec(),
            Err(error) => return Ok(Attempt::Transport(error)),
        };
        if status.is_success() {
            Ok(Attempt::Success(Response {
                operation,
                status: status.as_u16(),
                headers,
                body,
                attempts: attempt,
            }))
        } else {
            Ok(Attempt::Status(status, headers, body))
        }
    }
}

/// The outcome of one attempt that got as far as the network.
enum Attempt {
    /// A `2xx` response.
    Success(Response),
    /// Another status, with the response headers and body.
    Status(StatusCode, HeaderMap, Vec<u8>),
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

/// One HTTP request of an operation, filled in by generated code and sent with
/// [`Transport::send`].
///
/// Cloning copies the body; the transport itself re-sends a request without
/// cloning it.
#[derive(Clone)]
pub struct Request {
    method: Method,
    operation: &'static str,
    /// The path template of the operation, for tracing.
    template: Option<&'static str>,
    /// An encoded path relative to the base URL, or (`absolute`) a whole URL.
    path: String,
    absolute: bool,
    query: Query,
    headers: Vec<(&'static str, String)>,
    accept: &'static str,
    body: Option<Body>,
}

impl Request {
    /// A request without query, headers or body that accepts
    /// `application/json`.
    ///
    /// `operation` names the operation in errors (the spec's `operationId`).
    /// `path` is already encoded (see
    /// [`path_segment`](crate::path_segment)), starts with `/` and is
    /// appended to the base URL.
    pub fn new(method: Method, operation: &'static str, path: String) -> Self {
        Request {
            method,
            operation,
            template: None,
            path,
            absolute: false,
            query: Query::default(),
            headers: Vec::new(),
            accept: DEFAULT_ACCEPT,
            body: None,
        }
    }

    /// A request to an absolute URL, such as an OData `@odata.nextLink`, that
    /// accepts `application/json`.
    ///
    /// The URL is sent as the service wrote it (already encoded); parameters
    /// pushed with [`query_mut`](Self::query_mut) are appended to its query.
    /// Because the bearer token goes with the request, [`Transport::send`]
    /// refuses, with [`Error::InvalidRequest`] and before asking for a token,
    /// a URL whose scheme, host or port differ from the base URL's; it also
    /// refuses a URL that does not parse.
    pub fn from_url(method: Method, operation: &'static str, url: String) -> Self {
        Request {
            absolute: true,
            ..Request::new(method, operation, url)
        }
    }

    /// Records the operation's path template, such as
    /// `/deviceManagement/ndesConnectors/{ndesConnector-id}`, as the `path` of
    /// the request's tracing span. Unlike the actual path, a template holds no
    /// identifiers, so traces of the same operation group together and carry
    /// no data; without one the span shows the operation name.
    pub fn template(&mut self, template: &'static str) {
        self.template = Some(template);
    }

    /// The request for the next page of a collection: a `GET` of `url` by the
    /// same operation, with the same template, header parameters and `Accept`
    /// but no query parameters or body, as OData prescribes for next links.
    pub(crate) fn next_page(&self, url: String) -> Request {
        Request {
            method: Method::GET,
            operation: self.operation,
            template: self.template,
            path: url,
            absolute: true,
            query: Query::default(),
            headers: self.headers.clone(),
            accept: self.accept,
            body: None,
        }
    }

    /// The URL of a request made with [`Request::from_url`].
    pub(crate) fn absolute_url(&self) -> Option<&str> {
        self.absolute.then_some(self.path.as_str())
    }

    /// The last value of the OData system query option `name` (such as
    /// `$top`), compared without regard to case, in the query parameters and,
    /// for [`Request::from_url`], in the URL's query; percent-decoded.
    pub(crate) fn query_option(&self, name: &str) -> Option<String> {
        let in_url = if self.absolute {
            self.path
                .split_once('?')
                .map(|(_, query)| query.split('#').next().unwrap_or(query))
        } else {
            None
        };
        in_url
            .into_iter()
            .chain([self.query.as_str()])
            .flat_map(|query| query.split('&'))
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
                key.eq_ignore_ascii_case(name).then(|| {
                    percent_encoding::percent_decode_str(value)
                        .decode_utf8_lossy()
                        .into_owned()
                })
            })
            .next_back()
    }

    /// The query string, to push parameters onto.
    pub fn query_mut(&mut self) -> &mut Query {
        &mut self.query
    }

    /// Adds a header (a header parameter of the operation). The value is checked
    /// when the request is sent; a value that is not a valid header value fails
    /// with [`Error::InvalidRequest`]. Adding the same name twice sends both
    /// values.
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Adds a cookie (an OpenAPI `in: cookie` parameter). All cookies go in one `Cookie`
    /// header, as RFC 6265 requires; the value is percent-encoded so that it can neither
    /// end the cookie nor add another (`;`, `,`, `=`, spaces, quotes and controls).
    pub fn cookie(&mut self, name: &str, value: &str) {
        const COOKIE_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b',')
            .add(b';')
            .add(b'=')
            .add(b'\\')
            .add(b'%');
        let pair = format!(
            "{}={}",
            percent_encoding::utf8_percent_encode(name, COOKIE_VALUE),
            percent_encoding::utf8_percent_encode(value, COOKIE_VALUE)
        );
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        {
            Some((_, existing)) => {
                existing.push_str("; ");
                existing.push_str(&pair);
            }
            None => self.headers.push(("Cookie", pair)),
        }
    }

    /// Serializes `body` as the JSON request body and sets `Content-Type:
    /// application/json`.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Encode {
            operation: self.operation,
            source,
        })?;
        self.body(bytes, "application/json");
        Ok(())
    }

    /// Sets a request body that is already encoded, with its media type (for
    /// example `application/octet-stream` uploads).
    pub fn body(&mut self, bytes: Vec<u8>, content_type: &'static str) {
        self.body = Some(Body {
            bytes,
            content_type,
        });
    }

    /// Sets the `Accept` media type; `application/json` by default.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The operation name used in errors.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The encoded path, or the whole URL of a request made with
    /// [`Request::from_url`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path template recorded with [`Request::template`].
    pub fn path_template(&self) -> Option<&'static str> {
        self.template
    }

    /// The query string.
    pub fn query(&self) -> &Query {
        &self.query
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("query", &self.query.as_str())
            .field("headers", &self.headers)
            .field("accept", &self.accept)
            .field(
                "body",
                &self
                    .body
                    .as_ref()
                    .map(|body| (body.content_type, body.bytes.len())),
            )
            .finish()
    }
}

/// A successful (`2xx`) response with its whole body, to be decoded by the
/// operation.
pub struct Response {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    attempts: u32,
}

impl fmt::Debug for Response {
    /// Shows the body as (lossy) text rather than a list of byte values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl Response {
    /// The HTTP status code (within `200..=299`).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many times the request was sent before this response arrived (1
    /// unless the transport retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, borrowed.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, for operations whose response is not JSON.
    pub fn bytes(self) -> Vec<u8> {
        self.body
    }

    /// Decodes a JSON body.
    ///
    /// A body that does not match `T` fails with [`Error::Decode`], which names
    /// the operation and the JSON path of the offending value (such as
    /// `value[1].state`). Trailing data after the JSON value is an error too.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        // Tracking the path costs on every value, and only a failure needs it: decode once
        // plainly, and again with the path only when that fails.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value: T =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
                operation: self.operation,
                status: self.status,
                path: error.path().to_string(),
                source: DecodeError::Json(error.into_inner()),
            })?;
        deserializer.end().map_err(|source| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: ".".to_owned(),
            source: DecodeError::Json(source),
        })?;
        Ok(value)
    }

    /// Parses a plain-text body, such as an OData `$count` answered as
    /// `text/plain`: as sent, or else without surrounding whitespace (a number
    /// followed by a newline parses; a string keeps its spaces). A body that is not UTF-8
    /// or does not parse fails with [`Error::Decode`].
    pub fn text<T>(self) -> Result<T, Error>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let decode_error = |message: String| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: ".".to_owned(),
            source: DecodeError::Text(message),
        };
        let text = std::str::from_utf8(&self.body)
            .map_err(|error| decode_error(format!("the body is not UTF-8: {error}")))?;
        // The text as sent (a string keeps its spaces); a number or boolean may come with a
        // trailing newline, so parsing is tried again without surrounding whitespace.
        if let Ok(value) = text.parse() {
            return Ok(value);
        }
        let text = text.trim();
        text.parse().map_err(|error: T::Err| {
            decode_error(format!(
                "could not parse `{}` as {}: {error}",
                body_snippet(text.as_bytes(), TEXT_SNIPPET_LEN),
                std::any::type_name::<T>()
            ))
        })
    }

    /// Accepts and ignores the body, for operations that declare none (such as
    /// `204 No Content`).
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}
