//! Authentication as an API description declares it: its security schemes (bearer tokens,
//! HTTP basic, API keys in a header, the query or a cookie), the credentials a client was
//! given for them, and, for each request, which of the operation's accepted combinations
//! those credentials can answer.

use base64::Engine as _;
use reqwest::header::COOKIE;

use super::*;

/// How a security scheme of the API description sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer <token>`: HTTP `bearer`, OAuth 2.0 and OpenID Connect, answered
    /// by the client's [`TokenProvider`].
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`: HTTP `basic`.
    Basic,
    /// An API key sent as the value of the header named here (a whole value, so schemes such
    /// as `Authorization: Token <key>` are written with their prefix).
    HeaderKey(&'static str),
    /// An API key sent as the query parameter named here.
    QueryKey(&'static str),
    /// An API key sent as the cookie named here.
    CookieKey(&'static str),
}

/// What an operation accepts: any one of the inner lists, each a set of scheme names whose
/// credentials are all sent together. An empty inner list makes authentication optional; no
/// list at all (`&[]`) means the operation takes none.
pub type Requirements = &'static [&'static [&'static str]];

/// A secret value, redacted in `Debug`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The security schemes of a client's API and the credentials it holds for them.
#[derive(Clone, Default)]
pub(super) struct Credentials {
    /// The schemes the API description declares, by name.
    pub(super) schemes: &'static [(&'static str, Scheme)],
    /// The token provider, for every bearer scheme (and every request of an API that
    /// declares no security at all).
    pub(super) bearer: Option<Arc<dyn TokenProvider>>,
    /// The user name and password of basic schemes.
    basic: Option<(String, Secret)>,
    /// The API keys, by scheme name.
    keys: Vec<(String, Secret)>,
}

impl fmt::Debug for Credentials {
    /// Names what is configured, never a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer.as_ref().map(|_| Redacted))
            .field(
                "basic",
                &self.basic.as_ref().map(|(user, secret)| (user, secret)),
            )
            .field(
                "api_keys",
                &self.keys.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Credentials {
    /// Sets the user name and password of basic schemes.
    pub(super) fn set_basic(&mut self, user: String, password: String) {
        self.basic = Some((user, Secret(password)));
    }

    /// Sets the key of the API-key scheme `scheme`, replacing an earlier one.
    pub(super) fn set_key(&mut self, scheme: String, key: String) {
        self.keys.retain(|(name, _)| *name != scheme);
        self.keys.push((scheme, Secret(key)));
    }

    /// Checks that every API key names an API-key scheme of the description.
    pub(super) fn check(&self) -> Result<(), Error> {
        for (name, _) in &self.keys {
            let declared = self.schemes.iter().find(|(scheme, _)| scheme == name);
            match declared {
                Some((_, Scheme::HeaderKey(_) | Scheme::QueryKey(_) | Scheme::CookieKey(_))) => {}
                _ => {
                    let keys: Vec<&str> = self
                        .schemes
                        .iter()
                        .filter(|(_, s)| {
                            matches!(
                                s,
                                Scheme::HeaderKey(_) | Scheme::QueryKey(_) | Scheme::CookieKey(_)
                            )
                        })
                        .map(|(name, _)| *name)
                        .collect();
                    return Err(Error::Config(format!(
                        "`{name}` is not an API-key security scheme of this API (its API-key schemes: {})",
                        if keys.is_empty() {
                            String::from("none")
                        } else {
                            keys.join(", ")
                        }
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether a credential for the scheme `name` is configured.
    fn answers(&self, name: &str) -> bool {
        match self.scheme(name) {
            Some(Scheme::Bearer) => self.bearer.is_some(),
            Some(Scheme::Basic) => self.basic.is_some(),
            Some(_) => self.keys.iter().any(|(key, _)| key == name),
            None => false,
        }
    }

    fn scheme(&self, name: &str) -> Option<Scheme> {
        self.schemes
            .iter()
            .find(|(scheme, _)| *scheme == name)
            .map(|(_, scheme)| *scheme)
    }

    /// Adds to `request` the credentials of the first combination in `requirements` that the
    /// configured credentials answer whole (an operation the description says nothing about
    /// gets the bearer token, if there is one). A combination nobody configured sends nothing:
    /// the service's `401` says what it wanted. Returns whether a secret went into the URL,
    /// which errors must then leave out, and the bearer token sent, if any.
    pub(super) async fn apply(
        &self,
        request: &mut reqwest::Request,
        requirements: Option<Requirements>,
        operation: &'static str,
    ) -> Result<(bool, Option<AccessToken>), Error> {
        let Some(requirements) = requirements else {
            let mut sent = None;
            if let Some(provider) = &self.bearer {
                sent = Some(self.send_bearer(provider, request, operation).await?);
            }
            return Ok((false, sent));
        };
        let chosen = requirements
            .iter()
            .find(|set| !set.is_empty() && set.iter().all(|name| self.answers(name)));
        let mut in_url = false;
        let mut sent = None;
        for name in chosen.copied().unwrap_or_default() {
            match self.scheme(name) {
                Some(Scheme::Bearer) => {
                    if let Some(provider) = &self.bearer {
                        sent = Some(self.send_bearer(provider, request, operation).await?);
                    }
                }
                Some(Scheme::Basic) => {
                    if let Some((user, password)) = &self.basic {
                        let encoded = base64::engine::general_purpose::STANDARD
                            .encode(format!("{user}:{}", password.0));
                        let value = sensitive(format!("Basic {encoded}"), operation)?;
                        request.headers_mut().insert(AUTHORIZATION, value);
                    }
                }
                Some(Scheme::HeaderKey(header)) => {
                    let header = HeaderName::from_bytes(header.as_bytes())
                        .map_err(|_| invalid_key(operation, name))?;
                    let value = sensitive(self.key(name).to_owned(), operation)?;
                    request.headers_mut().insert(header, value);
                }
                Some(Scheme::QueryKey(parameter)) => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(parameter, self.key(name));
                    in_url = true;
                }
                Some(Scheme::CookieKey(cookie)) => {
                    let pair = format!("{cookie}={}", self.key(name));
                    let value = match request.headers().get(COOKIE).map(|v| v.to_str()) {
                        Some(Ok(existing)) => format!("{existing}; {pair}"),
                        _ => pair,
                    };
                    let value = sensitive(value, operation)?;
                    request.headers_mut().insert(COOKIE, value);
                }
                None => {}
            }
        }
        Ok((in_url, sent))
    }

    fn key(&self, name: &str) -> &str {
        self.keys
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, secret)| secret.0.as_str())
    }

    async fn send_bearer(
        &self,
        provider: &Arc<dyn TokenProvider>,
        request: &mut reqwest::Request,
        operation: &'static str,
    ) -> Result<AccessToken, Error> {
        let token = provider
            .token()
            .await
            .map_err(|source| Error::Token { operation, source })?;
        let authorization = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
            .map_err(|_| Error::Token {
                operation,
                source: "the access token contains characters not allowed in HTTP headers".into(),
            })?;
        let mut authorization = authorization;
        authorization.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, authorization);
        Ok(token)
    }

    /// Asks the token provider for a new token after the service refused `rejected`;
    /// whether it gave another one (a provider of a fixed token cannot).
    pub(super) async fn refresh(
        &self,
        rejected: &AccessToken,
        claims: Option<&str>,
        operation: &'static str,
    ) -> Result<bool, Error> {
        let Some(provider) = &self.bearer else {
            return Ok(false);
        };
        let fresh = provider
            .refresh(rejected, claims)
            .await
            .map_err(|source| Error::Token { operation, source })?;
        Ok(fresh.expose_secret() != rejected.expose_secret())
    }
}

/// A header value marked sensitive (left out of HTTP/2 header compression tables and
/// `Debug`), or the error for a credential that cannot be sent in a header.
fn sensitive(value: String, operation: &'static str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(value).map_err(|_| Error::InvalidRequest {
        operation,
        message: String::from("a credential contains characters not allowed in HTTP headers"),
    })?;
    value.set_sensitive(true);
    Ok(value)
}

fn invalid_key(operation: &'static str, scheme: &str) -> Error {
    Error::InvalidRequest {
        operation,
        message: format!("the security scheme `{scheme}` names a header that is not valid"),
    }
}
