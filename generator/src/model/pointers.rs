//! What a `$ref` names when it points inside the document rather than at a whole component:
//! `#/components/schemas/Tag/allOf/0`, `#/components/parameters/Limit/schema`,
//! `#/paths/~1items/get/responses/200/content/application~1json/schema`. These are valid JSON
//! References, common in large documents written by tools; the schema they name is found by
//! walking the parsed document along the pointer.

use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
};

use super::view::View;

/// What a pointer names: a schema written there, or a further reference.
pub enum Target<'a> {
    Schema(&'a Schema),
    Reference(&'a str),
}

/// The schema `reference` (`#/...`) names in `api`, if it names one.
pub fn schema_at<'a>(api: &'a OpenAPI, reference: &str) -> Option<Target<'a>> {
    let segments = segments(reference)?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["components", "schemas", name, rest @ ..] => {
            let schema = api.components.as_ref()?.schemas.get(*name)?;
            walk(unboxed(schema), rest)
        }
        ["components", "parameters", name, "schema", rest @ ..] => {
            let parameter = item(api.components.as_ref()?.parameters.get(*name)?)?;
            walk(parameter_schema(parameter)?, rest)
        }
        [
            "components",
            "requestBodies",
            name,
            "content",
            media,
            "schema",
            rest @ ..,
        ] => {
            let body: &RequestBody = item(api.components.as_ref()?.request_bodies.get(*name)?)?;
            walk(media_schema(body.content.get(*media)?)?, rest)
        }
        [
            "components",
            "responses",
            name,
            "content",
            media,
            "schema",
            rest @ ..,
        ] => {
            let response: &Response = item(api.components.as_ref()?.responses.get(*name)?)?;
            walk(media_schema(response.content.get(*media)?)?, rest)
        }
        ["paths", path, method, rest @ ..] => {
            let path_item = item(api.paths.paths.get(*path)?)?;
            let operation = path_item
                .iter()
                .find(|(key, _)| key == method)
                .map(|(_, operation)| operation)?;
            match rest {
                ["parameters", index, "schema", rest @ ..] => {
                    let parameter = item(operation.parameters.get(index.parse::<usize>().ok()?)?)?;
                    walk(parameter_schema(parameter)?, rest)
                }
                ["requestBody", "content", media, "schema", rest @ ..] => {
                    let body: &RequestBody = item(operation.request_body.as_ref()?)?;
                    walk(media_schema(body.content.get(*media)?)?, rest)
                }
                ["responses", code, "content", media, "schema", rest @ ..] => {
                    let responses = &operation.responses;
                    let response = if *code == "default" {
                        responses.default.as_ref()?
                    } else {
                        responses.responses.iter().find_map(|(status, response)| {
                            (status.to_string() == *code).then_some(response)
                        })?
                    };
                    let response: &Response = item(response)?;
                    walk(media_schema(response.content.get(*media)?)?, rest)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// What a schema `$ref` to a whole response, request body or parameter component holds, when
/// it holds one schema: `schema: {$ref: '#/components/responses/NotFound'}` is a common slip
/// for the schema of that response. Several media types are one schema when they all give
/// the same one (JSON and XML of one `Error`); otherwise which was meant is not certain, and
/// there is none. Gives the schema and what the component is, for the warning.
pub fn schema_of_component<'a>(
    api: &'a OpenAPI,
    reference: &str,
) -> Option<(Target<'a>, &'static str)> {
    let segments = segments(reference)?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let components = api.components.as_ref()?;
    let (node, what) = match segments.as_slice() {
        ["components", "responses", name] => {
            let response: &Response = item(components.responses.get(*name)?)?;
            (only_schema(response.content.values())?, "a response")
        }
        ["components", "requestBodies", name] => {
            let body: &RequestBody = item(components.request_bodies.get(*name)?)?;
            (only_schema(body.content.values())?, "a request body")
        }
        ["components", "parameters", name] => {
            let parameter = item(components.parameters.get(*name)?)?;
            (parameter_schema(parameter)?, "a parameter")
        }
        _ => return None,
    };
    Some((walk(node, &[])?, what))
}

/// The one schema of `media`: the schema of each media type, when they are all the same.
fn only_schema<'a>(media: impl Iterator<Item = &'a MediaType>) -> Option<Node<'a>> {
    let mut schemas = media.map(|media| media.schema.as_ref());
    let first = schemas.next()??;
    schemas
        .all(|schema| schema == Some(first))
        .then(|| unboxed(first))
}

