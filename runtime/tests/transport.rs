//! Tests of the hand-written runtime through its public API, against a real
//! HTTP server on 127.0.0.1 that each test starts.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use clientsmith_runtime::{
    AccessToken, ApiError, BoxError, BoxFuture, ClientBuilder, DecodeError, Error, Method,
    ParamValue, Patch, Query, Request, RetryPolicy, StaticToken, TokenProvider, Transport,
    path_segment, reqwest,
};
use serde::{Deserialize, Serialize};

const SECRET: &str = "s3cr3t-token-never-printed";
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

// ---------------------------------------------------------------------------
// Test server
// ---------------------------------------------------------------------------

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// The request target exactly as sent: encoded path and query.
    uri: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
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

    fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }

    fn builder(&self) -> ClientBuilder<Transport> {
        ClientBuilder::new("https://service.invalid/v1.0").base_url(&self.base_url)
    }

    fn transport(&self) -> Transport {
        self.builder().bearer_token(SECRET).build().unwrap()
    }
}

/// Serves `router` on 127.0.0.1 with an ephemeral port, recording every request.
async fn serve(router: Router) -> Server {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&requests);
    let app = router.layer(axum::middleware::from_fn(
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base_url: format!("http://{address}"),
        requests,
    }
}

/// A response with the given status, headers and body.
fn reply(status: u16, headers: &[(&str, &str)], body: impl Into<Body>) -> axum::response::Response {
    let mut response = axum::http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(body.into()).unwrap()
}

fn json_reply(status: u16, body: &'static str) -> axum::response::Response {
    reply(status, &[("content-type", "application/json")], body)
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

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "the token leaked into: {text}");
}

// ---------------------------------------------------------------------------
// Requests on the wire
// ---------------------------------------------------------------------------

