//! JSON batching, as OData services such as Microsoft Graph offer it: up to 20 operations sent
//! as one `POST /$batch`, each answered with its own status, headers and body.

use base64::Engine as _;

use super::*;
use crate::Call;
use crate::call::Decode;

/// Operations sent together as one JSON batch request (`POST {base URL}/$batch`).
///
/// Each operation joins as the [`Call`] its generated method returns, unsent, and keeps its
/// typed decoding: [`BatchResults::take`] gives what awaiting the call would have given. An
/// operation may wait for others ([`add_after`](Self::add_after): Graph's `dependsOn`); one
/// whose dependency failed is answered `424 Failed Dependency`. Operations the service
/// throttles inside the batch (`429` with `Retry-After`) are sent again, in a new batch, after
/// the longest of their waits, as the client's [`RetryPolicy`] allows.
///
/// ```no_run
/// # async fn run(transport: clientsmith_runtime::Transport,
/// #     first: clientsmith_runtime::Call<()>, second: clientsmith_runtime::Call<String>)
/// #     -> Result<(), clientsmith_runtime::Error> {
/// let mut batch = transport.batch();
/// let created = batch.add(first)?;
/// let listed = batch.add_after(second, &created)?;
/// let mut results = batch.send().await?;
/// results.take(created)?;
/// let text: String = results.take(listed)?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a batch sends nothing until `send` is awaited"]
pub struct Batch {
    transport: Transport,
    entries: Vec<Entry>,
}

/// One operation of a batch.
struct Entry {
    request: Request,
    /// The indexes of the entries it waits for.
    depends_on: Vec<usize>,
}

/// An operation in a [`Batch`]: what [`BatchResults::take`] decodes its answer with.
pub struct BatchItem<T> {
    index: usize,
    decode: Decode<T>,
}

impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for BatchItem<T> {}

impl<T> fmt::Debug for BatchItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchItem({})", self.index + 1)
    }
}

impl Transport {
    /// An empty [`Batch`] sent through this transport.
    pub fn batch(&self) -> Batch {
        Batch {
            transport: self.clone(),
            entries: Vec::new(),
        }
    }
}

impl Batch {
    /// The most operations one batch holds, as Microsoft Graph allows.
    pub const MAX_REQUESTS: usize = 20;

    /// Adds the operation of `call`. Fails when the batch is full, when the call could not
    /// build its request (the call's own error), or when it was already polled.
    pub fn add<T>(&mut self, call: Call<T>) -> Result<BatchItem<T>, Error> {
        self.push(call, Vec::new())
    }

    /// Adds the operation of `call`, to be run after the operation `after` (and only when it
    /// succeeded: otherwise it is answered `424 Failed Dependency`).
    pub fn add_after<T, U>(
        &mut self,
        call: Call<T>,
        after: &BatchItem<U>,
    ) -> Result<BatchItem<T>, Error> {
        self.push(call, vec![after.index])
    }

