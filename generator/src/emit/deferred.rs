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
//! - items written as text by the emitter (see `emit/objects.rs`): top-level items whose layout
//!   the emitter knows for certain. The placeholder is a doc placeholder on `const _: () = ();`,
//!   which `prettyplease` prints as two lines; the item's text takes their place.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Starts a placeholder's text. A control character: doc lines never hold one (`docs` drops
/// them), and `prettyplease` escapes them in every other literal, so only a placeholder's
/// comment line holds one.
const PLACEHOLDER: char = '\u{1}';

/// The item a placeholder for a written item is attached to, as `prettyplease` prints it.
const CARRIER: &str = "const _: () = ();";

/// A block kept aside.
#[derive(Debug, Clone)]
enum Block {
    /// A doc comment: its lines, as the values of their doc attributes.
    Doc(Vec<String>),
    /// Items written as formatted text, ending with a line break.
    Items(String),
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

/// A placeholder for top-level items written as text by `write`, while [`deferring`] runs and
/// `write` gives text; `None` otherwise, and the caller emits the items as tokens.
///
/// The text must be what `prettyplease` makes of those tokens, at the top level of a module:
/// `tests/formatting.rs` compares the two for every module it generates.
pub fn written_items(write: impl FnOnce() -> Option<String>) -> Option<TokenStream> {
    if !is_deferring() {
        return None;
    }
    let placeholder = keep(Block::Items(write()?))?;
    Some(quote!(#[doc = #placeholder] const _: () = ();))
}

fn is_deferring() -> bool {
    DEFERRED.with_borrow(Option::is_some)
}

/// The blocks kept aside while a part was emitted (its doc comments and written items), in
/// placeholder order.
#[derive(Debug, Clone, Default)]
pub struct DeferredText(Vec<Block>);

/// `text`, formatted from tokens emitted by [`deferring`], with each placeholder replaced by
/// its block: a doc comment's lines at the placeholder's indentation, written items in place
/// of the placeholder and the item it is attached to. `None` if a placeholder names no block,
/// or does not stand where its block can go.
pub fn write_deferred(text: &str, blocks: &DeferredText) -> Option<String> {
    let extra: usize = blocks
        .0
        .iter()
        .map(|block| match block {
            Block::Doc(lines) => lines.iter().map(|line| line.len() + 64).sum(),
            Block::Items(items) => items.len(),
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
            Block::Doc(lines) => {
                for line in lines {
                    out.push_str(indent);
                    out.push_str("///");
                    out.push_str(line.trim_end_matches(' '));
                    out.push('\n');
                }
            }
            Block::Items(items) => {
                // Top-level items only, in place of their carrier.
                rest = rest.strip_prefix(CARRIER)?.strip_prefix('\n')?;
                if !indent.is_empty() {
                    return None;
                }
                out.push_str(items);
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_deferring_nothing_is_kept_aside() {
        assert!(doc_comment(std::iter::once(String::from(" text"))).is_none());
        assert!(written_items(|| Some(String::from("struct A;\n"))).is_none());
    }

    #[test]
    fn written_items_replace_their_placeholder_and_its_carrier() {
        let (tokens, blocks) = deferring(|| {
            let item = written_items(|| Some(String::from("struct A;\n"))).unwrap();
            quote!(struct B; #item struct C;)
        });
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = write_deferred(&prettyplease::unparse(&file), &blocks).unwrap();
        assert_eq!(text, "struct B;\nstruct A;\nstruct C;\n");
    }

    #[test]
    fn written_items_stand_only_at_the_top_level() {
        let (tokens, blocks) = deferring(|| {
            let item = written_items(|| Some(String::from("struct A;\n"))).unwrap();
            quote!(mod m { #item })
        });
        let file: syn::File = syn::parse2(tokens).unwrap();
        assert_eq!(write_deferred(&prettyplease::unparse(&file), &blocks), None);
    }

    #[test]
    fn a_writer_that_gives_up_leaves_the_tokens_to_the_caller() {
        let (item, blocks) = deferring(|| written_items(|| None));
        assert!(item.is_none());
        assert_eq!(
            write_deferred("struct A;\n", &blocks).as_deref(),
            Some("struct A;\n")
        );
    }
}
