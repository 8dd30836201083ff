//! Credentials of the Azure SDK as token sources (feature `azure-identity`): any
//! `azure_core` [`TokenCredential`] (from [`azure_identity`]: managed identity, workload
//! identity, Azure CLI, developer tools, client secret or certificate) signs the client in,
//! with the caching and refreshing of [`credential`](crate::runtime::ClientBuilder::credential).
//!
//! ```no_run
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use graph_connectors::{AzureCredential, Client};
//! use graph_connectors::azure::azure_identity::DeveloperToolsCredential;
//!
//! let credential = AzureCredential::new(DeveloperToolsCredential::new(None)?);
//! let client = Client::builder().credential(credential).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use azure_core;
use azure_core::credentials::TokenCredential;
pub use azure_identity;

use crate::NationalCloud;
use crate::runtime::{AccessToken, BoxError, BoxFuture, TokenSource};

/// An Azure SDK credential as a [`TokenSource`], asking for the scopes of Microsoft Graph
/// (`https://graph.microsoft.com/.default` unless set otherwise).
///
/// `azure_core`'s `TokenCredential` takes no claims: after a continuous access evaluation
/// challenge the credential is asked for a new token without them.
#[derive(Clone)]
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
}

impl AzureCredential {
    /// `credential`, asking for the global Microsoft Graph's `/.default` scope.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self::for_cloud(credential, NationalCloud::Global)
    }

    /// `credential`, asking for the `/.default` scope of Microsoft Graph in `cloud`.
    pub fn for_cloud(credential: Arc<dyn TokenCredential>, cloud: NationalCloud) -> Self {
        AzureCredential {
            credential,
            scopes: vec![cloud.scope()],
        }
    }

    /// Asks for `scopes` instead.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

impl fmt::Debug for AzureCredential {
    /// The credential's own `Debug`, which the Azure SDK keeps free of secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl TokenSource for AzureCredential {
    fn fetch<'a>(
        &'a self,
        _claims: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, BoxError>> {
        Box::pin(async move {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = self
                .credential
                .get_token(&scopes, None)
                .await
                .map_err(|source| AzureTokenError {
                    credential: format!("{:?}", self.credential),
                    source,
                })?;
            let expires_on = u64::try_from(token.expires_on.unix_timestamp())
                .map_or(SystemTime::UNIX_EPOCH, |seconds| {
                    SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
                });
            Ok(AccessToken::with_expiry(token.token.secret(), expires_on))
        })
    }
}

/// An Azure SDK credential that could not supply a token: which one (by its `Debug`, which
/// holds no secret), and the SDK's error.
#[derive(Debug)]
pub struct AzureTokenError {
    /// The credential.
    pub credential: String,
    /// The Azure SDK's error.
    pub source: azure_core::Error,
}

impl fmt::Display for AzureTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.credential, self.source)
    }
}

impl std::error::Error for AzureTokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
