//! HTTP around the operations: recording, faults, authentication (by
//! [`sign_in`](super::sign_in)), checks of the request, and Graph's headers and error bodies
//! on the response.

use super::*;

pub(super) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

pub(super) fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Seconds for `Retry-After`, rounded up.
pub(super) fn retry_after_seconds(delay: Duration) -> String {
    (delay.as_secs() + u64::from(delay.subsec_nanos() > 0)).to_string()
}

/// Every request goes through here: it is recorded, takes the next fault, is authenticated
/// and checked, served by the generated router with the request's context, and its response
/// gets Graph's headers and error body shape.
pub(super) async fn front(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let connection = connection_of(&request);
    let context = request_context(&shared, &request, connection.as_ref());
    let mut record = received(&request, &context);
    let fault = lock(&shared.faults).pop_front();
    record.fault = fault.clone();

    let mut dropped = false;
    let response = match fault {
        Some(Fault::Throttle { retry_after }) => {
            let mut response = Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests. Please retry after the time the Retry-After header gives.",
            )
            .into_response(&context);
            if let Ok(value) = HeaderValue::from_str(&retry_after_seconds(retry_after)) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            graph_headers(response, &context)
        }
        Some(Fault::Unavailable { retry_after }) => {
            let mut response = Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry later.",
            )
            .into_response(&context);
            if let Some(value) = retry_after
                .and_then(|delay| HeaderValue::from_str(&retry_after_seconds(delay)).ok())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            graph_headers(response, &context)
        }
        Some(Fault::ClaimsChallenge { claims }) => {
            graph_headers(claims_challenge(&shared, &claims, &context), &context)
        }
        Some(Fault::Reply {
            status,
            content_type,
            body,
        }) => {
            let mut response = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                body,
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            handle(&shared, request, next, context).await
        }
        Some(Fault::DropConnection) => {
            let response = handle(&shared, request, next, context).await;
            if let Some(connection) = &connection {
                connection.cut.store(true, Ordering::SeqCst);
                dropped = true;
            }
            response
        }
        Some(Fault::MalformedJson) => malform(handle(&shared, request, next, context).await).await,
        None => handle(&shared, request, next, context).await,
    };
    record.status = (!dropped).then(|| response.status().as_u16());
    remember(&shared, record);
    response
}

/// The connection a request came on, when it came on one the local Graph serves.
pub(super) fn connection_of(request: &Request) -> Option<Connection> {
    request
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .map(|info| info.0.clone())
}

/// The context a request is served with: a fresh request id, its `client-request-id`, the
/// server's base URL, its consistency level and the caller's address.
pub(super) fn request_context(
    shared: &Shared,
    request: &Request,
    connection: Option<&Connection>,
) -> RequestContext {
    let headers = request.headers();
    RequestContext {
        request_id: uuid::Uuid::new_v4().to_string(),
        client_request_id: header_text(headers, "client-request-id"),
        // Next links name the server's own base URL, never the request's `Host`, which the
        // client chooses.
        base_url: shared.base_url.get().cloned(),
        eventual: header_text(headers, "consistencylevel")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("eventual")),
        remote_ip: connection.map(|connection| connection.remote.ip()),
    }
}

/// The request log's entry for a request, before it is answered.
pub(super) fn received(request: &Request, context: &RequestContext) -> ReceivedRequest {
    let headers = request.headers();
    ReceivedRequest {
        method: request.method().to_string(),
        path: logged_path(
            request
                .uri()
                .path_and_query()
                .map_or_else(|| request.uri().path(), |target| target.as_str()),
        ),
        client_request_id: context.client_request_id.clone(),
        retry_attempt: header_text(headers, "retry-attempt"),
        consistency_level: header_text(headers, "consistencylevel"),
        has_bearer_token: bearer_token(headers).is_some(),
        batch_item: request
            .extensions()
            .get::<BatchItem>()
            .map(|item| item.0.clone()),
        fault: None,
        status: None,
    }
}

/// Adds `record` to the request log, forgetting the oldest entry when it is full.
pub(super) fn remember(shared: &Shared, record: ReceivedRequest) {
    let mut log = lock(&shared.log);
    if shared.log_capacity > 0 {
        if log.len() >= shared.log_capacity {
            log.pop_front();
        }
        log.push_back(record);
    }
}

/// Serves a request that met no fault (or a delay, a drop or a malformed body).
pub(super) async fn handle(
    shared: &Shared,
    request: Request,
    next: Next,
    context: RequestContext,
) -> Response {
    if let Err(failure) = check_head(&request) {
        return graph_headers(failure.into_response(&context), &context);
    }
    if let Some(response) = token_refusal(shared, request.headers(), &context) {
        return graph_headers(response, &context);
    }
    if let Err(failure) = check_uri(&request) {
        return graph_headers(failure.into_response(&context), &context);
    }
    let request = match check_body(request).await {
        Ok(request) => request,
        Err(failure) => return graph_headers(failure.into_response(&context), &context),
    };
    let response = CONTEXT.scope(context.clone(), next.run(request)).await;
    let response = with_odata_error(response, &context).await;
    graph_headers(response, &context)
}

