//! Slicing a large document: keeping the operations a client needs and only the components
//! they reach.
//!
//! This is a transformation of the `openapiv3` document that runs before [`crate::model`]:
//! the model and everything after it see an ordinary, smaller document.
//!
//! # Patterns
//!
//! A [`Selection`] holds include and exclude patterns. An operation is kept when no include is
//! given or one include matches it, and no exclude matches it (excludes win). A pattern is one of:
//!
//! | Pattern | Matches |
//! |---|---|
//! | `/deviceManagement/ndesConnectors/**` | operations whose path matches: a `*` segment is any one segment, `**` any number of segments (none included), and `*` inside a segment any run of characters (`/deviceManagement/*Connectors`) |
//! | `GET,PATCH:/connectors/*` | the same, restricted to these methods (any case) |
//! | `tag:deviceManagement.ndesConnector` | operations with this tag; `*` is any run of characters |
//! | `operationId:connectors.connector.*` | operations with this `operationId`; `*` as for tags |
//!
//! Paths are compared with the document's path templates as written, so
//! `/connectors/{connector-id}` is matched by `/connectors/*`. A pattern that matches no
//! operation of the document is an error that names the closest paths (tags, operation ids).
//!
//! # Reachability
//!
//! Kept are the selected operations (path items left without operations are dropped) and the
//! components they reach through `$ref` at any depth: schemas, parameters, responses, request
//! bodies, headers, examples and links. Inside schemas, references are followed through
//! `allOf`, `oneOf`, `anyOf`, `not`, `items`, `properties` and `additionalProperties`.
//!
//! A discriminator mapping names the types a polymorphic base type can produce. Where the base
//! is the declared type of a value (a `$ref` to it in a property, an item, a body, an
//! alternative — not where a schema only inherits from it through `allOf`), its mapped types
//! are kept too, unless [`Selection::mapped_subtypes`] is off: then they are kept only when
//! something else reaches them, and a value of a left-out type decodes into the fallback
//! variant of the base's `Any{Name}` enum (or into the base struct itself, when no mapped type
//! is left). Mapping entries whose type is not kept are removed, so the slice never holds a
//! dangling reference. Security schemes are kept when a kept operation (or the document) requires
//! them, tags when a kept operation uses them.
//!
//! # Stable names
//!
//! The model names a component schema after the last segment of its name, and uses the full
//! name when two schemas share that segment, so a narrower document could name a type
//! differently. A slice is therefore generated with the component names of the document it
//! came from ([`crate::model::build_named`]): in memory the whole list, and in a slice written
//! to a file the part of it that decides this slice's names, under
//! `x-generator-slice: {names: [...]}` (see [`naming_for`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Components, Example, Header, MediaType, OpenAPI, Operation,
    Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response, Schema, SchemaData, SchemaKind, Type,
};

use crate::error::{Error, ErrorKind, join_pointer};
use crate::names;

/// The top-level extension a written slice carries: the patterns it was made with and, when
/// they matter, the component names that decide its type names.
pub const EXTENSION: &str = "x-generator-slice";

/// HTTP methods in the order a path item lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many closest paths, tags or operation ids an error suggests.
const SUGGESTIONS: usize = 5;

/// Which operations of a document to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    include: Vec<String>,
    exclude: Vec<String>,
    mapped_subtypes: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            include: Vec::new(),
            exclude: Vec::new(),
            mapped_subtypes: true,
        }
    }
}

impl Selection {
    /// Everything: no include, no exclude, mapped subtypes kept.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an include pattern (see the [module documentation](self) for the syntax).
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.include.push(pattern.into());
        self
    }

    /// Adds an exclude pattern; excludes win over includes.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Whether the types a discriminator mapping produces are kept with their base type
    /// (`true`, the default), or only when something else reaches them.
    pub fn mapped_subtypes(mut self, keep: bool) -> Self {
        self.mapped_subtypes = keep;
        self
    }

    /// The include patterns, in the order given.
    pub fn includes(&self) -> &[String] {
        &self.include
    }

    /// The exclude patterns, in the order given.
    pub fn excludes(&self) -> &[String] {
        &self.exclude
    }

    /// Whether mapped subtypes are kept.
    pub fn keeps_mapped_subtypes(&self) -> bool {
        self.mapped_subtypes
    }

    /// Whether the selection is everything (no pattern; mapped subtypes kept).
    pub fn is_everything(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty() && self.mapped_subtypes
    }
}

/// A parsed include or exclude pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    kind: PatternKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PatternKind {
    /// Path segments (`**` is a segment of its own), and the methods (lowercase; empty: any).
    Path {
        methods: Vec<&'static str>,
        segments: Vec<String>,
    },
    Tag(String),
    OperationId(String),
}

/// What a pattern is matched against.
#[derive(Debug, Clone, Copy)]
struct Candidate<'a> {
    path: &'a str,
    /// Lowercase method key; empty for a path item given by `$ref`, which has no visible
    /// operations.
    method: &'static str,
    tags: &'a [String],
    operation_id: Option<&'a str>,
}

