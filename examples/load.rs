//! A bounded load run of the local Graph through the generated client, in one process on
//! 127.0.0.1, for the figures in `docs/robustness.md`:
//!
//! 1. 50 concurrent writers create and then update their share of the items; the run checks
//!    that the collection holds each item once, with its update (no lost or duplicated write);
//! 2. the collection is filled to 20,000 items, and `GET` by id is measured from 16 tasks:
//!    throughput, p50 and p99 latency, and the first item against the last;
//! 3. the process's resident memory (Linux `VmRSS`; client and server share the process) is
//!    read before the run, once the items are stored, and after 100,000 requests in all.
//!
//! ```text
//! cargo run --release --example load                     # 5,000 written items, 20,000 in all, 100,000 requests
//! cargo run --release --example load -- 2000 10000 30000 # written items, items in all, requests
//! ```
//!
//! It is an example, not a test: the figures depend on the machine, and nothing here fails
//! on time. It fails (exit 1) when a write is lost or duplicated or a request fails.

use std::collections::HashSet;
use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_connectors::Client;
use graph_connectors::client::ListNdesConnectorsOptions;
use graph_connectors::local_graph::LocalGraph;
use graph_connectors::models::{NdesConnector, NdesConnectorUpdate};
use graph_connectors::runtime::Patch;
use graph_connectors::runtime::paging::TryStreamExt;

type Result<T = ()> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

const WRITERS: usize = 50;
const READERS: usize = 16;

/// The resident memory of this process in KiB, from `/proc/self/status` (Linux).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn shown_kib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn micros(duration: Duration) -> String {
    format!("{:.0} µs", duration.as_secs_f64() * 1e6)
}

#[tokio::main]
async fn main() -> Result {
    let mut args = std::env::args().skip(1).map(|arg| arg.parse::<usize>());
    let written = args.next().transpose()?.unwrap_or(5_000);
    let total_items = args.next().transpose()?.unwrap_or(20_000).max(written);
    let total_requests = args.next().transpose()?.unwrap_or(100_000);

    let before = resident_kib();
    let (graph, base_url) = LocalGraph::builder().page_size(999).start().await?;
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("load")
        .build()?;
    let requests = Arc::new(AtomicUsize::new(0));

    // 1. Concurrent writers: create, then update what was created.
    let started = Instant::now();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let client = client.clone();
        let requests = Arc::clone(&requests);
        let share = written / WRITERS + usize::from(writer < written % WRITERS);
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::with_capacity(share);
            for index in 0..share {
                let created = client
                    .create_ndes_connector(&NdesConnector {
                        display_name: Some(format!("w{writer}-{index}")),
                        ..Default::default()
                    })
                    .await?;
                ids.push(created.id.unwrap_or_default());
            }
            for (index, id) in ids.iter().enumerate() {
                client
                    .update_ndes_connector(
                        id,
                        &NdesConnectorUpdate {
                            display_name: Patch::Value(format!("w{writer}-{index}-updated")),
                            ..Default::default()
                        },
                    )
                    .await?;
            }
            requests.fetch_add(2 * share, Ordering::Relaxed);
            Ok::<_, graph_connectors::Error>(ids)
        }));
    }
    let mut ids = Vec::with_capacity(total_items);
    for writer in writers {
        ids.extend(writer.await??);
    }
    let writing = started.elapsed();
    let listed: Vec<NdesConnector> = client
        .list_ndes_connectors_items(&ListNdesConnectorsOptions::default())
        .try_collect()
        .await?;
    requests.fetch_add(listed.len().div_ceil(999).max(1), Ordering::Relaxed);
    let unique: HashSet<&str> = listed
        .iter()
        .filter_map(|item| item.id.as_deref())
        .collect();
    let updated = listed
        .iter()
        .filter(|item| {
            item.display_name
                .as_deref()
                .is_some_and(|name| name.ends_with("-updated"))
        })
        .count();
    println!(
        "writers: {WRITERS} tasks created and updated {written} items ({} requests) in {:.2} s \
         ({:.0} writes/s); listed {} items, {} distinct ids, {} updated",
        2 * written,
        writing.as_secs_f64(),
        (2 * written) as f64 / writing.as_secs_f64(),
        listed.len(),
        unique.len(),
        updated
    );
    if listed.len() != written || unique.len() != written || updated != written {
        return Err("a write was lost or duplicated".into());
    }

    // 2. Fill to `total_items`, then GET by id from READERS tasks.
    for index in written..total_items {
        let created = client
            .create_ndes_connector(&NdesConnector {
                display_name: Some(format!("fill-{index}")),
                ..Default::default()
            })
            .await?;
        ids.push(created.id.unwrap_or_default());
    }
    requests.fetch_add(total_items - written, Ordering::Relaxed);
    let filled = resident_kib();
    let requests_when_filled = requests.load(Ordering::Relaxed);
    let remaining = total_requests.saturating_sub(requests.load(Ordering::Relaxed));
    let ids = Arc::new(ids);
    let started = Instant::now();
    let mut readers = Vec::new();
    for reader in 0..READERS {
        let client = client.clone();
        let ids = Arc::clone(&ids);
        let count = remaining / READERS + usize::from(reader < remaining % READERS);
        readers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            for index in 0..count {
                // A stride through the ids, so every reader reaches the whole collection.
                let id = &ids[(index * 7_919 + reader * 1_237) % ids.len()];
                let sent = Instant::now();
                client.get_ndes_connector(id, &Default::default()).await?;
                latencies.push(sent.elapsed());
            }
            Ok::<_, graph_connectors::Error>(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(remaining);
    for reader in readers {
        latencies.extend(reader.await??);
    }
    let reading = started.elapsed();
    requests.fetch_add(latencies.len(), Ordering::Relaxed);
    latencies.sort();
    println!(
        "GET by id at {total_items} items: {} requests from {READERS} tasks in {:.2} s, \
         {:.0} requests/s, p50 {}, p99 {}",
        latencies.len(),
        reading.as_secs_f64(),
        latencies.len() as f64 / reading.as_secs_f64(),
        micros(percentile(&latencies, 0.50)),
        micros(percentile(&latencies, 0.99)),
    );

    // The first item against the last, one request at a time.
    let mut first_and_last = Vec::new();
    for id in [&ids[0], &ids[ids.len() - 1]] {
        let mut samples = Vec::with_capacity(500);
        for _ in 0..500 {
            let sent = Instant::now();
            client.get_ndes_connector(id, &Default::default()).await?;
            samples.push(sent.elapsed());
        }
        samples.sort();
        first_and_last.push(percentile(&samples, 0.5));
    }
    requests.fetch_add(1_000, Ordering::Relaxed);
    println!(
        "GET of the first item: p50 {}; of the last ({}th): p50 {}",
        micros(first_and_last[0]),
        ids.len(),
        micros(first_and_last[1])
    );

    let after = resident_kib();
    println!(
        "resident memory (client and server, one process): {} before; {} with {total_items} \
         items stored after {requests_when_filled} requests; {} after {} requests; the request \
         log holds {}",
        shown_kib(before),
        shown_kib(filled),
        shown_kib(after),
        requests.load(Ordering::Relaxed),
        graph.requests().len()
    );
    graph.shutdown().await;
    Ok(())
}
