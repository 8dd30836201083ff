//! The local Graph's JSON batching endpoint, `POST {base_url}/$batch`, over real sockets on
//! 127.0.0.1: items are served by the same operations, store, checks, faults and sign-in as
//! requests sent on their own; `dependsOn` orders them and a failed dependency is `424`; a
//! malformed batch is refused whole with `400`.

use std::time::Duration;

use graph_connectors::local_graph::{Fault, LocalGraph, LocalGraphHandle, MAX_BATCH_REQUESTS};
use serde_json::{Value, json};
use support::{Answer, answer, http};

mod support;

const TOKEN: &str = "local-batch-token";
const NDES: &str = "/deviceManagement/ndesConnectors";

/// `POST /$batch` with this body and `token` as the bearer token.
async fn batch_with(graph: &LocalGraphHandle, token: Option<&str>, body: &Value) -> Answer {
    let mut request = http()
        .post(format!("{}/$batch", graph.base_url()))
        .header("content-type", "application/json")
        .header("client-request-id", "4b1b6b0e-0f3c-4d7a-9a56-1c2d3e4f5a6b")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    answer(request).await
}

async fn batch(graph: &LocalGraphHandle, body: &Value) -> Answer {
    batch_with(graph, Some(TOKEN), body).await
}

fn create(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "method": "POST",
        "url": NDES,
        "headers": {"Content-Type": "application/json"},
        "body": {"displayName": name},
    })
}

fn get(id: &str, url: &str) -> Value {
    json!({"id": id, "method": "GET", "url": url})
}

/// Graph's error body: `{"error":{"code":…,"message":…,"innerError":{…}}}`.
fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body["error"]["innerError"]["request-id"].is_string(),
        "{body}"
    );
    assert!(body["error"]["innerError"]["date"].is_string(), "{body}");
}

/// A batch refused whole: `400 BadRequest` with Graph's error body, and nothing served.
async fn assert_refused(graph: &LocalGraphHandle, body: &Value, in_message: &str) {
    graph.clear_requests();
    let answer = batch(graph, body).await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_error(&answer.body, "BadRequest");
    let message = answer.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(in_message), "{message}");
    assert!(answer.header("request-id").is_some());
    let requests = graph.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].path, "/$batch");
    assert_eq!(requests[0].status, Some(400));
}

#[tokio::test]
async fn a_list_that_depends_on_a_create_sees_the_created_item() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    // The list comes first in the batch, yet runs after the create it depends on; the url
    // works without its leading `/`.
    let body = json!({"requests": [
        {
            "id": "list",
            "method": "GET",
            "url": "deviceManagement/ndesConnectors?$top=2&$filter=displayName eq 'Lab 1'",
            "dependsOn": ["create"],
        },
        create("create", "Lab 1"),
    ]});
    let answer = batch(&graph, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.assert_json();
    // Answers in the order of the batch, each with its own id.
    let ids: Vec<&Value> = answer.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|response| &response["id"])
        .collect();
    assert_eq!(ids, ["list", "create"]);

    let created = answer.item("create");
    assert_eq!(created["status"], 201, "{created}");
    assert!(
        created["headers"]["Content-Type"]
            .as_str()
            .is_some_and(|value| value.starts_with("application/json")),
        "{created}"
    );
    assert!(created["headers"]["request-id"].is_string(), "{created}");
    let id = created["body"]["id"].as_str().unwrap();
    assert_eq!(created["body"]["displayName"], "Lab 1");

    let listed = answer.item("list");
    assert_eq!(listed["status"], 200, "{listed}");
    let value = listed["body"]["value"].as_array().unwrap();
    assert_eq!(value.len(), 1, "{listed}");
    assert_eq!(value[0]["id"], id);

    // The store is the one direct requests see.
    let direct = answer_to_get(&graph, &format!("{NDES}/{id}")).await;
    assert_eq!(direct.status, 200, "{}", direct.text);

    // The log holds each item (marked with its id, in the order they ran), then the batch.
    let requests: Vec<_> = graph
        .requests()
        .into_iter()
        .filter(|request| request.path_only() != format!("{NDES}/{id}"))
        .collect();
    let seen: Vec<(&str, &str, Option<&str>, Option<u16>)> = requests
        .iter()
        .map(|request| {
            (
                request.method.as_str(),
                request.path_only(),
                request.batch_item.as_deref(),
                request.status,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", NDES, Some("create"), Some(201)),
            ("GET", NDES, Some("list"), Some(200)),
            ("POST", "/$batch", None, Some(200)),
        ]
    );
    assert!(requests.iter().all(|request| request.has_bearer_token));
    graph.shutdown().await;
}

