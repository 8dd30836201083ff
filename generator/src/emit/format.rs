//! Formatting: every module is cut into parts, each emitted and formatted on its own, on as
//! many threads as the machine has; each module's text is its parts' texts in order.
//!
//! Why parts: formatting (`syn` parsing the token stream, then `prettyplease`) is most of the
//! generation time. One thread per module leaves cores idle once the largest module is the
//! last one running, and holds the token stream and syntax tree of a whole module in memory at
//! once; parts of a few dozen items keep every core busy and the memory of one part at a time.
//!
//! Why the text is the same as the whole module's: `prettyplease` separates top-level items,
//! and the items of an `impl` or `trait` block, by hard line breaks, and lays out each item on
//! its own, so an item's text does not depend on its neighbours.
//!
//! Doc comments skip the formatter: each part is emitted with them kept aside
//! (`deferred::deferring`), one placeholder for each, and they are written in the
//! placeholders' place in the formatted text, as `prettyplease` would have written them.
//!
//! `tests/formatting.rs` checks that every generated module is exactly what `prettyplease`
//! makes of the whole module's tokens, doc attributes and all.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;

use super::deferred::{self, DeferredText};
#[cfg(test)]
use super::docs;
use crate::error::{Error, ErrorKind};

/// How many items (type definitions, operations) a part holds at most: enough that a part's
/// fixed cost (a thread hand-over, a `syn::File`) is small beside its work, few enough that
/// the work spreads evenly over the threads.
pub(super) const PART_LEN: usize = 32;

/// Emits a part's token stream. Token streams cannot cross threads, so each part is emitted on
/// the thread that formats it.
type Emit<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

/// A part of a module: its items, emitted and formatted on their own.
pub(super) struct Part<'a> {
    emit: Emit<'a>,
    shape: Shape,
}

/// Where a part's items sit in its module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Top-level items, after those of the parts before; the first part of a module starts
    /// with the module's inner doc and attributes.
    Items,
    /// A run of the items of one `impl` or `trait` block, emitted as the block with only those
    /// items: its text keeps the block's opening line in the block's first part, and its
    /// closing brace in the last.
    ImplItems {
        /// This part opens the block.
        first: bool,
        /// This part closes the block.
        last: bool,
    },
}

impl<'a> Part<'a> {
    /// A part of top-level items.
    pub(super) fn items(emit: impl Fn() -> TokenStream + Sync + 'a) -> Self {
        Part {
            emit: Box::new(emit),
            shape: Shape::Items,
        }
    }

    /// The run `index` of `count` runs of the items of an `impl` or `trait` block: `emit` gives
    /// the block with the run's items only, and with attributes in the first run only, so that
    /// the block's opening line is the first line of every other run's text.
    pub(super) fn impl_items(
        index: usize,
        count: usize,
        emit: impl Fn() -> TokenStream + Sync + 'a,
    ) -> Self {
        Part {
            emit: Box::new(emit),
            shape: Shape::ImplItems {
                first: index == 0,
                last: index + 1 == count,
            },
        }
    }

    /// A part of the items `item` gives for each element of `run` (a slice, borrowed or
    /// owned), in order (none where it gives `None`).
    pub(super) fn each<T: 'a>(
        run: impl AsRef<[T]> + Sync + 'a,
        item: impl Fn(&T) -> Option<TokenStream> + Sync + 'a,
    ) -> Self {
        Part::items(move || {
            let items = run.as_ref().iter().filter_map(&item);
            quote!(#(#items)*)
        })
    }

    /// The part's token stream and shape, emitted on this thread.
    pub(super) fn tokens(&self) -> (Shape, TokenStream) {
        (self.shape, (self.emit)())
    }

    /// The part's shape and token stream, emitted on this thread with its doc comments kept
    /// aside (see [`deferred::deferring`]), and those comments, to write into its formatted
    /// text.
    pub(super) fn deferred_tokens(&self) -> (Shape, TokenStream, DeferredText) {
        let ((shape, tokens), blocks) = deferred::deferring(|| self.tokens());
        (shape, tokens, blocks)
    }
}

/// `items` in runs of at most [`PART_LEN`], one part's worth each; one empty run when there are
/// none, so that a block cut into runs (such as `impl Client`) still has its one part.
pub(super) fn runs<T>(items: &[T]) -> Vec<&[T]> {
    if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(PART_LEN).collect()
    }
}

/// A module's file name and its parts, in order.
pub(super) struct ModuleParts<'a> {
    pub(super) name: &'static str,
    pub(super) parts: Vec<Part<'a>>,
}

