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
//! - A request without `Authorization: Bearer <token>` gets `401 InvalidAuthenticationToken`
//!   (`Access token is empty.`) with Graph's `WWW-Authenticate` challenge. Until sign-in is
//!   on ([Sign-in](#sign-in)), any token is accepted, and neither checked nor kept.
//! - **Paging**: a collection is served in pages of at most the page size
//!   ([`LocalGraphBuilder::page_size`], 100 by default); `$top` (1 to 999) makes pages
//!   smaller, as Graph treats `$top` as a page size. While items remain, a page carries an
//!   absolute `@odata.nextLink` to the server's own base URL (the address it is served at,
//!   or [`LocalGraphBuilder::base_url`]; never the request's `Host`) with the same options
//!   and the next `$skip`. `$skip` skips items; `$count=true` adds
//!   `@odata.count` (the number of items that pass the filter).
//! - **Query options**: `$filter` with `eq`, `ne`, `gt`, `ge`, `lt`, `le` on string, enum and
//!   date-time properties (`'text'`, `null` or an unquoted RFC 3339 date-time), `startswith`,
//!   `endswith`, `contains`, `and`, `or`, `not` and parentheses; `$orderby` on any single-valued
//!   property, `asc` or `desc`, several keys; `$select` (`id` and `@odata.type` are always
//!   returned); `$search="term"` or `$search="property:term"` (a case-insensitive substring
//!   match; like Graph it requires `ConsistencyLevel: eventual`). `$expand` names no
//!   navigation property of these types, so it is refused. Whatever is not understood is
//!   answered with `400` (the option as `target`), never ignored: an unknown, misspelt
//!   (`$Filter`), repeated or unsupported (`$skiptoken`, `$format`, `$apply`) system query
//!   option, or one written without its `$`.
//!
//! # What no request can do
//!
//! Every parser is bounded: a query option value longer than 4,096 bytes, a `$filter`
//! nested more than 32 levels or with more than 100 terms, and a JSON body nested more than
//! 128 levels are `400`; a request target beyond 16 KiB is `414`; all with an OData error
//! body. A create or update body that is not `application/json` is `415`. Lookups by id use
//! an index. The request log is a ring of the last
//! [1,000 requests](DEFAULT_REQUEST_LOG_CAPACITY); a client must send a request head within
//! [10 s](DEFAULT_HEADER_READ_TIMEOUT) and at most [64 KiB](MAX_HEAD_SIZE) of it, and at most
//! [256 connections](DEFAULT_MAX_CONNECTIONS) are served at once. `tests/hostile_clients.rs`
//! tries each, then checks that the server still answers.
//!
//! # Sign-in
//!
//! The local Graph also answers for Microsoft Entra ID's v2.0 token endpoint,
//! `POST {base_url}/{tenant}/oauth2/v2.0/token` (any tenant), so that a client's sign-in code
//! can be tested over loopback. It grants client credentials only: an
//! `application/x-www-form-urlencoded` body with `grant_type=client_credentials`, the
//! `client_id` and `client_secret` of an application registered with
//! [`LocalGraphHandle::register_app`], the `scope` `{graph root}/.default`
//! ([`LocalGraphHandle::default_scope`], such as `http://127.0.0.1:49152/.default`;
//! `https://graph.microsoft.com/.default` is accepted too) and an optional `claims`
//! ([`LocalGraphHandle::last_claims`]). It answers `200` with
//! `{"token_type":"Bearer","expires_in":…,"ext_expires_in":…,"access_token":…}`, the token an
//! unguessable random string valid for [`LocalGraphBuilder::token_lifetime`]
//! ([`DEFAULT_TOKEN_LIFETIME`] unless set), or refuses as Entra does, with
//! `{"error":…,"error_description":"AADSTSnnnn: …","error_codes":[nnnn],"timestamp":…,
//! "trace_id":…,"correlation_id":…,"error_uri":…}`:
//!
//! | Request | Status | `error` | AADSTS |
//! |---|---|---|---|
//! | a client secret that is not the application's | `401` | `invalid_client` | 7000215 |
//! | no client secret | `401` | `invalid_client` | 7000218 |
//! | a client id not registered | `400` | `unauthorized_client` | 700016 |
//! | a scope that is not one resource's `/.default` | `400` | `invalid_scope` | 1002012 |
//! | another resource's `/.default` | `400` | `invalid_resource` | 500011 |
//! | a grant type other than `client_credentials` | `400` | `unsupported_grant_type` | 70003 |
//! | no `grant_type`, `client_id` or `scope`, or no form | `400` | `invalid_request` | 900144 |
//! | a parameter given twice, or a body that cannot be read | `400` | `invalid_request` | 9002313 |
//! | a method other than `POST` | `400` | `invalid_request` | 900561 |
//!
//! No answer quotes the client secret. A token request body is read up to 64 KiB, and at most
//! [`MAX_LIVE_TOKENS`] tokens are kept. Token requests are not in the request log and take no
//! faults; [`LocalGraphHandle::token_requests`] counts them.
//!
//! Sign-in is on once an application is registered, or from the start with
//! [`LocalGraphBuilder::require_sign_in`]. From then on a Graph request needs a token the
//! endpoint issued that has not expired and was not revoked; any other token gets
//! `401 InvalidAuthenticationToken` (`Access token has expired or is not yet valid.`) with
//! Graph's challenge, `WWW-Authenticate: Bearer realm="",
//! authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",
//! client_id="00000003-0000-0000-c000-000000000000"`.
//! [`LocalGraphHandle::expire_tokens`] expires every token at once, and
//! [`LocalGraphHandle::challenge_next`] answers the next request as continuous access
//! evaluation does: `401` with `WWW-Authenticate: Bearer realm="", authorization_uri="…",
//! error="insufficient_claims", claims="<the claims JSON in base64>"`, revoking every token
//! issued until then, so that only a token asked for afterwards (with those `claims`) is
//! accepted. `tests/local_graph_sign_in.rs` tries each.
//!
//! # JSON batching
//!
//! `POST {base_url}/$batch` combines up to [20 requests](MAX_BATCH_REQUESTS) in one, as
//! Microsoft Graph's JSON batching does: the body is
//! `{"requests":[{"id":"1","method":"GET","url":"/deviceManagement/ndesConnectors?$top=2",
//! "headers":{…},"body":…,"dependsOn":["…"]},…]}`, each `url` relative to the base URL (with
//! or without its leading `/`; characters a request target cannot hold, such as the spaces
//! of a `$filter`, are percent-encoded). Each item is served by the same router as a request
//! sent on its own, with the same store, checks, sign-in check and faults, carrying the
//! batch's `Authorization` (and its `client-request-id` unless the item sets one), and its
//! answer becomes `{"id":…,"status":…,"headers":{…},"body":…}`: the body as JSON when the
//! answer is JSON, as a string when it is other text, in base64 otherwise, and left out when
//! empty. A JSON item body needs a JSON `Content-Type` in `headers`; with another type, a
//! string body is read as base64. The batch answers `200` with
//! `{"responses":[…]}`, one answer per item in the order of the batch, whatever the items'
//! statuses. Header names in `headers` are case-insensitive, as in HTTP.
//!
//! Items run one at a time: each after the items its `dependsOn` names, otherwise in the
//! order of the batch, so answers are deterministic. An item that depends on one that did not
//! succeed (a status other than `2xx`, a `424` included) is not run and is answered
//! `424 FailedDependency` with Graph's error body. (Graph documents as a known issue that
//! it supports only some shapes of dependencies; the local Graph runs any that form no cycle.)
//!
//! The batch as a whole is refused before any item runs:
//!
//! | Batch | Status | `code` |
//! |---|---|---|
//! | without a valid token (as a request on its own) | `401` | `InvalidAuthenticationToken` |
//! | a method other than `POST` | `405` | `MethodNotAllowed` |
//! | a `Content-Type` other than `application/json` | `415` | `UnsupportedMediaType` |
//! | a body that is not JSON, or nested more than 128 levels deep | `400` | `BadRequest` |
//! | no `requests` array, more than 20 requests | `400` | `BadRequest` |
//! | an item without a string `id`, `method` or `url`, or with an invalid method | `400` | `BadRequest` |
//! | two items with the same `id` (compared without regard to case) | `400` | `BadRequest` |
//! | an absolute `url`, or a nested `$batch` | `400` | `BadRequest` |
//! | a `dependsOn` naming no item of the batch, or dependencies that form a cycle | `400` | `BadRequest` |
//! | an item with a `body` but no `Content-Type` header | `400` | `BadRequest` |
//!
//! Each `400` names the item at fault as `target` (`requests[3].url`). The batch body is read
//! up to the same 4 MiB as any other body (`413` beyond), so the work of one batch is bounded
//! by 20 items of at most that size, none of them a batch.
//!
//! The batch itself takes no fault: [faults](#faults) hit its items one by one, in the order
//! they run, each exactly as it would a request of its own (a throttled item is answered
//! `429` with its `Retry-After` in its `headers`, and the batch still `200`). A
//! [`Fault::DropConnection`] taken by an item closes the batch's connection, so the whole
//! answer is lost. The request log records each item served (with
//! [`ReceivedRequest::batch_item`] set to its `id`; items answered `424` were not served and
//! are not in it), then the `POST /$batch` itself.
//!
//! # Faults
//!
//! A [`LocalGraphHandle`] queues [`Fault`]s: each incoming request takes the next one (first in,
//! first out) and is served with it; requests that find the queue empty are served normally.
//! The requests of a [JSON batch](#json-batching) take them one by one, the batch itself none.
//! Throttling (`429` with `Retry-After`), unavailability (`503`), a delay, a dropped connection
//! (the request is carried out and the response is lost, like a connection that breaks after
//! the service acted), a malformed JSON body, a claims challenge, or any canned reply. Every
//! request is recorded ([`LocalGraphHandle::requests`], the last 1,000 by default), so a test
//! can count attempts.

