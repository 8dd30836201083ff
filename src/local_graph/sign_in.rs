//! Sign-in as Microsoft Entra ID and Microsoft Graph do it: a token endpoint in the shape of
//! Entra's v2.0 endpoint (the client-credentials grant), the check of every Graph request's
//! token, and the claims challenge of continuous access evaluation.

use super::*;

use std::time::Instant;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, FromRequest};
use base64::Engine as _;

/// How long an access token is valid unless [`LocalGraphBuilder::token_lifetime`] or
/// [`LocalGraphHandle::set_token_lifetime`] says otherwise: 3,599 seconds, the `expires_in`
/// Microsoft Entra ID usually answers with.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

/// The most access tokens the local Graph keeps at once; when a new one would exceed it,
/// expired tokens are forgotten and then, if need be, the oldest.
pub const MAX_LIVE_TOKENS: usize = 10_000;

/// The token endpoint's route, for any tenant.
const TOKEN_ROUTE: &str = "/{tenant}/oauth2/v2.0/token";

/// The largest token request body read.
const TOKEN_BODY_LIMIT: usize = 64 * 1024;

/// The most characters of a request value an error description quotes.
const MAX_QUOTED: usize = 200;

/// The resource Microsoft Graph's tokens are asked for.
const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";

/// What a tenant in a token endpoint's path is percent-encoded with: all but the unreserved
/// characters of RFC 3986.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Microsoft Graph's application id, which its challenges name as `client_id`.
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Where Graph's challenges send a client to sign in.
const AUTHORIZATION_URI: &str = "https://login.microsoftonline.com/common/oauth2/authorize";

// ---------------------------------------------------------------------------
// What the local Graph knows about sign-in
// ---------------------------------------------------------------------------

/// The registered applications, the tokens issued, and what token requests asked for.
pub(super) struct SignIn {
    state: Mutex<Ledger>,
}

struct Ledger {
    /// Whether Graph requests need a token the endpoint issued.
    required: bool,
    /// The lifetime of the tokens issued from now on.
    lifetime: Duration,
    /// Client id to client secret.
    apps: HashMap<String, String>,
    /// The tokens issued and not revoked, expired ones included until they are purged.
    tokens: HashMap<String, Issued>,
    /// How many tokens were issued, to number them.
    issued: u64,
    /// How many token requests arrived.
    requests: usize,
    /// The `claims` of the last token request.
    last_claims: Option<String>,
}

struct Issued {
    /// When it expires; `None` for a lifetime beyond what `Instant` can express.
    expires: Option<Instant>,
    /// Its number, oldest first.
    serial: u64,
}

impl Issued {
    fn is_valid(&self, now: Instant) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }
}

impl SignIn {
    pub(super) fn new(required: bool, lifetime: Duration) -> Self {
        SignIn {
            state: Mutex::new(Ledger {
                required,
                lifetime,
                apps: HashMap::new(),
                tokens: HashMap::new(),
                issued: 0,
                requests: 0,
                last_claims: None,
            }),
        }
    }

    pub(super) fn is_required(&self) -> bool {
        lock(&self.state).required
    }

    /// Forgets every token issued so far.
    pub(super) fn revoke_all(&self) {
        lock(&self.state).tokens.clear();
    }
}

impl Ledger {
    /// Keeps `token` until it expires; returns its lifetime.
    fn issue(&mut self, token: String, now: Instant) -> Duration {
        if self.tokens.len() >= MAX_LIVE_TOKENS {
            self.tokens.retain(|_, issued| issued.is_valid(now));
        }
        if self.tokens.len() >= MAX_LIVE_TOKENS {
            let oldest = self
                .tokens
                .iter()
                .min_by_key(|(_, issued)| issued.serial)
                .map(|(token, _)| token.clone());
            if let Some(oldest) = oldest {
                self.tokens.remove(&oldest);
            }
        }
        self.issued += 1;
        self.tokens.insert(
            token,
            Issued {
                expires: now.checked_add(self.lifetime),
                serial: self.issued,
            },
        );
        self.lifetime
    }
}

// ---------------------------------------------------------------------------
// The token endpoint
// ---------------------------------------------------------------------------

/// The token endpoint as a router, to be merged beside Graph's: `POST /{tenant}/oauth2/v2.0/token`.
/// It is Entra's, not Graph's, so none of Graph's request handling applies to it.
pub(super) fn token_router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route(TOKEN_ROUTE, axum::routing::any(token))
        .layer(DefaultBodyLimit::max(TOKEN_BODY_LIMIT))
        .with_state(shared)
}

