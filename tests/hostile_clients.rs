//! The local Graph (and the generated router it serves through) against clients that send
//! what they should not: query options nested, long, misspelt, repeated or unsupported,
//! bodies of the wrong media type or nested without end, a forged `Host`, slow and idle
//! connections, too many connections, oversized request lines and heads. Each case checks
//! the answer (an OData error body where HTTP allows one), then that the server still
//! serves the next request.

use std::time::Duration;

use graph_connectors::local_graph::{LocalGraph, LocalGraphHandle};
use graph_connectors::models::NdesConnector;
use graph_connectors::runtime::reqwest;
use graph_connectors::{Client, runtime::RetryPolicy};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod support;
use support::within;

const NDES: &str = "/deviceManagement/ndesConnectors";
fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("token")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A plain HTTP client: what these tests send, the generated client would not.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

struct Answer {
    status: u16,
    body: Value,
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = within(request.bearer_auth("token").send()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = within(response.bytes()).await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, body }
}

/// `base_url` + `path` + `?name=value`, the value percent-encoded.
fn option_url(base_url: &str, path: &str, name: &str, value: &str) -> String {
    let value = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC);
    format!("{base_url}{path}?{name}={value}")
}

async fn get(base_url: &str, target: &str) -> Answer {
    send(http().get(format!("{base_url}{target}"))).await
}

/// Asserts an OData error answer with `status` and, when given, `target`.
fn assert_error(answer: &Answer, status: u16, target: Option<&str>) {
    assert_eq!(answer.status, status, "{:#}", answer.body);
    let error = &answer.body["error"];
    assert!(error["code"].is_string(), "{:#}", answer.body);
    assert!(error["message"].is_string(), "{:#}", answer.body);
    assert!(
        error["innerError"]["request-id"].is_string(),
        "{:#}",
        answer.body
    );
    if let Some(target) = target {
        assert_eq!(error["target"], target, "{:#}", answer.body);
    }
}

/// The server still serves: a create and a list through the generated client.
async fn assert_alive(base_url: &str) {
    let client = client(base_url);
    let created = within(client.create_ndes_connector(&NdesConnector {
        display_name: Some("still here".into()),
        ..Default::default()
    }))
    .await
    .expect("the server no longer serves");
    assert!(created.id.is_some());
    let page = within(client.list_ndes_connectors(&Default::default()))
        .await
        .expect("the server no longer serves");
    assert!(!page.value.unwrap_or_default().is_empty());
}

async fn start() -> (LocalGraphHandle, String) {
    LocalGraph::start().await.unwrap()
}

// ---------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn deeply_nested_filters_are_400_not_a_crash() {
    let (_graph, base_url) = start().await;
    // 6,500 parentheses overflowed the stack of the process before the parser was bounded.
    let deep = format!(
        "{}displayName eq 'a'{}",
        "(".repeat(6_500),
        ")".repeat(6_500)
    );
    for filter in [
        deep,
        format!("{}(displayName eq 'a')", "not ".repeat(2_000)),
        format!("{}displayName eq 'a'{}", "(".repeat(33), ")".repeat(33)),
    ] {
        let answer = send(
            // Parentheses as they are (a 13 KB URL for 6,500 of them), spaces encoded.
            http().get(format!(
                "{base_url}{NDES}?$filter={}",
                filter.replace(' ', "%20")
            )),
        )
        .await;
        assert_error(&answer, 400, Some("$filter"));
        assert_alive(&base_url).await;
    }
    // 32 levels are still served.
    let nested = format!("{}displayName eq 'a'{}", "(".repeat(32), ")".repeat(32));
    let answer = send(http().get(option_url(&base_url, NDES, "$filter", &nested))).await;
    assert_eq!(answer.status, 200, "{:#}", answer.body);
}

