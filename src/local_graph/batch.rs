//! JSON batching: `POST /$batch`, whose requests are served one by one by the same router,
//! faults and sign-in check as requests sent on their own.

use super::*;

use axum::http::{HeaderName, Uri};
use base64::Engine as _;
use tower::ServiceExt as _;

/// The most requests one JSON batch may hold, as in Microsoft Graph; a batch with more is
/// refused whole with `400`.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// The batching endpoint's route, relative to the base URL like the collections.
const BATCH_ROUTE: &str = "/$batch";

/// Marks a request as the batch item with this `id`, for the request log.
#[derive(Debug, Clone)]
pub(super) struct BatchItem(pub(super) String);

/// What the batching endpoint serves with: the request log and sign-in, and the router of
/// Graph's operations (with [`front`] around it) that serves each item.
#[derive(Clone)]
struct Batching {
    shared: Arc<Shared>,
    graph: axum::Router,
}

/// The batching endpoint as a router, to be merged beside Graph's: `POST /$batch`, its
/// items served by `graph`.
pub(super) fn batch_router(shared: Arc<Shared>, graph: axum::Router) -> axum::Router {
    axum::Router::new()
        .route(BATCH_ROUTE, axum::routing::any(batch))
        .with_state(Batching { shared, graph })
}

/// One request of a batch, checked.
#[derive(Debug)]
struct Item {
    id: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    /// The positions of the items it depends on.
    depends_on: Vec<usize>,
}

/// One answer of a batch, as it is written in `responses`.
#[derive(Debug, Serialize)]
struct Answer {
    id: String,
    status: u16,
    headers: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
}

async fn batch(State(batching): State<Batching>, request: Request) -> Response {
    let connection = connection_of(&request);
    let context = request_context(&batching.shared, &request, connection.as_ref());
    let mut record = received(&request, &context);
    let response = match serve(&batching, request, &context, connection.as_ref()).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(&context),
    };
    let response = graph_headers(response, &context);
    // An item served with `Fault::DropConnection` cut the connection: the whole answer is lost.
    let dropped = connection
        .as_ref()
        .is_some_and(|connection| connection.cut.load(Ordering::SeqCst));
    record.status = (!dropped).then(|| response.status().as_u16());
    remember(&batching.shared, record);
    response
}

/// Checks the batch as a whole, then serves its items in order.
async fn serve(
    batching: &Batching,
    request: Request,
    context: &RequestContext,
    connection: Option<&Connection>,
) -> Result<Response, Failure> {
    check_head(&request)?;
    if let Some(response) = token_refusal(&batching.shared, request.headers(), context) {
        return Ok(response);
    }
    if request.method() != Method::POST {
        return Err(Failure::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!(
                "The batching endpoint answers POST only, not {}.",
                request.method()
            ),
        ));
    }
    check_uri(&request)?;
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| media_type(value) == "application/json");
    if !is_json {
        return Err(Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "A JSON batch must be sent with `Content-Type: application/json`.",
        ));
    }
    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("The batch is larger than the {BODY_LIMIT} bytes the local Graph reads."),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    let outer = request.headers().clone();
    let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|error| {
            if error.to_string().contains("length limit exceeded") {
                too_large()
            } else {
                Failure::bad_request(
                    "body",
                    format!("the request body could not be read: {error}"),
                )
            }
        })?;
    let document = match serde_json::from_slice::<Value>(&bytes) {
        Ok(document) => document,
        Err(error) if error.to_string().starts_with("recursion limit exceeded") => {
            return Err(Failure::bad_request(
                "body",
                "The request body is nested too deeply: JSON values may be nested at most 128 \
                 levels deep.",
            ));
        }
        Err(error) => {
            return Err(Failure::bad_request(
                "body",
                format!("Invalid batch payload: the body is not JSON ({error})."),
            ));
        }
    };
    let items = items(&document, &outer)?;
    let order = execution_order(&items)?;
    let mut answers: Vec<Option<Answer>> = items.iter().map(|_| None).collect();
    for index in order {
        let item = &items[index];
        let failed = item.depends_on.iter().find_map(|&dependency| {
            let status = answers[dependency]
                .as_ref()
                .map_or(0, |answer| answer.status);
            (!(200..300).contains(&status)).then(|| (&items[dependency].id, status))
        });
        let response = match failed {
            Some((dependency, status)) => {
                let context = RequestContext {
                    request_id: uuid::Uuid::new_v4().to_string(),
                    client_request_id: header_text(&item.headers, "client-request-id"),
                    ..context.clone()
                };
                let response = Failure::new(
                    StatusCode::FAILED_DEPENDENCY,
                    "FailedDependency",
                    format!(
                        "The request was not run: it depends on request '{dependency}', which \
                         failed with status {status}."
                    ),
                )
                .into_response(&context);
                graph_headers(response, &context)
            }
            None => run(batching, item, connection).await,
        };
        answers[index] = Some(answer(&item.id, response).await);
    }
    let responses: Vec<Answer> = answers.into_iter().flatten().collect();
    Ok(json_response(
        StatusCode::OK,
        &serde_json::json!({ "responses": responses }),
    ))
}