async fn answer_to_get(graph: &LocalGraphHandle, path: &str) -> Answer {
    answer(
        http()
            .get(format!("{}{path}", graph.base_url()))
            .bearer_auth(TOKEN),
    )
    .await
}

#[tokio::test]
async fn items_are_answered_as_direct_requests_are() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    let body = json!({"requests": [
        get("missing", &format!("{NDES}/00000000-0000-0000-0000-000000000000")),
        get("bad option", "/connectors?$Filter=status eq 'active'"),
        {"id": "unknown property", "method": "POST", "url": "/connectors",
         "headers": {"content-type": "application/json"}, "body": {"colour": "blue"}},
        create("created", "Lab"),
        {"id": "deleted", "method": "DELETE", "url": "/connectors/nothing-here"},
    ]});
    let answer = batch(&graph, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let missing = answer.item("missing");
    assert_eq!(missing["status"], 404);
    assert_error(&missing["body"], "ResourceNotFound");
    // The batch's `client-request-id` is passed on to its items.
    assert_eq!(
        missing["body"]["error"]["innerError"]["client-request-id"],
        "4b1b6b0e-0f3c-4d7a-9a56-1c2d3e4f5a6b"
    );
    let bad = answer.item("bad option");
    assert_eq!(bad["status"], 400);
    assert_eq!(bad["body"]["error"]["target"], "$Filter");
    let unknown = answer.item("unknown property");
    assert_eq!(unknown["status"], 400);
    assert_eq!(unknown["body"]["error"]["target"], "colour");
    assert_eq!(answer.item("created")["status"], 201);
    assert_eq!(answer.item("deleted")["status"], 404);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_failed_dependency_is_424_for_its_dependents_only() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    let missing = format!("{NDES}/00000000-0000-0000-0000-000000000000");
    let body = json!({"requests": [
        get("1", &missing),
        {"id": "2", "method": "GET", "url": NDES, "dependsOn": ["1"]},
        // Depends on a request that was not run: not run either.
        {"id": "3", "method": "DELETE", "url": format!("{NDES}/x"), "dependsOn": ["2"]},
        get("4", NDES),
        {"id": "5", "method": "GET", "url": "/connectors", "dependsOn": ["4"]},
    ]});
    graph.clear_requests();
    let answer = batch(&graph, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.item("1")["status"], 404);
    for id in ["2", "3"] {
        let failed = answer.item(id);
        assert_eq!(failed["status"], 424, "{failed}");
        assert_error(&failed["body"], "FailedDependency");
        assert!(failed["headers"]["request-id"].is_string(), "{failed}");
    }
    assert_eq!(answer.item("4")["status"], 200);
    assert_eq!(answer.item("5")["status"], 200);
    // Requests answered 424 were not served: the log has 1, 4, 5 and the batch.
    let served: Vec<Option<String>> = graph
        .requests()
        .into_iter()
        .map(|request| request.batch_item)
        .collect();
    assert_eq!(
        served,
        [Some("1".into()), Some("4".into()), Some("5".into()), None]
    );
    graph.shutdown().await;
}

