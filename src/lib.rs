//! Typed async client for three Microsoft Graph (beta) collections:
//! NDES connectors (`/deviceManagement/ndesConnectors`), Offline Domain Join connectors
//! (`/deviceManagement/domainJoinConnectors`) and on-premises publishing connectors
//! (`/connectors`).
//!
//! Everything below is generated from `spec/connectors.yaml` into `generated/` by the
//! `generator` crate; edit the document, not the generated files.
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
#[rustfmt::skip]
#[path = "../generated/runtime/mod.rs"]
pub mod runtime;
#[cfg(feature = "server")]
#[rustfmt::skip]
#[path = "../generated/server.rs"]
pub mod server;

#[cfg(feature = "server")]
pub mod local_graph;

pub use client::Client;
pub use runtime::Error;