/// Serves one item with the router of Graph's operations, as if it came on its own over the
/// batch's connection.
async fn run(batching: &Batching, item: &Item, connection: Option<&Connection>) -> Response {
    let mut request = Request::new(Body::from(item.body.clone().unwrap_or_default()));
    *request.method_mut() = item.method.clone();
    *request.uri_mut() = item.uri.clone();
    *request.headers_mut() = item.headers.clone();
    if let Some(connection) = connection {
        request
            .extensions_mut()
            .insert(ConnectInfo(connection.clone()));
    }
    request.extensions_mut().insert(BatchItem(item.id.clone()));
    match batching.graph.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The answer of one item: its status, its headers (but those of the HTTP framing) and its
/// body, as JSON when it is JSON, as text when it is other text, in base64 otherwise, and left
/// out when empty.
async fn answer(id: &str, response: Response) -> Answer {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    let mut headers = Map::new();
    for name in parts.headers.keys() {
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(name)
        {
            continue;
        }
        let values: Vec<&str> = parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        if !values.is_empty() {
            headers.insert(header_spelling(name), Value::String(values.join(", ")));
        }
    }
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| media_type(value).ends_with("json"));
    let body = if bytes.is_empty() {
        None
    } else if let Some(json) = is_json
        .then(|| serde_json::from_slice::<Value>(&bytes).ok())
        .flatten()
    {
        Some(json)
    } else {
        Some(Value::String(match std::str::from_utf8(&bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => base64::engine::general_purpose::STANDARD.encode(&bytes),
        }))
    };
    Answer {
        id: id.to_owned(),
        status: parts.status.as_u16(),
        headers,
        body,
    }
}

/// A response header's name as Graph spells it in a batch answer: the common HTTP headers
/// capitalised, Graph's own (`request-id`, `client-request-id`) in lower case, as on a response
/// of their own. Header names are case-insensitive all the same.
fn header_spelling(name: &HeaderName) -> String {
    match name.as_str() {
        "content-type" => "Content-Type",
        "retry-after" => "Retry-After",
        "www-authenticate" => "WWW-Authenticate",
        "location" => "Location",
        "cache-control" => "Cache-Control",
        "odata-version" => "OData-Version",
        other => other,
    }
    .to_owned()
}

/// The media type of a `Content-Type` value, in lower case and without parameters.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Checks the batch document and reads its items: every refusal is a `400` of the whole
/// batch naming the item at fault.
fn items(document: &Value, outer: &HeaderMap) -> Result<Vec<Item>, Failure> {
    let Some(requests) = document.get("requests") else {
        return Err(Failure::bad_request(
            "requests",
            "Invalid batch payload: the body must be a JSON object with a `requests` array.",
        ));
    };
    let Some(requests) = requests.as_array() else {
        return Err(Failure::bad_request(
            "requests",
            "Invalid batch payload: `requests` must be an array.",
        ));
    };
    if requests.len() > MAX_BATCH_REQUESTS {
        return Err(Failure::bad_request(
            "requests",
            format!(
                "The batch holds {} requests; a batch may hold at most {MAX_BATCH_REQUESTS}.",
                requests.len()
            ),
        ));
    }
    // Ids first, so that `dependsOn` may name a later request.
    let mut ids: Vec<String> = Vec::with_capacity(requests.len());
    for (position, request) in requests.iter().enumerate() {
        let id = request
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| missing(position, "id"))?;
        if ids.iter().any(|earlier| earlier.eq_ignore_ascii_case(id)) {
            return Err(Failure::bad_request(
                format!("requests[{position}].id"),
                format!(
                    "Invalid batch payload: more than one request has the id '{id}'; ids must be \
                     unique in a batch (compared without regard to case)."
                ),
            ));
        }
        ids.push(id.to_owned());
    }
    requests
        .iter()
        .enumerate()
        .map(|(position, request)| item(position, request, &ids, outer))
        .collect()
}

fn missing(position: usize, property: &str) -> Failure {
    Failure::bad_request(
        format!("requests[{position}].{property}"),
        format!(
            "Invalid batch payload: request {position} has no `{property}`; every request needs \
             a non-empty string `id`, `method` and `url`."
        ),
    )
}

