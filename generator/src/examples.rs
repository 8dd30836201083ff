//! The document's own examples as test vectors (`clientsmith examples`): every `example` and
//! `examples` value is decoded into the generated type it belongs to and encoded back, in a
//! harness compiled into the generated crate; a JSON Schema validator decides, for each one
//! that fails, whether the generated type rejected a valid value (a generator defect) or the
//! example does not match its own schema (a document defect).

mod collect;
mod harness;
mod judge;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::{Config, load, output, threads::with_stack};
use collect::{Example, Skipped};

/// A generated crate with its examples harness, written by [`Config::examples_crate`]: run
/// [`Examples::command`], then [`Examples::judge`] reads what it found.
#[derive(Debug)]
pub struct Examples {
    dir: PathBuf,
    document: Value,
    examples: Vec<Example>,
    /// The Rust type of each example, as written in the harness.
    types: Vec<String>,
    skipped: Vec<Skipped>,
}

/// What the examples of one document came to.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every example found: passed, failed and skipped.
    pub examples: usize,
    /// Decoded and encoded back to the same JSON.
    pub passed: usize,
    /// Valid against their schema, yet the generated type rejects them or loses part of them.
    pub generator_defects: Vec<Failure>,
    /// Rejected, and invalid against their own schema.
    pub document_defects: Vec<Failure>,
    /// Not checked: where, and why.
    pub skipped: Vec<(String, String)>,
}

/// One example that did not pass.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Where the example is written (a JSON pointer into the document).
    pub pointer: String,
    /// The Rust type it was decoded into.
    pub ty: String,
    /// What went wrong: the decode error with its JSON path, or what the round trip changed.
    pub error: String,
    /// Why the validator finds the example invalid against its schema (document defects), or
    /// why it could not judge.
    pub schema_error: Option<String>,
}

/// The input and output files of the harness, in the crate's directory.
const INPUT_FILE: &str = "examples-input.txt";
const OUTPUT_FILE: &str = "examples-output.jsonl";

impl Config {
    /// Writes the crate [`Config::generate_crate`] writes, plus a test (`examples_harness`) that
    /// decodes the document's examples into their generated types and encodes them back.
    pub fn examples_crate(&self, name: &str) -> Result<Examples, Error> {
        crate::check_crate_name(name)?;
        let document = load::load_with_limit(&self.spec, self.max_input_bytes)?;
        let raw = serde_json::to_value(&document.api)
            .map_err(|e| Error::new(ErrorKind::Internal, format!("the document as JSON: {e}")))?;
        let (examples, types, skipped, files) = with_stack(|| {
            let (api, mut files, _) =
                self.crate_files_of(name, crate::emit::INITIAL_VERSION, document)?;
            let (examples, skipped) = collect::collect(&api, &raw);
            let (module, input, types) = harness::harness(&api, &examples);
            files.insert(harness::MODULE.to_owned(), module);
            files.insert(INPUT_FILE.to_owned(), input);
            if let Some(lib) = files.get_mut("src/lib.rs") {
                lib.push_str("\n#[cfg(test)]\nmod examples_harness;\n");
            }
            if let Some(manifest) = files.get_mut("Cargo.toml") {
                manifest.push_str("\n[dev-dependencies]\nserde_path_to_error = \"0.1.17\"\n");
            }
            Ok((examples, types, skipped, files))
        })?;
        output::write_files(&self.out_dir, &files)?;
        Ok(Examples {
            dir: self.out_dir.clone(),
            document: raw,
            examples,
            types,
            skipped,
        })
    }
}

impl Examples {
    /// The crate's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many examples the harness checks.
    pub fn len(&self) -> usize {
        self.examples.len()
    }

    /// Where each example the harness checks is written (JSON pointers), in the order of its
    /// results.
    pub fn pointers(&self) -> impl Iterator<Item = &str> {
        self.examples.iter().map(|e| e.pointer.as_str())
    }

    /// Whether the harness has nothing to check (then it need not run).
    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// `cargo test` running the harness in the crate's directory, with the crate's `server`
    /// feature (update bodies decode only there) (`CARGO`, or `cargo`, with
    /// the caller's environment: set `CARGO_TARGET_DIR` to share compiled dependencies). Add
    /// `-p NAME` when the crate is a member of a larger workspace.
    pub fn command(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(&self.dir)
            .args(["test", "--quiet", "--lib", "--features", "server"])
            .env(harness::INPUT_VAR, absolute(&self.dir.join(INPUT_FILE)))
            .env(harness::OUTPUT_VAR, absolute(&self.dir.join(OUTPUT_FILE)));
        command
    }

