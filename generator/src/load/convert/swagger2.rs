//! Swagger 2.0 to OpenAPI 3.0, as AutoRest and the OpenAPI Initiative's converters read 2.0:
//!
//! - `host`, `basePath` and `schemes` (or Azure's `x-ms-parameterized-host`) are `servers`;
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` are components
//!   (`basic` is `http` with the `basic` scheme; OAuth 2 flows take their 3.0 names);
//! - a `body` parameter is the request body, in each media type of `consumes`; `formData`
//!   parameters are the properties of a form body (`multipart/form-data` when `consumes` says
//!   so, or a parameter is a file, otherwise `application/x-www-form-urlencoded`);
//! - a response's `schema` is its content in each media type of `produces`;
//! - a parameter's or header's own type keywords are its `schema`; `collectionFormat` is its
//!   `style` and `explode` (`csv`, the 2.0 default, is `explode: false`; `multi` is exploded);
//! - `type: file` is a binary string; `x-nullable` is `nullable`; a `discriminator` property
//!   name is a discriminator object whose mapping has each subtype's
//!   `x-ms-discriminator-value` (or its name);
//! - `x-ms-paths` (paths that differ by a fixed query) join `paths` with their query, which
//!   the client sends as written;
//! - a `$ref` with siblings (`description`, `x-ms-client-name`, `x-nullable`) is an `allOf` of
//!   the reference beside them, as AutoRest reads them;
//! - `x-ms-enum`, `x-ms-pageable`, `x-ms-client-name` and other extensions pass through, and the
//!   model reads them.

use serde_yaml::{Mapping, Value};

use super::{Converted, approximated, child, key, nullable_unions, rewrite_references, take};
use crate::error::{Error, ErrorKind};

/// Keywords that describe a value's type, which 2.0 writes on parameters and headers and 3.0
/// in their `schema`.
const TYPE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "x-ms-enum",
];

/// The media type assumed where a document names none.
const JSON: &str = "application/json";

/// What the conversion of one document knows: the document-wide media types and the
/// parameters defined once.
struct Context {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// `parameters` of the document: name to (converted) definition, and whether it is a body
    /// or form parameter.
    parameters: Mapping,
}

/// Converts the 2.0 document `root`.
pub(super) fn convert(mut root: Mapping, converted: &mut Converted) -> Result<Mapping, Error> {
    let version = take(&mut root, "swagger");
    if version.as_ref().and_then(Value::as_str) != Some("2.0") {
        return Err(Error::new(ErrorKind::Shape, "`swagger` must be \"2.0\"")
            .at_pointer("#/swagger")
            .with_help("Swagger 2.0 documents start with `swagger: \"2.0\"`"));
    }
    // References first, so that everything copied below already names its 3.0 place.
    let renamed = [
        ("#/definitions", "#/components/schemas"),
        ("#/responses", "#/components/responses"),
    ]
    .map(|(from, to)| (from.to_owned(), to.to_owned()));
    let mut tree = Value::Mapping(root);
    rewrite_references(&mut tree, &renamed);
    let Value::Mapping(mut root) = tree else {
        return Ok(Mapping::new());
    };
    let context = Context {
        consumes: media_list(root.get("consumes")),
        produces: media_list(root.get("produces")),
        parameters: take(&mut root, "parameters")
            .and_then(|p| p.as_mapping().cloned())
            .unwrap_or_default(),
    };
    let mut out = Mapping::new();
    out.insert(key("openapi"), key("3.0.3"));
    if let Some(info) = take(&mut root, "info") {
        out.insert(key("info"), info);
    }
    let servers = servers(&mut root);
    if !servers.is_empty() {
        out.insert(key("servers"), Value::Sequence(servers));
    }

    let mut components = Mapping::new();
    if let Some(Value::Mapping(mut definitions)) = take(&mut root, "definitions") {
        discriminator_mappings(&mut definitions);
        let mut schemas = Value::Mapping(definitions);
        walk_schemas(&mut schemas, true, "#/definitions", converted);
        components.insert(key("schemas"), schemas);
        converted
            .moves
            .record("#/components/schemas".into(), "#/definitions".into());
    }
    let mut parameters = Mapping::new();
    let mut request_bodies = Mapping::new();
    for (name, parameter) in &context.parameters {
        let (Some(name), Some(parameter)) = (name.as_str(), parameter.as_mapping()) else {
            continue;
        };
        let original = child("#/parameters", name);
        match location(parameter) {
            Some("body") => {
                let converted_at = child("#/components/requestBodies", name);
                let body = body_of(
                    parameter,
                    &context.consumes,
                    &converted_at,
                    &original,
                    converted,
                );
                request_bodies.insert(key(name), body);
            }
            // Form parameters join each operation's form body where they are referred to.
            Some("formData") => {}
            _ => {
                let converted_at = child("#/components/parameters", name);
                converted
                    .moves
                    .record(converted_at.clone(), original.clone());
                parameters.insert(
                    key(name),
                    plain_parameter(parameter.clone(), &converted_at, &original, converted),
                );
            }
        }
    }
    if let Some(Value::Mapping(responses)) = take(&mut root, "responses") {
        let mut converted_responses = Mapping::new();
        for (code, response) in responses {
            let Some(name) = code.as_str().map(str::to_owned) else {
                continue;
            };
            let at = child("#/components/responses", &name);
            converted
                .moves
                .record(at.clone(), child("#/responses", &name));
            converted_responses.insert(
                code,
                response_of(response, &context.produces, &at, converted),
            );
        }
        components.insert(key("responses"), Value::Mapping(converted_responses));
    }
    if !parameters.is_empty() {
        components.insert(key("parameters"), Value::Mapping(parameters));
    }
    if !request_bodies.is_empty() {
        components.insert(key("requestBodies"), Value::Mapping(request_bodies));
    }
    if let Some(Value::Mapping(definitions)) = take(&mut root, "securityDefinitions") {
        let mut schemes = Mapping::new();
        for (name, definition) in definitions {
            if let Some(text) = name.as_str() {
                let at = child("#/components/securitySchemes", text);
                converted
                    .moves
                    .record(at.clone(), child("#/securityDefinitions", text));
                schemes.insert(name.clone(), security_scheme(definition, &at, converted));
            }
        }
        components.insert(key("securitySchemes"), Value::Mapping(schemes));
    }

    let mut paths = Mapping::new();
    for source in ["paths", "x-ms-paths"] {
        let Some(Value::Mapping(items)) = take(&mut root, source) else {
            continue;
        };
        for (path, item) in items {
            let (Some(path), Value::Mapping(item)) = (path.as_str().map(str::to_owned), item)
            else {
                continue;
            };
            // A path of `x-ms-paths` keeps its fixed query (`/blobs/{digest}?mode=chunk`):
            // the client sends it as written, and the generated server routes by the path.
            let original = child(&child("#", source), &path);
            let at = child("#/paths", &path);
            converted.moves.record(at.clone(), original);
            let item = path_item(item, &context, &at, converted);
            paths.insert(key(&path), Value::Mapping(item));
        }
    }
    out.insert(key("paths"), Value::Mapping(paths));
    if !components.is_empty() {
        out.insert(key("components"), Value::Mapping(components));
    }
    for member in ["security", "tags", "externalDocs"] {
        if let Some(value) = take(&mut root, member) {
            out.insert(key(member), value);
        }
    }
    take(&mut root, "consumes");
    take(&mut root, "produces");
    // Extensions of the document's own pass through.
    for (name, value) in root {
        if name.as_str().is_some_and(|n| n.starts_with("x-")) {
            out.insert(name, value);
        }
    }
    Ok(out)
}

