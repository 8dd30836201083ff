//! Paging: a response that is one page of a list, told by `x-ms-pageable` or by the OData
//! shape.

use super::struct_fields;
use crate::model::types::TypeSpace;
use crate::model::{Paging, TypeRef};

/// Paging of an operation whose response is `page`: the `x-ms-pageable` extension names the
/// next-link and item properties (`nextLinkName: null` turns paging off); without it, a page
/// is recognised by the OData shape, an array `value` beside `@odata.nextLink`.
pub(super) fn paging(
    space: &TypeSpace<'_>,
    operation: &openapiv3::Operation,
    page: &TypeRef,
) -> Option<Paging> {
    let (next_link, items) = match operation.extensions.get("x-ms-pageable") {
        Some(pageable) => (
            pageable.get("nextLinkName")?.as_str()?.to_owned(),
            pageable
                .get("itemName")
                .and_then(|v| v.as_str())
                .unwrap_or("value")
                .to_owned(),
        ),
        None => (String::from("@odata.nextLink"), String::from("value")),
    };
    let fields = struct_fields(space, page)?;
    let link = fields
        .iter()
        .find(|f| f.wire == next_link && f.ty == TypeRef::String)?;
    let list = fields.iter().find(|f| f.wire == items)?;
    let TypeRef::Vec(item) = &list.ty else {
        return None;
    };
    Some(Paging {
        pages_method: String::new(),
        items_method: String::new(),
        request_fn: String::new(),
        page: page.clone(),
        items_field: list.name.clone(),
        items_optional: list.optional(),
        item: (**item).clone(),
        next_link_field: link.name.clone(),
        next_link_optional: link.optional(),
    })
}
