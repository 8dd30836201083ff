//! A local Microsoft Graph for the three connector collections: an in-memory implementation
//! of [`server::Api`] that behaves the way Graph does, served on a real
//! socket, with fault injection for tests.
//!
//! ```
//! use graph_connectors::Client;
//! use graph_connectors::local_graph::LocalGraph;
//! use graph_connectors::models::NdesConnector;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (graph, base_url) = LocalGraph::start().await?;
//! let client = Client::builder().base_url(&base_url).bearer_token("any token").build()?;
//!
//! let created = client
//!     .create_ndes_connector(&NdesConnector { display_name: Some("Lab".into()), ..Default::default() })
//!     .await?;
//! assert!(created.id.is_some()); // assigned by the server
//!
//! graph.throttle_next(1, std::time::Duration::ZERO); // 429 with `Retry-After: 0`, then normal
//! let page = client.list_ndes_connectors(&Default::default()).await?; // retried by the client
//! assert_eq!(page.value.unwrap_or_default().len(), 1);
//! graph.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # What it does like Graph
//!
//! - **Create** (`POST`) assigns the `id` (a UUID), answers `201` with the stored entity
//!   (with its `@odata.type`). Read-only properties in the body (`id`, a connector's
//!   `externalIp`) are ignored, as Graph ignores them: the server sets them (`externalIp` is the
//!   caller's address as the server sees it). An `@odata.type` other than the collection's is
//!   refused with `400`.
//! - **Get** and **list** return what is stored; **update** (`PATCH`) is a JSON merge patch:
//!   a property left out ([`Patch::Absent`](crate::runtime::Patch)) keeps its value, `null`
//!   clears it, a value replaces it; it answers `204` without a body. **Delete** answers `204`.
//!   `If-Match: *` is accepted; any other `If-Match` gets `412`, since these entities carry no
//!   ETag that could match.
//! - An unknown id gets `404` with Graph's error body:
//!   `{"error":{"code":"ResourceNotFound","message":…,"innerError":{"request-id":…,
//!   "client-request-id":…,"date":…}}}`; `client-request-id` echoes the request's header
//!   (and is left out when the request had none). Every response carries `request-id` and
//!   `client-request-id` headers too.
//! - Requests that do not match the API description are refused with `400` by the generated
//!   router ([`server::router`]), naming the parameter or property at
//!   fault; on top of that, a property the entity type does not have, or a read-only one in an
//!   update, gets `400` naming it, as in Graph. Every error body, whoever produced it, has the
//!   OData shape and an `innerError`.
//! - A request without `Authorization: Bearer <token>` gets `401 InvalidAuthenticationToken`.
//!   Any token is accepted; the local Graph neither checks nor keeps it.
//! - **Paging**: a collection is served in pages of at most the page size
//!   ([`LocalGraphBuilder::page_size`], 100 by default); `$top` (1 to 999) makes pages
//!   smaller, as Graph treats `$top` as a page size. While items remain, a page carries an
//!   absolute `@odata.nextLink` to the server's own base URL (as the request's `Host` names
//!   it) with the same options and the next `$skip`. `$skip` skips items; `$count=true` adds
//!   `@odata.count` (the number of items that pass the filter).
//! - **Query options**: `$filter` with `eq`, `ne`, `gt`, `ge`, `lt`, `le` on string, enum and
//!   date-time properties (`'text'`, `null` or an unquoted RFC 3339 date-time), `startswith`,
//!   `endswith`, `contains`, `and`, `or`, `not` and parentheses; `$orderby` on any single-valued
//!   property, `asc` or `desc`, several keys; `$select` (`id` and `@odata.type` are always
//!   returned); `$search="term"` or `$search="property:term"` (a case-insensitive substring
//!   match; like Graph it requires `ConsistencyLevel: eventual`). `$expand` names no
//!   navigation property of these types, so it is refused. Whatever is not understood is
//!   answered with `400` (the option as `target`), never ignored.
//!
//! # Faults
//!
//! A [`LocalGraphHandle`] queues [`Fault`]s: each incoming request takes the next one (first in,
//! first out) and is served with it; requests that find the queue empty are served normally.
//! Throttling (`429` with `Retry-After`), unavailability (`503`), a delay, a dropped connection
//! (the request is carried out and the response is lost, like a connection that breaks after
//! the service acted), a malformed JSON body, or any canned reply. Every request is recorded
//! ([`LocalGraphHandle::requests`]), so a test can count attempts.

mod query;

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::IntoFuture;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use self::query::{Kind, Property, QueryError};
use crate::client::{
    DeleteConnectorOptions, DeleteDomainJoinConnectorOptions, DeleteNdesConnectorOptions,
    GetConnectorOptions, GetDomainJoinConnectorOptions, GetNdesConnectorOptions,
    ListConnectorsOptions, ListDomainJoinConnectorsOptions, ListNdesConnectorsOptions,
};
use crate::models::{
    Connector, ConnectorCollectionResponse, ConnectorUpdate, DeviceManagementDomainJoinConnector,
    DeviceManagementDomainJoinConnectorCollectionResponse,
    DeviceManagementDomainJoinConnectorUpdate, InnerError, MainError, NdesConnector,
    NdesConnectorCollectionResponse, NdesConnectorUpdate, ODataError,
};
use crate::server::{self, Api};

/// The page size when none is configured: Graph's usual default.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The largest page size, and the largest `$top`, Graph accepts.
pub const MAX_PAGE_SIZE: usize = 999;

