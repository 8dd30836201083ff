//! The fifteen generated operations against a real HTTP server on 127.0.0.1.
//!
//! Each test starts a recording server (one axum fallback handler that stores
//! what it received and answers with a canned status, content type and body),
//! builds the generated `Client` for it, calls an operation and checks both
//! sides: the request on the wire (method, encoded path, exact query string,
//! headers, JSON body) and the decoded response or error.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use graph_connectors::client::{
    DeleteConnectorOptions, DeleteDomainJoinConnectorOptions, DeleteNdesConnectorOptions,
    GetConnectorOptions, GetDomainJoinConnectorOptions, GetNdesConnectorOptions,
    ListConnectorsOptions, ListDomainJoinConnectorsOptions, ListNdesConnectorsOptions,
};
use graph_connectors::models::{
    Connector, ConnectorCollectionResponse, ConnectorStatus, ConnectorUpdate,
    DeviceManagementDomainJoinConnector, DeviceManagementDomainJoinConnectorCollectionResponse,
    DeviceManagementDomainJoinConnectorState, DeviceManagementDomainJoinConnectorUpdate,
    NdesConnector, NdesConnectorCollectionResponse, NdesConnectorState, NdesConnectorUpdate,
    ODataError,
};
use graph_connectors::runtime::{DecodeError, Patch};
use graph_connectors::{Client, Error};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

mod support;
use support::{time, within};

const TOKEN: &str = "test-token";
/// The content type Microsoft Graph answers JSON with.
const GRAPH_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

// ---------------------------------------------------------------------------
// Recording server
// ---------------------------------------------------------------------------

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// The path exactly as sent, still percent-encoded.
    path: String,
    /// The raw query string, `None` when the URL has no `?`.
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("a text header"))
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "the request body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The headers every operation sends, with `Content-Type` only when there
    /// is a body.
    fn assert_standard_headers(&self, with_body: bool) {
        assert_eq!(
            self.header("authorization"),
            Some("Bearer test-token"),
            "{self:?}"
        );
        assert_eq!(self.header("accept"), Some("application/json"), "{self:?}");
        // The client's own crate, not the runtime it is built on.
        assert_eq!(
            self.header("user-agent"),
            Some(concat!("graph-connectors/", env!("CARGO_PKG_VERSION"))),
            "{self:?}"
        );
        if with_body {
            assert_eq!(
                self.header("content-type"),
                Some("application/json"),
                "{self:?}"
            );
        } else {
            assert_eq!(self.header("content-type"), None, "{self:?}");
            assert!(self.body.is_empty(), "{self:?}");
        }
    }

    /// The query parameters, percent-decoded, in order.
    fn decoded_query(&self) -> Vec<(String, String)> {
        let decode = |text: &str| percent_decode_str(text).decode_utf8().unwrap().into_owned();
        self.query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').expect("name=value");
                (decode(name), decode(value))
            })
            .collect()
    }
}

/// What the server answers every request with.
struct Canned {
    status: u16,
    content_type: Option<&'static str>,
    body: String,
}

type Log = Arc<Mutex<Vec<Recorded>>>;

struct Server {
    client: Client,
    log: Log,
}

impl Server {
    fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
        requests.into_iter().next().unwrap()
    }
}

/// Starts a server on 127.0.0.1 (ephemeral port) that records every request
/// and answers with `status`, `content_type` and `body`, and a client for it.
async fn start(status: u16, content_type: Option<&'static str>, body: impl Into<String>) -> Server {
    let log: Log = Arc::default();
    let canned = Arc::new(Canned {
        status,
        content_type,
        body: body.into(),
    });
    let app = Router::new()
        .fallback(record)
        .with_state((Arc::clone(&log), canned));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    Server { client, log }
}

async fn start_json(status: u16, body: Value) -> Server {
    start(status, Some(GRAPH_JSON), body.to_string()).await
}

/// `204 No Content`, as Graph answers update and delete.
async fn start_no_content() -> Server {
    start(204, None, "").await
}

async fn record(State((log, canned)): State<(Log, Arc<Canned>)>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.expect("a readable body");
    log.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: body.to_vec(),
    });
    let mut response = axum::http::Response::builder().status(canned.status);
    if let Some(content_type) = canned.content_type {
        response = response.header("content-type", content_type);
    }
    response.body(Body::from(canned.body.clone())).unwrap()
}

// ---------------------------------------------------------------------------
// List operations: exact query strings and a decoded page
// ---------------------------------------------------------------------------