/// A token request's answer: the identifiers and time every Entra answer carries.
struct Answer {
    trace_id: String,
    correlation_id: String,
    client_request_id: Option<String>,
    timestamp: String,
}

/// An error as Entra describes it (RFC 6749, section 5.2, with Entra's members).
struct Refusal {
    status: StatusCode,
    error: &'static str,
    code: u32,
    message: String,
}

impl Refusal {
    fn invalid_request(code: u32, message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            code,
            message: message.into(),
        }
    }

    fn missing(parameter: &str) -> Self {
        Refusal::invalid_request(
            900_144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    fn malformed() -> Self {
        Refusal::invalid_request(
            9_002_313,
            "Invalid request. Request is malformed or invalid.",
        )
    }
}

#[derive(Serialize)]
struct EntraError<'a> {
    error: &'a str,
    error_description: String,
    error_codes: [u32; 1],
    timestamp: &'a str,
    trace_id: &'a str,
    correlation_id: &'a str,
    error_uri: String,
}

#[derive(Serialize)]
struct Grant<'a> {
    token_type: &'a str,
    expires_in: u64,
    ext_expires_in: u64,
    access_token: &'a str,
}

impl Answer {
    fn new(headers: &HeaderMap) -> Self {
        let client_request_id = header_text(headers, "client-request-id");
        // Entra correlates with the client's request id when it is a GUID.
        let correlation_id = client_request_id
            .as_deref()
            .and_then(|id| uuid::Uuid::parse_str(id.trim()).ok())
            .unwrap_or_else(uuid::Uuid::new_v4)
            .to_string();
        let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
        Answer {
            trace_id: uuid::Uuid::new_v4().to_string(),
            correlation_id,
            client_request_id,
            timestamp: now.format("%Y-%m-%d %H:%M:%SZ").to_string(),
        }
    }

    fn json<T: Serialize>(&self, status: StatusCode, body: &T) -> Response {
        let Ok(bytes) = serde_json::to_vec(body) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let mut response = (status, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store, no-cache"),
        );
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if let Ok(value) = HeaderValue::from_str(&self.trace_id) {
            headers.insert("x-ms-request-id", value);
        }
        if let Some(value) = self
            .client_request_id
            .as_deref()
            .and_then(|id| HeaderValue::from_str(id).ok())
        {
            headers.insert("client-request-id", value);
        }
        response
    }

    fn refuse(&self, refusal: Refusal) -> Response {
        let Refusal {
            status,
            error,
            code,
            message,
        } = refusal;
        let body = EntraError {
            error,
            error_description: format!(
                "AADSTS{code}: {message}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
                self.trace_id, self.correlation_id, self.timestamp
            ),
            error_codes: [code],
            timestamp: &self.timestamp,
            trace_id: &self.trace_id,
            correlation_id: &self.correlation_id,
            error_uri: format!("https://login.microsoftonline.com/error?code={code}"),
        };
        self.json(status, &body)
    }
}

/// Request text as an error description quotes it: at most [`MAX_QUOTED`] characters.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// `scheme://host[:port]` of a URL.
fn root_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |scheme| scheme + 3);
    match url[start..].find('/') {
        Some(end) => &url[..start + end],
        None => url,
    }
}

/// The scope a token for this Graph is asked for: `{graph root}/.default`, where the root is
/// the scheme and host of the base URL it is served at (`None` before it is served).
pub(super) fn default_scope(shared: &Shared) -> Option<String> {
    shared
        .base_url
        .get()
        .map(|url| format!("{}/.default", root_of(url)))
}

/// Checks a client-credentials `scope`: exactly one `{resource}/.default`, for this Graph or
/// Microsoft Graph.
fn check_scope(shared: &Shared, scope: &str, tenant: &str) -> Result<(), Refusal> {
    let invalid = || Refusal {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_scope",
        code: 1_002_012,
        message: format!(
            "The provided value for scope {} is not valid. Client credential flows must ask \
             for one resource's '/.default' scope.",
            quoted(scope)
        ),
    };
    let mut scopes = scope.split_whitespace();
    let (Some(only), None) = (scopes.next(), scopes.next()) else {
        return Err(invalid());
    };
    let Some(resource) = only.strip_suffix("/.default").filter(|r| !r.is_empty()) else {
        return Err(invalid());
    };
    let local = shared.base_url.get().map(|url| root_of(url));
    let known = [Some(GRAPH_RESOURCE), local]
        .into_iter()
        .flatten()
        .any(|known| known.eq_ignore_ascii_case(resource));
    if known {
        Ok(())
    } else {
        Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_resource",
            code: 500_011,
            message: format!(
                "The resource principal named {} was not found in the tenant named {}.",
                quoted(resource),
                quoted(tenant)
            ),
        })
    }
}

