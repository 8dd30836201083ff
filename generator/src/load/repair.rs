//! Reading past what real documents get wrong in ways that leave no doubt about what they
//! mean: a document that does not parse as OpenAPI 3.0 as written is read again as a tree,
//! mended where a rule below applies, and parsed from the mended tree, each mend a located
//! warning. Only documents that fail the typed read come here, so a regular document costs
//! nothing more. The tree is `serde_yaml`'s, whose mappings keep the document's order (the
//! order of paths and properties names methods and fields), whichever syntax it was read from.
//!
//! The rules:
//! - A number outside the 64-bit range (JSON allows any; documents written from JavaScript
//!   often hold `-9223372036854776000`) is read as the nearest 64-bit float, and as a bound of
//!   an integer schema (`minimum`, `maximum`) it is clamped to the 64-bit integers, whose
//!   whole range it then allows. Such a value in an integer schema's `enum` is left out.
//! - A `type` list (an OpenAPI 3.1 habit) is its one type besides `"null"`, with
//!   `nullable: true` when `"null"` is listed; a list of several types is `anyOf` one schema
//!   per type.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Number, Value};

use super::Syntax;
use crate::error::{Error, ErrorKind, join_pointer};

/// `text` parsed as OpenAPI 3.0 once mended, with a warning for each mend; `None` when nothing
/// needed mending, or the mended tree still does not parse (the located read then says why).
pub(super) fn read(text: &str, syntax: Syntax) -> Option<(openapiv3::OpenAPI, Vec<Error>)> {
    let body = text.trim_start_matches('\u{feff}');
    let Wide(mut tree) = match syntax {
        Syntax::Json => serde_json::from_str(body).ok()?,
        Syntax::Yaml => serde_yaml::from_str(body).ok()?,
    };
    let mut mends = Mends::default();
    mend(&mut tree, "#", Place::Document, &mut mends);
    if mends.warnings.is_empty() {
        return None;
    }
    let api = serde_yaml::from_value(tree).ok()?;
    Some((api, mends.warnings))
}

/// Mends `tree`, a document converted from another version, and gives the warnings.
pub(super) fn mend_tree(tree: &mut Value) -> Vec<Error> {
    let mut mends = Mends::default();
    mend(tree, "#", Place::Document, &mut mends);
    mends.warnings
}

/// The warnings of the mends made so far.
#[derive(Default)]
struct Mends {
    warnings: Vec<Error>,
}

impl Mends {
    fn warn(&mut self, pointer: &str, message: String, help: &str) {
        self.warnings.push(
            Error::new(ErrorKind::Invalid, message)
                .at_pointer(pointer)
                .with_help(help)
                .into_warning(),
        );
    }
}

/// What the node being mended is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Part of the document's structure: its objects may be schemas.
    Document,
    /// A map from names to parts of the structure (`properties`, `schemas`, `paths`): a key
    /// is a name, even one spelt like a keyword (a property called `example`).
    Names,
    /// A value the document holds as data (`example`, `default`, `enum`, an extension): only
    /// its numbers are looked at.
    Data,
}

impl Place {
    /// The place of the value under `key` in an object at this place.
    fn of_member(self, key: &str) -> Place {
        match self {
            Place::Data => Place::Data,
            Place::Names => Place::Document,
            Place::Document => match key {
                "example" | "examples" | "default" | "enum" => Place::Data,
                _ if key.starts_with("x-") => Place::Data,
                "properties" | "schemas" | "paths" | "parameters" | "responses"
                | "requestBodies" | "headers" | "securitySchemes" | "links" | "callbacks"
                | "content" => Place::Names,
                _ => Place::Document,
            },
        }
    }
}

/// The largest magnitude a 64-bit integer holds, as a float: a float at least this large
/// (and integral) was written as an integer no 64-bit type holds.
const I64_RANGE: f64 = 9_223_372_036_854_775_808.0;

fn out_of_range(number: &Number) -> bool {
    number.as_i64().is_none()
        && number.as_u64().is_none()
        && number
            .as_f64()
            .is_some_and(|f| f.fract() == 0.0 && f.abs() >= I64_RANGE)
}

/// The text key `key` of a mapping.
fn key(key: &str) -> Value {
    Value::String(key.to_owned())
}

