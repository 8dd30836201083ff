//! Signing in as an application (the OAuth 2.0 client-credentials grant), against a local
//! Graph whose token endpoint answers as Microsoft Entra ID's does: the client asks for a
//! token once, reuses it, and signs in again when Graph refuses it (here, a continuous access
//! evaluation claims challenge).
//!
//! ```text
//! cargo run --example sign_in
//! ```
//!
//! Against Microsoft Graph, the credential is the application's in its tenant:
//!
//! ```text
//! let credential = NationalCloud::Global.client_credentials(tenant, client_id, secret);
//! let client = Client::builder().credential(credential).build()?;
//! ```

use std::error::Error;

use graph_connectors::Client;
use graph_connectors::client::ListNdesConnectorsOptions;
use graph_connectors::local_graph::LocalGraph;
use graph_connectors::runtime::ClientCredentials;

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (graph, base_url) = LocalGraph::start().await?;
    let secret = uuid::Uuid::new_v4().to_string();
    graph.register_app(CLIENT_ID, &secret);
    println!(
        "local Graph on {base_url}; token endpoint {}",
        graph.token_endpoint(TENANT)
    );

    let credential = ClientCredentials::new(graph.token_endpoint(TENANT), CLIENT_ID, &secret)
        .scope(graph.default_scope());
    let client = Client::builder()
        .base_url(&base_url)
        .credential(credential)
        .build()?;

    for _ in 0..5 {
        client
            .list_ndes_connectors(&ListNdesConnectorsOptions::default())
            .await?;
    }
    println!(
        "5 requests, {} token request: the token is cached until shortly before it expires",
        graph.token_requests()
    );

    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1733230000"}}}"#;
    graph.challenge_next(claims);
    client
        .list_ndes_connectors(&ListNdesConnectorsOptions::default())
        .await?;
    let statuses: Vec<String> = graph
        .requests()
        .iter()
        .skip(5)
        .map(|request| {
            request
                .status
                .map_or_else(|| String::from("-"), |s| s.to_string())
        })
        .collect();
    println!(
        "claims challenge: Graph answered {}, the client signed in again with the claims ({} token requests, claims {}) and sent the request again",
        statuses.join(" then "),
        graph.token_requests(),
        if graph.last_claims().as_deref() == Some(claims) {
            "passed on"
        } else {
            "lost"
        }
    );

    let wrong = ClientCredentials::new(graph.token_endpoint(TENANT), CLIENT_ID, "not the secret")
        .scope(graph.default_scope());
    let refused = Client::builder()
        .base_url(&base_url)
        .credential(wrong)
        .build()?
        .list_ndes_connectors(&ListNdesConnectorsOptions::default())
        .await
        .expect_err("a wrong secret is refused");
    let reason = std::error::Error::source(&refused).map(ToString::to_string);
    println!("a wrong secret: {refused}: {}", reason.unwrap_or_default());
    graph.shutdown().await;
    Ok(())
}
