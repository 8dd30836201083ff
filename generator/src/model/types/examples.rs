//! A schema's `example` checked against the schema, as far as the generated types decide:
//! `type` and `nullable`, `format` where it picks a Rust type (`date-time`, `date`, `uuid`),
//! `enum`, `required`, `properties`, `additionalProperties`, `items`, `allOf`, `oneOf` and
//! `anyOf`, and `$ref`s to component schemas. A mismatch means the document's documentation
//! and its types disagree, and that an answer shaped like the example would not decode.
//! Keywords that constrain values without changing their type (`minimum`, `pattern`, ...) are
//! not checked here: the `examples` command validates examples in full.

use std::borrow::Borrow;

use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::model::pointers;

/// How many `$ref`s one check follows: enough for any real nesting, and an end to cycles.
const MAX_REFERENCES: usize = 64;

/// Why `value` does not match `schema`, with where in the value; `None` when it matches (or
/// when the check cannot tell).
pub(crate) fn mismatch(api: &OpenAPI, schema: &Schema, value: &Value) -> Option<String> {
    let mut check = Check { api, references: 0 };
    check.schema(schema, value, "").err()
}

struct Check<'a> {
    api: &'a OpenAPI,
    references: usize,
}

type Outcome = Result<(), String>;

impl<'a> Check<'a> {
    fn reference<T: Borrow<Schema> + 'a>(
        &mut self,
        schema: &'a ReferenceOr<T>,
        value: &Value,
        at: &str,
    ) -> Outcome {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema.borrow(), value, at),
            ReferenceOr::Reference { reference } => self.follow(reference, value, at),
        }
    }

    fn follow(&mut self, reference: &'a str, value: &Value, at: &str) -> Outcome {
        self.references += 1;
        if self.references > MAX_REFERENCES {
            return Ok(());
        }
        match pointers::schema_at(self.api, reference) {
            Some(pointers::Target::Schema(schema)) => self.schema(schema, value, at),
            Some(pointers::Target::Reference(next)) => self.follow(next, value, at),
            // A reference to nothing, which the model reports on its own.
            None => Ok(()),
        }
    }

    fn schema(&mut self, schema: &'a Schema, value: &Value, at: &str) -> Outcome {
        if value.is_null() {
            return if schema.schema_data.nullable
                || matches!(schema.schema_kind, SchemaKind::Any(_))
            {
                Ok(())
            } else {
                Err(wrong(at, value, "a value (the schema is not `nullable`)"))
            };
        }
        match &schema.schema_kind {
            SchemaKind::Type(ty) => self.typed(ty, value, at),
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .try_for_each(|part| self.reference(part, value, at)),
            SchemaKind::OneOf { one_of: choices } | SchemaKind::AnyOf { any_of: choices } => {
                let mut first = None;
                for choice in choices {
                    match self.reference(choice, value, at) {
                        Ok(()) => return Ok(()),
                        Err(why) => {
                            first.get_or_insert(why);
                        }
                    }
                }
                match first {
                    Some(why) => Err(format!(
                        "{} matches none of the alternatives (the first: {why})",
                        subject(at)
                    )),
                    None => Ok(()),
                }
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => Ok(()),
        }
    }

    fn typed(&mut self, ty: &'a Type, value: &Value, at: &str) -> Outcome {
        match ty {
            Type::String(string) => {
                let Some(text) = value.as_str() else {
                    return Err(wrong(at, value, "a string"));
                };
                if !string.enumeration.is_empty()
                    && !string
                        .enumeration
                        .iter()
                        .flatten()
                        .any(|listed| listed == text)
                {
                    return Err(wrong(at, value, "one of the `enum` values"));
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
                        if !is_date_time(text) =>
                    {
                        Err(wrong(at, value, "an RFC 3339 date-time"))
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) if !is_date(text) => {
                        Err(wrong(at, value, "an RFC 3339 full-date (YYYY-MM-DD)"))
                    }
                    VariantOrUnknownOrEmpty::Unknown(format)
                        if format == "uuid" && !is_uuid(text) =>
                    {
                        Err(wrong(at, value, "a UUID"))
                    }
                    _ => Ok(()),
                }
            }
            Type::Number(_) if value.is_number() => Ok(()),
            Type::Number(_) => Err(wrong(at, value, "a number")),
            Type::Integer(_) if value.is_i64() || value.is_u64() => Ok(()),
            // A number beyond 64 bits, read as a float and reported where it was read.
            Type::Integer(_) if value.as_f64().is_some_and(|n| n.abs() >= 9.2e18) => Ok(()),
            Type::Integer(_) => Err(wrong(at, value, "an integer")),
            Type::Boolean(_) if value.is_boolean() => Ok(()),
            Type::Boolean(_) => Err(wrong(at, value, "`true` or `false`")),
            Type::Array(array) => {
                let Some(items) = value.as_array() else {
                    return Err(wrong(at, value, "an array"));
                };
                let Some(schema) = &array.items else {
                    return Ok(());
                };
                items.iter().enumerate().try_for_each(|(index, item)| {
                    self.reference(schema, item, &format!("{at}/{index}"))
                })
            }
            Type::Object(object) => {
                let Some(members) = value.as_object() else {
                    return Err(wrong(at, value, "an object"));
                };
                if let Some(missing) = object.required.iter().find(|name| {
                    object.properties.contains_key(*name) && !members.contains_key(*name)
                }) {
                    return Err(format!(
                        "{} lacks the required member `{missing}`",
                        subject(at)
                    ));
                }
                for (name, member) in members {
                    let at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                    match (object.properties.get(name), &object.additional_properties) {
                        (Some(schema), _) => self.reference(schema, member, &at)?,
                        (None, Some(AdditionalProperties::Schema(schema))) => {
                            self.reference(schema, member, &at)?;
                        }
                        // Undeclared members are kept, whatever `additionalProperties` says.
                        (None, _) => {}
                    }
                }
                Ok(())
            }
        }
    }
}

