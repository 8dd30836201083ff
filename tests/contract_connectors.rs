//! The connectors contract: the generated client against the generated server, through the
//! local Graph (`graph_connectors::local_graph`), over real sockets on 127.0.0.1.
//!
//! Each of the fifteen operations is called with the typed client and its effect checked the
//! way Microsoft Graph defines it (server-assigned ids, `201` with the created entity, merge
//! patch answered with `204`, `204` deletes, `404 ResourceNotFound` after them, query options).
//! Requests the typed client cannot produce (wrong JSON types, enum values the document does
//! not list, a `$top` that is not an integer, unknown or read-only properties, no token) are
//! sent raw with `reqwest` and must be refused with `400` (or `401`) and an OData error body
//! naming the field.

use std::time::Duration;

use graph_connectors::client::{
    DeleteConnectorOptions, DeleteDomainJoinConnectorOptions, DeleteNdesConnectorOptions,
    GetConnectorOptions, GetDomainJoinConnectorOptions, GetNdesConnectorOptions,
    ListConnectorsOptions, ListDomainJoinConnectorsOptions, ListNdesConnectorsOptions,
};
use graph_connectors::local_graph::{LocalGraph, LocalGraphHandle};
use graph_connectors::models::{
    Connector, ConnectorStatus, ConnectorUpdate, DeviceManagementDomainJoinConnector,
    DeviceManagementDomainJoinConnectorState, DeviceManagementDomainJoinConnectorUpdate,
    NdesConnector, NdesConnectorState, NdesConnectorUpdate, ODataError,
};
use graph_connectors::runtime::{Patch, RetryPolicy, reqwest};
use graph_connectors::{Client, Error};
use serde_json::Value;

mod support;
use support::{time, within};

const TOKEN: &str = "contract-token";

async fn start() -> (LocalGraphHandle, Client) {
    let (graph, base_url) = LocalGraph::start().await.expect("the local Graph starts");
    (graph, client(&base_url))
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
        .build()
        .unwrap()
}

/// The statuses the local Graph answered, in order, after the first `since` requests.
fn statuses(graph: &LocalGraphHandle, since: usize) -> Vec<Option<u16>> {
    graph.requests()[since..]
        .iter()
        .map(|request| request.status)
        .collect()
}

/// Checks that `error` is Graph's `404 ResourceNotFound` for `operation`.
fn assert_not_found(error: &Error, operation: &str, id: &str) {
    let api = error
        .api()
        .unwrap_or_else(|| panic!("{operation}: not an API error: {error:?}"));
    assert_eq!(api.operation, operation);
    assert_eq!(api.status, 404, "{error}");
    assert_eq!(api.code.as_deref(), Some("ResourceNotFound"), "{error}");
    assert!(
        api.message.as_deref().is_some_and(|m| m.contains(id)),
        "{error}"
    );
    assert!(api.request_id.is_some(), "{error:?}");
    assert!(api.date.is_some(), "{error:?}");
    let body: ODataError = api.body_json().expect("the 404 body is an OData error");
    assert_eq!(body.error.code, "ResourceNotFound");
}

/// The entity an operation answers with, without its `@odata.context`, which must be the
/// one Graph writes for it: `{base}/$metadata#` followed by `$context`, for example
/// `deviceManagement/ndesConnectors/$entity`. What is left compares with what was sent or
/// listed (list items carry no context of their own).
macro_rules! answered {
    ($graph:expr, $context:expr, $call:expr) => {{
        let mut entity = within($call).await.unwrap();
        let context = entity.additional_properties.remove("@odata.context");
        let expected = format!(
            "{}/$metadata#{}",
            $graph.base_url().trim_end_matches('/'),
            $context
        );
        assert_eq!(context, Some(Value::String(expected)));
        assert!(
            entity.additional_properties.is_empty(),
            "{:?}",
            entity.additional_properties
        );
        entity
    }};
}

fn assert_uuid(id: &Option<String>) -> String {
    let id = id.clone().expect("the server assigned an id");
    uuid::Uuid::parse_str(&id).unwrap_or_else(|_| panic!("`{id}` is not a UUID"));
    id
}

