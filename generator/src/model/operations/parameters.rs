//! Parameters: the path template split into literals and parameters, and the path-item and
//! operation parameters merged, resolved and typed as values written as text.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use super::{OperationBuilder, bodies};
use crate::error::{Error, join_pointer};
use crate::model::refs;
use crate::model::types::TypeSpace;
use crate::model::{
    ArrayStyle, ObjectStyle, Param, ParamEncoding, ParamLocation, PathPart, TypeKind, TypeRef,
};
use crate::names::{self, Namespace};

/// Argument names the generated methods use besides parameters.
const RESERVED_ARGUMENTS: &[&str] = &["body", "options", "self", "request", "query"];

impl<'a> OperationBuilder<'a> {
    /// Path-item and operation parameters (the operation's win), path parameters first.
    pub(super) fn parameters(
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
        // Which list each declared parameter came from: the operation's replace the path
        // item's, but one list naming a parameter twice is a mistake.
        let mut lists: Vec<bool> = Vec::new();
        let sources = shared
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    join_pointer(&join_pointer(&item_pointer, "parameters"), &i.to_string()),
                    false,
                )
            })
            .chain(operation.parameters.iter().enumerate().map(|(i, p)| {
                (
                    p,
                    join_pointer(&join_pointer(pointer, "parameters"), &i.to_string()),
                    true,
                )
            }));
        for (parameter, at, own) in sources {
            let listed_at = at.clone();
            let (parameter, at) = match parameter {
                ReferenceOr::Item(p) => (p, at),
                ReferenceOr::Reference { reference } => {
                    let components = self.api.components.as_ref().map(|c| &c.parameters);
                    // The component's own location: its types are made once, for every
                    // operation that refers to it.
                    refs::resolve(components, "parameters", reference, &at)?
                }
            };
            let data = parameter.parameter_data_ref();
            let same = |(p, _): &(&Parameter, String)| {
                p.parameter_data_ref().name == data.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(parameter)
            };
            match declared.iter().position(same) {
                Some(index) => {
                    if lists[index] == own {
                        space.tolerate(
                            Error::invalid(
                                &listed_at,
                                format!("parameter `{}` is declared twice in one list", data.name),
                            )
                            .with_help(
                                "a parameter is identified by its name and location: remove one",
                            ),
                            "the later declaration counts",
                        )?;
                    }
                    declared[index] = (parameter, at);
                    lists[index] = own;
                }
                None => {
                    declared.push((parameter, at));
                    lists.push(own);
                }
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
                        space.tolerate(
                            Error::invalid(
                                pointer,
                                format!("the path uses `{{{wire}}}` but no path parameter `{wire}` is declared"),
                            )
                            .with_help("declare it under `parameters` with `in: path` and `required: true`"),
                            "it is taken as a required string path parameter",
                        )?;
                        path_parts.push(PathPart::Param(params.len()));
                        params.push(Param {
                            name: namespace.claim(&names::value_name(wire)),
                            wire: wire.clone(),
                            pointer: pointer.to_owned(),
                            location: ParamLocation::Path,
                            ty: TypeRef::String,
                            required: true,
                            style: ArrayStyle::Csv,
                            encoding: ParamEncoding::Text,
                            allow_reserved: false,
                            doc: None,
                            deprecated: false,
                        });
                        continue;
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
        let (location, query_style, allow_reserved) = match parameter {
            Parameter::Path { .. } => (ParamLocation::Path, None, false),
            Parameter::Header { .. } => (ParamLocation::Header, None, false),
            Parameter::Query {
                style,
                allow_reserved,
                ..
            } => (ParamLocation::Query, Some(style), *allow_reserved),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, None, false),
        };
        // `form`, the query's default style, explodes unless told otherwise; the others do not.
        let explode = data
            .explode
            .unwrap_or(matches!(query_style, Some(QueryStyle::Form)));
        let style = match query_style {
            Some(QueryStyle::SpaceDelimited) => ArrayStyle::Space,
            Some(QueryStyle::PipeDelimited) => ArrayStyle::Pipe,
            Some(QueryStyle::Form | QueryStyle::DeepObject) if explode => ArrayStyle::Exploded,
            _ => ArrayStyle::Csv,
        };
        let hint = names::component_type(at, "parameters")
            .unwrap_or_else(|| names::member_type(type_prefix, &data.name));
        let unsupported =
            |what: &str| Error::unsupported(at, format!("parameter `{}` {what}", data.name));
        let (schema, schema_at, media) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (Some(schema), join_pointer(at, "schema"), None)
            }
            ParameterSchemaOrContent::Content(content) => {
                let Some((media, media_type)) = content.first() else {
                    return Err(unsupported("has an empty `content`")
                        .with_help("name one media type under `content`, or describe the parameter with `schema`"));
                };
                let media_at = join_pointer(&join_pointer(at, "content"), media);
                (
                    media_type.schema.as_ref(),
                    join_pointer(&media_at, "schema"),
                    Some(media.as_str()),
                )
            }
        };
        // A value described by `content` is one text, whatever its type.
        let style = if media.is_some() {
            ArrayStyle::Csv
        } else {
            style
        };
        let ty = match schema {
            Some(schema) => space.type_of_unboxed(schema, &schema_at, &hint)?.ty,
            None if media.is_some() => TypeRef::Json,
            None => TypeRef::String,
        };
        // An array parameter given by a named array schema is still written as an array.
        let ty = array_behind_alias(space, not_null(space, ty));
        let encoding = if media.is_some_and(bodies::is_json) {
            if matches!(ty, TypeRef::Bytes) {
                return Err(
                    unsupported("is JSON text of bytes, which cannot be written")
                        .with_help("describe the parameter as a string"),
                );
            }
            ParamEncoding::Json
        } else if param_type_supported(space, &ty) {
            ParamEncoding::Text
        } else if let (Some(query_style), None) = (query_style, media) {
            let items_are_objects = match &ty {
                TypeRef::Vec(items) => object_like(space, items),
                _ => false,
            };
            match query_style {
                QueryStyle::DeepObject if object_like(space, &ty) || items_are_objects => {
                    ParamEncoding::Object(ObjectStyle::DeepObject)
                }
                QueryStyle::Form if object_like(space, &ty) => {
                    ParamEncoding::Object(ObjectStyle::Form { explode })
                }
                QueryStyle::Form if items_are_objects => ParamEncoding::Json,
                _ => {
                    return Err(unsupported("has a type its `style` cannot write").with_help(
                        "objects and arrays of objects can be written in `form` or `deepObject` style; \
                         other query parameters must be strings, numbers, booleans, dates, string enums or arrays of these",
                    ));
                }
            }
        } else {
            return Err(unsupported("has a type that cannot be written as text").with_help(
                "outside the query, parameters must be strings, numbers, booleans, dates, string enums or arrays of these, \
                 or be described with `content: application/json`",
            ));
        };
        // AutoRest's `x-ms-client-name` names the argument; the wire name stays.
        let client_name = data
            .extensions
            .get("x-ms-client-name")
            .and_then(serde_json::Value::as_str)
            .filter(|name| !name.trim().is_empty());
        Ok(Param {
            name: namespace.claim(&names::value_name(client_name.unwrap_or(&data.name))),
            wire: data.name.clone(),
            pointer: at.to_owned(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            encoding,
            allow_reserved: allow_reserved && encoding == ParamEncoding::Text,
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }
}

/// Types written as a JSON object: structs, maps, and unions of those.
fn object_like(space: &TypeSpace<'_>, ty: &TypeRef) -> bool {
    match behind_aliases(space, ty) {
        TypeRef::Map(_) | TypeRef::JsonObject => true,
        TypeRef::Named(id) => match &space.def(*id).kind {
            TypeKind::Struct(_) => true,
            TypeKind::OneOf(one_of) => one_of.variants.iter().all(|v| object_like(space, &v.ty)),
            _ => false,
        },
        _ => false,
    }
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
pub(super) fn not_null(space: &TypeSpace<'_>, ty: TypeRef) -> TypeRef {
    let inner = match behind_aliases(space, &ty) {
        TypeRef::Option(inner) => Some((**inner).clone()),
        _ => None,
    };
    inner.unwrap_or(ty)
}

/// Types a parameter can have: scalars, string enums, and arrays of those.
pub(super) fn param_type_supported(space: &TypeSpace<'_>, ty: &TypeRef) -> bool {
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
}
