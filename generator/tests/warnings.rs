//! Irregular documents generate what can be expressed: `fixtures/irregular.yaml` has an
//! operation with a `deepObject` query parameter, one with a `content` parameter, a schema of
//! `type: file` and an `operationId` used twice. Each is a located warning; everything else is
//! generated, compiles, and works against a server on 127.0.0.1; `deny_warnings` makes them
//! errors again.

mod support;

use std::path::{Path, PathBuf};

use generator::{ErrorKind, Level};

fn irregular() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/irregular.yaml")
}

#[test]
fn each_irregularity_is_a_located_warning_and_the_rest_is_generated() {
    let (files, warnings) = generator::Config::new(irregular())
        .render_with_warnings()
        .expect("the document generates");
    let found: Vec<(ErrorKind, &str, usize)> = warnings
        .iter()
        .map(|w| {
            assert_eq!(w.level(), Level::Warning);
            (
                w.kind(),
                w.pointer().expect("a pointer"),
                w.location().expect("a line").line,
            )
        })
        .collect();
    assert_eq!(
        found,
        // In the order of the document.
        [
            (
                ErrorKind::Unsupported,
                "#/paths/~1items~1search/get/parameters/0",
                32
            ),
            (
                ErrorKind::Invalid,
                "#/paths/~1items~1archived/get/operationId",
                51
            ),
            (
                ErrorKind::Unsupported,
                "#/paths/~1items~1export/get/parameters/0",
                65
            ),
            (ErrorKind::Unsupported, "#/components/schemas/Blob/type", 87),
        ]
    );
    let text = warnings.to_string();
    assert!(
        text.contains(
            "warning[unsupported]: operation `GET /items/search` (`searchItems`) is left out"
        ),
        "{text}"
    );
    assert!(text.contains("--exclude 'GET:/items/search'"), "{text}");
    assert!(text.contains("--exclude 'GET:/items/export'"), "{text}");

    // What could be expressed is there; what could not is not.
    let client = &files["client.rs"];
    assert!(client.contains("pub fn list_items("), "{client}");
    assert!(client.contains("pub fn search_items_2("), "{client}");
    assert!(!client.contains("/items/search\""), "{client}");
    assert!(!client.contains("export_items"), "{client}");
    let models = &files["models.rs"];
    assert!(
        models.contains("pub type Blob = ::serde_json::Value;"),
        "{models}"
    );
    assert!(
        models.contains("Any JSON value: the generator could not express this schema"),
        "{models}"
    );
}

#[test]
fn the_pattern_a_warning_names_silences_it() {
    let (_, warnings) = generator::Config::new(irregular())
        .exclude("GET:/items/search")
        .exclude("GET:/items/export")
        .render_with_warnings()
        .expect("the document generates");
    let pointers: Vec<_> = warnings.iter().filter_map(|w| w.pointer()).collect();
    // Left out on purpose, the operations are no longer warned about, and the repeated
    // `operationId` is gone with one of them.
    assert_eq!(pointers, ["#/components/schemas/Blob/type"]);
}

#[test]
fn deny_warnings_makes_them_errors_and_generates_nothing() {
    let out = tempfile::tempdir().expect("tempdir");
    let error = generator::Config::new(irregular())
        .out_dir(out.path())
        .deny_warnings(true)
        .generate()
        .expect_err("warnings are denied");
    assert!(error.diagnostics().all(|d| d.level() == Level::Error));
    let text = error.to_string();
    assert!(
        text.starts_with("error[unsupported]: unknown schema type `file`"),
        "{text}"
    );
    assert!(!text.contains("warning"), "{text}");
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing is written"
    );
}

#[test]
fn the_command_line_prints_warnings_and_denies_them_on_request() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("vendor")
            .arg("--spec")
            .arg(irregular())
            .arg("--out")
            .arg(out.path())
            .args(extra)
            .output()
            .expect("run the generator")
    };
    let output = run(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr.matches("warning[").count(), 4, "{stderr}");
    assert!(stderr.contains("warning: 4 warnings (4 shown)"), "{stderr}");
    let output = run(&["--deny-warnings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.starts_with("error[unsupported]"), "{stderr}");
}

#[test]
fn the_generated_crate_works_against_a_server() {
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("irregular");
    let summary = generator::Config::new(irregular())
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate("irregular")
        .expect("generate the crate");
    assert_eq!(summary.warnings.len(), 4);
    std::fs::create_dir_all(crate_dir.join("tests")).expect("tests dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/irregular_behaviour.rs"),
        crate_dir.join("tests/behaviour.rs"),
    )
    .expect("copy the behaviour test");
    let manifest = crate_dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    text.push_str(
        "\n[dev-dependencies]\naxum = \"0.8\"\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }\n",
    );
    std::fs::write(&manifest, text).expect("write Cargo.toml");
    support::isolate_crate(&crate_dir);
    if let Err(output) = support::cargo(
        &crate_dir,
        &["clippy", "--all-targets", "--", "-D", "warnings"],
    ) {
        panic!("the crate does not pass clippy:\n{output}");
    }
    match support::cargo(&crate_dir, &["test"]) {
        Ok(output) => assert!(output.contains("test result: ok. 1 passed"), "{output}"),
        Err(output) => panic!("the generated crate misbehaves:\n{output}"),
    }
}
