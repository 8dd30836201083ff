//! Tests of the runtime's production behaviour (request ids, consistency
//! headers, retries, paging, timeouts) against real HTTP servers on 127.0.0.1
//! that each test starts (tracing is tested in `tracing_events.rs`, alone in
//! its process, because a subscriber is process-wide state). Every test is bounded in time: retry
//! delays are made small with `RetryPolicy::with_base_delay`, and each call is
//! wrapped in [`within`].

use std::future::Future;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Uri};
use axum::routing;
use clientsmith_runtime::paging::{self, StreamExt, TryStreamExt};
use clientsmith_runtime::{ClientBuilder, Error, Method, Request, RetryPolicy, Transport};
use serde::Deserialize;

const SECRET: &str = "s3cr3t-token-never-printed";
const TIME_LIMIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// Test servers
// ---------------------------------------------------------------------------

/// One request as a server received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// The request target as sent: path and query.
    uri: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap())
            .collect()
    }
}

struct Server {
    base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// A builder for this server with a token and quick retries.
    fn builder(&self) -> ClientBuilder<Transport> {
        ClientBuilder::new("https://service.invalid/v1.0")
            .base_url(&self.base_url)
            .bearer_token(SECRET)
            .retry_policy(quick_retries())
    }

    fn transport(&self) -> Transport {
        self.builder().build().unwrap()
    }
}

/// The default policy with a 10 ms base delay instead of 3 s.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().with_base_delay(Duration::from_millis(10))
}

/// Serves the router that `make` builds for the server's own base URL (so
/// handlers can write absolute next links) on 127.0.0.1 with an ephemeral
/// port, recording every request.
async fn serve(make: impl FnOnce(String) -> Router) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&requests);
    let app = make(base_url.clone()).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let recorder = Arc::clone(&recorder);
            async move {
                let (parts, body) = request.into_parts();
                let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                recorder.lock().unwrap().push(Recorded {
                    method: parts.method.to_string(),
                    uri: parts.uri.to_string(),
                    headers: parts.headers.clone(),
                    body: bytes.to_vec(),
                });
                next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
        },
    ));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base_url, requests }
}

/// A server that answers every request with the responses of `script`, one
/// per request in turn (the last one repeats).
async fn scripted(script: Vec<Reply>) -> Server {
    let script = Arc::new(script);
    let calls = Arc::new(AtomicUsize::new(0));
    serve(move |_| {
        Router::new().fallback(move || {
            let script = Arc::clone(&script);
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                let reply = &script[call.min(script.len() - 1)];
                if let Some(delay) = reply.delay {
                    tokio::time::sleep(delay).await;
                }
                let mut response = axum::http::Response::builder().status(reply.status);
                for (name, value) in &reply.headers {
                    response = response.header(name.as_str(), value.as_str());
                }
                response.body(Body::from(reply.body.clone())).unwrap()
            }
        })
    })
    .await
}

/// One canned response.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    delay: Option<Duration>,
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        body: body.to_owned(),
        delay: None,
    }
}

fn ok_json(body: &str) -> Reply {
    reply(200, &[("content-type", "application/json")], body)
}

fn graph_error(status: u16, code: &str, retry_after: Option<&str>) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(value) = retry_after {
        headers.push(("retry-after", value));
    }
    reply(
        status,
        &headers,
        &format!(
            r#"{{"error":{{"code":"{code}","message":"Try again later.",
               "innerError":{{"request-id":"req-{status}","client-request-id":"client-1",
               "date":"2024-05-01T10:00:00"}}}}}}"#
        ),
    )
}

/// What the raw server does with one connection.
#[derive(Clone, Copy)]
enum Raw {
    /// Reads the request and closes the socket without answering.
    Drop,
    /// Answers `200` with `{}`.
    Answer,
}

/// A plain TCP server, for what an HTTP server library will not do: it reads
/// each request and then acts as `script` says for that connection. It stops
/// after the script. Returns the base URL and the request heads it read.
fn raw_server(script: Vec<Raw>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    std::thread::spawn(move || {
        for action in script {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let head = read_request(&mut stream);
            seen.lock().unwrap().push(head);
            match action {
                Raw::Drop => drop(stream),
                Raw::Answer => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                          content-length: 2\r\nconnection: close\r\n\r\n{}",
                    );
                }
            }
        }
    });
    (base_url, heads)
}

