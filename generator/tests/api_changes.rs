//! What a spec edit does to code that calls the generated client: each kind of edit, made on
//! a copy of `spec/connectors.yaml`, reported with its class, the Rust item and the pointer;
//! the same report from `vendor` (against the vendored API), `check`, `clientsmith diff` and
//! the versions `generate` gives a crate; and two pairs of real documents.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use clientsmith::{ApiChanges, Class, Config};

fn spec() -> PathBuf {
    support::workspace_root().join("spec/connectors.yaml")
}

/// `spec/connectors.yaml` with each `(from, to)` replaced once, written to `dir/name`.
fn edited(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(spec()).expect("spec");
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "the spec no longer contains {from:?}; update this test"
        );
        text = text.replacen(from, to, 1);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write edited spec");
    path
}

/// What generating from `new` instead of `old` changes for callers.
fn report(old: &Path, new: &Path) -> ApiChanges {
    let (report, _) = Config::new(old)
        .compare(&Config::new(new))
        .expect("both documents generate");
    report
}

/// The report's lines for generating from `new` instead of `old`.
fn changes(old: &Path, new: &Path) -> Vec<String> {
    report(old, new)
        .changes()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The spec with the NDES connector's `machineName` renamed `hostName`, in `dir`.
fn renamed(dir: &Path) -> PathBuf {
    edited(
        dir,
        "renamed.yaml",
        &[(
            MACHINE_NAME,
            &MACHINE_NAME.replace("machineName", "hostName"),
        )],
    )
}

const NDES: &str = "#/components/schemas/microsoft.graph.ndesConnector/allOf/1/properties";

const MACHINE_NAME: &str = "            machineName:\n              type: string\n              description: Name of the machine running on-prem certificate connector service.\n              nullable: true\n";

#[test]
fn renaming_a_property_breaks_callers_and_names_field_and_pointer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let renamed = renamed(dir.path());
    let lines = changes(&spec(), &renamed);
    assert_eq!(
        lines,
        [
            format!(
                "breaking: field `models::NdesConnector::machine_name` removed ({NDES}/machineName)"
            ),
            format!(
                "breaking: field `models::NdesConnectorUpdate::machine_name` removed ({NDES}/machineName)"
            ),
            format!("compatible: field `models::NdesConnector::host_name` added ({NDES}/hostName)"),
            format!(
                "compatible: field `models::NdesConnectorUpdate::host_name` added ({NDES}/hostName)"
            ),
        ]
    );
}

#[test]
fn adding_a_property_or_an_enum_value_is_compatible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let added = edited(
        dir.path(),
        "added.yaml",
        &[
            (
                MACHINE_NAME,
                &format!(
                    "{MACHINE_NAME}            siteName:\n              type: string\n              nullable: true\n"
                ),
            ),
            (
                "        - inactive\n",
                "        - inactive\n        - retired\n",
            ),
        ],
    );
    let report = report(&spec(), &added);
    assert_eq!(report.class(), Some(Class::Compatible));
    assert_eq!(
        changes(&spec(), &added),
        [
            format!("compatible: field `models::NdesConnector::site_name` added ({NDES}/siteName)"),
            String::from(
                "compatible: variant `models::NdesConnectorState::Retired` added (#/components/schemas/microsoft.graph.ndesConnectorState/enum/3)"
            ),
            format!(
                "compatible: field `models::NdesConnectorUpdate::site_name` added ({NDES}/siteName)"
            ),
        ]
    );
}

#[test]
fn a_new_description_is_documentation_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let described = edited(
        dir.path(),
        "described.yaml",
        &[(
            "description: Name of the machine running on-prem certificate connector service.",
            "description: Host name of the machine that runs the certificate connector service.",
        )],
    );
    let report = report(&spec(), &described);
    assert_eq!(report.class(), Some(Class::Documentation));
    assert!(
        report
            .changes()
            .iter()
            .all(|c| c.item.ends_with("::machine_name") && c.what == "has a new description"),
        "{report}"
    );
}