/// The media types a `consumes` or `produces` lists.
fn media_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_sequence)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `servers` from `host`, `basePath` and `schemes`, or from `x-ms-parameterized-host`.
fn servers(root: &mut Mapping) -> Vec<Value> {
    let host = take(root, "host").and_then(|h| h.as_str().map(str::to_owned));
    let base = take(root, "basePath")
        .and_then(|b| b.as_str().map(str::to_owned))
        .unwrap_or_default();
    let base = base.trim_end_matches('/');
    let schemes = media_list(take(root, "schemes").as_ref());
    let mut urls = Vec::new();
    if let Some(Value::Mapping(parameterized)) = take(root, "x-ms-parameterized-host") {
        let template = parameterized
            .get("hostTemplate")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let prefix = parameterized
            .get("useSchemePrefix")
            .and_then(Value::as_bool)
            != Some(false);
        let scheme = schemes.first().map_or("https", String::as_str);
        let url = if prefix {
            format!("{scheme}://{template}{base}")
        } else {
            format!("{template}{base}")
        };
        let mut variables = Mapping::new();
        for parameter in parameterized
            .get("parameters")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(name) = parameter.get("name").and_then(Value::as_str) {
                let mut variable = Mapping::new();
                variable.insert(key("default"), key(""));
                if let Some(description) = parameter.get("description") {
                    variable.insert(key("description"), description.clone());
                }
                variables.insert(key(name), Value::Mapping(variable));
            }
        }
        let mut server = Mapping::new();
        server.insert(key("url"), key(&url));
        if !variables.is_empty() {
            server.insert(key("variables"), Value::Mapping(variables));
        }
        return vec![Value::Mapping(server)];
    }
    match host {
        Some(host) => {
            let schemes = if schemes.is_empty() {
                vec![String::from("https")]
            } else {
                schemes
            };
            // The secure scheme first: the first server is the client's default.
            let mut ordered: Vec<&String> = schemes.iter().filter(|s| *s == "https").collect();
            ordered.extend(schemes.iter().filter(|s| *s != "https"));
            for scheme in ordered {
                urls.push(format!("{scheme}://{host}{base}"));
            }
        }
        None if !base.is_empty() => urls.push(base.to_owned()),
        None => {}
    }
    urls.into_iter()
        .map(|url| {
            let mut server = Mapping::new();
            server.insert(key("url"), key(&url));
            Value::Mapping(server)
        })
        .collect()
}

