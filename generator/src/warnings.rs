//! The warnings of one run, shown once per cause.
//!
//! A large document written by a tool repeats its irregularities: the same unsupported
//! parameter style in forty operations, the same out-of-range number in every schema of a
//! family. Each occurrence is kept (for `deny_warnings`, and for callers that list them), but
//! rendering shows the first of each cause in full and counts the others, as rustc does with
//! repeated lints. Two warnings have the same cause when their kinds are the same and their
//! messages differ only in what they quote (names, paths, numbers).

use std::fmt;

use crate::error::{Error, Level};

/// The warnings of one run, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warnings {
    list: Vec<Error>,
}

impl Warnings {
    pub(crate) fn new(list: Vec<Error>) -> Self {
        Warnings { list }
    }

    /// Adds the warnings of `other` after these.
    pub(crate) fn extend(&mut self, other: Warnings) {
        self.list.extend(other.list);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many warnings there are, repeated causes included.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Every warning, repeated causes included.
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.list.iter()
    }

    /// The first warning of each cause, with how many more of that cause there are.
    pub fn by_cause(&self) -> Vec<(&Error, usize)> {
        let mut causes: Vec<(String, &Error, usize)> = Vec::new();
        for warning in &self.list {
            let key = cause(warning);
            match causes.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, more)) => *more += 1,
                None => causes.push((key, warning, 0)),
            }
        }
        causes
            .into_iter()
            .map(|(_, first, more)| (first, more))
            .collect()
    }

    /// The warnings as one error, every one of them an error: what `deny_warnings` reports.
    /// `None` when there are none.
    pub fn into_error(self) -> Option<Error> {
        Error::from_diagnostics(self.list.into_iter().map(Error::into_error))
    }
}

/// What two warnings of the same cause share: the kind, and the message with every quoted
/// span (between backticks) and every number blanked.
fn cause(warning: &Error) -> String {
    let mut key = String::from(warning.kind().as_str());
    key.push(':');
    let mut quoted = false;
    for c in warning.message().chars() {
        if c == '`' {
            quoted = !quoted;
            key.push('`');
        } else if !quoted && !c.is_ascii_digit() {
            key.push(c);
        }
    }
    key
}

impl fmt::Display for Warnings {
    /// Each cause's first warning in full, with a note counting the others, then a total.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let causes = self.by_cause();
        for (index, (first, more)) in causes.iter().enumerate() {
            if index > 0 {
                f.write_str("\n\n")?;
            }
            debug_assert_eq!(first.level(), Level::Warning);
            write!(f, "{first}")?;
            if *more > 0 {
                // Under the diagnostic's own notes, whose gutter is as wide as its line number.
                let width = first
                    .location()
                    .map_or(2, |at| at.line.to_string().len().max(2));
                let gutter = " ".repeat(width + 1);
                let plural = if *more == 1 { "" } else { "s" };
                write!(
                    f,
                    "\n{gutter}= note: {more} more warning{plural} like this one"
                )?;
            }
        }
        if !causes.is_empty() {
            let plural = if self.len() == 1 { "" } else { "s" };
            write!(
                f,
                "\n\nwarning: {} warning{plural} ({} shown); everything else was generated",
                self.len(),
                causes.len()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn warning(message: &str, pointer: &str) -> Error {
        Error::new(ErrorKind::Unsupported, message)
            .at_pointer(pointer)
            .into_warning()
    }

    #[test]
    fn one_line_per_cause_with_a_count_of_the_others() {
        let warnings = Warnings::new(vec![
            warning(
                "operation `GET /a` is left out: `x` is not supported",
                "#/a",
            ),
            warning(
                "operation `GET /b` is left out: `y` is not supported",
                "#/b",
            ),
            warning("number 1e30 is out of range", "#/c"),
            warning(
                "operation `GET /c` is left out: `z` is not supported",
                "#/d",
            ),
        ]);
        assert_eq!(warnings.len(), 4);
        let causes = warnings.by_cause();
        assert_eq!(causes.len(), 2);
        assert_eq!((causes[0].0.pointer(), causes[0].1), (Some("#/a"), 2));
        assert_eq!((causes[1].0.pointer(), causes[1].1), (Some("#/c"), 0));
        let text = warnings.to_string();
        assert!(
            text.starts_with("warning[unsupported]: operation `GET /a`"),
            "{text}"
        );
        assert!(
            text.contains("= note: 2 more warnings like this one"),
            "{text}"
        );
        assert!(!text.contains("GET /b"), "{text}");
        assert!(
            text.ends_with("warning: 4 warnings (2 shown); everything else was generated"),
            "{text}"
        );
    }

    #[test]
    fn denied_warnings_are_errors_every_one() {
        let warnings = Warnings::new(vec![warning("a `1`", "#/a"), warning("a `2`", "#/b")]);
        let error = warnings.into_error().expect("an error");
        assert_eq!(error.count(), 2);
        assert!(error.diagnostics().all(|d| d.level() == Level::Error));
        assert!(error.to_string().starts_with("error[unsupported]: a `1`"));
        assert!(Warnings::default().into_error().is_none());
    }
}
