//! The resolved description of an API: types and operations, every `$ref` followed, every
//! `allOf` merged, every name chosen once. Nothing after this stage reads raw OpenAPI, and
//! nothing in this stage knows Rust syntax beyond the identifiers `names` made.

mod operations;
mod pointers;
mod refs;
mod types;
mod view;

use crate::error::Error;
#[cfg(any(test, feature = "internals"))]
use crate::load::Document;

pub use operations::{build_operations, shared_enum_names};

pub use types::TypeSpace;

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// Server URLs in document order; the first is the client's default base URL.
    pub servers: Vec<String>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The security schemes the client can send, in document order.
    pub security_schemes: Vec<SecurityScheme>,
}

/// A security scheme of `components.securitySchemes` that a client can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the document, which operations' requirements use.
    pub name: String,
    /// How it sends its credential.
    pub kind: SchemeKind,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (HTTP bearer, OAuth 2.0, OpenID Connect).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in the header, query parameter or cookie with this name.
    ApiKey(KeyLocation, String),
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

impl Api {
    /// The type behind `id`.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// A named type in the `models` module.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique in `models`).
    pub name: String,
    /// Where it was defined, as a JSON pointer.
    pub pointer: String,
    /// The schema's description (or title).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; unknown values are kept in a fallback variant.
    StringEnum(StringEnum),
    /// A name for another type (`pub type X = Y;`).
    Alias(TypeRef),
    /// `oneOf`/`anyOf`, or a polymorphic base type: one of several types.
    OneOf(OneOf),
}

/// A value that is one of several types.
#[derive(Debug, Clone)]
pub struct OneOf {
    /// The alternatives. Untagged: ordered from the most to the least specific type.
    pub variants: Vec<OneOfVariant>,
    /// The discriminator property, when the schema has one.
    pub tag: Option<String>,
    /// Name of the variant that keeps a value whose tag no variant claims (tagged only).
    pub fallback: String,
}

/// One alternative of a [`OneOf`].
#[derive(Debug, Clone)]
pub struct OneOfVariant {
    /// Rust name (UpperCamelCase, unique in the enum).
    pub name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged only).
    pub tags: Vec<String>,
}

/// An object schema as a struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in a stable order: inherited (`allOf`) first, then own, each in document order.
    pub fields: Vec<Field>,
    /// The value type of the map that keeps the members the schema does not declare: the
    /// type of `additionalProperties`, JSON when it is `true` or absent; `None` when it is
    /// `false`.
    pub additional: Option<TypeRef>,
    /// Members decoding skips instead of keeping them with the undeclared ones: the read-only
    /// members of the struct an update body is for, which an update never sends.
    pub skipped: Vec<String>,
    /// For a merge-patch body: every field is a three-state `Patch<T>` (absent, null, value).
    pub patch: bool,
}

/// One property of a [`Struct`].
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (snake_case, unique in the struct).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where the property is declared, as a JSON pointer (in the schema that declares it,
    /// which for an inherited property is the `allOf` part).
    pub pointer: String,
    /// The property's type, without the `Option` that `required`/`nullable` imply.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// A `default` the type can express, kept for required properties (see [`DefaultValue`]).
    pub default: Option<DefaultValue>,
    /// The type contains the struct itself without indirection, so the field must be boxed.
    pub boxed: bool,
    /// Description.
    pub doc: Option<String>,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A default value for a field, in a form the emitter can write as a Rust expression.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// A string (for `String` fields).
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
    /// A variant of a string enum: the enum and the index of the variant.
    Variant(TypeId, usize),
}

impl Field {
    /// Whether the Rust type is wrapped in `Option`.
    pub fn optional(&self) -> bool {
        self.nullable || !self.required
    }

    /// Whether the field takes a default from the document when absent: a `default` kept for
    /// a field that is not an `Option`.
    pub fn has_default(&self) -> bool {
        !self.optional() && self.default.is_some()
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
    /// Known values, in document order.
    pub variants: Vec<Variant>,
    /// Name of the variant that keeps values the document does not list.
    pub fallback: String,
}

/// One value of a [`StringEnum`].
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name (UpperCamelCase).
    pub name: String,
    /// The value on the wire.
    pub wire: String,
    /// Description (from `x-ms-enum` or `x-enum-descriptions` when present).
    pub doc: Option<String>,
}

/// A type at a use site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// `boolean`.
    Bool,
    /// `integer`, `int32`.
    I32,
    /// `integer` (no format or `int64`).
    I64,
    /// `number`, `float`.
    F32,
    /// `number` (no format or `double`).
    F64,
    /// `string`.
    String,
    /// `string`, `date-time`: an instant with its UTC offset.
    DateTime,
    /// `string`, `date`.
    Date,
    /// `string`, `uuid`.
    Uuid,
    /// Raw bytes (`format: binary` bodies).
    Bytes,
    /// Any JSON value (an empty schema).
    Json,
    /// Any JSON object (`type: object` with no properties).
    JsonObject,
    /// A named type.
    Named(TypeId),
    /// `array`.
    Vec(Box<TypeRef>),
    /// `additionalProperties` alone: a map from string keys.
    Map(Box<TypeRef>),
    /// A nullable value inside a container (array items, map values).
    Option(Box<TypeRef>),
}

