//! Signing in with the client-credentials grant, against the local Graph's token endpoint
//! (in the shape of Microsoft Entra ID's) over loopback: tokens are cached, refreshed once
//! however many requests wait, refreshed and the request sent again when Graph refuses one
//! (expired, revoked, or a continuous access evaluation claims challenge), and a failed
//! sign-in is an error that names the credential and never contains the secret.

use std::time::Duration;

use graph_connectors::Client;
use support::{all_error_text, within};

mod support;
use graph_connectors::client::ListNdesConnectorsOptions;
use graph_connectors::local_graph::{LocalGraph, LocalGraphHandle};
use graph_connectors::runtime::{ClientCredentials, Error};

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const SECRET: &str = "sEcReT~never-printed-0123";

/// A local Graph with the application registered, and a client that signs in to it.
async fn signed_in(token_lifetime: Duration) -> (LocalGraphHandle, Client) {
    let (graph, base_url) = LocalGraph::builder()
        .token_lifetime(token_lifetime)
        .start()
        .await
        .unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let client = client(&graph, &base_url, SECRET);
    (graph, client)
}

fn client(graph: &LocalGraphHandle, base_url: &str, secret: &str) -> Client {
    let credential = ClientCredentials::new(graph.token_endpoint(TENANT), CLIENT_ID, secret)
        .scope(graph.default_scope());
    Client::builder()
        .base_url(base_url)
        .credential(credential)
        .build()
        .unwrap()
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .list_ndes_connectors(&ListNdesConnectorsOptions::default())
        .await
        .map(drop)
}

/// Lists the NDES connectors in 50 requests sent at once; each must succeed.
async fn list_fifty_at_once(client: &Client) {
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await })
        })
        .collect();
    for call in calls {
        within(call).await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn one_token_serves_many_requests_until_it_nears_expiry() {
    let (graph, client) = signed_in(Duration::from_secs(2)).await;
    for _ in 0..10 {
        within(list(&client)).await.unwrap();
    }
    assert_eq!(graph.token_requests(), 1, "the token is cached");
    // Past half its two-second lifetime, the cache asks for a new one before using it.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    within(list(&client)).await.unwrap();
    assert_eq!(graph.token_requests(), 2);
}

#[tokio::test]
async fn fifty_concurrent_requests_sign_in_once() {
    let (graph, client) = signed_in(Duration::from_secs(3600)).await;
    list_fifty_at_once(&client).await;
    assert_eq!(graph.token_requests(), 1);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_requests_sent_again() {
    let (graph, client) = signed_in(Duration::from_secs(3600)).await;
    within(list(&client)).await.unwrap();
    // Graph stops accepting the token before the client thinks it expires.
    graph.expire_tokens();
    list_fifty_at_once(&client).await;
    assert_eq!(graph.token_requests(), 2, "one refresh for all 50");
    let refused = graph
        .requests()
        .iter()
        .filter(|request| request.status == Some(401))
        .count();
    assert!(
        (1..=50).contains(&refused),
        "{refused} requests were refused"
    );
}

#[tokio::test]
async fn a_claims_challenge_gets_a_token_asked_for_with_its_claims() {
    let (graph, client) = signed_in(Duration::from_secs(3600)).await;
    within(list(&client)).await.unwrap();
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1733230000"}}}"#;
    graph.challenge_next(claims);
    within(list(&client)).await.unwrap();
    assert_eq!(graph.token_requests(), 2);
    assert_eq!(graph.last_claims().as_deref(), Some(claims));
    let statuses: Vec<Option<u16>> = graph.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [Some(200), Some(401), Some(200)],
        "challenged once, then sent again"
    );
}

#[tokio::test]
async fn a_token_refused_again_after_the_refresh_is_the_callers_error() {
    let (graph, client) = signed_in(Duration::from_secs(3600)).await;
    within(list(&client)).await.unwrap();
    graph.challenge_next("{}");
    graph.challenge_next("{}");
    let error = within(list(&client)).await.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(graph.token_requests(), 2, "refreshed once, not in a loop");
}

#[tokio::test]
async fn a_failed_sign_in_names_the_credential_and_the_reason_never_the_secret() {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let wrong = "wrong-secret-also-never-printed";
    let error = within(list(&client(&graph, &base_url, wrong)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Token { .. }), "{error:?}");
    let text = all_error_text(&error);
    assert!(
        text.contains(CLIENT_ID) && text.contains("invalid_client") && text.contains("7000215"),
        "{text}"
    );
    assert!(!text.contains(wrong) && !text.contains(SECRET), "{text}");

    let stranger = ClientCredentials::new(graph.token_endpoint(TENANT), "not-registered", SECRET)
        .scope(graph.default_scope());
    let stranger = Client::builder()
        .base_url(&base_url)
        .credential(stranger)
        .build()
        .unwrap();
    let text = all_error_text(&within(list(&stranger)).await.unwrap_err());
    assert!(
        text.contains("unauthorized_client") && text.contains("700016"),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
    assert!(
        graph.requests().is_empty(),
        "no Graph request was sent without a token"
    );
}

#[tokio::test]
async fn a_fixed_token_that_is_refused_is_not_sent_again() {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("a token from elsewhere")
        .build()
        .unwrap();
    let error = within(list(&client)).await.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(
        graph.requests().len(),
        1,
        "a fixed token cannot be refreshed"
    );
}
