//! JSON batching against the local Graph's `$batch` endpoint over loopback: operations built
//! by the generated methods, answered in request order with their own statuses and typed
//! errors, `dependsOn` ordering and its `424`, and items throttled inside the batch sent again
//! after their own `Retry-After`.

use std::time::{Duration, Instant};

use graph_connectors::Client;
use graph_connectors::client::{
    DeleteNdesConnectorOptions, GetNdesConnectorOptions, ListNdesConnectorsOptions,
};
use graph_connectors::local_graph::{LocalGraph, LocalGraphHandle};
use graph_connectors::models::NdesConnector;
use graph_connectors::runtime::{Error, RetryPolicy};
use support::within;

mod support;

async fn start() -> (LocalGraphHandle, Client) {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("local")
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
        .build()
        .unwrap();
    (graph, client)
}

fn named(name: &str) -> NdesConnector {
    NdesConnector {
        display_name: Some(name.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn operations_keep_their_typed_answers_and_errors_in_request_order() {
    let (graph, client) = start().await;
    let mut batch = client.batch();
    let first = batch
        .add(client.create_ndes_connector(&named("Lab 1")))
        .unwrap();
    let second = batch
        .add(client.create_ndes_connector(&named("Lab 2")))
        .unwrap();
    let listed = batch
        .add_after(
            client.list_ndes_connectors(&ListNdesConnectorsOptions::default()),
            &second,
        )
        .unwrap();
    let missing = batch
        .add(client.get_ndes_connector("no-such-id", &GetNdesConnectorOptions::default()))
        .unwrap();
    let mut results = within(batch.send()).await.unwrap();
    assert_eq!(
        results.statuses(),
        [Some(201), Some(201), Some(200), Some(404)]
    );
    let first = results.take(first).unwrap();
    assert_eq!(first.display_name.as_deref(), Some("Lab 1"));
    assert!(first.id.is_some(), "the local Graph assigned an id");
    // Run after the second create: the list sees both.
    let names: Vec<String> = results
        .take(listed)
        .unwrap()
        .value
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.display_name)
        .collect();
    assert_eq!(names, ["Lab 1", "Lab 2"]);
    match results.take(missing) {
        Err(Error::Api(error)) => {
            assert_eq!(error.status, 404);
            assert_eq!(error.code.as_deref(), Some("ResourceNotFound"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        graph
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("$batch"))
            .count(),
        1,
        "one HTTP request"
    );
}

#[tokio::test]
async fn a_failed_dependency_is_424_for_its_dependents_only() {
    let (_graph, client) = start().await;
    let mut batch = client.batch();
    let gone = batch
        .add(client.delete_ndes_connector("no-such-id", &DeleteNdesConnectorOptions::default()))
        .unwrap();
    let after = batch
        .add_after(
            client.list_ndes_connectors(&ListNdesConnectorsOptions::default()),
            &gone,
        )
        .unwrap();
    let alone = batch
        .add(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .unwrap();
    let mut results = within(batch.send()).await.unwrap();
    assert_eq!(results.statuses(), [Some(404), Some(424), Some(200)]);
    assert_eq!(results.take(after).unwrap_err().status(), Some(424));
    assert!(results.take(alone).is_ok());
}

#[tokio::test]
async fn an_item_throttled_inside_the_batch_is_sent_again_after_its_retry_after() {
    let (graph, client) = start().await;
    let mut batch = client.batch();
    let items: Vec<_> = (0..3)
        .map(|i| {
            batch
                .add(client.create_ndes_connector(&named(&format!("Lab {i}"))))
                .unwrap()
        })
        .collect();
    graph.throttle_next(1, Duration::from_secs(1));
    let started = Instant::now();
    let mut results = within(batch.send()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "its Retry-After was honoured"
    );
    for item in items {
        assert!(results.take(item).is_ok());
    }
    let batches = graph
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("$batch"))
        .count();
    assert_eq!(batches, 2, "the throttled item went in a second batch");
    let stored = within(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .await
        .unwrap();
    assert_eq!(
        stored.value.unwrap_or_default().len(),
        3,
        "each created once"
    );
}
