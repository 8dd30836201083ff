//! OpenAPI 3.1 to 3.0: the schema keywords of JSON Schema 2020-12 said the 3.0 way, and the
//! document members 3.0 lacks.
//!
//! - `type` lists: `[T, "null"]` is `T` with `nullable: true`; `"null"` among `oneOf`/`anyOf`
//!   alternatives makes the union `nullable`; several types are `anyOf` one schema per type,
//!   each with the keywords of its type.
//! - `const` is a one-value `enum`; a schema's `examples` list gives its `example`; numeric
//!   `exclusiveMinimum`/`exclusiveMaximum` are a bound with the 3.0 flag.
//! - `$ref` with sibling keywords is `allOf: [$ref]` with the siblings, so a property's own
//!   description is kept.
//! - `$defs` of a component schema become components of their own (`Outer` + `Inner`), and
//!   references to them follow.
//! - `contentEncoding: base64` is `format: byte`; a `contentMediaType` that is not text is
//!   `format: binary`.
//! - `true` and `false` as schemas are any value and nothing.
//! - `prefixItems` and `unevaluatedProperties` are approximated (a warning each).
//! - `webhooks` make no client method (a warning); the component schemas they use are
//!   generated as any other. Path items given by `$ref` to `components/pathItems` are copied.

use serde_yaml::{Mapping, Value};

use super::{
    Converted, approximated, child, is_null_type, key, nullable_unions, rewrite_references, take,
};
use crate::error::ErrorKind;

/// Converts the 3.1 document `root`.
pub(super) fn convert(mut root: Mapping, converted: &mut Converted) -> Mapping {
    root.insert(key("openapi"), key("3.0.3"));
    if let Some(webhooks) = take(&mut root, "webhooks") {
        let count = webhooks.as_mapping().map_or(0, Mapping::len);
        converted.warnings.push(approximated(
            ErrorKind::Unsupported,
            "#/webhooks",
            format!(
                "{count} webhook(s) describe requests the service sends, not operations a client calls; no method is made for them"
            ),
            "the component schemas they use are generated; implement the receiving side with them",
        ));
    }
    take(&mut root, "jsonSchemaDialect");
    if !root.contains_key("paths") {
        root.insert(key("paths"), Value::Mapping(Mapping::new()));
    }
    inline_path_items(&mut root, converted);
    answer_every_operation(&mut root);
    drop_mutual_tls(&mut root, converted);
    hoist_defs(&mut root, converted);
    let mut tree = Value::Mapping(root);
    walk(&mut tree, "#", Place::Document, converted);
    match tree {
        Value::Mapping(root) => root,
        _ => Mapping::new(),
    }
}

/// The component map `kind` (`schemas`, `securitySchemes`, ...) of the document.
fn components_mut<'r>(root: &'r mut Mapping, kind: &str) -> Option<&'r mut Mapping> {
    root.get_mut("components")
        .and_then(|c| c.get_mut(kind))
        .and_then(Value::as_mapping_mut)
}

/// Every operation of the document's paths.
fn operations_mut(root: &mut Mapping) -> impl Iterator<Item = &mut Mapping> {
    root.get_mut("paths")
        .and_then(Value::as_mapping_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut().filter_map(Value::as_mapping_mut))
        .flat_map(|item| {
            item.iter_mut()
                .filter(|(method, _)| {
                    matches!(
                        method.as_str(),
                        Some(
                            "get"
                                | "put"
                                | "post"
                                | "delete"
                                | "options"
                                | "head"
                                | "patch"
                                | "trace"
                        )
                    )
                })
                .filter_map(|(_, operation)| operation.as_mapping_mut())
        })
}

/// Gives an empty `responses` to each operation without one: 3.1 makes it optional.
fn answer_every_operation(root: &mut Mapping) {
    for operation in operations_mut(root) {
        if !operation.contains_key("responses") {
            operation.insert(key("responses"), Value::Mapping(Mapping::new()));
        }
    }
}