fn item(
    position: usize,
    request: &Value,
    ids: &[String],
    outer: &HeaderMap,
) -> Result<Item, Failure> {
    let id = ids[position].clone();
    let at = |property: &str| format!("requests[{position}].{property}");
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .filter(|method| !method.is_empty())
        .ok_or_else(|| missing(position, "method"))?;
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|_| {
        Failure::bad_request(
            at("method"),
            format!("Invalid batch payload: request '{id}' has the invalid method '{method}'."),
        )
    })?;
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .filter(|url| !url.is_empty())
        .ok_or_else(|| missing(position, "url"))?;
    let uri = relative_uri(url).map_err(|message| {
        Failure::bad_request(
            at("url"),
            format!("Invalid batch payload: request '{id}' {message}"),
        )
    })?;

    let mut headers = HeaderMap::new();
    match request.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => {
            for (name, value) in given {
                let Some(value) = value.as_str() else {
                    return Err(Failure::bad_request(
                        at("headers"),
                        format!(
                            "Invalid batch payload: the header '{name}' of request '{id}' must \
                             be a string."
                        ),
                    ));
                };
                let (Ok(name), Ok(value)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::from_str(value),
                ) else {
                    return Err(Failure::bad_request(
                        at("headers"),
                        format!(
                            "Invalid batch payload: request '{id}' has an invalid header '{name}'."
                        ),
                    ));
                };
                // The batch's own `Authorization` signs every item in; the framing is the
                // local Graph's to set.
                if [
                    header::AUTHORIZATION,
                    header::CONTENT_LENGTH,
                    header::TRANSFER_ENCODING,
                    header::CONNECTION,
                    header::HOST,
                ]
                .contains(&name)
                {
                    continue;
                }
                headers.append(name, value);
            }
        }
        Some(_) => {
            return Err(Failure::bad_request(
                at("headers"),
                format!(
                    "Invalid batch payload: the `headers` of request '{id}' must be an object."
                ),
            ));
        }
    }
    if let Some(authorization) = outer.get(header::AUTHORIZATION) {
        headers.insert(header::AUTHORIZATION, authorization.clone());
    }
    if !headers.contains_key("client-request-id")
        && let Some(client_request_id) = outer.get("client-request-id")
    {
        headers.insert("client-request-id", client_request_id.clone());
    }

    let body = match request.get("body") {
        None | Some(Value::Null) => None,
        Some(body) => {
            let Some(content_type) = headers
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
            else {
                return Err(Failure::bad_request(
                    at("headers"),
                    format!(
                        "Invalid batch payload: request '{id}' has a body but no `Content-Type` \
                         header; a request with a body must say its type in `headers`."
                    ),
                ));
            };
            Some(item_body(body, content_type).ok_or_else(|| {
                Failure::bad_request(
                    at("body"),
                    format!(
                        "Invalid batch payload: the body of request '{id}' is neither JSON for \
                         a JSON `Content-Type` nor base64 text."
                    ),
                )
            })?)
        }
    };

    let depends_on = match request.get("dependsOn") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(named)) => {
            let mut depends_on = Vec::with_capacity(named.len());
            for name in named {
                let Some(name) = name.as_str() else {
                    return Err(Failure::bad_request(
                        at("dependsOn"),
                        format!(
                            "Invalid batch payload: `dependsOn` of request '{id}' must be an \
                             array of request ids."
                        ),
                    ));
                };
                let Some(dependency) = ids.iter().position(|id| id.eq_ignore_ascii_case(name))
                else {
                    return Err(Failure::bad_request(
                        at("dependsOn"),
                        format!(
                            "Invalid batch payload: request '{id}' depends on '{name}', which is \
                             not the id of a request in the batch."
                        ),
                    ));
                };
                if dependency == position {
                    return Err(Failure::bad_request(
                        at("dependsOn"),
                        format!("Invalid batch payload: request '{id}' depends on itself."),
                    ));
                }
                if !depends_on.contains(&dependency) {
                    depends_on.push(dependency);
                }
            }
            depends_on
        }
        Some(_) => {
            return Err(Failure::bad_request(
                at("dependsOn"),
                format!(
                    "Invalid batch payload: `dependsOn` of request '{id}' must be an array of \
                     request ids."
                ),
            ));
        }
    };

    Ok(Item {
        id,
        method,
        uri,
        headers,
        body,
        depends_on,
    })
}

/// The bytes of an item's body: JSON for a JSON `Content-Type`, otherwise a base64 string
/// (standard or URL-safe alphabet, padded or not), or JSON when it is not a string.
fn item_body(body: &Value, content_type: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    match body {
        Value::String(text) if !media_type(content_type).ends_with("json") => {
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|engine| engine.decode(text).ok())
        }
        _ => serde_json::to_vec(body).ok(),
    }
}

