//! The local Graph signs in as Microsoft Entra ID and Microsoft Graph do, over real sockets on
//! 127.0.0.1: its token endpoint (`POST /{tenant}/oauth2/v2.0/token`, client credentials)
//! issues tokens and refuses as Entra does, Graph requests need an issued token that has not
//! expired once sign-in is on, a claims challenge revokes the tokens issued before it, and with
//! sign-in off any bearer token still works.

use std::time::Duration;

use graph_connectors::local_graph::{Fault, LocalGraph, LocalGraphHandle};
use support::{Answer, answer, http, member_names};

mod support;

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const SECRET: &str = "Xy8Q~local-graph-client-secret.1";

/// Graph's challenge to a missing, foreign or expired token.
const INVALID_TOKEN_CHALLENGE: &str = "Bearer realm=\"\", \
    authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", \
    client_id=\"00000003-0000-0000-c000-000000000000\"";

/// The form parameters of a token request.
type Params<'a> = Vec<(&'a str, &'a str)>;

/// A token request with these form parameters.
async fn token_request(graph: &LocalGraphHandle, form: &[(&str, &str)]) -> Answer {
    let body = serde_urlencoded::to_string(form).unwrap();
    answer(
        http()
            .post(graph.token_endpoint(TENANT))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("client-request-id", "0f4d7a3c-9f0e-4c5b-8a55-2a1f2d0b7e11")
            .body(body),
    )
    .await
}

/// The client-credentials parameters of the registered application, for this Graph.
fn credentials(graph: &LocalGraphHandle) -> Vec<(&'static str, String)> {
    vec![
        ("grant_type", "client_credentials".to_owned()),
        ("client_id", CLIENT_ID.to_owned()),
        ("client_secret", SECRET.to_owned()),
        ("scope", graph.default_scope()),
    ]
}

