//! Time of each stage of the generator (load, model, emit, format) on the project's document,
//! the Graph slice in `../shared/specs` (when present) and synthetic Graph-like documents of
//! 100, 1,000 and 10,000 operations.
//!
//! ```sh
//! cargo bench -p clientsmith --bench pipeline                 # everything
//! cargo bench -p clientsmith --bench pipeline -- synthetic_   # the synthetic documents only
//! ```
//!
//! Stages: `load` parses the text (YAML into `openapiv3`, with the structural checks and
//! limits), `model` resolves it, `emit` builds the token streams of `models.rs`, `client.rs`
//! and `server.rs` (each cut into parts of a few dozen items, their doc comments kept aside),
//! `format` parses those with `syn`, prints them with `prettyplease` and writes the doc
//! comments in. Each is timed on the output of the one before, computed outside the
//! measurement, on one thread. `parser` is the baseline of `load`:
//! `serde_yaml` (or `serde_json`) alone into `openapiv3`. `emit_format` is what the generator
//! runs after the model: emit and format, the parts spread over the machine's threads
//! (`emit::module_files`, with `server.rs`), and `client` the whole pipeline from text to files
//! for a client-only crate (`Config::server(false)`, what the progenitor comparison times).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clientsmith::internals::{emit, load, model};
use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};

/// One input document.
struct Input {
    /// The benchmark group's name.
    name: String,
    /// The path the document is parsed as (it names the file in headers and errors).
    path: PathBuf,
    /// Its text.
    text: String,
}

fn inputs() -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut inputs = Vec::new();
    for (name, path) in [
        ("connectors", root.join("spec/connectors.yaml")),
        (
            "graph_slice",
            root.join("../shared/specs/graph-beta-connectors.yaml"),
        ),
    ] {
        match std::fs::read_to_string(&path) {
            Ok(text) => inputs.push(Input {
                name: name.to_owned(),
                path,
                text,
            }),
            Err(error) => eprintln!(
                "note: skipping `{name}`: cannot read {} ({error})",
                path.display()
            ),
        }
    }
    for operations in [100, 1_000, 10_000] {
        inputs.push(Input {
            name: format!("synthetic_{operations}"),
            path: PathBuf::from(format!("synthetic-{operations}.yaml")),
            text: clientsmith::internals::synthetic::document(operations),
        });
    }
    inputs
}

fn stages(c: &mut Criterion) {
    for input in inputs() {
        let origin = emit::Origin {
            spec: input.path.to_string_lossy().into_owned(),
            ..emit::Origin::default()
        };
        // One run of the whole pipeline outside the measurement, to size the measurement of
        // large documents. Each stage's input is made again below, just before the stage, and
        // dropped after it: the stages of a large document measured with the document, model
        // and token streams of all the others in memory (a gigabyte at 10,000 operations) ran
        // slower than the generator runs them.
        let started = Instant::now();
        drop(
            clientsmith::Config::new(&input.path)
                .render_str(&input.text)
                .expect("the document generates"),
        );
        let once = started.elapsed();

        let mut group = c.benchmark_group(&input.name);
        if once > Duration::from_millis(200) {
            // Large documents: ten samples of one run each per stage, with room for them.
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(once.mul_f64(12.0).max(Duration::from_secs(3)));
        } else if once > Duration::from_millis(10) {
            group.sample_size(20);
        }
        group.bench_function("load", |b| {
            b.iter(|| load::parse(black_box(&input.path), black_box(&input.text)).unwrap())
        });
        // The parser alone into `openapiv3`, without the checks, positions and limits of
        // `load`: the baseline `load` is measured against.
        if input.text.trim_start().starts_with('{') {
            group.bench_function("parser", |b| {
                b.iter(|| serde_json::from_str::<openapiv3::OpenAPI>(black_box(&input.text)))
            });
        } else {
            group.bench_function("parser", |b| {
                b.iter(|| serde_yaml::from_str::<openapiv3::OpenAPI>(black_box(&input.text)))
            });
        }
        let api = {
            let document = load::parse(&input.path, &input.text).expect("the document loads");
            group.bench_function("model", |b| {
                b.iter(|| model::build(black_box(&document)).unwrap())
            });
            model::build(&document).expect("the document has a model")
        };
        group.bench_function("emit", |b| {
            b.iter(|| emit::module_tokens(black_box(&api), emit::Emission::Deferred))
        });
        {
            let tokens = emit::module_tokens(&api, emit::Emission::Deferred);
            group.bench_function("format", |b| {
                b.iter_batched(
                    || tokens.clone(),
                    |tokens| {
                        tokens
                            .into_iter()
                            .map(|module| emit::format_module(&origin, module).unwrap())
                            .collect::<Vec<_>>()
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        group.bench_function("emit_format", |b| {
            b.iter(|| emit::module_files(black_box(&api), &origin, emit::Modules::default()))
        });
        drop(api);
        let client_only = clientsmith::Config::new(&input.path).server(false);
        group.bench_function("client", |b| {
            b.iter(|| client_only.render_str(black_box(&input.text)).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
