//! Writing generated files: atomically, only when the bytes differ, and removing generated
//! files the document no longer produces. Also the comparison behind `check`.

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::changes::{self, ApiChanges};
use crate::emit::{Files, HEADER_MARK, surface};
use crate::error::Error;

/// What a write changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written because they were new or different.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Generated files removed because the document no longer produces them.
    pub removed: Vec<PathBuf>,
    /// What the generator read irregularly or left out, located in the document.
    pub warnings: crate::Warnings,
    /// What the new code changes for callers, compared with the code it replaced; `None`
    /// when there was none, or it did not list its public API (see [`crate::ApiChanges`]).
    pub changes: Option<crate::ApiChanges>,
}

impl WriteSummary {
    /// Whether anything on disk changed.
    pub fn changed(&self) -> bool {
        !self.written.is_empty() || !self.removed.is_empty()
    }
}

/// Writes `files` under `dir`.
pub fn write_files(dir: &Path, files: &Files) -> Result<WriteSummary, Error> {
    let mut summary = WriteSummary::default();
    for (relative, contents) in files {
        let path = dir.join(relative);
        if std::fs::read(&path).is_ok_and(|existing| existing == contents.as_bytes()) {
            summary.unchanged.push(path);
            continue;
        }
        write_atomically(&path, contents.as_bytes())?;
        summary.written.push(path);
    }
    for stale in stale_files(dir, files)? {
        std::fs::remove_file(&stale).map_err(|e| Error::io(&stale, &e))?;
        remove_emptied_dirs(dir, &stale);
        summary.removed.push(stale);
    }
    Ok(summary)
}

/// Removes the directories between `dir` and the removed file `stale` that it left empty,
/// such as the `runtime/` of a crate written before the runtime became a crate of its own.
/// A directory that still holds anything (a hand-written file) stays, and so does `dir`.
fn remove_emptied_dirs(dir: &Path, stale: &Path) {
    let mut current = stale.parent();
    while let Some(parent) = current {
        if parent == dir || !parent.starts_with(dir) {
            break;
        }
        // Fails, and so stops, at the first directory that is not empty.
        if std::fs::remove_dir(parent).is_err() {
            break;
        }
        current = parent.parent();
    }
}

/// Writes through a temporary file in the same directory and a rename, so a reader (or an
/// interrupted build) never sees half a file.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).map_err(|e| Error::io(&temporary, &e))?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, &e)
    })
}

/// `.rs` files under `dir` that carry the generated header but are not in `files`.
fn stale_files(dir: &Path, files: &Files) -> Result<Vec<PathBuf>, Error> {
    let mut stale = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&current, &e))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = relative_name(dir, &path);
            if path.extension().is_some_and(|e| e == "rs")
                && !files.contains_key(&relative)
                && std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with(HEADER_MARK))
            {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What `files` change for callers, compared with the code under `dir`: the public APIs the
/// two list in their `surface` file (at `relative`) compared. `None` when `dir` has no such
/// file, or one that does not read as a surface.
pub fn api_changes(dir: &Path, relative: &str, files: &Files) -> Option<ApiChanges> {
    let old = std::fs::read_to_string(dir.join(relative)).ok()?;
    let old = surface::from_text(&old)?;
    let new = surface::from_text(files.get(relative)?)?;
    Some(changes::compare(&old, &new))
}

/// Compares `files` with what is under `dir`; returns a unified diff per differing file
/// (empty when everything is up to date).
pub fn diff_files(dir: &Path, files: &Files) -> Result<Vec<String>, Error> {
    let mut diffs = Vec::new();
    for (relative, expected) in files {
        let path = dir.join(relative);
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != *expected {
            let shown = path.display().to_string();
            let diff = TextDiff::from_lines(&actual, expected)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{shown} (on disk)"),
                    &format!("{shown} (from the document)"),
                )
                .to_string();
            diffs.push(diff);
        }
    }
    for stale in stale_files(dir, files)? {
        diffs.push(format!(
            "{}: generated file that the document no longer produces\n",
            stale.display()
        ));
    }
    Ok(diffs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn writes_only_what_differs_and_removes_stale_generated_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = files(&[
            ("a.rs", &format!("{HEADER_MARK}\nA")),
            ("sub/b.rs", &format!("{HEADER_MARK}\nB")),
        ]);
        let summary = write_files(dir.path(), &first).expect("write");
        assert_eq!(summary.written.len(), 2);

        let again = write_files(dir.path(), &first).expect("rewrite");
        assert!(!again.changed(), "{again:?}");

        std::fs::write(dir.path().join("hand.rs"), "// mine\n").expect("hand-written file");
        let second = files(&[("a.rs", &format!("{HEADER_MARK}\nA2"))]);
        let summary = write_files(dir.path(), &second).expect("write");
        assert_eq!(summary.written, vec![dir.path().join("a.rs")]);
        assert_eq!(summary.removed, vec![dir.path().join("sub/b.rs")]);
        assert!(
            !dir.path().join("sub").exists(),
            "an emptied directory goes too"
        );
        assert!(
            dir.path().join("hand.rs").exists(),
            "files without the header are never removed"
        );
    }

    #[test]
    fn a_directory_with_a_hand_written_file_stays() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = files(&[("a.rs", "A"), ("sub/b.rs", &format!("{HEADER_MARK}\nB"))]);
        write_files(dir.path(), &first).expect("write");
        std::fs::write(dir.path().join("sub/notes.md"), "mine\n").expect("hand-written file");
        let summary = write_files(dir.path(), &files(&[("a.rs", "A")])).expect("write");
        assert_eq!(summary.removed, vec![dir.path().join("sub/b.rs")]);
        assert!(dir.path().join("sub/notes.md").exists());
    }

    #[test]
    fn check_names_a_stale_generated_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = files(&[
            ("a.rs", "A"),
            ("runtime/mod.rs", &format!("{HEADER_MARK}\nR")),
        ]);
        write_files(dir.path(), &old).expect("write");
        let diffs = diff_files(dir.path(), &files(&[("a.rs", "A")])).expect("diff");
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert!(diffs[0].contains("runtime/mod.rs") && diffs[0].contains("no longer produces"));
    }

    #[test]
    fn diff_names_the_differing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let expected = files(&[("a.rs", "one\ntwo\n")]);
        write_files(dir.path(), &expected).expect("write");
        assert!(diff_files(dir.path(), &expected).expect("diff").is_empty());
        let changed = files(&[("a.rs", "one\nthree\n")]);
        let diffs = diff_files(dir.path(), &changed).expect("diff");
        assert_eq!(diffs.len(), 1);
        assert!(
            diffs[0].contains("-two") && diffs[0].contains("+three"),
            "{}",
            diffs[0]
        );
    }
}