impl Pattern {
    /// Parses `text`; the error says what the syntax is.
    pub fn parse(text: &str) -> Result<Pattern, Error> {
        let syntax = "write `/path/**`, `GET,POST:/path/*`, `tag:NAME` or `operationId:NAME` (`*` is one path segment, `**` any number of them)";
        let invalid = |message: String| {
            Error::new(ErrorKind::Invalid, message)
                .at_pointer("#/paths")
                .with_help(syntax)
        };
        let kind = if let Some(tag) = text.strip_prefix("tag:") {
            if tag.is_empty() {
                return Err(invalid(format!("pattern `{text}` names no tag")));
            }
            PatternKind::Tag(tag.to_owned())
        } else if let Some(id) = text.strip_prefix("operationId:") {
            if id.is_empty() {
                return Err(invalid(format!("pattern `{text}` names no operationId")));
            }
            PatternKind::OperationId(id.to_owned())
        } else if text.starts_with('/') {
            PatternKind::Path {
                methods: Vec::new(),
                segments: path_segments(text),
            }
        } else if let Some((methods, path)) = text.split_once(':') {
            if !path.starts_with('/') {
                return Err(invalid(format!(
                    "pattern `{text}`: after the methods comes a path starting with `/`"
                )));
            }
            let mut parsed = Vec::new();
            for method in methods.split(',').map(str::trim) {
                let lower = method.to_ascii_lowercase();
                match METHODS.iter().find(|m| **m == lower) {
                    Some(known) if !parsed.contains(known) => parsed.push(*known),
                    Some(_) => {}
                    None => {
                        return Err(Error::new(
                            ErrorKind::Invalid,
                            format!("pattern `{text}`: `{method}` is not an HTTP method"),
                        )
                        .at_pointer("#/paths")
                        .with_help(
                            "use GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH or TRACE, separated by commas",
                        ));
                    }
                }
            }
            PatternKind::Path {
                methods: parsed,
                segments: path_segments(path),
            }
        } else {
            return Err(invalid(format!("`{text}` is not a pattern")));
        };
        Ok(Pattern {
            text: text.to_owned(),
            kind,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern matches the operation `method` (lowercase, as a path item key) at
    /// `path` with `tags` and `operation_id`.
    pub fn matches(
        &self,
        path: &str,
        method: &str,
        tags: &[String],
        operation_id: Option<&str>,
    ) -> bool {
        let method = METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(method))
            .copied()
            .unwrap_or("");
        self.matches_candidate(&Candidate {
            path,
            method,
            tags,
            operation_id,
        })
    }

    fn matches_candidate(&self, candidate: &Candidate<'_>) -> bool {
        match &self.kind {
            PatternKind::Path { methods, segments } => {
                (methods.is_empty() || methods.contains(&candidate.method))
                    && path_matches(segments, candidate.path)
            }
            PatternKind::Tag(glob) => candidate.tags.iter().any(|tag| glob_matches(glob, tag)),
            PatternKind::OperationId(glob) => candidate
                .operation_id
                .is_some_and(|id| glob_matches(glob, id)),
        }
    }

    /// A path item given by `$ref` shows no operations; only a path pattern without methods
    /// selects (or excludes) it as a whole.
    fn matches_whole_path(&self, path: &str) -> bool {
        matches!(&self.kind, PatternKind::Path { methods, segments } if methods.is_empty() && path_matches(segments, path))
    }
}

fn path_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

/// Matches path segments: `**` is any number of segments, other segments are globs.
fn path_matches(pattern: &[String], path: &str) -> bool {
    let path: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // reachable[j]: the pattern so far can consume exactly the first j path segments.
    let mut reachable = vec![false; path.len() + 1];
    reachable[0] = true;
    for segment in pattern {
        let mut next = vec![false; path.len() + 1];
        if segment == "**" {
            let mut any = false;
            for j in 0..=path.len() {
                any |= reachable[j];
                next[j] = any;
            }
        } else {
            for j in 0..path.len() {
                if reachable[j] && glob_matches(segment, path[j]) {
                    next[j + 1] = true;
                }
            }
        }
        reachable = next;
    }
    reachable[path.len()]
}

/// Matches `text` against `glob`, where `*` is any run of characters.
fn glob_matches(glob: &str, text: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut g, mut t) = (0, 0);
    // Where the last `*` was, and the text position it resumes from.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if g < glob.len() && glob[g] == '*' {
            star = Some((g, t));
            g += 1;
        } else if g < glob.len() && glob[g] == text[t] {
            g += 1;
            t += 1;
        } else if let Some((star_g, star_t)) = star {
            g = star_g + 1;
            t = star_t + 1;
            star = Some((star_g, star_t + 1));
        } else {
            return false;
        }
    }
    glob[g..].iter().all(|c| *c == '*')
}

/// The sections of `components` a `$ref` can point into, and which ones slicing keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Schemas,
    Responses,
    Parameters,
    Examples,
    RequestBodies,
    Headers,
    Links,
}

impl Kind {
    fn from_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schemas,
            "responses" => Kind::Responses,
            "parameters" => Kind::Parameters,
            "examples" => Kind::Examples,
            "requestBodies" => Kind::RequestBodies,
            "headers" => Kind::Headers,
            "links" => Kind::Links,
            _ => return None,
        })
    }
}

/// Splits a local component reference into its section and (unescaped) name.
fn parse_reference(reference: &str) -> Option<(Kind, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    Some((
        Kind::from_section(section)?,
        name.replace("~1", "/").replace("~0", "~"),
    ))
}

/// A discriminator mapping target may be a bare schema name or a reference.
fn mapping_reference(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// A reference found while walking: where it points, and whether the target is used as the
/// declared type of a value (which brings a polymorphic base's mapped types along).
type Found = (Kind, String, bool);

/// What a walk does besides visiting: collect references, or remove mapping entries whose
/// types were not kept.
enum Pass<'a> {
    Collect,
    Prune { schemas: &'a HashSet<String> },
}

/// Visits every place of a document that can hold a reference or a schema.
struct Walker<'a> {
    pass: Pass<'a>,
    found: Vec<Found>,
}

impl Walker<'_> {
    fn reference(&mut self, reference: &str, value: bool) {
        if let Pass::Collect = self.pass {
            if let Some((kind, name)) = parse_reference(reference) {
                self.found.push((kind, name, value));
            }
        }
    }

    fn path_item(&mut self, item: &mut PathItem) {
        for parameter in &mut item.parameters {
            self.parameter(parameter);
        }
        for operation in operations_mut(item).into_iter().flatten() {
            self.operation(operation);
        }
    }

    fn operation(&mut self, operation: &mut Operation) {
        for parameter in &mut operation.parameters {
            self.parameter(parameter);
        }
        if let Some(body) = &mut operation.request_body {
            self.request_body(body);
        }
        if let Some(response) = &mut operation.responses.default {
            self.response(response);
        }
        for response in operation.responses.responses.values_mut() {
            self.response(response);
        }
        for callback in operation.callbacks.values_mut() {
            for item in callback.values_mut() {
                self.path_item(item);
            }
        }
    }

    fn parameter(&mut self, parameter: &mut ReferenceOr<Parameter>) {
        match parameter {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(parameter) => self.parameter_data(parameter_data_mut(parameter)),
        }
    }

    fn parameter_data(&mut self, data: &mut ParameterData) {
        self.schema_or_content(&mut data.format);
        self.examples(&mut data.examples);
    }

    fn schema_or_content(&mut self, format: &mut ParameterSchemaOrContent) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.schema(schema, true),
            ParameterSchemaOrContent::Content(content) => self.content(content),
        }
    }

    fn examples(&mut self, examples: &mut IndexMap<String, ReferenceOr<Example>>) {
        for example in examples.values() {
            if let ReferenceOr::Reference { reference } = example {
                self.reference(reference, false);
            }
        }
    }

    fn content(&mut self, content: &mut IndexMap<String, MediaType>) {
        for media in content.values_mut() {
            if let Some(schema) = &mut media.schema {
                self.schema(schema, true);
            }
            self.examples(&mut media.examples);
            for encoding in media.encoding.values_mut() {
                for header in encoding.headers.values_mut() {
                    self.header(header);
                }
            }
        }
    }

    fn request_body(&mut self, body: &mut ReferenceOr<RequestBody>) {
        match body {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(body) => self.content(&mut body.content),
        }
    }

    fn response(&mut self, response: &mut ReferenceOr<Response>) {
        match response {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(response) => {
                for header in response.headers.values_mut() {
                    self.header(header);
                }
                self.content(&mut response.content);
                for link in response.links.values() {
                    if let ReferenceOr::Reference { reference } = link {
                        self.reference(reference, false);
                    }
                }
            }
        }
    }

    fn header(&mut self, header: &mut ReferenceOr<Header>) {
        match header {
            ReferenceOr::Reference { reference } => self.reference(reference, false),
            ReferenceOr::Item(header) => {
                self.schema_or_content(&mut header.format);
                self.examples(&mut header.examples);
            }
        }
    }

    /// A schema at a position; `value` says whether a reference here is the declared type of
    /// a value (everywhere but the parts of an `allOf` that merges objects, and `not`).
    fn schema(&mut self, schema: &mut ReferenceOr<Schema>, value: bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, value),
            ReferenceOr::Item(schema) => self.schema_item(schema),
        }
    }

    fn boxed_schema(&mut self, schema: &mut ReferenceOr<Box<Schema>>, value: bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, value),
            ReferenceOr::Item(schema) => self.schema_item(schema),
        }
    }

    fn schema_item(&mut self, schema: &mut Schema) {
        if let Pass::Prune { schemas } = self.pass {
            prune_mapping(&mut schema.schema_data, schemas);
        }
        let merges = merges_objects(schema);
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for property in object.properties.values_mut() {
                    self.boxed_schema(property, true);
                }
                if let Some(AdditionalProperties::Schema(additional)) =
                    &mut object.additional_properties
                {
                    self.schema(additional, true);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(items) = &mut array.items {
                    self.boxed_schema(items, true);
                }
            }
            SchemaKind::Type(_) => {}
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                for part in parts {
                    self.schema(part, true);
                }
            }
            SchemaKind::AllOf { all_of } => {
                for part in all_of {
                    self.schema(part, !merges);
                }
            }
            SchemaKind::Not { not } => self.schema(not, false),
            SchemaKind::Any(any) => self.any_schema(any, merges),
        }
    }

    fn any_schema(&mut self, any: &mut AnySchema, merges: bool) {
        for property in any.properties.values_mut() {
            self.boxed_schema(property, true);
        }
        if let Some(AdditionalProperties::Schema(additional)) = &mut any.additional_properties {
            self.schema(additional, true);
        }
        if let Some(items) = &mut any.items {
            self.boxed_schema(items, true);
        }
        for part in any.one_of.iter_mut().chain(any.any_of.iter_mut()) {
            self.schema(part, true);
        }
        for part in &mut any.all_of {
            self.schema(part, !merges);
        }
        if let Some(not) = &mut any.not {
            self.schema(not, false);
        }
    }
}

