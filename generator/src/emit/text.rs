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

/// `text` as the string literal `quote` makes of it, and so as `prettyplease` prints it.
pub(super) fn literal(text: &str) -> String {
    Literal::string(text).to_string()
}
