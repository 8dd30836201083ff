//! Type definitions written as text where their layout is certain: a struct's doc comment,
//! derives and fields, each field a doc comment and a line; a string enum with its impls.
//!
//! Why: after the `objects` impls and the method bodies, type definitions are the largest
//! share of what is left to format. Structs that encode through `objects::Members` are
//! written (their fields carry no serde attribute, or the few `Deserialize` reads); a line that
//! does not fit the margin leaves the whole definition to the formatter.

use super::docs::{doc_lines, paragraphs};
use super::rust_type::{Scope, rust_type_text};
use super::text::{Lines, literal};
use crate::model::{Api, DefaultValue, Field, StringEnum, Struct, TypeDef, TypeKind, Variant};

/// The definition of the struct `def` with fields `body`, which derives `Default` when
/// `default`, and `Deserialize` with the field attributes it reads when `derive_deserialize`:
/// what `models::struct_def` formats for a struct whose `Serialize` is `objects::Members`.
pub(super) fn struct_text(
    api: &Api,
    def: &TypeDef,
    body: &Struct,
    default: bool,
    derive_deserialize: bool,
) -> Option<String> {
    let mut lines = Lines::with_capacity(256 + 160 * body.fields.len());
    type_doc(&mut lines, def);
    let default = if default { "Default, " } else { "" };
    let deserialize = if derive_deserialize {
        ", ::serde::Deserialize"
    } else {
        ""
    };
    lines.line(
        0,
        format_args!("#[derive(Debug, Clone, {default}PartialEq{deserialize})]"),
    );
    let name = &def.name;
    lines.line(0, format_args!("pub struct {name} {{"));
    for field in &body.fields {
        lines.doc(4, &doc_lines(&field_doc(field)));
        if derive_deserialize {
            if let Some(attribute) = deserialize_attribute(name, field) {
                lines.line(4, format_args!("{attribute}"));
            }
        }
        let ty = field_type_text(api, field, body.patch);
        field_line(&mut lines, &field.name, &ty);
    }
    lines.line(0, format_args!("}}"));
    lines.finish()
}

/// A type's doc comment and `#[deprecated]`, as `models::type_def` emits them.
fn type_doc(lines: &mut Lines, def: &TypeDef) {
    lines.doc(0, &doc_lines(&paragraphs([def.doc.as_deref()])));
    if def.deprecated {
        lines.line(0, format_args!("#[deprecated]"));
    }
}

/// `pub name: Type,` on one line if it fits, else with the type's generic arguments broken
/// (see [`Lines::type_line`]).
pub(super) fn field_line(lines: &mut Lines, name: &str, ty: &str) {
    lines.type_line(4, &format!("pub {name}: "), ty, ",", true);
}

/// The attribute `Deserialize` reads on a field of the struct `owner`: its wire name, and
/// how it defaults when absent (what `models::field` gives for such a struct).
fn deserialize_attribute(owner: &str, field: &Field) -> Option<String> {
    let rename = if field.name == field.wire {
        String::new()
    } else {
        format!("rename = {}, ", literal(&field.wire))
    };
    if field.optional() {
        Some(format!("#[serde({rename}default)]"))
    } else if field.has_default() {
        let path = literal(&format!("{owner}::default_{}", field.name));
        Some(format!("#[serde({rename}default = {path})]"))
    } else if rename.is_empty() {
        None
    } else {
        Some(format!("#[serde(rename = {})]", literal(&field.wire)))
    }
}

/// A field's doc comment: its description, then notes on how it travels.
pub(super) fn field_doc(field: &Field) -> String {
    let notes = [
        field.read_only.then_some("Read-only: set by the server."),
        field
            .write_only
            .then_some("Write-only: sent by the client, never returned."),
        field.deprecated.then_some("**Deprecated.**"),
    ];
    paragraphs(std::iter::once(field.doc.as_deref()).chain(notes))
}

