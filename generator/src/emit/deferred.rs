//! Text that skips the formatter: kept aside while a part is emitted, one placeholder in the
//! tokens for each block, and written into the part's formatted text in the placeholders'
//! place, byte for byte as `prettyplease` would have written it (`tests/formatting.rs`).
//!
//! Two kinds of block skip it:
//! - doc comments, about a quarter of the generated lines: quoted as string literals, parsed
//!   back by `syn` and printed by `prettyplease` for nothing. `prettyplease` prints an outer doc
//!   attribute whose value has no line break and does not start with `/` as `///` and the
//!   value, without its trailing spaces, on a line of its own at the item's indentation,
//!   whatever surrounds it; the block's lines are written the same way.
//! - code written as text by the emitter (`emit/objects.rs`, `emit/definitions.rs`,
//!   `emit/statements.rs`, and the parts of `emit/client.rs` and `emit/models.rs` that every
//!   document shares): items or statements whose layout the emitter knows for certain. The
//!   placeholder is a doc placeholder on a carrier, an item (`const _: () = ();`, or
//!   `fn __() {}` in an `impl` block) or a statement (`let _ = ();`), which `prettyplease`
//!   prints as two lines; the code takes their place.

use std::cell::RefCell;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

use super::format::Shape;

/// Starts a placeholder's text. A control character: doc lines never hold one (`docs` drops
/// them), and `prettyplease` escapes them in every other literal, so only a placeholder's
/// comment line holds one.
const PLACEHOLDER: char = '\u{1}';

/// Where written code goes, and so what its placeholder is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Items at the top level of a module.
    Items,
    /// Items of an `impl` block at the top level.
    ImplItems,
    /// Statements in the body of a method of an `impl` block.
    MethodStatements,
}

impl Place {
    /// The indentation the code is written for.
    fn indent(self) -> usize {
        match self {
            Place::Items => 0,
            Place::ImplItems => 4,
            Place::MethodStatements => 8,
        }
    }

    /// The code the placeholder is attached to, as `prettyplease` prints it.
    fn carrier(self) -> &'static str {
        match self {
            Place::Items => "const _: () = ();",
            Place::ImplItems => "fn __() {}",
            Place::MethodStatements => "let _ = ();",
        }
    }
}

/// A block kept aside.
#[derive(Debug, Clone)]
enum Block {
    /// A doc comment: its lines, as the values of their doc attributes.
    Doc(Vec<String>),
    /// Code written as formatted text for `Place`, indentation included, ending with a line
    /// break.
    Code(Place, String),
}

thread_local! {
    /// The blocks kept aside on this thread while [`deferring`] runs.
    static DEFERRED: RefCell<Option<Vec<Block>>> = const { RefCell::new(None) };
}

/// Runs `emit` with its doc comments, and the items it writes as text, kept aside: each block
/// is one placeholder in the tokens, and [`write_deferred`] writes the block in its place once
/// the tokens are formatted. Outside `deferring`, everything is emitted as tokens.
pub fn deferring<T>(emit: impl FnOnce() -> T) -> (T, DeferredText) {
    /// Restores the outer state, even when `emit` unwinds.
    struct Restore(Option<Vec<Block>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            DEFERRED.with_borrow_mut(|deferred| *deferred = outer);
        }
    }
    let restore = Restore(DEFERRED.with_borrow_mut(|deferred| deferred.replace(Vec::new())));
    let value = emit();
    let blocks = DEFERRED.with_borrow_mut(|deferred| deferred.take().unwrap_or_default());
    drop(restore);
    (value, DeferredText(blocks))
}

/// Keeps `block` aside if [`deferring`] runs, and returns its placeholder text.
fn keep(block: Block) -> Option<String> {
    DEFERRED.with_borrow_mut(|deferred| {
        deferred.as_mut().map(|blocks| {
            blocks.push(block);
            format!("{PLACEHOLDER}{}", blocks.len() - 1)
        })
    })
}

