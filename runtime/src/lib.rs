//! The runtime shared by every client the `clientsmith` crate writes.
//!
//! A generated crate depends on this crate and re-exports it as its `runtime`
//! module (`pub use clientsmith_runtime as runtime;`), so generated code and its
//! users name everything here as `crate::runtime::…`. The generated code
//! stays thin: an operation fills in a [`Request`] and returns a [`Call`],
//! which sends it with [`Transport::send`] and decodes the
//! [`Response`]; everything else (URL and parameter encoding, authentication,
//! request ids, retries, tracing, error mapping) lives here, once.
//!
//! - [`ClientBuilder`] configures a client; [`Transport`] is the built, cheaply
//!   cloneable connection it wraps, and [`RetryPolicy`] says how throttled and
//!   failed requests are retried.
//! - [`paging`] follows `@odata.nextLink` through the pages of a collection.
//! - [`TokenProvider`], [`AccessToken`] and [`StaticToken`] supply bearer
//!   tokens, which never appear in `Debug` output or errors; [`TokenCache`]
//!   keeps the tokens of a [`TokenSource`] such as [`ClientCredentials`]
//!   until shortly before they expire, refreshing once for any number of
//!   waiting requests.
//! - [`ParamValue`], [`path_segment`] and [`Query`] encode path, query and
//!   header parameters.
//! - [`objects`] encodes the generated structs, and decodes those whose
//!   fields may all be absent.
//! - [`Lenient`] keeps the members of `additionalProperties` maps that do not match
//!   what the document declares, as JSON, so decoding never fails on them.
//! - [`Patch`] is the three-state (absent / null / value) property of PATCH
//!   bodies.
//! - [`Error`] and [`ApiError`] describe failures, with the operation, the HTTP
//!   status, the OData error code and message and the request id.
//!
//! The `server` feature adds the `server` module: what a generated crate's serving side
//! (its own `server` feature: a trait per API and an axum router) uses to
//! decode requests and encode responses.

pub mod bodies;
mod call;
pub mod enums;
mod error;
mod lenient;
pub mod objects;
pub mod paging;
mod params;
mod patch;
#[cfg(feature = "server")]
mod query_objects;
#[cfg(feature = "server")]
pub mod server;
mod transport;
pub mod variants;

pub use call::{Call, Decode};
pub use error::{ApiError, BoxError, DecodeError, Error, PagingError};
pub use lenient::Lenient;
pub use params::{JsonText, ObjectStyle, ParamValue, Query, path_segment};
pub use patch::Patch;
pub use transport::{
    AccessToken, Batch, BatchItem, BatchResults, BoxFuture, ClientBuilder, ClientCredentials,
    RedirectPolicy, Request, Requirements, Response, RetryPolicy, Scheme, StaticToken, TokenCache,
    TokenError, TokenFailure, TokenProvider, TokenSource, Transport,
};

/// The HTTP client the runtime is built on, re-exported so that code passing a
/// custom client to [`ClientBuilder::http_client`] or reading
/// [`ApiError::headers`] uses the same version.
pub use reqwest;
/// HTTP methods, as used by [`Request::new`].
pub use reqwest::Method;