/// Characters an item's `url` may hold that a request target may not: they are
/// percent-encoded (Graph takes `$filter=city eq null` in a batch as written).
const NOT_IN_TARGET: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// An item's `url` as the request target it names: relative to the base URL, with or without
/// its leading `/`; an absolute URL and a nested batch are refused (the `Err` completes a
/// sentence about the item).
fn relative_uri(url: &str) -> Result<Uri, String> {
    let scheme_end = url.find(':');
    let first_delimiter = url.find(['/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|end| {
        first_delimiter.is_none_or(|delimiter| end < delimiter)
            && url[..end]
                .chars()
                .next()
                .is_some_and(|first| first.is_ascii_alphabetic())
            && url[..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if has_scheme || url.starts_with("//") {
        return Err(format!(
            "has the absolute URL '{}'; a batch's URLs are relative to the version root, such \
             as `/deviceManagement/ndesConnectors`.",
            url.chars().take(200).collect::<String>()
        ));
    }
    let target = if url.starts_with('/') {
        url.to_owned()
    } else {
        format!("/{url}")
    };
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if path.trim_end_matches('/').eq_ignore_ascii_case(BATCH_ROUTE) {
        return Err("is a batch: batches cannot be nested.".to_owned());
    }
    let encoded = utf8_percent_encode(&target, NOT_IN_TARGET).to_string();
    Uri::try_from(encoded).map_err(|error| format!("has a URL that is not valid: {error}."))
}

/// The order the items run in: each after the items it depends on, otherwise in the order of
/// the batch; a cycle of dependencies refuses the batch.
fn execution_order(items: &[Item]) -> Result<Vec<usize>, Failure> {
    let mut order = Vec::with_capacity(items.len());
    let mut done = vec![false; items.len()];
    while order.len() < items.len() {
        let next = (0..items.len()).find(|&index| {
            !done[index]
                && items[index]
                    .depends_on
                    .iter()
                    .all(|&dependency| done[dependency])
        });
        let Some(next) = next else {
            let waiting: Vec<&str> = (0..items.len())
                .filter(|&index| !done[index])
                .map(|index| items[index].id.as_str())
                .collect();
            return Err(Failure::bad_request(
                "dependsOn",
                format!(
                    "Invalid batch payload: the dependencies of requests '{}' form a cycle.",
                    waiting.join("', '")
                ),
            ));
        };
        done[next] = true;
        order.push(next);
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_relative_to_the_version_root() {
        assert_eq!(
            relative_uri("deviceManagement/ndesConnectors?$top=2").unwrap(),
            "/deviceManagement/ndesConnectors?$top=2"
        );
        assert_eq!(
            relative_uri("/connectors?$filter=machineName eq 'a b'").unwrap(),
            "/connectors?$filter=machineName%20eq%20'a%20b'"
        );
        for absolute in [
            "https://graph.microsoft.com/beta/connectors",
            "http://127.0.0.1:1/connectors",
            "//graph.microsoft.com/beta/connectors",
        ] {
            assert!(
                relative_uri(absolute).unwrap_err().contains("absolute"),
                "{absolute}"
            );
        }
        for nested in ["/$batch", "$batch", "/$BATCH/", "/$batch?x=1"] {
            assert!(
                relative_uri(nested).unwrap_err().contains("nested"),
                "{nested}"
            );
        }
        // A colon after the first `/` is no scheme.
        assert!(relative_uri("/connectors/a:b").is_ok());
    }

    #[test]
    fn bodies_are_json_or_base64() {
        let json = serde_json::json!({"displayName": "Lab"});
        assert_eq!(
            item_body(&json, "application/json").unwrap(),
            br#"{"displayName":"Lab"}"#
        );
        assert_eq!(
            item_body(&Value::String("aGVsbG8".into()), "image/png").unwrap(),
            b"hello"
        );
        assert!(item_body(&Value::String("not base64!".into()), "text/plain").is_none());
    }

    #[test]
    fn dependencies_order_the_items_and_cycles_are_refused() {
        let document = serde_json::json!({"requests": [
            {"id": "a", "method": "GET", "url": "/connectors", "dependsOn": ["C"]},
            {"id": "b", "method": "GET", "url": "/connectors"},
            {"id": "c", "method": "GET", "url": "/connectors", "dependsOn": ["b"]},
        ]});
        let items = items(&document, &HeaderMap::new()).unwrap();
        assert_eq!(execution_order(&items).unwrap(), [1, 2, 0]);

        let cycle = serde_json::json!({"requests": [
            {"id": "a", "method": "GET", "url": "/connectors", "dependsOn": ["b"]},
            {"id": "b", "method": "GET", "url": "/connectors", "dependsOn": ["a"]},
        ]});
        let items = super::items(&cycle, &HeaderMap::new()).unwrap();
        assert!(
            execution_order(&items)
                .unwrap_err()
                .message
                .contains("cycle")
        );
    }
}