/// All eight OData options set, for any of the three list option structs.
macro_rules! full_list_options {
    ($options:ident) => {
        $options {
            top: Some(5),
            skip: Some(10),
            search: Some("\"displayName:Contoso NDES\"".to_owned()),
            filter: Some("state eq 'active' and startswith(displayName,'Contoso A')".to_owned()),
            count: Some(true),
            orderby: vec!["displayName desc".to_owned(), "id".to_owned()],
            select: vec!["id".to_owned(), "displayName".to_owned()],
            expand: vec!["extensions".to_owned()],
        }
    };
}

/// The query string the full options give on the wire: spaces as `%20`, `"` as
/// `%22`, the OData characters `$ , ( ) :` literal, and `'` as `%27` (written
/// so by the WHATWG URL parser in reqwest).
const FULL_LIST_QUERY: &str = "$top=5&$skip=10&$search=%22displayName:Contoso%20NDES%22\
    &$filter=state%20eq%20%27active%27%20and%20startswith(displayName,%27Contoso%20A%27)\
    &$count=true&$orderby=displayName%20desc,id&$select=id,displayName&$expand=extensions";

/// Checks the two list requests: the first with every option, the second with
/// the defaults (no query string at all).
fn assert_list_requests(server: &Server, path: &str) {
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, path);
        request.assert_standard_headers(false);
    }
    assert_eq!(requests[0].query.as_deref(), Some(FULL_LIST_QUERY));
    let pairs: Vec<(String, String)> = [
        ("$top", "5"),
        ("$skip", "10"),
        ("$search", "\"displayName:Contoso NDES\""),
        (
            "$filter",
            "state eq 'active' and startswith(displayName,'Contoso A')",
        ),
        ("$count", "true"),
        ("$orderby", "displayName desc,id"),
        ("$select", "id,displayName"),
        ("$expand", "extensions"),
    ]
    .iter()
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect();
    assert_eq!(requests[0].decoded_query(), pairs);
    assert_eq!(requests[1].query, None, "default options send no query");
}

fn page_annotations(collection: &str) -> (String, Value) {
    let next = format!("https://graph.microsoft.com/beta/{collection}?$skiptoken=page2");
    let annotations = json!({
        "@odata.context": format!("https://graph.microsoft.com/beta/$metadata#{collection}"),
        "@odata.count": 12,
        "@odata.nextLink": next,
    });
    (next, annotations)
}

/// The catch-all members of a page that carries `page_annotations`: its `@odata.context`,
/// kept as received.
fn context_member(collection: &str) -> BTreeMap<String, Value> {
    BTreeMap::from([(
        "@odata.context".to_owned(),
        json!(format!(
            "https://graph.microsoft.com/beta/$metadata#{collection}"
        )),
    )])
}

fn with_value(mut annotations: Value, value: Value) -> Value {
    annotations["value"] = value;
    annotations
}

#[tokio::test]
async fn list_ndes_connectors_sends_options_and_decodes_a_page() {
    let (next, annotations) = page_annotations("deviceManagement/ndesConnectors");
    let server = start_json(
        200,
        with_value(
            annotations,
            json!([
                {
                    "@odata.type": "#microsoft.graph.ndesConnector",
                    "id": "e71fa706-a706-e71f-06a7-1fe706a71fe7",
                    "lastConnectionDateTime": "2016-12-31T23:58:36.6670033-08:00",
                    "state": "active",
                    "displayName": "Contoso A",
                    "roleScopeTagIds": ["0", null]
                },
                {
                    "@odata.type": "#microsoft.graph.ndesConnector",
                    "id": "second",
                    "state": "none"
                }
            ]),
        ),
    )
    .await;
    let page = within(
        server
            .client
            .list_ndes_connectors(&full_list_options!(ListNdesConnectorsOptions)),
    )
    .await
    .unwrap();
    within(
        server
            .client
            .list_ndes_connectors(&ListNdesConnectorsOptions::default()),
    )
    .await
    .unwrap();
    assert_list_requests(&server, "/deviceManagement/ndesConnectors");

    assert_eq!(
        page,
        NdesConnectorCollectionResponse {
            odata_count: Some(12),
            odata_next_link: Some(next),
            value: Some(vec![
                NdesConnector {
                    id: Some("e71fa706-a706-e71f-06a7-1fe706a71fe7".to_owned()),
                    last_connection_date_time: Some(time("2016-12-31T23:58:36.6670033-08:00")),
                    state: Some(NdesConnectorState::Active),
                    display_name: Some("Contoso A".to_owned()),
                    role_scope_tag_ids: Some(vec![Some("0".to_owned()), None]),
                    ..NdesConnector::default()
                },
                NdesConnector {
                    id: Some("second".to_owned()),
                    state: Some(NdesConnectorState::None),
                    ..NdesConnector::default()
                },
            ]),
            additional_properties: context_member("deviceManagement/ndesConnectors"),
        }
    );
    let first = &page.value.as_ref().unwrap()[0];
    assert_eq!(
        first.last_connection_date_time.unwrap().offset(),
        time("2000-01-01T00:00:00-08:00").offset()
    );
}

