//! Helpers shared by the generator's integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate lives inside the workspace")
        .to_owned()
}

/// The workspace's runtime crate: tests that build generated crates point them at it
/// ([`clientsmith::Config::runtime_path`]), since it is not taken from a registry here, and
/// so it compiles once in the shared target directory.
pub fn runtime_dir() -> PathBuf {
    workspace_root().join("runtime")
}

/// `../shared/specs` next to the workspace, or `None` (with a note on stderr) when this clone
/// stands alone. Under `CI=true` its absence is a failure.
pub fn shared_specs() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/specs");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing; CI must run with the shared specs beside the clone",
            dir.display()
        );
    }
    eprintln!("skipped: {} is absent (a clone on its own)", dir.display());
    None
}

/// Runs `cargo` with `args` in `dir`, sharing one target directory across test runs so that the
/// dependencies of generated crates compile once. Returns combined output on failure.
pub fn cargo(dir: &Path, args: &[&str]) -> Result<String, String> {
    cargo_env(dir, args, &[])
}

/// Like [`cargo`], with the variables `env` set for cargo and the programs it runs (such as
/// `RUST_BACKTRACE=0`, so that the failing tests of a generated crate report without a
/// backtrace each).
pub fn cargo_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
    let output = for_generated_crates(&mut Command::new(env!("CARGO")))
        .args(args)
        .current_dir(dir)
        .env("RUSTDOCFLAGS", "-D warnings")
        .envs(env.iter().copied())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// Sets up `command`, a cargo run or a program that runs cargo, to build generated crates: one
/// target directory shared by every test, so that their dependencies compile once, and builds
/// that stay small on disk. These crates are built to be checked and thrown away, so they keep
/// no debug information and no incremental state: with them, the tests over the public
/// documents filled several gigabytes.
pub fn for_generated_crates(command: &mut Command) -> &mut Command {
    command
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/generated-crates"),
        )
        .env("CARGO_PROFILE_DEV_DEBUG", "none")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
}

/// Makes the crate in `dir` a workspace of its own that resolves dependencies exactly as the
/// main workspace does (so compiled dependencies are shared and no registry update is needed).
pub fn isolate_crate(dir: &Path) {
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text).expect("write Cargo.toml");
    }
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("copy Cargo.lock");
}

/// Adds the fixture `tests/fixtures/{behaviour}` to the generated crate in `dir` as its
/// integration test `tests/behaviour.rs`, with `dev_dependencies` (TOML lines) beside the
/// crate's own, and makes the crate a workspace of its own.
pub fn add_behaviour_test(dir: &Path, behaviour: &str, dev_dependencies: &str) {
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(behaviour),
        dir.join("tests/behaviour.rs"),
    )
    .expect("copy the behaviour test");
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    text.push_str("\n[dev-dependencies]\n");
    text.push_str(dev_dependencies);
    std::fs::write(&manifest, text).expect("write Cargo.toml");
    isolate_crate(dir);
}

/// Runs clippy (`-D warnings`) and then the tests of the generated crate at `dir`, both with
/// every feature; panics, naming `what`, when either fails. Gives the tests' output.
pub fn clippy_and_test(dir: &Path, what: &str) -> String {
    let clippy = [
        "clippy",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    if let Err(output) = cargo(dir, &clippy) {
        panic!("{what} does not pass clippy:\n{output}");
    }
    match cargo(dir, &["test", "--all-features"]) {
        Ok(output) => {
            assert!(output.contains("test result: ok"), "{output}");
            output
        }
        Err(output) => panic!("{what} misbehaves:\n{output}"),
    }
}

/// The documents of `../shared/specs/corpus` (YAML and JSON, sorted by name), then Graph's own
/// `graph-beta-connectors.yaml`.
pub fn corpus_documents(specs: &Path) -> Vec<PathBuf> {
    let mut documents = documents_in(&specs.join("corpus"));
    documents.push(specs.join("graph-beta-connectors.yaml"));
    documents
}

/// Documents up to this size are taken by every run of the corpus and examples tests; larger
/// ones (five documents of 0.6 to 2.6 MB, some six minutes of compiling on two cores, more
/// than CI's budget allows) only with `CONFORMANCE=full`.
const REPRESENTATIVE_BYTES: u64 = 512 * 1024;

/// The Swagger 2.0 and OpenAPI 3.1 documents of `../shared/specs/versions`, by folder and
/// name: those up to [`REPRESENTATIVE_BYTES`], or all of them with `CONFORMANCE=full`.
pub fn version_documents(specs: &Path) -> Vec<PathBuf> {
    let full = std::env::var("CONFORMANCE").is_ok_and(|v| v == "full");
    let documents: Vec<PathBuf> = ["2.0", "3.1"]
        .iter()
        .flat_map(|version| documents_in(&specs.join("versions").join(version)))
        .collect();
    let (kept, left): (Vec<PathBuf>, Vec<PathBuf>) = documents.into_iter().partition(|path| {
        full || std::fs::metadata(path).is_ok_and(|m| m.len() <= REPRESENTATIVE_BYTES)
    });
    if !left.is_empty() {
        eprintln!(
            "{} version documents over {} KiB are left out; CONFORMANCE=full compiles them",
            left.len(),
            REPRESENTATIVE_BYTES / 1024
        );
    }
    kept
}

/// The YAML and JSON documents in `folder`, sorted by name.
fn documents_in(folder: &Path) -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    documents.sort();
    documents
}

/// A crate name for `document`: `prefix-` and its file stem, as the CLI names its crates.
pub fn crate_name(prefix: &str, document: &Path) -> String {
    clientsmith::crate_name_for(prefix, document)
}
