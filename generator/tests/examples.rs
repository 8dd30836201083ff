//! The documents' own examples as test vectors: for every document of the conformance corpus
//! (`../shared/specs/corpus`) and Microsoft Graph's `graph-beta-connectors.yaml`, a crate and
//! its examples harness are generated ([`generator::Config::examples_crate`], what
//! `generator examples` runs), all into one temporary workspace built once; each harness then
//! decodes its document's examples into the generated types and encodes them back. The test
//! prints a table (document, examples, passed, generator defects, document defects, skipped)
//! and the failures, and fails on any generator defect: a value valid against its schema that
//! the generated type rejects or changes.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Generator defects not fixed yet: document, JSON pointer of the example, and why.
const KNOWN_DEFECTS: &[(&str, &str, &str)] = &[
    (
        "nytimes-most-popular.yaml",
        "#/paths/~1mostshared~1{section}~1{time-period}.json/get/responses/200/content/application~1json/examples/response/value",
        "members an object schema does not declare (no `additionalProperties`, so any are allowed) are dropped by the generated struct: issue 20, item 1",
    ),
    (
        "nytimes-most-popular.yaml",
        "#/paths/~1mostviewed~1{section}~1{time-period}.json/get/responses/200/content/application~1json/examples/response/value",
        "members an object schema does not declare (no `additionalProperties`, so any are allowed) are dropped by the generated struct: issue 20, item 1",
    ),
];

fn documents(specs: &Path) -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(specs.join("corpus"))
        .expect("corpus directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    documents.sort();
    documents.push(specs.join("graph-beta-connectors.yaml"));
    documents
}

fn crate_name(document: &Path) -> String {
    let stem = document
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("examples-{cleaned}")
}

#[test]
fn the_examples_of_every_corpus_document_decode_into_their_generated_types() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut prepared = Vec::new();
    let mut refused = Vec::new();
    for document in documents(&specs) {
        let name = crate_name(&document);
        let file = document
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let config = generator::Config::new(&document)
            .out_dir(workspace.path().join(&name))
            .runtime_path(support::runtime_dir())
            .server(false);
        match config.examples_crate(&name) {
            Ok(examples) => prepared.push((file, name, examples)),
            Err(error) => refused.push(format!("{file}: {error}")),
        }
    }

    // Only the crates with examples to check are built.
    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for (_, name, examples) in &prepared {
        if !examples.is_empty() {
            let _ = writeln!(manifest, "    \"{name}\",");
        }
    }
    manifest.push_str("]\n");
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("workspace manifest");
    std::fs::copy(
        support::workspace_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    if let Err(output) = support::cargo(
        workspace.path(),
        &["test", "--workspace", "--lib", "--no-run"],
    ) {
        panic!("the examples harnesses do not build:\n{output}");
    }

    let mut table = String::from(
        "\n| document | examples | passed | generator defects | document defects | skipped |\n|---|---:|---:|---:|---:|---:|\n",
    );
    let mut lines = String::new();
    let mut totals = [0usize; 5];
    let mut defects = Vec::new();
    let mut known_seen: Vec<(String, String)> = Vec::new();
    for (file, name, examples) in &prepared {
        if !examples.is_empty() {
            let mut command = examples.command();
            let output = command
                .args(["-p", name])
                .args(generator::Examples::test_args())
                .env(
                    "CARGO_TARGET_DIR",
                    support::workspace_root().join("target/generated-crates"),
                )
                .env_remove("RUSTFLAGS")
                .output()
                .expect("run cargo");
            assert!(
                output.status.success(),
                "the harness of {file} fails:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let report = examples
            .judge()
            .unwrap_or_else(|e| panic!("judge the examples of {file}: {e}"));
        let row = [
            report.examples,
            report.passed,
            report.generator_defects.len(),
            report.document_defects.len(),
            report.skipped.len(),
        ];
        for (total, n) in totals.iter_mut().zip(row) {
            *total += n;
        }
        let _ = writeln!(
            table,
            "| {file} | {} | {} | {} | {} | {} |",
            row[0], row[1], row[2], row[3], row[4]
        );
        if report.examples > report.passed || !report.skipped.is_empty() {
            let _ = write!(lines, "\n{file}\n{report}");
        }
        for failure in &report.generator_defects {
            let known = KNOWN_DEFECTS
                .iter()
                .any(|(doc, pointer, _)| doc == file && *pointer == failure.pointer);
            if known {
                known_seen.push((file.clone(), failure.pointer.clone()));
            } else {
                defects.push(format!("{file}: {}: {}", failure.pointer, failure.error));
            }
        }
    }
    for (doc, pointer, _) in KNOWN_DEFECTS {
        if !known_seen.iter().any(|(d, p)| d == doc && p == pointer) {
            defects.push(format!(
                "{doc}: {pointer}: listed in KNOWN_DEFECTS but passes now: remove it from the list"
            ));
        }
    }
    let _ = writeln!(
        table,
        "| **total** | {} | {} | {} | {} | {} |",
        totals[0], totals[1], totals[2], totals[3], totals[4]
    );
    let mut known = String::new();
    for (doc, pointer, reason) in KNOWN_DEFECTS {
        let _ = writeln!(known, "known generator defect: {doc}: {pointer}: {reason}");
    }
    println!("{table}{lines}\n{known}");
    assert!(refused.is_empty(), "{}", refused.join("\n\n"));
    assert!(
        defects.is_empty(),
        "generated types reject examples valid against their schemas (or KNOWN_DEFECTS is stale):\n{}",
        defects.join("\n")
    );
}
