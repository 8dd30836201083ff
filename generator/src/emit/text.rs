//! Code written as text rather than formatted from tokens (see `emit/deferred.rs`): lines
//! checked against `prettyplease`'s margin, so that no line written is one `prettyplease`
//! would have broken.

use std::fmt::Write as _;

use proc_macro2::Literal;

/// The longest line written as text, in bytes, indentation included: `prettyplease`'s margin
/// of 89 columns. A line that fits it, `prettyplease` does not break (`tests/formatting.rs`
/// fails with a larger limit).
pub(super) const MAX_LINE: usize = 89;

/// Lines of code, each checked against [`MAX_LINE`].
pub(super) struct Lines {
    text: String,
    fits: bool,
}

impl Lines {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Lines {
            text: String::with_capacity(capacity),
            fits: true,
        }
    }

    /// Appends `line`, indented by `indent` spaces, and a line break; `line` holds none.
    pub(super) fn line(&mut self, indent: usize, line: std::fmt::Arguments<'_>) {
        let start = self.text.len();
        self.text.extend(std::iter::repeat_n(' ', indent));
        // Writing to a `String` cannot fail.
        let _ = self.text.write_fmt(line);
        self.fits &= self.text.len() - start <= MAX_LINE;
        self.text.push('\n');
    }

    /// Appends `line` like [`Lines::line`], then a comma that does not count against the
    /// margin: the comma after the last element of a list that `prettyplease` breaks an
    /// element per line, which it writes only when the list breaks and leaves out of its
    /// measure.
    pub(super) fn last_line(&mut self, indent: usize, line: std::fmt::Arguments<'_>) {
        self.line(indent, line);
        self.text.insert(self.text.len() - 1, ',');
    }

    /// Appends `{head}{ty}{tail}` at `indent`, with the type's generic arguments broken as
    /// `prettyplease` breaks them when the line does not fit: the outermost brackets first,
    /// each argument on a line of its own one level deeper (broken in turn if it does not fit),
    /// then `>{tail}`. `tail_counts` is false for the comma after a list's last element, which
    /// does not count against the margin (see [`Lines::last_line`]). Gives up on a type too
    /// long for its line that has no generic arguments to break.
    pub(super) fn type_line(
        &mut self,
        indent: usize,
        head: &str,
        ty: &str,
        tail: &str,
        tail_counts: bool,
    ) {
        let counted_tail = if tail_counts { tail.len() } else { 0 };
        if indent + head.len() + ty.len() + counted_tail <= MAX_LINE {
            self.unbreakable_line(indent, format_args!("{head}{ty}{tail}"));
            return;
        }
        let Some((outer, arguments)) = ty.strip_suffix('>').and_then(|ty| ty.split_once('<'))
        else {
            return self.give_up();
        };
        self.line(indent, format_args!("{head}{outer}<"));
        let arguments = split_arguments(arguments);
        for (index, argument) in arguments.iter().enumerate() {
            let last = index + 1 == arguments.len();
            self.type_line(indent + 4, "", argument, ",", !last);
        }
        self.line(indent, format_args!(">{tail}"));
    }

    /// Appends `crate::runtime::MACRO!(ARGUMENTS);` at the top level: on one line if it fits,
    /// else with the arguments on a line of their own. A macro's arguments are a run of tokens
    /// printed as they are: one token (a type name) may pass the margin, several are given up
    /// on when they do not fit.
    pub(super) fn macro_call(&mut self, macro_name: &str, arguments: &str) {
        let one_line = format!("crate::runtime::{macro_name}!({arguments});");
        if one_line.len() <= MAX_LINE {
            self.line(0, format_args!("{one_line}"));
            return;
        }
        self.line(0, format_args!("crate::runtime::{macro_name}!("));
        if arguments.contains(' ') {
            self.line(4, format_args!("{arguments}"));
        } else {
            self.unbreakable_line(4, format_args!("{arguments}"));
        }
        self.line(0, format_args!(");"));
    }

    /// Appends `line` like [`Lines::line`], whatever its width: for a line that holds one
    /// token, such as a string literal, which no formatter can break.
    pub(super) fn unbreakable_line(&mut self, indent: usize, line: std::fmt::Arguments<'_>) {
        self.text.extend(std::iter::repeat_n(' ', indent));
        // Writing to a `String` cannot fail.
        let _ = self.text.write_fmt(line);
        self.text.push('\n');
    }

    /// Appends each of `lines`, indented by `indent` spaces: code the same in every document.
    pub(super) fn fixed(&mut self, indent: usize, lines: &[&str]) {
        for line in lines {
            self.line(indent, format_args!("{line}"));
        }
    }

    /// Appends a doc comment of `lines` (the values of its doc attributes) as `prettyplease`
    /// prints doc attributes, whatever the width (see `deferred::push_doc_comment`).
    pub(super) fn doc(&mut self, indent: usize, lines: &[String]) {
        super::deferred::push_doc_comment(&mut self.text, indent, lines);
    }

    /// Appends `text`, lines already checked, as it is.
    pub(super) fn append(&mut self, lines: Lines) {
        self.fits &= lines.fits;
        self.text.push_str(&lines.text);
    }

    /// Marks the text as not writable: a shape the writer does not lay out.
    pub(super) fn give_up(&mut self) {
        self.fits = false;
    }

    /// The text, if every line fits and no shape was given up on.
    pub(super) fn finish(self) -> Option<String> {
        self.fits.then_some(self.text)
    }
}

/// The arguments between a type's outer angle brackets, split at the commas outside brackets
/// of their own.
fn split_arguments(arguments: &str) -> Vec<&str> {
    let mut split = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in arguments.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                split.push(arguments[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    split.push(arguments[start..].trim());
    split
}

/// `text` as the string literal `quote` makes of it, and so as `prettyplease` prints it.
pub(super) fn literal(text: &str) -> String {
    Literal::string(text).to_string()
}
