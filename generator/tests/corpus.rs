//! The conformance corpus: every document in `../shared/specs/corpus` (and Microsoft Graph's
//! own `graph-beta-connectors.yaml`), and every Swagger 2.0 and OpenAPI 3.1 document in
//! `../shared/specs/versions`, generates a crate, and all of them are compiled together
//! in one temporary workspace under `cargo clippy -D warnings` and `cargo doc -D warnings`.
//! A document either compiles warning-free or fails with the located error listed in
//! `EXPECTED_FAILURES`. The test prints a table: document, operations, types, warnings by
//! kind, result.

mod support;

use std::fmt::Write as _;
use std::path::Path;

use clientsmith::ErrorKind;

/// Documents expected to be refused, with the error kind, a part of the message, and why.
const EXPECTED_FAILURES: &[(&str, ErrorKind, &str, &str)] = &[];

/// Share of corpus documents that must generate crates that compile.
const REQUIRED_SHARE: f64 = 0.9;

struct Row {
    document: String,
    operations: usize,
    types: usize,
    warnings: String,
    result: String,
}

/// How many warnings of each kind: `2 unsupported, 1 invalid`, or `none`.
fn warnings_by_kind(warnings: &clientsmith::Warnings) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for warning in warnings.iter() {
        let kind = warning.kind().as_str();
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, count)) => *count += 1,
            None => counts.push((kind, 1)),
        }
    }
    if counts.is_empty() {
        return String::from("none");
    }
    counts
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_corpus_document_generates_a_crate_that_compiles() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut unexpected = Vec::new();
    let corpus = support::corpus_documents(&specs);
    for document in corpus
        .iter()
        .cloned()
        .chain(support::version_documents(&specs))
    {
        let file = document
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Converted documents are named by their version: `swagger-2.0-netlify.yaml`.
        let (prefix, file) = match document
            .parent()
            .and_then(Path::file_name)
            .and_then(|f| f.to_str())
        {
            Some("2.0") => ("swagger", format!("2.0/{file}")),
            Some("3.1") => ("openapi31", format!("3.1/{file}")),
            _ => ("corpus", file),
        };
        let name = support::crate_name(prefix, &document);
        let expected = EXPECTED_FAILURES.iter().find(|(doc, ..)| *doc == file);
        let config = clientsmith::Config::new(&document)
            .out_dir(workspace.path().join(&name))
            .runtime_path(support::runtime_dir());
        let counts = clientsmith::internals::load::load(&document)
            .and_then(|doc| {
                use clientsmith::internals::model::{Strictness, build_with};
                build_with(&doc.api, None, Strictness::Lenient)
            })
            .map(|(api, _)| (api.operations.len(), api.types.len()));
        match (config.generate_crate(&name), expected) {
            (Ok(summary), None) => {
                let (operations, types) = counts.unwrap_or_default();
                if !summary.warnings.is_empty() {
                    println!("{file}:\n{}\n", summary.warnings);
                }
                members.push(name);
                rows.push(Row {
                    document: file,
                    operations,
                    types,
                    warnings: warnings_by_kind(&summary.warnings),
                    result: String::from("compiles"),
                });
            }
            (Ok(_), Some(_)) => unexpected.push(format!(
                "{file}: generated, but is listed as an expected failure"
            )),
            (Err(error), Some((_, kind, message, reason))) => {
                if error.kind() != *kind
                    || !error.message().contains(message)
                    || error.pointer().is_none()
                {
                    unexpected.push(format!(
                        "{file}: expected {kind:?} `{message}`, got:\n{error}"
                    ));
                }
                rows.push(Row {
                    document: file,
                    operations: 0,
                    types: 0,
                    warnings: String::new(),
                    result: format!("refused as expected: {} ({reason})", error.message()),
                });
            }
            (Err(error), None) => unexpected.push(format!("{file}: unexpected error:\n{error}")),
        }
    }

    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for member in &members {
        let _ = writeln!(manifest, "    \"{member}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("workspace manifest");
    std::fs::copy(
        support::workspace_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");

    let clippy = support::cargo(
        workspace.path(),
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    let doc = support::cargo(
        workspace.path(),
        &["doc", "--workspace", "--no-deps", "--all-features"],
    );

    let mut table = String::from(
        "\n| document | operations | types | warnings | result |\n|---|---:|---:|---|---|\n",
    );
    for row in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} |",
            row.document, row.operations, row.types, row.warnings, row.result
        );
    }
    // Graph's own document is not part of the corpus.
    let corpus = corpus.len() - 1;
    let verdict = if clippy.is_ok() && doc.is_ok() {
        "compile warning-free (clippy and rustdoc)"
    } else {
        "generate, but the workspace FAILS clippy or rustdoc (see below)"
    };
    let _ = writeln!(
        table,
        "\n{} of {} documents generate crates that {verdict}.",
        members.len(),
        rows.len()
    );
    println!("{table}");

    if let Err(output) = clippy {
        panic!("the generated crates do not pass clippy -D warnings:\n{output}");
    }
    if let Err(output) = doc {
        panic!("the generated crates do not document cleanly:\n{output}");
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));
    let corpus_compiled = members
        .iter()
        .filter(|m| m.starts_with("corpus-") && *m != "corpus-graph-beta-connectors")
        .count();
    #[allow(clippy::cast_precision_loss)]
    let share = corpus_compiled as f64 / corpus as f64;
    assert!(
        share >= REQUIRED_SHARE,
        "only {corpus_compiled} of {corpus} corpus documents compile"
    );
}
