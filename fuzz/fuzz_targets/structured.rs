//! Small OpenAPI documents built from the fuzzer's bytes (schemas, references, operations,
//! parameters, bodies and responses, with names and texts drawn from hostile strings),
//! written as JSON or YAML and run through the whole pipeline.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

/// Names and texts that have broken code generators: Rust syntax, comment and string
/// terminators, raw-string openers, keywords, Unicode controls, empty and odd identifiers.
const HOSTILE: &[&str] = &[
    "\"); std::process::exit(1); //",
    "*/ fn evil() {} /*",
    "#[cfg(any())]",
    "r#\"",
    "\"#",
    "line\nbreak",
    "carriage\rreturn",
    "\u{202E}gnp.exe",
    "a\u{2066}b\u{2069}",
    "\u{2028}",
    "",
    " ",
    "_",
    "__",
    "self",
    "Self",
    "type",
    "crate",
    "super",
    "r#type",
    "Option",
    "Result",
    "Client",
    "Error",
    "new",
    "body",
    "9lives",
    "日本語",
    "é",
    "x-y",
    "x_y",
    "XY",
    "@odata.type",
    "$ref",
    "{id}",
    "~1",
    "///",
    "//!",
    "`code`",
    "[link](x)",
    "<script>",
    "\\",
    "\0",
    "\u{1b}[2J",
    "unknownFutureValue",
    "Unknown",
    "value",
    "a.b.c",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Hostile(u8),
    Plain(u8),
    Raw(String),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Hostile(i) => HOSTILE[usize::from(*i) % HOSTILE.len()].to_owned(),
            Text::Plain(i) => format!("name{}", i % 8),
            Text::Raw(s) => s.chars().take(40).collect(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Scalar {
    String,
    DateTime,
    Date,
    Uuid,
    Binary,
    Integer,
    Int32,
    Number,
    Float,
    Boolean,
    Any,
    FreeObject,
}

#[derive(Arbitrary, Debug)]
enum Prop {
    Scalar(Scalar, bool),
    Ref(u8),
    Inline(Box<Schema>),
    Array(Box<Prop>),
    Map(Box<Prop>),
}

#[derive(Arbitrary, Debug)]
enum Schema {
    Object {
        properties: Vec<(Text, Prop, Option<Text>)>,
        required: Vec<u8>,
        additional: Option<Box<Prop>>,
        description: Option<Text>,
    },
    StringEnum(Vec<Text>, bool),
    Ref(u8),
    Prop(Prop),
    AllOf(Vec<Prop>),
    OneOf(Vec<Prop>, Option<Text>),
    AnyOf(Vec<Prop>),
}

#[derive(Arbitrary, Debug)]
enum Segment {
    Literal(Text),
    Param(Text),
}

#[derive(Arbitrary, Debug)]
struct Param {
    name: Text,
    location: u8,
    required: bool,
    schema: Prop,
    description: Option<Text>,
}

#[derive(Arbitrary, Debug)]
struct Operation {
    method: u8,
    id: Option<Text>,
    summary: Option<Text>,
    description: Option<Text>,
    parameters: Vec<Param>,
    body: Option<(u8, Prop)>,
    responses: Vec<(u8, Option<Prop>)>,
}

#[derive(Arbitrary, Debug)]
struct PathItem {
    segments: Vec<Segment>,
    operations: Vec<Operation>,
}

#[derive(Arbitrary, Debug)]
struct Doc {
    json: bool,
    title: Text,
    description: Option<Text>,
    schemas: Vec<(Text, Schema)>,
    paths: Vec<PathItem>,
}

struct Builder {
    names: Vec<String>,
}

impl Builder {
    fn reference(&self, index: u8) -> Value {
        let name = match self.names.len() {
            0 => String::from("Missing"),
            n => self.names[usize::from(index) % n].clone(),
        };
        let escaped = name.replace('~', "~0").replace('/', "~1");
        json!({ "$ref": format!("#/components/schemas/{escaped}") })
    }

    fn scalar(scalar: &Scalar, nullable: bool) -> Value {
        let mut value = match scalar {
            Scalar::String => json!({"type": "string"}),
            Scalar::DateTime => json!({"type": "string", "format": "date-time"}),
            Scalar::Date => json!({"type": "string", "format": "date"}),
            Scalar::Uuid => json!({"type": "string", "format": "uuid"}),
            Scalar::Binary => json!({"type": "string", "format": "binary"}),
            Scalar::Integer => json!({"type": "integer"}),
            Scalar::Int32 => json!({"type": "integer", "format": "int32"}),
            Scalar::Number => json!({"type": "number"}),
            Scalar::Float => json!({"type": "number", "format": "float"}),
            Scalar::Boolean => json!({"type": "boolean"}),
            Scalar::Any => json!({}),
            Scalar::FreeObject => json!({"type": "object"}),
        };
        if nullable {
            value["nullable"] = Value::Bool(true);
        }
        value
    }

    fn prop(&self, prop: &Prop) -> Value {
        match prop {
            Prop::Scalar(scalar, nullable) => Self::scalar(scalar, *nullable),
            Prop::Ref(index) => self.reference(*index),
            Prop::Inline(schema) => self.schema(schema),
            Prop::Array(items) => json!({"type": "array", "items": self.prop(items)}),
            Prop::Map(values) => {
                json!({"type": "object", "additionalProperties": self.prop(values)})
            }
        }
    }

    fn schema(&self, schema: &Schema) -> Value {
        match schema {
            Schema::Object {
                properties,
                required,
                additional,
                description,
            } => {
                let mut props = Map::new();
                for (name, prop, doc) in properties {
                    let mut value = self.prop(prop);
                    if let (Some(doc), Value::Object(map)) = (doc, &mut value) {
                        if !map.contains_key("$ref") {
                            map.insert("description".into(), Value::String(doc.get()));
                        }
                    }
                    props.insert(name.get(), value);
                }
                let names: Vec<String> = props.keys().cloned().collect();
                let required: Vec<Value> = required
                    .iter()
                    .filter_map(|i| names.get(usize::from(*i) % names.len().max(1)))
                    .map(|n| Value::String(n.clone()))
                    .collect();
                let mut value = json!({"type": "object", "properties": props});
                if !required.is_empty() {
                    value["required"] = Value::Array(required);
                }
                if let Some(additional) = additional {
                    value["additionalProperties"] = self.prop(additional);
                }
                if let Some(description) = description {
                    value["description"] = Value::String(description.get());
                }
                value
            }
            Schema::StringEnum(values, nullable) => {
                let values: Vec<Value> = values.iter().map(|v| Value::String(v.get())).collect();
                json!({"type": "string", "enum": values, "nullable": nullable})
            }
            Schema::Ref(index) => self.reference(*index),
            Schema::Prop(prop) => self.prop(prop),
            Schema::AllOf(parts) => {
                json!({"allOf": parts.iter().map(|p| self.prop(p)).collect::<Vec<_>>()})
            }
            Schema::OneOf(parts, tag) => {
                let mut value =
                    json!({"oneOf": parts.iter().map(|p| self.prop(p)).collect::<Vec<_>>()});
                if let Some(tag) = tag {
                    value["discriminator"] = json!({"propertyName": tag.get()});
                }
                value
            }
            Schema::AnyOf(parts) => {
                json!({"anyOf": parts.iter().map(|p| self.prop(p)).collect::<Vec<_>>()})
            }
        }
    }

    fn operation(&self, operation: &Operation) -> Value {
        let mut value = Map::new();
        if let Some(id) = &operation.id {
            value.insert("operationId".into(), Value::String(id.get()));
        }
        if let Some(summary) = &operation.summary {
            value.insert("summary".into(), Value::String(summary.get()));
        }
        if let Some(description) = &operation.description {
            value.insert("description".into(), Value::String(description.get()));
        }
        let parameters: Vec<Value> = operation
            .parameters
            .iter()
            .map(|p| {
                let location = ["query", "header", "path", "cookie"][usize::from(p.location % 4)];
                let mut param = json!({
                    "name": p.name.get(),
                    "in": location,
                    "required": p.required || location == "path",
                    "schema": self.prop(&p.schema),
                });
                if let Some(doc) = &p.description {
                    param["description"] = Value::String(doc.get());
                }
                param
            })
            .collect();
        if !parameters.is_empty() {
            value.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some((media, prop)) = &operation.body {
            let media = [
                "application/json",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "application/octet-stream",
                "text/plain",
            ][usize::from(media % 5)];
            value.insert(
                "requestBody".into(),
                json!({"required": true, "content": {media: {"schema": self.prop(prop)}}}),
            );
        }
        let mut responses = Map::new();
        for (status, body) in &operation.responses {
            let status = ["200", "201", "204", "2XX", "404", "default", "500"]
                [usize::from(status % 7)]
            .to_owned();
            let mut response = json!({"description": "response"});
            if let Some(body) = body {
                response["content"] = json!({"application/json": {"schema": self.prop(body)}});
            }
            responses.insert(status, response);
        }
        if responses.is_empty() {
            responses.insert("204".into(), json!({"description": "no content"}));
        }
        value.insert("responses".into(), Value::Object(responses));
        Value::Object(value)
    }

    fn document(doc: &Doc) -> Value {
        let builder = Builder {
            names: doc.schemas.iter().map(|(name, _)| name.get()).collect(),
        };
        let mut schemas = Map::new();
        for (name, schema) in &doc.schemas {
            schemas.insert(name.get(), builder.schema(schema));
        }
        let mut paths = Map::new();
        for item in &doc.paths {
            let mut path = String::new();
            for segment in &item.segments {
                match segment {
                    Segment::Literal(text) => {
                        path.push('/');
                        path.push_str(&text.get());
                    }
                    Segment::Param(name) => {
                        path.push_str("/{");
                        path.push_str(&name.get());
                        path.push('}');
                    }
                }
            }
            if path.is_empty() {
                path.push('/');
            }
            let mut operations = Map::new();
            for operation in &item.operations {
                let method = [
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ][usize::from(operation.method % 8)];
                operations.insert(method.into(), builder.operation(operation));
            }
            paths.insert(path, Value::Object(operations));
        }
        let mut info = json!({"title": doc.title.get(), "version": "1"});
        if let Some(description) = &doc.description {
            info["description"] = Value::String(description.get());
        }
        json!({
            "openapi": "3.0.3",
            "info": info,
            "paths": paths,
            "components": {"schemas": schemas},
        })
    }
}

fuzz_target!(|doc: Doc| {
    tolerate_known_openapiv3_panic();
    let value = Builder::document(&doc);
    let (name, text) = if doc.json {
        (
            "fuzz.json",
            serde_json::to_string_pretty(&value).unwrap_or_default(),
        )
    } else {
        (
            "fuzz.yaml",
            serde_yaml::to_string(&value).unwrap_or_default(),
        )
    };
    let first = clientsmith::Config::new(name).render_str(&text);
    match &first {
        Ok(files) => {
            for (path, source) in files {
                // Every file is generated from the input: the runtime is a crate of its own.
                if path.ends_with(".rs") {
                    if let Err(error) = syn::parse_file(source) {
                        panic!("generated {path} does not parse: {error}\n{text}\n{source}");
                    }
                }
            }
        }
        Err(error) => {
            let rendered = error.to_string();
            assert!(rendered.starts_with("error["), "{rendered}");
        }
    }
    // Same input, same bytes.
    let second = clientsmith::Config::new(name).render_str(&text);
    assert_eq!(first.is_ok(), second.is_ok());
    if let (Ok(a), Ok(b)) = (&first, &second) {
        assert!(a == b, "output differs between two runs of\n{text}");
    }
});

/// `openapiv3` panics ("somehow this parsed successfully the second time") when its two
/// readings of a `ReferenceOr` disagree; the generator catches that panic and reports the
/// error (`load::parse_via_value`). libFuzzer's panic hook aborts on every panic, caught or
/// not, so this one is let through to the generator's `catch_unwind`; any other panic still
/// aborts and is reported.
fn tolerate_known_openapiv3_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let known =
                info.payload_as_str().is_some_and(|m| {
                    m.contains("somehow this parsed successfully the second time")
                }) && info.location().is_some_and(|l| {
                    l.file().contains("openapiv3") && l.file().ends_with("reference.rs")
                });
            if !known {
                abort(info);
            }
        }));
    });
}