/// A request target as the request log keeps it: at most [`MAX_LOGGED_PATH`] bytes.
fn logged_path(target: &str) -> String {
    if target.len() <= MAX_LOGGED_PATH {
        return target.to_owned();
    }
    // Request targets are ASCII (non-ASCII bytes arrive percent-encoded or are refused),
    // but a cut must still fall on a character boundary.
    let mut end = MAX_LOGGED_PATH;
    while !target.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &target[..end])
}

/// Refuses a request head (request line and headers, counted as HTTP/1.1 writes them) larger
/// than [`MAX_HEAD_SIZE`](super::MAX_HEAD_SIZE) with `431` and an OData error body. The HTTP
/// layer reads heads up to twice that size, so that this answer, rather than its own
/// bodiless one, is what a client that sends a few large headers gets.
pub(super) fn check_head(request: &Request) -> Result<(), Failure> {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |t| t.as_str().len());
    // `GET ` + target + ` HTTP/1.1\r\n`, then `name: value\r\n` per header, then `\r\n`.
    let line = request.method().as_str().len() + 1 + target + 11;
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
        .sum();
    let size = line + headers + 2;
    if size > MAX_HEAD_SIZE {
        return Err(Failure::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "RequestHeaderFieldsTooLarge",
            format!(
                "The request head is {size} bytes long; the local Graph reads at most \
                 {MAX_HEAD_SIZE}."
            ),
        ));
    }
    Ok(())
}

/// The longest request target (path and query) the local Graph serves; a longer one is
/// `414` with an OData error body.
pub(super) const MAX_URI_LEN: usize = 16 * 1024;

/// The OData system query options each kind of request takes; any other is refused.
const LIST_OPTIONS: &[&str] = &[
    "$top", "$skip", "$search", "$filter", "$count", "$orderby", "$select", "$expand",
];
const GET_OPTIONS: &[&str] = &["$select", "$expand"];

/// System query options OData defines that the local Graph does not implement.
const UNSUPPORTED_OPTIONS: &[&str] = &[
    "$skiptoken",
    "$deltatoken",
    "$format",
    "$apply",
    "$compute",
    "$index",
    "$levels",
    "$schemaversion",
    "$id",
];

/// Checks the request target before any operation sees it: not longer than
/// [`MAX_URI_LEN`]; every system query option one the operation takes, spelt exactly
/// (`$Filter` is refused), given once, and at most
/// [`MAX_OPTION_LEN`](query::MAX_OPTION_LEN) long; and no option name written without its
/// `$` (which Graph's beta endpoint would read as the option, and ignoring it would
/// answer a different question). Each refusal is a `400` naming the option as `target`.
pub(super) fn check_uri(request: &Request) -> Result<(), Failure> {
    let uri = request.uri();
    let length = uri
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if length > MAX_URI_LEN {
        return Err(Failure::new(
            StatusCode::URI_TOO_LONG,
            "RequestUriTooLong",
            format!(
                "The request URI is {length} bytes long; the local Graph serves at most \
                 {MAX_URI_LEN}."
            ),
        ));
    }
    let Some(query) = uri.query() else {
        return Ok(());
    };
    let path = uri.path();
    let allowed: &[&str] = if *request.method() != Method::GET {
        &[]
    } else if RESOURCES.iter().any(|resource| resource.path == path) {
        LIST_OPTIONS
    } else {
        GET_OPTIONS
    };
    let mut seen: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_encoding::percent_decode_str(key)
            .decode_utf8_lossy()
            .replace('+', " ");
        let name: String = key.chars().take(64).collect();
        let lower = key.to_ascii_lowercase();
        let system = LIST_OPTIONS
            .iter()
            .chain(UNSUPPORTED_OPTIONS)
            .find(|option| option.eq_ignore_ascii_case(&key) || option[1..] == lower);
        if !key.starts_with('$') {
            if let Some(option) = system {
                return Err(Failure::bad_request(
                    name.clone(),
                    format!("The query option '{name}' must be written '{option}'."),
                ));
            }
            // A custom query option: OData lets services ignore those.
            continue;
        }
        if seen
            .iter()
            .any(|earlier| earlier.eq_ignore_ascii_case(&key))
        {
            return Err(Failure::bad_request(
                name.clone(),
                format!(
                    "Query option '{name}' was specified more than once, but it must be specified at most once."
                ),
            ));
        }
        seen.push(key.clone());
        if !allowed.contains(&key.as_str()) {
            let message = match system {
                Some(option) if *option != key => {
                    format!(
                        "The query parameter '{name}' is not supported; did you mean '{option}'? Query option names are case-sensitive here."
                    )
                }
                Some(option) if allowed.is_empty() || !LIST_OPTIONS.contains(option) => {
                    format!(
                        "The query parameter '{name}' is not supported by the local Graph on this request."
                    )
                }
                Some(_) => {
                    format!("The query parameter '{name}' is not supported on this request.")
                }
                None => format!("The query parameter '{name}' is not supported."),
            };
            return Err(Failure::bad_request(name, message));
        }
        if value.len() > query::MAX_OPTION_LEN * 3 {
            // Checked again after decoding by the parsers; this bounds the decoding.
            return Err(
                QueryError::too_long(system.copied().unwrap_or("query"), value.len()).into(),
            );
        }
    }
    Ok(())
}