    /// The arguments after `--` that select the harness's test: append them after any
    /// arguments of your own to [`Examples::command`].
    pub fn test_args() -> [&'static str; 3] {
        ["--", "--exact", harness::TEST]
    }

    /// The file the harness writes its results to (one JSON line per example), which
    /// [`Examples::judge`] reads.
    pub fn results_path(&self) -> PathBuf {
        self.dir.join(OUTPUT_FILE)
    }

    /// Reads what the harness wrote and judges each example.
    pub fn judge(&self) -> Result<Report, Error> {
        let mut report = Report {
            examples: self.examples.len() + self.skipped.len(),
            skipped: self
                .skipped
                .iter()
                .map(|s| (s.pointer.clone(), s.reason.clone()))
                .collect(),
            ..Report::default()
        };
        if self.examples.is_empty() {
            return Ok(report);
        }
        let path = self.results_path();
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
        let results: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or(Value::Null))
            .collect();
        if results.len() != self.examples.len() {
            return Err(Error::new(
                ErrorKind::Internal,
                format!(
                    "the harness answered {} of {} examples",
                    results.len(),
                    self.examples.len()
                ),
            )
            .in_file(path));
        }
        let mut validator = judge::Validator::new(&self.document);
        for ((example, result), ty) in self.examples.iter().zip(&results).zip(&self.types) {
            let error = match (result.get("encoded"), result.get("error")) {
                (Some(encoded), _) => judge::difference(&example.value, encoded)
                    .map(|d| format!("the round trip changes it: {d}")),
                (None, Some(error)) => {
                    let at = result.get("path").and_then(Value::as_str).unwrap_or(".");
                    let error = error.as_str().unwrap_or_default();
                    Some(format!("at `{at}`: {}", without_position(error)))
                }
                (None, None) => Some(String::from("the harness gave no result")),
            };
            let Some(error) = error else {
                report.passed += 1;
                continue;
            };
            let ty = ty.clone();
            match validator.check(&example.schema, example.patch, &example.value) {
                Ok(Some(invalid)) => report.document_defects.push(Failure {
                    pointer: example.pointer.clone(),
                    ty,
                    error,
                    schema_error: Some(invalid),
                }),
                Ok(None) => report.generator_defects.push(Failure {
                    pointer: example.pointer.clone(),
                    ty,
                    error,
                    schema_error: None,
                }),
                Err(cannot) => report.generator_defects.push(Failure {
                    pointer: example.pointer.clone(),
                    ty,
                    error,
                    schema_error: Some(format!("undecided: {cannot}")),
                }),
            }
        }
        Ok(report)
    }
}

/// A `serde_json` error without its ` at line 1 column 54`: the position in the example's
/// one-line text, which says nothing the JSON path does not.
fn without_position(error: &str) -> &str {
    match error.rfind(" at line ") {
        Some(at)
            if error[at + 9..]
                .split(" column ")
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            &error[..at]
        }
        _ => error,
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

impl Report {
    /// Failures the generator must answer for.
    pub fn has_generator_defects(&self) -> bool {
        !self.generator_defects.is_empty()
    }

    /// The totals line: examples, passed, generator defects, document defects, skipped.
    pub fn totals(&self) -> String {
        format!(
            "{} examples: {} passed, {} generator defects, {} document defects; {} skipped",
            self.examples,
            self.passed,
            self.generator_defects.len(),
            self.document_defects.len(),
            self.skipped.len()
        )
    }

    /// The reasons examples were skipped, with how many each.
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (_, reason) in &self.skipped {
            let key = generalise(reason);
            match counts.iter_mut().find(|(r, _)| *r == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
}

/// A skip reason without the names in backquotes, so that reasons group.
fn generalise(reason: &str) -> String {
    let mut out = String::new();
    for (index, part) in reason.split('`').enumerate() {
        out.push_str(if index % 2 == 1 { "…" } else { part });
    }
    out
}

impl fmt::Display for Report {
    /// One line per failing example (pointer, then the error), then the totals and the skip
    /// reasons.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.generator_defects {
            write!(
                f,
                "generator defect: {} ({}): {}",
                failure.pointer, failure.ty, failure.error
            )?;
            if let Some(note) = &failure.schema_error {
                write!(f, " ({note})")?;
            }
            writeln!(f)?;
        }
        for failure in &self.document_defects {
            writeln!(
                f,
                "document defect:  {} ({}): {}; invalid against its schema: {}",
                failure.pointer,
                failure.ty,
                failure.error,
                failure.schema_error.as_deref().unwrap_or_default()
            )?;
        }
        writeln!(f, "{}", self.totals())?;
        for (reason, count) in self.skip_reasons() {
            writeln!(f, "  skipped {count}: {reason}")?;
        }
        Ok(())
    }
}
