//! No injection, as a property: random documents whose names and texts are drawn from hostile
//! strings always generate code that parses, is the same bytes on every run, declares exactly
//! the items the document implies and nothing else, and carries no control or bidirectional
//! character (doc text escaped, bidi controls removed).

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Strings that have broken code generators.
const HOSTILE: &[&str] = &[
    "\"); std::process::exit(1); //",
    "*/ fn evil() {} /*",
    "/* unclosed",
    "#[cfg(any())]",
    "#![no_std]",
    "r#\"",
    "\"#",
    "r##\"raw\"##",
    "b\"bytes\"",
    "'a",
    "line\nbreak",
    "carriage\rreturn",
    "crlf\r\n",
    "\u{202E}gnp.exe",
    "a\u{2066}b\u{2069}c",
    "\u{200F}\u{061C}",
    "sep\u{2028}ara\u{2029}tor",
    "nel\u{85}",
    "\u{1b}[2J",
    "\0",
    "\t",
    "\\",
    "\\\"",
    "",
    " ",
    "_",
    "__",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "async",
    "r#type",
    "Option",
    "Result",
    "Box",
    "Client",
    "Error",
    "new",
    "builder",
    "body",
    "9lives",
    "0",
    "日本語",
    "é",
    "\u{301}a",
    "x-y",
    "x_y",
    "XY",
    "$ref",
    "~1",
    "///",
    "//!",
    "`code`",
    "```rust",
    "[link](x)",
    "<script>",
    "https://example.com/a_(b)",
    "{{",
    "}}",
    "macro_rules! m { () => {} }",
    "include!(\"/etc/passwd\")",
    "extern crate std;",
    "unsafe { }",
    "Unknown",
    "unknownFutureValue",
    "a.b.c",
    "%s%n",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        2 => (prop::sample::select(HOSTILE), prop::sample::select(HOSTILE))
            .prop_map(|(a, b)| format!("{a}{b}")),
        1 => prop::collection::vec(any::<char>(), 0..10).prop_map(|c| c.into_iter().collect()),
    ]
}

#[derive(Debug, Clone)]
enum Kind {
    /// An object with these properties (name, scalar type index, description).
    Object(Vec<(String, usize, Option<String>)>),
    /// A string enum with these values.
    Enum(Vec<String>),
    /// An array of the component at this index (modulo the count).
    Array(usize),
}

#[derive(Debug, Clone)]
struct Schema {
    name: String,
    description: Option<String>,
    kind: Kind,
}

#[derive(Debug, Clone)]
struct Operation {
    id: Option<String>,
    literal: String,
    path_param: Option<String>,
    method: usize,
    summary: Option<String>,
    query: Vec<(String, Option<String>)>,
    response: Option<usize>,
}

#[derive(Debug, Clone)]
struct Doc {
    json: bool,
    title: String,
    description: String,
    schemas: Vec<Schema>,
    operations: Vec<Operation>,
}

fn schema() -> impl Strategy<Value = Schema> {
    let kind = prop_oneof![
        prop::collection::vec((hostile(), 0..6usize, prop::option::of(hostile())), 0..4)
            .prop_map(Kind::Object),
        prop::collection::vec(hostile(), 1..5).prop_map(Kind::Enum),
        (0..8usize).prop_map(Kind::Array),
    ];
    (hostile(), prop::option::of(hostile()), kind).prop_map(|(name, description, kind)| Schema {
        name,
        description,
        kind,
    })
}

fn operation() -> impl Strategy<Value = Operation> {
    (
        prop::option::of(hostile()),
        hostile(),
        prop::option::of(hostile()),
        0..4usize,
        prop::option::of(hostile()),
        prop::collection::vec((hostile(), prop::option::of(hostile())), 0..3),
        prop::option::of(0..8usize),
    )
        .prop_map(
            |(id, literal, path_param, method, summary, query, response)| Operation {
                id,
                literal,
                path_param,
                method,
                summary,
                query,
                response,
            },
        )
}

fn document() -> impl Strategy<Value = Doc> {
    (
        any::<bool>(),
        hostile(),
        hostile(),
        prop::collection::vec(schema(), 0..5),
        prop::collection::vec(operation(), 0..4),
    )
        .prop_map(|(json, title, description, schemas, operations)| Doc {
            json,
            title,
            description,
            schemas,
            operations,
        })
}