/// The media type Graph answers JSON with.
const GRAPH_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// The largest request or error body the local Graph reads.
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Characters left literal in the query of a next link (the OData syntax characters, as the
/// client writes them); everything else is percent-encoded, a space as `%20`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'@')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'*')
    .remove(b'/');

// ---------------------------------------------------------------------------
// The entity types
// ---------------------------------------------------------------------------

/// What the local Graph knows about one collection and its entity type.
#[derive(Debug)]
struct Resource {
    /// The type's name, such as `ndesConnector`.
    name: &'static str,
    /// The `@odata.type` of its entities.
    odata_type: &'static str,
    /// The collection's path.
    path: &'static str,
    /// Every property but `@odata.type`.
    properties: &'static [Property],
    /// The read-only property the server fills with the caller's IP address on create.
    detected_ip: Option<&'static str>,
}

impl Resource {
    fn property(&self, name: &str) -> Option<&Property> {
        self.properties
            .iter()
            .find(|property| property.name == name)
    }

    /// The resource whose collection (`POST`) or entity (`PATCH`) `path` is.
    fn for_body(method: &Method, path: &str) -> Option<&'static Resource> {
        RESOURCES.into_iter().find(|resource| {
            if *method == Method::POST {
                path == resource.path
            } else {
                path.strip_prefix(resource.path)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|id| !id.is_empty() && !id.contains('/'))
            }
        })
    }
}

const fn property(name: &'static str, kind: Kind) -> Property {
    Property {
        name,
        kind,
        read_only: false,
    }
}

const fn read_only(name: &'static str, kind: Kind) -> Property {
    Property {
        name,
        kind,
        read_only: true,
    }
}

static NDES: Resource = Resource {
    name: "ndesConnector",
    odata_type: "#microsoft.graph.ndesConnector",
    path: "/deviceManagement/ndesConnectors",
    properties: &[
        read_only("id", Kind::String),
        property("lastConnectionDateTime", Kind::DateTime),
        property("state", Kind::Enum(&["none", "active", "inactive"])),
        property("displayName", Kind::String),
        property("machineName", Kind::String),
        property("enrolledDateTime", Kind::DateTime),
        property("roleScopeTagIds", Kind::Strings),
        property("connectorVersion", Kind::String),
    ],
    detected_ip: None,
};

static DOMAIN_JOIN: Resource = Resource {
    name: "deviceManagementDomainJoinConnector",
    odata_type: "#microsoft.graph.deviceManagementDomainJoinConnector",
    path: "/deviceManagement/domainJoinConnectors",
    properties: &[
        read_only("id", Kind::String),
        property("displayName", Kind::String),
        property("lastConnectionDateTime", Kind::DateTime),
        property("state", Kind::Enum(&["active", "error", "inactive"])),
        property("version", Kind::String),
    ],
    detected_ip: None,
};

static CONNECTOR: Resource = Resource {
    name: "connector",
    odata_type: "#microsoft.graph.connector",
    path: "/connectors",
    properties: &[
        read_only("id", Kind::String),
        property("machineName", Kind::String),
        read_only("externalIp", Kind::String),
        property("status", Kind::Enum(&["active", "inactive"])),
        property("version", Kind::String),
    ],
    detected_ip: Some("externalIp"),
};

static RESOURCES: [&Resource; 3] = [&NDES, &DOMAIN_JOIN, &CONNECTOR];

type Object = Map<String, Value>;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A request the local Graph refuses, before it becomes an OData error body.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    target: Option<String>,
}

impl Failure {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            target: None,
        }
    }

    fn bad_request(target: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            target: Some(target.into()),
            ..Failure::new(StatusCode::BAD_REQUEST, "BadRequest", message)
        }
    }

    fn not_found(resource: &Resource, id: &str) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!("Resource '{}' with id '{id}' was not found.", resource.name),
        )
    }

    fn internal(message: impl Into<String>) -> Self {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            message,
        )
    }

    fn body(&self, context: &RequestContext) -> ODataError {
        ODataError {
            error: MainError {
                code: self.code.to_owned(),
                message: self.message.clone(),
                target: self.target.clone(),
                details: None,
                inner_error: Some(context.inner_error()),
            },
        }
    }

    fn into_response(self, context: &RequestContext) -> Response {
        let body = self.body(context);
        json_response(self.status, &body)
    }
}

impl From<QueryError> for Failure {
    fn from(error: QueryError) -> Self {
        Failure::bad_request(error.target, error.message)
    }
}

/// The response enums of the operations, built from a [`Failure`].
trait FromFailure {
    fn client_error(status: u16, body: ODataError) -> Self;
    fn server_error(status: u16, body: ODataError) -> Self;
}

macro_rules! from_failure {
    ($($response:ident),* $(,)?) => {$(
        impl FromFailure for server::$response {
            fn client_error(status: u16, body: ODataError) -> Self {
                Self::ClientError(status, body)
            }
            fn server_error(status: u16, body: ODataError) -> Self {
                Self::ServerError(status, body)
            }
        }
    )*};
}

from_failure!(
    ListNdesConnectorsResponse,
    CreateNdesConnectorResponse,
    GetNdesConnectorResponse,
    UpdateNdesConnectorResponse,
    DeleteNdesConnectorResponse,
    ListDomainJoinConnectorsResponse,
    CreateDomainJoinConnectorResponse,
    GetDomainJoinConnectorResponse,
    UpdateDomainJoinConnectorResponse,
    DeleteDomainJoinConnectorResponse,
    ListConnectorsResponse,
    CreateConnectorResponse,
    GetConnectorResponse,
    UpdateConnectorResponse,
    DeleteConnectorResponse,
);

