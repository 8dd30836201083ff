//! The public API of the generated modules, item by item: each type, field, variant, method
//! and argument a caller can name, with the Rust signature code that uses it depends on and the
//! JSON pointer of what declares it in the document.
//!
//! It is rendered with the same functions that render the modules, so it says what the code
//! says, and written beside them as [`FILE`], one JSON object per line in a stable order: the
//! state a regeneration is compared with (see `changes`), and a list a reviewer can read in a
//! diff. The serving side (`server.rs`) is not in it: it is for implementing the API, not for
//! calling it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::arguments::client_arguments;
use super::client::{option_type, response_type};
use super::models::{catch_all_type, field_type};
use super::rust_type::{Scope, readable_type, rust_type};
use crate::error::join_pointer;
use crate::model::{Api, Operation, Success, TypeId, TypeKind, TypeRef};
use crate::names;
use crate::plan::{Argument, OperationPlan, StructPlan};

/// The file the surface is written to, beside the modules.
pub const FILE: &str = "api.jsonl";

/// What kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A struct, enum or type alias.
    Type,
    /// A public field of a struct.
    Field,
    /// A variant of an enum.
    Variant,
    /// A method of the client.
    Method,
    /// An argument of a client method.
    Argument,
}

impl ItemKind {
    /// The word a report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::Variant => "variant",
            ItemKind::Method => "method",
            ItemKind::Argument => "argument",
        }
    }
}

/// One item of the public API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// What kind of item.
    pub kind: ItemKind,
    /// Its path in the crate: `models::Connector::machine_name`, `client::Client::get_connector`,
    /// `client::Client::get_connector(connector_id)` for an argument.
    pub path: String,
    /// What using it depends on: the type of a field, argument, variant or alias
    /// (`= models::Other`), a method's result, or a type's kind (`struct`, `enum`).
    #[serde(rename = "type")]
    pub signature: String,
    /// Its name or value on the wire; a method's request line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<String>,
    /// Where the document declares it.
    pub pointer: String,
    /// An argument's position (1 is the first after `&self`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// A field the document requires.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// A struct that implements `Default`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// An enum with a variant that keeps the values (or tags) it does not list.
    #[serde(default, skip_serializing_if = "is_false")]
    pub open: bool,
    /// A type that requests carry (a body, a parameter, or part of one).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sent: bool,
    /// `#[deprecated]`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// A digest of the document's description of it (FNV-1a, 64 bits), to tell documentation
    /// changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Item {
    fn new(kind: ItemKind, path: String, signature: String, pointer: &str) -> Self {
        Item {
            kind,
            path,
            signature,
            wire: None,
            pointer: pointer.to_owned(),
            position: None,
            required: false,
            default: false,
            open: false,
            sent: false,
            deprecated: false,
            doc: None,
        }
    }

    fn wire(mut self, wire: impl Into<String>) -> Self {
        self.wire = Some(wire.into());
        self
    }

    fn doc(mut self, doc: Option<&str>) -> Self {
        self.doc = doc.map(digest);
        self
    }

    fn deprecated(mut self, deprecated: bool) -> Self {
        self.deprecated = deprecated;
        self
    }

    /// The path of the item it belongs to: a field's or variant's type, an argument's method.
    pub fn parent(&self) -> Option<&str> {
        match self.kind {
            ItemKind::Type | ItemKind::Method => None,
            ItemKind::Field | ItemKind::Variant => {
                self.path.rsplit_once("::").map(|(head, _)| head)
            }
            ItemKind::Argument => self.path.split_once('(').map(|(head, _)| head),
        }
    }
}