/// `in` of a 2.0 parameter.
fn location(parameter: &Mapping) -> Option<&str> {
    parameter.get("in").and_then(Value::as_str)
}

/// A path, query, header parameter of 2.0 as 3.0 says it: its type keywords in `schema`,
/// `collectionFormat` as `style` and `explode`.
fn plain_parameter(
    mut parameter: Mapping,
    at: &str,
    original: &str,
    converted: &mut Converted,
) -> Value {
    let mut schema = Mapping::new();
    for keyword in TYPE_KEYWORDS {
        if let Some(value) = take(&mut parameter, keyword) {
            schema.insert(key(keyword), value);
        }
    }
    let format = take(&mut schema, "collectionFormat");
    let place = location(&parameter).unwrap_or("query").to_owned();
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let (style, explode) = match format.as_ref().and_then(Value::as_str).unwrap_or("csv") {
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            "tsv" => {
                converted.warnings.push(approximated(
                    ErrorKind::Unsupported,
                    &child(original, "collectionFormat"),
                    String::from("`collectionFormat: tsv` has no OpenAPI 3.0 style; the items are joined with commas"),
                    "use `csv`, `ssv`, `pipes` or `multi`",
                ));
                ("form", false)
            }
            _ => ("form", false),
        };
        if place == "query" {
            parameter.insert(key("style"), key(style));
            parameter.insert(key("explode"), Value::Bool(explode));
        }
    }
    let mut schema = Value::Mapping(schema);
    walk_schemas(&mut schema, false, original, converted);
    converted
        .moves
        .record(child(at, "schema"), original.to_owned());
    parameter.insert(key("schema"), schema);
    if place == "path" {
        parameter.insert(key("required"), Value::Bool(true));
    }
    Value::Mapping(parameter)
}

/// The request body a `body` parameter describes.
fn body_of(
    parameter: &Mapping,
    consumes: &[String],
    at: &str,
    original: &str,
    converted: &mut Converted,
) -> Value {
    let mut schema = parameter
        .get("schema")
        .cloned()
        .unwrap_or(Value::Mapping(Mapping::new()));
    walk_schemas(&mut schema, false, &child(original, "schema"), converted);
    let media: Vec<String> = json_first(consumes);
    let mut content = Mapping::new();
    for media in &media {
        let mut entry = Mapping::new();
        entry.insert(key("schema"), schema.clone());
        converted.moves.record(
            child(&child(&child(at, "content"), media), "schema"),
            child(original, "schema"),
        );
        content.insert(key(media), Value::Mapping(entry));
    }
    converted.moves.record(at.to_owned(), original.to_owned());
    let mut body = Mapping::new();
    if let Some(description) = parameter.get("description") {
        body.insert(key("description"), description.clone());
    }
    body.insert(key("content"), Value::Mapping(content));
    if parameter.get("required").and_then(Value::as_bool) == Some(true) {
        body.insert(key("required"), Value::Bool(true));
    }
    for (name, value) in parameter {
        if name.as_str().is_some_and(|n| n.starts_with("x-")) {
            body.insert(name.clone(), value.clone());
        }
    }
    Value::Mapping(body)
}

/// `consumes` or `produces` with JSON first (the generated client sends and reads the first),
/// or JSON alone when the list is empty.
fn json_first(media: &[String]) -> Vec<String> {
    if media.is_empty() {
        return vec![JSON.to_owned()];
    }
    let mut ordered: Vec<String> = media
        .iter()
        .filter(|m| m.contains("json"))
        .cloned()
        .collect();
    ordered.extend(media.iter().filter(|m| !m.contains("json")).cloned());
    ordered
}

