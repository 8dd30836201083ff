//! The documents' own examples as test vectors: for every document of the conformance corpus
//! (`../shared/specs/corpus`), Microsoft Graph's `graph-beta-connectors.yaml` and the Swagger
//! 2.0 and OpenAPI 3.1 documents of `../shared/specs/versions`, a crate and
//! its examples harness are generated ([`clientsmith::Config::examples_crate`], what
//! `clientsmith examples` runs), all into one temporary workspace built once; each harness then
//! decodes its document's examples into the generated types and encodes them back. The test
//! prints a table (document, examples, passed, generator defects, document defects, skipped)
//! and the failures, and fails on any generator defect: a value valid against its schema that
//! the generated type rejects or changes.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Generator defects not fixed yet: document, JSON pointer of the example, and why.
const KNOWN_DEFECTS: &[(&str, &str, &str)] = &[];

#[test]
fn the_examples_of_every_corpus_document_decode_into_their_generated_types() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut prepared = Vec::new();
    let mut refused = Vec::new();
    let documents = support::corpus_documents(&specs)
        .into_iter()
        .chain(support::version_documents(&specs));
    for document in documents {
        let file = document
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Converted documents are named by their version: `2.0/netlify.yaml`.
        let (prefix, file) = match document
            .parent()
            .and_then(std::path::Path::file_name)
            .and_then(|f| f.to_str())
        {
            Some(version @ ("2.0" | "3.1")) => (
                if version == "2.0" {
                    "examples-v2"
                } else {
                    "examples-v31"
                },
                format!("{version}/{file}"),
            ),
            _ => ("examples", file),
        };
        let name = support::crate_name(prefix, &document);
        let config = clientsmith::Config::new(&document)
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
        &[
            "test",
            "--workspace",
            "--lib",
            "--no-run",
            "--features",
            "server",
        ],
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
            let output = support::for_generated_crates(&mut examples.command())
                .args(["-p", name])
                .args(clientsmith::Examples::test_args())
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

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/examples.yaml")
}

/// `clientsmith examples` on a small document: each example decodes into its type or is judged
/// against its schema, skipped ones give their reason, and the command succeeds (no generator
/// defect).
#[test]
fn the_command_reports_each_failing_example_and_the_totals() {
    let out = tempfile::tempdir().expect("tempdir");
    let output = support::for_generated_crates(&mut std::process::Command::new(env!(
        "CARGO_BIN_EXE_clientsmith"
    )))
    .arg("examples")
    .arg(fixture())
    .arg("--out")
    .arg(out.path().join("crate"))
    .arg("--runtime-path")
    .arg(support::runtime_dir())
    .arg("--lockfile")
    .arg(support::workspace_root().join("Cargo.lock"))
    .arg("--verbose")
    .output()
    .expect("run generator");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "document defect:  #/components/schemas/Pet/properties/legs/example (i32): at `.`: invalid value: integer `3000000000`, expected i32; invalid against its schema: 3000000000 is greater than the maximum of 2147483647",
            "document defect:  #/paths/~1pets~1{id}/get/responses/200/content/application~1json/examples/late/value (models::Pet): at `born`: input contains invalid characters; invalid against its schema: at /born: \"yesterday\" is not a \"date-time\"",
            "document defect:  #/components/examples/Rex/value (models::Pet): at `legs`: invalid type: floating point `4.0`, expected i32; invalid against its schema: at /legs: 4.0 is not of type \"integer\"",
            "10 examples: 6 passed, 0 generator defects, 3 document defects; 1 skipped",
            "  skipped 1: … is not a JSON media type",
            "skipped: #/paths/~1pets~1{id}/get/responses/200/content/application~1xml/example: `application/xml` is not a JSON media type",
        ],
        "{stderr}"
    );
}

/// A value valid against its schema that the generated type rejects, or changes on the way
/// back, is the generator's fault; one its schema rejects is the document's.
#[test]
fn the_judge_blames_the_generator_only_for_valid_examples() {
    let out = tempfile::tempdir().expect("tempdir");
    let examples = clientsmith::Config::new(fixture())
        .out_dir(out.path())
        .server(false)
        .examples_crate("judged")
        .expect("generate");
    // What a harness would write if the example of `Pet` came back changed, that of its
    // `name` unchanged, and every other one failed to decode.
    let mut results = String::new();
    for pointer in examples.pointers() {
        results.push_str(match pointer {
            "#/components/schemas/Pet/example" => r#"{"encoded": {"name": "Rex"}}"#,
            "#/components/schemas/Pet/properties/name/example" => r#"{"encoded": "Rex"}"#,
            _ => r#"{"error": "rejected", "path": "."}"#,
        });
        results.push('\n');
    }
    std::fs::write(examples.results_path(), results).expect("write results");
    let report = examples.judge().expect("judge");
    assert_eq!(report.examples, 10);
    assert_eq!(report.passed, 1);
    // The three invalid ones: `legs` too large, `born` not a date-time, `legs` not an integer
    // (the update leaves `name` out, as a merge patch may).
    assert_eq!(report.document_defects.len(), 3, "{report}");
    assert_eq!(report.generator_defects.len(), 10 - 1 - 1 - 3, "{report}");
    let first = &report.generator_defects[0];
    assert_eq!(first.pointer, "#/components/schemas/Pet/example");
    assert_eq!(first.ty, "models::Pet");
    assert_eq!(
        first.error,
        "the round trip changes it: born: the member is lost"
    );
    assert!(report.has_generator_defects());
    assert!(report.to_string().ends_with(
        "10 examples: 1 passed, 5 generator defects, 3 document defects; 1 skipped\n  skipped 1: … is not a JSON media type\n"
    ), "{report}");
}
