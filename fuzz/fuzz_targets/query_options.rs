//! Arbitrary query strings through the local Graph's router, in-process: the checks of the
//! request target and every query-option parser (`$filter`, `$orderby`, `$select`,
//! `$search`, `$expand`, `$top`, `$skip`, `$count`) on the list and get operations.
//!
//! Whatever the query, the local Graph must answer without panicking, overflowing its
//! stack or hanging: a `2xx`, or a `4xx` with an OData error body; never a `5xx`.

#![no_main]

use axum::body::Body;
use axum::http::Request;
use graph_connectors::local_graph::LocalGraph;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// Paths of a list and of a get (the id does not exist: the query is checked first).
const PATHS: [&str; 3] = [
    "/deviceManagement/ndesConnectors",
    "/connectors",
    "/connectors/00000000-0000-0000-0000-000000000000",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, query)) = data.split_first() else {
        return;
    };
    let path = PATHS[usize::from(selector) % PATHS.len()];
    // Bytes a URI cannot hold are percent-encoded, as a client would send them; `%` stays,
    // so that the input can hold encoded text (and malformed escapes).
    let query: String = query
        .iter()
        .map(|&byte| {
            if byte.is_ascii_graphic() && byte != b'#' {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    let Ok(request) = Request::get(format!("{path}?{query}"))
        .header("authorization", "Bearer fuzz")
        .header("consistencylevel", "eventual")
        .body(Body::empty())
    else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let graph = LocalGraph::default();
        let response = graph.router().oneshot(request).await.expect("infallible");
        let status = response.status();
        assert!(!status.is_server_error(), "{status} for {path}?{query}");
        if status.is_client_error() {
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a bounded body");
            let error: serde_json::Value = serde_json::from_slice(&body).expect("an OData body");
            assert!(error["error"]["code"].is_string(), "{error}");
        }
    });
});