/// An operation: one method of the client.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Rust method name (snake_case, unique on the client).
    pub name: String,
    /// How the operation is named in errors and traces: its `operationId`, or `METHOD /path`.
    pub label: String,
    /// Uppercase HTTP method.
    pub method: HttpMethod,
    /// The path template as written in the document.
    pub path: String,
    /// The path split into literal text and parameters (index into `params`).
    pub path_parts: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `externalDocs.url`.
    pub docs_url: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// OAuth2 scopes or other security requirements, as `scheme: scope, scope`.
    pub security: Vec<String>,
    /// The security requirements the document states for the operation (its own, or the
    /// document's): any one of the lists, each a set of scheme names sent together.
    pub requirements: Option<Vec<Vec<String>>>,
    /// Parameters, path parameters first in path order, then the rest in document order.
    pub params: Vec<Param>,
    /// Name of the struct that carries the optional parameters, when there are any.
    pub options: Option<String>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success response carries.
    pub success: Success,
    /// Declared error responses.
    pub errors: Vec<ErrorResponse>,
    /// Every declared response, success and error, exact codes first, then ranges, then
    /// `default`: what a server implementation answers with.
    pub responses: Vec<StatusBody>,
    /// How to follow the pages of a collection, when the operation returns one.
    pub paging: Option<Paging>,
    /// Whether the generated server serves it: not when an earlier operation with the same
    /// method has a path a router cannot tell from its own (see [`route_conflicts`]).
    pub served: bool,
}

/// Where the items and the next-page link are in a paged response (`x-ms-pageable`, or the
/// OData shape: a `value` array beside `@odata.nextLink`).
#[derive(Debug, Clone)]
pub struct Paging {
    /// Method returning a stream of pages.
    pub pages_method: String,
    /// Method returning a stream of items.
    pub items_method: String,
    /// Private function building the first request, shared by the three methods.
    pub request_fn: String,
    /// The page type.
    pub page: TypeRef,
    /// Rust name of the array field with the items.
    pub items_field: String,
    /// Whether that field is an `Option`.
    pub items_optional: bool,
    /// The item type.
    pub item: TypeRef,
    /// Rust name of the next-link field.
    pub next_link_field: String,
    /// Whether that field is an `Option`.
    pub next_link_optional: bool,
}

/// A declared error response.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    /// The status as written: `404`, `4XX`, `default`.
    pub status: String,
    /// The JSON body type, when there is one.
    pub ty: Option<TypeRef>,
}

/// HTTP methods an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// OPTIONS.
    Options,
    /// HEAD.
    Head,
    /// PATCH.
    Patch,
    /// TRACE.
    Trace,
}

impl HttpMethod {
    /// Parses the lowercase key of a path item.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// Part of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text copied as is.
    Literal(String),
    /// A parameter: index into [`Operation::params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How an array parameter is written in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `form`, `explode: false`: one pair, values joined with commas.
    Csv,
    /// `form`, `explode: true`: one pair per value.
    Exploded,
    /// `spaceDelimited`: one pair, values joined with spaces.
    Space,
    /// `pipeDelimited`: one pair, values joined with `|`.
    Pipe,
}

/// How a parameter's value becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// Scalars as their text, arrays of scalars in the parameter's [`ArrayStyle`].
    Text,
    /// JSON text: a parameter described with `content` and a JSON media type (the whole
    /// value), or a query array of objects in `form` style (with [`ArrayStyle::Exploded`] one
    /// pair per item, otherwise the whole array).
    Json,
    /// An object (or, in `deepObject` style, an array of objects) in the query.
    Object(ObjectStyle),
}

