//! Parameters that are not scalars: `fixtures/parameters.yaml` has objects in `deepObject`
//! and `form` style, arrays of objects, JSON `content` in the query, a header and the path, and
//! `allowReserved`. It generates without a warning into a crate whose client and `server`
//! feature pass clippy, and `fixtures/parameters_behaviour.rs` runs there: the wire form each
//! style takes, and the generated router reading it back.

mod support;

use std::path::Path;

#[test]
fn every_parameter_style_is_written_and_read_back() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("parameters");
    let summary = clientsmith::Config::new(fixtures.join("parameters.yaml"))
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .deny_warnings(true)
        .generate_crate("parameters")
        .expect("every parameter of the document is generated");
    assert!(summary.warnings.is_empty(), "{}", summary.warnings);

    support::add_behaviour_test(
        &crate_dir,
        "parameters_behaviour.rs",
        "axum = \"0.8\"\npercent-encoding = \"2.3\"\nreqwest = { version = \"0.13\", default-features = false, features = [\"json\"] }\ntokio = { version = \"1.45\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"sync\", \"time\"] }\n",
    );
    // The client and the `server` feature, whose router the behaviour test reads back with.
    let output = support::clippy_and_test(&crate_dir, "the parameters crate");
    println!("{output}");
}
