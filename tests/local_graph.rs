//! The client's production behaviour against the local Graph (`graph_connectors::local_graph`)
//! over real sockets on 127.0.0.1: retries (throttling, unavailability, exhausted budgets,
//! dropped connections), paging with `_items` and `_pages` and `$top`, every error shape,
//! timeouts, request ids and headers, and that the token never shows up in formatted values.
//!
//! Every test is bounded in time and deterministic: faults are queued on the server for the
//! exact requests they hit, retry delays are 10 ms (or `Retry-After: 0`), and each call is
//! wrapped in [`within`].

use std::time::{Duration, Instant};

use graph_connectors::client::{
    GetConnectorOptions, GetNdesConnectorOptions, ListConnectorsOptions,
    ListDomainJoinConnectorsOptions, ListNdesConnectorsOptions,
};
use graph_connectors::local_graph::{Fault, LocalGraph, LocalGraphHandle};
use graph_connectors::models::{
    Connector, DeviceManagementDomainJoinConnector, NdesConnector, NdesConnectorUpdate, ODataError,
};
use graph_connectors::runtime::paging::{Paged, StreamExt, TryStreamExt};
use graph_connectors::runtime::{DecodeError, Patch, RetryPolicy};
use graph_connectors::{Client, Error};
use support::{all_error_text, within};

mod support;

const SECRET: &str = "s3cr3t-local-graph-token";

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().with_base_delay(Duration::from_millis(10))
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(SECRET)
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

async fn start() -> (LocalGraphHandle, Client) {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    (graph, client(&base_url))
}

async fn create_ndes(client: &Client, name: &str) -> NdesConnector {
    within(client.create_ndes_connector(&NdesConnector {
        display_name: Some(name.into()),
        ..Default::default()
    }))
    .await
    .unwrap()
}

fn id(connector: &NdesConnector) -> &str {
    connector.id.as_deref().unwrap()
}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

#[tokio::test]
async fn throttled_requests_are_retried_until_they_succeed() {
    let (graph, client) = start().await;
    let created = create_ndes(&client, "Lab").await;
    graph.clear_requests();

    graph.throttle_next(2, Duration::ZERO);
    let got = within(client.get_ndes_connector(id(&created), &GetNdesConnectorOptions::default()))
        .await
        .unwrap();
    assert_eq!(got, created);

    let requests = graph.requests();
    let statuses: Vec<_> = requests.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(429), Some(200)]);
    let attempts: Vec<_> = requests
        .iter()
        .map(|r| r.retry_attempt.as_deref())
        .collect();
    assert_eq!(attempts, [None, Some("1"), Some("2")]);
    // One logical request: the same client-request-id on every attempt.
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.client_request_id.clone())
        .collect();
    assert!(ids[0].is_some());
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(requests.iter().all(|r| r.has_bearer_token));
    assert_eq!(graph.pending_faults(), 0);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let (graph, client) = start().await;
    graph.throttle_next(1, Duration::from_secs(1));
    let started = Instant::now();
    within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(graph.requests().len(), 2);
}

#[tokio::test]
async fn unavailable_service_is_retried_even_for_post() {
    // A 503 means the request was not carried out, so a POST is retried too, and creates once.
    let (graph, client) = start().await;
    graph.fail_next(2);
    let created = within(client.create_connector(&Connector::default()))
        .await
        .unwrap();
    let statuses: Vec<_> = graph.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(503), Some(201)]);
    let all = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap();
    // List items carry no `@odata.context` of their own.
    let mut created = created;
    created.additional_properties.remove("@odata.context");
    assert_eq!(all.value, Some(vec![created]));
}

