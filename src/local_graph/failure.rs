//! Refusals: a [`Failure`] and the OData error body it becomes.

use super::*;

/// A request the local Graph refuses, before it becomes an OData error body.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) status: StatusCode,
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) target: Option<String>,
}

impl Failure {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            target: None,
        }
    }

    pub(super) fn bad_request(target: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            target: Some(target.into()),
            ..Failure::new(StatusCode::BAD_REQUEST, "BadRequest", message)
        }
    }

    pub(super) fn not_found(resource: &Resource, id: &str) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!("Resource '{}' with id '{id}' was not found.", resource.name),
        )
    }

    /// Graph's answer to a body member its type does not declare.
    pub(super) fn no_such_property(resource: &Resource, key: &str) -> Self {
        Failure::bad_request(
            key,
            format!(
                "The property '{key}' does not exist on type '{}'. Make sure to only use property \
                 names that are defined by the type.",
                resource.odata_type.trim_start_matches('#')
            ),
        )
    }

    pub(super) fn internal(message: impl Into<String>) -> Self {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            message,
        )
    }

    pub(super) fn body(&self, context: &RequestContext) -> ODataError {
        ODataError {
            error: MainError {
                code: self.code.to_owned(),
                message: self.message.clone(),
                target: self.target.clone(),
                details: None,
                inner_error: Some(context.inner_error()),
                additional_properties: BTreeMap::new(),
            },
            additional_properties: BTreeMap::new(),
        }
    }

    pub(super) fn into_response(self, context: &RequestContext) -> Response {
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
pub(super) trait FromFailure {
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

pub(super) fn failed<R: FromFailure>(failure: Failure) -> R {
    let body = failure.body(&RequestContext::current());
    let status = failure.status.as_u16();
    if failure.status.is_server_error() {
        R::server_error(status, body)
    } else {
        R::client_error(status, body)
    }
}