fn operations_mut(item: &mut PathItem) -> [Option<&mut Operation>; 8] {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
}

fn operation_slots(item: &mut PathItem) -> [&mut Option<Operation>; 8] {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
}

fn parameter_data_mut(parameter: &mut Parameter) -> &mut ParameterData {
    match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    }
}

/// Whether a schema has object structure of its own (properties, additionalProperties, or
/// `type: object`).
fn object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => true,
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("object")
                || !any.properties.is_empty()
                || any.additional_properties.is_some()
        }
        _ => false,
    }
}

/// Whether the schema's `allOf` merges the properties of its parts into one object (the parts
/// are inherited), rather than naming a single other type.
fn merges_objects(schema: &Schema) -> bool {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return false,
    };
    all_of.len() > 1
        || object_like(schema)
        || all_of
            .iter()
            .any(|part| matches!(part, ReferenceOr::Item(part) if object_like(part)))
}

/// The schemas a polymorphic base type's discriminator maps to: an object (or `allOf`) schema
/// with a discriminator mapping and no `oneOf`/`anyOf`.
fn mapped_subtypes(schema: &ReferenceOr<Schema>) -> Vec<String> {
    let ReferenceOr::Item(schema) = schema else {
        return Vec::new();
    };
    let Some(discriminator) = &schema.schema_data.discriminator else {
        return Vec::new();
    };
    let polymorphic = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => {
            (object_like(schema) || !any.all_of.is_empty())
                && any.one_of.is_empty()
                && any.any_of.is_empty()
        }
        _ => false,
    };
    if !polymorphic {
        return Vec::new();
    }
    discriminator
        .mapping
        .values()
        .filter_map(|target| match parse_reference(&mapping_reference(target)) {
            Some((Kind::Schemas, name)) => Some(name),
            _ => None,
        })
        .collect()
}

/// Removes the mapping entries whose schema was not kept.
fn prune_mapping(data: &mut SchemaData, kept: &HashSet<String>) {
    if let Some(discriminator) = &mut data.discriminator {
        discriminator.mapping.retain(|_, target| {
            match parse_reference(&mapping_reference(target)) {
                Some((Kind::Schemas, name)) => kept.contains(&name),
                _ => true,
            }
        });
    }
}

/// The components kept, by section.
#[derive(Default)]
struct Kept {
    schemas: HashSet<String>,
    responses: HashSet<String>,
    parameters: HashSet<String>,
    examples: HashSet<String>,
    request_bodies: HashSet<String>,
    headers: HashSet<String>,
    links: HashSet<String>,
    /// Schemas used as the declared type of a value somewhere.
    values: HashSet<String>,
}

impl Kept {
    fn set(&mut self, kind: Kind) -> &mut HashSet<String> {
        match kind {
            Kind::Schemas => &mut self.schemas,
            Kind::Responses => &mut self.responses,
            Kind::Parameters => &mut self.parameters,
            Kind::Examples => &mut self.examples,
            Kind::RequestBodies => &mut self.request_bodies,
            Kind::Headers => &mut self.headers,
            Kind::Links => &mut self.links,
        }
    }
}

