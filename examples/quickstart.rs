//! The whole lifecycle of each collection, against a local Graph started in-process:
//! create, list (following `@odata.nextLink` across pages), get, update with `Patch`, delete,
//! and the `404` that follows. Then a throttled request that the client retries.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! The same calls work against Microsoft Graph: build the client with
//! `Client::new(token)` (or `Client::builder().bearer_token(token).build()`), which talks to
//! `https://graph.microsoft.com/beta`, instead of pointing it at the local base URL.

use std::error::Error;
use std::time::{Duration, Instant};

use graph_connectors::Client;
use graph_connectors::client::{
    GetConnectorOptions, GetDomainJoinConnectorOptions, GetNdesConnectorOptions,
    ListConnectorsOptions, ListDomainJoinConnectorsOptions, ListNdesConnectorsOptions,
};
use graph_connectors::local_graph::{LocalGraph, LocalGraphHandle};
use graph_connectors::models::{
    Connector, ConnectorStatus, ConnectorUpdate, DeviceManagementDomainJoinConnector,
    DeviceManagementDomainJoinConnectorState, DeviceManagementDomainJoinConnectorUpdate,
    NdesConnector, NdesConnectorState, NdesConnectorUpdate,
};
use graph_connectors::runtime::Patch;
use graph_connectors::runtime::paging::TryStreamExt;

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// Items per page: three items per collection then take two pages.
const PAGE_SIZE: usize = 2;

