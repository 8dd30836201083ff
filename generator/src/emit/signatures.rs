//! Whole functions of an `impl` block written as text: doc comment, attributes, signature and
//! a body already written (see `emit/statements.rs`).
//!
//! Why: once a method's statements are written as text, its signature is most of what is left
//! for `syn` to parse and `prettyplease` to lay out in `client.rs`. A signature comes in three
//! layouts, chosen by the width of its lines:
//!
//! - on one line, up to the ` {` that opens the body, when that line fits the margin (the
//!   line break after ` {` is the first place after the arguments where `prettyplease` may
//!   break, so it measures that far before it decides to break the arguments);
//! - else with one argument per line;
//! - and the return type's generic arguments broken as well, when `) -> Type {` does not fit
//!   either (see `Lines::type_line`).
//!
//! Any other case (no arguments to break, an argument too long for its line) is given up on,
//! and the tokens are formatted instead. The tests below and `tests/formatting.rs` compare the
//! text with `prettyplease`'s.

use super::text::{Lines, MAX_LINE};

/// The indentation of a function in an `impl` block.
const ITEM: usize = 4;

/// A function of an `impl` block, as the text of its parts.
pub(super) struct Function<'a> {
    /// The values of its doc attributes, a line each.
    pub doc: &'a [String],
    /// Whether it is marked `#[deprecated]`.
    pub deprecated: bool,
    /// Everything before the arguments: `pub fn name`.
    pub head: &'a str,
    /// Its arguments as written, `&self` included.
    pub arguments: &'a [String],
    /// Its return type as `rust_type_text` writes types.
    pub output: &'a str,
}

impl Function<'_> {
    /// The function with `body` (its statements, written at the indentation of a method body
    /// and ending with a line break), as `prettyplease` lays it out; `None` where the layout is
    /// not one of those above.
    pub(super) fn text(&self, body: &str) -> Option<String> {
        let mut lines = Lines::with_capacity(256 + body.len());
        lines.doc(ITEM, self.doc);
        if self.deprecated {
            lines.line(ITEM, format_args!("#[deprecated]"));
        }
        self.signature(&mut lines);
        let mut text = lines.finish()?;
        text.push_str(body);
        text.extend(std::iter::repeat_n(' ', ITEM));
        text.push_str("}\n");
        Some(text)
    }

    fn signature(&self, lines: &mut Lines) {
        let (head, output) = (self.head, self.output);
        let arguments = self.arguments.join(", ");
        let one_line = ITEM + head.len() + "() -> ".len() + arguments.len() + output.len() + 2;
        if one_line <= MAX_LINE {
            lines.line(ITEM, format_args!("{head}({arguments}) -> {output} {{"));
            return;
        }
        if self.arguments.is_empty() {
            lines.give_up();
            return;
        }
        lines.line(ITEM, format_args!("{head}("));
        if let Some((last, others)) = self.arguments.split_last() {
            for argument in others {
                lines.line(ITEM + 4, format_args!("{argument},"));
            }
            lines.last_line(ITEM + 4, format_args!("{last}"));
        }
        lines.type_line(ITEM, ") -> ", output, " {", true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `prettyplease` makes of the function, in an `impl` block of its own.
    fn formatted(function: &Function<'_>, body: &str) -> String {
        let doc: String = function
            .doc
            .iter()
            .map(|line| format!("#[doc = {:?}]", line))
            .collect();
        let deprecated = if function.deprecated {
            "#[deprecated]"
        } else {
            ""
        };
        let source = format!(
            "impl C {{ {doc} {deprecated} {}({}) -> {} {{ {body} }} }}",
            function.head,
            function.arguments.join(", "),
            function.output
        );
        let file: syn::File = syn::parse_str(&source).expect("the function parses");
        prettyplease::unparse(&file)
    }

    #[test]
    fn signatures_are_laid_out_as_prettyplease_lays_them_out_at_every_width() {
        let body = "        request\n";
        let outputs = [
            String::from("crate::runtime::Request"),
            String::from("crate::runtime::Call<()>"),
            String::from("crate::runtime::Call<Vec<u8>>"),
            String::from("crate::runtime::paging::Paged<crate::models::Page>"),
        ];
        let doc = [
            String::from(" Lists them."),
            String::new(),
            String::from(" More."),
        ];
        let (mut written, mut given_up) = (0, 0);
        let mut layouts = [0; 3];
        for width in 1..=110 {
            let name = "n".repeat(width);
            let head = format!("pub fn {name}");
            let long_type = format!("crate::runtime::Call<crate::models::{}>", "T".repeat(width));
            let argument_sets = [
                vec![],
                vec![String::from("&self")],
                vec![
                    String::from("&self"),
                    format!("id: &{}", "I".repeat(width / 2 + 1)),
                ],
                vec![
                    String::from("&self"),
                    String::from("options: &ListOptions"),
                    format!(
                        "body: Option<&crate::models::{}>",
                        "B".repeat(width / 3 + 1)
                    ),
                ],
            ];
            for output in outputs.iter().chain([&long_type]) {
                for arguments in &argument_sets {
                    for deprecated in [false, true] {
                        let function = Function {
                            doc: &doc,
                            deprecated,
                            head: &head,
                            arguments,
                            output,
                        };
                        let Some(text) = function.text(body) else {
                            given_up += 1;
                            continue;
                        };
                        let expected = formatted(&function, "request");
                        assert_eq!(format!("impl C {{\n{text}}}\n"), expected);
                        written += 1;
                        let layout = if text.contains("\n    > {\n") {
                            2
                        } else {
                            usize::from(text.contains("(\n"))
                        };
                        layouts[layout] += 1;
                    }
                }
            }
        }
        // Every layout is written, on one side of the margin or the other; what is given up on
        // is mostly a line longer than the margin that no layout avoids (names of 80 and more).
        assert!(
            layouts.iter().all(|&count| count > 100),
            "{layouts:?} written, {given_up} given up"
        );
        assert!(written > given_up, "{written} written, {given_up} given up");
    }
}