/// Applies `selection` to `api`: the selected operations and the components they reach, in
/// document order. Fails when a pattern is malformed or matches no operation. Only what is
/// kept is copied; `api` is left as it is.
pub fn select(api: &OpenAPI, selection: &Selection) -> Result<OpenAPI, Error> {
    let includes = parse_all(&selection.include)?;
    let excludes = parse_all(&selection.exclude)?;
    let recorded = recorded_patterns(api);
    let keep = decide(api, &includes, &excludes, &recorded)?;

    // The selected operations; path items left without operations are dropped.
    let mut paths = IndexMap::new();
    let mut index = 0;
    for (path, item) in api.paths.iter() {
        match item {
            ReferenceOr::Reference { reference } => {
                if keep[index] {
                    paths.insert(
                        path.clone(),
                        ReferenceOr::Reference {
                            reference: reference.clone(),
                        },
                    );
                }
                index += 1;
            }
            ReferenceOr::Item(item) => {
                let count = item.iter().count();
                let chosen = &keep[index..index + count];
                index += count;
                if !chosen.contains(&true) {
                    continue;
                }
                let mut item = item.clone();
                let slots = operation_slots(&mut item)
                    .into_iter()
                    .filter(|slot| slot.is_some());
                for (slot, kept) in slots.zip(chosen) {
                    if !kept {
                        *slot = None;
                    }
                }
                paths.insert(path.clone(), ReferenceOr::Item(item));
            }
        }
    }

    // Everything the kept operations reach.
    let mut walker = Walker {
        pass: Pass::Collect,
        found: Vec::new(),
    };
    let mut security: HashSet<String> = HashSet::new();
    let mut tags: HashSet<String> = HashSet::new();
    for requirement in api.security.iter().flatten() {
        security.extend(requirement.keys().cloned());
    }
    for item in paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            walker.path_item(item);
            for operation in operations_mut(item).into_iter().flatten() {
                tags.extend(operation.tags.iter().cloned());
                for requirement in operation.security.iter().flatten() {
                    security.extend(requirement.keys().cloned());
                }
            }
        }
    }
    let empty = Components::default();
    let source = api.components.as_ref().unwrap_or(&empty);
    let mut kept = Kept::default();
    let mut reached = Reached::default();
    let mut queue = std::mem::take(&mut walker.found);
    while let Some((kind, name, value)) = queue.pop() {
        let first = kept.set(kind).insert(name.clone());
        if kind == Kind::Schemas && value && kept.values.insert(name.clone()) {
            if let (true, Some(schema)) = (selection.mapped_subtypes, source.schemas.get(&name)) {
                queue.extend(
                    mapped_subtypes(schema)
                        .into_iter()
                        .map(|target| (Kind::Schemas, target, false)),
                );
            }
        }
        if first {
            reached.copy(&mut walker, source, kind, name);
            queue.append(&mut walker.found);
        }
    }

    // What was reached, in document order.
    let mut components = Components {
        schemas: in_order(&source.schemas, reached.schemas),
        responses: in_order(&source.responses, reached.responses),
        parameters: in_order(&source.parameters, reached.parameters),
        examples: in_order(&source.examples, reached.examples),
        request_bodies: in_order(&source.request_bodies, reached.request_bodies),
        headers: in_order(&source.headers, reached.headers),
        security_schemes: source
            .security_schemes
            .iter()
            .filter(|(name, _)| security.contains(*name))
            .map(|(name, scheme)| (name.clone(), scheme.clone()))
            .collect(),
        links: in_order(&source.links, reached.links),
        // Operation callbacks are written inline in OpenAPI 3.0 as `openapiv3` reads them, so
        // nothing can reference a component callback.
        callbacks: IndexMap::new(),
        extensions: source.extensions.clone(),
    };
    // Mapping entries to schemas that were not kept go.
    let mut pruner = Walker {
        pass: Pass::Prune {
            schemas: &kept.schemas,
        },
        found: Vec::new(),
    };
    for item in paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            pruner.path_item(item);
        }
    }
    prune_components(&mut pruner, &mut components);

    Ok(OpenAPI {
        openapi: api.openapi.clone(),
        info: api.info.clone(),
        servers: api.servers.clone(),
        paths: openapiv3::Paths {
            paths,
            extensions: api.paths.extensions.clone(),
        },
        components: (api.components.is_some() || !is_empty(&components)).then_some(components),
        security: api.security.clone(),
        tags: api
            .tags
            .iter()
            .filter(|tag| tags.contains(&tag.name))
            .cloned()
            .collect(),
        external_docs: api.external_docs.clone(),
        extensions: api.extensions.clone(),
    })
}

/// Copies of the components reached, each walked for the references it holds.
#[derive(Default)]
struct Reached {
    schemas: HashMap<String, ReferenceOr<Schema>>,
    responses: HashMap<String, ReferenceOr<Response>>,
    parameters: HashMap<String, ReferenceOr<Parameter>>,
    examples: HashMap<String, ReferenceOr<Example>>,
    request_bodies: HashMap<String, ReferenceOr<RequestBody>>,
    headers: HashMap<String, ReferenceOr<Header>>,
    links: HashMap<String, ReferenceOr<openapiv3::Link>>,
}

impl Reached {
    /// Copies the component `name` of section `kind` (when the document has it) and collects
    /// its references in `walker`.
    fn copy(&mut self, walker: &mut Walker<'_>, source: &Components, kind: Kind, name: String) {
        match kind {
            // A component that is itself a `$ref` names another type: a value use.
            Kind::Schemas => copy_walked(&source.schemas, &mut self.schemas, name, |schema| {
                walker.schema(schema, true)
            }),
            Kind::Responses => copy_walked(&source.responses, &mut self.responses, name, |r| {
                walker.response(r)
            }),
            Kind::Parameters => copy_walked(&source.parameters, &mut self.parameters, name, |p| {
                walker.parameter(p)
            }),
            Kind::Examples => copy_walked(&source.examples, &mut self.examples, name, |example| {
                if let ReferenceOr::Reference { reference } = example {
                    walker.reference(reference, false);
                }
            }),
            Kind::RequestBodies => copy_walked(
                &source.request_bodies,
                &mut self.request_bodies,
                name,
                |b| walker.request_body(b),
            ),
            Kind::Headers => copy_walked(&source.headers, &mut self.headers, name, |h| {
                walker.header(h)
            }),
            Kind::Links => copy_walked(&source.links, &mut self.links, name, |link| {
                if let ReferenceOr::Reference { reference } = link {
                    walker.reference(reference, false);
                }
            }),
        }
    }
}

/// Copies the component `name` of `from`, when there is one, into `to`, after `walk` has
/// recorded the references it holds.
fn copy_walked<T: Clone>(
    from: &IndexMap<String, T>,
    to: &mut HashMap<String, T>,
    name: String,
    walk: impl FnOnce(&mut T),
) {
    if let Some(item) = from.get(&name) {
        let mut item = item.clone();
        walk(&mut item);
        to.insert(name, item);
    }
}

/// The entries of `reached`, in the order of `source`.
fn in_order<T>(
    source: &IndexMap<String, T>,
    mut reached: HashMap<String, T>,
) -> IndexMap<String, T> {
    let mut out = IndexMap::with_capacity(reached.len());
    for name in source.keys() {
        if reached.is_empty() {
            break;
        }
        if let Some(item) = reached.remove(name) {
            out.insert(name.clone(), item);
        }
    }
    out
}

fn is_empty(components: &Components) -> bool {
    components.schemas.is_empty()
        && components.responses.is_empty()
        && components.parameters.is_empty()
        && components.examples.is_empty()
        && components.request_bodies.is_empty()
        && components.headers.is_empty()
        && components.security_schemes.is_empty()
        && components.links.is_empty()
        && components.extensions.is_empty()
}

fn prune_components(pruner: &mut Walker<'_>, components: &mut Components) {
    for schema in components.schemas.values_mut() {
        pruner.schema(schema, true);
    }
    for response in components.responses.values_mut() {
        pruner.response(response);
    }
    for parameter in components.parameters.values_mut() {
        pruner.parameter(parameter);
    }
    for body in components.request_bodies.values_mut() {
        pruner.request_body(body);
    }
    for header in components.headers.values_mut() {
        pruner.header(header);
    }
}

fn parse_all(patterns: &[String]) -> Result<Vec<Pattern>, Error> {
    let mut parsed = Vec::with_capacity(patterns.len());
    let mut errors = Vec::new();
    for text in patterns {
        match Pattern::parse(text) {
            Ok(pattern) => parsed.push(pattern),
            Err(error) => errors.push(error),
        }
    }
    match Error::from_diagnostics(errors) {
        Some(error) => Err(error),
        None => Ok(parsed),
    }
}