/// Reads one HTTP/1.1 request (head and `content-length` body) and returns its
/// head.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return head;
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(read) => data.extend_from_slice(&buffer[..read]),
        }
    }
}

/// Awaits `future`, failing the test when it takes longer than [`TIME_LIMIT`].
async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(TIME_LIMIT, future)
        .await
        .expect("the call did not finish in time")
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

fn get(operation: &'static str, path: &str) -> Request {
    Request::new(Method::GET, operation, path.to_owned())
}

// ---------------------------------------------------------------------------
// Headers of every request
// ---------------------------------------------------------------------------

#[tokio::test]
async fn client_request_id_is_fresh_per_request_unless_the_caller_set_one() {
    let server = scripted(vec![ok_json("{}")]).await;
    let transport = server.transport();
    for _ in 0..2 {
        within(transport.send(get("getItem", "/items/1")))
            .await
            .unwrap();
    }
    let mut own = get("getItem", "/items/1");
    own.header("client-request-id", "mine-1".to_owned());
    within(transport.send(own)).await.unwrap();
    let tagged = transport
        .with_header("client-request-id", "handle-id")
        .unwrap();
    within(tagged.send(get("getItem", "/items/1")))
        .await
        .unwrap();

    let requests = server.requests();
    let ids: Vec<Vec<&str>> = requests
        .iter()
        .map(|request| request.all("client-request-id"))
        .collect();
    for id in &ids[..2] {
        assert_eq!(id.len(), 1, "{ids:?}");
        let uuid = uuid::Uuid::parse_str(id[0]).unwrap();
        assert_eq!(uuid.get_version_num(), 4, "{uuid}");
    }
    assert_ne!(ids[0], ids[1], "every request gets its own id");
    assert_eq!(ids[2], ["mine-1"], "the caller's id is kept, not doubled");
    assert_eq!(ids[3], ["handle-id"]);
}

#[tokio::test]
async fn consistency_level_is_eventual_exactly_for_search_and_count() {
    let server = scripted(vec![ok_json("{}")]).await;
    let transport = server.transport();
    let cases: &[(&[(&str, &str)], bool)] = &[
        (&[], false),
        (&[("$search", "\"displayName:Contoso\"")], true),
        (&[("$count", "true")], true),
        (&[("$COUNT", "TRUE")], true),
        (&[("$count", "false")], false),
        (
            &[("$filter", "startswith(displayName,'a')"), ("$top", "5")],
            false,
        ),
        // Only the OData option names count, not a value that mentions them.
        (&[("$filter", "name eq '$search'"), ("search", "x")], false),
    ];
    for (query, _) in cases {
        let mut request = get("listItems", "/items");
        for (name, value) in *query {
            request.query_mut().push(name, *value);
        }
        within(transport.send(request)).await.unwrap();
    }
    // A caller's own value wins.
    let mut session = get("listItems", "/items");
    session.query_mut().push("$count", "true");
    session.header("ConsistencyLevel", "session".to_owned());
    within(transport.send(session)).await.unwrap();
    // An absolute URL (a next link) is inspected too.
    let next = Request::from_url(
        Method::GET,
        "listItems",
        format!("{}/items?$count=true&$skiptoken=abc", server.base_url),
    );
    within(transport.send(next)).await.unwrap();

    let requests = server.requests();
    for ((query, expected), request) in cases.iter().zip(&requests) {
        let expected: &[&str] = if *expected { &["eventual"] } else { &[] };
        assert_eq!(
            request.all("consistencylevel"),
            expected,
            "{query:?}: {}",
            request.uri
        );
    }
    assert_eq!(requests[cases.len()].all("consistencylevel"), ["session"]);
    assert_eq!(
        requests[cases.len() + 1].all("consistencylevel"),
        ["eventual"]
    );
}

