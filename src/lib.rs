//! Typed async client for three Microsoft Graph (beta) collections:
//! NDES connectors (`/deviceManagement/ndesConnectors`), Offline Domain Join connectors
//! (`/deviceManagement/domainJoinConnectors`) and on-premises publishing connectors
//! (`/connectors`).
//!
//! `client`, `models` and `server` are generated from `spec/connectors.yaml` into
//! `generated/` by the `clientsmith` crate; edit the document, not the generated files.
//! [`runtime`] is the hand-written `clientsmith-runtime` crate they share.
//!
//! ```no_run
//! # async fn run() -> Result<(), graph_connectors::Error> {
//! use graph_connectors::Client;
//! use graph_connectors::client::ListNdesConnectorsOptions;
//!
//! let client = Client::new("<access token>")?;
//! let page = client
//!     .list_ndes_connectors(&ListNdesConnectorsOptions { top: Some(10), ..Default::default() })
//!     .await?;
//! for connector in page.value.unwrap_or_default() {
//!     println!("{:?} {:?}", connector.display_name, connector.state);
//! }
//! # Ok(())
//! # }
//! ```

// The generated modules are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "../generated/client.rs"]
pub mod client;
#[rustfmt::skip]
#[path = "../generated/models.rs"]
pub mod models;
#[cfg(feature = "server")]
#[rustfmt::skip]
#[path = "../generated/server.rs"]
pub mod server;

#[cfg(feature = "azure-identity")]
pub mod azure;
mod cloud;
#[cfg(feature = "server")]
pub mod local_graph;

/// The runtime the generated modules call as `crate::runtime`: transport, paging, parameter
/// encoding and errors, from the `clientsmith-runtime` crate.
pub use clientsmith_runtime as runtime;

pub use client::Client;

impl Client {
    /// An empty JSON batch: up to 20 of this client's calls sent as one `POST /$batch`, each
    /// decoded as awaiting it would have been (see [`runtime::Batch`]).
    pub fn batch(&self) -> runtime::Batch {
        self.transport().batch()
    }
}
#[cfg(feature = "azure-identity")]
pub use azure::AzureCredential;
pub use cloud::NationalCloud;
pub use runtime::{ClientCredentials, Error};
