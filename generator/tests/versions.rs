//! Swagger 2.0 and OpenAPI 3.1 documents, converted to 3.0 as they are read: diagnostics on a
//! broken document of each version name the line and JSON pointer of the file as written, and
//! the crates generated from `fixtures/swagger2.yaml` and `fixtures/openapi31.yaml` pass
//! clippy and behave against a server on 127.0.0.1 (`fixtures/*_behaviour.rs`). The public
//! documents of `../shared/specs/versions` are compiled by the corpus test.

mod support;

use std::path::{Path, PathBuf};

use clientsmith::ErrorKind;

/// `text` written to a file of its own in `dir`, named `name`.
fn document(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the document");
    path
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|index| index + 1)
        .unwrap_or_else(|| panic!("`{needle}` is not in the document"))
}

const BROKEN_SWAGGER: &str = r##"swagger: "2.0"
info: {title: Broken, version: "1"}
paths:
  /pets:
    post:
      parameters:
        - name: pet
          in: body
          schema:
            $ref: "#/definitions/Missing"
      responses:
        "204": {description: Done.}
definitions:
  Pet:
    type: object
    properties:
      owner:
        $ref: "#/definitions/Owner"
"##;

const BROKEN_OPENAPI31: &str = r##"openapi: 3.1.0
info: {title: Broken, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: Pets.
          content:
            application/json:
              schema:
                type: array
                prefixItems:
                  - type: string
components:
  schemas:
    Pet:
      type: object
      properties:
        owner:
          $ref: "#/components/schemas/Owner"
          description: A sibling keyword.
"##;

#[test]
fn diagnostics_point_into_the_file_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text, expected) in [
        (
            "broken-swagger.yaml",
            BROKEN_SWAGGER,
            vec![
                (
                    ErrorKind::Reference,
                    "#/paths/~1pets/post/parameters/0/schema",
                    "$ref: \"#/definitions/Missing\"",
                ),
                (
                    ErrorKind::Reference,
                    "#/definitions/Pet/properties/owner",
                    "$ref: \"#/definitions/Owner\"",
                ),
            ],
        ),
        (
            "broken-openapi31.yaml",
            BROKEN_OPENAPI31,
            vec![
                (
                    ErrorKind::Unsupported,
                    "#/paths/~1pets/get/responses/200/content/application~1json/schema/prefixItems",
                    "prefixItems:",
                ),
                (
                    ErrorKind::Reference,
                    "#/components/schemas/Pet/properties/owner",
                    "$ref: \"#/components/schemas/Owner\"",
                ),
            ],
        ),
    ] {
        let path = document(dir.path(), name, text);
        let (_, warnings) = clientsmith::Config::new(&path)
            .render_with_warnings()
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let found: Vec<(ErrorKind, &str, usize)> = warnings
            .iter()
            .map(|w| {
                (
                    w.kind(),
                    w.pointer().unwrap_or_default(),
                    w.location().map_or(0, |l| l.line),
                )
            })
            .collect();
        let expected: Vec<(ErrorKind, &str, usize)> = expected
            .iter()
            .map(|(kind, pointer, needle)| (*kind, *pointer, line_of(text, needle)))
            .collect();
        assert_eq!(found, expected, "{name}:\n{warnings}");
        // The text names the file the user wrote.
        assert!(warnings.to_string().contains(name), "{warnings}");
    }
}

#[test]
fn a_document_the_conversion_cannot_read_is_a_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "swagger: \"2.0\"\ninfo: {title: Broken, version: \"1\"}\npaths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties: 5\n";
    let path = document(dir.path(), "shape.yaml", text);
    let error = clientsmith::Config::new(&path)
        .render()
        .expect_err("properties must be a mapping");
    let diagnostic = error.diagnostics().next().expect("a diagnostic");
    assert_eq!(diagnostic.kind(), ErrorKind::Shape, "{error}");
    // The reader of schemas says which schema, not which of its members.
    assert_eq!(diagnostic.pointer(), Some("#/definitions/Pet"), "{error}");
    assert_eq!(
        diagnostic.location().map(|l| l.line),
        Some(line_of(text, "Pet:")),
        "{error}"
    );
}

#[test]
fn convert_writes_the_document_the_generator_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = dir.path().join("converted.yaml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_clientsmith"))
        .arg("convert")
        .arg(fixtures.join("swagger2.yaml"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run the generator");
    assert!(output.status.success(), "{output:?}");
    let converted: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(converted["openapi"], "3.0.3");
    assert_eq!(
        converted["servers"][0]["url"],
        "https://shelter.example.com/v1"
    );
    // The converted document is itself a 3.0 document the generator reads the same way.
    let from_converted = clientsmith::Config::new(&out).render().expect("generates");
    let from_original = clientsmith::Config::new(fixtures.join("swagger2.yaml"))
        .render()
        .expect("generates");
    // The same models, but for the header naming the document.
    let body = |text: &str| text.split_once('\n').map(|(_, rest)| rest.to_owned());
    assert_eq!(
        body(&from_converted["models.rs"]),
        body(&from_original["models.rs"]),
        "the same models"
    );
}

/// Generates `fixture` into a crate with `behaviour` as its test, and runs clippy and the test.
fn behaves(fixture: &str, name: &str, behaviour: &str) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join(name);
    clientsmith::Config::new(fixtures.join(fixture))
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate(name)
        .unwrap_or_else(|error| panic!("{fixture}: {error}"));
    support::add_behaviour_test(
        &crate_dir,
        behaviour,
        "axum = \"0.8\"\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }\n",
    );
    support::clippy_and_test(&crate_dir, &format!("the crate from {fixture}"));
}

#[test]
fn a_swagger_2_document_behaves_as_autorest_reads_it() {
    behaves("swagger2.yaml", "swagger2", "swagger2_behaviour.rs");
}

#[test]
fn an_openapi_3_1_document_behaves_as_written() {
    behaves("openapi31.yaml", "openapi31", "openapi31_behaviour.rs");
}
