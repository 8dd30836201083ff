//! The collections and the operations on them, for any of the three collections.

use super::*;

impl LocalGraph {
    pub(super) fn create<E: Serialize + DeserializeOwned>(
        &self,
        resource: &Resource,
        body: &E,
    ) -> Result<E, Failure> {
        let mut object = to_object(body)?;
        check_members(resource, &mut object)?;
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
        // What is stored must be an entity of its type: decoded before it is stored.
        let mut answer = object.clone();
        answer.insert(
            "@odata.context".into(),
            self.context_url(resource, "/$entity").into(),
        );
        let created = from_object(answer)?;
        lock(&self.shared.store)
            .entry(resource.path)
            .or_default()
            .insert(object);
        Ok(created)
    }

    pub(super) fn get<E: DeserializeOwned>(
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
        let context = self.context_url(resource, &format!("{}/$entity", selection(select)));
        object.insert("@odata.context".into(), context.into());
        from_object(object)
    }

    pub(super) fn list<E: DeserializeOwned>(
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
                .flat_map(Collection::iter)
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
        let next_link = (end < total)
            .then(|| next_link(&self.base_url(&context), resource.path, &options, end));
        let context_url = self.context_url(resource, &selection(&options.select));
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
            context: context_url,
            count: (options.count == Some(true)).then(|| i64::try_from(total).unwrap_or(i64::MAX)),
            next_link,
            items,
        })
    }

    pub(super) fn update<E: DeserializeOwned, U: Serialize>(
        &self,
        resource: &Resource,
        id: &str,
        patch: &U,
    ) -> Result<(), Failure> {
        let mut patch = to_object(patch)?;
        check_members(resource, &mut patch)?;
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
            .and_then(|items| items.get_mut(id))
            .ok_or_else(|| Failure::not_found(resource, id))?;
        let mut merged = object.clone();
        merge_patch(&mut merged, patch);
        // What is stored must stay an entity of its type.
        from_object::<E>(merged.clone())?;
        *object = merged;
        Ok(())
    }

    pub(super) fn delete(
        &self,
        resource: &Resource,
        id: &str,
        if_match: Option<&str>,
    ) -> Result<(), Failure> {
        let mut store = lock(&self.shared.store);
        let items = store.entry(resource.path).or_default();
        if items.get(id).is_none() {
            return Err(Failure::not_found(resource, id));
        }
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
        items.remove(id);
        Ok(())
    }
}

impl LocalGraph {
    /// The base URL links are built from: the configured one, else the one the server was
    /// started on.
    fn base_url(&self, context: &RequestContext) -> String {
        context
            .base_url
            .clone()
            .or_else(|| self.shared.base_url.get().cloned())
            .unwrap_or_else(|| "http://localhost".to_owned())
    }

    /// The `@odata.context` of an answer about `resource`'s collection, as Graph writes it:
    /// `{base}/$metadata#deviceManagement/ndesConnectors`, followed by `suffix` (`/$entity`
    /// for one entity).
    fn context_url(&self, resource: &Resource, suffix: &str) -> String {
        let base_url = self.base_url(&self.context());
        format!(
            "{}/$metadata#{}{suffix}",
            base_url.trim_end_matches('/'),
            resource.path.trim_start_matches('/')
        )
    }
}

/// The selected properties as Graph names them in an `@odata.context`:
/// `#ndesConnectors(id,state)`; nothing without `$select`.
fn selection(select: &[String]) -> String {
    if select.is_empty() {
        String::new()
    } else {
        format!("({})", select.join(","))
    }
}

/// Refuses a body member that `resource` does not declare, as the HTTP front does (this also
/// holds for [`Api`] methods called directly), and drops instance annotations
/// (`@odata.context` and `property@odata.type` sent back with an entity that was read): Graph
/// does not store them. `@odata.type` is a property.
fn check_members(resource: &Resource, object: &mut Object) -> Result<(), Failure> {
    let undeclared = object
        .keys()
        .find(|key| *key != "@odata.type" && !key.contains('@') && resource.property(key).is_none())
        .cloned();
    if let Some(key) = undeclared {
        return Err(Failure::no_such_property(resource, &key));
    }
    object.retain(|key, _| key == "@odata.type" || !key.contains('@'));
    Ok(())
}

pub(super) fn find<'a>(
    store: &'a BTreeMap<&'static str, Collection>,
    resource: &Resource,
    id: &str,
) -> Option<&'a Object> {
    store.get(resource.path)?.get(id)
}

/// The entities of one collection, in the order they were created and indexed by id, so
/// that a lookup, an update or a delete by id costs the same for the first entity and the
/// 20,000th.
#[derive(Debug, Default)]
pub(super) struct Collection {
    /// The entities by creation number: iteration is in creation order.
    items: BTreeMap<u64, Object>,
    /// The creation number of each id.
    ids: HashMap<String, u64>,
    /// The creation number of the next entity.
    next: u64,
}

impl Collection {
    /// How many entities there are.
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    /// Adds an entity, which has an `id` (server-assigned, so new).
    pub(super) fn insert(&mut self, object: Object) {
        let id = object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let number = self.next;
        self.next += 1;
        self.ids.insert(id, number);
        self.items.insert(number, object);
    }

    pub(super) fn get(&self, id: &str) -> Option<&Object> {
        self.items.get(self.ids.get(id)?)
    }

    pub(super) fn get_mut(&mut self, id: &str) -> Option<&mut Object> {
        self.items.get_mut(self.ids.get(id)?)
    }

    pub(super) fn remove(&mut self, id: &str) -> Option<Object> {
        let number = self.ids.remove(id)?;
        self.items.remove(&number)
    }

    /// The entities in creation order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Object> {
        self.items.values()
    }
}

pub(super) fn check_type(resource: &Resource, value: Option<&Value>) -> Result<(), Failure> {
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
pub(super) fn merge_patch(target: &mut Object, patch: Object) {
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

pub(super) fn to_object<T: Serialize>(value: &T) -> Result<Object, Failure> {
    match serde_json::to_value(value) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Failure::internal("the body is not a JSON object")),
        Err(error) => Err(Failure::internal(format!(
            "the body could not be encoded: {error}"
        ))),
    }
}

pub(super) fn from_object<T: DeserializeOwned>(object: Object) -> Result<T, Failure> {
    serde_json::from_value(Value::Object(object)).map_err(|error| {
        Failure::internal(format!("a stored entity does not match its type: {error}"))
    })
}

/// The options of a list operation, the same for every collection.
#[derive(Debug, Clone, Default)]
pub(super) struct ListQuery {
    pub(super) top: Option<i32>,
    pub(super) skip: Option<i32>,
    pub(super) search: Option<String>,
    pub(super) filter: Option<String>,
    pub(super) count: Option<bool>,
    pub(super) orderby: Vec<String>,
    pub(super) select: Vec<String>,
    pub(super) expand: Vec<String>,
}

/// One page of a collection.
pub(super) struct Page<E> {
    /// The page's `@odata.context`.
    pub(super) context: String,
    pub(super) count: Option<i64>,
    pub(super) next_link: Option<String>,
    pub(super) items: Vec<E>,
}

/// The link to the page starting at item `skip`, with the same options.
pub(super) fn next_link(base_url: &str, path: &str, options: &ListQuery, skip: usize) -> String {
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
