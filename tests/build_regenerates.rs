//! The main workflow end to end: edit `spec/connectors.yaml`, run `cargo build`, and the new
//! property is in `generated/` and usable from Rust. Also: without default features the crate
//! builds from the vendored files and the generator is not part of the build.
//!
//! Runs in a copy of the workspace (never touching this checkout) without its
//! dev-dependencies, which these builds do not need, in the target directory the generator's
//! tests build generated crates in: the client's dependencies are compiled there already.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the files a build needs (not `target/`) into `to`.
fn copy_workspace(to: &Path) {
    for file in ["Cargo.lock", "build.rs"] {
        std::fs::copy(root().join(file), to.join(file)).expect("copy file");
    }
    for dir in [
        "spec",
        "src",
        "generated",
        "generator/src",
        // The runtime crate, which the generator also embeds to vendor it.
        "runtime/src",
        // Named in the manifests as `[[bench]]` targets, so cargo wants them present.
        "benches",
        "generator/benches",
    ] {
        copy_dir(&root().join(dir), &to.join(dir));
    }
    for manifest in ["generator/Cargo.toml", "runtime/Cargo.toml"] {
        std::fs::copy(root().join(manifest), to.join(manifest)).expect("copy manifest");
    }
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("manifest");
    std::fs::write(
        to.join("Cargo.toml"),
        without_table(&manifest, "[dev-dependencies]"),
    )
    .expect("write manifest");
}

/// `manifest` without the table headed `header` (up to the next header).
fn without_table(manifest: &str, header: &str) -> String {
    let mut kept = String::with_capacity(manifest.len());
    let mut skipping = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            skipping = line.trim() == header;
        }
        if !skipping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    assert!(kept.len() < manifest.len(), "the manifest has no {header}");
    kept
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

fn cargo(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        // As the generator's tests build generated crates, so that what they compiled is
        // used again: no debug information, no incremental state.
        .env("CARGO_TARGET_DIR", root().join("target/generated-crates"))
        .env("CARGO_PROFILE_DEV_DEBUG", "none")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "cargo {args:?} failed:\n{text}");
    text
}

#[test]
fn editing_the_spec_and_building_updates_generated_code() {
    let copy = tempfile::tempdir().expect("tempdir");
    let dir = copy.path();
    copy_workspace(dir);

    let spec = dir.join("spec/connectors.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec");
    let anchor = "            connectorVersion:\n";
    assert!(
        text.contains(anchor),
        "the spec layout changed; update this test"
    );
    std::fs::write(
        &spec,
        text.replacen(
            anchor,
            "            certificateThumbprint:\n              type: string\n              description: Thumbprint of the connector's certificate.\n            connectorVersion:\n",
            1,
        ),
    )
    .expect("edit spec");

    // Code that uses the new field: it compiles only if the build regenerated the models.
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::write(
        dir.join("tests/new_field.rs"),
        r#"
#[test]
fn new_field_round_trips() {
    let connector = graph_connectors::models::NdesConnector {
        certificate_thumbprint: Some("AB12".into()),
        ..Default::default()
    };
    let json = serde_json::to_value(&connector).unwrap();
    assert_eq!(json["certificateThumbprint"], "AB12");
}
"#,
    )
    .expect("write test");

    let before = std::fs::read_to_string(dir.join("generated/models.rs")).expect("models");
    assert!(!before.contains("certificate_thumbprint"));
    let output = cargo(dir, &["test", "--test", "new_field"]);
    assert!(
        output.contains("regenerated generated/models.rs"),
        "the build script says what it rewrote:\n{output}"
    );
    // And what the edit means for code that calls the client: an addition, with the pointer
    // of the property that caused it.
    assert!(
        output.contains(
            "warning: graph-connectors@0.1.0: compatible: field `models::NdesConnector::certificate_thumbprint` added (#/components/schemas/microsoft.graph.ndesConnector/allOf/1/properties/certificateThumbprint)"
        ),
        "the build script reports the API change:\n{output}"
    );
    assert!(!output.contains(": breaking: "), "{output}");
    let after = std::fs::read_to_string(dir.join("generated/models.rs")).expect("models");
    assert!(after.contains("pub certificate_thumbprint: Option<String>,"));
    assert!(
        output.contains("test new_field_round_trips ... ok"),
        "{output}"
    );

    // The document saved again unchanged: the build script runs, and rewrites nothing. (A
    // build that does not run it replays its last output, so it must be seen to run.)
    let saved = std::fs::File::options()
        .write(true)
        .open(&spec)
        .expect("open spec");
    saved
        .set_modified(std::time::SystemTime::now())
        .expect("touch spec");
    drop(saved);
    let again = cargo(dir, &["build", "-v"]);
    assert!(again.contains("build-script-build`"), "{again}");
    assert!(!again.contains("regenerated"), "{again}");
    assert!(!again.contains("API changes"), "{again}");

    // And then runs no build script at all, nor after an edit of a file the build script
    // does not read.
    let noop = cargo(dir, &["build", "-v"]);
    assert!(!noop.contains("build-script-build`"), "{noop}");
    std::fs::write(dir.join("README.md"), "edited\n").expect("write README");
    let after_readme = cargo(dir, &["build", "-v"]);
    assert!(
        !after_readme.contains("build-script-build`"),
        "{after_readme}"
    );
}

#[test]
fn without_default_features_the_generator_is_not_built() {
    let copy = tempfile::tempdir().expect("tempdir");
    let dir = copy.path();
    copy_workspace(dir);
    let tree = cargo(
        dir,
        &[
            "tree",
            "-p",
            "graph-connectors",
            "--no-default-features",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ],
    );
    assert!(!tree.contains("clientsmith v"), "{tree}");
    let with_defaults = cargo(
        dir,
        &[
            "tree",
            "-p",
            "graph-connectors",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ],
    );
    assert!(with_defaults.contains("clientsmith v"), "{with_defaults}");
    cargo(
        dir,
        &["check", "-p", "graph-connectors", "--no-default-features"],
    );
}
