//! Judging the harness's results: a round trip equal to the example (up to what encoding
//! legitimately normalises) passes; otherwise a JSON Schema validator decides whether the
//! example matches its own schema (the generated type is at fault) or not (the document is).

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The first difference between an example and its round trip, or `None` when they agree up
/// to normalisation: a `null` member may come back absent (an optional field), numbers compare
/// by value (`1` and `1.0`), date-times by what they denote (`Z` and `+00:00`, trailing zeros of
/// a fraction), UUIDs without regard to case.
pub fn difference(original: &Value, encoded: &Value) -> Option<String> {
    diff(original, encoded, &mut String::new())
}

fn diff(original: &Value, encoded: &Value, path: &mut String) -> Option<String> {
    let here = |path: &str| {
        if path.is_empty() {
            String::from(".")
        } else {
            path.to_owned()
        }
    };
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let len = path.len();
                push_key(path, key);
                let found = match b.get(key) {
                    Some(other) => diff(value, other, path),
                    None if value.is_null() => None,
                    None => Some(format!("{}: the member is lost", path)),
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    let len = path.len();
                    push_key(path, key);
                    let found = format!("{path}: {} is added", short(value));
                    path.truncate(len);
                    return Some(found);
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{}: {} items became {}",
                    here(path),
                    a.len(),
                    b.len()
                ));
            }
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                let found = diff(x, y, path);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => None,
        (Value::String(a), Value::String(b)) if same_text(a, b) => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!("{}: {} became {}", here(path), short(a), short(b))),
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if a == b {
        return true;
    }
    match (a.as_f64(), b.as_f64()) {
        // An `f32` field keeps about seven significant digits.
        (Some(x), Some(y)) => x == y || ((x - y).abs() <= 1e-6 * x.abs().max(y.abs())),
        _ => false,
    }
}

fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if is_uuid(a) && is_uuid(b) {
        return a.eq_ignore_ascii_case(b);
    }
    match (date_time(a), date_time(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// An RFC 3339 date-time in one spelling: `T` and `Z` upper case, `Z` as `+00:00`, no trailing
/// zeros in the fraction. Not a parser: text that is not shaped like a date-time gives `None`.
fn date_time(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    if bytes.len() < 20 || bytes.get(10) != Some(&b'T') || bytes.get(4) != Some(&b'-') {
        return None;
    }
    let (main, offset) = if let Some(main) = upper.strip_suffix('Z') {
        (main.to_owned(), String::from("+00:00"))
    } else {
        let at = upper.len().checked_sub(6)?;
        let (main, offset) = upper.split_at(at);
        if !offset.starts_with(['+', '-']) {
            return None;
        }
        let offset = if offset == "-00:00" { "+00:00" } else { offset };
        (main.to_owned(), offset.to_owned())
    };
    let main = match main.split_once('.') {
        Some((seconds, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                seconds.to_owned()
            } else {
                format!("{seconds}.{fraction}")
            }
        }
        None => main,
    };
    Some(format!("{main}{offset}"))
}

/// Validates values against the schemas of one document, translated from OpenAPI 3.0's dialect
/// into JSON Schema 2020-12: `nullable` admits `null`, boolean `exclusiveMinimum` and
/// `exclusiveMaximum` become numbers, the siblings of a `$ref` are ignored (as OpenAPI 3.0
/// says), and `#/components/schemas/X` refers to `#/$defs/X`. Formats are checked.
pub struct Validator<'a> {
    document: &'a Value,
    defs: Value,
    compiled: HashMap<String, Result<jsonschema::Validator, String>>,
}

impl<'a> Validator<'a> {
    pub fn new(document: &'a Value) -> Self {
        let mut defs = Map::new();
        if let Some(schemas) = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                defs.insert(name.clone(), translate(schema));
            }
        }
        Validator {
            document,
            defs: Value::Object(defs),
            compiled: HashMap::new(),
        }
    }

    /// `Ok(None)` when `value` matches the schema at `pointer`, `Ok(Some(error))` when it does
    /// not, `Err` when the schema cannot be compiled.
    pub fn check(&mut self, pointer: &str, value: &Value) -> Result<Option<String>, String> {
        if !self.compiled.contains_key(pointer) {
            let compiled = self.compile(pointer);
            self.compiled.insert(pointer.to_owned(), compiled);
        }
        let validator = match &self.compiled[pointer] {
            Ok(validator) => validator,
            Err(error) => return Err(error.clone()),
        };
        Ok(validator.iter_errors(value).next().map(|error| {
            let at = error.instance_path().to_string();
            if at.is_empty() {
                error.to_string()
            } else {
                format!("at {at}: {error}")
            }
        }))
    }

    fn compile(&self, pointer: &str) -> Result<jsonschema::Validator, String> {
        let schema = pointer
            .strip_prefix('#')
            .and_then(|p| self.document.pointer(p))
            .ok_or_else(|| format!("no schema at {pointer}"))?;
        let mut root = match translate(schema) {
            Value::Object(map) => map,
            Value::Bool(b) => {
                let mut map = Map::new();
                if !b {
                    map.insert(String::from("not"), Value::Object(Map::new()));
                }
                map
            }
            _ => Map::new(),
        };
        root.insert(String::from("$defs"), self.defs.clone());
        root.insert(
            String::from("$schema"),
            Value::from("https://json-schema.org/draft/2020-12/schema"),
        );
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&Value::Object(root))
            .map_err(|e| format!("the schema at {pointer} does not compile: {e}"))
    }
}

