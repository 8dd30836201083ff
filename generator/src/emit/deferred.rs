//! Doc comments that skip the formatter: the one fast path of the emitter.
//!
//! Doc comments are about a quarter of the generated lines. As tokens they are string
//! literals that `syn` parses back and `prettyplease` prints, for nothing: `prettyplease`
//! prints an outer doc attribute whose value has no line break and does not start with `/` as
//! `///` and the value, without its trailing spaces, on a line of its own at the item's
//! indentation, whatever surrounds it. So while a part is emitted ([`deferring`]), each doc
//! comment is kept aside and one placeholder attribute stands for it in the tokens; once the
//! tokens are formatted, [`write_deferred`] writes the comment's lines in the placeholder's
//! place, as `prettyplease` would have written them. `tests/formatting.rs` checks every
//! generated module against the formatter's output of the same tokens with the doc attributes
//! left in.
//!
//! What it saves, emitting and formatting every module on one thread (`module_tokens` and
//! `format_module` of `clientsmith::internals`, doc comments aside against doc attributes,
//! alternating, release build, 2026-12-03): `spec/connectors.yaml` 9.79 against 11.00 ms
//! (median of 41), the 1,000-operation synthetic document 718 against 786 ms (median of 9):
//! about a tenth of the generation time, on documents of every size.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Starts a placeholder's text. A control character: doc lines never hold one (`docs` drops
/// them), and `prettyplease` escapes them in every other literal, so only a placeholder's
/// comment line holds one.
const PLACEHOLDER: char = '\u{1}';

thread_local! {
    /// The doc comments kept aside on this thread while [`deferring`] runs, each as the values
    /// of its doc attributes.
    static DEFERRED: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Runs `emit` with its doc comments kept aside: each is one placeholder in the tokens, and
/// [`write_deferred`] writes the comment in its place once the tokens are formatted. Outside
/// `deferring`, doc comments are emitted as doc attributes.
pub fn deferring<T>(emit: impl FnOnce() -> T) -> (T, DeferredText) {
    /// Restores the outer state, even when `emit` unwinds.
    struct Restore(Option<Vec<Vec<String>>>);
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

/// The placeholder doc attribute for a doc comment of `lines` (each the value of a doc
/// attribute), which it keeps aside, while [`deferring`] runs; `lines` back otherwise.
pub fn doc_comment(lines: Vec<String>) -> Result<TokenStream, Vec<String>> {
    DEFERRED.with_borrow_mut(|deferred| match deferred.as_mut() {
        Some(blocks) => {
            blocks.push(lines);
            let placeholder = format!("{PLACEHOLDER}{}", blocks.len() - 1);
            Ok(quote!(#[doc = #placeholder]))
        }
        None => Err(lines),
    })
}

/// The doc comments kept aside while a part was emitted, in placeholder order.
#[derive(Debug, Clone, Default)]
pub struct DeferredText(Vec<Vec<String>>);

/// `text`, formatted from tokens emitted by [`deferring`], with each placeholder replaced by
/// its doc comment's lines at the placeholder's indentation. `None` if a placeholder names no
/// comment, or is not on a line of its own.
pub fn write_deferred(text: &str, blocks: &DeferredText) -> Option<String> {
    let extra: usize = blocks
        .0
        .iter()
        .flat_map(|lines| lines.iter().map(|line| line.len() + 64))
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
        let lines = blocks.0.get(after[..end].parse::<usize>().ok()?)?;
        out.push_str(&rest[..line_start]);
        rest = &after[end + 1..];
        push_doc_comment(&mut out, indent.len(), lines);
    }
    out.push_str(rest);
    Some(out)
}

/// Appends a doc comment of `lines` (each the value of a doc attribute) as `prettyplease`
/// prints outer doc attributes: for each, `indent` spaces, `///` and the value without its
/// trailing spaces, on a line of its own.
fn push_doc_comment(out: &mut String, indent: usize, lines: &[String]) {
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
        assert_eq!(
            doc_comment(vec![String::from(" text")]).unwrap_err(),
            [" text"]
        );
    }

    #[test]
    fn a_doc_comment_is_written_at_its_placeholder_s_indentation() {
        let (tokens, blocks) = deferring(|| {
            let outer = doc_comment(vec![String::from(" Outer.")]).unwrap();
            let inner = doc_comment(vec![String::from(" Inner.  "), String::new()]).unwrap();
            quote!(#outer struct A; impl A { #inner fn f() {} })
        });
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = write_deferred(&prettyplease::unparse(&file), &blocks).unwrap();
        assert_eq!(
            text,
            "/// Outer.\nstruct A;\nimpl A {\n    /// Inner.\n    ///\n    fn f() {}\n}\n"
        );
    }

    #[test]
    fn a_placeholder_without_its_comment_is_refused() {
        let (tokens, _) = deferring(|| doc_comment(vec![String::from(" Lost.")]).unwrap());
        let file: syn::File = syn::parse2(quote!(#tokens struct A;)).unwrap();
        let text = prettyplease::unparse(&file);
        assert_eq!(write_deferred(&text, &DeferredText::default()), None);
    }
}