fn borrowed<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// The `error_description` of the answer to a token request with these form parameters.
async fn description(graph: &LocalGraphHandle, form: &[(&str, &str)]) -> String {
    let answer = token_request(graph, form).await;
    answer.body["error_description"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Signs in as the registered application; returns the access token.
async fn sign_in(graph: &LocalGraphHandle) -> String {
    let answer = token_request(graph, &borrowed(&credentials(graph))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["access_token"].as_str().unwrap().to_owned()
}

/// `GET /connectors` with `Authorization: Bearer <token>` (none when `None`).
async fn list(graph: &LocalGraphHandle, token: Option<&str>) -> Answer {
    let mut request = http()
        .get(format!("{}/connectors", graph.base_url()))
        .header("client-request-id", "7d3f0c1e-2b4a-4e59-9c7d-5f6a8b9c0d1e");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    answer(request).await
}

async fn start_signed_in() -> LocalGraphHandle {
    let (graph, _) = LocalGraph::start().await.unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    graph
}

/// Graph's `401 InvalidAuthenticationToken`, exactly: the body (with an `innerError` holding the
/// date and both request ids) and the challenge.
fn assert_refused(answer: &Answer, message: &str, challenge: &str) {
    assert_eq!(answer.status, 401, "{}", answer.text);
    assert_eq!(answer.header("www-authenticate"), Some(challenge));
    answer.assert_json();
    let request_id = answer.header("request-id").unwrap();
    let error = &answer.body["error"];
    let members = member_names(&answer.body);
    assert_eq!(members, ["error"]);
    let keys = member_names(error);
    assert_eq!(keys, ["code", "innerError", "message"], "{}", answer.text);
    assert_eq!(error["code"], "InvalidAuthenticationToken");
    assert_eq!(error["message"], message);
    let inner = &error["innerError"];
    let keys = member_names(inner);
    assert_eq!(keys, ["client-request-id", "date", "request-id"]);
    assert_eq!(inner["request-id"], request_id);
    assert_eq!(
        inner["client-request-id"],
        "7d3f0c1e-2b4a-4e59-9c7d-5f6a8b9c0d1e"
    );
    // Graph writes the date without an offset: 2024-05-01T10:00:00.
    let date = inner["date"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "{date}"
    );
}

const EXPIRED: &str = "Access token has expired or is not yet valid.";

// ---------------------------------------------------------------------------
// Tokens issued and accepted
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_token_is_issued_in_entras_shape_and_accepted() {
    let graph = start_signed_in().await;
    assert!(graph.sign_in_required());
    let answer = token_request(&graph, &borrowed(&credentials(&graph))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let members = member_names(&answer.body);
    assert_eq!(
        members,
        ["access_token", "expires_in", "ext_expires_in", "token_type"]
    );
    assert_eq!(answer.body["token_type"], "Bearer");
    assert_eq!(answer.body["expires_in"], 3599);
    assert_eq!(answer.body["ext_expires_in"], 3599);
    assert_eq!(
        answer.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(answer.header("cache-control"), Some("no-store, no-cache"));
    assert_eq!(
        answer.header("client-request-id"),
        Some("0f4d7a3c-9f0e-4c5b-8a55-2a1f2d0b7e11")
    );
    assert!(answer.header("x-ms-request-id").is_some());
    let token = answer.body["access_token"].as_str().unwrap();
    assert!(token.len() >= 32, "{token}");
    assert!(!answer.text.contains(SECRET));

    let listed = list(&graph, Some(token)).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(graph.token_requests(), 1);
    assert_eq!(graph.last_claims(), None);

    // Each token is new, and every unexpired one is accepted.
    let second = sign_in(&graph).await;
    assert_ne!(second, token);
    assert_eq!(list(&graph, Some(&second)).await.status, 200);
    assert_eq!(list(&graph, Some(token)).await.status, 200);
    assert_eq!(graph.token_requests(), 2);
    // Token requests are not Graph requests.
    assert!(
        graph
            .requests()
            .iter()
            .all(|request| request.path_only() == "/connectors")
    );
    graph.shutdown().await;
}

#[tokio::test]
async fn microsoft_graphs_scope_is_accepted_too_and_any_tenant() {
    let graph = start_signed_in().await;
    assert!(graph.default_scope().starts_with("http://127.0.0.1:"));
    assert!(graph.default_scope().ends_with("/.default"));
    for scope in [
        "https://graph.microsoft.com/.default",
        "HTTPS://GRAPH.MICROSOFT.COM/.default",
    ] {
        let mut form = credentials(&graph);
        form[3].1 = scope.to_owned();
        let answer = token_request(&graph, &borrowed(&form)).await;
        assert_eq!(answer.status, 200, "{scope}: {}", answer.text);
    }
    let body = serde_urlencoded::to_string(borrowed(&credentials(&graph))).unwrap();
    let answer = answer(
        http()
            .post(graph.token_endpoint("9188040d-6c67-4c5b-b112-36a304b66dad"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    graph.shutdown().await;
}

// ---------------------------------------------------------------------------
// Tokens refused
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_expired_token_is_refused_with_graphs_body_and_challenge() {
    let (graph, _) = LocalGraph::builder()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let answer = token_request(&graph, &borrowed(&credentials(&graph))).await;
    assert_eq!(answer.body["expires_in"], 2, "{}", answer.text);
    assert_eq!(answer.body["ext_expires_in"], 2);
    let token = answer.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(list(&graph, Some(&token)).await.status, 200);

    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let refused = list(&graph, Some(&token)).await;
    assert_refused(&refused, EXPIRED, INVALID_TOKEN_CHALLENGE);
    let last = graph.requests().pop().unwrap();
    assert_eq!(last.status, Some(401));
    assert!(last.has_bearer_token);

    // A new token works again; the handle sets the lifetime of later ones.
    graph.set_token_lifetime(Duration::from_secs(60));
    let answer = token_request(&graph, &borrowed(&credentials(&graph))).await;
    assert_eq!(answer.body["expires_in"], 60);
    let fresh = answer.body["access_token"].as_str().unwrap();
    assert_eq!(list(&graph, Some(fresh)).await.status, 200);
    graph.shutdown().await;
}

#[tokio::test]
async fn expire_tokens_refuses_every_token_until_a_new_one() {
    let graph = start_signed_in().await;
    let token = sign_in(&graph).await;
    assert_eq!(list(&graph, Some(&token)).await.status, 200);
    graph.expire_tokens();
    assert_refused(
        &list(&graph, Some(&token)).await,
        EXPIRED,
        INVALID_TOKEN_CHALLENGE,
    );
    let fresh = sign_in(&graph).await;
    assert_eq!(list(&graph, Some(&fresh)).await.status, 200);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_foreign_or_missing_token_is_refused() {
    let graph = start_signed_in().await;
    let issued = sign_in(&graph).await;
    for foreign in [
        "any token",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl",
        &issued[..issued.len() - 1],
        &format!("{issued}0"),
        &issued.to_uppercase(),
    ] {
        assert_refused(
            &list(&graph, Some(foreign)).await,
            EXPIRED,
            INVALID_TOKEN_CHALLENGE,
        );
    }
    assert_refused(
        &list(&graph, None).await,
        "Access token is empty.",
        INVALID_TOKEN_CHALLENGE,
    );
    // Another scheme carries no bearer token.
    let basic = answer(
        http()
            .get(format!("{}/connectors", graph.base_url()))
            .header("client-request-id", "7d3f0c1e-2b4a-4e59-9c7d-5f6a8b9c0d1e")
            .header("authorization", format!("Basic {issued}")),
    )
    .await;
    assert_refused(&basic, "Access token is empty.", INVALID_TOKEN_CHALLENGE);
    assert_eq!(list(&graph, Some(&issued)).await.status, 200);
    graph.shutdown().await;
}

#[tokio::test]
async fn require_sign_in_refuses_every_token_before_any_app_is_registered() {
    let (graph, _) = LocalGraph::builder()
        .require_sign_in()
        .start()
        .await
        .unwrap();
    assert!(graph.sign_in_required());
    assert_refused(
        &list(&graph, Some("any token")).await,
        EXPIRED,
        INVALID_TOKEN_CHALLENGE,
    );
    let answer = token_request(&graph, &borrowed(&credentials(&graph))).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body["error"], "unauthorized_client");
    graph.register_app(CLIENT_ID, SECRET);
    let token = sign_in(&graph).await;
    assert_eq!(list(&graph, Some(&token)).await.status, 200);
    graph.shutdown().await;
}

// ---------------------------------------------------------------------------
// The token endpoint's refusals
// ---------------------------------------------------------------------------

/// Entra's error body: the members, the `AADSTS` code in the description and in `error_codes`,
/// the ids and the time; and never the secret.
fn assert_entra_error(answer: &Answer, status: u16, error: &str, code: u32, case: &str) {
    assert_eq!(answer.status, status, "{case}: {}", answer.text);
    let body = &answer.body;
    let members = member_names(body);
    assert_eq!(
        members,
        [
            "correlation_id",
            "error",
            "error_codes",
            "error_description",
            "error_uri",
            "timestamp",
            "trace_id",
        ],
        "{case}"
    );
    assert_eq!(body["error"], error, "{case}");
    assert_eq!(body["error_codes"], serde_json::json!([code]), "{case}");
    assert_eq!(
        body["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}"),
        "{case}"
    );
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{case}: {description}"
    );
    let trace_id = body["trace_id"].as_str().unwrap();
    let correlation_id = body["correlation_id"].as_str().unwrap();
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(timestamp, "%Y-%m-%d %H:%M:%SZ").is_ok(),
        "{timestamp}"
    );
    assert!(
        description.ends_with(&format!(
            "\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}"
        )),
        "{case}: {description}"
    );
    assert_eq!(answer.header("x-ms-request-id"), Some(trace_id));
    assert!(
        !answer.text.contains(SECRET) && !answer.text.contains("wrong-secret"),
        "{case}: {}",
        answer.text
    );
}

#[tokio::test]
async fn each_refusal_has_entras_status_error_and_code() {
    let graph = start_signed_in().await;
    let scope = graph.default_scope();
    let good = |name: &str| match name {
        "grant_type" => "client_credentials",
        "client_id" => CLIENT_ID,
        "client_secret" => SECRET,
        _ => scope.as_str(),
    };
    let without = |left_out: &str| -> Params {
        ["grant_type", "client_id", "client_secret", "scope"]
            .into_iter()
            .filter(|name| *name != left_out)
            .map(|name| (name, good(name)))
            .collect()
    };
    let with = |name: &'static str, value: &'static str| -> Params {
        let mut form = without(name);
        form.push((name, value));
        form
    };
    // What is sent, and the status, `error` and AADSTS code of the answer.
    let cases: Vec<(&str, Params, u16, &str, u32)> = vec![
        (
            "wrong secret",
            with("client_secret", "wrong-secret"),
            401,
            "invalid_client",
            7_000_215,
        ),
        (
            "no secret",
            without("client_secret"),
            401,
            "invalid_client",
            7_000_218,
        ),
        (
            "unknown client",
            with("client_id", "00000000-1111-2222-3333-444444444444"),
            400,
            "unauthorized_client",
            700_016,
        ),
        (
            "a permission as scope",
            with("scope", "https://graph.microsoft.com/User.Read.All"),
            400,
            "invalid_scope",
            1_002_012,
        ),
        (
            "two scopes",
            with(
                "scope",
                "https://graph.microsoft.com/.default offline_access",
            ),
            400,
            "invalid_scope",
            1_002_012,
        ),
        (
            "another resource",
            with("scope", "https://management.azure.com/.default"),
            400,
            "invalid_resource",
            500_011,
        ),
        (
            "password grant",
            with("grant_type", "password"),
            400,
            "unsupported_grant_type",
            70_003,
        ),
        (
            "authorization code grant",
            with("grant_type", "authorization_code"),
            400,
            "unsupported_grant_type",
            70_003,
        ),
        (
            "no grant type",
            without("grant_type"),
            400,
            "invalid_request",
            900_144,
        ),
        (
            "no client id",
            without("client_id"),
            400,
            "invalid_request",
            900_144,
        ),
        (
            "no scope",
            without("scope"),
            400,
            "invalid_request",
            900_144,
        ),
        (
            "empty scope",
            with("scope", ""),
            400,
            "invalid_request",
            900_144,
        ),
        (
            "a parameter twice",
            {
                let mut form = without("");
                form.push(("client_secret", "wrong-secret"));
                form
            },
            400,
            "invalid_request",
            9_002_313,
        ),
    ];
    for (case, form, status, error, code) in &cases {
        let answer = token_request(&graph, form).await;
        assert_entra_error(&answer, *status, error, *code, case);
        assert_eq!(
            answer.body["correlation_id"], "0f4d7a3c-9f0e-4c5b-8a55-2a1f2d0b7e11",
            "{case}"
        );
    }
    assert!(
        description(&graph, &without("scope"))
            .await
            .contains("must contain the following parameter: 'scope'")
    );
    assert!(
        description(
            &graph,
            &with("client_id", "00000000-1111-2222-3333-444444444444")
        )
        .await
        .contains(&format!(
            "'00000000-1111-2222-3333-444444444444' was not found in the directory '{TENANT}'"
        ))
    );
    assert!(
        description(&graph, &with("grant_type", "password"))
            .await
            .contains("'password'")
    );

    // A body that is not a form has no parameters.
    let json = answer(
        http()
            .post(graph.token_endpoint(TENANT))
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"grant_type":"client_credentials","client_id":"{CLIENT_ID}","client_secret":"{SECRET}"}}"#
            )),
    )
    .await;
    assert_entra_error(&json, 400, "invalid_request", 900_144, "JSON body");
    assert!(
        json.body["error_description"]
            .as_str()
            .unwrap()
            .contains("'grant_type'")
    );
    // The endpoint takes POST only.
    let get = answer(http().get(graph.token_endpoint(TENANT))).await;
    assert_entra_error(&get, 400, "invalid_request", 900_561, "GET");

    // Every POST counted, refused or not; none issued a token that Graph accepts.
    assert_eq!(graph.token_requests(), cases.len() + 4);
    assert_refused(
        &list(&graph, Some("any token")).await,
        EXPIRED,
        INVALID_TOKEN_CHALLENGE,
    );
    graph.shutdown().await;
}

// ---------------------------------------------------------------------------
// Claims challenge
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_claims_challenge_revokes_the_tokens_issued_before_it() {
    const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    // `CLAIMS` in standard base64, with padding.
    const ENCODED: &str =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ==";

    let graph = start_signed_in().await;
    let old = sign_in(&graph).await;
    assert_eq!(list(&graph, Some(&old)).await.status, 200);

    graph.challenge_next(CLAIMS);
    assert_eq!(graph.pending_faults(), 1);
    let challenged = list(&graph, Some(&old)).await;
    let challenge = format!(
        "Bearer realm=\"\", \
         authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", \
         error=\"insufficient_claims\", claims=\"{ENCODED}\""
    );
    assert_eq!(challenged.status, 401, "{}", challenged.text);
    assert_eq!(
        challenged.header("www-authenticate"),
        Some(challenge.as_str())
    );
    assert_eq!(
        challenged.body["error"]["code"],
        "InvalidAuthenticationToken"
    );
    let message = challenged.body["error"]["message"].as_str().unwrap();
    assert!(
        message
            .to_ascii_lowercase()
            .contains("continuous access evaluation"),
        "{message}"
    );
    assert!(challenged.body["error"]["innerError"]["request-id"].is_string());
    assert_eq!(
        graph.requests().last().unwrap().fault,
        Some(Fault::ClaimsChallenge {
            claims: CLAIMS.to_owned()
        })
    );

    // The old token stays refused; a token asked for with the claims is accepted.
    assert_refused(
        &list(&graph, Some(&old)).await,
        EXPIRED,
        INVALID_TOKEN_CHALLENGE,
    );
    let mut form = credentials(&graph);
    form.push(("claims", CLAIMS.to_owned()));
    let answer = token_request(&graph, &borrowed(&form)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(graph.last_claims().as_deref(), Some(CLAIMS));
    let new = answer.body["access_token"].as_str().unwrap();
    assert_eq!(list(&graph, Some(new)).await.status, 200);
    assert_refused(
        &list(&graph, Some(&old)).await,
        EXPIRED,
        INVALID_TOKEN_CHALLENGE,
    );
    // The next token request without claims clears them.
    sign_in(&graph).await;
    assert_eq!(graph.last_claims(), None);
    graph.shutdown().await;
}

// ---------------------------------------------------------------------------
// Sign-in off
// ---------------------------------------------------------------------------

#[tokio::test]
async fn with_sign_in_off_any_bearer_token_works() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    assert!(!graph.sign_in_required());
    for token in ["local", "any token", "eyJ0eXAiOiJKV1QifQ.e30.x"] {
        let answer = list(&graph, Some(token)).await;
        assert_eq!(answer.status, 200, "{token}: {}", answer.text);
    }
    assert_refused(
        &list(&graph, None).await,
        "Access token is empty.",
        INVALID_TOKEN_CHALLENGE,
    );
    // A claims challenge is still answered once; any token works again after it.
    graph.challenge_next("{}");
    let challenged = list(&graph, Some("local")).await;
    assert_eq!(challenged.status, 401);
    assert!(
        challenged
            .header("www-authenticate")
            .is_some_and(|value| value.ends_with("error=\"insufficient_claims\", claims=\"e30=\""))
    );
    assert_eq!(list(&graph, Some("local")).await.status, 200);
    // No application is registered: the token endpoint knows no client.
    let answer = token_request(&graph, &borrowed(&credentials(&graph))).await;
    assert_entra_error(&answer, 400, "unauthorized_client", 700_016, "no app");
    assert!(!graph.sign_in_required());
    graph.shutdown().await;
}
