//! How the generated models encode and decode JSON. Structs encode through the runtime's
//! `objects::Members`; those whose members may all be absent decode through `objects::Fields`,
//! those with required members through serde's derive. All must behave as a client of
//! Microsoft Graph expects.

use graph_connectors::models::{
    Connector, ConnectorStatus, ConnectorUpdate, MainError, NdesConnector, NdesConnectorState,
    ODataError,
};
use graph_connectors::runtime::Patch;
use serde_json::json;

#[test]
fn encoding_writes_present_members_in_field_order_and_leaves_absent_ones_out() {
    let connector = Connector {
        machine_name: Some("host".into()),
        status: Some(ConnectorStatus::Inactive),
        ..Connector::default()
    };
    assert_eq!(
        serde_json::to_string(&connector).expect("encode"),
        r##"{"@odata.type":"#microsoft.graph.connector","machineName":"host","status":"inactive"}"##
    );
    let decoded: Connector =
        serde_json::from_str(&serde_json::to_string(&connector).expect("encode")).expect("decode");
    assert_eq!(decoded, connector);
}

#[test]
fn an_update_sends_only_what_changes_and_null_to_clear() {
    let update = ConnectorUpdate {
        machine_name: Patch::Value("renamed".into()),
        version: Patch::Null,
        ..ConnectorUpdate::default()
    };
    assert_eq!(
        serde_json::to_value(&update).expect("encode"),
        json!({"machineName": "renamed", "version": null})
    );
    assert_eq!(
        serde_json::to_string(&ConnectorUpdate::default()).expect("encode"),
        "{}"
    );
}

#[test]
fn a_struct_with_required_members_encodes_them_all() {
    let error = MainError {
        code: "badRequest".into(),
        message: "Bad".into(),
        target: None,
        details: Some(Vec::new()),
        inner_error: None,
        additional_properties: Default::default(),
    };
    assert_eq!(
        serde_json::to_value(&error).expect("encode"),
        json!({"code": "badRequest", "message": "Bad", "details": []})
    );
}

#[test]
fn absent_members_keep_their_defaults() {
    let connector: Connector = serde_json::from_str("{}").expect("an empty object");
    assert_eq!(connector, Connector::default());
    // A member with a default in the description takes it, not the type's own default.
    assert_eq!(connector.odata_type, "#microsoft.graph.connector");
    assert_eq!(connector.machine_name, None);
}

#[test]
fn members_decode_by_their_wire_names() {
    let connector: Connector = serde_json::from_str(
        r##"{"id":"c1","@odata.type":"#microsoft.graph.connector","machineName":"host","externalIp":"10.0.0.1","status":"active","version":"1.5"}"##,
    )
    .expect("a connector");
    assert_eq!(connector.id.as_deref(), Some("c1"));
    assert_eq!(connector.machine_name.as_deref(), Some("host"));
    assert_eq!(connector.external_ip.as_deref(), Some("10.0.0.1"));
    assert_eq!(connector.status, Some(ConnectorStatus::Active));
    assert_eq!(connector.version.as_deref(), Some("1.5"));
}

#[test]
fn undeclared_members_of_any_shape_are_kept_and_encoded_back() {
    // What Graph adds to an entity: annotations, and members the description leaves out.
    let body = json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#connectors/$entity",
        "@odata.etag": "W/\"1\"",
        "newMember": {"nested": [1, {"deep": null}]},
        "machineName": "host",
        "status@odata.type": "#microsoft.graph.connectorStatus",
        "another": [],
    });
    let connector: Connector = serde_json::from_value(body.clone()).expect("undeclared members");
    assert_eq!(connector.machine_name.as_deref(), Some("host"));
    assert_eq!(
        connector.additional_properties["@odata.context"],
        "https://graph.microsoft.com/beta/$metadata#connectors/$entity"
    );
    assert_eq!(connector.additional_properties["newMember"]["nested"][0], 1);
    assert!(!connector.additional_properties.contains_key("machineName"));
    let mut expected = body;
    // The one member encoding adds: the type annotation, from its default.
    expected["@odata.type"] = json!("#microsoft.graph.connector");
    assert_eq!(serde_json::to_value(&connector).expect("encode"), expected);
}