/// A 2.0 response as 3.0 says it: its schema in each media type of `produces`, its headers'
/// type keywords in their `schema`, its `examples` with their media types.
fn response_of(response: Value, produces: &[String], at: &str, converted: &mut Converted) -> Value {
    let Value::Mapping(mut response) = response else {
        return response;
    };
    if response.contains_key("$ref") {
        return Value::Mapping(response);
    }
    let schema = take(&mut response, "schema");
    let mut examples = match take(&mut response, "examples") {
        Some(Value::Mapping(examples)) => examples,
        _ => Mapping::new(),
    };
    if let Some(mut schema) = schema {
        walk_schemas(&mut schema, false, &child(at, "schema"), converted);
        let binary = schema.get("format").and_then(Value::as_str) == Some("binary");
        let media = if binary && produces.is_empty() {
            vec![String::from("application/octet-stream")]
        } else {
            json_first(produces)
        };
        let mut content = Mapping::new();
        for media in media {
            let mut entry = Mapping::new();
            entry.insert(key("schema"), schema.clone());
            if let Some(example) = take(&mut examples, &media) {
                entry.insert(key("example"), example);
            }
            converted.moves.record(
                child(&child(&child(at, "content"), &media), "schema"),
                child(at, "schema"),
            );
            content.insert(key(&media), Value::Mapping(entry));
        }
        response.insert(key("content"), Value::Mapping(content));
    }
    if let Some(Value::Mapping(headers)) = take(&mut response, "headers") {
        let mut converted_headers = Mapping::new();
        for (name, header) in headers {
            let Value::Mapping(mut header) = header else {
                continue;
            };
            let mut schema = Mapping::new();
            for keyword in TYPE_KEYWORDS {
                if let Some(value) = take(&mut header, keyword) {
                    schema.insert(key(keyword), value);
                }
            }
            take(&mut schema, "collectionFormat");
            let mut schema = Value::Mapping(schema);
            let header_at = child(&child(at, "headers"), name.as_str().unwrap_or_default());
            walk_schemas(&mut schema, false, &header_at, converted);
            header.insert(key("schema"), schema);
            converted_headers.insert(name, Value::Mapping(header));
        }
        response.insert(key("headers"), Value::Mapping(converted_headers));
    }
    if !response.contains_key("description") {
        response.insert(key("description"), key(""));
    }
    Value::Mapping(response)
}

/// A security definition as a 3.0 security scheme.
fn security_scheme(definition: Value, at: &str, converted: &mut Converted) -> Value {
    let Value::Mapping(mut definition) = definition else {
        return definition;
    };
    match definition.get("type").and_then(Value::as_str) {
        Some("basic") => {
            definition.insert(key("type"), key("http"));
            definition.insert(key("scheme"), key("basic"));
        }
        Some("oauth2") => {
            let flow = take(&mut definition, "flow");
            let mut details = Mapping::new();
            for member in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(value) = take(&mut definition, member) {
                    details.insert(key(member), value);
                }
            }
            if !details.contains_key("scopes") {
                details.insert(key("scopes"), Value::Mapping(Mapping::new()));
            }
            let name = match flow.as_ref().and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                _ => {
                    converted.warnings.push(approximated(
                        ErrorKind::Invalid,
                        &child(at, "flow"),
                        String::from("an OAuth 2 definition without a known `flow` is read as the client-credentials flow"),
                        "name the flow: implicit, password, application or accessCode",
                    ));
                    "clientCredentials"
                }
            };
            let mut flows = Mapping::new();
            flows.insert(key(name), Value::Mapping(details));
            definition.insert(key("flows"), Value::Mapping(flows));
        }
        _ => {}
    }
    Value::Mapping(definition)
}

/// A path item: its parameters and operations as 3.0 says them.
fn path_item(mut item: Mapping, context: &Context, at: &str, converted: &mut Converted) -> Mapping {
    let shared: Vec<Value> = match take(&mut item, "parameters") {
        Some(Value::Sequence(list)) => list,
        _ => Vec::new(),
    };
    let mut out = Mapping::new();
    for (name, value) in item {
        let Some(method) = name.as_str().map(str::to_owned) else {
            continue;
        };
        match (method.as_str(), value) {
            (
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch",
                Value::Mapping(operation),
            ) => {
                let operation_at = child(at, &method);
                let operation =
                    self::operation(operation, &shared, context, &operation_at, converted);
                out.insert(name, Value::Mapping(operation));
            }
            (_, value) => {
                out.insert(name, value);
            }
        }
    }
    out
}

