//! The generated [`Api`] implemented by the operations of [`store`](super::store).

use super::*;

/// The options of a list operation of any collection, as a [`ListQuery`].
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

/// The catch-all members of a collection response: its `@odata.context`.
fn context_member(context: String) -> BTreeMap<String, serde_json::Value> {
    BTreeMap::from([("@odata.context".to_owned(), context.into())])
}

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
                additional_properties: context_member(page.context),
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
                    additional_properties: context_member(page.context),
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
                additional_properties: context_member(page.context),
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