mod api;
mod batch;
mod failure;
mod front;
mod handle;
mod net;
mod query;
mod sign_in;
mod store;
#[cfg(test)]
mod tests;

pub use self::batch::MAX_BATCH_REQUESTS;
use self::batch::*;
use self::failure::*;
use self::front::*;
pub use self::handle::{Fault, LocalGraphHandle, ReceivedRequest};
use self::net::*;
use self::sign_in::*;
pub use self::sign_in::{DEFAULT_TOKEN_LIFETIME, MAX_LIVE_TOKENS};
use self::store::*;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
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
            additional_properties: BTreeMap::new(),
        }
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
    store: Mutex<BTreeMap<&'static str, Collection>>,
    page_size: usize,
    faults: Mutex<VecDeque<Fault>>,
    /// The last requests received, at most `log_capacity`.
    log: Mutex<VecDeque<ReceivedRequest>>,
    log_capacity: usize,
    /// The base URL next links name: the builder's, or the one it is served at, once it is.
    base_url: OnceLock<String>,
    limits: Limits,
    /// Registered applications and the tokens issued to them.
    sign_in: SignIn,
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
    base_url: Option<String>,
    log_capacity: usize,
    limits: Limits,
    require_sign_in: bool,
    token_lifetime: Duration,
}

/// How many requests [`LocalGraphHandle::requests`] remembers unless
/// [`LocalGraphBuilder::request_log_capacity`] says otherwise: the last 1,000.
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 1_000;

