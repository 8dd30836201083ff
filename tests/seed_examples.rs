//! The example request and response bodies of the Microsoft Graph documentation
//! pages in `../shared/seeds` round-trip through the generated models.
//!
//! Every body on every page is found (lines that are exactly `{` start a JSON
//! object, which is read up to its balanced end), decoded into the model its
//! `@odata.type` names, encoded again and compared with the original: date-times
//! as the same instant with the same UTC offset, everything else exactly. The
//! request bodies also go through the matching `*Update` (PATCH) structs.
//!
//! Without `../shared/seeds` the tests print `skipped: ...` and pass, except
//! when `CI=true`, where the seeds are required.

use std::any::type_name;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use graph_connectors::models::{
    Connector, ConnectorStatus, ConnectorUpdate, DeviceManagementDomainJoinConnector,
    DeviceManagementDomainJoinConnectorState, DeviceManagementDomainJoinConnectorUpdate,
    NdesConnector, NdesConnectorState, NdesConnectorUpdate,
};
use graph_connectors::runtime::Patch;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// How many JSON bodies the seed pages hold: a request and a response on each
/// of the five pages. Checked so that an extraction regression cannot pass by
/// finding nothing.
const EXPECTED_BODIES: usize = 10;

const NDES_TYPE: &str = "#microsoft.graph.ndesConnector";
const DOMAIN_JOIN_TYPE: &str = "#microsoft.graph.deviceManagementDomainJoinConnector";
const CONNECTOR_TYPE: &str = "#microsoft.graph.connector";

// ---------------------------------------------------------------------------
// Finding the examples
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
}

/// One JSON body of a documentation page.
#[derive(Debug)]
struct Example {
    /// The page's file name.
    page: String,
    /// `page:line` of the opening `{`, for messages.
    origin: String,
    kind: Kind,
    /// The body exactly as written on the page.
    text: String,
    json: Value,
}

/// The seed directory, or `None` (after printing why) when it is absent
/// outside CI. With `CI=true` its absence fails the test.
fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "../shared/seeds is absent ({}); with CI=true the seed examples are required",
            dir.display()
        );
    }
    println!("skipped: ../shared/seeds is absent");
    None
}

/// Every example of every `*.txt` page, in file name order.
fn load_examples() -> Option<Vec<Example>> {
    let dir = seeds_dir()?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    pages.sort();
    let mut examples = Vec::new();
    for path in &pages {
        let page = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        examples.extend(examples_of_page(&page, &text));
    }
    assert_eq!(
        examples.len(),
        EXPECTED_BODIES,
        "JSON bodies found in {} pages of {}: {:#?}",
        pages.len(),
        dir.display(),
        examples
            .iter()
            .map(|example| &example.origin)
            .collect::<Vec<_>>()
    );
    Some(examples)
}

/// The JSON bodies of one page: each starts at a line that is exactly `{`.
fn examples_of_page(page: &str, text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut examples = Vec::new();
    let mut offset = 0;
    let mut resume_at = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if start < resume_at || line.trim_end_matches(['\r', '\n']) != "{" {
            continue;
        }
        let origin = format!("{page}:{}", index + 1);
        let length = balanced_object_len(&text[start..])
            .unwrap_or_else(|| panic!("{origin}: the JSON object starting here never closes"));
        let body = &text[start..start + length];
        let json: Value = serde_json::from_str(body)
            .unwrap_or_else(|error| panic!("{origin}: not JSON: {error}\n{body}"));
        examples.push(Example {
            page: page.to_owned(),
            kind: kind_before(&lines[..index], &origin),
            origin,
            text: body.to_owned(),
            json,
        });
        resume_at = start + length;
    }
    examples
}

/// The length of the JSON object at the start of `text`, up to and including
/// its closing brace; brackets inside strings (and escaped quotes) are skipped.
fn balanced_object_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (index, byte) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a body is a request or a response: decided by the nearest line above
/// it that is an HTTP request line (`POST https://...`) or a status line
/// (`HTTP/1.1 201 Created`).
fn kind_before(lines_before: &[&str], origin: &str) -> Kind {
    const METHODS: [&str; 5] = ["GET ", "POST ", "PATCH ", "PUT ", "DELETE "];
    lines_before
        .iter()
        .rev()
        .find_map(|line| {
            if line.starts_with("HTTP/") {
                Some(Kind::Response)
            } else if METHODS.iter().any(|method| line.starts_with(method)) {
                Some(Kind::Request)
            } else {
                None
            }
        })
        .unwrap_or_else(|| panic!("{origin}: no HTTP request or status line above the body"))
}

