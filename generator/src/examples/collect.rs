//! Finds every example a document writes (on schemas, on the media types of request bodies and
//! responses, on parameters) and the generated type each one decodes into.
//!
//! The walk reads the document as JSON (the 3.0 form `load` produced, so pointers are those the
//! model reports) and follows the model alongside: a component schema is the type the model
//! defined at its pointer, a property the field of its struct, `items` the element of a list, a
//! media type the operation's body or response type. What has no generated type (a part of an
//! `allOf`, an operation left out, a non-JSON media type) is skipped with the reason.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::error::join_pointer;
use crate::model::{Api, BodyKind, Operation, ParamLocation, Success, TypeId, TypeKind, TypeRef};

/// An example and the type it must decode into.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the value is written.
    pub pointer: String,
    /// The schema the value must match.
    pub schema: String,
    /// The generated type.
    pub ty: TypeRef,
    /// The type is a merge-patch update: any property may be left out or `null`.
    pub patch: bool,
    /// The value.
    pub value: Value,
}

/// An example that is not checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where the value is written.
    pub pointer: String,
    /// Why it is not checked.
    pub reason: String,
}

/// The examples of `document`, typed by `api` (the model of that document, or of a slice of
/// it), and those skipped.
pub fn collect(api: &Api, document: &Value) -> (Vec<Example>, Vec<Skipped>) {
    let mut by_pointer = HashMap::new();
    for (index, def) in api.types.iter().enumerate() {
        by_pointer
            .entry(def.pointer.as_str())
            .or_insert(TypeId(index));
    }
    let mut walk = Walk {
        api,
        document,
        by_pointer,
        recorded: HashSet::new(),
        seen: HashSet::new(),
        examples: Vec::new(),
        skipped: Vec::new(),
    };
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (key, schema) in schemas {
            let pointer = join_pointer("#/components/schemas", key);
            let target = match walk.by_pointer.get(pointer.as_str()) {
                Some(id) => Ok(TypeRef::Named(*id)),
                None => Err(String::from(
                    "the schema has no generated type (left out of the selection)",
                )),
            };
            walk.schema(&pointer, schema, target, false);
        }
    }
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            walk.path_item(path, item);
        }
    }
    // What only unused components hold: no operation gives it a type.
    let unused = || Err(String::from("no generated operation uses it"));
    for (section, kind) in [
        ("parameters", Section::Parameter),
        ("requestBodies", Section::Body),
        ("responses", Section::Response),
        ("headers", Section::Header),
    ] {
        let Some(items) = document
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (key, item) in items {
            let pointer = join_pointer(&format!("#/components/{section}"), key);
            match kind {
                Section::Parameter => walk.parameter(&pointer, item, unused()),
                Section::Body | Section::Response => walk.content(&pointer, item, &|_| unused()),
                Section::Header => walk.header(&pointer, item),
            }
        }
    }
    (walk.examples, walk.skipped)
}

#[derive(Clone, Copy)]
enum Section {
    Parameter,
    Body,
    Response,
    Header,
}

/// The type an example decodes into, or why there is none.
type Target = Result<TypeRef, String>;

struct Walk<'a> {
    api: &'a Api,
    document: &'a Value,
    by_pointer: HashMap<&'a str, TypeId>,
    /// Examples recorded, by pointer and type (a shared component may serve two types).
    recorded: HashSet<(String, TypeRef)>,
    /// Every pointer recorded or skipped.
    seen: HashSet<String>,
    examples: Vec<Example>,
    skipped: Vec<Skipped>,
}

impl<'a> Walk<'a> {
    fn record(&mut self, pointer: String, schema: &str, target: Target, value: &Value) {
        match target {
            Ok(ty) => {
                if let Some(reason) = unsupported(&ty) {
                    return self.skip(pointer, reason);
                }
                if self.recorded.insert((pointer.clone(), ty.clone())) {
                    self.seen.insert(pointer.clone());
                    let patch = matches!(self.shape(&ty), Shape::Struct(id)
                        if matches!(&self.api.type_def(id).kind, TypeKind::Struct(s) if s.patch));
                    self.examples.push(Example {
                        pointer,
                        schema: schema.to_owned(),
                        patch,
                        ty,
                        value: value.clone(),
                    });
                }
            }
            Err(reason) => self.skip(pointer, reason),
        }
    }

