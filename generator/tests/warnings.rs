//! Irregular documents generate what can be expressed: `fixtures/irregular.yaml` has an
//! operation with an object in a header, one with a query array of arrays, a schema of
//! `type: file`, an `operationId` used twice, a path parameter not declared, a parameter
//! declared twice, numbers beyond 64 bits, a `type` list and `type: "null"`, `required` naming
//! no property, `readOnly` with `writeOnly`, `enum: []`, an `example` of the wrong shape, and `$ref`s into a schema's parts and
//! an operation's response, and two paths one route of the generated server would match.
//! Each is a located warning;
//! everything else is generated, compiles, and works against a server on 127.0.0.1;
//! `deny_warnings` makes them errors again. Each irregularity is also tried alone, in a small
//! document of its own: one warning at its place, and an error under `deny_warnings`.

mod support;

use std::path::{Path, PathBuf};

use clientsmith::{ErrorKind, Level};

fn irregular() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/irregular.yaml")
}

#[test]
fn each_irregularity_is_a_located_warning_and_the_rest_is_generated() {
    let (files, warnings) = clientsmith::Config::new(irregular())
        .render_with_warnings()
        .expect("the document generates");
    let found: Vec<(ErrorKind, &str)> = warnings
        .iter()
        .map(|w| {
            assert_eq!(w.level(), Level::Warning);
            assert!(w.location().is_some(), "{w}");
            (w.kind(), w.pointer().expect("a pointer"))
        })
        .collect();
    let item = "#/components/schemas/Item";
    // In the order of the document.
    let expected: Vec<(ErrorKind, String)> = vec![
        (
            ErrorKind::Unsupported,
            "#/paths/~1items~1search/get/parameters/0".into(),
        ),
        (
            ErrorKind::Invalid,
            "#/paths/~1items~1archived/get/operationId".into(),
        ),
        (
            ErrorKind::Reference,
            "#/paths/~1items~1archived/get/responses/200/content/application~1json/schema".into(),
        ),
        (
            ErrorKind::Invalid,
            "#/paths/~1items~1{itemId}~1tags~1{tag}/get".into(),
        ),
        (
            ErrorKind::Invalid,
            "#/paths/~1items~1{itemId}~1tags~1{tag}/get/parameters/2".into(),
        ),
        (
            ErrorKind::Invalid,
            "#/paths/~1things~1{name}.json/get".into(),
        ),
        (
            ErrorKind::Unsupported,
            "#/paths/~1items~1export/get/parameters/0".into(),
        ),
        (ErrorKind::Invalid, format!("{item}/required")),
        (
            ErrorKind::Invalid,
            format!("{item}/properties/count/minimum"),
        ),
        (
            ErrorKind::Invalid,
            format!("{item}/properties/count/maximum"),
        ),
        (
            ErrorKind::Invalid,
            format!("{item}/properties/count/example"),
        ),
        (ErrorKind::Invalid, format!("{item}/properties/level/enum")),
        (
            ErrorKind::Invalid,
            format!("{item}/properties/nickname/type"),
        ),
        (ErrorKind::Invalid, format!("{item}/properties/facets/type")),
        (
            ErrorKind::Unsupported,
            format!("{item}/properties/gone/type"),
        ),
        (ErrorKind::Invalid, format!("{item}/properties/secret")),
        (ErrorKind::Invalid, format!("{item}/properties/colour/enum")),
        (
            ErrorKind::Invalid,
            format!("{item}/properties/when/example"),
        ),
        (ErrorKind::Reference, format!("{item}/properties/label")),
        (ErrorKind::Reference, format!("{item}/properties/tagged")),
        (
            ErrorKind::Unsupported,
            "#/components/schemas/Blob/type".into(),
        ),
    ];
    let expected: Vec<(ErrorKind, &str)> = expected.iter().map(|(k, p)| (*k, p.as_str())).collect();
    assert_eq!(found, expected);
    let text = warnings.to_string();
    for part in [
        "warning[unsupported]: operation `GET /items/search` (`searchItems`) is left out",
        "--exclude 'GET:/items/search'",
        "--exclude 'GET:/items/export'",
        "it is taken as a required string path parameter",
        "it is read as -9223372036854775808",
        "it is read as `\"string\"`, nullable",
        "it is read as `anyOf` one schema per type",
        "it is taken as neither",
        "the schema there is generated once, as `TaggedAllOf0`",
        "matches the same requests as `GET /things/{id}` in the generated server",
        "the example does not match its schema: it is `\"2024-05-01\"`, not an RFC 3339 date-time",
        "warning: 21 warnings",
    ] {
        assert!(text.contains(part), "{part}:\n{text}");
    }

    // What could be expressed is there; what could not is not.
    let client = &files["client.rs"];
    assert!(client.contains("pub fn list_items("), "{client}");
    assert!(client.contains("pub fn search_items("), "{client}");
    assert!(client.contains("pub fn get_item_tag("), "{client}");
    assert!(!client.contains("/items/search\""), "{client}");
    assert!(!client.contains("export_items"), "{client}");
    // Two paths one route matches: the client calls both, the server serves the first.
    assert!(client.contains("pub fn get_thing_json("), "{client}");
    let server = &files["server.rs"];
    assert!(server.contains("fn get_thing("), "{server}");
    assert!(!server.contains("get_thing_json"), "{server}");
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
    let (_, warnings) = clientsmith::Config::new(irregular())
        .exclude("GET:/items/search")
        .exclude("GET:/items/export")
        .render_with_warnings()
        .expect("the document generates");
    let pointers: Vec<_> = warnings.iter().filter_map(|w| w.pointer()).collect();
    // Left out on purpose, the operations are no longer warned about, and the repeated
    // `operationId` is gone with one of them; the other warnings stay.
    assert_eq!(pointers.len(), 18, "{pointers:#?}");
    assert!(
        pointers.iter().all(|p| !p.contains("~1items~1search")
            && !p.contains("~1items~1export")
            && !p.ends_with("/operationId")),
        "{pointers:#?}"
    );
}

