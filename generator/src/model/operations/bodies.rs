//! Request bodies: the media type chosen, and the body typed by it (JSON, with a merge
//! patch for PATCH; forms; multipart; text; bytes).

use openapiv3::{ReferenceOr, RequestBody};

use super::{OperationBuilder, struct_fields};
use crate::error::{Error, join_pointer};
use crate::model::refs;
use crate::model::types::TypeSpace;
use crate::model::{Body, BodyKind, HttpMethod, TypeRef};
use crate::names::{self, Role};

impl<'a> OperationBuilder<'a> {
    pub(super) fn body(
        &mut self,
        space: &mut TypeSpace<'a>,
        method: HttpMethod,
        operation: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Option<Body>, Error> {
        let Some(body) = &operation.request_body else {
            return Ok(None);
        };
        let at = join_pointer(pointer, "requestBody");
        let (body, at): (&RequestBody, String) = match body {
            ReferenceOr::Item(body) => (body, at),
            ReferenceOr::Reference { reference } => {
                let components = self.api.components.as_ref().map(|c| &c.request_bodies);
                refs::resolve(components, "requestBodies", reference, &at)?
            }
        };
        let Some((media, content)) = pick_body_media(&body.content) else {
            return Err(Error::unsupported(
                &join_pointer(&at, "content"),
                "the request body declares no media type",
            )
            .with_help("declare at least one entry under `content`"));
        };
        let schema_at = join_pointer(
            &join_pointer(&join_pointer(&at, "content"), media),
            "schema",
        );
        let essence = media_essence(media);
        let hint = names::component_type(&at, "requestBodies")
            .unwrap_or_else(|| names::derived(type_prefix, Role::Request));
        let schema_type = |space: &mut TypeSpace<'a>| -> Result<TypeRef, Error> {
            match &content.schema {
                Some(schema) => Ok(space.type_of_unboxed(schema, &schema_at, &hint)?.ty),
                None => Ok(TypeRef::Json),
            }
        };
        let (kind, ty) = if is_json(media) {
            let ty = schema_type(space)?;
            // A PATCH body of an object type is a merge patch: absent, null and a value differ.
            let ty = match (method, &ty) {
                (HttpMethod::Patch, TypeRef::Named(id)) => {
                    space.patch_of(*id).map_or(ty, TypeRef::Named)
                }
                _ => ty,
            };
            (BodyKind::Json, ty)
        } else if essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data"
        {
            let ty = schema_type(space)?;
            let Some(fields) = struct_fields(space, &ty) else {
                return Err(Error::unsupported(
                    &schema_at,
                    format!("a `{essence}` body must be an object with properties"),
                ));
            };
            if essence == "multipart/form-data" {
                let files = fields
                    .iter()
                    .filter(|f| is_file(&f.ty))
                    .map(|f| f.wire.clone())
                    .collect();
                (BodyKind::Multipart { files }, ty)
            } else {
                (BodyKind::Form, ty)
            }
        } else if essence.starts_with("text/") {
            (BodyKind::Text(essence), TypeRef::String)
        } else {
            (BodyKind::Bytes(essence), TypeRef::Bytes)
        };
        Ok(Some(Body {
            kind,
            ty,
            required: body.required,
            doc: body.description.clone(),
        }))
    }
}

/// The media type of a request body to use: JSON first, then forms, then anything else in
/// document order.
fn pick_body_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    let rank = |media: &str| {
        let essence = media_essence(media);
        if is_json(media) {
            0
        } else if essence == "application/x-www-form-urlencoded" {
            1
        } else if essence == "multipart/form-data" {
            2
        } else {
            3
        }
    };
    content.iter().min_by_key(|(media, _)| rank(media))
}

/// `type/subtype`, lowercase, without parameters.
fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

/// A file part of a multipart body: bytes, or a list of them.
fn is_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Vec(inner) | TypeRef::Option(inner) => is_file(inner),
        _ => false,
    }
}

/// `application/json`, `application/problem+json`, `application/json; charset=utf-8`, ...
pub(super) fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence.ends_with("+json")
        || essence == "text/json"
        || essence == "*/*"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