/// The public API of the modules generated from `api`, sorted by path and kind.
pub fn surface(api: &Api, plans: &[OperationPlan<'_>]) -> Vec<Item> {
    let sent = sent_types(api);
    let mut items = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        let path = format!("models::{}", def.name);
        let ty = |kind: &str| {
            Item::new(ItemKind::Type, path.clone(), kind.to_owned(), &def.pointer)
                .doc(def.doc.as_deref())
                .deprecated(def.deprecated)
        };
        match &def.kind {
            TypeKind::Alias(target) => {
                let target = readable_type(&rust_type(api, target, Scope::Crate));
                items.push(ty(&format!("= {target}")));
            }
            TypeKind::Struct(body) => {
                let mut item = ty("struct");
                item.default = StructPlan::of(body).defaultable;
                item.sent = sent.contains(&TypeId(index));
                items.push(item);
                for field in &body.fields {
                    let mut item = Item::new(
                        ItemKind::Field,
                        format!("{path}::{}", field.name),
                        readable_type(&field_type(api, field, body.patch, Scope::Crate)),
                        &field.pointer,
                    )
                    .wire(&field.wire)
                    .doc(field.doc.as_deref())
                    .deprecated(field.deprecated);
                    item.required = field.required;
                    items.push(item);
                }
                if let Some(value) = &body.additional {
                    items.push(Item::new(
                        ItemKind::Field,
                        format!("{path}::{}", names::ADDITIONAL_FIELD),
                        readable_type(&catch_all_type(api, value, Scope::Crate)),
                        &join_pointer(&def.pointer, "additionalProperties"),
                    ));
                }
            }
            TypeKind::StringEnum(string_enum) => {
                let mut item = ty("enum");
                item.open = true;
                items.push(item);
                for (position, variant) in string_enum.variants.iter().enumerate() {
                    items.push(
                        Item::new(
                            ItemKind::Variant,
                            format!("{path}::{}", variant.name),
                            String::new(),
                            &join_pointer(
                                &join_pointer(&def.pointer, "enum"),
                                &position.to_string(),
                            ),
                        )
                        .wire(&variant.wire)
                        .doc(variant.doc.as_deref()),
                    );
                }
                items.push(Item::new(
                    ItemKind::Variant,
                    format!("{path}::{}", string_enum.fallback),
                    String::from("String"),
                    &def.pointer,
                ));
            }
            TypeKind::OneOf(one_of) => {
                let mut item = ty("enum");
                item.open = one_of.tag.is_some();
                items.push(item);
                for variant in &one_of.variants {
                    let mut item = Item::new(
                        ItemKind::Variant,
                        format!("{path}::{}", variant.name),
                        readable_type(&rust_type(api, &variant.ty, Scope::Crate)),
                        &variant_pointer(api, &variant.ty, &def.pointer),
                    );
                    if !variant.tags.is_empty() {
                        item.wire = Some(variant.tags.join(" or "));
                    }
                    items.push(item);
                }
                if one_of.tag.is_some() {
                    items.push(Item::new(
                        ItemKind::Variant,
                        format!("{path}::{}", one_of.fallback),
                        String::from("::serde_json::Value"),
                        &def.pointer,
                    ));
                }
            }
        }
    }
    for plan in plans {
        operation_items(api, plan, &mut items);
    }
    items.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    items
}

