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

    /// Returns a new token after the service refused `rejected`: a `401` that says the token
    /// is invalid or expired, or a claims challenge (continuous access evaluation), where
    /// `claims` is the JSON the new token must satisfy, to be passed to the token endpoint.
    /// The transport then sends the request once more with the new token.
    ///
    /// By default, [`token`](Self::token) again: a provider that caches tokens (such as
    /// [`TokenCache`]) drops the rejected one instead.
    fn refresh<'a>(
        &'a self,
        rejected: &'a AccessToken,
        claims: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        let _ = (rejected, claims);
        self.token()
    }
}

/// A provider shared with other parts of an application.
impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        (**self).token()
    }

    fn refresh<'a>(
        &'a self,
        rejected: &'a AccessToken,
        claims: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        (**self).refresh(rejected, claims)
    }
}

/// Where new tokens come from: a token endpoint, a managed identity, a developer tool. A
/// source is asked each time; [`TokenCache`] keeps what it gives until shortly before it
/// expires, and is the [`TokenProvider`] a client uses
/// ([`ClientBuilder::credential`](crate::ClientBuilder::credential)).
pub trait TokenSource: Send + Sync + 'static {
    /// Requests a new token (with its expiry, when the source knows it); `claims`, when set,
    /// is the JSON of a claims challenge the token must satisfy.
    fn fetch<'a>(&'a self, claims: Option<&'a str>)
    -> BoxFuture<'a, Result<AccessToken, BoxError>>;
}

/// A [`TokenProvider`] that caches the tokens of a [`TokenSource`]: a token is reused until
/// five minutes before it expires (or half its lifetime, for tokens that live less than ten
/// minutes), and however many requests wait for a new one, the source is asked once.
pub struct TokenCache<S> {
    source: S,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

/// A token and when it was fetched.
struct Cached {
    token: AccessToken,
    fetched: SystemTime,
}

impl Cached {
    /// Whether the token is still good to send: no expiry known, or far enough from it.
    fn fresh(&self, now: SystemTime) -> bool {
        /// How long before expiry a token is replaced, as Microsoft's identity libraries do.
        const MARGIN: Duration = Duration::from_secs(5 * 60);
        let Some(expires) = self.token.expires_on() else {
            return true;
        };
        let lifetime = expires.duration_since(self.fetched).unwrap_or_default();
        let margin = MARGIN.min(lifetime / 2);
        now.checked_add(margin).is_some_and(|soon| soon < expires)
    }
}

impl<S: TokenSource> TokenCache<S> {
    /// A cache of the tokens `source` gives.
    pub fn new(source: S) -> Self {
        TokenCache {
            source,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Fetches a token into `slot`, which the caller holds locked: every other request waits
    /// on the lock, then finds the new token.
    async fn fetch_into(
        &self,
        slot: &mut Option<Cached>,
        claims: Option<&str>,
    ) -> Result<AccessToken, BoxError> {
        let fetched = SystemTime::now();
        let token = self.source.fetch(claims).await?;
        *slot = Some(Cached {
            token: token.clone(),
            fetched,
        });
        Ok(token)
    }
}

impl<S> fmt::Debug for TokenCache<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache(<redacted>)")
    }
}

impl<S: TokenSource> TokenProvider for TokenCache<S> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let mut slot = self.cached.lock().await;
            match slot.as_ref() {
                Some(cached) if cached.fresh(SystemTime::now()) => Ok(cached.token.clone()),
                _ => self.fetch_into(&mut slot, None).await,
            }
        })
    }

    fn refresh<'a>(
        &'a self,
        rejected: &'a AccessToken,
        claims: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let mut slot = self.cached.lock().await;
            // Another request refused with the same token may have replaced it already; a
            // claims challenge always needs a token asked for with its claims.
            if claims.is_none()
                && let Some(cached) = slot.as_ref()
                && cached.token.0 != rejected.0
                && cached.fresh(SystemTime::now())
            {
                return Ok(cached.token.clone());
            }
            self.fetch_into(&mut slot, claims).await
        })
    }
}