#[test]
fn a_property_made_required_or_retyped_breaks_callers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let required = edited(
        dir.path(),
        "required.yaml",
        &[
            (
                "          required:\n            - '@odata.type'\n          properties:\n            lastConnectionDateTime:",
                "          required:\n            - '@odata.type'\n            - machineName\n          properties:\n            lastConnectionDateTime:",
            ),
            (
                MACHINE_NAME,
                &MACHINE_NAME.replace("              nullable: true\n", ""),
            ),
            (
                "            connectorVersion:\n              type: string\n",
                "            connectorVersion:\n              type: integer\n              format: int64\n",
            ),
        ],
    );
    let lines = changes(&spec(), &required);
    assert!(
        lines.contains(&format!("breaking: field `models::NdesConnector::machine_name` made required: `Option<String>` is now `String` ({NDES}/machineName)")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!("breaking: field `models::NdesConnector::connector_version` changed type from `Option<String>` to `Option<i64>` ({NDES}/connectorVersion)")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().all(|l| l.starts_with("breaking: ")),
        "{lines:#?}"
    );
}

#[test]
fn removing_an_operation_or_requiring_a_parameter_breaks_callers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(spec()).expect("spec");
    // The DELETE of an NDES connector, and `If-Match` on the domain join connector's.
    let start = text
        .find("    delete:\n      tags:\n        - deviceManagement.ndesConnector")
        .expect("delete operation");
    let end = start
        + text[start..]
            .find("  /deviceManagement/domainJoinConnectors:")
            .expect("next path");
    let mut edited_text = format!("{}{}", &text[..start], &text[end..]);
    let if_match = "          required: false\n          schema:\n            type: string\n";
    let at = edited_text.find(if_match).expect("If-Match");
    edited_text.replace_range(
        at..at + if_match.len(),
        "          required: true\n          schema:\n            type: string\n",
    );
    let path = dir.path().join("removed.yaml");
    std::fs::write(&path, edited_text).expect("write");

    let lines = changes(&spec(), &path);
    assert_eq!(
        lines,
        [
            "breaking: argument `client::Client::delete_domain_join_connector(if_match)` added: a new required argument `&str` (#/paths/~1deviceManagement~1domainJoinConnectors~1{deviceManagementDomainJoinConnector-id}/delete/parameters/0)",
            // Its only optional parameter is now required: the method takes no options.
            "breaking: argument `client::Client::delete_domain_join_connector(options)` removed (#/paths/~1deviceManagement~1domainJoinConnectors~1{deviceManagementDomainJoinConnector-id}/delete)",
            "breaking: method `client::Client::delete_ndes_connector` removed (#/paths/~1deviceManagement~1ndesConnectors~1{ndesConnector-id}/delete)",
            "breaking: type `client::DeleteDomainJoinConnectorOptions` removed (#/paths/~1deviceManagement~1domainJoinConnectors~1{deviceManagementDomainJoinConnector-id}/delete)",
            "breaking: type `client::DeleteNdesConnectorOptions` removed (#/paths/~1deviceManagement~1ndesConnectors~1{ndesConnector-id}/delete)",
        ]
    );
}

#[test]
fn vendoring_and_check_report_against_the_vendored_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("generated");
    let first = Config::new(spec())
        .out_dir(&out)
        .generate()
        .expect("generate");
    assert_eq!(first.changes, None, "nothing to compare with yet");
    assert!(out.join("api.jsonl").exists());

    let again = Config::new(spec()).out_dir(&out).generate().expect("again");
    assert!(
        again.changes.as_ref().is_some_and(|c| c.is_empty()),
        "{again:?}"
    );

    let renamed = renamed(dir.path());
    let stale = Config::new(&renamed)
        .out_dir(&out)
        .check()
        .expect_err("the vendored code is stale");
    let message = stale.to_string();
    assert!(
        message.contains(&format!(
            "breaking: field `models::NdesConnector::machine_name` removed ({NDES}/machineName)"
        )),
        "{message}"
    );
    assert!(
        message.contains("release them as a new major version"),
        "{message}"
    );

    let regenerated = Config::new(&renamed)
        .out_dir(&out)
        .generate()
        .expect("vendor");
    let report = regenerated.changes.expect("compared with the vendored API");
    assert!(report.is_breaking(), "{report}");
    assert_eq!(report.count(Class::Breaking), 2, "{report}");
}

