//! The handle of a served local Graph, the faults it injects and the requests it records.

use super::*;

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
    /// Answer `401 InvalidAuthenticationToken` with a claims challenge, as continuous access
    /// evaluation does when it revokes a token: `WWW-Authenticate: Bearer realm="",
    /// authorization_uri="…", error="insufficient_claims", claims="<claims in base64>"`.
    /// Serving it revokes every token issued so far; the request is not carried out. See
    /// [`LocalGraphHandle::challenge_next`].
    ClaimsChallenge {
        /// The claims the new token must satisfy, as JSON.
        claims: String,
    },
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
    /// The path and query, as sent (still percent-encoded); beyond
    /// [`MAX_LOGGED_PATH`](super::MAX_LOGGED_PATH) bytes, cut there and ended with `…`.
    pub path: String,
    /// The `client-request-id` header.
    pub client_request_id: Option<String>,
    /// The `Retry-Attempt` header the client numbers retries with.
    pub retry_attempt: Option<String>,
    /// The `ConsistencyLevel` header.
    pub consistency_level: Option<String>,
    /// Whether it carried `Authorization: Bearer <token>`.
    pub has_bearer_token: bool,
    /// The `id` of the JSON batch item it was, when it came inside a `POST /$batch` (see
    /// [JSON batching](super#json-batching)); `None` for a request sent on its own, the batch
    /// itself included.
    pub batch_item: Option<String>,
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

/// Controls a served [`LocalGraph`]: its address, the faults to inject, the requests it
/// received. Cloning is cheap; clones control the same server.
///
/// The server runs until [`shutdown`](Self::shutdown) or the end of the Tokio runtime;
/// dropping the handle does not stop it.
#[derive(Clone)]
pub struct LocalGraphHandle {
    pub(super) graph: LocalGraph,
    pub(super) base_url: String,
    pub(super) addr: SocketAddr,
    pub(super) stop: Arc<Notify>,
    pub(super) task: Arc<Mutex<Option<JoinHandle<()>>>>,
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
    /// is shown as the loopback address), or the one given to
    /// [`LocalGraphBuilder::base_url`](super::LocalGraphBuilder::base_url).
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

    /// The requests received so far, in order: the last
    /// [`request_log_capacity`](super::LocalGraphBuilder::request_log_capacity) of them.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        lock(&self.graph.shared.log).iter().cloned().collect()
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
