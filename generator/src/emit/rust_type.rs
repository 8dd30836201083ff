//! Model types into Rust type syntax.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

#[cfg(test)]
use crate::model::TypeId;
use crate::model::{Api, TypeRef};

/// Where a type is written: inside `models` (named types unqualified) or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the `models` module.
    Models,
    /// Any other module of the generated crate.
    Crate,
}

/// The Rust type for `ty`.
pub fn rust_type(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
        TypeRef::Named(id) => {
            let name = format_ident!("{}", api.type_def(*id).name);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Crate => quote!(crate::models::#name),
            }
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// [`rust_type`] as `prettyplease` prints it, when it fits a line.
pub fn rust_type_text(api: &Api, ty: &TypeRef, scope: Scope) -> String {
    match ty {
        TypeRef::Bool => String::from("bool"),
        TypeRef::I32 => String::from("i32"),
        TypeRef::I64 => String::from("i64"),
        TypeRef::F32 => String::from("f32"),
        TypeRef::F64 => String::from("f64"),
        TypeRef::String => String::from("String"),
        TypeRef::DateTime => String::from("::chrono::DateTime<::chrono::FixedOffset>"),
        TypeRef::Date => String::from("::chrono::NaiveDate"),
        TypeRef::Uuid => String::from("::uuid::Uuid"),
        TypeRef::Bytes => String::from("Vec<u8>"),
        TypeRef::Json => String::from("::serde_json::Value"),
        TypeRef::JsonObject => String::from("::serde_json::Map<String, ::serde_json::Value>"),
        TypeRef::Named(id) => {
            let name = &api.type_def(*id).name;
            match scope {
                Scope::Models => name.clone(),
                Scope::Crate => format!("crate::models::{name}"),
            }
        }
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type_text(api, inner, scope)),
        TypeRef::Map(inner) => format!(
            "::std::collections::BTreeMap<String, {}>",
            rust_type_text(api, inner, scope)
        ),
        TypeRef::Option(inner) => format!("Option<{}>", rust_type_text(api, inner, scope)),
    }
}

/// How a value of `ty` is best passed as a method argument: `&str` for strings, slices for
/// arrays, references for other owned types, and plain values for `Copy` scalars.
pub fn argument_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = rust_type(api, inner, Scope::Crate);
            quote!(&[#inner])
        }
        ty if by_value(ty) => rust_type(api, ty, Scope::Crate),
        other => {
            let ty = rust_type(api, other, Scope::Crate);
            quote!(&#ty)
        }
    }
}

/// Copy scalars are passed by value; everything else by reference.
pub fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Date
            | TypeRef::DateTime
    )
}

/// [`argument_type`] as `prettyplease` prints it, when it fits a line.
pub fn argument_type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => String::from("&str"),
        TypeRef::Vec(inner) => format!("&[{}]", rust_type_text(api, inner, Scope::Crate)),
        ty if by_value(ty) => rust_type_text(api, ty, Scope::Crate),
        other => format!("&{}", rust_type_text(api, other, Scope::Crate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_text_is_what_prettyplease_prints_of_the_type_when_it_fits_a_line() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";
        let document = crate::load::parse(std::path::Path::new("t.yaml"), text).unwrap();
        let api = crate::model::build(&document).unwrap();
        let pet = TypeRef::Named(TypeId(0));
        let scalars = [
            TypeRef::Bool,
            TypeRef::I32,
            TypeRef::I64,
            TypeRef::F32,
            TypeRef::F64,
            TypeRef::String,
            TypeRef::DateTime,
            TypeRef::Date,
            TypeRef::Uuid,
            TypeRef::Bytes,
            TypeRef::Json,
            TypeRef::JsonObject,
            pet.clone(),
        ];
        let nested = scalars.iter().flat_map(|ty| {
            [
                TypeRef::Vec(Box::new(ty.clone())),
                TypeRef::Map(Box::new(TypeRef::Option(Box::new(ty.clone())))),
            ]
        });
        let mut compared = 0;
        for ty in scalars.iter().cloned().chain(nested) {
            for scope in [Scope::Models, Scope::Crate] {
                let tokens = rust_type(&api, &ty, scope);
                let item: syn::File = syn::parse2(quote!(type T = #tokens;)).unwrap();
                let expected = prettyplease::unparse(&item);
                let written = format!("type T = {};\n", rust_type_text(&api, &ty, scope));
                // A longer line is broken by the formatter; the writers never write one.
                if written.len() - 1 <= super::super::text::MAX_LINE {
                    assert_eq!(written, expected, "{ty:?}");
                    compared += 1;
                }
            }
            let tokens = argument_type(&api, &ty);
            let item: syn::File = syn::parse2(quote!(type T = #tokens;)).unwrap();
            let expected = prettyplease::unparse(&item);
            let written = format!("type T = {};\n", argument_type_text(&api, &ty));
            if written.len() - 1 <= super::super::text::MAX_LINE {
                assert_eq!(written, expected, "argument {ty:?}");
                compared += 1;
            }
        }
        assert!(compared > 90, "{compared}");
    }
}