fn failed<R: FromFailure>(failure: Failure) -> R {
    let body = failure.body(&RequestContext::current());
    let status = failure.status.as_u16();
    if failure.status.is_server_error() {
        R::server_error(status, body)
    } else {
        R::client_error(status, body)
    }
}

// ---------------------------------------------------------------------------
// The request being served
// ---------------------------------------------------------------------------

/// What the operations need to know about the HTTP request they serve, which the
/// [`Api`] methods do not receive: set by the middleware for the duration of the request.
#[derive(Debug, Clone)]
struct RequestContext {
    request_id: String,
    client_request_id: Option<String>,
    /// `http://host:port` as the client addressed the server, for next links.
    base_url: Option<String>,
    /// Whether the request had `ConsistencyLevel: eventual`.
    eventual: bool,
    /// The caller's address.
    remote_ip: Option<IpAddr>,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

impl RequestContext {
    /// The context of the request being served, or a fresh one when an [`Api`] method is
    /// called directly.
    fn current() -> RequestContext {
        CONTEXT
            .try_with(Clone::clone)
            .unwrap_or_else(|_| RequestContext {
                request_id: uuid::Uuid::new_v4().to_string(),
                client_request_id: None,
                base_url: None,
                eventual: false,
                remote_ip: None,
            })
    }

    fn inner_error(&self) -> InnerError {
        let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
        InnerError {
            request_id: Some(self.request_id.clone()),
            client_request_id: self.client_request_id.clone(),
            // Graph writes the date without an offset.
            date: Some(now.format("%Y-%m-%dT%H:%M:%S").to_string()),
        }
    }
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

/// A way to misbehave for one request, queued with [`LocalGraphHandle::inject`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up) and
    /// Graph's `TooManyRequests` error body; the request is not carried out.
    Throttle {
        /// What `Retry-After` says.
        retry_after: Duration,
    },
    /// Answer `503 Service Unavailable` with Graph's `ServiceUnavailable` error body, and
    /// `Retry-After` when given; the request is not carried out.
    Unavailable {
        /// What `Retry-After` says, if anything.
        retry_after: Option<Duration>,
    },
    /// Wait this long, then serve the request normally.
    Delay(Duration),
    /// Carry out the request, then close the connection without sending the response, as
    /// when a connection breaks after the service acted.
    DropConnection,
    /// Carry out the request and send a successful JSON response cut short: the body ends just
    /// after the name of its last property (`…,"displayName":`), so decoding fails at that
    /// property. A response without a body (`204`) or an error is sent unchanged.
    MalformedJson,
    /// Answer with this status, `Content-Type` and body, as a proxy in front of Graph might;
    /// the request is not carried out and no Graph headers are added.
    Reply {
        /// The status code.
        status: u16,
        /// The `Content-Type`.
        content_type: String,
        /// The body.
        body: String,
    },
}

/// One request as the local Graph received it. The bearer token is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method, such as `GET`.
    pub method: String,
    /// The path and query, as sent (still percent-encoded).
    pub path: String,
    /// The `client-request-id` header.
    pub client_request_id: Option<String>,
    /// The `Retry-Attempt` header the client numbers retries with.
    pub retry_attempt: Option<String>,
    /// The `ConsistencyLevel` header.
    pub consistency_level: Option<String>,
    /// Whether it carried `Authorization: Bearer <token>`.
    pub has_bearer_token: bool,
    /// The fault it was served with.
    pub fault: Option<Fault>,
    /// The status answered; `None` when the connection was dropped instead.
    pub status: Option<u16>,
}

impl ReceivedRequest {
    /// The path without the query.
    pub fn path_only(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------
// The local Graph
// ---------------------------------------------------------------------------

/// The in-memory Graph: an implementation of [`server::Api`] for the three collections.
///
/// Cloning is cheap and clones share the data. [`LocalGraph::start`] serves it on
/// 127.0.0.1; its [`Api`] methods can also be called directly.
#[derive(Clone)]
pub struct LocalGraph {
    shared: Arc<Shared>,
}

struct Shared {
    /// The entities of each collection (keyed by its path), in the order they were created.
    store: Mutex<BTreeMap<&'static str, Vec<Object>>>,
    page_size: usize,
    faults: Mutex<VecDeque<Fault>>,
    log: Mutex<Vec<ReceivedRequest>>,
    /// The base URL it is served at, once it is.
    base_url: OnceLock<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data stays consistent even if a panic interrupted a holder: every critical
    // section is a single insertion, removal or replacement.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl fmt::Debug for LocalGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = lock(&self.shared.store);
        let counts: BTreeMap<&str, usize> = store
            .iter()
            .map(|(path, items)| (*path, items.len()))
            .collect();
        f.debug_struct("LocalGraph")
            .field("base_url", &self.shared.base_url.get())
            .field("page_size", &self.shared.page_size)
            .field("entities", &counts)
            .finish_non_exhaustive()
    }
}

impl Default for LocalGraph {
    fn default() -> Self {
        LocalGraph::builder().build()
    }
}

/// Configures a [`LocalGraph`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build`, `start` or `bind` is called"]
pub struct LocalGraphBuilder {
    page_size: usize,
}

impl LocalGraphBuilder {
    /// Serves collections in pages of at most `size` items (clamped to 1 to
    /// [`MAX_PAGE_SIZE`]); [`DEFAULT_PAGE_SIZE`] unless set.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// The local Graph, not served yet (see [`LocalGraph::serve`]).
    pub fn build(self) -> LocalGraph {
        LocalGraph {
            shared: Arc::new(Shared {
                store: Mutex::new(
                    RESOURCES
                        .iter()
                        .map(|resource| (resource.path, Vec::new()))
                        .collect(),
                ),
                page_size: self.page_size,
                faults: Mutex::new(VecDeque::new()),
                log: Mutex::new(Vec::new()),
                base_url: OnceLock::new(),
            }),
        }
    }

