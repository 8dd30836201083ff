//! The `models` module: one item per named type, sorted by name.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::format::{PART_LEN, Part};
use super::objects;
use super::rust_type::{Scope, map_value, rust_type};
use crate::model::{
    Api, DefaultValue, Field, OneOf, StringEnum, Struct, TypeDef, TypeId, TypeKind, TypeRef,
    Variant,
};
use crate::names;
use crate::plan::StructPlan;

/// The parts of `models.rs`: the module's attributes, then the named types sorted by name,
/// [`PART_LEN`] to a part.
pub(super) fn parts(api: &Api) -> Vec<Part<'_>> {
    let by_name: BTreeMap<&str, &TypeDef> = api
        .types
        .iter()
        .map(|def| (def.name.as_str(), def))
        .collect();
    let defs: Vec<&TypeDef> = by_name.into_values().collect();
    let mut parts = vec![Part::items(|| {
        quote! {
            //! Types of the request and response bodies, generated from the document's schemas.
            #![allow(deprecated, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::enum_variant_names, clippy::large_enum_variant)]
        }
    })];
    parts.extend(
        defs.chunks(PART_LEN)
            .map(|run| Part::each(run.to_vec(), move |def| Some(type_def(api, def)))),
    );
    parts
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let doc = || {
        let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
        let doc = doc_attrs(&paragraphs([def.doc.as_deref()]));
        quote!(#doc #deprecated)
    };
    let name = format_ident!("{}", def.name);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, Scope::Models);
            let doc = doc();
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        TypeKind::StringEnum(string_enum) => enum_def(&name, doc(), string_enum),
        TypeKind::OneOf(one_of) => one_of_def(api, &name, doc(), one_of),
        TypeKind::Struct(body) => struct_def(api, &name, doc(), body),
    }
}

fn enum_def(name: &proc_macro2::Ident, doc: TokenStream, string_enum: &StringEnum) -> TokenStream {
    let variants = string_enum.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let doc = doc_attrs(&variant_doc(v));
        quote!(#doc #ident,)
    });
    let fallback = format_ident!("{}", string_enum.fallback);
    let as_str = string_enum.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let wire = &v.wire;
        quote!(Self::#ident => #wire,)
    });
    let from = string_enum.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#ident,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value the API description does not list, kept as received so that it
            /// serializes back unchanged.
            #fallback(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from)*
                    _ => Self::#fallback(value),
                }
            }
        }

        crate::runtime::string_enum!(#name, #fallback);
    }
}