const SCALARS: [&str; 6] = [
    "string",
    "integer",
    "number",
    "boolean",
    "date-time",
    "uuid",
];

/// Names the document ends up with: JSON object keys are unique, the last one wins.
fn unique_schemas(doc: &Doc) -> Vec<&Schema> {
    let mut out: Vec<&Schema> = Vec::new();
    for schema in &doc.schemas {
        match out.iter().position(|s| s.name == schema.name) {
            Some(index) => {
                out.remove(index);
                out.push(schema);
            }
            None => out.push(schema),
        }
    }
    out
}

/// A path literal: braces would make it a template, which is another test's business.
fn literal(text: &str) -> String {
    text.replace(['{', '}'], "")
}

fn to_value(doc: &Doc) -> Value {
    let schemas = unique_schemas(doc);
    let reference_to = |name: &str| json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
    let reference = |index: usize| reference_to(&schemas[index % schemas.len()].name);
    // Arrays hold objects or enums: an array of arrays could hold itself, which is refused.
    let items: Vec<&str> = schemas
        .iter()
        .filter(|s| !matches!(s.kind, Kind::Array(_)))
        .map(|s| s.name.as_str())
        .collect();
    let mut components = Map::new();
    for schema in &doc.schema_order() {
        let mut value = match &schema.kind {
            Kind::Object(properties) => {
                let mut props = Map::new();
                for (name, scalar, description) in properties {
                    let mut prop = match SCALARS[*scalar] {
                        "date-time" => json!({"type": "string", "format": "date-time"}),
                        "uuid" => json!({"type": "string", "format": "uuid"}),
                        other => json!({"type": other}),
                    };
                    if let Some(description) = description {
                        prop["description"] = Value::String(description.clone());
                    }
                    props.insert(name.clone(), prop);
                }
                json!({"type": "object", "properties": props})
            }
            Kind::Enum(values) => json!({"type": "string", "enum": values}),
            Kind::Array(index) => match items.len() {
                0 => json!({"type": "array", "items": {"type": "string"}}),
                n => json!({"type": "array", "items": reference_to(items[index % n])}),
            },
        };
        if let Some(description) = &schema.description {
            value["description"] = Value::String(description.clone());
        }
        components.insert(schema.name.clone(), value);
    }
    let mut paths = Map::new();
    for (index, op) in doc.operations.iter().enumerate() {
        let mut path = format!("/{index}/{}", literal(&op.literal));
        let mut parameters = Vec::new();
        if let Some(name) = &op.path_param {
            let name = literal(name);
            path.push_str(&format!("/{{{name}}}"));
            parameters.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
        for (name, description) in &op.query {
            let mut parameter = json!({"name": name, "in": "query", "schema": {"type": "integer"}});
            if let Some(description) = description {
                parameter["description"] = Value::String(description.clone());
            }
            parameters.push(parameter);
        }
        let mut operation = Map::new();
        if let Some(id) = &op.id {
            // operationIds must be unique; the index keeps them so, whatever the text.
            operation.insert("operationId".into(), Value::String(format!("{id}{index}")));
        }
        if let Some(summary) = &op.summary {
            operation.insert("summary".into(), Value::String(summary.clone()));
        }
        operation.insert("parameters".into(), Value::Array(parameters));
        let response = match (op.response, schemas.is_empty()) {
            (Some(index), false) => {
                json!({"description": "ok", "content": {"application/json": {"schema": reference(index)}}})
            }
            _ => json!({"description": "no content"}),
        };
        operation.insert("responses".into(), json!({"200": response}));
        let method = ["get", "post", "put", "delete"][op.method];
        paths.insert(path, json!({ method: operation }));
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": doc.title, "version": "1", "description": doc.description},
        "paths": paths,
        "components": {"schemas": components},
    })
}

impl Doc {
    /// The schemas in the order the document writes them (first occurrence of each name,
    /// with the last definition).
    fn schema_order(&self) -> Vec<&Schema> {
        let mut names: Vec<&str> = Vec::new();
        for schema in &self.schemas {
            if !names.contains(&schema.name.as_str()) {
                names.push(&schema.name);
            }
        }
        names
            .into_iter()
            .filter_map(|name| self.schemas.iter().rev().find(|s| s.name == name))
            .collect()
    }
}

/// Characters generated code must not carry raw. A tab may remain in a doc comment (inside a
/// fenced code block of a description), where it is harmless.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
}

