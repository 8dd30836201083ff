//! The command line as a user runs it: `vendor`, `check`, and regeneration after a spec edit.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn generator(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientsmith"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run generator")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A scratch project holding a copy of `spec/connectors.yaml`.
fn scratch_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("spec")).expect("spec dir");
    std::fs::copy(
        support::workspace_root().join("spec/connectors.yaml"),
        dir.path().join("spec/connectors.yaml"),
    )
    .expect("copy spec");
    dir
}

#[test]
fn vendor_writes_once_and_check_catches_a_stale_file() {
    let project = scratch_project();
    let dir = project.path();

    let first = generator(dir, &["vendor"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("wrote generated/models.rs"),
        "{}",
        text(&first)
    );

    let again = generator(dir, &["vendor"]);
    assert!(again.status.success());
    assert!(
        text(&again).contains("is up to date"),
        "nothing rewritten: {}",
        text(&again)
    );

    let check = generator(dir, &["check"]);
    assert!(check.status.success(), "{}", text(&check));

    // Someone edits a generated file by hand.
    let models = dir.join("generated/models.rs");
    let edited = std::fs::read_to_string(&models)
        .expect("models.rs")
        .replace(
            "pub struct NdesConnector {",
            "pub struct NdesConnector {\n    pub extra: u8,",
        );
    std::fs::write(&models, edited).expect("edit");
    let stale = generator(dir, &["check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    let report = text(&stale);
    assert!(report.contains("error[stale]"), "{report}");
    assert!(
        report.contains("-    pub extra: u8,"),
        "the diff shows the edit: {report}"
    );
    assert!(
        report.contains("cargo run -p clientsmith -- vendor"),
        "the fix is named: {report}"
    );

    let fixed = generator(dir, &["vendor"]);
    assert!(
        text(&fixed).contains("wrote generated/models.rs"),
        "{}",
        text(&fixed)
    );
    assert!(generator(dir, &["check"]).status.success());
}

#[test]
fn check_reports_a_spec_that_changed_since_vendoring() {
    let project = scratch_project();
    let dir = project.path();
    assert!(generator(dir, &["vendor"]).status.success());
    let spec = dir.join("spec/connectors.yaml");
    let edited = std::fs::read_to_string(&spec).expect("spec").replace(
        "summary: List ndesConnectors",
        "summary: List every ndesConnector",
    );
    std::fs::write(&spec, edited).expect("edit spec");
    let stale = generator(dir, &["check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale).contains("+    /// List every ndesConnector"),
        "{}",
        text(&stale)
    );
}

#[test]
fn a_spec_edit_that_changes_no_code_rewrites_no_file() {
    let project = scratch_project();
    let dir = project.path();
    assert!(generator(dir, &["vendor"]).status.success());
    let models = dir.join("generated/models.rs");
    let before = std::fs::metadata(&models)
        .expect("models")
        .modified()
        .expect("mtime");

    // A comment and an extra blank line: the document means the same.
    let spec = dir.join("spec/connectors.yaml");
    let text_before = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(
        &spec,
        format!("# Reviewed on 2026-11-23.\n\n{text_before}\n"),
    )
    .expect("edit spec");
    let again = generator(dir, &["vendor"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("is up to date"),
        "nothing rewritten: {}",
        text(&again)
    );
    let after = std::fs::metadata(&models)
        .expect("models")
        .modified()
        .expect("mtime");
    assert_eq!(before, after, "generated/models.rs was rewritten");
    assert!(generator(dir, &["check"]).status.success());
}

#[test]
fn the_repository_generated_directory_is_up_to_date() {
    let check = generator(&support::workspace_root(), &["check"]);
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn an_irregular_document_is_a_located_warning_or_with_deny_warnings_an_error() {
    let project = scratch_project();
    let dir = project.path();
    // `{id}` is not declared: with `--deny-warnings`, an error, and nothing written.
    std::fs::write(dir.join("spec/connectors.yaml"), "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n").expect("write");
    let output = generator(dir, &["vendor", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output);
    assert!(report.contains("error[invalid]"), "{report}");
    assert!(report.contains("--> spec/connectors.yaml"), "{report}");
    assert!(report.contains("= at #/paths/~1a~1{id}/get"), "{report}");
    assert!(
        !dir.join("generated").exists(),
        "nothing is written on error"
    );
    // Without it, the same located diagnostic as a warning, and the client is generated.
    let output = generator(dir, &["vendor"]);
    let report = text(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("warning[invalid]"), "{report}");
    assert!(
        report.contains("it is taken as a required string path parameter"),
        "{report}"
    );
    assert!(report.contains("--> spec/connectors.yaml:7:5"), "{report}");
    let client = std::fs::read_to_string(dir.join("generated/client.rs")).expect("client.rs");
    assert!(client.contains("id: &str"), "{client}");
}

#[test]
fn generate_refuses_an_invalid_crate_name() {
    let project = scratch_project();
    let output = generator(
        project.path(),
        &[
            "generate",
            "spec/connectors.yaml",
            "--out",
            "out",
            "--name",
            "9 lives",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("not a valid crate name"),
        "{}",
        text(&output)
    );
}

#[test]
fn generate_names_the_package_after_a_directory_that_is_not_a_package_name() {
    let project = scratch_project();
    let output = generator(
        project.path(),
        &[
            "generate",
            "spec/connectors.yaml",
            "--out",
            "1Password Events",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("the package is named `api-1password-events`"),
        "{}",
        text(&output)
    );
    let manifest = std::fs::read_to_string(project.path().join("1Password Events/Cargo.toml"))
        .expect("the crate's manifest");
    assert!(
        manifest.contains("name = \"api-1password-events\""),
        "{manifest}"
    );
}

#[test]
fn generate_no_server_writes_a_client_only_crate_that_compiles() {
    let project = scratch_project();
    let runtime = support::runtime_dir();
    let runtime = runtime.to_str().expect("a UTF-8 path");
    for (out, extra) in [("full", None), ("client", Some("--no-server"))] {
        let mut args = vec![
            "generate",
            "spec/connectors.yaml",
            "--out",
            out,
            "--runtime-path",
            runtime,
        ];
        args.extend(extra);
        let output = generator(project.path(), &args);
        assert!(output.status.success(), "{}", text(&output));
    }
    let full = project.path().join("full");
    let client = project.path().join("client");
    assert!(full.join("src/server.rs").is_file());
    assert!(!client.join("src/server.rs").exists());
    let lib = std::fs::read_to_string(client.join("src/lib.rs")).expect("lib.rs");
    assert!(!lib.contains("mod server"), "{lib}");
    // Leaving the server out changes nothing else: the client, the models and the listed
    // public API are those of the full crate.
    for file in ["src/client.rs", "src/models.rs", "src/api.jsonl"] {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(file)).expect("generated file");
        assert!(read(&client) == read(&full), "{file} differs");
    }

    // The client-only crate compiles warning-free with every feature (the runtime's serving
    // helpers stay behind `server`).
    support::isolate_crate(&client);
    let check = support::cargo_env(
        &client,
        &["clippy", "--all-features", "--", "-D", "warnings"],
        &[],
    );
    if let Err(output) = check {
        panic!("the client-only crate does not compile:\n{output}");
    }
}

#[test]
fn generate_depends_on_the_runtime_by_version_and_maybe_path() {
    let project = scratch_project();
    let output = generator(
        project.path(),
        &["generate", "spec/connectors.yaml", "--out", "api-client"],
    );
    assert!(output.status.success(), "{}", text(&output));
    let dir = project.path().join("api-client");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("\nclientsmith-runtime = { version = \"0.1.0\" }\n"),
        "{manifest}"
    );
    assert!(manifest.contains("\nversion = \"0.1.0\"\n"), "{manifest}");
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
    assert!(
        lib.contains("pub use clientsmith_runtime as runtime;"),
        "{lib}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README.md");
    assert!(
        readme.contains(
            "clientsmith generate spec/connectors.yaml --out <this directory> --name api-client"
        ),
        "{readme}"
    );

    // With `--runtime-path`, the crate names that checkout too, by an absolute path.
    let output = generator(
        project.path(),
        &[
            "generate",
            "spec/connectors.yaml",
            "--out",
            "api-client",
            "--runtime-path",
            "shared-runtime",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    let absolute = project.path().join("shared-runtime");
    assert!(
        manifest.contains(&format!(
            "clientsmith-runtime = {{ version = \"0.1.0\", path = \"{}\" }}",
            absolute.display()
        )),
        "a relative path is written as an absolute one:\n{manifest}"
    );
    // Neither the API nor the code changed: the version stays.
    assert!(manifest.contains("\nversion = \"0.1.0\"\n"), "{manifest}");
}

#[test]
fn the_command_says_its_name_and_version() {
    let output = Command::new(env!("CARGO_BIN_EXE_clientsmith"))
        .arg("--version")
        .output()
        .expect("run clientsmith");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("clientsmith {}\n", env!("CARGO_PKG_VERSION"))
    );
}