fn struct_def(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    body: &Struct,
) -> TokenStream {
    let StructPlan {
        defaultable,
        derive_default,
        defaults,
    } = StructPlan::of(body);
    let catch_all = body
        .additional
        .as_ref()
        .map(|ty| (format_ident!("{}", names::ADDITIONAL_FIELD), ty));
    let rest = catch_all.as_ref().map(|(field, _)| field);
    let serde_impls = {
        let write = objects::members_impl(name, &body.fields, rest, body.patch);
        // As with the derive below: update bodies decode only in a server.
        let read = defaultable
            .then(|| objects::fields_impl(name, &body.fields, &body.skipped, rest, body.patch));
        quote!(#write #read)
    };
    // The default functions and `impl Default`, when the struct has defaults.
    let defaults_items =
        (!defaults.is_empty()).then(|| defaults_tokens(api, name, body, &defaults, defaultable));
    let definition = {
        let default = derive_default.then(|| quote!(Default,));
        let derives = if defaultable {
            quote!(#[derive(Debug, Clone, #default PartialEq)])
        } else {
            quote!(#[derive(Debug, Clone, #default PartialEq, ::serde::Deserialize)])
        };
        let fields = body
            .fields
            .iter()
            .map(|f| field(api, name, f, body.patch, defaultable));
        let additional = catch_all.as_ref().map(|(field, ty)| {
            let ty = catch_all_type(api, ty, Scope::Models);
            // Only serde's derive reads the attribute.
            let flatten = (!defaultable).then(|| quote!(#[serde(flatten)]));
            let doc = if body.patch {
                quote!(#[doc = " Members the schema does not declare, sent as they are."])
            } else {
                quote!(#[doc = " Members the schema does not declare, kept as received so that the value encodes back unchanged."])
            };
            quote! {
                #doc
                #flatten
                pub #field: #ty,
            }
        });
        quote! {
            #doc
            #derives
            pub struct #name {
                #(#fields)*
                #additional
            }
        }
    };
    quote! {
        #definition
        #defaults_items
        #serde_impls
    }
}

/// The functions that give the defaults of `defaults` and, when `defaultable`, `impl Default`.
fn defaults_tokens(
    api: &Api,
    name: &proc_macro2::Ident,
    body: &Struct,
    defaults: &[&Field],
    defaultable: bool,
) -> TokenStream {
    let default_fns = defaults.iter().map(|f| {
        let fn_name = format_ident!("{}", names::default_fn(&f.name));
        let ty = field_type(api, f, false, Scope::Models);
        let value = default_expr(api, f);
        quote! {
            fn #fn_name() -> #ty {
                #value
            }
        }
    });
    let default_impl = defaultable.then(|| {
        let inits = body.fields.iter().map(|f| {
            let ident = format_ident!("{}", f.name);
            if f.has_default() {
                let fn_name = format_ident!("{}", names::default_fn(&f.name));
                quote!(#ident: Self::#fn_name(),)
            } else {
                quote!(#ident: None,)
            }
        });
        let additional = body.additional.as_ref().map(|_| {
            let field = format_ident!("{}", names::ADDITIONAL_FIELD);
            quote!(#field: ::std::collections::BTreeMap::new(),)
        });
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self {
                        #(#inits)*
                        #additional
                    }
                }
            }
        }
    });
    quote! {
        impl #name {
            #(#default_fns)*
        }
        #default_impl
    }
}

/// The type of the field that keeps the members a struct does not declare, whose values are
/// `value` (see `map_value`).
pub(super) fn catch_all_type(api: &Api, value: &TypeRef, scope: Scope) -> TokenStream {
    let value = map_value(api, value, scope);
    quote!(::std::collections::BTreeMap<String, #value>)
}

/// The field's full Rust type: `Option`, `Box` and `Patch` as its flags require.
pub(super) fn field_type(api: &Api, field: &Field, patch: bool, scope: Scope) -> TokenStream {
    let mut ty = rust_type(api, &field.ty, scope);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if patch {
        quote!(crate::runtime::Patch<#ty>)
    } else if field.optional() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// A field, with the serde attributes the derived `Deserialize` needs when the struct is not
/// `defaultable` (see `StructPlan`).
fn field(
    api: &Api,
    owner: &proc_macro2::Ident,
    field: &Field,
    patch: bool,
    defaultable: bool,
) -> TokenStream {
    let ident = format_ident!("{}", field.name);
    let ty = field_type(api, field, patch, Scope::Models);
    let doc = doc_attrs(&field_doc(field));
    let rename = (field.name != field.wire).then(|| {
        let wire = &field.wire;
        quote!(rename = #wire,)
    });
    let attrs = if defaultable {
        // No derive reads attributes.
        TokenStream::new()
    } else if field.optional() {
        quote!(#[serde(#rename default)])
    } else if field.has_default() {
        // serde resolves the path inside its own visitor, where `Self` is not the struct.
        let path = format!("{owner}::{}", names::default_fn(&field.name));
        quote!(#[serde(#rename default = #path)])
    } else if let Some(rename) = rename {
        quote!(#[serde(#rename)])
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #attrs
        pub #ident: #ty,
    }
}

fn default_expr(api: &Api, field: &Field) -> TokenStream {
    let value = match &field.default {
        Some(DefaultValue::String(s)) => quote!(String::from(#s)),
        Some(DefaultValue::Bool(b)) => quote!(#b),
        Some(DefaultValue::Integer(i)) => match field.ty {
            TypeRef::I32 => {
                let value = i32::try_from(*i).unwrap_or_default();
                quote!(#value)
            }
            _ => quote!(#i),
        },
        Some(DefaultValue::Float(f)) => match field.ty {
            TypeRef::F32 => {
                // Narrowing is what the schema's `float` format asks for.
                #[allow(clippy::cast_possible_truncation)]
                let value = *f as f32;
                quote!(#value)
            }
            _ => quote!(#f),
        },
        Some(DefaultValue::Variant(id, index)) => {
            let def = api.type_def(*id);
            let ty = format_ident!("{}", def.name);
            match &def.kind {
                TypeKind::StringEnum(e) => {
                    let variant = format_ident!("{}", e.variants[*index].name);
                    quote!(#ty::#variant)
                }
                _ => quote!(Default::default()),
            }
        }
        None => quote!(Default::default()),
    };
    if field.boxed {
        quote!(Box::new(#value))
    } else {
        value
    }
}

fn one_of_def(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    one_of: &OneOf,
) -> TokenStream {
    let variants = one_of.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let ty = rust_type(api, &v.ty, Scope::Models);
        let doc = match v.tags.as_slice() {
            [] => TokenStream::new(),
            tags => doc_attrs(&format!(
                "Tagged {}.",
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
        };
        quote!(#doc #ident(#ty),)
    });
    match &one_of.tag {
        Some(tag) => tagged_def(name, doc, one_of, tag, variants.collect()),
        None => untagged_def(api, name, doc, one_of, variants.collect()),
    }
}

fn tagged_def(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    one_of: &OneOf,
    tag: &str,
    variants: Vec<TokenStream>,
) -> TokenStream {
    let fallback = format_ident!("{}", one_of.fallback);
    let fallback_doc = doc_attrs(&format!(
        "A value whose `{tag}` names a type this API description does not list (or that has none), kept whole."
    ));
    let serialize = one_of.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        if v.tags.is_empty() {
            quote!(Self::#ident(value) => ::serde::Serialize::serialize(value, serializer),)
        } else {
            let tags = &v.tags;
            quote! {
                Self::#ident(value) => crate::runtime::variants::serialize_tagged(value, #tag, &[#(#tags),*], serializer),
            }
        }
    });
    let deserialize = one_of
        .variants
        .iter()
        .filter(|v| !v.tags.is_empty())
        .map(|v| {
            let ident = format_ident!("{}", v.name);
            let tags = &v.tags;
            quote!(Some(#(#tags)|*) => crate::runtime::variants::variant(value).map(Self::#ident),)
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #fallback_doc
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::variants::tag(&value, #tag).as_deref() {
                    #(#deserialize)*
                    _ => Ok(Self::#fallback(value)),
                }
            }
        }
    }
}

fn untagged_def(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    one_of: &OneOf,
    variants: Vec<TokenStream>,
) -> TokenStream {
    let serialize = one_of.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        quote!(Self::#ident(value) => ::serde::Serialize::serialize(value, serializer),)
    });
    let param_value = one_of
        .variants
        .iter()
        .all(|v| writable_as_text(api, &v.ty, false, &mut Vec::new()))
        .then(|| {
            let arms = one_of.variants.iter().map(|v| {
                let ident = format_ident!("{}", v.name);
                if matches!(v.ty, TypeRef::Vec(_)) {
                    quote! {
                        Self::#ident(values) => ::std::borrow::Cow::Owned(
                            values.iter().map(|v| crate::runtime::ParamValue::to_param(v).into_owned()).collect::<Vec<_>>().join(","),
                        ),
                    }
                } else {
                    quote!(Self::#ident(value) => crate::runtime::ParamValue::to_param(value),)
                }
            });
            let scalar_attempts = one_of.variants.iter().filter(|v| !matches!(v.ty, TypeRef::Vec(_))).map(|v| {
                let ident = format_ident!("{}", v.name);
                quote! {
                    if let Ok(value) = crate::runtime::server::FromParam::from_param(text) {
                        return Ok(Self::#ident(value));
                    }
                }
            });
            let list_attempt = |comma_only: bool| {
                let attempts: Vec<TokenStream> = one_of
                    .variants
                    .iter()
                    .filter(|v| matches!(v.ty, TypeRef::Vec(_)))
                    .map(|v| {
                        let ident = format_ident!("{}", v.name);
                        let condition = comma_only.then(|| quote!(text.contains(',') &&));
                        quote! {
                            if #condition let Ok(values) = text.split(',').map(crate::runtime::server::FromParam::from_param).collect() {
                                return Ok(Self::#ident(values));
                            }
                        }
                    })
                    .collect();
                attempts
            };
            let scalar_attempts: Vec<TokenStream> = scalar_attempts.collect();
            // A comma means a list, where a list is one of the alternatives.
            let comma_first = list_attempt(true);
            let list_attempts = list_attempt(false);
            quote! {
                #[cfg(feature = "server")]
                impl crate::runtime::server::FromParam for #name {
                    fn from_param(text: &str) -> Result<Self, String> {
                        #(#comma_first)*
                        #(#scalar_attempts)*
                        #(#list_attempts)*
                        Err(format!("`{text}` matches none of the alternatives of {}", stringify!(#name)))
                    }
                }

                impl crate::runtime::ParamValue for #name {
                    fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            }
        });
    let candidates = one_of.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let known = known_properties(api, &v.ty);
        quote!((&[#(#known),*], |value| ::serde_json::from_value(value).map(Self::#ident)),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::runtime::variants::best_match(value, &[#(#candidates)*])
            }
        }

        #param_value
    }
}

/// Whether values of `ty` can be written as a path, query or header parameter (arrays as
/// comma-separated lists, one level deep). `visiting` holds the named types on the way here:
/// a type that is one of its own alternatives (directly or through aliases) has no text form
/// of its own, and the walk must not go round it forever.
fn writable_as_text(
    api: &Api,
    ty: &TypeRef,
    inside_array: bool,
    visiting: &mut Vec<TypeId>,
) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid => true,
        TypeRef::Vec(inner) => !inside_array && writable_as_text(api, inner, true, visiting),
        TypeRef::Named(id) => {
            if visiting.contains(id) {
                return false;
            }
            visiting.push(*id);
            let writable = match &api.type_def(*id).kind {
                TypeKind::StringEnum(_) => true,
                TypeKind::Alias(inner) => writable_as_text(api, inner, inside_array, visiting),
                TypeKind::OneOf(one_of) => {
                    !inside_array
                        && one_of.tag.is_none()
                        && one_of
                            .variants
                            .iter()
                            .all(|v| writable_as_text(api, &v.ty, false, visiting))
                }
                TypeKind::Struct(_) => false,
            };
            visiting.pop();
            writable
        }
        _ => false,
    }
}

/// The wire names of the properties a struct type declares (empty for other types): what an
/// untagged enum scores candidates by.
fn known_properties(api: &Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire.clone()).collect(),
            TypeKind::Alias(inner) => known_properties(api, inner),
            _ => Vec::new(),
        },
        TypeRef::Option(inner) => known_properties(api, inner),
        _ => Vec::new(),
    }
}

/// A field's doc comment: its description, then notes on how it travels.
fn field_doc(field: &Field) -> String {
    let notes = [
        field.read_only.then_some("Read-only: set by the server."),
        field
            .write_only
            .then_some("Write-only: sent by the client, never returned."),
        field.deprecated.then_some("**Deprecated.**"),
    ];
    paragraphs(std::iter::once(field.doc.as_deref()).chain(notes))
}

/// A variant's doc comment: its wire value, then its description.
fn variant_doc(variant: &Variant) -> String {
    match &variant.doc {
        Some(text) => format!("`{}`: {text}", variant.wire),
        None => format!("`{}`", variant.wire),
    }
}