/// A bearer token.
///
/// The secret is only reachable through [`AccessToken::expose_secret`]: `Debug`
/// prints `AccessToken(<redacted>)` and there is deliberately no `Display`, so
/// the token cannot end up in a log line by accident.
#[derive(Clone)]
pub struct AccessToken(String, Option<SystemTime>);

impl AccessToken {
    /// Wraps a token (without the `Bearer ` prefix) whose expiry is not known.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into(), None)
    }

    /// Wraps a token that expires at `expires_on`.
    pub fn with_expiry(token: impl Into<String>, expires_on: SystemTime) -> Self {
        AccessToken(token.into(), Some(expires_on))
    }

    /// When the token expires, when known.
    pub fn expires_on(&self) -> Option<SystemTime> {
        self.1
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

/// What a `401` asks of the client's token.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Challenge {
    /// The claims (JSON) a new token must satisfy, from a continuous access evaluation
    /// challenge.
    pub(super) claims: Option<String>,
}

/// Whether a response refused the token it was sent with, so that a new one may succeed: a
/// `401` whose `WWW-Authenticate` says the token is invalid (RFC 6750's `invalid_token`) or
/// asks for claims (`insufficient_claims`, with `claims` in base64), or whose OData error
/// `code` (as [`ApiError`] reads it) is `InvalidAuthenticationToken` (Microsoft Graph's for
/// an expired or revoked token).
pub(super) fn challenge(
    status: StatusCode,
    headers: &HeaderMap,
    code: Option<&str>,
) -> Option<Challenge> {
    use base64::Engine as _;
    if status != StatusCode::UNAUTHORIZED {
        return None;
    }
    let mut refused = false;
    let mut claims = None;
    for value in headers.get_all(reqwest::header::WWW_AUTHENTICATE) {
        let Ok(value) = value.to_str() else {
            continue;
        };
        for (name, text) in auth_params(value) {
            match name.to_ascii_lowercase().as_str() {
                "error" if text == "invalid_token" || text == "insufficient_claims" => {
                    refused = true;
                }
                "claims" => {
                    let engines = [
                        base64::engine::general_purpose::STANDARD,
                        base64::engine::general_purpose::STANDARD_NO_PAD,
                        base64::engine::general_purpose::URL_SAFE_NO_PAD,
                    ];
                    claims = engines
                        .iter()
                        .find_map(|engine| engine.decode(text).ok())
                        .and_then(|bytes| String::from_utf8(bytes).ok());
                    refused = true;
                }
                _ => {}
            }
        }
    }
    refused |= code == Some("InvalidAuthenticationToken");
    refused.then_some(Challenge { claims })
}

