//! The builder of a client: its settings, checked when it is built.

use super::*;

/// Configures and builds a client.
///
/// `C` is what [`ClientBuilder::build`] returns: the generated `Client` (which
/// implements `From<Transport>`), or a bare [`Transport`]. Inputs are checked in
/// `build`, so the setters can be chained without intermediate `?`.
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C = Transport> {
    pub(super) base_url: String,
    pub(super) credentials: Credentials,
    pub(super) timeout: Option<Duration>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) user_agent: String,
    pub(super) sdk_version: bool,
    pub(super) default_headers: Vec<(String, String)>,
    pub(super) http_client: Option<reqwest::Client>,
    pub(super) retry_policy: RetryPolicy,
    pub(super) redirect_policy: RedirectPolicy,
    pub(super) max_response_size: usize,
    pub(super) total_timeout: Option<Duration>,
    pub(super) client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// The default [`max_response_size`](Self::max_response_size): 64 MiB.
    ///
    /// Microsoft Graph's largest JSON pages hold 999 items (`$top`'s
    /// maximum); at a few KiB per directory object with every property
    /// selected that is about 10 MB, so the default leaves six times that
    /// room while bounding what a misbehaving server can make the client
    /// hold. Raise it for large file downloads.
    pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

    /// The default [`total_timeout`](Self::total_timeout) of a call: 100 s,
    /// the default timeout of Microsoft's Graph SDKs.
    pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(100);

    /// A builder for a client of the service at `default_base_url` (the
    /// description's server URL), with no authentication, no per-attempt
    /// timeouts, a [total timeout](Self::total_timeout) of 100 s per call,
    /// responses of at most [64 MiB](Self::DEFAULT_MAX_RESPONSE_SIZE), the
    /// default [`RetryPolicy`] and [`RedirectPolicy`], and the user agent
    /// `clientsmith-runtime/<version>` (generated clients set their own crate's
    /// name and version instead).
    pub fn new(default_base_url: &str) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_owned(),
            credentials: Credentials::default(),
            timeout: None,
            connect_timeout: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            sdk_version: true,
            default_headers: Vec::new(),
            http_client: None,
            retry_policy: RetryPolicy::default(),
            redirect_policy: RedirectPolicy::default(),
            max_response_size: Self::DEFAULT_MAX_RESPONSE_SIZE,
            total_timeout: Some(Self::DEFAULT_TOTAL_TIMEOUT),
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
        self.credentials.bearer = Some(Arc::new(provider));
        self
    }

    /// Authenticates every request with tokens from `source`, kept in a [`TokenCache`]:
    /// reused until shortly before they expire, and refreshed once (with the claims asked
    /// for) when the service refuses one. Replaces any token set before.
    pub fn credential(self, source: impl TokenSource) -> Self {
        self.token_provider(TokenCache::new(source))
    }

    /// Declares the security schemes of the API, by name, as its description does; generated
    /// clients call this in their `builder()`. Operations that name schemes send the
    /// credentials configured for them (the token provider for bearer and OAuth 2.0 schemes,
    /// [`basic_auth`](Self::basic_auth), [`api_key`](Self::api_key)).
    pub fn security_schemes(mut self, schemes: &'static [(&'static str, Scheme)]) -> Self {
        self.credentials.schemes = schemes;
        self
    }

    /// Authenticates the operations that accept HTTP basic authentication with this user
    /// name and password (never shown by `Debug` or errors).
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.set_basic(user.into(), password.into());
        self
    }

    /// Authenticates the operations that accept the API-key security scheme named `scheme`
    /// (its name in the API description) with `key`, sent where the scheme says: a header, a
    /// query parameter or a cookie. The key is never shown by `Debug` or errors; `build`
    /// fails when the API declares no API-key scheme of that name.
    pub fn api_key(mut self, scheme: impl Into<String>, key: impl Into<String>) -> Self {
        self.credentials.set_key(scheme.into(), key.into());
        self
    }

    /// Fails an attempt with a timeout error ([`Error::is_timeout`]) when it
    /// has not completed, response body included, within `timeout`. No
    /// timeout by default.
    ///
    /// The timeout applies to each attempt separately, and a timed-out
    /// attempt is not retried (the service may still be carrying it out). A
    /// call that is retried after throttling can therefore take up to
    /// `max_attempts × timeout` plus the waits of the [`RetryPolicy`], within
    /// the [`total_timeout`](Self::total_timeout) of the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Ends a whole call, every attempt and every wait between attempts
    /// included, with [`Error::Timeout`] when it has not completed within
    /// `timeout`; 100 s ([`DEFAULT_TOTAL_TIMEOUT`](Self::DEFAULT_TOTAL_TIMEOUT))
    /// by default, as Microsoft's Graph SDKs. A retry whose wait (such as a
    /// `Retry-After`) would end past the deadline is not made: the error of
    /// the last attempt is returned at once. `None` removes the limit.
    ///
    /// It applies to clients given with [`http_client`](Self::http_client)
    /// too. A paging stream applies it to each page.
    pub fn total_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Fails a call with [`Error::ResponseTooLarge`] when the body of a
    /// success response is longer than `bytes`: the body is read as it
    /// arrives and no further, and a `Content-Length` beyond the limit fails
    /// before any is read. 64 MiB by default (see
    /// [`DEFAULT_MAX_RESPONSE_SIZE`](Self::DEFAULT_MAX_RESPONSE_SIZE)).
    /// Error bodies are read up to [`ApiError::MAX_BODY`] whatever this says.
    ///
    /// It applies to clients given with [`http_client`](Self::http_client)
    /// too.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Which redirects are followed: [`RedirectPolicy::default`] (up to 10
    /// on the base URL's origin, none elsewhere) unless set. Not applied to a
    /// client given with [`http_client`](Self::http_client).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirect_policy = policy;
        self
    }

    /// Fails an attempt when no connection could be established within
    /// `timeout`. No connect timeout by default. Nothing has been sent when it
    /// fires, so idempotent requests are retried after it.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header. Defaults to `clientsmith-runtime/<version>`;
    /// generated clients' `builder` sets the generated crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// With `false`, leaves out the `SdkVersion` header, which is otherwise sent with every
    /// request as Microsoft Graph's SDKs send theirs: the client's product and version (those
    /// of the [user agent](Self::user_agent)) and this runtime's, such as
    /// `SdkVersion: graph-connectors/0.1.0, clientsmith-runtime/0.1.0`, so that the service
    /// can tell which library made a request.
    pub fn sdk_version_header(mut self, send: bool) -> Self {
        self.sdk_version = send;
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
    /// [`user_agent`](Self::user_agent) and
    /// [`redirect_policy`](Self::redirect_policy) given to this builder are
    /// **not** applied (configure them on the `reqwest::Client` instead; its
    /// default follows redirects to any host). The base URL, the token
    /// provider, default headers, the retry policy, the total timeout and the
    /// response size limit still are.
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
        self.credentials.check()?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid default header name `{name}`")))?;
            // The value is not quoted: default headers often carry keys.
            let header_value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for default header `{name}`")))?;
            default_headers.append(header_name, header_value);
        }
        if self.sdk_version && !default_headers.contains_key(SDK_VERSION) {
            let runtime = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
            let value = if self.user_agent == runtime {
                runtime.to_owned()
            } else {
                format!("{}, {runtime}", self.user_agent)
            };
            let value = HeaderValue::from_str(&value)
                .map_err(|_| Error::Config(format!("invalid user agent `{}`", self.user_agent)))?;
            default_headers.insert(SDK_VERSION, value);
        }
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
                    Error::Config(format!("invalid user agent `{}`", self.user_agent))
                })?;
                let mut builder = reqwest::Client::builder()
                    .default_headers(HeaderMap::from_iter([(USER_AGENT, user_agent)]))
                    .redirect(self.redirect_policy.to_reqwest());
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
                credentials: self.credentials,
                default_headers,
                retry_policy: self.retry_policy,
                max_response_size: self.max_response_size,
                total_timeout: self.total_timeout,
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
            credentials: self.credentials.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent.clone(),
            sdk_version: self.sdk_version,
            default_headers: self.default_headers.clone(),
            http_client: self.http_client.clone(),
            retry_policy: self.retry_policy,
            redirect_policy: self.redirect_policy,
            max_response_size: self.max_response_size,
            total_timeout: self.total_timeout,
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
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("sdk_version_header", &self.sdk_version)
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
            .field("redirect_policy", &self.redirect_policy)
            .field("max_response_size", &self.max_response_size)
            .field("total_timeout", &self.total_timeout)
            .finish()
    }
}

/// Checks a base URL and returns it parsed, without trailing `/`.
pub(super) fn validate_base_url(base_url: &str) -> Result<BaseUrl, Error> {
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
pub(super) struct BaseUrl {
    /// What operation paths are appended to, without trailing `/`.
    pub(super) text: String,
    /// The parsed form, whose origin absolute request URLs must share.
    pub(super) url: reqwest::Url,
}

/// Placeholder printed instead of a secret.
pub(super) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
