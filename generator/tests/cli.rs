//! The command line as a user runs it: `vendor`, `check`, and regeneration after a spec edit.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn generator(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
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
        report.contains("cargo run -p generator -- vendor"),
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
fn generate_no_server_writes_a_client_only_crate_that_compiles() {
    let project = scratch_project();
    for (out, extra) in [("full", None), ("client", Some("--no-server"))] {
        let mut args = vec!["generate", "spec/connectors.yaml", "--out", out];
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
    // Leaving the server out changes nothing else: the client, the models and the vendored
    // runtime are those of the full crate.
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![dir.join("src"), dir.join("vendor")];
        while let Some(next) = stack.pop() {
            for entry in std::fs::read_dir(&next).expect("read_dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path
                        .strip_prefix(dir)
                        .expect("inside")
                        .display()
                        .to_string();
                    // `vendor/generator-runtime/src/server.rs` (the runtime's serving
                    // helpers) is compared.
                    if relative != "src/server.rs" && relative != "src/lib.rs" {
                        files.push((relative, std::fs::read(&path).expect("read")));
                    }
                }
            }
        }
        files.sort();
        files
    };
    let client_files = files(&client);
    assert!(client_files.len() > 3, "{client_files:?}");
    assert_eq!(client_files, files(&full));

    // The client-only crate compiles warning-free with every feature (the runtime's serving
    // helpers stay behind `server`), from the vendored runtime alone.
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
fn generate_vendors_the_runtime_crate_unless_given_a_path() {
    let project = scratch_project();
    let output = generator(
        project.path(),
        &[
            "generate",
            "spec/connectors.yaml",
            "--out",
            "vendored",
            "--no-server",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let vendored = project.path().join("vendored");
    let manifest = std::fs::read_to_string(vendored.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains(
            "generator-runtime = { version = \"0.1.0\", path = \"vendor/generator-runtime\" }"
        ),
        "{manifest}"
    );
    let lib = std::fs::read_to_string(vendored.join("src/lib.rs")).expect("lib.rs");
    assert!(
        lib.contains("pub use generator_runtime as runtime;"),
        "{lib}"
    );
    assert!(
        !vendored.join("src/runtime").exists(),
        "no runtime modules in the crate"
    );
    // The copy is the runtime crate's own source, behind the generated header.
    let runtime = support::runtime_dir();
    for file in ["src/lib.rs", "src/transport.rs", "src/server.rs"] {
        let copy = std::fs::read_to_string(vendored.join("vendor/generator-runtime").join(file))
            .expect("vendored source");
        let original = std::fs::read_to_string(runtime.join(file)).expect("runtime source");
        assert!(
            copy.ends_with(&original),
            "{file} differs from runtime/{file}"
        );
    }

    // With `--runtime-path`, the crate names that checkout and a copy written before goes.
    let output = generator(
        project.path(),
        &[
            "generate",
            "spec/connectors.yaml",
            "--out",
            "vendored",
            "--no-server",
            "--runtime-path",
            "shared-runtime",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let manifest = std::fs::read_to_string(vendored.join("Cargo.toml")).expect("Cargo.toml");
    let absolute = project.path().join("shared-runtime");
    assert!(
        manifest.contains(&format!("path = \"{}\" }}", absolute.display())),
        "a relative path is written as an absolute one:\n{manifest}"
    );
    assert!(
        !vendored.join("vendor/generator-runtime/src").exists(),
        "the vendored sources are removed as stale"
    );
}