/// The unescaped segments of a local pointer (`#/a/b~1c` is `a`, `b/c`), percent-decoded as a
/// URI fragment may be.
fn segments(reference: &str) -> Option<Vec<String>> {
    let path = reference.strip_prefix("#/")?;
    path.split('/')
        .map(|segment| {
            let decoded = percent_decode(segment)?;
            Some(decoded.replace("~1", "/").replace("~0", "~"))
        })
        .collect()
}

/// `reference` in the form the generator writes pointers in (escaped, not percent-encoded),
/// so that two spellings of one location are one key.
pub fn normalize(reference: &str) -> String {
    match segments(reference) {
        Some(segments) => segments.iter().fold(String::from("#"), |pointer, segment| {
            crate::error::join_pointer(&pointer, segment)
        }),
        None => reference.to_owned(),
    }
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn item<T>(value: &ReferenceOr<T>) -> Option<&T> {
    match value {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

/// A schema or reference, whether boxed or not.
#[derive(Clone, Copy)]
enum Node<'a> {
    Schema(&'a Schema),
    Reference(&'a str),
}

fn unboxed(schema: &ReferenceOr<Schema>) -> Node<'_> {
    match schema {
        ReferenceOr::Item(schema) => Node::Schema(schema),
        ReferenceOr::Reference { reference } => Node::Reference(reference),
    }
}

fn boxed(schema: &ReferenceOr<Box<Schema>>) -> Node<'_> {
    match schema {
        ReferenceOr::Item(schema) => Node::Schema(schema),
        ReferenceOr::Reference { reference } => Node::Reference(reference),
    }
}

fn parameter_schema(parameter: &Parameter) -> Option<Node<'_>> {
    match &parameter.parameter_data_ref().format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => Some(unboxed(schema)),
        openapiv3::ParameterSchemaOrContent::Content(_) => None,
    }
}

fn media_schema(media: &MediaType) -> Option<Node<'_>> {
    media.schema.as_ref().map(unboxed)
}

/// Follows `rest` inside the schema `node`; a pointer does not go through a `$ref`.
fn walk<'a>(node: Node<'a>, rest: &[&str]) -> Option<Target<'a>> {
    let schema = match (node, rest) {
        (Node::Reference(reference), []) => return Some(Target::Reference(reference)),
        (Node::Schema(schema), []) => return Some(Target::Schema(schema)),
        (Node::Reference(_), _) => return None,
        (Node::Schema(schema), _) => schema,
    };
    let view = View::of(schema);
    let index = |text: &str| text.parse::<usize>().ok();
    match rest {
        ["properties", name, rest @ ..] => {
            let (_, property) = view.properties.iter().find(|(wire, _)| wire == name)?;
            walk(boxed(property), rest)
        }
        ["items", rest @ ..] => walk(boxed(view.items?), rest),
        ["allOf", at, rest @ ..] => walk(unboxed(view.all_of.get(index(at)?)?), rest),
        ["oneOf", at, rest @ ..] => walk(unboxed(view.one_of.get(index(at)?)?), rest),
        ["anyOf", at, rest @ ..] => walk(unboxed(view.any_of.get(index(at)?)?), rest),
        ["additionalProperties", rest @ ..] => match view.additional? {
            AdditionalProperties::Schema(schema) => walk(unboxed(schema), rest),
            AdditionalProperties::Any(_) => None,
        },
        _ => None,
    }
}