#[tokio::test]
async fn long_and_many_termed_query_options_are_400() {
    let (_graph, base_url) = start().await;
    let many_terms = vec!["displayName eq 'a'"; 150].join(" or ");
    assert!(many_terms.len() < 4096);
    let long_literal = format!("displayName eq '{}'", "x".repeat(5_000));
    let long_orderby = vec!["displayName"; 1_000].join(",");
    let long_select = vec!["id"; 2_000].join(",");
    let long_search = format!("\"{}\"", "x".repeat(5_000));
    for (option, value) in [
        ("$filter", many_terms.as_str()),
        ("$filter", long_literal.as_str()),
        ("$orderby", long_orderby.as_str()),
        ("$select", long_select.as_str()),
        ("$search", long_search.as_str()),
    ] {
        let answer = send(
            http()
                .get(option_url(&base_url, NDES, option, value))
                .header("ConsistencyLevel", "eventual"),
        )
        .await;
        assert_error(&answer, 400, Some(option));
        assert_alive(&base_url).await;
    }
}

// ---------------------------------------------------------------------------
// Strict query options
// ---------------------------------------------------------------------------

#[tokio::test]
async fn unknown_misspelt_repeated_and_unsupported_options_are_400() {
    let (_graph, base_url) = start().await;
    let client = client(&base_url);
    let created = within(client.create_ndes_connector(&NdesConnector {
        display_name: Some("one".into()),
        ..Default::default()
    }))
    .await
    .unwrap();
    let item = format!("{NDES}/{}", created.id.unwrap());
    for (target, query, option) in [
        (NDES, "$Filter=displayName%20eq%20'one'", "$Filter"),
        (NDES, "$TOP=1", "$TOP"),
        (NDES, "$top=1&$top=2", "$top"),
        (
            NDES,
            "$filter=displayName%20eq%20'a'&$FILTER=displayName%20eq%20'b'",
            "$FILTER",
        ),
        (NDES, "$skiptoken=abc", "$skiptoken"),
        (NDES, "$format=json", "$format"),
        (NDES, "$apply=groupby((displayName))", "$apply"),
        (NDES, "$bogus=1", "$bogus"),
        (NDES, "filter=displayName%20eq%20'one'", "filter"),
        (NDES, "top=1", "top"),
        (item.as_str(), "$top=1", "$top"),
        (item.as_str(), "$filter=displayName%20eq%20'one'", "$filter"),
    ] {
        let answer = get(&base_url, &format!("{target}?{query}")).await;
        assert_error(&answer, 400, Some(option));
    }
    // Options on a request that takes none.
    let answer = send(
        http()
            .delete(format!("{base_url}{item}?$select=id"))
            .header("content-type", "application/json"),
    )
    .await;
    assert_error(&answer, 400, Some("$select"));
    // Custom query options (no `$`, not an option name) are allowed, as OData says.
    let answer = get(&base_url, &format!("{NDES}?trace=1")).await;
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    assert_alive(&base_url).await;
}