    /// How many operations the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn push<T>(&mut self, call: Call<T>, depends_on: Vec<usize>) -> Result<BatchItem<T>, Error> {
        let (request, decode) = call.into_parts()?;
        let refuse = |message: String| Error::InvalidRequest {
            operation: request.operation,
            message,
        };
        if self.entries.len() >= Self::MAX_REQUESTS {
            return Err(refuse(format!(
                "a batch holds at most {} requests",
                Self::MAX_REQUESTS
            )));
        }
        if request.absolute {
            return Err(refuse(String::from(
                "a request to an absolute URL cannot join a batch",
            )));
        }
        let index = self.entries.len();
        self.entries.push(Entry {
            request,
            depends_on,
        });
        Ok(BatchItem { index, decode })
    }

    /// Sends the batch, and the operations the service throttled again, and returns each
    /// operation's answer. Fails only when the batch request itself fails; each operation's
    /// own failure is in its result.
    pub async fn send(self) -> Result<BatchResults, Error> {
        let count = self.entries.len();
        let mut results: Vec<Option<Result<Response, Error>>> = Vec::new();
        results.resize_with(count, || None);
        let policy = self.transport.retry_policy();
        let mut waited = Duration::ZERO;
        let mut pending: Vec<usize> = (0..count).collect();
        let mut round: u32 = 1;
        while !pending.is_empty() {
            let answers = self.send_round(&pending).await?;
            let last_round = round >= policy.max_attempts;
            let mut throttled = Vec::new();
            // The longest `Retry-After` of the throttled items; the policy's base delay for
            // an item throttled without one.
            let mut delay: Option<Duration> = None;
            for index in pending {
                let entry = &self.entries[index];
                let operation = entry.request.operation;
                let Some(answer) = answers.get(&index) else {
                    results[index] = Some(Err(Error::InvalidRequest {
                        operation,
                        message: String::from("the batch answer has no response for it"),
                    }));
                    continue;
                };
                let retry = !last_round
                    && (answer.status == 429
                        || answer.status == 424
                            && entry.depends_on.iter().any(|d| throttled.contains(d)));
                if retry {
                    if answer.status == 429 {
                        let wait = crate::error::retry_after(&answer.headers, SystemTime::now())
                            .unwrap_or(policy.base_delay);
                        delay = Some(delay.map_or(wait, |longest| longest.max(wait)));
                    }
                    throttled.push(index);
                    continue;
                }
                results[index] = Some(answer.clone().into_result(operation, round));
            }
            if throttled.is_empty() {
                break;
            }
            let delay = delay.unwrap_or(policy.base_delay);
            if waited.saturating_add(delay) > policy.max_total_delay {
                for &index in &throttled {
                    let answer = &answers[&index];
                    let operation = self.entries[index].request.operation;
                    results[index] = Some(answer.clone().into_result(operation, round));
                }
                break;
            }
            tracing::info!(
                round,
                throttled = throttled.len(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "batch items throttled; sending them again"
            );
            tokio::time::sleep(delay).await;
            waited = waited.saturating_add(delay);
            round += 1;
            pending = throttled;
        }
        Ok(BatchResults { results })
    }

    /// Sends the entries `pending` as one batch request; their answers by entry index.
    async fn send_round(
        &self,
        pending: &[usize],
    ) -> Result<std::collections::HashMap<usize, Answer>, Error> {
        let mut requests = Vec::with_capacity(pending.len());
        for &index in pending {
            let entry = &self.entries[index];
            requests.push(item_json(index, entry, pending)?);
        }
        let mut request = Request::new(Method::POST, "batch", String::from("/$batch"));
        request.json(&serde_json::json!({ "requests": requests }))?;
        let response = self.transport.send(request).await?;
        let answer: BatchAnswer = response.json()?;
        let mut answers = std::collections::HashMap::new();
        for item in answer.responses {
            let Some(index) = item
                .id
                .parse::<usize>()
                .ok()
                .and_then(|id| id.checked_sub(1))
                .filter(|index| pending.contains(index))
            else {
                continue;
            };
            answers.insert(index, Answer::of(item));
        }
        Ok(answers)
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field(
                "operations",
                &self
                    .entries
                    .iter()
                    .map(|entry| entry.request.operation)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The JSON of one batch item: `id` (the entry's position, from 1), method, URL relative to
/// the base URL, headers, body and the dependencies still to run.
fn item_json(index: usize, entry: &Entry, pending: &[usize]) -> Result<serde_json::Value, Error> {
    let request = &entry.request;
    let mut url = request.path.clone();
    if !request.query.is_empty() {
        url.push('?');
        url.push_str(request.query.as_str());
    }
    let mut headers = serde_json::Map::new();
    headers.insert("Accept".into(), request.accept.into());
    for (name, value) in &request.headers {
        headers.insert((*name).into(), value.clone().into());
    }
    let mut item = serde_json::json!({
        "id": (index + 1).to_string(),
        "method": request.method.as_str(),
        "url": url,
    });
    if let Some(body) = &request.body {
        headers.insert("Content-Type".into(), body.content_type.into());
        // JSON bodies travel as JSON; any other body as base64, as Graph reads it.
        let value = if body.content_type.contains("json") {
            serde_json::from_slice(&body.bytes).map_err(|source| Error::Encode {
                operation: request.operation,
                source,
            })?
        } else {
            base64::engine::general_purpose::STANDARD
                .encode(&body.bytes)
                .into()
        };
        item["body"] = value;
    }
    item["headers"] = headers.into();
    let depends_on: Vec<String> = entry
        .depends_on
        .iter()
        .filter(|d| pending.contains(d))
        .map(|d| (d + 1).to_string())
        .collect();
    if !depends_on.is_empty() {
        item["dependsOn"] = depends_on.into();
    }
    Ok(item)
}

/// The batch answer.
#[derive(serde::Deserialize)]
struct BatchAnswer {
    responses: Vec<ItemAnswer>,
}

/// One item of the batch answer.
#[derive(serde::Deserialize)]
struct ItemAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    body: Option<serde_json::Value>,
}

/// One operation's answer, as a response would have carried it.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn of(item: ItemAnswer) -> Self {
        let mut headers = HeaderMap::new();
        for (name, value) in &item.headers {
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&text),
            ) {
                headers.append(name, value);
            }
        }
        let body = match item.body {
            None | Some(serde_json::Value::Null) => Vec::new(),
            // A text body that is not JSON (its media type says so) is its text.
            Some(serde_json::Value::String(text))
                if !headers
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("json")) =>
            {
                text.into_bytes()
            }
            Some(value) => serde_json::to_vec(&value).unwrap_or_default(),
        };
        Answer {
            status: item.status,
            headers,
            body,
        }
    }

    /// What the operation's own request would have given: a [`Response`] for a `2xx`, the
    /// service's error otherwise.
    fn into_result(self, operation: &'static str, attempts: u32) -> Result<Response, Error> {
        if (200..300).contains(&self.status) {
            Ok(Response {
                operation,
                status: self.status,
                headers: self.headers,
                body: self.body,
                attempts,
            })
        } else {
            let mut error = ApiError::new(operation, self.status, self.headers, self.body);
            error.attempts = attempts;
            Err(Error::from(error))
        }
    }
}

/// The answers of a sent [`Batch`], in the order the operations were added.
#[derive(Debug)]
pub struct BatchResults {
    results: Vec<Option<Result<Response, Error>>>,
}

impl BatchResults {
    /// The operation's result, decoded as its method decodes it: what awaiting its [`Call`]
    /// would have given. A second `take` of the same item is an error.
    pub fn take<T>(&mut self, item: BatchItem<T>) -> Result<T, Error> {
        match self.results.get_mut(item.index).and_then(Option::take) {
            Some(result) => result.and_then(item.decode),
            None => Err(Error::InvalidRequest {
                operation: "batch",
                message: format!("the result of item {} was already taken", item.index + 1),
            }),
        }
    }

    /// The HTTP status each operation was answered with, in the order they were added
    /// (`None` for a result already taken, or for an operation the answer left out).
    pub fn statuses(&self) -> Vec<Option<u16>> {
        self.results
            .iter()
            .map(|result| match result {
                Some(Ok(response)) => Some(response.status),
                Some(Err(error)) => error.status(),
                None => None,
            })
            .collect()
    }
}
