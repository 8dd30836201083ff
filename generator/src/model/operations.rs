//! Operations: paths and methods into client methods with typed parameters, bodies and
//! responses.

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody, Response,
    SecurityRequirement, StatusCode,
};

use super::refs;
use super::types::{Resolved, TypeSpace};
use super::{
    ArrayStyle, Body, BodyKind, ErrorResponse, HttpMethod, Operation, Param, ParamLocation,
    PathPart, ResponseHeader, StatusBody, Success, TypeKind, TypeRef,
};
use crate::error::{Error, join_pointer};
use crate::names::{self, Namespace};

/// Method names the generated `Client` defines itself.
const CLIENT_METHODS: &[&str] = &["new", "builder", "transport", "from_transport"];
/// Argument names the generated methods use besides parameters.
const RESERVED_ARGUMENTS: &[&str] = &["body", "options", "self", "request", "query"];
/// Type names the client module defines itself.
const CLIENT_TYPES: &[&str] = &["Client", "ClientBuilder", "Error", "Transport"];

/// Builds every operation in document order.
pub fn build_operations<'a>(
    api: &'a OpenAPI,
    space: &mut TypeSpace<'a>,
) -> Result<Vec<Operation>, Error> {
    let mut builder = OperationBuilder {
        api,
        methods: Namespace::with_reserved(CLIENT_METHODS.iter().copied()),
        client_types: Namespace::with_reserved(CLIENT_TYPES.iter().copied()),
    };
    let mut operations = Vec::new();
    // Each operation's problems are independent of the others': report them all at once.
    let mut errors = Vec::new();
    for (path, item) in api.paths.iter() {
        if errors.len() >= crate::error::MAX_DIAGNOSTICS {
            break;
        }
        let item_pointer = join_pointer("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                errors.push(
                    Error::unsupported(
                        &item_pointer,
                        "path items given by `$ref` are not supported",
                    )
                    .with_help("write the path item inline"),
                );
                continue;
            }
        };
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else {
                continue;
            };
            let pointer = join_pointer(&item_pointer, key);
            match builder.operation(space, path, method, &item.parameters, operation, &pointer) {
                Ok(operation) => operations.push(operation),
                Err(error) => errors.push(error),
            }
        }
    }
    Error::from_diagnostics(errors).map_or(Ok(operations), Err)
}

struct OperationBuilder<'a> {
    api: &'a OpenAPI,
    methods: Namespace,
    client_types: Namespace,
}