// ---------------------------------------------------------------------------
// Typed round trips
// ---------------------------------------------------------------------------

/// An example decoded into the model its `@odata.type` names.
#[derive(Debug)]
enum Typed {
    Ndes(NdesConnector),
    DomainJoin(DeviceManagementDomainJoinConnector),
    Connector(Connector),
}

impl Typed {
    fn decode(example: &Example) -> Typed {
        match odata_type(example) {
            NDES_TYPE => Typed::Ndes(decode(example)),
            DOMAIN_JOIN_TYPE => Typed::DomainJoin(decode(example)),
            CONNECTOR_TYPE => Typed::Connector(decode(example)),
            other => panic!("{}: no model for @odata.type `{other}`", example.origin),
        }
    }

    fn encode(&self) -> Value {
        match self {
            Typed::Ndes(model) => encode(model),
            Typed::DomainJoin(model) => encode(model),
            Typed::Connector(model) => encode(model),
        }
    }

    fn last_connection_date_time(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Typed::Ndes(model) => model.last_connection_date_time,
            Typed::DomainJoin(model) => model.last_connection_date_time,
            Typed::Connector(_) => None,
        }
    }
}

fn odata_type(example: &Example) -> &str {
    example
        .json
        .get("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{}: the body has no \"@odata.type\"", example.origin))
}

/// Decodes the body text (not the parsed `Value`), as the client decodes a
/// response.
fn decode<T: DeserializeOwned>(example: &Example) -> T {
    serde_json::from_str(&example.text).unwrap_or_else(|error| {
        panic!(
            "{}: does not decode as {}: {error}\n{}",
            example.origin,
            type_name::<T>(),
            example.text
        )
    })
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|error| panic!("{} does not encode: {error}", type_name::<T>()))
}

/// The differences between `expected` and `actual`: date-time strings must be
/// the same instant with the same UTC offset, everything else must be equal.
fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    compare(expected, actual, "$", &mut found);
    found
}

fn compare(expected: &Value, actual: &Value, path: &str, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, expected_value) in expected {
                let here = format!("{path}.{key}");
                match actual.get(key) {
                    Some(actual_value) => compare(expected_value, actual_value, &here, found),
                    None => found.push(format!("{here}: dropped (was {expected_value})")),
                }
            }
            for (key, actual_value) in actual {
                if !expected.contains_key(key) {
                    found.push(format!("{path}.{key}: added ({actual_value})"));
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            for (index, (expected, actual)) in expected.iter().zip(actual).enumerate() {
                compare(expected, actual, &format!("{path}[{index}]"), found);
            }
        }
        (Value::String(expected_text), Value::String(actual_text))
            if expected_text != actual_text =>
        {
            match (
                DateTime::parse_from_rfc3339(expected_text),
                DateTime::parse_from_rfc3339(actual_text),
            ) {
                (Ok(expected_time), Ok(actual_time)) => {
                    if expected_time != actual_time {
                        found.push(format!(
                            "{path}: {actual_text} is not the instant {expected_text}"
                        ));
                    } else if expected_time.offset() != actual_time.offset() {
                        found.push(format!(
                            "{path}: {actual_text} does not keep the offset of {expected_text}"
                        ));
                    }
                }
                _ => found.push(format!("{path}: {actual_text:?} != {expected_text:?}")),
            }
        }
        _ => {
            if expected != actual {
                found.push(format!("{path}: {actual} != {expected}"));
            }
        }
    }
}

fn assert_equivalent(expected: &Value, actual: &Value, context: &str) {
    let found = differences(expected, actual);
    assert!(
        found.is_empty(),
        "{context}: the round trip changed the body:\n  {}\nexpected: {expected:#}\nactual: {actual:#}",
        found.join("\n  ")
    );
}

fn parse_time(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|error| panic!("`{text}`: {error}"))
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn every_page_has_one_request_and_one_response_body() {
    let Some(examples) = load_examples() else {
        return;
    };
    let pages: BTreeSet<&str> = examples.iter().map(|e| e.page.as_str()).collect();
    assert_eq!(pages.len(), EXPECTED_BODIES / 2, "{pages:?}");
    for page in pages {
        let kinds: Vec<Kind> = examples
            .iter()
            .filter(|example| example.page == page)
            .map(|example| example.kind)
            .collect();
        assert_eq!(kinds, [Kind::Request, Kind::Response], "{page}");
    }
    for example in &examples {
        // The documentation's responses carry the server-assigned id; its requests do not.
        assert_eq!(
            example.json.get("id").is_some(),
            example.kind == Kind::Response,
            "{}",
            example.origin
        );
    }
    // Page 002 is plain text without code fences; its bodies are found all the same.
    assert_eq!(
        examples
            .iter()
            .filter(|example| example.page.starts_with("002_"))
            .count(),
        2
    );
}