/// How an object is written in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `deepObject`: `name[member]=value`.
    DeepObject,
    /// `form`: one pair per member when exploded, else `name=member,value,...`.
    Form {
        /// `explode`.
        explode: bool,
    },
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (snake_case, unique in the operation).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it is declared, as a JSON pointer (the operation's, when the path uses a
    /// parameter the document does not declare).
    pub pointer: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type; arrays are `TypeRef::Vec`.
    pub ty: TypeRef,
    /// Required parameters are method arguments; the others live in the options struct.
    pub required: bool,
    /// For arrays: how they are written.
    pub style: ArrayStyle,
    /// How the value becomes text.
    pub encoding: ParamEncoding,
    /// `allowReserved: true` on a query parameter: RFC 3986's reserved characters are sent as
    /// they are.
    pub allow_reserved: bool,
    /// Description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// How the body is encoded.
    pub kind: BodyKind,
    /// The body type (`Bytes` and `String` for raw bodies).
    pub ty: TypeRef,
    /// `required: true`; otherwise the argument is an `Option`.
    pub required: bool,
    /// `description`.
    pub doc: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`; the named properties are file parts.
    Multipart {
        /// Wire names of the properties sent as files (`format: binary`).
        files: Vec<String>,
    },
    /// Raw bytes with this media type.
    Bytes(String),
    /// Text with this media type.
    Text(String),
}

/// A response an operation may answer with: one variant of a response enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBody {
    /// The status as written: `200`, `2XX`, `default`.
    pub status: String,
    /// Rust name of the variant in the response enum.
    pub variant: String,
    /// What it carries (never `Multiple`).
    pub body: Success,
    /// The headers the response declares (the serving side sets them).
    pub headers: Vec<ResponseHeader>,
}

/// A header a response declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// Rust field name (snake_case, unique among the response's headers).
    pub name: String,
    /// The header name as written in the document.
    pub wire: String,
    /// Its type: one that is written as text (anything else is carried as a `String`).
    pub ty: TypeRef,
    /// `required: true`; otherwise the field is an `Option`.
    pub required: bool,
    /// `description`.
    pub doc: Option<String>,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// Several success statuses with different bodies: an enum named `name` in `client`.
    Multiple {
        /// Name of the response enum.
        name: String,
        /// The statuses, exact codes first, then ranges, then `default`.
        statuses: Vec<StatusBody>,
    },
    /// Nothing (or nothing the client needs).
    Empty,
    /// A JSON body.
    Json(TypeRef),
    /// A `text/plain` body parsed with `FromStr`.
    Text(TypeRef),
    /// Any other media type, returned as bytes.
    Bytes,
}

/// Builds the model of `document` as generating it does by default: what cannot be expressed
/// falls back or is left out (its warnings are dropped here).
#[cfg(any(test, feature = "internals"))]
pub fn build(document: &Document) -> Result<Api, Error> {
    build_with(&document.api, None, Strictness::Lenient).map(|(api, _)| api)
}

/// Builds the model of `api`, naming component schemas as [`TypeSpace::with_names`] does;
/// every problem is an error.
pub fn build_named(api: &openapiv3::OpenAPI, naming: Option<&[String]>) -> Result<Api, Error> {
    build_with(api, naming, Strictness::Strict).map(|(api, _)| api)
}

/// What a problem in one schema or one operation does to the rest of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Every problem is an error: nothing is generated.
    Strict,
    /// A schema the generator cannot express becomes any JSON value, and an operation it
    /// cannot express is left out, each with a warning; everything else is generated.
    Lenient,
}

/// Builds the model of `api` as [`build_named`] does; with [`Strictness::Lenient`], returns
/// the model of what could be expressed and a warning for each schema or operation that
/// could not.
pub fn build_with(
    api: &openapiv3::OpenAPI,
    naming: Option<&[String]>,
    strictness: Strictness,
) -> Result<(Api, Vec<Error>), Error> {
    let mut space = TypeSpace::with_names(api, naming)?;
    if strictness == Strictness::Lenient {
        space.lenient();
    }
    // Problems in schemas and in operations are reported together.
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Err(error) = space.build_components() {
        match strictness {
            Strictness::Strict => errors.push(error),
            Strictness::Lenient => {
                warnings.extend(error.into_diagnostics().into_iter().map(schema_as_json));
            }
        }
    }
    let schemas_failed = !errors.is_empty();
    let duplicates = duplicate_operation_ids(api);
    match strictness {
        Strictness::Strict => errors.extend(duplicates),
        Strictness::Lenient => warnings.extend(duplicates.into_iter().map(|e| {
            e.with_help("the later operation's method gets a name of its own")
                .into_warning()
        })),
    }
    let operations = match build_operations(api, &mut space, strictness) {
        Ok((operations, left_out)) => {
            warnings.extend(left_out);
            operations
        }
        // A schema that failed stands in as any JSON value, which an operation may then find
        // unsupported (a parameter must be text): only the operations' own structural
        // problems are worth reporting beside the schemas'.
        Err(error) if schemas_failed => {
            errors.extend(error.into_diagnostics().into_iter().filter(|e| {
                matches!(
                    e.kind(),
                    crate::ErrorKind::Reference | crate::ErrorKind::Invalid
                )
            }));
            Vec::new()
        }
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    };
    if let Some(error) = Error::from_diagnostics(errors) {
        return Err(error);
    }
    let mut operations = operations;
    let conflicts = route_conflicts(&mut operations);
    match strictness {
        Strictness::Strict => {
            if let Some(error) = Error::from_diagnostics(conflicts) {
                return Err(error);
            }
        }
        Strictness::Lenient => warnings.extend(conflicts.into_iter().map(Error::into_warning)),
    }
    // The members that fell back, after the schemas and operations they belong to.
    warnings.extend(space.take_warnings());
    let types = space.finish();
    let api = Api {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        version: api.info.version.clone(),
        servers: api.servers.iter().map(|s| s.url.clone()).collect(),
        types,
        operations,
        security_schemes: security_schemes(api),
    };
    Ok((api, warnings))
}

/// Marks the operations a router cannot serve: a path whose segments with parameters stand
/// where an earlier operation's with the same method do (`/a/{id}/b` and `/a/{name}/b`, or
/// `/a/{id}` and `/a/{id}.json`) matches the same requests, so the later would never be
/// called. Each is reported (and, unlike the earlier one, not served); the client calls both,
/// since the service tells them apart.
fn route_conflicts(operations: &mut [Operation]) -> Vec<Error> {
    // A fixed query in a path (Azure's `x-ms-paths`) is no part of the route.
    let shape = |path: &str| -> String {
        let route = path.split_once('?').map_or(path, |(route, _)| route);
        route
            .split('/')
            .map(|segment| if segment.contains('{') { "{}" } else { segment })
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut first: std::collections::HashMap<(HttpMethod, String), usize> =
        std::collections::HashMap::new();
    let mut errors = Vec::new();
    for index in 0..operations.len() {
        let key = (operations[index].method, shape(&operations[index].path));
        match first.get(&key) {
            Some(&earlier) => {
                let (served, op) = (&operations[earlier], &operations[index]);
                let method = op.method.as_str();
                errors.push(
                    Error::invalid(
                        &crate::error::join_pointer(
                            &crate::error::join_pointer("#/paths", &op.path),
                            &method.to_ascii_lowercase(),
                        ),
                        format!(
                            "`{method} {}` matches the same requests as `{method} {}` in the generated server, which serves that one; the client calls both",
                            op.path, served.path
                        ),
                    )
                    .with_help("give the paths different literal segments, or serve this operation with a router of your own"),
                );
                operations[index].served = false;
            }
            None => {
                first.insert(key, index);
            }
        }
    }
    errors
}

/// The warning for a schema the generator cannot express: its type stands for any JSON
/// value (`serde_json::Value`), so whatever uses it still decodes.
fn schema_as_json(error: Error) -> Error {
    let message = format!(
        "{}; the schema's type is any JSON value (`serde_json::Value`)",
        error.message()
    );
    error.with_message(message).into_warning()
}

/// The security schemes of `api` a client can send: HTTP `bearer` and `basic`, API keys,
/// OAuth 2.0 and OpenID Connect (both bearer tokens). Others (HTTP `digest`, say) are left
/// out: an operation that requires one sends what else it accepts.
fn security_schemes(api: &openapiv3::OpenAPI) -> Vec<SecurityScheme> {
    use openapiv3::{APIKeyLocation, SecurityScheme as Declared};
    let Some(components) = &api.components else {
        return Vec::new();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| {
            let openapiv3::ReferenceOr::Item(scheme) = scheme else {
                return None;
            };
            let kind = match scheme {
                Declared::APIKey { location, name, .. } => {
                    let location = match location {
                        APIKeyLocation::Header => KeyLocation::Header,
                        APIKeyLocation::Query => KeyLocation::Query,
                        APIKeyLocation::Cookie => KeyLocation::Cookie,
                    };
                    SchemeKind::ApiKey(location, name.clone())
                }
                Declared::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    SchemeKind::Bearer
                }
                Declared::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    SchemeKind::Basic
                }
                Declared::HTTP { .. } => return None,
                Declared::OAuth2 { .. } | Declared::OpenIDConnect { .. } => SchemeKind::Bearer,
            };
            Some(SecurityScheme {
                name: name.clone(),
                kind,
            })
        })
        .collect()
}

/// Every operation whose `operationId` an earlier operation already has: OpenAPI requires them
/// to be unique, and tools (this one included) name methods after them.
fn duplicate_operation_ids(api: &openapiv3::OpenAPI) -> Vec<Error> {
    let mut first: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for (path, item) in api.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (key, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            let pointer =
                crate::error::join_pointer(&crate::error::join_pointer("#/paths", path), key);
            match first.get(id) {
                Some(earlier) => errors.push(
                    Error::invalid(
                        &crate::error::join_pointer(&pointer, "operationId"),
                        format!(
                            "operationId `{id}` is already used by the operation at `{earlier}`"
                        ),
                    )
                    .with_help("operationIds must be unique in a document: rename one of them"),
                ),
                None => {
                    first.insert(id, pointer);
                }
            }
        }
    }
    errors
}
