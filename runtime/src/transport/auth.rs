//! Bearer tokens: where they come from, and how they stay out of logs.

use super::*;

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