#[tokio::test]
async fn with_header_adds_a_header_to_one_handle_only() {
    let server = scripted(vec![ok_json("{}")]).await;
    let transport = server
        .builder()
        .default_header("prefer", "from-builder")
        .default_header("x-kept", "kept")
        .build()
        .unwrap();
    let preferring = transport
        .with_header("Prefer", "odata.maxpagesize=2")
        .unwrap()
        .with_header("Prefer", "return=minimal")
        .unwrap();
    // A handle with headers keeps the base URL (a generated client is built from one).
    assert_eq!(preferring.base_url(), server.base_url);

    within(preferring.send(get("listItems", "/items")))
        .await
        .unwrap();
    within(transport.send(get("listItems", "/items")))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].all("prefer"),
        ["odata.maxpagesize=2", "return=minimal"],
        "replaces the default of the same name, keeps both of its own values"
    );
    assert_eq!(requests[0].header("x-kept"), Some("kept"));
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer s3cr3t-token-never-printed")
    );
    assert_eq!(
        requests[1].all("prefer"),
        ["from-builder"],
        "the original handle is unchanged"
    );

    let debug = format!("{preferring:?}");
    assert!(debug.contains("prefer"), "{debug}");
    assert!(
        !debug.contains("maxpagesize") && !debug.contains(SECRET),
        "{debug}"
    );

    let bad_name = transport.with_header("bad name", "v").unwrap_err();
    assert!(matches!(bad_name, Error::Config(_)), "{bad_name:?}");
    let bad_value = transport
        .with_header("x-api-key", "key\nsecret-part")
        .unwrap_err();
    assert!(bad_value.to_string().contains("`x-api-key`"), "{bad_value}");
    assert!(
        !bad_value.to_string().contains("secret-part"),
        "{bad_value}"
    );
}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

#[tokio::test]
async fn throttled_request_waits_for_retry_after_seconds_then_succeeds() {
    let server = scripted(vec![
        graph_error(429, "TooManyRequests", Some("1")),
        ok_json(r#"{"id":"1"}"#),
    ])
    .await;
    // A base delay so long that only honouring `Retry-After` finishes in time.
    let transport = server
        .builder()
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_secs(60)))
        .build()
        .unwrap();
    let mut request = Request::new(Method::PUT, "updateItem", "/items/1".to_owned());
    request.json(&serde_json::json!({"id": "1"})).unwrap();
    let started = Instant::now();
    let response = within(transport.send(request)).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_eq!(response.status(), 200);
    assert_eq!(response.attempts(), 2);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the body is sent again");
    assert_eq!(requests[1].body, br#"{"id":"1"}"#);
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id"),
        "a retry is the same request"
    );
    assert_eq!(requests[0].header("retry-attempt"), None);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {SECRET}").as_str())
        );
    }
}

#[tokio::test]
async fn throttled_request_waits_for_retry_after_http_date_then_succeeds() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = scripted(vec![
        graph_error(429, "TooManyRequests", Some(&date)),
        ok_json("{}"),
    ])
    .await;
    let transport = server
        .builder()
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_secs(60)))
        .build()
        .unwrap();
    let started = Instant::now();
    let response = within(transport.send(get("getItem", "/items/1")))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    // The date has whole seconds: the wait is between one and two seconds.
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn unavailable_without_retry_after_backs_off_exponentially() {
    let server = scripted(vec![
        reply(503, &[], "busy"),
        reply(504, &[], "gateway timeout"),
        ok_json("{}"),
    ])
    .await;
    let transport = server
        .builder()
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = Instant::now();
    let response = within(transport.send(get("getItem", "/items/1")))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    // Waits of 100..=200 ms, then 200..=400 ms.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(response.attempts(), 3);
    let retries: Vec<_> = server
        .requests()
        .iter()
        .map(|request| request.header("retry-attempt").map(str::to_owned))
        .collect();
    assert_eq!(retries, [None, Some("1".to_owned()), Some("2".to_owned())]);
}

#[tokio::test]
async fn exhausted_retries_report_the_attempt_count() {
    let server = scripted(vec![graph_error(429, "TooManyRequests", None)]).await;
    let transport = server
        .builder()
        .retry_policy(quick_retries().with_max_attempts(3))
        .build()
        .unwrap();
    let error = within(transport.send(get("getItem", "/items/1")))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(error.attempts(), Some(3));
    let api = error.api().unwrap();
    assert_eq!(api.status, 429);
    assert_eq!(api.attempts, 3);
    assert_eq!(api.code.as_deref(), Some("TooManyRequests"));
    assert_eq!(api.request_id.as_deref(), Some("req-429"));
    assert_eq!(api.client_request_id.as_deref(), Some("client-1"));
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(
        error.to_string(),
        "getItem: 429 TooManyRequests: Try again later. (request-id req-429, after 3 attempts)"
    );
    assert!(!all_error_text(&error).contains(SECRET));

    // The default policy allows four attempts.
    let server = scripted(vec![reply(503, &[], "")]).await;
    let error = within(server.transport().send(get("getItem", "/")))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), Some(4));
    assert_eq!(
        error.to_string(),
        "getItem: 503 Service Unavailable (after 4 attempts)"
    );
}

