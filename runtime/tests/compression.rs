//! Compressed answers: the transport asks for gzip, decodes it, and bounds what it
//! decompresses as it bounds any answer. Against a real HTTP server on 127.0.0.1.

use std::io::Write as _;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use clientsmith_runtime::{ClientBuilder, Error, Method, Request, Transport};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A page of a Graph collection as large as Graph pages go (999 items), in the shape of the
/// connectors this workspace's client reads.
fn large_page() -> String {
    let items: Vec<String> = (0..999)
        .map(|i| {
            format!(
                r##"{{"@odata.type":"#microsoft.graph.ndesConnector","id":"{i:08x}-a706-e71f-06a7-1fe706a71fe7","lastConnectionDateTime":"2026-11-30T23:58:36.6670033-08:00","state":"active","displayName":"NDES connector {i}","machineName":"ndes{i}.contoso.com","enrolledDateTime":"2026-01-0{}T08:00:00Z","roleScopeTagIds":["0"],"connectorVersion":"6.2301.1.0"}}"##,
                i % 9 + 1
            )
        })
        .collect();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/ndesConnectors","value":[{}]}}"#,
        items.join(",")
    )
}

/// Serves `body` gzip-compressed at `/page` to requests that accept gzip, and as it is to
/// the others.
async fn serve(body: Vec<u8>, compressed: Vec<u8>) -> String {
    let app = Router::new().route(
        "/page",
        get(move |headers: HeaderMap| async move {
            let accepts = headers
                .get("accept-encoding")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("gzip"));
            let mut response = axum::http::Response::builder()
                .status(200)
                .header("content-type", "application/json");
            if accepts {
                response = response.header("content-encoding", "gzip");
            }
            response
                .body(axum::body::Body::from(if accepts {
                    compressed
                } else {
                    body
                }))
                .unwrap()
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

fn transport(base_url: &str, max_response_size: usize) -> Transport {
    ClientBuilder::new("https://service.invalid/beta")
        .base_url(base_url)
        .max_response_size(max_response_size)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_large_page_travels_compressed_and_decodes_whole() {
    let page = large_page();
    let compressed = gzip(page.as_bytes());
    println!(
        "a page of 999 connectors: {} bytes of JSON, {} bytes gzip-compressed ({:.1} times smaller)",
        page.len(),
        compressed.len(),
        page.len() as f64 / compressed.len() as f64
    );
    assert!(compressed.len() * 5 < page.len());
    // A request that does not ask for gzip gets an empty body: only the compressed answer
    // decodes to the page.
    let base_url = serve(Vec::new(), compressed).await;
    let response = transport(&base_url, 16 << 20)
        .send(Request::new(Method::GET, "listPage", "/page".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.body(), page.as_bytes());
    let value: serde_json::Value = response.json().unwrap();
    assert_eq!(value["value"].as_array().map(Vec::len), Some(999));
}

#[tokio::test]
async fn a_compression_bomb_stops_at_the_response_size_limit() {
    // 64 MiB of zeros compress to about 64 KiB: the limit counts what is decompressed.
    let huge = vec![b'0'; 64 << 20];
    let compressed = gzip(&huge);
    assert!(compressed.len() < 1 << 20);
    let base_url = serve(Vec::new(), compressed).await;
    let error = transport(&base_url, 1 << 20)
        .send(Request::new(Method::GET, "listPage", "/page".to_owned()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 1 << 20),
        "{error:?}"
    );
}