/// The items of one operation: its methods, their arguments, its options struct and its
/// response enum.
fn operation_items(api: &Api, plan: &OperationPlan<'_>, items: &mut Vec<Item>) {
    let op = plan.op;
    let pointer = operation_pointer(op);
    let method = format!("client::Client::{}", op.name);
    let request_line = format!("{} {}", op.method.as_str(), op.path);
    let doc = [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    let method_item = |path: String, result: String| {
        Item::new(ItemKind::Method, path, result, &pointer)
            .wire(&request_line)
            .doc((!doc.is_empty()).then_some(doc.as_str()))
            .deprecated(op.deprecated)
    };
    items.push(method_item(
        method.clone(),
        readable_type(&response_type(api, op)),
    ));
    if let Some(paging) = &op.paging {
        let page = readable_type(&rust_type(api, &paging.page, Scope::Crate));
        let item = readable_type(&rust_type(api, &paging.item, Scope::Crate));
        // The streams' docs are the method's: a new description is reported once.
        for (name, result) in [
            (&paging.pages_method, format!("Paged<{page}>")),
            (&paging.items_method, format!("Paged<{item}>")),
        ] {
            let mut stream = method_item(format!("client::Client::{name}"), result);
            stream.doc = None;
            items.push(stream);
        }
    }
    let typed = client_arguments(api, &plan.arguments);
    for (position, (argument, tokens)) in plan.arguments.iter().zip(typed).enumerate() {
        let signature = readable_type(&tokens);
        let signature = signature
            .split_once(':')
            .map_or(signature.as_str(), |(_, ty)| ty)
            .to_owned();
        let (wire, at, doc) = match argument {
            Argument::Required(param) => (
                Some(param.wire.clone()),
                param.pointer.clone(),
                param.doc.as_deref(),
            ),
            Argument::Options(_) => (None, pointer.clone(), None),
            Argument::Body(body) => (
                None,
                join_pointer(&pointer, "requestBody"),
                body.doc.as_deref(),
            ),
        };
        let mut item = Item::new(
            ItemKind::Argument,
            format!("{method}({})", argument.name()),
            signature,
            &at,
        )
        .doc(doc);
        item.wire = wire;
        item.position = Some(position + 1);
        items.push(item);
    }
    if let Some(options) = &op.options {
        let path = format!("client::{options}");
        let mut item = Item::new(
            ItemKind::Type,
            path.clone(),
            String::from("struct"),
            &pointer,
        );
        item.default = true;
        item.sent = true;
        items.push(item);
        for param in op.params.iter().filter(|p| !p.required) {
            items.push(
                Item::new(
                    ItemKind::Field,
                    format!("{path}::{}", param.name),
                    readable_type(&option_type(api, param)),
                    &param.pointer,
                )
                .wire(&param.wire)
                .doc(param.doc.as_deref())
                .deprecated(param.deprecated),
            );
        }
    }
    if let Success::Multiple { name, statuses } = &op.success {
        let path = format!("client::{name}");
        items.push(Item::new(
            ItemKind::Type,
            path.clone(),
            String::from("enum"),
            &join_pointer(&pointer, "responses"),
        ));
        for status in statuses {
            let payload = match &status.body {
                Success::Empty => String::new(),
                Success::Json(ty) | Success::Text(ty) => {
                    readable_type(&rust_type(api, ty, Scope::Crate))
                }
                _ => String::from("Vec<u8>"),
            };
            items.push(
                Item::new(
                    ItemKind::Variant,
                    format!("{path}::{}", status.variant),
                    payload,
                    &join_pointer(&join_pointer(&pointer, "responses"), &status.status),
                )
                .wire(&status.status),
            );
        }
    }
}

/// `#/paths/{path}/{method}`.
fn operation_pointer(op: &Operation) -> String {
    join_pointer(
        &join_pointer("#/paths", &op.path),
        &op.method.as_str().to_ascii_lowercase(),
    )
}

/// Where a union's alternative is declared: its named type's schema, or the union's own.
fn variant_pointer(api: &Api, ty: &TypeRef, union: &str) -> String {
    match ty {
        TypeRef::Named(id) => api.type_def(*id).pointer.clone(),
        _ => union.to_owned(),
    }
}

/// The types that requests carry: those of bodies and parameters, and every type they
/// contain.
fn sent_types(api: &Api) -> BTreeSet<TypeId> {
    let mut pending: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        pending.extend(op.body.as_ref().map(|body| &body.ty));
        pending.extend(op.params.iter().map(|param| &param.ty));
    }
    let mut sent = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(id) => {
                if !sent.insert(*id) {
                    continue;
                }
                match &api.type_def(*id).kind {
                    TypeKind::Alias(target) => pending.push(target),
                    TypeKind::Struct(body) => {
                        pending.extend(body.fields.iter().map(|field| &field.ty));
                        pending.extend(body.additional.as_ref());
                    }
                    TypeKind::OneOf(one_of) => {
                        pending.extend(one_of.variants.iter().map(|variant| &variant.ty));
                    }
                    TypeKind::StringEnum(_) => {}
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
                pending.push(inner);
            }
            _ => {}
        }
    }
    sent
}

/// A stable digest of `text`: FNV-1a over its bytes, as 16 hexadecimal digits.
fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.trim().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The surface as the text of [`FILE`]: one JSON object per line, in ASCII. Names and
/// paths come from the document, and a file reviewers read must not carry its bidirectional,
/// invisible or control characters: every other character is written as a JSON `\u` escape.
pub fn to_text(items: &[Item]) -> String {
    let mut text = String::new();
    for item in items {
        // An item is strings, numbers and booleans: serializing cannot fail.
        let Ok(line) = serde_json::to_string(item) else {
            continue;
        };
        // Outside strings JSON is ASCII, so every other character is inside one.
        for c in line.chars() {
            if c.is_ascii() && !c.is_ascii_control() {
                text.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    text.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        text.push('\n');
    }
    text
}

/// Reads [`FILE`]'s text back; `None` when it is not a surface (edited by hand, or written by
/// a generator that wrote another format), which makes a regeneration report nothing rather
/// than everything.
pub fn from_text(text: &str) -> Option<Vec<Item>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_ascii_and_reads_back_the_same() {
        let mut item = Item::new(
            ItemKind::Field,
            String::from("models::A::b"),
            String::from("String"),
            "#/components/schemas/A/properties/b\u{202e}\u{7f}",
        );
        item.wire = Some(String::from("größe 🦀"));
        let text = to_text(std::slice::from_ref(&item));
        assert!(
            text.trim_end()
                .chars()
                .all(|c| c.is_ascii() && !c.is_ascii_control()),
            "{text}"
        );
        assert!(
            text.contains(r"\u202e") && text.contains(r"\u007f") && text.contains(r"\ud83e\udd80"),
            "{text}"
        );
        assert_eq!(from_text(&text), Some(vec![item]));
    }
}
