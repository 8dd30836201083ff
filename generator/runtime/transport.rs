//! Authentication, client configuration and the one request path.
//!
//! Every generated operation fills in a [`Request`] (method, encoded path, query,
//! headers, body) and hands it to [`Transport::send`], then decodes the
//! [`Response`] with [`Response::json`], [`Response::text`] or
//! [`Response::empty`]. Keeping the HTTP work in one non-generic function keeps
//! the generated code thin and its compile time proportional to the API, and
//! means authentication, header handling and error mapping exist exactly once.
//!
//! Tokens come from a [`TokenProvider`], asked once per request so that a
//! provider can refresh a token that is about to expire. [`AccessToken`] keeps
//! the secret out of `Debug` output, and the `Authorization` header is marked
//! sensitive so the HTTP stack does not log or index it.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::runtime::error::body_snippet;
use crate::runtime::{ApiError, BoxError, DecodeError, Error, Query};

/// A boxed, `Send` future, as returned by [`TokenProvider::token`].
///
/// Boxing keeps the trait object-safe without an `async-trait` dependency.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The media type requested when an operation does not say otherwise.
const DEFAULT_ACCEPT: &str = "application/json";

/// How many bytes of an unparsable plain-text body an error message quotes.
const TEXT_SNIPPET_LEN: usize = 100;

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
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// A builder for a client of the service at `default_base_url` (the
    /// description's server URL), with no authentication, no timeouts and the
    /// user agent `<crate name>/<crate version>`.
    pub fn new(default_base_url: &str) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_owned(),
            token_provider: None,
            timeout: None,
            connect_timeout: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            default_headers: Vec::new(),
            http_client: None,
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

    /// Fails a request with a timeout error ([`Error::is_timeout`]) when it has
    /// not completed, response body included, within `timeout`. No timeout by
    /// default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails a request when no connection could be established within
    /// `timeout`. No connect timeout by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header. Defaults to `<crate name>/<crate version>`.
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

    /// Uses this HTTP client instead of building one, for proxies, custom TLS
    /// roots or connection pool tuning.
    ///
    /// The client is used as it is: [`timeout`](Self::timeout),
    /// [`connect_timeout`](Self::connect_timeout) and
    /// [`user_agent`](Self::user_agent) given to this builder are **not**
    /// applied (configure them on the `reqwest::Client` instead). The base URL,
    /// the token provider and default headers still are.
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
            }),
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
            .finish()
    }
}

/// Checks a base URL and returns it without trailing `/`.
fn validate_base_url(base_url: &str) -> Result<String, Error> {
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
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Placeholder printed instead of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A configured connection to the service: base URL, HTTP client, token
/// provider and default headers.
///
/// Cloning is cheap (one reference count) and clones share the connection
/// pool, so clone it into tasks rather than building a new one. `Debug` shows
/// the base URL, never a token.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    http: reqwest::Client,
    token_provider: Option<Arc<dyn TokenProvider>>,
    default_headers: HeaderMap,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field(
                "token_provider",
                &self.inner.token_provider.as_ref().map(|_| Redacted),
            )
            .field(
                "default_headers",
                &self.inner.default_headers.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// The base URL operation paths are appended to, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response.
    ///
    /// The URL is the base URL, the request's path and, when not empty, `?` and
    /// its query. Headers, from lowest to highest precedence: the builder's
    /// default headers; `Accept` and, with a body, `Content-Type`; the request's
    /// own headers; `Authorization: Bearer <token>` when a token provider is
    /// configured.
    ///
    /// A `2xx` status gives a [`Response`]; any other status gives
    /// [`Error::Api`] with the body kept whole. Redirects are followed by the
    /// HTTP client, which drops `Authorization` when a redirect leaves the host.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let inner = &*self.inner;
        let operation = request.operation;
        let invalid = |message: String| Error::InvalidRequest { operation, message };

        if let Some(segment) = request
            .path
            .split('/')
            .find(|segment| is_dot_segment(segment))
        {
            return Err(invalid(format!(
                "the path segment `{segment}` would be removed by URL normalization"
            )));
        }
        let mut url = String::with_capacity(
            inner.base_url.len() + request.path.len() + request.query.as_str().len() + 2,
        );
        url.push_str(&inner.base_url);
        if !request.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(request.query.as_str());
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|error| invalid(format!("the URL `{url}` is invalid: {error}")))?;

        let mut headers = inner.default_headers.clone();
        let accept = HeaderValue::from_str(request.accept)
            .map_err(|_| invalid(format!("invalid Accept media type `{}`", request.accept)))?;
        headers.insert(ACCEPT, accept);
        if let Some(body) = &request.body {
            let content_type = HeaderValue::from_str(body.content_type).map_err(|_| {
                invalid(format!(
                    "invalid Content-Type media type `{}`",
                    body.content_type
                ))
            })?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        let mut request_headers = HeaderMap::with_capacity(request.headers.len());
        for (name, value) in request.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("invalid header name `{name}`")))?;
            let header_value = HeaderValue::from_str(&value).map_err(|_| {
                invalid(format!(
                    "the value of header `{name}` contains characters not allowed in HTTP headers"
                ))
            })?;
            request_headers.append(header_name, header_value);
        }
        // Replaces default values of the same names, keeps repeated request values.
        headers.extend(request_headers);
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
            headers.insert(AUTHORIZATION, authorization);
        }

        let mut builder = inner.http.request(request.method, url).headers(headers);
        if let Some(body) = request.body {
            builder = builder.body(body.bytes);
        }
        let transport_error = |source| Error::Transport { operation, source };
        let mut response = builder.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(transport_error)?.to_vec();
        if status.is_success() {
            Ok(Response {
                operation,
                status: status.as_u16(),
                headers,
                body,
            })
        } else {
            Err(Error::from(ApiError::new(
                operation,
                status.as_u16(),
                headers,
                body,
            )))
        }
    }
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
struct Body {
    bytes: Vec<u8>,
    content_type: &'static str,
}

/// One HTTP request of an operation, filled in by generated code and sent with
/// [`Transport::send`].
pub struct Request {
    method: Method,
    operation: &'static str,
    path: String,
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
    /// [`path_segment`](crate::runtime::path_segment)), starts with `/` and is
    /// appended to the base URL.
    pub fn new(method: Method, operation: &'static str, path: String) -> Self {
        Request {
            method,
            operation,
            path,
            query: Query::default(),
            headers: Vec::new(),
            accept: DEFAULT_ACCEPT,
            body: None,
        }
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

    /// The encoded path.
    pub fn path(&self) -> &str {
        &self.path
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
}

impl fmt::Debug for Response {
    /// Shows the body as (lossy) text rather than a list of byte values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl Response {
    /// The HTTP status code (within `200..=299`).
    pub fn status(&self) -> u16 {
        self.status
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
    /// `text/plain`. Surrounding whitespace is ignored. A body that is not UTF-8
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