/// Formats `tokens`, a part of the module `name` with the given shape, and writes in the text
/// `deferred` kept aside from them (see [`deferred::deferring`]).
pub(super) fn format_part(
    name: &str,
    shape: Shape,
    tokens: TokenStream,
    deferred: &DeferredText,
) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        internal_error(format!(
            "the generated `{name}` does not parse ({e}); please report this with the document"
        ))
    })?;
    let text = deferred::write_deferred(&prettyplease::unparse(&file), deferred).ok_or_else(|| {
        internal_error(format!(
            "a doc comment of the generated `{name}` has no place; please report this with the document"
        ))
    })?;
    match shape {
        Shape::Items => Ok(text),
        Shape::ImplItems { first, last } => impl_run(name, text, first, last),
    }
}

/// The text of a run of a block's items, from the text of the block with only those items:
/// without the block's opening line unless `first`, without its closing brace unless `last`.
fn impl_run(name: &str, text: String, first: bool, last: bool) -> Result<String, Error> {
    let mut run = text.as_str();
    if !first {
        run = match run.split_once("{\n") {
            Some((_, items)) => items,
            None => return Err(not_a_block(name)),
        };
    }
    if !last {
        run = run.strip_suffix("}\n").ok_or_else(|| not_a_block(name))?;
    }
    Ok(run.to_owned())
}

fn not_a_block(name: &str) -> Error {
    internal_error(format!(
        "a part of the generated `{name}` is not one block of items; please report this with the document"
    ))
}

fn internal_error(message: String) -> Error {
    Error::new(ErrorKind::Internal, message)
}

/// The text of every module of `modules`, in order: their parts are emitted and formatted on
/// up to as many threads as the machine has (this one included), then put back in order, so
/// the text never depends on which thread formatted what.
pub(super) fn format_modules(modules: &[ModuleParts<'_>]) -> Vec<Result<String, Error>> {
    let jobs: Vec<(&'static str, &Part<'_>)> = modules
        .iter()
        .flat_map(|module| module.parts.iter().map(move |part| (module.name, part)))
        .collect();
    let done: Vec<OnceLock<Result<String, Error>>> = jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    // Each thread takes the next part not taken yet, until none is left.
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(name, part)) = jobs.get(index) else {
                break;
            };
            let (shape, tokens, deferred) = part.deferred_tokens();
            // Each index is taken once, so each cell is set once.
            let _ = done[index].set(format_part(name, shape, tokens, &deferred));
        }
    };
    crate::threads::share(work);
    // Every run of `work` has returned, and the parts were all taken: every cell is set.
    let mut texts = done.into_iter().map(|cell| {
        cell.into_inner()
            .unwrap_or_else(|| Err(internal_error(String::from("a part was not formatted"))))
    });
    modules
        .iter()
        .map(|module| {
            // Every part of the module is taken, even after an error, so that the next module
            // starts at its own first part.
            let parts: Vec<_> = texts.by_ref().take(module.parts.len()).collect();
            parts.into_iter().collect::<Result<String, Error>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items with doc blocks at three indentations, blank and space-padded doc lines, and a
    /// string literal that reads like a placeholder.
    fn documented() -> TokenStream {
        let type_doc = docs::doc_attrs("A thing.\n\nIt has  \ntwo paragraphs.");
        let field_doc = docs::doc_attrs("Its name (`[a-z]+`).");
        let method_doc = docs::doc_attrs("Says\u{1}0 hello.\n```\nlet x = 1;   \n```");
        quote! {
            #type_doc
            pub struct Thing {
                #field_doc
                pub name: String,
            }
            impl Thing {
                #method_doc
                pub fn hello(&self) -> &'static str {
                    "///\u{1}0"
                }
            }
        }
    }

    #[test]
    fn deferred_doc_blocks_are_written_as_prettyplease_writes_doc_attributes() {
        let whole = format_part("m", Shape::Items, documented(), &DeferredText::default()).unwrap();
        assert!(whole.contains("    /// Its name (`[a-z]+`).\n"), "{whole}");
        let (tokens, blocks) = deferred::deferring(documented);
        assert!(!tokens.to_string().contains("Its name"), "{tokens}");
        let deferred = format_part("m", Shape::Items, tokens, &blocks).unwrap();
        assert_eq!(deferred, whole);
    }

    #[test]
    fn a_placeholder_without_its_block_is_an_error() {
        let (tokens, _) = deferred::deferring(documented);
        let error = format_part("m", Shape::Items, tokens, &DeferredText::default()).unwrap_err();
        assert!(error.to_string().contains("has no place"), "{error}");
    }

    #[test]
    fn deferring_ends_with_its_closure() {
        let (_, blocks) = deferred::deferring(|| docs::doc_attrs("inside"));
        let outside = docs::doc_attrs("outside");
        assert!(outside.to_string().contains("outside"), "{outside}");
        let formatted = format_part("m", Shape::Items, documented(), &blocks).unwrap();
        assert!(formatted.contains("/// A thing."), "{formatted}");
    }
}