#[test]
fn a_struct_with_required_members_keeps_undeclared_ones_too() {
    // `MainError` decodes through serde's derive (it has required members), the catch-all
    // flattened.
    let body = json!({"code": "x", "message": "m", "@odata.type": "#odata.error", "extra": [1]});
    let error: MainError = serde_json::from_value(body.clone()).expect("an error");
    assert_eq!(error.additional_properties["extra"], json!([1]));
    assert_eq!(serde_json::to_value(&error).expect("encode"), body);
}

#[test]
fn an_update_sends_the_undeclared_members_it_is_given() {
    let mut update = ConnectorUpdate {
        machine_name: Patch::Value("renamed".into()),
        ..ConnectorUpdate::default()
    };
    update
        .additional_properties
        .insert("futureMember".into(), json!(true));
    assert_eq!(
        serde_json::to_value(&update).expect("encode"),
        json!({"machineName": "renamed", "futureMember": true})
    );
}

#[test]
fn null_clears_an_optional_member() {
    let connector: Connector =
        serde_json::from_str(r#"{"machineName":null,"status":null}"#).expect("nulls");
    assert_eq!(connector.machine_name, None);
    assert_eq!(connector.status, None);
}

#[test]
fn escaped_member_names_are_read_like_plain_ones() {
    // `\u004e` is `N`: serde_json cannot lend this key from the input and hands over a copy.
    let connector: Connector =
        serde_json::from_str(r#"{"machine\u004eame":"host"}"#).expect("an escaped key");
    assert_eq!(connector.machine_name.as_deref(), Some("host"));
}

#[test]
fn decodes_from_a_json_value_as_from_text() {
    let body = json!({"displayName": "NDES", "state": "active", "connectorVersion": "2.0"});
    let from_value: NdesConnector = serde_json::from_value(body.clone()).expect("from a Value");
    let from_text: NdesConnector = serde_json::from_str(&body.to_string()).expect("from text");
    assert_eq!(from_value, from_text);
    assert_eq!(from_value.state, Some(NdesConnectorState::Active));
    // Encoding writes back what was read, with the default type annotation added.
    let encoded = serde_json::to_value(&from_value).expect("encode");
    assert_eq!(encoded["displayName"], "NDES");
    assert_eq!(encoded["@odata.type"], "#microsoft.graph.ndesConnector");
}

#[test]
fn the_last_of_a_repeated_member_counts() {
    let connector: Connector =
        serde_json::from_str(r#"{"machineName":"first","machineName":"second"}"#).expect("decode");
    assert_eq!(connector.machine_name.as_deref(), Some("second"));
}

#[test]
fn a_value_that_is_not_an_object_is_refused_naming_the_struct() {
    for body in ["[]", "\"text\"", "42", "null"] {
        let error = serde_json::from_str::<Connector>(body).expect_err(body);
        assert!(
            error.to_string().contains("expected struct Connector"),
            "{body}: {error}"
        );
    }
}

#[test]
fn a_member_of_the_wrong_type_is_refused_with_its_path() {
    let body = r#"{"machineName":"host","status":7}"#;
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let error = serde_path_to_error::deserialize::<_, Connector>(&mut deserializer)
        .expect_err("a number is no status");
    assert_eq!(error.path().to_string(), "status");
    assert!(
        error.inner().to_string().contains("invalid type"),
        "{error}"
    );
}

#[test]
fn a_struct_with_required_members_still_requires_them() {
    // `MainError` has required `code` and `message`: it keeps serde's derive.
    let error = serde_json::from_str::<MainError>(r#"{"code":"x"}"#).expect_err("no message");
    assert!(
        error.to_string().contains("missing field `message`"),
        "{error}"
    );
    let body: ODataError = serde_json::from_str(
        r#"{"error":{"code":"Request_ResourceNotFound","message":"Not found","innerError":{"request-id":"r1","unknownInner":1}}}"#,
    )
    .expect("an OData error");
    assert_eq!(body.error.code, "Request_ResourceNotFound");
    let inner = body.error.inner_error.expect("the inner error");
    assert_eq!(inner.request_id.as_deref(), Some("r1"));
}

#[test]
fn a_struct_encodes_as_a_form_too() {
    // Form bodies (`application/x-www-form-urlencoded`) are encoded with serde_urlencoded,
    // which takes the struct's members as pairs.
    let connector = Connector {
        machine_name: Some("host one".into()),
        ..Connector::default()
    };
    assert_eq!(
        serde_urlencoded::to_string(&connector).expect("a form"),
        "%40odata.type=%23microsoft.graph.connector&machineName=host+one"
    );
}