#[tokio::test]
async fn list_domain_join_connectors_sends_options_and_decodes_a_page() {
    let (next, annotations) = page_annotations("deviceManagement/domainJoinConnectors");
    let server = start_json(
        200,
        with_value(
            annotations,
            json!([{
                "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
                "id": "6684c925-c925-6684-25c9-846625c98466",
                "displayName": "ODJ 1",
                "lastConnectionDateTime": "2024-05-01T10:00:00+03:00",
                "state": "error",
                "version": "6.2301.0.0"
            }]),
        ),
    )
    .await;
    let page = within(
        server
            .client
            .list_domain_join_connectors(&full_list_options!(ListDomainJoinConnectorsOptions)),
    )
    .await
    .unwrap();
    within(
        server
            .client
            .list_domain_join_connectors(&ListDomainJoinConnectorsOptions::default()),
    )
    .await
    .unwrap();
    assert_list_requests(&server, "/deviceManagement/domainJoinConnectors");

    assert_eq!(
        page,
        DeviceManagementDomainJoinConnectorCollectionResponse {
            odata_count: Some(12),
            odata_next_link: Some(next),
            value: Some(vec![DeviceManagementDomainJoinConnector {
                id: Some("6684c925-c925-6684-25c9-846625c98466".to_owned()),
                display_name: Some("ODJ 1".to_owned()),
                last_connection_date_time: Some(time("2024-05-01T10:00:00+03:00")),
                state: Some(DeviceManagementDomainJoinConnectorState::Error),
                version: Some("6.2301.0.0".to_owned()),
                ..DeviceManagementDomainJoinConnector::default()
            }]),
            additional_properties: context_member("deviceManagement/domainJoinConnectors"),
        }
    );
}

#[tokio::test]
async fn list_connectors_sends_options_and_decodes_a_page() {
    let (next, annotations) = page_annotations("connectors");
    // Application Proxy list items come without "@odata.type": the model's default fills it in.
    let server = start_json(
        200,
        with_value(
            annotations,
            json!([
                {
                    "id": "4443f0a9-f0a9-4443-a9f0-4344a9f04344",
                    "machineName": "proxy1.contoso.com",
                    "externalIp": "203.0.113.7",
                    "status": "active",
                    "version": "1.5.1975.0"
                },
                {"id": "b", "status": "inactive"}
            ]),
        ),
    )
    .await;
    let page = within(
        server
            .client
            .list_connectors(&full_list_options!(ListConnectorsOptions)),
    )
    .await
    .unwrap();
    within(
        server
            .client
            .list_connectors(&ListConnectorsOptions::default()),
    )
    .await
    .unwrap();
    assert_list_requests(&server, "/connectors");

    assert_eq!(
        page,
        ConnectorCollectionResponse {
            odata_count: Some(12),
            odata_next_link: Some(next),
            value: Some(vec![
                Connector {
                    id: Some("4443f0a9-f0a9-4443-a9f0-4344a9f04344".to_owned()),
                    odata_type: "#microsoft.graph.connector".to_owned(),
                    machine_name: Some("proxy1.contoso.com".to_owned()),
                    external_ip: Some("203.0.113.7".to_owned()),
                    status: Some(ConnectorStatus::Active),
                    version: Some("1.5.1975.0".to_owned()),
                    additional_properties: BTreeMap::new(),
                },
                Connector {
                    id: Some("b".to_owned()),
                    status: Some(ConnectorStatus::Inactive),
                    ..Connector::default()
                },
            ]),
            additional_properties: context_member("connectors"),
        }
    );
}