fn methods_of_client(file: &syn::File) -> usize {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() => match &*i.self_ty {
                syn::Type::Path(p) if p.path.is_ident("Client") => Some(
                    i.items
                        .iter()
                        .filter(|item| matches!(item, syn::ImplItem::Fn(_)))
                        .count(),
                ),
                _ => None,
            },
            _ => None,
        })
        .sum()
}

/// `Client`'s methods for a document without operations.
fn base_methods() -> usize {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let files = clientsmith::Config::new("base.yaml")
        .render_str(text)
        .expect("a minimal document generates");
    methods_of_client(&syn::parse_file(&files["client.rs"]).expect("parses"))
}

fn check(doc: &Doc, base: usize) -> Result<(), TestCaseError> {
    let value = to_value(doc);
    let (name, text) = if doc.json {
        (
            "doc.json",
            serde_json::to_string_pretty(&value).expect("json"),
        )
    } else {
        ("doc.yaml", serde_yaml::to_string(&value).expect("yaml"))
    };
    let config = clientsmith::Config::new(name);
    let files = config
        .render_str(&text)
        .map_err(|e| TestCaseError::fail(format!("{e}\n\n{text}")))?;
    let again = config.render_str(&text).expect("second run");
    prop_assert!(files == again, "two runs differ for\n{}", text);

    for (path, source) in &files {
        if let Some(c) = source.chars().find(|c| is_unsafe(*c)) {
            return Err(TestCaseError::fail(format!(
                "{path} carries {c:?}\n\n{text}"
            )));
        }
        // Every file is generated from the document: the runtime is a crate of its own.
        if path.ends_with(".rs") {
            syn::parse_file(source)
                .map_err(|e| TestCaseError::fail(format!("{path} does not parse: {e}")))?;
        }
    }

    let models = syn::parse_file(&files["models.rs"]).expect("parses");
    let schemas = doc.schema_order();
    let mut declared = Vec::new();
    for item in &models.items {
        match item {
            syn::Item::Struct(s) => declared.push((s.ident.to_string(), "struct", s.fields.len())),
            syn::Item::Enum(e) => declared.push((e.ident.to_string(), "enum", e.variants.len())),
            syn::Item::Type(t) => declared.push((t.ident.to_string(), "type", 0)),
            syn::Item::Impl(_) | syn::Item::Use(_) => {}
            // The runtime's own macros (`crate::runtime::string_enum!(Type, ...)`).
            syn::Item::Macro(m)
                if m.mac.path.segments.len() == 3
                    && m.mac.path.segments[0].ident == "crate"
                    && m.mac.path.segments[1].ident == "runtime" => {}
            other => {
                return Err(TestCaseError::fail(format!(
                    "models.rs holds an item no schema implies: {}",
                    quote::ToTokens::to_token_stream(other)
                )));
            }
        }
    }
    // Each schema implies one item: a struct with a field per property, an enum with a variant
    // per value and one for values the document does not list, or an alias.
    let mut implied: Vec<(&str, usize)> = schemas
        .iter()
        .map(|schema| match &schema.kind {
            Kind::Object(properties) => {
                let mut wire: Vec<&str> = properties.iter().map(|p| p.0.as_str()).collect();
                wire.sort_unstable();
                wire.dedup();
                // One field per property, and the map of undeclared members.
                ("struct", wire.len() + 1)
            }
            Kind::Enum(values) => {
                let mut values: Vec<&str> = values.iter().map(String::as_str).collect();
                values.sort_unstable();
                values.dedup();
                ("enum", values.len() + 1)
            }
            Kind::Array(_) => ("type", 0),
        })
        .collect();
    let mut found: Vec<(&str, usize)> = declared.iter().map(|(_, k, m)| (*k, *m)).collect();
    implied.sort_unstable();
    found.sort_unstable();
    prop_assert_eq!(
        found,
        implied,
        "items of models.rs: {:?}\n\n{}",
        declared,
        text
    );
    let client = syn::parse_file(&files["client.rs"]).expect("parses");
    prop_assert_eq!(methods_of_client(&client), base + doc.operations.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Shrinking hostile documents is slow and the failing text is printed whole anyway.
        max_shrink_iters: 64,
        // A failure prints the whole document; nothing is written next to the sources.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_documents_generate_inert_exact_deterministic_code(doc in document()) {
        thread_local! {
            static BASE: usize = base_methods();
        }
        let base = BASE.with(|b| *b);
        check(&doc, base)?;
    }
}
