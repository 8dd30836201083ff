//! Broken and hostile documents.
//!
//! Every document in `tests/hostile/` either fails with exactly the diagnostic its `.expected`
//! file holds (the full rendered text: kind, message, file:line:column, snippet, pointer,
//! help), or generates code whose declared items its `.expected` file lists, and which is
//! inert: it parses, holds only the items the document implies, and carries no control or
//! bidirectional character. Documents too large to check in (ten thousand levels deep, 50 MB,
//! long chains of references) are made by the tests below.
//!
//! After a deliberate change to a diagnostic, run with `UPDATE_EXPECT=1` to rewrite the
//! `.expected` files, and review their diff.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clientsmith::{Config, ErrorKind};

const DIR: &str = "tests/hostile";

/// Runs `f` on a thread with the default 2 MiB stack of spawned threads (what test threads
/// and many build tools use), so that a document that overflows such a stack fails here.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the generator must not panic or overflow its stack")
}

/// What the generator makes of the document at `path`: its diagnostic, or a listing of what
/// it generated.
fn outcome(path: &Path) -> String {
    let config = Config::new(path);
    match config.render_with_warnings() {
        Err(error) => format!("{error}\n"),
        Ok((files, warnings)) if warnings.is_empty() => {
            assert_inert(&files);
            listing(&files)
        }
        Ok((files, warnings)) => {
            assert_inert(&files);
            format!("{warnings}\n{}", listing(&files))
        }
    }
}

/// The declared items of `models.rs` and `client.rs`, and the methods of `Client`.
fn listing(files: &clientsmith::Files) -> String {
    let mut out = String::from("generates:\n");
    for name in ["models.rs", "client.rs"] {
        let file = syn::parse_file(&files[name]).expect("generated code parses");
        for item in &file.items {
            let line = match item {
                syn::Item::Struct(s) => format!("struct {}", s.ident),
                syn::Item::Enum(e) => format!("enum {}", e.ident),
                syn::Item::Type(t) => format!("type {}", t.ident),
                syn::Item::Impl(i) if i.trait_.is_none() && self_type(i) == "Client" => {
                    let methods: Vec<String> = i
                        .items
                        .iter()
                        .filter_map(|item| match item {
                            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                            _ => None,
                        })
                        .collect();
                    format!("impl Client: {}", methods.join(", "))
                }
                _ => continue,
            };
            out.push_str(&format!("  {name}: {line}\n"));
        }
    }
    out
}

fn self_type(item: &syn::ItemImpl) -> String {
    match &*item.self_ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Generated code is inert: every file parses, `models.rs` declares only types and their
/// impls (no free function, macro, module, `extern` or static that a document could smuggle
/// in), and no file carries a control or bidirectional character.
fn assert_inert(files: &clientsmith::Files) {
    for (path, text) in files {
        if let Some(c) = text.chars().find(|c| {
            // A tab may stay in a doc comment (a description's fenced code), harmlessly.
            (c.is_control() && *c != '\n' && *c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        }) {
            panic!("{path} carries the character {c:?}");
        }
        if path.ends_with(".rs") {
            syn::parse_file(text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        }
    }
    let models = syn::parse_file(&files["models.rs"]).expect("models.rs parses");
    let declared: Vec<String> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in &models.items {
        match item {
            syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Type(_) | syn::Item::Use(_) => {}
            syn::Item::Impl(i) => assert!(
                declared.contains(&self_type(i)),
                "models.rs implements something it does not declare: {}",
                self_type(i)
            ),
            // The runtime's own macros implement traits for a declared type.
            syn::Item::Macro(m) if is_runtime_macro_for(m, &declared) => {}
            other => panic!(
                "models.rs holds an item no schema implies: {}",
                quote::ToTokens::to_token_stream(other)
            ),
        }
    }
}

/// `crate::runtime::some_macro!(Type, ...)` for a type the file declares.
fn is_runtime_macro_for(item: &syn::ItemMacro, declared: &[String]) -> bool {
    let path: Vec<String> = item
        .mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let first = item
        .mac
        .tokens
        .clone()
        .into_iter()
        .next()
        .map(|t| t.to_string())
        .unwrap_or_default();
    path.len() == 3 && path[0] == "crate" && path[1] == "runtime" && declared.contains(&first)
}

#[test]
fn every_document_gives_its_expected_outcome() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut documents: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("tests/hostile")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    documents.sort();
    assert!(documents.len() >= 40, "{} documents", documents.len());
    let mut failures = Vec::new();
    for document in documents {
        let relative = Path::new(DIR).join(document.file_name().expect("file name"));
        let actual = on_small_stack(move || outcome(&relative));
        let expected_path = document.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).expect("write .expected");
            }
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                document.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} documents differ from their .expected files{}:\n\n{}",
        failures.len(),
        if update {
            " (rewritten: review the diff and run again)"
        } else {
            " (after a deliberate change run with UPDATE_EXPECT=1, review the diff)"
        },
        failures.join("\n")
    );
}