/// `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant, answered as Entra
/// answers it.
async fn token(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let answer = Answer::new(request.headers());
    let method = request.method().clone();
    if method != Method::POST {
        return answer.refuse(Refusal::invalid_request(
            900_561,
            format!(
                "The endpoint only accepts POST requests. Received a {} request.",
                quoted(method.as_str())
            ),
        ));
    }
    let tenant = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    let form = Form::<Vec<(String, String)>>::from_request(request, &()).await;
    let pairs = match form {
        Ok(Form(pairs)) => Some(pairs),
        // Not a form: no parameter can be read, as Entra reads none.
        Err(FormRejection::InvalidFormContentType(_)) => Some(Vec::new()),
        Err(_) => None,
    };
    let mut state = lock(&shared.sign_in.state);
    state.requests += 1;
    let Some(pairs) = pairs else {
        state.last_claims = None;
        return answer.refuse(Refusal::malformed());
    };
    let mut parameters: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, value) in &pairs {
        if parameters.insert(name, value).is_some() {
            state.last_claims = None;
            return answer.refuse(Refusal::malformed());
        }
    }
    state.last_claims = parameters.get("claims").map(|claims| (*claims).to_owned());
    let parameter = |name: &str| {
        parameters
            .get(name)
            .copied()
            .filter(|value| !value.is_empty())
    };

    let Some(grant_type) = parameter("grant_type") else {
        return answer.refuse(Refusal::missing("grant_type"));
    };
    if grant_type != "client_credentials" {
        return answer.refuse(Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            code: 70_003,
            message: format!(
                "The app requested an unsupported grant type '{}'.",
                quoted(grant_type)
            ),
        });
    }
    let Some(client_id) = parameter("client_id") else {
        return answer.refuse(Refusal::missing("client_id"));
    };
    let Some(scope) = parameter("scope") else {
        return answer.refuse(Refusal::missing("scope"));
    };
    let Some(registered) = state.apps.get(client_id) else {
        return answer.refuse(Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "unauthorized_client",
            code: 700_016,
            message: format!(
                "Application with identifier '{}' was not found in the directory '{}'.",
                quoted(client_id),
                quoted(&tenant)
            ),
        });
    };
    // No description quotes the secret, whether it is right or wrong.
    match parameter("client_secret") {
        None => {
            return answer.refuse(Refusal {
                status: StatusCode::UNAUTHORIZED,
                error: "invalid_client",
                code: 7_000_218,
                message: "The request body must contain the following parameter: \
                          'client_assertion' or 'client_secret'."
                    .to_owned(),
            });
        }
        Some(secret) if secret != registered.as_str() => {
            return answer.refuse(Refusal {
                status: StatusCode::UNAUTHORIZED,
                error: "invalid_client",
                code: 7_000_215,
                message: format!(
                    "Invalid client secret provided. The secret sent is not one of app '{}'.",
                    quoted(client_id)
                ),
            });
        }
        Some(_) => {}
    }
    if let Err(refusal) = check_scope(&shared, scope, &tenant) {
        return answer.refuse(refusal);
    }
    let token = uuid::Uuid::new_v4().simple().to_string();
    let lifetime = state.issue(token.clone(), Instant::now());
    drop(state);
    let seconds = lifetime.as_secs();
    answer.json(
        StatusCode::OK,
        &Grant {
            token_type: "Bearer",
            expires_in: seconds,
            ext_expires_in: seconds,
            access_token: &token,
        },
    )
}

// ---------------------------------------------------------------------------
// Graph's side: the token of every request
// ---------------------------------------------------------------------------

