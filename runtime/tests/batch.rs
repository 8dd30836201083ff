//! JSON batching through the runtime's public API, against a `$batch` endpoint on 127.0.0.1
//! that records what it receives and answers as a script says: the request's shape (ids,
//! relative URLs, headers, JSON bodies, `dependsOn`), answers matched by id in any order,
//! typed decoding and errors per item, and items throttled inside the batch sent again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use clientsmith_runtime::{
    Batch, ClientBuilder, Error, Method, Request, Response, RetryPolicy, Transport,
};
use serde_json::{Value, json};

/// The batches received, and the answers to give, one per batch.
#[derive(Default)]
struct Script {
    received: Vec<Value>,
    answers: Vec<Value>,
}

async fn serve(answers: Vec<Value>) -> (Arc<Mutex<Script>>, Transport) {
    let script = Arc::new(Mutex::new(Script {
        received: Vec::new(),
        answers,
    }));
    let shared = Arc::clone(&script);
    let app = Router::new().route(
        "/v1.0/$batch",
        post(move |body: axum::Json<Value>| {
            let shared = Arc::clone(&shared);
            async move {
                let mut script = shared.lock().unwrap();
                script.received.push(body.0);
                let answer = script.answers.remove(0);
                axum::Json(answer)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let transport = ClientBuilder::new("https://service.invalid/v1.0")
        .base_url(format!("http://{address}/v1.0"))
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
        .build()
        .unwrap();
    (script, transport)
}

fn get(transport: &Transport, path: &str) -> clientsmith_runtime::Call<Value> {
    let mut request = Request::new(Method::GET, "getThing", path.to_owned());
    request.query_mut().push("$select", &"id");
    transport.call(request, Response::json)
}

fn create(transport: &Transport, name: &str) -> clientsmith_runtime::Call<Value> {
    let mut request = Request::new(Method::POST, "createThing", String::from("/things"));
    request.json(&json!({ "name": name })).unwrap();
    transport.call(request, Response::json)
}

#[tokio::test]
async fn items_carry_their_request_and_decode_their_own_answers() {
    let (script, transport) = serve(vec![json!({"responses": [
        // Answered out of order, as the service may.
        {"id": "2", "status": 404, "headers": {"Content-Type": "application/json"},
         "body": {"error": {"code": "ResourceNotFound", "message": "no such thing"}}},
        {"id": "1", "status": 201, "headers": {"Content-Type": "application/json"},
         "body": {"id": "t1", "name": "first"}},
    ]})])
    .await;
    let mut batch = transport.batch();
    let created = batch.add(create(&transport, "first")).unwrap();
    let missing = batch
        .add_after(get(&transport, "/things/t9"), &created)
        .unwrap();
    let mut results = batch.send().await.unwrap();
    assert_eq!(results.statuses(), [Some(201), Some(404)]);
    assert_eq!(results.take(created).unwrap()["name"], "first");
    match results.take(missing) {
        Err(Error::Api(error)) => {
            assert_eq!(error.status, 404);
            assert_eq!(error.code.as_deref(), Some("ResourceNotFound"));
            assert_eq!(error.operation, "getThing");
        }
        other => panic!("{other:?}"),
    }
    assert!(results.take(created).is_err(), "a result is taken once");

    let received = script.lock().unwrap().received.clone();
    assert_eq!(
        received,
        [json!({"requests": [
            {"id": "1", "method": "POST", "url": "/things",
             "headers": {"Accept": "application/json", "Content-Type": "application/json"},
             "body": {"name": "first"}},
            {"id": "2", "method": "GET", "url": "/things/t9?$select=id",
             "headers": {"Accept": "application/json"}, "dependsOn": ["1"]},
        ]})]
    );
}

#[tokio::test]
async fn items_throttled_inside_the_batch_are_sent_again_after_their_wait() {
    let (script, transport) = serve(vec![
        json!({"responses": [
            {"id": "1", "status": 200, "body": {"id": "a"}},
            {"id": "2", "status": 429, "headers": {"Retry-After": "1"},
             "body": {"error": {"code": "TooManyRequests"}}},
            {"id": "3", "status": 424, "body": {"error": {"code": "FailedDependency"}}},
        ]}),
        json!({"responses": [
            {"id": "2", "status": 200, "body": {"id": "b"}},
            {"id": "3", "status": 200, "body": {"id": "c"}},
        ]}),
    ])
    .await;
    let mut batch = transport.batch();
    let a = batch.add(get(&transport, "/things/a")).unwrap();
    let b = batch.add(get(&transport, "/things/b")).unwrap();
    let c = batch.add_after(get(&transport, "/things/c"), &b).unwrap();
    let started = Instant::now();
    let mut results = batch.send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    for (item, id) in [(a, "a"), (b, "b"), (c, "c")] {
        assert_eq!(results.take(item).unwrap()["id"], id);
    }
    let received = script.lock().unwrap().received.clone();
    assert_eq!(received.len(), 2);
    // The second batch holds only the throttled item and its dependent, still in order.
    let ids: Vec<&str> = received[1]["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2", "3"]);
    assert_eq!(received[1]["requests"][1]["dependsOn"], json!(["2"]));
}

#[tokio::test]
async fn a_batch_holds_twenty_requests() {
    let (_, transport) = serve(Vec::new()).await;
    let mut batch: Batch = transport.batch();
    for i in 0..Batch::MAX_REQUESTS {
        batch.add(get(&transport, &format!("/things/{i}"))).unwrap();
    }
    let error = batch.add(get(&transport, "/things/21")).unwrap_err();
    assert!(error.to_string().contains("at most 20"), "{error}");
}
