//! Model types into Rust type syntax.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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
            let value = map_value(api, inner, scope);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// Rust type syntax as a person writes it, for reports: no spaces but between words, and
/// paths relative to the crate, without a leading `::` (`Option<models::Pet>`,
/// `Vec<chrono::NaiveDate>`, `runtime::Patch<String>`).
pub fn readable_type(tokens: &TokenStream) -> String {
    let name = |c: char| c.is_alphanumeric() || c == '_';
    let spaced: Vec<char> = tokens.to_string().chars().collect();
    let mut text = String::with_capacity(spaced.len());
    let mut index = 0;
    while let Some(&c) = spaced.get(index) {
        index += 1;
        match c {
            ' ' => {
                if text.ends_with(name) && spaced.get(index).is_some_and(|&next| name(next)) {
                    text.push(' ');
                }
            }
            // `::` that follows no name starts a path from the crate root: left out.
            ':' if spaced.get(index) == Some(&':') && !text.ends_with(name) => index += 1,
            c => text.push(c),
        }
    }
    text.replace("crate::", "")
}

/// The value type of a map from `additionalProperties` declaring `declared`: wrapped in the
/// runtime's `Lenient`, which keeps a value the declaration does not fit as JSON, since
/// services answer with members no document promised (Graph's `@odata.context` beside a
/// declared `{type: object}`); plain JSON when anything is declared.
pub fn map_value(api: &Api, declared: &TypeRef, scope: Scope) -> TokenStream {
    let ty = rust_type(api, declared, scope);
    match declared {
        TypeRef::Json => ty,
        _ => quote!(crate::runtime::Lenient<#ty>),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_types_read_as_a_person_writes_them() {
        let read = |tokens: TokenStream| readable_type(&tokens);
        assert_eq!(
            read(quote!(Option<::chrono::DateTime<::chrono::FixedOffset>>)),
            "Option<chrono::DateTime<chrono::FixedOffset>>"
        );
        assert_eq!(read(quote!(&[crate::models::Pet])), "&[models::Pet]");
        assert_eq!(
            read(quote!(crate::runtime::Patch<Box<crate::models::Node>>)),
            "runtime::Patch<Box<models::Node>>"
        );
        assert_eq!(
            read(quote!(::std::collections::BTreeMap<String, ::serde_json::Value>)),
            "std::collections::BTreeMap<String,serde_json::Value>"
        );
        assert_eq!(read(quote!(impl Into<String>)), "impl Into<String>");
    }
}