/// A type name for the schema at `reference`, from its location: the segments that say where
/// it is, without the ones every such pointer has (`#/components/schemas/Tag/allOf/0` is
/// `TagAllOf0`).
pub fn name_from_location(reference: &str) -> String {
    let segments = segments(reference).unwrap_or_default();
    let kept: Vec<&str> = segments
        .iter()
        .map(String::as_str)
        .enumerate()
        .filter(|(index, segment)| {
            let section = *index < 2 && matches!(*segment, "components" | "paths");
            let container = matches!(
                *segment,
                "schemas" | "schema" | "content" | "parameters" | "requestBodies" | "responses"
            );
            !section && !container
        })
        .map(|(_, segment)| segment)
        .collect();
    kept.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> OpenAPI {
        serde_yaml::from_str(
            r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string, maxLength: 3}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  schemas:
    Tag:
      allOf:
        - {type: object, properties: {name: {type: string}}}
        - $ref: '#/components/schemas/Other'
    Other: {type: object}
"##,
        )
        .expect("a document")
    }

    fn is_schema(target: Option<Target<'_>>) -> bool {
        matches!(target, Some(Target::Schema(_)))
    }

    #[test]
    fn pointers_into_schemas_parameters_and_operations_find_their_schema() {
        let api = api();
        assert!(is_schema(schema_at(
            &api,
            "#/components/schemas/Tag/allOf/0"
        )));
        assert!(is_schema(schema_at(
            &api,
            "#/components/schemas/Tag/allOf/0/properties/name"
        )));
        assert!(matches!(
            schema_at(&api, "#/components/schemas/Tag/allOf/1"),
            Some(Target::Reference("#/components/schemas/Other"))
        ));
        assert!(is_schema(schema_at(
            &api,
            "#/components/parameters/Limit/schema"
        )));
        assert!(is_schema(schema_at(
            &api,
            "#/paths/~1items/get/responses/200/content/application~1json/schema"
        )));
        assert!(is_schema(schema_at(
            &api,
            "#/paths/%7E1items/get/parameters/0/schema"
        )));
        // Nothing there, or through a reference: no schema.
        assert!(schema_at(&api, "#/components/schemas/Tag/allOf/2").is_none());
        assert!(schema_at(&api, "#/components/schemas/Tag/allOf/1/properties/x").is_none());
        assert!(schema_at(&api, "#/info").is_none());
    }

    #[test]
    fn a_whole_component_with_one_schema_gives_that_schema() {
        let api: OpenAPI = serde_yaml::from_str(
            r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  requestBodies:
    Two:
      content:
        application/json: {schema: {type: string}}
        text/plain: {schema: {type: integer}}
  responses:
    NotFound:
      description: not found
      content:
        application/json: {schema: {$ref: '#/components/schemas/Error'}}
        application/xml: {schema: {$ref: '#/components/schemas/Error'}}
    Empty: {description: nothing}
  schemas:
    Error: {type: object}
"##,
        )
        .expect("a document");
        assert!(matches!(
            schema_of_component(&api, "#/components/responses/NotFound"),
            Some((
                Target::Reference("#/components/schemas/Error"),
                "a response"
            ))
        ));
        assert!(matches!(
            schema_of_component(&api, "#/components/parameters/Limit"),
            Some((Target::Schema(_), "a parameter"))
        ));
        // Two different schemas, or none: which was meant is not certain.
        assert!(schema_of_component(&api, "#/components/requestBodies/Two").is_none());
        assert!(schema_of_component(&api, "#/components/responses/Empty").is_none());
        assert!(schema_of_component(&api, "#/components/responses/Missing").is_none());
        assert!(schema_of_component(&api, "#/components/schemas/Error").is_none());
    }

    #[test]
    fn names_come_from_the_location() {
        assert_eq!(
            name_from_location("#/components/schemas/Tag/allOf/0"),
            "Tag allOf 0"
        );
        assert_eq!(
            name_from_location(
                "#/paths/~1items/get/responses/200/content/application~1json/schema"
            ),
            "/items get 200 application/json"
        );
    }
}