#[tokio::test]
async fn request_carries_headers_path_query_and_body() {
    let server = serve(Router::new().fallback(|| async { json_reply(201, r#"{"id":"1"}"#) })).await;
    let transport = server
        .builder()
        .base_url(format!("{}/v1.0/", server.base_url))
        .bearer_token(SECRET)
        .default_header("x-default", "from-builder")
        .default_header("x-override", "from-builder")
        .build()
        .unwrap();
    assert_eq!(transport.base_url(), format!("{}/v1.0", server.base_url));

    let path = format!(
        "/external/connections/{}/items/{}",
        path_segment("a/b c?#%"),
        path_segment("ünï✓")
    );
    let mut request = Request::new(Method::PUT, "createItem", path);
    request.query_mut().push(
        "$filter",
        "startswith(displayName,'a b') and note eq \"x&y=z+1\"",
    );
    request
        .query_mut()
        .push_csv("$select", &["id", "displayName"]);
    request.query_mut().push("$top", &10);
    request.header("x-override", "from-request".to_owned());
    request.header("ConsistencyLevel", "eventual".to_owned());
    request.accept("application/json;odata.metadata=minimal");
    request
        .json(&serde_json::json!({"id": "1", "label": "ü"}))
        .unwrap();
    // The query as built keeps the OData characters literal ...
    assert_eq!(
        request.query().as_str(),
        "$filter=startswith(displayName,'a%20b')%20and%20note%20eq%20%22x%26y%3Dz%2B1%22\
         &$select=id,displayName&$top=10"
    );

    let response = transport.send(request).await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<serde_json::Value>().unwrap()["id"], "1");

    let recorded = server.single_request();
    assert_eq!(recorded.method, "PUT");
    // ... and on the wire, where reqwest's URL parser (WHATWG) writes `'` as `%27`.
    assert_eq!(
        recorded.uri,
        "/v1.0/external/connections/a%2Fb%20c%3F%23%25/items/%C3%BCn%C3%AF%E2%9C%93\
         ?$filter=startswith(displayName,%27a%20b%27)%20and%20note%20eq%20%22x%26y%3Dz%2B1%22\
         &$select=id,displayName&$top=10"
    );
    assert_eq!(
        recorded.header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert_eq!(
        recorded.header("accept"),
        Some("application/json;odata.metadata=minimal")
    );
    assert_eq!(recorded.header("content-type"), Some("application/json"));
    assert_eq!(recorded.header("consistencylevel"), Some("eventual"));
    assert_eq!(recorded.header("x-default"), Some("from-builder"));
    let overridden: Vec<_> = recorded.headers.get_all("x-override").iter().collect();
    assert_eq!(
        overridden,
        ["from-request"],
        "request headers replace defaults"
    );
    assert_eq!(recorded.header("user-agent"), Some(USER_AGENT));
    assert_eq!(recorded.body, "{\"id\":\"1\",\"label\":\"ü\"}".as_bytes());
}

#[tokio::test]
async fn a_fixed_query_in_the_path_goes_first_in_the_query() {
    // Azure's `x-ms-paths` tell operations apart by a query written in the path.
    let server = serve(Router::new().fallback(|| async { json_reply(200, "{}") })).await;
    let transport = server.transport();
    let path = format!("/blobs/{}?mode=chunk", path_segment("a?b"));
    let mut request = Request::new(Method::GET, "getChunk", path.clone());
    request.query_mut().push("size", &5);
    transport.send(request).await.unwrap();
    transport
        .send(Request::new(Method::GET, "getChunk", path))
        .await
        .unwrap();
    let uris: Vec<String> = server.requests().into_iter().map(|r| r.uri).collect();
    // A `?` in a parameter's value is encoded and stays in its segment.
    assert_eq!(
        uris,
        ["/blobs/a%3Fb?mode=chunk&size=5", "/blobs/a%3Fb?mode=chunk"]
    );
}

#[tokio::test]
async fn request_without_token_or_body_sends_defaults_only() {
    let server =
        serve(Router::new().route("/items", get(|| async { json_reply(200, "{}") }))).await;
    let transport: Transport = server.builder().build().unwrap();
    let response = transport
        .send(Request::new(Method::GET, "listItems", "/items".to_owned()))
        .await
        .unwrap();
    response.empty().unwrap();

    let recorded = server.single_request();
    assert_eq!(recorded.method, "GET");
    assert_eq!(recorded.uri, "/items", "no `?` for an empty query");
    assert_eq!(recorded.header("authorization"), None);
    assert_eq!(recorded.header("content-type"), None);
    assert_eq!(recorded.header("accept"), Some("application/json"));
    assert!(recorded.body.is_empty());
}

#[tokio::test]
async fn the_sdk_version_header_names_client_and_runtime_unless_turned_off() {
    let server =
        serve(Router::new().route("/items", get(|| async { json_reply(200, "{}") }))).await;
    for (builder, expected) in [
        (
            server.builder().user_agent("graph-connectors/0.1.0"),
            Some(format!("graph-connectors/0.1.0, {USER_AGENT}")),
        ),
        (server.builder(), Some(USER_AGENT.to_owned())),
        (server.builder().sdk_version_header(false), None),
    ] {
        let transport: Transport = builder.build().unwrap();
        transport
            .send(Request::new(Method::GET, "listItems", "/items".to_owned()))
            .await
            .unwrap();
        let recorded = server.requests().pop().unwrap();
        assert_eq!(recorded.header("sdkversion").map(str::to_owned), expected);
    }
}

#[tokio::test]
async fn repeated_request_headers_are_all_sent() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let mut request = Request::new(Method::DELETE, "deleteItem", "/items/1".to_owned());
    request.header("prefer", "a".to_owned());
    request.header("prefer", "b".to_owned());
    server
        .transport()
        .send(request)
        .await
        .unwrap()
        .empty()
        .unwrap();
    let recorded = server.single_request();
    let prefer: Vec<_> = recorded.headers.get_all("prefer").iter().collect();
    assert_eq!(prefer, ["a", "b"]);
}

#[tokio::test]
async fn raw_body_is_sent_with_its_media_type() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let mut request = Request::new(Method::PUT, "upload", "/content".to_owned());
    request.body(vec![0, 1, 2, 255], "application/octet-stream");
    server
        .transport()
        .send(request)
        .await
        .unwrap()
        .empty()
        .unwrap();
    let recorded = server.single_request();
    assert_eq!(
        recorded.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(recorded.body, [0, 1, 2, 255]);
}

#[tokio::test]
async fn path_without_leading_slash_is_still_separated() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let transport: Transport = server
        .builder()
        .base_url(format!("{}/beta", server.base_url))
        .build()
        .unwrap();
    transport
        .send(Request::new(Method::GET, "get", "items".to_owned()))
        .await
        .unwrap();
    assert_eq!(server.single_request().uri, "/beta/items");
}

#[tokio::test]
async fn custom_http_client_is_used_as_is() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let http = reqwest::Client::builder()
        .user_agent("custom-agent/9")
        .build()
        .unwrap();
    let transport = server
        .builder()
        .user_agent("ignored/1")
        .default_header("x-default", "still-applied")
        .bearer_token(SECRET)
        .http_client(http)
        .build()
        .unwrap();
    transport
        .send(Request::new(Method::GET, "get", "/".to_owned()))
        .await
        .unwrap();
    let recorded = server.single_request();
    assert_eq!(recorded.header("user-agent"), Some("custom-agent/9"));
    assert_eq!(recorded.header("x-default"), Some("still-applied"));
    assert_eq!(
        recorded.header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
}

#[tokio::test]
async fn builder_produces_any_type_built_from_a_transport() {
    struct Client {
        transport: Transport,
    }
    impl From<Transport> for Client {
        fn from(transport: Transport) -> Self {
            Client { transport }
        }
    }
    let client: Client = ClientBuilder::new("https://graph.example.com/beta/")
        .build()
        .unwrap();
    assert_eq!(
        client.transport.base_url(),
        "https://graph.example.com/beta"
    );
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/// A provider that hands out a new token on every call, like one that refreshes.
struct CountingProvider {
    calls: AtomicUsize,
}

impl TokenProvider for CountingProvider {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(format!("token-{call}")))
        })
    }
}