/// The `name="value"` (or `name=token`) parameters of a `WWW-Authenticate` value, in order.
fn auth_params(value: &str) -> Vec<(&str, &str)> {
    let mut params = Vec::new();
    let mut rest = value;
    while let Some(equals) = rest.find('=') {
        let name = rest[..equals]
            .rsplit(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or_default()
            .trim();
        let after = &rest[equals + 1..];
        let (text, remainder) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            },
            None => {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim(), &after[end..])
            }
        };
        params.push((name, text));
        rest = remainder;
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::WWW_AUTHENTICATE,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    /// A source that counts its fetches and numbers its tokens, each living `lifetime`.
    struct Counting {
        fetches: std::sync::atomic::AtomicUsize,
        lifetime: Duration,
        claims: std::sync::Mutex<Vec<Option<String>>>,
    }

    impl Counting {
        fn new(lifetime: Duration) -> Self {
            Counting {
                fetches: std::sync::atomic::AtomicUsize::new(0),
                lifetime,
                claims: std::sync::Mutex::new(Vec::new()),
            }
        }
    }

    impl TokenSource for Arc<Counting> {
        fn fetch<'a>(
            &'a self,
            claims: Option<&'a str>,
        ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
            Box::pin(async move {
                // Slow enough that concurrent requests all wait for the same fetch.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let n = self
                    .fetches
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                    + 1;
                self.claims.lock().unwrap().push(claims.map(str::to_owned));
                Ok(AccessToken::with_expiry(
                    format!("token-{n}"),
                    SystemTime::now() + self.lifetime,
                ))
            })
        }
    }

    fn fetches(source: &Counting) -> usize {
        source.fetches.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[tokio::test]
    async fn fifty_concurrent_requests_share_one_fetch_and_then_the_cached_token() {
        let source = Arc::new(Counting::new(Duration::from_secs(3600)));
        let cache = Arc::new(TokenCache::new(Arc::clone(&source)));
        let waiting: Vec<_> = (0..50)
            .map(|_| {
                let cache = Arc::clone(&cache);
                tokio::spawn(async move { cache.token().await.unwrap().expose_secret().to_owned() })
            })
            .collect();
        for task in waiting {
            assert_eq!(task.await.unwrap(), "token-1");
        }
        assert_eq!(cache.token().await.unwrap().expose_secret(), "token-1");
        assert_eq!(fetches(&source), 1);
    }

    #[tokio::test]
    async fn a_token_near_its_expiry_is_replaced() {
        // Lives 200 ms: replaced once less than half of that is left.
        let source = Arc::new(Counting::new(Duration::from_millis(200)));
        let cache = TokenCache::new(Arc::clone(&source));
        assert_eq!(cache.token().await.unwrap().expose_secret(), "token-1");
        assert_eq!(cache.token().await.unwrap().expose_secret(), "token-1");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(cache.token().await.unwrap().expose_secret(), "token-2");
        assert_eq!(fetches(&source), 2);
    }

    #[tokio::test]
    async fn a_refused_token_is_refreshed_once_for_all_who_were_refused() {
        let source = Arc::new(Counting::new(Duration::from_secs(3600)));
        let cache = Arc::new(TokenCache::new(Arc::clone(&source)));
        let rejected = cache.token().await.unwrap();
        let refreshing: Vec<_> = (0..20)
            .map(|_| {
                let (cache, rejected) = (Arc::clone(&cache), rejected.clone());
                tokio::spawn(async move {
                    cache
                        .refresh(&rejected, None)
                        .await
                        .unwrap()
                        .expose_secret()
                        .to_owned()
                })
            })
            .collect();
        for task in refreshing {
            assert_eq!(task.await.unwrap(), "token-2");
        }
        assert_eq!(fetches(&source), 2);
        // A claims challenge always asks again, with its claims.
        let current = cache.token().await.unwrap();
        let claimed = cache
            .refresh(&current, Some(r#"{"access_token":{}}"#))
            .await
            .unwrap();
        assert_eq!(claimed.expose_secret(), "token-3");
        assert_eq!(
            source
                .claims
                .lock()
                .unwrap()
                .last()
                .cloned()
                .flatten()
                .as_deref(),
            Some(r#"{"access_token":{}}"#)
        );
    }

    #[test]
    fn a_claims_challenge_gives_its_decoded_claims() {
        // The shape of Microsoft Graph's continuous access evaluation challenge.
        let header = headers(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwMzc0MjgwMCJ9fX0=""#,
        );
        let challenge = challenge(StatusCode::UNAUTHORIZED, &header, None).unwrap();
        assert_eq!(
            challenge.claims.as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true, "value":"1603742800"}}}"#)
        );
    }

    #[test]
    fn an_invalid_token_is_refused_by_header_or_by_graphs_code() {
        let header = headers(r#"Bearer error="invalid_token", error_description="expired""#);
        assert_eq!(
            challenge(StatusCode::UNAUTHORIZED, &header, None),
            Some(Challenge::default())
        );
        let expired = Some("InvalidAuthenticationToken");
        assert!(challenge(StatusCode::UNAUTHORIZED, &HeaderMap::new(), expired).is_some());
        // Not a token problem: a missing permission is not cured by a new token.
        let denied = Some("Authorization_RequestDenied");
        assert_eq!(
            challenge(StatusCode::UNAUTHORIZED, &HeaderMap::new(), denied),
            None
        );
        assert_eq!(challenge(StatusCode::FORBIDDEN, &header, expired), None);
    }
}