/// Decides, for every operation in document order (a path item given by `$ref` counting as
/// one), whether it is kept; fails when a pattern matches nothing.
fn decide(
    api: &OpenAPI,
    includes: &[Pattern],
    excludes: &[Pattern],
    recorded: &Recorded,
) -> Result<Vec<bool>, Error> {
    let mut include_hits = vec![false; includes.len()];
    let mut exclude_hits = vec![false; excludes.len()];
    let mut keep = Vec::new();
    for (path, item) in api.paths.iter() {
        match item {
            ReferenceOr::Reference { .. } => {
                let mut included = includes.is_empty();
                for (hit, pattern) in include_hits.iter_mut().zip(includes) {
                    if pattern.matches_whole_path(path) {
                        *hit = true;
                        included = true;
                    }
                }
                let mut excluded = false;
                for (hit, pattern) in exclude_hits.iter_mut().zip(excludes) {
                    if pattern.matches_whole_path(path) {
                        *hit = true;
                        excluded = true;
                    }
                }
                keep.push(included && !excluded);
            }
            ReferenceOr::Item(item) => {
                for (method, operation) in item.iter() {
                    let method = METHODS
                        .iter()
                        .find(|m| **m == method)
                        .copied()
                        .unwrap_or("");
                    let candidate = Candidate {
                        path,
                        method,
                        tags: &operation.tags,
                        operation_id: operation.operation_id.as_deref(),
                    };
                    let mut included = includes.is_empty();
                    for (hit, pattern) in include_hits.iter_mut().zip(includes) {
                        if pattern.matches_candidate(&candidate) {
                            *hit = true;
                            included = true;
                        }
                    }
                    let mut excluded = false;
                    for (hit, pattern) in exclude_hits.iter_mut().zip(excludes) {
                        if pattern.matches_candidate(&candidate) {
                            *hit = true;
                            excluded = true;
                        }
                    }
                    keep.push(included && !excluded);
                }
            }
        }
    }
    let unmatched = includes
        .iter()
        .zip(&include_hits)
        .map(|(pattern, hit)| ("include", pattern, hit))
        .chain(
            excludes
                .iter()
                .zip(&exclude_hits)
                .map(|(pattern, hit)| ("exclude", pattern, hit)),
        )
        .filter(|(role, pattern, hit)| !**hit && !recorded.contains(role, &pattern.text))
        .map(|(role, pattern, _)| unmatched(api, role, pattern));
    match Error::from_diagnostics(unmatched) {
        Some(error) => Err(error),
        None => Ok(keep),
    }
}

/// The patterns a slice was made with, as its `x-generator-slice` extension records them. Such
/// a pattern has done its work on the document, so it may match nothing in it: slicing a slice
/// with the same patterns is allowed, and changes nothing.
#[derive(Debug, Default)]
struct Recorded {
    include: HashSet<String>,
    exclude: HashSet<String>,
}

impl Recorded {
    fn contains(&self, role: &str, pattern: &str) -> bool {
        match role {
            "include" => self.include.contains(pattern),
            _ => self.exclude.contains(pattern),
        }
    }
}

fn recorded_patterns(api: &OpenAPI) -> Recorded {
    let record = api.extensions.get(EXTENSION);
    let list = |key: &str| -> HashSet<String> {
        record
            .and_then(|r| r.get(key))
            .and_then(serde_json::Value::as_array)
            .map(|patterns| {
                patterns
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Recorded {
        include: list("include"),
        exclude: list("exclude"),
    }
}

/// The error for a pattern that matches no operation, naming what comes closest.
fn unmatched(api: &OpenAPI, role: &str, pattern: &Pattern) -> Error {
    let message = format!("{role} pattern `{}` matches no operation", pattern.text);
    match &pattern.kind {
        PatternKind::Path { methods, segments } => {
            // Operations whose path matches, when only the methods are wrong.
            let same_path: Vec<String> = api
                .operations()
                .filter(|(path, _, _)| path_matches(segments, path))
                .map(|(path, method, _)| format!("{} {path}", method.to_uppercase()))
                .collect();
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/paths");
            if !methods.is_empty() && !same_path.is_empty() {
                let wanted: Vec<String> = methods.iter().map(|m| m.to_uppercase()).collect();
                return error.with_help(format!(
                    "its paths have no {} operation; they have {}",
                    wanted.join(" or "),
                    list(same_path.iter().map(String::as_str).take(SUGGESTIONS))
                ));
            }
            let paths: Vec<&str> = api.paths.paths.keys().map(String::as_str).collect();
            let closest = closest_paths(segments, &paths);
            if closest.is_empty() {
                error.with_help("the document has no paths")
            } else {
                error.with_help(format!("the closest paths are {}", list(closest)))
            }
        }
        PatternKind::Tag(tag) => {
            let mut tags: Vec<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
            for (_, _, operation) in api.operations() {
                tags.extend(operation.tags.iter().map(String::as_str));
            }
            dedup_in_order(&mut tags);
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/tags");
            match closest_texts(tag, &tags).as_slice() {
                [] => error.with_help("no operation of the document has a tag"),
                close => error.with_help(format!(
                    "the closest tags are {}",
                    list(close.iter().copied())
                )),
            }
        }
        PatternKind::OperationId(id) => {
            let ids: Vec<&str> = api
                .operations()
                .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
                .collect();
            let error = Error::new(ErrorKind::Invalid, message).at_pointer("#/paths");
            match closest_texts(id, &ids).as_slice() {
                [] => error.with_help("no operation of the document has an operationId"),
                close => error.with_help(format!(
                    "the closest operation ids are {}",
                    list(close.iter().copied())
                )),
            }
        }
    }
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn dedup_in_order(items: &mut Vec<&str>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(*item));
}

/// The paths closest to a path pattern: compared on the pattern's literal part (the segments
/// before the first wildcard) with the same number of leading segments of each path, then on
/// the whole text.
fn closest_paths<'a>(segments: &[String], paths: &[&'a str]) -> Vec<&'a str> {
    let literal: Vec<&str> = segments
        .iter()
        .take_while(|s| !s.contains('*'))
        .map(String::as_str)
        .collect();
    let prefix = format!("/{}", literal.join("/"));
    let whole = format!("/{}", segments.join("/"));
    let mut scored: Vec<(usize, usize, usize, &str)> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let leading: Vec<&str> = path
                .trim_start_matches('/')
                .split('/')
                .take(literal.len().max(1))
                .collect();
            let leading = format!("/{}", leading.join("/"));
            (
                edit_distance(&prefix, &leading),
                edit_distance(&whole, path),
                index,
                *path,
            )
        })
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, _, path)| path)
        .collect()
}

