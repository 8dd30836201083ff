//! The client against servers that misbehave on purpose, each a real HTTP
//! server on 127.0.0.1 that the test starts (axum, or plain TCP for what an
//! HTTP library will not send): bodies without end, bodies that drip, error
//! bodies that are huge or full of control characters, redirects to other
//! origins and in circles, next links that loop, `Retry-After` values that
//! make no sense. Each test checks that the call ends, within a bound of time
//! and memory, with the typed error that names what happened.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::routing::get;
use clientsmith_runtime::paging::{self, StreamExt};
use clientsmith_runtime::{
    ApiError, ClientBuilder, DecodeError, Error, Method, PagingError, RedirectPolicy, Request,
    RetryPolicy, Transport,
};
use futures_util::stream;
use serde::Deserialize;

/// Longer than any call here may take: a call still running then has no bound.
const TIME_LIMIT: Duration = Duration::from_secs(20);

async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(TIME_LIMIT, future)
        .await
        .expect("the call did not end: the client is not bounded against this server")
}

/// A server with the requests it received (method, URI, headers).
struct Server {
    base_url: String,
    requests: Arc<Mutex<Vec<(String, String, HeaderMap)>>>,
}

impl Server {
    fn builder(&self) -> ClientBuilder<Transport> {
        ClientBuilder::new("https://service.invalid/v1.0")
            .base_url(&self.base_url)
            .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
    }

    fn transport(&self) -> Transport {
        self.builder().bearer_token("secret-token").build().unwrap()
    }

    fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// Serves the router `make` builds for the server's own base URL.
async fn serve(make: impl FnOnce(String) -> Router) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&requests);
    let app = make(base_url.clone()).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            recorder.lock().unwrap().push((
                request.method().to_string(),
                request.uri().to_string(),
                request.headers().clone(),
            ));
            next.run(request)
        },
    ));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base_url, requests }
}

/// A body of `chunk`-sized pieces without end, counting the bytes the server
/// got to send into `sent`.
fn endless_body(chunk: usize, sent: Arc<AtomicUsize>) -> Body {
    let piece = Bytes::from(vec![b'x'; chunk]);
    Body::from_stream(stream::repeat_with(move || {
        sent.fetch_add(piece.len(), Ordering::Relaxed);
        Ok::<_, Infallible>(piece.clone())
    }))
}

fn get_request(path: &str) -> Request {
    Request::new(Method::GET, "getItem", path.to_owned())
}

// ---------------------------------------------------------------------------
// Bounded memory
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_endless_body_ends_at_the_response_size_limit() {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let server = serve(move |_| {
        Router::new().route(
            "/items",
            get(move || {
                let counter = Arc::clone(&counter);
                async move { endless_body(64 * 1024, counter) }
            }),
        )
    })
    .await;

    let limit = 1024 * 1024;
    let transport = server.builder().max_response_size(limit).build().unwrap();
    let error = within(transport.send(get_request("/items")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                operation: "getItem",
                status: 200,
                limit: 1_048_576
            }
        ),
        "{error:?}"
    );
    let display = error.to_string();
    assert!(
        display.contains("1048576 bytes") && display.contains("max_response_size"),
        "{display}"
    );
    // The client stopped reading: the server could not push much more than
    // the limit (plus what the socket buffers hold) before its writes stalled.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pushed = sent.load(Ordering::Relaxed);
    assert!(pushed < 64 * limit, "the server pushed {pushed} bytes");

    // The default limit holds too, and says so.
    assert_eq!(
        ClientBuilder::<Transport>::DEFAULT_MAX_RESPONSE_SIZE,
        64 << 20
    );
    let error = within(server.transport().send(get_request("/items")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 64 << 20),
        "{error:?}"
    );
}