/// Takes out `mutualTLS` security schemes, which 3.0 lacks, and the requirements' mentions of
/// them: a client certificate is set on the HTTP client, not per request.
fn drop_mutual_tls(root: &mut Mapping, converted: &mut Converted) {
    let Some(schemes) = components_mut(root, "securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .filter_map(|(name, _)| name.as_str().map(str::to_owned))
        .collect();
    for name in &names {
        take(schemes, name);
        converted.warnings.push(approximated(
            ErrorKind::Unsupported,
            &child("#/components/securitySchemes", name),
            format!("security scheme `{name}` is mutual TLS, which requests do not carry; it is left out of every requirement"),
            "give the HTTP client its certificate: `ClientBuilder::http_client` with a `reqwest::Identity`",
        ));
    }
    if names.is_empty() {
        return;
    }
    let forget = |security: &mut Value| {
        if let Value::Sequence(requirements) = security {
            for requirement in requirements.iter_mut().filter_map(Value::as_mapping_mut) {
                requirement
                    .retain(|name, _| !name.as_str().is_some_and(|n| names.iter().any(|m| m == n)));
            }
        }
    };
    if let Some(security) = root.get_mut("security") {
        forget(security);
    }
    for operation in operations_mut(root) {
        if let Some(security) = operation.get_mut("security") {
            forget(security);
        }
    }
}

/// Copies each path item given by `$ref: '#/components/pathItems/Name'` into `paths`.
fn inline_path_items(root: &mut Mapping, converted: &mut Converted) {
    let items = root
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    if let Some(components) = root.get_mut("components").and_then(Value::as_mapping_mut) {
        take(components, "pathItems");
    }
    let Some(paths) = root.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let Some(name) = reference.strip_prefix("#/components/pathItems/") else {
            continue;
        };
        if let Some(target) = items.get(name) {
            let pointer = child("#/paths", path.as_str().unwrap_or_default());
            converted
                .moves
                .record(pointer, child("#/components/pathItems", name));
            *item = target.clone();
        }
    }
}

/// Moves the `$defs` of each component schema to components of their own, named after both,
/// and points the references to them there.
fn hoist_defs(root: &mut Mapping, converted: &mut Converted) {
    let Some(schemas) = components_mut(root, "schemas") else {
        return;
    };
    let mut hoisted: Vec<(String, String, Value)> = Vec::new();
    for (outer, schema) in schemas.iter_mut() {
        let (Some(outer), Some(schema)) = (outer.as_str(), schema.as_mapping_mut()) else {
            continue;
        };
        let Some(Value::Mapping(defs)) = take(schema, "$defs") else {
            continue;
        };
        for (inner, definition) in defs {
            if let Some(inner) = inner.as_str() {
                hoisted.push((outer.to_owned(), inner.to_owned(), definition));
            }
        }
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (outer, inner, definition) in hoisted {
        let mut name = format!("{outer}{inner}");
        while schemas.contains_key(name.as_str()) {
            name.push('_');
        }
        let from = format!("#/components/schemas/{outer}/$defs/{inner}");
        let to = format!("#/components/schemas/{name}");
        converted.moves.record(to.clone(), from.clone());
        schemas.insert(key(&name), definition);
        renamed.push((from, to));
    }
    if !renamed.is_empty() {
        let mut tree = Value::Mapping(std::mem::take(root));
        rewrite_references(&mut tree, &renamed);
        if let Value::Mapping(mapping) = tree {
            *root = mapping;
        }
    }
}

/// What a node is, for the rules that apply to it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Part of the document's structure.
    Document,
    /// A map from names to parts of the structure.
    Names,
    /// A schema.
    Schema,
    /// A map from names to schemas (`properties`, `components/schemas`).
    SchemaNames,
    /// A list of schemas (`allOf`, `oneOf`, `anyOf`).
    SchemaList,
    /// Data: examples, defaults, enums, extensions.
    Data,
}

fn member_place(place: Place, name: &str) -> Place {
    match place {
        Place::Data => Place::Data,
        Place::Names => Place::Document,
        Place::SchemaNames | Place::SchemaList => Place::Schema,
        Place::Document => match name {
            "schema" => Place::Schema,
            "schemas" => Place::SchemaNames,
            "example" | "examples" | "default" | "enum" => Place::Data,
            _ if name.starts_with("x-") => Place::Data,
            "paths" | "parameters" | "responses" | "requestBodies" | "headers"
            | "securitySchemes" | "links" | "callbacks" | "content" | "encoding" => Place::Names,
            _ => Place::Document,
        },
        Place::Schema => match name {
            "properties" | "patternProperties" => Place::SchemaNames,
            "items" | "additionalProperties" | "not" => Place::Schema,
            "allOf" | "oneOf" | "anyOf" => Place::SchemaList,
            _ => Place::Data,
        },
    }
}

fn walk(node: &mut Value, pointer: &str, place: Place, converted: &mut Converted) {
    if place == Place::Schema {
        if let Value::Bool(any) = node {
            // `true` takes any value; `false` none, which 3.0 says as `not: {}`.
            let mut schema = Mapping::new();
            if !*any {
                schema.insert(key("not"), Value::Mapping(Mapping::new()));
            }
            *node = Value::Mapping(schema);
        }
        if let Value::Mapping(schema) = node {
            schema_rules(schema, pointer, converted);
        }
    }
    match node {
        Value::Mapping(mapping) => {
            for (name, value) in mapping.iter_mut() {
                let Some(name) = name.as_str() else {
                    continue;
                };
                let place = member_place(place, name);
                // `additionalProperties: false` is 3.0 as well.
                if name == "additionalProperties" && value.is_bool() {
                    continue;
                }
                walk(value, &child(pointer, name), place, converted);
            }
        }
        Value::Sequence(items) => {
            let place = match place {
                Place::SchemaList => Place::Schema,
                Place::Names => Place::Document,
                other => other,
            };
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &child(pointer, &index.to_string()), place, converted);
            }
        }
        _ => {}
    }
}