#[test]
fn deny_warnings_makes_them_errors_and_generates_nothing() {
    let out = tempfile::tempdir().expect("tempdir");
    let error = clientsmith::Config::new(irregular())
        .out_dir(out.path())
        .deny_warnings(true)
        .generate()
        .expect_err("warnings are denied");
    assert!(error.diagnostics().all(|d| d.level() == Level::Error));
    let text = error.to_string();
    // What reading the document read past is reported first, as it is found first.
    assert!(text.starts_with("error[invalid]: `minimum: "), "{text}");
    assert!(text.contains("error[invalid]: `type` is a list"), "{text}");
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
        std::process::Command::new(env!("CARGO_BIN_EXE_clientsmith"))
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
    assert!(stderr.contains("warning: 21 warnings ("), "{stderr}");
    let output = run(&["--deny-warnings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.starts_with("error[invalid]"), "{stderr}");
}

#[test]
fn the_generated_crate_works_against_a_server() {
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("irregular");
    let summary = clientsmith::Config::new(irregular())
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate("irregular")
        .expect("generate the crate");
    assert_eq!(summary.warnings.len(), 21);
    support::add_behaviour_test(
        &crate_dir,
        "irregular_behaviour.rs",
        "axum = \"0.8\"\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }\n",
    );
    let output = support::clippy_and_test(&crate_dir, "the irregular crate");
    assert!(output.contains("test result: ok. 2 passed"), "{output}");
}

/// A document with one operation answering an `Item`, with `extra` added under `paths` and
/// `item` as the members of `Item`'s `properties`.
fn small_document(paths: &str, item: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: One irregularity, version: "1"}}
paths:
  /items/{{id}}:
    get:
      operationId: getItem
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Item"}}
{paths}
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema: {{type: integer, maximum: 50}}
  responses:
    NotFound:
      description: Not found.
      content:
        application/json:
          schema: {{$ref: "#/components/schemas/Item"}}
  schemas:
    Item:
      type: object
      properties:
        name: {{type: string}}
{item}
    Tag:
      allOf:
        - type: object
          properties:
            label: {{type: string}}
"##
    )
}