/// One operation: parameters split into 3.0 parameters, a request body and form fields, and
/// responses with content.
fn operation(
    mut operation: Mapping,
    shared: &[Value],
    context: &Context,
    at: &str,
    converted: &mut Converted,
) -> Mapping {
    let consumes = match operation.get("consumes") {
        Some(list) => media_list(Some(list)),
        None => context.consumes.clone(),
    };
    let produces = match operation.get("produces") {
        Some(list) => media_list(Some(list)),
        None => context.produces.clone(),
    };
    take(&mut operation, "consumes");
    take(&mut operation, "produces");
    take(&mut operation, "schemes");
    let own: Vec<Value> = match take(&mut operation, "parameters") {
        Some(Value::Sequence(list)) => list,
        _ => Vec::new(),
    };
    // The path item's parameters, unless the operation names the same again.
    let declared = |p: &Value| -> Option<(String, String)> {
        let p = resolve(p, context)?;
        Some((p.get("name")?.as_str()?.to_owned(), location(p)?.to_owned()))
    };
    let own_names: Vec<_> = own.iter().filter_map(declared).collect();
    let item_at = at.rsplit_once('/').map_or(at, |(item, _)| item).to_owned();
    let mut all: Vec<(Value, String)> = shared
        .iter()
        .enumerate()
        .filter(|(_, p)| declared(p).is_none_or(|name| !own_names.contains(&name)))
        .map(|(i, p)| {
            (
                p.clone(),
                child(&child(&item_at, "parameters"), &i.to_string()),
            )
        })
        .collect();
    all.extend(
        own.into_iter()
            .enumerate()
            .map(|(i, p)| (p, child(&child(at, "parameters"), &i.to_string()))),
    );

    let mut parameters = Vec::new();
    let mut body = None;
    let mut form = Mapping::new();
    let mut form_required = Vec::new();
    let mut form_has_file = false;
    for (parameter, original) in all {
        let reference = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(resolved) = resolve(&parameter, context).cloned() else {
            // A reference to nothing: the model says where.
            parameters.push(parameter);
            continue;
        };
        match location(&resolved) {
            Some("body") => {
                let at = child(at, "requestBody");
                body = Some(
                    match reference
                        .as_deref()
                        .and_then(|r| r.strip_prefix("#/parameters/"))
                    {
                        Some(name) => {
                            let mut link = Mapping::new();
                            link.insert(
                                key("$ref"),
                                key(&format!("#/components/requestBodies/{name}")),
                            );
                            converted.moves.record(at, original);
                            Value::Mapping(link)
                        }
                        None => body_of(&resolved, &consumes, &at, &original, converted),
                    },
                );
            }
            Some("formData") => {
                let Some(name) = resolved
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                else {
                    continue;
                };
                let mut field = resolved.clone();
                take(&mut field, "name");
                take(&mut field, "in");
                if take(&mut field, "required").and_then(|r| r.as_bool()) == Some(true) {
                    form_required.push(key(&name));
                }
                take(&mut field, "allowEmptyValue");
                take(&mut field, "collectionFormat");
                if field.get("type").and_then(Value::as_str) == Some("file") {
                    form_has_file = true;
                }
                let mut field = Value::Mapping(field);
                walk_schemas(&mut field, false, &original, converted);
                form.insert(key(&name), field);
                converted
                    .moves
                    .record(format!("{at}/requestBody/form/{name}"), original);
            }
            _ => match reference
                .as_deref()
                .and_then(|r| r.strip_prefix("#/parameters/"))
            {
                Some(name) => {
                    let mut link = Mapping::new();
                    link.insert(key("$ref"), key(&format!("#/components/parameters/{name}")));
                    parameters.push(Value::Mapping(link));
                }
                None => {
                    let index = parameters.len();
                    let converted_at = child(&child(at, "parameters"), &index.to_string());
                    converted
                        .moves
                        .record(converted_at.clone(), original.clone());
                    parameters.push(plain_parameter(
                        resolved,
                        &converted_at,
                        &original,
                        converted,
                    ));
                }
            },
        }
    }
    if !parameters.is_empty() {
        operation.insert(key("parameters"), Value::Sequence(parameters));
    }
    if !form.is_empty() {
        let multipart = form_has_file || consumes.iter().any(|m| m.starts_with("multipart/"));
        let media = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = Mapping::new();
        schema.insert(key("type"), key("object"));
        schema.insert(key("properties"), Value::Mapping(form));
        if !form_required.is_empty() {
            schema.insert(key("required"), Value::Sequence(form_required.clone()));
        }
        let mut entry = Mapping::new();
        entry.insert(key("schema"), Value::Mapping(schema));
        let mut content = Mapping::new();
        content.insert(key(media), Value::Mapping(entry));
        let mut request = Mapping::new();
        request.insert(key("content"), Value::Mapping(content));
        if !form_required.is_empty() {
            request.insert(key("required"), Value::Bool(true));
        }
        // The form's fields were recorded under a placeholder: name their real place.
        let placeholder = format!("{at}/requestBody/form/");
        let real = child(
            &child(
                &child(&child(&child(at, "requestBody"), "content"), media),
                "schema",
            ),
            "properties",
        );
        converted.moves.rename_prefix(&placeholder, &real);
        body = Some(Value::Mapping(request));
    }
    if let Some(body) = body {
        operation.insert(key("requestBody"), body);
    }
    if let Some(Value::Mapping(responses)) = take(&mut operation, "responses") {
        let mut out = Mapping::new();
        for (code, response) in responses {
            let code_text = match &code {
                Value::Number(n) => n.to_string(),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            let response_at = child(&child(at, "responses"), &code_text);
            out.insert(
                key(&code_text),
                response_of(response, &produces, &response_at, converted),
            );
        }
        operation.insert(key("responses"), Value::Mapping(out));
    }
    operation
}

/// The parameter `parameter` is, following a `$ref` to the document's `parameters`.
fn resolve<'v>(parameter: &'v Value, context: &'v Context) -> Option<&'v Mapping> {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => context
            .parameters
            .get(reference.strip_prefix("#/parameters/")?)
            .and_then(Value::as_mapping),
        None => parameter.as_mapping(),
    }
}

