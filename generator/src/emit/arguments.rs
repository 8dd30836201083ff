//! The types of an operation's arguments (see `plan::Argument`) on each side: borrowed by the
//! client's methods, owned by the server's trait methods.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::{Scope, rust_type};
use crate::model::{Api, BodyKind, TypeRef};
use crate::plan::Argument;

/// `name: Type` for each argument of a client method: `&str` for strings, slices for arrays,
/// plain values for `Copy` scalars and references for everything else; an optional body as
/// `Option<&T>`.
pub(super) fn client_arguments(api: &Api, arguments: &[Argument<'_>]) -> Vec<TokenStream> {
    arguments
        .iter()
        .map(|argument| {
            let name = ident(argument);
            let ty = match argument {
                Argument::Required(param) => borrowed_type(api, &param.ty),
                Argument::Options(options) => {
                    let options = format_ident!("{options}");
                    quote!(&#options)
                }
                Argument::Body(body) => {
                    let ty = match body.kind {
                        BodyKind::Bytes(_) => quote!([u8]),
                        BodyKind::Text(_) => quote!(str),
                        _ => rust_type(api, &body.ty, Scope::Crate),
                    };
                    if body.required {
                        quote!(&#ty)
                    } else {
                        quote!(Option<&#ty>)
                    }
                }
            };
            quote!(#name: #ty)
        })
        .collect()
}

/// The owned type of each argument of a server trait method, as the handler decodes it.
pub(super) fn server_types(api: &Api, arguments: &[Argument<'_>]) -> Vec<TokenStream> {
    arguments
        .iter()
        .map(|argument| match argument {
            Argument::Required(param) => rust_type(api, &param.ty, Scope::Crate),
            Argument::Options(options) => {
                let options = format_ident!("{options}");
                quote!(crate::client::#options)
            }
            Argument::Body(body) => {
                let ty = match body.kind {
                    BodyKind::Bytes(_) => quote!(Vec<u8>),
                    BodyKind::Text(_) => quote!(String),
                    _ => rust_type(api, &body.ty, Scope::Crate),
                };
                if body.required {
                    ty
                } else {
                    quote!(Option<#ty>)
                }
            }
        })
        .collect()
}

/// The arguments' names, to pass them on.
pub(super) fn names(arguments: &[Argument<'_>]) -> Vec<Ident> {
    arguments.iter().map(ident).collect()
}

fn ident(argument: &Argument<'_>) -> Ident {
    format_ident!("{}", argument.name())
}

/// How a value of `ty` is passed to a client method.
fn borrowed_type(api: &Api, ty: &TypeRef) -> TokenStream {
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
pub(super) fn by_value(ty: &TypeRef) -> bool {
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
