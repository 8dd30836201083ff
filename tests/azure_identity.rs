//! The `azure-identity` feature: an `azure_core` `TokenCredential` signs the client in to the
//! local Graph over loopback, asked for Graph's `/.default` scope, cached and refreshed as any
//! token source; and without the feature, no Azure crate is compiled.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_connectors::azure::azure_core;
use graph_connectors::client::ListNdesConnectorsOptions;
use graph_connectors::local_graph::LocalGraph;
use graph_connectors::runtime::{ClientCredentials, Error, TokenSource};
use graph_connectors::{AzureCredential, Client, NationalCloud};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::OffsetDateTime;

const CLIENT_ID: &str = "3f8b7c1e-52d4-4f9a-9a41-0c6d2b8e7f10";
const SECRET: &str = "azure-sEcReT-never-printed";

/// A `TokenCredential`, as `azure_identity`'s are, that signs in at the local Graph's token
/// endpoint and records what it was asked for.
#[derive(Debug)]
struct LocalEntra {
    endpoint: String,
    calls: AtomicUsize,
    scopes: Mutex<Vec<Vec<String>>>,
    fail: bool,
}

#[async_trait::async_trait]
impl TokenCredential for LocalEntra {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.scopes
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| (*s).to_owned()).collect());
        if self.fail {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "the managed identity endpoint is unreachable",
            ));
        }
        let mut credential = ClientCredentials::new(&self.endpoint, CLIENT_ID, SECRET);
        for scope in scopes {
            credential = credential.scope(*scope);
        }
        let token = credential.fetch(None).await.map_err(|e| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, e.to_string())
        })?;
        Ok(AccessToken::new(
            token.expose_secret().to_owned(),
            OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1),
        ))
    }
}

#[tokio::test]
async fn an_azure_credential_signs_in_with_graphs_scope_and_is_cached_and_refreshed() {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let entra = Arc::new(LocalEntra {
        endpoint: graph.token_endpoint("contoso.onmicrosoft.com"),
        calls: AtomicUsize::new(0),
        scopes: Mutex::new(Vec::new()),
        fail: false,
    });
    let client = Client::builder()
        .base_url(&base_url)
        .credential(AzureCredential::new(entra.clone()))
        .build()
        .unwrap();
    for _ in 0..5 {
        client
            .list_ndes_connectors(&ListNdesConnectorsOptions::default())
            .await
            .unwrap();
    }
    assert_eq!(entra.calls.load(Ordering::SeqCst), 1, "cached");
    assert_eq!(
        entra.scopes.lock().unwrap()[0],
        [NationalCloud::Global.scope()]
    );
    graph.expire_tokens();
    client
        .list_ndes_connectors(&ListNdesConnectorsOptions::default())
        .await
        .unwrap();
    assert_eq!(
        entra.calls.load(Ordering::SeqCst),
        2,
        "refreshed once after a 401"
    );
}

#[tokio::test]
async fn a_failing_azure_credential_is_a_token_error_naming_it() {
    let entra = Arc::new(LocalEntra {
        endpoint: String::from("https://login.invalid/t/oauth2/v2.0/token"),
        calls: AtomicUsize::new(0),
        scopes: Mutex::new(Vec::new()),
        fail: true,
    });
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credential(
            AzureCredential::for_cloud(entra, NationalCloud::China)
                .scopes(["https://microsoftgraph.chinacloudapi.cn/User.Read.All"]),
        )
        .build()
        .unwrap();
    let error = tokio::time::timeout(
        Duration::from_secs(20),
        client.list_ndes_connectors(&ListNdesConnectorsOptions::default()),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(matches!(error, Error::Token { .. }), "{error:?}");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.contains("LocalEntra") && source.contains("unreachable"),
        "{source}"
    );
}

#[test]
fn without_the_feature_no_azure_crate_is_compiled() {
    let tree = |features: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args([
                "tree",
                "-p",
                "graph-connectors",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(features)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run cargo tree");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let azure = |tree: &str| {
        tree.lines()
            .filter(|line| line.starts_with("azure") || line.starts_with("typespec"))
            .count()
    };
    let without = tree(&[]);
    assert_eq!(azure(&without), 0, "{without}");
    let with = tree(&["--features", "azure-identity"]);
    assert!(azure(&with) > 0, "{with}");
}