    fn skip(&mut self, pointer: String, reason: String) {
        if self.seen.insert(pointer.clone()) {
            self.skipped.push(Skipped { pointer, reason });
        }
    }

    /// `{"$ref": "#/..."}` resolved inside the document (through chains of references), with
    /// the target's pointer.
    fn resolve(&self, pointer: &str, value: &'a Value) -> Option<(String, &'a Value)> {
        let mut at = pointer.to_owned();
        let mut value = value;
        // A chain longer than this is a cycle.
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Some((at, value));
            };
            let target = reference.strip_prefix('#')?;
            at = format!("#{target}");
            value = self.document.pointer(target)?;
        }
        None
    }

    fn path_item(&mut self, path: &str, item: &'a Value) {
        let item_pointer = join_pointer("#/paths", path);
        let Some(methods) = item.as_object() else {
            return;
        };
        let shared = item.get("parameters").and_then(Value::as_array);
        for (key, operation) in methods {
            if !matches!(
                key.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            ) {
                continue;
            }
            let pointer = join_pointer(&item_pointer, key);
            let model = self
                .api
                .operations
                .iter()
                .find(|o| o.path == path && o.method.as_str().eq_ignore_ascii_case(key));
            let mut parameters: Vec<(String, &'a Value)> = Vec::new();
            if let Some(shared) = shared {
                for (index, parameter) in shared.iter().enumerate() {
                    let at = join_pointer(
                        &join_pointer(&item_pointer, "parameters"),
                        &index.to_string(),
                    );
                    parameters.push((at, parameter));
                }
            }
            if let Some(own) = operation.get("parameters").and_then(Value::as_array) {
                for (index, parameter) in own.iter().enumerate() {
                    let at =
                        join_pointer(&join_pointer(&pointer, "parameters"), &index.to_string());
                    parameters.push((at, parameter));
                }
            }
            for (at, parameter) in parameters {
                let Some((at, parameter)) = self.resolve(&at, parameter) else {
                    continue;
                };
                let target = match model {
                    Some(operation) => parameter_type(operation, parameter),
                    None => Err(String::from("the operation is not generated")),
                };
                self.parameter(&at, parameter, target);
            }
            if let Some(body) = operation.get("requestBody") {
                let at = join_pointer(&pointer, "requestBody");
                if let Some((at, body)) = self.resolve(&at, body) {
                    let target = |media: &str| match model {
                        None => Err(String::from("the operation is not generated")),
                        Some(operation) => match &operation.body {
                            Some(body) if body.kind == BodyKind::Json => {
                                json_media(media).map(|()| body.ty.clone())
                            }
                            _ => Err(format!(
                                "`{media}`: the client does not send this body as JSON"
                            )),
                        },
                    };
                    self.content(&at, body, &target);
                }
            }
            if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    let at = join_pointer(&join_pointer(&pointer, "responses"), status);
                    let Some((at, response)) = self.resolve(&at, response) else {
                        continue;
                    };
                    let target = |media: &str| match model {
                        None => Err(String::from("the operation is not generated")),
                        Some(operation) => response_type(operation, status, media),
                    };
                    self.content(&at, response, &target);
                    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
                        for (name, header) in headers {
                            let header_at = join_pointer(&join_pointer(&at, "headers"), name);
                            if let Some((header_at, header)) = self.resolve(&header_at, header) {
                                self.header(&header_at, header);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The `content` of a request body or response: the first JSON media type is the one the
    /// generated client uses; `target` gives its type.
    fn content(&mut self, pointer: &str, holder: &'a Value, target: &dyn Fn(&str) -> Target) {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            return;
        };
        let used = content.keys().find(|media| json_media(media).is_ok());
        for (media, entry) in content {
            let at = join_pointer(&join_pointer(pointer, "content"), media);
            let entry_target = match used {
                Some(used) if used == media => target(media),
                Some(used) => json_media(media)
                    .and_then(|()| Err(format!("the client decodes `{used}`, not `{media}`"))),
                None => json_media(media).map(|()| TypeRef::Json),
            };
            self.media(&at, entry, entry_target);
        }
    }

    /// A media type object, or a parameter or header (they carry `example`, `examples` and
    /// `schema` alike).
    fn media(&mut self, pointer: &str, media: &'a Value, target: Target) {
        let schema_at = join_pointer(pointer, "schema");
        if let Some(value) = media.get("example") {
            self.record(
                join_pointer(pointer, "example"),
                &schema_at,
                target.clone(),
                value,
            );
        }
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                let at = join_pointer(&join_pointer(pointer, "examples"), name);
                let Some((at, example)) = self.resolve(&at, example) else {
                    self.skip(at, String::from("a `$ref` that does not resolve"));
                    continue;
                };
                match example.get("value") {
                    Some(value) => self.record(
                        join_pointer(&at, "value"),
                        &schema_at,
                        target.clone(),
                        value,
                    ),
                    None if example.get("externalValue").is_some() => {
                        self.skip(
                            at,
                            String::from("`externalValue`: the example is not in the document"),
                        );
                    }
                    None => {}
                }
            }
        }
        if let Some(schema) = media.get("schema") {
            self.schema(&schema_at, schema, target, false);
        }
    }

    fn parameter(&mut self, pointer: &str, parameter: &'a Value, target: Target) {
        if parameter.get("content").is_some() {
            let reason = || Err(String::from("a parameter serialised as a media type"));
            return self.content(pointer, parameter, &|_| reason());
        }
        self.media(pointer, parameter, target);
    }

    fn header(&mut self, pointer: &str, header: &'a Value) {
        let reason = || {
            Err(String::from(
                "a response header: the client does not decode it as JSON",
            ))
        };
        if header.get("content").is_some() {
            return self.content(pointer, header, &|_| reason());
        }
        self.media(pointer, header, reason());
    }

    /// A schema at `pointer`, which decodes into `target`; `part` when it is one part of an
    /// `allOf` (its example is only a part of a value).
    fn schema(&mut self, pointer: &str, schema: &'a Value, target: Target, part: bool) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if object.contains_key("$ref") {
            // The referenced schema's examples are collected where it is defined.
            return;
        }
        let target = match target {
            Err(reason) => match self.by_pointer.get(pointer) {
                Some(id) => Ok(TypeRef::Named(*id)),
                None => Err(reason),
            },
            ok => ok,
        };
        if let Some(value) = object.get("example") {
            let at = join_pointer(pointer, "example");
            if part {
                self.skip(
                    at,
                    String::from("an example of one `allOf` part, not of a whole value"),
                );
            } else {
                self.record(at, pointer, target.clone(), value);
            }
        }
        self.children(pointer, object, target, part);
    }

    /// The subschemas of the schema at `pointer`, which decodes into `target`.
    fn children(
        &mut self,
        pointer: &str,
        object: &'a serde_json::Map<String, Value>,
        target: Target,
        part: bool,
    ) {
        let shape = target.as_ref().ok().map(|ty| self.shape(ty));
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (wire, property) in properties {
                let at = join_pointer(&join_pointer(pointer, "properties"), wire);
                let child = match &shape {
                    Some(Shape::Struct(id)) => self.field_type(*id, wire),
                    _ => Err(inner_reason(&target)),
                };
                self.schema(&at, property, child, false);
            }
        }
        if let Some(additional) = object.get("additionalProperties").filter(|a| a.is_object()) {
            let child = match &shape {
                Some(Shape::Map(value)) => Ok(value.clone()),
                Some(Shape::Struct(id)) => match &self.api.type_def(*id).kind {
                    TypeKind::Struct(s) => s
                        .additional
                        .clone()
                        .ok_or_else(|| String::from("the generated type keeps no other members")),
                    _ => Err(inner_reason(&target)),
                },
                _ => Err(inner_reason(&target)),
            };
            self.schema(
                &join_pointer(pointer, "additionalProperties"),
                additional,
                child,
                false,
            );
        }
        if let Some(items) = object.get("items") {
            let child = match &shape {
                Some(Shape::Vec(item)) => Ok(item.clone()),
                _ => Err(inner_reason(&target)),
            };
            self.schema(&join_pointer(pointer, "items"), items, child, false);
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            let single = parts.len() == 1;
            for (index, part_schema) in parts.iter().enumerate() {
                let at = join_pointer(&join_pointer(pointer, "allOf"), &index.to_string());
                self.schema(&at, part_schema, target.clone(), part || !single);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(alternatives) = object.get(keyword).and_then(Value::as_array) {
                for (index, alternative) in alternatives.iter().enumerate() {
                    let at = join_pointer(&join_pointer(pointer, keyword), &index.to_string());
                    self.alternative(&at, alternative, pointer, &target);
                }
            }
        }
        if let Some(not) = object.get("not") {
            let reason = String::from("a `not` schema: no value decodes into it");
            self.schema(&join_pointer(pointer, "not"), not, Err(reason), false);
        }
    }

    /// An inline alternative of a `oneOf`/`anyOf` at `union_at`, whose value is one of the
    /// union's: its example decodes into the type the model made of the alternative when there
    /// is one, and otherwise into the union's type (and must match the union's schema).
    fn alternative(
        &mut self,
        pointer: &str,
        alternative: &'a Value,
        union_at: &str,
        union: &Target,
    ) {
        if alternative.get("$ref").is_some() {
            return;
        }
        if self.by_pointer.contains_key(pointer) {
            return self.schema(pointer, alternative, Err(String::new()), false);
        }
        if let Some(value) = alternative.get("example") {
            let at = join_pointer(pointer, "example");
            match union {
                Ok(ty) => self.record(at, union_at, Ok(ty.clone()), value),
                _ => self.skip(
                    at,
                    String::from("an alternative of a union without a generated type"),
                ),
            }
        }
        if let Some(object) = alternative.as_object() {
            let reason = Err(String::from(
                "a part of a union alternative without a generated type",
            ));
            self.children(pointer, object, reason, false);
        }
    }

    /// What `ty` is, aliases and `Option` seen through.
    fn shape(&self, ty: &TypeRef) -> Shape {
        match ty {
            TypeRef::Option(inner) => self.shape(inner),
            TypeRef::Vec(item) => Shape::Vec((**item).clone()),
            TypeRef::Map(value) => Shape::Map((**value).clone()),
            TypeRef::Named(id) => match &self.api.type_def(*id).kind {
                TypeKind::Alias(inner) => self.shape(inner),
                TypeKind::Struct(_) => Shape::Struct(*id),
                _ => Shape::Other,
            },
            _ => Shape::Other,
        }
    }

    fn field_type(&self, id: TypeId, wire: &str) -> Target {
        let TypeKind::Struct(s) = &self.api.type_def(id).kind else {
            return Err(String::from("not an object"));
        };
        match s.fields.iter().find(|f| f.wire == wire) {
            Some(field) if field.nullable => Ok(TypeRef::Option(Box::new(field.ty.clone()))),
            Some(field) => Ok(field.ty.clone()),
            None => Err(format!(
                "`{}` has no field for the property `{wire}`",
                self.api.type_def(id).name
            )),
        }
    }
}