#[test]
fn generated_crates_are_versioned_by_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("crate");
    let version = || {
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
        manifest
            .lines()
            .find_map(|line| line.strip_prefix("version = "))
            .map(|v| v.trim_matches('"').to_owned())
            .expect("version line")
    };
    let generate = |spec: &Path| {
        Config::new(spec)
            .out_dir(&out)
            .runtime_path(support::runtime_dir())
            .generate_crate("versioned")
            .expect("generate crate")
    };
    generate(&spec());
    assert_eq!(version(), "0.1.0");
    let unchanged = generate(&spec());
    assert!(!unchanged.changed(), "{unchanged:?}");
    assert_eq!(version(), "0.1.0");

    let described = edited(
        dir.path(),
        "described.yaml",
        &[(
            "The friendly name of the Ndes Connector.",
            "The name shown for the NDES connector.",
        )],
    );
    generate(&described);
    assert_eq!(version(), "0.1.1", "documentation: a patch release");

    let added = edited(
        dir.path(),
        "added.yaml",
        &[
            (
                "The friendly name of the Ndes Connector.",
                "The name shown for the NDES connector.",
            ),
            (
                "        - inactive\n",
                "        - inactive\n        - retired\n",
            ),
        ],
    );
    generate(&added);
    assert_eq!(version(), "0.1.2", "compatible before 1.0: a patch release");

    let summary = generate(&spec());
    assert!(summary.changes.as_ref().is_some_and(|c| c.is_breaking()));
    assert_eq!(version(), "0.2.0", "a removed variant: breaking");
}

#[test]
fn generator_diff_exits_non_zero_on_breaking_changes_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let renamed = renamed(dir.path());
    let run = |args: &[&Path], deny: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clientsmith"));
        command.arg("diff").args(args);
        if deny {
            command.arg("--deny-breaking");
        }
        command.output().expect("run clientsmith diff")
    };
    let output = run(&[&spec(), &renamed], true);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with("API changes for callers: 2 breaking, 2 compatible"),
        "{stdout}"
    );
    assert!(
        stdout.contains("breaking: field `models::NdesConnector::machine_name` removed"),
        "{stdout}"
    );

    assert!(run(&[&spec(), &renamed], false).status.success());
    let same = run(&[&spec(), &spec()], true);
    assert!(same.status.success());
    assert!(String::from_utf8_lossy(&same.stdout).contains("give the same public API"));
}

#[test]
fn pointers_name_the_document_as_written_when_it_was_converted() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let original = specs.join("versions/2.0/stoplight-petstore.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(&original).expect("document");
    let anchor =
        "      status:\n        type: string\n        description: pet status in the store\n";
    assert!(text.contains(anchor), "the document changed");
    let renamed = dir.path().join("petstore.yaml");
    std::fs::write(
        &renamed,
        text.replacen(anchor, &anchor.replace("status:", "state:"), 1),
    )
    .expect("write");
    let lines = changes(&original, &renamed);
    assert!(
        lines.contains(&String::from(
            "breaking: field `models::Pet::status` removed (#/definitions/Pet/properties/status)"
        )),
        "{lines:#?}"
    );
}

#[test]
fn two_versions_of_the_openapi_petstore() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    // The OpenAPI Initiative's petstore, and the expanded version of it.
    let lines = changes(
        &specs.join("corpus/oai-petstore.yaml"),
        &specs.join("corpus/oai-petstore-expanded.yaml"),
    );
    for expected in [
        "breaking: method `client::Client::list_pets` renamed to `client::Client::find_pets` (#/paths/~1pets/get)",
        "breaking: method `client::Client::show_pet_by_id` removed (#/paths/~1pets~1{petId}/get)",
        "breaking: type `models::Pets` removed (#/components/schemas/Pets)",
        "compatible: method `client::Client::delete_pet` added (#/paths/~1pets~1{id}/delete)",
        "compatible: type `models::NewPet` added (#/components/schemas/NewPet)",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected}\nnot in {lines:#?}"
        );
    }
}

#[test]
fn the_reviewed_slice_against_graphs_published_document() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    // `spec/connectors.yaml` is a reviewed description of the collections Graph publishes in
    // `graph-beta-connectors.yaml`: what generating from Graph's own document would change.
    let lines = changes(&spec(), &specs.join("graph-beta-connectors.yaml"));
    for expected in [
        "breaking: method `client::Client::update_connector` returns `models::Connector` (was `()`) (#/paths/~1connectors~1{connector-id}/patch)",
        "breaking: field `models::InnerError::date` changed type from `Option<String>` to `Option<chrono::DateTime<chrono::FixedOffset>>` (#/components/schemas/microsoft.graph.ODataErrors.InnerError/properties/date)",
        "breaking: method `client::Client::list_connectors` renamed to `client::Client::list_connector` (#/paths/~1connectors/get)",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected}\nnot in {lines:#?}"
        );
    }
}