#[test]
fn every_body_round_trips_through_its_model() {
    let Some(examples) = load_examples() else {
        return;
    };
    let mut per_type = [0usize; 3];
    for example in &examples {
        let typed = Typed::decode(example);
        per_type[match typed {
            Typed::Ndes(_) => 0,
            Typed::DomainJoin(_) => 1,
            Typed::Connector(_) => 2,
        }] += 1;
        let encoded = typed.encode();
        assert_equivalent(&example.json, &encoded, &example.origin);

        // Decoding what was encoded gives the same model again.
        let again = Typed::decode(&Example {
            page: example.page.clone(),
            origin: format!("{} (re-encoded)", example.origin),
            kind: example.kind,
            text: encoded.to_string(),
            json: encoded.clone(),
        });
        assert_eq!(again.encode(), encoded, "{}", example.origin);
    }
    assert_eq!(
        per_type,
        [6, 2, 2],
        "bodies per model: ndes, domainJoin, connector"
    );
}

#[test]
fn documented_values_keep_their_meaning() {
    let Some(examples) = load_examples() else {
        return;
    };
    let mut fallback_states = [0usize; 3];
    let mut known_states = 0;
    let mut tag_lists = 0;
    let mut offsets = BTreeSet::new();
    for example in &examples {
        let typed = Typed::decode(example);
        let encoded = typed.encode();
        let origin = example.origin.as_str();
        match &typed {
            Typed::Ndes(model) => {
                match example.json["state"].as_str() {
                    // The older pages put the type name where the value belongs:
                    // kept by the fallback variant and written back unchanged.
                    Some("String") => {
                        assert_eq!(
                            model.state,
                            Some(NdesConnectorState::Unknown("String".into())),
                            "{origin}"
                        );
                        fallback_states[0] += 1;
                    }
                    Some("active") => {
                        assert_eq!(model.state, Some(NdesConnectorState::Active), "{origin}");
                        known_states += 1;
                    }
                    other => panic!("{origin}: unexpected state {other:?}"),
                }
                assert_eq!(encoded["state"], example.json["state"], "{origin}");

                if let Some(tags) = example.json.get("roleScopeTagIds") {
                    let expected: Vec<Option<String>> = tags
                        .as_array()
                        .expect("roleScopeTagIds is an array on the page")
                        .iter()
                        .map(|tag| tag.as_str().map(str::to_owned))
                        .collect();
                    let decoded: &Vec<Option<String>> = model
                        .role_scope_tag_ids
                        .as_ref()
                        .unwrap_or_else(|| panic!("{origin}: roleScopeTagIds was dropped"));
                    assert_eq!(decoded, &expected, "{origin}");
                    assert_eq!(
                        decoded,
                        &vec![Some("Role Scope Tag Ids value".to_owned())],
                        "{origin}"
                    );
                    assert_eq!(
                        encoded["roleScopeTagIds"],
                        json!(["Role Scope Tag Ids value"])
                    );
                    tag_lists += 1;
                }
                if let Some(text) = example.json["enrolledDateTime"].as_str() {
                    let enrolled = model.enrolled_date_time.expect("enrolledDateTime decoded");
                    assert_eq!(enrolled, parse_time(text), "{origin}");
                    assert_eq!(enrolled.offset(), parse_time(text).offset(), "{origin}");
                }
            }
            Typed::DomainJoin(model) => {
                assert_eq!(
                    model.state,
                    Some(DeviceManagementDomainJoinConnectorState::Unknown(
                        "String".into()
                    )),
                    "{origin}"
                );
                assert_eq!(encoded["state"], "String", "{origin}");
                assert_eq!(model.version.as_deref(), Some("Version value"), "{origin}");
                fallback_states[1] += 1;
            }
            Typed::Connector(model) => {
                assert_eq!(
                    model.status,
                    Some(ConnectorStatus::Unknown("String".into())),
                    "{origin}"
                );
                assert_eq!(encoded["status"], "String", "{origin}");
                assert_eq!(model.external_ip.as_deref(), Some("String"), "{origin}");
                fallback_states[2] += 1;
            }
        }

        if let Some(text) = example
            .json
            .get("lastConnectionDateTime")
            .and_then(Value::as_str)
        {
            let source = parse_time(text);
            let decoded = typed
                .last_connection_date_time()
                .unwrap_or_else(|| panic!("{origin}: lastConnectionDateTime was dropped"));
            assert_eq!(decoded, source, "{origin}: the instant");
            assert_eq!(decoded.offset(), source.offset(), "{origin}: the offset");
            // Seven fraction digits (.NET ticks) survive to the nanosecond.
            assert_eq!(
                decoded.timestamp_subsec_nanos(),
                source.timestamp_subsec_nanos(),
                "{origin}"
            );
            let written = encoded["lastConnectionDateTime"]
                .as_str()
                .expect("lastConnectionDateTime is written as a string");
            let offset_text = &text[text.len() - "+00:00".len()..];
            assert!(
                written.ends_with(offset_text),
                "{origin}: {written} does not end with the page's offset {offset_text}"
            );
            assert_eq!(parse_time(written), source, "{origin}");
            offsets.insert(offset_text.to_owned());
        }
    }
    assert_eq!(
        fallback_states,
        [2, 2, 2],
        "\"String\" states/statuses per model: ndes, domainJoin, connector"
    );
    assert_eq!(known_states, 4, "ndes bodies with state active");
    assert_eq!(tag_lists, 2, "bodies with roleScopeTagIds");
    assert_eq!(
        offsets,
        BTreeSet::from(["+03:00".to_owned(), "-08:00".to_owned()])
    );
}