#[tokio::test]
async fn last_page_without_or_with_null_next_link_decodes() {
    let server = start_json(200, json!({"@odata.nextLink": null, "value": []})).await;
    let page = within(
        server
            .client
            .list_connectors(&ListConnectorsOptions::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        page,
        ConnectorCollectionResponse {
            odata_count: None,
            odata_next_link: None,
            value: Some(Vec::new()),
            additional_properties: BTreeMap::new(),
        }
    );
}

// ---------------------------------------------------------------------------
// Create operations: the full model with @odata.type, 201 with the entity
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_ndes_connector_posts_the_model_and_decodes_201() {
    let server = start_json(
        201,
        json!({
            "@odata.type": "#microsoft.graph.ndesConnector",
            "id": "e71fa706-a706-e71f-06a7-1fe706a71fe7",
            "lastConnectionDateTime": "2024-05-01T10:00:00-08:00",
            "state": "active",
            "displayName": "Contoso NDES",
            "machineName": "ndes01.contoso.com",
            "enrolledDateTime": "2024-04-30T08:00:00Z",
            "roleScopeTagIds": ["0"],
            "connectorVersion": "6.2301.1.0"
        }),
    )
    .await;
    let body = NdesConnector {
        last_connection_date_time: Some(time("2024-05-01T10:00:00-08:00")),
        state: Some(NdesConnectorState::Active),
        display_name: Some("Contoso NDES".to_owned()),
        machine_name: Some("ndes01.contoso.com".to_owned()),
        role_scope_tag_ids: Some(vec![Some("0".to_owned())]),
        ..NdesConnector::default()
    };
    let created = within(server.client.create_ndes_connector(&body))
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/deviceManagement/ndesConnectors");
    assert_eq!(request.query, None);
    request.assert_standard_headers(true);
    assert_eq!(
        request.json(),
        json!({
            "@odata.type": "#microsoft.graph.ndesConnector",
            "lastConnectionDateTime": "2024-05-01T10:00:00-08:00",
            "state": "active",
            "displayName": "Contoso NDES",
            "machineName": "ndes01.contoso.com",
            "roleScopeTagIds": ["0"]
        })
    );

    assert_eq!(
        created,
        NdesConnector {
            id: Some("e71fa706-a706-e71f-06a7-1fe706a71fe7".to_owned()),
            enrolled_date_time: Some(time("2024-04-30T08:00:00Z")),
            connector_version: Some("6.2301.1.0".to_owned()),
            ..body
        }
    );
    assert_eq!(
        created.last_connection_date_time.unwrap().offset(),
        time("2000-01-01T00:00:00-08:00").offset()
    );
}

#[tokio::test]
async fn create_domain_join_connector_posts_the_model_and_decodes_201() {
    let server = start_json(
        201,
        json!({
            "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
            "id": "6684c925-c925-6684-25c9-846625c98466",
            "displayName": "ODJ connector",
            "lastConnectionDateTime": "2016-12-31T23:56:55.9168968+03:00",
            "state": "active",
            "version": "6.2301.0.0"
        }),
    )
    .await;
    let body = DeviceManagementDomainJoinConnector {
        display_name: Some("ODJ connector".to_owned()),
        state: Some(DeviceManagementDomainJoinConnectorState::Active),
        version: Some("6.2301.0.0".to_owned()),
        ..DeviceManagementDomainJoinConnector::default()
    };
    let created = within(server.client.create_domain_join_connector(&body))
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/deviceManagement/domainJoinConnectors");
    assert_eq!(request.query, None);
    request.assert_standard_headers(true);
    assert_eq!(
        request.json(),
        json!({
            "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
            "displayName": "ODJ connector",
            "state": "active",
            "version": "6.2301.0.0"
        })
    );

    assert_eq!(
        created,
        DeviceManagementDomainJoinConnector {
            id: Some("6684c925-c925-6684-25c9-846625c98466".to_owned()),
            last_connection_date_time: Some(time("2016-12-31T23:56:55.9168968+03:00")),
            ..body
        }
    );
}

#[tokio::test]
async fn create_connector_posts_the_model_and_decodes_201() {
    let server = start_json(
        201,
        json!({
            "@odata.type": "#microsoft.graph.connector",
            "id": "4443f0a9-f0a9-4443-a9f0-4344a9f04344",
            "machineName": "proxy1.contoso.com",
            "externalIp": "203.0.113.7",
            "status": "active"
        }),
    )
    .await;
    let body = Connector {
        machine_name: Some("proxy1.contoso.com".to_owned()),
        status: Some(ConnectorStatus::Active),
        ..Connector::default()
    };
    let created = within(server.client.create_connector(&body)).await.unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/connectors");
    assert_eq!(request.query, None);
    request.assert_standard_headers(true);
    assert_eq!(
        request.json(),
        json!({
            "@odata.type": "#microsoft.graph.connector",
            "machineName": "proxy1.contoso.com",
            "status": "active"
        })
    );

    assert_eq!(
        created,
        Connector {
            id: Some("4443f0a9-f0a9-4443-a9f0-4344a9f04344".to_owned()),
            external_ip: Some("203.0.113.7".to_owned()),
            ..body
        }
    );
}

// ---------------------------------------------------------------------------
// Get operations: encoded ids, $select/$expand, 200 with the entity
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_ndes_connector_encodes_the_id_and_sends_select_and_expand() {
    let server = start_json(
        200,
        json!({
            "@odata.type": "#microsoft.graph.ndesConnector",
            "id": "a b/c",
            "displayName": "Contoso NDES",
            "state": "inactive",
            "enrolledDateTime": "2016-12-31T23:59:43.797191-08:00"
        }),
    )
    .await;
    let options = GetNdesConnectorOptions {
        select: vec!["id".to_owned(), "displayName".to_owned()],
        expand: vec!["extensions".to_owned()],
    };
    let connector = within(server.client.get_ndes_connector("a b/c", &options))
        .await
        .unwrap();
    within(
        server
            .client
            .get_ndes_connector("a b/c", &GetNdesConnectorOptions::default()),
    )
    .await
    .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/deviceManagement/ndesConnectors/a%20b%2Fc");
        request.assert_standard_headers(false);
    }
    assert_eq!(
        requests[0].query.as_deref(),
        Some("$select=id,displayName&$expand=extensions")
    );
    assert_eq!(requests[1].query, None);

    assert_eq!(
        connector,
        NdesConnector {
            id: Some("a b/c".to_owned()),
            display_name: Some("Contoso NDES".to_owned()),
            state: Some(NdesConnectorState::Inactive),
            enrolled_date_time: Some(time("2016-12-31T23:59:43.797191-08:00")),
            ..NdesConnector::default()
        }
    );
}