/// The token of an `Authorization: Bearer <token>` header.
pub(super) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `401 InvalidAuthenticationToken` with `message` and Graph's `WWW-Authenticate` challenge.
fn unauthorized(message: &str, challenge: &str, context: &RequestContext) -> Response {
    let mut response = Failure::new(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        message,
    )
    .into_response(context);
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// Graph's challenge to a request without a valid token.
fn invalid_token_challenge() -> String {
    format!(
        "Bearer realm=\"\", authorization_uri=\"{AUTHORIZATION_URI}\", client_id=\"{GRAPH_APP_ID}\""
    )
}

/// The refusal of a Graph request without a bearer token, or, once sign-in is on, with one
/// the token endpoint did not issue, that was revoked or that has expired; `None` when the
/// request may be served.
pub(super) fn token_refusal(
    shared: &Shared,
    headers: &HeaderMap,
    context: &RequestContext,
) -> Option<Response> {
    let Some(token) = bearer_token(headers) else {
        return Some(unauthorized(
            "Access token is empty.",
            &invalid_token_challenge(),
            context,
        ));
    };
    let state = lock(&shared.sign_in.state);
    let valid = !state.required
        || state
            .tokens
            .get(token)
            .is_some_and(|issued| issued.is_valid(Instant::now()));
    drop(state);
    (!valid).then(|| {
        unauthorized(
            "Access token has expired or is not yet valid.",
            &invalid_token_challenge(),
            context,
        )
    })
}

/// Continuous access evaluation's answer: every token issued so far is revoked, and the
/// request is refused with a claims challenge carrying `claims`.
pub(super) fn claims_challenge(
    shared: &Shared,
    claims: &str,
    context: &RequestContext,
) -> Response {
    shared.sign_in.revoke_all();
    let challenge = format!(
        "Bearer realm=\"\", authorization_uri=\"{AUTHORIZATION_URI}\", \
         error=\"insufficient_claims\", claims=\"{}\"",
        base64::engine::general_purpose::STANDARD.encode(claims)
    );
    unauthorized(
        "Continuous access evaluation challenged the token: sign in again with the claims of \
         the WWW-Authenticate header.",
        &challenge,
        context,
    )
}

// ---------------------------------------------------------------------------
// The handle
// ---------------------------------------------------------------------------

impl LocalGraphHandle {
    /// Registers the application `client_id` with the client secret `secret` (a second call
    /// for the same id replaces its secret) and turns sign-in on: from now on every Graph
    /// request needs a token from the token endpoint,
    /// `POST {base_url}/{tenant}/oauth2/v2.0/token` (any tenant), asked for with the
    /// client-credentials grant, this id and secret, and the scope
    /// [`default_scope`](Self::default_scope) (or `https://graph.microsoft.com/.default`).
    pub fn register_app(&self, client_id: impl Into<String>, secret: impl Into<String>) {
        let mut state = lock(&self.graph.shared.sign_in.state);
        state.apps.insert(client_id.into(), secret.into());
        state.required = true;
    }

    /// The token endpoint for `tenant`: `{base_url}/{tenant}/oauth2/v2.0/token`, `tenant`
    /// percent-encoded.
    pub fn token_endpoint(&self, tenant: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.base_url,
            utf8_percent_encode(tenant, PATH_SEGMENT)
        )
    }

    /// The scope tokens for this local Graph are asked for: `{graph root}/.default`, the root
    /// being the scheme and host of [`base_url`](Self::base_url), such as
    /// `http://127.0.0.1:49152/.default`.
    pub fn default_scope(&self) -> String {
        default_scope(&self.graph.shared)
            .unwrap_or_else(|| format!("{}/.default", root_of(&self.base_url)))
    }

    /// Whether Graph requests need a token the token endpoint issued: after
    /// [`register_app`](Self::register_app) or
    /// [`LocalGraphBuilder::require_sign_in`](super::LocalGraphBuilder::require_sign_in).
    /// Otherwise any bearer token is accepted.
    pub fn sign_in_required(&self) -> bool {
        self.graph.shared.sign_in.is_required()
    }

    /// Issues the tokens of later token requests with `lifetime` (their `expires_in` is its
    /// whole seconds); tokens already issued keep theirs.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        lock(&self.graph.shared.sign_in.state).lifetime = lifetime;
    }

    /// Makes every token issued so far expire now: requests that carry one are refused with
    /// `401`, as for any expired token, until the client asks for a new one.
    pub fn expire_tokens(&self) {
        self.graph.shared.sign_in.revoke_all();
    }

    /// Answers the next request with a claims challenge, as continuous access evaluation
    /// does when a token is revoked (queued as [`Fault::ClaimsChallenge`], after the faults
    /// already queued): `401 InvalidAuthenticationToken` with
    /// `WWW-Authenticate: Bearer realm="", authorization_uri="…", error="insufficient_claims",
    /// claims="<claims in base64>"`. Serving it revokes every token issued so far, so that
    /// only a token asked for afterwards (with `claims`, which
    /// [`last_claims`](Self::last_claims) shows) is accepted once sign-in is on.
    pub fn challenge_next(&self, claims: impl Into<String>) {
        self.inject(
            Fault::ClaimsChallenge {
                claims: claims.into(),
            },
            1,
        );
    }

    /// How many requests the token endpoint received (`POST`s, answered with a token or
    /// refused). Token requests are not in [`requests`](Self::requests).
    pub fn token_requests(&self) -> usize {
        lock(&self.graph.shared.sign_in.state).requests
    }

    /// The `claims` parameter of the last token request, if it had one.
    pub fn last_claims(&self) -> Option<String> {
        lock(&self.graph.shared.sign_in.state).last_claims.clone()
    }
}