/// The page's body minus the read-only properties, which the update structs
/// do not have.
fn without(json: &Value, read_only: &[&str]) -> Value {
    let mut json = json.clone();
    let object = json.as_object_mut().expect("a JSON object");
    for key in read_only {
        object.remove(*key);
    }
    json
}

/// Decodes a request body into an update struct and checks that encoding it
/// gives the body back, less `read_only`.
fn update_round_trip<U: Serialize + DeserializeOwned>(example: &Example, read_only: &[&str]) -> U {
    let update: U = decode(example);
    let encoded = encode(&update);
    assert_equivalent(
        &without(&example.json, read_only),
        &encoded,
        &example.origin,
    );
    for key in read_only {
        assert!(
            encoded.get(*key).is_none(),
            "{}: read-only `{key}` is sent in a PATCH body",
            example.origin
        );
    }
    update
}

#[test]
fn request_bodies_round_trip_through_update_structs() {
    let Some(examples) = load_examples() else {
        return;
    };
    // Nothing set: nothing sent.
    assert_eq!(encode(&NdesConnectorUpdate::default()), json!({}));
    assert_eq!(
        encode(&DeviceManagementDomainJoinConnectorUpdate::default()),
        json!({})
    );
    assert_eq!(encode(&ConnectorUpdate::default()), json!({}));

    let mut checked = 0;
    for example in examples.iter().filter(|e| e.kind == Kind::Request) {
        let origin = example.origin.as_str();
        checked += 1;
        match odata_type(example) {
            NDES_TYPE => {
                let mut update: NdesConnectorUpdate = update_round_trip(example, &[]);
                assert_eq!(update.odata_type, Patch::Value(NDES_TYPE.to_owned()));
                assert_eq!(
                    update.display_name,
                    Patch::Value("Display Name value".to_owned())
                );
                assert_eq!(
                    update
                        .last_connection_date_time
                        .as_value()
                        .map(|t| *t.offset()),
                    Some(
                        *parse_time(example.json["lastConnectionDateTime"].as_str().unwrap())
                            .offset()
                    ),
                    "{origin}"
                );
                // Properties the page leaves out stay absent and are not sent.
                if example.json.get("machineName").is_none() {
                    assert_eq!(update.machine_name, Patch::Absent, "{origin}");
                    assert_eq!(update.role_scope_tag_ids, Patch::Absent, "{origin}");
                    assert_eq!(update.enrolled_date_time, Patch::Absent, "{origin}");
                    assert_eq!(update.connector_version, Patch::Absent, "{origin}");
                } else {
                    assert_eq!(
                        update.role_scope_tag_ids,
                        Patch::Value(vec![Some("Role Scope Tag Ids value".to_owned())]),
                        "{origin}"
                    );
                }

                update.display_name = Patch::Null;
                update.machine_name = Patch::Value("NDES-02".to_owned());
                update.role_scope_tag_ids = Patch::Absent;
                update.state = Patch::Value(NdesConnectorState::Inactive);
                let mut expected = without(&example.json, &["roleScopeTagIds"]);
                expected["displayName"] = Value::Null;
                expected["machineName"] = json!("NDES-02");
                expected["state"] = json!("inactive");
                assert_equivalent(&expected, &encode(&update), origin);
            }
            DOMAIN_JOIN_TYPE => {
                let mut update: DeviceManagementDomainJoinConnectorUpdate =
                    update_round_trip(example, &[]);
                assert_eq!(update.odata_type, Patch::Value(DOMAIN_JOIN_TYPE.to_owned()));
                assert_eq!(
                    update.state,
                    Patch::Value(DeviceManagementDomainJoinConnectorState::Unknown(
                        "String".into()
                    ))
                );
                assert_eq!(update.version, Patch::Value("Version value".to_owned()));

                update.version = Patch::Null;
                update.last_connection_date_time = Patch::Absent;
                update.state = Patch::Value(DeviceManagementDomainJoinConnectorState::Error);
                let mut expected = without(&example.json, &["lastConnectionDateTime"]);
                expected["version"] = Value::Null;
                expected["state"] = json!("error");
                assert_equivalent(&expected, &encode(&update), origin);
            }
            CONNECTOR_TYPE => {
                // `externalIp` is read-only (set by the server): no update field.
                let mut update: ConnectorUpdate = update_round_trip(example, &["externalIp"]);
                assert_eq!(update.odata_type, Patch::Value(CONNECTOR_TYPE.to_owned()));
                assert_eq!(update.machine_name, Patch::Value("String".to_owned()));
                assert_eq!(
                    update.status,
                    Patch::Value(ConnectorStatus::Unknown("String".into()))
                );
                assert_eq!(update.version, Patch::Absent);

                update.machine_name = Patch::Null;
                update.status = Patch::Value(ConnectorStatus::Active);
                update.version = Patch::Value("1.5.1975.0".to_owned());
                let mut expected = without(&example.json, &["externalIp"]);
                expected["machineName"] = Value::Null;
                expected["status"] = json!("active");
                expected["version"] = json!("1.5.1975.0");
                assert_equivalent(&expected, &encode(&update), origin);
            }
            other => panic!("{origin}: no update struct for @odata.type `{other}`"),
        }

        // An explicit `null` in a PATCH body decodes as `Patch::Null` and is sent again.
        let mut nulled = example.json.clone();
        let key = if odata_type(example) == CONNECTOR_TYPE {
            "machineName"
        } else {
            "displayName"
        };
        nulled[key] = Value::Null;
        let text = nulled.to_string();
        let encoded = match odata_type(example) {
            NDES_TYPE => {
                let update: NdesConnectorUpdate = serde_json::from_str(&text).unwrap();
                assert_eq!(update.display_name, Patch::Null, "{origin}");
                encode(&update)
            }
            DOMAIN_JOIN_TYPE => {
                let update: DeviceManagementDomainJoinConnectorUpdate =
                    serde_json::from_str(&text).unwrap();
                assert_eq!(update.display_name, Patch::Null, "{origin}");
                encode(&update)
            }
            _ => {
                let update: ConnectorUpdate = serde_json::from_str(&text).unwrap();
                assert_eq!(update.machine_name, Patch::Null, "{origin}");
                encode(&update)
            }
        };
        assert_eq!(encoded.get(key), Some(&Value::Null), "{origin}");
    }
    assert_eq!(checked, EXPECTED_BODIES / 2, "request bodies checked");
}

