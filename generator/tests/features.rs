//! Behaviour of generated code for every supported feature: `fixtures/features.yaml` is
//! generated into a crate, `fixtures/features_behaviour.rs` is added to it as an integration
//! test (serde round trips of each kind of type, and every kind of parameter, body and response
//! sent to a real HTTP server on 127.0.0.1), and `cargo test` runs it there.

mod support;

use std::path::Path;

#[test]
fn generated_code_behaves_as_the_document_says() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("features");
    clientsmith::Config::new(fixtures.join("features.yaml"))
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate("features")
        .expect("generate the features crate");

    support::add_behaviour_test(
        &crate_dir,
        "features_behaviour.rs",
        "axum = \"0.8\"\npercent-encoding = \"2.3\"\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"sync\", \"time\"] }\n",
    );

    match support::cargo(
        &crate_dir,
        &["clippy", "--all-targets", "--", "-D", "warnings"],
    ) {
        Ok(_) => {}
        Err(output) => panic!("the features crate does not pass clippy:\n{output}"),
    }
    match support::cargo(&crate_dir, &["test"]) {
        Ok(output) => {
            assert!(output.contains("test result: ok"), "{output}");
            println!("{output}");
        }
        Err(output) => panic!("the generated code misbehaves:\n{output}"),
    }
}