/// A plain TCP server that answers every request with `head` and then keeps
/// the connection open without sending anything more.
async fn raw_head_then_silence(head: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buffer = [0_u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    base_url
}

#[tokio::test]
async fn a_content_length_beyond_the_limit_fails_before_reading() {
    let base_url = raw_head_then_silence(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n{",
    )
    .await;
    let transport = ClientBuilder::<Transport>::new(&base_url)
        .max_response_size(1000)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = within(transport.send(get_request("/items")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1000, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_endless_error_body_is_kept_up_to_its_cap() {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let server = serve(move |_| {
        Router::new().route(
            "/items",
            get(move || {
                let counter = Arc::clone(&counter);
                async move {
                    axum::http::Response::builder()
                        .status(500)
                        .header("content-type", "text/html")
                        .body(endless_body(16 * 1024, counter))
                        .unwrap()
                }
            }),
        )
    })
    .await;
    let error = within(server.transport().send(get_request("/items")))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 500);
    assert_eq!(api.body().len(), ApiError::MAX_BODY);
    assert!(api.body_truncated());
    assert!(api.body().iter().all(|byte| *byte == b'x'));
    let debug = format!("{error:?}");
    assert!(debug.len() < 4 * 1024, "Debug is {} bytes", debug.len());
    assert!(
        debug.contains("body_len: 65536") && debug.contains("body_truncated: true"),
        "{debug}"
    );
    assert!(error.to_string().len() < 300, "{error}");
}

#[tokio::test]
async fn a_huge_error_body_is_cut_and_its_texts_are_bounded() {
    // 8 MB of message in an OData error, sent whole with its length.
    let message = "m".repeat(8 << 20);
    let body =
        serde_json::json!({"error": {"code": "c".repeat(10_000), "message": message}}).to_string();
    let server = serve(move |_| {
        Router::new().route(
            "/items",
            get(move || {
                let body = body.clone();
                async move { (axum::http::StatusCode::BAD_REQUEST, body) }
            }),
        )
    })
    .await;
    let error = within(server.transport().send(get_request("/items")))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.body().len(), ApiError::MAX_BODY);
    assert!(api.body_truncated());
    let display = error.to_string();
    assert!(display.len() < 1_000, "Display is {} bytes", display.len());
    assert!(format!("{error:?}").len() < 8 * 1024);
}

#[tokio::test]
async fn control_characters_from_the_service_are_escaped_in_display_and_debug() {
    let code = "badRequest\r\n2026-01-01T00:00:00Z INFO forged=log-line";
    let message = "\u{1b}[2J\u{1b}]0;pwned\u{7}cleared\u{202e}txt.exe\u{0}end";
    let request_id = "id\nsecond-line";
    let body = serde_json::json!({
        "error": {"code": code, "message": message, "innerError": {"request-id": request_id}}
    })
    .to_string();
    let full = body.clone();
    let server = serve(move |_| {
        Router::new().route(
            "/items",
            get(move || {
                let body = body.clone();
                async move { (axum::http::StatusCode::BAD_REQUEST, body) }
            }),
        )
    })
    .await;
    let error = within(server.transport().send(get_request("/items")))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    // The fields and the body keep what the service sent ...
    assert_eq!(api.code.as_deref(), Some(code));
    assert_eq!(api.message.as_deref(), Some(message));
    assert_eq!(api.body(), full.as_bytes());
    assert!(!api.body_truncated());
    // ... and no text form of the error passes a control character on.
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && *c != '\n' || *c == '\u{202e}')
            .collect();
        assert!(bad.is_empty(), "{bad:?} in {text}");
    }
    let display = error.to_string();
    assert!(!display.contains('\n'), "{display}");
    assert!(
        display.contains(r"badRequest\r\n2026-01-01T00:00:00Z INFO forged=log-line"),
        "{display}"
    );
    assert!(
        display.contains(r"\u{1b}[2J\u{1b}]0;pwned\u{7}cleared\u{202e}txt.exe\u{0}end"),
        "{display}"
    );
    assert!(
        display.contains(r"(request-id id\nsecond-line)"),
        "{display}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Color {
    Red,
}

#[tokio::test]
async fn decode_errors_escape_the_keys_and_values_they_quote() {
    let server = serve(|_| {
        Router::new().route(
            "/items",
            get(|| async {
                (
                    [("content-type", "application/json")],
                    "{\"\\r\\nFORGED \\u001b[31m\": \"\\u001b]0;title\\u0007\"}",
                )
            }),
        )
    })
    .await;
    let response = within(server.transport().send(get_request("/items")))
        .await
        .unwrap();
    let error = response.json::<BTreeMap<String, Color>>().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Decode {
                source: DecodeError::Json(_),
                ..
            }
        ),
        "{error:?}"
    );
    let mut texts = vec![error.to_string()];
    let mut source = std::error::Error::source(&error);
    if let Some(cause) = source.take() {
        texts.push(cause.to_string());
    }
    for text in texts {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
    assert!(
        error.to_string().contains(r"\r\nFORGED \u{1b}[31m"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// Bounded time
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_dripping_body_ends_at_the_total_timeout() {
    let server = serve(|_| {
        Router::new().route(
            "/items",
            get(|| async {
                // One byte every 50 ms, without end: no per-read timeout fires.
                Body::from_stream(stream::unfold((), |()| async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((Ok::<_, Infallible>(Bytes::from_static(b" ")), ()))
                }))
            }),
        )
    })
    .await;
    assert_eq!(
        ClientBuilder::<Transport>::DEFAULT_TOTAL_TIMEOUT,
        Duration::from_secs(100)
    );
    let transport = server
        .builder()
        .total_timeout(Some(Duration::from_millis(700)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = within(transport.send(get_request("/items")))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(error, Error::Timeout { operation: "getItem", attempts: 1, limit }
            if limit == Duration::from_millis(700)),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(
        elapsed >= Duration::from_millis(700) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert!(
        error.to_string().contains("total timeout of 700ms"),
        "{error}"
    );
}

#[tokio::test]
async fn the_total_timeout_covers_retries_and_their_waits() {
    // Every attempt is throttled with a short Retry-After and answers slowly:
    // the retry budget (4 attempts, 180 s of waits) is far beyond the deadline.
    let server = serve(|_| {
        Router::new().route(
            "/items",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "1")],
                    "",
                )
            }),
        )
    })
    .await;
    let transport = server
        .builder()
        .retry_policy(RetryPolicy::default())
        .total_timeout(Some(Duration::from_millis(2_000)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = within(transport.send(get_request("/items")))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    // Attempt 1 (0.3 s), wait 1 s, attempt 2 (0.3 s): a second 1 s wait would
    // end past the deadline, so the second 429 is returned at once.
    assert_eq!(error.status(), Some(429), "{error:?}");
    assert_eq!(error.attempts(), Some(2), "{error:?}");
    assert!(elapsed < Duration::from_millis(2_000), "{elapsed:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn garbage_retry_after_values_never_make_the_client_sleep_past_its_deadline() {
    for value in [
        "170",
        "86400",
        "99999999999999999999999999",
        "-1",
        "1e9",
        "0x10",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "soon",
        "",
    ] {
        let server = serve(move |_| {
            Router::new().route(
                "/items",
                get(move || async move {
                    (
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        [("retry-after", value)],
                        "",
                    )
                }),
            )
        })
        .await;
        let transport = server
            .builder()
            .total_timeout(Some(Duration::from_secs(3)))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = within(transport.send(get_request("/items")))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(error.status(), Some(503), "{value}: {error:?}");
        assert!(
            elapsed < Duration::from_secs(2),
            "Retry-After `{value}`: {elapsed:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = serve(|_| Router::new().fallback(|| async { "captured" })).await;
    let target = format!("{}/collect?from=redirect", elsewhere.base_url);
    let server = serve(move |_| {
        Router::new().fallback(move || {
            let target = target.clone();
            async move {
                (
                    axum::http::StatusCode::TEMPORARY_REDIRECT,
                    [("location", target)],
                )
            }
        })
    })
    .await;
    let transport = server
        .builder()
        .bearer_token("secret-token")
        .default_header("x-api-key", "api-key-value")
        .build()
        .unwrap();
    let mut request = Request::new(Method::POST, "createItem", "/items".to_owned());
    request
        .json(&serde_json::json!({"secret": "body"}))
        .unwrap();
    let error = within(transport.send(request)).await.unwrap_err();
    match &error {
        Error::Redirect {
            operation: "createItem",
            status: 307,
            location: Some(location),
            cross_origin: true,
        } => assert_eq!(
            location,
            &format!("{}/collect?from=redirect", elsewhere.base_url)
        ),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the other origin got a request"
    );
    assert_eq!(server.request_count(), 1, "a redirect is not retried");

    // A policy that allows other origins follows it, without the token.
    let transport = server
        .builder()
        .bearer_token("secret-token")
        .redirect_policy(RedirectPolicy::any_origin(3))
        .build()
        .unwrap();
    let response = within(transport.send(get_request("/items"))).await.unwrap();
    assert_eq!(response.body(), b"captured");
    let requests = elsewhere.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].2.get("authorization").is_none());
}

#[tokio::test]
async fn same_origin_redirects_are_followed_within_a_limit() {
    let server = serve(|_| {
        Router::new()
            .route(
                "/old",
                get(|| async {
                    (
                        axum::http::StatusCode::PERMANENT_REDIRECT,
                        [("location", "/new")],
                    )
                }),
            )
            .route("/new", get(|| async { "moved here" }))
            .route(
                "/loop",
                get(|| async { (axum::http::StatusCode::FOUND, [("location", "/loop")]) }),
            )
    })
    .await;
    let response = within(server.transport().send(get_request("/old")))
        .await
        .unwrap();
    assert_eq!(response.body(), b"moved here");
    // The token went with the redirect: it stayed on the origin.
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests[1].1, "/new");
    assert!(requests[1].2.get("authorization").is_some());

    let before = server.request_count();
    let error = within(server.transport().send(get_request("/loop")))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Redirect { status: 302, cross_origin: false, location: Some(l), .. } if l == "/loop"),
        "{error:?}"
    );
    assert!(error.to_string().contains("too many redirects"), "{error}");
    assert_eq!(
        server.request_count() - before,
        RedirectPolicy::DEFAULT_MAX_REDIRECTS + 1
    );

    // `none` follows nothing.
    let transport = server
        .builder()
        .redirect_policy(RedirectPolicy::none())
        .build()
        .unwrap();
    let error = within(transport.send(get_request("/old")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Redirect { status: 308, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_long_location_with_odd_characters_is_escaped_and_shortened_in_display() {
    // HTTP parsers refuse CR, LF and ESC in a header, but pass tabs and any
    // byte above 0x7F: here a tab, a right-to-left override and 20 KB.
    let head: &'static str = Box::leak(
        format!(
            "HTTP/1.1 302 Found\r\nlocation: http://evil.invalid/\tgpj.\u{202e}exe/{}\r\n\
             content-length: 0\r\n\r\n",
            "a".repeat(20_000)
        )
        .into_boxed_str(),
    );
    let base_url = raw_head_then_silence(head).await;
    let transport = ClientBuilder::<Transport>::new(&base_url).build().unwrap();
    let error = within(transport.send(get_request("/items")))
        .await
        .unwrap_err();
    let Error::Redirect {
        cross_origin: true,
        location: Some(location),
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(location.len() > 20_000, "the Location is kept whole");
    let display = error.to_string();
    assert!(
        !display.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{display:?}"
    );
    assert!(display.contains(r"\tgpj.\u{202e}exe/aaa"), "{display}");
    assert!(display.len() < 500, "{display}");
}

// ---------------------------------------------------------------------------
// Paging that ends
// ---------------------------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u32,
}

#[derive(Debug, Deserialize)]
struct ItemPage {
    value: Vec<Item>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

fn split(page: ItemPage) -> (Vec<Item>, Option<String>) {
    (page.value, page.next_link)
}

#[tokio::test]
async fn next_links_that_loop_back_end_the_stream_without_repeating_items() {
    // /items -> page b -> page c -> page b -> ...
    let server = serve(|base_url| {
        let b = format!("{base_url}/items?$skiptoken=b");
        let c = format!("{base_url}/items?$skiptoken=c");
        Router::new().route(
            "/items",
            get(
                move |query: axum::extract::Query<BTreeMap<String, String>>| {
                    let (b, c) = (b.clone(), c.clone());
                    async move {
                        let (ids, next) = match query.get("$skiptoken").map(String::as_str) {
                            None => ([1, 2], b),
                            Some("b") => ([3, 4], c),
                            _ => ([5, 6], b),
                        };
                        axum::Json(serde_json::json!({
                            "value": [{"id": ids[0]}, {"id": ids[1]}],
                            "@odata.nextLink": next,
                        }))
                    }
                },
            ),
        )
    })
    .await;
    let results: Vec<Result<Item, Error>> =
        within(paging::items(server.transport(), get_request("/items"), split).collect::<Vec<_>>())
            .await;
    let ids: Vec<u32> = results
        .iter()
        .filter_map(|item| item.as_ref().ok().map(|item| item.id))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6], "each item once");
    assert_eq!(results.len(), 7);
    assert!(
        matches!(
            results[6],
            Err(Error::Paging {
                operation: "getItem",
                reason: PagingError::RepeatedLink { page: 3 }
            })
        ),
        "{:?}",
        results[6]
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_next_link_back_to_the_first_page_ends_the_stream() {
    let server = serve(|base_url| {
        let first = format!("{base_url}/items");
        Router::new().route(
            "/items",
            get(move || {
                let first = first.clone();
                async move {
                    axum::Json(serde_json::json!({"value": [{"id": 1}], "@odata.nextLink": first}))
                }
            }),
        )
    })
    .await;
    let pages: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get_request("/items"),
            |page: &ItemPage| (page.value.len(), page.next_link.clone()),
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].is_ok());
    assert!(
        matches!(
            pages[1],
            Err(Error::Paging {
                reason: PagingError::RepeatedLink { page: 1 },
                ..
            })
        ),
        "{:?}",
        pages[1]
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn endless_empty_pages_end_the_stream() {
    // Every page is empty and links to a page never seen before.
    let server = serve(|base_url| {
        let counter = Arc::new(AtomicUsize::new(0));
        Router::new().route(
            "/items",
            get(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let base_url = base_url.clone();
                async move {
                    axum::Json(serde_json::json!({
                        "value": [],
                        "@odata.nextLink": format!("{base_url}/items?$skiptoken={n}"),
                    }))
                }
            }),
        )
    })
    .await;
    let results: Vec<Result<Item, Error>> =
        within(paging::items(server.transport(), get_request("/items"), split).collect::<Vec<_>>())
            .await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(
        matches!(
            results[0],
            Err(Error::Paging {
                reason: PagingError::TooManyEmptyPages {
                    limit: paging::MAX_EMPTY_PAGES
                },
                ..
            })
        ),
        "{:?}",
        results[0]
    );
    assert_eq!(server.request_count(), paging::MAX_EMPTY_PAGES + 1);

    // The pages stream ends the same way, after yielding the empty pages it accepts.
    let pages: Vec<Result<ItemPage, Error>> = within(
        paging::pages(
            server.transport(),
            get_request("/items"),
            |page: &ItemPage| (page.value.len(), page.next_link.clone()),
        )
        .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(
        pages.len(),
        paging::MAX_EMPTY_PAGES + 2,
        "{:?}",
        pages.last()
    );
    assert!(pages[..=paging::MAX_EMPTY_PAGES].iter().all(Result::is_ok));
    assert!(
        matches!(
            pages.last(),
            Some(Err(Error::Paging {
                reason: PagingError::TooManyEmptyPages { .. },
                ..
            }))
        ),
        "{:?}",
        pages.last()
    );
    assert_eq!(server.request_count(), 2 * (paging::MAX_EMPTY_PAGES + 1));
}