    /// Serves a new local Graph on 127.0.0.1 with a port the system picks; returns the handle
    /// and the base URL to give the client.
    pub async fn start(self) -> io::Result<(LocalGraphHandle, String)> {
        self.bind((Ipv4Addr::LOCALHOST, 0)).await
    }

    /// Serves a new local Graph on `addr`; returns the handle and the base URL.
    pub async fn bind(self, addr: impl ToSocketAddrs) -> io::Result<(LocalGraphHandle, String)> {
        let listener = TcpListener::bind(addr).await?;
        let handle = self.build().serve(listener)?;
        let base_url = handle.base_url().to_owned();
        Ok((handle, base_url))
    }
}

impl LocalGraph {
    /// A builder, for a page size other than [`DEFAULT_PAGE_SIZE`].
    pub fn builder() -> LocalGraphBuilder {
        LocalGraphBuilder {
            page_size: DEFAULT_PAGE_SIZE,
        }
    }

    /// Serves a new local Graph with the defaults on 127.0.0.1 with a port the system picks;
    /// returns the handle and the base URL (`http://127.0.0.1:<port>`).
    pub async fn start() -> io::Result<(LocalGraphHandle, String)> {
        LocalGraph::builder().start().await
    }

    /// Serves this local Graph on `listener`, on a spawned task, until
    /// [`LocalGraphHandle::shutdown`]. It must be called within a Tokio runtime.
    ///
    /// Fails when the listener's address cannot be read.
    pub fn serve(self, listener: TcpListener) -> io::Result<LocalGraphHandle> {
        let addr = listener.local_addr()?;
        let shown = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port()))
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port()))
            }
            _ => addr,
        };
        let base_url = format!("http://{shown}");
        // A local Graph is served once; a second `serve` of a clone keeps the first URL as the
        // fallback for next links (requests name their host anyway).
        let _ = self.shared.base_url.set(base_url.clone());
        let app = server::router(self.clone()).layer(middleware::from_fn_with_state(
            Arc::clone(&self.shared),
            front,
        ));
        let stop = Arc::new(Notify::new());
        let signal = Arc::clone(&stop);
        let serving = axum::serve(
            FaultListener(listener),
            app.into_make_service_with_connect_info::<Connection>(),
        )
        .with_graceful_shutdown(async move { signal.notified().await });
        let task = tokio::spawn(async move {
            // `serve` only ends with the shutdown signal; accept errors are retried inside.
            let _ = serving.into_future().await;
        });
        Ok(LocalGraphHandle {
            graph: self,
            base_url,
            addr,
            stop,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    fn context(&self) -> RequestContext {
        RequestContext::current()
    }

    // -- the operations, for any of the three collections ---------------------------------

    fn create<E: Serialize + DeserializeOwned>(
        &self,
        resource: &Resource,
        body: &E,
    ) -> Result<E, Failure> {
        let mut object = to_object(body)?;
        check_type(resource, object.get("@odata.type"))?;
        for property in resource
            .properties
            .iter()
            .filter(|property| property.read_only)
        {
            object.remove(property.name);
        }
        object.insert("id".into(), Value::String(uuid::Uuid::new_v4().to_string()));
        object.insert(
            "@odata.type".into(),
            Value::String(resource.odata_type.to_owned()),
        );
        if let (Some(name), Some(ip)) = (resource.detected_ip, self.context().remote_ip) {
            object.insert(name.into(), Value::String(ip.to_string()));
        }
        let created = from_object(object.clone())?;
        lock(&self.shared.store)
            .entry(resource.path)
            .or_default()
            .push(object);
        Ok(created)
    }

    fn get<E: DeserializeOwned>(
        &self,
        resource: &Resource,
        id: &str,
        select: &[String],
        expand: &[String],
    ) -> Result<E, Failure> {
        query::expand(expand, resource.name)?;
        let selected = query::select(select, resource.properties, resource.name)?;
        let mut object = {
            let store = lock(&self.shared.store);
            find(&store, resource, id)
                .cloned()
                .ok_or_else(|| Failure::not_found(resource, id))?
        };
        if let Some(selected) = &selected {
            query::apply_select(&mut object, selected);
        }
        from_object(object)
    }

    fn list<E: DeserializeOwned>(
        &self,
        resource: &Resource,
        options: ListQuery,
    ) -> Result<Page<E>, Failure> {
        let context = self.context();
        query::expand(&options.expand, resource.name)?;
        let selected = query::select(&options.select, resource.properties, resource.name)?;
        let order = query::order_by(&options.orderby, resource.properties, resource.name)?;
        let filter = options
            .filter
            .as_deref()
            .map(|text| query::filter(text, resource.properties, resource.name))
            .transpose()?;
        let search = match options.search.as_deref() {
            Some(text) => {
                if !context.eventual {
                    return Err(Failure {
                        target: Some("$search".into()),
                        ..Failure::new(
                            StatusCode::BAD_REQUEST,
                            "Request_UnsupportedQuery",
                            "Request with $search query parameter only works through MSGraph with a \
                             special request header: 'ConsistencyLevel: eventual'",
                        )
                    });
                }
                Some(query::search(text, resource.properties, resource.name)?)
            }
            None => None,
        };
        let page_size = match options.top {
            Some(top) if !(1..=MAX_PAGE_SIZE as i64).contains(&i64::from(top)) => {
                return Err(Failure::bad_request(
                    "$top",
                    format!(
                        "Invalid page size specified: '{top}'. Must be between 1 and {MAX_PAGE_SIZE} inclusive."
                    ),
                ));
            }
            Some(top) => usize::try_from(top).unwrap_or(1).min(self.shared.page_size),
            None => self.shared.page_size,
        };
        let skip = match options.skip {
            Some(skip) => usize::try_from(skip).map_err(|_| {
                Failure::bad_request(
                    "$skip",
                    format!("Invalid value for $skip: '{skip}'. It must not be negative."),
                )
            })?,
            None => 0,
        };

        let mut matching: Vec<Object> = {
            let store = lock(&self.shared.store);
            store
                .get(resource.path)
                .into_iter()
                .flatten()
                .filter(|object| filter.as_ref().is_none_or(|filter| filter.matches(object)))
                .filter(|object| search.as_ref().is_none_or(|search| search.matches(object)))
                .cloned()
                .collect()
        };
        if !order.is_empty() {
            matching.sort_by(|a, b| query::compare(a, b, &order));
        }
        let total = matching.len();
        let end = skip.saturating_add(page_size).min(total);
        let next_link = (end < total).then(|| {
            let base_url = context
                .base_url
                .or_else(|| self.shared.base_url.get().cloned())
                .unwrap_or_else(|| "http://localhost".to_owned());
            next_link(&base_url, resource.path, &options, end)
        });
        let items = matching
            .into_iter()
            .skip(skip)
            .take(page_size)
            .map(|mut object| {
                if let Some(selected) = &selected {
                    query::apply_select(&mut object, selected);
                }
                from_object(object)
            })
            .collect::<Result<Vec<E>, Failure>>()?;
        Ok(Page {
            count: (options.count == Some(true)).then(|| i64::try_from(total).unwrap_or(i64::MAX)),
            next_link,
            items,
        })
    }

    fn update<E: DeserializeOwned, U: Serialize>(
        &self,
        resource: &Resource,
        id: &str,
        patch: &U,
    ) -> Result<(), Failure> {
        let patch = to_object(patch)?;
        match patch.get("@odata.type") {
            None => {}
            Some(Value::Null) => {
                return Err(Failure::bad_request(
                    "@odata.type",
                    "The @odata.type of an entity cannot be cleared.",
                ));
            }
            value => check_type(resource, value)?,
        }
        let mut store = lock(&self.shared.store);
        let object = store
            .get_mut(resource.path)
            .and_then(|items| items.iter_mut().find(|object| has_id(object, id)))
            .ok_or_else(|| Failure::not_found(resource, id))?;
        let mut merged = object.clone();
        merge_patch(&mut merged, patch);
        // What is stored must stay an entity of its type.
        from_object::<E>(merged.clone())?;
        *object = merged;
        Ok(())
    }

    fn delete(&self, resource: &Resource, id: &str, if_match: Option<&str>) -> Result<(), Failure> {
        let mut store = lock(&self.shared.store);
        let items = store.entry(resource.path).or_default();
        let position = items
            .iter()
            .position(|object| has_id(object, id))
            .ok_or_else(|| Failure::not_found(resource, id))?;
        if let Some(tag) = if_match.map(str::trim).filter(|tag| *tag != "*") {
            return Err(Failure::new(
                StatusCode::PRECONDITION_FAILED,
                "PreconditionFailed",
                format!(
                    "The ETag {tag} does not match the current version of the {}.",
                    resource.name
                ),
            ));
        }
        items.remove(position);
        Ok(())
    }
}

fn has_id(object: &Object, id: &str) -> bool {
    object.get("id").and_then(Value::as_str) == Some(id)
}

fn find<'a>(
    store: &'a BTreeMap<&'static str, Vec<Object>>,
    resource: &Resource,
    id: &str,
) -> Option<&'a Object> {
    store
        .get(resource.path)?
        .iter()
        .find(|object| has_id(object, id))
}