/// The placeholder doc attribute for a doc comment of `lines` (each the value of a doc
/// attribute) while [`deferring`] runs; `None` otherwise.
pub fn doc_comment(lines: impl Iterator<Item = String>) -> Option<TokenStream> {
    if !is_deferring() {
        return None;
    }
    let placeholder = keep(Block::Doc(lines.collect()))?;
    Some(quote!(#[doc = #placeholder]))
}

/// A placeholder for code written as text by `write` for `place`, while [`deferring`] runs and
/// `write` gives text; `None` otherwise, and the caller emits the code as tokens.
///
/// The text, indentation included, must be what `prettyplease` makes of those tokens in that
/// place: `tests/formatting.rs` compares the two for every module it generates.
pub fn written(place: Place, write: impl FnOnce() -> Option<String>) -> Option<TokenStream> {
    if !is_deferring() {
        return None;
    }
    let placeholder = keep(Block::Code(place, write()?))?;
    Some(match place {
        Place::Items => quote!(#[doc = #placeholder] const _: () = ();),
        Place::ImplItems => quote!(#[doc = #placeholder] fn __() {}),
        Place::MethodStatements => quote!(#[doc = #placeholder] let _ = ();),
    })
}

pub(super) fn is_deferring() -> bool {
    DEFERRED.with_borrow(Option::is_some)
}

/// The blocks kept aside while a part was emitted (its doc comments and written code), in
/// placeholder order.
#[derive(Debug, Clone, Default)]
pub struct DeferredText(Vec<Block>);

/// `text`, formatted from tokens emitted by [`deferring`], with each placeholder replaced by
/// its block: a doc comment's lines at the placeholder's indentation, written code in place of
/// the placeholder and the carrier it is attached to. `None` if a placeholder names no block,
/// or does not stand where its block was written for.
pub fn write_deferred(text: &str, blocks: &DeferredText) -> Option<String> {
    let extra: usize = blocks
        .0
        .iter()
        .map(|block| match block {
            Block::Doc(lines) => lines.iter().map(|line| line.len() + 64).sum(),
            Block::Code(_, code) => code.len(),
        })
        .sum();
    let mut out = String::with_capacity(text.len() + extra);
    let marker = format!("///{PLACEHOLDER}");
    let mut rest = text;
    while let Some(found) = rest.find(&marker) {
        let line_start = rest[..found].rfind('\n').map_or(0, |i| i + 1);
        let indent = &rest[line_start..found];
        if !indent.bytes().all(|b| b == b' ') {
            return None;
        }
        let after = &rest[found + marker.len()..];
        let end = after.find('\n')?;
        let block = blocks.0.get(after[..end].parse::<usize>().ok()?)?;
        out.push_str(&rest[..line_start]);
        rest = &after[end + 1..];
        match block {
            Block::Doc(lines) => push_doc_comment(&mut out, indent.len(), lines),
            Block::Code(place, code) => {
                if indent.len() != place.indent() {
                    return None;
                }
                rest = rest
                    .strip_prefix(indent)?
                    .strip_prefix(place.carrier())?
                    .strip_prefix('\n')?;
                out.push_str(code);
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The text of a part whose tokens are nothing but placeholders of written code (see
/// [`written`]), which is that code in order: the formatter would only print the carriers for
/// the code to replace. For a run of the items of an `impl` block, the block must be a plain
/// `impl Name`, whose opening line and closing brace are written as `prettyplease` writes them
/// (`first` and `last`: see `format::Shape::ImplItems`). `None` for any other tokens, which
/// are formatted.
pub fn only_written(tokens: &TokenStream, blocks: &DeferredText, shape: Shape) -> Option<String> {
    let mut trees = tokens.clone().into_iter();
    let mut out = String::new();
    match shape {
        Shape::Items => {
            // No items at all (a run of operations without options structs) is no text.
            written_run(&mut trees, blocks, Place::Items, &mut out)?;
            Some(out)
        }
        Shape::ImplItems { first, last } => {
            let (Some(TokenTree::Ident(keyword)), Some(TokenTree::Ident(name))) =
                (trees.next(), trees.next())
            else {
                return None;
            };
            let Some(TokenTree::Group(body)) = trees.next() else {
                return None;
            };
            if keyword != "impl" || body.delimiter() != Delimiter::Brace || trees.next().is_some() {
                return None;
            }
            if first {
                out.push_str(&format!("impl {name} {{\n"));
            }
            let opening = out.len();
            written_run(
                &mut body.stream().into_iter(),
                blocks,
                Place::ImplItems,
                &mut out,
            )?;
            if out.len() == opening {
                // `impl Name {}` without items is one line.
                return None;
            }
            if last {
                out.push_str("}\n");
            }
            Some(out)
        }
    }
}

/// Appends to `out` the code of each placeholder and carrier for `place` in `trees`, up to
/// their end; `None` at anything else.
fn written_run(
    trees: &mut impl Iterator<Item = TokenTree>,
    blocks: &DeferredText,
    place: Place,
    out: &mut String,
) -> Option<()> {
    while let Some(tree) = trees.next() {
        let TokenTree::Punct(pound) = tree else {
            return None;
        };
        let Some(TokenTree::Group(attribute)) = trees.next() else {
            return None;
        };
        if pound.as_char() != '#' || attribute.delimiter() != Delimiter::Bracket {
            return None;
        }
        let Some(Block::Code(written_for, code)) = blocks.0.get(placeholder_index(&attribute)?)
        else {
            return None;
        };
        if *written_for != place || !is_carrier(trees, place) {
            return None;
        }
        out.push_str(code);
    }
    Some(())
}

/// The block index in the placeholder attribute `[doc = "\u{1}N"]`.
fn placeholder_index(attribute: &Group) -> Option<usize> {
    let mut inner = attribute.stream().into_iter();
    let (
        Some(TokenTree::Ident(doc)),
        Some(TokenTree::Punct(equals)),
        Some(TokenTree::Literal(value)),
    ) = (inner.next(), inner.next(), inner.next())
    else {
        return None;
    };
    if doc != "doc" || equals.as_char() != '=' || inner.next().is_some() {
        return None;
    }
    let value = value.to_string();
    value
        .strip_prefix("\"\\u{1}")?
        .strip_suffix('"')?
        .parse()
        .ok()
}

/// Whether the next tokens of `trees` are the carrier item for `place` (`const _: () = ();`
/// or `fn __() {}`), which they consume.
fn is_carrier(trees: &mut impl Iterator<Item = TokenTree>, place: Place) -> bool {
    let expected: &[&str] = match place {
        Place::Items => &["const", "_", ":", "()", "=", "()", ";"],
        Place::ImplItems => &["fn", "__", "()", "{}"],
        Place::MethodStatements => return false,
    };
    expected.iter().all(|&wanted| {
        let Some(tree) = trees.next() else {
            return false;
        };
        match tree {
            TokenTree::Ident(ident) => ident == wanted,
            TokenTree::Punct(punct) => wanted.len() == 1 && wanted.starts_with(punct.as_char()),
            TokenTree::Group(group) => {
                group.stream().is_empty()
                    && match group.delimiter() {
                        Delimiter::Parenthesis => wanted == "()",
                        Delimiter::Brace => wanted == "{}",
                        _ => false,
                    }
            }
            TokenTree::Literal(_) => false,
        }
    })
}

/// Appends a doc comment of `lines` (each the value of a doc attribute) as `prettyplease`
/// prints outer doc attributes: for each, `indent` spaces, `///` and the value without its
/// trailing spaces, on a line of its own.
pub(super) fn push_doc_comment(out: &mut String, indent: usize, lines: &[String]) {
    for line in lines {
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str("///");
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_deferring_nothing_is_kept_aside() {
        assert!(doc_comment(std::iter::once(String::from(" text"))).is_none());
        assert!(written(Place::Items, || Some(String::from("struct A;\n"))).is_none());
    }

    #[test]
    fn written_code_replaces_its_placeholder_and_its_carrier() {
        let (tokens, blocks) = deferring(|| {
            let item = written(Place::Items, || Some(String::from("struct A;\n"))).unwrap();
            let statement = written(Place::MethodStatements, || {
                Some(String::from("        a();\n        b();\n"))
            })
            .unwrap();
            quote!(struct B; #item impl C { fn c() { #statement c() } })
        });
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = write_deferred(&prettyplease::unparse(&file), &blocks).unwrap();
        assert_eq!(
            text,
            "struct B;\nstruct A;\nimpl C {\n    fn c() {\n        a();\n        b();\n        c()\n    }\n}\n"
        );
    }

    #[test]
    fn written_code_stands_only_where_it_was_written_for() {
        let (tokens, blocks) = deferring(|| {
            let item = written(Place::Items, || Some(String::from("struct A;\n"))).unwrap();
            quote!(mod m { #item })
        });
        let file: syn::File = syn::parse2(tokens).unwrap();
        assert_eq!(write_deferred(&prettyplease::unparse(&file), &blocks), None);
    }

    #[test]
    fn a_part_of_written_code_only_is_that_code_as_the_formatter_would_place_it() {
        let formatted = |tokens: &TokenStream, blocks: &DeferredText| {
            let file: syn::File = syn::parse2(tokens.clone()).unwrap();
            write_deferred(&prettyplease::unparse(&file), blocks).unwrap()
        };
        let (items, blocks) = deferring(|| {
            let a = written(Place::Items, || Some(String::from("struct A;\n"))).unwrap();
            let b = written(Place::Items, || Some(String::from("/// B.\nstruct B;\n"))).unwrap();
            quote!(#a #b)
        });
        let text = only_written(&items, &blocks, Shape::Items);
        assert_eq!(text.as_deref(), Some("struct A;\n/// B.\nstruct B;\n"));
        assert_eq!(text.unwrap(), formatted(&items, &blocks));
        let nothing = TokenStream::new();
        let text = only_written(&nothing, &DeferredText::default(), Shape::Items);
        assert_eq!(text.as_deref(), Some(""));
        assert_eq!(text.unwrap(), formatted(&nothing, &DeferredText::default()));

        let (block, blocks) = deferring(|| {
            let f = written(Place::ImplItems, || Some(String::from("    fn f() {}\n"))).unwrap();
            quote!(impl C { #f })
        });
        let whole = formatted(&block, &blocks);
        assert_eq!(whole, "impl C {\n    fn f() {}\n}\n");
        for (first, last, expected) in [
            (true, true, whole.as_str()),
            (true, false, "impl C {\n    fn f() {}\n"),
            (false, false, "    fn f() {}\n"),
            (false, true, "    fn f() {}\n}\n"),
        ] {
            let text = only_written(&block, &blocks, Shape::ImplItems { first, last });
            assert_eq!(text.as_deref(), Some(expected));
        }

        // Anything else is left to the formatter: other items, statements, other blocks.
        let (others, blocks) = deferring(|| {
            let a = written(Place::Items, || Some(String::from("struct A;\n"))).unwrap();
            let s = written(Place::MethodStatements, || {
                Some(String::from("        s();\n"))
            });
            let f = written(Place::ImplItems, || Some(String::from("    fn f() {}\n"))).unwrap();
            [
                (quote!(#a struct B;), Shape::Items),
                (quote!(#a impl C { #f }), Shape::Items),
                (quote!(fn g() { #s }), Shape::Items),
                (
                    quote!(impl C { #f fn g() {} }),
                    Shape::ImplItems {
                        first: true,
                        last: true,
                    },
                ),
                (
                    quote!(impl<T> C<T> { #f }),
                    Shape::ImplItems {
                        first: true,
                        last: true,
                    },
                ),
                (
                    quote!(impl C { #a }),
                    Shape::ImplItems {
                        first: true,
                        last: true,
                    },
                ),
                (
                    quote!(impl C {}),
                    Shape::ImplItems {
                        first: true,
                        last: true,
                    },
                ),
            ]
        });
        for (tokens, shape) in others {
            assert_eq!(only_written(&tokens, &blocks, shape), None, "{tokens}");
        }
    }

    #[test]
    fn a_writer_that_gives_up_leaves_the_tokens_to_the_caller() {
        let (item, blocks) = deferring(|| written(Place::Items, || None));
        assert!(item.is_none());
        assert_eq!(
            write_deferred("struct A;\n", &blocks).as_deref(),
            Some("struct A;\n")
        );
    }
}