struct FailingProvider;

impl TokenProvider for FailingProvider {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, BoxError>> {
        Box::pin(async { Err("the identity provider is unreachable".into()) })
    }
}

#[tokio::test]
async fn token_provider_is_asked_for_every_request() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let provider = Arc::new(CountingProvider {
        calls: AtomicUsize::new(0),
    });
    let transport = server
        .builder()
        .token_provider(Arc::clone(&provider))
        .build()
        .unwrap();
    for _ in 0..2 {
        transport
            .clone()
            .send(Request::new(Method::GET, "get", "/".to_owned()))
            .await
            .unwrap();
    }
    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|request| request.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer token-1", "Bearer token-2"]);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn failing_token_provider_stops_the_request() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let transport = server
        .builder()
        .token_provider(FailingProvider)
        .build()
        .unwrap();
    let error = transport
        .send(Request::new(Method::GET, "getItem", "/".to_owned()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Token {
                operation: "getItem",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "getItem: could not obtain an access token"
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert_eq!(source, "the identity provider is unreachable");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn token_is_never_printed() {
    let server = serve(
        Router::new()
            .route(
                "/missing",
                get(|| async {
                    json_reply(404, r#"{"error":{"code":"itemNotFound","message":"gone"}}"#)
                }),
            )
            .route(
                "/bad-model",
                get(|| async { json_reply(200, r#"{"id":7}"#) }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    reply(204, &[], "")
                }),
            ),
    )
    .await;
    let builder = server
        .builder()
        .bearer_token(SECRET)
        .timeout(Duration::from_millis(300));
    assert_no_secret(&format!("{builder:?}"));
    let transport = builder.build().unwrap();
    assert_no_secret(&format!("{transport:?}"));
    assert!(format!("{transport:?}").contains(&server.base_url));

    let token = AccessToken::new(SECRET);
    assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    assert_eq!(token.expose_secret(), SECRET);
    assert_no_secret(&format!("{:?}", StaticToken::new(SECRET)));
    assert_no_secret(&format!("{:?}", StaticToken::from(token)));

    let mut errors = Vec::new();
    for path in ["/missing", "/bad-model", "/slow"] {
        let result = transport
            .send(Request::new(Method::GET, "getItem", path.to_owned()))
            .await;
        errors.push(match result {
            Ok(response) => {
                #[derive(Debug, Deserialize)]
                #[allow(dead_code)]
                struct Item {
                    id: String,
                }
                response.json::<Item>().unwrap_err()
            }
            Err(error) => error,
        });
    }
    // A token that cannot be sent as a header fails without being quoted.
    let invalid = format!("{SECRET}\n");
    errors.push(
        server
            .builder()
            .bearer_token(invalid)
            .build()
            .unwrap()
            .send(Request::new(Method::GET, "getItem", "/".to_owned()))
            .await
            .unwrap_err(),
    );
    assert!(matches!(errors[0], Error::Api(_)));
    assert!(matches!(errors[1], Error::Decode { .. }));
    assert!(errors[2].is_timeout());
    assert!(matches!(errors[3], Error::Token { .. }));
    for error in &errors {
        assert_no_secret(&all_error_text(error));
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemList {
    value: Vec<Item>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: String,
    state: State,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
enum State {
    Ready,
    Draft,
}

#[tokio::test]
async fn success_body_decodes() {
    let server = serve(Router::new().route(
        "/items",
        get(|| async {
            reply(
                200,
                &[("content-type", "application/json"), ("request-id", "r-1")],
                r#"{"value":[{"id":"1","state":"ready"},{"id":"2","state":"draft"}],
                   "@odata.nextLink":"https://next"}"#,
            )
        }),
    ))
    .await;
    let response = server
        .transport()
        .send(Request::new(Method::GET, "listItems", "/items".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["request-id"], "r-1");
    assert!(response.body().starts_with(b"{\"value\""));
    let list: ItemList = response.json().unwrap();
    assert_eq!(
        list,
        ItemList {
            value: vec![
                Item {
                    id: "1".into(),
                    state: State::Ready
                },
                Item {
                    id: "2".into(),
                    state: State::Draft
                },
            ],
            next_link: Some("https://next".into()),
        }
    );
}

#[tokio::test]
async fn decode_error_names_operation_and_json_path() {
    let server = serve(Router::new().route(
        "/items",
        get(|| async {
            json_reply(
                200,
                r#"{"value":[{"id":"1","state":"ready"},{"id":"2","state":42}]}"#,
            )
        }),
    ))
    .await;
    let error = server
        .transport()
        .send(Request::new(Method::GET, "listItems", "/items".to_owned()))
        .await
        .unwrap()
        .json::<ItemList>()
        .unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            path,
            source,
        } => {
            assert_eq!(*operation, "listItems");
            assert_eq!(*status, 200);
            assert_eq!(path, "value[1].state");
            assert!(matches!(source, DecodeError::Json(_)));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "listItems: the 200 response body does not match the expected type at `value[1].state`"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.operation(), Some("listItems"));
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(cause.contains("line 1 column 56"), "{cause}");
}

#[tokio::test]
async fn unknown_enum_value_and_trailing_data_are_decode_errors() {
    let server = serve(
        Router::new()
            .route(
                "/unknown",
                get(|| async { json_reply(200, r#"{"id":"1","state":"gone"}"#) }),
            )
            .route(
                "/trailing",
                get(|| async { json_reply(200, r#"{"id":"1","state":"ready"} x"#) }),
            ),
    )
    .await;
    let transport = server.transport();
    let unknown = transport
        .send(Request::new(Method::GET, "getItem", "/unknown".to_owned()))
        .await
        .unwrap()
        .json::<Item>()
        .unwrap_err();
    assert!(
        matches!(&unknown, Error::Decode { path, .. } if path == "state"),
        "{unknown:?}"
    );

    let trailing = transport
        .send(Request::new(Method::GET, "getItem", "/trailing".to_owned()))
        .await
        .unwrap()
        .json::<Item>()
        .unwrap_err();
    assert!(
        matches!(&trailing, Error::Decode { path, .. } if path == "."),
        "{trailing:?}"
    );
    assert_eq!(
        trailing.to_string(),
        "getItem: the 200 response body does not match the expected type"
    );
}

#[tokio::test]
async fn text_body_parses_like_an_odata_count() {
    let server = serve(
        Router::new()
            .route(
                "/count",
                get(|| async { reply(200, &[("content-type", "text/plain")], " 42\n") }),
            )
            .route(
                "/not-a-count",
                get(|| async { reply(200, &[("content-type", "text/plain")], "forty-two") }),
            ),
    )
    .await;
    let transport = server.transport();
    let mut request = Request::new(Method::GET, "countItems", "/count".to_owned());
    request.accept("text/plain");
    let count: u64 = transport.send(request).await.unwrap().text().unwrap();
    assert_eq!(count, 42);
    assert_eq!(server.requests()[0].header("accept"), Some("text/plain"));

    let error = transport
        .send(Request::new(
            Method::GET,
            "countItems",
            "/not-a-count".to_owned(),
        ))
        .await
        .unwrap()
        .text::<u64>()
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Decode {
                source: DecodeError::Text(_),
                ..
            }
        ),
        "{error:?}"
    );
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        cause.contains("`forty-two`") && cause.contains("u64"),
        "{cause}"
    );
}

#[tokio::test]
async fn graph_error_body_becomes_api_error() {
    let server = serve(Router::new().route(
        "/items/42",
        get(|| async {
            reply(
                404,
                &[
                    ("content-type", "application/json"),
                    ("request-id", "header-id-is-not-used"),
                ],
                r#"{"error":{"code":"itemNotFound","message":"The item does not exist.",
                   "target":"itemId","innerError":{"request-id":"body-request-id",
                   "client-request-id":"body-client-id","date":"2024-05-01T10:00:00"}}}"#,
            )
        }),
    ))
    .await;
    let error = server
        .transport()
        .send(Request::new(Method::GET, "getItem", "/items/42".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.operation(), Some("getItem"));
    assert!(!error.is_timeout());
    let api = error.api().unwrap();
    assert_eq!(api.operation, "getItem");
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("itemNotFound"));
    assert_eq!(api.message.as_deref(), Some("The item does not exist."));
    assert_eq!(api.target.as_deref(), Some("itemId"));
    assert_eq!(api.request_id.as_deref(), Some("body-request-id"));
    assert_eq!(api.client_request_id.as_deref(), Some("body-client-id"));
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(api.headers["content-type"], "application/json");
    assert_eq!(
        error.to_string(),
        "getItem: 404 itemNotFound: The item does not exist. (request-id body-request-id)"
    );

    // The operation's declared error model can be decoded from the kept body.
    #[derive(Deserialize)]
    struct ErrorResponse {
        error: MainError,
    }
    #[derive(Deserialize)]
    struct MainError {
        code: String,
        target: Option<String>,
    }
    let declared: ErrorResponse = api.body_json().unwrap();
    assert_eq!(declared.error.code, "itemNotFound");
    assert_eq!(declared.error.target.as_deref(), Some("itemId"));
}

#[tokio::test]
async fn html_error_body_shows_status_and_first_bytes() {
    const PAGE_TAIL: &str = "</body></html>";
    let server = serve(Router::new().route(
        "/items",
        post(|| async {
            let page = format!(
                "<html>\n<head><title>Oops</title></head>\n<body>{}{PAGE_TAIL}",
                "x".repeat(500)
            );
            reply(500, &[("content-type", "text/html")], page)
        }),
    ))
    .await;
    let error = server
        .transport()
        .send(Request::new(
            Method::POST,
            "createItem",
            "/items".to_owned(),
        ))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status, 500);
    assert_eq!(api.code, None);
    assert_eq!(api.message, None);
    assert_eq!(api.request_id, None);
    assert!(
        api.body().ends_with(PAGE_TAIL.as_bytes()),
        "the body is kept whole"
    );
    let display = error.to_string();
    assert!(
        display.starts_with(
            "createItem: 500 Internal Server Error: <html> <head><title>Oops</title></head> <body>xxx"
        ),
        "{display}"
    );
    assert!(display.ends_with("x…"), "{display}");
    assert!(!display.contains(PAGE_TAIL), "{display}");
    assert!(display.len() < 260, "{display}");
}

#[tokio::test]
async fn request_id_falls_back_to_headers() {
    let server = serve(
        Router::new()
            .route(
                "/busy",
                get(|| async {
                    reply(
                        503,
                        &[
                            ("content-type", "application/json"),
                            ("request-id", "header-request-id"),
                            ("client-request-id", "header-client-id"),
                            ("date", "Wed, 01 May 2024 10:00:00 GMT"),
                        ],
                        r#"{"error":{"code":"serviceNotAvailable","message":"Try later."}}"#,
                    )
                }),
            )
            .route(
                "/empty",
                get(|| async { reply(502, &[("request-id", "only-header")], "") }),
            ),
    )
    .await;
    // A 503 is retried by default; this test is about a single answer.
    let transport = server
        .builder()
        .bearer_token(SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let busy = transport
        .send(Request::new(Method::GET, "getItem", "/busy".to_owned()))
        .await
        .unwrap_err();
    let api = busy.api().unwrap();
    assert_eq!(api.request_id.as_deref(), Some("header-request-id"));
    assert_eq!(api.client_request_id.as_deref(), Some("header-client-id"));
    assert_eq!(api.date.as_deref(), Some("Wed, 01 May 2024 10:00:00 GMT"));
    assert_eq!(
        busy.to_string(),
        "getItem: 503 serviceNotAvailable: Try later. (request-id header-request-id)"
    );

    let empty = transport
        .send(Request::new(Method::GET, "getItem", "/empty".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(
        empty.to_string(),
        "getItem: 502 Bad Gateway (request-id only-header)"
    );
}

#[test]
fn api_error_recognises_odata_variants() {
    let lowercase = ApiError::new(
        "op",
        400,
        HeaderMap::new(),
        br#"{"error":{"code":"badRequest","message":"Invalid filter.","innererror":{"request-id":"low"}}}"#.to_vec(),
    );
    assert_eq!(lowercase.request_id.as_deref(), Some("low"));
    assert_eq!(
        lowercase.to_string(),
        "op: 400 badRequest: Invalid filter. (request-id low)"
    );

    // OData v3 style message object.
    let v3 = ApiError::new(
        "op",
        400,
        HeaderMap::new(),
        br#"{"error":{"code":"x","message":{"lang":"en-US","value":"Bad."}}}"#.to_vec(),
    );
    assert_eq!(v3.message.as_deref(), Some("Bad."));

    // Code only, message only.
    let code_only = ApiError::new(
        "op",
        409,
        HeaderMap::new(),
        br#"{"error":{"code":"conflict"}}"#.to_vec(),
    );
    assert_eq!(code_only.to_string(), "op: 409 conflict");
    let message_only = ApiError::new(
        "op",
        409,
        HeaderMap::new(),
        br#"{"error":{"message":"Busy."}}"#.to_vec(),
    );
    assert_eq!(message_only.to_string(), "op: 409: Busy.");

    // Other JSON shapes are shown as text.
    let other = ApiError::new(
        "op",
        400,
        HeaderMap::new(),
        br#"{"error":"invalid_grant"}"#.to_vec(),
    );
    assert_eq!(other.code, None);
    assert_eq!(
        other.to_string(),
        r#"op: 400 Bad Request: {"error":"invalid_grant"}"#
    );

    // The snippet never splits a UTF-8 character and never spans lines.
    let mut body = "a".repeat(199).into_bytes();
    body.extend_from_slice("é\r\nmore".as_bytes());
    let cut = ApiError::new("op", 599, HeaderMap::new(), body);
    assert_eq!(cut.to_string(), format!("op: 599: {}…", "a".repeat(199)));
    let invalid = ApiError::new("op", 500, HeaderMap::new(), vec![b'a', 0xFF, b'\n', b'b']);
    assert_eq!(
        invalid.to_string(),
        "op: 500 Internal Server Error: a\u{FFFD} b"
    );
    assert!(format!("{invalid:?}").contains("body: \"a\u{FFFD}\\nb\""));

    let error = Error::from(invalid);
    assert_eq!(error.status(), Some(500));
}

#[tokio::test]
async fn timeout_fires_and_is_reported() {
    let server = serve(Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            json_reply(200, "{}")
        }),
    ))
    .await;
    let transport = server
        .builder()
        .timeout(Duration::from_millis(200))
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = transport
        .send(Request::new(Method::GET, "slowOp", "/slow".to_owned()))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(
        error,
        Error::Transport {
            operation: "slowOp",
            ..
        }
    ));
    assert_eq!(error.to_string(), "slowOp: the request timed out");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let transport: Transport = ClientBuilder::new(&format!("http://{address}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = transport
        .send(Request::new(Method::GET, "getItem", "/".to_owned()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(!error.is_timeout());
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(
        error.to_string(),
        "getItem: could not connect to the service"
    );

    // A GET is retried after a connection failure, and the error says so.
    let transport: Transport = ClientBuilder::new(&format!("http://{address}"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_base_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let error = transport
        .send(Request::new(Method::GET, "getItem", "/".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(
        error.to_string(),
        "getItem: could not connect to the service (after 3 attempts)"
    );
}

// ---------------------------------------------------------------------------
// Invalid input
// ---------------------------------------------------------------------------

#[tokio::test]
async fn dot_segments_and_bad_header_values_are_rejected_before_sending() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let transport = server.transport();
    let mut paths: Vec<String> = ["..", "."]
        .iter()
        .map(|id| format!("/connections/c/items/{}", path_segment(*id)))
        .collect();
    // Percent-encoded dot segments are normalized away as well.
    paths.extend([
        "/items/%2e%2E".to_owned(),
        "/items/.%2E/x".to_owned(),
        "/items/%2e".to_owned(),
    ]);
    for path in paths {
        let error = transport
            .send(Request::new(Method::DELETE, "deleteItem", path.clone()))
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    operation: "deleteItem",
                    ..
                }
            ),
            "{path}: {error:?}"
        );
    }
    // `...` and an encoded `%2e%2E` typed by a user are ordinary segments.
    for id in ["...", "%2e%2E"] {
        transport
            .send(Request::new(
                Method::GET,
                "getItem",
                format!("/items/{}", path_segment(id)),
            ))
            .await
            .unwrap();
    }
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .map(|request| request.uri)
        .collect();
    assert_eq!(sent, ["/items/...", "/items/%252e%252E"]);

    let mut request = Request::new(Method::GET, "getItem", "/items".to_owned());
    request.header("if-match", "a\r\nx-injected: yes".to_owned());
    let error = transport.send(request).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("`if-match`"), "{error}");

    assert_eq!(
        server.requests().len(),
        2,
        "only the valid requests were sent"
    );
}

#[test]
fn encode_error_names_the_operation() {
    let mut request = Request::new(Method::POST, "createThing", "/things".to_owned());
    let body: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
    let error = request.json(&body).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Encode {
                operation: "createThing",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "createThing: could not encode the request body as JSON"
    );
}

#[test]
fn invalid_configuration_is_reported_by_build() {
    fn config_error(builder: ClientBuilder) -> String {
        match builder.build() {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }
    let base = || ClientBuilder::new("https://graph.example.com/beta");
    assert!(config_error(base().base_url("not a url")).contains("`not a url`"));
    assert!(config_error(base().base_url("ftp://example.com")).contains("http or https"));
    assert!(config_error(base().base_url("https://example.com/?a=1")).contains("query"));
    let credentials = config_error(base().base_url("https://user:hunter2@example.com"));
    assert!(credentials.contains("credentials") && !credentials.contains("hunter2"));
    assert!(config_error(base().default_header("bad name", "v")).contains("`bad name`"));
    let bad_value = config_error(base().default_header("x-api-key", "key\nwith-newline"));
    assert!(bad_value.contains("`x-api-key`") && !bad_value.contains("with-newline"));
    assert!(config_error(base().user_agent("agent\n")).contains("user agent"));
    let error = base().base_url("nope").build().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid client configuration: ")
    );
    assert_eq!(error.operation(), None);
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

#[test]
fn query_keeps_odata_syntax_literal() {
    let mut query = Query::new();
    query.push("$filter", "startswith(displayName,'a')");
    query.push_csv("$select", &["id", "displayName"]);
    query.push("$expand", "fields($select=a,b)");
    query.push("@odata.x", "p:q*r/s$t@u");
    assert_eq!(
        query.as_str(),
        "$filter=startswith(displayName,'a')&$select=id,displayName\
         &$expand=fields($select%3Da,b)&@odata.x=p:q*r/s$t@u"
    );
    assert_eq!(query.to_string(), query.as_str());
}

#[test]
fn query_encodes_separators_and_non_ascii() {
    let mut query = Query::new();
    query.push("q", "a b&c=d+e#f%g\"h<i>j;k?l!m");
    query.push("u", "é✓\n\t");
    query.push("name with space&", "x");
    assert_eq!(
        query.as_str(),
        "q=a%20b%26c%3Dd%2Be%23f%25g%22h%3Ci%3Ej%3Bk%3Fl%21m\
         &u=%C3%A9%E2%9C%93%0A%09&name%20with%20space%26=x"
    );
}

#[test]
fn query_lists_and_optional_values() {
    let mut query = Query::default();
    assert!(query.is_empty());
    query.push_opt::<str>("absent", None);
    query.push_csv::<&str>("empty", &[]);
    query.push_exploded::<u32>("empty", &[]);
    assert!(query.is_empty(), "{query}");
    assert_eq!(query.as_str(), "");

    query.push_opt("present", Some("yes"));
    query.push_csv("list", &["a,b", "c d"]);
    query.push_exploded("id", &[1, 2, 3]);
    query.push_opt("n", Some(&7_i64));
    assert!(!query.is_empty());
    assert_eq!(
        query.as_str(),
        "present=yes&list=a%2Cb,c%20d&id=1&id=2&id=3&n=7"
    );
}

#[test]
fn param_values_have_their_wire_form() {
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

    fn text<T: ParamValue + ?Sized>(value: &T) -> String {
        value.to_param().into_owned()
    }
    assert_eq!(text("plain"), "plain");
    assert_eq!(text(&String::from("owned")), "owned");
    assert_eq!(text(&&&"nested"), "nested");
    assert_eq!(text(&true), "true");
    assert_eq!(text(&false), "false");
    assert_eq!(text(&-12_i32), "-12");
    assert_eq!(text(&u64::MAX), "18446744073709551615");
    assert_eq!(text(&0.5_f64), "0.5");
    assert_eq!(text(&'c'), "c");

    let offset = FixedOffset::east_opt(2 * 3600).unwrap();
    let local: DateTime<FixedOffset> = offset
        .with_ymd_and_hms(2024, 5, 1, 10, 0, 0)
        .unwrap()
        .checked_add_signed(chrono::TimeDelta::milliseconds(123))
        .unwrap();
    assert_eq!(text(&local), "2024-05-01T10:00:00.123+02:00");
    let utc: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap();
    assert_eq!(text(&utc), "2024-05-01T08:00:00Z");
    let date = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    assert_eq!(text(&date), "2024-05-01");

    let mut query = Query::new();
    query.push("since", &local);
    assert_eq!(query.as_str(), "since=2024-05-01T10:00:00.123%2B02:00");
}

#[test]
fn path_segments_are_encoded() {
    assert_eq!(path_segment("a/b"), "a%2Fb");
    assert_eq!(path_segment("a b"), "a%20b");
    assert_eq!(path_segment("?#%"), "%3F%23%25");
    assert_eq!(path_segment("back\\slash"), "back%5Cslash");
    assert_eq!(path_segment("ünï✓"), "%C3%BCn%C3%AF%E2%9C%93");
    assert_eq!(
        path_segment("\"<>`{}|^[]"),
        "%22%3C%3E%60%7B%7D%7C%5E%5B%5D"
    );
    // Unreserved characters and the sub-delimiters allowed in a segment stay.
    assert_eq!(
        path_segment("AZaz09-._~!$&'()*+,;=:@"),
        "AZaz09-._~!$&'()*+,;=:@"
    );
    assert_eq!(path_segment(&42_u32), "42");
}

// ---------------------------------------------------------------------------
// Patch
// ---------------------------------------------------------------------------

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemUpdate {
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    display_name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    description: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    priority: Patch<i32>,
}

#[test]
fn patch_round_trips_absent_null_and_value() {
    let update = ItemUpdate {
        display_name: "Renamed".to_owned().into(),
        description: Patch::Null,
        priority: Patch::Absent,
    };
    let json = serde_json::to_string(&update).unwrap();
    assert_eq!(json, r#"{"displayName":"Renamed","description":null}"#);
    let back: ItemUpdate = serde_json::from_str(&json).unwrap();
    assert_eq!(back, update);

    let empty: ItemUpdate = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, ItemUpdate::default());
    assert!(empty.display_name.is_absent());
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");

    let all: ItemUpdate =
        serde_json::from_str(r#"{"displayName":null,"description":"d","priority":3}"#).unwrap();
    assert!(all.display_name.is_null());
    assert_eq!(all.description.as_value().map(String::as_str), Some("d"));
    assert_eq!(all.priority, Patch::Value(3));
}

#[test]
fn patch_helpers() {
    assert_eq!(Patch::from(Some(1)), Patch::Value(1));
    assert_eq!(Patch::<i32>::from(None), Patch::Null);
    assert_eq!(Patch::from(5), Patch::Value(5));
    assert_eq!(Patch::<i32>::default(), Patch::Absent);
    assert_eq!(Patch::Value(2).map(|v| v * 10), Patch::Value(20));
    assert_eq!(Patch::<i32>::Null.map(|v| v * 10), Patch::Null);
    assert_eq!(
        Patch::Value("x".to_owned()).as_ref(),
        Patch::Value(&"x".to_owned())
    );
    assert_eq!(Patch::Value(1).into_value(), Some(1));
    assert_eq!(Patch::<i32>::Null.into_value(), None);
    assert!(Patch::Value(1).is_value());
    assert!(!Patch::<i32>::Absent.is_value());
    assert_eq!(Patch::<i32>::Absent.as_value(), None);

    // An absent property that was not skipped must not silently become `null`.
    let error = serde_json::to_string(&Patch::<i32>::Absent).unwrap_err();
    assert!(error.to_string().contains("skip_serializing_if"), "{error}");
    assert_eq!(serde_json::to_string(&Patch::<i32>::Null).unwrap(), "null");
    assert_eq!(serde_json::to_string(&Patch::Value(1)).unwrap(), "1");
}

#[tokio::test]
async fn patch_body_reaches_the_server_as_merge_patch() {
    let server = serve(Router::new().fallback(|| async { reply(204, &[], "") })).await;
    let mut request = Request::new(Method::PATCH, "updateItem", "/items/1".to_owned());
    request
        .json(&ItemUpdate {
            description: Patch::Null,
            priority: 2.into(),
            ..ItemUpdate::default()
        })
        .unwrap();
    server
        .transport()
        .send(request)
        .await
        .unwrap()
        .empty()
        .unwrap();
    let recorded = server.single_request();
    assert_eq!(recorded.method, "PATCH");
    assert_eq!(recorded.body, br#"{"description":null,"priority":2}"#);
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

#[test]
fn public_types_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error>();
    assert_send_sync::<ApiError>();
    assert_send_sync::<Transport>();
    assert_send_sync::<ClientBuilder<Transport>>();
    assert_send_sync::<Request>();
    assert_send_sync::<clientsmith_runtime::Response>();
    assert_send_sync::<Query>();
    assert_send_sync::<StaticToken>();
    assert_send_sync::<AccessToken>();
    // The request future can be spawned on a multi-threaded runtime.
    fn assert_send<T: Send>(_: &T) {}
    let transport: Transport = ClientBuilder::new("http://127.0.0.1:9").build().unwrap();
    let future = transport.send(Request::new(Method::GET, "op", "/".to_owned()));
    assert_send(&future);
    drop(future);
    fn assert_object_safe(_: &dyn TokenProvider) {}
    assert_object_safe(&StaticToken::new("t"));
}