fn check_type(resource: &Resource, value: Option<&Value>) -> Result<(), Failure> {
    match value.and_then(Value::as_str) {
        None => Ok(()),
        Some(odata_type) if odata_type == resource.odata_type => Ok(()),
        Some(other) => Err(Failure::bad_request(
            "@odata.type",
            format!(
                "The @odata.type '{other}' is not compatible with the collection of '{}'.",
                resource.odata_type.trim_start_matches('#')
            ),
        )),
    }
}

/// RFC 7396 JSON merge patch: `null` removes, objects merge, anything else replaces.
fn merge_patch(target: &mut Object, patch: Object) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(&key);
            }
            Value::Object(inner) => {
                let slot = target
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(existing) = slot {
                    merge_patch(existing, inner);
                }
            }
            other => {
                target.insert(key, other);
            }
        }
    }
}

fn to_object<T: Serialize>(value: &T) -> Result<Object, Failure> {
    match serde_json::to_value(value) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Failure::internal("the body is not a JSON object")),
        Err(error) => Err(Failure::internal(format!(
            "the body could not be encoded: {error}"
        ))),
    }
}

fn from_object<T: DeserializeOwned>(object: Object) -> Result<T, Failure> {
    serde_json::from_value(Value::Object(object)).map_err(|error| {
        Failure::internal(format!("a stored entity does not match its type: {error}"))
    })
}