#[tokio::test]
async fn other_statuses_and_long_retry_after_are_not_retried() {
    let server = scripted(vec![reply(500, &[], "oops")]).await;
    let error = within(server.transport().send(get("getItem", "/")))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(server.requests().len(), 1, "500 is not retried");

    // A wait longer than the budget returns at once, with the wait for the caller.
    let server = scripted(vec![graph_error(503, "serviceNotAvailable", Some("600"))]).await;
    let started = Instant::now();
    let error = within(server.transport().send(get("getItem", "/")))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(
        error.api().unwrap().retry_after(),
        Some(Duration::from_secs(600))
    );

    // `RetryPolicy::none` sends once.
    let server = scripted(vec![reply(429, &[], "")]).await;
    let transport = server
        .builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    within(transport.send(get("getItem", "/")))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn retry_policy_is_clamped_to_the_sdk_limits() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts(), 4);
    assert_eq!(policy.base_delay(), Duration::from_secs(3));
    assert_eq!(policy.max_total_delay(), Duration::from_secs(180));
    let wide = policy
        .with_max_attempts(50)
        .with_max_total_delay(Duration::from_secs(3600))
        .with_base_delay(Duration::from_secs(3600));
    assert_eq!(wide.max_attempts(), RetryPolicy::MAX_ATTEMPTS);
    assert_eq!(wide.max_attempts(), 10);
    assert_eq!(wide.max_total_delay(), Duration::from_secs(180));
    assert_eq!(wide.base_delay(), Duration::from_secs(180));
    assert_eq!(policy.with_max_attempts(0).max_attempts(), 1);
    assert_eq!(RetryPolicy::none().max_attempts(), 1);
}

#[tokio::test]
async fn post_is_not_retried_after_a_dropped_connection_but_get_is() {
    // POST and PATCH: the service may have acted on them, so they are sent once.
    for method in [Method::POST, Method::PATCH] {
        let (base_url, heads) = raw_server(vec![Raw::Drop, Raw::Answer]);
        let transport: Transport = ClientBuilder::new(&base_url)
            .bearer_token(SECRET)
            .retry_policy(quick_retries())
            .build()
            .unwrap();
        let mut request = Request::new(method.clone(), "createItem", "/items".to_owned());
        request.json(&serde_json::json!({"id": "1"})).unwrap();
        let error = within(transport.send(request)).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Transport {
                    operation: "createItem",
                    attempts: 1,
                    ..
                }
            ),
            "{method}: {error:?}"
        );
        assert!(!error.is_timeout());
        assert_eq!(heads.lock().unwrap().len(), 1, "{method} was sent once");
    }

    // GET is retried on a new connection until it gets an answer.
    let (base_url, heads) = raw_server(vec![Raw::Drop, Raw::Drop, Raw::Answer]);
    let transport: Transport = ClientBuilder::new(&base_url)
        .bearer_token(SECRET)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let response = within(transport.send(get("getItem", "/items/1")))
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 3);
    assert!(
        heads.iter().all(|head| head.starts_with("GET /items/1 ")),
        "{heads:?}"
    );
    let authorization = format!("authorization: Bearer {SECRET}");
    assert!(
        heads.iter().all(|head| head
            .to_ascii_lowercase()
            .contains(&authorization.to_ascii_lowercase())),
        "every attempt is authenticated: {heads:?}"
    );

    // When every attempt breaks, the transport error counts them.
    let (base_url, _) = raw_server(vec![Raw::Drop; 4]);
    let transport: Transport = ClientBuilder::new(&base_url)
        .bearer_token(SECRET)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let error = within(transport.send(get("getItem", "/items/1")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 4, .. }),
        "{error:?}"
    );
    assert!(error.to_string().ends_with("(after 4 attempts)"), "{error}");
    assert!(!all_error_text(&error).contains(SECRET));
}