#[tokio::test]
async fn a_request_target_beyond_16_kib_is_414_with_an_odata_body() {
    let (_graph, base_url) = start().await;
    let answer = get(
        &base_url,
        &format!("{NDES}?trace={}", "x".repeat(20 * 1024)),
    )
    .await;
    assert_error(&answer, 414, None);
    assert_eq!(answer.body["error"]["code"], "RequestUriTooLong");
    assert_alive(&base_url).await;
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_body_that_is_not_json_by_its_media_type_is_415() {
    let (_graph, base_url) = start().await;
    for content_type in [Some("text/plain"), Some("application/xml"), None] {
        let mut request = http()
            .post(format!("{base_url}{NDES}"))
            .body(r#"{"displayName":"typed wrong"}"#);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = send(request).await;
        assert_error(&answer, 415, Some("Content-Type"));
    }
    // JSON with parameters is JSON.
    let answer = send(
        http()
            .post(format!("{base_url}{NDES}"))
            .header("content-type", "application/json; charset=utf-8")
            .body(r#"{"displayName":"typed right"}"#),
    )
    .await;
    assert_eq!(answer.status, 201, "{:#}", answer.body);
    assert_alive(&base_url).await;
}

#[tokio::test]
async fn json_nested_too_deeply_is_400_never_accepted_unchecked() {
    let (graph, base_url) = start().await;
    for depth in [129, 10_000, 100_000] {
        let body = format!(
            r#"{{"displayName":"deep","unknownProperty":{}1{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let answer = send(
            http()
                .post(format!("{base_url}{NDES}"))
                .header("content-type", "application/json")
                .body(body),
        )
        .await;
        assert_error(&answer, 400, Some("body"));
        assert!(
            answer.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("nested"),
            "{:#}",
            answer.body
        );
    }
    // Nothing was created by them.
    let page = within(client(&base_url).list_ndes_connectors(&Default::default()))
        .await
        .unwrap();
    assert!(page.value.unwrap_or_default().is_empty());
    assert_alive(&base_url).await;
    drop(graph);
}

// ---------------------------------------------------------------------------
// Next links and state
// ---------------------------------------------------------------------------

#[tokio::test]
async fn next_links_name_the_servers_base_url_never_the_host_header() {
    let (graph, base_url) = LocalGraph::builder().page_size(1).start().await.unwrap();
    assert_alive(&base_url).await;
    assert_alive(&base_url).await;
    let answer = send(
        http()
            .get(format!("{base_url}{NDES}"))
            .header("host", "attacker.example:8443"),
    )
    .await;
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    let link = answer.body["@odata.nextLink"].as_str().unwrap();
    assert!(link.starts_with(&format!("{base_url}{NDES}?")), "{link}");
    graph.shutdown().await;

    // A configured base URL (behind a proxy) is named instead.
    let (graph, public_url) = LocalGraph::builder()
        .page_size(1)
        .base_url("https://graph.proxy.example/beta/")
        .start()
        .await
        .unwrap();
    assert_eq!(public_url, "https://graph.proxy.example/beta");
    let base_url = format!("http://{}", graph.local_addr());
    assert_alive(&base_url).await;
    assert_alive(&base_url).await;
    let answer = get(&base_url, NDES).await;
    let link = answer.body["@odata.nextLink"].as_str().unwrap();
    assert!(
        link.starts_with("https://graph.proxy.example/beta/deviceManagement/ndesConnectors?"),
        "{link}"
    );
}

#[tokio::test]
async fn the_request_log_keeps_only_the_last_requests() {
    let (graph, base_url) = LocalGraph::builder()
        .request_log_capacity(5)
        .start()
        .await
        .unwrap();
    for index in 0..20 {
        let answer = get(&base_url, &format!("{NDES}?trace={index}")).await;
        assert_eq!(answer.status, 200);
    }
    let requests = graph.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[0].path, format!("{NDES}?trace=15"));
    assert_eq!(requests[4].path, format!("{NDES}?trace=19"));
    // A long target is kept cut short.
    let long = format!("{NDES}?trace={}", "y".repeat(10_000));
    assert_eq!(get(&base_url, &long).await.status, 200);
    let last = graph.requests().pop().unwrap();
    let limit = graph_connectors::local_graph::MAX_LOGGED_PATH;
    assert_eq!(last.path, format!("{}…", &long[..limit]));
    assert_eq!(
        graph_connectors::local_graph::DEFAULT_REQUEST_LOG_CAPACITY,
        1_000
    );
}

#[tokio::test]
async fn lookups_by_id_find_every_item_after_deletes() {
    let (graph, base_url) = start().await;
    let client = client(&base_url);
    let mut ids = Vec::new();
    for index in 0..50 {
        let created = within(client.create_ndes_connector(&NdesConnector {
            display_name: Some(format!("item {index}")),
            ..Default::default()
        }))
        .await
        .unwrap();
        ids.push(created.id.unwrap());
    }
    for id in ids.iter().step_by(2) {
        within(client.delete_ndes_connector(id, &Default::default()))
            .await
            .unwrap();
    }
    for (index, id) in ids.iter().enumerate() {
        let result = within(client.get_ndes_connector(id, &Default::default())).await;
        if index % 2 == 0 {
            assert_eq!(result.unwrap_err().status(), Some(404));
        } else {
            assert_eq!(
                result.unwrap().display_name.as_deref(),
                Some(format!("item {index}").as_str())
            );
        }
    }
    // Listing keeps the creation order.
    let page = within(client.list_ndes_connectors(&Default::default()))
        .await
        .unwrap();
    let names: Vec<String> = page
        .value
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| item.display_name)
        .collect();
    let expected: Vec<String> = (1..50).step_by(2).map(|i| format!("item {i}")).collect();
    assert_eq!(names, expected);
    drop(graph);
}

// ---------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------

/// Reads until the peer closes the connection, or fails the test after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .expect("the server kept the connection open");
    received
}