/// The options of a list operation, the same for every collection.
#[derive(Debug, Clone, Default)]
struct ListQuery {
    top: Option<i32>,
    skip: Option<i32>,
    search: Option<String>,
    filter: Option<String>,
    count: Option<bool>,
    orderby: Vec<String>,
    select: Vec<String>,
    expand: Vec<String>,
}

macro_rules! list_query {
    ($options:expr) => {{
        let options = $options;
        ListQuery {
            top: options.top,
            skip: options.skip,
            search: options.search,
            filter: options.filter,
            count: options.count,
            orderby: options.orderby,
            select: options.select,
            expand: options.expand,
        }
    }};
}

/// One page of a collection.
struct Page<E> {
    count: Option<i64>,
    next_link: Option<String>,
    items: Vec<E>,
}

/// The link to the page starting at item `skip`, with the same options.
fn next_link(base_url: &str, path: &str, options: &ListQuery, skip: usize) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(top) = options.top {
        pairs.push(("$top", top.to_string()));
    }
    pairs.push(("$skip", skip.to_string()));
    if let Some(filter) = &options.filter {
        pairs.push(("$filter", filter.clone()));
    }
    if let Some(search) = &options.search {
        pairs.push(("$search", search.clone()));
    }
    if options.count == Some(true) {
        pairs.push(("$count", "true".to_owned()));
    }
    if !options.orderby.is_empty() {
        pairs.push(("$orderby", options.orderby.join(",")));
    }
    if !options.select.is_empty() {
        pairs.push(("$select", options.select.join(",")));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_VALUE)))
        .collect();
    format!(
        "{}{path}?{}",
        base_url.trim_end_matches('/'),
        query.join("&")
    )
}

// ---------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------

impl Api for LocalGraph {
    async fn list_ndes_connectors(
        &self,
        options: ListNdesConnectorsOptions,
    ) -> server::ListNdesConnectorsResponse {
        match self.list(&NDES, list_query!(options)) {
            Ok(page) => server::ListNdesConnectorsResponse::Ok(NdesConnectorCollectionResponse {
                odata_count: page.count,
                odata_next_link: page.next_link,
                value: Some(page.items),
            }),
            Err(failure) => failed(failure),
        }
    }

    async fn create_ndes_connector(
        &self,
        body: NdesConnector,
    ) -> server::CreateNdesConnectorResponse {
        match self.create(&NDES, &body) {
            Ok(created) => server::CreateNdesConnectorResponse::Created(created),
            Err(failure) => failed(failure),
        }
    }

    async fn get_ndes_connector(
        &self,
        id: String,
        options: GetNdesConnectorOptions,
    ) -> server::GetNdesConnectorResponse {
        match self.get(&NDES, &id, &options.select, &options.expand) {
            Ok(entity) => server::GetNdesConnectorResponse::Ok(entity),
            Err(failure) => failed(failure),
        }
    }