/// `models::field_type` as `prettyplease` prints it.
fn field_type_text(api: &Api, field: &Field, patch: bool) -> String {
    let mut ty = rust_type_text(api, &field.ty, Scope::Models);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    if patch {
        format!("crate::runtime::Patch<{ty}>")
    } else if field.optional() {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// The string enum `def` with its `as_str`, `From<String>` and serde impls: what
/// `models::enum_def` formats.
pub(super) fn enum_text(def: &TypeDef, string_enum: &StringEnum) -> Option<String> {
    let mut lines = Lines::with_capacity(512 + 192 * string_enum.variants.len());
    let name = &def.name;
    let fallback = &string_enum.fallback;
    type_doc(&mut lines, def);
    lines.line(
        0,
        format_args!("#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]"),
    );
    lines.line(0, format_args!("pub enum {name} {{"));
    for variant in &string_enum.variants {
        lines.doc(4, &doc_lines(&variant_doc(variant)));
        lines.line(4, format_args!("{},", variant.name));
    }
    lines.fixed(
        4,
        &[
            "/// A value the API description does not list, kept as received so that it",
            "/// serializes back unchanged.",
        ],
    );
    lines.line(4, format_args!("{fallback}(String),"));
    lines.line(0, format_args!("}}"));
    lines.line(0, format_args!("impl {name} {{"));
    lines.fixed(
        4,
        &[
            "/// The value as written on the wire.",
            "pub fn as_str(&self) -> &str {",
            "    match self {",
        ],
    );
    for variant in &string_enum.variants {
        let wire = literal(&variant.wire);
        lines.last_line(12, format_args!("Self::{} => {wire}", variant.name));
    }
    lines.line(12, format_args!("Self::{fallback}(value) => value,"));
    lines.fixed(0, &["        }", "    }", "}"]);
    lines.line(0, format_args!("impl From<String> for {name} {{"));
    lines.fixed(
        4,
        &[
            "fn from(value: String) -> Self {",
            "    match value.as_str() {",
        ],
    );
    for variant in &string_enum.variants {
        let wire = literal(&variant.wire);
        lines.last_line(12, format_args!("{wire} => Self::{}", variant.name));
    }
    lines.line(12, format_args!("_ => Self::{fallback}(value),"));
    lines.fixed(0, &["        }", "    }", "}"]);
    lines.macro_call("string_enum", &format!("{name}, {fallback}"));
    lines.finish()
}

/// A variant's doc comment: its wire value, then its description.
pub(super) fn variant_doc(variant: &Variant) -> String {
    match &variant.doc {
        Some(text) => format!("`{}`: {text}", variant.wire),
        None => format!("`{}`", variant.wire),
    }
}

/// The functions that give the defaults of `defaults` (fields of `body` with a default) and,
/// when `defaultable`, `impl Default`: what `models::struct_def` formats, when every default
/// is a string or an enum variant and the struct keeps no extra properties.
pub(super) fn defaults_text(
    api: &Api,
    def: &TypeDef,
    body: &Struct,
    defaults: &[&Field],
    defaultable: bool,
) -> Option<String> {
    if body.additional.is_some() {
        return None;
    }
    let mut lines = Lines::with_capacity(256 + 96 * body.fields.len());
    let name = &def.name;
    lines.line(0, format_args!("impl {name} {{"));
    for field in defaults {
        let value = match (&field.default, field.boxed) {
            (Some(DefaultValue::String(text)), false) => {
                format!("String::from({})", literal(text))
            }
            (Some(DefaultValue::Variant(id, index)), false) => {
                let def = api.type_def(*id);
                let TypeKind::StringEnum(string_enum) = &def.kind else {
                    return None;
                };
                format!("{}::{}", def.name, string_enum.variants[*index].name)
            }
            _ => return None,
        };
        let ty = field_type_text(api, field, false);
        lines.line(4, format_args!("fn default_{}() -> {ty} {{", field.name));
        lines.line(8, format_args!("{value}"));
        lines.line(4, format_args!("}}"));
    }
    lines.line(0, format_args!("}}"));
    if defaultable {
        lines.line(0, format_args!("impl Default for {name} {{"));
        lines.line(4, format_args!("fn default() -> Self {{"));
        lines.line(8, format_args!("Self {{"));
        for field in &body.fields {
            let field_name = &field.name;
            if field.has_default() {
                lines.line(
                    12,
                    format_args!("{field_name}: Self::default_{field_name}(),"),
                );
            } else {
                lines.line(12, format_args!("{field_name}: None,"));
            }
        }
        lines.fixed(0, &["        }", "    }", "}"]);
    }
    lines.finish()
}
