//! Unit tests of the local Graph's helpers.

use super::*;
use crate::models::{
    ConnectorStatus, DeviceManagementDomainJoinConnectorState, NdesConnectorState,
};
use std::collections::BTreeSet;

fn keys<T: Serialize>(value: &T) -> BTreeSet<String> {
    to_object(value)
        .unwrap()
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

fn table(resource: &Resource) -> BTreeSet<String> {
    resource
        .properties
        .iter()
        .map(|property| property.name.to_owned())
        .chain(["@odata.type".to_owned()])
        .collect()
}

fn time() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00+02:00").unwrap()
}

fn enum_values(resource: &Resource, name: &str) -> &'static [&'static str] {
    match resource.property(name).unwrap().kind {
        Kind::Enum(values) => values,
        other => panic!("{name} is {other:?}"),
    }
}

/// The property tables describe the generated models exactly: a fully populated model
/// serializes to exactly the table's names, and every enum value is one the model lists.
#[test]
fn property_tables_match_the_models() {
    let ndes = NdesConnector {
        id: Some("1".into()),
        last_connection_date_time: Some(time()),
        state: Some(NdesConnectorState::Active),
        display_name: Some("a".into()),
        machine_name: Some("b".into()),
        enrolled_date_time: Some(time()),
        role_scope_tag_ids: Some(vec![Some("0".into())]),
        connector_version: Some("1".into()),
        ..Default::default()
    };
    assert_eq!(keys(&ndes), table(&NDES));
    let domain_join = DeviceManagementDomainJoinConnector {
        id: Some("1".into()),
        display_name: Some("a".into()),
        last_connection_date_time: Some(time()),
        state: Some(DeviceManagementDomainJoinConnectorState::Active),
        version: Some("1".into()),
        ..Default::default()
    };
    assert_eq!(keys(&domain_join), table(&DOMAIN_JOIN));
    let connector = Connector {
        id: Some("1".into()),
        machine_name: Some("a".into()),
        external_ip: Some("b".into()),
        status: Some(ConnectorStatus::Active),
        version: Some("1".into()),
        ..Default::default()
    };
    assert_eq!(keys(&connector), table(&CONNECTOR));

    assert_eq!(NdesConnector::default().odata_type, NDES.odata_type);
    assert_eq!(
        DeviceManagementDomainJoinConnector::default().odata_type,
        DOMAIN_JOIN.odata_type
    );
    assert_eq!(Connector::default().odata_type, CONNECTOR.odata_type);

    for value in enum_values(&NDES, "state") {
        assert!(
            !matches!(
                NdesConnectorState::from(*value),
                NdesConnectorState::Unknown(_)
            ),
            "{value}"
        );
    }
    for value in enum_values(&DOMAIN_JOIN, "state") {
        let state = DeviceManagementDomainJoinConnectorState::from(*value);
        assert!(
            !matches!(state, DeviceManagementDomainJoinConnectorState::Unknown(_)),
            "{value}"
        );
    }
    for value in enum_values(&CONNECTOR, "status") {
        assert!(
            !matches!(ConnectorStatus::from(*value), ConnectorStatus::Unknown(_)),
            "{value}"
        );
    }
}

#[test]
fn merge_patch_follows_rfc_7396() {
    let mut target =
        to_object(&serde_json::json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]})).unwrap();
    let patch =
        to_object(&serde_json::json!({"a": null, "b": {"c": null, "x": 4}, "e": [2], "f": "new"}))
            .unwrap();
    merge_patch(&mut target, patch);
    assert_eq!(
        Value::Object(target),
        serde_json::json!({"b": {"d": 3, "x": 4}, "e": [2], "f": "new"})
    );
}

#[test]
fn malformed_bodies_end_after_the_last_property_name() {
    let body = br#"{"a":"x:y","b":{"c\"":"t:"}}"#;
    let cut = last_name_end(body).unwrap();
    assert_eq!(&body[..cut], br#"{"a":"x:y","b":{"c\"":"#);
    assert_eq!(last_name_end(b"[1,2]"), None);
}

#[test]
fn next_links_keep_the_options_and_encode_them() {
    let options = ListQuery {
        top: Some(2),
        filter: Some("displayName eq 'a b&c'".into()),
        count: Some(true),
        orderby: vec!["displayName desc".into(), "id".into()],
        select: vec!["id".into(), "state".into()],
        ..ListQuery::default()
    };
    assert_eq!(
        next_link("http://127.0.0.1:1/", "/connectors", &options, 4),
        "http://127.0.0.1:1/connectors?$top=2&$skip=4&$filter=displayName%20eq%20'a%20b%26c'\
         &$count=true&$orderby=displayName%20desc,id&$select=id,state"
    );
}

#[test]
fn body_paths_find_their_resource() {
    assert_eq!(
        Resource::for_body(&Method::POST, "/connectors").map(|r| r.name),
        Some("connector")
    );
    assert_eq!(
        Resource::for_body(&Method::PATCH, "/connectors/abc").map(|r| r.name),
        Some("connector")
    );
    assert!(Resource::for_body(&Method::PATCH, "/connectors").is_none());
    assert!(Resource::for_body(&Method::PATCH, "/connectors/a/b").is_none());
    assert!(Resource::for_body(&Method::POST, "/connectors/abc").is_none());
    assert_eq!(
        Resource::for_body(&Method::PATCH, "/deviceManagement/ndesConnectors/x").map(|r| r.name),
        Some("ndesConnector")
    );
}

#[test]
fn bearer_tokens_are_read_from_the_authorization_header() {
    let token = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        bearer_token(&headers).map(str::to_owned)
    };
    assert_eq!(token("Bearer abc").as_deref(), Some("abc"));
    assert_eq!(token("bearer  abc ").as_deref(), Some("abc"));
    assert_eq!(token("Bearer "), None);
    assert_eq!(token("Bearer"), None);
    assert_eq!(token("Basic abc"), None);
    assert_eq!(bearer_token(&HeaderMap::new()), None);
}
