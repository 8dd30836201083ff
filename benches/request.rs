//! Overhead of one operation through the generated client, beside a hand-written `reqwest`
//! call of the same request to the same server on 127.0.0.1.
//!
//! ```sh
//! cargo bench -p graph-connectors --bench request
//! ```
//!
//! Two servers, each on its own runtime thread so that the client's thread does client work
//! only: the local Graph (`local_graph`, the behaviour tests' server: routing, validation and a
//! store), and a minimal axum server that answers every request with the same fixed JSON body,
//! where the client's share of the time is largest. The operation is `get_ndes_connector`
//! (`GET /deviceManagement/ndesConnectors/{id}`, a bearer token, a JSON body decoded into
//! `models::NdesConnector`); the hand-written call sends the same request (method, path,
//! `Accept`, `Authorization` and a fresh `client-request-id`) with a `reqwest::Client` of the
//! same configuration and decodes the body into the same type with `Response::json`. Both
//! clients keep their connection open between iterations (one connection each), and each timed
//! request of one kind follows an untimed request of the other.

use std::hint::black_box;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use graph_connectors::Client;
use graph_connectors::client::GetNdesConnectorOptions;
use graph_connectors::local_graph::LocalGraph;
use graph_connectors::models::NdesConnector;
use graph_connectors::runtime::reqwest::{self, header::ACCEPT};
use tokio::runtime::Runtime;

const TOKEN: &str = "benchmark-token";

/// A server on its own thread and runtime; the runtime lives as long as the benchmark.
fn server_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a server runtime")
}

/// The client side: one thread, as a simple program would use.
fn client_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime")
}

/// A minimal server: every request gets `200` with `body` as JSON.
fn fixed_server(runtime: &Runtime, body: String) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
            Ipv4Addr::LOCALHOST,
            0,
        ))))
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
        }
    });
    runtime.spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn bench_pair(c: &mut Criterion, group_name: &str, base_url: &str, id: &str) {
    let client_rt = client_runtime();
    let generated = Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .build()
        .expect("a client");
    // The same configuration the generated client gives its own `reqwest::Client`.
    let http = reqwest::Client::builder()
        .user_agent(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .expect("a reqwest client");
    let url = format!("{base_url}/deviceManagement/ndesConnectors/{id}");
    let options = GetNdesConnectorOptions::default();

    // Both must work, and give the same value, before anything is timed.
    let (a, b) = client_rt.block_on(async {
        let a = generated.get_ndes_connector(id, &options).await.unwrap();
        let b = hand_written(&http, &url).await;
        (a, b)
    });
    assert_eq!(a.id, b.id);

    let generated_call = async || {
        black_box(
            generated
                .get_ndes_connector(black_box(id), &options)
                .await
                .unwrap(),
        )
    };
    let hand_written_call = async || black_box(hand_written(&http, black_box(&url)).await);

    // Each timed request follows an untimed one of the other kind, so both see the same
    // machine: the same connection reuse, caches and background load. Without the pairing,
    // drift between two measurement phases is larger than the difference being measured.
    let mut group = c.benchmark_group(group_name);
    group.bench_function("generated", |bench| {
        bench.iter_custom(|iterations| {
            client_rt.block_on(each_after(iterations, &hand_written_call, &generated_call))
        })
    });
    group.bench_function("reqwest", |bench| {
        bench.iter_custom(|iterations| {
            client_rt.block_on(each_after(iterations, &generated_call, &hand_written_call))
        })
    });
    group.finish();

    paired(&client_rt, group_name, generated_call, hand_written_call);
}

/// The time of `iterations` calls of `measured`, each after an untimed call of `partner`.
async fn each_after<A, B>(
    iterations: u64,
    partner: impl AsyncFn() -> A,
    measured: impl AsyncFn() -> B,
) -> Duration {
    let mut timed = Duration::ZERO;
    for _ in 0..iterations {
        partner().await;
        let started = Instant::now();
        measured().await;
        timed += started.elapsed();
    }
    timed
}

/// The time of one call of `call`.
async fn time_of<T>(call: impl AsyncFn() -> T) -> Duration {
    let started = Instant::now();
    call().await;
    started.elapsed()
}

/// Requests timed one by one, alternating the two clients (and which goes first) within one
/// loop, so that both are measured over the same stretch of time: on a shared machine the
/// level drifts between criterion's measurement phases by more than the difference measured
/// here. Prints the medians and their ratio.
fn paired<A, B>(
    client_rt: &Runtime,
    group: &str,
    generated: impl AsyncFn() -> A,
    hand_written: impl AsyncFn() -> B,
) {
    const WARM_UP: usize = 2_000;
    const PAIRS: usize = 20_000;
    let (mut ours, mut theirs) = (Vec::with_capacity(PAIRS), Vec::with_capacity(PAIRS));
    client_rt.block_on(async {
        for round in 0..WARM_UP + PAIRS {
            let (a, b) = if round % 2 == 0 {
                let a = time_of(&generated).await;
                (a, time_of(&hand_written).await)
            } else {
                let b = time_of(&hand_written).await;
                (time_of(&generated).await, b)
            };
            if round >= WARM_UP {
                ours.push(a);
                theirs.push(b);
            }
        }
    });
    let median = |times: &mut Vec<Duration>| {
        times.sort_unstable();
        times[times.len() / 2].as_secs_f64() * 1e6
    };
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    println!(
        "{group}/paired: {PAIRS} pairs, median generated {ours:.1} µs, reqwest {theirs:.1} µs, \
         ratio {:.3}",
        ours / theirs
    );
}

/// The same request written by hand with `reqwest`.
async fn hand_written(http: &reqwest::Client, url: &str) -> NdesConnector {
    http.get(url)
        .bearer_auth(TOKEN)
        .header(ACCEPT, "application/json")
        // What Graph asks of every client, and what the generated client sends: a fresh
        // request id, so that both send the same bytes and the server does the same work.
        .header("client-request-id", uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn request_overhead(c: &mut Criterion) {
    // The local Graph, with one connector to get.
    let server_rt = server_runtime();
    let (graph, base_url) = server_rt
        .block_on(LocalGraph::start())
        .expect("start the local Graph");
    let setup = Client::builder()
        .base_url(&base_url)
        .bearer_token(TOKEN)
        .build()
        .expect("a client");
    let created = client_runtime()
        .block_on(setup.create_ndes_connector(&NdesConnector {
            display_name: Some(String::from("Bench NDES")),
            machine_name: Some(String::from("ndes01.contoso.com")),
            connector_version: Some(String::from("6.2301.1.0")),
            ..Default::default()
        }))
        .expect("create a connector");
    let id = created.id.clone().expect("an id");
    bench_pair(c, "get_ndes_connector/local_graph", &base_url, &id);
    // The local Graph records every request; drop the record of these.
    graph.clear_requests();

    // A fixed body: the same entity, as the local Graph returned it.
    let fixed_rt = server_runtime();
    let body = serde_json::to_string(&created).expect("serialize");
    let fixed_url = fixed_server(&fixed_rt, body);
    bench_pair(c, "get_ndes_connector/fixed_body", &fixed_url, &id);
}

criterion_group!(benches, request_overhead);
criterion_main!(benches);
