//! Inline enums that several operations' parameters repeat, made one type.
//!
//! Documents written by tools repeat the same inline list in every operation of an entity:
//! Microsoft Graph's `$select`, `$expand` and `$orderby` items are more than half of the types
//! of a Graph module when each copy is its own enum. Copies with the same values in the
//! operations of one collection (a path and the paths of its items: `/places` and
//! `/places/{place-id}`) become one enum, named and defined by the copy of the operation that
//! comes first in an order that does not depend on where operations are written: the shorter
//! path (the collection before its items), then the method. So the name is the one the
//! collection's operation gives (`ListPlaceSelectItem` for `GET /places` and
//! `GET /places/{place-id}`); adding operations does not rename it, and a slice that keeps a
//! collection's operations names it as the whole document does.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};

use super::MethodNames;
use crate::error::join_pointer;
use crate::model::HttpMethod;
use crate::model::types::is_string_enum;
use crate::model::view::{Ty, View};
use crate::names::{self, Role};

/// One inline enum of a parameter: where it is, its schema, the name its operation would give
/// it, and the order key of its operation.
pub(super) struct Copy<'a> {
    pub pointer: String,
    pub schema: &'a Schema,
    pub hint: String,
    order: (usize, &'a str, usize),
}

/// Every group of inline string enums of parameters (or of the items of array parameters)
/// that repeat one another in one collection, each group of two copies or more and first the
/// copy that names and defines the type, in an order that does not depend on `HashMap`s.
pub(super) fn repeated_parameter_enums<'a>(
    api: &'a OpenAPI,
    method_names: &MethodNames,
) -> Vec<Vec<Copy<'a>>> {
    let mut copies: HashMap<String, Vec<Copy<'a>>> = HashMap::new();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_pointer = join_pointer("#/paths", path);
        let depth = path.split('/').filter(|s| !s.is_empty()).count();
        let collection = collection_of(path);
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else {
                continue;
            };
            let pointer = join_pointer(&item_pointer, key);
            let prefix = names::type_name(&method_names.base_name(operation, method, path));
            let order = (depth, path.as_str(), method as usize);
            let shared = item.parameters.iter().enumerate().map(|(i, p)| {
                let at = join_pointer(&join_pointer(&item_pointer, "parameters"), &i.to_string());
                (p, at)
            });
            let own = operation.parameters.iter().enumerate().map(|(i, p)| {
                let at = join_pointer(&join_pointer(&pointer, "parameters"), &i.to_string());
                (p, at)
            });
            for (parameter, at) in shared.chain(own) {
                // A parameter from `components` is one type already.
                let ReferenceOr::Item(parameter) = parameter else {
                    continue;
                };
                for copy in enum_copies(parameter, &at, &prefix, order) {
                    // The collection, the values and the extensions that describe them
                    // (`x-ms-enum`): copies that document their values differently stay apart.
                    let data = &copy.schema.schema_data;
                    let key = serde_json::json!([
                        collection,
                        data.extensions,
                        View::of(copy.schema).enumeration
                    ])
                    .to_string();
                    copies.entry(key).or_default().push(copy);
                }
            }
        }
    }
    let mut groups: Vec<Vec<Copy<'a>>> = copies
        .into_values()
        .filter(|group| group.len() > 1)
        .map(|mut group| {
            group.sort_by(|a, b| {
                a.order
                    .cmp(&b.order)
                    .then_with(|| a.pointer.cmp(&b.pointer))
            });
            group
        })
        .collect();
    groups.sort_by(|a, b| a[0].pointer.cmp(&b[0].pointer));
    groups
}

/// The inline string enums of `parameter` (declared at `at`): its schema, or its array's items.
fn enum_copies<'a>(
    parameter: &'a Parameter,
    at: &str,
    prefix: &str,
    order: (usize, &'a str, usize),
) -> Vec<Copy<'a>> {
    let data = parameter.parameter_data_ref();
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
        return Vec::new();
    };
    let schema_at = join_pointer(at, "schema");
    let hint = names::member_type(prefix, &data.name);
    let view = View::of(schema);
    if is_plain_string_enum(&view) {
        return vec![Copy {
            pointer: schema_at,
            schema,
            hint,
            order,
        }];
    }
    match (view.ty, view.items) {
        (Some(Ty::Array), Some(ReferenceOr::Item(items)))
            if is_plain_string_enum(&View::of(items)) =>
        {
            vec![Copy {
                pointer: join_pointer(&schema_at, "items"),
                schema: items,
                hint: names::derived(&hint, Role::Item),
                order,
            }]
        }
        _ => Vec::new(),
    }
}

/// An `enum` of strings and nothing else (no `oneOf`, `anyOf` or `allOf` beside it), which
/// becomes a Rust enum of its own.
fn is_plain_string_enum(view: &View<'_>) -> bool {
    is_string_enum(view)
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
}

/// The collection `path` addresses: the path without its trailing parameter segments
/// (`/users/{id}/messages/{message-id}` → `/users/{id}/messages`).
fn collection_of(path: &str) -> &str {
    let mut end = path.trim_end_matches('/');
    while let Some((head, last)) = end.rsplit_once('/') {
        if !(last.starts_with('{') && last.ends_with('}')) {
            break;
        }
        end = head;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::collection_of;

    #[test]
    fn a_collection_is_its_path_without_trailing_parameters() {
        assert_eq!(collection_of("/places"), "/places");
        assert_eq!(collection_of("/places/{place-id}"), "/places");
        assert_eq!(
            collection_of("/users/{id}/messages/{message-id}"),
            "/users/{id}/messages"
        );
        assert_eq!(collection_of("/a/{x}/{y}"), "/a");
        assert_eq!(collection_of("/{tenant}"), "");
    }
}
