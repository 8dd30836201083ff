//! Responses: each status read into a success body or an error, the successes combined into
//! one type or a response enum, and the headers each response declares.

use openapiv3::{OpenAPI, ParameterSchemaOrContent, ReferenceOr, Response, StatusCode};

use super::OperationBuilder;
use super::bodies::is_json;
use super::parameters::{not_null, param_type_supported};
use crate::error::{Error, join_pointer};
use crate::model::refs;
use crate::model::types::TypeSpace;
use crate::model::{ErrorResponse, ResponseHeader, StatusBody, Success, TypeKind, TypeRef};
use crate::names::{self, Namespace, Role};

impl<'a> OperationBuilder<'a> {
    pub(super) fn responses(
        &mut self,
        space: &mut TypeSpace<'a>,
        operation: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<(Success, Vec<ErrorResponse>, Vec<StatusBody>), Error> {
        let at = join_pointer(pointer, "responses");
        let mut entries: Vec<(String, bool, &'a ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(code, response)| {
                let success = match code {
                    StatusCode::Code(code) => (200..300).contains(code),
                    StatusCode::Range(range) => *range == 2,
                };
                (code.to_string(), success, response)
            })
            .collect();
        let any_success = entries.iter().any(|(_, success, _)| *success);
        if let Some(default) = &operation.responses.default {
            // `default` is the success response only when no other success is declared.
            entries.push((String::from("default"), !any_success, default));
        }

        let mut successes: Vec<(String, Success, Vec<ResponseHeader>)> = Vec::new();
        let mut errors = Vec::new();
        let mut all: Vec<(String, Success, Vec<ResponseHeader>)> = Vec::new();
        for (code, is_success, response) in entries {
            let response_at = join_pointer(&at, &code);
            let (response, response_at) = match response {
                ReferenceOr::Item(r) => (r, response_at),
                ReferenceOr::Reference { reference } => {
                    let components = self.api.components.as_ref().map(|c| &c.responses);
                    refs::resolve(components, "responses", reference, &response_at)?
                }
            };
            let role = if is_success {
                Role::Response
            } else {
                Role::Error
            };
            let hint = names::component_type(&response_at, "responses")
                .unwrap_or_else(|| names::derived(type_prefix, role));
            let body = self.response_body(space, response, &response_at, &hint)?;
            let headers = response_headers(self.api, space, response, &response_at, &hint)?;
            all.push((code.clone(), body.clone(), headers));
            if is_success {
                // The client returns bodies; the serving side sets headers (see `all`).
                successes.push((code, body, Vec::new()));
            } else {
                let ty = match body {
                    Success::Json(ty) => Some(ty),
                    _ => None,
                };
                errors.push(ErrorResponse { status: code, ty });
            }
        }
        let success = self.combine_successes(successes, type_prefix);
        Ok((success, errors, status_bodies(all)))
    }

    /// One body type when every success status agrees (ignoring statuses without a body, since
    /// services such as Microsoft Graph answer `204` where a body is declared); otherwise a
    /// response enum with a variant per status.
    fn combine_successes(
        &mut self,
        successes: Vec<(String, Success, Vec<ResponseHeader>)>,
        type_prefix: &str,
    ) -> Success {
        let mut bodies: Vec<&Success> = successes
            .iter()
            .map(|(_, b, _)| b)
            .filter(|b| **b != Success::Empty)
            .collect();
        bodies.dedup();
        if bodies.windows(2).all(|w| w[0] == w[1]) {
            return bodies.first().map_or(Success::Empty, |b| (*b).clone());
        }
        let statuses = status_bodies(successes);
        Success::Multiple {
            name: self
                .client_types
                .claim(&names::derived(type_prefix, Role::Response)),
            statuses,
        }
    }

    fn response_body(
        &mut self,
        space: &mut TypeSpace<'a>,
        response: &'a Response,
        at: &str,
        hint: &str,
    ) -> Result<Success, Error> {
        let content_at = join_pointer(at, "content");
        if let Some((media, content)) = response.content.iter().find(|(media, _)| is_json(media)) {
            let schema_at = join_pointer(&join_pointer(&content_at, media), "schema");
            let ty = match &content.schema {
                Some(schema) => space.type_of_unboxed(schema, &schema_at, hint)?.ty,
                None => TypeRef::Json,
            };
            return Ok(Success::Json(ty));
        }
        if let Some((media, content)) = response
            .content
            .iter()
            .find(|(media, _)| media.starts_with("text/plain"))
        {
            let schema_at = join_pointer(&join_pointer(&content_at, media), "schema");
            let ty = match &content.schema {
                Some(schema) => space.type_of_unboxed(schema, &schema_at, hint)?.ty,
                None => TypeRef::String,
            };
            return Ok(if is_text_parsable(space, &ty) {
                Success::Text(ty)
            } else {
                Success::Text(TypeRef::String)
            });
        }
        if response.content.is_empty() {
            Ok(Success::Empty)
        } else {
            Ok(Success::Bytes)
        }
    }
}

/// The headers `response` declares, but `Content-Type` (which OpenAPI says to ignore: the
/// body's media type sets it). A header of a type that is not written as text (an object, an
/// array of arrays) is carried as the text itself.
fn response_headers<'a>(
    api: &'a OpenAPI,
    space: &mut TypeSpace<'a>,
    response: &'a Response,
    at: &str,
    hint: &str,
) -> Result<Vec<ResponseHeader>, Error> {
    let mut names = Namespace::new();
    let mut headers = Vec::new();
    for (wire, header) in &response.headers {
        if wire.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let header_at = join_pointer(&join_pointer(at, "headers"), wire);
        let (header, header_at) = match header {
            ReferenceOr::Item(header) => (header, header_at),
            ReferenceOr::Reference { reference } => {
                let components = api.components.as_ref().map(|c| &c.headers);
                refs::resolve(components, "headers", reference, &header_at)?
            }
        };
        let ty = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let hint = names::member_type(hint, wire);
                let ty = space
                    .type_of_unboxed(schema, &join_pointer(&header_at, "schema"), &hint)?
                    .ty;
                let ty = not_null(space, ty);
                if param_type_supported(space, &ty) && !matches!(ty, TypeRef::Vec(_)) {
                    ty
                } else {
                    TypeRef::String
                }
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        headers.push(ResponseHeader {
            name: names.claim(&names::value_name(wire)),
            wire: wire.clone(),
            ty,
            required: header.required,
            doc: header.description.clone(),
        });
    }
    Ok(headers)
}

/// Orders responses as they are matched (exact codes, then ranges, then `default`) and names
/// a variant for each.
fn status_bodies(mut responses: Vec<(String, Success, Vec<ResponseHeader>)>) -> Vec<StatusBody> {
    responses.sort_by_key(|(status, _, _)| match status.as_str() {
        "default" => 2,
        s if s.ends_with("XX") || s.ends_with("xx") => 1,
        _ => 0,
    });
    let mut names = Namespace::new();
    responses
        .into_iter()
        .map(|(status, body, headers)| StatusBody {
            variant: names.claim(&names::status_variant(&status)),
            status,
            body,
            headers,
        })
        .collect()
}

/// Scalars that `FromStr` can parse from a `text/plain` body.
fn is_text_parsable(space: &TypeSpace<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::String => true,
        TypeRef::Named(id) => match &space.def(*id).kind {
            TypeKind::Alias(inner) => is_text_parsable(space, inner),
            _ => false,
        },
        _ => false,
    }
}