#[tokio::test]
async fn exhausted_retries_report_the_attempt_count() {
    let (graph, _) = start().await;
    let client = Client::builder()
        .base_url(graph.base_url())
        .bearer_token(SECRET)
        .retry_policy(quick_retries().with_max_attempts(3))
        .build()
        .unwrap();
    graph.throttle_next(10, Duration::ZERO);
    let error = within(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), Some(3));
    let api = error.api().expect("an API error");
    assert_eq!((api.status, api.attempts), (429, 3));
    assert_eq!(api.code.as_deref(), Some("TooManyRequests"));
    assert_eq!(api.retry_after(), Some(Duration::ZERO));
    let text = error.to_string();
    assert!(
        text.starts_with("listNdesConnectors: 429 TooManyRequests: "),
        "{text}"
    );
    assert!(text.ends_with(", after 3 attempts)"), "{text}");
    assert_eq!(graph.requests().len(), 3);
    assert_eq!(graph.pending_faults(), 7);

    // 503 without Retry-After: the client backs off, then gives up with the count as well.
    graph.clear_faults();
    graph.fail_next(3);
    let error = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(
        error.api().unwrap().code.as_deref(),
        Some("ServiceUnavailable")
    );
}

#[tokio::test]
async fn post_is_not_retried_after_a_dropped_connection_but_get_is() {
    let (graph, client) = start().await;

    // The service creates the connector, but the response is lost with the connection. The
    // client must not send the POST again: a second connector would be created.
    graph.drop_next(1);
    let error = within(client.create_ndes_connector(&NdesConnector {
        display_name: Some("once".into()),
        ..Default::default()
    }))
    .await
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "createNdesConnector",
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_timeout());
    let requests = graph.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].status),
        ("POST", None)
    );
    let all: Vec<NdesConnector> = within(
        client
            .list_ndes_connectors_items(&ListNdesConnectorsOptions::default())
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 1, "carried out once, not retried");
    let created = &all[0];

    // PATCH is not idempotent either.
    graph.clear_requests();
    graph.drop_next(1);
    let error = within(client.update_ndes_connector(
        id(created),
        &NdesConnectorUpdate {
            display_name: Patch::Value("patched".into()),
            ..Default::default()
        },
    ))
    .await
    .unwrap_err();
    assert_eq!(error.attempts(), Some(1), "{error:?}");
    assert_eq!(graph.requests().len(), 1);

    // GET is retried on a new connection until it gets an answer.
    graph.clear_requests();
    graph.drop_next(2);
    let got = within(client.get_ndes_connector(id(created), &GetNdesConnectorOptions::default()))
        .await
        .unwrap();
    assert_eq!(got.display_name.as_deref(), Some("patched"));
    let statuses: Vec<_> = graph.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [None, None, Some(200)]);

    // When every attempt breaks, the transport error counts them.
    graph.clear_requests();
    graph.drop_next(4);
    let error = within(client.get_ndes_connector(id(created), &GetNdesConnectorOptions::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 4, .. }),
        "{error:?}"
    );
    assert!(error.to_string().ends_with("(after 4 attempts)"), "{error}");
    assert_eq!(graph.requests().len(), 4);
}

// ---------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------

