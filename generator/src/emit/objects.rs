//! A struct's impls of the runtime's `objects` traits: `Members` (and `Serialize`) to encode,
//! `Fields` (and `Deserialize`) to decode.
//!
//! Why they are also written as text: they are three quarters of the work of formatting
//! `models.rs` (one statement and one `match` arm per field, each parsed by `syn` and laid out
//! by `prettyplease`), yet their layout never varies as long as every line fits the margin.
//! The writers here give that layout directly, and give up (the tokens are formatted instead)
//! as soon as a line would be long enough for `prettyplease` to break it. `tests/formatting.rs`
//! and the tests below check the written text against `prettyplease`'s.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::deferred::{self, Place};
use super::text::{Lines, MAX_LINE, literal};
use crate::model::Field;

/// `Members` and `Serialize` through the runtime: each field in order, an absent optional
/// (`None`) or update (`Patch::Absent`) left out, a required nullable one sent as `null`.
pub(super) fn members_impl(name: &Ident, fields: &[Field], patch: bool) -> TokenStream {
    if let Some(written) = deferred::written(Place::Items, || members_text(name, fields, patch)) {
        return written;
    }
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
    quote! {
        impl crate::runtime::objects::Members for #name {
            fn write_members<M: ::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::std::result::Result<(), M::Error> {
                #(#members)*
                Ok(())
            }
        }
        crate::runtime::serialize_members!(#name);
    }
}