#[tokio::test]
async fn get_domain_join_connector_decodes_200() {
    let server = start_json(
        200,
        json!({
            "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
            "id": "odj:1",
            "displayName": "ODJ connector",
            "lastConnectionDateTime": "2024-05-01T10:00:00.123+05:30",
            "state": "inactive",
            "version": "6.2301.0.0"
        }),
    )
    .await;
    let connector = within(
        server
            .client
            .get_domain_join_connector("odj:1", &GetDomainJoinConnectorOptions::default()),
    )
    .await
    .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    // `:` is a pchar and stays literal in a path segment.
    assert_eq!(request.path, "/deviceManagement/domainJoinConnectors/odj:1");
    assert_eq!(request.query, None);
    request.assert_standard_headers(false);

    assert_eq!(
        connector,
        DeviceManagementDomainJoinConnector {
            id: Some("odj:1".to_owned()),
            display_name: Some("ODJ connector".to_owned()),
            last_connection_date_time: Some(time("2024-05-01T10:00:00.123+05:30")),
            state: Some(DeviceManagementDomainJoinConnectorState::Inactive),
            version: Some("6.2301.0.0".to_owned()),
            ..DeviceManagementDomainJoinConnector::default()
        }
    );
    assert_eq!(
        connector.last_connection_date_time.unwrap().offset(),
        time("2000-01-01T00:00:00+05:30").offset()
    );
}

#[tokio::test]
async fn get_connector_sends_select_and_decodes_200() {
    let server = start_json(
        200,
        json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#connectors/$entity",
            "id": "4443f0a9-f0a9-4443-a9f0-4344a9f04344",
            "machineName": "proxy1.contoso.com"
        }),
    )
    .await;
    let options = GetConnectorOptions {
        select: vec!["id".to_owned(), "machineName".to_owned()],
        expand: Vec::new(),
    };
    let connector = within(
        server
            .client
            .get_connector("4443f0a9-f0a9-4443-a9f0-4344a9f04344", &options),
    )
    .await
    .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        "/connectors/4443f0a9-f0a9-4443-a9f0-4344a9f04344"
    );
    assert_eq!(request.query.as_deref(), Some("$select=id,machineName"));
    request.assert_standard_headers(false);

    assert_eq!(
        connector,
        Connector {
            id: Some("4443f0a9-f0a9-4443-a9f0-4344a9f04344".to_owned()),
            machine_name: Some("proxy1.contoso.com".to_owned()),
            additional_properties: BTreeMap::from([(
                "@odata.context".to_owned(),
                json!("https://graph.microsoft.com/beta/$metadata#connectors/$entity")
            )]),
            ..Connector::default()
        }
    );
}

// ---------------------------------------------------------------------------
// Update operations: only the fields set, `null` for Patch::Null, 204
// ---------------------------------------------------------------------------

#[tokio::test]
async fn update_ndes_connector_sends_only_the_set_fields() {
    let server = start_no_content().await;
    let update = NdesConnectorUpdate {
        display_name: Patch::Value("Renamed".to_owned()),
        machine_name: Patch::Null,
        last_connection_date_time: Patch::Value(time("2024-05-01T10:00:00-08:00")),
        role_scope_tag_ids: Patch::Value(vec![Some("0".to_owned()), Some("7".to_owned())]),
        ..NdesConnectorUpdate::default()
    };
    within(server.client.update_ndes_connector("x?y#z", &update))
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path, "/deviceManagement/ndesConnectors/x%3Fy%23z");
    assert_eq!(request.query, None);
    request.assert_standard_headers(true);
    assert_eq!(
        request.json(),
        json!({
            "displayName": "Renamed",
            "machineName": null,
            "lastConnectionDateTime": "2024-05-01T10:00:00-08:00",
            "roleScopeTagIds": ["0", "7"]
        })
    );
}