// ---------------------------------------------------------------------------
// The fifteen operations
// ---------------------------------------------------------------------------

#[tokio::test]
async fn ndes_connectors_create_list_get_update_delete() {
    let (graph, client) = start().await;
    let mark = graph.requests().len();

    // Create: the server assigns the id (a client-sent one is ignored) and answers 201 with
    // the entity, `@odata.type` included; everything else round-trips, offsets included.
    let sent = NdesConnector {
        id: Some("client-chosen".into()),
        display_name: Some("Lab NDES".into()),
        machine_name: Some("ndes01.contoso.local".into()),
        state: Some(NdesConnectorState::Active),
        last_connection_date_time: Some(time("2024-05-01T10:00:00+02:00")),
        enrolled_date_time: Some(time("2023-01-15T08:30:00Z")),
        role_scope_tag_ids: Some(vec![Some("0".into()), None]),
        connector_version: Some("6.2301.1.0".into()),
        ..Default::default()
    };
    let created = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.create_ndes_connector(&sent)
    );
    let id = assert_uuid(&created.id);
    assert_ne!(id, "client-chosen");
    assert_eq!(created.odata_type, "#microsoft.graph.ndesConnector");
    assert_eq!(
        NdesConnector {
            id: created.id.clone(),
            ..sent.clone()
        },
        created
    );
    assert_eq!(
        created
            .last_connection_date_time
            .unwrap()
            .offset()
            .local_minus_utc(),
        7200
    );
    let other = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.create_ndes_connector(&NdesConnector::default())
    );
    assert_ne!(other.id, created.id, "every create gets a new id");

    // List and get return what is stored.
    let page = within(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .await
        .unwrap();
    assert_eq!(page.value, Some(vec![created.clone(), other.clone()]));
    assert_eq!(page.odata_next_link, None);
    assert_eq!(page.odata_count, None, "no @odata.count unless $count=true");
    assert_eq!(
        page.additional_properties["@odata.context"],
        format!(
            "{}/$metadata#deviceManagement/ndesConnectors",
            graph.base_url()
        )
    );
    let got = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.get_ndes_connector(&id, &GetNdesConnectorOptions::default())
    );
    assert_eq!(got, created);

    // Update: a merge patch. Absent keeps, Null clears, Value sets.
    within(client.update_ndes_connector(
        &id,
        &NdesConnectorUpdate {
            display_name: Patch::Value("Renamed".into()),
            machine_name: Patch::Null,
            state: Patch::Value(NdesConnectorState::Inactive),
            role_scope_tag_ids: Patch::Value(vec![Some("1".into())]),
            ..Default::default()
        },
    ))
    .await
    .unwrap();
    let updated = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.get_ndes_connector(&id, &GetNdesConnectorOptions::default())
    );
    assert_eq!(
        updated,
        NdesConnector {
            display_name: Some("Renamed".into()),
            machine_name: None,
            state: Some(NdesConnectorState::Inactive),
            role_scope_tag_ids: Some(vec![Some("1".into())]),
            ..created.clone()
        }
    );
    // An empty patch changes nothing.
    within(client.update_ndes_connector(&id, &NdesConnectorUpdate::default()))
        .await
        .unwrap();
    let unchanged = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.get_ndes_connector(&id, &GetNdesConnectorOptions::default())
    );
    assert_eq!(unchanged, updated);

    // Delete: 204, then the entity is gone for every operation that names it.
    within(client.delete_ndes_connector(&id, &DeleteNdesConnectorOptions::default()))
        .await
        .unwrap();
    let error = within(client.get_ndes_connector(&id, &GetNdesConnectorOptions::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "getNdesConnector", &id);
    let error = within(client.update_ndes_connector(&id, &NdesConnectorUpdate::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "updateNdesConnector", &id);
    let error = within(client.delete_ndes_connector(&id, &DeleteNdesConnectorOptions::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "deleteNdesConnector", &id);
    let page = within(client.list_ndes_connectors(&ListNdesConnectorsOptions::default()))
        .await
        .unwrap();
    assert_eq!(page.value, Some(vec![other]));

    // The statuses on the wire are Graph's: 201 create, 200 list/get, 204 update/delete.
    assert_eq!(
        statuses(&graph, mark),
        [
            201, 201, 200, 200, 204, 200, 204, 200, 204, 404, 404, 404, 200
        ]
        .map(Some)
    );
}

#[tokio::test]
async fn domain_join_connectors_create_list_get_update_delete() {
    let (graph, client) = start().await;
    let mark = graph.requests().len();

    let sent = DeviceManagementDomainJoinConnector {
        display_name: Some("ODJ connector".into()),
        last_connection_date_time: Some(time("2024-05-01T10:00:00-05:00")),
        state: Some(DeviceManagementDomainJoinConnectorState::Active),
        version: Some("6.2301.1".into()),
        ..Default::default()
    };
    let created = answered!(
        graph,
        "deviceManagement/domainJoinConnectors/$entity",
        client.create_domain_join_connector(&sent)
    );
    let id = assert_uuid(&created.id);
    assert_eq!(
        created.odata_type,
        "#microsoft.graph.deviceManagementDomainJoinConnector"
    );
    assert_eq!(
        DeviceManagementDomainJoinConnector {
            id: created.id.clone(),
            ..sent
        },
        created
    );

    let page =
        within(client.list_domain_join_connectors(&ListDomainJoinConnectorsOptions::default()))
            .await
            .unwrap();
    assert_eq!(page.value, Some(vec![created.clone()]));
    let got = answered!(
        graph,
        "deviceManagement/domainJoinConnectors/$entity",
        client.get_domain_join_connector(&id, &GetDomainJoinConnectorOptions::default())
    );
    assert_eq!(got, created);

    within(client.update_domain_join_connector(
        &id,
        &DeviceManagementDomainJoinConnectorUpdate {
            state: Patch::Value(DeviceManagementDomainJoinConnectorState::Error),
            last_connection_date_time: Patch::Null,
            ..Default::default()
        },
    ))
    .await
    .unwrap();
    let updated = answered!(
        graph,
        "deviceManagement/domainJoinConnectors/$entity",
        client.get_domain_join_connector(&id, &GetDomainJoinConnectorOptions::default())
    );
    assert_eq!(
        updated,
        DeviceManagementDomainJoinConnector {
            state: Some(DeviceManagementDomainJoinConnectorState::Error),
            last_connection_date_time: None,
            ..created
        }
    );

    within(client.delete_domain_join_connector(&id, &DeleteDomainJoinConnectorOptions::default()))
        .await
        .unwrap();
    let error =
        within(client.get_domain_join_connector(&id, &GetDomainJoinConnectorOptions::default()))
            .await
            .unwrap_err();
    assert_not_found(&error, "getDomainJoinConnector", &id);
    let error =
        within(client.update_domain_join_connector(
            &id,
            &DeviceManagementDomainJoinConnectorUpdate::default(),
        ))
        .await
        .unwrap_err();
    assert_not_found(&error, "updateDomainJoinConnector", &id);
    let error = within(
        client.delete_domain_join_connector(&id, &DeleteDomainJoinConnectorOptions::default()),
    )
    .await
    .unwrap_err();
    assert_not_found(&error, "deleteDomainJoinConnector", &id);
    assert_eq!(
        statuses(&graph, mark),
        [201, 200, 200, 204, 200, 204, 404, 404, 404].map(Some)
    );
}

#[tokio::test]
async fn connectors_create_list_get_update_delete() {
    let (graph, client) = start().await;
    let mark = graph.requests().len();

    // `externalIp` is read-only: what the client sends is ignored, and the service records
    // the address it sees the caller at.
    let sent = Connector {
        machine_name: Some("proxy01.contoso.local".into()),
        external_ip: Some("203.0.113.7".into()),
        status: Some(ConnectorStatus::Active),
        version: Some("1.5.3437.0".into()),
        ..Default::default()
    };
    let created = answered!(graph, "connectors/$entity", client.create_connector(&sent));
    let id = assert_uuid(&created.id);
    assert_eq!(created.odata_type, "#microsoft.graph.connector");
    assert_eq!(created.external_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        Connector {
            id: created.id.clone(),
            external_ip: created.external_ip.clone(),
            ..sent
        },
        created
    );

    let page = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap();
    assert_eq!(page.value, Some(vec![created.clone()]));
    let got = answered!(
        graph,
        "connectors/$entity",
        client.get_connector(&id, &GetConnectorOptions::default())
    );
    assert_eq!(got, created);

    within(client.update_connector(
        &id,
        &ConnectorUpdate {
            status: Patch::Value(ConnectorStatus::Inactive),
            version: Patch::Null,
            ..Default::default()
        },
    ))
    .await
    .unwrap();
    let updated = answered!(
        graph,
        "connectors/$entity",
        client.get_connector(&id, &GetConnectorOptions::default())
    );
    assert_eq!(
        updated,
        Connector {
            status: Some(ConnectorStatus::Inactive),
            version: None,
            ..created
        }
    );

    within(client.delete_connector(&id, &DeleteConnectorOptions::default()))
        .await
        .unwrap();
    let error = within(client.get_connector(&id, &GetConnectorOptions::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "getConnector", &id);
    let error = within(client.update_connector(&id, &ConnectorUpdate::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "updateConnector", &id);
    let error = within(client.delete_connector(&id, &DeleteConnectorOptions::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "deleteConnector", &id);
    assert_eq!(
        statuses(&graph, mark),
        [201, 200, 200, 204, 200, 204, 404, 404, 404].map(Some)
    );
}

// ---------------------------------------------------------------------------
// Query options and headers of the operations
// ---------------------------------------------------------------------------

/// Creates NDES connectors named `Lab 1`.. with alternating states.
async fn seed_ndes(graph: &LocalGraphHandle, client: &Client, count: usize) -> Vec<NdesConnector> {
    let mut created = Vec::new();
    for n in 1..=count {
        let connector = NdesConnector {
            display_name: Some(format!("Lab {n}")),
            machine_name: Some(format!("host{n}")),
            state: Some(if n % 2 == 0 {
                NdesConnectorState::Inactive
            } else {
                NdesConnectorState::Active
            }),
            enrolled_date_time: Some(time(&format!("2024-01-{n:02}T00:00:00Z"))),
            ..Default::default()
        };
        created.push(answered!(
            graph,
            "deviceManagement/ndesConnectors/$entity",
            client.create_ndes_connector(&connector)
        ));
    }
    created
}

fn names(page: &[NdesConnector]) -> Vec<&str> {
    page.iter()
        .map(|c| c.display_name.as_deref().unwrap_or("-"))
        .collect()
}

/// The `400` of a typed call, with the target it names.
fn bad_request(error: &Error) -> (&str, &str) {
    let api = error
        .api()
        .unwrap_or_else(|| panic!("not an API error: {error:?}"));
    assert_eq!(api.status, 400, "{error}");
    (
        api.target.as_deref().unwrap_or("-"),
        api.message.as_deref().unwrap_or("-"),
    )
}

#[tokio::test]
async fn list_options_filter_order_select_count_and_search() {
    let (graph, client) = start().await;
    seed_ndes(&graph, &client, 6).await;
    let list = |options: ListNdesConnectorsOptions| {
        let client = client.clone();
        async move { within(client.list_ndes_connectors(&options)).await }
    };

    let page = list(ListNdesConnectorsOptions {
        filter: Some("state eq 'inactive'".into()),
        orderby: vec!["displayName desc".into()],
        count: Some(true),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        names(page.value.as_deref().unwrap()),
        ["Lab 6", "Lab 4", "Lab 2"]
    );
    assert_eq!(page.odata_count, Some(3));

    let page = list(ListNdesConnectorsOptions {
        filter: Some("startswith(displayName,'lab') and enrolledDateTime ge 2024-01-05T00:00:00Z or displayName eq 'Lab 1'".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        names(page.value.as_deref().unwrap()),
        ["Lab 1", "Lab 5", "Lab 6"]
    );

    // $select: the other properties are left out; `id` and `@odata.type` always come.
    let page = list(ListNdesConnectorsOptions {
        select: vec!["displayName".into()],
        top: Some(1),
        ..Default::default()
    })
    .await
    .unwrap();
    let first = &page.value.unwrap()[0];
    assert!(first.id.is_some());
    assert_eq!(first.display_name.as_deref(), Some("Lab 1"));
    assert_eq!(
        (first.state.as_ref(), first.machine_name.as_ref()),
        (None, None)
    );
    assert!(page.odata_next_link.is_some());

    // $search needs ConsistencyLevel: eventual, which the client sends by itself.
    let mark = graph.requests().len();
    let page = list(ListNdesConnectorsOptions {
        search: Some("\"displayName:lab 3\"".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(names(page.value.as_deref().unwrap()), ["Lab 3"]);
    assert_eq!(
        graph.requests()[mark].consistency_level.as_deref(),
        Some("eventual")
    );

    // Nothing that is not understood is ignored: each is a 400 naming the option.
    let cases: [(ListNdesConnectorsOptions, &str, &str); 7] = [
        (
            ListNdesConnectorsOptions {
                filter: Some("length(displayName) gt 3".into()),
                ..Default::default()
            },
            "$filter",
            "'length' is not supported",
        ),
        (
            ListNdesConnectorsOptions {
                filter: Some("state eq 'sleeping'".into()),
                ..Default::default()
            },
            "$filter",
            "not a valid enumerated type constant",
        ),
        (
            ListNdesConnectorsOptions {
                orderby: vec!["colour".into()],
                ..Default::default()
            },
            "$orderby",
            "Could not find a property named 'colour'",
        ),
        (
            ListNdesConnectorsOptions {
                select: vec!["colour".into()],
                ..Default::default()
            },
            "$select",
            "Could not find a property named 'colour'",
        ),
        (
            ListNdesConnectorsOptions {
                expand: vec!["owner".into()],
                ..Default::default()
            },
            "$expand",
            "'owner'",
        ),
        (
            ListNdesConnectorsOptions {
                top: Some(0),
                ..Default::default()
            },
            "$top",
            "Must be between 1 and 999",
        ),
        (
            ListNdesConnectorsOptions {
                skip: Some(-1),
                ..Default::default()
            },
            "$skip",
            "must not be negative",
        ),
    ];
    for (options, target, message) in cases {
        let error = list(options.clone()).await.unwrap_err();
        let (found_target, found_message) = bad_request(&error);
        assert_eq!(found_target, target, "{options:?}: {error}");
        assert!(found_message.contains(message), "{options:?}: {error}");
    }
}

#[tokio::test]
async fn every_collection_serves_its_own_query_options() {
    let (graph, client) = start().await;
    for (n, status) in [(1, ConnectorStatus::Active), (2, ConnectorStatus::Inactive)] {
        let connector = Connector {
            machine_name: Some(format!("proxy{n}")),
            status: Some(status),
            ..Default::default()
        };
        answered!(
            graph,
            "connectors/$entity",
            client.create_connector(&connector)
        );
    }
    let page = within(client.list_connectors(&ListConnectorsOptions {
        filter: Some("status eq 'inactive'".into()),
        select: vec!["machineName".into()],
        count: Some(true),
        ..Default::default()
    }))
    .await
    .unwrap();
    let value = page.value.unwrap();
    assert_eq!(page.odata_count, Some(1));
    assert_eq!(value[0].machine_name.as_deref(), Some("proxy2"));
    assert_eq!(value[0].status, None);
    let error = within(client.list_connectors(&ListConnectorsOptions {
        filter: Some("state eq 'active'".into()),
        ..Default::default()
    }))
    .await
    .unwrap_err();
    assert_eq!(
        bad_request(&error).0,
        "$filter",
        "connectors have `status`, not `state`"
    );

    for (n, state) in [
        (1, DeviceManagementDomainJoinConnectorState::Error),
        (2, DeviceManagementDomainJoinConnectorState::Active),
    ] {
        let connector = DeviceManagementDomainJoinConnector {
            display_name: Some(format!("ODJ {n}")),
            state: Some(state),
            ..Default::default()
        };
        answered!(
            graph,
            "deviceManagement/domainJoinConnectors/$entity",
            client.create_domain_join_connector(&connector)
        );
    }
    let page = within(
        client.list_domain_join_connectors(&ListDomainJoinConnectorsOptions {
            orderby: vec!["state".into()],
            ..Default::default()
        }),
    )
    .await
    .unwrap();
    let order: Vec<_> = page
        .value
        .unwrap()
        .into_iter()
        .map(|c| c.display_name.unwrap())
        .collect();
    assert_eq!(
        order,
        ["ODJ 2", "ODJ 1"],
        "enums order as declared: active < error"
    );
}

#[tokio::test]
async fn get_honours_select_and_refuses_expand() {
    let (graph, client) = start().await;
    let created = seed_ndes(&graph, &client, 1).await.remove(0);
    let id = created.id.clone().unwrap();
    // Graph names the selected properties in the context.
    let got = answered!(
        graph,
        "deviceManagement/ndesConnectors(state,machineName)/$entity",
        client.get_ndes_connector(
            &id,
            &GetNdesConnectorOptions {
                select: vec!["state".into(), "machineName".into()],
                ..Default::default()
            },
        )
    );
    assert_eq!(
        got,
        NdesConnector {
            id: created.id.clone(),
            state: created.state.clone(),
            machine_name: created.machine_name.clone(),
            ..Default::default()
        }
    );
    let error = within(client.get_ndes_connector(
        &id,
        &GetNdesConnectorOptions {
            expand: vec!["roleScopeTags".into()],
            ..Default::default()
        },
    ))
    .await
    .unwrap_err();
    assert_eq!(bad_request(&error).0, "$expand");

    let domain_join = answered!(
        graph,
        "deviceManagement/domainJoinConnectors/$entity",
        client.create_domain_join_connector(&Default::default())
    );
    let error = within(client.get_domain_join_connector(
        domain_join.id.as_deref().unwrap(),
        &GetDomainJoinConnectorOptions {
            select: vec!["machineName".into()],
            ..Default::default()
        },
    ))
    .await
    .unwrap_err();
    assert_eq!(
        bad_request(&error),
        (
            "$select",
            "Could not find a property named 'machineName' on type \
             'microsoft.graph.deviceManagementDomainJoinConnector'."
        )
    );
}

#[tokio::test]
async fn delete_honours_if_match() {
    let (graph, client) = start().await;
    let created = answered!(
        graph,
        "connectors/$entity",
        client.create_connector(&Connector::default())
    );
    let id = created.id.unwrap();
    let error = within(client.delete_connector(
        &id,
        &DeleteConnectorOptions {
            if_match: Some("W/\"1\"".into()),
        },
    ))
    .await
    .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(
        (api.status, api.code.as_deref()),
        (412, Some("PreconditionFailed"))
    );
    within(client.get_connector(&id, &GetConnectorOptions::default()))
        .await
        .expect("a failed precondition deletes nothing");
    within(client.delete_connector(
        &id,
        &DeleteConnectorOptions {
            if_match: Some("*".into()),
        },
    ))
    .await
    .unwrap();
    let error = within(client.get_connector(&id, &GetConnectorOptions::default()))
        .await
        .unwrap_err();
    assert_not_found(&error, "getConnector", &id);
}

// ---------------------------------------------------------------------------
// Requests the typed client cannot make
// ---------------------------------------------------------------------------

struct Raw {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Raw {
    fn error(&self) -> &Value {
        &self.body["error"]
    }

    /// Checks the OData error shape: code, the target, a message naming it, and an
    /// `innerError` whose request id is the response's.
    fn assert_error(&self, status: u16, code: &str, target: Option<&str>) {
        assert_eq!(self.status, status, "{:#}", self.body);
        let error = self.error();
        assert_eq!(error["code"], code, "{:#}", self.body);
        let message = error["message"].as_str().expect("a message");
        match target {
            Some(target) => {
                assert_eq!(error["target"], target, "{:#}", self.body);
                let name = target.trim_start_matches('.');
                assert!(
                    message.contains(name),
                    "the message names `{name}`: {message}"
                );
            }
            None => assert!(error.get("target").is_none(), "{:#}", self.body),
        }
        let inner = &error["innerError"];
        let request_id = self.headers["request-id"].to_str().unwrap();
        assert_eq!(inner["request-id"], request_id, "{:#}", self.body);
        assert!(inner["date"].is_string(), "{:#}", self.body);
        let content_type = self.headers["content-type"].to_str().unwrap();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
    }
}

async fn raw(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Raw {
    // One HTTP client for all raw requests: building one loads TLS roots.
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let mut request = HTTP.get_or_init(reqwest::Client::new).request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = within(request.send()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = within(response.bytes()).await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        panic!(
            "the {status} body is not JSON ({error}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    Raw {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn malformed_requests_get_400_naming_the_field() {
    let (graph, client) = start().await;
    let base = graph.base_url().to_owned();
    let ndes = answered!(
        graph,
        "deviceManagement/ndesConnectors/$entity",
        client.create_ndes_connector(&NdesConnector::default())
    )
    .id
    .unwrap();
    let domain_join = answered!(
        graph,
        "deviceManagement/domainJoinConnectors/$entity",
        client.create_domain_join_connector(&Default::default())
    )
    .id
    .unwrap();
    let before = within(client.list_ndes_connectors(&Default::default()))
        .await
        .unwrap();

    use reqwest::Method;
    let cases: Vec<(Method, String, Option<&str>, &str)> = vec![
        // Wrong JSON type for a field.
        (
            Method::POST,
            format!("{base}/deviceManagement/ndesConnectors"),
            Some(r#"{"displayName": 5}"#),
            "displayName",
        ),
        (
            Method::PATCH,
            format!("{base}/deviceManagement/domainJoinConnectors/{domain_join}"),
            Some(r#"{"lastConnectionDateTime": "yesterday"}"#),
            "lastConnectionDateTime",
        ),
        (
            Method::POST,
            format!("{base}/deviceManagement/ndesConnectors"),
            Some(r#"{"roleScopeTagIds": ["0", 1]}"#),
            "roleScopeTagIds[1]",
        ),
        // An enum value the document does not list.
        (
            Method::POST,
            format!("{base}/deviceManagement/ndesConnectors"),
            Some(r#"{"state": "sleeping"}"#),
            "state",
        ),
        (
            Method::PATCH,
            format!("{base}/connectors/any"),
            Some(r#"{"status": "paused"}"#),
            "status",
        ),
        // Query parameters of the wrong type.
        (
            Method::GET,
            format!("{base}/connectors?$top=ten"),
            None,
            "$top",
        ),
        (
            Method::GET,
            format!("{base}/deviceManagement/ndesConnectors?$skip=1.5"),
            None,
            "$skip",
        ),
        (
            Method::GET,
            format!("{base}/deviceManagement/domainJoinConnectors?$count=maybe"),
            None,
            "$count",
        ),
        // Properties the type does not have, and read-only ones in an update.
        (
            Method::POST,
            format!("{base}/connectors"),
            Some(r#"{"machineName": "p", "colour": "red"}"#),
            "colour",
        ),
        (
            Method::PATCH,
            format!("{base}/deviceManagement/ndesConnectors/{ndes}"),
            Some(r#"{"id": "new-id"}"#),
            "id",
        ),
        (
            Method::PATCH,
            format!("{base}/connectors/any"),
            Some(r#"{"externalIp": "198.51.100.1"}"#),
            "externalIp",
        ),
        // An entity of another type.
        (
            Method::POST,
            format!("{base}/connectors"),
            Some(r##"{"@odata.type": "#microsoft.graph.ndesConnector"}"##),
            "@odata.type",
        ),
        (
            Method::PATCH,
            format!("{base}/deviceManagement/ndesConnectors/{ndes}"),
            Some(r#"{"@odata.type": null}"#),
            "@odata.type",
        ),
        // No body, a body that is not JSON, and JSON cut short (named where it broke off).
        (
            Method::POST,
            format!("{base}/deviceManagement/domainJoinConnectors"),
            None,
            "body",
        ),
        (
            Method::POST,
            format!("{base}/connectors"),
            Some("machineName=proxy"),
            "body",
        ),
        (
            Method::POST,
            format!("{base}/deviceManagement/ndesConnectors"),
            Some(r#"{"displayName": "#),
            "displayName",
        ),
    ];
    for (method, url, body, target) in cases {
        let response = raw(
            method.clone(),
            url.clone(),
            Some(TOKEN),
            &[("client-request-id", "raw-1")],
            body,
        )
        .await;
        let context = format!("{method} {url} {body:?}");
        assert_eq!(response.status, 400, "{context}: {:#}", response.body);
        response.assert_error(
            400,
            response.error()["code"].as_str().unwrap(),
            Some(target),
        );
        assert_eq!(response.error()["innerError"]["client-request-id"], "raw-1");
        assert_eq!(response.headers["client-request-id"], "raw-1");
    }

    // Nothing was created or changed by the refused requests.
    let after = within(client.list_ndes_connectors(&Default::default()))
        .await
        .unwrap();
    assert_eq!(after, before);
}

#[tokio::test]
async fn graph_refusals_outside_the_operations() {
    let (graph, _client) = start().await;
    let base = graph.base_url().to_owned();
    use reqwest::Method;

    // No token: 401 before anything else.
    let response = raw(Method::GET, format!("{base}/connectors"), None, &[], None).await;
    response.assert_error(401, "InvalidAuthenticationToken", None);
    assert!(response.headers.contains_key("www-authenticate"));
    assert!(!graph.requests().last().unwrap().has_bearer_token);

    // $search without ConsistencyLevel: eventual.
    let response = raw(
        Method::GET,
        format!("{base}/connectors?$search=%22proxy%22"),
        Some(TOKEN),
        &[],
        None,
    )
    .await;
    response.assert_error(400, "Request_UnsupportedQuery", Some("$search"));
    assert!(
        response.error()["message"]
            .as_str()
            .unwrap()
            .contains("ConsistencyLevel: eventual")
    );
    let response = raw(
        Method::GET,
        format!("{base}/connectors?$search=%22proxy%22"),
        Some(TOKEN),
        &[("ConsistencyLevel", "eventual")],
        None,
    )
    .await;
    assert_eq!(response.status, 200, "{:#}", response.body);
    assert_eq!(
        response.headers["content-type"],
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
    );

    // A path no operation serves, and a method a path does not have.
    let response = raw(
        Method::GET,
        format!("{base}/deviceManagement/printers"),
        Some(TOKEN),
        &[],
        None,
    )
    .await;
    response.assert_error(404, "NotFound", None);
    let response = raw(
        Method::PUT,
        format!("{base}/connectors/abc"),
        Some(TOKEN),
        &[],
        Some("{}"),
    )
    .await;
    response.assert_error(405, "MethodNotAllowed", None);
    // The client-request-id is left out of innerError when the request had none.
    assert!(
        response.error()["innerError"]
            .get("client-request-id")
            .is_none()
    );
}

#[tokio::test]
async fn an_entity_read_back_is_accepted_and_its_annotations_are_not_stored() {
    let (graph, client) = start().await;
    let created = within(client.create_connector(&Connector::default()))
        .await
        .unwrap();
    // What a client that round-trips entities sends: the entity as read, annotations and all.
    let mut copy = created.clone();
    copy.additional_properties.insert(
        "status@odata.type".into(),
        "#microsoft.graph.connectorStatus".into(),
    );
    let second = answered!(graph, "connectors/$entity", client.create_connector(&copy));
    assert_ne!(second.id, created.id);
    let listed = within(client.list_connectors(&ListConnectorsOptions::default()))
        .await
        .unwrap()
        .value
        .unwrap();
    assert!(
        listed
            .iter()
            .all(|connector| connector.additional_properties.is_empty()),
        "annotations sent are not stored: {listed:?}"
    );

    // A member that is neither declared nor an annotation is refused, as Graph refuses it.
    let mut unknown = Connector::default();
    unknown
        .additional_properties
        .insert("machineOwner".into(), "ops".into());
    let error = within(client.create_connector(&unknown)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 400, "{error}");
    assert_eq!(api.code.as_deref(), Some("BadRequest"));
    assert!(
        api.message.as_deref().is_some_and(
            |m| m.contains("'machineOwner' does not exist on type 'microsoft.graph.connector'")
        ),
        "{error}"
    );
}