#[tokio::test]
async fn malformed_batches_are_refused_whole() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    let too_many: Vec<Value> = (0..=MAX_BATCH_REQUESTS)
        .map(|n| get(&n.to_string(), NDES))
        .collect();
    assert_eq!(too_many.len(), 21);
    assert_refused(&graph, &json!({"requests": too_many}), "at most 20").await;
    // Twenty is fine.
    let twenty = json!({"requests": &too_many[..20]});
    let served = batch(&graph, &twenty).await;
    assert_eq!(served.status, 200, "{}", served.text);
    assert_eq!(served.body["responses"].as_array().unwrap().len(), 20);

    // Ids are compared without regard to case.
    let duplicates = json!({"requests": [get("a", NDES), get("A", "/connectors")]});
    assert_refused(&graph, &duplicates, "more than one request has the id").await;

    let cases = [
        (json!({}), "requests"),
        (json!({"requests": {}}), "requests"),
        (
            json!({"requests": [{"method": "GET", "url": NDES}]}),
            "`id`",
        ),
        (json!({"requests": [{"id": "1", "url": NDES}]}), "`method`"),
        (json!({"requests": [{"id": "1", "method": "GET"}]}), "`url`"),
        (
            json!({"requests": [get("1", &format!("{}{NDES}", graph.base_url()))]}),
            "absolute URL",
        ),
        (
            json!({"requests": [get("1", "https://graph.microsoft.com/beta/connectors")]}),
            "absolute URL",
        ),
        (
            json!({"requests": [{"id": "1", "method": "POST", "url": "/$batch",
            "headers": {"Content-Type": "application/json"}, "body": {"requests": []}}]}),
            "nested",
        ),
        (
            json!({"requests": [{"id": "1", "method": "GET", "url": NDES, "dependsOn": ["2"]}]}),
            "not the id of a request",
        ),
        (
            json!({"requests": [{"id": "1", "method": "POST", "url": NDES,
                "body": {"displayName": "x"}}]}),
            "no `Content-Type`",
        ),
        (
            json!({"requests": [
                {"id": "1", "method": "GET", "url": NDES, "dependsOn": ["2"]},
                {"id": "2", "method": "GET", "url": NDES, "dependsOn": ["1"]},
            ]}),
            "cycle",
        ),
    ];
    for (body, in_message) in &cases {
        assert_refused(&graph, body, in_message).await;
    }
    // Nothing was created by any of them.
    let listed = answer_to_get(&graph, NDES).await;
    assert_eq!(listed.body["value"], json!([]), "{}", listed.text);

    // Not JSON at all.
    let not_json = answer(
        http()
            .post(format!("{}/$batch", graph.base_url()))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body("{\"requests\": ["),
    )
    .await;
    assert_eq!(not_json.status, 400, "{}", not_json.text);
    assert_error(&not_json.body, "BadRequest");
    // Larger than any body the local Graph reads.
    let huge = answer(
        http()
            .post(format!("{}/$batch", graph.base_url()))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(format!(
                "{{\"requests\": [], \"x\": \"{}\"}}",
                "a".repeat(4 << 20)
            )),
    )
    .await;
    assert_eq!(huge.status, 413, "{}", huge.text);
    assert_error(&huge.body, "RequestEntityTooLarge");
    // Not sent as JSON.
    let as_text = answer(
        http()
            .post(format!("{}/$batch", graph.base_url()))
            .bearer_auth(TOKEN)
            .header("content-type", "text/plain")
            .body(json!({"requests": []}).to_string()),
    )
    .await;
    assert_eq!(as_text.status, 415, "{}", as_text.text);
    assert_error(&as_text.body, "UnsupportedMediaType");
    // Not POST.
    let got = answer_to_get(&graph, "/$batch").await;
    assert_eq!(got.status, 405, "{}", got.text);
    assert_error(&got.body, "MethodNotAllowed");
    graph.shutdown().await;
}

