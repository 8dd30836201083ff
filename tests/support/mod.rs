//! Helpers shared by the client crate's integration tests.

#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use graph_connectors::Error;
use graph_connectors::runtime::reqwest;
use serde_json::Value;

/// How long one step of a test may take before it counts as hung.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// `future`'s output, or a failure when it takes longer than [`TIME_LIMIT`].
pub async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(TIME_LIMIT, future)
        .await
        .expect("the call did not finish in time")
}

/// The RFC 3339 date-time `text`.
pub fn time(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).expect("an RFC 3339 date-time")
}

/// Every text form of an error: Display, Debug and the Display and Debug of each source.
pub fn all_error_text(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// A plain HTTP client, for requests in shapes the generated client never sends.
pub fn http() -> reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| reqwest::Client::builder().no_proxy().build().unwrap())
        .clone()
}

/// A status, the headers and the JSON body of an answer.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts that the answer says its body is JSON.
    pub fn assert_json(&self) {
        assert!(
            self.header("content-type")
                .is_some_and(|value| value.starts_with("application/json")),
            "{:?}",
            self.headers
        );
    }

    /// The answer to the batch item with this id.
    pub fn item(&self, id: &str) -> &Value {
        let responses = self.body["responses"].as_array().expect("no responses");
        let found: Vec<&Value> = responses
            .iter()
            .filter(|response| response["id"] == id)
            .collect();
        assert_eq!(found.len(), 1, "answers to {id}: {}", self.text);
        found[0]
    }
}

/// The member names of the JSON object `value`, sorted.
pub fn member_names(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = value
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

/// Sends `request` and reads the whole answer.
pub async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = within(request.send()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = within(response.text()).await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        body,
    }
}
