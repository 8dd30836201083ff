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

/// Validates values against the schemas of one document as JSON Schema draft 4, the dialect
/// OpenAPI 3.0's schemas extend (its draft "Wright 00" keeps draft 4's vocabulary: boolean
/// `exclusiveMinimum`, an `integer` is a number written without a fraction, siblings of `$ref`
/// ignored), with OpenAPI's own keywords translated: `nullable` admits `null`, a `oneOf` with
/// a `discriminator` needs one matching alternative (the tag chooses), `format: int32` and
/// `int64` bound the value, `#/components/schemas/X` refers to `#/definitions/X`. Formats are
/// checked (`uuid` too).
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
    /// not, `Err` when the schema cannot be compiled. A `patch` value is a merge patch of the
    /// schema's objects (RFC 7396): none of their properties is required, any may be `null`.
    pub fn check(
        &mut self,
        pointer: &str,
        patch: bool,
        value: &Value,
    ) -> Result<Option<String>, String> {
        let key = format!("{patch} {pointer}");
        if !self.compiled.contains_key(&key) {
            let compiled = self.compile(pointer, patch);
            self.compiled.insert(key.clone(), compiled);
        }
        let validator = match &self.compiled[&key] {
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

    fn compile(&self, pointer: &str, patch: bool) -> Result<jsonschema::Validator, String> {
        let schema = pointer
            .strip_prefix('#')
            .and_then(|p| self.document.pointer(p))
            .ok_or_else(|| format!("no schema at {pointer}"))?;
        let mut translated = translate(schema);
        if patch {
            translated = self.loosen(&translated, 0);
        }
        let mut root = match translated {
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
        root.insert(String::from("definitions"), self.defs.clone());
        root.insert(
            String::from("$schema"),
            Value::from("http://json-schema.org/draft-04/schema#"),
        );
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .with_format("uuid", is_uuid)
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

impl Validator<'_> {
    /// The translated `schema` as a merge patch: no property required, each one `null` or a
    /// value, through references and `allOf` parts.
    fn loosen(&self, schema: &Value, depth: usize) -> Value {
        let Some(object) = schema.as_object() else {
            return schema.clone();
        };
        if depth > 16 {
            return schema.clone();
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = reference
                .strip_prefix("#/definitions/")
                .and_then(|name| self.defs.get(name));
            return match target {
                Some(target) => self.loosen(target, depth + 1),
                None => schema.clone(),
            };
        }
        let mut out = object.clone();
        out.remove("required");
        if let Some(Value::Object(properties)) = out.get_mut("properties") {
            for property in properties.values_mut() {
                *property = serde_json::json!({ "anyOf": [property.clone(), { "type": "null" }] });
            }
        }
        if let Some(Value::Array(parts)) = out.get_mut("allOf") {
            for part in parts.iter_mut() {
                *part = self.loosen(part, depth + 1);
            }
        }
        Value::Object(out)
    }
}

/// One OpenAPI 3.0 schema as JSON Schema draft 4 (see [`Validator`]).
pub fn translate(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let reference = match reference.strip_prefix("#/components/schemas/") {
            Some(name) => format!("#/definitions/{name}"),
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
            _ => value.clone(),
        };
        out.insert(key.clone(), translated);
    }
    // A bound as a number (JSON Schema 2019 and later, OpenAPI 3.1) in draft 4's spelling.
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(number @ Value::Number(_)) = object.get(flag) {
            out.insert(bound.to_owned(), number.clone());
            out.insert(flag.to_owned(), Value::Bool(true));
        }
    }
    let mut schema = Value::Object(out);
    // Integer formats bound the value (JSON Schema leaves them unchecked).
    let bounds = match object.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        Some("int64") => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    if let Some((min, max)) = bounds {
        schema = serde_json::json!({ "allOf": [schema, { "minimum": min, "maximum": max }] });
    }
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
                        "born": { "type": "string", "format": "date-time" },
                        "legs": { "type": "integer", "format": "int32" },
                        "id": { "type": "string", "format": "uuid" },
                        "day": { "type": "string", "format": "date" }
                    }
                },
                "Pets": { "type": "array", "items": { "$ref": "#/components/schemas/Pet", "description": "ignored" } }
            }}
        });
        let mut validator = Validator::new(&document);
        let mut valid = |pet: Value| {
            validator
                .check("#/components/schemas/Pets", false, &json!([pet]))
                .expect("compiles")
                .is_none()
        };
        assert!(valid(
            json!({"name": "a", "tag": null, "age": 1, "legs": 4})
        ));
        assert!(!valid(json!({"tag": "x"})), "name is required");
        assert!(
            !valid(json!({"name": "a", "age": 0})),
            "the minimum is exclusive"
        );
        assert!(
            !valid(json!({"name": "a", "age": 1.0})),
            "an integer has no fraction"
        );
        assert!(!valid(json!({"name": "a", "born": "yesterday"})));
        assert!(!valid(json!({"name": "a", "legs": 3_000_000_000_u64})));
        assert!(!valid(json!({"name": "a", "id": "x"})));
        assert!(!valid(json!({"name": "a", "day": "2020-02-30"})));
        assert!(valid(
            json!({"name": "a", "id": "6f9619ff-8b86-d011-b42d-00c04fc964ff", "day": "2020-02-29", "born": "2020-02-29T10:00:00+02:00"})
        ));
    }
}