    async fn delete_ndes_connector(
        &self,
        id: String,
        options: DeleteNdesConnectorOptions,
    ) -> server::DeleteNdesConnectorResponse {
        match self.delete(&NDES, &id, options.if_match.as_deref()) {
            Ok(()) => server::DeleteNdesConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }

    async fn update_ndes_connector(
        &self,
        id: String,
        body: NdesConnectorUpdate,
    ) -> server::UpdateNdesConnectorResponse {
        match self.update::<NdesConnector, _>(&NDES, &id, &body) {
            Ok(()) => server::UpdateNdesConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }

    async fn list_domain_join_connectors(
        &self,
        options: ListDomainJoinConnectorsOptions,
    ) -> server::ListDomainJoinConnectorsResponse {
        match self.list(&DOMAIN_JOIN, list_query!(options)) {
            Ok(page) => server::ListDomainJoinConnectorsResponse::Ok(
                DeviceManagementDomainJoinConnectorCollectionResponse {
                    odata_count: page.count,
                    odata_next_link: page.next_link,
                    value: Some(page.items),
                },
            ),
            Err(failure) => failed(failure),
        }
    }

    async fn create_domain_join_connector(
        &self,
        body: DeviceManagementDomainJoinConnector,
    ) -> server::CreateDomainJoinConnectorResponse {
        match self.create(&DOMAIN_JOIN, &body) {
            Ok(created) => server::CreateDomainJoinConnectorResponse::Created(created),
            Err(failure) => failed(failure),
        }
    }

    async fn get_domain_join_connector(
        &self,
        id: String,
        options: GetDomainJoinConnectorOptions,
    ) -> server::GetDomainJoinConnectorResponse {
        match self.get(&DOMAIN_JOIN, &id, &options.select, &options.expand) {
            Ok(entity) => server::GetDomainJoinConnectorResponse::Ok(entity),
            Err(failure) => failed(failure),
        }
    }

    async fn delete_domain_join_connector(
        &self,
        id: String,
        options: DeleteDomainJoinConnectorOptions,
    ) -> server::DeleteDomainJoinConnectorResponse {
        match self.delete(&DOMAIN_JOIN, &id, options.if_match.as_deref()) {
            Ok(()) => server::DeleteDomainJoinConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }

    async fn update_domain_join_connector(
        &self,
        id: String,
        body: DeviceManagementDomainJoinConnectorUpdate,
    ) -> server::UpdateDomainJoinConnectorResponse {
        match self.update::<DeviceManagementDomainJoinConnector, _>(&DOMAIN_JOIN, &id, &body) {
            Ok(()) => server::UpdateDomainJoinConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }

    async fn list_connectors(
        &self,
        options: ListConnectorsOptions,
    ) -> server::ListConnectorsResponse {
        match self.list(&CONNECTOR, list_query!(options)) {
            Ok(page) => server::ListConnectorsResponse::Ok(ConnectorCollectionResponse {
                odata_count: page.count,
                odata_next_link: page.next_link,
                value: Some(page.items),
            }),
            Err(failure) => failed(failure),
        }
    }

    async fn create_connector(&self, body: Connector) -> server::CreateConnectorResponse {
        match self.create(&CONNECTOR, &body) {
            Ok(created) => server::CreateConnectorResponse::Created(created),
            Err(failure) => failed(failure),
        }
    }

    async fn get_connector(
        &self,
        id: String,
        options: GetConnectorOptions,
    ) -> server::GetConnectorResponse {
        match self.get(&CONNECTOR, &id, &options.select, &options.expand) {
            Ok(entity) => server::GetConnectorResponse::Ok(entity),
            Err(failure) => failed(failure),
        }
    }

    async fn delete_connector(
        &self,
        id: String,
        options: DeleteConnectorOptions,
    ) -> server::DeleteConnectorResponse {
        match self.delete(&CONNECTOR, &id, options.if_match.as_deref()) {
            Ok(()) => server::DeleteConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }

    async fn update_connector(
        &self,
        id: String,
        body: ConnectorUpdate,
    ) -> server::UpdateConnectorResponse {
        match self.update::<Connector, _>(&CONNECTOR, &id, &body) {
            Ok(()) => server::UpdateConnectorResponse::NoContent,
            Err(failure) => failed(failure),
        }
    }
}

// ---------------------------------------------------------------------------
// HTTP: what Graph does around the operations
// ---------------------------------------------------------------------------

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
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
fn retry_after_seconds(delay: Duration) -> String {
    (delay.as_secs() + u64::from(delay.subsec_nanos() > 0)).to_string()
}

/// Every request goes through here: it is recorded, takes the next fault, is authenticated
/// and checked, served by the generated router with the request's context, and its response
/// gets Graph's headers and error body shape.
async fn front(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let connection = request
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .map(|info| info.0.clone());
    let headers = request.headers();
    let authority = request
        .uri()
        .authority()
        .map(|authority| authority.to_string())
        .or_else(|| header_text(headers, "host"));
    let has_bearer_token = header_text(headers, "authorization").is_some_and(|value| {
        value.len() > 7
            && value[..7].eq_ignore_ascii_case("bearer ")
            && !value[7..].trim().is_empty()
    });
    let consistency_level = header_text(headers, "consistencylevel");
    let context = RequestContext {
        request_id: uuid::Uuid::new_v4().to_string(),
        client_request_id: header_text(headers, "client-request-id"),
        base_url: authority.map(|authority| format!("http://{authority}")),
        eventual: consistency_level
            .as_deref()
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("eventual")),
        remote_ip: connection.as_ref().map(|connection| connection.remote.ip()),
    };
    let mut record = ReceivedRequest {
        method: request.method().to_string(),
        path: request
            .uri()
            .path_and_query()
            .map_or_else(|| request.uri().path().to_owned(), ToString::to_string),
        client_request_id: context.client_request_id.clone(),
        retry_attempt: header_text(headers, "retry-attempt"),
        consistency_level,
        has_bearer_token,
        fault: None,
        status: None,
    };
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
            handle(request, next, context, has_bearer_token).await
        }
        Some(Fault::DropConnection) => {
            let response = handle(request, next, context, has_bearer_token).await;
            if let Some(connection) = &connection {
                connection.cut.store(true, Ordering::SeqCst);
                dropped = true;
            }
            response
        }
        Some(Fault::MalformedJson) => {
            malform(handle(request, next, context, has_bearer_token).await).await
        }
        None => handle(request, next, context, has_bearer_token).await,
    };
    record.status = (!dropped).then(|| response.status().as_u16());
    lock(&shared.log).push(record);
    response
}

/// Serves a request that met no fault (or a delay, a drop or a malformed body).
async fn handle(
    request: Request,
    next: Next,
    context: RequestContext,
    has_bearer_token: bool,
) -> Response {
    if !has_bearer_token {
        let mut response = Failure::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        )
        .into_response(&context);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"\", error=\"invalid_token\""),
        );
        return graph_headers(response, &context);
    }
    let request = match check_body(request).await {
        Ok(request) => request,
        Err(failure) => return graph_headers(failure.into_response(&context), &context),
    };
    let response = CONTEXT.scope(context.clone(), next.run(request)).await;
    let response = with_odata_error(response, &context).await;
    graph_headers(response, &context)
}