#[test]
fn extraction_handles_braces_in_strings_and_unfenced_text() {
    let page = "Intro { not a body\n\nPOST https://x/y\n\n{\n  \"a\": \"}{\\\"\",\n  \"b\": [{\"c\": 1}]\n}\ntrailing {\nHTTP/1.1 200 OK\n{\n  \"d\": null\n}";
    let examples = examples_of_page("inline.txt", page);
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].kind, Kind::Request);
    assert_eq!(examples[0].origin, "inline.txt:5");
    assert_eq!(examples[0].json, json!({"a": "}{\"", "b": [{"c": 1}]}));
    assert_eq!(examples[1].kind, Kind::Response);
    assert_eq!(examples[1].json, json!({"d": null}));

    // The comparison: same instant and offset passes; another offset or instant does not.
    assert!(
        differences(
            &json!({"t": "2016-12-31T23:56:55.9168968+03:00"}),
            &json!({"t": "2016-12-31T23:56:55.916896800+03:00"})
        )
        .is_empty()
    );
    assert_eq!(
        differences(
            &json!({"t": "2016-12-31T23:56:55+03:00"}),
            &json!({"t": "2016-12-31T20:56:55+00:00"})
        )
        .len(),
        1
    );
    assert_eq!(
        differences(
            &json!({"t": "2016-12-31T23:56:55+03:00"}),
            &json!({"t": "2016-12-31T23:56:56+03:00"})
        )
        .len(),
        1
    );
    assert_eq!(
        differences(&json!({"a": 1, "b": [1]}), &json!({"a": "1", "c": 2})).len(),
        3
    );
}
