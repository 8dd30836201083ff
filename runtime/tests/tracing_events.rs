//! The runtime's `tracing` output, captured by a `tracing-subscriber` that
//! writes to a buffer. This file holds a single test so that no other test of
//! the same process registers the runtime's callsites concurrently (interest
//! in a callsite is cached process-wide).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use clientsmith_runtime::{
    ClientBuilder, Error, Method, Request, RetryPolicy, Transport, path_segment,
};

const SECRET: &str = "s3cr3t-token-never-printed";

/// A writer into a shared buffer, for the test subscriber.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Every text form of an error: Display, Debug and the Display of each source.
fn all_error_text(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// A server answering `429` (with `Retry-After: 0`), then `200`, then `404`
/// for every further request.
async fn serve() -> String {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move || {
        let call = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            let (status, retry_after, body) = match call {
                0 => (
                    429,
                    Some("0"),
                    r#"{"error":{"code":"TooManyRequests","message":"Slow down."}}"#,
                ),
                1 => (200, None, r#"{"id":"1"}"#),
                _ => (
                    404,
                    None,
                    r#"{"error":{"code":"itemNotFound","message":"Gone."}}"#,
                ),
            };
            let mut response = axum::http::Response::builder()
                .status(status)
                .header("content-type", "application/json");
            if let Some(value) = retry_after {
                response = response.header("retry-after", value);
            }
            response.body(axum::body::Body::from(body)).unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base_url
}

#[tokio::test]
async fn tracing_shows_requests_and_attempts_but_never_the_token() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let base_url = serve().await;
    let transport = ClientBuilder::<Transport>::new(&base_url)
        .bearer_token(SECRET)
        .default_header("x-default", "default-value-not-traced")
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
        .build()
        .unwrap()
        .with_header("x-custom", "header-value-not-traced")
        .unwrap();

    // Retried once, with a template.
    let mut request = Request::new(
        Method::GET,
        "getItem",
        format!("/items/{}", path_segment("id-not-traced")),
    );
    request.template("/items/{item-id}");
    request
        .query_mut()
        .push("$filter", "name eq 'query-not-traced'");
    let response = tokio::time::timeout(Duration::from_secs(10), transport.send(request))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.attempts(), 2);

    // A service error, without a template.
    let error = tokio::time::timeout(
        Duration::from_secs(10),
        transport.send(Request::new(Method::GET, "getItem", "/items/2".to_owned())),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(error.status(), Some(404));

    // No response at all: a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let unreachable: Transport = ClientBuilder::new(&format!("http://{address}"))
        .bearer_token(SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let transport_error = tokio::time::timeout(
        Duration::from_secs(10),
        unreachable.send(Request::new(
            Method::POST,
            "createItem",
            "/items".to_owned(),
        )),
    )
    .await
    .unwrap()
    .unwrap_err();

    let output = buffer.text();
    for expected in [
        // The span, named `request`, with the template as its path ...
        r#"request{method=GET path="/items/{item-id}" operation="getItem"}"#,
        // ... one event per attempt, with the status and the wait ...
        "attempt failed; retrying attempt=1 status=429 delay_ms=0",
        "attempt succeeded attempt=2 status=200",
        // ... and the outcome recorded on the span when it closes.
        "status=200 attempts=2",
        "elapsed_ms=",
        // Without a template the path is the operation name.
        r#"request{method=GET path="getItem" operation="getItem""#,
        "attempt failed attempt=1 status=404",
        "status=404 attempts=1",
        r#"request{method=POST path="createItem" operation="createItem""#,
        r#"error="connect" attempts=1"#,
    ] {
        assert!(
            output.contains(expected),
            "`{expected}` missing from:\n{output}"
        );
    }
    // Never the token, a header value, the query or the identifiers in the path.
    for secret in [
        SECRET,
        "Bearer",
        "default-value-not-traced",
        "header-value-not-traced",
        "query-not-traced",
        "id-not-traced",
    ] {
        assert!(
            !output.contains(secret),
            "`{secret}` leaked into:\n{output}"
        );
    }

    // Nor any formatted value.
    let mut formatted = format!("{transport:?}\n{response:?}\n{unreachable:?}\n");
    formatted.push_str(&all_error_text(&error));
    formatted.push_str(&all_error_text(&transport_error));
    assert!(!formatted.contains(SECRET), "{formatted}");
    assert!(!formatted.contains("Bearer"), "{formatted}");
}