/// A document of `text` named `name` (in a temporary directory), rendered on a small stack,
/// every warning an error (what is left out is refused, so the refusal can be checked).
fn render_text(name: &str, text: String) -> Result<clientsmith::Files, clientsmith::Error> {
    let name = name.to_owned();
    on_small_stack(move || Config::new(name).deny_warnings(true).render_str(&text))
}

fn schema_nested(depth: usize) -> String {
    format!(
        "{}{{\"type\":\"string\"}}{}",
        "{\"type\":\"array\",\"items\":".repeat(depth),
        "}".repeat(depth)
    )
}

#[test]
fn ten_thousand_levels_of_json_stop_at_the_nesting_limit() {
    let text = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"Deep\":{}}}}}}}",
        schema_nested(10_000)
    );
    let error = render_text("deep.json", text).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(
        error.message(),
        "the document nests more than 128 levels deep"
    );
    let at = error.location().expect("located");
    assert_eq!((at.line, at.column), (1, 3075));
}

#[test]
fn ten_thousand_levels_of_yaml_stop_at_the_nesting_limit() {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {}\n",
        schema_nested(10_000)
    );
    let error = render_text("deep.yaml", text).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(
        error.message(),
        "the document nests more than 128 levels deep"
    );
    let at = error.location().expect("located");
    assert_eq!(at.line, 6);
}

#[test]
fn ten_thousand_levels_of_block_yaml_stop_at_the_nesting_limit() {
    let mut text =
        String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep:\n");
    for depth in 1..=10_000 {
        // Lists nest with one more space per level, so the text stays small.
        text.push_str(&" ".repeat(depth));
        text.push_str("-\n");
    }
    let error = render_text("deep.yaml", text).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
}

#[test]
fn the_deepest_schemas_that_parse_are_refused_by_the_model_or_generated() {
    // Under the parsers' limit (128 levels), deeper or not than the model's (64 schemas).
    for depth in [40, 62] {
        let text = format!(
            "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"Deep\":{}}}}}}}",
            schema_nested(depth)
        );
        let files = render_text("deep.json", text).expect("generates");
        // `syn` needs more than a test thread's stack for 60 nested generic types.
        std::thread::Builder::new()
            .stack_size(64 * 1024 * 1024)
            .spawn(move || assert_inert(&files))
            .expect("spawn")
            .join()
            .expect("inert");
    }
    let text = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"Deep\":{}}}}}}}",
        schema_nested(100)
    );
    let error = render_text("deep.json", text).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}");
    assert_eq!(
        error.message(),
        "schemas nested more than 64 levels deep are not supported"
    );
}

#[test]
fn nested_objects_just_under_the_parsers_limit_fit_a_small_stack() {
    // Objects in objects: every level is a named type, a struct and a field.
    let mut schema = String::from("{\"type\":\"string\"}");
    for level in 0..60 {
        schema = format!(
            "{{\"type\":\"object\",\"properties\":{{\"p{level}\":{schema}}},\"allOf\":[{{\"type\":\"object\"}}]}}"
        );
    }
    let text = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"Deep\":{schema}}}}}}}"
    );
    match render_text("deep.json", text) {
        Ok(files) => assert_inert(&files),
        Err(error) => assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}"),
    }
}

#[test]
fn a_long_chain_of_allof_references_is_refused_without_recursion() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    let n = 5_000;
    for i in 0..n {
        text.push_str(&format!(
            "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{}'\n        - {{type: object, properties: {{p{i}: {{type: string}}}}}}\n",
            i + 1
        ));
    }
    text.push_str(&format!("    S{n}: {{type: object}}\n"));
    let error = render_text("chain.yaml", text).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(
        error.message(),
        "`allOf` inherits through more than 64 schemas"
    );
    assert_eq!(error.count(), clientsmith::MAX_DIAGNOSTICS);
    assert!(
        error
            .to_string()
            .ends_with("error: stopped after 50 problems; there may be more")
    );
}