#[tokio::test]
async fn paging_follows_next_links_across_pages() {
    let (graph, base_url) = LocalGraph::builder().page_size(3).start().await.unwrap();
    let client = client(&base_url);
    let mut names = Vec::new();
    for n in 1..=8 {
        names.push(
            create_ndes(&client, &format!("Lab {n:02}"))
                .await
                .display_name
                .unwrap(),
        );
    }
    let collection = format!("{base_url}/deviceManagement/ndesConnectors?");
    let page_names = |pages: &[graph_connectors::models::NdesConnectorCollectionResponse]| {
        pages
            .iter()
            .map(|page| {
                page.value
                    .iter()
                    .flatten()
                    .map(|c| c.display_name.clone().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };

    // _pages: pages of the server's size, each linking (absolutely, to this server) to the next.
    let pages: Vec<_> = within(
        client
            .list_ndes_connectors_pages(&ListNdesConnectorsOptions::default())
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(
        page_names(&pages),
        [&names[0..3], &names[3..6], &names[6..8]]
    );
    for page in &pages[..2] {
        let link = page.odata_next_link.as_deref().unwrap();
        assert!(link.starts_with(&collection), "{link}");
    }
    assert_eq!(pages[2].odata_next_link, None);

    // _items: every item, in order, from three requests.
    graph.clear_requests();
    let items: Vec<NdesConnector> = within(
        client
            .list_ndes_connectors_items(&ListNdesConnectorsOptions::default())
            .try_collect(),
    )
    .await
    .unwrap();
    let item_names: Vec<_> = items.into_iter().map(|c| c.display_name.unwrap()).collect();
    assert_eq!(item_names, names);
    assert_eq!(graph.requests().len(), 3);

    // $top is a page size for Graph: pages of 2, and the links keep offering more.
    let pages: Vec<_> = within(
        client
            .list_ndes_connectors_pages(&ListNdesConnectorsOptions {
                top: Some(2),
                ..Default::default()
            })
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(
        page_names(&pages),
        [&names[0..2], &names[2..4], &names[4..6], &names[6..8]]
    );
    assert!(
        pages[0]
            .odata_next_link
            .as_deref()
            .unwrap()
            .contains("$top=2&$skip=2")
    );

    // _items stops after $top items, across three pages of the server's size (3, 3, then 1
    // of the third page), and fetches no further page.
    graph.clear_requests();
    let items: Vec<NdesConnector> = within(
        client
            .list_ndes_connectors_items(&ListNdesConnectorsOptions {
                top: Some(7),
                ..Default::default()
            })
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(items.len(), 7);
    assert_eq!(graph.requests().len(), 3);
    graph.clear_requests();
    let mut stream = client.list_ndes_connectors_items(&ListNdesConnectorsOptions {
        top: Some(4),
        ..Default::default()
    });
    let mut taken = 0;
    while let Some(item) = within(stream.next()).await {
        item.unwrap();
        taken += 1;
    }
    assert_eq!(taken, 4);
    assert_eq!(
        graph.requests().len(),
        2,
        "the second page had a next link; it was not followed"
    );

    // The options travel with the links: filter, order, count and select hold on every page.
    let pages: Vec<_> = within(
        client
            .list_ndes_connectors_pages(&ListNdesConnectorsOptions {
                filter: Some("displayName ne 'Lab 04'".into()),
                orderby: vec!["displayName desc".into()],
                count: Some(true),
                select: vec!["displayName".into()],
                top: Some(2),
                ..Default::default()
            })
            .try_collect(),
    )
    .await
    .unwrap();
    let mut expected: Vec<String> = names.iter().filter(|n| *n != "Lab 04").cloned().collect();
    expected.reverse();
    assert_eq!(page_names(&pages).concat(), expected);
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|page| page.odata_count == Some(7)));
    assert!(
        pages
            .iter()
            .flat_map(|page| page.value.iter().flatten())
            .all(|c| c.state.is_none())
    );

    // $skip starts later; the other collections page the same way.
    let page = within(client.list_ndes_connectors(&ListNdesConnectorsOptions {
        skip: Some(6),
        ..Default::default()
    }))
    .await
    .unwrap();
    assert_eq!(page_names(std::slice::from_ref(&page)), [&names[6..8]]);
    for n in 0..4 {
        within(
            client.create_domain_join_connector(&DeviceManagementDomainJoinConnector {
                display_name: Some(format!("ODJ {n}")),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
        within(client.create_connector(&Connector::default()))
            .await
            .unwrap();
    }
    let pages: Vec<_> = within(
        client
            .list_domain_join_connectors_pages(&ListDomainJoinConnectorsOptions::default())
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(pages.len(), 2);
    let items: Vec<Connector> = within(
        client
            .list_connectors_items(&ListConnectorsOptions::default())
            .try_collect(),
    )
    .await
    .unwrap();
    assert_eq!(items.len(), 4);
}

#[tokio::test]
async fn a_paged_stream_can_be_named_stored_and_spawned() {
    struct Walk {
        items: Paged<NdesConnector>,
    }
    let (graph, base_url) = LocalGraph::builder().page_size(2).start().await.unwrap();
    let client = client(&base_url);
    for n in 1..=5 {
        create_ndes(&client, &format!("Walk {n}")).await;
    }
    let walk = Walk {
        items: client.list_ndes_connectors_items(&ListNdesConnectorsOptions::default()),
    };
    drop(client);
    // `Paged` is `Send + 'static`: the walk goes on in a task of its own, after the client is gone.
    let items: Vec<NdesConnector> = within(tokio::spawn(walk.items.try_collect()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(items.len(), 5);
    // Three pages of at most two items each.
    let listed = graph
        .requests()
        .iter()
        .filter(|request| request.method == "GET")
        .count();
    assert_eq!(listed, 3);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let (graph, base_url) = LocalGraph::builder().page_size(2).start().await.unwrap();
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token(SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for n in 0..5 {
        create_ndes(&client, &format!("n{n}")).await;
    }
    graph.inject(Fault::Delay(Duration::ZERO), 1);
    graph.fail_next(1);
    let results: Vec<Result<NdesConnector, Error>> = within(
        client
            .list_ndes_connectors_items(&ListNdesConnectorsOptions::default())
            .collect(),
    )
    .await;
    assert_eq!(results.len(), 3, "two items, then the error of page two");
    assert!(results[..2].iter().all(Result::is_ok));
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.operation(), Some("listNdesConnectors"));
}

// ---------------------------------------------------------------------------
// Error shapes
// ---------------------------------------------------------------------------

#[tokio::test]
async fn graph_404_is_an_api_error_with_code_message_and_ids() {
    let (graph, client) = start().await;
    let client = Client::from(
        client
            .transport()
            .with_header("client-request-id", "my-correlation-id")
            .unwrap(),
    );
    let error = within(client.get_ndes_connector("missing", &GetNdesConnectorOptions::default()))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.operation, "getNdesConnector");
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(
        api.message.as_deref(),
        Some("Resource 'ndesConnector' with id 'missing' was not found.")
    );
    assert_eq!(api.client_request_id.as_deref(), Some("my-correlation-id"));
    let request_id = api.request_id.clone().expect("a request id");
    uuid::Uuid::parse_str(&request_id).unwrap();
    assert_eq!(api.headers["request-id"], request_id.as_str());
    let date = api.date.as_deref().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "Graph's date has no offset: {date}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "getNdesConnector: 404 ResourceNotFound: Resource 'ndesConnector' with id 'missing' \
             was not found. (request-id {request_id})"
        )
    );
    let body: ODataError = api.body_json().unwrap();
    assert_eq!(body.error.code, "ResourceNotFound");
    let inner = body.error.inner_error.unwrap();
    assert_eq!(inner.request_id.as_deref(), Some(request_id.as_str()));
    assert_eq!(
        inner.client_request_id.as_deref(),
        Some("my-correlation-id")
    );
    assert_eq!(
        graph.requests()[0].client_request_id.as_deref(),
        Some("my-correlation-id")
    );
}

#[tokio::test]
async fn a_non_json_error_body_keeps_status_and_text() {
    let (graph, client) = start().await;
    graph.inject(
        Fault::Reply {
            status: 502,
            content_type: "text/html".into(),
            body: "<html><body>Bad gateway from the proxy</body></html>".into(),
        },
        1,
    );
    let error = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!((api.status, api.attempts), (502, 1), "502 is not retried");
    assert_eq!((api.code.as_deref(), api.message.as_deref()), (None, None));
    assert!(api.body_json::<ODataError>().is_err());
    assert_eq!(
        error.to_string(),
        "listConnectors: 502 Bad Gateway: <html><body>Bad gateway from the proxy</body></html>"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_operation_and_path() {
    let (graph, client) = start().await;
    let created = create_ndes(&client, "Lab").await;

    graph.malformed_next(1);
    let error =
        within(client.get_ndes_connector(id(&created), &GetNdesConnectorOptions::default()))
            .await
            .unwrap_err();
    let Error::Decode {
        operation,
        status,
        path,
        source,
    } = &error
    else {
        panic!("not a decode error: {error:?}");
    };
    assert_eq!((*operation, *status), ("getNdesConnector", 200));
    assert_eq!(path, "@odata.context");
    assert!(
        matches!(source, DecodeError::Json(json) if json.is_eof()),
        "{source:?}"
    );
    assert_eq!(
        error.to_string(),
        "getNdesConnector: the 200 response body does not match the expected type at `@odata.context`"
    );

    graph.malformed_next(1);
    let error = within(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { operation: "listNdesConnectors", path, .. } if path == "@odata.context"),
        "{error:?}"
    );

    // A response without a body is unaffected; the fault is used up all the same.
    graph.malformed_next(1);
    within(client.update_ndes_connector(id(&created), &NdesConnectorUpdate::default()))
        .await
        .unwrap();
    assert_eq!(graph.pending_faults(), 0);
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn timeouts_fire_and_are_not_retried() {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token(SECRET)
        .retry_policy(quick_retries())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    graph.delay_next(1, Duration::from_secs(3));
    let started = Instant::now();
    let error = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.attempts(),
        Some(1),
        "a timed-out request is not retried"
    );
    assert!(
        error
            .to_string()
            .starts_with("listConnectors: the request timed out"),
        "{error}"
    );
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    // A delay shorter than the timeout is just slow.
    graph.delay_next(1, Duration::from_millis(50));
    within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap();
    assert_eq!(graph.pending_faults(), 0);
}

// ---------------------------------------------------------------------------
// Headers and secrets
// ---------------------------------------------------------------------------

#[tokio::test]
async fn request_ids_and_consistency_level_reach_the_service() {
    let (graph, client) = start().await;
    within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap();
    within(client.list_connectors(&ListConnectorsOptions {
        count: Some(true),
        ..Default::default()
    }))
    .await
    .unwrap();
    let requests = graph.requests();
    assert_eq!(requests[0].consistency_level, None);
    assert_eq!(requests[1].consistency_level.as_deref(), Some("eventual"));
    assert_eq!(requests[1].path, "/connectors?$count=true");
    let first = requests[0].client_request_id.clone().unwrap();
    let second = requests[1].client_request_id.clone().unwrap();
    uuid::Uuid::parse_str(&first).unwrap();
    assert_ne!(first, second, "a fresh id per request");
}

#[tokio::test]
async fn the_token_never_appears_in_formatted_values() {
    let (graph, base_url) = LocalGraph::start().await.unwrap();
    let builder = Client::builder()
        .base_url(&base_url)
        .bearer_token(SECRET)
        .retry_policy(quick_retries().with_max_attempts(2))
        .timeout(Duration::from_millis(300));
    let client = builder.clone().build().unwrap();
    let mut texts = vec![
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.transport()),
    ];

    // One error of each kind the service can cause.
    let created = create_ndes(&client, "Lab").await;
    let mut errors = Vec::new();
    errors.push(
        within(client.get_connector("missing", &GetConnectorOptions::default()))
            .await
            .unwrap_err(),
    );
    graph.throttle_next(2, Duration::ZERO);
    errors.push(
        within(client.list_connectors(&Default::default()))
            .await
            .unwrap_err(),
    );
    graph.drop_next(2);
    errors.push(
        within(client.get_ndes_connector(id(&created), &Default::default()))
            .await
            .unwrap_err(),
    );
    graph.malformed_next(1);
    errors.push(
        within(client.get_ndes_connector(id(&created), &Default::default()))
            .await
            .unwrap_err(),
    );
    graph.delay_next(1, Duration::from_secs(2));
    errors.push(
        within(client.list_connectors(&Default::default()))
            .await
            .unwrap_err(),
    );
    let kinds: Vec<_> = errors
        .iter()
        .map(|error| match error {
            Error::Api(api) => format!("api {}", api.status),
            Error::Transport { .. } if error.is_timeout() => "timeout".to_owned(),
            Error::Transport { .. } => "transport".to_owned(),
            Error::Decode { .. } => "decode".to_owned(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        ["api 404", "api 429", "transport", "decode", "timeout"]
    );
    texts.extend(errors.iter().map(all_error_text));
    texts.push(format!("{graph:?}"));
    texts.push(format!("{:?}", graph.requests()));

    for text in &texts {
        assert!(!text.contains(SECRET), "the token leaked: {text}");
    }
    // The requests did carry it.
    assert!(graph.requests().iter().all(|r| r.has_bearer_token));
}

#[tokio::test]
async fn faults_are_served_in_order_and_only_once() {
    let (graph, client) = start().await;
    graph.inject(
        Fault::Unavailable {
            retry_after: Some(Duration::ZERO),
        },
        1,
    );
    graph.throttle_next(1, Duration::ZERO);
    graph.inject(Fault::Delay(Duration::from_millis(10)), 1);
    assert_eq!(graph.pending_faults(), 3);
    within(client.list_connectors(&Default::default()))
        .await
        .unwrap();
    let faults: Vec<_> = graph
        .requests()
        .into_iter()
        .map(|r| (r.fault, r.status))
        .collect();
    assert_eq!(
        faults,
        [
            (
                Some(Fault::Unavailable {
                    retry_after: Some(Duration::ZERO)
                }),
                Some(503)
            ),
            (
                Some(Fault::Throttle {
                    retry_after: Duration::ZERO
                }),
                Some(429)
            ),
            (Some(Fault::Delay(Duration::from_millis(10))), Some(200)),
        ]
    );
    assert_eq!(graph.pending_faults(), 0);
    graph.drop_next(5);
    graph.clear_faults();
    within(client.list_connectors(&Default::default()))
        .await
        .unwrap();
    graph.shutdown().await;
    let error = within(client.list_connectors(&Default::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. }),
        "stopped: {error:?}"
    );
}

// ---------------------------------------------------------------------------
// Calls: what every operation method returns
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_call_outlives_its_client_and_runs_on_a_spawned_task() {
    let (graph, client) = start().await;
    let created = create_ndes(&client, "spawned").await;
    let call = client.get_ndes_connector(id(&created), &GetNdesConnectorOptions::default());
    drop(client);
    // `Call` is `Send + 'static`: no borrow of the client or the arguments remains.
    let fetched = within(tokio::spawn(call)).await.unwrap().unwrap();
    assert_eq!(fetched, created);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_call_sends_nothing_until_awaited_and_nothing_once_dropped() {
    let (graph, client) = start().await;
    graph.clear_requests();
    let call = client.list_connectors(&ListConnectorsOptions::default());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(graph.requests().is_empty(), "sent before being awaited");
    drop(call);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(graph.requests().is_empty(), "sent although dropped");
    let call = client.list_connectors(&ListConnectorsOptions::default());
    assert!(
        format!("{call:?}").contains("ready"),
        "not sent yet: {call:?}"
    );
    within(call).await.unwrap();
    let paths: Vec<String> = graph
        .requests()
        .iter()
        .map(|request| request.path_only().to_owned())
        .collect();
    assert_eq!(paths, ["/connectors"]);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_failed_call_gives_its_error_without_sending() {
    let call = graph_connectors::runtime::Call::<Connector>::failed(Error::InvalidRequest {
        operation: "createConnector",
        message: String::from("the body does not encode"),
    });
    assert!(format!("{call:?}").contains("failed"), "{call:?}");
    let error = within(call).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "createConnector: invalid request: the body does not encode"
    );
}