/// `Fields` and `Deserialize` through the runtime, for a struct whose fields may all be absent;
/// compiled only with the `server` feature when `server_only`.
pub(super) fn fields_impl(name: &Ident, fields: &[Field], server_only: bool) -> TokenStream {
    if let Some(written) =
        deferred::written(Place::Items, || fields_text(name, fields, server_only))
    {
        return written;
    }
    let cfg = server_only.then(|| quote!(#[cfg(feature = "server")]));
    let arms = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name);
        let wire = &f.wire;
        quote!(#wire => self.#ident = map.next_value()?,)
    });
    quote! {
        #cfg
        impl crate::runtime::objects::Fields for #name {
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                match key {
                    #(#arms)*
                    _ => return Ok(false),
                }
                Ok(true)
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

/// [`members_impl`] as `prettyplease` lays it out, if every line fits.
fn members_text(name: &Ident, fields: &[Field], patch: bool) -> Option<String> {
    let mut lines = Lines::with_capacity(256 + 96 * fields.len());
    impl_header(&mut lines, "Members", name);
    lines.fixed(
        4,
        &[
            "fn write_members<M: ::serde::ser::SerializeMap>(",
            "    &self,",
            "    map: &mut M,",
            ") -> ::std::result::Result<(), M::Error> {",
        ],
    );
    for field in fields {
        let ident = &field.name;
        let wire = literal(&field.wire);
        match member(field, patch) {
            Member::Patch => {
                lines.line(8, format_args!("if !self.{ident}.is_absent() {{"));
                serialize_entry(&mut lines, 12, &wire, &format!("&self.{ident}"));
                lines.line(8, format_args!("}}"));
            }
            Member::Optional => {
                lines.line(8, format_args!("if let Some(value) = &self.{ident} {{"));
                serialize_entry(&mut lines, 12, &wire, "value");
                lines.line(8, format_args!("}}"));
            }
            Member::Always => serialize_entry(&mut lines, 8, &wire, &format!("&self.{ident}")),
        }
    }
    lines.fixed(0, &["        Ok(())", "    }", "}"]);
    lines.macro_call("serialize_members", &name.to_string());
    lines.finish()
}

/// [`fields_impl`] as `prettyplease` lays it out, if every line fits.
fn fields_text(name: &Ident, fields: &[Field], server_only: bool) -> Option<String> {
    let mut lines = Lines::with_capacity(320 + 64 * fields.len());
    if server_only {
        lines.line(0, format_args!("#[cfg(feature = \"server\")]"));
    }
    impl_header(&mut lines, "Fields", name);
    lines.fixed(
        4,
        &[
            "fn read_field<'de, A: ::serde::de::MapAccess<'de>>(",
            "    &mut self,",
            "    key: &str,",
            "    map: &mut A,",
            ") -> ::std::result::Result<bool, A::Error> {",
            "    match key {",
        ],
    );
    for field in fields {
        let ident = &field.name;
        let wire = literal(&field.wire);
        read_arm(&mut lines, &wire, ident);
    }
    lines.fixed(
        0,
        &[
            "            _ => return Ok(false),",
            "        }",
            "        Ok(true)",
            "    }",
            "}",
        ],
    );
    if server_only {
        lines.line(0, format_args!("#[cfg(feature = \"server\")]"));
    }
    lines.macro_call("deserialize_fields", &name.to_string());
    lines.finish()
}

/// `map.serialize_entry(wire, value)?;` on one line if it fits, else with each argument on a
/// line of its own (the wire name, a string literal, may pass the margin). The call is not
/// broken before `.serialize_entry`: `prettyplease` keeps a method call on a receiver as short
/// as `map` on the receiver's line.
fn serialize_entry(lines: &mut Lines, indent: usize, wire: &str, value: &str) {
    if indent + "map.serialize_entry(, )?;".len() + wire.len() + value.len() <= MAX_LINE {
        lines.line(
            indent,
            format_args!("map.serialize_entry({wire}, {value})?;"),
        );
        return;
    }
    lines.line(indent, format_args!("map.serialize_entry("));
    lines.unbreakable_line(indent + 4, format_args!("{wire},"));
    lines.last_line(indent + 4, format_args!("{value}"));
    lines.line(indent, format_args!(")?;"));
}

/// The `match` arm of `read_field` for one field: on one line if it fits, else its assignment
/// in a block, as `prettyplease` lays out an arm too long for a line. The arm's comma is not
/// counted (see [`Lines::last_line`]).
fn read_arm(lines: &mut Lines, wire: &str, ident: &str) {
    if 12 + " => self. = map.next_value()?".len() + wire.len() + ident.len() <= MAX_LINE {
        lines.last_line(
            12,
            format_args!("{wire} => self.{ident} = map.next_value()?"),
        );
        return;
    }
    lines.line(12, format_args!("{wire} => {{"));
    lines.line(16, format_args!("self.{ident} = map.next_value()?;"));
    lines.line(12, format_args!("}}"));
}

/// `impl crate::runtime::objects::TRAIT for NAME {`, on one line if it fits, else with
/// `for NAME {` on the next.
fn impl_header(lines: &mut Lines, trait_name: &str, name: &Ident) {
    let one_line = format!("impl crate::runtime::objects::{trait_name} for {name} {{");
    if one_line.len() <= MAX_LINE {
        lines.line(0, format_args!("{one_line}"));
    } else {
        lines.line(
            0,
            format_args!("impl crate::runtime::objects::{trait_name}"),
        );
        lines.unbreakable_line(0, format_args!("for {name} {{"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TypeRef;

    fn field(name: &str, wire: &str, required: bool) -> Field {
        Field {
            name: name.to_owned(),
            wire: wire.to_owned(),
            ty: TypeRef::String,
            required,
            nullable: false,
            default: None,
            boxed: false,
            doc: None,
            read_only: false,
            write_only: false,
            deprecated: false,
        }
    }

    /// What `prettyplease` makes of `tokens`.
    fn formatted(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    /// The text written for `emit`'s items, and the text of their tokens formatted.
    fn written_and_formatted(emit: impl Fn() -> TokenStream) -> (Option<String>, String) {
        let (tokens, deferred) = deferred::deferring(&emit);
        let text = prettyplease::unparse(&syn::parse2(tokens).unwrap());
        let written = deferred::write_deferred(&text, &deferred).unwrap();
        let as_tokens = formatted(emit());
        // Written only when a placeholder took the tokens' place.
        let took = !text.contains("serialize_entry") && !text.contains("next_value");
        (took.then_some(written), as_tokens)
    }

    #[test]
    fn written_impls_are_what_prettyplease_makes_of_their_tokens() {
        let name = format_ident!("Thing");
        let fields = vec![
            field("id", "id", false),
            field("odata_type", "@odata.type", true),
            field("r#type", "type", false),
            field("quoted", "say \"hi\"\\\n\u{e9}\u{1F600}", false),
        ];
        for patch in [false, true] {
            let (written, expected) = written_and_formatted(|| members_impl(&name, &fields, patch));
            assert_eq!(written.as_deref(), Some(expected.as_str()));
            let (written, expected) = written_and_formatted(|| fields_impl(&name, &fields, patch));
            assert_eq!(written.as_deref(), Some(expected.as_str()));
        }
    }

    /// Checks the impls of `name` with `fields` both ways; how many were written as text.
    fn written_as_formatted(name: &Ident, fields: &[Field], case: &str) -> usize {
        let mut written_count = 0;
        for patch in [false, true] {
            for (written, expected) in [
                written_and_formatted(|| members_impl(name, fields, patch)),
                written_and_formatted(|| fields_impl(name, fields, patch)),
            ] {
                if let Some(written) = written {
                    assert_eq!(written, expected, "{case}");
                    written_count += 1;
                }
            }
        }
        written_count
    }

    #[test]
    fn long_lines_are_left_to_prettyplease_and_short_ones_are_written_as_it_lays_them_out() {
        // Field and wire names of every length around the margin: whenever the text is
        // written, it is what prettyplease gives; it is written while the lines fit.
        let name = format_ident!("Thing");
        let mut written_count = 0;
        for length in 1..=100 {
            let fields = vec![
                field(&"f".repeat(length), &"w".repeat(length), false),
                field("required", &"r".repeat(length), true),
            ];
            written_count += written_as_formatted(&name, &fields, &format!("field {length}"));
        }
        // The `match` arm holds both names: it passes the margin at a length of 26.
        assert!(written_count >= 4 * 25, "{written_count}");
        assert!(written_count < 4 * 100, "{written_count}");

        // Struct names of every length: the `impl` line and the macro call break, and the
        // text is written whatever the name's length.
        let fields = vec![field("id", "id", false), field("kind", "@kind", true)];
        for length in 1..=110 {
            let name = format_ident!("{}", "N".repeat(length));
            let written = written_as_formatted(&name, &fields, &format!("name {length}"));
            assert_eq!(written, 4, "name {length}");
        }
    }
}