#[tokio::test]
async fn throttling_hits_one_item_and_the_batch_still_succeeds() {
    let (graph, _) = LocalGraph::start().await.unwrap();
    graph.throttle_next(1, Duration::from_secs(7));
    let body = json!({"requests": [
        create("1", "Lab 1"),
        get("2", NDES),
        get("3", "/connectors"),
    ]});
    let answer = batch(&graph, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(graph.pending_faults(), 0);

    // The first item served took the fault, as a direct request would have.
    let throttled = answer.item("1");
    assert_eq!(throttled["status"], 429, "{throttled}");
    assert_eq!(throttled["headers"]["Retry-After"], "7", "{throttled}");
    assert_error(&throttled["body"], "TooManyRequests");
    assert_eq!(answer.item("2")["status"], 200);
    assert_eq!(answer.item("2")["body"]["value"], json!([]));
    assert_eq!(answer.item("3")["status"], 200);
    let statuses: Vec<u16> = answer.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|response| response["status"].as_u64().unwrap() as u16)
        .collect();
    assert_eq!(statuses.iter().filter(|&&status| status == 429).count(), 1);

    let requests = graph.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(
        requests[0].fault,
        Some(Fault::Throttle {
            retry_after: Duration::from_secs(7)
        })
    );
    assert_eq!(requests[0].batch_item.as_deref(), Some("1"));
    assert!(requests[1..].iter().all(|request| request.fault.is_none()));

    // Other faults too: one item each, in order; a canned reply's text body is kept as text.
    graph.fail_next(1);
    graph.inject(
        Fault::Reply {
            status: 502,
            content_type: "text/plain".into(),
            body: "Bad gateway".into(),
        },
        1,
    );
    let answer = batch(&graph, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.item("1")["status"], 503);
    assert_error(&answer.item("1")["body"], "ServiceUnavailable");
    assert_eq!(answer.item("2")["status"], 502);
    assert_eq!(answer.item("2")["body"], "Bad gateway");
    assert_eq!(answer.item("3")["status"], 200);
    graph.shutdown().await;
}

#[tokio::test]
async fn a_batch_without_a_valid_token_is_refused_as_a_direct_request_is() {
    const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
    const SECRET: &str = "Xy8Q~local-graph-batch-secret.1";
    let (graph, _) = LocalGraph::start().await.unwrap();
    graph.register_app(CLIENT_ID, SECRET);
    let body = json!({"requests": [create("1", "Lab"), get("2", NDES)]});

    for token in [None, Some("not-issued")] {
        let direct = {
            let mut request = http().get(format!("{}{NDES}", graph.base_url()));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            answer(request).await
        };
        assert_eq!(direct.status, 401, "{}", direct.text);
        let refused = batch_with(&graph, token, &body).await;
        assert_eq!(refused.status, 401, "{}", refused.text);
        assert_error(&refused.body, "InvalidAuthenticationToken");
        assert_eq!(
            refused.body["error"]["message"],
            direct.body["error"]["message"]
        );
        assert_eq!(
            refused.header("www-authenticate"),
            direct.header("www-authenticate")
        );
    }

    // With a token from the token endpoint, the items are served.
    let form = [
        ("grant_type", "client_credentials".to_owned()),
        ("client_id", CLIENT_ID.to_owned()),
        ("client_secret", SECRET.to_owned()),
        ("scope", graph.default_scope()),
    ];
    let issued = answer(
        http()
            .post(graph.token_endpoint("contoso.onmicrosoft.com"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap()),
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let token = issued.body["access_token"].as_str().unwrap();
    let served = batch_with(&graph, Some(token), &body).await;
    assert_eq!(served.status, 200, "{}", served.text);
    assert_eq!(served.item("1")["status"], 201);
    let listed = served.item("2");
    assert_eq!(listed["status"], 200);
    assert_eq!(listed["body"]["value"].as_array().unwrap().len(), 1);
    // Nothing was created by the refused batches.
    assert_eq!(listed["body"]["value"][0]["displayName"], "Lab");
    graph.shutdown().await;
}