/// The texts closest to `wanted` (a glob; its `*` are left out of the comparison).
fn closest_texts<'a>(wanted: &str, texts: &[&'a str]) -> Vec<&'a str> {
    let wanted = wanted.replace('*', "");
    let mut scored: Vec<(usize, usize, &str)> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| (edit_distance(&wanted, text), index, *text))
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, text)| text)
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The component schema names that decide the type names of `api`, in naming order: the
/// document's own; in a slice written by [`slice()`], the names its `x-generator-slice`
/// extension records, then its own schemas not among them (as [`crate::model::build_named`]
/// names them).
pub fn naming(api: &OpenAPI) -> Result<Vec<String>, Error> {
    let own = api.components.as_ref().map(|c| c.schemas.keys());
    match recorded_naming(api)? {
        Some(mut names) => {
            let listed: HashSet<String> = names.iter().cloned().collect();
            names.extend(
                own.into_iter()
                    .flatten()
                    .filter(|k| !listed.contains(*k))
                    .cloned(),
            );
            Ok(names)
        }
        None => Ok(own.into_iter().flatten().cloned().collect()),
    }
}

/// The names list of the document's `x-generator-slice` extension, when it has one.
pub fn recorded_naming(api: &OpenAPI) -> Result<Option<Vec<String>>, Error> {
    let Some(extension) = api.extensions.get(EXTENSION) else {
        return Ok(None);
    };
    let at = join_pointer("#", EXTENSION);
    let Some(object) = extension.as_object() else {
        return Err(
            Error::invalid(&at, format!("`{EXTENSION}` must be an object"))
                .with_help("it is written by `generator slice`; slice the source document again"),
        );
    };
    let Some(names) = object.get("names") else {
        return Ok(None);
    };
    let at = join_pointer(&at, "names");
    let Some(names) = names.as_array() else {
        return Err(
            Error::invalid(&at, "the names of a slice must be a list of schema names")
                .with_help("it is written by `generator slice`; slice the source document again"),
        );
    };
    let mut out = Vec::with_capacity(names.len());
    let mut seen = HashSet::new();
    for (index, name) in names.iter().enumerate() {
        let Some(name) = name.as_str() else {
            return Err(Error::invalid(
                &join_pointer(&at, &index.to_string()),
                "a schema name must be a string",
            ));
        };
        if seen.insert(name) {
            out.push(name.to_owned());
        }
    }
    Ok(Some(out))
}

/// The type names the model gives the component schemas `present` when naming them as the
/// components `naming`, by schema name.
fn type_names(present: &[String], naming: &[String]) -> Result<HashMap<String, String>, Error> {
    let schemas = present
        .iter()
        .map(|key| {
            (
                key.clone(),
                ReferenceOr::Item(Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Any(AnySchema::default()),
                }),
            )
        })
        .collect();
    let names_only = OpenAPI {
        openapi: String::from("3.0.3"),
        components: Some(Components {
            schemas,
            ..Components::default()
        }),
        ..OpenAPI::default()
    };
    let api = crate::model::build_named(&names_only, Some(naming))?;
    let by_pointer: HashMap<&str, &str> = api
        .types
        .iter()
        .map(|def| (def.pointer.as_str(), def.name.as_str()))
        .collect();
    Ok(present
        .iter()
        .filter_map(|key| {
            let pointer = join_pointer("#/components/schemas", key);
            by_pointer
                .get(pointer.as_str())
                .map(|name| (key.clone(), (*name).to_owned()))
        })
        .collect())
}

/// Case and underscores ignored, trailing digits dropped: the key under which two type names
/// may collide (or one was suffixed because of the other).
fn collision_key(name: &str) -> String {
    name.trim_end_matches(|c: char| c.is_ascii_digit())
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many times [`naming_for`] looks for further names before it settles for all of them.
const NAMING_ROUNDS: usize = 8;

/// The names a written slice records so that its schemas keep the type names `full` (the
/// component schema names of the source document, in naming order) gives them; `None` when
/// the slice's own schemas already do. The model names the listed components first, in list
/// order, then the slice's other schemas; so the list holds the left-out components that
/// decide a kept schema's name (sharing its last segment, or, case, underscores and numeric
/// suffixes aside, its type name or that of a type the slice generates) and the kept schemas
/// they collide with. The result is checked with the model; when the short list does not give
/// the same names, the longer ones are tried, up to all of `full`.
pub fn naming_for(full: &[String], sliced: &OpenAPI) -> Result<Option<Vec<String>>, Error> {
    let kept: Vec<String> = sliced
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    let kept_set: HashSet<&String> = kept.iter().collect();
    if full.iter().all(|key| kept_set.contains(key)) {
        return Ok(None);
    }
    let full_names = type_names(full, full)?;
    let short: HashMap<&String, String> = full
        .iter()
        .map(|key| {
            (
                key,
                collision_key(&names::type_name(names::last_segment(key))),
            )
        })
        .collect();
    let named: HashMap<&String, String> = full
        .iter()
        .filter_map(|key| full_names.get(key).map(|name| (key, collision_key(name))))
        .collect();
    let kept_short: HashSet<&String> = kept.iter().filter_map(|k| short.get(k)).collect();
    let kept_named: HashSet<&String> = kept.iter().filter_map(|k| named.get(k)).collect();
    let left_out = || full.iter().filter(|key| !kept_set.contains(key));
    let mut extra: HashSet<&String> = left_out()
        .filter(|key| {
            short.get(key).is_some_and(|s| kept_short.contains(s))
                || named.get(key).is_some_and(|n| kept_named.contains(n))
        })
        .collect();
    let matches = |list: &[String]| -> Result<bool, Error> {
        let names = type_names(&kept, list)?;
        Ok(kept.iter().all(|key| names.get(key) == full_names.get(key)))
    };
    for _ in 0..NAMING_ROUNDS {
        let extra_short: HashSet<&String> = extra.iter().filter_map(|k| short.get(*k)).collect();
        let extra_named: HashSet<&String> = extra.iter().filter_map(|k| named.get(*k)).collect();
        let compact: Vec<String> = full
            .iter()
            .filter(|key| {
                extra.contains(key)
                    || (kept_set.contains(key)
                        && (short.get(key).is_some_and(|s| extra_short.contains(s))
                            || named.get(key).is_some_and(|n| extra_named.contains(n))))
            })
            .cloned()
            .collect();
        let complete: Vec<String> = full
            .iter()
            .filter(|key| extra.contains(key) || kept_set.contains(key))
            .cloned()
            .collect();
        let list = if matches(&compact)? {
            compact
        } else if matches(&complete)? {
            complete
        } else {
            return Ok(Some(full.to_vec()));
        };
        // Types the slice generates besides its components (inline types, `Any*`, `*Update`)
        // must not take a name the source document gives a left-out schema.
        let Ok(model) = crate::model::build_named(sliced, Some(&list)) else {
            return Ok(Some(list).filter(|list| !list.is_empty()));
        };
        let generated: HashSet<String> = model
            .types
            .iter()
            .map(|def| collision_key(&def.name))
            .collect();
        let more: Vec<&String> = left_out()
            .filter(|key| !extra.contains(key))
            .filter(|key| named.get(key).is_some_and(|n| generated.contains(n)))
            .collect();
        if more.is_empty() {
            return Ok(Some(list).filter(|list| !list.is_empty()));
        }
        extra.extend(more);
    }
    Ok(Some(full.to_vec()))
}

/// The slice of `api` as a document to keep: [`select`], then the `x-generator-slice`
/// extension recording the patterns and, when they matter, the names (see [`naming_for`]).
pub fn slice(api: &OpenAPI, selection: &Selection) -> Result<OpenAPI, Error> {
    let full = naming(api)?;
    let mut sliced = select(api, selection)?;
    let names = naming_for(&full, &sliced)?;
    let mut record = serde_json::Map::new();
    if !selection.include.is_empty() {
        record.insert(String::from("include"), selection.include.clone().into());
    }
    if !selection.exclude.is_empty() {
        record.insert(String::from("exclude"), selection.exclude.clone().into());
    }
    if !selection.mapped_subtypes {
        record.insert(String::from("mapped-subtypes"), false.into());
    }
    if let Some(names) = names {
        record.insert(String::from("names"), names.into());
    }
    if record.is_empty() {
        sliced.extensions.shift_remove(EXTENSION);
    } else {
        sliced
            .extensions
            .insert(EXTENSION.to_owned(), serde_json::Value::Object(record));
    }
    Ok(sliced)
}

/// Writes `api` as YAML, or as JSON when `path` ends in `.json`.
pub fn to_text(api: &OpenAPI, path: &Path) -> Result<String, Error> {
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let text = if json {
        serde_json::to_string_pretty(api)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|e| e.to_string())
    } else {
        serde_yaml::to_string(api).map_err(|e| e.to_string())
    };
    text.map_err(|e| {
        Error::new(
            ErrorKind::Invalid,
            format!(
                "cannot write the slice as {}: {e}",
                if json { "JSON" } else { "YAML" }
            ),
        )
        .in_file(path)
    })
}

