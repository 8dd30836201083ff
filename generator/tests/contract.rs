//! Server and client from the same document agree over a real socket.
//!
//! For documents of the conformance corpus (`../shared/specs/corpus`) chosen for their
//! different shapes, a crate is generated, `fixtures/contract_<document>.rs` is added to it as
//! the integration test `contract` (with `fixtures/contract_common.rs` as its `common`
//! module), and `cargo clippy -D warnings` and `cargo test` run there with the `server`
//! feature. Each fixture implements the crate's `server::Api` in memory, serves it with
//! `server::router` on 127.0.0.1 and calls every operation of the document with the crate's
//! own `Client`, checking that typed parameters and bodies arrive in the implementation as
//! sent, that responses come back equal (polymorphic ones as the same variant), that error
//! statuses reach the client as the document declares them, and that malformed raw requests
//! are answered with `400` and an OData error body naming the parameter or JSON path at fault.
//!
//! The documents:
//! - `msgraph-schemaextensions.yaml` (5 operations): Microsoft Graph style CRUD; query
//!   parameters of every primitive kind (`$top`/`$skip` integers, `$count` boolean,
//!   `$search`/`$filter` strings, exploded arrays of string enums whose values hold spaces and
//!   `*`), a dashed path parameter, an optional header, JSON bodies (an `allOf` entity with
//!   `additionalProperties`, a merge-patch update), `200`/`201`/`204` and a `default` OData
//!   error, paging by `@odata.nextLink`.
//! - `nytimes-timeswire.yaml` (3 operations): typed path parameters (a string enum, a string
//!   and an integer) in segments with a literal suffix
//!   (`/content/{source}/{section}/{time-period}.json`), a required string and optional
//!   integer query parameters.
//! - `twitter-labs-v1.yaml` (2 operations): polymorphic response bodies: four `oneOf` unions
//!   chosen by a `discriminator` with `mapping` (tweets, users, places, media) and a fifth
//!   whose tags are URIs (problems), nested in arrays and in objects built with `allOf`;
//!   required and optional comma-separated array query parameters (`explode: false`) of
//!   strings and of enums; enum query parameters with dotted names; a `default` error.
//! - `1password-events.yaml` (5 operations): a polymorphic request body, an optional `oneOf`
//!   without discriminator (`Cursor` or `ResetCursor`) shared by three operations through
//!   chained `requestBodies` references; responses `200`, `401`, `500` and `default`; a
//!   deprecated operation.
//! - `oai-petstore.yaml` (3 operations): a declared response header (`x-next` on `200`), set
//!   by the implementation and checked on the wire; `default` error responses with any
//!   status.
//!
//! - `msgraph-places.yaml` and `msgraph-subscribedskus.yaml` (and `msgraph-schemaextensions.yaml`
//!   again): Microsoft Graph's documented answers, served verbatim by a loopback server
//!   (`common::answering`), decode through the generated client: `@odata.context` and
//!   `@odata.type` annotations, derived types returned from a base collection with members of
//!   every JSON type the base does not declare, `null` where the document does not say
//!   nullable, and Graph's error body with `innerError`; each decoded value encodes back to
//!   the documented JSON.
//!
//! A second test checks that a generated crate depends on axum only with its `server` feature.

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// A corpus document, the crate generated from it and the fixture that tests that crate.
struct Contract {
    document: &'static str,
    name: &'static str,
    fixture: &'static str,
}

const CONTRACTS: &[Contract] = &[
    Contract {
        document: "msgraph-schemaextensions.yaml",
        name: "contract-schemaextensions",
        fixture: "contract_schemaextensions.rs",
    },
    Contract {
        document: "nytimes-timeswire.yaml",
        name: "contract-timeswire",
        fixture: "contract_timeswire.rs",
    },
    Contract {
        document: "twitter-labs-v1.yaml",
        name: "contract-twitter",
        fixture: "contract_twitter.rs",
    },
    Contract {
        document: "1password-events.yaml",
        name: "contract-onepassword",
        fixture: "contract_onepassword.rs",
    },
    Contract {
        document: "oai-petstore.yaml",
        name: "contract-petstore",
        fixture: "contract_petstore.rs",
    },
    Contract {
        document: "msgraph-places.yaml",
        name: "contract-places",
        fixture: "contract_places.rs",
    },
    Contract {
        document: "msgraph-subscribedskus.yaml",
        name: "contract-subscribedskus",
        fixture: "contract_subscribedskus.rs",
    },
];