/// Graph's checks of a create or update body that the API description does not express:
/// every property must exist on the type, and an update must not set a read-only one.
/// Bodies that are not JSON objects are left to the router, which names what is wrong.
async fn check_body(request: Request) -> Result<Request, Failure> {
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
    if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(&bytes) {
        for key in object.keys() {
            // Instance annotations (`@odata.type`, `@odata.etag`, ...) are not properties.
            if key.starts_with('@') {
                continue;
            }
            match resource.property(key) {
                None => {
                    return Err(Failure::bad_request(
                        key.as_str(),
                        format!(
                            "The property '{key}' does not exist on type '{}'. Make sure to only use \
                             property names that are defined by the type.",
                            resource.odata_type.trim_start_matches('#')
                        ),
                    ));
                }
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
async fn with_odata_error(response: Response, context: &RequestContext) -> Response {
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
fn graph_headers(mut response: Response, context: &RequestContext) -> Response {
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
async fn malform(response: Response) -> Response {
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
fn last_name_end(json: &[u8]) -> Option<usize> {
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

// ---------------------------------------------------------------------------
// Sockets: a listener whose connections a fault can cut
// ---------------------------------------------------------------------------

/// Accepts TCP connections and wraps each in a [`CuttableStream`].
struct FaultListener(TcpListener);

impl Listener for FaultListener {
    type Io = CuttableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let stream = CuttableStream {
                        inner: stream,
                        cut: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, addr);
                }
                // Such as too many open files: wait for it to pass, as axum does.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A TCP stream that fails every read and write once it is cut, so that the HTTP server
/// closes the connection without writing the response.
struct CuttableStream {
    inner: TcpStream,
    cut: Arc<AtomicBool>,
}

impl CuttableStream {
    fn check(&self) -> io::Result<()> {
        if self.cut.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection dropped by an injected fault",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The connection a request came on: its peer, and the switch that cuts it.
#[derive(Clone)]
struct Connection {
    remote: SocketAddr,
    cut: Arc<AtomicBool>,
}

impl Connected<IncomingStream<'_, FaultListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, FaultListener>) -> Self {
        Connection {
            remote: *stream.remote_addr(),
            cut: Arc::clone(&stream.io().cut),
        }
    }
}

// ---------------------------------------------------------------------------
// The handle
// ---------------------------------------------------------------------------

/// Controls a served [`LocalGraph`]: its address, the faults to inject, the requests it
/// received. Cloning is cheap; clones control the same server.
///
/// The server runs until [`shutdown`](Self::shutdown) or the end of the Tokio runtime;
/// dropping the handle does not stop it.
#[derive(Clone)]
pub struct LocalGraphHandle {
    graph: LocalGraph,
    base_url: String,
    addr: SocketAddr,
    stop: Arc<Notify>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl fmt::Debug for LocalGraphHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalGraphHandle")
            .field("base_url", &self.base_url)
            .field("pending_faults", &self.pending_faults())
            .field("graph", &self.graph)
            .finish_non_exhaustive()
    }
}

impl LocalGraphHandle {
    /// The base URL to give the client: `http://<address>:<port>` (an unspecified bind address
    /// is shown as the loopback address).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The local Graph being served, whose [`Api`] methods can be called directly, for example
    /// to prepare data without going through HTTP.
    pub fn graph(&self) -> &LocalGraph {
        &self.graph
    }

    /// Serves the next `times` requests with `fault`, after the faults already queued.
    pub fn inject(&self, fault: Fault, times: usize) {
        let mut faults = lock(&self.graph.shared.faults);
        faults.extend(std::iter::repeat_n(fault, times));
    }

    /// Answers the next `times` requests with `429 Too Many Requests` and `Retry-After`.
    pub fn throttle_next(&self, times: usize, retry_after: Duration) {
        self.inject(Fault::Throttle { retry_after }, times);
    }

    /// Answers the next `times` requests with `503 Service Unavailable`, without
    /// `Retry-After` (so the client backs off on its own).
    pub fn fail_next(&self, times: usize) {
        self.inject(Fault::Unavailable { retry_after: None }, times);
    }

    /// Serves the next `times` requests only after `delay`.
    pub fn delay_next(&self, times: usize, delay: Duration) {
        self.inject(Fault::Delay(delay), times);
    }

    /// Carries out the next `times` requests and closes their connections without answering.
    pub fn drop_next(&self, times: usize) {
        self.inject(Fault::DropConnection, times);
    }

    /// Answers the next `times` requests with JSON cut short (see [`Fault::MalformedJson`]).
    pub fn malformed_next(&self, times: usize) {
        self.inject(Fault::MalformedJson, times);
    }

    /// Removes the faults not used yet.
    pub fn clear_faults(&self) {
        lock(&self.graph.shared.faults).clear();
    }

    /// How many queued faults are still waiting for a request.
    pub fn pending_faults(&self) -> usize {
        lock(&self.graph.shared.faults).len()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        lock(&self.graph.shared.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.graph.shared.log).clear();
    }

    /// Stops accepting connections, lets requests in progress finish (for at most five
    /// seconds) and returns when the server has stopped.
    pub async fn shutdown(&self) {
        self.stop.notify_one();
        let task = lock(&self.task).take();
        if let Some(mut task) = task
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
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
        let patch = to_object(
            &serde_json::json!({"a": null, "b": {"c": null, "x": 4}, "e": [2], "f": "new"}),
        )
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
            Resource::for_body(&Method::PATCH, "/deviceManagement/ndesConnectors/x")
                .map(|r| r.name),
            Some("ndesConnector")
        );
    }
}
