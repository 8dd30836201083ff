//! Microsoft Graph's own published format: `../shared/specs/graph-beta-connectors.yaml`
//! (`2XX`/`4XX`/`5XX` ranges, `anyOf` nullable references, `x-ms-*` extensions, `$count` as
//! `text/plain`, `$` in paths) generates a crate with what that format implies. That the crate
//! compiles warning-free under clippy and rustdoc is checked by `corpus.rs`.

mod support;

use std::process::Command;

#[test]
fn graph_beta_document_generates_the_expected_client() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("graph-beta-connectors");
    let status = Command::new(env!("CARGO_BIN_EXE_clientsmith"))
        .arg("generate")
        .arg(specs.join("graph-beta-connectors.yaml"))
        .arg("--out")
        .arg(&crate_dir)
        .status()
        .expect("run generator");
    assert!(status.success());

    // What the format exercises shows up in the output.
    let client = std::fs::read_to_string(crate_dir.join("src/client.rs")).expect("client.rs");
    let models = std::fs::read_to_string(crate_dir.join("src/models.rs")).expect("models.rs");
    assert!(
        client.contains("String::from(\"/connectors/$count\")"),
        "`$` kept in path literals"
    );
    assert!(
        client.contains("crate::runtime::Response::text"),
        "`$count` is read as text/plain"
    );
    assert!(
        models.contains("pub region: Option<ConnectorGroupRegion>"),
        "`anyOf` with a nullable object is an optional reference"
    );
    assert_eq!(
        client.matches(") -> crate::runtime::Call<").count(),
        22,
        "one method per operation"
    );

    // Microsoft's operation ids lose the groups their action repeats, and keep the others.
    for method in [
        "pub fn list_connector(",
        "pub fn get_connector(",
        "pub fn device_management_list_ndes_connectors(",
        "pub fn connectors_get_count_5d1e(",
    ] {
        assert!(client.contains(method), "{method}");
    }
    assert!(!client.contains("pub fn connectors_connector_"));

    // Compiling it (clippy and rustdoc with -D warnings) is part of the corpus test, which
    // builds every document in one workspace.
}
