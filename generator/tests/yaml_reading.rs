//! The loader reads YAML with `serde_yaml`, making its checks in the same pass, and reads a
//! document again only to locate a problem. Either way a document must read as `serde_yaml`
//! reads it: every YAML document here loads into the same `openapiv3` value.

mod support;

use std::path::{Path, PathBuf};

use clientsmith::internals::load;

/// Loads `path` and compares it with `serde_yaml`'s reading; `Err` says how they differ.
fn reads_as_serde_yaml(path: &Path, text: &str) -> Result<(), String> {
    let theirs = serde_yaml::from_str::<openapiv3::OpenAPI>(text);
    match (load::parse(path, text), theirs) {
        (Ok(ours), Ok(theirs)) if ours.api == theirs => Ok(()),
        (Ok(_), Ok(_)) => Err(format!("{}: reads differently", path.display())),
        (Ok(_), Err(error)) => Err(format!(
            "{}: loads, but serde_yaml refuses it: {error}",
            path.display()
        )),
        // Refused documents are the subject of `tests/corpus.rs` and `tests/hostile.rs`.
        (Err(_), _) => Ok(()),
    }
}

#[test]
fn the_project_document_and_synthetic_documents_read_as_serde_yaml_reads_them() {
    let spec = support::workspace_root().join("spec/connectors.yaml");
    let text = std::fs::read_to_string(&spec).expect("read the spec");
    assert_eq!(reads_as_serde_yaml(&spec, &text), Ok(()));
    for operations in [10, 500] {
        let text = clientsmith::internals::synthetic::document(operations);
        assert_eq!(
            reads_as_serde_yaml(Path::new("synthetic.yaml"), &text),
            Ok(())
        );
    }
}

#[test]
fn every_shared_yaml_document_reads_as_serde_yaml_reads_it() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let mut paths: Vec<PathBuf> = vec![specs.join("graph-beta-connectors.yaml")];
    let corpus = std::fs::read_dir(specs.join("corpus")).expect("read the corpus");
    paths.extend(
        corpus
            .map(|entry| entry.expect("a corpus entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml")),
    );
    paths.sort();
    assert!(paths.len() > 20, "{paths:?}");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).expect("read a shared document");
            reads_as_serde_yaml(path, &text).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn documents_with_aliases_and_tags_load() {
    // An alias and a tag, read as `serde_yaml` reads them.
    let text = r#"
openapi: 3.0.3
info: {title: Shared, version: !!str 1}
paths:
  /a:
    get:
      responses: &ok
        '200': {description: OK}
  /b:
    get:
      responses: *ok
"#;
    assert_eq!(reads_as_serde_yaml(Path::new("alias.yaml"), text), Ok(()));
    let document = load::parse(Path::new("alias.yaml"), text).expect("loads");
    assert_eq!(document.api.info.version, "1");
    assert_eq!(document.api.paths.paths.len(), 2);
    // A key twice is still refused where it is.
    let twice = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\npaths: {}\n";
    let error = load::parse(Path::new("twice.yaml"), twice).unwrap_err();
    assert!(
        error.to_string().contains("`paths` appears twice"),
        "{error}"
    );
    assert!(error.to_string().contains(":4:1"), "{error}");
}