/// Generates the crate of `contract` into `workspace`, with its fixture as the test target
/// `contract` and the dev-dependencies the fixture uses.
fn prepare(specs: &Path, contract: &Contract, workspace: &Path) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let crate_dir = workspace.join(contract.name);
    clientsmith::Config::new(specs.join("corpus").join(contract.document))
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate(contract.name)
        .unwrap_or_else(|e| panic!("generate a crate from {}: {e}", contract.document));

    // `tests/contract/main.rs` is the test target `contract`; it includes its neighbour
    // `contract_common.rs` with `#[path]`, as the fixture does beside it.
    let tests = crate_dir.join("tests/contract");
    std::fs::create_dir_all(&tests).expect("tests dir");
    std::fs::copy(
        fixtures.join("contract_common.rs"),
        tests.join("contract_common.rs"),
    )
    .expect("copy the common test module");
    std::fs::copy(fixtures.join(contract.fixture), tests.join("main.rs"))
        .expect("copy the contract test");
    let manifest = crate_dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
    text.push_str(
        "\n[dev-dependencies]\naxum = \"0.8\"\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"sync\", \"time\"] }\n",
    );
    std::fs::write(&manifest, text).expect("write Cargo.toml");
}

/// The summary line of a libtest run (`test result: ...`), or the last line of `output`.
fn summary(output: &str) -> &str {
    output
        .lines()
        .rev()
        .find(|line| line.starts_with("test result:"))
        .or_else(|| output.lines().rev().find(|line| !line.trim().is_empty()))
        .unwrap_or_default()
}

/// Every contract crate is generated into one workspace (so cargo builds them in one go, in
/// the shared target directory); clippy `-D warnings` checks all their targets with the
/// `server` feature, the test binaries are built, and then each crate's contract test runs on
/// its own, so one document's failures do not hide another's. Prints a table of the results
/// and fails, with the output of each failing crate, when any crate does not pass.
#[test]
fn server_and_client_generated_from_corpus_documents_agree() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let started = Instant::now();
    let workspace = tempfile::tempdir().expect("tempdir");
    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for contract in CONTRACTS {
        prepare(&specs, contract, workspace.path());
        let _ = writeln!(manifest, "    \"{}\",", contract.name);
    }
    manifest.push_str("]\n");
    std::fs::write(workspace.path().join("Cargo.toml"), manifest).expect("workspace manifest");
    std::fs::copy(
        support::workspace_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    let features = CONTRACTS
        .iter()
        .map(|contract| format!("{}/server", contract.name))
        .collect::<Vec<_>>()
        .join(",");

    if let Err(output) = support::cargo(
        workspace.path(),
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            &features,
            "--",
            "-D",
            "warnings",
        ],
    ) {
        panic!("the contract crates do not pass clippy -D warnings:\n{output}");
    }
    if let Err(output) = support::cargo(
        workspace.path(),
        &[
            "test",
            "--workspace",
            "--features",
            &features,
            "--test",
            "contract",
            "--no-run",
        ],
    ) {
        panic!("the contract tests do not build:\n{output}");
    }
    let built = started.elapsed();

    let mut table = String::from("\n| document | crate | result |\n|---|---|---|\n");
    let mut failures = Vec::new();
    for contract in CONTRACTS {
        let feature = format!("{}/server", contract.name);
        let result = support::cargo_env(
            workspace.path(),
            &[
                "test",
                "-p",
                contract.name,
                "--features",
                &feature,
                "--test",
                "contract",
            ],
            &[("RUST_BACKTRACE", "0")],
        );
        let (Ok(output) | Err(output)) = &result;
        let _ = writeln!(
            table,
            "| {} | {} | {} |",
            contract.document,
            contract.name,
            summary(output)
        );
        if result.is_err() {
            failures.push(format!(
                "==== {} ({}) ====\n{output}",
                contract.document, contract.name
            ));
        }
    }
    let _ = writeln!(
        table,
        "\nbuilt in {built:.1?} (clippy and test binaries), ran in {:.1?}",
        started.elapsed() - built
    );
    println!("{table}");
    assert!(
        failures.is_empty(),
        "server and client generated from the same document disagree:\n{table}\n{}",
        failures.join("\n\n")
    );
}

/// The names of the packages in `cargo tree -e normal --prefix none` output.
fn packages(tree: &str) -> Vec<&str> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect()
}

#[test]
fn axum_is_a_dependency_only_with_the_server_feature() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("contract-tree");
    clientsmith::Config::new(specs.join("corpus/msgraph-schemaextensions.yaml"))
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate("contract-tree")
        .expect("generate the crate");
    support::isolate_crate(&crate_dir);

    let tree = |features: &[&str]| {
        let mut args = vec!["tree", "-e", "normal", "--prefix", "none"];
        args.extend_from_slice(features);
        support::cargo(&crate_dir, &args).unwrap_or_else(|output| panic!("cargo tree:\n{output}"))
    };

    let without = tree(&[]);
    let names = packages(&without);
    assert!(names.contains(&"reqwest"), "{without}");
    assert!(
        !names.iter().any(|name| name.starts_with("axum")),
        "without the `server` feature the crate must not depend on axum:\n{without}"
    );

    let with = tree(&["--features", "server"]);
    let names = packages(&with);
    assert!(
        names.contains(&"axum"),
        "with the `server` feature the crate depends on axum:\n{with}"
    );
}