#[tokio::test]
async fn update_domain_join_connector_sends_only_the_set_fields() {
    let server = start_no_content().await;
    let update = DeviceManagementDomainJoinConnectorUpdate {
        odata_type: Patch::Value("#microsoft.graph.deviceManagementDomainJoinConnector".to_owned()),
        version: Patch::Null,
        state: Patch::Value(DeviceManagementDomainJoinConnectorState::Inactive),
        ..DeviceManagementDomainJoinConnectorUpdate::default()
    };
    within(
        server
            .client
            .update_domain_join_connector("6684c925-c925-6684-25c9-846625c98466", &update),
    )
    .await
    .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.path,
        "/deviceManagement/domainJoinConnectors/6684c925-c925-6684-25c9-846625c98466"
    );
    assert_eq!(request.query, None);
    request.assert_standard_headers(true);
    assert_eq!(
        request.json(),
        json!({
            "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
            "version": null,
            "state": "inactive"
        })
    );
}

#[tokio::test]
async fn update_connector_sends_only_the_set_fields() {
    let server = start_no_content().await;
    let update = ConnectorUpdate {
        status: Patch::Value(ConnectorStatus::Inactive),
        version: Patch::Null,
        ..ConnectorUpdate::default()
    };
    within(server.client.update_connector("conn 1", &update))
        .await
        .unwrap();
    // Nothing set: an empty object, not `null` fields.
    within(
        server
            .client
            .update_connector("conn 1", &ConnectorUpdate::default()),
    )
    .await
    .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "PATCH");
        assert_eq!(request.path, "/connectors/conn%201");
        assert_eq!(request.query, None);
        request.assert_standard_headers(true);
    }
    assert_eq!(
        requests[0].json(),
        json!({"status": "inactive", "version": null})
    );
    assert_eq!(requests[1].body, b"{}");
}

// ---------------------------------------------------------------------------
// Delete operations: If-Match when set, 204
// ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_ndes_connector_sends_if_match_when_set() {
    let server = start_no_content().await;
    let options = DeleteNdesConnectorOptions {
        if_match: Some("W/\"etag-1\"".to_owned()),
    };
    within(server.client.delete_ndes_connector("ndes-1", &options))
        .await
        .unwrap();
    within(
        server
            .client
            .delete_ndes_connector("ndes-1", &DeleteNdesConnectorOptions::default()),
    )
    .await
    .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "DELETE");
        assert_eq!(request.path, "/deviceManagement/ndesConnectors/ndes-1");
        assert_eq!(request.query, None);
        request.assert_standard_headers(false);
    }
    assert_eq!(requests[0].header("if-match"), Some("W/\"etag-1\""));
    assert_eq!(requests[1].header("if-match"), None);
}

#[tokio::test]
async fn delete_domain_join_connector_sends_if_match_when_set() {
    let server = start_no_content().await;
    let options = DeleteDomainJoinConnectorOptions {
        if_match: Some("*".to_owned()),
    };
    within(
        server
            .client
            .delete_domain_join_connector("odj/1", &options),
    )
    .await
    .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(
        request.path,
        "/deviceManagement/domainJoinConnectors/odj%2F1"
    );
    assert_eq!(request.query, None);
    request.assert_standard_headers(false);
    assert_eq!(request.header("if-match"), Some("*"));
}

#[tokio::test]
async fn delete_connector_without_if_match() {
    let server = start_no_content().await;
    within(
        server
            .client
            .delete_connector("connector-1", &DeleteConnectorOptions::default()),
    )
    .await
    .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, "/connectors/connector-1");
    assert_eq!(request.query, None);
    request.assert_standard_headers(false);
    assert_eq!(request.header("if-match"), None);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A 404 as Microsoft Graph sends it: `innerError.date` is written without a
/// UTC offset (see microsoftgraph/msgraph-sdk-go#527,
/// microsoftgraph/msgraph-sdk-java#1785).
fn graph_not_found_body() -> Value {
    json!({
        "error": {
            "code": "ResourceNotFound",
            "message": "Resource 'missing' does not exist or one of its queried reference-property objects are not present.",
            "innerError": {
                "date": "2024-05-01T10:00:00",
                "request-id": "0f6e5c3a-1111-4222-8333-944455556666",
                "client-request-id": "7a8b9c0d-aaaa-4bbb-8ccc-ddddeeeeffff"
            }
        }
    })
}

async fn get_missing_ndes_connector(body: Value) -> Error {
    let server = start_json(404, body).await;
    let error = within(
        server
            .client
            .get_ndes_connector("missing", &GetNdesConnectorOptions::default()),
    )
    .await
    .unwrap_err();
    assert_eq!(
        server.single_request().path,
        "/deviceManagement/ndesConnectors/missing"
    );
    error
}