#[tokio::main]
async fn main() -> Result {
    let started = Instant::now();
    let (graph, base_url) = LocalGraph::builder().page_size(PAGE_SIZE).start().await?;
    println!("local Graph listening on {base_url} ({PAGE_SIZE} items per page)");

    // Against Microsoft Graph: `Client::new(token)?`. Any token will do locally.
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("local-token")
        .build()?;

    ndes_connectors(&client, &graph).await?;
    domain_join_connectors(&client, &graph).await?;
    connectors(&client, &graph).await?;
    throttling(&client, &graph).await?;

    let requests = graph.requests().len();
    graph.shutdown().await;
    println!(
        "\ndone: {requests} requests in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// How many `GET`s of `path` (the collection's pages) the local Graph served after the
/// first `since` requests.
fn pages_fetched(graph: &LocalGraphHandle, since: usize, path: &str) -> usize {
    graph
        .requests()
        .iter()
        .skip(since)
        .filter(|request| request.method == "GET" && request.path_only() == path)
        .count()
}

fn short(id: &Option<String>) -> &str {
    id.as_deref().map_or("?", |id| &id[..8.min(id.len())])
}

/// Prints the error of a call that was expected to fail with a Graph error.
fn print_error(what: &str, error: &graph_connectors::Error) {
    match error.api() {
        Some(api) => println!(
            "  {what:<9} -> {} {}: {} (request-id {})",
            api.status,
            api.code.as_deref().unwrap_or("-"),
            api.message.as_deref().unwrap_or("-"),
            api.request_id.as_deref().unwrap_or("-"),
        ),
        None => println!("  {what:<9} -> {error}"),
    }
}

async fn ndes_connectors(client: &Client, graph: &LocalGraphHandle) -> Result {
    println!("\nNDES connectors (/deviceManagement/ndesConnectors)");
    let mut ids = Vec::new();
    for n in 1..=3 {
        let created = client
            .create_ndes_connector(&NdesConnector {
                display_name: Some(format!("Lab NDES {n}")),
                machine_name: Some(format!("ndes-0{n}.contoso.local")),
                state: Some(NdesConnectorState::Active),
                ..Default::default()
            })
            .await?;
        println!(
            "  created   {:?} -> id {}… ({})",
            created.display_name.as_deref().unwrap_or_default(),
            short(&created.id),
            created.odata_type
        );
        ids.push(created.id.ok_or("the service assigned no id")?);
    }

    let mark = graph.requests().len();
    let all: Vec<NdesConnector> = client
        .list_ndes_connectors_items(&ListNdesConnectorsOptions::default())
        .try_collect()
        .await?;
    let names: Vec<&str> = all
        .iter()
        .filter_map(|c| c.display_name.as_deref())
        .collect();
    println!(
        "  listed    {} connectors over {} pages: {}",
        all.len(),
        pages_fetched(graph, mark, "/deviceManagement/ndesConnectors"),
        names.join(", ")
    );

    let active = client
        .list_ndes_connectors(&ListNdesConnectorsOptions {
            filter: Some("state eq 'active' and startswith(displayName,'Lab')".into()),
            count: Some(true),
            select: vec!["displayName".into()],
            ..Default::default()
        })
        .await?;
    println!(
        "  filtered  $filter=state eq 'active' and startswith(…): @odata.count {}",
        active.odata_count.unwrap_or_default()
    );

    let id = &ids[1];
    let got = client
        .get_ndes_connector(id, &GetNdesConnectorOptions::default())
        .await?;
    println!(
        "  got       {:?}: state {}, machine {}",
        got.display_name.as_deref().unwrap_or_default(),
        got.state.as_ref().map_or("-", |s| s.as_str()),
        got.machine_name.as_deref().unwrap_or("-")
    );

    client
        .update_ndes_connector(
            id,
            &NdesConnectorUpdate {
                display_name: Patch::Value("Lab NDES 2 (renamed)".into()),
                machine_name: Patch::Null,
                ..Default::default()
            },
        )
        .await?;
    let updated = client
        .get_ndes_connector(id, &GetNdesConnectorOptions::default())
        .await?;
    println!(
        "  updated   displayName set, machineName cleared, state left alone (204) -> {:?}, machine {}, state {}",
        updated.display_name.as_deref().unwrap_or_default(),
        updated.machine_name.as_deref().unwrap_or("none"),
        updated.state.as_ref().map_or("-", |s| s.as_str())
    );

    for id in &ids {
        client
            .delete_ndes_connector(id, &Default::default())
            .await?;
    }
    println!("  deleted   {} connectors (204 each)", ids.len());
    match client
        .get_ndes_connector(id, &GetNdesConnectorOptions::default())
        .await
    {
        Ok(_) => return Err("a deleted NDES connector was still found".into()),
        Err(error) => print_error("get again", &error),
    }
    Ok(())
}

async fn domain_join_connectors(client: &Client, graph: &LocalGraphHandle) -> Result {
    println!("\nOffline Domain Join connectors (/deviceManagement/domainJoinConnectors)");
    let mut ids = Vec::new();
    for n in 1..=3 {
        let created = client
            .create_domain_join_connector(&DeviceManagementDomainJoinConnector {
                display_name: Some(format!("ODJ {n}")),
                state: Some(DeviceManagementDomainJoinConnectorState::Active),
                version: Some(format!("6.2301.{n}")),
                ..Default::default()
            })
            .await?;
        println!(
            "  created   {:?} -> id {}… ({})",
            created.display_name.as_deref().unwrap_or_default(),
            short(&created.id),
            created.odata_type
        );
        ids.push(created.id.ok_or("the service assigned no id")?);
    }

    let mark = graph.requests().len();
    let all: Vec<DeviceManagementDomainJoinConnector> = client
        .list_domain_join_connectors_items(&ListDomainJoinConnectorsOptions {
            orderby: vec!["displayName desc".into()],
            ..Default::default()
        })
        .try_collect()
        .await?;
    let names: Vec<&str> = all
        .iter()
        .filter_map(|c| c.display_name.as_deref())
        .collect();
    println!(
        "  listed    {} connectors over {} pages, $orderby=displayName desc: {}",
        all.len(),
        pages_fetched(graph, mark, "/deviceManagement/domainJoinConnectors"),
        names.join(", ")
    );

    let id = &ids[0];
    let got = client
        .get_domain_join_connector(id, &GetDomainJoinConnectorOptions::default())
        .await?;
    println!(
        "  got       {:?}: state {}, version {}",
        got.display_name.as_deref().unwrap_or_default(),
        got.state.as_ref().map_or("-", |s| s.as_str()),
        got.version.as_deref().unwrap_or("-")
    );

    client
        .update_domain_join_connector(
            id,
            &DeviceManagementDomainJoinConnectorUpdate {
                state: Patch::Value(DeviceManagementDomainJoinConnectorState::Error),
                version: Patch::Null,
                ..Default::default()
            },
        )
        .await?;
    let updated = client
        .get_domain_join_connector(id, &GetDomainJoinConnectorOptions::default())
        .await?;
    println!(
        "  updated   state set, version cleared (204) -> state {}, version {}",
        updated.state.as_ref().map_or("-", |s| s.as_str()),
        updated.version.as_deref().unwrap_or("none")
    );

    for id in &ids {
        client
            .delete_domain_join_connector(id, &Default::default())
            .await?;
    }
    println!("  deleted   {} connectors (204 each)", ids.len());
    match client
        .get_domain_join_connector(id, &GetDomainJoinConnectorOptions::default())
        .await
    {
        Ok(_) => return Err("a deleted domain join connector was still found".into()),
        Err(error) => print_error("get again", &error),
    }
    Ok(())
}

async fn connectors(client: &Client, graph: &LocalGraphHandle) -> Result {
    println!("\nApplication Proxy connectors (/connectors)");
    let mut ids = Vec::new();
    for n in 1..=3 {
        let created = client
            .create_connector(&Connector {
                machine_name: Some(format!("proxy-0{n}.contoso.local")),
                status: Some(ConnectorStatus::Active),
                version: Some("1.5.3437.0".into()),
                ..Default::default()
            })
            .await?;
        println!(
            "  created   {:?} -> id {}… (externalIp {}, set by the service)",
            created.machine_name.as_deref().unwrap_or_default(),
            short(&created.id),
            created.external_ip.as_deref().unwrap_or("-")
        );
        ids.push(created.id.ok_or("the service assigned no id")?);
    }

    let mark = graph.requests().len();
    let all: Vec<Connector> = client
        .list_connectors_items(&ListConnectorsOptions::default())
        .try_collect()
        .await?;
    let names: Vec<&str> = all
        .iter()
        .filter_map(|c| c.machine_name.as_deref())
        .collect();
    println!(
        "  listed    {} connectors over {} pages: {}",
        all.len(),
        pages_fetched(graph, mark, "/connectors"),
        names.join(", ")
    );

    let id = &ids[2];
    let got = client
        .get_connector(id, &GetConnectorOptions::default())
        .await?;
    println!(
        "  got       {:?}: status {}, version {}",
        got.machine_name.as_deref().unwrap_or_default(),
        got.status.as_ref().map_or("-", |s| s.as_str()),
        got.version.as_deref().unwrap_or("-")
    );

    client
        .update_connector(
            id,
            &ConnectorUpdate {
                status: Patch::Value(ConnectorStatus::Inactive),
                ..Default::default()
            },
        )
        .await?;
    let updated = client
        .get_connector(id, &GetConnectorOptions::default())
        .await?;
    println!(
        "  updated   status set, the rest left alone (204) -> status {}, machine {}",
        updated.status.as_ref().map_or("-", |s| s.as_str()),
        updated.machine_name.as_deref().unwrap_or("none")
    );

    for id in &ids {
        client.delete_connector(id, &Default::default()).await?;
    }
    println!("  deleted   {} connectors (204 each)", ids.len());
    match client
        .get_connector(id, &GetConnectorOptions::default())
        .await
    {
        Ok(_) => return Err("a deleted connector was still found".into()),
        Err(error) => print_error("get again", &error),
    }
    Ok(())
}

async fn throttling(client: &Client, graph: &LocalGraphHandle) -> Result {
    println!("\nThrottling");
    graph.throttle_next(1, Duration::from_secs(1));
    let mark = graph.requests().len();
    let started = Instant::now();
    let page = client
        .list_connectors(&ListConnectorsOptions::default())
        .await?;
    let attempts: Vec<String> = graph
        .requests()
        .iter()
        .skip(mark)
        .map(|request| request.status.map_or("dropped".into(), |s| s.to_string()))
        .collect();
    println!(
        "  listed    {} connectors; the service answered {} and the client waited for Retry-After: 1 \
         before retrying ({:.1} s)",
        page.value.unwrap_or_default().len(),
        attempts.join(" then "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