/// Graph's checks of a create or update body that the API description does not express:
/// every property must exist on the type, and an update must not set a read-only one.
/// Bodies that are not JSON objects are left to the router, which names what is wrong.
pub(super) async fn check_body(request: Request) -> Result<Request, Failure> {
    let method = request.method().clone();
    if method != Method::POST && method != Method::PATCH {
        return Ok(request);
    }
    let Some(resource) = Resource::for_body(&method, request.uri().path()) else {
        return Ok(request);
    };
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|error| {
            Failure::bad_request(
                "body",
                format!("the request body could not be read: {error}"),
            )
        })?;
    let parsed = serde_json::from_slice::<Value>(&bytes);
    if let Err(error) = &parsed
        && error.to_string().starts_with("recursion limit exceeded")
    {
        // Too deep to check here; the typed decoder would skip the unknown parts unread.
        return Err(Failure::bad_request(
            "body",
            "The request body is nested too deeply: JSON values may be nested at most 128 \
             levels deep.",
        ));
    }
    if let Ok(Value::Object(object)) = parsed {
        for key in object.keys() {
            // Instance annotations (`@odata.type`, `@odata.etag`, `status@odata.type`, ...)
            // are not properties.
            if key.contains('@') {
                continue;
            }
            match resource.property(key) {
                None => return Err(Failure::no_such_property(resource, key)),
                Some(property) if property.read_only && method == Method::PATCH => {
                    return Err(Failure::bad_request(
                        key.as_str(),
                        format!("The property '{key}' is read-only and cannot be changed."),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Gives an error response the OData error body with an `innerError`: bodies of that shape
/// get the `innerError` they lack, other bodies (axum's plain-text rejections, an empty `405`)
/// are wrapped.
pub(super) async fn with_odata_error(response: Response, context: &RequestContext) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    let error = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(mut document)) if document.get("error").is_some_and(Value::is_object) => {
            if let Some(Value::Object(error)) = document.get_mut("error")
                && !error.contains_key("innerError")
            {
                let inner = serde_json::to_value(context.inner_error()).unwrap_or(Value::Null);
                error.insert("innerError".into(), inner);
            }
            Value::Object(document)
        }
        _ => {
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            let message = if text.is_empty() {
                status.canonical_reason().unwrap_or("Error").to_owned()
            } else {
                text
            };
            let code = match status {
                StatusCode::BAD_REQUEST => "BadRequest",
                StatusCode::NOT_FOUND => "NotFound",
                StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
                StatusCode::PAYLOAD_TOO_LARGE => "RequestEntityTooLarge",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaType",
                _ if status.is_server_error() => "InternalServerError",
                _ => "BadRequest",
            };
            serde_json::to_value(Failure::new(status, code, message).body(context))
                .unwrap_or(Value::Null)
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut response = json_response(status, &error);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
}

/// Adds `request-id` and `client-request-id`, and Graph's JSON media type.
pub(super) fn graph_headers(mut response: Response, context: &RequestContext) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&context.request_id) {
        headers.insert("request-id", value);
    }
    if let Some(value) = context
        .client_request_id
        .as_deref()
        .and_then(|id| HeaderValue::from_str(id).ok())
    {
        headers.insert("client-request-id", value);
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
    }
    response
}

/// Cuts a successful JSON body short after the name of its last property.
pub(super) async fn malform(response: Response) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::empty());
    }
    let cut = last_name_end(&bytes).unwrap_or(bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(Bytes::copy_from_slice(&bytes[..cut])))
}

/// The position just after the last `:` outside a JSON string.
pub(super) fn last_name_end(json: &[u8]) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    let mut last = None;
    for (position, byte) in json.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if *byte == b'"' {
            in_string = true;
        } else if *byte == b':' {
            last = Some(position + 1);
        }
    }
    last
}