#[tokio::test]
async fn a_client_that_sends_its_head_too_slowly_is_disconnected() {
    let (_graph, base_url) = LocalGraph::builder()
        .header_read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let addr = base_url.trim_start_matches("http://");
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(format!("GET {NDES} HTTP/1.1\r\nHost: x\r\n").as_bytes())
        .await
        .unwrap();
    // ... and never the blank line that ends the head.
    closed_within(&mut slow, Duration::from_secs(5)).await;
    // HTTP/2 with prior knowledge is not served (hyper's HTTP/2 server has no timeout for a
    // request's headers): no HTTP/2 frame comes back, and the connection closes.
    let mut h2 = TcpStream::connect(addr).await.unwrap();
    h2.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(&mut h2, Duration::from_secs(5)).await;
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
        "{answer:?}"
    );
    // A connection that sends nothing at all is closed too.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    closed_within(&mut silent, Duration::from_secs(5)).await;
    // And one kept alive after a request, then idle.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(
        format!("GET {NDES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let answer = closed_within(&mut idle, Duration::from_secs(5)).await;
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_alive(&base_url).await;
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_one_to_close() {
    let (_graph, base_url) = LocalGraph::builder()
        .max_connections(2)
        .start()
        .await
        .unwrap();
    let addr = base_url.trim_start_matches("http://").to_owned();
    let first = TcpStream::connect(&addr).await.unwrap();
    let second = TcpStream::connect(&addr).await.unwrap();
    // Both idle connections hold the two places: a third client is not served yet.
    let waiting = tokio::spawn({
        let base_url = base_url.clone();
        async move { get(&base_url, NDES).await.status }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "a third connection was served");
    drop(first);
    let status = within(waiting).await.unwrap();
    assert_eq!(status, 200);
    drop(second);
    assert_alive(&base_url).await;
}

#[tokio::test]
async fn malformed_and_oversized_request_heads_are_refused_and_the_server_goes_on() {
    let (_graph, base_url) = start().await;
    let addr = base_url.trim_start_matches("http://").to_owned();
    let huge_header = format!(
        "GET {NDES} HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        // Past the 128 KiB the HTTP layer reads (between 64 and 128 KiB, the router answers:
        // see `large_headers_are_refused_with_an_odata_error`).
        "x".repeat(200 * 1024)
    );
    for head in [
        "GARBAGE\r\n\r\n".to_owned(),
        "GET /\u{1}\u{2} HTTP/1.1\r\n\r\n".to_owned(),
        format!("GET {NDES} HTTP/9.9\r\nHost: x\r\n\r\n"),
        huge_header,
        // HTTP/2 with prior knowledge: not served (it would have no header timeout).
    ] {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        let _ = stream.write_all(head.as_bytes()).await;
        let answer = closed_within(&mut stream, Duration::from_secs(5)).await;
        let text = String::from_utf8_lossy(&answer);
        assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
        assert_alive(&base_url).await;
    }
}

#[tokio::test]
async fn large_headers_are_refused_with_an_odata_error() {
    let (_graph, base_url) = start().await;
    // 20 headers of 4 KiB: each is ordinary, together they pass the 64 KiB the head may have.
    let mut request = http().get(format!("{base_url}{NDES}"));
    for n in 0..20 {
        request = request.header(format!("x-large-{n}"), "v".repeat(4096));
    }
    let answer = send(request).await;
    assert_error(&answer, 431, None);
    assert_eq!(answer.body["error"]["code"], "RequestHeaderFieldsTooLarge");
    // A head just under the limit is served.
    let mut request = http().get(format!("{base_url}{NDES}"));
    for n in 0..12 {
        request = request.header(format!("x-large-{n}"), "v".repeat(4096));
    }
    assert_eq!(send(request).await.status, 200);
    assert_alive(&base_url).await;
}
