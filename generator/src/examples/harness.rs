//! The harness added to the generated crate: a test that decodes each example into its type
//! with `serde_path_to_error`, encodes it back, and writes one JSON line per example.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::collect::Example;
use crate::emit::{Scope, readable_type, rust_type};
use crate::model::Api;

/// The module file, relative to the crate.
pub const MODULE: &str = "src/examples_harness.rs";
/// The test's name, for `cargo test -- --exact`.
pub const TEST: &str = "examples_harness::examples";
/// Environment variables naming the input (one example a line) and the output file.
pub const INPUT_VAR: &str = "GENERATOR_EXAMPLES_INPUT";
/// See [`INPUT_VAR`].
pub const OUTPUT_VAR: &str = "GENERATOR_EXAMPLES_OUTPUT";

/// The harness module, the input lines (`check index`, tab, the example as JSON), and the
/// Rust type of each example as a reader writes it (`models::Pet`).
pub fn harness(api: &Api, examples: &[Example]) -> (String, String, Vec<String>) {
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut input = String::new();
    let mut readable = Vec::new();
    for example in examples {
        let tokens = rust_type(api, &example.ty, Scope::Crate);
        readable.push(readable_type(&tokens));
        let ty = tokens.to_string();
        let index = *types.entry(ty.clone()).or_insert_with(|| {
            order.push(ty);
            order.len() - 1
        });
        let _ = writeln!(input, "{index}\t{}", example.value);
    }
    let mut module = String::from(HEAD);
    module.push_str("const CHECKS: &[fn(&str) -> serde_json::Value] = &[\n");
    for ty in &order {
        let _ = writeln!(module, "    check::<{ty}>,");
    }
    module.push_str("];\n");
    (module, input, readable)
}

const HEAD: &str = r#"//! Written by `clientsmith examples`: decodes the document's examples into the generated types
//! and encodes them back.
#![allow(clippy::all, unused_qualifications)]

use std::io::Write as _;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> serde_json::Value {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => serde_json::json!({
            "error": error.inner().to_string(),
            "path": error.path().to_string(),
        }),
        Ok(value) => match serde_json::to_string(&value)
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text))
        {
            Ok(encoded) => serde_json::json!({ "encoded": encoded }),
            Err(error) => serde_json::json!({ "error": format!("encoding: {error}"), "path": "." }),
        },
    }
}

#[test]
fn examples() {
    let input = std::fs::read_to_string(std::env::var("GENERATOR_EXAMPLES_INPUT").unwrap()).unwrap();
    let mut output = std::io::BufWriter::new(
        std::fs::File::create(std::env::var("GENERATOR_EXAMPLES_OUTPUT").unwrap()).unwrap(),
    );
    for line in input.lines() {
        let (index, text) = line.split_once('\t').unwrap();
        let result = CHECKS[index.parse::<usize>().unwrap()](text);
        writeln!(output, "{result}").unwrap();
    }
    output.flush().unwrap();
}

"#;
