//! The generator formats each module in parts, on several threads, with the doc comments kept
//! out of the formatter and written in afterwards, and joins their texts (`emit/format.rs`,
//! `emit/deferred.rs`). The joined text must be exactly what `prettyplease` makes of the whole
//! module: for every document here, each
//! generated module is the module's token stream, doc attributes and all, formatted on one
//! thread; and parsed whole and formatted again, it comes out unchanged.

mod support;

use std::path::Path;

use clientsmith::Config;
use clientsmith::internals::{emit, load, model};

/// Checks every formatted module of the crate generated from `text`, with the server module;
/// `Err` names the first module that differs and the first line where it does.
fn formatted_as_a_whole(path: &Path, text: &str) -> Result<usize, String> {
    checked_modules(path, text, Reformat::Unchanged)
}

/// Whether a generated module, parsed and formatted again, must come out unchanged.
#[derive(Clone, Copy, PartialEq)]
enum Reformat {
    Unchanged,
    /// Not checked: prettyplease itself lays out its own text of a `match` arm too long for a
    /// line differently the second time, and only lines that long show it.
    NotChecked,
}

fn checked_modules(path: &Path, text: &str, reformat: Reformat) -> Result<usize, String> {
    let files = Config::new(path)
        .render_str(text)
        .map_err(|e| format!("{}: does not generate: {e}", path.display()))?;
    let document = load::parse(path, text).map_err(|e| e.to_string())?;
    let api = model::build(&document).map_err(|e| e.to_string())?;
    let origin = emit::Origin {
        spec: path.to_string_lossy().replace('\\', "/"),
        ..emit::Origin::default()
    };
    let mut checked = 0;
    for module in emit::module_tokens(&api, emit::Emission::Tokens) {
        let name = module.name;
        let Some(generated) = files.get(name) else {
            return Err(format!("{}: no {name}", path.display()));
        };
        let at_once = emit::format_module(&origin, module).map_err(|e| e.to_string())?;
        same_text(generated, &at_once).map_err(|difference| {
            format!(
                "{}: {name} differs from its tokens formatted on one thread, {difference}",
                path.display()
            )
        })?;
        if reformat == Reformat::NotChecked {
            checked += 1;
            continue;
        }
        // The header is plain comments, which the parser drops.
        let Some((_, code)) = generated.split_once("\n\n") else {
            return Err(format!("{}: {name} has no header", path.display()));
        };
        let whole = syn::parse_file(code)
            .map_err(|e| format!("{}: {name} does not parse: {e}", path.display()))?;
        same_text(code, &prettyplease::unparse(&whole)).map_err(|difference| {
            format!(
                "{}: {name} differs from the whole module formatted at once, {difference}",
                path.display()
            )
        })?;
        checked += 1;
    }
    Ok(checked)
}

/// `Err` names the first line where `generated` and `expected` differ, and shows both.
fn same_text(generated: &str, expected: &str) -> Result<(), String> {
    if generated == expected {
        return Ok(());
    }
    let line = generated
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| generated.lines().count().min(expected.lines().count()));
    Err(format!(
        "from line {}:\n  generated: {:?}\n  expected:  {:?}",
        line + 1,
        generated.lines().nth(line),
        expected.lines().nth(line),
    ))
}

#[test]
fn a_large_document_is_formatted_as_a_whole() {
    // Many parts per module: hundreds of types and operations.
    let text = clientsmith::internals::synthetic::document(300);
    assert_eq!(
        formatted_as_a_whole(Path::new("synthetic.yaml"), &text),
        Ok(3)
    );
}

#[test]
fn the_project_document_is_formatted_as_a_whole() {
    let path = support::workspace_root().join("spec/connectors.yaml");
    let text = std::fs::read_to_string(&path).expect("read the spec");
    assert_eq!(formatted_as_a_whole(&path, &text), Ok(3));
}

#[test]
fn a_document_without_operations_is_formatted_as_a_whole() {
    // The client's `impl` block has its constructors only: one part that opens and closes it.
    let text = r#"
openapi: 3.0.3
info: { title: Types only, version: "1" }
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: { type: string }
"#;
    assert_eq!(formatted_as_a_whole(Path::new("types.yaml"), text), Ok(3));
}