/// The most connections a local Graph serves at once unless
/// [`LocalGraphBuilder::max_connections`] says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// How long a client has to send a request's head unless
/// [`LocalGraphBuilder::header_read_timeout`] says otherwise.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How many bytes of a request's path and query the request log keeps (see
/// [`ReceivedRequest::path`]): with [`DEFAULT_REQUEST_LOG_CAPACITY`] entries, the log holds
/// at most about 4 MiB of them.
pub const MAX_LOGGED_PATH: usize = 4 * 1024;

/// The largest request head (request line and headers) the HTTP layer reads: 64 KiB.
pub const MAX_HEAD_SIZE: usize = 64 * 1024;

impl LocalGraphBuilder {
    /// Serves collections in pages of at most `size` items (clamped to 1 to
    /// [`MAX_PAGE_SIZE`]); [`DEFAULT_PAGE_SIZE`] unless set.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// Names `base_url` in `@odata.nextLink`s, for a local Graph reached through a proxy or
    /// another name; by default the address it is served at. Next links never come from
    /// the request's `Host` header, which the client chooses.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Remembers the last `capacity` requests for [`LocalGraphHandle::requests`] (older ones
    /// are forgotten); [`DEFAULT_REQUEST_LOG_CAPACITY`] unless set.
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.log_capacity = capacity;
        self
    }

    /// Serves at most `connections` connections at once (at least 1); further clients wait
    /// to be accepted. [`DEFAULT_MAX_CONNECTIONS`] unless set.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections.max(1);
        self
    }

    /// Closes a connection whose client takes longer than `timeout` to send a request's
    /// head (a slow or idle client); [`DEFAULT_HEADER_READ_TIMEOUT`] unless set.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// Requires a token from the local Graph's token endpoint on every Graph request from the
    /// start, before any application is registered (until
    /// [`LocalGraphHandle::register_app`] registers one, every token request is refused).
    /// Without it, any bearer token is accepted until an application is registered. See
    /// [Sign-in](self#sign-in).
    pub fn require_sign_in(mut self) -> Self {
        self.require_sign_in = true;
        self
    }

    /// Issues access tokens valid for `lifetime` (their `expires_in` is its whole seconds);
    /// [`DEFAULT_TOKEN_LIFETIME`] unless set. Tests of expiry use a few seconds.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The local Graph, not served yet (see [`LocalGraph::serve`]).
    pub fn build(self) -> LocalGraph {
        let base_url = OnceLock::new();
        if let Some(url) = self.base_url {
            let _ = base_url.set(url);
        }
        LocalGraph {
            shared: Arc::new(Shared {
                store: Mutex::new(
                    RESOURCES
                        .iter()
                        .map(|resource| (resource.path, Collection::default()))
                        .collect(),
                ),
                page_size: self.page_size,
                faults: Mutex::new(VecDeque::new()),
                log: Mutex::new(VecDeque::new()),
                log_capacity: self.log_capacity,
                base_url,
                limits: self.limits,
                sign_in: SignIn::new(self.require_sign_in, self.token_lifetime),
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
            base_url: None,
            log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            limits: Limits {
                max_connections: DEFAULT_MAX_CONNECTIONS,
                header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            },
            require_sign_in: false,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
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
        // Next links are built from this URL (or the one the builder was given), never from
        // the request's `Host`. A second `serve` of a clone keeps the first.
        let _ = self.shared.base_url.set(base_url.clone());
        let base_url = self.shared.base_url.get().cloned().unwrap_or(base_url);
        let app = self.router();
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(serve_connections(
            listener,
            app,
            self.shared.limits,
            Arc::clone(&stop),
        ));
        Ok(LocalGraphHandle {
            graph: self,
            base_url,
            addr,
            stop,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    /// The local Graph as an axum `Router`: the generated router with everything the local
    /// Graph does around it (recording, faults, authentication, the checks of every request,
    /// Graph's headers and error bodies), and beside it the JSON batching endpoint
    /// (`POST /$batch`, see [JSON batching](self#json-batching)) and the token endpoint
    /// (`POST /{tenant}/oauth2/v2.0/token`, see [Sign-in](self#sign-in)).
    /// [`serve`](Self::serve) serves it; it can also be called in-process with
    /// `tower::ServiceExt::oneshot`, as the `query_options` fuzz target does, or mounted in
    /// another server.
    pub fn router(&self) -> axum::Router {
        let graph = server::router(self.clone()).layer(middleware::from_fn_with_state(
            Arc::clone(&self.shared),
            front,
        ));
        let batch = batch_router(Arc::clone(&self.shared), graph.clone());
        token_router(Arc::clone(&self.shared))
            .merge(batch)
            .merge(graph)
    }

    fn context(&self) -> RequestContext {
        RequestContext::current()
    }
}
