//! The client's memory against a server that streams a body without end: the default
//! response-size limit (64 MiB) ends the call, and the process's peak resident memory grows
//! by about that much, not by what the server sends. A test binary of its own, so that no
//! other test shares the process whose peak it reads (Linux's `VmHWM`).

#![cfg(target_os = "linux")]

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::routing::get;
use clientsmith_runtime::{ClientBuilder, Error, Method, Request, Transport};
use futures_util::stream;

/// The process's peak resident set size, in bytes.
fn peak_resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

#[tokio::test]
async fn an_endless_body_costs_the_client_about_the_limit_and_no_more() {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let app = Router::new().route(
        "/items",
        get(move || {
            let counter = Arc::clone(&counter);
            async move {
                let piece = Bytes::from(vec![b'x'; 256 * 1024]);
                Body::from_stream(stream::repeat_with(move || {
                    counter.fetch_add(piece.len(), Ordering::Relaxed);
                    Ok::<_, Infallible>(piece.clone())
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let transport = ClientBuilder::<Transport>::new(&base_url)
        .total_timeout(Some(Duration::from_secs(60)))
        .build()
        .unwrap();
    let before = peak_resident();
    let error = transport
        .send(Request::new(Method::GET, "getItem", "/items".to_owned()))
        .await
        .unwrap_err();
    let after = peak_resident();
    let limit = ClientBuilder::<Transport>::DEFAULT_MAX_RESPONSE_SIZE;
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: l, .. } if l == limit),
        "{error:?}"
    );
    let growth = after.saturating_sub(before);
    println!(
        "endless body: the server sent {} MiB; the client's peak resident memory grew by {} MiB \
         (limit {} MiB)",
        sent.load(Ordering::Relaxed) >> 20,
        growth >> 20,
        limit >> 20
    );
    // The body is read into one buffer that grows by doubling up to the limit: at most twice
    // the limit while the last doubling copies, and never what an endless body would take.
    assert!(
        growth <= 2 * limit + (16 << 20),
        "the peak grew by {} MiB",
        growth >> 20
    );
}