/// A YAML value written as JSON, for messages.
fn json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn mend(node: &mut Value, pointer: &str, place: Place, mends: &mut Mends) {
    match node {
        Value::Number(number) if place == Place::Data && out_of_range(number) => mends.warn(
            pointer,
            format!("the number {number} is outside the 64-bit range; it is read as the nearest 64-bit float"),
            "write a value a 64-bit integer holds",
        ),
        Value::Sequence(items) => {
            // A list of parameters, or of `allOf` parts: each item is a part of the structure.
            let place = if place == Place::Names {
                Place::Document
            } else {
                place
            };
            for (index, item) in items.iter_mut().enumerate() {
                mend(item, &join_pointer(pointer, &index.to_string()), place, mends);
            }
        }
        Value::Mapping(object) => {
            if place == Place::Document {
                mend_type_list(object, pointer, mends);
                mend_integer_schema(object, pointer, mends);
            }
            for (name, value) in object.iter_mut() {
                // Keys that are not text are left to the typed read to refuse.
                let Some(name) = name.as_str() else {
                    continue;
                };
                mend(value, &join_pointer(pointer, name), place.of_member(name), mends);
            }
        }
        _ => {}
    }
}

/// `type: [T, "null"]` as `type: T` with `nullable: true`; several types as `anyOf` one
/// schema per type (see [`one_schema_per_type`]).
fn mend_type_list(object: &mut Mapping, pointer: &str, mends: &mut Mends) {
    let Some(Value::Sequence(types)) = object.get("type") else {
        return;
    };
    let listed = json(&Value::Sequence(types.clone()));
    let null = types.iter().any(|t| t.as_str() == Some("null"));
    let others: Vec<Value> = types
        .iter()
        .filter(|t| t.as_str() != Some("null"))
        .cloned()
        .collect();
    let at = join_pointer(pointer, "type");
    let help = "OpenAPI 3.0 takes one type: `anyOf` with one schema per type, and `nullable: true` for null";
    if null {
        object.insert(key("nullable"), Value::Bool(true));
    }
    let nullable = if null { ", nullable" } else { "" };
    match others.as_slice() {
        [one] => {
            let one_text = json(one);
            object.insert(key("type"), one.clone());
            mends.warn(
                &at,
                format!("`type` is a list ({listed}); it is read as `{one_text}`{nullable}"),
                help,
            );
        }
        [] => {
            object.remove("type");
            mends.warn(
                &at,
                format!("`type` is a list ({listed}); the schema is read as any value{nullable}"),
                help,
            );
        }
        several => {
            one_schema_per_type(object, several);
            mends.warn(
                &at,
                format!(
                    "`type` is a list ({listed}); it is read as `anyOf` one schema per type{nullable}"
                ),
                help,
            );
        }
    }
}

/// Rewrites `schema`, whose `type` lists the JSON types `types` (two or more, `"null"` taken
/// out), as JSON Schema means it: `anyOf` one schema per type, each with the keywords that
/// constrain values of its type (`items` for `array`, `properties` for `object`, `pattern`
/// for `string`…) and the `enum` values of its type. The keywords about the value as a whole
/// (`description`, `nullable`, `default`…) stay where they are. A type that no `enum` value
/// has keeps no `enum`: documents that list one sample value beside several types (written
/// from one answer) would otherwise refuse the service's other answers.
pub(in crate::load) fn one_schema_per_type(schema: &mut Mapping, types: &[Value]) {
    schema.remove("type");
    let values = match schema.remove("enum") {
        Some(Value::Sequence(values)) => values,
        _ => Vec::new(),
    };
    let format = schema.remove("format");
    let mut alternatives = Vec::new();
    for ty in types {
        let Some(name) = ty.as_str() else {
            continue;
        };
        let mut alternative = Mapping::new();
        alternative.insert(key("type"), ty.clone());
        for keyword in keywords_of_type(name) {
            if let Some(value) = schema.get(*keyword) {
                alternative.insert(key(keyword), value.clone());
            }
        }
        if let Some(format) = format.as_ref().filter(|f| format_is_of(f, name)) {
            alternative.insert(key("format"), format.clone());
        }
        let of_type: Vec<Value> = values
            .iter()
            .filter(|value| value_is_of(value, name))
            .cloned()
            .collect();
        if !of_type.is_empty() {
            alternative.insert(key("enum"), Value::Sequence(of_type));
        }
        alternatives.push(Value::Mapping(alternative));
    }
    for name in types.iter().filter_map(Value::as_str) {
        for keyword in keywords_of_type(name) {
            schema.remove(*keyword);
        }
    }
    let union = Value::Sequence(alternatives);
    if schema.contains_key("anyOf") {
        // The schema's own `anyOf` and the types' are both to hold.
        let mut part = Mapping::new();
        part.insert(key("anyOf"), union);
        match schema.get_mut("allOf") {
            Some(Value::Sequence(parts)) => parts.push(Value::Mapping(part)),
            _ => {
                schema.insert(key("allOf"), Value::Sequence(vec![Value::Mapping(part)]));
            }
        }
    } else {
        schema.insert(key("anyOf"), union);
    }
}