fn translate_all(schemas: &Value) -> Value {
    Value::Array(
        schemas
            .as_array()
            .map(|a| a.iter().map(translate).collect())
            .unwrap_or_default(),
    )
}

/// One OpenAPI 3.0 schema as JSON Schema 2020-12 (see [`Validator`]).
pub fn translate(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let reference = match reference.strip_prefix("#/components/schemas/") {
            Some(name) => format!("#/$defs/{name}"),
            None => reference.to_owned(),
        };
        return serde_json::json!({ "$ref": reference });
    }
    let mut out = Map::new();
    for (key, value) in object {
        let translated = match key.as_str() {
            "properties" | "patternProperties" => Value::Object(
                value
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), translate(v))).collect())
                    .unwrap_or_default(),
            ),
            "additionalProperties" | "items" | "not" => translate(value),
            // Alternatives chosen by a discriminator may overlap: the tag decides, not the
            // number of alternatives that match.
            "oneOf" if object.contains_key("discriminator") => {
                out.insert(String::from("anyOf"), translate_all(value));
                continue;
            }
            "allOf" | "oneOf" | "anyOf" => translate_all(value),
            "nullable" | "discriminator" | "example" | "xml" | "externalDocs" => continue,
            "exclusiveMinimum" | "exclusiveMaximum" => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), translated);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match object.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = out.remove(bound) {
                    out.insert(flag.to_owned(), limit);
                }
            }
            Some(number @ Value::Number(_)) => {
                out.insert(flag.to_owned(), number.clone());
            }
            _ => {}
        }
    }
    let schema = Value::Object(out);
    if object.get("nullable") == Some(&Value::Bool(true)) {
        serde_json::json!({ "anyOf": [schema, { "type": "null" }] })
    } else {
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalised_round_trips_agree() {
        assert_eq!(
            difference(&json!({"a": null, "b": 1}), &json!({"b": 1.0})),
            None
        );
        assert_eq!(
            difference(
                &json!("2017-07-21T17:32:28Z"),
                &json!("2017-07-21T17:32:28+00:00")
            ),
            None
        );
        assert_eq!(
            difference(
                &json!("2017-07-21T17:32:28.50Z"),
                &json!("2017-07-21T17:32:28.500+00:00")
            ),
            None
        );
        assert_eq!(
            difference(
                &json!("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
                &json!("6f9619ff-8b86-d011-b42d-00c04fc964ff")
            ),
            None
        );
    }

    #[test]
    fn losses_are_named_by_path() {
        assert_eq!(
            difference(&json!({"a": [{"b": 1}]}), &json!({"a": [{}]})).as_deref(),
            Some("a[0].b: the member is lost")
        );
        assert_eq!(
            difference(&json!({"a": "x"}), &json!({"a": "y"})).as_deref(),
            Some("a: \"x\" became \"y\"")
        );
        assert_eq!(
            difference(&json!({}), &json!({"c": 2})).as_deref(),
            Some("c: 2 is added")
        );
    }

    #[test]
    fn the_openapi_dialect_is_translated() {
        let document = json!({
            "components": { "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string" },
                        "tag": { "type": "string", "nullable": true },
                        "age": { "type": "integer", "minimum": 0, "exclusiveMinimum": true },
                        "born": { "type": "string", "format": "date-time" }
                    }
                },
                "Pets": { "type": "array", "items": { "$ref": "#/components/schemas/Pet", "description": "ignored" } }
            }}
        });
        let mut validator = Validator::new(&document);
        let pets = "#/components/schemas/Pets";
        assert_eq!(
            validator.check(pets, &json!([{"name": "a", "tag": null}])),
            Ok(None)
        );
        assert!(matches!(
            validator.check(pets, &json!([{"tag": "x"}])),
            Ok(Some(_))
        ));
        assert!(matches!(
            validator.check(pets, &json!([{"name": "a", "age": 0}])),
            Ok(Some(_))
        ));
        assert!(matches!(
            validator.check(pets, &json!([{"name": "a", "born": "yesterday"}])),
            Ok(Some(_))
        ));
        assert_eq!(
            validator.check(pets, &json!([{"name": "a", "age": 1}])),
            Ok(None)
        );
    }
}