#[test]
fn every_shared_document_is_formatted_as_a_whole() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let mut paths = vec![specs.join("graph-beta-connectors.yaml")];
    let corpus = std::fs::read_dir(specs.join("corpus")).expect("read the corpus");
    paths.extend(
        corpus
            .map(|entry| entry.expect("a corpus entry").path())
            .filter(|path| {
                matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
            }),
    );
    paths.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("read a shared document");
        match formatted_as_a_whole(path, &text) {
            Ok(modules) => checked += modules,
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every document of the corpus generates code (`tests/corpus.rs`).
    assert_eq!(checked, 3 * paths.len());
}

#[test]
fn names_of_every_length_are_formatted_as_a_whole() {
    // Lines that cross the formatter's margin at every width: paths, parameter, header and
    // cookie names, operation ids, media types, type and property names from 1 to 110
    // characters, in types with generics nested or not, in paged operations, so that doc
    // comments and the joints between parts are checked on both sides of the width where
    // prettyplease breaks a line.
    let mut paths = String::new();
    let mut schemas = String::new();
    for n in 1..=110 {
        let word = |c: &str| c.repeat(n);
        let (p, q, h, f, r) = (word("p"), word("q"), word("h"), word("f"), word("r"));
        let body = match n % 4 {
            0 => "application/json",
            1 => "application/x-www-form-urlencoded",
            2 => "application/octet-stream",
            _ => "text/plain",
        };
        let body_schema = if n % 4 < 2 {
            format!("$ref: '#/components/schemas/T{p}'")
        } else {
            String::from("type: string")
        };
        let array_style = if n % 2 == 0 { "true" } else { "false" };
        paths.push_str(&format!(
            r#"
  /{p}/{{id{q}}}:
    post:
      operationId: op{q}
      parameters:
        - {{ name: id{q}, in: path, required: true, schema: {{ type: integer }} }}
        - {{ name: {q}, in: query, required: {required}, schema: {{ type: string }} }}
        - {{ name: l{q}, in: query, explode: {array_style}, schema: {{ type: array, items: {{ type: string }} }} }}
        - {{ name: H-{h}, in: header, required: {required}, schema: {{ type: string }} }}
        - {{ name: c{h}, in: cookie, schema: {{ type: string }} }}
      requestBody:
        required: {required}
        content:
          {body}:
            schema: {{ {body_schema} }}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/T{p}' }}
  /{p}:
    get:
      operationId: list{q}
      responses:
        {list_response}
  /{p}/pages:
    get:
      operationId: page{q}
      parameters:
        - {{ name: {q}, in: query, schema: {{ type: string }} }}
      x-ms-pageable: {{ nextLinkName: {f}Next, itemName: {f}Items }}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/P{p}' }}
"#,
            required = n % 3 == 0,
            list_response = if n % 2 == 0 {
                String::from(r#""204": { description: none }"#)
            } else {
                format!(
                    r#""200": {{ description: ok, content: {{ application/json: {{ schema: {{ type: array, items: {{ $ref: '#/components/schemas/T{p}' }} }} }} }} }}"#
                )
            },
        ));
        schemas.push_str(&format!(
            r#"
    T{p}:
      type: object
      required: [{r}, {r}Name, {r}Default]
      properties:
        {f}: {{ type: string }}
        {r}: {{ type: integer }}
        p{f}: {{ type: string }}
        {r}Name: {{ type: string }}
        {f}Name: {{ type: string }}
        {f}Kind: {{ type: string, enum: [a{f}, b{f}] }}
        {f}Default: {{ type: string, default: d{f} }}
        {r}Default: {{ type: string, default: d{r} }}
    D{p}:
      type: object
      required: [{r}Default, {r}Kind]
      properties:
        {f}: {{ type: string }}
        {r}Default: {{ type: string, default: d{r} }}
        {r}Kind: {{ type: string, enum: [a{r}, b{r}], default: b{r} }}
    P{p}:
      type: object
      required: [{paged_required}]
      properties:
        {f}Items: {{ type: array, items: {{ $ref: '#/components/schemas/M{p}' }} }}
        {f}Next: {{ type: string }}
    M{p}:
      type: object
      properties:
        {f}Map: {{ type: object, additionalProperties: {{ type: array, items: {{ $ref: '#/components/schemas/M{p}' }} }} }}
"#,
            // Required items and next link at every other width, optional at the others.
            paged_required = if n % 2 == 0 {
                format!("{f}Items, {f}Next")
            } else {
                String::new()
            },
        ));
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{ title: Widths, version: \"1\" }}\npaths:{paths}components:\n  schemas:{schemas}"
    );
    assert_eq!(
        checked_modules(Path::new("widths.yaml"), &text, Reformat::NotChecked),
        Ok(3)
    );
}