enum Shape {
    Struct(TypeId),
    Vec(TypeRef),
    Map(TypeRef),
    Other,
}

fn inner_reason(target: &Target) -> String {
    match target {
        Err(reason) => reason.clone(),
        Ok(_) => String::from("the generated type has no part for this schema"),
    }
}

/// Why a value of `ty` cannot be written as JSON, if it cannot.
fn unsupported(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Bytes => Some(String::from("binary data, not JSON")),
        TypeRef::Vec(inner) | TypeRef::Option(inner) | TypeRef::Map(inner) => unsupported(inner),
        _ => None,
    }
}

/// `Ok` for a JSON media type, the reason to skip otherwise.
fn json_media(media: &str) -> Result<(), String> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "text/json"
        || essence == "*/*"
    {
        Ok(())
    } else {
        Err(format!("`{media}` is not a JSON media type"))
    }
}

fn parameter_type(operation: &Operation, parameter: &Value) -> Target {
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let location = match parameter.get("in").and_then(Value::as_str) {
        Some("path") => ParamLocation::Path,
        Some("query") => ParamLocation::Query,
        Some("header") => ParamLocation::Header,
        Some("cookie") => ParamLocation::Cookie,
        _ => return Err(String::from("a parameter in no known place")),
    };
    operation
        .params
        .iter()
        .find(|p| p.wire == name && p.location == location)
        .map(|p| p.ty.clone())
        .ok_or_else(|| String::from("the parameter is not generated"))
}