/// Writes `text` to `path` through a temporary file and a rename, only when the bytes
/// differ; returns whether it wrote.
pub fn write_text(path: &Path, text: &str) -> Result<bool, Error> {
    if std::fs::read(path).is_ok_and(|existing| existing == text.as_bytes()) {
        return Ok(false);
    }
    crate::output::write_atomically(path, text.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Vec<String> {
        path_segments(text)
    }

    #[test]
    fn single_and_double_stars() {
        let pattern = segments("/deviceManagement/ndesConnectors/**");
        assert!(path_matches(&pattern, "/deviceManagement/ndesConnectors"));
        assert!(path_matches(
            &pattern,
            "/deviceManagement/ndesConnectors/{ndesConnector-id}"
        ));
        assert!(path_matches(
            &pattern,
            "/deviceManagement/ndesConnectors/$count"
        ));
        assert!(!path_matches(&pattern, "/deviceManagement/ndesConnectorsX"));
        assert!(!path_matches(&pattern, "/deviceManagement"));

        let one = segments("/connectors/*");
        assert!(path_matches(&one, "/connectors/{connector-id}"));
        assert!(!path_matches(&one, "/connectors"));
        assert!(!path_matches(&one, "/connectors/a/b"));

        let inner = segments("/deviceManagement/*Connectors");
        assert!(path_matches(&inner, "/deviceManagement/ndesConnectors"));
        assert!(path_matches(
            &inner,
            "/deviceManagement/domainJoinConnectors"
        ));
        assert!(!path_matches(&inner, "/deviceManagement/ndesConnectors/x"));

        let middle = segments("/**/$count");
        assert!(path_matches(&middle, "/connectors/$count"));
        assert!(path_matches(&middle, "/$count"));
        assert!(!path_matches(&middle, "/connectors"));

        assert!(path_matches(&segments("/"), "/"));
        assert!(path_matches(&segments("/**"), "/anything/at/all"));
    }

    #[test]
    fn globs() {
        assert!(glob_matches(
            "deviceManagement.*",
            "deviceManagement.ndesConnector"
        ));
        assert!(glob_matches(
            "*Connector*",
            "connectors.connector.ListConnector"
        ));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b", "aXbY"));
        assert!(glob_matches("exact", "exact"));
        assert!(!glob_matches("exact", "exactly"));
        assert!(glob_matches("*", ""));
    }

    #[test]
    fn patterns_parse() {
        let pattern = Pattern::parse("GET,post:/a/**").unwrap();
        assert!(pattern.matches("/a/b", "get", &[], None));
        assert!(pattern.matches("/a", "POST", &[], None));
        assert!(!pattern.matches("/a", "delete", &[], None));
        let tag = Pattern::parse("tag:x.*").unwrap();
        assert!(tag.matches("/z", "get", &[String::from("x.y")], None));
        assert!(!tag.matches("/z", "get", &[String::from("y.x")], None));
        let id = Pattern::parse("operationId:list*").unwrap();
        assert!(id.matches("/z", "get", &[], Some("listThings")));
        assert!(!id.matches("/z", "get", &[], None));
    }

    #[test]
    fn malformed_patterns_say_why() {
        for (text, says) in [
            ("connectors", "is not a pattern"),
            ("FETCH:/a", "`FETCH` is not an HTTP method"),
            ("GET:a", "a path starting with `/`"),
            ("tag:", "names no tag"),
            ("operationId:", "names no operationId"),
        ] {
            let error = Pattern::parse(text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Invalid);
            assert!(error.message().contains(says), "{text}: {error}");
            assert!(error.help().is_some(), "{text}: {error}");
        }
    }

    #[test]
    fn references_are_split_and_unescaped() {
        assert_eq!(
            parse_reference("#/components/schemas/a~1b~0c"),
            Some((Kind::Schemas, String::from("a/b~c")))
        );
        assert_eq!(
            parse_reference("#/components/requestBodies/x"),
            Some((Kind::RequestBodies, String::from("x")))
        );
        assert_eq!(parse_reference("other.yaml#/components/schemas/x"), None);
        assert_eq!(parse_reference("#/components/callbacks/x"), None);
        assert_eq!(parse_reference("#/components/schemas/a/b"), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("ab", ""), 2);
    }

    const PETS: &str = r##"
openapi: 3.0.3
info: {title: pets, version: '1'}
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      parameters:
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          $ref: '#/components/responses/PetPage'
        default:
          description: error
          headers:
            X-Rate:
              $ref: '#/components/headers/Rate'
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
              examples:
                short: {$ref: '#/components/examples/ErrorExample'}
          links:
            next: {$ref: '#/components/links/Next'}
    post:
      tags: [pets]
      operationId: createPet
      security: [{apiKey: []}]
      requestBody: {$ref: '#/components/requestBodies/NewPet'}
      responses:
        '201': {description: created}
  /owners:
    get:
      tags: [owners]
      operationId: listOwners
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Owner'}
  /alias:
    get:
      operationId: getAlias
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetAlias'}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        labels:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Tag'}
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            lives: {type: integer}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            bark: {$ref: '#/components/schemas/Bark'}
    Bark: {type: string, enum: [loud, quiet]}
    Tag: {type: string}
    PetPage:
      type: object
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Pet'}
        other:
          not: {$ref: '#/components/schemas/Forbidden'}
    Forbidden: {type: object, properties: {x: {type: string}}}
    Owner:
      type: object
      properties:
        cat: {$ref: '#/components/schemas/Cat'}
    Error: {type: object, properties: {message: {type: string}}}
    PetAlias: {$ref: '#/components/schemas/Pet'}
    NewPet: {type: object, properties: {name: {type: string}}}
    Limit: {type: integer}
    Rate: {type: integer}
    Unused: {type: object}
  parameters:
    limit: {name: limit, in: query, schema: {$ref: '#/components/schemas/Limit'}}
    unused: {name: unused, in: query, schema: {type: string}}
  responses:
    PetPage:
      description: a page
      content:
        application/json:
          schema: {$ref: '#/components/schemas/PetPage'}
  headers:
    Rate: {schema: {$ref: '#/components/schemas/Rate'}}
  examples:
    ErrorExample: {value: {message: no}}
  links:
    Next: {operationId: listPets}
  requestBodies:
    NewPet:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/NewPet'}
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
tags:
  - name: pets
  - name: owners
"##;

    fn pets() -> OpenAPI {
        serde_yaml::from_str(PETS).expect("the pets document parses")
    }

    fn schema_names(api: &OpenAPI) -> Vec<&str> {
        api.components
            .as_ref()
            .map(|c| c.schemas.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn mapping<'a>(api: &'a OpenAPI, name: &str) -> Vec<&'a str> {
        match api.components.as_ref().and_then(|c| c.schemas.get(name)) {
            Some(ReferenceOr::Item(schema)) => schema
                .schema_data
                .discriminator
                .as_ref()
                .map(|d| d.mapping.keys().map(String::as_str).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_kind_of_component_is_followed() {
        let sliced = select(&pets(), &Selection::new().include("GET:/pets")).unwrap();
        let components = sliced.components.as_ref().unwrap();
        // Pet is the items' type, so its mapped types come (Dog brings Bark); `labels`
        // reaches Tag through additionalProperties; `not` reaches Forbidden.
        assert_eq!(
            schema_names(&sliced),
            [
                "Pet",
                "Cat",
                "Dog",
                "Bark",
                "Tag",
                "PetPage",
                "Forbidden",
                "Error",
                "Limit",
                "Rate"
            ]
        );
        assert_eq!(mapping(&sliced, "Pet"), ["cat", "dog"]);
        assert_eq!(components.parameters.keys().collect::<Vec<_>>(), ["limit"]);
        assert_eq!(components.responses.keys().collect::<Vec<_>>(), ["PetPage"]);
        assert_eq!(components.headers.keys().collect::<Vec<_>>(), ["Rate"]);
        assert_eq!(
            components.examples.keys().collect::<Vec<_>>(),
            ["ErrorExample"]
        );
        assert_eq!(components.links.keys().collect::<Vec<_>>(), ["Next"]);
        assert!(components.request_bodies.is_empty());
        assert!(components.security_schemes.is_empty());
        assert_eq!(sliced.tags.len(), 1);
        assert_eq!(sliced.paths.paths.len(), 1);
    }

    #[test]
    fn request_bodies_and_security_schemes_come_with_their_operation() {
        let sliced = select(&pets(), &Selection::new().include("operationId:createPet")).unwrap();
        let components = sliced.components.as_ref().unwrap();
        assert_eq!(schema_names(&sliced), ["NewPet"]);
        assert_eq!(
            components.request_bodies.keys().collect::<Vec<_>>(),
            ["NewPet"]
        );
        assert_eq!(
            components.security_schemes.keys().collect::<Vec<_>>(),
            ["apiKey"]
        );
        let item = match &sliced.paths.paths["/pets"] {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => panic!("an item"),
        };
        assert!(item.get.is_none() && item.post.is_some());
    }

    #[test]
    fn an_inherited_base_does_not_bring_its_mapped_types() {
        // Owner holds a Cat; Cat inherits Pet through allOf. Pet is never a value's type here,
        // so Dog stays out and Pet's mapping keeps only the entry whose type is kept.
        let sliced = select(&pets(), &Selection::new().include("tag:owners")).unwrap();
        assert_eq!(schema_names(&sliced), ["Pet", "Cat", "Tag", "Owner"]);
        assert_eq!(mapping(&sliced, "Pet"), ["cat"]);
    }

    #[test]
    fn an_alias_is_a_value_use_of_what_it_names() {
        let sliced = select(&pets(), &Selection::new().include("/alias")).unwrap();
        assert_eq!(
            schema_names(&sliced),
            ["Pet", "Cat", "Dog", "Bark", "Tag", "PetAlias"]
        );
    }

    #[test]
    fn without_mapped_subtypes_only_types_reached_otherwise_stay_in_the_mapping() {
        let selection = Selection::new().mapped_subtypes(false);
        let pets_only = select(&pets(), &selection.clone().include("GET:/pets")).unwrap();
        assert_eq!(
            schema_names(&pets_only),
            [
                "Pet",
                "Tag",
                "PetPage",
                "Forbidden",
                "Error",
                "Limit",
                "Rate"
            ]
        );
        assert!(mapping(&pets_only, "Pet").is_empty());
        let with_owners =
            select(&pets(), &selection.include("GET:/pets").include("/owners")).unwrap();
        assert_eq!(mapping(&with_owners, "Pet"), ["cat"]);
        assert!(schema_names(&with_owners).contains(&"Cat"));
        assert!(!schema_names(&with_owners).contains(&"Dog"));
        // The model reads every slice: no mapping entry dangles.
        for api in [&pets_only, &with_owners] {
            crate::model::build_named(api, None).expect("the slice models");
        }
    }

    #[test]
    fn no_pattern_keeps_every_operation_and_drops_unreachable_components() {
        let sliced = select(&pets(), &Selection::new()).unwrap();
        assert_eq!(sliced.operations().count(), 4);
        assert!(!schema_names(&sliced).contains(&"Unused"));
        let parameters = &sliced.components.as_ref().unwrap().parameters;
        assert_eq!(parameters.keys().collect::<Vec<_>>(), ["limit"]);
        // The slice of everything generates what the whole document generates.
        let whole = crate::model::build_named(&pets(), None).unwrap();
        let slice = crate::model::build_named(&sliced, Some(&naming(&pets()).unwrap())).unwrap();
        let names = |api: &crate::model::Api| -> Vec<String> {
            let mut names: Vec<String> = api
                .types
                .iter()
                .map(|t| t.name.clone())
                .filter(|n| n != "Unused")
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&whole), names(&slice));
    }

    #[test]
    fn closest_paths_compare_the_literal_prefix() {
        let paths = [
            "/connectors",
            "/deviceManagement/ndesConnectors",
            "/deviceManagement/ndesConnectors/{id}",
            "/deviceManagement/domainJoinConnectors",
        ];
        let closest = closest_paths(&segments("/deviceManagement/ndesConector/**"), &paths);
        assert_eq!(
            &closest[..2],
            [
                "/deviceManagement/ndesConnectors",
                "/deviceManagement/ndesConnectors/{id}"
            ]
        );
    }
}