#[tokio::test]
async fn post_is_retried_after_throttling_with_the_same_body() {
    let server = scripted(vec![
        graph_error(429, "TooManyRequests", Some("0")),
        reply(
            201,
            &[("content-type", "application/json")],
            r#"{"id":"1"}"#,
        ),
    ])
    .await;
    let mut request = Request::new(Method::POST, "createItem", "/items".to_owned());
    request.body(vec![0, 1, 2, 255], "application/octet-stream");
    let response = within(server.transport().send(request)).await.unwrap();
    assert_eq!(response.status(), 201);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.body, [0, 1, 2, 255]);
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
    }
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn timeout_fires_per_attempt_and_is_not_retried() {
    let slow = Reply {
        delay: Some(Duration::from_secs(10)),
        ..ok_json("{}")
    };
    let server = scripted(vec![slow.clone()]).await;
    let transport = server
        .builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = within(transport.send(get("slowOp", "/slow")))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(error.to_string(), "slowOp: the request timed out");
    assert_eq!(
        server.requests().len(),
        1,
        "a timed-out attempt is not repeated"
    );

    // The timeout is per attempt: a quick 503 and then a slow answer time out
    // on the second attempt.
    let server = scripted(vec![reply(503, &[], ""), slow]).await;
    let transport = server
        .builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = within(transport.send(get("slowOp", "/slow")))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), Some(2));
    assert_eq!(
        error.to_string(),
        "slowOp: the request timed out (after 2 attempts)"
    );
}

// ---------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct ItemPage {
    value: Vec<Item>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u32,
}

fn count_and_link(page: &ItemPage) -> (usize, Option<String>) {
    (page.value.len(), page.next_link.clone())
}

fn split(page: ItemPage) -> (Vec<Item>, Option<String>) {
    (page.value, page.next_link)
}

/// A collection of `total` items served `per_page` at a time, with absolute
/// next links carrying `$skiptoken=<index of the next item>`.
async fn collection(total: u32, per_page: u32) -> Server {
    serve(move |base_url| {
        Router::new().route(
            "/items",
            routing::get(move |uri: Uri| async move {
                let start: u32 = uri
                    .query()
                    .unwrap_or("")
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("$skiptoken="))
                    .map_or(0, |token| token.parse().unwrap());
                let end = (start + per_page).min(total);
                let items: Vec<_> = (start..end)
                    .map(|id| serde_json::json!({"id": id}))
                    .collect();
                let mut page = serde_json::json!({"value": items});
                if end < total {
                    page["@odata.nextLink"] =
                        format!("{base_url}/items?$top=999&$skiptoken={end}").into();
                }
                axum::Json(page)
            }),
        )
    })
    .await
}

#[tokio::test]
async fn pages_follow_next_links_until_there_is_none() {
    let server = collection(5, 2).await;
    let mut first = get("listItems", "/items");
    first.template("/items");
    first.header("Prefer", "odata.maxpagesize=2".to_owned());
    let pages: Vec<ItemPage> =
        within(paging::pages(server.transport(), first, count_and_link).try_collect::<Vec<_>>())
            .await
            .unwrap();
    let ids: Vec<Vec<u32>> = pages
        .iter()
        .map(|page| page.value.iter().map(|item| item.id).collect())
        .collect();
    assert_eq!(ids, [vec![0, 1], vec![2, 3], vec![4]]);

    let requests = server.requests();
    let uris: Vec<_> = requests
        .iter()
        .map(|request| request.uri.as_str())
        .collect();
    assert_eq!(
        uris,
        [
            "/items",
            "/items?$top=999&$skiptoken=2",
            "/items?$top=999&$skiptoken=4"
        ]
    );
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.header("prefer"), Some("odata.maxpagesize=2"));
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {SECRET}").as_str())
        );
    }
}

