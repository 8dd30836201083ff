//! A struct's definition written as text where its layout is certain: its doc comment, derives
//! and fields, each field a doc comment and a line.
//!
//! Why: after the `objects` impls and the method bodies, struct definitions are the largest
//! share of what is left to format. Only structs whose fields carry no serde attributes are
//! written (those that decode through `objects::Fields`, most of them); a field type that does
//! not fit on its line leaves the whole definition to the formatter.

use super::docs::{doc_lines, paragraphs};
use super::rust_type::{Scope, rust_type_text};
use super::text::Lines;
use crate::model::{Api, Field, Struct, TypeDef};

/// The definition of the struct `def` with fields `body`, which derives `Default` when
/// `default`: what `models::struct_def` formats for a struct without field attributes.
pub(super) fn struct_text(
    api: &Api,
    def: &TypeDef,
    body: &Struct,
    default: bool,
) -> Option<String> {
    let mut lines = Lines::with_capacity(256 + 160 * body.fields.len());
    lines.doc(0, &doc_lines(&paragraphs([def.doc.as_deref()])));
    if def.deprecated {
        lines.line(0, format_args!("#[deprecated]"));
    }
    let default = if default { "Default, " } else { "" };
    lines.line(
        0,
        format_args!("#[derive(Debug, Clone, {default}PartialEq)]"),
    );
    let name = &def.name;
    lines.line(0, format_args!("pub struct {name} {{"));
    for field in &body.fields {
        lines.doc(4, &doc_lines(&field_doc(field)));
        let ty = field_type_text(api, field, body.patch);
        let name = &field.name;
        lines.line(4, format_args!("pub {name}: {ty},"));
    }
    lines.line(0, format_args!("}}"));
    lines.finish()
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