#[tokio::test]
async fn graph_404_becomes_api_error_with_code_message_and_request_id() {
    let error = get_missing_ndes_connector(graph_not_found_body()).await;
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation, "getNdesConnector");
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(
        api.message.as_deref(),
        Some(
            "Resource 'missing' does not exist or one of its queried reference-property objects are not present."
        )
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some("0f6e5c3a-1111-4222-8333-944455556666")
    );
    assert_eq!(
        api.client_request_id.as_deref(),
        Some("7a8b9c0d-aaaa-4bbb-8ccc-ddddeeeeffff")
    );
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.operation(), Some("getNdesConnector"));
    assert!(
        error
            .to_string()
            .starts_with("getNdesConnector: 404 ResourceNotFound: Resource 'missing'"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .ends_with("(request-id 0f6e5c3a-1111-4222-8333-944455556666)"),
        "{error}"
    );
    assert!(!format!("{error:?}").contains(TOKEN));
}

#[tokio::test]
async fn graph_404_body_decodes_as_the_declared_odata_error() {
    // The body exactly as Graph sends it, with an offset-less `innerError.date`.
    let error = get_missing_ndes_connector(graph_not_found_body()).await;
    let api = error.api().expect("an API error");
    let decoded: ODataError = api.body_json().unwrap_or_else(|decode_error| {
        panic!(
            "ApiError::body_json::<models::ODataError>() rejects a Microsoft Graph error body: \
             {decode_error}\nbody: {}",
            api.body_text()
        )
    });
    assert_eq!(decoded.error.code, "ResourceNotFound");
    let inner = decoded.error.inner_error.expect("innerError");
    assert_eq!(
        inner.request_id.as_deref(),
        Some("0f6e5c3a-1111-4222-8333-944455556666")
    );
    assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00"));
}

#[tokio::test]
async fn odata_error_with_an_offset_date_decodes() {
    let mut body = graph_not_found_body();
    body["error"]["innerError"]["date"] = json!("2024-05-01T10:00:00Z");
    body["error"]["target"] = json!("ndesConnector-id");
    let error = get_missing_ndes_connector(body).await;
    let api = error.api().expect("an API error");
    assert_eq!(api.target.as_deref(), Some("ndesConnector-id"));
    let decoded: ODataError = api.body_json().unwrap();
    assert_eq!(decoded.error.code, "ResourceNotFound");
    assert_eq!(decoded.error.target.as_deref(), Some("ndesConnector-id"));
    let inner = decoded.error.inner_error.expect("innerError");
    assert_eq!(
        inner.request_id.as_deref(),
        Some("0f6e5c3a-1111-4222-8333-944455556666")
    );
    assert_eq!(
        inner.client_request_id.as_deref(),
        Some("7a8b9c0d-aaaa-4bbb-8ccc-ddddeeeeffff")
    );
    assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00Z"));
}

#[tokio::test]
async fn html_500_keeps_the_status_and_the_start_of_the_body() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>500 - Internal server error.</title></head>\
         <body>{}</body></html>",
        "x".repeat(400)
    );
    let server = start(500, Some("text/html"), page.clone()).await;
    let error = within(server.client.create_connector(&Connector::default()))
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation, "createConnector");
    assert_eq!(api.status, 500);
    assert_eq!(api.code, None);
    assert_eq!(api.message, None);
    assert_eq!(api.request_id, None);
    assert_eq!(api.body(), page.as_bytes(), "the body is kept whole");
    assert!(api.body_text().starts_with("<!DOCTYPE html>"));
    assert!(api.body_json::<ODataError>().is_err());
    let display = error.to_string();
    assert!(
        display.starts_with(
            "createConnector: 500 Internal Server Error: <!DOCTYPE html> <html><head><title>500"
        ),
        "{display}"
    );
    assert!(!display.contains("</html>"), "{display}");
}

