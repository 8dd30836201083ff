//! The OAuth 2.0 client-credentials grant (RFC 6749, section 4.4) as a [`TokenSource`]: an
//! application signs in as itself with its client id and secret, as daemons and services do
//! with Microsoft Entra ID.

use super::*;

/// The most of a token endpoint's answer that is read.
const MAX_ANSWER: usize = 64 * 1024;

/// How long a token request may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Signs in with a client id and secret at an OAuth 2.0 token endpoint.
///
/// `Debug` shows the endpoint and the client id, never the secret; a failed request is a
/// [`TokenError`] that names the credential, never containing the secret.
///
/// ```no_run
/// # fn run() -> Result<(), clientsmith_runtime::Error> {
/// use clientsmith_runtime::ClientCredentials;
///
/// let credential = ClientCredentials::entra("contoso.onmicrosoft.com", "client-id", "secret")
///     .scope("https://graph.microsoft.com/.default");
/// # let _ = credential;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    endpoint: String,
    client_id: String,
    secret: String,
    scopes: Vec<String>,
    http: reqwest::Client,
}

impl ClientCredentials {
    /// The credential of the application `client_id` with `secret`, at the token endpoint
    /// `endpoint`.
    pub fn new(
        endpoint: impl Into<String>,
        client_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            endpoint: endpoint.into(),
            client_id: client_id.into(),
            secret: secret.into(),
            scopes: Vec::new(),
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
        }
    }

    /// The credential of an application registered in the Microsoft Entra tenant `tenant`
    /// (its id or a domain name), at Microsoft Entra ID's v2.0 token endpoint
    /// (`https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`).
    pub fn entra(
        tenant: impl AsRef<str>,
        client_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        Self::entra_at(
            "https://login.microsoftonline.com",
            tenant,
            client_id,
            secret,
        )
    }

    /// The same at another Microsoft Entra authority, such as a national cloud's
    /// (`https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`).
    pub fn entra_at(
        authority: &str,
        tenant: impl AsRef<str>,
        client_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        let tenant = crate::path_segment(tenant.as_ref());
        let endpoint = format!(
            "{}/{tenant}/oauth2/v2.0/token",
            authority.trim_end_matches('/')
        );
        Self::new(endpoint, client_id, secret)
    }

    /// Adds a scope the token is asked for (for Microsoft Entra ID, one resource's
    /// `/.default`, such as `https://graph.microsoft.com/.default`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// The HTTP client token requests go through, instead of one of its own.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = client;
        self
    }

    /// How errors name this credential.
    fn name(&self) -> String {
        format!(
            "client credentials of `{}` at {}",
            self.client_id, self.endpoint
        )
    }

    async fn request(&self, claims: Option<&str>) -> Result<AccessToken, TokenError> {
        let error = |reason: TokenFailure| TokenError {
            credential: self.name(),
            reason,
        };
        let scope = self.scopes.join(" ");
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.secret.as_str()),
            ("scope", scope.as_str()),
        ];
        if let Some(claims) = claims {
            form.push(("claims", claims));
        }
        let body = serde_urlencoded::to_string(&form)
            .map_err(|e| error(TokenFailure::Request(e.to_string())))?;
        let sent = SystemTime::now();
        let mut response = self
            .http
            .post(&self.endpoint)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            // The URL is the endpoint's, which holds no secret; the body is not in the error.
            .map_err(|e| error(TokenFailure::Request(e.to_string())))?;
        let status = response.status();
        let (answer, _) = super::read_body(&mut response, MAX_ANSWER, false)
            .await
            .map_err(|e| error(TokenFailure::Request(e.to_string())))?;
        if !status.is_success() {
            let refused: Refusal = serde_json::from_slice(&answer).unwrap_or_default();
            return Err(error(TokenFailure::Refused {
                status: status.as_u16(),
                error: refused.error.unwrap_or_default(),
                description: self.redact(&refused.error_description.unwrap_or_default()),
            }));
        }
        let granted: Grant = serde_json::from_slice(&answer).map_err(|e| {
            error(TokenFailure::Request(format!(
                "the answer is not a token: {e}"
            )))
        })?;
        Ok(match granted.expires_in {
            Some(seconds) => {
                AccessToken::with_expiry(granted.access_token, sent + Duration::from_secs(seconds))
            }
            None => AccessToken::new(granted.access_token),
        })
    }

    /// `text` without the secret, should a token endpoint quote it back.
    fn redact(&self, text: &str) -> String {
        let text = crate::error::body_snippet(text.as_bytes(), 500);
        if self.secret.is_empty() {
            text
        } else {
            text.replace(&self.secret, "<redacted>")
        }
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .field("secret", &Redacted)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl TokenSource for ClientCredentials {
    fn fetch<'a>(
        &'a self,
        claims: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async move { self.request(claims).await.map_err(BoxError::from) })
    }
}

/// A successful token answer.
#[derive(serde::Deserialize)]
struct Grant {
    access_token: String,
    expires_in: Option<u64>,
}

/// A token endpoint's error answer (RFC 6749, section 5.2).
#[derive(serde::Deserialize, Default)]
struct Refusal {
    error: Option<String>,
    error_description: Option<String>,
}

/// A token request that failed: which credential, and why. It never contains the secret.
#[derive(Debug, thiserror::Error)]
#[error("{credential}: {reason}")]
pub struct TokenError {
    /// The credential, by its endpoint and client id.
    pub credential: String,
    /// What went wrong.
    pub reason: TokenFailure,
}

/// Why a token request failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenFailure {
    /// The endpoint refused: its status, its OAuth error code (such as `invalid_client` or
    /// `unauthorized_client`) and description.
    #[error("refused ({status} {error}): {description}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The OAuth 2.0 error code.
        error: String,
        /// The endpoint's description of the error.
        description: String,
    },
    /// The request did not complete, or its answer was not a token.
    #[error("{0}")]
    Request(String),
}