#[test]
fn each_irregularity_alone_is_one_warning_and_deny_warnings_refuses_it() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "a minimum beyond 64 bits",
            "",
            "        count: {type: integer, minimum: -9223372036854776000}",
            "#/components/schemas/Item/properties/count/minimum",
        ),
        (
            "a default beyond 64 bits",
            "",
            "        count: {type: number, default: 18446744073709551616}",
            "#/components/schemas/Item/properties/count/default",
        ),
        (
            "an enum value beyond 64 bits",
            "",
            "        count: {type: integer, enum: [1, 99999999999999999999]}",
            "#/components/schemas/Item/properties/count/enum",
        ),
        (
            "a type list",
            "",
            "        note: {type: [string, 'null']}",
            "#/components/schemas/Item/properties/note/type",
        ),
        (
            "type null",
            "",
            "        nothing: {type: 'null'}",
            "#/components/schemas/Item/properties/nothing/type",
        ),
        (
            "a path parameter not declared",
            "  /items/{id}/tags/{tag}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: Done.}",
            "",
            "#/paths/~1items~1{id}~1tags~1{tag}/get",
        ),
        (
            "a $ref to a part of a schema",
            "",
            "        tag: {$ref: '#/components/schemas/Tag/allOf/0'}",
            "#/components/schemas/Item/properties/tag",
        ),
        (
            "a $ref to a parameter's schema",
            "",
            "        limit: {$ref: '#/components/parameters/Limit/schema'}",
            "#/components/schemas/Item/properties/limit",
        ),
        (
            "a $ref to an operation's response schema",
            "",
            "        copy: {$ref: '#/paths/~1items~1{id}/get/responses/200/content/application~1json/schema/properties/name'}",
            "#/components/schemas/Item/properties/copy",
        ),
        (
            "a schema $ref to a whole response",
            "  /reports:\n    get:\n      operationId: getReport\n      responses:\n        \"404\":\n          description: Missing.\n          content:\n            application/json:\n              schema: {$ref: '#/components/responses/NotFound'}",
            "",
            "#/paths/~1reports/get/responses/404/content/application~1json/schema",
        ),
        (
            "a schema $ref to a whole parameter",
            "",
            "        limit: {$ref: '#/components/parameters/Limit'}",
            "#/components/schemas/Item/properties/limit",
        ),
        (
            "an operationId used twice",
            "  /others/{id}:\n    get:\n      operationId: getItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: Done.}",
            "",
            "#/paths/~1others~1{id}/get/operationId",
        ),
        (
            "a parameter declared twice",
            "  /search:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string}}\n        - {name: q, in: query, schema: {type: integer}}\n      responses:\n        \"204\": {description: Done.}",
            "",
            "#/paths/~1search/get/parameters/1",
        ),
        (
            "required naming no property",
            "",
            "      required: [ghost]",
            "#/components/schemas/Item/required",
        ),
        (
            "readOnly and writeOnly",
            "",
            "        secret: {type: string, readOnly: true, writeOnly: true}",
            "#/components/schemas/Item/properties/secret",
        ),
        (
            "an empty enum",
            "",
            "        colour: {type: string, enum: []}",
            "#/components/schemas/Item/properties/colour/enum",
        ),
        (
            "an example that does not match",
            "",
            "        size: {type: integer, example: large}",
            "#/components/schemas/Item/properties/size/example",
        ),
        (
            "an operation that cannot be expressed",
            "  /search:\n    get:\n      parameters:\n        - {name: filter, in: header, schema: {type: object, properties: {a: {type: string}}}}\n      responses:\n        \"204\": {description: Done.}",
            "",
            "#/paths/~1search/get/parameters/0",
        ),
        (
            "two paths one route matches",
            "  /items/{name}:\n    get:\n      operationId: getItemByName\n      parameters:\n        - {name: name, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: Done.}",
            "",
            "#/paths/~1items~1{name}/get",
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (what, paths, item, pointer) in cases {
        let path = dir.path().join("document.yaml");
        std::fs::write(&path, small_document(paths, item)).expect("write the document");
        let (files, warnings) = clientsmith::Config::new(&path)
            .render_with_warnings()
            .unwrap_or_else(|error| panic!("{what}: the document does not generate:\n{error}"));
        let found: Vec<&str> = warnings.iter().filter_map(|w| w.pointer()).collect();
        assert_eq!(found, [*pointer], "{what}:\n{warnings}");
        assert!(
            files["client.rs"].contains("pub fn get_item("),
            "{what}: the rest is generated"
        );
        if paths.contains("getReport") {
            assert!(
                files["client.rs"].contains("pub fn get_report("),
                "{what}: the operation whose answer refers to the response is generated"
            );
        }
        let error = clientsmith::Config::new(&path)
            .deny_warnings(true)
            .render()
            .expect_err(what);
        assert!(
            error.diagnostics().any(|d| d.pointer() == Some(*pointer)),
            "{what}: {error}"
        );
    }
}