#[tokio::test]
async fn wrong_typed_field_is_a_decode_error_naming_operation_and_path() {
    let server = start_json(
        200,
        json!({
            "@odata.type": "#microsoft.graph.ndesConnector",
            "id": "ndes-1",
            "displayName": 42
        }),
    )
    .await;
    let error = within(
        server
            .client
            .get_ndes_connector("ndes-1", &GetNdesConnectorOptions::default()),
    )
    .await
    .unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            path,
            source,
        } => {
            assert_eq!(*operation, "getNdesConnector");
            assert_eq!(*status, 200);
            assert_eq!(path, "displayName");
            assert!(matches!(source, DecodeError::Json(_)), "{source:?}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "getNdesConnector: the 200 response body does not match the expected type at `displayName`"
    );

    // Inside a page, the path names the item.
    let server = start_json(
        200,
        json!({"value": [
            {"id": "1", "lastConnectionDateTime": "2024-05-01T10:00:00Z"},
            {"id": "2", "lastConnectionDateTime": "yesterday"}
        ]}),
    )
    .await;
    let error = within(
        server
            .client
            .list_ndes_connectors(&ListNdesConnectorsOptions::default()),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Decode { operation: "listNdesConnectors", path, .. }
                if path == "value[1].lastConnectionDateTime"
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn unknown_enum_values_from_the_server_decode_into_the_fallback() {
    let server = start_json(
        200,
        json!({"@odata.type": "#microsoft.graph.ndesConnector", "id": "1", "state": "degraded"}),
    )
    .await;
    let ndes = within(
        server
            .client
            .get_ndes_connector("1", &GetNdesConnectorOptions::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        ndes.state,
        Some(NdesConnectorState::Unknown("degraded".to_owned()))
    );
    // Sent back unchanged.
    assert_eq!(serde_json::to_value(&ndes).unwrap()["state"], "degraded");

    let server = start_json(200, json!({"id": "2", "state": "degraded", "version": "1"})).await;
    let odj = within(
        server
            .client
            .get_domain_join_connector("2", &GetDomainJoinConnectorOptions::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        odj.state,
        Some(DeviceManagementDomainJoinConnectorState::Unknown(
            "degraded".to_owned()
        ))
    );

    let server = start_json(
        200,
        json!({"value": [{"id": "3", "status": "unknownFutureValue"}]}),
    )
    .await;
    let page = within(
        server
            .client
            .list_connectors(&ListConnectorsOptions::default()),
    )
    .await
    .unwrap();
    assert_eq!(
        page.value.unwrap()[0].status,
        Some(ConnectorStatus::Unknown("unknownFutureValue".to_owned()))
    );
}

/// The "List" answers of Graph's beta documentation (learn.microsoft.com:
/// intune-deviceconfig-ndesconnector-list, intune-odj-devicemanagementdomainjoinconnector-list,
/// connector-list), verbatim, decode through the three list operations.
#[tokio::test]
async fn graph_s_documented_list_answers_decode() {
    let server = start_json(
        200,
        json!({"value": [{
            "@odata.type": "#microsoft.graph.ndesConnector",
            "id": "e71fa706-a706-e71f-06a7-1fe706a71fe7",
            "lastConnectionDateTime": "2016-12-31T23:58:36.6670033-08:00",
            "state": "active",
            "displayName": "Display Name value",
            "machineName": "Machine Name value",
            "enrolledDateTime": "2016-12-31T23:59:43.797191-08:00",
            "roleScopeTagIds": ["Role Scope Tag Ids value"],
            "connectorVersion": "Connector Version value"
        }]}),
    )
    .await;
    let page = within(
        server
            .client
            .list_ndes_connectors(&ListNdesConnectorsOptions::default()),
    )
    .await
    .expect("the documented answer decodes");
    let ndes = &page.value.expect("value")[0];
    assert_eq!(ndes.state, Some(NdesConnectorState::Active));
    assert_eq!(ndes.machine_name.as_deref(), Some("Machine Name value"));
    assert_eq!(
        ndes.enrolled_date_time,
        Some(time("2016-12-31T23:59:43.797191-08:00"))
    );

    let server = start_json(
        200,
        json!({"value": [{
            "@odata.type": "#microsoft.graph.deviceManagementDomainJoinConnector",
            "id": "77296cf7-6cf7-7729-f76c-2977f76c2977",
            "displayName": "Display Name value",
            "lastConnectionDateTime": "2016-12-31T23:58:36.6670033-08:00",
            "state": "error",
            "version": "Version value"
        }]}),
    )
    .await;
    let page = within(
        server
            .client
            .list_domain_join_connectors(&ListDomainJoinConnectorsOptions::default()),
    )
    .await
    .expect("the documented answer decodes");
    let odj = &page.value.expect("value")[0];
    assert_eq!(
        odj.state,
        Some(DeviceManagementDomainJoinConnectorState::Error)
    );
    assert_eq!(odj.version.as_deref(), Some("Version value"));

    let server = start_json(
        200,
        json!({"value": [{
            "id": "id-value",
            "machineName": "machineName-value",
            "externalIp": "externalIp-value",
            "status": "status-value"
        }]}),
    )
    .await;
    let page = within(
        server
            .client
            .list_connectors(&ListConnectorsOptions::default()),
    )
    .await
    .expect("the documented answer decodes");
    let connector = &page.value.expect("value")[0];
    assert_eq!(connector.external_ip.as_deref(), Some("externalIp-value"));
    // `status-value` is the page's placeholder, not one of the enum's members: it is kept.
    assert_eq!(
        connector.status.as_ref().map(ConnectorStatus::as_str),
        Some("status-value")
    );
}