/// The rules for one schema object.
fn schema_rules(schema: &mut Mapping, pointer: &str, converted: &mut Converted) {
    if schema.contains_key("$ref") && schema.len() > 1 {
        // 3.0 ignores a reference's siblings: say them beside an `allOf` of the reference.
        let reference = take(schema, "$ref").unwrap_or_default();
        let mut only = Mapping::new();
        only.insert(key("$ref"), reference);
        let parts = match take(schema, "allOf") {
            Some(Value::Sequence(mut parts)) => {
                parts.insert(0, Value::Mapping(only));
                parts
            }
            _ => vec![Value::Mapping(only)],
        };
        schema.insert(key("allOf"), Value::Sequence(parts));
        // What is said of the reference is said where the user wrote it.
        converted
            .moves
            .record(child(&child(pointer, "allOf"), "0"), pointer.to_owned());
    }
    match take(schema, "type") {
        Some(Value::Sequence(types)) => {
            let nullable = types.iter().any(is_null_type);
            let others: Vec<Value> = types.into_iter().filter(|t| !is_null_type(t)).collect();
            if nullable {
                schema.insert(key("nullable"), Value::Bool(true));
            }
            match others.as_slice() {
                [] => {}
                [one] => {
                    schema.insert(key("type"), one.clone());
                }
                // What JSON Schema means by several types, said the 3.0 way: no warning.
                several => crate::load::repair::one_schema_per_type(schema, several),
            }
        }
        Some(single) if is_null_type(&single) => {
            schema.insert(key("nullable"), Value::Bool(true));
        }
        Some(single) => {
            schema.insert(key("type"), single);
        }
        None => {}
    }
    nullable_unions(schema);
    if schema.get("type").and_then(Value::as_str) == Some("integer") {
        // JSON Schema counts `1.0` as an integer; 3.0's readers want `1`.
        for bound in [
            "minimum",
            "maximum",
            "multipleOf",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ] {
            if let Some(Value::Number(number)) = schema.get(bound) {
                if let Some(value) = number
                    .as_f64()
                    .filter(|v| v.fract() == 0.0 && v.abs() < 9.2e18)
                {
                    #[allow(clippy::cast_possible_truncation)]
                    let integer = value as i64;
                    schema.insert(key(bound), Value::from(integer));
                }
            }
        }
    }
    if let Some(value) = take(schema, "const") {
        if !schema.contains_key("enum") {
            schema.insert(key("enum"), Value::Sequence(vec![value]));
        }
    }
    if let Some(examples) = take(schema, "examples") {
        if let (Value::Sequence(examples), false) = (examples, schema.contains_key("example")) {
            if let Some(first) = examples.into_iter().next() {
                schema.insert(key("example"), first);
            }
        }
    }
    for (exclusive, bound, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(limit)) = schema.get(exclusive).cloned() else {
            continue;
        };
        let limit_f = limit.as_f64().unwrap_or_default();
        let keep_bound = schema
            .get(bound)
            .and_then(Value::as_f64)
            .is_some_and(|existing| existing.partial_cmp(&limit_f) == Some(stricter));
        if keep_bound {
            take(schema, exclusive);
        } else {
            schema.insert(key(bound), Value::Number(limit));
            schema.insert(key(exclusive), Value::Bool(true));
        }
    }
    let encoding = take(schema, "contentEncoding");
    let media = take(schema, "contentMediaType");
    let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
    if is_string && !schema.contains_key("format") {
        let text_media = media
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|m| m.starts_with("text/") || m.contains("json"));
        if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
            schema.insert(key("format"), key("byte"));
        } else if media.is_some() && !text_media {
            schema.insert(key("format"), key("binary"));
        }
    }
    if take(schema, "prefixItems").is_some() {
        converted.warnings.push(approximated(
            ErrorKind::Unsupported,
            &child(pointer, "prefixItems"),
            String::from("`prefixItems` (a tuple) is read as an array whose items are any value"),
            "3.0 has no tuples: describe the items with `items`",
        ));
        if !schema.contains_key("items") {
            schema.insert(key("items"), Value::Mapping(Mapping::new()));
        }
    }
    if let Some(unevaluated) = take(schema, "unevaluatedProperties") {
        converted.warnings.push(approximated(
            ErrorKind::Unsupported,
            &child(pointer, "unevaluatedProperties"),
            String::from("`unevaluatedProperties` is read as `additionalProperties`"),
            "say it with `additionalProperties` where the schema has no `allOf`",
        ));
        if !schema.contains_key("additionalProperties") {
            schema.insert(key("additionalProperties"), unevaluated);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Version, convert as convert_text};
    use crate::load::Syntax;

    fn converted(schemas: &str) -> serde_yaml::Value {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
        );
        convert_text(&text, Syntax::Yaml, Version::OpenApi31)
            .expect("converts")
            .tree
    }

    #[test]
    fn type_lists_const_examples_and_exclusive_bounds() {
        let tree = converted(
            "    A:\n      type: object\n      properties:\n        a: {type: [string, 'null']}\n        b: {const: fixed}\n        c: {type: integer, exclusiveMinimum: 0, examples: [3, 4]}\n        d: {type: null}\n        e: {anyOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}\n        f: {$ref: '#/components/schemas/B', description: Kept.}\n    B: {type: string, contentEncoding: base64}\n",
        );
        let a = &tree["components"]["schemas"]["A"]["properties"];
        assert_eq!(a["a"]["type"], "string");
        assert_eq!(a["a"]["nullable"], true);
        assert_eq!(a["b"]["enum"][0], "fixed");
        assert_eq!(a["c"]["minimum"], 0);
        assert_eq!(a["c"]["exclusiveMinimum"], true);
        assert_eq!(a["c"]["example"], 3);
        assert_eq!(a["d"]["nullable"], true);
        assert_eq!(a["e"]["nullable"], true);
        assert_eq!(a["e"]["allOf"][0]["$ref"], "#/components/schemas/B");
        assert_eq!(a["f"]["allOf"][0]["$ref"], "#/components/schemas/B");
        assert_eq!(a["f"]["description"], "Kept.");
        assert_eq!(tree["components"]["schemas"]["B"]["format"], "byte");
        assert_eq!(tree["openapi"], "3.0.3");
        assert!(tree["paths"].is_mapping());
    }

    #[test]
    fn defs_become_components_and_references_follow() {
        let tree = converted(
            "    Outer:\n      type: object\n      properties:\n        inner: {$ref: '#/components/schemas/Outer/$defs/Inner'}\n      $defs:\n        Inner: {type: integer}\n",
        );
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["OuterInner"]["type"], "integer");
        assert_eq!(
            schemas["Outer"]["properties"]["inner"]["$ref"],
            "#/components/schemas/OuterInner"
        );
    }

    #[test]
    fn document_members_3_0_lacks() {
        let text = r##"
openapi: 3.1.0
info: {title: t, version: "1", summary: Short.}
paths:
  /a: {$ref: "#/components/pathItems/A"}
webhooks:
  ping: {post: {responses: {"200": {description: ok}}}}
components:
  pathItems:
    A:
      get:
        security: [{mtls: [], key: []}]
  securitySchemes:
    mtls: {type: mutualTLS}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Anything: true
    Nothing: false
    Tuple: {type: array, prefixItems: [{type: string}]}
    Closed: {type: object, unevaluatedProperties: false}
    Picture: {type: string, contentMediaType: image/png}
    Label: {type: [string, integer]}
"##;
        let converted = convert_text(text, Syntax::Yaml, Version::OpenApi31).expect("converts");
        let tree = &converted.tree;
        let get = &tree["paths"]["/a"]["get"];
        // The path item is copied, with an empty `responses`, and mutual TLS is left out.
        assert!(get["responses"].is_mapping());
        assert_eq!(
            get["security"][0]["key"],
            serde_yaml::Value::Sequence(vec![])
        );
        assert!(get["security"][0].get("mtls").is_none());
        assert!(tree.get("webhooks").is_none());
        let schemas = &tree["components"]["schemas"];
        assert_eq!(
            schemas["Anything"],
            serde_yaml::Value::Mapping(Default::default())
        );
        assert!(schemas["Nothing"]["not"].is_mapping());
        assert!(schemas["Tuple"]["items"].is_mapping());
        assert_eq!(schemas["Closed"]["additionalProperties"], false);
        assert_eq!(schemas["Picture"]["format"], "binary");
        assert_eq!(
            schemas["Label"]["anyOf"],
            serde_yaml::from_str::<serde_yaml::Value>("[{type: string}, {type: integer}]").unwrap()
        );
        let warned: Vec<&str> = converted
            .warnings
            .iter()
            .filter_map(|w| w.pointer())
            .collect();
        assert_eq!(
            warned,
            [
                "#/webhooks",
                "#/components/securitySchemes/mtls",
                "#/components/schemas/Tuple/prefixItems",
                "#/components/schemas/Closed/unevaluatedProperties",
            ]
        );
        assert_eq!(
            converted.moves.original("#/paths/~1a/get").as_deref(),
            Some("#/components/pathItems/A/get")
        );
    }
}