/// The keywords that constrain values of the JSON type `name` only.
fn keywords_of_type(name: &str) -> &'static [&'static str] {
    match name {
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "additionalProperties",
            "required",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        "string" => &["minLength", "maxLength", "pattern"],
        "number" | "integer" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        _ => &[],
    }
}

/// Whether `format` is one for values of the JSON type `name`: the numeric formats for
/// numbers, any other for strings.
fn format_is_of(format: &Value, name: &str) -> bool {
    let numeric = matches!(
        format.as_str(),
        Some("int32" | "int64" | "float" | "double")
    );
    match name {
        "number" | "integer" => numeric,
        "string" => !numeric,
        _ => false,
    }
}

/// Whether the `enum` value `value` is of the JSON type `name`.
fn value_is_of(value: &Value, name: &str) -> bool {
    match (value, name) {
        (Value::String(_), "string") | (Value::Bool(_), "boolean") => true,
        (Value::Number(_), "number") => true,
        (Value::Number(number), "integer") => number.is_i64() || number.is_u64(),
        (Value::Sequence(_), "array") | (Value::Mapping(_), "object") => true,
        _ => false,
    }
}

/// Bounds and `enum` values of an integer schema that no 64-bit integer holds.
fn mend_integer_schema(object: &mut Mapping, pointer: &str, mends: &mut Mends) {
    if object.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for bound in ["minimum", "maximum"] {
        let Some(Value::Number(number)) = object.get(bound) else {
            continue;
        };
        if number.as_i64().is_some() {
            continue;
        }
        let Some(value) = number.as_f64() else {
            continue;
        };
        let clamped = if value < 0.0 { i64::MIN } else { i64::MAX };
        // A bound past the 64-bit integers is no bound for them; a fraction is the bound of
        // the integers on its side.
        #[allow(clippy::cast_possible_truncation)]
        let mended = if value.abs() >= I64_RANGE {
            clamped
        } else if value.fract() == 0.0 {
            // `1.0`: an integer written as a float.
            value as i64
        } else if bound == "minimum" {
            value.ceil() as i64
        } else {
            value.floor() as i64
        };
        let written = number.to_string();
        object.insert(key(bound), Value::from(mended));
        mends.warn(
            &join_pointer(pointer, bound),
            format!("`{bound}: {written}` of an integer schema is not a 64-bit integer; it is read as {mended}"),
            "write a bound a 64-bit integer holds",
        );
    }
    if let Some(Value::Sequence(values)) = object.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !matches!(v, Value::Number(n) if n.as_i64().is_none()));
        if values.len() < before {
            mends.warn(
                &join_pointer(pointer, "enum"),
                format!(
                    "{} value(s) of an integer schema's `enum` are not 64-bit integers; they are left out",
                    before - values.len()
                ),
                "list values a 64-bit integer holds",
            );
        }
    }
}

/// A tree read from either syntax, where an integer too large for 64 bits (which `serde_yaml`
/// hands over as a 128-bit one) is the nearest float rather than an error.
struct Wide(Value);

impl<'de> Deserialize<'de> for Wide {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WideVisitor).map(Wide)
    }
}

struct WideVisitor;