/// Gives each 2.0 `discriminator` (a property name) the mapping of its subtypes: each
/// definition that inherits from it through `allOf`, by its `x-ms-discriminator-value` or
/// its name.
fn discriminator_mappings(definitions: &mut Mapping) {
    let bases: Vec<String> = definitions
        .iter()
        .filter(|(_, schema)| schema.get("discriminator").is_some_and(Value::is_string))
        .filter_map(|(name, _)| name.as_str().map(str::to_owned))
        .collect();
    // Each definition's parents: the definitions its `allOf` refers to.
    let parents: Vec<(String, Vec<String>)> = definitions
        .iter()
        .filter_map(|(name, schema)| {
            let refs = schema
                .get("allOf")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("$ref").and_then(Value::as_str))
                .filter_map(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_owned)
                .collect();
            Some((name.as_str()?.to_owned(), refs))
        })
        .collect();
    for base in bases {
        // The base and every definition that inherits from it, through any number of levels
        // (a mapping names them all, as Microsoft Graph's documents do).
        let mut family = vec![base.clone()];
        let mut grew = true;
        while grew {
            grew = false;
            for (name, refs) in &parents {
                if !family.contains(name) && refs.iter().any(|r| family.contains(r)) {
                    family.push(name.clone());
                    grew = true;
                }
            }
        }
        let mut mapping = Mapping::new();
        for (name, schema) in definitions.iter_mut() {
            let Some(name) = name.as_str() else {
                continue;
            };
            if family.iter().any(|member| member == name) {
                // A subtype that adds nothing is still an object of its own kind, not its base.
                if let Some(schema) = schema.as_mapping_mut().filter(|s| !s.contains_key("type")) {
                    schema.insert(key("type"), key("object"));
                }
                let value = schema
                    .get("x-ms-discriminator-value")
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                mapping.insert(key(value), key(&format!("#/components/schemas/{name}")));
            }
        }
        if let Some(schema) = definitions
            .get_mut(base.as_str())
            .and_then(Value::as_mapping_mut)
        {
            let property = take(schema, "discriminator").unwrap_or_default();
            let mut discriminator = Mapping::new();
            discriminator.insert(key("propertyName"), property);
            if mapping.len() > 1 {
                discriminator.insert(key("mapping"), Value::Mapping(mapping));
            }
            schema.insert(key("discriminator"), Value::Mapping(discriminator));
        }
    }
}