#[tokio::test]
async fn items_flatten_the_pages_and_stop_at_top() {
    let server = collection(7, 2).await;
    let all: Vec<Item> = within(
        paging::items(server.transport(), get("listItems", "/items"), split)
            .try_collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    assert_eq!(
        all.iter().map(|item| item.id).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5, 6]
    );
    assert_eq!(server.requests().len(), 4);

    // `$top=3`: three items, and no page beyond the one that holds the third.
    let server = collection(100, 2).await;
    let mut first = get("listItems", "/items");
    first.query_mut().push("$top", &3);
    let mut items = paging::items(server.transport(), first, split);
    let mut ids = Vec::new();
    while let Some(item) = within(items.next()).await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(server.requests().len(), 2);

    // `$top=0` asks for nothing.
    let mut first = get("listItems", "/items");
    first.query_mut().push("$top", &0);
    let none: Vec<Item> =
        within(paging::items(server.transport(), first, split).try_collect::<Vec<_>>())
            .await
            .unwrap();
    assert!(none.is_empty());
    assert_eq!(server.requests().len(), 2, "no request for $top=0");
}

#[tokio::test]
async fn next_link_to_another_origin_is_refused() {
    // A real server on another port: it must never see a request.
    let elsewhere = scripted(vec![ok_json(r#"{"value":[]}"#)]).await;
    let link = format!("{}/items?$skiptoken=2", elsewhere.base_url);
    let page = format!(r#"{{"value":[{{"id":1}}],"@odata.nextLink":"{link}"}}"#);
    let server = scripted(vec![ok_json(&page)]).await;

    let results: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get("listItems", "/items"),
            count_and_link,
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().value, [Item { id: 1 }]);
    let error = results[1].as_ref().unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidRequest {
                operation: "listItems",
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(&elsewhere.base_url), "{message}");
    assert!(message.contains(&server.base_url), "{message}");
    assert!(
        elsewhere.requests().is_empty(),
        "the other host got a request"
    );
    assert_eq!(server.requests().len(), 1);

    // The same rule holds for any absolute URL, checked before a token is asked for.
    for url in [
        format!(
            "https://{}/items",
            server.base_url.trim_start_matches("http://")
        ),
        "http://localhost:1/items".to_owned(),
        "not a url".to_owned(),
    ] {
        let error = within(server.transport().send(Request::from_url(
            Method::GET,
            "listItems",
            url.clone(),
        )))
        .await
        .unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{url}: {error:?}"
        );
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_next_link_to_the_same_page_ends_paging_with_an_error() {
    let server = serve(|base_url| {
        Router::new().route(
            "/items",
            routing::get(move || async move {
                axum::Json(serde_json::json!({
                    "value": [{"id": 1}],
                    "@odata.nextLink": format!("{base_url}/items?$skiptoken=same"),
                }))
            }),
        )
    })
    .await;
    let results: Vec<Result<Item, Error>> = within(
        paging::items(server.transport(), get("listItems", "/items"), split).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(
        matches!(
            results[2],
            Err(Error::Paging {
                reason: clientsmith_runtime::PagingError::RepeatedLink { page: 2 },
                ..
            })
        ),
        "{:?}",
        results[2]
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_failing_page_is_yielded_and_ends_the_stream() {
    // A status error on the first page.
    let server = scripted(vec![graph_error(404, "itemNotFound", None)]).await;
    let results: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get("listItems", "/items"),
            count_and_link,
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().status(), Some(404));

    // A next link that is not a URL fails the second page before sending.
    let server = scripted(vec![ok_json(
        r#"{"value":[{"id":1}],"@odata.nextLink":"not a url"}"#,
    )])
    .await;
    let results: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get("listItems", "/items"),
            count_and_link,
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(Error::InvalidRequest { .. })));
    assert_eq!(server.requests().len(), 1);

    // A page that does not decode is a decode error naming the JSON path.
    let server = scripted(vec![ok_json(r#"{"value":[{"id":"x"}]}"#)]).await;
    let results: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get("listItems", "/items"),
            count_and_link,
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(results.len(), 1);
    assert!(
        matches!(&results[0], Err(Error::Decode { path, .. }) if path == "value[0].id"),
        "{:?}",
        results[0]
    );
}

#[test]
fn paging_streams_can_be_spawned() {
    fn assert_send_static<T: Send + Unpin + 'static>(_: &T) {}
    let transport: Transport = ClientBuilder::new("http://127.0.0.1:9").build().unwrap();
    let pages = paging::pages(
        transport.clone(),
        get("listItems", "/items"),
        count_and_link,
    );
    assert_send_static(&pages);
    let items = paging::items(transport, get("listItems", "/items"), split);
    assert_send_static(&items);
}