/// `value` at `at` is not `expected`.
fn wrong(at: &str, value: &Value, expected: &str) -> String {
    let mut shown = value.to_string();
    if shown.len() > 60 {
        let end = (0..=57)
            .rev()
            .find(|&i| shown.is_char_boundary(i))
            .unwrap_or(0);
        shown.truncate(end);
        shown.push_str("...");
    }
    format!("{} is `{shown}`, not {expected}", subject(at))
}

/// What is at `at` in the example: `it`, the example itself, or a JSON pointer into it.
fn subject(at: &str) -> String {
    if at.is_empty() {
        String::from("it")
    } else {
        format!("`{at}`")
    }
}

fn digits(text: &[u8]) -> bool {
    !text.is_empty() && text.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DD`, as `chrono` reads `format: date`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && digits(&b[..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..])
}

/// RFC 3339 (`2024-05-01T10:00:00.5+02:00`, `...Z`), as `chrono` reads `format: date-time`.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || !is_date(&text[..10]) || !matches!(b[10], b'T' | b't' | b' ') {
        return false;
    }
    let time = &b[11..];
    if !(digits(&time[..2])
        && time[2] == b':'
        && digits(&time[3..5])
        && time[5] == b':'
        && digits(&time[6..8]))
    {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    }
}

/// A UUID in any form the `uuid` crate reads: hyphenated, simple, braced or as a URN.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let b = text.as_bytes();
    let hex = |part: &[u8]| part.iter().all(u8::is_ascii_hexdigit);
    match b.len() {
        32 => hex(b),
        36 => {
            [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
                && hex(&b[..8])
                && hex(&b[9..13])
                && hex(&b[14..18])
                && hex(&b[19..23])
                && hex(&b[24..])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn api() -> OpenAPI {
        serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Owner:
      type: object
      required: [login]
      properties:
        login: {type: string}
        id: {type: integer}
        since: {type: string, format: date-time}
        key: {type: string, format: uuid}
        state: {type: string, enum: [open, closed]}
        tags: {type: array, items: {type: string}}
        manager: {$ref: '#/components/schemas/Owner'}
        note: {type: string, nullable: true}
        either: {oneOf: [{type: integer}, {type: boolean}]}
"#,
        )
        .unwrap()
    }

    fn check(value: Value) -> Option<String> {
        let api = api();
        let ReferenceOr::Item(owner) = &api.components.as_ref().unwrap().schemas["Owner"] else {
            unreachable!()
        };
        mismatch(&api, owner, &value)
    }

    #[test]
    fn examples_that_the_types_decode_match() {
        assert_eq!(
            check(json!({
                "login": "octo", "id": 7, "since": "2024-05-01T10:00:00.123+02:00",
                "key": "67e55044-10b1-426f-9247-bb680e5fe0c8", "state": "open", "tags": ["a"],
                "manager": {"login": "boss"}, "note": null, "either": true, "extra": [1]
            })),
            None
        );
    }

    #[test]
    fn each_mismatch_names_where_it_is() {
        for (value, expected) in [
            (json!("octo"), "it is `\"octo\"`, not an object"),
            (json!({"id": 7}), "it lacks the required member `login`"),
            (
                json!({"login": "a", "id": "7"}),
                "`/id` is `\"7\"`, not an integer",
            ),
            (
                json!({"login": "a", "since": "2024-05-01"}),
                "`/since` is `\"2024-05-01\"`, not an RFC 3339 date-time",
            ),
            (
                json!({"login": "a", "key": "nope"}),
                "`/key` is `\"nope\"`, not a UUID",
            ),
            (
                json!({"login": "a", "state": "ajar"}),
                "`/state` is `\"ajar\"`, not one of the `enum` values",
            ),
            (
                json!({"login": "a", "tags": ["a", 2]}),
                "`/tags/1` is `2`, not a string",
            ),
            (
                json!({"login": "a", "manager": {"login": 1}}),
                "`/manager/login` is `1`, not a string",
            ),
            (
                json!({"login": null}),
                "`/login` is `null`, not a value (the schema is not `nullable`)",
            ),
            (
                json!({"login": "a", "either": "x"}),
                "`/either` matches none of the alternatives (the first: `/either` is `\"x\"`, not an integer)",
            ),
        ] {
            assert_eq!(check(value.clone()).as_deref(), Some(expected), "{value}");
        }
    }

    #[test]
    fn a_schema_that_refers_to_itself_ends() {
        let api: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {allOf: [{$ref: '#/components/schemas/B'}]}\n",
        )
        .unwrap();
        let ReferenceOr::Item(b) = &api.components.as_ref().unwrap().schemas["B"] else {
            unreachable!()
        };
        assert_eq!(mismatch(&api, b, &json!(1)), None);
    }

    #[test]
    fn date_time_and_date_shapes() {
        assert!(is_date_time("2024-05-01T10:00:00Z"));
        assert!(is_date_time("2024-05-01 10:00:00.5-07:00"));
        assert!(!is_date_time("2024-05-01T10:00:00"));
        assert!(!is_date_time("2024-05-01T10:00Z"));
        assert!(!is_date_time("2024-05-01T10:00:00.+02:00"));
        assert!(is_date("2024-05-01"));
        assert!(!is_date("2024-5-01"));
        assert!(is_uuid("{67e55044-10b1-426f-9247-bb680e5fe0c8}"));
        assert!(is_uuid("67e5504410b1426f9247bb680e5fe0c8"));
    }
}
