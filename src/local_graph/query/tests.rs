//! Unit tests of the query-option parsers.

use super::*;
use serde_json::json;

const STATES: &[&str] = &["none", "active", "inactive"];
const PROPERTIES: &[Property] = &[
    Property {
        name: "id",
        kind: Kind::String,
        read_only: true,
    },
    Property {
        name: "displayName",
        kind: Kind::String,
        read_only: false,
    },
    Property {
        name: "state",
        kind: Kind::Enum(STATES),
        read_only: false,
    },
    Property {
        name: "enrolledDateTime",
        kind: Kind::DateTime,
        read_only: false,
    },
    Property {
        name: "roleScopeTagIds",
        kind: Kind::Strings,
        read_only: false,
    },
];

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("test objects are objects"),
    }
}

fn entities() -> Vec<Map<String, Value>> {
    vec![
        object(
            json!({"id": "1", "displayName": "Lab O'Neil", "state": "active",
                      "enrolledDateTime": "2024-01-01T10:00:00Z"}),
        ),
        object(
            json!({"id": "2", "displayName": "Lab B", "state": "inactive",
                      "enrolledDateTime": "2024-03-01T10:00:00+02:00"}),
        ),
        object(json!({"id": "3", "displayName": "Prod", "state": "none"})),
        object(json!({"id": "4", "state": "active"})),
    ]
}

fn ids(text: &str) -> Vec<String> {
    let filter = filter(text, PROPERTIES, "ndesConnector").unwrap();
    entities()
        .iter()
        .filter(|entity| filter.matches(entity))
        .map(|entity| entity["id"].as_str().unwrap().to_owned())
        .collect()
}

fn error(text: &str) -> String {
    filter(text, PROPERTIES, "ndesConnector")
        .unwrap_err()
        .message
}

#[test]
fn comparisons_functions_and_logic() {
    assert_eq!(ids("state eq 'active'"), ["1", "4"]);
    assert_eq!(ids("state ne 'active'"), ["2", "3"]);
    assert_eq!(ids("displayName eq 'Lab O''Neil'"), ["1"]);
    assert_eq!(ids("displayName eq null"), ["4"]);
    assert_eq!(ids("displayName ne null and state eq 'active'"), ["1"]);
    assert_eq!(
        ids("state eq 'none' or (startswith(displayName,'lab') and not state eq 'active')"),
        ["2", "3"]
    );
    assert_eq!(ids("contains(displayName, 'neil')"), ["1"]);
    assert_eq!(ids("endswith(displayName,'rod')"), ["3"]);
    assert_eq!(ids("state gt 'none'"), ["1", "2", "4"]);
    assert_eq!(ids("enrolledDateTime ge 2024-02-01T00:00:00Z"), ["2"]);
    assert_eq!(ids("enrolledDateTime lt 2024-03-01T09:00:00+01:00"), ["1"]);
    assert_eq!(
        ids("enrolledDateTime le 2024-03-01T09:00:00+01:00"),
        ["1", "2"]
    );
    assert_eq!(ids("displayName gt 'Lab C'"), ["1", "3"]);
}

#[test]
fn unsupported_or_ill_typed_filters_are_errors() {
    assert!(error("foo eq 'x'").contains("Could not find a property named 'foo'"));
    assert!(error("state eq 'bogus'").contains("not a valid enumerated type constant"));
    assert!(error("enrolledDateTime eq '2024-01-01'").contains("incompatible types"));
    assert!(error("displayName eq 5").contains("incompatible types"));
    assert!(error("displayName eq true").contains("incompatible types"));
    assert!(error("roleScopeTagIds eq 'x'").contains("collection"));
    assert!(error("displayName has 'x'").contains("'has' is not an operator"));
    assert!(error("length(displayName) eq 3").contains("'length' is not supported"));
    assert!(error("displayName eq 'x").contains("not terminated"));
    assert!(error("(state eq 'active'").contains("expected ')'"));
    assert!(error("state eq 'active' state").contains("unexpected 'state'"));
    assert!(error("").contains("empty"));
    assert!(error("startswith(state,'a')").contains("applies to Edm.String"));
}

#[test]
fn order_by_sorts_with_nulls_first() {
    let keys = order_by(&["displayName desc".into()], PROPERTIES, "ndesConnector").unwrap();
    let mut all = entities();
    all.sort_by(|a, b| compare(a, b, &keys));
    let order: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(order, ["3", "1", "2", "4"]);

    let keys = order_by(
        &["state".into(), "id desc".into()],
        PROPERTIES,
        "ndesConnector",
    )
    .unwrap();
    all.sort_by(|a, b| compare(a, b, &keys));
    let order: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(order, ["3", "4", "1", "2"]);

    assert!(order_by(&["nope".into()], PROPERTIES, "x").is_err());
    assert!(order_by(&["displayName sideways".into()], PROPERTIES, "x").is_err());
    assert!(order_by(&["roleScopeTagIds".into()], PROPERTIES, "x").is_err());
}

#[test]
fn select_search_and_expand() {
    assert_eq!(select(&[], PROPERTIES, "x").unwrap(), None);
    assert_eq!(select(&["*".into()], PROPERTIES, "x").unwrap(), None);
    assert_eq!(
        select(&["displayName".into(), "state".into()], PROPERTIES, "x").unwrap(),
        Some(vec!["displayName", "state"])
    );
    assert_eq!(
        select(&["nope".into()], PROPERTIES, "x")
            .unwrap_err()
            .target,
        "$select"
    );
    let mut entity = entities().remove(0);
    apply_select(&mut entity, &["state"]);
    assert_eq!(Value::Object(entity), json!({"id": "1", "state": "active"}));

    assert!(expand(&[], "x").is_ok());
    assert_eq!(
        expand(&["owner".into()], "x").unwrap_err().target,
        "$expand"
    );

    let found = |text: &str| {
        let search = search(text, PROPERTIES, "x").unwrap();
        entities().iter().filter(|e| search.matches(e)).count()
    };
    assert_eq!(found("\"lab\""), 2);
    assert_eq!(found("\"displayName:PROD\""), 1);
    assert!(search("lab", PROPERTIES, "x").is_err());
    assert!(search("\"state:active\"", PROPERTIES, "x").is_err());
    assert!(search("\"nope:x\"", PROPERTIES, "x").is_err());
}
