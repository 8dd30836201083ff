//! JSON batching against a local Graph: several operations, built by the client's own
//! methods, sent as one `POST /$batch`; one waits for another (`dependsOn`), one fails on its
//! own, and one is throttled inside the batch and sent again after its `Retry-After`.
//!
//! ```text
//! cargo run --example batch
//! ```

use std::error::Error;
use std::time::{Duration, Instant};

use graph_connectors::Client;
use graph_connectors::client::{GetNdesConnectorOptions, ListNdesConnectorsOptions};
use graph_connectors::local_graph::LocalGraph;
use graph_connectors::models::NdesConnector;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (graph, base_url) = LocalGraph::start().await?;
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("local")
        .build()?;
    let named = |name: &str| NdesConnector {
        display_name: Some(name.into()),
        ..Default::default()
    };

    let mut batch = client.batch();
    let first = batch.add(client.create_ndes_connector(&named("Lab NDES 1")))?;
    let second = batch.add(client.create_ndes_connector(&named("Lab NDES 2")))?;
    let listed = batch.add_after(
        client.list_ndes_connectors(&ListNdesConnectorsOptions::default()),
        &second,
    )?;
    let missing =
        batch.add(client.get_ndes_connector("no-such-id", &GetNdesConnectorOptions::default()))?;
    // The next operation the local Graph serves is answered `429` with `Retry-After: 1`.
    graph.throttle_next(1, Duration::from_secs(1));

    let started = Instant::now();
    let mut results = batch.send().await?;
    println!(
        "4 operations, statuses {:?}, in {} batch requests and {:.1} s",
        results.statuses(),
        graph
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("$batch"))
            .count(),
        started.elapsed().as_secs_f64()
    );
    for item in [first, second] {
        let created = results.take(item)?;
        println!(
            "  created {:?} -> id {}",
            created.display_name.unwrap_or_default(),
            created.id.unwrap_or_default()
        );
    }
    let names: Vec<String> = results
        .take(listed)?
        .value
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.display_name)
        .collect();
    // The throttled operation (the first create) was answered in the second batch request;
    // the list waited only for the second create.
    println!(
        "  listed after the second create (the first was throttled and sent again): {names:?}"
    );
    match results.take(missing) {
        Err(error) => println!("  get no-such-id -> {error}"),
        Ok(found) => println!("  get no-such-id -> unexpectedly found {found:?}"),
    }
    graph.shutdown().await;
    Ok(())
}