/// Rewrites 2.0 schema habits in `node` (at `pointer`) and every schema inside it: `type:
/// file` is a binary string, `x-nullable` is `nullable`, a `{type: "null"}` alternative makes
/// the union nullable, and a list of item schemas (a draft-4 tuple, which real documents use
/// for "any of these") is read as items of any of them. `names` says `node` maps names to
/// schemas.
fn walk_schemas(node: &mut Value, names: bool, pointer: &str, converted: &mut Converted) {
    let Value::Mapping(mapping) = node else {
        return;
    };
    if names {
        for (name, schema) in mapping.iter_mut() {
            let at = child(pointer, name.as_str().unwrap_or_default());
            walk_schemas(schema, false, &at, converted);
        }
        return;
    }
    if mapping.get("type").and_then(Value::as_str) == Some("file") {
        mapping.insert(key("type"), key("string"));
        mapping.insert(key("format"), key("binary"));
    }
    if mapping.contains_key("$ref") && mapping.len() > 1 {
        // AutoRest reads a reference's siblings (`description`, `x-ms-client-name`,
        // `x-nullable`); 3.0 ignores them beside `$ref`, but not beside an `allOf` of it.
        let reference = take(mapping, "$ref").unwrap_or_default();
        let mut only = Mapping::new();
        only.insert(key("$ref"), reference);
        mapping.insert(key("allOf"), Value::Sequence(vec![Value::Mapping(only)]));
        converted
            .moves
            .record(child(&child(pointer, "allOf"), "0"), pointer.to_owned());
    }
    if let Some(nullable) = take(mapping, "x-nullable") {
        mapping.insert(key("nullable"), nullable);
    }
    if let Some(Value::Sequence(items)) = mapping.get("items").cloned() {
        // A list of item schemas is a tuple, which constrains arrays only. Documents use it
        // for "one of these": for an array, its items are any of them; without
        // `type: array` the list says nothing of other values, which are read as any value.
        let array = mapping.get("type").and_then(Value::as_str) == Some("array");
        let message = if array {
            let mut union = Mapping::new();
            union.insert(key("anyOf"), Value::Sequence(items.clone()));
            mapping.insert(key("items"), Value::Mapping(union));
            format!(
                "a list of {} item schemas (a tuple) is read as items that are any of them",
                items.len()
            )
        } else {
            take(mapping, "items");
            format!(
                "a list of {} item schemas (a tuple) without `type: array` constrains arrays only; the value is read as any value",
                items.len()
            )
        };
        converted.warnings.push(approximated(
            ErrorKind::Unsupported,
            &child(pointer, "items"),
            message,
            "describe the value with `anyOf` its alternatives, or the items of an array with one schema",
        ));
    }
    nullable_unions(mapping);
    for (member, value) in mapping.iter_mut() {
        let Some(member) = member.as_str() else {
            continue;
        };
        let at = child(pointer, member);
        match member {
            "properties" => walk_schemas(value, true, &at, converted),
            "items" | "additionalProperties" | "not" => walk_schemas(value, false, &at, converted),
            "allOf" | "oneOf" | "anyOf" => {
                if let Value::Sequence(parts) = value {
                    for (index, part) in parts.iter_mut().enumerate() {
                        walk_schemas(part, false, &child(&at, &index.to_string()), converted);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Version, convert as convert_text};
    use crate::load::Syntax;

    const PETSTORE: &str = r##"
swagger: "2.0"
info: {title: Pets, version: "1"}
host: pets.example.com
basePath: /v1/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
  oauth: {type: oauth2, flow: application, tokenUrl: "https://login.example.com/token", scopes: {read: Read.}}
parameters:
  Limit: {name: limit, in: query, type: integer, format: int32}
  Pet: {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: "#/parameters/Limit"
        - {name: tags, in: query, type: array, items: {type: string}}
        - {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: multi}
      responses:
        200:
          description: Pets.
          schema: {type: array, items: {$ref: "#/definitions/Pet"}}
          headers:
            X-Total: {type: integer}
    post:
      operationId: addPet
      parameters:
        - $ref: "#/parameters/Pet"
      responses:
        "201": {description: Added.}
  /pets/{id}/photo:
    post:
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, required: true, type: file}
        - {name: caption, in: formData, type: string}
      responses:
        "204": {description: Uploaded.}
definitions:
  Pet:
    type: object
    discriminator: kind
    required: [kind]
    properties:
      kind: {type: string}
      name: {type: string, x-nullable: true}
  Cat:
    allOf: [{$ref: "#/definitions/Pet"}]
    x-ms-discriminator-value: cat
"##;

    #[test]
    fn a_petstore_converts_to_its_3_0_form() {
        let converted = convert_text(PETSTORE, Syntax::Yaml, Version::Swagger2).expect("converts");
        let tree = &converted.tree;
        assert_eq!(tree["openapi"], "3.0.3");
        assert_eq!(tree["servers"][0]["url"], "https://pets.example.com/v1");
        assert_eq!(tree["servers"][1]["url"], "http://pets.example.com/v1");
        let schemes = &tree["components"]["securitySchemes"];
        assert_eq!(schemes["basic"]["type"], "http");
        assert_eq!(schemes["basic"]["scheme"], "basic");
        assert_eq!(
            schemes["oauth"]["flows"]["clientCredentials"]["tokenUrl"],
            "https://login.example.com/token"
        );
        assert_eq!(
            tree["components"]["parameters"]["Limit"]["schema"]["format"],
            "int32"
        );
        let list = &tree["paths"]["/pets"]["get"];
        assert_eq!(
            list["parameters"][0]["$ref"],
            "#/components/parameters/Limit"
        );
        assert_eq!(list["parameters"][1]["explode"], false);
        assert_eq!(list["parameters"][2]["explode"], true);
        let ok = &list["responses"]["200"];
        assert_eq!(
            ok["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(ok["headers"]["X-Total"]["schema"]["type"], "integer");
        assert_eq!(
            tree["paths"]["/pets"]["post"]["requestBody"]["$ref"],
            "#/components/requestBodies/Pet"
        );
        let form = &tree["paths"]["/pets/{id}/photo"]["post"]["requestBody"]["content"]["multipart/form-data"]
            ["schema"];
        assert_eq!(form["properties"]["file"]["format"], "binary");
        assert_eq!(form["required"][0], "file");
        let pet = &tree["components"]["schemas"]["Pet"];
        assert_eq!(pet["discriminator"]["propertyName"], "kind");
        assert_eq!(
            pet["discriminator"]["mapping"]["cat"],
            "#/components/schemas/Cat"
        );
        assert_eq!(pet["properties"]["name"]["nullable"], true);
        // Pointers of converted nodes name where the user wrote them.
        assert_eq!(
            converted
                .moves
                .original("#/components/schemas/Pet/properties/name")
                .as_deref(),
            Some("#/definitions/Pet/properties/name")
        );
        assert_eq!(
            converted
                .moves
                .original("#/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema/properties/caption")
                .as_deref(),
            Some("#/paths/~1pets~1{id}~1photo/post/parameters/2")
        );
    }

    #[test]
    fn azure_extensions_and_approximations() {
        let text = r##"
swagger: "2.0"
info: {title: Registry, version: "1"}
x-ms-parameterized-host:
  hostTemplate: "{url}"
  useSchemePrefix: false
  parameters:
    - {name: url, description: The registry's address.}
basePath: /acr
paths:
  /blobs/{digest}:
    get:
      parameters:
        - {name: digest, in: path, required: true, type: string}
        - {name: sizes, in: query, type: array, items: {type: integer}, collectionFormat: tsv}
      responses:
        "200": {description: A blob., schema: {type: file}}
x-ms-paths:
  /blobs/{digest}?mode=chunk:
    get:
      parameters:
        - {name: digest, in: path, required: true, type: string}
      responses:
        "200":
          description: Chunks.
          schema: {type: array, items: [{type: string}, {type: integer}]}
"##;
        let converted = convert_text(text, Syntax::Yaml, Version::Swagger2).expect("converts");
        let tree = &converted.tree;
        assert_eq!(tree["servers"][0]["url"], "{url}/acr");
        assert_eq!(
            tree["servers"][0]["variables"]["url"]["description"],
            "The registry's address."
        );
        let blob = &tree["paths"]["/blobs/{digest}"]["get"];
        assert_eq!(blob["parameters"][1]["explode"], false);
        // A file response with no `produces` is bytes.
        assert_eq!(
            blob["responses"]["200"]["content"]["application/octet-stream"]["schema"]["format"],
            "binary"
        );
        let chunk = &tree["paths"]["/blobs/{digest}?mode=chunk"]["get"];
        let items = &chunk["responses"]["200"]["content"]["application/json"]["schema"]["items"];
        assert_eq!(items["anyOf"][1]["type"], "integer");
        let warned: Vec<&str> = converted
            .warnings
            .iter()
            .filter_map(|w| w.pointer())
            .collect();
        assert_eq!(
            warned,
            [
                "#/paths/~1blobs~1{digest}/get/parameters/1/collectionFormat",
                "#/paths/~1blobs~1{digest}?mode=chunk/get/responses/200/schema/items",
            ]
        );
        assert_eq!(
            converted
                .moves
                .original("#/paths/~1blobs~1{digest}?mode=chunk/get")
                .as_deref(),
            Some("#/x-ms-paths/~1blobs~1{digest}?mode=chunk/get")
        );
    }
}
