//! Reading a document's text: the size limit, checked before and while reading, and UTF-8
//! with a located error for the first byte that is not.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, ErrorKind};

/// Reads the file at `path` as UTF-8 text of at most `max_bytes` bytes. The size is checked
/// before reading, and the read stops past the limit should the file grow meanwhile.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let declared = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    if declared > max_bytes {
        return Err(too_large(declared, max_bytes).in_file(path));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, &e))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        return Err(too_large(read, max_bytes).in_file(path));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let (line, column) = line_column(&valid, valid.len());
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let mut error = Error::new(
            ErrorKind::Syntax,
            "the document is not valid UTF-8: the byte here starts no UTF-8 character",
        )
        .in_file(path)
        .at_location(line, column)
        .with_help("save the document as UTF-8");
        if let Some(text) = crate::span::line_text(&lossy, line) {
            error = error.with_snippet(text, column);
        }
        error
    })
}

/// The error for a document of `size` bytes over a limit of `max_bytes`.
pub fn too_large(size: u64, max_bytes: u64) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("the document is {size} bytes, more than the limit of {max_bytes} bytes"),
    )
    .with_help("raise the limit with `Config::max_input_bytes` if the document is trusted")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
        assert_eq!(line_column("é\nçé!", 7), (2, 3));
    }
}
