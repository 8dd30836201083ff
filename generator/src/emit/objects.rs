//! A struct's impls of the runtime's `objects` traits: `Members` (and `Serialize`) to encode,
//! `Fields` (and `Deserialize`) to decode.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::Field;

/// `Members` and `Serialize` through the runtime: each field in order, an absent optional
/// (`None`) or update (`Patch::Absent`) left out, a required nullable one sent as `null`; then
/// the members of the catch-all map `rest`, if the struct has one.
pub(super) fn members_impl(
    name: &Ident,
    fields: &[Field],
    rest: Option<&Ident>,
    patch: bool,
) -> TokenStream {
    let members = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name);
        let wire = &f.wire;
        match member(f, patch) {
            Member::Patch => quote! {
                if !self.#ident.is_absent() {
                    map.serialize_entry(#wire, &self.#ident)?;
                }
            },
            Member::Optional => quote! {
                if let Some(value) = &self.#ident {
                    map.serialize_entry(#wire, value)?;
                }
            },
            Member::Always => quote!(map.serialize_entry(#wire, &self.#ident)?;),
        }
    });
    let rest_members = rest.map(|rest| {
        quote! {
            for (key, value) in &self.#rest {
                map.serialize_entry(key, value)?;
            }
        }
    });
    // An object that admits no member at all (no properties, `additionalProperties: false`)
    // writes none.
    let nothing = (fields.is_empty() && rest_members.is_none()).then(|| quote!(let _ = map;));
    quote! {
        impl crate::runtime::objects::Members for #name {
            fn write_members<M: ::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::std::result::Result<(), M::Error> {
                #nothing
                #(#members)*
                #rest_members
                Ok(())
            }
        }
        crate::runtime::serialize_members!(#name);
    }
}

/// `Fields` and `Deserialize` through the runtime, for a struct whose fields may all be absent:
/// a member no field declares goes to the catch-all map `rest`, or is skipped when the struct
/// has none or names it in `skipped`. Compiled only with the `server` feature when
/// `server_only`.
pub(super) fn fields_impl(
    name: &Ident,
    fields: &[Field],
    skipped: &[String],
    rest: Option<&Ident>,
    server_only: bool,
) -> TokenStream {
    let cfg = server_only.then(|| quote!(#[cfg(feature = "server")]));
    let arms = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name);
        let wire = &f.wire;
        quote!(#wire => self.#ident = map.next_value()?,)
    });
    let skip = (!skipped.is_empty()).then(|| quote!(#(#skipped)|* => return Ok(false),));
    let keep = rest.map(|rest| quote!(self.#rest.insert(key.to_owned(), map.next_value()?);));
    // A struct without fields has nothing to match the key against.
    let body = if fields.is_empty() && skipped.is_empty() {
        match keep {
            Some(keep) => quote!(#keep Ok(true)),
            None => quote!(let _ = (key, map); Ok(false)),
        }
    } else {
        let other = match keep {
            Some(keep) => quote!(_ => { #keep }),
            None => quote!(_ => return Ok(false),),
        };
        quote! {
            match key {
                #(#arms)*
                #skip
                #other
            }
            Ok(true)
        }
    };
    quote! {
        #cfg
        impl crate::runtime::objects::Fields for #name {
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                #body
            }
        }
        #cfg
        crate::runtime::deserialize_fields!(#name);
    }
}

/// How `write_members` writes a field.
enum Member {
    /// An update field: left out when `Patch::Absent`.
    Patch,
    /// Not required, so an `Option`: left out when `None`.
    Optional,
    /// Required: always written (`null` for a nullable `None`).
    Always,
}

fn member(field: &Field, patch: bool) -> Member {
    if patch {
        Member::Patch
    } else if !field.required {
        Member::Optional
    } else {
        Member::Always
    }
}