fn response_type(operation: &Operation, status: &str, media: &str) -> Target {
    json_media(media)?;
    let body = operation
        .responses
        .iter()
        .find(|r| r.status.eq_ignore_ascii_case(status))
        .map(|r| &r.body);
    match body {
        Some(Success::Json(ty)) => Ok(ty.clone()),
        Some(_) => Err(String::from(
            "the client does not decode this response as JSON",
        )),
        None => Err(String::from("the response is not generated")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema: {type: integer}
        example: 7
    get:
      operationId: getPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                rex: {$ref: '#/components/examples/Rex'}
                far: {externalValue: 'https://example.com/pet.json'}
            application/xml:
              example: "<pet/>"
    patch:
      operationId: updatePet
      requestBody:
        $ref: '#/components/requestBodies/PetChange'
      responses:
        "204": {description: done}
components:
  examples:
    Rex:
      value: {name: Rex, tag: null}
  requestBodies:
    PetChange:
      $ref: '#/components/requestBodies/PetChangeBody'
    PetChangeBody:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
          example: {name: Rex}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Rex}
        tag: {type: string, nullable: true, example: good}
        born: {type: string, format: date-time}
      example: {name: Rex, born: "2020-01-01T00:00:00Z"}
    Named:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            nick: {type: string, example: R}
          example: {nick: R}
    Id:
      oneOf:
        - type: string
          example: abc
        - type: integer
"##;

    #[test]
    fn examples_are_found_where_documents_write_them_and_typed_by_the_model() {
        let document =
            crate::load::parse(std::path::Path::new("pets.yaml"), DOCUMENT).expect("parse");
        let api = crate::model::build_named(&document.api, None).expect("model");
        let raw = serde_json::to_value(&document.api).expect("as JSON");
        let (examples, skipped) = collect(&api, &raw);
        let name = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => api.type_def(*id).name.clone(),
            other => format!("{other:?}"),
        };
        let found: Vec<(&str, &str, String)> = examples
            .iter()
            .map(|e| (e.pointer.as_str(), e.schema.as_str(), name(&e.ty)))
            .collect();
        let pet = "#/components/schemas/Pet";
        // Components in sorted order, then paths.
        assert_eq!(
            found,
            [
                (
                    "#/components/schemas/Id/oneOf/0/example",
                    "#/components/schemas/Id",
                    String::from("Id")
                ),
                (
                    "#/components/schemas/Named/allOf/1/properties/nick/example",
                    "#/components/schemas/Named/allOf/1/properties/nick",
                    String::from("String")
                ),
                ("#/components/schemas/Pet/example", pet, String::from("Pet")),
                (
                    "#/components/schemas/Pet/properties/name/example",
                    "#/components/schemas/Pet/properties/name",
                    String::from("String")
                ),
                (
                    "#/components/schemas/Pet/properties/tag/example",
                    "#/components/schemas/Pet/properties/tag",
                    String::from("Option(String)")
                ),
                (
                    "#/paths/~1pets~1{id}/parameters/0/example",
                    "#/paths/~1pets~1{id}/parameters/0/schema",
                    String::from("I64")
                ),
                (
                    "#/components/examples/Rex/value",
                    "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema",
                    String::from("Pet")
                ),
                (
                    "#/components/requestBodies/PetChangeBody/content/application~1json/example",
                    "#/components/requestBodies/PetChangeBody/content/application~1json/schema",
                    String::from("PetUpdate")
                ),
            ]
        );
        let skipped: Vec<&str> = skipped.iter().map(|s| s.pointer.as_str()).collect();
        assert_eq!(
            skipped,
            [
                "#/components/schemas/Named/allOf/1/example",
                "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/examples/far",
                "#/paths/~1pets~1{id}/get/responses/200/content/application~1xml/example",
            ]
        );
    }
}