impl<'a> OperationBuilder<'a> {
    fn operation(
        &mut self,
        space: &mut TypeSpace<'a>,
        path: &str,
        method: HttpMethod,
        shared_parameters: &'a [ReferenceOr<Parameter>],
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let label = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.as_str()));
        let base_name = match &operation.operation_id {
            Some(id) => names::value_name(id),
            None => names::value_name(&format!("{} {path}", method.as_str().to_lowercase())),
        };
        let name = self.methods.claim(&base_name);
        let type_prefix = names::type_name(&name);

        let (params, path_parts) = self.parameters(
            space,
            path,
            shared_parameters,
            operation,
            pointer,
            &type_prefix,
        )?;
        let options = params
            .iter()
            .any(|p| !p.required)
            .then(|| self.client_types.claim(&format!("{type_prefix}Options")));
        let body = self.body(space, method, operation, pointer, &type_prefix)?;
        let (success, errors, responses) =
            self.responses(space, operation, pointer, &type_prefix)?;
        let paging = match (&body, &success) {
            (None, Success::Json(page)) => paging(space, operation, page).map(|mut paging| {
                paging.pages_method = self.methods.claim(&format!("{name}_pages"));
                paging.items_method = self.methods.claim(&format!("{name}_items"));
                paging.request_fn = self.methods.claim(&format!("{name}_request"));
                paging
            }),
            _ => None,
        };
        let security = operation
            .security
            .as_ref()
            .or(self.api.security.as_ref())
            .map(|requirements| describe_security(requirements))
            .unwrap_or_default();
        Ok(Operation {
            name,
            label,
            method,
            path: path.to_owned(),
            path_parts,
            pointer: pointer.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            docs_url: operation.external_docs.as_ref().map(|d| d.url.clone()),
            deprecated: operation.deprecated,
            security,
            params,
            options,
            body,
            success,
            errors,
            responses,
            paging,
        })
    }

    /// Path-item and operation parameters (the operation's win), path parameters first.
    fn parameters(
        &mut self,
        space: &mut TypeSpace<'a>,
        path: &str,
        shared: &'a [ReferenceOr<Parameter>],
        operation: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<(Vec<Param>, Vec<PathPart>), Error> {
        let item_pointer = pointer
            .rsplit_once('/')
            .map_or(pointer, |(head, _)| head)
            .to_owned();
        let mut declared: Vec<(&'a Parameter, String)> = Vec::new();
        let sources = shared
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    join_pointer(&join_pointer(&item_pointer, "parameters"), &i.to_string()),
                )
            })
            .chain(operation.parameters.iter().enumerate().map(|(i, p)| {
                (
                    p,
                    join_pointer(&join_pointer(pointer, "parameters"), &i.to_string()),
                )
            }));
        for (parameter, at) in sources {
            let (parameter, at) = match parameter {
                ReferenceOr::Item(p) => (p, at),
                ReferenceOr::Reference { reference } => {
                    let components = self.api.components.as_ref().map(|c| &c.parameters);
                    let (p, _) = refs::resolve(components, "parameters", reference, &at)?;
                    (p, at)
                }
            };
            let data = parameter.parameter_data_ref();
            let same = |(p, _): &(&Parameter, String)| {
                p.parameter_data_ref().name == data.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(parameter)
            };
            match declared.iter_mut().find(|d| same(d)) {
                Some(existing) => *existing = (parameter, at),
                None => declared.push((parameter, at)),
            }
        }

        let template = parse_template(path);
        let mut namespace = Namespace::with_reserved(RESERVED_ARGUMENTS.iter().copied());
        let mut params = Vec::new();
        let mut path_parts = Vec::new();
        // Path parameters, in the order the template uses them.
        for part in &template {
            match part {
                TemplatePart::Literal(text) => path_parts.push(PathPart::Literal(text.clone())),
                TemplatePart::Param(wire) => {
                    let Some((parameter, at)) = declared.iter().find(|(p, _)| {
                        matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == wire
                    }) else {
                        return Err(Error::invalid(
                            pointer,
                            format!("the path uses `{{{wire}}}` but no path parameter `{wire}` is declared"),
                        )
                        .with_help("declare it under `parameters` with `in: path` and `required: true`"));
                    };
                    path_parts.push(PathPart::Param(params.len()));
                    params.push(self.parameter(
                        space,
                        parameter,
                        at,
                        &mut namespace,
                        type_prefix,
                    )?);
                }
            }
        }
        for (parameter, at) in &declared {
            match parameter {
                Parameter::Path { parameter_data, .. } => {
                    let used = template
                        .iter()
                        .any(|p| matches!(p, TemplatePart::Param(w) if *w == parameter_data.name));
                    if !used {
                        return Err(Error::invalid(
                            at,
                            format!(
                                "path parameter `{}` does not appear in the path `{path}`",
                                parameter_data.name
                            ),
                        ));
                    }
                }
                Parameter::Header { parameter_data, .. }
                    if ["accept", "content-type", "authorization"]
                        .contains(&parameter_data.name.to_ascii_lowercase().as_str()) =>
                {
                    // OpenAPI says these header parameters are ignored: the client sets them.
                }
                _ => params.push(self.parameter(
                    space,
                    parameter,
                    at,
                    &mut namespace,
                    type_prefix,
                )?),
            }
        }
        Ok((params, path_parts))
    }

    fn parameter(
        &mut self,
        space: &mut TypeSpace<'a>,
        parameter: &'a Parameter,
        at: &str,
        namespace: &mut Namespace,
        type_prefix: &str,
    ) -> Result<Param, Error> {
        let data = parameter.parameter_data_ref();
        let (location, style) = match parameter {
            Parameter::Path { .. } => (ParamLocation::Path, ArrayStyle::Csv),
            Parameter::Header { .. } => (ParamLocation::Header, ArrayStyle::Csv),
            Parameter::Query { style, .. } => {
                let style = match style {
                    QueryStyle::Form if data.explode == Some(false) => ArrayStyle::Csv,
                    QueryStyle::Form => ArrayStyle::Exploded,
                    QueryStyle::SpaceDelimited => ArrayStyle::Space,
                    QueryStyle::PipeDelimited => ArrayStyle::Pipe,
                    QueryStyle::DeepObject => {
                        return Err(Error::unsupported(
                            at,
                            format!("query parameter `{}` uses `style: deepObject`, which is not supported", data.name),
                        )
                        .with_help("describe the object's properties as separate query parameters"));
                    }
                };
                (ParamLocation::Query, style)
            }
            Parameter::Cookie { .. } => (ParamLocation::Cookie, ArrayStyle::Csv),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                return Err(Error::unsupported(
                    at,
                    format!(
                        "parameter `{}` is described with `content`, which is not supported",
                        data.name
                    ),
                )
                .with_help("describe the parameter with `schema`"));
            }
        };
        let hint = format!("{type_prefix}{}", names::type_name(&data.name));
        let Resolved { ty, .. } =
            space.type_of_unboxed(schema, &join_pointer(at, "schema"), &hint)?;
        // An array parameter given by a named array schema is still written as an array.
        let ty = array_behind_alias(space, not_null(space, ty));
        if !param_type_supported(space, &ty) {
            return Err(Error::unsupported(
                at,
                format!("parameter `{}` has a type that cannot be written as text", data.name),
            )
            .with_help("parameters must be strings, numbers, booleans, dates, string enums or arrays of these"));
        }
        Ok(Param {
            name: namespace.claim(&names::value_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    fn body(
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
        let hint = format!("{type_prefix}Request");
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

    fn responses(
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
            let hint = if is_success {
                format!("{type_prefix}Response")
            } else {
                format!("{type_prefix}Error")
            };
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
            name: self.client_types.claim(&format!("{type_prefix}Response")),
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
                let hint = format!("{hint}{}", names::type_name(wire));
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
            variant: names.claim(&status_variant(&status)),
            status,
            body,
            headers,
        })
        .collect()
}

/// The variant name for a status: the reason phrase for common codes.
fn status_variant(status: &str) -> String {
    match status {
        "400" => String::from("BadRequest"),
        "401" => String::from("Unauthorized"),
        "403" => String::from("Forbidden"),
        "404" => String::from("NotFound"),
        "405" => String::from("MethodNotAllowed"),
        "409" => String::from("Conflict"),
        "412" => String::from("PreconditionFailed"),
        "422" => String::from("UnprocessableEntity"),
        "429" => String::from("TooManyRequests"),
        "500" => String::from("InternalServerError"),
        "503" => String::from("ServiceUnavailable"),
        "4XX" | "4xx" => String::from("ClientError"),
        "5XX" | "5xx" => String::from("ServerError"),
        "200" => String::from("Ok"),
        "201" => String::from("Created"),
        "202" => String::from("Accepted"),
        "203" => String::from("NonAuthoritativeInformation"),
        "204" => String::from("NoContent"),
        "205" => String::from("ResetContent"),
        "206" => String::from("PartialContent"),
        "default" => String::from("Default"),
        other if other.ends_with("XX") || other.ends_with("xx") => String::from("Success"),
        other => format!("Status{other}"),
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

/// The fields of a struct type (following aliases).
fn struct_fields<'s>(space: &'s TypeSpace<'_>, ty: &TypeRef) -> Option<&'s [super::Field]> {
    match ty {
        TypeRef::Named(id) => match &space.def(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            TypeKind::Alias(inner) => struct_fields(space, inner),
            _ => None,
        },
        _ => None,
    }
}

/// Paging of an operation whose response is `page`: the `x-ms-pageable` extension names the
/// next-link and item properties (`nextLinkName: null` turns paging off); without it, a page
/// is recognised by the OData shape, an array `value` beside `@odata.nextLink`.
fn paging(
    space: &TypeSpace<'_>,
    operation: &openapiv3::Operation,
    page: &TypeRef,
) -> Option<super::Paging> {
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
    Some(super::Paging {
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

/// The type a chain of aliases names (`ty` itself when it is no alias), followed for at most
/// 16 links, as the model allows no longer chain.
fn behind_aliases<'s>(space: &'s TypeSpace<'_>, ty: &'s TypeRef) -> &'s TypeRef {
    let mut current = ty;
    for _ in 0..16 {
        match current {
            TypeRef::Named(id) => match &space.def(*id).kind {
                TypeKind::Alias(inner) => current = inner,
                _ => break,
            },
            _ => break,
        }
    }
    current
}

/// `ty` itself, or the array type a chain of aliases names.
fn array_behind_alias(space: &TypeSpace<'_>, ty: TypeRef) -> TypeRef {
    let array = match behind_aliases(space, &ty) {
        array @ TypeRef::Vec(_) => Some(array.clone()),
        _ => None,
    };
    array.unwrap_or(ty)
}

/// The type of a `nullable` parameter schema without the null (through aliases): a path,
/// query or header has no null to write, and leaving an optional parameter out says the same.
fn not_null(space: &TypeSpace<'_>, ty: TypeRef) -> TypeRef {
    let inner = match behind_aliases(space, &ty) {
        TypeRef::Option(inner) => Some((**inner).clone()),
        _ => None,
    };
    inner.unwrap_or(ty)
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
fn is_json(media: &str) -> bool {
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

/// Types a parameter can have: scalars, string enums, and arrays of those.
fn param_type_supported(space: &TypeSpace<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid => true,
        TypeRef::Vec(inner) => {
            !matches!(**inner, TypeRef::Vec(_)) && param_type_supported(space, inner)
        }
        TypeRef::Named(id) => match &space.def(*id).kind {
            TypeKind::StringEnum(_) => true,
            TypeKind::Alias(inner) => param_type_supported(space, inner),
            TypeKind::OneOf(one_of) => {
                one_of.tag.is_none()
                    && one_of
                        .variants
                        .iter()
                        .all(|v| param_type_supported(space, &v.ty))
            }
            TypeKind::Struct(_) => false,
        },
        _ => false,
    }
}

fn describe_security(requirements: &[SecurityRequirement]) -> Vec<String> {
    requirements
        .iter()
        .map(|requirement| {
            requirement
                .iter()
                .map(|(scheme, scopes)| {
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme}: {}", scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Debug, PartialEq)]
enum TemplatePart {
    Literal(String),
    Param(String),
}

/// Splits `/a/{b}/c{d}` into literals and parameter names.
fn parse_template(path: &str) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            parts.push(TemplatePart::Literal(rest[..open].to_owned()));
        }
        parts.push(TemplatePart::Param(rest[open + 1..open + close].to_owned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest.to_owned()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_literals_and_parameters() {
        assert_eq!(
            parse_template("/a/{b-id}/c"),
            vec![
                TemplatePart::Literal("/a/".into()),
                TemplatePart::Param("b-id".into()),
                TemplatePart::Literal("/c".into())
            ]
        );
        assert_eq!(
            parse_template("/x"),
            vec![TemplatePart::Literal("/x".into())]
        );
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