#[test]
fn a_long_chain_of_plain_references_is_refused_without_recursion() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {$ref: '#/components/schemas/S0'}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n",
    );
    let n = 20_000;
    for i in 0..n {
        text.push_str(&format!(
            "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    text.push_str(&format!("    S{n}: {{type: string}}\n"));
    let error = render_text("chain.yaml", text).expect_err("refused");
    assert_eq!(error.count(), 1, "{error}");
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(
        error.message(),
        "a chain of more than 64 schemas that each only refer to the next starts here"
    );
    assert_eq!(error.pointer(), Some("#/components/schemas/S19936"));
}

#[test]
fn a_fifty_megabyte_document_is_refused_by_a_lower_limit_before_it_is_read() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("huge.json");
    let padding = "x".repeat(50 * 1024 * 1024);
    let text = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"x-padding\":\"{padding}\"}}"
    );
    std::fs::write(&path, &text).expect("write");
    let size = text.len();
    drop(padding);

    let started = Instant::now();
    let error = Config::new(&path)
        .max_input_bytes(8 * 1024 * 1024)
        .render()
        .expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(error.kind(), ErrorKind::Limit);
    assert_eq!(
        error.message(),
        format!("the document is {size} bytes, more than the limit of 8388608 bytes")
    );
    assert_eq!(
        error.help(),
        Some("raise the limit with `Config::max_input_bytes` if the document is trusted")
    );
    let error = Config::new("huge.json")
        .max_input_bytes(1024)
        .render_str(&text)
        .expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::Limit);

    // Under the default limit (128 MiB) it is read, and generates, in bounded time.
    let started = Instant::now();
    let files = on_small_stack(move || Config::new(path).render()).expect("generates");
    assert!(files.contains_key("models.rs"));
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(60), "50 MB took {elapsed:?}");
}

#[test]
fn a_diagnostic_renders_document_text_inertly() {
    let error = clientsmith::internals::load::parse(
        Path::new("t.yaml"),
        "openapi: \"3.1\\e[2J\\u202E\"\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect_err("refused");
    let rendered = error.to_string();
    assert!(
        !rendered.contains('\u{1b}') && !rendered.contains('\u{202E}'),
        "{rendered}"
    );
    assert!(rendered.contains("3.1\\u{1b}[2J\\u{202e}"), "{rendered}");
}

/// The documents that generate compile, warning-free under clippy and rustdoc (which deny
/// bidirectional characters in comments and literals, bare carriage returns in doc comments,
/// and broken intra-doc links): the hostile text really is inert.
#[test]
fn hostile_text_generates_crates_that_compile() {
    let workspace = tempfile::tempdir().expect("temporary directory");
    let mut members = Vec::new();
    let mut documents: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("tests/hostile")
        .map(|entry| entry.expect("entry").path())
        .collect();
    documents.sort();
    documents.retain(|path| {
        matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "json")
        )
    });
    for document in documents {
        let expected = std::fs::read_to_string(document.with_extension("expected"));
        if !expected.is_ok_and(|e| e.starts_with("generates:")) {
            continue;
        }
        let stem = document
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("hostile-{stem}");
        Config::new(&document)
            .out_dir(workspace.path().join(&name))
            .runtime_path(support::runtime_dir())
            .generate_crate(&name)
            .expect("generates");
        members.push(name);
    }
    assert!(members.len() >= 5, "{members:?}");
    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for member in &members {
        manifest.push_str(&format!("    \"{member}\",\n"));
    }
    manifest.push_str("]\n");
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(
        support::workspace_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    let clippy = support::cargo(
        workspace.path(),
        &[
            "clippy",
            "--workspace",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    if let Err(output) = clippy {
        panic!("the crates generated from hostile text do not pass clippy:\n{output}");
    }
    let doc = support::cargo(
        workspace.path(),
        &["doc", "--workspace", "--no-deps", "--all-features"],
    );
    if let Err(output) = doc {
        panic!("the crates generated from hostile text do not document cleanly:\n{output}");
    }
}