impl<'de> Visitor<'de> for WideVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Wide::deserialize(deserializer).map(|w| w.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Wide(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Mapping::new();
        while let Some(Wide(key)) = map.next_key()? {
            let Wide(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Mapping(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
        Err(de::Error::custom("tagged values are not read"))
    }
}

/// A float as a tree value.
fn float(v: f64) -> Value {
    Value::Number(Number::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(text: &str) -> (openapiv3::OpenAPI, Vec<String>) {
        let (api, warnings) = read(text, Syntax::detect(text)).expect("mended");
        let warnings = warnings
            .iter()
            .map(|w| format!("{} {}", w.pointer().unwrap_or_default(), w.message()))
            .collect();
        (api, warnings)
    }

    const HEAD: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    #[test]
    fn numbers_beyond_64_bits_are_read_and_warned_about() {
        let text = format!(
            "{HEAD}    A:\n      type: integer\n      minimum: -9223372036854776000\n      maximum: 18446744073709551616\n      default: 99999999999999999999\n      enum: [1, 99999999999999999999]\n"
        );
        let (api, warnings) = mended(&text);
        let schema = serde_json::to_value(&api.components.unwrap().schemas["A"]).unwrap();
        assert_eq!(schema["minimum"], i64::MIN);
        assert_eq!(schema["maximum"], i64::MAX);
        assert_eq!(schema["enum"], serde_json::json!([1]));
        assert_eq!(schema["default"], 1e20);
        // The `enum` value left out is one warning, not two.
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(
            warnings[0].starts_with("#/components/schemas/A/minimum `minimum: -9.22")
                && warnings[0].ends_with("it is read as -9223372036854775808"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn json_numbers_beyond_64_bits_are_found_too() {
        let text = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"A":{"type":"integer","minimum":-9223372036854776000,"example":-9223372036854776000}}}}"#;
        let (_, warnings) = mended(text);
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
    }

    #[test]
    fn type_lists_are_one_type_and_nullable() {
        let text = format!(
            "{HEAD}    A:\n      type: object\n      properties:\n        a: {{type: [string, 'null']}}\n        b: {{type: [string, integer]}}\n        example:\n          type: [integer]\n      example: {{type: [kept, as, data]}}\n"
        );
        let (api, warnings) = mended(&text);
        let schema = serde_json::to_value(&api.components.unwrap().schemas["A"]).unwrap();
        assert_eq!(schema["properties"]["a"]["type"], "string");
        assert_eq!(schema["properties"]["a"]["nullable"], true);
        assert!(schema["properties"]["b"].get("type").is_none());
        assert_eq!(
            schema["properties"]["b"]["anyOf"],
            serde_json::json!([{"type": "string"}, {"type": "integer"}])
        );
        // A property named `example` is a schema; the `example` keyword's value is data.
        assert_eq!(schema["properties"]["example"]["type"], "integer");
        assert_eq!(
            schema["example"]["type"],
            serde_json::json!(["kept", "as", "data"])
        );
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
    }

    #[test]
    fn several_types_are_one_schema_per_type_with_their_own_keywords() {
        let text = format!(
            "{HEAD}    Facet:\n      description: Tags, or an empty string.\n      type: [array, string, 'null', integer]\n      items: {{type: string}}\n      maxItems: 9\n      pattern: '^$'\n      minimum: 1\n      format: int64\n      enum: ['', 7, [a]]\n"
        );
        let (api, warnings) = mended(&text);
        let schema = serde_json::to_value(&api.components.unwrap().schemas["Facet"]).unwrap();
        assert_eq!(schema["description"], "Tags, or an empty string.");
        assert_eq!(schema["nullable"], true);
        assert_eq!(
            schema["anyOf"],
            serde_json::json!([
                {"type": "array", "items": {"type": "string"}, "maxItems": 9, "enum": [["a"]]},
                {"type": "string", "pattern": "^$", "enum": [""]},
                {"type": "integer", "minimum": 1, "format": "int64", "enum": [7]},
            ])
        );
        for moved in [
            "type", "items", "maxItems", "pattern", "minimum", "format", "enum",
        ] {
            assert!(schema.get(moved).is_none(), "{moved} left on the union");
        }
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(warnings[0].contains("`anyOf` one schema per type, nullable"));
    }

    #[test]
    fn a_regular_document_needs_no_mending() {
        assert!(read(&format!("{HEAD}    A: {{type: string}}\n"), Syntax::Yaml).is_none());
    }
}
