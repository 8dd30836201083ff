//! Signing in to Microsoft Graph, in its global service or one of its national clouds.
//!
//! Each cloud has its own Microsoft Graph root, its own Microsoft Entra authority that issues
//! its tokens, and its own scopes: a token for one cloud is refused by the others. A
//! [`NationalCloud`] sets all three together.
//!
//! ```no_run
//! # fn run() -> Result<(), graph_connectors::Error> {
//! use graph_connectors::{Client, NationalCloud};
//!
//! let cloud = NationalCloud::Global;
//! let credential = cloud.client_credentials("contoso.onmicrosoft.com", "client id", "secret");
//! let client = Client::builder_for(cloud).credential(credential).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

use crate::client::{Client, DEFAULT_BASE_URL};
use crate::runtime::{ClientBuilder, ClientCredentials};

/// A deployment of Microsoft Graph, with the Microsoft Entra authority that signs in to it
/// (learn.microsoft.com, "Microsoft Graph national cloud deployments").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service: `https://graph.microsoft.com`, `https://login.microsoftonline.com`.
    #[default]
    Global,
    /// Microsoft Graph for US Government L4 (GCC High): `https://graph.microsoft.us`,
    /// `https://login.microsoftonline.us`.
    UsGovernmentL4,
    /// Microsoft Graph for US Government L5 (DOD): `https://dod-graph.microsoft.us`,
    /// `https://login.microsoftonline.us`.
    UsGovernmentL5,
    /// Microsoft Graph China operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`,
    /// `https://login.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// The Microsoft Graph service root, without a version.
    pub fn graph_root(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovernmentL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovernmentL5 => "https://dod-graph.microsoft.us",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft Entra authority that issues the cloud's tokens.
    pub fn authority(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://login.microsoftonline.com",
            NationalCloud::UsGovernmentL4 | NationalCloud::UsGovernmentL5 => {
                "https://login.microsoftonline.us"
            }
            NationalCloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The base URL of this crate's API in the cloud: the root and the version of
    /// [`DEFAULT_BASE_URL`] (`/beta`).
    pub fn base_url(self) -> String {
        let version = DEFAULT_BASE_URL
            .strip_prefix(NationalCloud::Global.graph_root())
            .unwrap_or("/beta");
        format!("{}{version}", self.graph_root())
    }

    /// The scope that asks for every application permission granted to the application:
    /// the root's `/.default`.
    pub fn scope(self) -> String {
        format!("{}/.default", self.graph_root())
    }

    /// The client-credentials grant of the application `client_id` in `tenant` (its id or a
    /// domain name) at the cloud's authority, asking for [`scope`](Self::scope).
    pub fn client_credentials(
        self,
        tenant: impl AsRef<str>,
        client_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> ClientCredentials {
        ClientCredentials::entra_at(self.authority(), tenant, client_id, secret).scope(self.scope())
    }
}

impl Client {
    /// A builder for a client of Microsoft Graph in `cloud`: [`Client::builder`] with the
    /// cloud's [base URL](NationalCloud::base_url).
    pub fn builder_for(cloud: NationalCloud) -> ClientBuilder<Client> {
        Client::builder().base_url(cloud.base_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cloud_names_its_graph_root_authority_and_scope_together() {
        assert_eq!(NationalCloud::Global.base_url(), DEFAULT_BASE_URL);
        assert_eq!(
            NationalCloud::UsGovernmentL5.base_url(),
            "https://dod-graph.microsoft.us/beta"
        );
        assert_eq!(
            NationalCloud::China.scope(),
            "https://microsoftgraph.chinacloudapi.cn/.default"
        );
        let credential =
            NationalCloud::UsGovernmentL4.client_credentials("contoso.us", "app", "s3cret");
        let shown = format!("{credential:?}");
        assert!(
            shown.contains("https://login.microsoftonline.us/contoso.us/oauth2/v2.0/token")
                && shown.contains("https://graph.microsoft.us/.default")
                && !shown.contains("s3cret"),
            "{shown}"
        );
    }
}
